/*
 * screen_help.c - the help screen (every key, from the keymap's table, and
 * what the columns and meters mean) and the status line at the bottom
 * (the prompt being typed, a message, or the view, sort and filter).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "detail.h"
#include "dialog.h"
#include "draw.h"
#include "format.h"
#include "keymap.h"
#include "screens.h"
#include "theme.h"
#include "util.h"

static const char *const legend[] = {
    "Process table",
    "  PID     '*' marks the process the host's OOM killer would pick now, '@' the one a",
    "          limited cgroup's OOM killer would (as in the container view)",
    "  CGROUP  its memory cgroup, shortened (container ids cut to 12 digits)",
    "  VIRT RES SWAP  VmSize, VmRSS, VmSwap",
    "  OOM     the kernel's /proc/PID/oom_score        ADJ  oom_score_adj",
    "  GORMAN  Linux 2.4's badness() as its code computed it",
    "  KBAD    oom_badness() points: pages of rss + swap + page tables + adj x totalpages/1000",
    "          (not the 0-1000 OOM); '!' where the oom_score they give disagrees with OOM",
    "  AVAIL   memory still potentially available to its container",
    "  '-' is a value that could not be read (the detail pane says why), never 0",
    "  A narrow screen drops VIRT first, then KBAD, SWAP, AVAIL, CGROUP, USER, RES; PID, OOM,",
    "  ADJ, GORMAN and 20 columns of COMMAND always stay",
    "  The monitor reads stat every refresh, and a process's status, oom_score and",
    "  oom_score_adj at once when stat shows its RSS or state changed, else every 5th refresh;",
    "  its cgroup and command line every 5th and 30th (the detail pane says what is cached)",
    "",
    "Container view",
    "  USAGE LIMIT USE%   memory usage, the memory limit and usage as a share of it",
    "  AVAILABILITY       #headroom =inactive file cache ~reclaimable slab :swap headroom",
    "  AVAIL              their sum; LOW reservation, HIGH memory.high (v2), MEM+SW memory+swap",
    "  OOMK PSI10 PROCS   oom_kill count, memory pressure (v2), processes in the cgroup itself",
    "  ETA                time until usage reaches the limit, while its growth is steady;",
    "                     ~3s: from the last two samples (a fast leak); HIT: memory.events",
    "                     high/max (v1 failcnt) rising; NEAR: above 90% of the limit",
    "  '*' PID            the host's next OOM victim;  '@' PID  the next victim of a limited "
    "cgroup",
    "",
    "Header meter (Linux 2.4 vm_enough_memory())",
    "  #free =page cache ~swap cache :free swap +dentries %inodes; x Shmem (tmpfs: in the",
    "  page cache but never available); the figure is their sum less Shmem; | MemAvailable",
    "  CommitLimit - Committed_AS is shown as a limit only with overcommit_memory 2",
};

void
screen_help(struct ui *ui, int y0, int y1)
{
	struct dlines d = {0};
	char line[256];
	size_t n = keymap_help_count();

	d.cap = n + sizeof(legend) / sizeof(legend[0]) + 4;
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
	for (size_t i = 0; i < sizeof(legend) / sizeof(legend[0]); i++)
		d.v[d.n++] = (struct dline){
		    xstrdup(legend[i]), legend[i][0] && legend[i][0] != ' ' ? DL_HEAD : DL_TEXT};
	draw_pane("oomlens help  (q or any other key returns; Up/Down scroll)", &d, &ui->help_scroll, y0,
		  y1);
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
