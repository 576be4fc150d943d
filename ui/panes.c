/*
 * panes.c - the pane table: one entry per pane (the two tables and every
 * pane drawn in their place) with its draw, its key handler, its title and
 * its help; which pane is on top; and the way a key reaches it.  As in
 * htop's ScreenManager, the pane on top sees a key before the table's
 * keys, so no key handler asks which overlay is open.  The help lines of
 * the tables live here beside their entries.  It draws nothing itself.
 */
#include "config.h"

#include "panes.h"

#include <assert.h>
#include <curses.h>

#include "prompt.h"
#include "screens.h"
#include "util.h"

static const char *const procs_help[] = {
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
    NULL,
};

static const char *const cgroups_help[] = {
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
    NULL,
};

/* The tables and the dialog draw under their own titles. */
static void
draw_procs(struct ui *ui, const char *title, int y0, int y1)
{
	(void)title;
	screen_procs(ui, y0, y1);
}

static void
draw_cgroups(struct ui *ui, const char *title, int y0, int y1)
{
	(void)title;
	screen_cgroups(ui, y0, y1);
}

static void
draw_dialog(struct ui *ui, const char *title, int y0, int y1)
{
	(void)title;
	screen_dialog(ui, y0, y1);
}

static const struct pane panes[] = {
    {.name = "process table",
     .overlay = OV_NONE,
     .view = VIEW_PROCS,
     .grab = GRAB_AFTER_COMMON,
     .draw = draw_procs,
     .key = keys_table,
     .help = procs_help},
    {.name = "container tree",
     .overlay = OV_NONE,
     .view = VIEW_CGROUPS,
     .grab = GRAB_AFTER_COMMON,
     .draw = draw_cgroups,
     .key = keys_table,
     .help = cgroups_help},
    {.name = "help",
     .overlay = OV_HELP,
     .grab = GRAB_BUT_F10,
     .draw = screen_help,
     .key = keys_help,
     .title = "oomlens help  (q or any other key returns; Up/Down scroll)"},
    {.name = "detail",
     .overlay = OV_DETAIL,
     .grab = GRAB_AFTER_COMMON,
     .draw = screen_detail,
     .key = keys_detail,
     .title = "Detail  (Up/Down/PgUp/PgDn scroll, Enter or Esc closes)"},
    {.name = "OOM events",
     .overlay = OV_EVENTS,
     .grab = GRAB_AFTER_COMMON,
     .draw = screen_events,
     .key = keys_events,
     .title = "OOM events  (Up/Down choose, Enter goes to its cgroup, e or Esc closes)"},
    {.name = "fits",
     .overlay = OV_FITS,
     .grab = GRAB_AFTER_COMMON,
     .draw = screen_fits,
     .key = keys_fits,
     .title = "Would it fit?  (f asks again, Esc closes)"},
    {.name = "sort list",
     .overlay = OV_SORTBY,
     .grab = GRAB_BUT_F10,
     .draw = screen_sortby,
     .key = sortby_key,
     .title = "Sort by  (Enter sorts, I inverts, Esc closes)"},
    {.name = "setup",
     .overlay = OV_SETUP,
     .grab = GRAB_BUT_F10,
     .draw = screen_setup,
     .key = setup_key,
     .title = "Setup: process columns  (Space show/hide, [ ] move, Enter sort by, w save, "
	      "Esc closes)"},
    {.name = "action dialog",
     .overlay = OV_DIALOG,
     .grab = GRAB_ALL,
     .draw = draw_dialog,
     .key = keys_dialog},
};

const struct pane *
pane_on_top(const struct ui *ui)
{
	/* A dialog overlay without its dialog shows the table. */
	enum ui_overlay ov = ui->overlay == OV_DIALOG && !ui->dlg ? OV_NONE : ui->overlay;

	for (size_t i = 0; i < ARRAY_SIZE(panes); i++)
		if (panes[i].overlay == ov && (ov != OV_NONE || panes[i].view == ui->view))
			return &panes[i];
	assert(!"a pane for every overlay and view");
	return &panes[0];
}

const struct pane *
pane_at(size_t i)
{
	return i < ARRAY_SIZE(panes) ? &panes[i] : NULL;
}

/* Action a of key k to pane p, after the keys the loop takes first; false when nothing took it. */
static bool
to_pane(struct ui *ui, const struct pane *p, enum action a, struct key k, enum key_result *res)
{
	if (p->grab == GRAB_AFTER_COMMON && keys_common(ui, a, res))
		return true;
	return p->key(ui, a, k);
}

enum key_result
panes_key(struct ui *ui, struct key k)
{
	enum key_result res = KR_CONTINUE;
	const struct pane *p;
	enum action a;

	if (k.fn && k.code == KEY_RESIZE)
		return KR_CONTINUE;
	if (ui->prompt != PR_NONE) {
		prompt_key(ui, k);
		return KR_CONTINUE;
	}
	p = pane_on_top(ui);
	a = keymap_lookup(k);
	/* q quits from the tables, F10 from anywhere but a dialog. */
	if (k.fn && k.code == KEY_F(10) && p->grab != GRAB_ALL)
		return KR_QUIT;
	if (!to_pane(ui, p, a, k, &res) && a == ACT_NONE)
		keys_unbound(ui, k);
	return res;
}

enum key_result
panes_act(struct ui *ui, enum action a)
{
	enum key_result res = KR_CONTINUE;
	const struct pane *p = pane_on_top(ui);

	/* Not into a prompt or a dialog: their keys are typed. */
	if (ui->prompt == PR_NONE && p->grab != GRAB_ALL)
		to_pane(ui, p, a, (struct key){0, false}, &res);
	return res;
}
