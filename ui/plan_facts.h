/*
 * plan_facts.h - what the operator should see before ending a process:
 * its whole command line, its memory cgroup, and the memory ending it
 * frees, added to a signal plan's notes from the snapshot shown.
 */
#ifndef OOMLENS_UI_PLAN_FACTS_H
#define OOMLENS_UI_PLAN_FACTS_H

#include "state.h"

void plan_facts_signal(const struct ui *ui, struct act_plan *plan);

#endif
