/*
 * screen_header.c - the header: the host's 2.4 availability components as
 * one stacked meter with their sum less Shmem (tmpfs is never available)
 * and MemAvailable marked on it, the commit headroom (mode 2 only) and
 * the overcommit mode, PSI with a sparkline of avg10, the host's oom_kill
 * count (highlighted for a while after it went up), the next victim and,
 * while MemAvailable falls steadily, the time until it is gone.
 * On short terminals it shrinks to two lines, then one, then none.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "format.h"
#include "screens.h"
#include "theme.h"

int
header_lines(int screen_lines)
{
	if (screen_lines >= 20)
		return 7;
	if (screen_lines >= 12)
		return 2;
	if (screen_lines >= 7)
		return 1;
	return 0;
}

/* The first line: name, time, counts, delay, pause; oom_kill at the right. */
static void
title_line(const struct ui *ui, int y, bool compact)
{
	const struct snapshot *s = ui->snap;
	char left[256], right[96], mem[32];
	int x, rw, room;
	bool hot = ui->oom_changed_at >= 0 && ui->now - ui->oom_changed_at < UI_OOM_HIGHLIGHT;

	draw_fill(y, 0, COLS, A_NORMAL);
	if (!s) {
		draw_text(y, 0, COLS, "oomlens: collecting...", theme_attr(TH_TITLE), 0);
		return;
	}
	if (compact) {
		fmt_val_kb(mem, sizeof(mem), s->host.mem_available_kb);
		snprintf(left, sizeof(left), "oomlens  %sMemAvail %s%s",
			 ui->replay ? "REPLAY " : "", mem, ui->paused ? "  PAUSED" : "");
	} else if (ui->replay) {
		struct tm tm;
		char when[32] = "";

		if (localtime_r(&s->wall.tv_sec, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(left, sizeof(left), "oomlens  REPLAY %s  %zu/%zu  %zu processes", when,
			 ui->rp_pos + 1, ui->rp_count, s->n_procs);
	} else {
		struct tm tm;
		char when[16] = "";

		if (localtime_r(&s->wall.tv_sec, &tm))
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
		/* Which collector, and why not bpf when it could not be used (doc/oomlens.1). */
		snprintf(left, sizeof(left), "oomlens  %s  %zu processes  delay %.1fs  collector %s%s%s%s%s",
			 when, s->n_procs, ui->delay, s->collector == COLLECTOR_BPF ? "bpf" : "proc",
			 s->collector_why[0] ? " (" : "", s->collector_why,
			 s->collector_why[0] ? ")" : "", ui->paused ? "  PAUSED" : "");
	}
	if (val_is_ok(s->host.oom_kill) && hot)
		snprintf(right, sizeof(right), "oom_kill %" PRId64 " (+%" PRId64 ")",
			 s->host.oom_kill.v, ui->oom_delta);
	else if (val_is_ok(s->host.oom_kill))
		snprintf(right, sizeof(right), "oom_kill %" PRId64, s->host.oom_kill.v);
	else
		snprintf(right, sizeof(right), "oom_kill %s", FMT_UNKNOWN);

	/* oom_kill keeps its place at the right; the rest gives way on narrow screens. */
	rw = fmt_width(right);
	if (rw + 12 > COLS)
		rw = 0;
	else
		draw_text(y, COLS - rw, rw, right, theme_attr(hot ? TH_ALERT : TH_VALUE), 0);
	room = COLS - (rw ? rw + 1 : 0);
	x = draw_text(y, 0, room, left, theme_attr(TH_TITLE), FIT_ELLIPSIS);
	if (ui->collect_err && x + 2 < room) {
		char err[128];

		snprintf(err, sizeof(err), "  collection failed: %s", strerror(-ui->collect_err));
		draw_text(y, x, room - x, err, theme_attr(TH_ALERT), FIT_ELLIPSIS);
	}
}

/* The six components of 2.4's vm_enough_memory(), in the meter's order, in kB. */
static void
host_parts(const struct host *h, struct val parts[6])
{
	parts[0] = h->mem_free_kb;
	parts[1] = h->page_cache_kb;
	parts[2] = h->swap_cache_kb;
	parts[3] = h->swap_free_kb;
	parts[4] = h->dentry_cache_kb;
	parts[5] = h->inode_cache_kb;
}

static const char *const part_names[6] = {"free",     "cache",	"swapcache",
					  "freeswap", "dentry", "inode"};

/*
 * The meter's seven parts in kB: the six 2.4 components, the cache without
 * Shmem (2.4 counted tmpfs as cache, but it can never be dropped), and
 * Shmem last, drawn as held rather than available.
 */
static void
meter_parts(const struct host *h, int64_t kbs[7])
{
	struct val parts[6];
	int64_t shm = val_is_ok(h->shmem_kb) ? h->shmem_kb.v : 0;

	host_parts(h, parts);
	for (int i = 0; i < 6; i++)
		kbs[i] = val_is_ok(parts[i]) ? parts[i].v : 0;
	if (shm > kbs[1])
		shm = kbs[1];
	kbs[1] -= shm;
	kbs[6] = shm;
}

/* One run of a meter: n copies of c. */
static int
meter_run(int y, int x, int n, char c, attr_t a)
{
	char seg[512];

	if (n > (int)sizeof(seg) - 1)
		n = (int)sizeof(seg) - 1;
	if (n <= 0)
		return 0;
	memset(seg, c, (size_t)n);
	seg[n] = '\0';
	return draw_text(y, x, n, seg, a, 0);
}

/*
 * "2.4 avail [####===~~xxx.....|....] 21.34G of 24.00G": the figure is the
 * 2.4 sum less Shmem (x: held by tmpfs, not available); '|' marks
 * MemAvailable on the same scale.
 */
static void
meter_line(const struct ui *ui, int y)
{
	const struct host *h = &ui->snap->host;
	int64_t kbs[7], total = 0;
	int lens[7], x, w, mx;
	char sum[32], scale[32], tail[96];
	struct val shown = val_is_ok(h->avail_now_kb) ? h->avail_now_kb : h->vm_enough_kb;

	meter_parts(h, kbs);
	if (val_is_ok(h->mem_total_kb))
		total = h->mem_total_kb.v;
	if (val_is_ok(h->swap_total_kb))
		total += h->swap_total_kb.v;
	if (val_is_ok(h->vm_enough_kb) && h->vm_enough_kb.v > total)
		total = h->vm_enough_kb.v;
	if (val_is_ok(shown))
		fmt_size_prec(sum, sizeof(sum), shown.v * 1024);
	else
		snprintf(sum, sizeof(sum), "%s", FMT_UNKNOWN);
	fmt_size_prec(scale, sizeof(scale), total * 1024);
	snprintf(tail, sizeof(tail), "] %s of %s%s", sum, scale,
		 val_is_ok(h->avail_now_kb) ? "" : " (Shmem unknown)");

	x = draw_text(y, 0, COLS, "2.4 avail [", theme_attr(TH_LABEL), 0);
	w = COLS - x - fmt_width(tail);
	if (w < 4) {
		draw_text(y, 0, COLS, "2.4 avail", theme_attr(TH_LABEL), 0);
		draw_text(y, 10, COLS - 10, sum, theme_attr(TH_VALUE), 0);
		return;
	}
	mx = x;
	fmt_meter_split(w, kbs, 7, total, lens);
	for (int i = 0; i < 6; i++)
		x += meter_run(y, x, lens[i], theme_meter_char(i),
			       theme_attr((enum theme_role)(TH_METER_0 + i)));
	x += meter_run(y, x, lens[6], 'x', theme_attr(TH_WARN));
	x += meter_run(y, x, w - (x - mx), '.', theme_attr(TH_METER_REST));
	if (val_is_ok(h->mem_available_kb) && total > 0) {
		int at = (int)((double)h->mem_available_kb.v * w / (double)total + 0.5);

		if (at >= w)
			at = w - 1;
		draw_text(y, mx + (at < 0 ? 0 : at), 1, "|", theme_attr(TH_LABEL), 0);
	}
	draw_text(y, x, COLS - x, tail, theme_attr(TH_VALUE), 0);
}

/* The legend of the meter: each component with its figure. */
static void
legend_line(const struct ui *ui, int y)
{
	struct val parts[6];
	int x = 0;

	host_parts(&ui->snap->host, parts);
	for (int i = 0; i < 6 && x < COLS; i++) {
		char item[64], v[32];

		fmt_val_kb(v, sizeof(v), parts[i]);
		snprintf(item, sizeof(item), "%c%s ", theme_meter_char(i), part_names[i]);
		x += draw_text(y, x, COLS - x, item, theme_attr((enum theme_role)(TH_METER_0 + i)),
			       0);
		snprintf(item, sizeof(item), "%s  ", v);
		x += draw_text(y, x, COLS - x, item,
			       theme_attr(val_is_ok(parts[i]) ? TH_VALUE : TH_UNKNOWN), 0);
	}
	if (x < COLS) {
		char item[64], v[32];

		fmt_val_kb(v, sizeof(v), ui->snap->host.shmem_kb);
		snprintf(item, sizeof(item), "xShmem %s (in cache, held)  ", v);
		x += draw_text(y, x, COLS - x, item, theme_attr(TH_WARN), 0);
		x += draw_text(y, x, COLS - x, "|MemAvailable  ", theme_attr(TH_LABEL), 0);
	}
	if (ui->snap->host.dentry_size_guessed || ui->snap->host.inode_size_guessed)
		draw_text(y, x, COLS - x, "(slab object sizes guessed)", theme_attr(TH_UNKNOWN), 0);
}

/* "MemAvailable 20.14G   CommitLimit not enforced   overcommit 0 (heuristic)"; in mode 2
 * "commit headroom 5.20G (CommitLimit - Committed_AS, enforced)" instead. */
static void
avail_line(const struct ui *ui, int y)
{
	const struct host *h = &ui->snap->host;
	char ma[32], ch[32], line[256];
	const char *mode = "";
	int x;

	if (val_is_ok(h->mem_available_kb))
		fmt_size_prec(ma, sizeof(ma), h->mem_available_kb.v * 1024);
	else
		snprintf(ma, sizeof(ma), "%s", FMT_UNKNOWN);
	if (val_is_ok(h->commit_limit_kb) && val_is_ok(h->committed_as_kb))
		fmt_size_prec(ch, sizeof(ch), (h->commit_limit_kb.v - h->committed_as_kb.v) * 1024);
	else
		snprintf(ch, sizeof(ch), "%s", FMT_UNKNOWN);
	if (val_is_ok(h->overcommit_memory))
		mode = h->overcommit_memory.v == 0   ? " (heuristic)"
		       : h->overcommit_memory.v == 1 ? " (always)"
						     : " (strict)";

	x = draw_text(y, 0, COLS, "MemAvailable ", theme_attr(TH_LABEL), 0);
	x += draw_text(y, x, COLS - x, ma, theme_attr(TH_VALUE), 0);
	/* CommitLimit is a limit only in mode 2: elsewhere the headroom promises nothing. */
	if (val_is_ok(h->overcommit_memory) && h->overcommit_memory.v == 2) {
		x += draw_text(y, x, COLS - x, "   commit headroom ", theme_attr(TH_LABEL), 0);
		x += draw_text(y, x, COLS - x, ch,
			       theme_attr(ch[0] == '-' && ch[1] ? TH_WARN : TH_VALUE), 0);
		x += draw_text(y, x, COLS - x, " (CommitLimit - Committed_AS, enforced)   overcommit ",
			       theme_attr(TH_LABEL), 0);
	} else {
		x += draw_text(y, x, COLS - x, "   CommitLimit not enforced   overcommit ",
			       theme_attr(TH_LABEL), 0);
	}
	if (val_is_ok(h->overcommit_memory))
		snprintf(line, sizeof(line), "%" PRId64 "%s", h->overcommit_memory.v, mode);
	else
		snprintf(line, sizeof(line), "%s", FMT_UNKNOWN);
	draw_text(y, x, COLS - x, line, theme_attr(TH_VALUE), 0);
}

/* The sparkline of the last samples that fit in w columns. */
static void
spark(const struct ui *ui, int y, int x, int w)
{
	char buf[UI_PSI_HISTORY * 4 + 8];
	size_t n = ui->psi_n, from;
	int64_t max = 100; /* 1.00%: below it the line stays low */

	if (w <= 0 || n == 0)
		return;
	if ((size_t)w < n)
		n = (size_t)w;
	from = ui->psi_n - n;
	for (size_t i = from; i < ui->psi_n; i++)
		if (ui->psi_hist[i] > max)
			max = ui->psi_hist[i];
	fmt_spark(buf, sizeof(buf), ui->psi_hist + from, n, max, ui->ascii);
	draw_text(y, x, w, buf, theme_attr(TH_SPARK), 0);
}

/* "PSI some 0.12 0.05 0.01  full 0.00 0.00 0.00  avg10 ▁▁▂▃" */
static void
psi_line(const struct ui *ui, int y, bool compact)
{
	const struct psi *p = &ui->snap->host.psi;
	char v[6][16], line[160];
	int x;

	if (!p->present) {
		snprintf(line, sizeof(line), "PSI: none on this kernel (%s)",
			 p->err ? strerror(p->err) : "no /proc/pressure/memory");
		draw_text(y, 0, COLS, line, theme_attr(TH_UNKNOWN), 0);
		return;
	}
	fmt_psi(v[0], 16, p->some.avg10);
	fmt_psi(v[1], 16, p->some.avg60);
	fmt_psi(v[2], 16, p->some.avg300);
	fmt_psi(v[3], 16, p->full.avg10);
	fmt_psi(v[4], 16, p->full.avg60);
	fmt_psi(v[5], 16, p->full.avg300);
	if (compact)
		snprintf(line, sizeof(line), "  PSI some %s full %s ", v[0], v[3]);
	else
		snprintf(line, sizeof(line), "%s %s %s  full %s %s %s  ", v[0], v[1], v[2], v[3],
			 v[4], v[5]);
	x = compact ? 0 : draw_text(y, 0, COLS, "PSI some ", theme_attr(TH_LABEL), 0);
	if (compact) {
		char ma[32], ch[32], head[96];
		const struct host *h = &ui->snap->host;

		fmt_val_kb(ma, sizeof(ma), h->mem_available_kb);
		if (val_is_ok(h->commit_limit_kb) && val_is_ok(h->committed_as_kb))
			fmt_size(ch, sizeof(ch),
				 (h->commit_limit_kb.v - h->committed_as_kb.v) * 1024);
		else
			snprintf(ch, sizeof(ch), "%s", FMT_UNKNOWN);
		if (val_is_ok(h->overcommit_memory) && h->overcommit_memory.v == 2)
			snprintf(head, sizeof(head), "MemAvail %s  commit %s", ma, ch);
		else
			snprintf(head, sizeof(head), "MemAvail %s  commit unenforced", ma);
		x = draw_text(y, 0, COLS, head, theme_attr(TH_VALUE), 0);
	}
	x += draw_text(y, x, COLS - x, line, theme_attr(TH_VALUE), 0);
	if (!compact)
		x += draw_text(y, x, COLS - x, "avg10 ", theme_attr(TH_LABEL), 0);
	spark(ui, y, x, COLS - x);
}

/* The next victim of the host's OOM killer and the state of collection. */
static void
victim_line(const struct ui *ui, int y)
{
	const struct snapshot *s = ui->snap;
	char comm[128], line[512];
	int x;

	if (s->host_victim.pid > 0) {
		fmt_escape(comm, sizeof(comm), s->host_victim.comm, ui->ascii);
		/* KBAD: pages, not the 0-1000 oom_score (h explains). */
		snprintf(line, sizeof(line), "PID %d %s, KBAD %" PRId64 " oom_badness() points",
			 (int)s->host_victim.pid, comm, s->host_victim.points);
	} else {
		snprintf(line, sizeof(line), "none known");
	}
	x = draw_text(y, 0, COLS, "next host victim ", theme_attr(TH_LABEL), 0);
	x += draw_text(y, x, COLS - x, line, theme_attr(TH_VICTIM), 0);
	/* Sysctls under which the scan's choice is not what happens (doc/scoring.md 6). */
	if (val_is_ok(s->host.panic_on_oom) && s->host.panic_on_oom.v > 0)
		x += draw_text(y, x, COLS - x,
			       s->host.panic_on_oom.v == 2 ? "  (vm.panic_on_oom=2: any OOM panics the host)"
							   : "  (vm.panic_on_oom=1: a host-wide OOM panics)",
			       theme_attr(TH_ALERT), 0);
	else if (val_is_ok(s->host.oom_kill_allocating_task) && s->host.oom_kill_allocating_task.v)
		x += draw_text(y, x, COLS - x,
			       "  (vm.oom_kill_allocating_task: the allocating task dies instead)",
			       theme_attr(TH_WARN), 0);
	if (s->host_trend.steady && val_is_ok(s->host_trend.seconds_to_limit)) {
		char eta[16];

		fmt_duration(eta, sizeof(eta), (double)s->host_trend.seconds_to_limit.v);
		/* '~': from the last two samples only, a fast fall (trend.h). */
		snprintf(line, sizeof(line), "   MemAvailable gone in %s%s",
			 s->host_trend.fast ? "~" : "", eta);
		x += draw_text(y, x, COLS - x, line, theme_attr(TH_WARN), 0);
	}
	if (s->cgroup_version && s->cg_mount) {
		char mnt[256];

		fmt_escape(mnt, sizeof(mnt), s->cg_mount, ui->ascii);
		snprintf(line, sizeof(line), "   memory cgroup v%d at %s", s->cgroup_version, mnt);
	} else {
		snprintf(line, sizeof(line), "   no memory cgroup controller (%s)",
			 s->cg_err ? strerror(s->cg_err) : "none mounted");
	}
	x += draw_text(y, x, COLS - x, line, theme_attr(TH_LABEL), 0);
	if (s->vanished || s->read_errors) {
		snprintf(line, sizeof(line), "   %u vanished, %u read errors", s->vanished,
			 s->read_errors);
		draw_text(y, x, COLS - x, line, theme_attr(TH_UNKNOWN), 0);
	}
}

void
screen_header(const struct ui *ui, int n)
{
	if (n <= 0)
		return;
	title_line(ui, 0, n == 1);
	if (!ui->snap)
		return;
	if (n == 2) {
		psi_line(ui, 1, true);
		return;
	}
	if (n < 7)
		return;
	meter_line(ui, 1);
	legend_line(ui, 2);
	avail_line(ui, 3);
	psi_line(ui, 4, false);
	victim_line(ui, 5);
	screen_fullest(ui, 6);
}
