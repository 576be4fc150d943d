/*
 * screens.h - the parts of the monitor's screen, each drawn from the state
 * (state.h) into stdscr: the header, the process table, the container
 * tree, the detail pane, the help screen, the action dialogs, the OOM
 * event and fits panels, and the status line.  Screens
 * only draw; the pane table (panes.c) says which pane is on top, ui.c
 * where it goes.
 */
#ifndef OOMLENS_UI_SCREENS_H
#define OOMLENS_UI_SCREENS_H

#include <stddef.h>

#include "state.h"

/* How many lines the header takes on a screen of this height. */
int header_lines(int screen_lines);
/* Draw the header in lines 0 .. n - 1. */
void screen_header(const struct ui *ui, int n);

/* The header line of the three fullest limited cgroups (every view). */
void screen_fullest(const struct ui *ui, int y);

/* The table in lines y0 .. y1 - 1: a title line, then ui->rows from ui->top. */
void screen_procs(const struct ui *ui, int y0, int y1);
void screen_cgroups(const struct ui *ui, int y0, int y1);

/*
 * The panes drawn in the table's place, lines y0 .. y1 - 1, under a title
 * line (title: the pane's, from the pane table in panes.c); those that
 * scroll clamp their own scrolling.  The detail pane, the help screen, the
 * OOM event panel, the fits panel, F6's list of sort columns and F2's
 * setup of the process columns.
 */
void screen_detail(struct ui *ui, const char *title, int y0, int y1);
void screen_help(struct ui *ui, const char *title, int y0, int y1);
void screen_events(struct ui *ui, const char *title, int y0, int y1);
void screen_fits(struct ui *ui, const char *title, int y0, int y1);
void screen_sortby(struct ui *ui, const char *title, int y0, int y1);
void screen_setup(struct ui *ui, const char *title, int y0, int y1);
/* The action dialog (ui->dlg), under its own title (the action and its stage). */
void screen_dialog(struct ui *ui, int y0, int y1);
/* The function-key bar, htop's, on line y. */
void screen_keybar(const struct ui *ui, int y);

/* The bottom line: the prompt being typed, a message, or what is shown and the main keys. */
void screen_status(const struct ui *ui, int y);

/* The process table's sortable columns, for < > and F6. */
size_t procs_ncols(void);
const char *procs_col_title(size_t col);
/* The sort a column gives when chosen: its key and its natural direction. */
struct ui_sort procs_col_sort(size_t col);
/* The column shown by default: OOM. */
size_t procs_default_col(void);
/* The process table's column drawn at screen column x in the last layout, or -1. */
int procs_col_at(const struct ui *ui, int x);
/*
 * The container view's sort keys (enum cg_sort_key): a title, the
 * natural direction (the most in danger first), the key under screen
 * column x of the last layout (-1 none).
 */
const char *cgroups_sort_title(int key);
bool cgroups_sort_ascending(int key);
int cgroups_col_at(const struct ui *ui, int x);
/* The column with this title (any case), or -1. */
int procs_col_find(const char *title);

#endif
