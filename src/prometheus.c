/*
 * prometheus.c - the Prometheus text exposition format of one snapshot.
 *
 * Conventions (doc/oomlens.1, "PROMETHEUS"): every name starts with
 * oomlens_, carries its unit (_bytes, _seconds, _ratio) and counters end in
 * _total.  Sizes are bytes, PSI averages are ratios from 0 to 1 and PSI
 * totals are seconds.  A value oomlens does not know has no sample at all,
 * and a family without samples has no HELP or TYPE either, so an unknown is
 * never mistaken for 0.  Only reads a const snapshot.
 */
#include "config.h"

#include "prometheus.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sort.h"
#include "textsafe.h"
#include "util.h"

size_t
prom_escape_label(char *out, size_t outsz, const char *in, size_t inlen)
{
	size_t n = 0, w = 0;
	bool full = false;

	for (size_t i = 0; i < inlen; i++) {
		char esc = 0;
		size_t need;

		if (in[i] == '\\')
			esc = '\\';
		else if (in[i] == '"')
			esc = '"';
		else if (in[i] == '\n')
			esc = 'n';
		need = esc ? 2 : 1;
		if (!full && w + need < outsz) {
			if (esc) {
				out[w] = '\\';
				out[w + 1] = esc;
			} else {
				out[w] = in[i];
			}
			w += need;
		} else {
			full = true; /* never cut an escape in half */
		}
		n += need;
	}
	if (outsz)
		out[w] = '\0';
	return n;
}

char *
prom_label_dup(const char *in)
{
	char *safe = text_escape_dup(in);
	size_t len = strlen(safe);
	size_t need = prom_escape_label(NULL, 0, safe, len);
	char *out = xmalloc(need + 1);

	prom_escape_label(out, need + 1, safe, len);
	free(safe);
	return out;
}

/* A metric family: written lazily, so a family without samples leaves no trace. */
struct family {
	const char *name;
	const char *type; /* "gauge" or "counter" */
	const char *help;
	bool started;
};

#define FAMILY(n, t, h)                                                                            \
	{                                                                                          \
		.name = (n), .type = (t), .help = (h), .started = false                            \
	}

/* Write the family's HELP and TYPE before its first sample. */
static void
family_start(FILE *f, struct family *fam)
{
	if (fam->started)
		return;
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", fam->name, fam->help, fam->name, fam->type);
	fam->started = true;
}

/* One sample; labels is "" or the inside of the braces. */
static void
sample(FILE *f, struct family *fam, const char *labels, const char *value)
{
	family_start(f, fam);
	if (*labels)
		fprintf(f, "%s{%s} %s\n", fam->name, labels, value);
	else
		fprintf(f, "%s %s\n", fam->name, value);
}

/* v scaled by mult as a sample value; false for unknown and not available. */
static bool
val_text(char *out, size_t outsz, struct val v, int64_t mult)
{
	if (v.state == VAL_MAX) {
		snprintf(out, outsz, "+Inf");
		return true;
	}
	if (v.state != VAL_OK)
		return false;
	if (mult != 1 && (v.v > INT64_MAX / mult || v.v < INT64_MIN / mult))
		snprintf(out, outsz, "%.17g", (double)v.v * (double)mult);
	else
		snprintf(out, outsz, "%" PRId64, v.v * mult);
	return true;
}

/* A sample of v (times mult) with labels, if v is known. */
static void
sample_val(FILE *f, struct family *fam, const char *labels, struct val v, int64_t mult)
{
	char b[64];

	if (val_text(b, sizeof(b), v, mult))
		sample(f, fam, labels, b);
}

/* A PSI average kept in hundredths of a percent as a ratio: 123 -> 0.0123, exactly. */
static bool
ratio_text(char *out, size_t outsz, struct val v)
{
	uint64_t a;

	if (v.state != VAL_OK)
		return false;
	a = v.v < 0 ? -(uint64_t)v.v : (uint64_t)v.v;
	snprintf(out, outsz, "%s%" PRIu64 ".%04" PRIu64, v.v < 0 ? "-" : "", a / 10000, a % 10000);
	return true;
}

/* Microseconds as seconds with six decimals, exactly. */
static bool
seconds_text(char *out, size_t outsz, struct val us)
{
	if (us.state != VAL_OK || us.v < 0)
		return false;
	snprintf(out, outsz, "%" PRId64 ".%06" PRId64, us.v / 1000000, us.v % 1000000);
	return true;
}

/* The PSI families of one line ("some" or "full") of the host's or a cgroup's PSI. */
struct psi_families {
	struct family total, ratio;
};

/* PSI samples for one line, with the labels that say whose line it is. */
static void
psi_samples(FILE *f, struct psi_families *pf, const char *labels, const struct psi *p,
	    const struct psi_line *l)
{
	static const char *const windows[] = {"10s", "60s", "300s"};
	const struct val avgs[] = {l->avg10, l->avg60, l->avg300};
	char b[64];

	if (!p->present)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(windows); i++) {
		if (!ratio_text(b, sizeof(b), avgs[i]))
			continue;
		family_start(f, &pf->ratio);
		fprintf(f, "%s{%s%swindow=\"%s\"} %s\n", pf->ratio.name, labels, *labels ? "," : "",
			windows[i], b);
	}
	if (seconds_text(b, sizeof(b), l->total_us))
		sample(f, &pf->total, labels, b);
}

/* A host component in kB, as bytes. */
struct host_metric {
	const char *name;
	const char *help;
	size_t offset; /* of the struct val in struct host */
};

#define HOST_KB(field, metric, text)                                                               \
	{                                                                                          \
		"oomlens_host_" metric "_bytes", text, offsetof(struct host, field)                \
	}

static const struct host_metric host_metrics[] = {
    HOST_KB(mem_total_kb, "mem_total", "MemTotal."),
    HOST_KB(mem_free_kb, "mem_free",
	    "MemFree: the first of Linux 2.4's vm_enough_memory() components."),
    HOST_KB(page_cache_kb, "page_cache",
	    "Cached + SwapCached: the page cache as Linux 2.4 counted it."),
    HOST_KB(swap_free_kb, "swap_free", "SwapFree."),
    HOST_KB(swap_cache_kb, "swap_cache", "SwapCached, counted a second time as Linux 2.4 did."),
    HOST_KB(dentry_cache_kb, "dentry_cache", "Unused dentries times the dentry object size."),
    HOST_KB(inode_cache_kb, "inode_cache", "Free inodes times the inode object size."),
    HOST_KB(vm_enough_kb, "vm_enough",
	    "The sum of the six components of Linux 2.4's vm_enough_memory() heuristic."),
    HOST_KB(mem_available_kb, "mem_available", "MemAvailable: today's kernel's estimate."),
    HOST_KB(swap_total_kb, "swap_total", "SwapTotal."),
    HOST_KB(commit_limit_kb, "commit_limit", "CommitLimit."),
    HOST_KB(committed_as_kb, "committed_as", "Committed_AS."),
};

/* The host: its components, the overcommit mode, PSI and the OOM kill counter. */
static void
host_samples(FILE *f, const struct snapshot *s)
{
	const struct host *h = &s->host;
	struct family mode = FAMILY("oomlens_host_overcommit_memory", "gauge",
				    "vm.overcommit_memory: 0 heuristic, 1 always, 2 strict.");
	struct family kills = FAMILY("oomlens_host_oom_kills_total", "counter",
				     "OOM kills since boot (/proc/vmstat oom_kill).");
	struct psi_families some = {
	    FAMILY("oomlens_host_psi_some_seconds_total", "counter",
		   "Time some tasks stalled on memory (PSI some total)."),
	    FAMILY("oomlens_host_psi_some_ratio", "gauge",
		   "Share of time some tasks stalled on memory, averaged over window (0 to 1).")};
	struct psi_families full = {
	    FAMILY("oomlens_host_psi_full_seconds_total", "counter",
		   "Time all non-idle tasks stalled on memory (PSI full total)."),
	    FAMILY("oomlens_host_psi_full_ratio", "gauge",
		   "Share of time all non-idle tasks stalled on memory, averaged over window (0 to "
		   "1).")};

	for (size_t i = 0; i < ARRAY_SIZE(host_metrics); i++) {
		const struct host_metric *m = &host_metrics[i];
		struct family fam = FAMILY(m->name, "gauge", m->help);
		const struct val *v = (const struct val *)((const char *)h + m->offset);

		sample_val(f, &fam, "", *v, 1024);
	}
	sample_val(f, &mode, "", h->overcommit_memory, 1);
	psi_samples(f, &some, "", &h->psi, &h->psi.some);
	psi_samples(f, &full, "", &h->psi, &h->psi.full);
	sample_val(f, &kills, "", h->oom_kill, 1);
}

/* A per-cgroup value. */
struct cg_metric {
	const char *name;
	const char *type;
	const char *help;
	size_t offset; /* of the struct val in struct cgroup */
};

#define CG_GAUGE(field, name, text)                                                                \
	{                                                                                          \
		"oomlens_cgroup_" name, "gauge", text, offsetof(struct cgroup, field)              \
	}
#define CG_COUNTER(field, name, text)                                                              \
	{                                                                                          \
		"oomlens_cgroup_" name, "counter", text, offsetof(struct cgroup, field)            \
	}

static const struct cg_metric cg_metrics[] = {
    CG_GAUGE(usage_bytes, "usage_bytes", "Memory charged to the cgroup."),
    CG_GAUGE(limit_bytes, "limit_bytes",
	     "Memory limit (docker --memory; v1 limit_in_bytes, v2 memory.max); +Inf unlimited."),
    CG_GAUGE(swap_limit_bytes, "swap_limit_bytes",
	     "Memory + swap limit (docker --memory-swap); +Inf unlimited."),
    CG_GAUGE(reservation_bytes, "reservation_bytes",
	     "docker --memory-reservation (v1 soft_limit_in_bytes, v2 memory.low)."),
    CG_GAUGE(high_bytes, "high_bytes", "v2 memory.high; +Inf unlimited."),
    CG_GAUGE(min_bytes, "min_bytes", "v2 memory.min."),
    CG_GAUGE(swap_usage_bytes, "swap_usage_bytes", "Swap charged to the cgroup."),
    CG_GAUGE(
	avail.headroom_bytes, "headroom_bytes",
	"Limit minus usage of the limit in force (the cgroup's, an ancestor's or the host's)."),
    CG_GAUGE(avail.available_bytes, "available_bytes",
	     "Memory the cgroup could still get: headroom, inactive file cache, reclaimable slab "
	     "and swap headroom."),
    CG_COUNTER(ev_oom, "oom_total", "Times the cgroup hit its limit and the OOM killer ran."),
    CG_COUNTER(ev_oom_kill, "oom_kills_total", "Processes the OOM killer killed in the cgroup."),
};

/* The labels of cgroup c, in a new string: its path and, when known, its container's name. */
static char *
cg_labels(const struct cgroup *c)
{
	char *path = prom_label_dup(c->path);
	char *name = prom_label_dup(c->container ? c->container->name : "");
	size_t size = strlen(path) + strlen(name) + 32;
	char *out = xmalloc(size);

	if (name[0])
		snprintf(out, size, "path=\"%s\",container=\"%s\"", path, name);
	else
		snprintf(out, size, "path=\"%s\"", path);
	free(name);
	free(path);
	return out;
}

/* Every cgroup: one family at a time, as the format asks. */
static void
cgroup_samples(FILE *f, const struct snapshot *s)
{
	struct family procs = FAMILY("oomlens_cgroup_processes", "gauge",
				     "Processes whose memory cgroup is exactly this one.");
	struct psi_families some = {
	    FAMILY("oomlens_cgroup_psi_some_seconds_total", "counter",
		   "Time some of the cgroup's tasks stalled on memory (v2 memory.pressure)."),
	    FAMILY("oomlens_cgroup_psi_some_ratio", "gauge",
		   "Share of time some of the cgroup's tasks stalled on memory (0 to 1).")};
	struct psi_families full = {
	    FAMILY("oomlens_cgroup_psi_full_seconds_total", "counter",
		   "Time all of the cgroup's tasks stalled on memory (v2 memory.pressure)."),
	    FAMILY("oomlens_cgroup_psi_full_ratio", "gauge",
		   "Share of time all of the cgroup's tasks stalled on memory (0 to 1).")};
	char **labels = xcalloc(s->n_cgroups ? s->n_cgroups : 1, sizeof(*labels));

	for (size_t i = 0; i < s->n_cgroups; i++)
		labels[i] = cg_labels(&s->cgroups[i]);
	for (size_t m = 0; m < ARRAY_SIZE(cg_metrics); m++) {
		struct family fam =
		    FAMILY(cg_metrics[m].name, cg_metrics[m].type, cg_metrics[m].help);

		for (size_t i = 0; i < s->n_cgroups; i++) {
			const char *c = (const char *)&s->cgroups[i];

			sample_val(f, &fam, labels[i],
				   *(const struct val *)(c + cg_metrics[m].offset), 1);
		}
	}
	for (size_t i = 0; i < s->n_cgroups; i++)
		sample_val(f, &procs, labels[i], val_ok(s->cgroups[i].nr_processes), 1);
	for (size_t i = 0; i < s->n_cgroups; i++)
		if (s->cgroups[i].version == 2)
			psi_samples(f, &some, labels[i], &s->cgroups[i].psi,
				    &s->cgroups[i].psi.some);
	for (size_t i = 0; i < s->n_cgroups; i++)
		if (s->cgroups[i].version == 2)
			psi_samples(f, &full, labels[i], &s->cgroups[i].psi,
				    &s->cgroups[i].psi.full);
	for (size_t i = 0; i < s->n_cgroups; i++)
		free(labels[i]);
	free(labels);
}

/* The top_n processes by oom_score: their oom_score and oom_score_adj. */
static void
proc_samples(FILE *f, const struct snapshot *s, size_t top_n)
{
	struct family score =
	    FAMILY("oomlens_process_oom_score", "gauge",
		   "The kernel's oom_score of the processes most likely to be killed.");
	struct family adj = FAMILY("oomlens_process_oom_score_adj", "gauge",
				   "oom_score_adj of the same processes.");
	struct family rss = FAMILY("oomlens_process_rss_bytes", "gauge",
				   "Resident memory (VmRSS) of the same processes.");
	struct family swap = FAMILY("oomlens_process_swap_bytes", "gauge",
				    "Swapped-out memory (VmSwap) of the same processes.");
	size_t *idx = xcalloc(s->n_procs ? s->n_procs : 1, sizeof(*idx));
	size_t n = 0;
	char **labels;

	sort_procs(s, idx, SORT_OOM_SCORE, false);
	while (n < s->n_procs && n < top_n && s->procs[idx[n]].oom_score.state == VAL_OK)
		n++;
	labels = xcalloc(n ? n : 1, sizeof(*labels));
	for (size_t i = 0; i < n; i++) {
		const struct proc *p = &s->procs[idx[i]];
		char b[1024];
		char *c;

		c = prom_label_dup(proc_comm(p));
		snprintf(b, sizeof(b), "pid=\"%d\",comm=\"%s\"", (int)p->pid, c);
		free(c);
		labels[i] = xstrdup(b);
	}
	for (size_t i = 0; i < n; i++)
		sample_val(f, &score, labels[i], s->procs[idx[i]].oom_score, 1);
	for (size_t i = 0; i < n; i++)
		sample_val(f, &adj, labels[i], s->procs[idx[i]].oom_score_adj, 1);
	for (size_t i = 0; i < n; i++)
		sample_val(f, &rss, labels[i], s->procs[idx[i]].rss_kb, 1024);
	for (size_t i = 0; i < n; i++)
		sample_val(f, &swap, labels[i], s->procs[idx[i]].swap_kb, 1024);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(idx);
}

/* One next victim: scope "host" or a cgroup's path, its pid and comm, its points. */
static void
victim_sample(FILE *f, struct family *fam, const char *scope, const struct victim *v)
{
	char comm[sizeof(v->comm) + 1], b[64], *sc, *c, *labels;
	size_t size;

	if (v->pid <= 0)
		return;
	memcpy(comm, v->comm, sizeof(v->comm));
	comm[sizeof(v->comm)] = '\0';
	sc = prom_label_dup(scope);
	c = prom_label_dup(comm);
	size = strlen(sc) + strlen(c) + 64;
	labels = xmalloc(size);
	snprintf(labels, size, "scope=\"%s\",pid=\"%d\",comm=\"%s\"", sc, (int)v->pid, c);
	snprintf(b, sizeof(b), "%" PRId64, v->points);
	sample(f, fam, labels, b);
	free(labels);
	free(c);
	free(sc);
}

/* Who dies next: the host's OOM killer's pick and each limited cgroup's. */
static void
victim_samples(FILE *f, const struct snapshot *s)
{
	struct family fam = FAMILY("oomlens_next_victim_points", "gauge",
				   "oom_badness() points of the process the OOM killer would pick "
				   "now, for the host and for each limited cgroup (scope).");

	victim_sample(f, &fam, "host", &s->host_victim);
	for (size_t i = 0; i < s->n_cgroups; i++)
		if (s->cgroups[i].has_limit && s->cgroups[i].path)
			victim_sample(f, &fam, s->cgroups[i].path, &s->cgroups[i].next_victim);
}

int
prom_write(FILE *f, const struct snapshot *s, size_t top_n)
{
	struct family info = FAMILY("oomlens_build_info", "gauge",
				    "Always 1; the version label says which oomlens wrote this.");
	struct family when = FAMILY("oomlens_snapshot_timestamp_seconds", "gauge",
				    "When the snapshot was taken, in seconds since the epoch.");
	struct family events =
	    FAMILY("oomlens_oom_events_total", "counter",
		   "OOM kills oomlens has logged (kernel log or counters) since it "
		   "started.");
	char b[64];

	errno = 0;
	sample(f, &info, "version=\"" PACKAGE_VERSION "\"", "1");
	snprintf(b, sizeof(b), "%lld.%03ld", (long long)s->wall.tv_sec, s->wall.tv_nsec / 1000000);
	sample(f, &when, "", b);
	host_samples(f, s);
	cgroup_samples(f, s);
	proc_samples(f, s, top_n);
	victim_samples(f, s);
	if (s->kmsg_err == 0)
		sample_val(
		    f, &events, "",
		    val_ok(s->events_total > INT64_MAX ? INT64_MAX : (int64_t)s->events_total), 1);
	if (fflush(f) == EOF || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}
