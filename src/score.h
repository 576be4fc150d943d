/*
 * score.h - the OOM killer's arithmetic, old and new, as pure functions.
 *
 * Linux 2.4's badness() as its code computed it (Gorman, ch. 13), today's
 * oom_badness() and /proc/PID/oom_score, and the choice of victim for the
 * host and for each cgroup with a limit.  No I/O.
 */
#ifndef OOMLENS_SCORE_H
#define OOMLENS_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/* 2.4's SHIFT_HZ for a tick rate (100 -> 7, 1000 -> 10). */
int score_shift_hz(long hz);
/* 2.4's int_sqrt(): a rough square root that never returns 0. */
uint64_t score_int_sqrt24(uint64_t x);

/* Every step of the 2.4 badness of one process, for the detail pane. */
struct gorman_steps {
	bool kthread;        /* no mm: 0 */
	int64_t total_vm;    /* pages */
	uint64_t cpu_time;   /* (utime + stime) >> (SHIFT_HZ + 3) */
	uint64_t run_time;   /* (now - start) >> (SHIFT_HZ + 10) */
	uint64_t cpu_div;    /* int_sqrt(cpu_time) */
	uint64_t run_div;    /* int_sqrt(int_sqrt(run_time)) */
	bool niced;          /* nice > 0: x2 */
	bool root_or_admin;  /* uid 0, euid 0 or CAP_SYS_ADMIN: /4 */
	bool rawio;          /* CAP_SYS_RAWIO: /4 */
	int64_t points;
};

/* The 2.4 badness; unknown when an input is (VmSize, the capabilities). */
struct val score_gorman(const struct proc *p, const struct host *h, struct gorman_steps *steps);

/*
 * Today's oom_badness() points with the given totalpages: rss + swap +
 * pgtables pages + adj * (totalpages / 1000).  Unknown (OL_ENOTAPPL) for the
 * processes the kernel never kills: kernel threads, init, adj -1000.
 */
struct val score_kernel_points(const struct proc *p, int64_t totalpages, long page_size);

/* /proc/PID/oom_score from points; v59 selects the 5.9+ formula. */
int64_t score_oom_score(int64_t points, int64_t totalpages, bool v59);

/* Fill every process's scores and the victims of the host and of each limited cgroup. */
void score_snapshot(struct snapshot *s);

/* totalpages of a cgroup's OOM domain, or unknown. */
struct val score_cgroup_totalpages(const struct snapshot *s, int cg);

/* The OOM killer's rules by kernel range (doc/scoring.md section 6). */
enum score_rules {
	SCORE_RULES_419 = 0, /* 4.19-5.3: points at least 1; a tie keeps the first met */
	SCORE_RULES_54,      /* 5.4-5.8: points at least 1; a tie takes the last met */
	SCORE_RULES_59,      /* 5.9+: raw points (may be negative); a tie takes the last met */
};
int score_kernel_rules(const char *release);

/* Is p the next victim of its cgroup's limit or of a limited ancestor's (the '@' mark)? */
bool score_is_cgroup_victim(const struct snapshot *s, const struct proc *p);

#endif
