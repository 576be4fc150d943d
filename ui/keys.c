/*
 * keys.c - what a key does in each pane: the tables' keys (move, view,
 * open a pane, act), the keys of the help, detail, event, fits and dialog
 * panes, the keys common to most of them, and the hint for a key nothing
 * took.  Which pane gets a key is panes.c's table.  It changes the UI
 * state only; what changes the system goes through the dialogs' plans.
 */
#include "config.h"

#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "dialog.h"
#include "keymap.h"
#include "format.h"
#include "prompt.h"
#include "screens.h"
#include "util.h"
#include "worker.h"



/* Enter on the o and k prompts: the plan, pinned to the process the key was pressed on. */
static const struct proc *
selected_proc(const struct ui *ui)
{
	const struct row *r;

	if (!ui->snap || ui->rows.n == 0)
		return NULL;
	r = &ui->rows.v[ui->sel];
	return r->kind == ROW_PROC ? &ui->snap->procs[r->idx] : NULL;
}

/* o, m and k change the system: not with --read-only. */
static bool
actions_allowed(struct ui *ui, enum action a)
{
	const char *key = a == ACT_OOM_ADJ ? "o" : a == ACT_LIMITS ? "m" : "k";

	if (ui->replay) {
		ui_message(ui, "%s: unavailable in a replay: it shows the past", key);
		return false;
	}
	if (ui->actx.read_only) {
		ui_message(ui, "%s: unavailable: --read-only", key);
		return false;
	}
	if (ui->actx.refuse_why[0]) { /* set-user-ID: act_guard.h */
		ui_message(ui, "%s: unavailable: %s", key, ui->actx.refuse_why);
		return false;
	}
	return true;
}

/* o and k: ask for the value (oom_score_adj, or the signal) for the selected process. */
static void
start_proc_action(struct ui *ui, enum action a)
{
	const struct proc *p = selected_proc(ui);
	char comm[128], title[UI_TEXT];

	if (!p) {
		ui_message(ui, "%s: select a process row first", a == ACT_OOM_ADJ ? "o" : "k");
		return;
	}
	ident_of_row(&ui->act_id, ui->snap, &ui->rows.v[ui->sel]);
	fmt_escape(comm, sizeof(comm), proc_comm(p), ui->ascii);
	if (a == ACT_OOM_ADJ) {
		/* No value offered: the table's may be a few refreshes old; the plan reads /proc.
		 */
		snprintf(title, sizeof(title),
			 "oom_score_adj of PID %d (%s), -1000..1000: ", (int)p->pid, comm);
		prompt_open(ui, PR_ADJ, title, "");
	} else {
		snprintf(title, sizeof(title),
			 "Signal to PID %d (%s), e.g. TERM, KILL, HUP: ", (int)p->pid, comm);
		prompt_open(ui, PR_SIGNAL, title, "TERM");
	}
}

/* m: the memory-limit form of the selected cgroup, or of the selected process's cgroup. */
static void
start_limits(struct ui *ui)
{
	const struct snapshot *s = ui->snap;
	const struct row *r;
	const char *path;
	int cg;

	if (!s || ui->rows.n == 0) {
		ui_message(ui, "m: select a container or a process row first");
		return;
	}
	r = &ui->rows.v[ui->sel];
	if (r->kind == ROW_CGROUP) {
		cg = r->idx;
		path = s->cgroups[cg].path;
	} else {
		cg = s->procs[r->idx].cg;
		path = cg >= 0 ? s->cgroups[cg].path : s->procs[r->idx].cgroup;
	}
	if (!path) {
		ui_message(ui, "m: the memory cgroup of this process is not known");
		return;
	}
	ui_open_dialog(
	    ui, dialog_new_form(s, cg, path, cg >= 0 ? s->cgroups[cg].version : s->cgroup_version));
}

/* f: ask for a size; in the container view about the selected row's cgroup too. */
static void
start_fits(struct ui *ui)
{
	char title[UI_TEXT], name[160], raw[160];

	ident_clear(&ui->fits_id);
	if (ui->view == VIEW_CGROUPS && ui->snap && ui->rows.n) {
		const struct row *r = &ui->rows.v[ui->sel];
		int cg = r->kind == ROW_CGROUP ? r->idx : ui->snap->procs[r->idx].cg;

		if (cg >= 0) {
			ui->fits_id.kind = ROW_CGROUP;
			ui->fits_id.path = xstrdup(ui->snap->cgroups[cg].path);
		}
	}
	if (ui->fits_id.path) {
		fmt_cgroup_short(raw, sizeof(raw), ui->fits_id.path);
		fmt_escape(name, sizeof(name), raw, ui->ascii);
		snprintf(title, sizeof(title), "Would SIZE fit now in %s? SIZE: ", name);
	} else {
		snprintf(title, sizeof(title), "Would SIZE fit now on the host? SIZE: ");
	}
	prompt_open(ui, PR_FITS, title, "");
}

/* The cgroup row above row i that holds it (its parent in the tree), or -1. */
static long
parent_row(const struct ui *ui, long i)
{
	int depth = ui->rows.v[i].depth;

	for (long k = i - 1; k >= 0; k--)
		if (ui->rows.v[k].depth < depth && ui->rows.v[k].kind == ROW_CGROUP)
			return k;
	return -1;
}

/* + / - / Right / Left in the container view. */
static void
expand_collapse(struct ui *ui, bool expand)
{
	const struct row *r;
	const char *path;

	if (ui->view != VIEW_CGROUPS || ui->rows.n == 0)
		return;
	r = &ui->rows.v[ui->sel];
	if (r->kind == ROW_CGROUP && r->has_children && r->expanded != expand) {
		path = ui->snap->cgroups[r->idx].path;
		pathset_set(&ui->collapsed, path, !expand);
		ui_rebuild(ui);
		return;
	}
	if (!expand) {
		long p = parent_row(ui, ui->sel);

		if (p >= 0)
			ui_select_row(ui, p);
	}
}

static void
change_sort(struct ui *ui, int step)
{
	long n = (long)procs_ncols();

	if (ui->view == VIEW_CGROUPS)
		keys_cg_sort(ui, (ui->cg_sort + step + CGS__COUNT) % CGS__COUNT);
	else
		keys_sort_col(ui, (int)(((long)ui->sort_col + step + n) % n));
}

void
keys_cg_sort(struct ui *ui, int key)
{
	if (key < 0 || key >= CGS__COUNT)
		return;
	ui->cg_sort = key;
	ui->cg_ascending = cgroups_sort_ascending(key);
	ui_rebuild(ui);
}

void
keys_invert_sort(struct ui *ui)
{
	if (ui->view == VIEW_CGROUPS)
		ui->cg_ascending = !ui->cg_ascending;
	else
		ui->sort.ascending = !ui->sort.ascending;
	ui_rebuild(ui);
}

void
keys_sort_col(struct ui *ui, int col)
{
	if (col < 0 || (size_t)col >= procs_ncols())
		return;
	ui->sort_col = col;
	ui->sort = procs_col_sort((size_t)col);
	ui_rebuild(ui);
}

bool
keys_common(struct ui *ui, enum action a, enum key_result *res)
{
	switch (a) {
	case ACT_QUIT:
		*res = KR_QUIT;
		return true;
	case ACT_PAUSE:
		ui->paused = !ui->paused;
		ui_message(ui, ui->paused ? "paused: space resumes" : "resumed");
		return true;
	case ACT_REFRESH:
		ui_request_snapshot(ui);
		clearok(curscr, TRUE);
		return true;
	case ACT_DELAY: {
		char cur[32];

		snprintf(cur, sizeof(cur), "%g", ui->delay);
		prompt_open(ui, PR_DELAY, "Delay (seconds): ", cur);
		return true;
	}
	default:
		return false;
	}
}

/* Scrolling in a pane. */
static void
pane_scroll(int *scroll, enum action a, int page)
{
	switch (a) {
	case ACT_UP:
		(*scroll)--;
		break;
	case ACT_DOWN:
		(*scroll)++;
		break;
	case ACT_PGUP:
		*scroll -= page;
		break;
	case ACT_PGDN:
		*scroll += page;
		break;
	case ACT_HOME:
		*scroll = 0;
		break;
	case ACT_END:
		*scroll = 1 << 30;
		break;
	default:
		break;
	}
	if (*scroll < 0)
		*scroll = 0;
}

static bool
is_scroll(enum action a)
{
	return a == ACT_UP || a == ACT_DOWN || a == ACT_PGUP || a == ACT_PGDN || a == ACT_HOME ||
	       a == ACT_END;
}

void
keys_unbound(struct ui *ui, struct key k)
{
	char name[32];

	if (!k.fn && k.code == 'H') {
		ui_message(ui, "H: oomlens lists processes, not threads; K hides kernel threads");
		return;
	}
	if (!k.fn && k.code > 32 && k.code < 127)
		snprintf(name, sizeof(name), "%c", k.code);
	else
		snprintf(name, sizeof(name), "%s", keyname(k.code) ? keyname(k.code) : "?");
	ui_message(ui, "%s: not a key here; h or F1 lists the keys", name);
}

/* A change asks for a fresh collection. */
bool
keys_dialog(struct ui *ui, enum action a, struct key k)
{
	enum dialog_result r = dialog_key(ui->dlg, &ui->actx, k, a, ui->page_rows);

	if (r == DLGR_OPEN)
		return true;
	ui_close_dialog(ui);
	/*
	 * The change shows at once: this collection reads the slow files
	 * (oom_score_adj...) of every process too.
	 */
	if (r == DLGR_CHANGED && ui->worker) {
		worker_request_fresh(ui->worker);
		ui->last_collect = ui_now();
	}
	return true;
}

/* Detail, events and fits panes: close, or open another pane in their place. */
static void
pane_switch(struct ui *ui, enum action a)
{
	if (a == ACT_DETAIL || a == ACT_CLEAR || (a == ACT_EVENTS && ui->overlay == OV_EVENTS))
		ui->overlay = OV_NONE;
	else if (a == ACT_HELP)
		ui->overlay = OV_HELP;
	else if (a == ACT_EVENTS)
		ui->overlay = OV_EVENTS;
	else if (a == ACT_FITS)
		start_fits(ui);
}

bool
keys_detail(struct ui *ui, enum action a, struct key k)
{
	(void)k;
	if (is_scroll(a))
		pane_scroll(&ui->detail_scroll, a, ui->page_rows);
	else
		pane_switch(ui, a);
	return a != ACT_NONE;
}

bool
keys_events(struct ui *ui, enum action a, struct key k)
{
	(void)k;
	if (is_scroll(a) || a == ACT_DETAIL)
		events_key(ui, a);
	else
		pane_switch(ui, a);
	return a != ACT_NONE;
}

bool
keys_fits(struct ui *ui, enum action a, struct key k)
{
	(void)k;
	if (is_scroll(a))
		pane_scroll(&ui->fits_scroll, a, ui->page_rows);
	else
		pane_switch(ui, a);
	return a != ACT_NONE;
}

/* As in top and htop, q returns from the help; F10 still quits (panes.c). */
bool
keys_help(struct ui *ui, enum action a, struct key k)
{
	(void)k;
	if (is_scroll(a))
		pane_scroll(&ui->help_scroll, a, ui->page_rows);
	else
		ui->overlay = OV_NONE;
	return true;
}

/* Moving the selection in the table. */
static bool
move_key(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_UP:
		ui_select_row(ui, ui->sel - 1);
		break;
	case ACT_DOWN:
		ui_select_row(ui, ui->sel + 1);
		break;
	case ACT_PGUP:
		ui_select_row(ui, ui->sel - ui->page_rows);
		ui->top -= ui->page_rows;
		break;
	case ACT_PGDN:
		ui_select_row(ui, ui->sel + ui->page_rows);
		ui->top += ui->page_rows;
		break;
	case ACT_HOME:
		ui_select_row(ui, 0);
		break;
	case ACT_END:
		ui_select_row(ui, (long)ui->rows.n - 1);
		break;
	case ACT_EXPAND:
		expand_collapse(ui, true);
		break;
	case ACT_COLLAPSE:
		expand_collapse(ui, false);
		break;
	default:
		return false;
	}
	return true;
}

/* What the table shows: sort, search, filters, view. */
static bool
view_key(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_SORT_PREV:
	case ACT_SORT_NEXT:
		change_sort(ui, a == ACT_SORT_PREV ? -1 : 1);
		break;
	case ACT_SORT_INVERT:
		keys_invert_sort(ui);
		break;
	case ACT_SORT_BY:
		sortby_open(ui);
		break;
	case ACT_SEARCH:
		prompt_open(ui, PR_SEARCH, "Search: ", "");
		break;
	case ACT_SEARCH_NEXT:
		if (!ui->search[0])
			ui_message(ui, "n: no search yet; / or F3 searches");
		else if (!prompt_search_from(ui, ui->sel + 1, ui->search))
			ui_message(ui, "not found");
		break;
	case ACT_FILTER:
		prompt_open(ui, PR_FILTER, "Filter: ", ui->filter);
		break;
	case ACT_USER:
		prompt_open(ui, PR_USER, "Show processes of user (empty: all): ", ui->user);
		break;
	case ACT_KTHREADS:
		ui->hide_kthreads = !ui->hide_kthreads;
		ui_message(ui, ui->hide_kthreads ? "kernel threads hidden (K shows them)"
						 : "kernel threads shown");
		ui_rebuild(ui);
		break;
	case ACT_CLEAR:
		ui->filter[0] = '\0';
		ui->search[0] = '\0';
		ui->user[0] = '\0';
		ui_rebuild(ui);
		break;
	case ACT_CONTAINERS:
		ui->view = ui->view == VIEW_PROCS ? VIEW_CGROUPS : VIEW_PROCS;
		ui_rebuild(ui);
		break;
	case ACT_TREE:
		ui->tree = !ui->tree;
		ui->view = VIEW_PROCS;
		ui_rebuild(ui);
		break;
	default:
		return false;
	}
	return true;
}

/* Panes opened from the table, the actions and the replay. */
static bool
open_key(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_DETAIL:
		if (ui->rows.n) {
			ident_of_row(&ui->detail_id, ui->snap, &ui->rows.v[ui->sel]);
			ui->detail_scroll = 0;
			ui->overlay = OV_DETAIL;
		}
		break;
	case ACT_HELP:
		ui->help_scroll = 0;
		ui->overlay = OV_HELP;
		break;
	case ACT_OOM_ADJ:
	case ACT_SIGNAL:
		if (actions_allowed(ui, a))
			start_proc_action(ui, a);
		break;
	case ACT_LIMITS:
		if (actions_allowed(ui, a))
			start_limits(ui);
		break;
	case ACT_EVENTS:
		ui->events_scroll = 0;
		ui->events_sel = 0;
		ui->overlay = OV_EVENTS;
		break;
	case ACT_FITS:
		start_fits(ui);
		break;
	case ACT_STEP_BACK:
	case ACT_STEP_FWD:
	case ACT_JUMP_BACK:
	case ACT_JUMP_FWD:
		ui_replay_move(ui, a);
		break;
	case ACT_GOTO:
		if (ui->replay)
			prompt_open(ui, PR_GOTO,
				    "Go to (HH:MM[:SS], YYYY-MM-DD HH:MM, +5m, -90s): ", "");
		else
			ui_replay_move(ui, a);
		break;
	case ACT_SAVE:
		ui_save_layout(ui);
		break;
	case ACT_SETUP:
		setup_open(ui);
		break;
	default:
		return false;
	}
	return true;
}

bool
keys_table(struct ui *ui, enum action a, struct key k)
{
	(void)k;
	return move_key(ui, a) || view_key(ui, a) || open_key(ui, a);
}
