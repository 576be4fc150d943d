/*
 * rows.h - what the tables show, in order: the process rows (flat or as a
 * tree by parent) and the container rows (memory cgroups as a tree with
 * their processes beneath), after the filter and the sort.  Also the
 * identity of a row, so the selection can follow a process or a cgroup
 * from one snapshot to the next.  No curses here.
 */
#ifndef OOMLENS_UI_ROWS_H
#define OOMLENS_UI_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model.h"
#include "sort.h"

/* The AVAIL column sorts by the container's available memory, which sort_procs() does not know. */
#define UI_SORT_AVAIL SORT__COUNT

struct ui_sort {
	int key; /* enum sort_key, or UI_SORT_AVAIL */
	bool ascending;
};

enum row_kind { ROW_PROC, ROW_CGROUP };

#define ROW_MAX_GUIDES 64

struct row {
	int idx;   /* into s->procs or s->cgroups */
	int kind;  /* enum row_kind */
	int depth; /* 0 at the top of a tree */
	bool last; /* the last of its siblings */
	bool has_children;
	bool expanded;	 /* cgroup rows: what is beneath is shown */
	uint64_t guides; /* bit d: the ancestor at depth d + 1 has siblings below it */
};

struct rows {
	struct row *v;
	size_t n, cap;
};

/* A set of strings: the cgroups the operator collapsed, by path. */
struct pathset {
	char **v;
	size_t n, cap;
};
bool pathset_has(const struct pathset *ps, const char *path);
void pathset_set(struct pathset *ps, const char *path, bool member);
void pathset_free(struct pathset *ps);

/* The container view's order of cgroups among their siblings (< > F6 there). */
enum cg_sort_key { CGS_PATH, CGS_USAGE, CGS_PCT, CGS_AVAIL, CGS_OOMK, CGS_ETA, CGS__COUNT };

struct rows_opts {
	struct ui_sort sort;
	bool tree;			 /* process view: nest by parent */
	const char *filter;		 /* NULL or "": everything */
	const char *user;		 /* u: only this user's processes; NULL or "": all */
	bool hide_kthreads;		 /* K: no kernel threads */
	const struct pathset *collapsed; /* container view */
	int cg_sort;			 /* container view: enum cg_sort_key */
	bool cg_ascending;
};

/* Whether a process's name, command line, user or cgroup contains needle (any case). */
bool rows_proc_matches(const struct proc *p, const char *needle);

/* Whether the user filter (u) and K let a process through. */
bool rows_proc_passes(const struct proc *p, const struct rows_opts *o);

/* s's processes in the order of o->sort; idx gets n_procs entries. */
void rows_sort(const struct snapshot *s, struct ui_sort sort, size_t *idx);

void rows_procs(const struct snapshot *s, const struct rows_opts *o, struct rows *out);
void rows_cgroups(const struct snapshot *s, const struct rows_opts *o, struct rows *out);
void rows_free(struct rows *r);

/* What a row is, across snapshots: a process (pid, start) or a cgroup (path). */
struct ident {
	int kind; /* enum row_kind; -1: nothing */
	pid_t pid;
	uint64_t start_ticks;
	char *path;
};
void ident_of_row(struct ident *id, const struct snapshot *s, const struct row *r);
/* The index of id's row in rows, or -1. */
long ident_find(const struct ident *id, const struct snapshot *s, const struct rows *rows);
void ident_clear(struct ident *id);

#endif
