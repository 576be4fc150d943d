/*
 * ui.c - the interactive monitor's loop: one snapshot per delay from the
 * collector thread (worker.c), keys read with a short timeout while a
 * collection is under way so the keyboard never waits for it and handed to
 * the pane on top (panes.c), the replay's steps, the saved layout, and
 * where the header, the pane, the key bar and the status line go.  The
 * terminal and the signals are term.c's.  Each frame is drawn with
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
#include "keys.h"
#include "mouse.h"
#include "panes.h"
#include "rows.h"
#include "screens.h"
#include "state.h"
#include "term.h"
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
	struct rows_opts o = {.sort = ui->sort,
			      .tree = ui->tree,
			      .filter = ui->filter,
			      .user = ui->user,
			      .hide_kthreads = ui->hide_kthreads,
			      .collapsed = &ui->collapsed,
			      .cg_sort = ui->cg_sort,
			      .cg_ascending = ui->cg_ascending};
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
void
ui_select_row(struct ui *ui, long i)
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

void
ui_open_dialog(struct ui *ui, struct dialog *d)
{
	dialog_free(ui->dlg, &ui->actx);
	ui->dlg = d;
	ui->overlay = OV_DIALOG;
}

void
ui_close_dialog(struct ui *ui)
{
	dialog_free(ui->dlg, &ui->actx);
	ui->dlg = NULL;
	if (ui->overlay == OV_DIALOG)
		ui->overlay = OV_NONE;
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
void
ui_replay_move(struct ui *ui, enum action a)
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
void
ui_replay_goto(struct ui *ui)
{
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
	r = ui_replay_seek(ui, &t);
	if (r < 0)
		ui_message(ui, "g: %s", strerror(-r));
}

int
ui_replay_seek(struct ui *ui, const struct timespec *t)
{
	struct snapshot *ns = NULL;
	int r = snap_source_seek_time(ui->src, t, &ns);

	if (r < 0)
		return r;
	forget_history(ui);
	take_snapshot(ui, ns, 0);
	return 0;
}

/* W: the layout (view, sort, columns, delay, colours) into the config file, through config_save().
 */
void
ui_save_layout(struct ui *ui)
{
	struct config cfg;
	char path[4096] = "", shown[4200];
	const char *to = ui->opts->config_file;
	size_t n = 0;
	int r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.set = CFG_VIEW | CFG_COLUMNS | CFG_DELAY | CFG_COLOR;
	cfg.view = ui->view == VIEW_CGROUPS ? CONFIG_VIEW_CONTAINERS : CONFIG_VIEW_PROCESSES;
	for (size_t k = 0; k < procs_ncols() && n < CONFIG_MAX_COLUMNS; k++) {
		size_t i = (size_t)ui->col_order[k];

		if (!(ui->hidden_cols & (1u << i)))
			snprintf(cfg.columns[n++], CONFIG_COLUMN_LEN, "%s", procs_col_title(i));
	}
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
void
ui_request_snapshot(struct ui *ui)
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
	int keybar; /* the function-key bar, -1 when there is no room */
};

/* Below this height the function-key bar gives its line to the table. */
#define UI_KEYBAR_MIN_LINES 12

static struct frame
frame_of(void)
{
	struct frame f;
	int bottom = LINES >= 2 ? 1 : 0;

	f.keybar = LINES >= UI_KEYBAR_MIN_LINES ? LINES - 1 : -1;
	if (f.keybar >= 0)
		bottom++;
	f.header = header_lines(LINES);
	f.status = LINES >= 2 ? LINES - bottom : -1;
	f.y0 = f.header;
	f.y1 = LINES - bottom;
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
	const struct pane *p;

	ui->now = ui_now();
	ui->table_y0 = f.y0;
	ui->table_y1 = f.y1;
	ui->keybar_y = f.keybar;
	scroll_to_selection(ui, &f);
	erase();
	screen_header(ui, f.header);
	p = pane_on_top(ui);
	p->draw(ui, p->title, f.y0, f.y1);
	curs_set(0);
	screen_keybar(ui, f.keybar);
	screen_status(ui, f.status >= 0 ? f.status : 0);
	if (ui->prompt != PR_NONE || (ui->dlg && ui->dlg->stage == DLG_DANGER))
		curs_set(1);
	wnoutrefresh(stdscr);
	doupdate();
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
		int n = 0;

		/* The listed columns first, in their order; the others after them, hidden. */
		for (size_t i = 0; i < cfg->n_columns && i < CONFIG_MAX_COLUMNS; i++) {
			int c = procs_col_find(cfg->columns[i]);

			if (c >= 0 && !(shown & (1u << c))) {
				shown |= 1u << c;
				ui->col_order[n++] = c;
			}
		}
		for (int c = 0; c < (int)procs_ncols(); c++)
			if (!(shown & (1u << c)))
				ui->col_order[n++] = c;
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

/* The state before the first snapshot: the options, the config file's layout, the locale. */
static void
ui_init(struct ui *ui, const struct options *o)
{
	const char *cs;

	memset(ui, 0, sizeof(*ui));
	ui->opts = o;
	ui->delay = o->delay < UI_MIN_DELAY ? UI_MIN_DELAY : o->delay;
	ui->sort_col = (int)procs_default_col();
	ui->sort = procs_col_sort((size_t)ui->sort_col);
	if (o->sort_given) {
		for (size_t i = 0; i < procs_ncols(); i++) {
			if (procs_col_sort(i).key == (int)o->sort) {
				ui->sort_col = (int)i;
				ui->sort = procs_col_sort(i);
			}
		}
	}
	ui->cg_ascending = true; /* path order */
	for (size_t i = 0; i < procs_ncols() && i < UI_MAX_COLS; i++)
		ui->col_order[i] = (int)i;
	ui->sel_id.kind = -1;
	ui->detail_id.kind = -1;
	ui->act_id.kind = -1;
	ui->fits_id.kind = -1;
	act_ctx_init(&ui->actx);
	ui->actx.read_only = o->read_only;
	if (o->config)
		apply_config(ui, o->config);
	if (o->audit_file)
		ui->actx.audit_file = o->audit_file;
	ui->oom_changed_at = -1;
	ui->oom_kill = val_unknown(0);

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	ui->ascii = !cs || strcmp(cs, "UTF-8") != 0;
	draw_ascii = ui->ascii;
}

/*
 * Until q, F10 or a quit signal: every key typed, then the worker's
 * snapshot, then a frame when something changed.
 */
/* Is the next snapshot to be asked for now? */
static bool
snapshot_due(const struct ui *ui)
{
	return !ui->paused && ui->worker && !worker_pending(ui->worker) &&
	       ui_now() >= ui->last_collect + ui->delay;
}

static void
run_loop(struct ui *ui)
{
	draw(ui);
	ui_request_snapshot(ui);
	while (!term_quit_signal()) {
		wint_t wc;
		int r;
		bool quit = false, dirty;

		/*
		 * Draw when a key or a snapshot came, or a wait ran out (a message or
		 * a highlight may have expired), not per poll; nor when the wait ran
		 * out because the next snapshot is due: it comes within a few
		 * milliseconds and is drawn then (one draw a tick, not two).
		 */
		timeout(wait_ms(ui));
		r = get_wch(&wc);
		dirty = r != ERR || !ui->worker ||
			(!worker_pending(ui->worker) && !snapshot_due(ui));
		/* Every key already typed, before anything else. */
		while (r != ERR && !term_quit_signal()) {
			struct key k = {.code = (int)wc, .fn = r == KEY_CODE_YES};

			if (!(r == OK && wc == 27 && term_unknown_sequence()) &&
			    (k.fn && k.code == KEY_MOUSE ? mouse_handle(ui) : panes_key(ui, k)) ==
				KR_QUIT) {
				quit = true;
				break;
			}
			timeout(0);
			r = get_wch(&wc);
		}
		if (quit || term_quit_signal())
			break;
		dirty |= poll_snapshot(ui);
		if (snapshot_due(ui))
			ui_request_snapshot(ui);
		if (dirty)
			draw(ui);
	}
}

/* What the loop held, after the terminal is given back. */
static void
ui_free(struct ui *ui)
{
	close_source(ui);
	snapshot_free(ui->snap);
	rows_free(&ui->rows);
	pathset_free(&ui->collapsed);
	ident_clear(&ui->sel_id);
	ident_clear(&ui->detail_id);
	ident_clear(&ui->act_id);
	ident_clear(&ui->fits_id);
	users_free();
}

int
ui_run(const struct options *o)
{
	struct collect_opts co = {.root = o->root,
				  .pids = o->pids,
				  .n_pids = o->n_pids,
				  .pick_cgs = o->pick_cgs,
				  .n_pick_cgs = o->n_pick_names,
				  .collector = o->collector,
				  .read_only = o->read_only,
				  .refresh_every = UI_REFRESH_EVERY,
				  .refresh_texts = UI_REFRESH_TEXTS};
	struct ui ui;
	int status = 0;

	ui_init(&ui, o);
	if (open_source(&ui, o, &co) < 0)
		return 1;
	term_guard();
	if (!term_start(!o->no_color)) {
		status = 1;
	} else {
		run_loop(&ui);
		if (term_quit_signal())
			status = 128 + term_quit_signal();
	}
	ui_close_dialog(&ui);
	term_stop();
	term_unguard();
	ui_free(&ui);
	return status;
}
