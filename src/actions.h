/*
 * actions.h - operator actions: the only code in oomlens that changes the
 * system (a process's oom_score_adj, a cgroup's memory limits, a signal).
 *
 * Owns: parsing and validating what the operator typed, pinning the target,
 * the plan (every file with its old and new value) shown before anything is
 * written, the writes themselves in a safe order, reading the result back,
 * the Docker Engine API path, and the audit trail (audit.c).  It must not
 * touch curses or print: the CLI (cmd_actions.c) and the UI show plans and
 * outcomes, and neither of them ever writes to /proc or cgroupfs itself.
 *
 * How a front end uses it (the CLI and the UI do exactly this):
 *
 *	struct act_ctx ctx;
 *	act_ctx_init(&ctx);                      once: capabilities, audit file, Docker socket
 *	ctx.read_only = opts->read_only;         --read-only: act_apply() refuses everything
 *
 *	p = act_plan_proc(&ctx, row->pid, row->start_ticks, typed_text);        key o
 *	p = act_plan_cgroup(&ctx, cg->path, &req);                               key m
 *	p = act_plan_signal(&ctx, row->pid, row->start_ticks, "TERM");          key k
 *
 * A plan is never NULL.  Building it pins the target (an open /proc/PID
 * directory fd and a pidfd; the cgroup's directory fd) and reads the current
 * values; passing the snapshot row's start_ticks makes a PID that was reused
 * since the snapshot a refusal.  Then show:
 *	p->target, and for each p->steps[i]: .file, .old_text -> .new_text;
 *	p->notes (information), p->refusals (the plan cannot be applied) and
 *	p->warnings (applying needs a second, explicit confirmation or --force).
 * Then, whatever the operator chose, call act_apply() exactly once with the
 * decision: it records every step in the audit trail (declined and refused
 * ones too), re-checks the pins, writes, reads back, and fills each step's
 * .result, .now_text and .message, which the front end shows.  Free with
 * act_plan_free().  A UI in --read-only mode shows o, m and k as unavailable
 * (act_ctx.read_only) and need not build plans at all.
 *
 * Return values are 0 or -errno; messages are plain text, never escaped for
 * a terminal (front ends pass them through textsafe.h).
 */
#ifndef OOMLENS_ACTIONS_H
#define OOMLENS_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "act_plan.h"
#include "model.h"

/*
 * Fill ctx from the environment (secure_getenv(): nothing from it when
 * set-user-ID) and our capabilities; refuse_why says when this process may
 * not act at all.
 */
void act_ctx_init(struct act_ctx *ctx);
void act_caps_read(struct act_caps *c);

/* The default audit file: /var/log/oomlens/audit.log for root, else under $XDG_STATE_HOME or
 * ~/.local/state. */
void act_default_audit_path(char *out, size_t outsz);

/* Plans (see the top of this file).  start_ticks 0: whatever process has the PID now. */
struct act_plan *act_plan_proc(const struct act_ctx *ctx, pid_t pid, uint64_t start_ticks,
			       const char *oom_score_adj);
struct act_plan *act_plan_cgroup(const struct act_ctx *ctx, const char *target,
				 const struct act_request *req);
struct act_plan *act_plan_signal(const struct act_ctx *ctx, pid_t pid, uint64_t start_ticks,
				 const char *signal);
void act_plan_free(struct act_plan *p);

/* Whether the plan may be applied at all, and whether it needs the second confirmation. */
bool act_plan_refused(const struct act_plan *p);
bool act_plan_dangerous(const struct act_plan *p);

/*
 * Carry out the operator's decision: audit every step (a step whose audit
 * line cannot be written first is not made), re-check the pins, write in
 * the plan's order, read back.  0 when every step is done; -ECANCELED when
 * refused or declined; otherwise the first failure's -errno.
 */
int act_apply(const struct act_ctx *ctx, struct act_plan *p, enum act_decision d);

/* ---- pure helpers, unit-tested -------------------------------------------- */

/*
 * Docker's size syntax: a positive integer with an optional unit b, k, m, g
 * (any case, powers of 1024).  With allow_unlimited, "-1" gives -1.
 * 0 or -EINVAL / -ERANGE with a reason in why.
 */
int act_parse_size(const char *s, bool allow_unlimited, int64_t *out, char *why, size_t whysz);

/* "96m (100663296)", "1g (1073741824)", "100000 (100000)", "unlimited" for -1 or INT64_MAX. */
void act_format_size(int64_t bytes, char *out, size_t outsz);

/* A signal by name (TERM, SIGTERM, kill) or number; -EINVAL if unknown. */
int act_parse_signal(const char *s);

/* The current state of a cgroup, as validation sees it (sizes in bytes). */
struct act_cg_state {
	int version;
	struct val usage, memory, memory_swap, swap_max, reservation, swappiness, kmem,
	    oom_kill_disable, high, min;
};

/*
 * Validate a request against a cgroup's current state and add the ordered
 * steps (file names relative to the cgroup directory), refusals and
 * warnings to p.  Pure: no I/O.
 */
void act_validate_cgroup(const struct act_cg_state *cur, const struct act_request *req,
			 struct act_plan *p);

/*
 * Validate one oom_score_adj change of a process whose value is cur; in_cgroup
 * says the target is a whole container.  Adds refusals and warnings to p and
 * returns the new value, or INT32_MIN when the text is not a valid value.
 */
int act_validate_oom_adj(const char *text, struct val cur, bool cap_sys_resource, bool in_cgroup,
			 struct act_plan *p);

/* What an errno means for a write of this setting, in words. */
const char *act_errno_text(int err, enum act_setting s, int cg_version);


/* The audit trail is audit.h. */

/* ---- the command line (cmd_actions.c) ------------------------------------ */

/* `oomlens set ...` and `oomlens kill ...`; argv[0] is "set" or "kill".  Exit status 0, 1 or 2. */
int cmd_set(int argc, char **argv);
int cmd_kill(int argc, char **argv);

#endif
