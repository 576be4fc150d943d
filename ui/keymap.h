/*
 * keymap.h - which key does what, as one table: the key handlers and the
 * help screen both read it, so the help can never drift from the keys.
 */
#ifndef OOMLENS_UI_KEYMAP_H
#define OOMLENS_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

enum action {
	ACT_NONE = 0,
	ACT_QUIT,
	ACT_UP,
	ACT_DOWN,
	ACT_PGUP,
	ACT_PGDN,
	ACT_HOME,
	ACT_END,
	ACT_SORT_PREV,
	ACT_SORT_NEXT,
	ACT_SORT_INVERT,
	ACT_SEARCH,
	ACT_FILTER,
	ACT_CLEAR,
	ACT_CONTAINERS,
	ACT_TREE,
	ACT_DETAIL,
	ACT_EXPAND,
	ACT_COLLAPSE,
	ACT_DELAY,
	ACT_PAUSE,
	ACT_REFRESH,
	ACT_HELP,
	ACT_OOM_ADJ,   /* o: a process's oom_score_adj */
	ACT_LIMITS,    /* m: a cgroup's memory limits */
	ACT_SIGNAL,    /* k: a signal to a process */
	ACT_EVENTS,    /* e: the OOM event log */
	ACT_FITS,      /* f: would an allocation fit */
	ACT_STEP_BACK, /* replay: the previous snapshot */
	ACT_STEP_FWD,  /* replay: the next snapshot */
	ACT_JUMP_BACK, /* replay: a minute back */
	ACT_JUMP_FWD,  /* replay: a minute on */
	ACT_GOTO,      /* replay: go to a time */
	ACT_SAVE,      /* W: save the layout to the config file */
	ACT_SETUP,     /* F2: choose and order the columns and the sort */
	ACT_SORT_BY,   /* F6: choose the sort column from a list */
	ACT_SEARCH_NEXT, /* n: the next row the search matches */
	ACT_USER,      /* u: show one user's processes */
	ACT_KTHREADS,  /* K: hide or show kernel threads */
	ACT__COUNT
};

/*
 * A key as the loop reads it: a character (fn false) or a curses KEY_*
 * code (fn true), which keeps a character and a key code with the same
 * number apart.
 */
struct key {
	int code;
	bool fn;
};

/* The action bound to a key, ACT_NONE when the key is free. */
enum action keymap_lookup(struct key k);

/* For the help screen: the i-th action (in table order), its keys and what it does. */
struct key_help {
	enum action act;
	char keys[48]; /* "q F10" */
	const char *what;
};
size_t keymap_help_count(void);
/* Whether an action changes the system (o, m, k): unavailable with --read-only. */
bool keymap_writes(enum action a);
/* Whether an action moves through a recording: only with --replay. */
bool keymap_replay(enum action a);
void keymap_help(size_t i, struct key_help *out);

/*
 * The function-key bar on the last line, as htop's: item i's key ("F1")
 * and label ("Help"), drawn from column x on; false past the last item.
 */
struct keybar_item {
	const char *key, *label;
	enum action act;
	int x, w; /* where it is drawn: columns x .. x + w - 1 */
};
bool keymap_bar(size_t i, struct keybar_item *out);
/* The bar's action under column x, ACT_NONE between or past the items. */
enum action keymap_bar_at(int x);

#endif
