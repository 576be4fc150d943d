/*
 * model.c - the few functions that belong to the snapshot itself: freeing
 * it, finding things in it, and saying why a value is unknown.
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
snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_procs; i++) {
		rstr_unref(s->procs[i].cmdline);
		rstr_unref(s->procs[i].cgroup);
	}
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
