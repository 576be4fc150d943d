/*
 * keymap.c - the key bindings of the monitor and their help texts: one
 * table each, nothing else.  Keys follow top and htop.
 */
#include "config.h"

#include "keymap.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

struct binding {
	int code;
	bool fn; /* code is a curses KEY_* code */
	enum action act;
	const char *name; /* as the help shows it */
};

/* One binding a line, as a table reads best. */
/* clang-format off */
static const struct binding bindings[] = {
	{ 'q', false, ACT_QUIT, "q" },
	{ KEY_F(10), true, ACT_QUIT, "F10" },
	{ KEY_UP, true, ACT_UP, "Up" },
	{ KEY_DOWN, true, ACT_DOWN, "Down" },
	{ KEY_PPAGE, true, ACT_PGUP, "PgUp" },
	{ KEY_NPAGE, true, ACT_PGDN, "PgDn" },
	{ KEY_HOME, true, ACT_HOME, "Home" },
	{ KEY_END, true, ACT_END, "End" },
	{ '<', false, ACT_SORT_PREV, "<" },
	{ '>', false, ACT_SORT_NEXT, ">" },
	{ KEY_F(6), true, ACT_SORT_BY, "F6" },
	{ 'I', false, ACT_SORT_INVERT, "I" },
	{ '/', false, ACT_SEARCH, "/" },
	{ KEY_F(3), true, ACT_SEARCH, "F3" },
	{ 'n', false, ACT_SEARCH_NEXT, "n" },
	{ '\\', false, ACT_FILTER, "\\" },
	{ KEY_F(4), true, ACT_FILTER, "F4" },
	{ 'u', false, ACT_USER, "u" },
	{ 'K', false, ACT_KTHREADS, "K" },
	{ 27, false, ACT_CLEAR, "Esc" },
	{ 'c', false, ACT_CONTAINERS, "c" },
	{ 't', false, ACT_TREE, "t" },
	{ KEY_F(5), true, ACT_TREE, "F5" },
	{ '\n', false, ACT_DETAIL, "Enter" },
	{ '\r', false, ACT_DETAIL, NULL },
	{ KEY_ENTER, true, ACT_DETAIL, NULL },
	{ '+', false, ACT_EXPAND, "+" },
	{ KEY_RIGHT, true, ACT_EXPAND, "Right" },
	{ '-', false, ACT_COLLAPSE, "-" },
	{ KEY_LEFT, true, ACT_COLLAPSE, "Left" },
	{ 'd', false, ACT_DELAY, "d" },
	{ 's', false, ACT_DELAY, "s" },
	{ ' ', false, ACT_PAUSE, "Space" },
	{ 'L' - '@', false, ACT_REFRESH, "Ctrl-L" },
	{ 'h', false, ACT_HELP, "h" },
	{ '?', false, ACT_HELP, "?" },
	{ KEY_F(1), true, ACT_HELP, "F1" },
	{ 'o', false, ACT_OOM_ADJ, "o" },
	{ 'm', false, ACT_LIMITS, "m" },
	{ 'k', false, ACT_SIGNAL, "k" },
	{ KEY_F(9), true, ACT_SIGNAL, "F9" },
	{ 'e', false, ACT_EVENTS, "e" },
	{ 'f', false, ACT_FITS, "f" },
	{ '[', false, ACT_STEP_BACK, "[" },
	{ ']', false, ACT_STEP_FWD, "]" },
	{ '{', false, ACT_JUMP_BACK, "{" },
	{ '}', false, ACT_JUMP_FWD, "}" },
	{ 'g', false, ACT_GOTO, "g" },
	{ 'W', false, ACT_SAVE, "W" },
	{ KEY_F(2), true, ACT_SETUP, "F2" },
};
/* clang-format on */

/* What each action does, in the order the help screen lists them. */
static const struct {
	enum action act;
	const char *what;
} help[] = {
    {ACT_HELP, "this help (q or any other key returns)"},
    {ACT_QUIT, "quit"},
    {ACT_UP, "move the selection up a row"},
    {ACT_DOWN, "move the selection down a row"},
    {ACT_PGUP, "move up a page"},
    {ACT_PGDN, "move down a page"},
    {ACT_HOME, "go to the first row"},
    {ACT_END, "go to the last row"},
    {ACT_DETAIL, "open or close the detail pane: why this process or cgroup scores so"},
    {ACT_SORT_BY, "sort by: choose the sort column from a list"},
    {ACT_SORT_PREV, "sort by the column to the left"},
    {ACT_SORT_NEXT, "sort by the column to the right"},
    {ACT_SORT_INVERT, "invert the sort order"},
    {ACT_SEARCH, "search: jump to a process by name, user or cgroup as you type"},
    {ACT_SEARCH_NEXT, "the next row the search matches"},
    {ACT_FILTER, "filter: show only processes whose name, user or cgroup match"},
    {ACT_USER, "show only one user's processes (empty: all users)"},
    {ACT_KTHREADS, "hide or show kernel threads"},
    {ACT_CLEAR, "clear the search, the filters; close a pane"},
    {ACT_TREE, "toggle the process tree (by parent)"},
    {ACT_CONTAINERS, "toggle the container view: memory cgroups as a tree"},
    {ACT_EXPAND, "container view: expand the selected cgroup"},
    {ACT_COLLAPSE, "container view: collapse the selected cgroup"},
    {ACT_EVENTS, "the OOM event log: every kill seen, newest first"},
    {ACT_FITS, "would SIZE fit now? four answers, and sizing for the selected container"},
    {ACT_SIGNAL, "send a signal to the selected process (TERM; KILL needs a second yes)"},
    {ACT_OOM_ADJ, "set the selected process's oom_score_adj (plan, confirm, read back)"},
    {ACT_LIMITS, "set the memory limits of the selected container or process's cgroup"},
    {ACT_DELAY, "set the refresh delay in seconds"},
    {ACT_PAUSE, "pause or resume collecting"},
    {ACT_REFRESH, "collect and redraw now"},
    {ACT_SETUP, "setup: show, hide and order the columns, the sort; w saves them"},
    {ACT_SAVE, "save the layout (view, sort, columns, delay, colours) to the config file"},
    {ACT_STEP_BACK, "replay: the previous snapshot"},
    {ACT_STEP_FWD, "replay: the next snapshot"},
    {ACT_JUMP_BACK, "replay: a minute back"},
    {ACT_JUMP_FWD, "replay: a minute on"},
    {ACT_GOTO, "replay: go to a time (HH:MM[:SS], YYYY-MM-DD HH:MM[:SS], +/-N[smh])"},
};

enum action
keymap_lookup(struct key k)
{
	for (size_t i = 0; i < ARRAY_SIZE(bindings); i++)
		if (bindings[i].code == k.code && bindings[i].fn == k.fn)
			return bindings[i].act;
	return ACT_NONE;
}

bool
keymap_writes(enum action a)
{
	return a == ACT_OOM_ADJ || a == ACT_LIMITS || a == ACT_SIGNAL;
}

bool
keymap_replay(enum action a)
{
	return a == ACT_STEP_BACK || a == ACT_STEP_FWD || a == ACT_JUMP_BACK || a == ACT_JUMP_FWD ||
	       a == ACT_GOTO;
}

size_t
keymap_help_count(void)
{
	return ARRAY_SIZE(help);
}

void
keymap_help(size_t i, struct key_help *out)
{
	size_t o = 0;

	out->act = ACT_NONE;
	out->keys[0] = '\0';
	out->what = "";
	if (i >= ARRAY_SIZE(help))
		return;
	out->act = help[i].act;
	out->what = help[i].what;
	for (size_t b = 0; b < ARRAY_SIZE(bindings); b++) {
		int n;

		if (bindings[b].act != out->act || !bindings[b].name)
			continue;
		n = snprintf(out->keys + o, sizeof(out->keys) - o, "%s%s", o ? " " : "",
			     bindings[b].name);
		if (n < 0 || (size_t)n >= sizeof(out->keys) - o)
			break;
		o += (size_t)n;
	}
}

/* htop's function keys, with htop's meaning where oomlens has one. */
static const struct {
	const char *key, *label;
	enum action act;
} bar[] = {
    {"F1", "Help", ACT_HELP},	  {"F2", "Setup", ACT_SETUP},{"F3", "Search", ACT_SEARCH},
    {"F4", "Filter", ACT_FILTER}, {"F5", "Tree", ACT_TREE},	{"F6", "SortBy", ACT_SORT_BY},
    {"F9", "Kill", ACT_SIGNAL},	  {"F10", "Quit", ACT_QUIT},
};

/* Each item: its key, then its label padded to 6 columns, as htop draws them. */
#define BAR_LABEL 6

bool
keymap_bar(size_t i, struct keybar_item *out)
{
	int x = 0;

	if (i >= ARRAY_SIZE(bar))
		return false;
	for (size_t k = 0; k < i; k++)
		x += (int)strlen(bar[k].key) + BAR_LABEL;
	out->key = bar[i].key;
	out->label = bar[i].label;
	out->act = bar[i].act;
	out->x = x;
	out->w = (int)strlen(bar[i].key) + BAR_LABEL;
	return true;
}

enum action
keymap_bar_at(int x)
{
	struct keybar_item it;

	for (size_t i = 0; keymap_bar(i, &it); i++)
		if (x >= it.x && x < it.x + it.w)
			return it.act;
	return ACT_NONE;
}
