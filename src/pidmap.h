/*
 * pidmap.h - an open-addressed map from PID to a 32-bit value, for the
 * cgroup membership map (members.c; the per-process cache of procs.c is
 * an array in PID order and needs none).  PIDs are positive, so 0 marks an empty slot.  The table
 * keeps at least twice as many slots as entries.
 */
#ifndef OOMLENS_PIDMAP_H
#define OOMLENS_PIDMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pidmap_slot {
	pid_t pid; /* 0: empty */
	uint32_t val;
};

struct pidmap {
	struct pidmap_slot *slots;
	size_t cap; /* a power of two; 0 before the first pidmap_reset() or put */
	size_t n;
};

/* Empty the map, with room for at least want entries. */
void pidmap_reset(struct pidmap *m, size_t want);

/* The value of pid, or NULL. */
uint32_t *pidmap_find(const struct pidmap *m, pid_t pid);

/* The value of pid, added as 0 when new (*added says which); the map grows as needed. */
uint32_t *pidmap_put(struct pidmap *m, pid_t pid, int *added);

void pidmap_free(struct pidmap *m);

#endif
