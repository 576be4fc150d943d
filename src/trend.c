/*
 * trend.c - least-squares growth of usage over recent ticks, with the
 * steadiness tests that keep a single spike from producing an estimate,
 * and the per-cgroup history the collector keeps (usage samples, the
 * highest usage seen, when oomlens first saw the cgroup).
 */
#include "config.h"

#include "trend.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

struct history {
	struct trend_sample s[TREND_HISTORY];
	size_t n, head; /* a ring: head is the oldest */
	double first_seen;
	int64_t peak;
	int64_t hits; /* memory.events high + max, or failcnt, at the last tick; -1: unknown */
};

/* The last two samples' rate, when it would reach the limit within TREND_FAST_S. */
static bool
fast_estimate(const struct trend_sample *smp, size_t n, double headroom, struct trend *out)
{
	double dt, rate;

	if (n < 2 || headroom < 0)
		return false;
	dt = smp[n - 1].t - smp[n - 2].t;
	if (!(dt > 0))
		return false;
	rate = (smp[n - 1].v - smp[n - 2].v) / dt;
	if (!(rate > 0) || headroom / rate >= TREND_FAST_S)
		return false;
	out->steady = true;
	out->fast = true;
	out->growth_bytes_per_s = rate;
	out->seconds_to_limit = val_ok((int64_t)(headroom / rate + 0.5));
	out->samples = 2;
	out->window_s = dt;
	return true;
}

struct trend_state {
	struct strmap *cg; /* path -> struct history */
	struct history host;
};

void
trend_fit(const struct trend_sample *smp, size_t n, double headroom, struct trend *out)
{
	double mt = 0, mv = 0, stt = 0, stv = 0, svv = 0, minv, maxv, maxstep = 0, change;
	bool good;
	size_t first = 0, k;

	memset(out, 0, sizeof(*out));
	out->seconds_to_limit = val_unknown(OL_ENOTAPPL);
	if (n == 0)
		return;
	while (first < n && smp[n - 1].t - smp[first].t > TREND_WINDOW_S)
		first++;
	k = n - first;
	out->samples = (int)k;
	out->window_s = smp[n - 1].t - smp[first].t;
	if (k < TREND_MIN_SAMPLES || out->window_s < TREND_MIN_SPAN_S) {
		fast_estimate(smp, n, headroom, out);
		return;
	}

	minv = maxv = smp[first].v;
	for (size_t i = first; i < n; i++) {
		mt += smp[i].t;
		mv += smp[i].v;
		if (smp[i].v < minv)
			minv = smp[i].v;
		if (smp[i].v > maxv)
			maxv = smp[i].v;
		if (i > first && fabs(smp[i].v - smp[i - 1].v) > maxstep)
			maxstep = fabs(smp[i].v - smp[i - 1].v);
	}
	mt /= (double)k;
	mv /= (double)k;
	for (size_t i = first; i < n; i++) {
		stt += (smp[i].t - mt) * (smp[i].t - mt);
		stv += (smp[i].t - mt) * (smp[i].v - mv);
		svv += (smp[i].v - mv) * (smp[i].v - mv);
	}
	change = maxv - minv;
	/* A line only when it fits well and no single step made most of the change. */
	good = stt > 0 && svv > 0 && stv * stv / (stt * svv) >= TREND_MIN_R2 &&
	       maxstep <= TREND_MAX_STEP * change;
	if (!good) {
		if (fast_estimate(smp, n, headroom, out))
			return;
		/* Flat within 1% (and 64 KiB of noise): steady, not growing; else no estimate. */
		if (change <= 0.01 * fabs(mv) + 65536.0)
			out->steady = true;
		return;
	}
	out->steady = true;
	out->growth_bytes_per_s = stv / stt;
	if (headroom >= 0 && out->growth_bytes_per_s > 0)
		out->seconds_to_limit = val_ok((int64_t)(headroom / out->growth_bytes_per_s));
}

struct trend_state *
trend_state_new(void)
{
	struct trend_state *t = xcalloc(1, sizeof(*t));

	t->cg = strmap_new(sizeof(struct history));
	t->host.first_seen = -1;
	return t;
}

void
trend_state_free(struct trend_state *t)
{
	if (!t)
		return;
	strmap_free(t->cg);
	free(t);
}

static void
push(struct history *h, double t, double v)
{
	if (h->n < TREND_HISTORY) {
		h->s[(h->head + h->n) % TREND_HISTORY] = (struct trend_sample){t, v};
		h->n++;
	} else {
		h->s[h->head] = (struct trend_sample){t, v};
		h->head = (h->head + 1) % TREND_HISTORY;
	}
}

/* The ring, oldest first, into a flat array. */
static size_t
flatten(const struct history *h, struct trend_sample *out)
{
	for (size_t i = 0; i < h->n; i++)
		out[i] = h->s[(h->head + i) % TREND_HISTORY];
	return h->n;
}

/* How often the limit was hit so far: v2 memory.events high + max, v1 failcnt; -1 unknown. */
static int64_t
limit_hits(const struct cgroup *c)
{
	if (c->version == 2 && val_is_ok(c->ev_high) && val_is_ok(c->ev_max))
		return c->ev_high.v + c->ev_max.v;
	if (c->version == 1 && val_is_ok(c->failcnt))
		return c->failcnt.v;
	return -1;
}

void
trend_update(struct trend_state *t, struct snapshot *s)
{
	struct trend_sample flat[TREND_HISTORY];
	double now = (double)s->mono.tv_sec + (double)s->mono.tv_nsec / 1e9;
	size_t n;

	memset(&s->host_trend, 0, sizeof(s->host_trend));
	s->host_trend.seconds_to_limit = val_unknown(OL_ENOTAPPL);
	if (val_is_ok(s->host.mem_available_kb)) {
		double avail = (double)s->host.mem_available_kb.v * 1024.0;

		/* Track memory in use as MemAvailable's complement: it grows as MemAvailable falls.
		 */
		push(&t->host, now, -avail);
		n = flatten(&t->host, flat);
		trend_fit(flat, n, avail, &s->host_trend);
	}

	for (size_t i = 0; i < s->n_cgroups; i++) {
		struct cgroup *c = &s->cgroups[i];
		struct history *h;
		bool created;
		double headroom = -1;
		int64_t hits;
		bool rising;

		memset(&c->trend, 0, sizeof(c->trend));
		c->trend.seconds_to_limit = val_unknown(OL_ENOTAPPL);
		c->seen_peak_bytes = val_unknown(OL_EMISSING);
		if (!val_is_ok(c->usage_bytes))
			continue;
		h = strmap_get(t->cg, c->path, &created);
		if (created) {
			h->first_seen = now;
			h->hits = -1;
		}
		hits = limit_hits(c);
		rising = h->hits >= 0 && hits > h->hits;
		h->hits = hits;
		if (c->usage_bytes.v > h->peak)
			h->peak = c->usage_bytes.v;
		c->seen_peak_bytes = val_ok(h->peak);
		c->seen_for_s = now - h->first_seen;
		push(h, now, (double)c->usage_bytes.v);
		if (c->has_limit && val_is_ok(c->limit_bytes))
			headroom = (double)(c->limit_bytes.v - c->usage_bytes.v);
		if (headroom < 0 && c->has_limit)
			headroom = 0;
		n = flatten(h, flat);
		trend_fit(flat, n, headroom, &c->trend);
		c->trend.limit_hits_rising = rising;
	}
	strmap_sweep(t->cg);
}
