/*
 * mouse.c - what a mouse event does, by where it landed in the last
 * frame drawn (ui->table_y0/1, ui->keybar_y): rows, column titles, the
 * key bar, the wheel.  Everything becomes an action or a selection, the
 * same as the keys, so the mouse can do nothing the keyboard cannot.
 */
#include "config.h"

#include "mouse.h"

#include <curses.h>

#include "panes.h"
#include "screens.h"
#include "state.h"

/* Rows the wheel moves per notch, as htop. */
#define WHEEL_ROWS 3

#ifndef BUTTON5_PRESSED
#define BUTTON5_PRESSED 0
#endif

void
mouse_init(void)
{
	mousemask(BUTTON1_RELEASED | BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
		      BUTTON5_PRESSED,
		  NULL);
	/* No click resolution delay: a press acts at once. */
	mouseinterval(0);
}

static enum key_result
wheel(struct ui *ui, bool down)
{
	enum key_result r = KR_CONTINUE;

	for (int i = 0; i < WHEEL_ROWS && r == KR_CONTINUE; i++)
		r = panes_act(ui, down ? ACT_DOWN : ACT_UP);
	return r;
}

/* A click in the table: its title line sorts, a row selects. */
static void
table_click(struct ui *ui, int y, int x)
{
	if (y == ui->table_y0) {
		bool cgv = ui->view == VIEW_CGROUPS;
		int col = cgv ? cgroups_col_at(ui, x) : procs_col_at(ui, x);

		if (col < 0)
			return;
		if (col == (cgv ? ui->cg_sort : ui->sort_col))
			keys_invert_sort(ui);
		else if (cgv)
			keys_cg_sort(ui, col);
		else
			keys_sort_col(ui, col);
		return;
	}
	if (ui->top + (y - ui->table_y0 - 1) < (long)ui->rows.n)
		ui_select_row(ui, ui->top + (y - ui->table_y0 - 1));
}

enum key_result
mouse_handle(struct ui *ui)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return KR_CONTINUE;
	if (ev.bstate & BUTTON4_PRESSED)
		return wheel(ui, false);
	if (BUTTON5_PRESSED && (ev.bstate & BUTTON5_PRESSED))
		return wheel(ui, true);
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return KR_CONTINUE;
	if (ev.y == ui->keybar_y && ui->keybar_y >= 0) {
		enum action a = keymap_bar_at(ev.x);

		return a == ACT_NONE ? KR_CONTINUE : panes_act(ui, a);
	}
	if (ui->prompt != PR_NONE || ui->overlay != OV_NONE)
		return KR_CONTINUE;
	if (ev.y >= ui->table_y0 && ev.y < ui->table_y1)
		table_click(ui, ev.y, ev.x);
	return KR_CONTINUE;
}
