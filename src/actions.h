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

#include "model.h"

/* What can be changed; the names are Docker's flags (act_setting_name()). */
enum act_setting {
	ASET_OOM_SCORE_ADJ = 0,
	ASET_MEMORY,
	ASET_MEMORY_SWAP,
	ASET_MEMORY_RESERVATION,
	ASET_MEMORY_SWAPPINESS,
	ASET_KERNEL_MEMORY,
	ASET_OOM_KILL_DISABLE, /* "1": --oom-kill-disable, "0": --oom-kill-enable */
	ASET_MEMORY_HIGH,      /* v2 only */
	ASET_MEMORY_MIN,       /* v2 only */
	ASET_SIGNAL,
	ASET__COUNT
};

const char *act_setting_name(enum act_setting s);

/* How a cgroup change reaches the kernel. */
enum act_via {
	AVIA_AUTO = 0, /* the Docker Engine API for a container it knows, else cgroupfs */
	AVIA_CGROUPFS, /* write cgroupfs directly (--direct): does not persist */
	AVIA_DOCKER,   /* the Engine API or nothing (--api) */
};

/* What the operator asked for: the text typed for each setting, NULL when not given. */
struct act_request {
	const char *value[ASET__COUNT];
	enum act_via via;
};

enum act_result {
	ARES_PENDING = 0, /* not decided yet */
	ARES_DONE,	  /* written, and the kernel reports the new value */
	ARES_IGNORED,	  /* written without error, but the kernel kept the old value */
	ARES_FAILED,	  /* the write (or the API call) failed: err, message */
	ARES_REFUSED,	  /* not written: validation, permissions, a pin, the audit trail */
	ARES_DECLINED,	  /* not written: the operator said no */
	ARES_SKIPPED,	  /* not written because an earlier step of the plan failed */
};

const char *act_result_name(enum act_result r);

enum act_kind { AKIND_PROC, AKIND_CGROUP, AKIND_SIGNAL };

/* The operator's answer to the plan. */
enum act_decision {
	ADEC_DECLINE = 0,
	ADEC_CONFIRM,	     /* the first confirmation (or --yes) */
	ADEC_CONFIRM_DANGER, /* also the second one for the warnings (or --force) */
};

/* One file write (or one signal) of a plan. */
struct act_step {
	enum act_setting setting;
	char file[8500];     /* the exact file written (the signal: "pidfd:PID") */
	char old_text[64];   /* the current value as shown ("64m (67108864)", "max", "-") */
	char new_text[64];   /* the new value as shown */
	char write_text[32]; /* the bytes written to the file */
	int64_t new_value;   /* the new value (bytes, a number, a signal) */
	int64_t old_value;
	int64_t api_value; /* the value for the Docker Engine API (memory-swap: the total) */
	bool old_known;
	bool via_docker; /* applied through the Docker Engine API */

	pid_t pid; /* process steps: the pinned target */
	uint64_t start_ticks;
	char comm[64];

	enum act_result result;
	int err;	    /* errno of a failure or refusal, else 0 */
	char now_text[64];  /* what the kernel reports after the write */
	char message[1024]; /* why, in words */

	/* Private to actions.c: the pin of a process step. */
	int dirfd, pidfd;
	long audit_off;	   /* where this step's audit line starts, -1 if none */
	size_t audit_head; /* where its outcome part starts within the line */
};

struct act_msgs {
	char **v;
	size_t n;
};

struct act_plan {
	enum act_kind kind;
	char target[4400];	 /* "pid 123 (sleep)" or "/docker/3f2a... (web)" */
	char audit_target[4096]; /* "pid:123:4567" or the cgroup path */
	char comm[64];

	char cgroup[4096];     /* the cgroup path, as the batch JSON shows it */
	char cg_dir[8400];     /* its directory in cgroupfs */
	int cg_version;	       /* 1 or 2; 0 when there is no memory controller */
	char container_id[65]; /* a Docker container the engine knows, else "" */
	char container_name[256];
	bool via_docker; /* some steps go through the Engine API */

	struct act_step *steps;
	size_t n_steps;
	struct act_msgs refusals; /* each alone stops the plan */
	struct act_msgs warnings; /* each needs a second confirmation or --force */
	struct act_msgs notes;	  /* what the operator should know */

	/* Private to actions.c. */
	int cg_dirfd;
	bool applied;
};

/* Our own effective capabilities, read with libcap (-1: unknown). */
struct act_caps {
	int sys_resource, kill, dac_override;
	int err;
};

struct act_ctx {
	const char *root;	 /* "" or NULL: the live system; else a tree laid out like / */
	bool read_only;		 /* every write path refused */
	bool force;		 /* --force: the warnings are accepted */
	const char *audit_file;	 /* act_ctx_init(): $OOMLENS_AUDIT or the default */
	const char *docker_host; /* act_ctx_init(): $DOCKER_HOST or unix:///var/run/docker.sock */
	long docker_timeout_ms;
	char refuse_why[512]; /* act_ctx_init(): not "" when every action is refused (act_guard.h) */
	struct act_caps caps;
	char audit_buf[4096];
};

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

/* Add a message (printf format) to a list, dropping exact duplicates. */
void act_msg_add(struct act_msgs *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The audit trail is audit.h. */

/* ---- the command line (cmd_actions.c) ------------------------------------ */

/* `oomlens set ...` and `oomlens kill ...`; argv[0] is "set" or "kill".  Exit status 0, 1 or 2. */
int cmd_set(int argc, char **argv);
int cmd_kill(int argc, char **argv);

#endif
