/*
 * cgroup.h - the memory controller, on cgroup v1, v2 and hybrid hosts.
 *
 * Finds where the memory controller is mounted (from mountinfo, never
 * assumed), walks its hierarchy and reads each cgroup's usage, limits,
 * counters, memory.stat and PSI into struct cgroup, with v1 and v2 behind
 * one interface.  It also owns the parsers for the cgroup files, which are
 * pure.  What is available under a limit is avail.h's.
 */
#ifndef OOMLENS_CGROUP_H
#define OOMLENS_CGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Where the memory controller lives. */
struct cg_mount {
	int version;      /* 1 or 2; 0 when there is no memory controller */
	char mount[4096]; /* mount point as the host sees it, e.g. /sys/fs/cgroup/memory */
	char root[4096];  /* mountinfo's root field: the hierarchy path the mount shows */
	int err;          /* why version is 0 */
};

/*
 * From a mountinfo buffer: the v1 "cgroup" mount whose super options include
 * "memory"; failing that, the cgroup2 mount (the caller checks that its
 * cgroup.controllers lists memory).  -ENOENT when there is neither.
 */
int cg_parse_mountinfo(const char *buf, struct cg_mount *m);

/* Find the memory controller under root ("" for the live system): reads root/proc/self/mountinfo. */
int cg_find_mount(const char *root, struct cg_mount *m);

/*
 * A process's path in the memory hierarchy, from /proc/PID/cgroup: the v1
 * line whose controllers include "memory", or the v2 "0::" line.
 */
int cg_parse_proc_cgroup(const char *buf, int version, char *out, size_t outsz);

/*
 * One cgroup file holding a size or a count: a number, or "max" (v2).  On v1,
 * a value at or above OL_V1_UNLIMITED is the kernel's "unlimited" and becomes VAL_MAX.
 */
#define OL_V1_UNLIMITED 0x7ffffffffffff000ull /* PAGE_COUNTER_MAX * 4096 rounded down */
int cg_parse_value(const char *buf, struct val *out);

/*
 * One value file of the cgroup open at dirfd, as cg_parse_value() reads it:
 * unknown with the errno when it cannot be read, with OL_EPARSE when it is
 * longer than a value.  The one reader of value files (the actions module
 * uses it too, through the cgroup's pinned directory fd).
 */
struct val cg_read_val(int dirfd, const char *name);

/*
 * Walk the hierarchy at root + m->mount and read every cgroup in it.
 * *out is an array of *n cgroups, parents before children, path "/" first.
 */
int cg_collect(const char *root, const struct cg_mount *m, struct cgroup **out, size_t *n);

/* Free what cg_collect returned: cg_free() (model.h). */

/* Which of the four cases a v1 memory limit and kernel-memory limit make. */
enum cg_combo cg_combo_of(struct val mem, struct val kmem);

/* Text for a v1 combination of memory and kernel-memory limits (the seed's table). */
const char *cg_combo_name(enum cg_combo c);
const char *cg_combo_meaning(enum cg_combo c);

#endif
