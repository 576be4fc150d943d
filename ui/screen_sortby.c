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

/* The view's sort keys: the process table's columns, or the container view's keys. */
static int
nkeys(const struct ui *ui)
{
	return ui->view == VIEW_CGROUPS ? CGS__COUNT : (int)procs_ncols();
}

static int
current(const struct ui *ui)
{
	return ui->view == VIEW_CGROUPS ? ui->cg_sort : ui->sort_col;
}

static const char *
key_title(const struct ui *ui, int i)
{
	return ui->view == VIEW_CGROUPS ? cgroups_sort_title(i) : procs_col_title((size_t)i);
}

void
sortby_open(struct ui *ui)
{
	ui->sortby_sel = current(ui);
	ui->overlay = OV_SORTBY;
}

bool
sortby_key(struct ui *ui, enum action a, struct key k)
{
	int n = nkeys(ui);

	(void)k;
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
		if (ui->view == VIEW_CGROUPS)
			keys_cg_sort(ui, ui->sortby_sel);
		else
			keys_sort_col(ui, ui->sortby_sel);
		ui->overlay = OV_NONE;
		break;
	case ACT_SORT_INVERT:
		keys_invert_sort(ui);
		break;
	default: /* Esc, q, F6: close, the sort unchanged */
		ui->overlay = OV_NONE;
		break;
	}
	return true;
}

void
screen_sortby(struct ui *ui, const char *title, int y0, int y1)
{
	int n = nkeys(ui);

	if (y0 >= y1)
		return;
	draw_fill(y0, 0, COLS, theme_attr(TH_COLHEAD));
	draw_text(y0, 0, COLS, title, theme_attr(TH_COLHEAD), 0);
	for (int i = 0; i < n && y0 + 1 + i < y1; i++) {
		char line[64];
		bool sel = i == ui->sortby_sel;

		snprintf(line, sizeof(line), " %s %s", i == current(ui) ? "*" : " ",
			 key_title(ui, i));
		if (sel)
			draw_fill(y0 + 1 + i, 0, 20, theme_attr(TH_SELECTED));
		draw_text(y0 + 1 + i, 0, 20, line,
			  sel ? theme_attr(TH_SELECTED) : theme_attr(TH_NORMAL), 0);
	}
}
