/*
 * act_pin.h - pinning a process for an action: its /proc directory fd, a
 * pidfd and its start time, taken when the plan is built and checked again
 * just before the write, so a PID that was reused or a process that left
 * the cgroup is never written (doc/actions.md, "Pinning").  Part of the
 * actions module: it reads, through the pins, and never writes.
 */
#ifndef OOMLENS_ACT_PIN_H
#define OOMLENS_ACT_PIN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "act_plan.h"
#include "model.h"

/* Whether ctx acts on the live system (no --root, or --root /). */
bool act_live_root(const struct act_ctx *ctx);

/*
 * Pin process pid for step st: its /proc directory fd, a pidfd (live system
 * only), and its start time, which must equal want_start when that is not 0.
 * Returns 0 with the current oom_score_adj in *adj, or -errno with a refusal
 * added to p (none when quiet_if_gone and the process is gone).
 */
int act_pin_proc(const struct act_ctx *ctx, struct act_plan *p, pid_t pid, uint64_t want_start,
		 struct act_step *st, struct val *adj, bool quiet_if_gone);

/* Re-check a pin just before writing: 0, or -errno with the step's message set. */
int act_pin_check(struct act_step *st);

/*
 * Whether the pinned process of st is in p's cgroup, read through its pinned
 * /proc directory: 0, -ESRCH (gone) or -EXDEV (moved elsewhere).
 */
int act_pin_member(const struct act_plan *p, const struct act_step *st);

#endif
