/*
 * screen_procs.c - the process table: a row per process with its sizes,
 * the kernel's oom_score and oom_score_adj, Gorman's 2.4 badness, the
 * kernel's oom_badness() points (KBAD; marked where the oom_score they give
 * disagrees with the kernel's),
 * its container's available memory and its command; the host's next victim
 * marked with '*'.  Also owns the table's columns and their sort keys.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "fields.h"
#include "format.h"
#include "score.h"
#include "screens.h"
#include "theme.h"
#include "users.h"
#include "util.h"

enum pcol_id {
	PC_PID,
	PC_USER,
	PC_CGROUP,
	PC_VIRT,
	PC_RES,
	PC_SWAP,
	PC_OOM,
	PC_ADJ,
	PC_GORMAN,
	PC_KBAD,
	PC_AVAIL,
	PC_COMMAND,
	PC__COUNT
};

/*
 * A column: a process field (fields.c gives its title, width and natural
 * direction), or AVAIL, which no field holds (the container's available
 * memory) and so carries its own.
 */
struct pcol {
	int sort;	   /* enum sort_key or UI_SORT_AVAIL */
	bool right;	   /* right-aligned (numbers) */
	int prio;	   /* fmt_col.prio: lower is hidden first on narrow screens */
	const char *title; /* UI_SORT_AVAIL only */
	int width;	   /* UI_SORT_AVAIL only: fixed width */
};

/*
 * On a narrow screen columns give way, lowest prio first: VIRT, KBAD,
 * SWAP, AVAIL, CGROUP, USER, RES.  PID, the mission's OOM, ADJ and GORMAN,
 * and at least 20 columns of COMMAND always stay (80 columns hold them).
 */
static const struct pcol pcols[PC__COUNT] = {
    [PC_PID] = {SORT_PID, true, 0, NULL, 0},
    [PC_USER] = {SORT_UID, false, 6, NULL, 0},
    [PC_CGROUP] = {SORT_CGROUP, false, 5, NULL, 0},
    [PC_VIRT] = {SORT_VM_SIZE, true, 1, NULL, 0},
    [PC_RES] = {SORT_RSS, true, 7, NULL, 0},
    [PC_SWAP] = {SORT_SWAP, true, 3, NULL, 0},
    [PC_OOM] = {SORT_OOM_SCORE, true, 0, NULL, 0},
    [PC_ADJ] = {SORT_OOM_SCORE_ADJ, true, 0, NULL, 0},
    [PC_GORMAN] = {SORT_GORMAN, true, 0, NULL, 0},
    [PC_KBAD] = {SORT_KERNEL, true, 2, NULL, 0},
    [PC_AVAIL] = {UI_SORT_AVAIL, true, 4, "AVAIL", 6},
    [PC_COMMAND] = {SORT_COMM, false, 0, NULL, 0},
};

/* The field column i shows, NULL for AVAIL. */
static const struct proc_field *
col_field(size_t i)
{
	return pcols[i].sort < SORT__COUNT ? field_of_sort((enum sort_key)pcols[i].sort) : NULL;
}

static const char *
col_title(size_t i)
{
	const struct proc_field *f = col_field(i);

	return f ? f->header : pcols[i].title;
}

/* The fixed width, 0: from the content. */
static int
col_width(size_t i)
{
	const struct proc_field *f = col_field(i);

	return f ? f->width : pcols[i].width;
}

/* From this screen width on, CGROUP shows whole names (up to PROCS_CGROUP_WIDE columns). */
#define PROCS_WIDE_SCREEN  200
#define PROCS_CGROUP_WIDE  64
#define PROCS_CGROUP_NARROW 12

size_t
procs_ncols(void)
{
	return PC__COUNT;
}

const char *
procs_col_title(size_t col)
{
	return col < PC__COUNT ? col_title(col) : "?";
}

struct ui_sort
procs_col_sort(size_t col)
{
	const struct proc_field *f;

	if (col >= PC__COUNT)
		col = PC_OOM;
	f = col_field(col);
	return (struct ui_sort){.key = pcols[col].sort, .ascending = f && f->ascending};
}

size_t
procs_default_col(void)
{
	return PC_OOM;
}

int
procs_col_find(const char *title)
{
	for (int i = 0; i < PC__COUNT; i++)
		if (strcasecmp(col_title((size_t)i), title) == 0)
			return i;
	return -1;
}

/*
 * Columns that fit their content: PID digits (and the victim mark) over all
 * rows, user and cgroup names over the n rows on screen from the first,
 * so that only what is visible is formatted.
 */
static void
content_widths(const struct ui *ui, long first, long n, int *w)
{
	const struct snapshot *s = ui->snap;
	pid_t maxpid = 0;
	int digits = 1, marks = 1; /* room for '*', or for '*' and '@' where a row has both */
	int cgmax = COLS >= PROCS_WIDE_SCREEN ? PROCS_CGROUP_WIDE : PROCS_CGROUP_NARROW;

	w[PC_PID] = 4;
	w[PC_USER] = 4;
	w[PC_CGROUP] = 6;
	w[PC_GORMAN] = w[PC_KBAD] = 1;
	for (size_t i = 0; i < s->n_procs; i++)
		if (s->procs[i].pid > maxpid)
			maxpid = s->procs[i].pid;
	for (long i = first < 0 ? 0 : first; i < first + n && (size_t)i < ui->rows.n; i++) {
		const struct proc *p;
		char buf[256];
		int cw;

		if (ui->rows.v[i].kind != ROW_PROC)
			continue;
		p = &s->procs[ui->rows.v[i].idx];
		if (marks < 2 && s->host_victim.pid == p->pid && score_is_cgroup_victim(s, p))
			marks = 2;
		cw = fmt_width(user_name(p->uid));
		if (cw > w[PC_USER])
			w[PC_USER] = cw > 8 ? 8 : cw;
		fmt_cgroup_short(buf, sizeof(buf), p->cgroup);
		cw = fmt_width(COLS >= PROCS_WIDE_SCREEN && p->cgroup ? p->cgroup : buf);
		if (cw > w[PC_CGROUP])
			w[PC_CGROUP] = cw > cgmax ? cgmax : cw;
		/* Points are counts, printed in full (never "671M", which reads as a size). */
		fmt_val_int(buf, sizeof(buf), p->badness_gorman);
		if ((cw = (int)strlen(buf)) > w[PC_GORMAN])
			w[PC_GORMAN] = cw;
		fmt_val_int(buf, sizeof(buf), p->badness_kernel);
		if ((cw = (int)strlen(buf) + 1) > w[PC_KBAD]) /* + 1: the '!' */
			w[PC_KBAD] = cw;
	}
	for (pid_t m = maxpid; m >= 10; m /= 10)
		digits++;
	if (digits + marks > w[PC_PID])
		w[PC_PID] = digits + marks;
}

/* Lay the columns out for this screen width and the n rows shown from the first. */
static void
layout(const struct ui *ui, long first, long n, struct fmt_col *cols)
{
	int cw[PC__COUNT] = {0};
	struct fmt_col tmp[PC__COUNT];

	content_widths(ui, first, n, cw);
	for (int i = 0; i < PC__COUNT; i++) {
		int tw = (int)strlen(col_title(i)) + 1;

		cols[i] = (struct fmt_col){.prio = pcols[i].prio,
					   .flex = i == PC_COMMAND,
					   .hidden = (ui->hidden_cols & (1u << i)) != 0};
		cols[i].width = col_width(i) ? col_width(i) : cw[i];
		if (cols[i].width < tw && i != PC_COMMAND)
			cols[i].width = tw;
	}
	/* In the operator's order (F2 setup): lay out a permuted copy. */
	for (int k = 0; k < PC__COUNT; k++)
		tmp[k] = cols[ui->col_order[k]];
	fmt_layout(tmp, PC__COUNT, COLS);
	for (int k = 0; k < PC__COUNT; k++)
		cols[ui->col_order[k]] = tmp[k];
}

/* The title line, with the sort column marked by an arrow. */
static void
title_row(const struct ui *ui, int y, const struct fmt_col *cols)
{
	draw_fill(y, 0, COLS, theme_attr(TH_COLHEAD));
	for (int i = 0; i < PC__COUNT; i++) {
		char t[32];
		bool sorted = (size_t)i == (size_t)ui->sort_col;
		const char *arrow = "";

		if (cols[i].hidden)
			continue;
		if (sorted)
			arrow = ui->ascii ? (ui->sort.ascending ? "^" : "v")
					  : (ui->sort.ascending ? "\xe2\x96\xb2" : "\xe2\x96\xbc");
		snprintf(t, sizeof(t), "%s%s", col_title(i), arrow);
		draw_text(y, cols[i].x, cols[i].w, t, theme_attr(sorted ? TH_SORTCOL : TH_COLHEAD),
			  FIT_PAD | (pcols[i].right ? FIT_RIGHT : 0));
	}
}

/* One cell, its attribute chosen by the caller unless the value is unknown. */
static void
cell(int y, const struct fmt_col *c, const char *text, bool right, attr_t a, attr_t sel)
{
	if (c->hidden)
		return;
	if (!sel && strcmp(text, FMT_UNKNOWN) == 0)
		a = theme_attr(TH_UNKNOWN);
	draw_text(y, c->x, c->w, text, sel ? sel : a,
		  FIT_PAD | FIT_ELLIPSIS | (right ? FIT_RIGHT : 0));
}

/* What the COMMAND column shows: the command line, or [comm] when there is none. */
static void
command_text(char *out, size_t outsz, const struct proc *p, bool ascii)
{
	char raw[160];

	if (p->cmdline && *p->cmdline) {
		fmt_escape(out, outsz, p->cmdline, ascii);
		return;
	}
	fmt_escape(raw, sizeof(raw), proc_comm(p), ascii);
	snprintf(out, outsz, "[%s]", raw);
}

static void
proc_row(const struct ui *ui, int y, const struct row *r, const struct fmt_col *cols, bool selected)
{
	const struct snapshot *s = ui->snap;
	const struct proc *p = &s->procs[r->idx];
	attr_t sel = selected ? theme_attr(TH_SELECTED) : 0, norm = theme_attr(TH_NORMAL);
	bool victim = s->host_victim.pid == p->pid && s->host_victim.start_ticks == p->start_ticks;
	bool cg_victim = score_is_cgroup_victim(s, p); /* '@', as in the container view */
	bool mismatch = val_is_ok(p->oom_score_agrees) && p->oom_score_agrees.v == 0;
	char b[64], raw[256], cmd[2048], guides[512];
	int x;

	if (selected)
		draw_fill(y, 0, COLS, sel);

	snprintf(b, sizeof(b), "%s%s%d", victim ? "*" : "", cg_victim ? "@" : "", (int)p->pid);
	cell(y, &cols[PC_PID], b, true, theme_attr(victim || cg_victim ? TH_VICTIM : TH_NORMAL),
	     sel);
	fmt_escape(raw, sizeof(raw), user_name(p->uid), ui->ascii);
	cell(y, &cols[PC_USER], raw, false, norm, sel);
	if (COLS >= PROCS_WIDE_SCREEN && p->cgroup)
		fmt_escape(raw, sizeof(raw), p->cgroup, ui->ascii);
	else
		fmt_escape(raw, sizeof(raw), (fmt_cgroup_short(b, sizeof(b), p->cgroup), b), ui->ascii);
	cell(y, &cols[PC_CGROUP], raw, false, norm, sel);
	fmt_val_kb(b, sizeof(b), p->vm_size_kb);
	cell(y, &cols[PC_VIRT], b, true, norm, sel);
	fmt_val_kb(b, sizeof(b), p->rss_kb);
	cell(y, &cols[PC_RES], b, true, norm, sel);
	fmt_val_kb(b, sizeof(b), p->swap_kb);
	cell(y, &cols[PC_SWAP], b, true, norm, sel);
	fmt_val_int(b, sizeof(b), p->oom_score);
	cell(y, &cols[PC_OOM], b, true, theme_attr(TH_VALUE), sel);
	fmt_val_int(b, sizeof(b), p->oom_score_adj);
	cell(y, &cols[PC_ADJ], b, true, norm, sel);
	fmt_val_int(b, sizeof(b), p->badness_gorman);
	cell(y, &cols[PC_GORMAN], b, true, norm, sel);
	/* KBAD: oom_badness() points, as in batch text; '!': the oom_score from them is not OOM. */
	fmt_val_int(b, sizeof(b), p->badness_kernel);
	if (mismatch)
		strcat(b, "!");
	cell(y, &cols[PC_KBAD], b, true, theme_attr(mismatch ? TH_MISMATCH : TH_NORMAL), sel);
	if (p->cg >= 0 && (size_t)p->cg < s->n_cgroups)
		fmt_val_bytes(b, sizeof(b), s->cgroups[p->cg].avail.available_bytes);
	else
		snprintf(b, sizeof(b), "%s", FMT_UNKNOWN);
	cell(y, &cols[PC_AVAIL], b, true, norm, sel);

	if (cols[PC_COMMAND].hidden)
		return;
	x = cols[PC_COMMAND].x;
	if (ui->tree && r->depth > 0) {
		draw_guides(guides, sizeof(guides), r, ui->ascii);
		x +=
		    draw_text(y, x, cols[PC_COMMAND].w, guides, sel ? sel : theme_attr(TH_TREE), 0);
	}
	command_text(cmd, sizeof(cmd), p, ui->ascii);
	draw_text(y, x, cols[PC_COMMAND].x + cols[PC_COMMAND].w - x, cmd,
		  sel ? sel : theme_attr(victim ? TH_VICTIM : TH_NORMAL), 0);
}

void
screen_procs(const struct ui *ui, int y0, int y1)
{
	struct fmt_col cols[PC__COUNT];

	if (y0 >= y1 || !ui->snap)
		return;
	layout(ui, ui->top, y1 - y0 - 1, cols);
	title_row(ui, y0, cols);
	if (ui->rows.n == 0 && y0 + 1 < y1) {
		char msg[UI_TEXT + 64], f[UI_TEXT];

		fmt_escape(f, sizeof(f), ui->filter, ui->ascii);
		if (*ui->filter)
			snprintf(msg, sizeof(msg),
				 "  no process matches the filter \"%s\" (Esc clears it)", f);
		else
			snprintf(msg, sizeof(msg), "  no processes");
		draw_text(y0 + 1, 0, COLS, msg, theme_attr(TH_UNKNOWN), 0);
		return;
	}
	for (int y = y0 + 1; y < y1; y++) {
		long i = ui->top + (y - y0 - 1);

		if (i < 0 || (size_t)i >= ui->rows.n)
			break;
		proc_row(ui, y, &ui->rows.v[i], cols, i == ui->sel);
	}
}

int
procs_col_at(const struct ui *ui, int x)
{
	struct fmt_col cols[PC__COUNT];

	if (!ui->snap)
		return -1;
	layout(ui, ui->top, ui->page_rows, cols);
	for (int i = 0; i < PC__COUNT; i++)
		if (!cols[i].hidden && x >= cols[i].x && x < cols[i].x + cols[i].w)
			return i;
	return -1;
}
