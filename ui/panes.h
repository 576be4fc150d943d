/*
 * panes.h - the monitor's panes as one table, in the manner of htop's
 * Panel with its event handler: the process table, the container tree and
 * each pane drawn in their place (help, detail, events, fits, sort list,
 * setup, action dialog) is one entry with its draw, its key handler, its
 * title and its lines in the help.  The loop draws the pane on top and
 * hands it the keys through here; adding a pane is one entry in panes.c.
 */
#ifndef OOMLENS_UI_PANES_H
#define OOMLENS_UI_PANES_H

#include <stddef.h>

#include "keys.h"
#include "state.h"

/* What the loop takes before the pane on top sees a key. */
enum pane_grab {
	GRAB_ALL,	   /* nothing: every key is the pane's, F10 too (a dialog's keys decide) */
	GRAB_BUT_F10,	   /* F10, which quits from every other pane; the rest is the pane's */
	GRAB_AFTER_COMMON, /* F10, then keys_common() (q Space Ctrl-L d s); the pane the rest */
};

struct pane {
	const char *name;	 /* what it is, for the reader and the architecture notes */
	enum ui_overlay overlay; /* on top when ui->overlay is this; OV_NONE: a table ... */
	enum ui_view view;	 /* ... shown in this view */
	enum pane_grab grab;
	/* Draw it in lines y0 .. y1 - 1 under title. */
	void (*draw)(struct ui *ui, const char *title, int y0, int y1);
	/* Action a of key k: true when the pane took it (keys.h). */
	bool (*key)(struct ui *ui, enum action a, struct key k);
	const char *title;	 /* its title line: the pane and its keys; NULL: its own */
	const char *const *help; /* its section of the help screen, NULL-terminated; NULL none */
};

/* The pane on top: the overlay open, else the view's table. */
const struct pane *pane_on_top(const struct ui *ui);
/* The i-th pane of the table, NULL past the last (the help screen walks them). */
const struct pane *pane_at(size_t i);
/* A key from the keyboard: the prompt if one is open, else the pane on top. */
enum key_result panes_key(struct ui *ui, struct key k);
/* An action as if its key had been pressed (a click on the key bar, the wheel). */
enum key_result panes_act(struct ui *ui, enum action a);

#endif
