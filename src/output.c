/*
 * output.c - the batch snapshot as text (in the manner of top -b), JSON
 * (schema 1, the contract in doc/oomlens.1) and CSV, and the process sort
 * orders the UI shares.  It only reads a const snapshot; every string that
 * came from the kernel goes through textsafe before it is written.
 */
#include "config.h"

#include "output.h"

#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>

#include "events_out.h"
#include "output_csv.h"
#include "fields.h"
#include "json.h"
#include "out_format.h"
#include "prometheus.h"
#include "sort.h"
#include "textsafe.h"
#include "util.h"

/* Shared helpers ------------------------------------------------------- */

/* The name of an overcommit_memory mode. */
static const char *
overcommit_name(struct val v)
{
	if (v.state != VAL_OK)
		return "";
	switch (v.v) {
	case 0:
		return "heuristic";
	case 1:
		return "always";
	case 2:
		return "strict";
	default:
		return "unknown mode";
	}
}

/* CommitLimit - Committed_AS, the real headroom in strict mode. */
static struct val
commit_headroom(const struct host *h)
{
	if (h->commit_limit_kb.state != VAL_OK)
		return h->commit_limit_kb;
	if (h->committed_as_kb.state != VAL_OK)
		return h->committed_as_kb;
	return val_ok(h->commit_limit_kb.v - h->committed_as_kb.v);
}

/* JSON ----------------------------------------------------------------- */

/* Hundredths as a number with two decimals (123 -> "1.23"), exactly. */
static void
format_hundredths(char *out, size_t outsz, int64_t hundredths)
{
	uint64_t a = hundredths < 0 ? -(uint64_t)hundredths : (uint64_t)hundredths;

	snprintf(out, outsz, "%s%" PRIu64 ".%02" PRIu64, hundredths < 0 ? "-" : "", a / 100,
		 a % 100);
}

/* A percentage kept in hundredths, as a float with two decimals. */
static json_object *
jpercent(int64_t hundredths)
{
	char buf[32];

	format_hundredths(buf, sizeof(buf), hundredths);
	return json_object_new_double_s((double)hundredths / 100.0, buf);
}

/* A PSI percentage field. */
static void
jadd_pct(struct jobj *j, const char *key, struct val v)
{
	if (v.state == VAL_OK) {
		json_object_object_add(j->o, key, jpercent(v.v));
	} else {
		json_object_object_add(j->o, key, NULL);
		jobj_explain(j, key, v);
	}
}

/* One PSI line, or NULL (null) when the kernel reports none of it. */
static json_object *
psi_line_json(const struct psi_line *l)
{
	struct jobj j;

	if (l->avg10.state != VAL_OK && l->avg60.state != VAL_OK && l->avg300.state != VAL_OK &&
	    l->total_us.state != VAL_OK)
		return NULL;
	j = jobj_new();
	jadd_pct(&j, "avg10", l->avg10);
	jadd_pct(&j, "avg60", l->avg60);
	jadd_pct(&j, "avg300", l->avg300);
	jadd_val(&j, "total_us", l->total_us);
	return jobj_done(&j);
}

/* {some, full}; a line the kernel does not report is null, with the reason. */
static json_object *
psi_json(const struct psi *p)
{
	struct jobj j = jobj_new();
	json_object *some = p->present ? psi_line_json(&p->some) : NULL;
	json_object *full = p->present ? psi_line_json(&p->full) : NULL;

	json_object_object_add(j.o, "some", some);
	json_object_object_add(j.o, "full", full);
	if (!some)
		jobj_explain(&j, "some", p->present ? p->some.avg10 : val_unknown(p->err));
	if (!full)
		jobj_explain(&j, "full", p->present ? p->full.avg10 : val_unknown(p->err));
	return jobj_done(&j);
}

/* A victim: {pid, start_ticks, comm, points, ...}, or NULL when there is none. */
static json_object *
victim_json(const struct snapshot *s, const struct victim *v)
{
	json_object *o;

	if (v->pid <= 0)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "pid", json_object_new_int64(v->pid));
	json_object_object_add(o, "start_ticks", json_object_new_uint64(v->start_ticks));
	json_object_object_add(o, "comm", json_text(v->comm));
	json_object_object_add(o, "points", json_object_new_int64(v->points));
	json_object_object_add(o, "whole_group", json_object_new_boolean(v->whole_group));
	if (v->whole_group && v->group_cgroup >= 0 && (size_t)v->group_cgroup < s->n_cgroups)
		json_object_object_add(o, "group_cgroup",
				       json_text(s->cgroups[v->group_cgroup].path));
	else
		json_object_object_add(o, "group_cgroup", NULL);
	return o;
}

/* The host object: the contract keys first, then the inputs behind them. */
static json_object *
host_json(const struct snapshot *s)
{
	const struct host *h = &s->host;
	struct jobj j = jobj_new();

	jadd_val(&j, "mem_total_kb", h->mem_total_kb);
	jadd_val(&j, "mem_free_kb", h->mem_free_kb);
	jadd_val(&j, "page_cache_kb", h->page_cache_kb);
	jadd_val(&j, "swap_total_kb", h->swap_total_kb);
	jadd_val(&j, "swap_free_kb", h->swap_free_kb);
	jadd_val(&j, "swap_cache_kb", h->swap_cache_kb);
	jadd_val(&j, "dentry_cache_kb", h->dentry_cache_kb);
	jadd_val(&j, "inode_cache_kb", h->inode_cache_kb);
	jadd_val(&j, "vm_enough_kb", h->vm_enough_kb);
	jadd_val(&j, "shmem_kb", h->shmem_kb);
	jadd_val(&j, "avail_now_kb", h->avail_now_kb);
	jadd_val(&j, "mem_available_kb", h->mem_available_kb);
	jadd_val(&j, "commit_limit_kb", h->commit_limit_kb);
	jadd_val(&j, "committed_as_kb", h->committed_as_kb);
	jadd_val(&j, "overcommit_memory", h->overcommit_memory);
	json_object_object_add(j.o, "psi", psi_json(&h->psi));
	jadd_val(&j, "oom_kill", h->oom_kill);

	jadd_val(&j, "commit_headroom_kb", commit_headroom(h));
	jadd_val(&j, "overcommit_ratio", h->overcommit_ratio);
	jadd_val(&j, "overcommit_kbytes", h->overcommit_kbytes);
	jadd_val(&j, "user_reserve_kb", h->user_reserve_kb);
	jadd_val(&j, "oom_kill_allocating_task", h->oom_kill_allocating_task);
	jadd_val(&j, "panic_on_oom", h->panic_on_oom);
	jadd_val(&j, "vm_swappiness", h->vm_swappiness);
	jadd_val(&j, "cached_kb", h->cached_kb);
	jadd_val(&j, "buffers_kb", h->buffers_kb);
	jadd_val(&j, "slab_reclaimable_kb", h->slab_reclaimable_kb);
	jadd_val(&j, "active_file_kb", h->active_file_kb);
	jadd_val(&j, "inactive_file_kb", h->inactive_file_kb);
	jadd_val(&j, "dentry_unused", h->dentry_unused);
	jadd_val(&j, "dentry_obj_size", h->dentry_obj_size);
	json_object_object_add(j.o, "dentry_size_guessed",
			       json_object_new_boolean(h->dentry_size_guessed));
	jadd_val(&j, "inode_free", h->inode_free);
	jadd_val(&j, "inode_obj_size", h->inode_obj_size);
	json_object_object_add(j.o, "inode_size_guessed",
			       json_object_new_boolean(h->inode_size_guessed));
	jadd_val(&j, "totalpages", h->totalpages);
	json_object_object_add(j.o, "oom_score_formula",
			       json_object_new_string(h->oom_score_v59 ? "5.9+" : "pre-5.9"));
	json_object_object_add(j.o, "kernel_release", json_text(h->kernel_release));
	jadd_int(&j, "page_size", h->page_size);
	jadd_int(&j, "clk_tck", h->clk_tck);
	json_object_object_add(j.o, "next_victim", victim_json(s, &s->host_victim));
	json_object_object_add(j.o, "trend", trend_json(&s->host_trend));
	return jobj_done(&j);
}

/* The cgroup's values of group g (fields.c), in their order. */
static void
cgroup_vals_json(struct jobj *j, const struct cgroup *c, enum cg_group g)
{
	for (size_t i = 0; i < n_cgroup_fields; i++) {
		const struct cgroup_field *f = &cgroup_fields[i];
		struct val v = cgroup_field_get(c, f);

		if (f->group != g)
			continue;
		if (f->boolean)
			jadd_bool(j, f->key, v);
		else
			jadd_val(j, f->key, v);
	}
}

/* One cgroup: the contract keys first, then counters and memory.stat. */
static json_object *
cgroup_json(const struct snapshot *s, const struct cgroup *c)
{
	struct jobj j = jobj_new(), ev = jobj_new(), av = jobj_new(), st = jobj_new();
	int lb = c->avail.limited_by;

	json_object_object_add(j.o, "path", json_text(c->path));
	jadd_int(&j, "version", c->version);
	cgroup_vals_json(&j, c, CGG_TOP);
	cgroup_vals_json(&ev, c, CGG_EVENTS);
	json_object_object_add(j.o, "oom_events", jobj_done(&ev));
	jadd_int(&j, "nr_processes", c->nr_processes);
	cgroup_vals_json(&av, c, CGG_AVAIL);
	if (lb >= 0 && (size_t)lb < s->n_cgroups)
		json_object_object_add(av.o, "limited_by", json_text(s->cgroups[lb].path));
	else
		json_object_object_add(av.o, "limited_by", json_object_new_string("host"));
	json_object_object_add(j.o, "avail", jobj_done(&av));
	cgroup_vals_json(&j, c, CGG_TOP2);
	cgroup_vals_json(&st, c, CGG_STAT);
	json_object_object_add(j.o, "stat", jobj_done(&st));
	if (c->version == 2)
		json_object_object_add(j.o, "psi", psi_json(&c->psi));
	else
		jadd_val(&j, "psi", val_na()); /* memory.pressure is a v2 file */
	json_object_object_add(j.o, "has_limit", json_object_new_boolean(c->has_limit));
	json_object_object_add(j.o, "next_victim", victim_json(s, &c->next_victim));
	json_object_object_add(j.o, "container", container_json(c->container));
	cgroup_vals_json(&j, c, CGG_TOP3);
	json_object_object_add(j.o, "trend", trend_json(&c->trend));
	json_object_object_add(j.o, "sizing", sizing_json(s, (int)(c - s->cgroups)));
	return jobj_done(&j);
}

/* One process: the members of fields.c in their order. */
static json_object *
proc_json(const struct proc *p)
{
	struct jobj j = jobj_new();

	for (size_t i = 0; i < n_proc_fields; i++) {
		const struct proc_field *f = &proc_fields[i];
		char state[2] = {p->state, '\0'};

		switch (f->kind) {
		case FK_INT:
			jadd_int(&j, f->key, field_int(p, f));
			break;
		case FK_U64:
			json_object_object_add(j.o, f->key,
					       json_object_new_uint64(field_u64(p, f)));
			break;
		case FK_VAL:
			jadd_val(&j, f->key, field_val(p, f));
			break;
		case FK_BOOL:
			jadd_bool(&j, f->key, field_val(p, f));
			break;
		case FK_TEXT:
			jadd_text(&j, f->key, field_text(p, f), field_err(p, f));
			break;
		case FK_COMM:
			json_object_object_add(j.o, f->key, json_text(proc_comm(p)));
			break;
		case FK_STATE:
			if (p->state)
				json_object_object_add(j.o, f->key, json_text(state));
			else
				jadd_val(&j, f->key, val_unknown(OL_EPARSE));
			break;
		case FK_SCORE_FROM:
			json_object_object_add(j.o, f->key, json_text(field_score_from(p)));
			break;
		case FK_KTHREAD:
			json_object_object_add(j.o, f->key,
					       json_object_new_boolean(p->flags & PROC_KTHREAD));
			break;
		case FK_CONTAINER:
			json_object_object_add(j.o, f->key, container_json(p->container));
			break;
		}
	}
	return jobj_done(&j);
}

/* The whole document, with the processes in the order of sort key k. */
static json_object *
snapshot_json_sorted(const struct snapshot *s, enum sort_key k)
{
	json_object *root = json_object_new_object();
	json_object *cgs = json_object_new_array_ext((int)s->n_cgroups);
	json_object *procs = json_object_new_array_ext((int)s->n_procs);
	size_t *idx = xcalloc(s->n_procs ? s->n_procs : 1, sizeof(*idx));
	char t[48];

	output_format_time(t, sizeof(t), &s->wall);
	json_object_object_add(root, "schema", json_object_new_int(1));
	json_object_object_add(root, "time", json_object_new_string(t));
	/* After schema and time, which a recording's index reads as the line's start. */
	json_object_object_add(root, "collector",
			       json_text(s->collector == COLLECTOR_BPF ? "bpf" : "proc"));
	json_object_object_add(root, "collector_reason",
			       s->collector_why[0] ? json_text(s->collector_why) : NULL);
	json_object_object_add(root, "host", host_json(s));
	for (size_t i = 0; i < s->n_cgroups; i++)
		json_object_array_add(cgs, cgroup_json(s, &s->cgroups[i]));
	json_object_object_add(root, "cgroups", cgs);
	sort_procs(s, idx, k, false);
	for (size_t i = 0; i < s->n_procs; i++)
		json_object_array_add(procs, proc_json(&s->procs[idx[i]]));
	free(idx);
	json_object_object_add(root, "processes", procs);
	json_object_object_add(root, "cgroup_version", json_object_new_int(s->cgroup_version));
	json_object_object_add(root, "cgroup_mount", s->cg_mount ? json_text(s->cg_mount) : NULL);
	if (!s->cg_mount)
		json_object_object_add(root, "cgroup_error",
				       json_object_new_string(val_reason(val_unknown(s->cg_err))));
	json_object_object_add(root, "vanished", json_object_new_int64(s->vanished));
	json_object_object_add(root, "read_errors", json_object_new_int64(s->read_errors));
	json_object_object_add(root, "oom_events", oom_events_json(s));
	json_object_object_add(root, "kmsg_error", s->kmsg_err ? json_object_new_string(val_reason(
							      val_unknown(s->kmsg_err)))
							: NULL);
	return root;
}

json_object *
snapshot_to_json(const struct snapshot *s)
{
	return snapshot_json_sorted(s, SORT_OOM_SCORE);
}

/*
 * Streamed JSON.  `--format json` writes the process rows straight to the
 * stream instead of building a json-c object for each (25 members, a hash
 * table and an allocation per member): at 20,000 processes that tree cost
 * more CPU than reading /proc.  The bytes are the same as json-c's
 * JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE rendering of
 * snapshot_to_json() (tests/test_json_stream.c checks it); the small host
 * and cgroup objects still go through json-c.
 */

/* proc_json(), streamed: the same members in the same order. */
static void
proc_stream(FILE *f, const struct proc *p)
{
	struct jrow r = {.f = f, .first = true};
	char state[2] = {p->state, '\0'};

	putc('{', f);
	for (size_t i = 0; i < n_proc_fields; i++) {
		const struct proc_field *fl = &proc_fields[i];

		switch (fl->kind) {
		case FK_INT:
			jw_int(&r, fl->key, field_int(p, fl));
			break;
		case FK_U64:
			jw_uint(&r, fl->key, field_u64(p, fl));
			break;
		case FK_VAL:
			jw_val(&r, fl->key, field_val(p, fl));
			break;
		case FK_BOOL:
			jw_bool(&r, fl->key, field_val(p, fl));
			break;
		case FK_TEXT:
			jw_text(&r, fl->key, field_text(p, fl), field_err(p, fl));
			break;
		case FK_COMM:
			jw_key(&r, fl->key);
			jw_str(f, proc_comm(p));
			break;
		case FK_STATE:
			if (p->state) {
				jw_key(&r, fl->key);
				jw_str(f, state);
			} else {
				jw_val(&r, fl->key, val_unknown(OL_EPARSE));
			}
			break;
		case FK_SCORE_FROM:
			jw_key(&r, fl->key);
			jw_str(f, field_score_from(p));
			break;
		case FK_KTHREAD:
			jw_key(&r, fl->key);
			fputs(p->flags & PROC_KTHREAD ? "true" : "false", f);
			break;
		case FK_CONTAINER:
			jw_key(&r, fl->key);
			jw_put_obj(f, container_json(p->container));
			break;
		}
	}
	jw_done(&r);
}

/* The document snapshot_json_sorted() builds, written as it goes. */
static void
snapshot_stream(FILE *f, const struct snapshot *s, enum sort_key k)
{
	json_object *cgs = json_object_new_array_ext((int)s->n_cgroups);
	size_t *idx = xcalloc(s->n_procs ? s->n_procs : 1, sizeof(*idx));
	char t[48];

	output_format_time(t, sizeof(t), &s->wall);
	fputs("{\"schema\":1,\"time\":", f);
	jw_str(f, t);
	fputs(",\"collector\":", f);
	jw_str(f, s->collector == COLLECTOR_BPF ? "bpf" : "proc");
	fputs(",\"collector_reason\":", f);
	if (s->collector_why[0])
		jw_str(f, s->collector_why);
	else
		fputs("null", f);
	fputs(",\"host\":", f);
	jw_put_obj(f, host_json(s));
	for (size_t i = 0; i < s->n_cgroups; i++)
		json_object_array_add(cgs, cgroup_json(s, &s->cgroups[i]));
	fputs(",\"cgroups\":", f);
	jw_put_obj(f, cgs);
	fputs(",\"processes\":[", f);
	sort_procs(s, idx, k, false);
	for (size_t i = 0; i < s->n_procs; i++) {
		if (i)
			putc(',', f);
		proc_stream(f, &s->procs[idx[i]]);
	}
	free(idx);
	fprintf(f, "],\"cgroup_version\":%d,\"cgroup_mount\":", s->cgroup_version);
	if (s->cg_mount) {
		jw_str(f, s->cg_mount);
	} else {
		fputs("null,\"cgroup_error\":", f);
		jw_str(f, val_reason(val_unknown(s->cg_err)));
	}
	fprintf(f, ",\"vanished\":%" PRId64 ",\"read_errors\":%" PRId64 ",\"oom_events\":",
		(int64_t)s->vanished, (int64_t)s->read_errors);
	jw_put_obj(f, oom_events_json(s));
	fputs(",\"kmsg_error\":", f);
	if (s->kmsg_err)
		jw_str(f, val_reason(val_unknown(s->kmsg_err)));
	else
		fputs("null", f);
	putc('}', f);
}

/* Text ----------------------------------------------------------------- */

/* A size in kB for people: 512K, 23.4G; "-" unknown, "max", "n/a". */
static const char *
human_kb(char *out, size_t outsz, struct val v)
{
	static const char units[] = "KMGTPE";
	double x;
	size_t u = 0;

	if (v.state == VAL_MAX)
		return "max";
	if (v.state == VAL_NA)
		return "n/a";
	if (v.state != VAL_OK)
		return "-";
	if (v.v < 1024 && v.v > -1024) {
		snprintf(out, outsz, "%" PRId64 "K", v.v);
		return out;
	}
	x = (double)v.v;
	while ((x >= 1024.0 || x <= -1024.0) && u + 1 < sizeof(units) - 1) {
		x /= 1024.0;
		u++;
	}
	snprintf(out, outsz, "%.1f%c", x, units[u]);
	return out;
}

/* A size in bytes for people: 900B, 1.5G. */
static const char *
human_bytes(char *out, size_t outsz, struct val v)
{
	if (v.state == VAL_OK && v.v < 1024 && v.v > -1024) {
		snprintf(out, outsz, "%" PRId64 "B", v.v);
		return out;
	}
	if (v.state == VAL_OK)
		v.v /= 1024;
	return human_kb(out, outsz, v);
}

/* A plain number: "-" unknown, "max", "n/a". */
static const char *
num(char *out, size_t outsz, struct val v)
{
	if (v.state == VAL_MAX)
		return "max";
	if (v.state == VAL_NA)
		return "n/a";
	if (v.state != VAL_OK)
		return "-";
	snprintf(out, outsz, "%" PRId64, v.v);
	return out;
}

/* A value for the header: the human size, or "-" with the reason in parentheses. */
static void
put_hkb(FILE *f, const char *label, struct val v)
{
	char b[32];

	if (v.state == VAL_UNKNOWN)
		fprintf(f, "%s - (%s)", label, val_reason(v));
	else
		fprintf(f, "%s %s", label, human_kb(b, sizeof(b), v));
}

/* A PSI percentage in hundredths as 1.23, or "-". */
static const char *
pct(char *out, size_t outsz, struct val v)
{
	if (v.state != VAL_OK)
		return "-";
	format_hundredths(out, outsz, v.v);
	return out;
}

/* One PSI line of the header. */
static void
put_psi(FILE *f, const char *label, const struct psi *p, const struct psi_line *l)
{
	char a[32], b[32], c[32], t[32];

	if (!p->present) {
		fprintf(f, "%s - (%s)", label, val_reason(val_unknown(p->err)));
		return;
	}
	fprintf(f, "%s %s %s %s total %sus", label, pct(a, sizeof(a), l->avg10),
		pct(b, sizeof(b), l->avg60), pct(c, sizeof(c), l->avg300),
		num(t, sizeof(t), l->total_us));
}

/* The header block: the host's components, what today's kernel uses, and the next victim. */
static void
text_header(FILE *f, const struct snapshot *s)
{
	const struct host *h = &s->host;
	char t[48], b[32], r[32];
	char *rel = text_escape_dup(h->kernel_release);

	output_format_time(t, sizeof(t), &s->wall);
	fprintf(f, "oomlens %s - %s, kernel %s, oom_score formula %s, ", PACKAGE_VERSION, t, rel,
		h->oom_score_v59 ? "5.9+" : "pre-5.9");
	free(rel);
	fprintf(f, "collector %s%s%s%s, ", s->collector == COLLECTOR_BPF ? "bpf" : "proc",
		s->collector_why[0] ? " (" : "", s->collector_why, s->collector_why[0] ? ")" : "");
	if (s->cgroup_version && s->cg_mount) {
		char *m = text_escape_dup(s->cg_mount);

		fprintf(f, "memory cgroup v%d at %s\n", s->cgroup_version, m);
		free(m);
	} else {
		fprintf(f, "no memory cgroup (%s)\n", val_reason(val_unknown(s->cg_err)));
	}

	fputs("2.4 vm_enough:", f);
	put_hkb(f, " free", h->mem_free_kb);
	put_hkb(f, " + cache", h->page_cache_kb);
	put_hkb(f, " + swap free", h->swap_free_kb);
	put_hkb(f, " + swap cache", h->swap_cache_kb);
	put_hkb(f, " + dentries", h->dentry_cache_kb);
	if (h->dentry_size_guessed)
		fputs(" (size guessed)", f);
	put_hkb(f, " + inodes", h->inode_cache_kb);
	if (h->inode_size_guessed)
		fputs(" (size guessed)", f);
	put_hkb(f, " =", h->vm_enough_kb);
	put_hkb(f, "; less Shmem", h->shmem_kb);
	put_hkb(f, " (never droppable) =", h->avail_now_kb);
	fputc('\n', f);

	put_hkb(f, "Mem:", h->mem_total_kb);
	fputs(" total,", f);
	put_hkb(f, " available", h->mem_available_kb);
	put_hkb(f, ", buffers", h->buffers_kb);
	put_hkb(f, ", reclaimable slab", h->slab_reclaimable_kb);
	fputc('\n', f);

	put_hkb(f, "Swap:", h->swap_total_kb);
	fputs(" total,", f);
	put_hkb(f, " free", h->swap_free_kb);
	put_hkb(f, ", cached", h->swap_cache_kb);
	fputc('\n', f);

	put_hkb(f, "Commit: limit", h->commit_limit_kb);
	put_hkb(f, ", committed", h->committed_as_kb);
	put_hkb(f, ", headroom", commit_headroom(h));
	if (!val_is_ok(h->overcommit_memory) || h->overcommit_memory.v != 2)
		fputs(" (not a limit: the kernel enforces it only with overcommit_memory 2)", f);
	if (h->overcommit_memory.state == VAL_OK)
		fprintf(f, ", overcommit_memory %s (%s)\n", num(b, sizeof(b), h->overcommit_memory),
			overcommit_name(h->overcommit_memory));
	else
		fprintf(f, ", overcommit_memory - (%s)\n", val_reason(h->overcommit_memory));

	put_psi(f, "PSI some", &h->psi, &h->psi.some);
	put_psi(f, ", full", &h->psi, &h->psi.full);
	fputc('\n', f);

	if (h->oom_kill.state == VAL_OK)
		fprintf(f, "OOM kills: %s", num(b, sizeof(b), h->oom_kill));
	else
		fprintf(f, "OOM kills: - (%s)", val_reason(h->oom_kill));
	if (s->host_victim.pid > 0) {
		char *c = text_escape_dup(s->host_victim.comm);

		fprintf(f, ", next victim: %d (%s) KBAD %" PRId64 " points", (int)s->host_victim.pid, c,
			s->host_victim.points);
		free(c);
	} else {
		fputs(", next victim: none", f);
	}
	fprintf(f, ", totalpages %s\n", num(r, sizeof(r), h->totalpages));
	fprintf(f,
		"Processes: %zu, vanished %u, read errors %u;"
		" * next host victim, ! the oom_score from KBAD disagrees with OOM\n",
		s->n_procs, s->vanished, s->read_errors);
}

/* usage as a percentage of limit, or "-". */
static const char *
percent_of(char *out, size_t outsz, struct val usage, struct val limit)
{
	if (usage.state != VAL_OK || limit.state != VAL_OK || limit.v <= 0)
		return "-";
	snprintf(out, outsz, "%.1f", (double)usage.v * 100.0 / (double)limit.v);
	return out;
}

/* A line for each cgroup that has a limit of its own. */
static void
text_cgroups(FILE *f, const struct snapshot *s)
{
	bool any = false;

	for (size_t i = 0; i < s->n_cgroups; i++) {
		const struct cgroup *c = &s->cgroups[i];
		char u[32], l[32], p[32], m[32], r[32], k[32], a[32];
		char *path;

		if (!c->has_limit)
			continue;
		if (!any)
			fprintf(f, "\n%8s %8s %6s %8s %8s %7s %8s %s\n", "USAGE", "LIMIT", "%LIM",
				"MEM+SWAP", "RESERV", "OOMKILL", "AVAIL", "CGROUP");
		any = true;
		path = text_escape_dup(c->path);
		fprintf(f, "%8s %8s %6s %8s %8s %7s %8s %s\n",
			human_bytes(u, sizeof(u), c->usage_bytes),
			human_bytes(l, sizeof(l), c->limit_bytes),
			percent_of(p, sizeof(p), c->usage_bytes, c->limit_bytes),
			human_bytes(m, sizeof(m), c->swap_limit_bytes),
			human_bytes(r, sizeof(r), c->reservation_bytes),
			num(k, sizeof(k), c->ev_oom_kill),
			human_bytes(a, sizeof(a), c->avail.available_bytes), path);
		free(path);
	}
}

/* A small per-call cache of user names, so getpwuid runs once per uid. */
struct user_cache {
	struct {
		uid_t uid;
		char name[32];
	} e[64];
	size_t n;
};

/* The user name of uid (escaped, at most 8 columns as top shows it), or the number. */
static const char *
user_name(struct user_cache *uc, struct val uid, char *out, size_t outsz)
{
	struct passwd *pw;
	size_t slot;
	int saved_errno;

	if (uid.state != VAL_OK)
		return "-";
	for (size_t i = 0; i < uc->n; i++)
		if (uc->e[i].uid == (uid_t)uid.v)
			return uc->e[i].name;
	saved_errno = errno; /* a failed write's errno must survive the lookup */
	pw = getpwuid((uid_t)uid.v);
	errno = saved_errno;
	slot = uc->n < ARRAY_SIZE(uc->e) ? uc->n++ : ARRAY_SIZE(uc->e) - 1;
	uc->e[slot].uid = (uid_t)uid.v;
	if (pw && pw->pw_name) {
		char *name = uc->e[slot].name;
		size_t cut = 7;

		text_escape(name, sizeof(uc->e[slot].name), pw->pw_name, strlen(pw->pw_name));
		if (strlen(name) > 8) {
			while (cut > 0 && ((unsigned char)name[cut] & 0xc0) == 0x80)
				cut--;
			name[cut] = '+';
			name[cut + 1] = '\0';
		}
	} else {
		snprintf(uc->e[slot].name, sizeof(uc->e[slot].name), "%" PRId64, uid.v);
	}
	snprintf(out, outsz, "%s", uc->e[slot].name);
	return out;
}

/*
 * One row of the text process table; with f NULL only widen w[] to its
 * values, so the columns stay aligned whatever a value's length.
 */
static void
text_proc_row(FILE *f, const struct snapshot *s, const struct proc *p, struct user_cache *uc,
	      int *w)
{
	char c[9][32], pid[16], comm[PROC_COMM_MAX * 8 + 1];
	const char *v[9];
	bool victim = s->host_victim.pid > 0 && s->host_victim.pid == p->pid &&
		      s->host_victim.start_ticks == p->start_ticks;
	bool disagree = p->oom_score_agrees.state == VAL_OK && p->oom_score_agrees.v == 0;

	snprintf(pid, sizeof(pid), "%d", (int)p->pid);
	v[0] = pid;
	v[1] = user_name(uc, p->uid, c[1], sizeof(c[1]));
	v[2] = num(c[2], sizeof(c[2]), p->vm_size_kb);
	v[3] = num(c[3], sizeof(c[3]), p->rss_kb);
	v[4] = num(c[4], sizeof(c[4]), p->swap_kb);
	v[5] = num(c[5], sizeof(c[5]), p->oom_score);
	v[6] = num(c[6], sizeof(c[6]), p->oom_score_adj);
	v[7] = num(c[7], sizeof(c[7]), p->badness_gorman);
	v[8] = num(c[8], sizeof(c[8]), p->badness_kernel);
	if (!f) {
		for (int i = 0; i < 9; i++)
			if ((int)strlen(v[i]) > w[i])
				w[i] = (int)strlen(v[i]);
		return;
	}
	text_escape(comm, sizeof(comm), proc_comm(p), strlen(proc_comm(p)));
	fprintf(f, "%c%*s %-*s %*s %*s %*s %*s %*s %*s %*s%c %s\n", victim ? '*' : ' ', w[0], v[0],
		w[1], v[1], w[2], v[2], w[3], v[3], w[4], v[4], w[5], v[5], w[6], v[6], w[7], v[7],
		w[8], v[8], disagree ? '!' : ' ', comm);
}

/* The process table, in the manner of top -b. */
static void
text_procs(FILE *f, const struct snapshot *s, enum sort_key k)
{
	size_t *idx = xcalloc(s->n_procs ? s->n_procs : 1, sizeof(*idx));
	struct user_cache *uc = xcalloc(1, sizeof(*uc));
	/* PID USER VIRT RES SWAP OOM ADJ GORMAN KBAD: at least these, wider for wider values. */
	int w[9] = {7, 8, 9, 9, 8, 5, 5, 9, 10};

	sort_procs(s, idx, k, false);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			fprintf(f, "\n %*s %-*s %*s %*s %*s %*s %*s %*s %*s  %s\n", w[0], "PID", w[1],
				"USER", w[2], "VIRT", w[3], "RES", w[4], "SWAP", w[5], "OOM", w[6],
				"ADJ", w[7], "GORMAN", w[8], "KBAD", "COMMAND");
		for (size_t i = 0; i < s->n_procs; i++)
			text_proc_row(pass ? f : NULL, s, &s->procs[idx[i]], uc, w);
	}
	free(uc);
	free(idx);
}

int
output_snapshot(FILE *f, const struct snapshot *s, enum out_format fmt, enum sort_key k,
		bool csv_header)
{
	if ((unsigned)k >= SORT__COUNT)
		k = SORT_OOM_SCORE;
	errno = 0;
	switch (fmt) {
	case FMT_JSON:
		snapshot_stream(f, s, k);
		fputc('\n', f);
		break;
	case FMT_CSV:
		csv_snapshot(f, s, k, csv_header);
		break;
	case FMT_PROMETHEUS:
		return prom_write(f, s, PROM_TOP_PROCS);
	default:
		text_header(f, s);
		text_cgroups(f, s);
		fputc('\n', f);
		oom_events_text(f, s, 5);
		text_procs(f, s, k);
		break;
	}
	if (fflush(f) == EOF || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}
