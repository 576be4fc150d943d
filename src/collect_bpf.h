/*
 * collect_bpf.h - the bpf collector: every process in one read of a BPF
 * task iterator (src/bpf/oomlens.bpf.c) instead of five files per process
 * from /proc.  Only the cmdline of a process not seen before, and the
 * kernel's own oom_score where a person is told "the kernel says", still
 * come from /proc.  Built as a stub that always says why not with
 * configure --disable-bpf.
 */
#ifndef OOMLENS_COLLECT_BPF_H
#define OOMLENS_COLLECT_BPF_H

#include <stddef.h>
#include <sys/types.h>

#include "model.h"
#include "procs.h"

struct bpf_coll;

/*
 * Check that this process may use the bpf collector here (built with it, in
 * the initial PID namespace, CAP_BPF and CAP_PERFMON or CAP_SYS_ADMIN,
 * kernel BTF, 5.8 or later) and load the program.  0 and *out, or -errno
 * with a one-line reason in why.  A known process's command line is re-read
 * every texts_every ticks, staggered by PID (0: only when the process is new
 * or exec'd): a process may rewrite its argv in place, which changes
 * neither its start time nor its comm.
 */
int bpf_coll_open(struct bpf_coll **out, unsigned texts_every, char *why, size_t whysz);
void bpf_coll_free(struct bpf_coll *c);

/*
 * Every process into res, from one pass of the
 * iterator.  cgs: this tick's memory cgroups, whose directories' inode
 * numbers name them in the records.  -errno when the iterator cannot be
 * read (the caller may fall back to /proc).
 */
int bpf_coll_procs(struct bpf_coll *c, const struct host *h, int cg_version,
		   const struct cgroup *cgs, size_t n_cgs,
		   struct procs_result *res);

/*
 * After scoring: each process's oom_score is the kernel's formula over the
 * counters the kernel reads (PROC_SCORE_COMPUTED); the host's and each
 * cgroup's next victim get the kernel's own /proc/PID/oom_score instead.
 */
void bpf_coll_settle_scores(struct snapshot *s);

/* The kernel's /proc/PID/oom_score for p, if p (pid and start time) still runs. */
struct val bpf_coll_kernel_oom_score(const struct proc *p);

#endif
