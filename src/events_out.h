/*
 * events_out.h - JSON and text for what issue 5 adds to the snapshot:
 * container identities, the OOM event log, trends, sizing and the fits
 * answers.  Shared by the batch output (output.c) and `oomlens events` /
 * `oomlens fits` (cmd_events.c).  Reads const data only.
 */
#ifndef OOMLENS_EVENTS_OUT_H
#define OOMLENS_EVENTS_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "fits.h"
#include "model.h"

struct json_object;

/* {runtime, id, name, pod, namespace}, or NULL for a plain cgroup. */
struct json_object *container_json(const struct container_id *c);

/* One event: {time, pid, comm, cgroup, container, constraint, rss_kb, oom_score_adj, source, count,
 * seq}. */
struct json_object *oom_event_json(const struct oom_event *e);

/* The snapshot's event log, oldest first. */
struct json_object *oom_events_json(const struct snapshot *s);

/* {growth_bytes_per_s, seconds_to_limit, samples, window_s}, or NULL when not steady. */
struct json_object *trend_json(const struct trend *t);

/* The sizing advice for cgroup cg, or NULL when it is neither a container nor limited. */
struct json_object *sizing_json(const struct snapshot *s, int cg);

/* The four answers and the exit status. */
struct json_object *fits_json(const struct snapshot *s, const struct fits_result *r);

/*
 * The events listed against the host's oom_kill since boot: how many kills
 * came from the kernel log, how many only from the counters (since oomlens
 * started), and how many nothing here can list (unknown without oom_kill).
 */
struct oom_tally {
	uint64_t logged, counted;
	struct val unshown;
	uint64_t dropped; /* events past the OOMLOG_MAX kept */
};
void oom_events_tally(const struct snapshot *s, struct oom_tally *t);

/* One event as a text line. */
void oom_event_text(FILE *f, const struct oom_event *e);

/* "Recent OOM kills": the last max events, newest last; one line when there are none. */
void oom_events_text(FILE *f, const struct snapshot *s, size_t max);

/* The fits answers side by side, and the sizing when z is not NULL. */
void fits_text(FILE *f, const struct snapshot *s, const struct fits_result *r,
	       const struct sizing *z);

#endif
