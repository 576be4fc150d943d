/*
 * prometheus.h - one snapshot in the Prometheus text exposition format
 * (version 0.0.4), for node_exporter's textfile collector: the host's
 * components, each memory cgroup's usage, limits and OOM counters, the
 * oom_score of the processes most likely to be killed, and the OOM events
 * oomlens has seen.  The metric names are a contract (doc/oomlens.1).
 */
#ifndef OOMLENS_PROMETHEUS_H
#define OOMLENS_PROMETHEUS_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

/* How many processes, highest oom_score first, get per-process samples. */
#define PROM_TOP_PROCS 20

/*
 * Write s as one exposition: HELP and TYPE, then the samples of each metric
 * family.  A value that is unknown or not available has no sample (never
 * 0); an unlimited limit is +Inf.  top_n processes at most.  0 or -errno.
 */
int prom_write(FILE *f, const struct snapshot *s, size_t top_n);

/*
 * The exposition format's escaping of a label value: backslash, double
 * quote and newline become \\, \" and \n.  Writes at most outsz bytes with
 * the NUL and returns the length the whole result needs, as snprintf does.
 */
size_t prom_escape_label(char *out, size_t outsz, const char *in, size_t inlen);

/*
 * A label value from kernel text (comm, cgroup path): made printable valid
 * UTF-8 by text_escape(), then escaped for the exposition.  Never NULL.
 */
char *prom_label_dup(const char *in);

#endif
