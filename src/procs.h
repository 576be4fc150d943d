/*
 * procs.h - reads every process (not thread) from /proc into struct proc.
 */
#ifndef OOMLENS_PROCS_H
#define OOMLENS_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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
 * A cache of command lines alone, for a collector that reads everything
 * else every tick (the bpf collector): a known process's kept line is
 * re-read every every_texts ticks, staggered by PID (0 or 1: only when the
 * process is new or exec'd).  It is not for procs_collect().
 */
struct procs_cache *procs_cache_new_texts(unsigned every_texts);
/*
 * p's command line from the cache, when the entry is this process (same
 * start time, and same comm or primed) and no re-read is due: true, and
 * the entry is seen in this tick.  Else false: read it, then keep it.
 */
bool procs_cache_take_cmdline(struct procs_cache *c, struct proc *p);
void procs_cache_keep_cmdline(struct procs_cache *c, const struct proc *p);
/*
 * A command line known before its process's record (the bpf collector's
 * first pass): taken by the first procs_cache_take_cmdline() of the same
 * PID and start time in this tick, whatever its comm; dropped at its end if none.
 */
void procs_cache_prime_cmdline(struct procs_cache *c, pid_t pid, uint64_t start_ticks,
			       const char *text);
/* End a tick: forget the processes it did not see (procs_collect() calls it itself). */
void procs_cache_end_tick(struct procs_cache *c);

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
 * The text files of one process, name under dirfd ("cmdline" under its
 * /proc/PID directory, or "/proc/PID/cmdline" with AT_FDCWD), into
 * p->cmdline, or p->cgroup (the memory controller's path for cg_version),
 * else their error; a failure other than the process having gone counts
 * in *errors.  0, or -ESRCH when the process has gone (the error is set).
 */
int procs_read_cmdline(int dirfd, const char *name, struct proc *p, unsigned *errors);
int procs_read_cgroup(int dirfd, const char *name, int cg_version, struct proc *p,
		      unsigned *errors);

/*
 * FNV-1a of a comm: the collectors' caches keep it rather than the name,
 * to tell an exec (another comm) from the same program.
 */
uint32_t comm_hash(const char *comm);

#endif
