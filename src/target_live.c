/*
 * target_live.c - target_find_cgroup() on a snapshot of the system, for
 * the commands that take a cgroup by name (set --cgroup).  It reads, never
 * writes; the path it finds goes through the actions' own validation.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "target.h"
#include "util.h"

int
target_name_cgroup(const char *root, const char *prog, const char **what)
{
	pid_t self = getpid();
	struct collect_opts co = {.root = root, .pids = &self, .n_pids = 1};
	struct collector *c;
	struct snapshot *s = NULL;
	struct target_match m;
	int r;

	/*
	 * A path is the actions' to check; so is what cannot name a cgroup
	 * ("..", "a/b"), which is refused there before any request is made.
	 */
	if (!*what || strchr(*what, '/') || strcmp(*what, ".") == 0 || strcmp(*what, "..") == 0)
		return 0;
	c = collector_new(&co);
	if (!c)
		return 0;
	r = collector_run(c, &s);
	collector_free(c);
	if (r < 0 || !s)
		return 0;
	r = target_find_cgroup(s, *what, &m);
	if (r == 0)
		*what = xstrdup(s->cgroups[m.cg].path);
	else if (r == -EEXIST)
		target_print_candidates(stderr, prog, *what, s, &m);
	snapshot_free(s);
	return r == -EEXIST ? r : 0;
}
