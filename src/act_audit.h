/*
 * act_audit.h - the seam between a plan (actions.h) and the audit trail
 * (audit.h): each step of a plan as one audit record, written ahead of the
 * change and completed after it.  audit.c knows nothing of plans; this
 * knows nothing of JSON or files.
 */
#ifndef OOMLENS_ACT_AUDIT_H
#define OOMLENS_ACT_AUDIT_H

#include <stdbool.h>

#include "act_plan.h"
#include "audit.h"

/* Step st in the audit trail's words (as points into st). */
void act_audit_step(const struct act_step *st, struct audit_step *as);

/*
 * The audit line of step st, in full or pending (before the write).  A
 * line that reached the file is remembered in st (audit_off) even when its
 * fsync failed, so it is completed in place rather than written twice.
 * 0 or -errno.
 */
int act_audit_write(struct audit_file *a, const struct act_plan *p, struct act_step *st,
		    bool pending);

/*
 * Record the final outcome of every step: to syslog, and (a not NULL) in
 * place for pending lines, appended otherwise.  0 or the first -errno.
 */
int act_audit_finish(struct audit_file *a, const struct act_plan *p);

#endif
