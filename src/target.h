/*
 * target.h - what an operator types to name a cgroup, as the monitor shows
 * it: a cgroup path, a container name (or a Kubernetes pod), a container
 * id or its first 12 (at least 4) characters, a cgroup's last path
 * component when only one cgroup has it, or its first 12 or more
 * characters (the monitor's CGROUP column).  Used by `oomlens fits` and
 * `oomlens set --cgroup`.  Pure: reads a const snapshot, never the system.
 */
#ifndef OOMLENS_TARGET_H
#define OOMLENS_TARGET_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

#define TARGET_MAX_CANDIDATES 16

struct target_match {
	int cg;					 /* the cgroup's index, -1 when none or ambiguous */
	size_t n;				 /* candidates when ambiguous */
	int candidates[TARGET_MAX_CANDIDATES];	 /* their cgroup indexes (at most this many) */
	size_t more;				 /* candidates past those */
};

/*
 * Find what in s: 0 and m->cg; -ENOENT when nothing matches; -EEXIST when
 * more than one different cgroup does, with m->candidates.
 */
int target_find_cgroup(const struct snapshot *s, const char *what, struct target_match *m);

/* "oomlens PROG: ambiguous cgroup 'what'; it could be:" and a line per candidate. */
void target_print_candidates(FILE *f, const char *prog, const char *what,
			     const struct snapshot *s, const struct target_match *m);

/*
 * For the command line (target_live.c): when *what is not a path, find it
 * in a snapshot of the system under root and point *what at the cgroup's
 * path.  0 when resolved or left alone (not found: the caller's own
 * lookup, Docker's names, says why); -EEXIST after listing the candidates
 * on stderr (exit status 2).
 */
int target_name_cgroup(const char *root, const char *prog, const char **what);

#endif
