/*
 * plan_facts.c - the facts of a kill plan from the snapshot shown (the
 * plan itself reads /proc and pins the process; these notes only inform).
 * The notes are raw text: the dialog escapes them when it draws.
 */
#include "config.h"

#include "plan_facts.h"

#include <stdio.h>

#include "container.h"

void
plan_facts_signal(const struct ui *ui, struct act_plan *plan)
{
	const struct snapshot *s = ui->snap;
	const struct proc *p = NULL;

	if (!plan || !s)
		return;
	for (size_t i = 0; i < s->n_procs && !p; i++)
		if (s->procs[i].pid == ui->act_id.pid &&
		    s->procs[i].start_ticks == ui->act_id.start_ticks)
			p = &s->procs[i];
	if (!p)
		return;
	if (p->cmdline && *p->cmdline)
		act_msg_add(&plan->notes, "command line: %s", p->cmdline);
	else
		act_msg_add(&plan->notes, "command line: none ([%s], a kernel thread or a zombie)",
			    proc_comm(p));
	if (p->cg >= 0 && (size_t)p->cg < s->n_cgroups && s->cgroups[p->cg].container)
		act_msg_add(&plan->notes, "cgroup: %s (container %s)", s->cgroups[p->cg].path,
			    container_label(s->cgroups[p->cg].container));
	else
		act_msg_add(&plan->notes, "cgroup: %s", p->cgroup ? p->cgroup : "unknown");
	/* What ending it frees is the plan's own note, read from the pinned process. */
}
