/*
 * plan_facts.c - the facts of a kill plan from the snapshot shown (the
 * plan itself reads /proc and pins the process; these notes only inform).
 * The notes are raw text: the dialog escapes them when it draws.
 */
#include "config.h"

#include "plan_facts.h"

#include <stdio.h>

#include "container.h"
#include "format.h"

void
plan_facts_signal(const struct ui *ui, struct act_plan *plan)
{
	const struct snapshot *s = ui->snap;
	const struct proc *p = NULL;
	char rss[32], swap[32], sum[32];

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
		act_msg_add(&plan->notes, "command line: none ([%.*s], a kernel thread or a zombie)",
			    (int)sizeof(p->comm), p->comm);
	if (p->cg >= 0 && (size_t)p->cg < s->n_cgroups && s->cgroups[p->cg].container)
		act_msg_add(&plan->notes, "cgroup: %s (container %s)", s->cgroups[p->cg].path,
			    container_label(s->cgroups[p->cg].container));
	else
		act_msg_add(&plan->notes, "cgroup: %s", p->cgroup ? p->cgroup : "unknown");
	fmt_val_kb(rss, sizeof(rss), p->rss_kb);
	fmt_val_kb(swap, sizeof(swap), p->swap_kb);
	if (val_is_ok(p->rss_kb) && val_is_ok(p->swap_kb))
		fmt_size(sum, sizeof(sum), (p->rss_kb.v + p->swap_kb.v) * 1024);
	else
		snprintf(sum, sizeof(sum), "an unknown amount");
	act_msg_add(&plan->notes,
		    "ending it frees up to %s (RSS %s + swap %s); pages it shares (files, shared "
		    "memory) stay while another process maps them",
		    sum, rss, swap);
}
