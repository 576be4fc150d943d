/*
 * pick.c - which processes -p keeps (pick.h).  Pure: a snapshot in, fewer rows out.
 */
#include "config.h"

#include "pick.h"

#include <string.h>

#include "rstr.h"

bool
pick_cgroup_has(const char *path, char *const *cgs, size_t n_cgs)
{
	if (!path)
		return false;
	for (size_t i = 0; i < n_cgs; i++) {
		size_t l = strlen(cgs[i]);

		/* The cgroup itself or one below it: "/a" holds "/a/b", not "/ab"; "/" holds all. */
		if (strncmp(path, cgs[i], l) == 0 &&
		    (path[l] == '\0' || path[l] == '/' || (l && cgs[i][l - 1] == '/')))
			return true;
	}
	return false;
}

static bool
has_pid(pid_t pid, const pid_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

void
pick_keep(struct snapshot *s, const pid_t *pids, size_t n_pids, char *const *cgs, size_t n_cgs)
{
	size_t kept = 0;

	if (!n_pids && !n_cgs)
		return;
	for (size_t i = 0; i < s->n_procs; i++) {
		struct proc *p = &s->procs[i];
		const char *path = p->cg >= 0 && (size_t)p->cg < s->n_cgroups ?
					   s->cgroups[p->cg].path : p->cgroup;

		if (has_pid(p->pid, pids, n_pids) || pick_cgroup_has(path, cgs, n_cgs)) {
			s->procs[kept++] = *p;
			continue;
		}
		proc_release(p);
	}
	s->n_procs = kept;
}
