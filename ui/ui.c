/*
 * ui.c - the interactive monitor's loop: terminal set-up and its restore
 * (on q, SIGINT, SIGTERM, SIGHUP, crashes and fatal errors), one snapshot
 * per delay from the collector thread (worker.c), keys read with a short
 * timeout while a collection is under way so the keyboard never waits for
 * it, prompts, and the layout of the screens.  Each frame is drawn with
 * erase() and doupdate(), so curses sends only what changed, and only when
 * a key, a snapshot or the clock changed something.  It owns the UI state;
 * it reads nothing from /proc or cgroupfs itself.
 */
#include "config.h"

#include "ui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "cli.h"
#include "collect.h"
#include "config_file.h"
#include "record.h"
#include "source.h"
#include "dialog.h"
#include "draw.h"
#include "fits.h"
#include "format.h"
#include "keymap.h"
#include "rows.h"
#include "screens.h"
#include "state.h"
#include "theme.h"
#include "users.h"
#include "util.h"
#include "worker.h"

#define UI_MIN_DELAY   0.1
#define UI_MAX_DELAY   86400.0
#define UI_MSG_SECONDS 4.0
/* Poll for the worker's snapshot this often (ms) while a collection is under way. */
#define UI_POLL_MS 20
/*
 * The monitor reads a known process's slow-changing files (status,
 * oom_score, oom_score_adj) every 5th refresh, staggered by PID
 * (collect.h), its cmdline every 30th (an exec, seen as another comm, reads
 * it at once); stat, and so RES, VIRT and KBAD, every refresh.  Its cgroup
 * comes from the cgroups' member lists every 5th refresh (collect.c).
 */
#define UI_REFRESH_EVERY 5
#define UI_REFRESH_TEXTS 30

static volatile sig_atomic_t quit_signal;
static bool curses_on;

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static struct sigaction crash_old[ARRAY_SIZE(crash_signals)];

/* Give the terminal back: idempotent, for every way out. */
static void
restore_terminal(void)
{
	if (!curses_on)
		return;
	curses_on = false;
	endwin();
}

static void
on_quit_signal(int sig)
{
	quit_signal = sig;
}

/* A crash: restore the terminal, then let the previous handler (or the default) act. */
static void
on_crash_signal(int sig)
{
	restore_terminal();
	for (size_t i = 0; i < ARRAY_SIZE(crash_signals); i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &crash_old[i], NULL);
	raise(sig);
}

static void
install_signals(void)
{
	static const int quit[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal; /* no SA_RESTART: a waiting read returns at once */
	for (size_t i = 0; i < ARRAY_SIZE(quit); i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = on_crash_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < ARRAY_SIZE(crash_signals); i++)
		sigaction(crash_signals[i], &sa, &crash_old[i]);
}

static void
uninstall_signals(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(crash_signals); i++)
		sigaction(crash_signals[i], &crash_old[i], NULL);
}

double
ui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_until = ui_now() + UI_MSG_SECONDS;
}

void
ui_rebuild(struct ui *ui)
{
	struct rows_opts o = {
	    .sort = ui->sort, .tree = ui->tree, .filter = ui->filter, .collapsed = &ui->collapsed};
	long i;

	if (!ui->snap) {
		ui->rows.n = 0;
		return;
	}
	if (ui->view == VIEW_PROCS)
		rows_procs(ui->snap, &o, &ui->rows);
	else
		rows_cgroups(ui->snap, &o, &ui->rows);
	i = ident_find(&ui->sel_id, ui->snap, &ui->rows);
	if (i >= 0)
		ui->sel = i;
	if (ui->sel >= (long)ui->rows.n)
		ui->sel = (long)ui->rows.n - 1;
	if (ui->sel < 0)
		ui->sel = 0;
	if (ui->rows.n)
		ident_of_row(&ui->sel_id, ui->snap, &ui->rows.v[ui->sel]);
}

/* Select row i and remember what it is. */
static void
select_row(struct ui *ui, long i)
{
	if (ui->rows.n == 0)
		return;
	if (i >= (long)ui->rows.n)
		i = (long)ui->rows.n - 1;
	if (i < 0)
		i = 0;
	ui->sel = i;
	ident_of_row(&ui->sel_id, ui->snap, &ui->rows.v[i]);
}

/* Take a new snapshot in; on failure (ns NULL) keep showing the last one and say why. */
static void
take_snapshot(struct ui *ui, struct snapshot *ns, int r)
{
	const struct host *h;

	if (r < 0 || !ns) {
		ui->collect_err = r < 0 ? r : -EIO;
		snapshot_free(ns);
		return;
	}
	ui->collect_err = 0;
	h = &ns->host;

	if (ui->psi_n == UI_PSI_HISTORY) {
		memmove(ui->psi_hist, ui->psi_hist + 1,
			(UI_PSI_HISTORY - 1) * sizeof(ui->psi_hist[0]));
		ui->psi_n--;
	}
	ui->psi_hist[ui->psi_n++] =
	    h->psi.present && val_is_ok(h->psi.some.avg10) ? h->psi.some.avg10.v : -1;

	if (val_is_ok(h->oom_kill) && val_is_ok(ui->oom_kill) && h->oom_kill.v > ui->oom_kill.v) {
		ui->oom_delta = h->oom_kill.v - ui->oom_kill.v;
		ui->oom_changed_at = ui_now();
	}
	ui->oom_kill = h->oom_kill;

	snapshot_free(ui->snap);
	ui->snap = ns;
	if (ui->replay) {
		struct timespec first, last;

		snap_source_position(ui->src, &ui->rp_pos, &ui->rp_count, &first, &last);
	}
	ui_rebuild(ui);
}

/* The sparkline and the oom_kill highlight follow time forward only: start them afresh. */
static void
forget_history(struct ui *ui)
{
	ui->psi_n = 0;
	ui->oom_kill = val_unknown(0);
	ui->oom_changed_at = -1;
}

/* [ ] { }: step through the recording, or jump a minute. */
static void
replay_move(struct ui *ui, enum action a)
{
	struct snapshot *ns = NULL;
	struct timespec t;
	size_t before = ui->rp_pos;
	int r;

	if (!ui->replay) {
		ui_message(ui, "[ ] { } g step through a recording: oomlens --replay FILE");
		return;
	}
	if (a == ACT_STEP_FWD) {
		r = snap_source_next(ui->src, &ns);
	} else if (a == ACT_STEP_BACK) {
		r = snap_source_prev(ui->src, &ns);
	} else {
		t = ui->snap ? ui->snap->wall : (struct timespec){0, 0};
		t.tv_sec += a == ACT_JUMP_FWD ? 60 : -60;
		r = snap_source_seek_time(ui->src, &t, &ns);
		/* A gap longer than the jump: at least one step on. */
		if (r == 0 && a == ACT_JUMP_FWD && ns && ui->snap &&
		    ns->wall.tv_sec <= ui->snap->wall.tv_sec) {
			snapshot_free(ns);
			ns = NULL;
			r = snap_source_seek_index(ui->src, before, &ns);
			if (r == 0) {
				snapshot_free(ns);
				ns = NULL;
				r = snap_source_next(ui->src, &ns);
			}
		}
	}
	if (r == -ENODATA || r == -ERANGE) {
		ui_message(ui, "%s of the recording",
			   a == ACT_STEP_BACK || a == ACT_JUMP_BACK ? "the start" : "the end");
		snap_source_seek_index(ui->src, before, &ns);
		snapshot_free(ns);
		return;
	}
	if (r < 0) {
		ui_message(ui, "replay: %s", strerror(-r));
		return;
	}
	if (a != ACT_STEP_FWD)
		forget_history(ui);
	take_snapshot(ui, ns, 0);
}

/* Enter on the g prompt: the snapshot taken at or before the time typed. */
static void
replay_goto(struct ui *ui)
{
	struct snapshot *ns = NULL;
	struct timespec t = {0, 0};
	char shown[UI_TEXT];
	time_t when;
	int r;

	if (fmt_parse_time(ui->pbuf, ui->snap ? ui->snap->wall.tv_sec : time(NULL), &when) < 0) {
		fmt_escape(shown, sizeof(shown), ui->pbuf, ui->ascii);
		ui_message(ui, "g: \"%s\" is not a time (HH:MM[:SS], YYYY-MM-DD HH:MM, +5m, -90s)",
			   shown);
		return;
	}
	t.tv_sec = when;
	r = snap_source_seek_time(ui->src, &t, &ns);
	if (r < 0) {
		ui_message(ui, "g: %s", strerror(-r));
		return;
	}
	forget_history(ui);
	take_snapshot(ui, ns, 0);
}

/* W: the layout (view, sort, columns, delay, colours) into the config file, through config_save().
 */
static void
save_layout(struct ui *ui)
{
	struct config cfg;
	char path[4096] = "", shown[4200];
	const char *to = ui->opts->config_file;
	size_t n = 0;
	int r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.set = CFG_VIEW | CFG_COLUMNS | CFG_DELAY | CFG_COLOR;
	cfg.view = ui->view == VIEW_CGROUPS ? CONFIG_VIEW_CONTAINERS : CONFIG_VIEW_PROCESSES;
	for (size_t i = 0; i < procs_ncols() && n < CONFIG_MAX_COLUMNS; i++)
		if (!(ui->hidden_cols & (1u << i)))
			snprintf(cfg.columns[n++], CONFIG_COLUMN_LEN, "%s", procs_col_title(i));
	cfg.n_columns = n;
	if (ui->sort.key != UI_SORT_AVAIL) {
		cfg.set |= CFG_SORT;
		cfg.sort = (enum sort_key)ui->sort.key;
	}
	cfg.delay = ui->delay;
	cfg.color = !ui->opts->no_color;
	if (!to && config_user_path(path, sizeof(path)) == 0)
		to = path;
	if (!to) {
		ui_message(ui, "W: no place for the config file (set HOME or XDG_CONFIG_HOME)");
		return;
	}
	r = config_save(to, &cfg);
	fmt_escape(shown, sizeof(shown), to, ui->ascii);
	if (r < 0)
		ui_message(ui, "W: cannot save %s: %s", shown, strerror(-r));
	else
		ui_message(ui, "layout saved to %s", shown);
}

/* Ask the worker for a snapshot now. */
static void
request_snapshot(struct ui *ui)
{
	if (!ui->worker)
		return;
	worker_request(ui->worker);
	ui->last_collect = ui_now();
}

/* The worker's finished snapshot, if there is one; true when one came. */
static bool
poll_snapshot(struct ui *ui)
{
	struct worker_result res;

	if (!ui->worker || !worker_take(ui->worker, &res))
		return false;
	take_snapshot(ui, res.snap, res.err);
	if (res.record_err < 0)
		ui_message(ui, "--record %s: %s", record_path(ui->rec), strerror(-res.record_err));
	return true;
}

/* Where things go on this screen size. */
struct frame {
	int header; /* header lines at the top */
	int y0, y1; /* the table: its title line at y0, rows below up to y1 - 1 */
	int status; /* the status line, -1 when there is no room */
};

static struct frame
frame_of(void)
{
	struct frame f;

	f.header = header_lines(LINES);
	f.status = LINES >= 2 ? LINES - 1 : -1;
	f.y0 = f.header;
	f.y1 = LINES >= 2 ? LINES - 1 : LINES;
	if (f.y0 > f.y1)
		f.y0 = f.y1;
	return f;
}

/* Keep the selection on screen. */
static void
scroll_to_selection(struct ui *ui, const struct frame *f)
{
	long rows = f->y1 - f->y0 - 1;

	ui->page_rows = rows > 1 ? (int)rows : 1;
	if (rows < 1)
		rows = 1;
	if (ui->sel < ui->top)
		ui->top = ui->sel;
	if (ui->sel >= ui->top + rows)
		ui->top = ui->sel - rows + 1;
	if (ui->top > (long)ui->rows.n - rows)
		ui->top = (long)ui->rows.n - rows;
	if (ui->top < 0)
		ui->top = 0;
}

static void
draw(struct ui *ui)
{
	struct frame f = frame_of();

	ui->now = ui_now();
	scroll_to_selection(ui, &f);
	erase();
	screen_header(ui, f.header);
	if (ui->overlay == OV_HELP)
		screen_help(ui, f.y0, f.y1);
	else if (ui->overlay == OV_DETAIL)
		screen_detail(ui, f.y0, f.y1);
	else if (ui->overlay == OV_DIALOG && ui->dlg)
		screen_dialog(ui, f.y0, f.y1);
	else if (ui->overlay == OV_EVENTS)
		screen_events(ui, f.y0, f.y1);
	else if (ui->overlay == OV_FITS)
		screen_fits(ui, f.y0, f.y1);
	else if (ui->view == VIEW_CGROUPS)
		screen_cgroups(ui, f.y0, f.y1);
	else
		screen_procs(ui, f.y0, f.y1);
	curs_set(0);
	screen_status(ui, f.status >= 0 ? f.status : 0);
	if (ui->prompt != PR_NONE || (ui->dlg && ui->dlg->stage == DLG_DANGER))
		curs_set(1);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Whether row i matches needle (search). */
static bool
row_matches(const struct ui *ui, size_t i, const char *needle)
{
	const struct row *r = &ui->rows.v[i];

	if (r->kind == ROW_PROC)
		return rows_proc_matches(&ui->snap->procs[r->idx], needle);
	return strcasestr(ui->snap->cgroups[r->idx].path, needle) != NULL;
}

/* Select the first row matching needle from row `from` on, wrapping around. */
static bool
search_from(struct ui *ui, long from, const char *needle)
{
	size_t n = ui->rows.n;

	if (!needle[0] || n == 0)
		return true;
	for (size_t k = 0; k < n; k++) {
		size_t i = (size_t)((from + (long)k) % (long)n + (long)n) % n;

		if (row_matches(ui, i, needle)) {
			select_row(ui, (long)i);
			return true;
		}
	}
	return false;
}

/* Drop the last UTF-8 character of a prompt buffer. */
static void
prompt_backspace(char *buf)
{
	size_t n = strlen(buf);

	while (n > 0) {
		n--;
		if (((unsigned char)buf[n] & 0xc0) != 0x80)
			break;
	}
	buf[n] = '\0';
}

/* Apply what is typed so far: the filter and the search follow each key. */
static void
prompt_live(struct ui *ui)
{
	if (ui->prompt == PR_FILTER) {
		snprintf(ui->filter, sizeof(ui->filter), "%s", ui->pbuf);
		ui_rebuild(ui);
	} else if (ui->prompt == PR_SEARCH && ui->pbuf[0]) {
		if (!search_from(ui, ui->sel, ui->pbuf))
			ui_message(ui, "not found");
	}
}

static void
open_dialog(struct ui *ui, struct dialog *d)
{
	dialog_free(ui->dlg, &ui->actx);
	ui->dlg = d;
	ui->overlay = OV_DIALOG;
}

/* Close the dialog; one left undecided is declined, so the audit trail has it. */
static void
close_dialog(struct ui *ui)
{
	dialog_free(ui->dlg, &ui->actx);
	ui->dlg = NULL;
	if (ui->overlay == OV_DIALOG)
		ui->overlay = OV_NONE;
}

/* Enter on the o and k prompts: the plan, pinned to the process the key was pressed on. */
static void
plan_proc_action(struct ui *ui, enum ui_prompt p)
{
	struct act_plan *plan;

	if (p == PR_ADJ) {
		plan = act_plan_proc(&ui->actx, ui->act_id.pid, ui->act_id.start_ticks, ui->pbuf);
		open_dialog(ui, dialog_new_plan("Change oom_score_adj", plan));
	} else {
		plan = act_plan_signal(&ui->actx, ui->act_id.pid, ui->act_id.start_ticks, ui->pbuf);
		open_dialog(ui, dialog_new_plan("Send a signal", plan));
	}
}

/* Enter on the f prompt: the size, then the panel that answers. */
static void
accept_fits(struct ui *ui)
{
	char shown[UI_TEXT];
	uint64_t size;

	if (fits_parse_size(ui->pbuf, &size) < 0) {
		fmt_escape(shown, sizeof(shown), ui->pbuf, ui->ascii);
		ui_message(ui, "f: \"%s\" is not a size (e.g. 512m, 1.5g, 100MiB)", shown);
		return;
	}
	ui->fits_size = size;
	ui->fits_scroll = 0;
	ui->overlay = OV_FITS;
}

static void
prompt_accept(struct ui *ui)
{
	enum ui_prompt p = ui->prompt;

	ui->prompt = PR_NONE;
	if (p == PR_ADJ || p == PR_SIGNAL) {
		plan_proc_action(ui, p);
	} else if (p == PR_FITS) {
		accept_fits(ui);
	} else if (p == PR_GOTO) {
		replay_goto(ui);
	} else if (p == PR_DELAY) {
		char *end = NULL;
		double d;

		errno = 0;
		d = strtod(ui->pbuf, &end);
		if (errno || end == ui->pbuf || *end || !isfinite(d) || d < UI_MIN_DELAY ||
		    d > UI_MAX_DELAY) {
			ui_message(ui, "delay: a number of seconds from %.1f to %.0f, not \"%s\"",
				   UI_MIN_DELAY, UI_MAX_DELAY, ui->pbuf);
			return;
		}
		ui->delay = d;
		ui_message(ui, "delay %.2fs", d);
	} else if (p == PR_SEARCH) {
		if (ui->pbuf[0]) {
			snprintf(ui->search, sizeof(ui->search), "%s", ui->pbuf);
		} else if (ui->search[0] && !search_from(ui, ui->sel + 1, ui->search)) {
			ui_message(ui, "not found");
		}
	} else if (p == PR_FILTER) {
		snprintf(ui->filter, sizeof(ui->filter), "%s", ui->pbuf);
		ui_rebuild(ui);
	}
}

/* A key while a prompt is open. */
static void
prompt_key(struct ui *ui, struct key k)
{
	if (!k.fn && k.code == 27) {
		if (ui->prompt == PR_FILTER) {
			ui->filter[0] = '\0';
			ui_rebuild(ui);
		}
		ui->prompt = PR_NONE;
		return;
	}
	if ((!k.fn && (k.code == '\n' || k.code == '\r')) || (k.fn && k.code == KEY_ENTER)) {
		prompt_accept(ui);
		return;
	}
	if ((k.fn && k.code == KEY_BACKSPACE) || (!k.fn && (k.code == 127 || k.code == 8))) {
		prompt_backspace(ui->pbuf);
		prompt_live(ui);
		return;
	}
	if (!k.fn && k.code == ('U' & 0x1f)) {
		ui->pbuf[0] = '\0';
		prompt_live(ui);
		return;
	}
	if (!k.fn && k.code >= 32 && k.code != 127) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n, len = strlen(ui->pbuf);

		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)k.code, &st);
		if (n == (size_t)-1 || len + n >= sizeof(ui->pbuf))
			return;
		memcpy(ui->pbuf + len, mb, n);
		ui->pbuf[len + n] = '\0';
		prompt_live(ui);
	}
}

/* Open a prompt labelled title (safe to draw) with initial text. */
static void
open_prompt(struct ui *ui, enum ui_prompt p, const char *title, const char *initial)
{
	ui->prompt = p;
	snprintf(ui->ptitle, sizeof(ui->ptitle), "%s", title);
	snprintf(ui->pbuf, sizeof(ui->pbuf), "%s", initial);
}

/* The selected row's process, or NULL when a cgroup row (or nothing) is selected. */
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
	fmt_escape(comm, sizeof(comm), p->comm, ui->ascii);
	if (a == ACT_OOM_ADJ) {
		/* No value offered: the table's may be a few refreshes old; the plan reads /proc.
		 */
		snprintf(title, sizeof(title),
			 "oom_score_adj of PID %d (%s), -1000..1000: ", (int)p->pid, comm);
		open_prompt(ui, PR_ADJ, title, "");
	} else {
		snprintf(title, sizeof(title),
			 "Signal to PID %d (%s), e.g. TERM, KILL, HUP: ", (int)p->pid, comm);
		open_prompt(ui, PR_SIGNAL, title, "TERM");
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
	open_dialog(
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
	open_prompt(ui, PR_FITS, title, "");
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
			select_row(ui, p);
	}
}

static void
change_sort(struct ui *ui, int step)
{
	long n = (long)procs_ncols();

	ui->sort_col = (int)(((long)ui->sort_col + step + n) % n);
	ui->sort = procs_col_sort((size_t)ui->sort_col);
	ui_rebuild(ui);
}

enum key_result { KR_CONTINUE, KR_QUIT };

/* Keys that work the same in the tables and the panes. */
static bool
common_key(struct ui *ui, enum action a, enum key_result *res)
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
		request_snapshot(ui);
		clearok(curscr, TRUE);
		return true;
	case ACT_DELAY: {
		char cur[32];

		snprintf(cur, sizeof(cur), "%g", ui->delay);
		open_prompt(ui, PR_DELAY, "Delay (seconds): ", cur);
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

static enum key_result
handle_key(struct ui *ui, struct key k)
{
	enum key_result res = KR_CONTINUE;
	enum action a;

	if (k.fn && k.code == KEY_RESIZE)
		return KR_CONTINUE;
	if (ui->prompt != PR_NONE) {
		prompt_key(ui, k);
		return KR_CONTINUE;
	}
	a = keymap_lookup(k);

	if (ui->overlay == OV_DIALOG && ui->dlg) {
		enum dialog_result r = dialog_key(ui->dlg, &ui->actx, k, a, ui->page_rows);

		if (r != DLGR_OPEN) {
			close_dialog(ui);
			/*
			 * The change shows at once: this collection reads the
			 * slow files (oom_score_adj...) of every process too.
			 */
			if (r == DLGR_CHANGED && ui->worker) {
				worker_request_fresh(ui->worker);
				ui->last_collect = ui_now();
			}
		}
		return KR_CONTINUE;
	}
	if (ui->overlay == OV_HELP) {
		if (a == ACT_QUIT)
			return KR_QUIT;
		if (is_scroll(a))
			pane_scroll(&ui->help_scroll, a, ui->page_rows);
		else
			ui->overlay = OV_NONE;
		return KR_CONTINUE;
	}
	if (common_key(ui, a, &res))
		return res;
	if (ui->overlay == OV_DETAIL || ui->overlay == OV_EVENTS || ui->overlay == OV_FITS) {
		int *sc = ui->overlay == OV_DETAIL   ? &ui->detail_scroll
			  : ui->overlay == OV_EVENTS ? &ui->events_scroll
						     : &ui->fits_scroll;

		if (is_scroll(a))
			pane_scroll(sc, a, ui->page_rows);
		else if (a == ACT_DETAIL || a == ACT_CLEAR ||
			 (a == ACT_EVENTS && ui->overlay == OV_EVENTS))
			ui->overlay = OV_NONE;
		else if (a == ACT_HELP)
			ui->overlay = OV_HELP;
		else if (a == ACT_EVENTS)
			ui->overlay = OV_EVENTS;
		else if (a == ACT_FITS)
			start_fits(ui);
		return KR_CONTINUE;
	}

	switch (a) {
	case ACT_UP:
		select_row(ui, ui->sel - 1);
		break;
	case ACT_DOWN:
		select_row(ui, ui->sel + 1);
		break;
	case ACT_PGUP:
		select_row(ui, ui->sel - ui->page_rows);
		ui->top -= ui->page_rows;
		break;
	case ACT_PGDN:
		select_row(ui, ui->sel + ui->page_rows);
		ui->top += ui->page_rows;
		break;
	case ACT_HOME:
		select_row(ui, 0);
		break;
	case ACT_END:
		select_row(ui, (long)ui->rows.n - 1);
		break;
	case ACT_SORT_PREV:
		change_sort(ui, -1);
		break;
	case ACT_SORT_NEXT:
		change_sort(ui, 1);
		break;
	case ACT_SORT_INVERT:
		ui->sort.ascending = !ui->sort.ascending;
		ui_rebuild(ui);
		break;
	case ACT_SEARCH:
		open_prompt(ui, PR_SEARCH, "Search: ", "");
		break;
	case ACT_FILTER:
		open_prompt(ui, PR_FILTER, "Filter: ", ui->filter);
		break;
	case ACT_CLEAR:
		ui->filter[0] = '\0';
		ui->search[0] = '\0';
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
	case ACT_DETAIL:
		if (ui->rows.n) {
			ident_of_row(&ui->detail_id, ui->snap, &ui->rows.v[ui->sel]);
			ui->detail_scroll = 0;
			ui->overlay = OV_DETAIL;
		}
		break;
	case ACT_EXPAND:
		expand_collapse(ui, true);
		break;
	case ACT_COLLAPSE:
		expand_collapse(ui, false);
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
		ui->overlay = OV_EVENTS;
		break;
	case ACT_FITS:
		start_fits(ui);
		break;
	case ACT_STEP_BACK:
	case ACT_STEP_FWD:
	case ACT_JUMP_BACK:
	case ACT_JUMP_FWD:
		replay_move(ui, a);
		break;
	case ACT_GOTO:
		if (ui->replay)
			open_prompt(ui, PR_GOTO,
				    "Go to (HH:MM[:SS], YYYY-MM-DD HH:MM, +5m, -90s): ", "");
		else
			replay_move(ui, a);
		break;
	case ACT_SAVE:
		save_layout(ui);
		break;
	default:
		break;
	}
	return res;
}

/*
 * Milliseconds to wait for a key: a short poll while a collection is under
 * way, else until the next one is due, at most a second.
 */
static int
wait_ms(const struct ui *ui)
{
	double left;

	if (ui->worker && worker_pending(ui->worker))
		return UI_POLL_MS;
	if (ui->paused || !ui->worker)
		return 1000;
	left = ui->last_collect + ui->delay - ui_now();
	if (left <= 0)
		return 0;
	if (left > 1.0)
		left = 1.0;
	return (int)(left * 1000) + 1;
}

/*
 * Home and End as terminals send them whatever TERM says (tmux sends
 * \e[1~ and \e[4~ under any TERM, xterm \eOH and \eOF, rxvt \e[7~ and \e[8~).
 */
static void
define_extra_keys(void)
{
	static const struct {
		const char *seq;
		int key;
	} extra[] = {
	    {"\033[1~", KEY_HOME}, {"\033[4~", KEY_END}, {"\033[7~", KEY_HOME},
	    {"\033[8~", KEY_END},  {"\033[H", KEY_HOME}, {"\033[F", KEY_END},
	    {"\033OH", KEY_HOME},  {"\033OF", KEY_END},
	};

	for (size_t i = 0; i < ARRAY_SIZE(extra); i++)
		if (key_defined(extra[i].seq) == 0)
			define_key(extra[i].seq, extra[i].key);
}

/*
 * After an Esc: if "[" or "O" follows at once, this is a function key of
 * some terminal curses does not know (CSI or SS3), not the Esc key: read
 * the rest of it (parameters, then a final byte from @ to ~) and say so.
 * Anything else after the Esc is given back to be read as a key.
 */
static bool
unknown_sequence(void)
{
	wint_t wc;
	int r;

	timeout(0);
	r = get_wch(&wc);
	if (r == ERR)
		return false;
	if (r != OK || (wc != '[' && wc != 'O')) {
		if (r == KEY_CODE_YES)
			ungetch((int)wc);
		else
			unget_wch((wchar_t)wc);
		return false;
	}
	for (int n = 0; n < 32; n++) {
		r = get_wch(&wc);
		if (r == ERR || (r == OK && wc >= 0x40 && wc <= 0x7e))
			break;
	}
	return true;
}

/*
 * The config file's keys that the monitor reads itself (config_apply() took
 * delay, sort, colour and read-only): the view, the process table's
 * columns (PID and COMMAND are always shown), the audit file and the
 * Docker socket for the actions.
 */
static void
apply_config(struct ui *ui, const struct config *cfg)
{
	if (cfg->set & CFG_VIEW)
		ui->view = cfg->view == CONFIG_VIEW_CONTAINERS ? VIEW_CGROUPS : VIEW_PROCS;
	if ((cfg->set & CFG_COLUMNS) && cfg->n_columns) {
		unsigned shown = 0;

		for (size_t i = 0; i < cfg->n_columns && i < CONFIG_MAX_COLUMNS; i++) {
			int c = procs_col_find(cfg->columns[i]);

			if (c >= 0)
				shown |= 1u << c;
		}
		shown |= 1u << procs_col_find("PID");
		shown |= 1u << procs_col_find("COMMAND");
		ui->hidden_cols = ~shown & ((1u << procs_ncols()) - 1);
	}
	if (cfg->set & CFG_AUDIT_FILE)
		ui->actx.audit_file = cfg->audit_file;
	if (cfg->set & CFG_DOCKER_SOCKET) {
		snprintf(ui->docker_host, sizeof(ui->docker_host), "unix://%s", cfg->docker_socket);
		ui->actx.docker_host = ui->docker_host;
	}
}

/* The live source, its worker thread and the recording; -1 (and a message) on failure. */
static int
open_source(struct ui *ui, const struct options *o, const struct collect_opts *co)
{
	int r;

	if (o->replay) {
		struct snapshot *first = NULL;

		r = snap_source_replay(o->replay, &ui->src);
		if (r < 0) {
			fprintf(stderr, "oomlens: cannot replay %s: %s\n", o->replay,
				r == -EINVAL ? "not an oomlens recording" : strerror(-r));
			return -1;
		}
		ui->replay = true;
		r = snap_source_next(ui->src, &first);
		if (r < 0) {
			fprintf(stderr, "oomlens: cannot replay %s: %s\n", o->replay,
				r == -ENODATA ? "the recording holds no snapshot" : strerror(-r));
			snap_source_free(ui->src);
			return -1;
		}
		take_snapshot(ui, first, 0);
		return 0;
	}
	if (o->record) {
		r = record_open(o->record, &ui->rec);
		if (r < 0) {
			fprintf(stderr, "oomlens: cannot record to %s: %s\n", o->record,
				r == -EINVAL ? "the file is not an oomlens recording"
					     : strerror(-r));
			return -1;
		}
	}
	ui->src = snap_source_live(co);
	ui->worker = worker_new(ui->src, ui->rec);
	if (!ui->worker) {
		fprintf(stderr, "oomlens: cannot start the collection thread: %s\n",
			strerror(errno));
		snap_source_free(ui->src);
		record_close(ui->rec);
		return -1;
	}
	return 0;
}

/* Stop the worker (after a collection under way), then free the source and the recording. */
static void
close_source(struct ui *ui)
{
	worker_free(ui->worker);
	ui->worker = NULL;
	snap_source_free(ui->src);
	ui->src = NULL;
	if (ui->rec) {
		int r = record_close(ui->rec);

		if (r < 0)
			fprintf(stderr, "oomlens: cannot record to %s: %s\n", ui->opts->record,
				strerror(-r));
	}
	ui->rec = NULL;
}

/* Set the terminal up; false (and a message) when there is none to use. */
static bool
start_curses(SCREEN **scr, bool want_color)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "oomlens: the monitor needs a terminal; use -b for batch output\n");
		return false;
	}
	*scr = newterm(NULL, stdout, stdin);
	if (!*scr) {
		fprintf(stderr,
			"oomlens: cannot use the terminal \"%s\"; use -b for batch output\n",
			term ? term : "(TERM unset)");
		return false;
	}
	curses_on = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	define_extra_keys();
	set_escdelay(25);
	curs_set(0);
	theme_init(want_color);
	return true;
}

int
ui_run(const struct options *o)
{
	struct collect_opts co = {.root = o->root,
				  .pids = o->pids,
				  .n_pids = o->n_pids,
				  .collector = o->collector,
				  .read_only = o->read_only,
				  .refresh_every = UI_REFRESH_EVERY,
				  .refresh_texts = UI_REFRESH_TEXTS};
	struct ui ui;
	SCREEN *scr = NULL;
	const char *cs;
	int status = 0;

	memset(&ui, 0, sizeof(ui));
	ui.opts = o;
	ui.delay = o->delay < UI_MIN_DELAY ? UI_MIN_DELAY : o->delay;
	ui.sort_col = (int)procs_default_col();
	ui.sort = procs_col_sort((size_t)ui.sort_col);
	if (o->sort_given) {
		for (size_t i = 0; i < procs_ncols(); i++) {
			if (procs_col_sort(i).key == (int)o->sort) {
				ui.sort_col = (int)i;
				ui.sort = procs_col_sort(i);
			}
		}
	}
	ui.sel_id.kind = -1;
	ui.detail_id.kind = -1;
	ui.act_id.kind = -1;
	ui.fits_id.kind = -1;
	act_ctx_init(&ui.actx);
	ui.actx.read_only = o->read_only;
	if (o->config)
		apply_config(&ui, o->config);
	if (o->audit_file)
		ui.actx.audit_file = o->audit_file;
	ui.oom_changed_at = -1;
	ui.oom_kill = val_unknown(0);

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	ui.ascii = !cs || strcmp(cs, "UTF-8") != 0;
	draw_ascii = ui.ascii;

	if (open_source(&ui, o, &co) < 0)
		return 1;
	install_signals();
	util_set_fatal_hook(restore_terminal);
	atexit(restore_terminal);
	if (!start_curses(&scr, !o->no_color)) {
		status = 1;
		goto out;
	}

	draw(&ui);
	request_snapshot(&ui);
	while (!quit_signal) {
		wint_t wc;
		int r;
		bool quit = false, dirty;

		/* Draw when a snapshot came or a wait ran out (the clock, messages), not per poll.
		 */
		timeout(wait_ms(&ui));
		r = get_wch(&wc);
		dirty = r != ERR || !ui.worker || !worker_pending(ui.worker);
		/* Every key already typed, before anything else. */
		while (r != ERR && !quit_signal) {
			struct key k = {.code = (int)wc, .fn = r == KEY_CODE_YES};

			if (!(r == OK && wc == 27 && unknown_sequence()) &&
			    handle_key(&ui, k) == KR_QUIT) {
				quit = true;
				break;
			}
			timeout(0);
			r = get_wch(&wc);
		}
		if (quit || quit_signal)
			break;
		dirty |= poll_snapshot(&ui);
		if (!ui.paused && ui.worker && !worker_pending(ui.worker) &&
		    ui_now() >= ui.last_collect + ui.delay)
			request_snapshot(&ui);
		if (dirty)
			draw(&ui);
	}
	if (quit_signal)
		status = 128 + quit_signal;

out:
	close_dialog(&ui);
	restore_terminal();
	if (scr)
		delscreen(scr);
	util_set_fatal_hook(NULL);
	uninstall_signals();
	close_source(&ui);
	snapshot_free(ui.snap);
	rows_free(&ui.rows);
	pathset_free(&ui.collapsed);
	ident_clear(&ui.sel_id);
	ident_clear(&ui.detail_id);
	ident_clear(&ui.act_id);
	ident_clear(&ui.fits_id);
	users_free();
	return status;
}
