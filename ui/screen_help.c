/*
 * screen_help.c - the help screen (every key, from the keymap's table;
 * what the columns mean, from each pane's entry in the pane table; what
 * the header's meter means) and the status line at the bottom (the prompt
 * being typed, a message, or the view, sort and filter).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "detail.h"
#include "dialog.h"
#include "draw.h"
#include "format.h"
#include "keymap.h"
#include "panes.h"
#include "screens.h"
#include "theme.h"
#include "util.h"

/* What the header's meter shows: the header is no pane, so its lines are here. */
static const char *const header_legend[] = {
    "Header meter (Linux 2.4 vm_enough_memory())",
    "  #free =page cache ~swap cache :free swap +dentries %inodes; x Shmem (tmpfs: in the",
    "  page cache but never available); the figure is their sum less Shmem; | MemAvailable",
    "  CommitLimit - Committed_AS is shown as a limit only with overcommit_memory 2",
    NULL,
};

/* Lines of a NULL-terminated list. */
static size_t
count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* A help section: a line that starts in column 0 is a heading. */
static void
push_section(struct dlines *d, const char *const *v)
{
	for (size_t i = 0; v && v[i]; i++)
		d->v[d->n++] =
		    (struct dline){xstrdup(v[i]), v[i][0] && v[i][0] != ' ' ? DL_HEAD : DL_TEXT};
}

void
screen_help(struct ui *ui, const char *title, int y0, int y1)
{
	struct dlines d = {0};
	const struct pane *p;
	char line[256];
	size_t n = keymap_help_count();

	d.cap = n + count(header_legend) + 2;
	for (size_t i = 0; (p = pane_at(i)); i++)
		d.cap += count(p->help) + 1;
	d.v = xcalloc(d.cap, sizeof(*d.v));
	d.v[d.n++] = (struct dline){xstrdup("Keys"), DL_HEAD};
	for (size_t i = 0; i < n; i++) {
		struct key_help h;

		keymap_help(i, &h);
		snprintf(line, sizeof(line), "  %-22s %s%s", h.keys, h.what,
			 keymap_writes(h.act) && ui->replay ? "  [unavailable: replay]"
			 : keymap_writes(h.act) && ui->actx.read_only
			     ? "  [unavailable: --read-only]"
			 : keymap_replay(h.act) && !ui->replay ? "  [with --replay]"
							       : "");
		d.v[d.n++] = (struct dline){xstrdup(line), DL_TEXT};
	}
	d.v[d.n++] = (struct dline){xstrdup(""), DL_TEXT};
	/* What each pane's columns mean, in the table's order, each followed by a blank line. */
	for (size_t i = 0; (p = pane_at(i)); i++) {
		if (!p->help)
			continue;
		push_section(&d, p->help);
		d.v[d.n++] = (struct dline){xstrdup(""), DL_TEXT};
	}
	push_section(&d, header_legend);
	draw_pane(title, &d, &ui->help_scroll, y0, y1);
	dlines_free(&d);
}

void
screen_status(const struct ui *ui, int y)
{
	char line[UI_TEXT * 3 + 128], f[UI_TEXT], u[UI_TEXT];
	const char *arrow;
	bool cgv;

	if (y < 0)
		return;
	draw_fill(y, 0, COLS, theme_attr(TH_STATUS));
	if (ui->prompt != PR_NONE) {
		int x;

		fmt_escape(f, sizeof(f), ui->pbuf, ui->ascii);
		x = draw_text(y, 0, COLS, ui->ptitle, theme_attr(TH_PROMPT), FIT_ELLIPSIS);
		x += draw_text(y, x, COLS - x, f, theme_attr(TH_PROMPT), FIT_TAIL);
		if (x < COLS)
			move(y, x);
		return;
	}
	if (ui->dlg && ui->overlay == OV_DIALOG) {
		int x;

		dialog_hint(ui->dlg, line, sizeof(line));
		fmt_escape(f, sizeof(f), line, ui->ascii);
		x = draw_text(y, 0, COLS, f,
			      theme_attr(ui->dlg->stage == DLG_DANGER ? TH_PROMPT : TH_STATUS), 0);
		if (ui->dlg->stage == DLG_DANGER && x < COLS)
			move(y, x);
		return;
	}
	if (ui->msg[0] && ui->now < ui->msg_until) {
		draw_text(y, 0, COLS, ui->msg, theme_attr(TH_STATUS), 0);
		return;
	}
	cgv = ui->view == VIEW_CGROUPS;
	arrow = (cgv ? ui->cg_ascending : ui->sort.ascending) ? (ui->ascii ? "^" : "\xe2\x96\xb2")
							      : (ui->ascii ? "v" : "\xe2\x96\xbc");
	fmt_escape(f, sizeof(f), ui->filter, ui->ascii);
	fmt_escape(u, sizeof(u), ui->user, ui->ascii);
	snprintf(line, sizeof(line), "%s%s  sort %s%s%s%s%s%s%s%s%s   %sh help  q quit",
		 ui->replay ? "Replay  " : "", cgv ? "Containers" : "Processes",
		 cgv ? cgroups_sort_title(ui->cg_sort) : procs_col_title((size_t)ui->sort_col),
		 arrow, ui->tree && !cgv ? "  tree" : "", *ui->filter ? "  filter \"" : "", f,
		 *ui->filter ? "\"" : "", *ui->user ? "  user " : "", u,
		 ui->hide_kthreads ? "  no kernel threads" : "",
		 ui->replay ? "[ ] step  { } minute  g go to   " : "");
	draw_text(y, 0, COLS, line, theme_attr(TH_STATUS), 0);
}

void
screen_keybar(const struct ui *ui, int y)
{
	struct keybar_item it;

	(void)ui;
	if (y < 0)
		return;
	draw_fill(y, 0, COLS, theme_attr(TH_NORMAL));
	for (size_t i = 0; keymap_bar(i, &it) && it.x < COLS; i++) {
		int x = it.x;

		x += draw_text(y, x, COLS - x, it.key, theme_attr(TH_NORMAL), 0);
		if (x < COLS)
			draw_text(y, x, it.x + it.w - x < COLS - x ? it.x + it.w - x : COLS - x,
				  it.label, theme_attr(TH_STATUS), FIT_PAD);
	}
}
