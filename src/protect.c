/*
 * protect.c - --protect: what oomlens does to itself so it stays usable
 * while the host is short of memory.  It owns the process's memory locks
 * and CPU priority and nothing else; it never writes oom_score_adj (a
 * monitor that made itself unkillable would be the wrong process to keep).
 *
 * Memory: mlockall(MCL_CURRENT | MCL_FUTURE), so no page of oomlens (its
 * code and libraries above all, which reclaim evicts first) has to be read
 * back from disk while the operator waits.  Locking future allocations is
 * only safe when the lock cannot run out: with CAP_IPC_LOCK or an unlimited
 * RLIMIT_MEMLOCK.  Under a finite limit MCL_FUTURE would make a later
 * malloc() fail once the snapshots outgrow it, so only the pages mapped
 * now are locked, and the message says so.
 *
 * CPU: setpriority() to nice -10, not a real-time policy.  Under the fair
 * scheduler nice -10 weighs about ten times a nice-0 task, enough to keep
 * the screen and the keys answering on a busy host, while a real-time
 * oomlens reading 20,000 /proc directories would starve every normal task
 * for as long as it ran.  Lowering a nice value needs CAP_SYS_NICE or a
 * high enough RLIMIT_NICE.
 */
#include "config.h"

#include "protect.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "parse.h"
#include "util.h"

/* Is capability cap in our effective set?  false when it cannot be told. */
static bool
have_cap(cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return false;
	if (cap_get_flag(caps, cap, CAP_EFFECTIVE, &v) < 0)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

/* Raise the soft limit to the hard one; the resulting soft limit. */
static rlim_t
raise_soft_limit(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) < 0)
		return 0;
	if (rl.rlim_cur != rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(resource, &rl) < 0 && getrlimit(resource, &rl) < 0)
			return 0;
	}
	return rl.rlim_cur;
}

/* VmLck of this process in kB, or -1 when it cannot be read. */
static long long
locked_kb(void)
{
	char buf[4096];
	uint64_t kb;

	if (read_file_at(AT_FDCWD, "/proc/self/status", buf, sizeof(buf), NULL) < 0 ||
	    parse_kv_u64(buf, "VmLck:", &kb) < 0)
		return -1;
	return (long long)kb;
}

static int
lock_memory(FILE *err)
{
	rlim_t limit = raise_soft_limit(RLIMIT_MEMLOCK);
	bool unbounded = limit == RLIM_INFINITY || have_cap(CAP_IPC_LOCK);

	if (mlockall(unbounded ? MCL_CURRENT | MCL_FUTURE : MCL_CURRENT) < 0) {
		int e = errno;

		if (limit == RLIM_INFINITY)
			fprintf(err, "oomlens: --protect: cannot lock memory: %s; carrying on\n",
				strerror(e));
		else
			fprintf(err,
				"oomlens: --protect: cannot lock memory: %s (needs CAP_IPC_LOCK or "
				"an RLIMIT_MEMLOCK above its %llu kB); carrying on\n",
				strerror(e), (unsigned long long)limit / 1024);
		return 0;
	}
	/*
	 * Believe the kernel, not the return value: sanitizer runtimes replace
	 * mlockall() with a stub that locks nothing and returns 0.
	 */
	if (locked_kb() == 0) {
		fprintf(err,
			"oomlens: --protect: cannot lock memory: mlockall() returned success but "
			"VmLck is 0 kB (a sanitizer build intercepts it); carrying on\n");
		return 0;
	}
	if (unbounded)
		return PROTECT_LOCKED;
	fprintf(err,
		"oomlens: --protect: locked the memory mapped now, not later allocations: "
		"RLIMIT_MEMLOCK is %llu kB (CAP_IPC_LOCK or an unlimited RLIMIT_MEMLOCK locks "
		"both); carrying on\n",
		(unsigned long long)limit / 1024);
	return PROTECT_LOCKED_CURRENT;
}

static int
raise_priority(FILE *err)
{
	int now;

	errno = 0;
	now = getpriority(PRIO_PROCESS, 0);
	if (errno == 0 && now <= PROTECT_NICE_VALUE)
		return PROTECT_NICE; /* already there or higher: never lower it */
	/* RLIMIT_NICE's ceiling is 20 - rlim_cur; raising the soft limit may be enough. */
	raise_soft_limit(RLIMIT_NICE);
	if (setpriority(PRIO_PROCESS, 0, PROTECT_NICE_VALUE) < 0) {
		fprintf(err,
			"oomlens: --protect: cannot raise the scheduling priority to nice %d: %s "
			"(needs CAP_SYS_NICE or RLIMIT_NICE of at least %d); carrying on\n",
			PROTECT_NICE_VALUE, strerror(errno), 20 - PROTECT_NICE_VALUE);
		return 0;
	}
	return PROTECT_NICE;
}

int
protect_self(FILE *err)
{
	return lock_memory(err) | raise_priority(err);
}
