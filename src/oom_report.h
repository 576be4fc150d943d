/*
 * oom_report.h - the parser that joins the lines of one OOM report into
 * events (oom_report.c): the "invoked oom-killer" line, the 4.x "Task in"
 * line, the Tasks state table, the "oom-kill:constraint=" summary, the
 * oom.group line and the "Killed process" line.  Pure: fed one message at
 * a time, it reads nothing itself (tests, fuzzing).
 */
#ifndef OOMLENS_OOM_REPORT_H
#define OOMLENS_OOM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model.h"

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

#endif
