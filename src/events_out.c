/*
 * events_out.c - JSON objects and text lines for containers, OOM events,
 * trends, sizing and fits.  Every string that came from the kernel or a
 * runtime goes through textsafe before it is written.
 */
#include "config.h"

#include "events_out.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "container.h"
#include "events.h"
#include "json.h"
#include "textsafe.h"
#include "util.h"

/* RFC 3339, UTC, to the second. */
static void
rfc3339(char *out, size_t outsz, const struct timespec *ts)
{
	struct tm tm;
	time_t t = ts->tv_sec;

	if (!gmtime_r(&t, &tm) || strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, outsz, "%lld", (long long)ts->tv_sec);
}

json_object *
container_json(const struct container_id *c)
{
	json_object *o;

	if (!c || c->runtime == CT_NONE)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "runtime",
			       json_object_new_string(container_runtime_name(c->runtime)));
	json_object_object_add(o, "id", json_text(c->id));
	json_object_object_add(o, "name", json_text_or_null(c->name));
	if (c->runtime == CT_KUBERNETES || c->pod[0] || c->ns[0]) {
		json_object_object_add(o, "pod", json_text_or_null(c->pod));
		json_object_object_add(o, "namespace", json_text_or_null(c->ns));
	}
	if (c->pod_level)
		json_object_object_add(o, "pod_level", json_object_new_boolean(1));
	return o;
}

json_object *
oom_event_json(const struct oom_event *e)
{
	struct jobj j = jobj_new();
	char t[48];

	rfc3339(t, sizeof(t), &e->time);
	jadd(&j, "time", json_object_new_string(t));
	jadd(&j, "pid", e->pid > 0 ? json_object_new_int64(e->pid) : NULL);
	jadd(&j, "comm", json_text_or_null(e->comm));
	jadd(&j, "cgroup", e->cgroup ? json_text(e->cgroup) : NULL);
	jadd(&j, "container", container_json(&e->container));
	jadd(&j, "constraint", e->constraint ? json_text(e->constraint) : NULL);
	jadd_val(&j, "rss_kb", e->rss_kb);
	jadd_val(&j, "oom_score_adj", e->oom_score_adj);
	jadd(&j, "source",
	     json_object_new_string(e->source == OOM_SRC_COUNTER ? "counter" : "kmsg"));
	jadd(&j, "count", json_object_new_int64(e->count));
	jadd(&j, "seq", e->source == OOM_SRC_KMSG ? json_object_new_uint64(e->seq) : NULL);
	return jobj_done(&j);
}

json_object *
oom_events_json(const struct snapshot *s)
{
	json_object *a = json_object_new_array_ext((int)s->n_events);

	for (size_t i = 0; i < s->n_events; i++)
		json_object_array_add(a, oom_event_json(&s->events[i]));
	return a;
}

json_object *
trend_json(const struct trend *t)
{
	struct jobj j;

	if (!t->steady)
		return NULL;
	j = jobj_new();
	jadd(&j, "growth_bytes_per_s", json_object_new_double(t->growth_bytes_per_s));
	jadd_val(&j, "seconds_to_limit", t->seconds_to_limit);
	jadd(&j, "samples", json_object_new_int(t->samples));
	jadd(&j, "window_s", json_object_new_double(t->window_s));
	jadd(&j, "fast", json_object_new_boolean(t->fast));
	jadd(&j, "limit_hits_rising", json_object_new_boolean(t->limit_hits_rising));
	return jobj_done(&j);
}

json_object *
sizing_json(const struct snapshot *s, int cg)
{
	const struct cgroup *c;
	struct sizing z;
	struct jobj j;

	if (cg < 0 || (size_t)cg >= s->n_cgroups)
		return NULL;
	c = &s->cgroups[cg];
	if (!c->container && !c->has_limit)
		return NULL;
	if (sizing_for_cgroup(s, cg, &z) < 0)
		return NULL;
	j = jobj_new();
	jadd_val(&j, "peak_bytes", z.peak_bytes);
	jadd_val(&j, "kernel_peak_bytes", z.kernel_peak_bytes);
	jadd_val(&j, "seen_peak_bytes", z.seen_peak_bytes);
	jadd(&j, "seen_for_s", json_object_new_double(z.seen_for_s));
	jadd_val(&j, "working_set_bytes", z.working_set_bytes);
	jadd_val(&j, "memory_bytes", z.memory_bytes);
	jadd_val(&j, "memory_reservation_bytes", z.reservation_bytes);
	jadd_val(&j, "memory_swap_bytes", z.memory_swap_bytes);
	jadd(&j, "reason", json_object_new_string(z.reason));
	return jobj_done(&j);
}

/* One answer of fits, with up to two sizes; the caller adds its own members and finishes it. */
static struct jobj
answer_json(int answer, const char *k1, struct val v1, const char *k2, struct val v2)
{
	struct jobj j = jobj_new();

	jadd(&j, "answer", json_object_new_string(fits_answer_name(answer)));
	jadd(&j, "status", json_object_new_int(answer));
	if (k1)
		jadd_val(&j, k1, v1);
	if (k2)
		jadd_val(&j, k2, v2);
	return j;
}

json_object *
fits_json(const struct snapshot *s, const struct fits_result *r)
{
	json_object *o = json_object_new_object();
	struct jobj p;

	json_object_object_add(o, "size_bytes", json_object_new_uint64(r->size));
	p = answer_json(r->v24, "sum_bytes", r->v24_bytes, NULL, r->v24_bytes);
	json_object_object_add(o, "vm_enough_2_4", jobj_done(&p));
	p = answer_json(r->policy, "limit_bytes", r->policy_bytes, NULL, r->policy_bytes);
	jadd(&p, "overcommit_memory", r->mode >= 0 ? json_object_new_int64(r->mode) : NULL);
	json_object_object_add(o, "overcommit_policy", jobj_done(&p));
	p = answer_json(r->avail, "free_bytes", r->free_bytes, "available_bytes",
			r->available_bytes);
	json_object_object_add(o, "mem_available", jobj_done(&p));
	if (r->cg_asked) {
		const struct cgroup *c = &s->cgroups[r->cg];

		p = answer_json(r->cgroup, "headroom_bytes", r->cg_headroom_bytes,
				"available_bytes", r->cg_available_bytes);
		jadd(&p, "path", json_text(c->path));
		jadd(&p, "container", container_json(c->container));
		jadd(&p, "limited_by",
		     r->cg_limited_by >= 0 ? json_text(s->cgroups[r->cg_limited_by].path)
					   : json_object_new_string("host"));
		jadd(&p, "sizing", sizing_json(s, r->cg));
		json_object_object_add(o, "cgroup", jobj_done(&p));
	} else {
		json_object_object_add(o, "cgroup", NULL);
	}
	json_object_object_add(o, "status", json_object_new_int(r->status));
	json_object_object_add(o, "answer", json_object_new_string(fits_answer_name(r->status)));
	return o;
}

/* A size in MiB with one decimal, or "?" when unknown. */
static const char *
mib(char *out, size_t outsz, struct val v)
{
	if (v.state == VAL_MAX)
		snprintf(out, outsz, "max");
	else if (!val_is_ok(v))
		snprintf(out, outsz, "?");
	else
		snprintf(out, outsz, "%.1f MiB", (double)v.v / 1048576.0);
	return out;
}

void
oom_event_text(FILE *f, const struct oom_event *e)
{
	char t[48], rss[32], adj[16];
	char *comm = text_escape_dup(e->comm[0] ? e->comm : "?");
	char *cg = text_escape_dup(e->cgroup ? e->cgroup : "?");
	char *cons = text_escape_dup(e->constraint ? e->constraint : "?");
	char *ct = e->container.runtime != CT_NONE ? text_escape_dup(container_label(&e->container))
						   : NULL;

	rfc3339(t, sizeof(t), &e->time);
	if (val_is_ok(e->rss_kb))
		snprintf(rss, sizeof(rss), "%" PRId64 "kB", e->rss_kb.v);
	else
		snprintf(rss, sizeof(rss), "?");
	if (val_is_ok(e->oom_score_adj))
		snprintf(adj, sizeof(adj), "%" PRId64, e->oom_score_adj.v);
	else
		snprintf(adj, sizeof(adj), "?");
	if (e->source == OOM_SRC_COUNTER)
		fprintf(f, "%s  %u kill%s counted in %s, not in the kernel log%s%s%s\n", t,
			e->count, e->count == 1 ? "" : "s", e->cgroup ? cg : "the host",
			ct ? " (" : "", ct ? ct : "", ct ? ")" : "");
	else
		fprintf(f, "%s  killed %d (%s) rss %s adj %s in %s%s%s%s, limit %s\n", t,
			(int)e->pid, comm, rss, adj, cg, ct ? " (" : "", ct ? ct : "",
			ct ? ")" : "", cons);
	free(comm);
	free(cg);
	free(cons);
	free(ct);
}

void
oom_events_text(FILE *f, const struct snapshot *s, size_t max)
{
	size_t first = s->n_events > max ? s->n_events - max : 0;

	if (s->n_events == 0) {
		if (s->kmsg_err)
			fprintf(f,
				"Recent OOM kills: none seen (kernel log unreadable: %s; counters "
				"only)\n",
				val_reason(val_unknown(s->kmsg_err)));
		else
			fputs("Recent OOM kills: none seen\n", f);
		return;
	}
	fprintf(f, "Recent OOM kills (%zu of %zu):\n", s->n_events - first, s->n_events);
	for (size_t i = first; i < s->n_events; i++) {
		fputs("  ", f);
		oom_event_text(f, &s->events[i]);
	}
}

void
fits_text(FILE *f, const struct snapshot *s, const struct fits_result *r, const struct sizing *z)
{
	char a[32], b[32];

	fprintf(f, "Would %.1f MiB fit now?\n", (double)r->size / 1048576.0);
	fprintf(f, "  2.4 vm_enough_memory sum    %-20s (sum %s)\n", fits_answer_name(r->v24),
		mib(a, sizeof(a), r->v24_bytes));
	if (r->mode == 0 && r->policy_pre52)
		fprintf(f,
			"  overcommit mode 0 (heuristic) %-18s (4.19-5.1: refuses above free + file - "
			"shmem + free swap + reclaimable slab = %s)\n",
			fits_answer_name(r->policy), mib(a, sizeof(a), r->policy_bytes));
	else if (r->mode == 0)
		fprintf(
		    f,
		    "  overcommit mode 0 (heuristic) %-18s (refuses only above RAM + swap = %s)\n",
		    fits_answer_name(r->policy), mib(a, sizeof(a), r->policy_bytes));
	else if (r->mode == 1)
		fprintf(f, "  overcommit mode 1 (always)  %-20s (never refuses)\n",
			fits_answer_name(r->policy));
	else if (r->mode == 2)
		fprintf(f,
			"  overcommit mode 2 (strict)  %-20s (CommitLimit - Committed_AS - user "
			"reserve = %s)\n",
			fits_answer_name(r->policy), mib(a, sizeof(a), r->policy_bytes));
	else
		fprintf(f, "  overcommit policy           unknown\n");
	fprintf(f, "  MemAvailable                %-20s (MemFree %s, MemAvailable %s)\n",
		fits_answer_name(r->avail), mib(a, sizeof(a), r->free_bytes),
		mib(b, sizeof(b), r->available_bytes));
	if (r->cg_asked) {
		const struct cgroup *c = &s->cgroups[r->cg];
		char *path = text_escape_dup(c->path);
		char *lim = text_escape_dup(
		    r->cg_limited_by >= 0 ? s->cgroups[r->cg_limited_by].path : "the host");

		fprintf(f, "  cgroup %s\n", path);
		fprintf(f, "    limit of %-18s %-20s (headroom %s, available %s)\n", lim,
			fits_answer_name(r->cgroup), mib(a, sizeof(a), r->cg_headroom_bytes),
			mib(b, sizeof(b), r->cg_available_bytes));
		if (r->cg_active_file)
			fputs("    only if reclaim first demotes active file pages (not counted in "
			      "available)\n",
			      f);
		free(path);
		free(lim);
	}
	fprintf(f, "Answer: %s (exit status %d)\n", fits_answer_name(r->status), r->status);
	if (z) {
		char *reason = text_escape_dup(z->reason);

		if (val_is_ok(z->memory_bytes) && val_is_ok(z->reservation_bytes) &&
		    val_is_ok(z->memory_swap_bytes))
			fprintf(f,
				"Sizing: --memory %" PRId64 "m --memory-reservation %" PRId64
				"m --memory-swap %" PRId64 "m\n",
				z->memory_bytes.v >> 20, z->reservation_bytes.v >> 20,
				z->memory_swap_bytes.v >> 20);
		fprintf(f, "  because: %s\n", reason);
		free(reason);
	}
}

void
oom_events_tally(const struct snapshot *s, struct oom_tally *t)
{
	uint64_t listed;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < s->n_events; i++) {
		if (s->events[i].source == OOM_SRC_COUNTER)
			t->counted += s->events[i].count;
		else
			t->logged += s->events[i].count;
	}
	if (s->events_total > s->n_events)
		t->dropped = s->events_total - s->n_events;
	listed = t->logged + t->counted;
	if (!val_is_ok(s->host.oom_kill))
		t->unshown = s->host.oom_kill;
	else
		t->unshown = val_ok((uint64_t)s->host.oom_kill.v > listed
					    ? s->host.oom_kill.v - (int64_t)listed
					    : 0);
}
