/*
 * members.h - which memory cgroup each process is in, read from the
 * cgroups' own cgroup.procs files instead of every /proc/PID/cgroup.
 *
 * A batch pass over 5,000 processes spends a sixth of its reads on
 * /proc/PID/cgroup; a host has far fewer cgroups than processes, and one
 * cgroup.procs names all of a cgroup's processes at once.  The map is only
 * trusted for a process that had started before it was read: a PID that
 * died and was given to a new process since then is not in it (the new
 * process's start time is later), and is read from its own file as before.
 */
#ifndef OOMLENS_MEMBERS_H
#define OOMLENS_MEMBERS_H

#include <stdint.h>
#include <sys/types.h>

#include "model.h"

struct cg_members;

/*
 * Read cgroup.procs of every cgroup in cgs (as cg_collect returned them) and
 * build a PID -> cgroup path map (an empty one when /proc belongs to
 * another PID namespace than ours).  The paths are borrowed from cgs, which
 * must outlive the map.  expect (the last count of processes, or 0) sizes
 * the table.  A cgroup whose file cannot be read is left out; its
 * processes are then looked up one by one.  Never fails: at worst the map is
 * empty.
 */
struct cg_members *cg_members_read(const struct cgroup *cgs, size_t n, size_t expect);

/*
 * The parts of cg_members_read(), for tests: an empty map that vouches for
 * processes started before since_ticks, and one cgroup.procs text added to
 * it (path borrowed).  The parse stops at the first line that is not a PID;
 * it returns how many lines it took (a 0, which v2 shows for a process
 * outside the reader's PID namespace, is taken and skipped).
 */
struct cg_members *cg_members_new(uint64_t since_ticks);
size_t cg_members_parse(struct cg_members *m, const char *text, const char *path);

/*
 * The cgroup path of pid, or NULL when the map does not know it or cannot
 * vouch for it: the process started (start_ticks, clock ticks since boot as
 * /proc/PID/stat's field 22) too close to, or after, the map was read.
 */
const char *cg_members_lookup(const struct cg_members *m, pid_t pid, uint64_t start_ticks);

/* How many processes the map holds. */
size_t cg_members_count(const struct cg_members *m);

void cg_members_free(struct cg_members *m);

#endif
