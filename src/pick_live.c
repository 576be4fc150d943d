/*
 * pick_live.c - pick_resolve() (pick.h): -p's names on a snapshot of the
 * system, as target_live.c resolves set --cgroup's.  Reads, never writes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "pick.h"
#include "target.h"
#include "textsafe.h"
#include "util.h"

int
pick_resolve(const char *root, char *const *names, size_t n, char ***paths)
{
	/* Only the cgroups and their containers are needed: one process, our own, is read. */
	pid_t self = getpid();
	struct collect_opts co = {.root = root, .pids = &self, .n_pids = 1,
				  .collector = COLLECT_PROC};
	struct collector *c = collector_new(&co);
	struct snapshot *s = NULL;
	int r = c ? collector_run(c, &s) : -ENOMEM;

	if (c)
		collector_free(c);
	if (r < 0 || !s) {
		fprintf(stderr, "oomlens: -p: cannot read the system's cgroups: %s\n",
			strerror(r < 0 ? -r : EIO));
		return r < 0 ? r : -EIO;
	}
	*paths = xcalloc(n ? n : 1, sizeof(**paths));
	for (size_t i = 0; i < n && r == 0; i++) {
		struct target_match m;
		char *w;

		r = target_find_cgroup(s, names[i], &m);
		if (r == 0) {
			(*paths)[i] = xstrdup(s->cgroups[m.cg].path);
		} else if (r == -EEXIST) {
			target_print_candidates(stderr, "-p", names[i], s, &m);
		} else {
			w = text_escape_dup(names[i]);
			fprintf(stderr,
				"oomlens: invalid -p '%s': no such process ID, container or cgroup\n",
				w);
			free(w);
		}
	}
	snapshot_free(s);
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			free((*paths)[i]);
		free(*paths);
		*paths = NULL;
	}
	return r;
}
