/*
 * screen_detail.c - the detail pane: the explanation detail.c builds for
 * the selected process or cgroup, rebuilt from each new snapshot, drawn
 * scrollable in the space of the table.
 */
#include "config.h"

#include "detail.h"
#include "draw.h"
#include "screens.h"

void
screen_detail(struct ui *ui, const char *title, int y0, int y1)
{
	struct dlines d = {0};

	detail_build(ui->snap, &ui->detail_id, COLS, ui->ascii, &d);
	draw_pane(title, &d, &ui->detail_scroll, y0, y1);
	dlines_free(&d);
}
