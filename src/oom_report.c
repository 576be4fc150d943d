/*
 * oom_report.c - join the lines of one OOM report into events
 * (oom_report.h).  Pure: it is fed one message at a time and never reads
 * or writes the system.  doc/events.md describes the line forms of each
 * kernel version.
 */
#include "config.h"

#include "oom_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "util.h"

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
