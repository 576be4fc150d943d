/*
 * target.c - a cgroup named as the monitor shows it.  The passes go from
 * the most to the least specific (path, container name, container id
 * prefix, last component, a prefix of 12 or more characters of the last
 * component as the monitor's CGROUP column cuts ids); the
 * first pass that matches decides, so a container named like another's
 * directory is still found by its name.  Several cgroups of one container
 * (nested ones) are one match: its shallowest cgroup.
 */
#include "config.h"

#include "target.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "textsafe.h"
#include "util.h"

enum pass { BY_PATH, BY_NAME, BY_ID, BY_LAST, BY_LAST_ID, PASS__COUNT };

/* The monitor cuts an id-like last component to this many characters. */
#define TARGET_SHORT_ID 12

/* The last component of a cgroup path ("/docker/abc" -> "abc"; "/" -> ""). */
static const char *
last_component(const char *path)
{
	const char *sl = strrchr(path, '/');

	return sl ? sl + 1 : path;
}

static bool
matches(const struct cgroup *cg, const char *what, enum pass p)
{
	const struct container_id *c = cg->container;
	size_t wl = strlen(what);

	switch (p) {
	case BY_PATH:
		return strcmp(cg->path, what) == 0;
	case BY_NAME:
		return c && ((c->name[0] && strcmp(c->name, what) == 0) ||
			     (c->pod_level && c->pod[0] && strcmp(c->pod, what) == 0));
	case BY_ID:
		return c && wl >= 4 && strncmp(c->id, what, wl) == 0;
	case BY_LAST:
		return strcmp(last_component(cg->path), what) == 0;
	case BY_LAST_ID:
		return wl >= TARGET_SHORT_ID && strncmp(last_component(cg->path), what, wl) == 0;
	default:
		return false;
	}
}

/* Whether cgroups a and b are one container's (so one match, not two). */
static bool
same_container(const struct cgroup *a, const struct cgroup *b)
{
	return a->container && b->container && a->container->runtime == b->container->runtime &&
	       strcmp(a->container->id, b->container->id) == 0;
}

/* Add cgroup i to the match, folding a container's nested cgroups into its shallowest. */
static void
add(const struct snapshot *s, struct target_match *m, int i)
{
	for (size_t k = 0; k < m->n && k < TARGET_MAX_CANDIDATES; k++) {
		int c = m->candidates[k];

		if (same_container(&s->cgroups[c], &s->cgroups[i])) {
			if (s->cgroups[i].depth < s->cgroups[c].depth)
				m->candidates[k] = i;
			return;
		}
	}
	if (m->n < TARGET_MAX_CANDIDATES)
		m->candidates[m->n++] = i;
	else
		m->more++;
}

int
target_find_cgroup(const struct snapshot *s, const char *what, struct target_match *m)
{
	memset(m, 0, sizeof(*m));
	m->cg = -1;
	if (!what || !*what)
		return -ENOENT;
	for (int p = 0; p < PASS__COUNT; p++) {
		for (size_t i = 0; i < s->n_cgroups; i++)
			if (s->cgroups[i].path && matches(&s->cgroups[i], what, (enum pass)p))
				add(s, m, (int)i);
		if (m->n == 1 && !m->more) {
			m->cg = m->candidates[0];
			return 0;
		}
		if (m->n)
			return -EEXIST;
	}
	return -ENOENT;
}

void
target_print_candidates(FILE *f, const char *prog, const char *what, const struct snapshot *s,
			const struct target_match *m)
{
	char *w = text_escape_dup(what);

	fprintf(f, "oomlens %s: ambiguous cgroup or container '%s'; it could be:\n", prog, w);
	free(w);
	for (size_t k = 0; k < m->n; k++) {
		const struct cgroup *cg = &s->cgroups[m->candidates[k]];
		char *path = text_escape_dup(cg->path);

		if (cg->container && cg->container->name[0]) {
			char *name = text_escape_dup(cg->container->name);

			fprintf(f, "  %s  (container %s, id %.12s)\n", path, name, cg->container->id);
			free(name);
		} else {
			fprintf(f, "  %s\n", path);
		}
		free(path);
	}
	if (m->more)
		fprintf(f, "  and %zu more\n", m->more);
}
