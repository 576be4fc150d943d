/*
 * screen_sortby.c - F6, as htop's "Sort by": the columns in a list, the
 * current one marked; Up/Down choose, Enter sorts, Esc or F6 closes.  The
 * list and its key handler live together: the pane owns its keys.
 */
#include "config.h"

#include <stdio.h>

#include "draw.h"
#include "keys.h"
#include "screens.h"
#include "util.h"

void
sortby_open(struct ui *ui)
{
	ui->sortby_sel = ui->sort_col;
	ui->overlay = OV_SORTBY;
}

void
sortby_key(struct ui *ui, enum action a)
{
	int n = (int)procs_ncols();

	switch (a) {
	case ACT_UP:
		ui->sortby_sel = ui->sortby_sel > 0 ? ui->sortby_sel - 1 : 0;
		break;
	case ACT_DOWN:
		ui->sortby_sel = ui->sortby_sel < n - 1 ? ui->sortby_sel + 1 : n - 1;
		break;
	case ACT_HOME:
	case ACT_PGUP:
		ui->sortby_sel = 0;
		break;
	case ACT_END:
	case ACT_PGDN:
		ui->sortby_sel = n - 1;
		break;
	case ACT_DETAIL: /* Enter */
		keys_sort_col(ui, ui->sortby_sel);
		ui->overlay = OV_NONE;
		break;
	case ACT_SORT_INVERT:
		ui->sort.ascending = !ui->sort.ascending;
		ui_rebuild(ui);
		break;
	default: /* Esc, q, F6: close, the sort unchanged */
		ui->overlay = OV_NONE;
		break;
	}
}

void
screen_sortby(struct ui *ui, int y0, int y1)
{
	int n = (int)procs_ncols();

	if (y0 >= y1)
		return;
	draw_fill(y0, 0, COLS, theme_attr(TH_COLHEAD));
	draw_text(y0, 0, COLS, "Sort by  (Enter sorts, I inverts, Esc closes)",
		  theme_attr(TH_COLHEAD), 0);
	for (int i = 0; i < n && y0 + 1 + i < y1; i++) {
		char line[64];
		bool sel = i == ui->sortby_sel;

		snprintf(line, sizeof(line), " %s %s", i == ui->sort_col ? "*" : " ",
			 procs_col_title((size_t)i));
		if (sel)
			draw_fill(y0 + 1 + i, 0, 20, theme_attr(TH_SELECTED));
		draw_text(y0 + 1 + i, 0, 20, line,
			  sel ? theme_attr(TH_SELECTED) : theme_attr(TH_NORMAL), 0);
	}
}
