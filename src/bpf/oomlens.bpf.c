// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens.bpf.c - a task iterator that writes one struct ol_bpf_rec per
 * thread-group leader: what oomlens otherwise reads from five files of
 * /proc/PID, in one read of the iterator's fd (src/collect_bpf.c).
 *
 * CO-RE: compiled once against the build machine's vmlinux.h, relocated by
 * libbpf against the running kernel's BTF.  The rss counters are read the
 * way the kernel's own oom_badness() reads them (get_mm_counter()): the
 * percpu_counter's count from 6.2 on, the atomic before, chosen by a field
 * check at load time.  The program only reads; it changes nothing.
 *
 * The task the iterator hands over is a BTF pointer, so its fields and
 * those of its mm, signal and cred are read with plain loads, which the
 * verifier turns into fault-safe ones; bpf_probe_read_kernel()
 * (BPF_CORE_READ) was a helper call a field, two fifths of the monitor's
 * CPU at 20,000 processes.  It stays where the verifier cannot follow
 * (container_of() in the thread walk, the capability set's two layouts,
 * the rss counters before 6.2), for the comm, and for the pointer chains
 * (parent, cgroups): on 6.18 the verifier looks up each pointer loaded
 * from the task or an RCU pointer by name in the kernel's BTF, a linear
 * search that cost every start 15 ms of CPU with them loaded plainly.
 * The task's own pointers (mm, signal, real_cred) cost the same search
 * (two of them over the whole BTF a load), so from 6.2 on the program
 * reads the task through bpf_rdonly_cast(): a pointer the verifier marks
 * untrusted, whose loads are fault-safe the same way and skip the search
 * (a third of what a batch snapshot cost on an idle machine).  The kernels
 * before it have no such search either: the build makes a second object
 * without the cast (OL_BPF_NO_CAST), which src/collect_bpf.c loads there.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "record.h"

char LICENSE[] SEC("license") = "GPL";

/* The task, read only: see the comment at the top. */
#ifdef OL_BPF_NO_CAST
#define OL_READER(task) (task)
#else
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
#define OL_READER(task) \
	((struct task_struct *)bpf_rdonly_cast((task), bpf_core_type_id_kernel(struct task_struct)))
#endif

#define OL_PF_KTHREAD 0x00200000
#define OL_PF_EXITING 0x00000004
#define OL_MMF_OOM_SKIP 21
#define OL_MAX_THREADS 1000000 /* a bound the verifier wants; PID_MAX_LIMIT is 4M */

/* Before 6.2: struct mm_rss_stat { atomic_long_t count[4]; } */
struct mm_rss_stat___ol {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___ol {
	struct mm_rss_stat___ol rss_stat;
} __attribute__((preserve_access_index));

/* 6.2 and later: struct percpu_counter rss_stat[4] */
struct percpu_counter___ol {
	s64 count;
} __attribute__((preserve_access_index));

struct mm_struct___pc {
	struct percpu_counter___ol rss_stat[4];
} __attribute__((preserve_access_index));

/* mm->flags: an unsigned long before 6.17, a one-word bitmap (mm_flags_t) since. */
struct mm_struct___word {
	unsigned long flags;
} __attribute__((preserve_access_index));

struct mm_flags___bitmap {
	unsigned long __mm_flags[1];
} __attribute__((preserve_access_index));

struct mm_struct___bitmap {
	struct mm_flags___bitmap flags;
} __attribute__((preserve_access_index));

/* Before 5.14 the state was a long called state. */
struct task_struct___ol {
	long state;
} __attribute__((preserve_access_index));

static __always_inline void
read_rss(struct mm_struct *mm, struct ol_bpf_rec *r)
{
	if (bpf_core_field_exists(struct mm_struct___pc, rss_stat)) {
		struct mm_struct___pc *m = (void *)mm;

		r->rss[0] = m->rss_stat[0].count;
		r->rss[1] = m->rss_stat[1].count;
		r->rss[2] = m->rss_stat[2].count;
		r->rss[3] = m->rss_stat[3].count;
		r->flags |= OL_BPF_F_NEW_RSS;
	} else {
		/* Through the helper: 6.1's verifier cannot walk an array of atomic_long_t. */
		struct mm_struct___ol *m = (void *)mm;

		r->rss[0] = BPF_CORE_READ(m, rss_stat.count[0].counter);
		r->rss[1] = BPF_CORE_READ(m, rss_stat.count[1].counter);
		r->rss[2] = BPF_CORE_READ(m, rss_stat.count[2].counter);
		r->rss[3] = BPF_CORE_READ(m, rss_stat.count[3].counter);
	}
}

static __always_inline void
read_mm(struct task_struct *task, struct ol_bpf_rec *r)
{
	struct mm_struct *mm = task->mm;
	unsigned long mmflags = 0;

	if (!mm)
		return;
	r->flags |= OL_BPF_F_HAS_MM;
	/* in_vfork(): oom_badness() skips a vfork child, which runs on its parent's mm. */
	if (BPF_CORE_READ(task, vfork_done) && BPF_CORE_READ(task, real_parent, mm) == mm)
		r->flags |= OL_BPF_F_VFORK;
	r->total_vm = mm->total_vm;
	r->pgtables_bytes = mm->pgtables_bytes.counter;
	/* The first word either way; each layout relocates only where it exists. */
	if (bpf_core_field_exists(struct mm_struct___word, flags))
		mmflags = ((struct mm_struct___word *)mm)->flags;
	else if (bpf_core_field_exists(struct mm_struct___bitmap, flags))
		mmflags = ((struct mm_struct___bitmap *)mm)->flags.__mm_flags[0];
	if (mmflags & (1UL << OL_MMF_OOM_SKIP))
		r->flags |= OL_BPF_F_OOM_SKIP;
	read_rss(mm, r);
}

struct thread_walk {
	struct list_head *pos, *head;
	unsigned long off; /* offsetof(struct task_struct, thread_node) */
	__u64 sum;
	__u32 n;
};

static long
add_thread(__u32 i, void *data)
{
	struct thread_walk *w = data;
	struct list_head *pos = w->pos;
	struct task_struct *t;

	if (!pos || pos == w->head)
		return 1;
	t = (void *)pos - w->off;
	w->sum += BPF_CORE_READ(t, se.sum_exec_runtime);
	w->n++;
	w->pos = BPF_CORE_READ(pos, next);
	return 0;
}

/*
 * thread_group_cputime(): the dead threads' runtime plus each live thread's,
 * which /proc's utime + stime add up to (cputime_adjust() scales them to it).
 * bpf_loop() (5.17, as the light skeleton's loader needs anyway) keeps the
 * verifier's work to one pass over add_thread().  A thread group of one
 * (nr_threads counts every thread still on thread_head, a zombie leader's
 * too) is the leader alone, and needs no walk.
 */
static __always_inline void
read_runtime(struct task_struct *task, struct signal_struct *sig, struct ol_bpf_rec *r)
{
	struct thread_walk w = {};

	w.sum = sig->sum_sched_runtime;
	if (sig->nr_threads == 1) {
		r->runtime_ns = w.sum + task->se.sum_exec_runtime;
		r->nr_threads = 1;
		return;
	}
	w.off = bpf_core_field_offset(struct task_struct, thread_node);
	w.head = __builtin_preserve_access_index(&sig->thread_head);
	w.pos = BPF_CORE_READ(sig, thread_head.next);
	bpf_loop(OL_MAX_THREADS, add_thread, &w, 0);
	r->runtime_ns = w.sum;
	r->nr_threads = w.n;
}

static __always_inline void
read_cgroups(struct task_struct *task, struct ol_bpf_rec *r)
{
	struct css_set *cset = BPF_CORE_READ(task, cgroups);
	struct cgroup_subsys_state *css = NULL;
	int id;

	r->dfl_cgrp_id = BPF_CORE_READ(cset, dfl_cgrp, kn, id);
	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id)) {
		r->flags |= OL_BPF_F_NO_MEMCG;
		return;
	}
	id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	if (id < 0 || id >= 32)
		return;
	bpf_probe_read_kernel(&css, sizeof(css),
			      (void *)cset + bpf_core_field_offset(struct css_set, subsys) +
				      id * sizeof(void *));
	if (!css) {
		r->flags |= OL_BPF_F_NO_MEMCG;
		return;
	}
	r->memcg_id = BPF_CORE_READ(css, cgroup, kn, id);
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[OL_BPF_CMD_MAX]);
} cmd_buf SEC(".maps");

/*
 * get_mm_cmdline() (fs/proc/base.c): the argument area, or, when the last
 * byte of it is not NUL and the environment follows it (setproctitle()),
 * up to the environment's end, cut at the first NUL by the reader.
 */
SEC("iter.s/task")
int
oomlens_cmdlines(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct seq_file *seq = ctx->meta->seq;
	struct ol_bpf_cmd h = {};
	unsigned long as, ae, es, ee, len;
	struct mm_struct *mm;
	__u32 zero = 0;
	char last = 0;
	char *buf;

	if (!task || task->pid != task->tgid)
		return 0;
	h.magic = OL_BPF_CMD_MAGIC;
	h.pid = task->tgid;
	h.start_ns = task->start_boottime;
	/*
	 * Through the helper, as mm's fields below: loaded plainly it would
	 * cost the search (top of the file), and the cast here cost more than
	 * it saved (the kfunc's own look-up; this runs once, at the first tick).
	 */
	mm = BPF_CORE_READ(task, mm);
	buf = bpf_map_lookup_elem(&cmd_buf, &zero);
	if (!mm || !buf || (task->flags & OL_PF_KTHREAD)) {
		bpf_seq_write(seq, &h, sizeof(h));
		return 0;
	}
	as = BPF_CORE_READ(mm, arg_start);
	ae = BPF_CORE_READ(mm, arg_end);
	es = BPF_CORE_READ(mm, env_start);
	ee = BPF_CORE_READ(mm, env_end);
	if (as >= ae) {
		bpf_seq_write(seq, &h, sizeof(h));
		return 0;
	}
	len = ae - as;
	if (len > OL_BPF_CMD_MAX)
		len = OL_BPF_CMD_MAX;
	if (len == 0 || bpf_copy_from_user_task(buf, len, (void *)as, task, 0) != 0) {
		len = 0;
	} else if (es == ae && ee > es) {
		/* The last byte: in what was read unless the arguments are longer. */
		if (ae - as <= OL_BPF_CMD_MAX)
			last = buf[(len - 1) & (OL_BPF_CMD_MAX - 1)];
		else if (bpf_copy_from_user_task(&last, 1, (void *)(ae - 1), task, 0) != 0)
			last = 0;
		if (last) {
			h.flags |= OL_BPF_CMD_F_TITLE;
			len = ee - as;
			if (len > OL_BPF_CMD_MAX)
				len = OL_BPF_CMD_MAX;
			if (bpf_copy_from_user_task(buf, len, (void *)as, task, 0) != 0)
				len = 0;
		}
	}
	h.len = len;
	bpf_seq_write(seq, &h, sizeof(h));
	if (len > 0 && len <= OL_BPF_CMD_MAX)
		bpf_seq_write(seq, buf, len);
	return 0;
}

SEC("iter/task")
int
oomlens_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct seq_file *seq = ctx->meta->seq;
	const struct cred *cred;
	struct signal_struct *sig;
	struct ol_bpf_rec r = {};
	unsigned int pf;

	if (!task)
		return 0;
	task = OL_READER(task);
	if (task->pid != task->tgid)
		return 0;
	r.magic = OL_BPF_REC_MAGIC;
	r.size = sizeof(r);
	r.pid = task->tgid;
	r.ppid = BPF_CORE_READ(task, real_parent, tgid);
	r.start_ns = task->start_boottime;
	if (bpf_core_field_exists(task->__state)) {
		r.state = task->__state;
	} else {
		struct task_struct___ol *t = (void *)task;

		r.state = (__u32)t->state;
	}
	r.exit_state = task->exit_state;
	r.nice = task->static_prio - 120;
	pf = task->flags;
	if (pf & OL_PF_KTHREAD)
		r.flags |= OL_BPF_F_KTHREAD;
	if (pf & OL_PF_EXITING)
		r.flags |= OL_BPF_F_EXITING;
	cred = task->real_cred;
	r.uid = cred->uid.val;
	r.euid = cred->euid.val;
	/* kernel_cap_t: two u32 before 6.3, one u64 since; the same 8 bytes. */
	bpf_core_read(&r.cap_eff, sizeof(r.cap_eff), &cred->cap_effective);
	sig = task->signal;
	r.oom_score_adj = sig->oom_score_adj;
	if (sig->oom_mm)
		r.flags |= OL_BPF_F_OOM_VICTIM;
	read_runtime(task, sig, &r);
	read_mm(task, &r);
	read_cgroups(task, &r);
	BPF_CORE_READ_STR_INTO(&r.comm, task, comm);
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}
