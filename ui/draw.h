/*
 * draw.h - the few curses primitives the screens draw with: text clipped to
 * a width and to the screen, blank fills, tree guides.  Text given here must
 * already be safe (escaped); these functions only fit it.
 */
#ifndef OOMLENS_UI_DRAW_H
#define OOMLENS_UI_DRAW_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>

#include "detail.h"
#include "rows.h"
#include "theme.h"

/* Draw s at (y, x) in at most w columns (fmt_fit() flags); returns the columns used. */
int draw_text(int y, int x, int w, const char *s, attr_t a, unsigned flags);
/* printf-style draw_text() without flags. */
int draw_fmt(int y, int x, int w, attr_t a, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Blank w columns from (y, x) in attribute a. */
void draw_fill(int y, int x, int w, attr_t a);
/* The tree guides of a row ("│ ├─ " or "| |- "), into out; empty at depth 0. */
void draw_guides(char *out, size_t outsz, const struct row *r, bool ascii);
/*
 * A pane in lines y0 .. y1 - 1: a title bar, then the lines of d from
 * *scroll, which is kept within the lines there are.
 */
void draw_pane(const char *title, const struct dlines *d, int *scroll, int y0, int y1);
/* Set by ui.c: draw ASCII only. */
extern bool draw_ascii;

#endif
