/*
 * act_cgroup.c - the cgroup an action acts on (act_build.h): a path or a
 * container name or id resolved (through the Docker Engine when it is a
 * container) into a pinned directory fd, and the state validation needs
 * read through that fd.  Reads only; refusals go into the plan.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act_build.h"
#include "act_engine.h"
#include "act_pin.h"
#include "actions.h"
#include "cgroup.h"
#include "docker.h"
#include "parse.h"
#include "util.h"

/* ---- cgroups ------------------------------------------------------------- */

/* The state validation needs, read through the cgroup's directory fd. */
void
act_read_cg_state(int dirfd, int version, struct act_cg_state *s)
{
	memset(s, 0, sizeof(*s));
	s->version = version;
	if (version == 1) {
		char buf[512];
		uint64_t x;

		s->usage = cg_read_val(dirfd, "memory.usage_in_bytes");
		s->memory = cg_read_val(dirfd, "memory.limit_in_bytes");
		s->memory_swap = cg_read_val(dirfd, "memory.memsw.limit_in_bytes");
		s->swap_max = val_na();
		s->reservation = cg_read_val(dirfd, "memory.soft_limit_in_bytes");
		s->swappiness = cg_read_val(dirfd, "memory.swappiness");
		s->kmem = cg_read_val(dirfd, "memory.kmem.limit_in_bytes");
		s->high = s->min = val_na();
		ssize_t r = read_file_at(dirfd, "memory.oom_control", buf, sizeof(buf), NULL);

		if (r < 0)
			s->oom_kill_disable = val_unknown((int)-r);
		else if (parse_kv_u64(buf, "oom_kill_disable", &x) < 0)
			s->oom_kill_disable = val_unknown(OL_EPARSE);
		else
			s->oom_kill_disable = val_ok((int64_t)x);
	} else {
		s->usage = cg_read_val(dirfd, "memory.current");
		s->memory = cg_read_val(dirfd, "memory.max");
		s->swap_max = cg_read_val(dirfd, "memory.swap.max");
		if (s->memory.state == VAL_OK && s->swap_max.state == VAL_OK)
			s->memory_swap = val_ok(s->memory.v + s->swap_max.v);
		else if (s->memory.state == VAL_MAX || s->swap_max.state == VAL_MAX)
			s->memory_swap = val_max();
		else
			s->memory_swap = s->swap_max;
		s->reservation = cg_read_val(dirfd, "memory.low");
		s->high = cg_read_val(dirfd, "memory.high");
		s->min = cg_read_val(dirfd, "memory.min");
		s->swappiness = s->kmem = s->oom_kill_disable = val_na();
	}
}

/* Every process of the cgroup, from cgroup.procs. */
int
act_cg_procs(int dirfd, pid_t **out, size_t *n)
{
	char *buf = xmalloc(1 << 20);
	ssize_t r = read_file_at(dirfd, "cgroup.procs", buf, 1 << 20, NULL);
	const char *p = buf;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (r < 0) {
		free(buf);
		return (int)r;
	}
	while (*p) {
		uint64_t x;
		const char *end;

		if (parse_u64(p, &end, &x) < 0)
			break;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[(*n)++] = (pid_t)x;
		p = end;
		while (*p == '\n')
			p++;
	}
	free(buf);
	return 0;
}

/* Whether a path has a ".." component. */
static bool
has_dotdot(const char *path)
{
	for (const char *c = path; (c = strstr(c, "..")) != NULL; c += 2)
		if ((c == path || c[-1] == '/') && (c[2] == '\0' || c[2] == '/'))
			return true;
	return false;
}

/* Resolve target (a path, or a container name or id) into p's cgroup fields; false on refusal. */
bool
act_resolve_cgroup(const struct act_ctx *ctx, struct act_plan *p, const char *target,
		   const struct cg_mount *m, struct docker_info *di)
{
	char why[512], id[65];
	const char *rel;
	size_t lr;
	int r;

	memset(di, 0, sizeof(*di));
	if (target[0] == '/') {
		snprintf(p->cgroup, sizeof(p->cgroup), "%s", target);
		/* A Docker container's cgroup: ask the engine, which may not be there. */
		if (act_engine_id_of_path(target, id) && act_live_root(ctx) && !ctx->read_only) {
			if (docker_inspect(ctx->docker_host, ctx->docker_timeout_ms, id, di, why,
					   sizeof(why)) < 0) {
				memset(di, 0, sizeof(*di));
			} else if (act_engine_verify(di, id, m->version, NULL, 0, why,
						     sizeof(why)) < 0) {
				act_msg_add(&p->refusals, "%s: nothing is written", why);
				return false;
			}
		}
	} else {
		if (!act_live_root(ctx)) {
			act_msg_add(&p->refusals,
				    "container names are resolved on the live system only: give a "
				    "cgroup path under --root");
			return false;
		}
		if (ctx->read_only) {
			act_msg_add(
			    &p->refusals,
			    "container names are resolved through the Docker Engine API, which "
			    "read-only mode does not call: give the cgroup path");
			return false;
		}
		if (!docker_name_ok(target)) {
			act_msg_add(&p->refusals,
				    "'%s' is not a container name or id (Docker's names are "
				    "[a-zA-Z0-9][a-zA-Z0-9_.-]*)",
				    target);
			return false;
		}
		r = docker_inspect(ctx->docker_host, ctx->docker_timeout_ms, target, di, why,
				   sizeof(why));
		if (r < 0) {
			act_msg_add(&p->refusals,
				    "cannot resolve container '%s': %s; give the cgroup path "
				    "(as the batch JSON shows it) instead",
				    target, why);
			return false;
		}
		if (!di->running || di->pid <= 0) {
			act_msg_add(&p->refusals,
				    "container %s is not running, so it has no cgroup to change",
				    di->name);
			return false;
		}
		r = act_engine_verify(di, NULL, m->version, p->cgroup, sizeof(p->cgroup), why,
				      sizeof(why));
		if (r < 0) {
			act_msg_add(&p->refusals, "container '%s': %s: nothing is written", target,
				    why);
			return false;
		}
	}
	if (di->id[0]) {
		snprintf(p->container_id, sizeof(p->container_id), "%s", di->id);
		snprintf(p->container_name, sizeof(p->container_name), "%s", di->name);
	}
	if (has_dotdot(p->cgroup)) {
		act_msg_add(&p->refusals, "cgroup path %s must not contain '..'", p->cgroup);
		return false;
	}
	/* The hierarchy path -> the directory: strip the mount's root, append to the mount point.
	 */
	lr = strlen(m->root);
	rel = p->cgroup;
	if (strcmp(m->root, "/") != 0 && m->root[0]) {
		if (strncmp(p->cgroup, m->root, lr) != 0 ||
		    (p->cgroup[lr] != '/' && p->cgroup[lr] != '\0')) {
			act_msg_add(
			    &p->refusals,
			    "cgroup %s is outside the memory hierarchy mounted at %s (root %s)",
			    p->cgroup, m->mount, m->root);
			return false;
		}
		rel = p->cgroup + lr;
	}
	{
		char mnt[4096 + 16];

		path_join(mnt, sizeof(mnt), ctx->root, m->mount);
		snprintf(p->cg_dir, sizeof(p->cg_dir), "%s%s", mnt,
			 strcmp(rel, "/") == 0 ? "" : rel);
	}
	p->cg_dirfd = open(p->cg_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->cg_dirfd < 0) {
		act_msg_add(&p->refusals, "cgroup %s: cannot open %s: %s", p->cgroup, p->cg_dir,
			    strerror(errno));
		return false;
	}
	return true;
}
