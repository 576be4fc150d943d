/*
 * ui.h - the interactive ncursesw monitor.  The only way in from the rest
 * of the program; this header does not include curses.
 */
#ifndef OOMLENS_UI_H
#define OOMLENS_UI_H

struct options;

/* Run the full-screen monitor until the operator quits; returns the exit status. */
int ui_run(const struct options *o);

#endif
