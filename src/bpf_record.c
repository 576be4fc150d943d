/*
 * bpf_record.c - one iterator record into struct proc, with the units and
 * rules of /proc, so a snapshot does not say which collector made it except
 * where it must (oom_score, see collect_bpf.c).  Nothing here trusts the
 * buffer: it is the kernel's, but through a program that may be stale.
 */
#include "config.h"

#include "bpf_record.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>

/* include/linux/sched.h: the states /proc reports, and the letters it uses. */
#define TASK_REPORT 0x7f
#define TASK_NOLOAD 0x0400
#define TASK_IDLE (0x0002 | TASK_NOLOAD)
#define TASK_RTLOCK_WAIT 0x1000
#define TASK_FROZEN 0x8000

char
bpf_rec_state_letter(uint32_t state, uint32_t exit_state)
{
	static const char letters[] = "RSDTtXZPI";
	uint32_t s = (state | exit_state) & TASK_REPORT;
	int idx = 0;

	if ((state & TASK_IDLE) == TASK_IDLE)
		s = TASK_REPORT + 1;
	if (state & (TASK_RTLOCK_WAIT | TASK_FROZEN))
		s = 0x0002;
	while (s) { /* fls() */
		idx++;
		s >>= 1;
	}
	return idx < (int)sizeof(letters) - 1 ? letters[idx] : '?';
}

/* get_mm_counter() on 6.2+ is percpu_counter_read_positive(): never below 0. */
static int64_t
positive(int64_t pages)
{
	return pages < 0 ? 0 : pages;
}

/* More pages than any machine has (4 PiB of 4 kB pages): a broken record, not a size. */
#define OL_PAGES_MAX ((int64_t)1 << 40)

/* pages in kB, or unknown (unparsable) for a count no kernel reports. */
static struct val
pages_kb(int64_t pages, int64_t kb)
{
	if (pages < 0 || pages > OL_PAGES_MAX)
		return val_unknown(OL_EPARSE);
	return val_ok(pages * kb);
}

static void
fill_sizes(const struct ol_bpf_rec *r, long page_size, struct proc *p)
{
	int64_t kb = page_size / 1024;

	if (r->flags & OL_BPF_F_KTHREAD) {
		/* No mm: /proc prints no Vm lines, and the sizes really are 0. */
		p->vm_size_kb = p->rss_kb = p->swap_kb = p->pgtables_kb = val_ok(0);
	} else if (!(r->flags & OL_BPF_F_HAS_MM)) {
		/* A zombie: its mm is gone, as in /proc/PID/status. */
		p->vm_size_kb = p->rss_kb = p->swap_kb = p->pgtables_kb = val_unknown(OL_EMISSING);
	} else {
		int64_t f = positive(r->rss[OL_BPF_RSS_FILE]), a = positive(r->rss[OL_BPF_RSS_ANON]);
		int64_t s = positive(r->rss[OL_BPF_RSS_SHMEM]);

		p->vm_size_kb = pages_kb(r->total_vm > (uint64_t)OL_PAGES_MAX ? -1 : (int64_t)r->total_vm, kb);
		p->rss_kb = f > OL_PAGES_MAX || a > OL_PAGES_MAX || s > OL_PAGES_MAX ?
				    val_unknown(OL_EPARSE) : pages_kb(f + a + s, kb);
		p->swap_kb = pages_kb(positive(r->rss[OL_BPF_RSS_SWAP]), kb);
		p->pgtables_kb = val_ok(r->pgtables_bytes < 0 ? 0 : r->pgtables_bytes / 1024);
	}
}

int
bpf_rec_decode(const void *buf, size_t len, size_t *off, long clk_tck, long page_size,
	       struct proc *p, struct bpf_rec_extra *x)
{
	struct ol_bpf_rec r;
	uint64_t ns_per_tick;

	if (*off >= len)
		return -ENODATA;
	if (len - *off < sizeof(r))
		return -EINVAL;
	memcpy(&r, (const char *)buf + *off, sizeof(r));
	if (r.magic != OL_BPF_REC_MAGIC || r.size != sizeof(r) || r.pid <= 0 || r.ppid < 0 ||
	    clk_tck <= 0 || clk_tck > 1000000000L || page_size < 1024)
		return -EINVAL;
	*off += sizeof(r);
	ns_per_tick = 1000000000ull / (uint64_t)clk_tck;

	memset(p, 0, sizeof(*p));
	p->cg = -1;
	p->pid = r.pid;
	p->ppid = r.ppid;
	p->start_ticks = r.start_ns / ns_per_tick;
	r.comm[OL_BPF_COMM_LEN - 1] = '\0';
	proc_set_comm(p, r.comm, OL_BPF_COMM_LEN); /* the kernel's 15 bytes: always inline */
	p->state = bpf_rec_state_letter(r.state, r.exit_state);
	p->nice = r.nice;
	p->cpu_ticks = r.runtime_ns / ns_per_tick;
	p->uid = val_ok(r.uid);
	p->euid = val_ok(r.euid);
	p->cap_sys_admin = val_ok((r.cap_eff >> CAP_SYS_ADMIN) & 1);
	p->cap_sys_rawio = val_ok((r.cap_eff >> CAP_SYS_RAWIO) & 1);
	p->oom_score_adj = val_ok(r.oom_score_adj);
	if (r.flags & OL_BPF_F_KTHREAD)
		p->flags |= PROC_KTHREAD;
	if (r.pid == 1)
		p->flags |= PROC_INIT;
	if (r.flags & OL_BPF_F_VFORK)
		p->flags |= PROC_VFORK;
	if (r.flags & OL_BPF_F_OOM_SKIP)
		p->flags |= PROC_OOM_SKIP;
	if (r.flags & OL_BPF_F_OOM_VICTIM)
		p->flags |= PROC_OOM_VICTIM;
	fill_sizes(&r, page_size, p);
	x->memcg_id = (r.flags & OL_BPF_F_NO_MEMCG) ? 0 : r.memcg_id;
	x->dfl_cgrp_id = r.dfl_cgrp_id;
	x->exiting = r.flags & OL_BPF_F_EXITING;
	return 0;
}

int
bpf_cmd_decode(const void *buf, size_t len, size_t *off, long clk_tck, struct bpf_cmdline *c)
{
	struct ol_bpf_cmd h;
	const char *nul;

	if (*off >= len)
		return -ENODATA;
	if (len - *off < sizeof(h))
		return -EAGAIN;
	memcpy(&h, (const char *)buf + *off, sizeof(h));
	if (h.magic != OL_BPF_CMD_MAGIC || h.len > OL_BPF_CMD_MAX || h.pid <= 0 || clk_tck <= 0 ||
	    clk_tck > 1000000000L)
		return -EINVAL;
	if (len - *off - sizeof(h) < h.len)
		return -EAGAIN;
	c->pid = h.pid;
	c->start_ticks = h.start_ns / (1000000000ull / (uint64_t)clk_tck);
	c->bytes = (const char *)buf + *off + sizeof(h);
	c->len = h.len;
	/* get_mm_proctitle(): up to and with the first NUL. */
	if ((h.flags & OL_BPF_CMD_F_TITLE) && (nul = memchr(c->bytes, '\0', c->len)))
		c->len = (size_t)(nul - c->bytes) + 1;
	*off += sizeof(h) + h.len;
	return 0;
}
