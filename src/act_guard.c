/*
 * act_guard.c - refuse the action path to a caller whose privilege is not
 * its own (act_guard.h).  It reads only the process's own ids and its
 * auxiliary vector; it must not print or decide anything else.
 */
#include "config.h"

#include "act_guard.h"

#include <errno.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>

double act_test_pause_before_apply;

int
act_guard_caller(char *why, size_t whysz)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0) {
		snprintf(why, whysz, "cannot read this process's user and group ids");
		return -EPERM;
	}
	if (ru != eu || ru != su) {
		snprintf(why, whysz,
			 "oomlens runs set-user-ID (real uid %u, effective uid %u): it acts only "
			 "with its caller's own privilege; run it as that user (sudo oomlens ...)",
			 (unsigned)ru, (unsigned)eu);
		return -EPERM;
	}
	if (rg != eg || rg != sg) {
		snprintf(why, whysz,
			 "oomlens runs set-group-ID (real gid %u, effective gid %u): it acts only "
			 "with its caller's own privilege",
			 (unsigned)rg, (unsigned)eg);
		return -EPERM;
	}
	if (getauxval(AT_SECURE)) {
		snprintf(why, whysz,
			 "oomlens was started in secure-execution mode (AT_SECURE: set-user-ID, "
			 "set-group-ID or file capabilities): it acts only with its caller's own "
			 "privilege");
		return -EPERM;
	}
	return 0;
}
