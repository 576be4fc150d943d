/*
 * screen_setup.c - F2, as htop's Setup: the process table's columns in
 * their order, each shown or hidden, and the sort.  Up/Down choose a
 * column, Space shows or hides it (PID and COMMAND always show), [ and ]
 * move it left or right, Enter sorts by it, w saves columns, order and
 * sort to the config file (through the same save as W), Esc or F2 closes.
 * The pane owns its keys.
 */
#include "config.h"

#include <stdio.h>

#include "draw.h"
#include "fields.h"
#include "keys.h"
#include "screens.h"
#include "util.h"

void
setup_open(struct ui *ui)
{
	ui->setup_sel = 0;
	ui->overlay = OV_SETUP;
}

/* PID and COMMAND identify a process: they always show (their fields, by fields.c). */
static bool
always_shown(int col)
{
	const struct proc_field *f = field_of_header(procs_col_title((size_t)col));

	return f && (f->sort == SORT_PID || f->sort == SORT_COMM);
}

/* Swap the highlighted column with its neighbour (step -1 left, +1 right). */
static void
move_col(struct ui *ui, int step)
{
	int n = (int)procs_ncols(), k = ui->setup_sel, o = k + step, t;

	if (o < 0 || o >= n)
		return;
	t = ui->col_order[k];
	ui->col_order[k] = ui->col_order[o];
	ui->col_order[o] = t;
	ui->setup_sel = o;
}

/* A key the setup list does not take itself: Esc, F2, q close it. */
static void
setup_other(struct ui *ui, enum action a)
{
	if (a == ACT_CLEAR || a == ACT_SETUP || a == ACT_QUIT || a == ACT_HELP)
		ui->overlay = a == ACT_HELP ? OV_HELP : OV_NONE;
}

bool
setup_key(struct ui *ui, enum action a, struct key k)
{
	int n = (int)procs_ncols(), col = ui->col_order[ui->setup_sel];

	if (!k.fn && (k.code == ' ' || k.code == '[' || k.code == ']' || k.code == 'w')) {
		if (k.code == ' ' && !always_shown(col))
			ui->hidden_cols ^= 1u << col;
		else if (k.code == ' ')
			ui_message(ui, "%s always shows", procs_col_title((size_t)col));
		else if (k.code == 'w')
			ui_save_layout(ui);
		else
			move_col(ui, k.code == '[' ? -1 : 1);
		return true;
	}
	switch (a) {
	case ACT_UP:
		ui->setup_sel = ui->setup_sel > 0 ? ui->setup_sel - 1 : 0;
		break;
	case ACT_DOWN:
		ui->setup_sel = ui->setup_sel < n - 1 ? ui->setup_sel + 1 : n - 1;
		break;
	case ACT_HOME:
		ui->setup_sel = 0;
		break;
	case ACT_END:
		ui->setup_sel = n - 1;
		break;
	case ACT_DETAIL: /* Enter */
		keys_sort_col(ui, col);
		break;
	case ACT_SORT_INVERT:
		keys_invert_sort(ui);
		break;
	default:
		setup_other(ui, a);
		break;
	}
	return true;
}

void
screen_setup(struct ui *ui, const char *title, int y0, int y1)
{
	int n = (int)procs_ncols();

	if (y0 >= y1)
		return;
	draw_fill(y0, 0, COLS, theme_attr(TH_COLHEAD));
	draw_text(y0, 0, COLS, title, theme_attr(TH_COLHEAD), 0);
	for (int k = 0; k < n && y0 + 1 + k < y1; k++) {
		int col = ui->col_order[k];
		bool sel = k == ui->setup_sel;
		char line[96];

		snprintf(line, sizeof(line), " [%c] %-8s %s", (ui->hidden_cols & (1u << col)) ? ' ' : 'x',
			 procs_col_title((size_t)col),
			 col == ui->sort_col ? (ui->sort.ascending ? "sort ^" : "sort v") : "");
		if (sel)
			draw_fill(y0 + 1 + k, 0, 32, theme_attr(TH_SELECTED));
		draw_text(y0 + 1 + k, 0, 32, line, theme_attr(sel ? TH_SELECTED : TH_NORMAL), 0);
	}
}
