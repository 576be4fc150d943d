/*
 * avail.h - how much more memory the host, or a process in a memory
 * cgroup, could still get (doc/model.md): the arithmetic alone, as pure
 * functions over values the collectors have read.  No I/O, no allocation.
 */
#ifndef OOMLENS_AVAIL_H
#define OOMLENS_AVAIL_H

#include <stddef.h>

#include "model.h"

/*
 * The host's availability: the six 2.4 components summed into
 * h->vm_enough_kb (unknown, with the first unknown part's reason, if any
 * part is), and that sum less Shmem into h->avail_now_kb (at least 0).
 */
void avail_host_sum(struct host *h);

/*
 * Which limit is in force for cgroup i: its own, the nearest limited
 * ancestor's (an index), or the host's (-1).  Parents come before children.
 */
int avail_limited_by(const struct snapshot *s, size_t i);

/* The components when the host's memory is what limits (kB turned into bytes). */
void avail_of_host(const struct host *h, struct cg_avail *a);

/* The components when the limit of cgroup l is what limits; h bounds the swap. */
void avail_of_cgroup(const struct host *h, const struct cgroup *l, struct cg_avail *a);

/*
 * headroom + inactive_file + slab_reclaimable + swap_headroom, saturating.
 * The headroom must be known; a part the kernel does not report
 * (OL_EMISSING: slab on v1) counts as 0; any other unknown part makes the
 * sum unknown with that part's reason.
 */
struct val avail_sum(const struct cg_avail *a);

/*
 * Fill cgroup->avail for every cgroup of s, after the processes are
 * attached: the components of the limit in force, their sum, limited_by.
 */
void avail_compute(struct snapshot *s);

#endif
