/*
 * mouse.h - the mouse, as htop's: a click selects a row, a click on a
 * column title sorts by it (again: inverts), a click on the function-key
 * bar is that key, the wheel scrolls.
 */
#ifndef OOMLENS_UI_MOUSE_H
#define OOMLENS_UI_MOUSE_H

#include "keys.h"

/* Turn the mouse on (when the terminal reports it). */
void mouse_init(void);
/* A KEY_MOUSE from the keyboard loop: read the event and act on it. */
enum key_result mouse_handle(struct ui *ui);

#endif
