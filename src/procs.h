/*
 * procs.h - reads every process (not thread) from /proc into struct proc.
 */
#ifndef OOMLENS_PROCS_H
#define OOMLENS_PROCS_H

#include <stddef.h>
#include <sys/types.h>

#include "model.h"

struct cg_members;

struct procs_result {
	struct proc *procs;
	size_t n;
	unsigned vanished; /* went away while being read: dropped */
	unsigned errors;   /* other read failures (fields left unknown) */
};

/*
 * What the reader keeps between ticks: each known process's slow-changing
 * fields, keyed by (pid, start time), so they can be read less often.
 */
struct procs_cache;

/*
 * every: read the slow files of a known process every this many ticks (0, 1:
 * always); its cmdline and cgroup only every every_texts ticks (rounded up to
 * a multiple of every; 0: with the others).
 */
struct procs_cache *procs_cache_new(unsigned every, unsigned every_texts);
void procs_cache_free(struct procs_cache *c);
/* Make the next tick read every file of every process (after an action changed one). */
void procs_cache_invalidate(struct procs_cache *c);

/*
 * Read the processes under root + /proc.  cg_version (1 or 2, 0 for none)
 * says which line of /proc/PID/cgroup is the memory controller's; members
 * (may be NULL) answers it for most processes without that file.  With
 * pids, only those processes are read.  cache may be NULL (read everything).
 * -errno if /proc cannot be listed.
 */
int procs_collect(const char *root, int cg_version, const struct cg_members *members,
		  const pid_t *pids, size_t n_pids, struct procs_cache *cache,
		  struct procs_result *res);

/*
 * Read one process through an open /proc/PID directory fd into p.
 * 0, -ESRCH when it has gone (or a file vanished mid-read), or another -errno
 * when stat itself cannot be read.
 */
int procs_read_one(int dirfd, int cg_version, struct proc *p, unsigned *errors);

/*
 * FNV-1a of a comm: the collectors' caches keep it rather than the name,
 * to tell an exec (another comm) from the same program.
 */
uint32_t comm_hash(const char *comm);

#endif
