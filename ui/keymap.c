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

#define CTRL(c) ((c) & 0x1f)

struct binding {
	struct key key;
	enum action act;
	const char *name; /* as the help shows it */
};

#define CH(c) { (c), false }
#define FN(c) { (c), true }

static const struct binding bindings[] = {
	{ CH('q'), ACT_QUIT, "q" },
	{ FN(KEY_F(10)), ACT_QUIT, "F10" },
	{ FN(KEY_UP), ACT_UP, "Up" },
	{ FN(KEY_DOWN), ACT_DOWN, "Down" },
	{ FN(KEY_PPAGE), ACT_PGUP, "PgUp" },
	{ FN(KEY_NPAGE), ACT_PGDN, "PgDn" },
	{ FN(KEY_HOME), ACT_HOME, "Home" },
	{ FN(KEY_END), ACT_END, "End" },
	{ CH('<'), ACT_SORT_PREV, "<" },
	{ CH('>'), ACT_SORT_NEXT, ">" },
	{ FN(KEY_F(6)), ACT_SORT_NEXT, "F6" },
	{ CH('I'), ACT_SORT_INVERT, "I" },
	{ CH('/'), ACT_SEARCH, "/" },
	{ CH('\\'), ACT_FILTER, "\\" },
	{ CH(27), ACT_CLEAR, "Esc" },
	{ CH('c'), ACT_CONTAINERS, "c" },
	{ CH('t'), ACT_TREE, "t" },
	{ CH('\n'), ACT_DETAIL, "Enter" },
	{ CH('\r'), ACT_DETAIL, NULL },
	{ FN(KEY_ENTER), ACT_DETAIL, NULL },
	{ CH('+'), ACT_EXPAND, "+" },
	{ FN(KEY_RIGHT), ACT_EXPAND, "Right" },
	{ CH('-'), ACT_COLLAPSE, "-" },
	{ FN(KEY_LEFT), ACT_COLLAPSE, "Left" },
	{ CH('d'), ACT_DELAY, "d" },
	{ CH('s'), ACT_DELAY, "s" },
	{ CH(' '), ACT_PAUSE, "Space" },
	{ CH(CTRL('L')), ACT_REFRESH, "Ctrl-L" },
	{ FN(KEY_F(5)), ACT_REFRESH, "F5" },
	{ CH('h'), ACT_HELP, "h" },
	{ CH('?'), ACT_HELP, "?" },
	{ FN(KEY_F(1)), ACT_HELP, "F1" },
};

/* What each action does, in the order the help screen lists them. */
static const struct {
	enum action act;
	const char *what;
} help[] = {
	{ ACT_UP, "move the selection up a row" },
	{ ACT_DOWN, "move the selection down a row" },
	{ ACT_PGUP, "move up a page" },
	{ ACT_PGDN, "move down a page" },
	{ ACT_HOME, "go to the first row" },
	{ ACT_END, "go to the last row" },
	{ ACT_SORT_PREV, "sort by the column to the left" },
	{ ACT_SORT_NEXT, "sort by the column to the right" },
	{ ACT_SORT_INVERT, "invert the sort order" },
	{ ACT_SEARCH, "search: jump to a process by name, user or cgroup (Enter again: next)" },
	{ ACT_FILTER, "filter: show only processes whose name, user or cgroup match" },
	{ ACT_CLEAR, "clear the search and the filter; close a pane" },
	{ ACT_CONTAINERS, "toggle the container view: memory cgroups as a tree" },
	{ ACT_TREE, "toggle the process tree (by parent)" },
	{ ACT_DETAIL, "open or close the detail pane of the selected process or cgroup" },
	{ ACT_EXPAND, "container view: expand the selected cgroup" },
	{ ACT_COLLAPSE, "container view: collapse the selected cgroup" },
	{ ACT_DELAY, "set the refresh delay in seconds" },
	{ ACT_PAUSE, "pause or resume collecting" },
	{ ACT_REFRESH, "collect and redraw now" },
	{ ACT_HELP, "this help" },
	{ ACT_QUIT, "quit" },
};

enum action
keymap_lookup(struct key k)
{
	for (size_t i = 0; i < ARRAY_SIZE(bindings); i++)
		if (bindings[i].key.code == k.code && bindings[i].key.fn == k.fn)
			return bindings[i].act;
	return ACT_NONE;
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
