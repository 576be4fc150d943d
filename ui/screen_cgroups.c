/*
 * screen_cgroups.c - the container view: memory cgroups as a tree with
 * their processes beneath, each cgroup with its usage, limit, use of the
 * limit, its availability components as a small stacked meter (headroom,
 * inactive file cache, reclaimable slab, swap headroom) and their sum,
 * reservation, high, memory+swap limit, oom_kill count, PSI, the time
 * until the limit at a steady growth, and process count.  Process rows
 * mark the host's next victim with '*' and a limited cgroup's with '@'.
 * Columns that no cgroup on this host has (high and PSI on v1) are left out.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "format.h"
#include "score.h"
#include "screens.h"
#include "theme.h"

enum ccol_id {
	CC_NAME,
	CC_USAGE,
	CC_LIMIT,
	CC_PCT,
	CC_METER,
	CC_AVAIL,
	CC_LOW,
	CC_HIGH,
	CC_MEMSW,
	CC_OOMK,
	CC_PSI,
	CC_ETA,
	CC_PROCS,
	CC__COUNT
};

struct ccol {
	const char *title;
	int width;
	int prio;
};

static const struct ccol ccols[CC__COUNT] = {
    [CC_NAME] = {"CGROUP / PROCESS", 16, 0},
    [CC_USAGE] = {"USAGE", 6, 0},
    [CC_LIMIT] = {"LIMIT", 6, 0},
    [CC_PCT] = {"USE%", 5, 7},
    [CC_METER] = {"AVAILABILITY", 12, 6},
    [CC_AVAIL] = {"AVAIL", 6, 9},
    [CC_LOW] = {"LOW", 6, 2},
    [CC_HIGH] = {"HIGH", 6, 1},
    [CC_MEMSW] = {"MEM+SW", 6, 3},
    [CC_OOMK] = {"OOMK", 5, 5},
    [CC_PSI] = {"PSI10", 5, 4},
    [CC_ETA] = {"ETA", 6, 5},
    [CC_PROCS] = {"PROCS", 5, 8},
};

static void
layout(const struct ui *ui, struct fmt_col *cols)
{
	const struct snapshot *s = ui->snap;
	bool any_high = false, any_psi = false;

	for (size_t c = 0; c < s->n_cgroups; c++) {
		any_high |= s->cgroups[c].high_bytes.state != VAL_NA;
		any_psi |= s->cgroups[c].psi.present;
	}
	for (int i = 0; i < CC__COUNT; i++)
		cols[i] = (struct fmt_col){
		    .width = ccols[i].width, .prio = ccols[i].prio, .flex = i == CC_NAME};
	cols[CC_HIGH].hidden = !any_high;
	cols[CC_PSI].hidden = !any_psi;
	fmt_layout(cols, CC__COUNT, COLS);
}

/* The column of each sort key, its title and natural direction (most in danger first). */
static const struct {
	int col;
	const char *title;
	bool ascending;
} cg_sorts[CGS__COUNT] = {
    [CGS_PATH] = {CC_NAME, "CGROUP", true},  [CGS_USAGE] = {CC_USAGE, "USAGE", false},
    [CGS_PCT] = {CC_PCT, "USE%", false},     [CGS_AVAIL] = {CC_AVAIL, "AVAIL", true},
    [CGS_OOMK] = {CC_OOMK, "OOMK", false},   [CGS_ETA] = {CC_ETA, "ETA", true},
};

const char *
cgroups_sort_title(int key)
{
	return key >= 0 && key < CGS__COUNT ? cg_sorts[key].title : "?";
}

bool
cgroups_sort_ascending(int key)
{
	return key >= 0 && key < CGS__COUNT && cg_sorts[key].ascending;
}

int
cgroups_col_at(const struct ui *ui, int x)
{
	struct fmt_col cols[CC__COUNT];

	if (!ui->snap)
		return -1;
	layout(ui, cols);
	for (int k = 0; k < CGS__COUNT; k++) {
		const struct fmt_col *c = &cols[cg_sorts[k].col];

		if (!c->hidden && x >= c->x && x < c->x + c->w)
			return k;
	}
	return -1;
}

/* The title line, with the sort column marked by an arrow. */
static void
title_row(const struct ui *ui, int y, const struct fmt_col *cols)
{
	int sorted = cg_sorts[ui->cg_sort < CGS__COUNT ? ui->cg_sort : 0].col;

	draw_fill(y, 0, COLS, theme_attr(TH_COLHEAD));
	for (int i = 0; i < CC__COUNT; i++) {
		char t[48];

		if (cols[i].hidden)
			continue;
		snprintf(t, sizeof(t), "%s%s", ccols[i].title,
			 i != sorted	     ? ""
			 : ui->ascii	     ? (ui->cg_ascending ? "^" : "v")
			 : ui->cg_ascending ? "\xe2\x96\xb2"
					     : "\xe2\x96\xbc");
		draw_text(y, cols[i].x, cols[i].w, t,
			  theme_attr(i == sorted ? TH_SORTCOL : TH_COLHEAD),
			  FIT_PAD | (i == CC_NAME || i == CC_METER ? 0 : FIT_RIGHT));
	}
}

static void
cell(int y, const struct fmt_col *c, const char *text, attr_t a, attr_t sel)
{
	if (c->hidden)
		return;
	if (!sel && (strcmp(text, FMT_UNKNOWN) == 0 || strcmp(text, "n/a") == 0))
		a = theme_attr(TH_UNKNOWN);
	draw_text(y, c->x, c->w, text, sel ? sel : a, FIT_PAD | FIT_RIGHT | FIT_ELLIPSIS);
}

/* The small stacked meter of a cgroup's availability components. */
static void
meter(const struct snapshot *s, const struct cgroup *cg, int y, const struct fmt_col *c, attr_t sel)
{
	const struct cg_avail *a = &cg->avail;
	const struct val *parts[4] = {&a->headroom_bytes, &a->inactive_file_bytes,
				      &a->slab_reclaimable_bytes, &a->swap_headroom_bytes};
	int64_t v[4], total = 0;
	int lens[4], x = c->x, w = c->w;

	if (c->hidden || w <= 0)
		return;
	for (int i = 0; i < 4; i++) {
		v[i] = val_is_ok(*parts[i]) ? parts[i]->v : 0;
		total += v[i];
	}
	{
		const struct cgroup *dom = cg;

		if (a->limited_by >= 0 && (size_t)a->limited_by < s->n_cgroups)
			dom = &s->cgroups[a->limited_by];
		if (val_is_ok(dom->usage_bytes))
			total += dom->usage_bytes.v;
	}
	fmt_meter_split(w, v, 4, total, lens);
	for (int i = 0; i < 4; i++) {
		char seg[256];
		int n = lens[i] < (int)sizeof(seg) - 1 ? lens[i] : (int)sizeof(seg) - 1;

		memset(seg, theme_meter_char(i), (size_t)n);
		seg[n] = '\0';
		x += draw_text(y, x, n, seg,
			       sel ? sel : theme_attr((enum theme_role)(TH_METER_0 + i)), 0);
	}
	if (x < c->x + w) {
		char rest[256];
		int n = c->x + w - x;

		if (n > (int)sizeof(rest) - 1)
			n = (int)sizeof(rest) - 1;
		memset(rest, '.', (size_t)n);
		rest[n] = '\0';
		draw_text(y, x, n, rest, sel ? sel : theme_attr(TH_METER_REST), 0);
	}
}

/* The tree guides and, for a cgroup that has something beneath, its open/closed mark. */
static int
name_prefix(const struct ui *ui, int y, const struct row *r, const struct fmt_col *c, attr_t sel)
{
	char g[512];
	int x = c->x;

	draw_guides(g, sizeof(g), r, ui->ascii);
	x += draw_text(y, x, c->w, g, sel ? sel : theme_attr(TH_TREE), 0);
	if (r->kind == ROW_CGROUP) {
		const char *mark = "  ";

		if (r->has_children)
			mark = ui->ascii ? (r->expanded ? "- " : "+ ")
					 : (r->expanded ? "\xe2\x96\xbe " : "\xe2\x96\xb8 ");
		x += draw_text(y, x, c->x + c->w - x, mark, sel ? sel : theme_attr(TH_TREE), 0);
	}
	return x;
}

/*
 * ETA: "12s", "~3s" from the last two samples of a fast leak; with no
 * estimate, "HIT" while memory.events high/max (v1 failcnt) rise and
 * "NEAR" above 90% of the limit: a cgroup in trouble is marked whatever
 * the estimate.
 */
static void
eta_cell(const struct cgroup *cg, int y, const struct fmt_col *col, attr_t sel)
{
	bool near = cg->has_limit && val_is_ok(cg->usage_bytes) && val_is_ok(cg->limit_bytes) &&
		    cg->limit_bytes.v > 0 && cg->usage_bytes.v * 10 >= cg->limit_bytes.v * 9;
	char b[32], d[24];

	if (cg->trend.steady && val_is_ok(cg->trend.seconds_to_limit)) {
		fmt_duration(d, sizeof(d), (double)cg->trend.seconds_to_limit.v);
		snprintf(b, sizeof(b), "%s%s", cg->trend.fast ? "~" : "", d);
		cell(y, col, b,
		     theme_attr(cg->trend.seconds_to_limit.v < 600 || near ||
					cg->trend.limit_hits_rising
				    ? TH_WARN
				    : TH_NORMAL),
		     sel);
	} else if (cg->trend.limit_hits_rising) {
		cell(y, col, "HIT", theme_attr(TH_ALERT), sel);
	} else if (near) {
		cell(y, col, "NEAR", theme_attr(TH_WARN), sel);
	} else {
		cell(y, col, FMT_UNKNOWN, theme_attr(TH_NORMAL), sel);
	}
}

/* Whether cgroup c is anc or beneath it. */
static bool
within(const struct snapshot *s, int c, int anc)
{
	for (; c >= 0 && (size_t)c < s->n_cgroups; c = s->cgroups[c].parent)
		if (c == anc)
			return true;
	return false;
}

/*
 * A collapsed cgroup hides its processes: '*' when the host's next victim
 * is among them, '@' when its own limit's next victim is.
 */
static const char *
collapsed_mark(const struct snapshot *s, const struct row *r)
{
	const struct cgroup *cg = &s->cgroups[r->idx];
	bool host = false, own = cg->has_limit && cg->next_victim.pid > 0;

	if (!r->has_children || r->expanded)
		return "";
	for (size_t i = 0; i < s->n_procs && s->host_victim.pid > 0; i++) {
		const struct proc *p = &s->procs[i];

		if (p->pid == s->host_victim.pid && p->start_ticks == s->host_victim.start_ticks) {
			host = within(s, p->cg, r->idx);
			break;
		}
	}
	return host && own ? "*@" : host ? "*" : own ? "@" : "";
}

static void
cgroup_row(const struct ui *ui, int y, const struct row *r, const struct fmt_col *cols, attr_t sel)
{
	const struct snapshot *s = ui->snap;
	const struct cgroup *cg = &s->cgroups[r->idx];
	attr_t norm = theme_attr(TH_NORMAL);
	char b[64], name[512], raw[512];
	int x;

	const char *mark = collapsed_mark(s, r);

	x = name_prefix(ui, y, r, &cols[CC_NAME], sel);
	if (*mark)
		x += draw_text(y, x, cols[CC_NAME].x + cols[CC_NAME].w - x, mark,
			       sel ? sel : theme_attr(TH_VICTIM), 0);
	if (r->depth == 0)
		snprintf(raw, sizeof(raw), "%s", cg->path);
	else
		fmt_cgroup_short(raw, sizeof(raw), cg->path);
	fmt_escape(name, sizeof(name), raw, ui->ascii);
	x += draw_text(y, x, cols[CC_NAME].x + cols[CC_NAME].w - x, name,
		       sel ? sel : theme_attr(TH_CGROUP), FIT_ELLIPSIS);
	/* Collapsed, its processes are hidden: name its next victim on its own row. */
	if (!r->expanded && cg->has_limit && cg->next_victim.pid > 0) {
		char comm[256];

		fmt_escape(comm, sizeof(comm), cg->next_victim.comm, ui->ascii);
		snprintf(name, sizeof(name), " @%d %s", (int)cg->next_victim.pid, comm);
		draw_text(y, x, cols[CC_NAME].x + cols[CC_NAME].w - x, name,
			  sel ? sel : theme_attr(TH_VICTIM), FIT_ELLIPSIS);
	}

	fmt_val_bytes(b, sizeof(b), cg->usage_bytes);
	cell(y, &cols[CC_USAGE], b, norm, sel);
	fmt_val_bytes(b, sizeof(b), cg->limit_bytes);
	cell(y, &cols[CC_LIMIT], b, theme_attr(cg->has_limit ? TH_VALUE : TH_NORMAL), sel);
	if (val_is_ok(cg->usage_bytes) && val_is_ok(cg->limit_bytes)) {
		bool near =
		    cg->limit_bytes.v > 0 && cg->usage_bytes.v * 10 >= cg->limit_bytes.v * 9;

		fmt_percent(b, sizeof(b), cg->usage_bytes.v, cg->limit_bytes.v);
		cell(y, &cols[CC_PCT], b, theme_attr(near ? TH_WARN : TH_NORMAL), sel);
	} else {
		cell(y, &cols[CC_PCT], FMT_UNKNOWN, norm, sel);
	}
	meter(s, cg, y, &cols[CC_METER], sel);
	fmt_val_bytes(b, sizeof(b), cg->avail.available_bytes);
	cell(y, &cols[CC_AVAIL], b, theme_attr(cg->avail.limited_by < 0 ? TH_NORMAL : TH_VALUE),
	     sel);
	fmt_val_bytes(b, sizeof(b), cg->reservation_bytes);
	cell(y, &cols[CC_LOW], b, norm, sel);
	fmt_val_bytes(b, sizeof(b), cg->high_bytes);
	cell(y, &cols[CC_HIGH], b, norm, sel);
	fmt_val_bytes(b, sizeof(b), cg->swap_limit_bytes);
	cell(y, &cols[CC_MEMSW], b, norm, sel);
	fmt_val_int(b, sizeof(b), cg->ev_oom_kill);
	cell(y, &cols[CC_OOMK], b,
	     theme_attr(val_is_ok(cg->ev_oom_kill) && cg->ev_oom_kill.v > 0 ? TH_WARN : TH_NORMAL),
	     sel);
	if (cg->psi.present)
		fmt_psi(b, sizeof(b), cg->psi.some.avg10);
	else
		snprintf(b, sizeof(b), "%s", FMT_UNKNOWN);
	cell(y, &cols[CC_PSI], b, norm, sel);
	eta_cell(cg, y, &cols[CC_ETA], sel);
	snprintf(b, sizeof(b), "%d", cg->nr_processes);
	cell(y, &cols[CC_PROCS], b, norm, sel);
}

static void
proc_row(const struct ui *ui, int y, const struct row *r, const struct fmt_col *cols, attr_t sel)
{
	const struct snapshot *s = ui->snap;
	const struct proc *p = &s->procs[r->idx];
	bool host_victim =
	    s->host_victim.pid == p->pid && s->host_victim.start_ticks == p->start_ticks;
	bool cg_victim = score_is_cgroup_victim(s, p), victim = host_victim || cg_victim;
	bool mismatch = val_is_ok(p->oom_score_agrees) && p->oom_score_agrees.v == 0;
	char b[64], comm[256], name[320], oom[16], adj[16], kb[16], line[128];
	int x;

	x = name_prefix(ui, y, r, &cols[CC_NAME], sel);
	fmt_escape(comm, sizeof(comm), proc_comm(p), ui->ascii);
	snprintf(name, sizeof(name), "%s%s%d %s", host_victim ? "*" : "", cg_victim ? "@" : "",
		 (int)p->pid, comm);
	draw_text(y, x, cols[CC_NAME].x + cols[CC_NAME].w - x, name,
		  sel ? sel : theme_attr(victim ? TH_VICTIM : TH_NORMAL), FIT_ELLIPSIS);
	fmt_val_kb(b, sizeof(b), p->rss_kb);
	cell(y, &cols[CC_USAGE], b, theme_attr(TH_NORMAL), sel);

	fmt_val_int(oom, sizeof(oom), p->oom_score);
	fmt_val_int(adj, sizeof(adj), p->oom_score_adj);
	fmt_val_int(kb, sizeof(kb), p->badness_kernel);
	snprintf(line, sizeof(line), "oom %s  adj %s  kbad %s points%s", oom, adj, kb,
		 mismatch ? "!" : "");
	if (!cols[CC_LIMIT].hidden)
		draw_text(y, cols[CC_LIMIT].x + 1, COLS - cols[CC_LIMIT].x - 1, line,
			  sel ? sel : theme_attr(mismatch ? TH_MISMATCH : TH_UNKNOWN), 0);
}

void
screen_cgroups(const struct ui *ui, int y0, int y1)
{
	struct fmt_col cols[CC__COUNT];

	if (y0 >= y1 || !ui->snap)
		return;
	layout(ui, cols);
	title_row(ui, y0, cols);
	if (ui->rows.n == 0 && y0 + 1 < y1) {
		draw_text(y0 + 1, 0, COLS,
			  ui->snap->cgroup_version
			      ? "  no cgroup matches the filter (Esc clears it)"
			      : "  no memory cgroup controller on this host",
			  theme_attr(TH_UNKNOWN), 0);
		return;
	}
	for (int y = y0 + 1; y < y1; y++) {
		long i = ui->top + (y - y0 - 1);
		const struct row *r;
		attr_t sel;

		if (i < 0 || (size_t)i >= ui->rows.n)
			break;
		r = &ui->rows.v[i];
		sel = i == ui->sel ? theme_attr(TH_SELECTED) : 0;
		if (sel)
			draw_fill(y, 0, COLS, sel);
		if (r->kind == ROW_CGROUP)
			cgroup_row(ui, y, r, cols, sel);
		else
			proc_row(ui, y, r, cols, sel);
	}
}
