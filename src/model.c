/*
 * model.c - the few functions that belong to the snapshot itself: freeing
 * it, finding things in it, saying why a value is unknown, and the little
 * arithmetic of values every module shares (kB to bytes, a difference
 * clamped at 0, the smaller of two, a saturating sum).
 */
#include "config.h"

#include "model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rstr.h"

const char *
val_reason(struct val x)
{
	switch (x.state) {
	case VAL_OK:
		return "";
	case VAL_MAX:
		return "unlimited";
	case VAL_NA:
		return "not available on this cgroup version";
	default:
		break;
	}
	switch (x.err) {
	case 0:
		return "not collected";
	case OL_EPARSE:
		return "unparsable";
	case OL_EMISSING:
		return "not reported by this kernel";
	case OL_ENOTAPPL:
		return "does not apply";
	case OL_ENOTCMP:
		return "not compared (bpf collector)";
	default:
		return strerror(x.err);
	}
}

struct val
val_kb_to_bytes(struct val kb)
{
	if (kb.state != VAL_OK)
		return kb;
	if (kb.v > INT64_MAX / 1024)
		return val_ok(INT64_MAX);
	return val_ok(kb.v * 1024);
}

#define VAL_PACK_CODES 0x10000 /* [INT32_MIN, INT32_MIN + 0x10000): not a number */

bool
val_pack32(struct val x, int32_t *out)
{
	if (x.state == VAL_OK) {
		if (x.v < (int64_t)INT32_MIN + VAL_PACK_CODES || x.v > INT32_MAX)
			return false;
		*out = (int32_t)x.v;
		return true;
	}
	if (x.state < 0 || x.state > 3 || x.err < 0 || x.err >= 1 << 14)
		return false;
	*out = (int32_t)((int64_t)INT32_MIN + (x.state << 14 | x.err));
	return true;
}

struct val
val_unpack32(int32_t k)
{
	int code;

	if ((int64_t)k >= (int64_t)INT32_MIN + VAL_PACK_CODES)
		return val_ok(k);
	code = (int)((int64_t)k - INT32_MIN);
	switch (code >> 14) {
	case VAL_MAX:
		return val_max();
	case VAL_NA:
		return val_na();
	default:
		return val_unknown(code & 0x3fff);
	}
}

struct val
val_sub0(struct val a, struct val b)
{
	if (a.state == VAL_UNKNOWN)
		return a;
	if (b.state == VAL_UNKNOWN)
		return b;
	if (a.state != VAL_OK || b.state != VAL_OK)
		return val_unknown(OL_ENOTAPPL);
	return val_ok(a.v > b.v ? a.v - b.v : 0);
}

struct val
val_min(struct val a, struct val b)
{
	if (a.state == VAL_UNKNOWN)
		return a;
	if (b.state == VAL_UNKNOWN)
		return b;
	if (a.state == VAL_MAX)
		return b;
	if (b.state == VAL_MAX)
		return a;
	return a.v < b.v ? a : b;
}

int64_t
val_add_sat(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

struct val
val_add(struct val a, struct val b)
{
	if (!val_is_ok(a))
		return a;
	if (!val_is_ok(b))
		return b;
	return val_ok(val_add_sat(a.v, b.v));
}

void
cg_free_one(struct cgroup *c)
{
	free(c->path);
	free(c->fs_path);
}

void
cg_free(struct cgroup *cgs, size_t n)
{
	if (!cgs)
		return;
	for (size_t i = 0; i < n; i++)
		cg_free_one(&cgs[i]);
	free(cgs);
}

void
proc_set_comm(struct proc *p, const char *s, size_t n)
{
	char buf[PROC_COMM_MAX];

	n = strnlen(s, n < PROC_COMM_MAX - 1 ? n : PROC_COMM_MAX - 1);
	rstr_unref(p->comm_long);
	p->comm_long = NULL;
	if (n < sizeof(p->comm_short)) {
		memcpy(p->comm_short, s, n);
		p->comm_short[n] = '\0';
		return;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	p->comm_long = rstr_new(buf);
	p->comm_short[0] = '\0';
}

void
proc_release(struct proc *p)
{
	rstr_unref(p->comm_long);
	rstr_unref(p->cmdline);
	rstr_unref(p->cgroup);
	p->comm_long = p->cmdline = p->cgroup = NULL;
}

void
snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_procs; i++)
		proc_release(&s->procs[i]);
	free(s->procs);
	cg_free(s->cgroups, s->n_cgroups);
	free(s->cg_mount);
	free(s->containers);
	for (size_t i = 0; i < s->n_events; i++) {
		free(s->events[i].cgroup);
		free(s->events[i].constraint);
	}
	free(s->events);
	free(s);
}

const struct proc *
snap_find_proc(const struct snapshot *s, pid_t pid)
{
	for (size_t i = 0; i < s->n_procs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

int
snap_find_cgroup(const struct snapshot *s, const char *path)
{
	for (size_t i = 0; i < s->n_cgroups; i++)
		if (strcmp(s->cgroups[i].path, path) == 0)
			return (int)i;
	return -1;
}
