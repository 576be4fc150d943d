/*
 * events.c - OOM kills from /dev/kmsg and the OOM counters.
 *
 * Owns the log the collector keeps across ticks: it reads /dev/kmsg
 * without blocking, hands each record (kmsg.c) to the OOM report parser
 * (oom_report.c), and reconciles the events with the OOM counters.  It
 * never writes.
 */
#include "config.h"

#include "events.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "strmap.h"
#include "util.h"


uint64_t
oomlog_missed(uint64_t rise, uint64_t seen, uint64_t *credit)
{
	uint64_t avail = *credit + seen;

	if (rise > avail) {
		*credit = 0;
		return rise - avail;
	}
	/* Events the counter has not shown yet wait one tick, no longer. */
	avail -= rise;
	*credit = avail < seen ? avail : seen;
	return 0;
}

/* The log ---------------------------------------------------------------- */

struct cg_count {
	uint64_t last, credit;
	bool known;
};

struct oomlog {
	char *root;
	int fd;
	int err; /* why /dev/kmsg is not being read */
	bool primed, baseline;
	struct oom_parser *parser;
	char *carry; /* an incomplete line (plain-file fixtures) */
	size_t carry_len;
	struct oom_event *ev;
	size_t n, cap;
	uint64_t total;
	struct strmap *counts; /* cgroup path -> struct cg_count */
	uint64_t host_last, host_credit;
	bool host_known;
};

struct oomlog *
oomlog_new(const char *root)
{
	struct oomlog *l = xcalloc(1, sizeof(*l));

	l->root = xstrdup(root ? root : "");
	l->fd = -1;
	l->parser = xmalloc(sizeof(*l->parser));
	oom_parser_init(l->parser);
	l->counts = strmap_new(sizeof(struct cg_count));
	return l;
}

void
oomlog_free(struct oomlog *l)
{
	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd);
	for (size_t i = 0; i < l->n; i++)
		oom_event_clear(&l->ev[i]);
	free(l->ev);
	free(l->carry);
	free(l->parser);
	strmap_free(l->counts);
	free(l->root);
	free(l);
}

/* Append ev (taking its strings), dropping the oldest beyond OOMLOG_MAX. */
static void
log_append(struct oomlog *l, struct oom_event *ev)
{
	if (l->n == OOMLOG_MAX) {
		oom_event_clear(&l->ev[0]);
		memmove(&l->ev[0], &l->ev[1], (l->n - 1) * sizeof(*l->ev));
		l->n--;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->ev = xrealloc(l->ev, l->cap * sizeof(*l->ev));
	}
	l->ev[l->n++] = *ev;
	l->total++;
	memset(ev, 0, sizeof(*ev));
}

/* CLOCK_REALTIME at boot, from the two clocks now. */
static struct timespec
boot_wall(void)
{
	struct timespec rt, mono, b;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	b.tv_sec = rt.tv_sec - mono.tv_sec;
	b.tv_nsec = rt.tv_nsec - mono.tv_nsec;
	if (b.tv_nsec < 0) {
		b.tv_nsec += 1000000000L;
		b.tv_sec--;
	}
	return b;
}

/* One line of kernel log: a record, or a dictionary line to skip. */
static void
take_line(struct oomlog *l, struct container_resolver *cr, const char *line, size_t len,
	  const struct timespec *boot, size_t *added)
{
	struct kmsg_record r;
	struct oom_event ev;

	if (len == 0 || line[0] == ' ')
		return;
	if (kmsg_parse_record(line, len, &r) < 0)
		return;
	if (oom_parser_feed(l->parser, r.msg, r.msg_len, &ev) != 1)
		return;
	ev.seq = r.seq;
	ev.time.tv_sec = boot->tv_sec + (time_t)(r.usec / 1000000);
	ev.time.tv_nsec = boot->tv_nsec + (long)(r.usec % 1000000) * 1000;
	if (ev.time.tv_nsec >= 1000000000L) {
		ev.time.tv_nsec -= 1000000000L;
		ev.time.tv_sec++;
	}
	if (ev.cgroup && cr)
		ev.container = *container_resolve(cr, ev.cgroup);
	log_append(l, &ev);
	(*added)++;
}

/* Read every record available now; returns how many events they made. */
static size_t
read_kmsg(struct oomlog *l, struct container_resolver *cr)
{
	struct timespec boot = boot_wall();
	char buf[8192];
	size_t added = 0;

	if (l->fd < 0 && !l->err) {
		char path[4096];

		path_join(path, sizeof(path), l->root, "/dev/kmsg");
		l->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (l->fd < 0)
			l->err = errno;
	}
	if (l->fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(l->fd, buf, sizeof(buf));
		size_t start = 0;

		if (n < 0) {
			if (errno == EINTR || errno == EPIPE)
				continue; /* EPIPE: records were overwritten; go on from the oldest
					   */
			if (errno != EAGAIN)
				l->err = errno;
			break;
		}
		if (n == 0)
			break; /* a plain file at its end */
		l->carry = xrealloc(l->carry, l->carry_len + (size_t)n + 1);
		memcpy(l->carry + l->carry_len, buf, (size_t)n);
		l->carry_len += (size_t)n;
		for (size_t i = 0; i < l->carry_len; i++) {
			if (l->carry[i] != '\n')
				continue;
			take_line(l, cr, l->carry + start, i - start, &boot, &added);
			start = i + 1;
		}
		memmove(l->carry, l->carry + start, l->carry_len - start);
		l->carry_len -= start;
	}
	return added;
}

void
oomlog_prime(struct oomlog *l, struct container_resolver *cr)
{
	if (l->primed)
		return;
	l->primed = true;
	read_kmsg(l, cr);
}

/* Is path within (or equal to) the cgroup at top? */
static bool
path_within(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (n == 1 && top[0] == '/')
		return true;
	return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static const struct cgroup *cmp_base;

static int
cmp_depth_desc(const void *a, const void *b)
{
	int da = cmp_base[*(const size_t *)a].depth, db = cmp_base[*(const size_t *)b].depth;

	return (da < db) - (da > db);
}

/* The events this tick that count for a scope: log events and counter events so far. */
struct seen_item {
	char *cgroup;
	unsigned count;
};

static void
add_counter_event(struct oomlog *l, struct container_resolver *cr, const struct snapshot *s,
		  const char *cgroup, uint64_t missed)
{
	struct oom_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.source = OOM_SRC_COUNTER;
	ev.time = s->wall;
	ev.count = missed > UINT32_MAX ? UINT32_MAX : (unsigned)missed;
	ev.rss_kb = val_unknown(OL_EMISSING);
	ev.oom_score_adj = val_unknown(OL_EMISSING);
	if (cgroup) {
		ev.cgroup = xstrdup(cgroup);
		if (cr)
			ev.container = *container_resolve(cr, cgroup);
	}
	log_append(l, &ev);
}

/* Compare the counters' rises with the events seen; add events for kills the log missed. */
static void
reconcile(struct oomlog *l, struct container_resolver *cr, const struct snapshot *s, size_t fresh)
{
	size_t *order = xmalloc((s->n_cgroups ? s->n_cgroups : 1) * sizeof(*order));
	struct seen_item *seen = xmalloc((fresh + s->n_cgroups + 1) * sizeof(*seen));
	size_t n_seen = 0, first = l->n - (fresh < l->n ? fresh : l->n);
	uint64_t all = 0;

	for (size_t i = first; i < l->n; i++) {
		seen[n_seen].cgroup = l->ev[i].cgroup ? xstrdup(l->ev[i].cgroup) : NULL;
		seen[n_seen++].count = l->ev[i].count;
		all += l->ev[i].count;
	}
	for (size_t i = 0; i < s->n_cgroups; i++)
		order[i] = i;
	cmp_base = s->cgroups;
	qsort(order, s->n_cgroups, sizeof(*order), cmp_depth_desc);
	cmp_base = NULL;

	for (size_t k = 0; k < s->n_cgroups; k++) {
		const struct cgroup *c = &s->cgroups[order[k]];
		struct cg_count *cc;
		uint64_t now, rise = 0, in_scope = 0, missed;
		bool created;

		if (c->depth == 0 || !val_is_ok(c->ev_oom_kill) || c->ev_oom_kill.v < 0)
			continue; /* a hierarchy's root counts no kills of its own: the host's
				     counter does */
		now = (uint64_t)c->ev_oom_kill.v;
		cc = strmap_get(l->counts, c->path, &created);
		if (!l->baseline)
			rise = 0;
		else if (!cc->known || now < cc->last)
			rise = now; /* a cgroup new since the last tick counts from 0 */
		else
			rise = now - cc->last;
		cc->last = now;
		cc->known = true;
		for (size_t i = 0; i < n_seen; i++)
			if (seen[i].cgroup && path_within(seen[i].cgroup, c->path))
				in_scope += seen[i].count;
		missed = oomlog_missed(rise, in_scope, &cc->credit);
		if (missed) {
			add_counter_event(l, cr, s, c->path, missed);
			seen[n_seen].cgroup = xstrdup(c->path);
			seen[n_seen++].count = (unsigned)missed;
			all += missed;
		}
	}
	strmap_sweep(l->counts);

	if (val_is_ok(s->host.oom_kill) && s->host.oom_kill.v >= 0) {
		uint64_t now = (uint64_t)s->host.oom_kill.v, rise = 0, missed;

		if (l->baseline && l->host_known && now >= l->host_last)
			rise = now - l->host_last;
		l->host_last = now;
		l->host_known = true;
		missed = oomlog_missed(rise, all, &l->host_credit);
		if (missed)
			add_counter_event(l, cr, s, NULL, missed);
	}
	l->baseline = true;
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i].cgroup);
	free(seen);
	free(order);
}

void
oomlog_update(struct oomlog *l, struct container_resolver *cr, struct snapshot *s)
{
	size_t fresh;

	oomlog_prime(l, cr);
	fresh = read_kmsg(l, cr);
	reconcile(l, cr, s, fresh);
	s->n_events = l->n;
	s->events = l->n ? xcalloc(l->n, sizeof(*s->events)) : NULL;
	for (size_t i = 0; i < l->n; i++)
		oom_event_copy(&s->events[i], &l->ev[i]);
	s->events_total = l->total;
	s->kmsg_err = l->err;
}
