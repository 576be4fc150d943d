/*
 * theme.h - every colour and attribute of the UI, by role.  Screens ask for
 * a role and never pick a colour themselves; without colour (NO_COLOR,
 * --no-color, a monochrome terminal) each role falls back to bold, reverse,
 * underline or nothing, so the screen stays readable.
 */
#ifndef OOMLENS_UI_THEME_H
#define OOMLENS_UI_THEME_H

#include <stdbool.h>

#include <curses.h>

enum theme_role {
	TH_NORMAL = 0,
	TH_TITLE,    /* the program's name and the first header line */
	TH_LABEL,    /* "MemAvailable", "PSI" ... */
	TH_VALUE,    /* the figures next to the labels */
	TH_COLHEAD,  /* the table's column titles */
	TH_SORTCOL,  /* the title of the sort column */
	TH_SELECTED, /* the selected row */
	TH_VICTIM,   /* the process the OOM killer would pick now */
	TH_MISMATCH, /* the recomputed score disagrees with the kernel's */
	TH_UNKNOWN,  /* "-" and reasons */
	TH_ALERT,    /* oom_kill went up a moment ago, errors */
	TH_WARN,     /* a figure close to its limit */
	TH_CGROUP,   /* cgroup rows in the container view */
	TH_TREE,     /* tree guides */
	TH_STATUS,   /* the bottom line */
	TH_PROMPT,   /* the prompt being typed */
	TH_SPARK,    /* the PSI sparkline */
	TH_METER_0,  /* meter parts, in order: host free, cache, swap cache, */
	TH_METER_1,  /* free swap, dentries, inodes; a container's headroom, */
	TH_METER_2,  /* cache, slab, swap headroom */
	TH_METER_3,
	TH_METER_4,
	TH_METER_5,
	TH_METER_REST, /* the part of a meter that is not available */
	TH__COUNT
};

/* Choose colour or not (want_color false: --no-color) and set the roles up; after initscr(). */
void theme_init(bool want_color);
/* Whether colours are in use. */
bool theme_color(void);
/* The curses attributes of a role. */
attr_t theme_attr(enum theme_role r);
/* The character that draws meter part i (0..5) in monochrome and colour alike. */
char theme_meter_char(int i);

#endif
