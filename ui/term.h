/*
 * term.h - the terminal under the monitor: curses set up (keys, mouse,
 * colours) and given back on every way out (q, SIGINT, SIGTERM, SIGHUP,
 * crashes, fatal errors), and the escape sequences curses does not know.
 * The loop (ui.c) calls these; this header does not include curses.
 */
#ifndef OOMLENS_UI_TERM_H
#define OOMLENS_UI_TERM_H

#include <stdbool.h>

/*
 * Catch SIGINT, SIGTERM and SIGHUP (term_quit_signal() says which came),
 * and crashes and fatal errors, which give the terminal back first.
 */
void term_guard(void);
/* Back to the handlers that were there before term_guard(). */
void term_unguard(void);
/* The quit signal caught, 0 while none came. */
int term_quit_signal(void);

/* Set the terminal up; false (and a message) when there is none to use. */
bool term_start(bool want_color);
/* Give the terminal back and free curses' screen: idempotent. */
void term_stop(void);

/*
 * After an Esc key: whether a function key of a terminal curses does not
 * know followed (then it has been read and should be ignored).
 */
bool term_unknown_sequence(void);

#endif
