/*
 * score.c - the OOM killer's arithmetic: Linux 2.4's badness() exactly as
 * its code computed it, today's oom_badness() and /proc/PID/oom_score, and
 * the victim the kernel would choose for the host and for each cgroup with
 * a limit.  Pure functions over a snapshot; no I/O.  doc/model.md derives
 * every formula and cites the kernel code it mirrors.
 */
#include "config.h"

#include "score.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int
score_shift_hz(long hz)
{
	/* include/linux/timex.h (2.4): the log2 of HZ, rounded. */
	static const struct {
		long below;
		int shift;
	} t[] = {
		{ 24, 4 }, { 48, 5 }, { 96, 6 }, { 192, 7 }, { 384, 8 },
		{ 768, 9 }, { 1536, 10 }, { 3072, 11 }, { 6144, 12 }, { 12288, 13 },
	};

	if (hz < 12)
		return 3;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (hz < t[i].below)
			return t[i].shift;
	return 13;
}

uint64_t
score_int_sqrt24(uint64_t x)
{
	/* mm/oom_kill.c (2.4): deliberately rough, and never 0. */
	uint64_t out = x;

	while (x & ~(uint64_t)1) {
		x >>= 2;
		out >>= 1;
	}
	if (x)
		out -= out >> 2;
	return out ? out : 1;
}

struct val
score_gorman(const struct proc *p, const struct host *h, struct gorman_steps *steps)
{
	struct gorman_steps s;
	uint64_t now;

	memset(&s, 0, sizeof(s));
	if (p->flags & PROC_KTHREAD) {
		s.kthread = true;
		if (steps)
			*steps = s;
		return val_ok(0);
	}
	if (!val_is_ok(p->vm_size_kb))
		return p->vm_size_kb;
	if (!val_is_ok(p->uid) || !val_is_ok(p->euid))
		return val_unknown(p->uid.err ? p->uid.err : p->euid.err);
	if (!val_is_ok(p->cap_sys_admin))
		return p->cap_sys_admin;
	if (!val_is_ok(p->cap_sys_rawio))
		return p->cap_sys_rawio;
	if (h->uptime_ticks == 0)
		return val_unknown(OL_EMISSING);

	s.total_vm = p->vm_size_kb.v / (h->page_size / 1024);
	s.cpu_time = p->cpu_ticks >> (h->shift_hz + 3);
	now = h->uptime_ticks > p->start_ticks ? h->uptime_ticks - p->start_ticks : 0;
	s.run_time = now >> (h->shift_hz + 10);
	s.cpu_div = score_int_sqrt24(s.cpu_time);
	s.run_div = score_int_sqrt24(score_int_sqrt24(s.run_time));

	s.points = s.total_vm;
	s.points /= (int64_t)s.cpu_div;
	s.points /= (int64_t)s.run_div;
	s.niced = p->nice > 0;
	if (s.niced)
		s.points *= 2;
	s.root_or_admin = p->cap_sys_admin.v || p->uid.v == 0 || p->euid.v == 0;
	if (s.root_or_admin)
		s.points /= 4;
	s.rawio = p->cap_sys_rawio.v != 0;
	if (s.rawio)
		s.points /= 4;
	if (steps)
		*steps = s;
	return val_ok(s.points);
}

struct val
score_kernel_points(const struct proc *p, int64_t totalpages, long page_size)
{
	int64_t kb_per_page = page_size / 1024;
	int64_t points;

	/* MMF_OOM_SKIP (bpf collector only): oom_badness() gives LONG_MIN, oom_score 0. */
	if (p->flags & (PROC_KTHREAD | PROC_INIT | PROC_SKIPPED | PROC_OOM_SKIP))
		return val_unknown(OL_ENOTAPPL);
	if (!val_is_ok(p->oom_score_adj))
		return p->oom_score_adj;
	if (p->oom_score_adj.v == -1000)
		return val_unknown(OL_ENOTAPPL);
	if (!val_is_ok(p->rss_kb))
		return p->rss_kb;
	if (!val_is_ok(p->swap_kb))
		return p->swap_kb;
	if (!val_is_ok(p->pgtables_kb))
		return p->pgtables_kb;
	/* mm/oom_kill.c oom_badness(): rss + swap entries + page-table pages. */
	points = p->rss_kb.v / kb_per_page + p->swap_kb.v / kb_per_page +
		 p->pgtables_kb.v * 1024 / page_size;
	points += p->oom_score_adj.v * (totalpages / 1000);
	return val_ok(points);
}

int64_t
score_oom_score(int64_t points, int64_t totalpages, bool v59)
{
	if (totalpages <= 0)
		return 0;
	if (v59)
		return (1000 + points * 1000 / totalpages) * 2 / 3;
	/* Before 5.9: points * 1000 / totalpages with points at least 1. */
	if (points < 1)
		points = 1;
	return points * 1000 / totalpages;
}

/* A limit file the kernel does not offer here (ENOENT, or not on this version). */
static bool
no_file(struct val v)
{
	return v.state == VAL_NA || (v.state == VAL_UNKNOWN && (v.err == ENOENT || v.err == OL_EMISSING));
}

/*
 * mem_cgroup_swappiness(): a v1 cgroup's own memory.swappiness (the root's
 * file shows the global value); on v2, which has none, the global
 * vm.swappiness.  Unknown when the file could not be read (or in a replay
 * of a recording made before it was recorded):
 * then the swap counts, as with any nonzero value, the kernel's default.
 */
static struct val
cg_swappiness(const struct snapshot *s, const struct cgroup *c)
{
	if (c->version == 1)
		return c->swappiness;
	return s->host.vm_swappiness;
}

struct val
score_cgroup_totalpages(const struct snapshot *s, int cg)
{
	const struct cgroup *c = &s->cgroups[cg];
	long page = s->host.page_size;
	struct val lim = c->limit_bytes;

	if (!val_is_ok(lim))
		return lim;
	/*
	 * mem_cgroup_get_max(): the memory limit, plus the room for swap when
	 * swap is accounted (v1 memsw, v2 swap.max), bounded by the host's swap.
	 */
	int64_t pages = lim.v / page;
	/* Swappiness 0 gets no swap room (mem_cgroup_swappiness(): see cg_swappiness()). */
	struct val swappiness = cg_swappiness(s, c);

	if (val_is_ok(s->host.swap_total_kb) && s->host.swap_total_kb.v > 0 &&
	    !(val_is_ok(swappiness) && swappiness.v == 0)) {
		int64_t swap_pages = s->host.swap_total_kb.v / (page / 1024);
		int64_t room = -1;

		/*
		 * A cgroup whose swap cannot be limited (swap accounting off: no
		 * memsw files, no memory.swap.max) keeps its counter at the
		 * maximum: all of the host's swap counts.  Only a known error
		 * other than "no such file" leaves the room unknown (none added).
		 */
		if (c->version == 2) {
			if (val_is_ok(c->swap_max_bytes))
				room = c->swap_max_bytes.v / page;
			else if (c->swap_max_bytes.state == VAL_MAX || no_file(c->swap_max_bytes))
				room = swap_pages;
		} else if (val_is_ok(c->swap_limit_bytes)) {
			room = c->swap_limit_bytes.v / page - pages;
		} else if (c->swap_limit_bytes.state == VAL_MAX || no_file(c->swap_limit_bytes)) {
			room = swap_pages;
		}
		if (room > swap_pages)
			room = swap_pages;
		if (room > 0)
			pages += room;
	}
	return val_ok(pages);
}

/* Is cgroup index c inside (or equal to) ancestor a? */
static bool
cg_within(const struct snapshot *s, int c, int a)
{
	while (c >= 0) {
		if (c == a)
			return true;
		c = s->cgroups[c].parent;
	}
	return false;
}

int
score_kernel_rules(const char *release)
{
	int major, minor;

	if (!release || parse_kernel_release(release, &major, &minor) < 0)
		return SCORE_RULES_59; /* unknown: today's rules */
	if (major < 5 || (major == 5 && minor < 4))
		return SCORE_RULES_419;
	if (major == 5 && minor < 9)
		return SCORE_RULES_54;
	return SCORE_RULES_59;
}

/* Is p (points pts) a better victim than v so far, by the rules of this kernel range? */
static bool
better(const struct victim *v, const struct proc *p, int64_t pts, int rules)
{
	bool later = p->start_ticks > v->start_ticks ||
		     (p->start_ticks == v->start_ticks && p->pid > v->pid);

	if (v->pid == 0 || pts > v->points)
		return true;
	if (pts < v->points)
		return false;
	/*
	 * A tie.  The walk (for_each_process, or a memcg's css task iterator)
	 * goes roughly in creation order.  Before 5.4 oom_evaluate_task()
	 * kept the thread-group leader already chosen ("prefer thread group
	 * leaders for display purposes"): the first met; later kernels the
	 * last met.
	 */
	return rules == SCORE_RULES_419 ? !later : later;
}

static void
choose(const struct snapshot *s, int domain, int64_t totalpages, struct victim *v)
{
	int rules = score_kernel_rules(s->host.kernel_release);

	memset(v, 0, sizeof(*v));
	v->group_cgroup = -1;
	for (size_t i = 0; i < s->n_procs; i++) {
		const struct proc *p = &s->procs[i];
		struct val pts;

		if (domain >= 0 && (p->cg < 0 || !cg_within(s, p->cg, domain)))
			continue;
		pts = score_kernel_points(p, totalpages, s->host.page_size);
		if (!val_is_ok(pts))
			continue;
		/* Before 5.9 oom_badness() returned at least 1: every process at 1 or below ties. */
		if (rules != SCORE_RULES_59 && pts.v < 1)
			pts.v = 1;
		if (better(v, p, pts.v, rules)) {
			v->pid = p->pid;
			v->start_ticks = p->start_ticks;
			strncpy(v->comm, proc_comm(p), sizeof(v->comm) - 1); /* v->comm is PROC_COMM_MAX */
			v->comm[sizeof(v->comm) - 1] = '\0';
			v->points = pts.v;
		}
	}
	if (v->pid == 0)
		return;
	/*
	 * mem_cgroup_get_oom_group(): the highest ancestor of the victim's cgroup,
	 * up to the OOM domain (the root for a host-wide OOM), that has
	 * memory.oom.group set is killed whole.
	 */
	const struct proc *vp = snap_find_proc(s, v->pid);
	for (int c = vp ? vp->cg : -1; c >= 0; c = s->cgroups[c].parent) {
		if (val_is_ok(s->cgroups[c].oom_group) && s->cgroups[c].oom_group.v)
			v->group_cgroup = c;
		if (c == domain)
			break;
	}
	v->whole_group = v->group_cgroup >= 0;
}

bool
score_is_cgroup_victim(const struct snapshot *s, const struct proc *p)
{
	for (int c = p->cg; c >= 0 && (size_t)c < s->n_cgroups; c = s->cgroups[c].parent) {
		const struct victim *v = &s->cgroups[c].next_victim;

		if (s->cgroups[c].has_limit && v->pid == p->pid && v->start_ticks == p->start_ticks)
			return true;
	}
	return false;
}

/*
 * Since 6.2 the mm's RSS counters are percpu_counters: oom_badness() reads
 * their approximate sums, which may lag the true ones by the batch
 * (max(32, 2 x CPUs)) on each CPU, for each of the four counters it adds
 * (file, anon, shmem, swap entries).  In oom_score points, rounded up; 0
 * before 6.2 or when the CPU count is unknown.
 */
static int64_t
percpu_tolerance(const struct host *h)
{
	int major, minor;
	int64_t batch, pages;

	if (h->online_cpus <= 0 || parse_kernel_release(h->kernel_release, &major, &minor) < 0 ||
	    major < 6 || (major == 6 && minor < 2))
		return 0;
	batch = h->online_cpus * 2 > 32 ? h->online_cpus * 2 : 32;
	pages = 4 * batch * h->online_cpus;
	return (pages * 1000 * 2 / 3 + h->totalpages.v - 1) / h->totalpages.v;
}

/*
 * The processes oom_badness() skips although they look killable: a zombie
 * (no mm: find_lock_task_mm() fails) and, what /proc shows of it only
 * through oom_score, a vfork child sharing its parent's mm (in_vfork()) or
 * an mm the OOM reaper already took (MMF_OOM_SKIP).  On 5.9+ an oom_score
 * of 0 is unambiguous for those: a killable process scores (1000 + points x
 * 1000 / totalpages) x 2 / 3, which reaches 0 only with an adj near -1000.
 */
static void
mark_skipped(struct proc *p, const struct host *h)
{
	struct val pts;

	p->flags &= ~(unsigned)PROC_SKIPPED;
	if (p->flags & (PROC_KTHREAD | PROC_INIT))
		return;
	if (p->state == 'Z' || (p->flags & PROC_VFORK)) {
		p->flags |= PROC_SKIPPED;
		return;
	}
	if (!h->oom_score_v59 || !val_is_ok(p->oom_score) || p->oom_score.v != 0 ||
	    !val_is_ok(h->totalpages) || h->totalpages.v <= 0 || !val_is_ok(p->oom_score_adj) ||
	    p->oom_score_adj.v <= -900)
		return;
	pts = score_kernel_points(p, h->totalpages.v, h->page_size);
	if (val_is_ok(pts) && score_oom_score(pts.v, h->totalpages.v, true) >= 2)
		p->flags |= PROC_SKIPPED;
}

void
score_snapshot(struct snapshot *s)
{
	const struct host *h = &s->host;
	bool have_total = val_is_ok(h->totalpages) && h->totalpages.v > 0;
	int64_t tol = have_total ? percpu_tolerance(h) : 0;

	for (size_t i = 0; i < s->n_procs; i++) {
		struct proc *p = &s->procs[i];

		mark_skipped(p, h);
		p->badness_gorman = score_gorman(p, h, NULL);
		if (!have_total) {
			p->badness_kernel = p->oom_score_recomputed = h->totalpages;
			p->oom_score_agrees = h->totalpages;
			continue;
		}
		p->badness_kernel = score_kernel_points(p, h->totalpages.v, h->page_size);
		if (val_is_ok(p->badness_kernel))
			p->oom_score_recomputed = val_ok(
				score_oom_score(p->badness_kernel.v, h->totalpages.v, h->oom_score_v59));
		else if (p->badness_kernel.err == OL_ENOTAPPL)
			p->oom_score_recomputed = val_ok(0); /* the kernel prints 0 for the unkillable */
		else
			p->oom_score_recomputed = p->badness_kernel;
		/*
		 * The kernel's counters move between its read and ours: agree within
		 * one point (about 0.07% of totalpages), and since 6.2 within what
		 * the per-CPU counters may hide (percpu_tolerance()).
		 */
		if (val_is_ok(p->oom_score_recomputed) && val_is_ok(p->oom_score))
			p->oom_score_agrees = val_ok(llabs(p->oom_score_recomputed.v - p->oom_score.v) <=
						     1 + tol);
		else
			p->oom_score_agrees = val_unknown(OL_EMISSING);
	}

	if (have_total)
		choose(s, -1, h->totalpages.v, &s->host_victim);
	else
		memset(&s->host_victim, 0, sizeof(s->host_victim));
	for (size_t c = 0; c < s->n_cgroups; c++) {
		struct val tp;

		memset(&s->cgroups[c].next_victim, 0, sizeof(s->cgroups[c].next_victim));
		s->cgroups[c].next_victim.group_cgroup = -1;
		if (!s->cgroups[c].has_limit)
			continue;
		/* v1 oom_kill_disable=1: the kernel kills nobody, the tasks wait (under_oom). */
		if (s->cgroups[c].version == 1 && val_is_ok(s->cgroups[c].oom_kill_disable) &&
		    s->cgroups[c].oom_kill_disable.v == 1)
			continue;
		tp = score_cgroup_totalpages(s, (int)c);
		if (val_is_ok(tp) && tp.v > 0)
			choose(s, (int)c, tp.v, &s->cgroups[c].next_victim);
	}
}
