/*
 * draw.c - clipped text output on stdscr.  Everything the screens put on
 * the terminal passes through draw_text(), which never writes past the
 * screen's edge and never splits a wide character.
 */
#include "config.h"

#include "draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "detail.h"
#include "format.h"
#include "util.h"

bool draw_ascii;

#define DRAW_MAX_COLS 1024

int
draw_text(int y, int x, int w, const char *s, attr_t a, unsigned flags)
{
	char buf[DRAW_MAX_COLS * 4 + 16];
	int used;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return 0;
	if (w > COLS - x)
		w = COLS - x;
	if (w > DRAW_MAX_COLS)
		w = DRAW_MAX_COLS;
	if (draw_ascii)
		flags |= FIT_ASCII;
	used = fmt_fit(buf, sizeof(buf), s, w, flags);
	if (used <= 0)
		return 0;
	attrset(a);
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
	return used;
}

int
draw_fmt(int y, int x, int w, attr_t a, const char *fmt, ...)
{
	char buf[DRAW_MAX_COLS * 4 + 16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return draw_text(y, x, w, buf, a, 0);
}

void
draw_fill(int y, int x, int w, attr_t a)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (w > COLS - x)
		w = COLS - x;
	attrset(a);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
draw_guides(char *out, size_t outsz, const struct row *r, bool ascii)
{
	const char *bar = ascii ? "| " : "\xe2\x94\x82 ";
	const char *tee = ascii ? "|-" : "\xe2\x94\x9c\xe2\x94\x80";
	const char *elbow = ascii ? "`-" : "\xe2\x94\x94\xe2\x94\x80";
	size_t o = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (int d = 1; d <= r->depth; d++) {
		const char *piece;
		size_t n;

		if (d == r->depth)
			piece = r->last ? elbow : tee;
		else if (d - 1 < ROW_MAX_GUIDES && (r->guides & (1ull << (d - 1))))
			piece = bar;
		else
			piece = "  ";
		n = strlen(piece);
		if (o + n + 1 >= outsz)
			break;
		memcpy(out + o, piece, n);
		o += n;
	}
	if (r->depth > 0 && o + 2 < outsz)
		out[o++] = ' ';
	out[o] = '\0';
}

/* clang-format off */
static const enum theme_role dline_roles[] = {
    [DL_TEXT] = TH_NORMAL,
    [DL_HEAD] = TH_TITLE,
    [DL_NOTE] = TH_LABEL,
    [DL_WARN] = TH_WARN,
    [DL_SEL] = TH_SELECTED,
};
/* clang-format on */

/* Keep a scroll offset within the lines there are. */
static int
clamp_scroll(int scroll, size_t n, int rows)
{
	int max = (int)n - rows;

	if (max < 0)
		max = 0;
	if (scroll > max)
		scroll = max;
	return scroll < 0 ? 0 : scroll;
}

/*
 * d's lines wrapped at width columns (a pane never cuts what it explains);
 * a continuation is indented 4 columns past its line's own indentation.
 */
static void
wrap_lines(const struct dlines *d, int width, struct dlines *out)
{
	out->n = 0;
	out->cap = d->n + 8;
	out->v = xcalloc(out->cap, sizeof(*out->v));
	for (size_t i = 0; i < d->n; i++) {
		const char *s = d->v[i].text;
		size_t lead = strspn(s, " ");
		int indent = 0;

		if ((int)lead + 4 < width / 2)
			indent = (int)lead + 4;
		do {
			int room = s == d->v[i].text ? width : width - indent;
			size_t n = fmt_wrap_at(s, room);
			char *line = xmalloc((size_t)indent + n + 1);
			size_t pre = s == d->v[i].text ? 0 : (size_t)indent;

			memset(line, ' ', pre);
			memcpy(line + pre, s, n);
			line[pre + n] = '\0';
			if (out->n == out->cap) {
				out->cap *= 2;
				out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
			}
			out->v[out->n++] = (struct dline){line, d->v[i].role};
			s += n;
		} while (*s);
	}
}

void
draw_pane(const char *title, const struct dlines *src, int *scroll, int y0, int y1)
{
	int rows = y1 - y0 - 1;
	char t[256];
	struct dlines wrapped, *d = &wrapped;

	if (y0 >= y1)
		return;
	wrap_lines(src, COLS > 8 ? COLS : 8, &wrapped);
	*scroll = clamp_scroll(*scroll, d->n, rows);
	if (rows > 0 && d->n > (size_t)rows)
		snprintf(t, sizeof(t), "%s   [%d-%d of %zu]", title, *scroll + 1,
			 *scroll + rows < (int)d->n ? *scroll + rows : (int)d->n, d->n);
	else
		snprintf(t, sizeof(t), "%s", title);
	draw_fill(y0, 0, COLS, theme_attr(TH_COLHEAD));
	draw_text(y0, 0, COLS, t, theme_attr(TH_COLHEAD), 0);
	for (int i = 0; i < rows; i++) {
		size_t k = (size_t)(*scroll + i);

		if (k >= d->n)
			break;
		draw_text(y0 + 1 + i, 0, COLS, d->v[k].text, theme_attr(dline_roles[d->v[k].role]),
			  0);
	}
	dlines_free(&wrapped);
}
