/*
 * act_audit.c - a plan's steps as audit records (act_audit.h).
 */
#include "config.h"

#include "act_audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
act_audit_step(const struct act_step *st, struct audit_step *as)
{
	*as = (struct audit_step){
	    .setting = act_setting_name(st->setting),
	    .file = st->file,
	    .old_text = st->old_text,
	    .new_text = st->new_text,
	    .via_docker = st->via_docker,
	    .pid = st->pid,
	    .start_ticks = st->start_ticks,
	    .comm = st->comm,
	    .result = act_result_name(st->result),
	    .err = st->err,
	    .now_text = st->now_text,
	    .message = st->message,
	};
}

/* The audit record of step st of p; as holds the step in words. */
static void
rec_of(const struct act_plan *p, const struct act_step *st, struct audit_rec *rec,
       struct audit_step *as)
{
	act_audit_step(st, as);
	memset(rec, 0, sizeof(*rec));
	rec->time = time(NULL);
	rec->uid = getuid();
	rec->action = p->kind == AKIND_SIGNAL ? "kill" : "set";
	rec->target = st->pid > 0 ? NULL : p->audit_target;
	rec->comm = p->comm;
	rec->cgroup = p->cgroup;
	rec->container = p->container_name;
	rec->step = as;
}

/* The audit line of a step, in full (refusals) or pending (before the write). */
int
act_audit_write(struct audit_file *a, const struct act_plan *p, struct act_step *st, bool pending)
{
	char line[8192], tgt[128];
	struct audit_step as;
	struct audit_rec rec;
	size_t head;
	long off;
	int n, r;

	rec_of(p, st, &rec, &as);
	if (!rec.target) {
		snprintf(tgt, sizeof(tgt), "pid:%d:%" PRIu64, (int)st->pid, st->start_ticks);
		rec.target = tgt;
	}
	n = audit_format(line, sizeof(line), &rec, pending, &head);
	if (n < 0)
		return n;
	r = audit_append(a, line, (size_t)n, &off);
	/* A line that is in the file (its fsync may have failed) is completed, never repeated. */
	if (off >= 0) {
		st->audit_off = off;
		st->audit_head = head;
	}
	return r;
}

/* Record the final outcome of every step: in place for pending lines, appended otherwise. */
int
act_audit_finish(struct audit_file *a, const struct act_plan *p)
{
	int ret = 0;

	for (size_t i = 0; i < p->n_steps; i++) {
		struct act_step *st = (struct act_step *)&p->steps[i];
		struct audit_step as;
		struct audit_rec rec;
		char tgt[128];
		int r = 0;

		rec_of(p, st, &rec, &as);
		if (!rec.target) {
			snprintf(tgt, sizeof(tgt), "pid:%d:%" PRIu64, (int)st->pid,
				 st->start_ticks);
			rec.target = tgt;
		}
		audit_syslog(&rec);
		if (!a)
			continue;
		if (st->audit_off >= 0) {
			char tail[AUDIT_TAIL_LEN];

			audit_format_tail(tail, &as);
			r = audit_complete(a, st->audit_off, st->audit_head, tail);
		} else {
			r = act_audit_write(a, p, st, false);
		}
		if (r < 0 && ret == 0)
			ret = r;
	}
	return ret;
}
