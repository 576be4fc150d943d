/*
 * screen_events.c - the event panel (key e): every OOM kill the snapshot's
 * event log holds, newest first, with why the kernel log could not be read
 * when it could not; and the fits panel (key f): the four answers of
 * fits_evaluate() side by side with the verdict, and the sizing advice for
 * the chosen cgroup.  Both are rebuilt from each new snapshot, so a new
 * kill shows within one refresh.  They only draw.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "container.h"
#include "detail.h"
#include "draw.h"
#include "events_out.h"
#include "fits.h"
#include "format.h"
#include "screens.h"
#include "util.h"

static void
push(struct dlines *d, int role, const char *text)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n].text = xstrdup(text);
	d->v[d->n].role = role;
	d->n++;
}

/* Append safe text fitted to w columns (padded) and a blank to line. */
static void
cell(char *line, size_t linesz, const char *text, int w, bool right, bool ascii)
{
	char buf[1024];
	size_t n = strlen(line);

	fmt_fit(buf, sizeof(buf), text, w,
		FIT_PAD | FIT_ELLIPSIS | (right ? FIT_RIGHT : 0) | (ascii ? FIT_ASCII : 0));
	snprintf(line + n, linesz - n, "%s ", buf);
}

/* The columns of the event table; the cgroup column takes what is left. */
enum {
	EW_TIME = 19,
	EW_PID = 7,
	EW_COMM = 15,
	EW_CONS = 26,
	EW_RSS = 6,
	EW_ADJ = 5,
	EW_WHERE = 48
};

static int
cgroup_width(int width)
{
	int w = width - (EW_TIME + EW_PID + EW_COMM + EW_CONS + EW_RSS + EW_ADJ + 12 + 8);

	return w < 12 ? 12 : w > EW_WHERE ? EW_WHERE : w;
}

/* Where the victim was: its container's name and its cgroup, short. */
static void
event_where(char *out, size_t outsz, const struct oom_event *e)
{
	char cg[256];

	fmt_cgroup_short(cg, sizeof(cg), e->cgroup);
	if (e->container.runtime != CT_NONE && e->container.runtime != CT_SYSTEMD &&
	    strcmp(container_label(&e->container), cg) != 0)
		snprintf(out, outsz, "%s (%s)", container_label(&e->container), cg);
	else
		snprintf(out, outsz, "%s", e->cgroup ? cg : "?");
}

static void
event_line(const struct oom_event *e, int width, bool ascii, struct dlines *d)
{
	char line[2048] = "", t[32] = "?", b[512], safe[512];
	struct tm tm;

	if (localtime_r(&e->time.tv_sec, &tm))
		strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
	cell(line, sizeof(line), t, EW_TIME, false, ascii);
	if (e->pid > 0)
		snprintf(b, sizeof(b), "%d", (int)e->pid);
	else
		snprintf(b, sizeof(b), "%s", FMT_UNKNOWN);
	cell(line, sizeof(line), b, EW_PID, true, ascii);
	fmt_escape(safe, sizeof(safe), e->comm[0] ? e->comm : FMT_UNKNOWN, ascii);
	cell(line, sizeof(line), safe, EW_COMM, false, ascii);
	event_where(b, sizeof(b), e);
	fmt_escape(safe, sizeof(safe), b, ascii);
	cell(line, sizeof(line), safe, cgroup_width(width), false, ascii);
	/* RSS and ADJ before the constraint, which on a narrow screen wraps to the next line. */
	fmt_val_kb(b, sizeof(b), e->rss_kb);
	cell(line, sizeof(line), b, EW_RSS, true, ascii);
	fmt_val_int(b, sizeof(b), e->oom_score_adj);
	cell(line, sizeof(line), b, EW_ADJ, true, ascii);
	if (e->constraint && e->cgroup && strcmp(e->constraint, e->cgroup) == 0)
		snprintf(b, sizeof(b), "its cgroup's limit");
	else if (e->constraint && strcmp(e->constraint, "host") != 0 && e->constraint[0] == '/')
		fmt_cgroup_short(b, sizeof(b), e->constraint);
	else
		snprintf(b, sizeof(b), "%s", e->constraint ? e->constraint : FMT_UNKNOWN);
	fmt_escape(safe, sizeof(safe), b, ascii);
	cell(line, sizeof(line), safe, EW_CONS, false, ascii);
	if (e->source == OOM_SRC_KMSG)
		snprintf(b, sizeof(b), "kmsg");
	else
		snprintf(b, sizeof(b), "counter x%u", e->count);
	cell(line, sizeof(line), b, 12, false, ascii);
	push(d, e->source == OOM_SRC_KMSG ? DL_TEXT : DL_NOTE, line);
}

/* Why /dev/kmsg could not be read, and what that costs. */
static void
kmsg_lines(const struct snapshot *s, struct dlines *d)
{
	char line[512];
	const char *fix = s->kmsg_err == EPERM || s->kmsg_err == EACCES
			      ? "reading it needs root or CAP_SYSLOG (kernel.dmesg_restrict)"
			      : "the kernel log is not available here";

	snprintf(line, sizeof(line), "  /dev/kmsg cannot be read: %s; %s.",
		 val_reason(val_unknown(s->kmsg_err)), fix);
	push(d, DL_WARN, line);
	push(d, DL_NOTE,
	     "  Kills are still found through the counters (memory.events, memory.oom_control, "
	     "/proc/vmstat oom_kill),");
	push(d, DL_NOTE,
	     "  listed as \"counter\" rows: when and where, but no pid, comm, rss or adj.");
}

/*
 * The kills listed against the host's oom_kill since boot, and why the
 * rest cannot be listed: the pane and the header's counter must agree.
 */
static void
tally_lines(const struct snapshot *s, struct dlines *d)
{
	struct oom_tally t;
	char line[512], k[32];

	oom_events_tally(s, &t);
	fmt_val_int(k, sizeof(k), s->host.oom_kill);
	snprintf(line, sizeof(line),
		 "%" PRIu64 " OOM kill%s in the log (%" PRIu64 " from the kernel log, %" PRIu64
		 " from the counters; newest first) of oom_kill %s since boot",
		 t.logged + t.counted, t.logged + t.counted == 1 ? "" : "s", t.logged, t.counted,
		 k);
	push(d, DL_HEAD, line);
	if (!val_is_ok(t.unshown) || t.unshown.v == 0)
		return;
	if (s->kmsg_err)
		snprintf(line, sizeof(line),
			 "  %" PRId64 " not listed: the kernel log cannot be read (below), and the "
			 "counters show only the kills since oomlens started",
			 t.unshown.v);
	else
		snprintf(line, sizeof(line),
			 "  %" PRId64 " not listed: no longer in the kernel log (its ring buffer "
			 "keeps only the newest messages)%s",
			 t.unshown.v, t.dropped ? ", or older than the events oomlens keeps" : "");
	push(d, DL_NOTE, line);
}

void
screen_events(struct ui *ui, const char *title, int y0, int y1)
{
	const struct snapshot *s = ui->snap;
	struct dlines d = {0};
	char line[2048] = "";

	if (!s) {
		push(&d, DL_NOTE, "No snapshot yet.");
	} else {
		tally_lines(s, &d);
		if (s->kmsg_err)
			kmsg_lines(s, &d);
		line[0] = '\0';
		cell(line, sizeof(line), "TIME", EW_TIME, false, ui->ascii);
		cell(line, sizeof(line), "PID", EW_PID, true, ui->ascii);
		cell(line, sizeof(line), "COMM", EW_COMM, false, ui->ascii);
		cell(line, sizeof(line), "CONTAINER / CGROUP", cgroup_width(COLS), false,
		     ui->ascii);
		cell(line, sizeof(line), "RSS", EW_RSS, true, ui->ascii);
		cell(line, sizeof(line), "ADJ", EW_ADJ, true, ui->ascii);
		cell(line, sizeof(line), "CONSTRAINT", EW_CONS, false, ui->ascii);
		cell(line, sizeof(line), "SOURCE", 12, false, ui->ascii);
		push(&d, DL_HEAD, line);
		for (size_t i = s->n_events; i-- > 0;) {
			if (s->n_events - 1 - i == (size_t)ui->events_sel) {
				/* Keep the selected event in view: its line, wrapped, may take two. */
				int at = (int)d.n, rows = ui->page_rows > 2 ? ui->page_rows - 2 : 1;

				if (ui->events_scroll > at)
					ui->events_scroll = at;
				if (ui->events_scroll < at - rows)
					ui->events_scroll = at - rows;
			}
			event_line(&s->events[i], COLS, ui->ascii, &d);
			if (s->n_events - 1 - i == (size_t)ui->events_sel)
				d.v[d.n - 1].role = DL_SEL;
		}
		if (s->n_events == 0)
			push(&d, DL_NOTE, "  no OOM kill seen");
	}
	draw_pane(title, &d, &ui->events_scroll, y0, y1);
	dlines_free(&d);
}

/* A size for the fits panel, or "-" with the reason. */
static void
fsize(char *out, size_t outsz, struct val v)
{
	if (val_is_ok(v))
		fmt_size_prec(out, outsz, v.v);
	else
		fmt_val_bytes(out, outsz, v);
}

/* Four (or three) cells side by side, each fitted to w columns. */
static void
row4(struct dlines *d, int role, const char *const cells[4], int n, int w, bool ascii)
{
	char line[2048] = "  ";

	for (int i = 0; i < n; i++)
		cell(line, sizeof(line), cells[i] ? cells[i] : "", w, false, ascii);
	push(d, role, line);
}

/* The sizing advice for cgroup cg under the f panel's answers. */
static void
sizing_lines(const struct ui *ui, const struct snapshot *s, int cg, struct dlines *d)
{
	struct sizing z;
	char line[2048];

	if (sizing_for_cgroup(s, cg, &z) < 0) {
		push(d, DL_NOTE, "Sizing: nothing is known about this cgroup's usage yet.");
		return;
	}
	push(d, DL_HEAD, "Sizing (doc/events.md)");
	{
		char kp[32], sp[32], ws[32];

		fsize(kp, sizeof(kp), z.kernel_peak_bytes);
		fsize(sp, sizeof(sp), z.seen_peak_bytes);
		fsize(ws, sizeof(ws), z.working_set_bytes);
		snprintf(line, sizeof(line),
			 "  peak %s (the kernel's), %s seen by oomlens in %.0f s; working set %s; "
			 "host swap %s",
			 kp, sp, z.seen_for_s, ws, z.host_swap ? "yes" : "no");
		push(d, DL_TEXT, line);
	}
	if (val_is_ok(z.memory_bytes) && val_is_ok(z.reservation_bytes) &&
	    val_is_ok(z.memory_swap_bytes)) {
		snprintf(line, sizeof(line),
			 "  suggested: --memory %" PRId64 "m --memory-reservation %" PRId64
			 "m --memory-swap %" PRId64 "m",
			 z.memory_bytes.v >> 20, z.reservation_bytes.v >> 20,
			 z.memory_swap_bytes.v >> 20);
		push(d, DL_HEAD, line);
	}
	{
		char safe[1024], piece[1024];
		const char *p = safe;

		fmt_escape(safe, sizeof(safe), z.reason, ui->ascii);
		while (*p) {
			size_t k;

			fmt_fit(piece, sizeof(piece), p, COLS - 12 > 20 ? COLS - 12 : 20,
				ui->ascii ? FIT_ASCII : 0);
			k = strlen(piece);
			if (k == 0)
				k = 1;
			if (p[k]) {
				size_t cut = k;

				while (cut > 0 && p[cut] != ' ')
					cut--;
				if (cut > 0)
					k = cut;
			}
			snprintf(line, sizeof(line), "  %s %.*s",
				 p == safe ? "because:" : "        ", (int)k, p);
			push(d, DL_NOTE, line);
			p += k;
			while (*p == ' ')
				p++;
		}
	}
}

static void
fits_lines(const struct ui *ui, const struct snapshot *s, int cg, struct dlines *d)
{
	struct fits_result r;
	char size[32], head[4][600], ans[4][64], l1[4][96], l2[4][96], line[2048], name[512];
	const char *c0[4], *c1[4], *c2[4], *c3[4];
	int n = cg >= 0 ? 4 : 3, w = (COLS - 2) / n - 1;

	fits_evaluate(s, cg, ui->fits_size, &r);
	fmt_size_prec(size, sizeof(size), (int64_t)ui->fits_size);
	if (cg >= 0)
		fmt_escape(name, sizeof(name), s->cgroups[cg].path, ui->ascii);
	snprintf(line, sizeof(line), "Would an allocation of %s (%" PRIu64 " bytes) fit now%s%s?",
		 size, ui->fits_size, cg >= 0 ? " in " : " on the host", cg >= 0 ? name : "");
	push(d, DL_HEAD, line);
	push(d, DL_TEXT, "");
	memset(l2, 0, sizeof(l2));

	snprintf(head[0], sizeof(head[0]), "2.4 vm_enough_memory()");
	snprintf(ans[0], sizeof(ans[0]), "%s", fits_answer_name(r.v24));
	fsize(size, sizeof(size), r.v24_bytes);
	snprintf(l1[0], sizeof(l1[0]), "Linux 2.4 sum %s", size);

	fsize(size, sizeof(size), r.policy_bytes);
	snprintf(ans[1], sizeof(ans[1]), "%s", fits_answer_name(r.policy));
	if (r.mode == 0) {
		snprintf(head[1], sizeof(head[1]), "overcommit 0 (heuristic)");
		snprintf(l1[1], sizeof(l1[1]), "%s",
			 r.policy_pre52 ? "refuses above what is free" : "refuses above RAM+swap");
		snprintf(l2[1], sizeof(l2[1]), "= %s", size);
	} else if (r.mode == 1) {
		snprintf(head[1], sizeof(head[1]), "overcommit 1 (always)");
		snprintf(l1[1], sizeof(l1[1]), "never refuses");
	} else if (r.mode == 2) {
		snprintf(head[1], sizeof(head[1]), "overcommit 2 (strict)");
		snprintf(l1[1], sizeof(l1[1]), "CommitLimit-Committed_AS-reserve");
		snprintf(l2[1], sizeof(l2[1]), "= %s", size);
	} else {
		snprintf(head[1], sizeof(head[1]), "overcommit policy");
		snprintf(l1[1], sizeof(l1[1]), "mode unknown");
	}

	snprintf(head[2], sizeof(head[2]), "MemAvailable");
	snprintf(ans[2], sizeof(ans[2]), "%s", fits_answer_name(r.avail));
	fsize(size, sizeof(size), r.free_bytes);
	snprintf(l1[2], sizeof(l1[2]), "MemFree %s", size);
	fsize(size, sizeof(size), r.available_bytes);
	snprintf(l2[2], sizeof(l2[2]), "MemAvailable %s", size);

	if (cg >= 0) {
		char raw[256];

		if (r.cg_limited_by >= 0)
			fmt_cgroup_short(raw, sizeof(raw), s->cgroups[r.cg_limited_by].path);
		else
			snprintf(raw, sizeof(raw), "the host");
		fmt_escape(name, sizeof(name), raw, ui->ascii);
		snprintf(head[3], sizeof(head[3]), "limit of %s", name);
		snprintf(ans[3], sizeof(ans[3]), "%s", fits_answer_name(r.cgroup));
		fsize(size, sizeof(size), r.cg_headroom_bytes);
		snprintf(l1[3], sizeof(l1[3]), "headroom %s", size);
		fsize(size, sizeof(size), r.cg_available_bytes);
		snprintf(l2[3], sizeof(l2[3]), "available %s%s", size,
			 r.cg_active_file ? " + active file" : "");
	}
	for (int i = 0; i < 4; i++) {
		c0[i] = head[i];
		c1[i] = ans[i];
		c2[i] = l1[i];
		c3[i] = l2[i];
	}
	row4(d, DL_NOTE, c0, n, w, ui->ascii);
	row4(d, DL_HEAD, c1, n, w, ui->ascii);
	row4(d, DL_TEXT, c2, n, w, ui->ascii);
	row4(d, DL_TEXT, c3, n, w, ui->ascii);
	push(d, DL_TEXT, "");
	snprintf(line, sizeof(line), "Verdict: %s (oomlens fits exits %d)",
		 fits_answer_name(r.status), r.status);
	push(d, r.status == FITS_YES ? DL_HEAD : DL_WARN, line);

	if (cg < 0) {
		push(d, DL_NOTE,
		     "In the container view, f asks about the selected container's limit too, and "
		     "gives its sizing.");
		return;
	}
	push(d, DL_TEXT, "");
	sizing_lines(ui, s, cg, d);
}

void
screen_fits(struct ui *ui, const char *title, int y0, int y1)
{
	const struct snapshot *s = ui->snap;
	struct dlines d = {0};
	int cg = -1;

	if (!s) {
		push(&d, DL_NOTE, "No snapshot yet.");
	} else {
		if (ui->fits_id.kind == ROW_CGROUP && ui->fits_id.path) {
			cg = snap_find_cgroup(s, ui->fits_id.path);
			if (cg < 0) {
				char path[512], line[600];

				fmt_escape(path, sizeof(path), ui->fits_id.path, ui->ascii);
				snprintf(line, sizeof(line),
					 "Cgroup %s is gone: answering for the host only.", path);
				push(&d, DL_WARN, line);
			}
		}
		fits_lines(ui, s, cg, &d);
	}
	draw_pane(title, &d, &ui->fits_scroll, y0, y1);
	dlines_free(&d);
}
