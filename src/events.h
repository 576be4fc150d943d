/*
 * events.h - the OOM event log: every OOM kill the kernel reports on
 * /dev/kmsg, joined into one event per victim, cross-checked with the OOM
 * counters (/proc/vmstat oom_kill, v2 memory.events, v1 memory.oom_control)
 * so that a kill the log missed is still listed with what the counters tell.
 *
 * The record and line parsers are pure (kmsg.h, oom_report.h: tests,
 * fuzzing); struct oomlog is
 * the collector's state across ticks: the open /dev/kmsg, the parser's
 * half-joined lines, the counters' baselines and the log itself.
 */
#ifndef OOMLENS_EVENTS_H
#define OOMLENS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmsg.h"
#include "model.h"
#include "oom_report.h"

struct container_resolver;

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
