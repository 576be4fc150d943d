/*
 * state.h - the monitor's state, shared by the loop (ui.c) and the screens
 * (screen_*.c).  Only ui.c changes it in answer to keys and ticks; the
 * screens read it and draw.  The snapshot is const: the UI never changes
 * what the core collected.
 */
#ifndef OOMLENS_UI_STATE_H
#define OOMLENS_UI_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "model.h"
#include "rows.h"

struct options;
struct snap_source;
struct recorder;
struct ui_worker;
struct dialog;

enum ui_view { VIEW_PROCS, VIEW_CGROUPS };
enum ui_overlay { OV_NONE, OV_DETAIL, OV_HELP, OV_DIALOG, OV_EVENTS, OV_FITS, OV_SORTBY, OV_SETUP };
enum ui_prompt {
	PR_NONE,
	PR_SEARCH,
	PR_FILTER,
	PR_DELAY,
	PR_ADJ,
	PR_SIGNAL,
	PR_FITS,
	PR_GOTO,
	PR_USER
};

#define UI_PSI_HISTORY	 120  /* avg10 samples kept for the sparkline */
#define UI_OOM_HIGHLIGHT 30.0 /* seconds the host oom_kill stays highlighted after it went up */
#define UI_TEXT		 256
#define UI_MAX_COLS	 32 /* at least procs_ncols() */

struct ui {
	const struct options *opts;
	struct snap_source *src;  /* live (owned by the worker thread) or a recording */
	struct ui_worker *worker; /* live: collects off the keyboard's thread; NULL in a replay */
	struct recorder *rec;	  /* --record: the worker appends each live snapshot */
	bool replay;		  /* --replay: src is a recording, stepped by the keys */
	size_t rp_pos, rp_count;  /* replay: the snapshot shown, of how many */
	struct snapshot *snap;	  /* the current snapshot; NULL before the first */
	int collect_err;	  /* the last collection's -errno, 0 if it worked */
	double delay;		  /* seconds between collections */
	double last_collect;	  /* monotonic seconds: when the last one was asked for */
	bool paused;
	bool ascii; /* the locale is not UTF-8: draw with ASCII only */

	enum ui_view view;
	bool tree;
	int sort_col; /* the process table's sort column (screen_procs.c) */
	unsigned
	    hidden_cols; /* process table columns hidden by the config's columns (bit per column) */
	int col_order[UI_MAX_COLS]; /* the process table's columns, left to right (F2 setup) */
	int setup_sel;		    /* F2: the highlighted column, in col_order */
	struct ui_sort sort;
	int cg_sort;	   /* the container view's: enum cg_sort_key */
	bool cg_ascending;
	char filter[UI_TEXT];
	char search[UI_TEXT];
	char user[UI_TEXT]; /* u: only this user's processes; "" all */
	bool hide_kthreads; /* K */
	int sortby_sel;	    /* the F6 list's highlighted column */

	enum ui_overlay overlay;
	struct ident detail_id; /* what the detail pane explains */
	int detail_scroll, help_scroll;

	enum ui_prompt prompt;
	char ptitle[UI_TEXT]; /* the prompt's label, safe to draw */
	char pbuf[UI_TEXT];

	struct act_ctx actx;	/* the actions' context: audit file, capabilities, --read-only */
	char docker_host[4200]; /* the config's docker_socket as a DOCKER_HOST for actx */
	struct dialog *dlg;	/* the open action dialog (OV_DIALOG), NULL if none */
	struct ident act_id;	/* the process o or k was pressed on */
	int events_scroll;	/* the event panel (OV_EVENTS) */
	int events_sel;		/* its selected event, 0 the newest */
	uint64_t fits_size;	/* the fits panel (OV_FITS): bytes asked about ... */
	struct ident fits_id;	/* ... in this cgroup (kind -1: the host only) */
	int fits_scroll;

	struct pathset collapsed; /* container view: collapsed cgroups */
	struct rows rows;	  /* the table being shown, built from snap by ui_rebuild() */
	long sel, top;		  /* selected row and first row on screen */
	struct ident sel_id;	  /* the selected row across snapshots */
	int page_rows;		  /* table rows the last draw had room for */
	int table_y0, table_y1;	  /* where the last draw put the table (title at y0), for the mouse */
	int keybar_y;		  /* ... and the function-key bar; -1 when dropped */

	int64_t psi_hist[UI_PSI_HISTORY]; /* host PSI some avg10, oldest first; -1 unknown */
	size_t psi_n;
	struct val oom_kill;   /* host oom_kill at the previous snapshot */
	double oom_changed_at; /* when it last went up; < 0 never */
	int64_t oom_delta;     /* by how much */

	char msg[UI_TEXT]; /* a message on the status line ... */
	double msg_until;  /* ... until then */
	double now;	   /* monotonic seconds at this draw */
};

/* Monotonic seconds. */
double ui_now(void);

/* Rebuild ui->rows from the snapshot, view, filter and sort, keeping the selection on its identity.
 */
void ui_rebuild(struct ui *ui);

/* Select row i (clamped) and remember what it is. */
void ui_select_row(struct ui *ui, long i);
/* Show dialog d; close it (one left undecided is declined, so the audit trail has it). */
void ui_open_dialog(struct ui *ui, struct dialog *d);
void ui_close_dialog(struct ui *ui);
/* Enter on the g prompt: the recording's snapshot at the time typed. */
void ui_replay_goto(struct ui *ui);

/* Show a message on the status line for a few seconds. */
void ui_message(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
