/*
 * theme.c - the UI's colours and their monochrome fallbacks, in one place.
 * Colour is used only when the terminal has it, --no-color was not given and
 * NO_COLOR is unset or empty (https://no-color.org).
 */
#include "config.h"

#include "theme.h"

#include <stdlib.h>

struct role_style {
	short fg, bg; /* colour pair; -1 is the terminal's default */
	attr_t color; /* attributes added with colour */
	attr_t mono;  /* attributes without colour */
};

static const struct role_style styles[TH__COUNT] = {
    [TH_NORMAL] = {-1, -1, 0, 0},
    [TH_TITLE] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [TH_LABEL] = {COLOR_CYAN, -1, 0, 0},
    [TH_VALUE] = {-1, -1, A_BOLD, A_BOLD},
    [TH_COLHEAD] = {COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE},
    [TH_SORTCOL] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_UNDERLINE},
    [TH_SELECTED] = {COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE | A_BOLD},
    [TH_VICTIM] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [TH_MISMATCH] = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE},
    [TH_UNKNOWN] = {COLOR_BLUE, -1, A_BOLD, A_DIM},
    [TH_ALERT] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
    [TH_WARN] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [TH_CGROUP] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [TH_TREE] = {COLOR_CYAN, -1, 0, 0},
    [TH_STATUS] = {COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
    [TH_PROMPT] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [TH_SPARK] = {COLOR_YELLOW, -1, 0, 0},
    [TH_METER_0] = {COLOR_GREEN, -1, A_BOLD, 0},
    [TH_METER_1] = {COLOR_BLUE, -1, A_BOLD, 0},
    [TH_METER_2] = {COLOR_MAGENTA, -1, 0, 0},
    [TH_METER_3] = {COLOR_YELLOW, -1, 0, 0},
    [TH_METER_4] = {COLOR_CYAN, -1, 0, 0},
    [TH_METER_5] = {COLOR_RED, -1, 0, 0},
    [TH_METER_REST] = {-1, -1, A_DIM, A_DIM},
};

/* Meter characters: distinct without colour, so the parts can be told apart. */
static const char meter_chars[6] = {'#', '=', '~', ':', '+', '%'};

static bool use_color;

void
theme_init(bool want_color)
{
	const char *nc = getenv("NO_COLOR");

	use_color = want_color && !(nc && *nc) && has_colors();
	if (!use_color)
		return;
	if (start_color() == ERR) {
		use_color = false;
		return;
	}
	use_default_colors();
	for (int r = 1; r < TH__COUNT && r < COLOR_PAIRS; r++)
		init_pair((short)r, styles[r].fg, styles[r].bg);
}

bool
theme_color(void)
{
	return use_color;
}

attr_t
theme_attr(enum theme_role r)
{
	if ((int)r < 0 || r >= TH__COUNT)
		return A_NORMAL;
	if (!use_color)
		return styles[r].mono;
	if (r == TH_NORMAL || (int)r >= COLOR_PAIRS)
		return styles[r].color;
	return COLOR_PAIR(r) | styles[r].color;
}

char
theme_meter_char(int i)
{
	if (i < 0 || i >= 6)
		return '.';
	return meter_chars[i];
}
