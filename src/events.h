/*
 * events.h - the OOM event log: every OOM kill the kernel reports on
 * /dev/kmsg, joined into one event per victim, cross-checked with the OOM
 * counters (/proc/vmstat oom_kill, v2 memory.events, v1 memory.oom_control)
 * so that a kill the log missed is still listed with what the counters tell.
 *
 * The record and line parsers are pure (tests, fuzzing); struct oomlog is
 * the collector's state across ticks: the open /dev/kmsg, the parser's
 * half-joined lines, the counters' baselines and the log itself.
 */
#ifndef OOMLENS_EVENTS_H
#define OOMLENS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct container_resolver;

/* One /dev/kmsg record: "prio,seq,usec,flags[,...];message\n[ KEY=value\n]...". */
struct kmsg_record {
	unsigned prio; /* facility << 3 | level */
	uint64_t seq;
	uint64_t usec;	 /* since boot */
	char flags;	 /* '-' or 'c' (a continuation) */
	const char *msg; /* into the buffer, not NUL-terminated, without the newline */
	size_t msg_len;
};

/* Parse one record; 0, or -EINVAL when the prefix is malformed. */
int kmsg_parse_record(const char *buf, size_t len, struct kmsg_record *r);

/*
 * Undo the kernel's \xNN escaping of a message into out (NUL-terminated,
 * truncated to outsz); returns the length written.
 */
size_t kmsg_unescape(char *out, size_t outsz, const char *in, size_t len);

/* How many Tasks-state rows the parser remembers per OOM (for oom_score_adj on old kernels). */
#define OOM_PARSER_ROWS 4096

/* The lines of one OOM report, until its "Killed process" line (or lines, with oom.group). */
struct oom_parser {
	bool have_summary; /* an "oom-kill:constraint=..." line was seen */
	pid_t sum_pid;
	char sum_constraint[32]; /* CONSTRAINT_NONE, ... */
	char sum_oom_memcg[1024];
	char sum_task_memcg[1024];
	char task_in[1024]; /* 4.x: "Task in X killed as a result of limit of Y" */
	char limit_of[1024];
	char group[1024]; /* "Tasks in X are going to be killed due to memory.oom.group set" */
	int kill_kind;	  /* from "...: Kill process" (4.x): 0 none, 1 host, 2 memcg */
	int adj_col;	  /* the oom_score_adj column of the Tasks state table, -1 unknown */
	size_t n_killed;  /* pids already reported in this OOM (oom.group can repeat one) */
	pid_t killed[64];
	size_t n_rows;
	struct {
		pid_t pid, tgid;
		int16_t adj;
	} rows[OOM_PARSER_ROWS];
};

void oom_parser_init(struct oom_parser *p);

/*
 * Feed one message (escaped as /dev/kmsg shows it).  Returns 1 when it
 * completes a kill: *ev is filled (pid, comm, cgroup, constraint, rss_kb,
 * oom_score_adj; its strings belong to the caller, free with
 * oom_event_clear()), with time, seq and container left for the caller.
 * Returns 0 for any other line.
 */
int oom_parser_feed(struct oom_parser *p, const char *msg, size_t len, struct oom_event *ev);

/* Free an event's strings and zero it. */
void oom_event_clear(struct oom_event *ev);
/* A deep copy of src into dst. */
void oom_event_copy(struct oom_event *dst, const struct oom_event *src);

/* The collector's log. */
#define OOMLOG_MAX 512 /* older events are dropped */

struct oomlog;

/* root: "" for the live system, else a fixture tree (root/dev/kmsg may be a plain file). */
struct oomlog *oomlog_new(const char *root);
void oomlog_free(struct oomlog *l);

/*
 * Once, before the first tick's counters are read: read the kernel log
 * from its start, so kills from before oomlens started are in the log and
 * are not mistaken for new ones.
 */
void oomlog_prime(struct oomlog *l, struct container_resolver *cr);

/*
 * Each tick, after the snapshot's host and cgroups are read: read new
 * records, add counter events for kills the log missed, and copy the log
 * into s (events, n_events, events_total, kmsg_err).
 */
void oomlog_update(struct oomlog *l, struct container_resolver *cr, struct snapshot *s);

/*
 * Counter reconciliation for one scope (pure): credit is the number of log
 * events seen that the counter has not yet shown.  Given the counter's rise
 * and the events seen for the scope this tick, returns how many kills the
 * log missed and updates *credit.
 */
uint64_t oomlog_missed(uint64_t rise, uint64_t seen, uint64_t *credit);

#endif
