/*
 * keys.h - what a key (or a mouse click, as the key it stands for) does
 * in each pane.  panes.c's table names each pane's handler and routes a
 * key to the pane on top; the loop's own parts that keys reach (the
 * collection, replay steps, the saved layout) are declared here too.
 */
#ifndef OOMLENS_UI_KEYS_H
#define OOMLENS_UI_KEYS_H

#include <stdbool.h>

#include "keymap.h"
#include "state.h"

enum key_result { KR_CONTINUE, KR_QUIT };

/*
 * A pane's key handler: action a of key k (k is {0, false} for a click on
 * the key bar or the wheel); true when the pane took it.
 */
/* The process table and the container tree: move, sort, search, filter, open panes, act. */
bool keys_table(struct ui *ui, enum action a, struct key k);
/* The help: Up/Down scroll, any other key returns. */
bool keys_help(struct ui *ui, enum action a, struct key k);
/* The detail, event and fits panes: scroll (events: choose, Enter jumps), close, switch. */
bool keys_detail(struct ui *ui, enum action a, struct key k);
bool keys_events(struct ui *ui, enum action a, struct key k);
bool keys_fits(struct ui *ui, enum action a, struct key k);
/* An action dialog: every key is its own (dialog.c). */
bool keys_dialog(struct ui *ui, enum action a, struct key k);
/* F6's sort list and F2's setup (screen_sortby.c, screen_setup.c): they take every key. */
bool sortby_key(struct ui *ui, enum action a, struct key k);
bool setup_key(struct ui *ui, enum action a, struct key k);

/* q, Space, Ctrl-L, d and s: the same in the tables and the detail, event and fits panes. */
bool keys_common(struct ui *ui, enum action a, enum key_result *res);
/* A key that does nothing here: say so, and where the keys are listed. */
void keys_unbound(struct ui *ui, struct key k);

/* Sort the tables by the process table's column col, in its natural direction. */
void keys_sort_col(struct ui *ui, int col);
/* The container view's sort (enum cg_sort_key), in its natural direction. */
void keys_cg_sort(struct ui *ui, int key);
/* I: the other direction, in the view shown. */
void keys_invert_sort(struct ui *ui);
/* F6 and F2 open their lists (screen_sortby.c, screen_setup.c). */
void sortby_open(struct ui *ui);
void setup_open(struct ui *ui);

/* The loop's (ui.c). */
void ui_request_snapshot(struct ui *ui);
void ui_replay_move(struct ui *ui, enum action a);
void ui_save_layout(struct ui *ui);
/* Replay: show the recording's snapshot at or before t; 0 or -errno. */
int ui_replay_seek(struct ui *ui, const struct timespec *t);

/* The event pane's keys (events_jump.c): Up/Down choose an event, Enter goes to its cgroup. */
void events_key(struct ui *ui, enum action a);

#endif
