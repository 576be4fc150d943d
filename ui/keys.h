/*
 * keys.h - what a key (or a mouse click, as the key it stands for) does:
 * the pane on top gets it first, then the table's keys.  ui.c reads the
 * keys and calls keys_handle(); the loop's own parts that keys reach
 * (the collection, replay steps, the saved layout) are declared here too.
 */
#ifndef OOMLENS_UI_KEYS_H
#define OOMLENS_UI_KEYS_H

#include "keymap.h"
#include "state.h"

enum key_result { KR_CONTINUE, KR_QUIT };

/* A key from the keyboard: the prompt, the pane on top, or the table. */
enum key_result keys_handle(struct ui *ui, struct key k);
/* An action as if its key had been pressed (the mouse's key bar). */
enum key_result keys_act(struct ui *ui, enum action a);
/* Sort the tables by the process table's column col, in its natural direction. */
void keys_sort_col(struct ui *ui, int col);
/* The container view's sort (enum cg_sort_key), in its natural direction. */
void keys_cg_sort(struct ui *ui, int key);
/* I: the other direction, in the view shown. */
void keys_invert_sort(struct ui *ui);
/* F6: the list of sort columns (screen_sortby.c), and a key while it is open. */
void sortby_open(struct ui *ui);
void sortby_key(struct ui *ui, enum action a);
/* F2: the setup of the process table's columns and sort (screen_setup.c). */
void setup_open(struct ui *ui);
void setup_key(struct ui *ui, enum action a, struct key k);

/* The loop's (ui.c). */
void ui_request_snapshot(struct ui *ui);
void ui_replay_move(struct ui *ui, enum action a);
void ui_save_layout(struct ui *ui);
/* Replay: show the recording's snapshot at or before t; 0 or -errno. */
int ui_replay_seek(struct ui *ui, const struct timespec *t);

/* The event pane's keys (events_jump.c): Up/Down choose an event, Enter goes to its cgroup. */
void events_key(struct ui *ui, enum action a);

#endif
