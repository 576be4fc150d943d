/*
 * protect.h - --protect: keep oomlens responsive on a host in memory
 * trouble.  Locks its memory (mlockall) and raises its CPU priority
 * (nice -10); never touches its own oom_score_adj.
 */
#ifndef OOMLENS_PROTECT_H
#define OOMLENS_PROTECT_H

#include <stdio.h>

/* What protect_self() managed to do. */
enum protect_result {
	PROTECT_LOCKED = 1 << 0,        /* current and future memory locked */
	PROTECT_LOCKED_CURRENT = 1 << 1, /* only what is mapped now (RLIMIT_MEMLOCK is finite) */
	PROTECT_NICE = 1 << 2,          /* nice value set to PROTECT_NICE_VALUE */
};

/* The nice value --protect asks for. */
#define PROTECT_NICE_VALUE (-10)

/*
 * Call once, before collecting starts and before any thread is created (a
 * nice value is per thread on Linux; new threads inherit it).  Each thing
 * that cannot be done is reported once on err, with the reason and what
 * would allow it, and the program carries on.  Returns enum protect_result bits.
 */
int protect_self(FILE *err);

#endif
