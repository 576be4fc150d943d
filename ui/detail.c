/*
 * detail.c - builds the detail pane's explanation of one process or one
 * cgroup from a snapshot (detail.h).  It recomputes nothing the core does
 * not: the steps come from score_gorman(), the points from
 * score_kernel_points() and score_oom_score(), the combinations from
 * cg_combo_name() and cg_combo_meaning().  Every string from the kernel is
 * escaped before it becomes a line.
 */
#include "config.h"

#include "detail.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "collect_bpf.h"
#include "format.h"
#include "score.h"
#include "users.h"
#include "util.h"

/* A handful of short buffers for the figures of one line. */
struct tb {
	char b[16][64];
	int i;
};

static char *
tb_next(struct tb *t)
{
	char *b = t->b[t->i];

	t->i = (t->i + 1) % 16;
	return b;
}

static const char *
kb(struct tb *t, struct val v)
{
	char *b = tb_next(t);

	fmt_val_kb(b, 64, v);
	return b;
}

static const char *
by(struct tb *t, struct val v)
{
	char *b = tb_next(t);

	fmt_val_bytes(b, 64, v);
	return b;
}

static const char *
num(struct tb *t, struct val v)
{
	char *b = tb_next(t);

	fmt_val_int(b, 64, v);
	return b;
}

/* A value with the reason it is not a number, for the lines that explain. */
static const char *
why(struct tb *t, struct val v, bool bytes)
{
	char *b = tb_next(t), f[32];

	if (bytes)
		fmt_val_bytes(f, sizeof(f), v);
	else
		fmt_val_int(f, sizeof(f), v);
	if (v.state == VAL_UNKNOWN)
		snprintf(b, 64, "%s (%s)", f, val_reason(v));
	else
		snprintf(b, 64, "%s", f);
	return b;
}

static void
dl_push(struct dlines *d, int role, char *text)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n].text = text;
	d->v[d->n].role = role;
	d->n++;
}

static void __attribute__((format(printf, 3, 4)))
dl_add(struct dlines *d, int role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dl_push(d, role, xstrdup(buf));
}

/* text (already safe) after a label, wrapped at width columns. */
static void
dl_wrap(struct dlines *d, const char *label, const char *text, int width, bool ascii)
{
	int lw = fmt_width(label), room = width - lw;
	const char *p = text;
	bool first = true;

	if (room < 10)
		room = 10;
	do {
		char piece[1024], line[1200];
		int w = fmt_fit(piece, sizeof(piece), p, room, ascii ? FIT_ASCII : 0);
		size_t n = strlen(piece);

		if (w == 0 && *p)
			n = 1; /* a character wider than the room: take it anyway */
		snprintf(line, sizeof(line), "%*s%.*s", first ? 0 : lw, first ? label : "", (int)n,
			 p);
		dl_push(d, DL_TEXT, xstrdup(line));
		p += n;
		first = false;
	} while (*p && d->n < 10000);
}

/* An explanation in our own words, wrapped at spaces to width columns and indented. */
static void
dl_note(struct dlines *d, int width, const char *text)
{
	int room = width - 4 > 20 ? width - 4 : 20;
	const char *p = text;

	while (*p) {
		size_t n = strlen(p), cut = n;

		if ((int)n > room) {
			cut = (size_t)room;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = (size_t)room;
		}
		dl_add(d, DL_NOTE, "    %.*s", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

static char *
esc(char *buf, size_t n, const char *s, bool ascii)
{
	fmt_escape(buf, n, s, ascii);
	return buf;
}

static bool
has_any_limit(const struct cgroup *c)
{
	return val_is_ok(c->limit_bytes) || val_is_ok(c->swap_limit_bytes) ||
	       val_is_ok(c->swap_max_bytes) || val_is_ok(c->reservation_bytes) ||
	       val_is_ok(c->high_bytes) || val_is_ok(c->min_bytes) ||
	       val_is_ok(c->kmem_limit_bytes);
}

/* One limit, when this cgroup version has it. */
static void
limit_line(struct dlines *d, struct tb *t, const char *name, struct val v, bool bytes)
{
	if (v.state == VAL_NA)
		return;
	dl_add(d, DL_TEXT, "      %-38s %s", name, why(t, v, bytes));
}

/* The limits of cgroup c, as Docker's flags name them (oom-model.md section 4). */
static void
cgroup_limits(struct dlines *d, const struct snapshot *s, int c)
{
	const struct cgroup *cg = &s->cgroups[c];
	struct tb t = {.i = 0};
	char pct[16], share[48];

	if (val_is_ok(cg->usage_bytes) && val_is_ok(cg->limit_bytes)) {
		fmt_percent(pct, sizeof(pct), cg->usage_bytes.v, cg->limit_bytes.v);
		snprintf(share, sizeof(share), "%s of its limit", pct);
	} else if (cg->limit_bytes.state == VAL_MAX) {
		snprintf(share, sizeof(share), "no limit of its own");
	} else {
		snprintf(share, sizeof(share), "share of the limit unknown");
	}
	dl_add(d, DL_TEXT, "      %-38s %s (%s), peak %s", "usage", by(&t, cg->usage_bytes), share,
	       by(&t, cg->peak_bytes));
	if (cg->version == 1 && cg->parent < 0)
		/* mem_cgroup_usage(): the v1 root has no page counter of its own. */
		dl_add(d, DL_NOTE,
		       "      v1's root reports only page cache + mapped anonymous memory "
		       "(no kernel memory, no unmapped anon), so a child that is charged for "
		       "those can show more usage than the root");
	if (cg->version == 1) {
		limit_line(d, &t, "memory (--memory)", cg->limit_bytes, true);
		limit_line(d, &t, "memory + swap (--memory-swap)", cg->swap_limit_bytes, true);
		limit_line(d, &t, "reservation (--memory-reservation)", cg->reservation_bytes,
			   true);
		limit_line(d, &t, "swappiness (--memory-swappiness)", cg->swappiness, false);
		limit_line(d, &t, "kernel memory (--kernel-memory)", cg->kmem_limit_bytes, true);
		limit_line(d, &t, "kernel memory in use", cg->kmem_usage_bytes, true);
		limit_line(d, &t, "oom-kill-disable (--oom-kill-disable)", cg->oom_kill_disable,
			   false);
		dl_add(d, DL_TEXT, "      %-38s %s: %s", "v1 memory / kernel-memory limits",
		       cg_combo_name(cg->combo), cg_combo_meaning(cg->combo));
	} else {
		limit_line(d, &t, "memory.max (--memory)", cg->limit_bytes, true);
		limit_line(d, &t, "memory.swap.max", cg->swap_max_bytes, true);
		limit_line(d, &t, "memory + swap (--memory-swap)", cg->swap_limit_bytes, true);
		limit_line(d, &t, "memory.low (--memory-reservation)", cg->reservation_bytes, true);
		limit_line(d, &t, "memory.high (throttles above it)", cg->high_bytes, true);
		limit_line(d, &t, "memory.min (hard protection)", cg->min_bytes, true);
		limit_line(d, &t, "memory.oom.group (kill the whole group)", cg->oom_group, false);
	}
}

/* The cgroup's potentially available memory, component by component. */
static void
cgroup_avail(struct dlines *d, const struct snapshot *s, const struct cgroup *cg, bool ascii)
{
	const struct cg_avail *a = &cg->avail;
	struct tb t = {.i = 0};
	char path[512];

	if (a->limited_by >= 0 && (size_t)a->limited_by < s->n_cgroups)
		esc(path, sizeof(path), s->cgroups[a->limited_by].path, ascii);
	else
		snprintf(path, sizeof(path), "the host (no limit above it)");
	dl_add(d, DL_TEXT,
	       "    headroom %s + inactive file %s + reclaimable slab %s + swap headroom %s",
	       by(&t, a->headroom_bytes), by(&t, a->inactive_file_bytes),
	       by(&t, a->slab_reclaimable_bytes), by(&t, a->swap_headroom_bytes));
	dl_add(d, DL_TEXT,
	       "    = %s potentially available (page cache %s in all); the limit in force: %s",
	       by(&t, a->available_bytes), by(&t, a->page_cache_bytes), path);
	/* shmem sits on the anon LRU: never in inactive file, never available. */
	dl_add(d, DL_TEXT, "    shmem/tmpfs %s of the page cache is held: not counted as available",
	       by(&t, a->shmem_bytes));
}

/* Where the process would stand in an OOM of cgroup c: points and oom_score with c's totalpages. */
static void
cgroup_domain(struct dlines *d, const struct snapshot *s, int c, const struct proc *p, bool ascii)
{
	const struct cgroup *cg = &s->cgroups[c];
	struct val tp = score_cgroup_totalpages(s, c);
	char comm[256];

	if (!val_is_ok(tp) || tp.v <= 0)
		return;
	if (p) {
		struct val pts = score_kernel_points(p, tp.v, s->host.page_size);

		if (val_is_ok(pts))
			dl_add(d, DL_TEXT,
			       "      in an OOM of this cgroup: totalpages %" PRId64
			       ", this process's points %" PRId64 ", its oom_score there %" PRId64,
			       tp.v, pts.v, score_oom_score(pts.v, tp.v, s->host.oom_score_v59));
	}
	if (cg->next_victim.pid > 0)
		dl_add(d, DL_TEXT, "      its next victim: PID %d (%s), %" PRId64 " points%s",
		       (int)cg->next_victim.pid,
		       esc(comm, sizeof(comm), cg->next_victim.comm, ascii), cg->next_victim.points,
		       cg->next_victim.whole_group ? ", the whole group (memory.oom.group)" : "");
}

static void
host_limits(struct dlines *d, const struct snapshot *s)
{
	const struct host *h = &s->host;
	struct tb t = {.i = 0};
	const char *mode = "?";

	if (val_is_ok(h->overcommit_memory))
		mode = h->overcommit_memory.v == 0   ? "heuristic"
		       : h->overcommit_memory.v == 1 ? "always"
						     : "strict: CommitLimit is enforced";
	dl_add(d, DL_TEXT, "    host: MemTotal %s, swap %s, totalpages %s (RAM + swap pages)",
	       kb(&t, h->mem_total_kb), kb(&t, h->swap_total_kb), num(&t, h->totalpages));
	dl_add(d, DL_TEXT,
	       "      MemAvailable %s; CommitLimit %s, Committed_AS %s; overcommit_memory %s (%s)",
	       kb(&t, h->mem_available_kb), kb(&t, h->commit_limit_kb), kb(&t, h->committed_as_kb),
	       num(&t, h->overcommit_memory), mode);
}

/* The kernel's formula with this process's numbers. */
static void
proc_kernel(struct dlines *d, const struct snapshot *s, const struct proc *p)
{
	const struct host *h = &s->host;
	struct tb t = {.i = 0};
	int64_t kpp = h->page_size > 0 ? h->page_size / 1024 : 4;
	struct val pts;

	dl_add(d, DL_HEAD, "The kernel's badness now (mm/oom_kill.c oom_badness(), %s formula)",
	       h->oom_score_v59 ? "Linux 5.9+" : "pre-5.9");
	if (p->flags & PROC_KTHREAD) {
		dl_add(d, DL_NOTE,
		       "    a kernel thread: the OOM killer never considers it; oom_score reads 0");
		return;
	}
	if (p->flags & PROC_INIT) {
		dl_add(d, DL_NOTE,
		       "    init (PID 1): the OOM killer never kills it; oom_score reads 0");
		return;
	}
	if (val_is_ok(p->oom_score_adj) && p->oom_score_adj.v == -1000) {
		dl_add(d, DL_NOTE, "    oom_score_adj is -1000: unkillable; oom_score reads 0");
		return;
	}
	if (!val_is_ok(h->totalpages) || h->totalpages.v <= 0) {
		dl_add(d, DL_WARN, "    totalpages is unknown (%s)", val_reason(h->totalpages));
		return;
	}
	if (val_is_ok(p->rss_kb))
		dl_add(d, DL_TEXT,
		       "      rss          %10" PRId64 " pages   (VmRSS %s / %" PRId64 "K pages)",
		       p->rss_kb.v / kpp, kb(&t, p->rss_kb), kpp);
	else
		dl_add(d, DL_WARN, "      rss          %s", why(&t, p->rss_kb, false));
	if (val_is_ok(p->swap_kb))
		dl_add(d, DL_TEXT, "    + swap         %10" PRId64 " pages   (VmSwap %s)",
		       p->swap_kb.v / kpp, kb(&t, p->swap_kb));
	else
		dl_add(d, DL_WARN, "    + swap         %s", why(&t, p->swap_kb, false));
	if (val_is_ok(p->pgtables_kb))
		dl_add(d, DL_TEXT, "    + page tables  %10" PRId64 " pages   (VmPTE %s)",
		       p->pgtables_kb.v * 1024 / h->page_size, kb(&t, p->pgtables_kb));
	else
		dl_add(d, DL_WARN, "    + page tables  %s", why(&t, p->pgtables_kb, false));
	if (val_is_ok(p->oom_score_adj))
		dl_add(d, DL_TEXT,
		       "    + oom_score_adj x (totalpages / 1000) = %" PRId64 " x %" PRId64
		       " = %" PRId64,
		       p->oom_score_adj.v, h->totalpages.v / 1000,
		       p->oom_score_adj.v * (h->totalpages.v / 1000));
	else
		dl_add(d, DL_WARN, "    + oom_score_adj %s", why(&t, p->oom_score_adj, false));
	pts = score_kernel_points(p, h->totalpages.v, h->page_size);
	if (!val_is_ok(pts)) {
		dl_add(d, DL_WARN, "    = points unknown: %s", val_reason(pts));
		return;
	}
	dl_add(d, DL_TEXT,
	       "    = points       %10" PRId64 "         (totalpages %" PRId64
	       " = RAM + swap pages)",
	       pts.v, h->totalpages.v);
	if (h->oom_score_v59)
		dl_add(
		    d, DL_TEXT,
		    "    oom_score = (1000 + points x 1000 / totalpages) x 2 / 3 = (1000 + %" PRId64
		    ") x 2 / 3 = %" PRId64,
		    pts.v * 1000 / h->totalpages.v, score_oom_score(pts.v, h->totalpages.v, true));
	else
		dl_add(d, DL_TEXT, "    oom_score = max(points, 1) x 1000 / totalpages = %" PRId64,
		       score_oom_score(pts.v, h->totalpages.v, false));
	if (val_is_ok(p->oom_score_agrees) && p->oom_score_agrees.v)
		dl_add(d, DL_NOTE,
		       "    the kernel's /proc/%d/oom_score says %s: the recomputation agrees",
		       (int)p->pid, num(&t, p->oom_score));
	else if (val_is_ok(p->oom_score_agrees))
		dl_add(d, DL_WARN,
		       "    the kernel's /proc/%d/oom_score says %s: it disagrees (memory moved "
		       "between the "
		       "reads, or the kernel counts differently)",
		       (int)p->pid, num(&t, p->oom_score));
	else if (p->flags & PROC_SCORE_COMPUTED)
		dl_add(d, DL_NOTE, "    the kernel's /proc/%d/oom_score says %s (read now)", (int)p->pid,
		       why(&t, bpf_coll_kernel_oom_score(p), false));
	else
		dl_add(d, DL_NOTE, "    the kernel's oom_score: %s", why(&t, p->oom_score, false));
}

/* Gorman's 2.4 badness, step by step, with why each step is there. */
static void
proc_gorman(struct dlines *d, const struct snapshot *s, const struct proc *p, int width)
{
	const struct host *h = &s->host;
	struct gorman_steps g;
	struct val b = score_gorman(p, h, &g);
	uint64_t run_ticks =
	    h->uptime_ticks > p->start_ticks ? h->uptime_ticks - p->start_ticks : 0;
	double hz = h->clk_tck > 0 ? (double)h->clk_tck : 100.0;
	int64_t pts;

	dl_add(d, DL_HEAD,
	       "Gorman's badness: Linux 2.4 mm/oom_kill.c badness(), as its code computed it");
	if (g.kthread) {
		dl_add(d, DL_NOTE, "    a kernel thread has no mm: badness 0, never chosen");
		return;
	}
	if (!val_is_ok(b)) {
		dl_add(d, DL_WARN, "    unknown: %s", val_reason(b));
		return;
	}
	dl_add(d, DL_TEXT,
	       "    total_vm = %" PRId64 " pages (VmSize / page size): the starting points",
	       g.total_vm);
	dl_add(d, DL_TEXT,
	       "    cpu_time = (utime + stime) >> (SHIFT_HZ + 3) = %" PRIu64
	       " ticks >> %d = %" PRIu64 "   (units of %.2f s of CPU)",
	       p->cpu_ticks, h->shift_hz + 3, g.cpu_time, (double)(1ull << (h->shift_hz + 3)) / hz);
	dl_add(d, DL_TEXT,
	       "    run_time = (now - start) >> (SHIFT_HZ + 10) = %" PRIu64
	       " ticks >> %d = %" PRIu64 "   (units of %.1f min since start)",
	       run_ticks, h->shift_hz + 10, g.run_time,
	       (double)(1ull << (h->shift_hz + 10)) / hz / 60.0);
	pts = g.total_vm / (int64_t)(g.cpu_div ? g.cpu_div : 1);
	dl_add(d, DL_TEXT,
	       "    points /= int_sqrt(cpu_time) = %" PRIu64 "  -> %" PRId64
	       "   (much CPU time: worked long, less likely the culprit)",
	       g.cpu_div, pts);
	pts /= (int64_t)(g.run_div ? g.run_div : 1);
	dl_add(d, DL_TEXT,
	       "    points /= int_sqrt(int_sqrt(run_time)) = %" PRIu64 "  -> %" PRId64
	       "   (long running: likely important)",
	       g.run_div, pts);
	dl_add(d, DL_NOTE,
	       "      2.4's int_sqrt is rough and never returns 0, so no CPU or run time divides "
	       "by 1");
	if (g.niced) {
		pts *= 2;
		dl_add(d, DL_TEXT,
		       "    nice %d > 0: points x 2 -> %" PRId64
		       "   (a niced process matters less)",
		       p->nice, pts);
	} else {
		dl_add(d, DL_TEXT, "    nice %d: not doubled (only nice > 0 doubles)", p->nice);
	}
	if (g.root_or_admin) {
		pts /= 4;
		dl_add(d, DL_TEXT,
		       "    uid 0, euid 0 or CAP_SYS_ADMIN: points / 4 -> %" PRId64
		       "   (root processes are trusted)",
		       pts);
	} else {
		dl_add(d, DL_TEXT, "    not root and no CAP_SYS_ADMIN: not divided");
	}
	if (g.rawio) {
		pts /= 4;
		dl_add(d, DL_TEXT,
		       "    CAP_SYS_RAWIO: points / 4 -> %" PRId64
		       "   (killing a process with raw hardware access is risky)",
		       pts);
	} else {
		dl_add(d, DL_TEXT, "    no CAP_SYS_RAWIO: not divided");
	}
	dl_add(d, DL_TEXT, "    = badness %" PRId64, g.points);
	dl_note(
	    d, width,
	    "The book writes total_vm / (sqrt(cpu seconds) x sqrt(sqrt(cpu minutes))); the code "
	    "took the second root of the run time since start, in shifted ticks, not of CPU "
	    "minutes.");
}

static void
proc_detail(const struct snapshot *s, const struct proc *p, int width, bool ascii, struct dlines *d)
{
	char comm[256], cmd[4096], cgp[1024], label[32];
	struct tb t = {.i = 0};
	bool victim = s->host_victim.pid == p->pid && s->host_victim.start_ticks == p->start_ticks;

	dl_add(d, DL_HEAD, "Process %d  %s", (int)p->pid, esc(comm, sizeof(comm), proc_comm(p), ascii));
	if (victim)
		dl_add(d, DL_WARN,
		       "    The host's OOM killer would pick this process now (%" PRId64
		       " points).",
		       s->host_victim.points);
	if (p->cmdline) {
		esc(cmd, sizeof(cmd), p->cmdline, ascii);
		snprintf(label, sizeof(label), "    %-14s ", "command line");
		dl_wrap(d, label, cmd, width, ascii);
	} else {
		dl_add(d, DL_TEXT, "    %-14s %s (%s)", "command line", FMT_UNKNOWN,
		       p->cmdline_err ? strerror(p->cmdline_err) : "empty");
	}
	dl_add(d, DL_TEXT, "    %-14s %s (uid %s, euid %s)   ppid %d   state %c   nice %d", "user",
	       esc(cmd, sizeof(cmd), user_name(p->uid), ascii), num(&t, p->uid), num(&t, p->euid),
	       (int)p->ppid, p->state ? p->state : '?', p->nice);
	dl_add(d, DL_TEXT, "    %-14s VmSize %s   RSS %s   swap %s   page tables %s", "memory",
	       kb(&t, p->vm_size_kb), kb(&t, p->rss_kb), kb(&t, p->swap_kb),
	       kb(&t, p->pgtables_kb));
	dl_add(d, DL_TEXT, "    %-14s CAP_SYS_ADMIN %s   CAP_SYS_RAWIO %s", "capabilities",
	       val_is_ok(p->cap_sys_admin) ? (p->cap_sys_admin.v ? "yes" : "no") : FMT_UNKNOWN,
	       val_is_ok(p->cap_sys_rawio) ? (p->cap_sys_rawio.v ? "yes" : "no") : FMT_UNKNOWN);
	if (p->flags & PROC_SCORE_COMPUTED) {
		/* bpf collector: what the kernel says, read now, next to the counters' score. */
		struct val ks = bpf_coll_kernel_oom_score(p);

		dl_add(d, DL_TEXT, "    %-14s oom_score %s (read now)   oom_score_adj %s   from the counters %s",
		       "kernel", why(&t, ks, false), why(&t, p->oom_score_adj, false),
		       num(&t, p->oom_score_recomputed));
	} else {
		dl_add(d, DL_TEXT, "    %-14s oom_score %s   oom_score_adj %s   recomputed %s", "kernel",
		       why(&t, p->oom_score, false), why(&t, p->oom_score_adj, false),
		       num(&t, p->oom_score_recomputed));
	}
	dl_add(d, DL_TEXT, "    %-14s %s oom_badness() points (pages, not the 0-1000 oom_score)",
	       "KBAD", num(&t, p->badness_kernel));
	if (p->flags & PROC_CACHED)
		dl_add(
		    d, DL_NOTE,
		    "    %-14s status (user, RES, swap, page tables), oom_score, oom_score_adj, "
		    "cgroup and command line are from an earlier refresh, read again at once "
		    "when stat shows another RSS or state; VIRT and CPU are from this one",
		    "cached");
	if (p->cgroup)
		dl_add(d, DL_TEXT, "    %-14s %s", "cgroup",
		       esc(cgp, sizeof(cgp), p->cgroup, ascii));
	else
		dl_add(d, DL_TEXT, "    %-14s %s (%s)", "cgroup", FMT_UNKNOWN,
		       p->cgroup_err ? strerror(p->cgroup_err) : "none");
	dl_add(d, DL_TEXT, "%s", "");
	proc_kernel(d, s, p);
	dl_add(d, DL_TEXT, "%s", "");
	proc_gorman(d, s, p, width);
	dl_add(d, DL_TEXT, "%s", "");

	dl_add(d, DL_HEAD, "Limits that apply");
	for (int c = p->cg; c >= 0 && (size_t)c < s->n_cgroups; c = s->cgroups[c].parent) {
		const struct cgroup *cg = &s->cgroups[c];

		if (c != p->cg && !has_any_limit(cg))
			continue;
		dl_add(d, DL_TEXT, "    %s (%s, cgroup v%d)",
		       esc(cgp, sizeof(cgp), cg->path, ascii),
		       c == p->cg ? "its cgroup" : "an ancestor with limits", cg->version);
		cgroup_limits(d, s, c);
		cgroup_domain(d, s, c, p, ascii);
	}
	if (p->cg < 0)
		dl_add(d, DL_NOTE, "    its cgroup is not in the snapshot (%s)",
		       s->cg_mount ? "it vanished or is outside the memory hierarchy"
				   : "no memory controller found");
	host_limits(d, s);
	if (p->cg >= 0 && (size_t)p->cg < s->n_cgroups) {
		dl_add(d, DL_TEXT, "%s", "");
		dl_add(d, DL_HEAD, "Room left for its container");
		cgroup_avail(d, s, &s->cgroups[p->cg], ascii);
	}
}

static void
cgroup_detail(const struct snapshot *s, int c, bool ascii, struct dlines *d)
{
	const struct cgroup *cg = &s->cgroups[c];
	struct tb t = {.i = 0};
	char path[1024];

	dl_add(d, DL_HEAD, "Cgroup %s  (memory controller, cgroup v%d)",
	       esc(path, sizeof(path), cg->path, ascii), cg->version);
	dl_add(d, DL_TEXT, "    %d processes in it (not counting its children)", cg->nr_processes);
	dl_add(d, DL_TEXT, "%s", "");
	dl_add(d, DL_HEAD, "Limits");
	cgroup_limits(d, s, c);
	cgroup_domain(d, s, c, NULL, ascii);
	for (int a = cg->parent; a >= 0 && (size_t)a < s->n_cgroups; a = s->cgroups[a].parent) {
		if (!has_any_limit(&s->cgroups[a]))
			continue;
		dl_add(d, DL_TEXT, "    above it: %s",
		       esc(path, sizeof(path), s->cgroups[a].path, ascii));
		cgroup_limits(d, s, a);
	}
	dl_add(d, DL_TEXT, "%s", "");
	dl_add(d, DL_HEAD, "Potentially available memory");
	cgroup_avail(d, s, cg, ascii);
	if (cg->trend.steady) {
		char rate[32], eta[16];

		fmt_size_prec(rate, sizeof(rate), (int64_t)cg->trend.growth_bytes_per_s);
		if (val_is_ok(cg->trend.seconds_to_limit))
			fmt_duration(eta, sizeof(eta), (double)cg->trend.seconds_to_limit.v);
		else
			snprintf(eta, sizeof(eta), "%s", FMT_UNKNOWN);
		dl_add(d, DL_TEXT,
		       "    growing %s/s over %.0f s (%d samples%s): the limit is reached in %s%s",
		       rate, cg->trend.window_s, cg->trend.samples,
		       cg->trend.fast ? ", a fast leak: the last two only" : "",
		       cg->trend.fast ? "~" : "", eta);
	} else {
		dl_add(d, DL_NOTE, "    no steady growth: no time to the limit is estimated");
	}
	dl_add(d, DL_TEXT, "%s", "");
	dl_add(d, DL_HEAD, "memory.stat");
	dl_add(d, DL_TEXT,
	       "    anon %s   file %s   inactive file %s   active file %s   reclaimable slab %s",
	       by(&t, cg->stat_anon), by(&t, cg->stat_file), by(&t, cg->stat_inactive_file),
	       by(&t, cg->stat_active_file), by(&t, cg->stat_slab_reclaimable));
	dl_add(d, DL_TEXT, "    swap in use %s", by(&t, cg->swap_usage_bytes));
	dl_add(d, DL_TEXT, "%s", "");
	dl_add(d, DL_HEAD, "OOM counters");
	if (cg->version == 1)
		dl_add(d, DL_TEXT,
		       "    oom_kill %s   under_oom %s   failcnt %s (times usage hit the limit)",
		       num(&t, cg->ev_oom_kill), num(&t, cg->under_oom), num(&t, cg->failcnt));
	else
		dl_add(d, DL_TEXT, "    memory.events: oom %s   oom_kill %s   high %s   max %s",
		       num(&t, cg->ev_oom), num(&t, cg->ev_oom_kill), num(&t, cg->ev_high),
		       num(&t, cg->ev_max));
	if (cg->psi.present) {
		char v[6][16];

		fmt_psi(v[0], 16, cg->psi.some.avg10);
		fmt_psi(v[1], 16, cg->psi.some.avg60);
		fmt_psi(v[2], 16, cg->psi.some.avg300);
		fmt_psi(v[3], 16, cg->psi.full.avg10);
		fmt_psi(v[4], 16, cg->psi.full.avg60);
		fmt_psi(v[5], 16, cg->psi.full.avg300);
		dl_add(
		    d, DL_TEXT,
		    "    memory.pressure: some %s %s %s   full %s %s %s (avg10 avg60 avg300, %%)",
		    v[0], v[1], v[2], v[3], v[4], v[5]);
	} else {
		dl_add(d, DL_NOTE, "    no memory.pressure here (cgroup v1 has none)");
	}
}

void
detail_build(const struct snapshot *s, const struct ident *id, int width, bool ascii,
	     struct dlines *out)
{
	dlines_free(out);
	if (!s) {
		dl_add(out, DL_NOTE, "No snapshot yet.");
		return;
	}
	if (id->kind == ROW_PROC) {
		for (size_t i = 0; i < s->n_procs; i++) {
			const struct proc *p = &s->procs[i];

			if (p->pid == id->pid && p->start_ticks == id->start_ticks) {
				proc_detail(s, p, width, ascii, out);
				return;
			}
		}
		dl_add(out, DL_WARN, "Process %d has exited: it is not in the latest snapshot.",
		       (int)id->pid);
		return;
	}
	if (id->kind == ROW_CGROUP && id->path) {
		int c = snap_find_cgroup(s, id->path);
		char path[1024];

		if (c >= 0) {
			cgroup_detail(s, c, ascii, out);
			return;
		}
		dl_add(out, DL_WARN, "Cgroup %s is gone: it is not in the latest snapshot.",
		       esc(path, sizeof(path), id->path, ascii));
		return;
	}
	dl_add(out, DL_NOTE, "Nothing selected.");
}

void
dlines_free(struct dlines *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	memset(d, 0, sizeof(*d));
}
