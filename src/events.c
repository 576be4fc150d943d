/*
 * events.c - OOM kills from /dev/kmsg and the OOM counters.
 *
 * Owns the /dev/kmsg record parser, the parser that joins the lines of one
 * OOM report (the "invoked oom-killer" line, the 4.x "Task in" line, the
 * Tasks state table, the "oom-kill:constraint=" summary, the oom.group line
 * and the "Killed process" line) into events, and the log the collector
 * keeps across ticks.  It reads /dev/kmsg without blocking and never writes.
 * doc/events.md describes the line forms of each kernel version.
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

int
kmsg_parse_record(const char *buf, size_t len, struct kmsg_record *r)
{
	const char *semi = memchr(buf, ';', len), *p = buf, *nl;
	uint64_t prio;

	memset(r, 0, sizeof(*r));
	if (!semi)
		return -EINVAL;
	/* parse_u64 stops at the first non-digit; the ';' bounds the prefix. */
	if (parse_u64(p, &p, &prio) < 0 || p >= semi || *p != ',' || prio > 0xffffff)
		return -EINVAL;
	if (parse_u64(p + 1, &p, &r->seq) < 0 || p >= semi || *p != ',')
		return -EINVAL;
	if (parse_u64(p + 1, &p, &r->usec) < 0 || p >= semi || *p != ',')
		return -EINVAL;
	p++;
	if (p >= semi)
		return -EINVAL;
	r->flags = *p;
	r->prio = (unsigned)prio;
	r->msg = semi + 1;
	nl = memchr(r->msg, '\n', len - (size_t)(r->msg - buf));
	r->msg_len = nl ? (size_t)(nl - r->msg) : len - (size_t)(r->msg - buf);
	return 0;
}

size_t
kmsg_unescape(char *out, size_t outsz, const char *in, size_t len)
{
	size_t o = 0;

	if (outsz == 0)
		return 0;
	for (size_t i = 0; i < len && o + 1 < outsz; i++) {
		if (in[i] == '\\' && i + 3 < len && in[i + 1] == 'x' && hex_digit(in[i + 2]) >= 0 &&
		    hex_digit(in[i + 3]) >= 0) {
			char c = (char)(hex_digit(in[i + 2]) << 4 | hex_digit(in[i + 3]));

			i += 3;
			out[o++] = c ? c : '?';
			continue;
		}
		out[o++] = in[i];
	}
	out[o] = '\0';
	return o;
}

void
oom_parser_init(struct oom_parser *p)
{
	p->have_summary = false;
	p->sum_pid = 0;
	p->sum_constraint[0] = p->sum_oom_memcg[0] = p->sum_task_memcg[0] = '\0';
	p->task_in[0] = p->limit_of[0] = p->group[0] = '\0';
	p->kill_kind = 0;
	p->adj_col = -1;
	p->n_rows = 0;
	p->n_killed = 0;
}

void
oom_event_clear(struct oom_event *ev)
{
	free(ev->cgroup);
	free(ev->constraint);
	memset(ev, 0, sizeof(*ev));
}

void
oom_event_copy(struct oom_event *dst, const struct oom_event *src)
{
	*dst = *src;
	dst->cgroup = src->cgroup ? xstrdup(src->cgroup) : NULL;
	dst->constraint = src->constraint ? xstrdup(src->constraint) : NULL;
}

static void
copy_span(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The last occurrence of needle in s[0..end), or NULL. */
static const char *
rfind(const char *s, const char *end, const char *needle)
{
	size_t nl = strlen(needle);
	const char *found = NULL;

	for (const char *p = s; p + nl <= end; p++)
		if (memcmp(p, needle, nl) == 0)
			found = p;
	return found;
}

/*
 * "oom-kill:constraint=C,nodemask=N,cpuset=P,mems_allowed=M,oom_memcg=/a,task_memcg=/a/b,task=COMM,pid=N,uid=N"
 * (4.19+; "global_oom" instead of oom_memcg= for a host-wide OOM).  Fields
 * are found from the right, since nodemasks hold commas.
 */
static void
parse_summary(struct oom_parser *p, const char *s)
{
	const char *end = s + strlen(s), *c, *comma, *task, *pid, *tm, *om;
	uint64_t v;

	c = s + strlen("oom-kill:constraint=");
	comma = strchr(c, ',');
	if (!comma)
		return;
	copy_span(p->sum_constraint, sizeof(p->sum_constraint), c, (size_t)(comma - c));
	task = rfind(s, end, ",task=");
	pid = task ? rfind(task, end, ",pid=") : NULL;
	if (!task || !pid || parse_u64(pid + 5, NULL, &v) < 0 || v == 0 || v > INT32_MAX)
		return;
	p->sum_pid = (pid_t)v;
	tm = rfind(s, task, ",task_memcg=");
	if (tm)
		copy_span(p->sum_task_memcg, sizeof(p->sum_task_memcg), tm + 12,
			  (size_t)(task - (tm + 12)));
	else
		p->sum_task_memcg[0] = '\0';
	om = rfind(s, tm ? tm : task, ",oom_memcg=");
	if (om)
		copy_span(p->sum_oom_memcg, sizeof(p->sum_oom_memcg), om + 11,
			  (size_t)((tm ? tm : task) - (om + 11)));
	else
		p->sum_oom_memcg[0] = '\0';
	p->have_summary = true;
}

/* The header of the Tasks state table: where the tgid and oom_score_adj columns are. */
static void
parse_table_header(struct oom_parser *p, const char *s)
{
	const char *q = strchr(s, ']');
	int col = 0;

	p->adj_col = -1;
	if (!q)
		return;
	q++;
	while (*q) {
		const char *w;

		while (*q == ' ' || *q == '\t')
			q++;
		if (!*q)
			break;
		w = q;
		while (*q && *q != ' ' && *q != '\t')
			q++;
		if ((size_t)(q - w) == 13 && memcmp(w, "oom_score_adj", 13) == 0) {
			p->adj_col = col;
			return;
		}
		col++;
	}
}

/* A row of the Tasks state table: "[  pid]   uid  tgid ... oom_score_adj name". */
static void
parse_table_row(struct oom_parser *p, const char *s)
{
	const char *q = s + 1;
	uint64_t pid, x;
	int64_t adj = 0;
	pid_t tgid = 0;

	if (p->adj_col < 0 || p->n_rows >= OOM_PARSER_ROWS)
		return;
	if (parse_u64(q, &q, &pid) < 0 || *q != ']' || pid > INT32_MAX)
		return;
	q++;
	for (int col = 0; col <= p->adj_col; col++) {
		if (col == p->adj_col) {
			if (parse_i64(q, &q, &adj) < 0 || adj < -1000 || adj > 1000)
				return;
		} else if (parse_u64(q, &q, &x) < 0) {
			return;
		} else if (col == 1) {
			tgid = x <= INT32_MAX ? (pid_t)x : 0; /* columns: uid tgid ... */
		}
	}
	p->rows[p->n_rows].pid = (pid_t)pid;
	p->rows[p->n_rows].tgid = tgid;
	p->rows[p->n_rows].adj = (int16_t)adj;
	p->n_rows++;
}

/* "Tasks in /a are going to be killed due to memory.oom.group set" */
static void
parse_group(struct oom_parser *p, const char *s)
{
	const char *b = s + strlen("Tasks in "), *e = strstr(b, " are going to be killed");

	if (e)
		copy_span(p->group, sizeof(p->group), b, (size_t)(e - b));
}

/* 4.x: "Task in /a/b killed as a result of limit of /a" */
static void
parse_task_in(struct oom_parser *p, const char *s)
{
	const char *b = s + strlen("Task in "), *k = strstr(b, " killed as a result of limit of ");

	if (!k)
		return;
	copy_span(p->task_in, sizeof(p->task_in), b, (size_t)(k - b));
	copy_span(p->limit_of, sizeof(p->limit_of), k + 32, strlen(k + 32));
}

/* "KEY:<number>kB" within tail, or -1. */
static int64_t
kb_field(const char *tail, const char *key)
{
	const char *k = strstr(tail, key);
	uint64_t v;

	if (!k || parse_u64(k + strlen(key), NULL, &v) < 0 || v > INT64_MAX / 2)
		return -1;
	return (int64_t)v;
}

static char *
constraint_text(const struct oom_parser *p)
{
	if (strcmp(p->sum_constraint, "CONSTRAINT_NONE") == 0)
		return xstrdup("host");
	if (strcmp(p->sum_constraint, "CONSTRAINT_MEMCG") == 0)
		return p->sum_oom_memcg[0] ? xstrdup(p->sum_oom_memcg) : NULL;
	if (strcmp(p->sum_constraint, "CONSTRAINT_CPUSET") == 0)
		return xstrdup("cpuset");
	if (strcmp(p->sum_constraint, "CONSTRAINT_MEMORY_POLICY") == 0)
		return xstrdup("mempolicy");
	return NULL;
}

/*
 * "[PREFIX: ]Killed process N (COMM) total-vm:NkB, anon-rss:NkB, file-rss:NkB,
 * shmem-rss:NkB[, UID:N pgtables:NkB oom_score_adj:N]"
 */
static int
parse_killed(struct oom_parser *p, const char *s, const char *k, struct oom_event *ev)
{
	const char *q = k + strlen("Killed process "), *open, *close, *end = s + strlen(s);
	uint64_t pid;
	int64_t anon, file, shmem, adj;
	bool host;

	if (parse_u64(q, &q, &pid) < 0 || pid == 0 || pid > INT32_MAX || strncmp(q, " (", 2) != 0)
		return 0;
	for (size_t i = 0; i < p->n_killed; i++)
		if (p->killed[i] == (pid_t)pid)
			return 0; /* the same victim again, in an oom.group sweep */
	open = q + 2;
	close = rfind(open, end, ") total-vm:");
	if (!close)
		close = rfind(open, end, ")");
	if (!close)
		return 0;
	memset(ev, 0, sizeof(*ev));
	if (p->n_killed < ARRAY_SIZE(p->killed))
		p->killed[p->n_killed++] = (pid_t)pid;
	ev->source = OOM_SRC_KMSG;
	ev->count = 1;
	ev->pid = (pid_t)pid;
	copy_span(ev->comm, sizeof(ev->comm), open, (size_t)(close - open));

	anon = kb_field(close, "anon-rss:");
	file = kb_field(close, "file-rss:");
	shmem = kb_field(close, "shmem-rss:");
	if (anon >= 0 && file >= 0)
		ev->rss_kb = val_ok(anon + file + (shmem > 0 ? shmem : 0));
	else
		ev->rss_kb = val_unknown(OL_EMISSING);
	ev->oom_score_adj = val_unknown(OL_EMISSING);
	{
		const char *a = strstr(close, "oom_score_adj:");

		if (a && parse_i64(a + 14, NULL, &adj) == 0 && adj >= -1000 && adj <= 1000)
			ev->oom_score_adj = val_ok(adj);
	}
	if (!val_is_ok(ev->oom_score_adj))
		for (size_t i = 0; i < p->n_rows; i++)
			if (p->rows[i].pid == ev->pid || p->rows[i].tgid == ev->pid) {
				ev->oom_score_adj = val_ok(p->rows[i].adj);
				break;
			}

	/* Which OOM: the summary line, else the 4.x lines, else the message's prefix. */
	if (k != s)
		host = strncmp(s, "Memory cgroup out of memory", 27) != 0;
	else
		host = p->kill_kind == 1;
	if (p->have_summary) {
		ev->constraint = constraint_text(p);
		if (p->sum_pid == ev->pid && p->sum_task_memcg[0])
			ev->cgroup = xstrdup(p->sum_task_memcg);
		else if (p->group[0])
			ev->cgroup = xstrdup(p->group);
	} else if (p->limit_of[0]) {
		ev->constraint = xstrdup(p->limit_of);
		if (p->task_in[0])
			ev->cgroup = xstrdup(p->task_in);
	} else if (host) {
		ev->constraint = xstrdup("host");
	}
	return 1;
}

int
oom_parser_feed(struct oom_parser *p, const char *msg, size_t len, struct oom_event *ev)
{
	char s[2048];
	const char *k;

	kmsg_unescape(s, sizeof(s), msg, len);
	if (strstr(s, " invoked oom-killer: ")) {
		oom_parser_init(p);
		return 0;
	}
	if (starts_with(s, "oom-kill:constraint=")) {
		parse_summary(p, s);
		return 0;
	}
	if (starts_with(s, "Task in ")) {
		parse_task_in(p, s);
		return 0;
	}
	if (starts_with(s, "Tasks in ") && strstr(s, "memory.oom.group")) {
		parse_group(p, s);
		return 0;
	}
	if (s[0] == '[' && strstr(s, "oom_score_adj") && strstr(s, "pid")) {
		parse_table_header(p, s);
		return 0;
	}
	if (s[0] == '[') {
		parse_table_row(p, s);
		return 0;
	}
	k = strstr(s, ": Kill process ");
	if (k) {
		p->kill_kind = strncmp(s, "Memory cgroup out of memory", 27) == 0 ? 2 : 1;
		return 0;
	}
	k = strstr(s, "Killed process ");
	if (k && (k == s || (k >= s + 2 && k[-2] == ':' && k[-1] == ' ')))
		return parse_killed(p, s, k, ev);
	return 0;
}

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
