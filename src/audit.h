/*
 * audit.h - the audit trail of operator actions (audit.c): one JSON line per
 * attempted step, written before the change and completed in place after
 * it, and the same record to syslog.  It records; actions.c decides.
 */
#ifndef OOMLENS_AUDIT_H
#define OOMLENS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Width of an outcome message, as struct act_step's message. */
#define AUDIT_MSG_MAX 1024

/* What one step is, in words: actions.c fills it from its plan (no field may be NULL). */
struct audit_step {
	const char *setting; /* act_setting_name() */
	const char *file, *old_text, *new_text;
	bool via_docker;
	pid_t pid; /* > 0: a process step, with start_ticks and comm */
	uint64_t start_ticks;
	const char *comm;
	/* the outcome */
	const char *result; /* act_result_name() */
	int err;
	const char *now_text, *message;
};

/* One audit record: everything but the outcome is known before the write. */
struct audit_rec {
	time_t time;
	uid_t uid;
	const char *action;    /* "set" or "kill" */
	const char *target;    /* "pid:PID:START" or the cgroup path */
	const char *comm;      /* may be NULL */
	const char *cgroup;    /* may be NULL */
	const char *container; /* may be NULL */
	const struct audit_step *step;
};

/* Width reserved for the outcome part of a line, so it can be completed in place. */
#define AUDIT_TAIL_LEN 400

/*
 * Format one JSON line (with the newline) into buf: the outcome of the step,
 * or "pending" padded to AUDIT_TAIL_LEN when pending.  *head_len gets the
 * offset of the outcome part.  Returns the length or -ENOSPC.
 */
int audit_format(char *buf, size_t bufsz, const struct audit_rec *r, bool pending,
		 size_t *head_len);

/* The outcome part alone, exactly AUDIT_TAIL_LEN bytes (no NUL). */
void audit_format_tail(char *out, const struct audit_step *step);

struct audit_file;

/*
 * Open path for appending, hostile as it may be: no symlink anywhere on it
 * (missing directories are created 0700 with mkdirat() under the directory
 * fd already opened), never blocking (a FIFO is refused, not waited on),
 * and only a regular file owned by our effective uid, with one link, not
 * writable by group or others.  0, or -errno with the reason in why.
 */
int audit_open(const char *path, struct audit_file **out, char *why, size_t whysz);
/*
 * Append one line with one write(2) and fsync.  *off gets where it starts
 * once it is in the file (-1 before), even when the fsync then fails: the
 * caller completes that line rather than adding a second one.
 */
int audit_append(struct audit_file *a, const char *line, size_t len, long *off);
/* Overwrite the outcome part of the line at off, and fsync. */
int audit_complete(struct audit_file *a, long off, size_t head_len, const char *tail);
void audit_close(struct audit_file *a);
/* Also to syslog (LOG_AUTHPRIV), which needs no file. */
void audit_syslog(const struct audit_rec *r);

#endif
