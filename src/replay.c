/*
 * replay.c - recordings back into snapshots: the inverse of the JSON
 * output (output.c, schema 1) and an index of a recording's lines.
 *
 * The JSON keeps a value's state in three places: the number itself, the
 * string "max", and for a null the object's "not_available" list or its
 * "unknown" map of reasons.  Each is turned back into the same struct val,
 * so writing the loaded snapshot gives the same bytes.  A recording may be
 * from another machine or damaged: wrong types make a field unknown
 * ("unparsable"), never the program fail.
 */
#include "config.h"

#include "replay.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "container.h"
#include "fields.h"
#include "json.h"
#include "record.h"
#include "rstr.h"
#include "textsafe.h"
#include "cgroup.h"
#include "util.h"

/* Parsing the JSON ------------------------------------------------------ */

int
replay_reason_err(const char *reason)
{
	return json_reason_err(reason);
}

/* A percentage with two decimals back into hundredths (1.23 -> 123). */
static struct val
jpct(const struct jin *j, const char *key)
{
	json_object *v = jget(j, key);
	double d;

	if (!v)
		return jread_null(j, key);
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return val_unknown(OL_EPARSE);
	d = json_object_get_double(v) * 100.0;
	if (!isfinite(d) || d > 1e15 || d < -1e15)
		return val_unknown(OL_EPARSE);
	return val_ok(round_i64(d));
}

char *
replay_unescape_invalid(const char *s)
{
	size_t len = strlen(s), n = 0;
	char *out, *again;

	if (!strstr(s, "\\x"))
		return xstrdup(s);
	out = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] == '\\' && s[i + 1] == 'x' && (hi = hex_digit(s[i + 2])) >= 8 &&
		    (lo = hex_digit(s[i + 3])) >= 0) {
			out[n++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			out[n++] = s[i];
		}
	}
	out[n] = '\0';
	/* Only the reading that text_escape_invalid() turns back into s is right. */
	again = text_escape_invalid_dup(out);
	if (strcmp(again, s) != 0) {
		free(out);
		out = xstrdup(s);
	}
	free(again);
	return out;
}

/* A string member as the bytes it stood for, in a new string; NULL when absent. */
static char *
jstr_raw(const struct jin *j, const char *key)
{
	const char *s = jread_str(j, key);

	return s ? replay_unescape_invalid(s) : NULL;
}

/* A string member into a fixed buffer ("" when absent). */
static void
jstr_copy(const struct jin *j, const char *key, char *out, size_t outsz)
{
	char *s = jstr_raw(j, key);

	snprintf(out, outsz, "%s", s ? s : "");
	free(s);
}

/* A string member that may be null with its reason (cmdline, cgroup): an rstr.h text. */
static char *
jtext(const struct jin *j, const char *key, int *err)
{
	char *s = jstr_raw(j, key);

	if (s) {
		char *r = rstr_new(s);

		free(s);
		*err = 0;
		return r;
	}
	*err = jread_null(j, key).err;
	return NULL;
}

/* A clamped int for fields the model keeps as int. */
static int
clamp_int(int64_t v)
{
	return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

/* One PSI line; a null line's four values take the line's reason. */
static bool
psi_line_from(json_object *o, struct val why, struct psi_line *l)
{
	struct jin j = jin_of(o);

	if (!j.o) {
		*l = (struct psi_line){why, why, why, why};
		return false;
	}
	l->avg10 = jpct(&j, "avg10");
	l->avg60 = jpct(&j, "avg60");
	l->avg300 = jpct(&j, "avg300");
	l->total_us = jread_val(&j, "total_us");
	return true;
}

/* {some, full} with the reasons of null lines; neither line: PSI not present. */
static void
psi_from(json_object *o, struct psi *p)
{
	struct jin j = jin_of(o);
	bool some, full;

	memset(p, 0, sizeof(*p));
	if (!j.o) {
		p->err = OL_EPARSE;
		return;
	}
	some = psi_line_from(jget(&j, "some"), jread_null(&j, "some"), &p->some);
	full = psi_line_from(jget(&j, "full"), jread_null(&j, "full"), &p->full);
	p->present = some || full;
	if (!p->present)
		p->err = jread_null(&j, "some").err;
}

/* A victim object; pid 0 when null.  group_cgroup is resolved by the caller. */
static void
victim_from(json_object *o, struct victim *v, const char **group_path)
{
	struct jin j = jin_of(o);

	memset(v, 0, sizeof(*v));
	v->group_cgroup = -1;
	*group_path = NULL;
	if (!j.o)
		return;
	v->pid = clamp_int(jread_int(&j, "pid", 0));
	v->start_ticks = jread_uint(&j, "start_ticks");
	jstr_copy(&j, "comm", v->comm, sizeof(v->comm));
	v->points = jread_int(&j, "points", 0);
	v->whole_group = jread_bool(&j, "whole_group");
	*group_path = jread_str(&j, "group_cgroup");
}

/* A double member, or 0. */
static double
jdouble(const struct jin *j, const char *key)
{
	json_object *v = jget(j, key);

	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return 0.0;
	return json_object_get_double(v);
}

/* A container object ({runtime, id, name, pod, namespace, pod_level}); runtime CT_NONE if null. */
static void
container_from(json_object *o, struct container_id *c)
{
	struct jin j = jin_of(o);
	const char *rt = jread_str(&j, "runtime");

	memset(c, 0, sizeof(*c));
	if (!j.o || !rt)
		return;
	c->runtime = CT_UNKNOWN;
	for (int i = CT_NONE + 1; i <= CT_UNKNOWN; i++) {
		const char *name = container_runtime_name(i);

		if (name && strcmp(name, rt) == 0)
			c->runtime = i;
	}
	jstr_copy(&j, "id", c->id, sizeof(c->id));
	jstr_copy(&j, "name", c->name, sizeof(c->name));
	jstr_copy(&j, "pod", c->pod, sizeof(c->pod));
	jstr_copy(&j, "namespace", c->ns, sizeof(c->ns));
	c->pod_level = jread_bool(&j, "pod_level");
}

/* The snapshot's containers while they are collected: the index of each, deduplicated. */
struct ct_table {
	struct container_id *c;
	size_t n, cap;
};

/* The index of o's container in t (added if new), or -1 when o is null. */
static int
ct_intern(struct ct_table *t, json_object *o)
{
	struct container_id c;

	container_from(o, &c);
	if (c.runtime == CT_NONE)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (memcmp(&t->c[i], &c, sizeof(c)) == 0)
			return (int)i;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->c = xrealloc(t->c, t->cap * sizeof(*t->c));
	}
	t->c[t->n] = c;
	return (int)t->n++;
}

/* A trend object; not steady when null. */
static void
trend_from(json_object *o, struct trend *t)
{
	struct jin j = jin_of(o);

	memset(t, 0, sizeof(*t));
	t->seconds_to_limit = val_unknown(0);
	if (!j.o)
		return;
	t->steady = true;
	t->growth_bytes_per_s = jdouble(&j, "growth_bytes_per_s");
	t->seconds_to_limit = jread_val(&j, "seconds_to_limit");
	t->samples = clamp_int(jread_int(&j, "samples", 0));
	t->window_s = jdouble(&j, "window_s");
	t->fast = jread_bool(&j, "fast");
	t->limit_hits_rising = jread_bool(&j, "limit_hits_rising");
}

/* One OOM event of the top-level "oom_events" list. */
static void
oom_event_from(json_object *o, struct oom_event *e)
{
	struct jin j = jin_of(o);
	const char *t = jread_str(&j, "time"), *src = jread_str(&j, "source");

	memset(e, 0, sizeof(*e));
	if (t)
		replay_parse_time(t, &e->time);
	e->source = src && strcmp(src, "counter") == 0 ? OOM_SRC_COUNTER : OOM_SRC_KMSG;
	e->seq = jread_uint(&j, "seq");
	e->pid = clamp_int(jread_int(&j, "pid", 0));
	jstr_copy(&j, "comm", e->comm, sizeof(e->comm));
	e->cgroup = jstr_raw(&j, "cgroup");
	e->constraint = jstr_raw(&j, "constraint");
	e->rss_kb = jread_val(&j, "rss_kb");
	e->oom_score_adj = jread_val(&j, "oom_score_adj");
	e->count = (unsigned)jread_int(&j, "count", 1);
	container_from(jget(&j, "container"), &e->container);
}

/* The index of the cgroup at path, or -1. */
static int
find_cg(const struct snapshot *s, const char *path)
{
	char *raw;
	int i;

	if (!path)
		return -1;
	raw = replay_unescape_invalid(path);
	i = snap_find_cgroup(s, raw);
	free(raw);
	return i;
}

static void
host_from(json_object *o, struct snapshot *s)
{
	struct jin j = jin_of(o);
	struct host *h = &s->host;
	const char *formula, *group;

	h->mem_total_kb = jread_val(&j, "mem_total_kb");
	h->mem_free_kb = jread_val(&j, "mem_free_kb");
	h->page_cache_kb = jread_val(&j, "page_cache_kb");
	h->swap_total_kb = jread_val(&j, "swap_total_kb");
	h->swap_free_kb = jread_val(&j, "swap_free_kb");
	h->swap_cache_kb = jread_val(&j, "swap_cache_kb");
	h->dentry_cache_kb = jread_val(&j, "dentry_cache_kb");
	h->inode_cache_kb = jread_val(&j, "inode_cache_kb");
	h->vm_enough_kb = jread_val(&j, "vm_enough_kb");
	h->shmem_kb = jread_val(&j, "shmem_kb");
	h->avail_now_kb = jread_val(&j, "avail_now_kb");
	h->mem_available_kb = jread_val(&j, "mem_available_kb");
	h->commit_limit_kb = jread_val(&j, "commit_limit_kb");
	h->committed_as_kb = jread_val(&j, "committed_as_kb");
	h->overcommit_memory = jread_val(&j, "overcommit_memory");
	psi_from(jget(&j, "psi"), &h->psi);
	h->oom_kill = jread_val(&j, "oom_kill");
	h->overcommit_ratio = jread_val(&j, "overcommit_ratio");
	h->overcommit_kbytes = jread_val(&j, "overcommit_kbytes");
	h->user_reserve_kb = jread_val(&j, "user_reserve_kb");
	h->oom_kill_allocating_task = jread_val(&j, "oom_kill_allocating_task");
	h->panic_on_oom = jread_val(&j, "panic_on_oom");
	h->vm_swappiness = jread_val(&j, "vm_swappiness");
	h->cached_kb = jread_val(&j, "cached_kb");
	h->buffers_kb = jread_val(&j, "buffers_kb");
	h->slab_reclaimable_kb = jread_val(&j, "slab_reclaimable_kb");
	h->active_file_kb = jread_val(&j, "active_file_kb");
	h->inactive_file_kb = jread_val(&j, "inactive_file_kb");
	h->dentry_unused = jread_val(&j, "dentry_unused");
	h->dentry_obj_size = jread_val(&j, "dentry_obj_size");
	h->dentry_size_guessed = jread_bool(&j, "dentry_size_guessed");
	h->inode_free = jread_val(&j, "inode_free");
	h->inode_obj_size = jread_val(&j, "inode_obj_size");
	h->inode_size_guessed = jread_bool(&j, "inode_size_guessed");
	h->totalpages = jread_val(&j, "totalpages");
	formula = jread_str(&j, "oom_score_formula");
	h->oom_score_v59 = formula && strcmp(formula, "5.9+") == 0;
	jstr_copy(&j, "kernel_release", h->kernel_release, sizeof(h->kernel_release));
	h->page_size = (long)jread_int(&j, "page_size", 0);
	h->clk_tck = (long)jread_int(&j, "clk_tck", 0);
	victim_from(jget(&j, "next_victim"), &s->host_victim, &group);
	s->host_victim.group_cgroup = find_cg(s, group);
	trend_from(jget(&j, "trend"), &s->host_trend);
}

/* One cgroup's values; the links to other cgroups come after all are read. */
static void
cgroup_from(json_object *o, struct cgroup *c)
{
	struct jin j = jin_of(o);
	struct jin ev = jin_of(jget(&j, "oom_events"));
	struct jin av = jin_of(jget(&j, "avail"));
	struct jin st = jin_of(jget(&j, "stat"));
	struct jin sz;
	char *path = jstr_raw(&j, "path");

	c->path = path ? path : xstrdup("/");
	c->version = clamp_int(jread_int(&j, "version", 0));
	c->parent = -1;
	for (size_t i = 0; i < n_cgroup_fields; i++) {
		const struct cgroup_field *f = &cgroup_fields[i];
		const struct jin *in = f->group == CGG_EVENTS  ? &ev
				       : f->group == CGG_AVAIL ? &av
				       : f->group == CGG_STAT  ? &st
							       : &j;

		*cgroup_field_val(c, f) = jread_val(in, f->key);
	}
	c->nr_processes = clamp_int(jread_int(&j, "nr_processes", 0));
	c->avail.limited_by = -1;
	if (c->version == 2)
		psi_from(jget(&j, "psi"), &c->psi);
	else
		c->psi = (struct psi){.present = false, .err = OL_ENOTAPPL};
	c->combo =
	    c->version == 1 ? cg_combo_of(c->limit_bytes, c->kmem_limit_bytes) : CG_COMBO_UNKNOWN;
	c->has_limit = jread_bool(&j, "has_limit");
	trend_from(jget(&j, "trend"), &c->trend);
	sz = jin_of(jget(&j, "sizing"));
	c->seen_for_s = jdouble(&sz, "seen_for_s");
}

/* The links of cgroup i: limited_by, the victim's group, its parent and depth. */
static void
cgroup_links(json_object *o, struct snapshot *s, size_t i)
{
	struct jin j = jin_of(o), av = jin_of(jget(&j, "avail"));
	struct cgroup *c = &s->cgroups[i];
	const char *lb = jread_str(&av, "limited_by"), *group;
	char parent[4096];
	char *slash;

	c->avail.limited_by = lb && strcmp(lb, "host") != 0 ? find_cg(s, lb) : -1;
	victim_from(jget(&j, "next_victim"), &c->next_victim, &group);
	c->next_victim.group_cgroup = find_cg(s, group);

	/* The parent is the path without its last component, among the earlier cgroups. */
	snprintf(parent, sizeof(parent), "%s", c->path);
	slash = strrchr(parent, '/');
	if (!slash || strcmp(c->path, "/") == 0)
		return;
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	for (size_t k = 0; k < i; k++) {
		if (s->cgroups[k].version == c->version &&
		    strcmp(s->cgroups[k].path, parent) == 0) {
			c->parent = (int)k;
			c->depth = s->cgroups[k].depth + 1;
			break;
		}
	}
}

/* Field f of p from its member of j: the inverse of output.c's proc_json(). */
static void
proc_field_from(const struct jin *j, const struct proc_field *f, struct proc *p)
{
	char *at = (char *)p + f->off;
	const char *str;

	switch (f->kind) {
	case FK_INT:
		*(int *)at = clamp_int(jread_int(j, f->key, 0));
		break;
	case FK_U64:
		*(uint64_t *)at = jread_uint(j, f->key);
		break;
	case FK_VAL:
	case FK_BOOL:
		*(struct val *)at = jread_val(j, f->key);
		break;
	case FK_TEXT:
		*(char **)at = jtext(j, f->key, (int *)((char *)p + f->err_off));
		break;
	case FK_COMM: {
		char comm[PROC_COMM_MAX];

		jstr_copy(j, f->key, comm, sizeof(comm));
		proc_set_comm(p, comm, sizeof(comm));
		break;
	}
	case FK_STATE:
		str = jread_str(j, f->key);
		p->state = str && str[0] ? str[0] : '\0';
		break;
	case FK_SCORE_FROM:
		str = jread_str(j, f->key);
		if (str && strcmp(str, "counters") == 0)
			p->flags |= PROC_SCORE_COMPUTED;
		break;
	case FK_KTHREAD:
		if (jread_bool(j, f->key))
			p->flags |= PROC_KTHREAD;
		break;
	case FK_CONTAINER: /* snapshot_fill() interns the containers */
		break;
	}
}

/* One process, member by member of fields.c. */
static void
proc_from(json_object *o, const struct snapshot *s, struct proc *p)
{
	struct jin j = jin_of(o);

	p->flags = 0;
	for (size_t i = 0; i < n_proc_fields; i++)
		proc_field_from(&j, &proc_fields[i], p);
	if (p->pid == 1)
		p->flags |= PROC_INIT;
	p->cg = p->cgroup ? snap_find_cgroup(s, p->cgroup) : -1;
}

/* An array member's length, 0 when it is not an array. */
static size_t
jarray_len(json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* The whole document into s. */
static int
snapshot_fill(json_object *root, struct snapshot *s)
{
	struct jin j = jin_of(root);
	json_object *cgs = jget(&j, "cgroups"), *procs = jget(&j, "processes");
	json_object *events = jget(&j, "oom_events");
	const char *t = jread_str(&j, "time"), *mount, *kmsg;
	struct ct_table ct = {NULL, 0, 0};
	int *cg_ct, *proc_ct;

	if (!j.o)
		return -EINVAL;
	if (jread_int(&j, "schema", 0) != 1)
		return -ENOTSUP;
	if (!t || replay_parse_time(t, &s->wall) < 0 ||
	    !json_object_is_type(jget(&j, "host"), json_type_object))
		return -EINVAL;
	s->mono = s->wall;
	/* Which collector made it (schema 1 before issue 16: proc). */
	if (jread_str(&j, "collector") && strcmp(jread_str(&j, "collector"), "bpf") == 0)
		s->collector = COLLECTOR_BPF;
	if (jread_str(&j, "collector_reason"))
		snprintf(s->collector_why, sizeof(s->collector_why), "%s",
			 jread_str(&j, "collector_reason"));

	s->n_cgroups = jarray_len(cgs);
	s->cgroups = xcalloc(s->n_cgroups ? s->n_cgroups : 1, sizeof(*s->cgroups));
	for (size_t i = 0; i < s->n_cgroups; i++)
		cgroup_from(json_object_array_get_idx(cgs, i), &s->cgroups[i]);
	for (size_t i = 0; i < s->n_cgroups; i++)
		cgroup_links(json_object_array_get_idx(cgs, i), s, i);

	host_from(jget(&j, "host"), s);

	s->n_procs = jarray_len(procs);
	s->procs = xcalloc(s->n_procs ? s->n_procs : 1, sizeof(*s->procs));
	for (size_t i = 0; i < s->n_procs; i++)
		proc_from(json_object_array_get_idx(procs, i), s, &s->procs[i]);

	/* Containers: one entry each, which cgroups and processes then point into. */
	cg_ct = xcalloc(s->n_cgroups + 1, sizeof(*cg_ct));
	proc_ct = xcalloc(s->n_procs + 1, sizeof(*proc_ct));
	for (size_t i = 0; i < s->n_cgroups; i++) {
		struct jin c = jin_of(json_object_array_get_idx(cgs, i));

		cg_ct[i] = ct_intern(&ct, jget(&c, "container"));
	}
	for (size_t i = 0; i < s->n_procs; i++) {
		struct jin p = jin_of(json_object_array_get_idx(procs, i));

		proc_ct[i] = ct_intern(&ct, jget(&p, field_of_kind(FK_CONTAINER)->key));
	}
	s->containers = ct.c;
	s->n_containers = ct.n;
	for (size_t i = 0; i < s->n_cgroups; i++)
		s->cgroups[i].container = cg_ct[i] >= 0 ? &s->containers[cg_ct[i]] : NULL;
	for (size_t i = 0; i < s->n_procs; i++)
		s->procs[i].container = proc_ct[i] >= 0 ? &s->containers[proc_ct[i]] : NULL;
	free(cg_ct);
	free(proc_ct);

	s->n_events = jarray_len(events);
	s->events = xcalloc(s->n_events ? s->n_events : 1, sizeof(*s->events));
	for (size_t i = 0; i < s->n_events; i++)
		oom_event_from(json_object_array_get_idx(events, i), &s->events[i]);
	s->events_total = s->n_events;
	kmsg = jread_str(&j, "kmsg_error");
	s->kmsg_err = kmsg ? replay_reason_err(kmsg) : 0;

	s->cgroup_version = clamp_int(jread_int(&j, "cgroup_version", 0));
	mount = jread_str(&j, "cgroup_mount");
	s->cg_mount = jstr_raw(&j, "cgroup_mount");
	s->cg_err = mount ? 0
		    : jread_str(&j, "cgroup_error")
			? replay_reason_err(jread_str(&j, "cgroup_error"))
			: 0;
	s->vanished = (unsigned)jread_int(&j, "vanished", 0);
	s->read_errors = (unsigned)jread_int(&j, "read_errors", 0);
	return 0;
}

int
snapshot_from_json(const char *buf, size_t len, struct snapshot **out)
{
	json_tokener *tok;
	json_object *root;
	struct snapshot *s;
	int r;

	if (len > INT_MAX)
		return -EINVAL;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	tok = json_tokener_new_ex(64);
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_parse_end(tok) != len) {
		json_object_put(root);
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	s = xcalloc(1, sizeof(*s));
	r = snapshot_fill(root, s);
	json_object_put(root);
	if (r < 0) {
		snapshot_free(s);
		return r;
	}
	*out = s;
	return 0;
}

/* Digits of s[0..n) as a number; -1 if any is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
replay_parse_time(const char *s, struct timespec *out)
{
	int y, mo, d, h, mi, se;
	long ns = 0, scale = 100000000;
	const char *p;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':')
		return -EINVAL;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	se = digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || se < 0 || se > 60)
		return -EINVAL;
	p = s + 19;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -EINVAL;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			ns += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (strcmp(p, "Z") != 0)
		return -EINVAL;
	out->tv_sec = (time_t)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se);
	out->tv_nsec = ns;
	return 0;
}

/* The recording file ---------------------------------------------------- */

struct replay_entry {
	off_t offset;
	size_t len; /* without the newline */
	struct timespec time;
};

struct replay {
	int fd;
	struct replay_entry *e;
	size_t n, cap;
	size_t skipped;
};

/* The time of a snapshot line, from its leading {"schema":1,"time":"..."; -EINVAL if none. */
static int
line_time(const char *line, size_t len, struct timespec *t)
{
	static const char lead[] = "{\"schema\":1,\"time\":\"";
	char buf[64];
	const char *end;

	if (len < sizeof(lead) || memcmp(line, lead, sizeof(lead) - 1) != 0)
		return -EINVAL;
	line += sizeof(lead) - 1;
	len -= sizeof(lead) - 1;
	end = memchr(line, '"', len < sizeof(buf) ? len : sizeof(buf) - 1);
	if (!end)
		return -EINVAL;
	memcpy(buf, line, (size_t)(end - line));
	buf[end - line] = '\0';
	return replay_parse_time(buf, t);
}

/* Index the lines after the header. */
static int
replay_index(struct replay *r, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	off_t off = 0;
	bool first = true;
	int format, err = 0;

	while ((len = getline(&line, &cap, f)) > 0) {
		struct timespec t;
		off_t here = off;
		size_t body = (size_t)len;

		off += len;
		if (body > 0 && line[body - 1] == '\n')
			body--;
		if (first) {
			first = false;
			if (record_parse_header(line, body, &format) < 0 ||
			    format != RECORD_FORMAT) {
				err = -EINVAL;
				break;
			}
			continue;
		}
		if (line_time(line, body, &t) < 0) {
			r->skipped++;
			continue;
		}
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 64;
			r->e = xrealloc(r->e, r->cap * sizeof(*r->e));
		}
		r->e[r->n++] = (struct replay_entry){.offset = here, .len = body, .time = t};
	}
	if (!err && ferror(f))
		err = -EIO;
	if (!err && first)
		err = -EINVAL;
	free(line);
	return err;
}

int
replay_open(const char *path, struct replay **out)
{
	struct replay *r;
	FILE *f;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	f = fdopen(dup(fd), "r");
	if (!f) {
		err = -errno;
		close(fd);
		return err;
	}
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	err = replay_index(r, f);
	fclose(f);
	if (!err && r->n == 0)
		err = -ENODATA;
	if (err) {
		replay_free(r);
		return err;
	}
	*out = r;
	return 0;
}

void
replay_free(struct replay *r)
{
	if (!r)
		return;
	close(r->fd);
	free(r->e);
	free(r);
}

size_t
replay_count(const struct replay *r)
{
	return r->n;
}

size_t
replay_skipped(const struct replay *r)
{
	return r->skipped;
}

struct timespec
replay_time(const struct replay *r, size_t i)
{
	return r->e[i].time;
}

/* a before or at b. */
static bool
ts_le(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

size_t
replay_find_time(const struct replay *r, const struct timespec *t)
{
	size_t lo = 0, hi = r->n;

	/* The first entry after t, minus one; entries are in recording order. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ts_le(&r->e[mid].time, t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? lo - 1 : 0;
}

int
replay_load(const struct replay *r, size_t i, struct snapshot **out)
{
	const struct replay_entry *e;
	char *buf;
	size_t got = 0;
	int err;

	if (i >= r->n)
		return -ERANGE;
	e = &r->e[i];
	buf = xmalloc(e->len ? e->len : 1);
	while (got < e->len) {
		ssize_t n = pread(r->fd, buf + got, e->len - got, e->offset + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			free(buf);
			return err;
		}
		got += (size_t)n;
	}
	err = snapshot_from_json(buf, e->len, out);
	free(buf);
	return err;
}
