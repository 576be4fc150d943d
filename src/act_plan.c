/*
 * act_plan.c - the names of settings and results, and the plan's message
 * lists (act_plan.h).  No I/O.
 */
#include "config.h"

#include "act_plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- names -------------------------------------------------------------- */

static const struct {
	const char *name; /* Docker's flag without the dashes */
	const char *v1;	  /* the cgroup v1 file, NULL: not available on v1 */
	const char *v2;
} settings[ASET__COUNT] = {
    [ASET_OOM_SCORE_ADJ] = {"oom-score-adj", "oom_score_adj", "oom_score_adj"},
    [ASET_MEMORY] = {"memory", "memory.limit_in_bytes", "memory.max"},
    [ASET_MEMORY_SWAP] = {"memory-swap", "memory.memsw.limit_in_bytes", "memory.swap.max"},
    [ASET_MEMORY_RESERVATION] = {"memory-reservation", "memory.soft_limit_in_bytes", "memory.low"},
    [ASET_MEMORY_SWAPPINESS] = {"memory-swappiness", "memory.swappiness", NULL},
    [ASET_KERNEL_MEMORY] = {"kernel-memory", "memory.kmem.limit_in_bytes", NULL},
    [ASET_OOM_KILL_DISABLE] = {"oom-kill-disable", "memory.oom_control", NULL},
    [ASET_MEMORY_HIGH] = {"memory-high", NULL, "memory.high"},
    [ASET_MEMORY_MIN] = {"memory-min", NULL, "memory.min"},
    [ASET_SIGNAL] = {"signal", NULL, NULL},
};

const char *
act_setting_name(enum act_setting s)
{
	return (unsigned)s < ASET__COUNT ? settings[s].name : "?";
}

const char *
act_setting_file(enum act_setting s, int version)
{
	if ((unsigned)s >= ASET__COUNT)
		return NULL;
	return version == 1 ? settings[s].v1 : settings[s].v2;
}

const char *
act_result_name(enum act_result r)
{
	static const char *const names[] = {
	    [ARES_PENDING] = "pending",
	    [ARES_DONE] = "done",
	    [ARES_IGNORED] = "ignored by this kernel",
	    [ARES_DIFFERS] = "not as asked",
	    [ARES_FAILED] = "failed",
	    [ARES_REFUSED] = "refused",
	    [ARES_DECLINED] = "declined",
	    [ARES_SKIPPED] = "skipped",
	};

	return (unsigned)r < ARRAY_SIZE(names) ? names[r] : "?";
}

/* ---- messages ----------------------------------------------------------- */

void
act_msg_add(struct act_msgs *m, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i], buf) == 0)
			return;
	m->v = xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
	m->v[m->n++] = xstrdup(buf);
}

void
act_msgs_free(struct act_msgs *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	m->v = NULL;
	m->n = 0;
}
