/*
 * act_guard.h - who may use the action path at all.  oomlens writes to
 * /proc and cgroupfs with whatever privilege it runs with, so it must act
 * only for the person who ran it: a set-user-ID or set-group-ID copy (or a
 * file-capability one, which the kernel also marks AT_SECURE) would act
 * with its owner's privilege for anyone who can execute it.  Nothing here
 * knows about plans or the UI; front ends ask before they build a plan,
 * and act_apply() asks again.
 */
#ifndef OOMLENS_ACT_GUARD_H
#define OOMLENS_ACT_GUARD_H

#include <stddef.h>

/*
 * 0 when oomlens runs with its caller's own ids and no AT_SECURE; else
 * -EPERM with the reason, in words, in why.
 */
int act_guard_caller(char *why, size_t whysz);

/*
 * The test hook: seconds act_apply() sleeps before it writes, 0 for none.
 * Only the test build (tests/oomlens-hooked, compiled with OL_TEST_HOOKS)
 * sets it from OOMLENS_TEST_PAUSE_BEFORE_APPLY; the installed program
 * contains neither the variable's name nor any code that sets this.
 */
extern double act_test_pause_before_apply;

#endif
