/*
 * trend.h - time to trouble: the growth of each cgroup's usage and of the
 * host's memory use (MemAvailable's fall) over recent ticks, and when the
 * limit (or MemAvailable = 0) would be reached at that rate.
 *
 * trend_fit() is pure; struct trend_state is the collector's history
 * across ticks, keyed by cgroup path, timed with CLOCK_MONOTONIC.  The
 * results go into the snapshot, which stays immutable.
 */
#ifndef OOMLENS_TREND_H
#define OOMLENS_TREND_H

#include <stddef.h>

#include "model.h"

#define TREND_WINDOW_S	  120.0 /* samples older than this are not used */
#define TREND_MIN_SAMPLES 5
#define TREND_MIN_SPAN_S  8.0 /* the samples must span at least this long */
#define TREND_MIN_R2	  0.8 /* goodness of the least-squares line */
#define TREND_MAX_STEP	  0.5 /* no single step may make more than this share of the change */
#define TREND_HISTORY	  32  /* samples kept per cgroup */
#define TREND_FAST_S	  60.0 /* a leak that would reach the limit sooner: estimate from two samples */

struct trend_sample {
	double t; /* seconds, CLOCK_MONOTONIC */
	double v; /* bytes */
};

/*
 * Fit the samples (oldest first) within TREND_WINDOW_S of the last one.
 * out->steady is true when the trend is steady: enough samples over enough
 * time, and either flat (growth 0) or a good straight line with no single
 * step making most of the change.  headroom (bytes left before the limit;
 * < 0 when there is no limit) gives seconds_to_limit while growing.  When
 * there is no such line yet but the last two samples would reach the limit
 * within TREND_FAST_S, they give the estimate and out->fast says so: a leak
 * that fills a cgroup in seconds gets no warning from five samples over 8 s.
 */
void trend_fit(const struct trend_sample *smp, size_t n, double headroom, struct trend *out);

struct trend_state;

struct trend_state *trend_state_new(void);
void trend_state_free(struct trend_state *t);

/* Add this snapshot's samples and fill host_trend, each cgroup's trend, seen peak and age. */
void trend_update(struct trend_state *t, struct snapshot *s);

#endif
