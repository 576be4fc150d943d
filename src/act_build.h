/*
 * act_build.h - what the actions module's parts share to build a plan:
 * the size units, a new plan and step (actions.c), values and signals in
 * words (act_text.c), and the cgroup a plan acts on (act_cgroup.c).
 * Internal to src/act*.c: front ends use actions.h.
 */
#ifndef OOMLENS_ACT_BUILD_H
#define OOMLENS_ACT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "act_plan.h"
#include "model.h"

struct act_cg_state;
struct cg_mount;
struct docker_info;

#define KIB	   INT64_C(1024)
#define MIB	   (KIB * 1024)
#define GIB	   (MIB * 1024)
#define UNLIMITED  INT64_MAX
#define MIN_MEMORY (6 * MIB)
#define MIN_KMEM   (4 * MIB)

/* A new, empty plan of this kind (actions.c). */
struct act_plan *act_plan_new(enum act_kind kind);

/* A new step for setting s at the end of p's steps, old value "-", no pins. */
struct act_step *act_step_add(struct act_plan *p, enum act_setting s);

/* A value as the plan shows it: a size or an integer, "unlimited", "n/a", "unknown (why)". */
void act_val_text(struct val v, bool size, char *out, size_t outsz);

/* The name of signal sig ("KILL"), NULL for one without a name. */
const char *act_signal_name(int sig);

/* The state validation needs, read through the cgroup's directory fd. */
void act_read_cg_state(int dirfd, int version, struct act_cg_state *s);

/* Every process of the cgroup open at dirfd, from cgroup.procs: 0 or -errno. */
int act_cg_procs(int dirfd, pid_t **out, size_t *n);

/*
 * Resolve target (a cgroup path, or a container name or id) into p's cgroup
 * fields and pinned directory fd; false with a refusal in p when it cannot.
 */
bool act_resolve_cgroup(const struct act_ctx *ctx, struct act_plan *p, const char *target,
			const struct cg_mount *m, struct docker_info *di);

#endif
