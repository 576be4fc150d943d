/*
 * screen_dialog.c - the action dialog (dialog.h) drawn as a pane in the
 * space of the table: the form, the plan, the confirmation and the
 * read-back, rebuilt at each draw.
 */
#include "config.h"

#include <stdio.h>

#include "dialog.h"
#include "draw.h"
#include "screens.h"

void
screen_dialog(struct ui *ui, int y0, int y1)
{
	struct dlines d = {0};
	char title[160];

	dialog_lines(ui->dlg, COLS, ui->ascii, &d);
	snprintf(title, sizeof(title), "%s  (%s)", ui->dlg->title,
		 ui->dlg->stage == DLG_FORM ? "Esc cancels" : "Up/Down scroll");
	draw_pane(title, &d, &ui->dlg->scroll, y0, y1);
	dlines_free(&d);
}
