/*
 * act_plan.h - the data of an operator action: what can be changed, a plan
 * of steps with their pins and outcomes, its messages, and the context it
 * is made in.  Plain types and their names, shared by the actions module's
 * parts (actions.c builds and applies plans; act_pin.c, act_audit.c and
 * the front ends read them); the functions that build and apply plans
 * are in actions.h.
 */
#ifndef OOMLENS_ACT_PLAN_H
#define OOMLENS_ACT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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
	ARES_DIFFERS,	  /* written without error, but the kernel reports a third value */
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
	char
	    refuse_why[512]; /* act_ctx_init(): not "" when every action is refused (act_guard.h) */
	struct act_caps caps;
	char audit_buf[4096];
};

/* The file of setting s on cgroup version 1 or 2, NULL when that version has none. */
const char *act_setting_file(enum act_setting s, int version);

/* Add a message (printf format) to a list, dropping exact duplicates. */
void act_msg_add(struct act_msgs *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void act_msgs_free(struct act_msgs *m);

#endif
