/*
 * collect.c - one tick: read the host, the memory cgroups and the
 * processes, join them, compute the availability and the scores, and hand
 * back an immutable snapshot.  The order of the reads is chosen so that the
 * processes' cgroup paths can be matched against a fresh cgroup list.
 */
#include "config.h"

#include "collect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avail.h"
#include "cgroup.h"
#include "collect_bpf.h"
#include "container.h"
#include "events.h"
#include "host.h"
#include "members.h"
#include "pick.h"
#include "procs.h"
#include "score.h"
#include "trend.h"
#include "util.h"

struct collector {
	char *root;
	pid_t *pids;
	size_t n_pids;
	char **pick_cgs;                       /* -p NAME's cgroup paths (pick.h) */
	size_t n_pick_cgs;
	struct host_consts consts;
	bool mount_found;
	struct cg_mount mount;
	struct procs_cache *cache; /* NULL: every file of every process every tick */
	struct container_resolver *containers; /* names, cached per cgroup path */
	struct oomlog *oomlog;                 /* /dev/kmsg and the OOM counters */
	struct trend_state *trend;             /* usage history for growth and peaks */
	size_t last_n_procs;                   /* sizes the next tick's membership map */
	unsigned every;                        /* refresh_every, at least 1 */
	unsigned ticks;
	struct bpf_coll *bpf;                  /* NULL: the /proc reader */
	char why[160];                         /* why not bpf, "" when it is used or not asked */
};

/* Load the bpf collector unless the options or this host rule it out; why says which. */
static void
choose_collector(struct collector *c, const struct collect_opts *o)
{
	if (o->collector == COLLECT_PROC)
		return;
	if (c->root[0])
		snprintf(c->why, sizeof(c->why), "--root reads a saved tree");
	else if (o->read_only)
		snprintf(c->why, sizeof(c->why),
			 "--read-only gave up the capabilities before the BPF program was loaded");
	else
		bpf_coll_open(&c->bpf, o->refresh_texts, c->why, sizeof(c->why));
}

struct collector *
collector_new(const struct collect_opts *o)
{
	struct collector *c = xcalloc(1, sizeof(*c));

	c->root = xstrdup(o->root ? o->root : "");
	if (o->pids && o->n_pids) {
		c->pids = xmalloc(o->n_pids * sizeof(*c->pids));
		memcpy(c->pids, o->pids, o->n_pids * sizeof(*c->pids));
		c->n_pids = o->n_pids;
	}
	if (o->pick_cgs && o->n_pick_cgs) {
		c->pick_cgs = xcalloc(o->n_pick_cgs, sizeof(*c->pick_cgs));
		for (size_t i = 0; i < o->n_pick_cgs; i++)
			c->pick_cgs[i] = xstrdup(o->pick_cgs[i]);
		c->n_pick_cgs = o->n_pick_cgs;
	}
	c->every = o->refresh_every ? o->refresh_every : 1;
	if (o->refresh_every > 1)
		c->cache = procs_cache_new(o->refresh_every, o->refresh_texts);
	c->containers = container_resolver_new(c->root, true);
	c->oomlog = oomlog_new(c->root);
	c->trend = trend_state_new();
	choose_collector(c, o);
	return c;
}

int
collect_choice_from_name(const char *name)
{
	if (strcmp(name, "auto") == 0)
		return COLLECT_AUTO;
	if (strcmp(name, "bpf") == 0)
		return COLLECT_BPF;
	if (strcmp(name, "proc") == 0)
		return COLLECT_PROC;
	return -1;
}

void
collector_invalidate(struct collector *c)
{
	procs_cache_invalidate(c->cache);
}

void
collector_free(struct collector *c)
{
	if (!c)
		return;
	procs_cache_free(c->cache);
	container_resolver_free(c->containers);
	oomlog_free(c->oomlog);
	trend_state_free(c->trend);
	bpf_coll_free(c->bpf);
	free(c->root);
	free(c->pids);
	for (size_t i = 0; i < c->n_pick_cgs; i++)
		free(c->pick_cgs[i]);
	free(c->pick_cgs);
	free(c);
}

static const struct cgroup *sort_base;

static int
cmp_cg_index(const void *a, const void *b)
{
	return strcmp(sort_base[*(const int *)a].path, sort_base[*(const int *)b].path);
}

/* Set each process's cgroup index and count each cgroup's processes. */
static void
attach_procs(struct snapshot *s)
{
	int *order = xmalloc((s->n_cgroups ? s->n_cgroups : 1) * sizeof(*order));

	for (size_t i = 0; i < s->n_cgroups; i++)
		order[i] = (int)i;
	sort_base = s->cgroups;
	qsort(order, s->n_cgroups, sizeof(*order), cmp_cg_index);
	for (size_t i = 0; i < s->n_procs; i++) {
		struct proc *p = &s->procs[i];
		size_t lo = 0, hi = s->n_cgroups;

		p->cg = -1;
		if (!p->cgroup)
			continue;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int r = strcmp(p->cgroup, s->cgroups[order[mid]].path);

			if (r == 0) {
				p->cg = order[mid];
				s->cgroups[p->cg].nr_processes++;
				break;
			}
			if (r < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	sort_base = NULL;
	free(order);
}

int
collector_run(struct collector *c, struct snapshot **out)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));
	struct cg_members *members = NULL;
	struct procs_result pr;
	int r;

	clock_gettime(CLOCK_REALTIME, &s->wall);
	clock_gettime(CLOCK_MONOTONIC, &s->mono);
	/* Kills already in the kernel log are history, read before the counters' baseline. */
	oomlog_prime(c->oomlog, c->containers);

	r = host_collect(c->root, &c->consts, &s->host);
	if (r < 0) {
		free(s);
		return r;
	}

	if (!c->mount_found) {
		r = cg_find_mount(c->root, &c->mount);
		if (r < 0) {
			c->mount.version = 0;
			c->mount.err = -r;
		}
		c->mount_found = true;
	}
	s->cgroup_version = c->mount.version;
	s->cg_err = c->mount.err;
	if (c->mount.version) {
		s->cg_mount = xstrdup(c->mount.mount);
		r = cg_collect(c->root, &c->mount, &s->cgroups, &s->n_cgroups);
		if (r < 0) {
			s->cg_err = -r;
			s->cgroups = NULL;
			s->n_cgroups = 0;
		}
	}

	/*
	 * Every process, from the bpf iterator where it can be used, else from
	 * /proc: the victims are chosen over all of them, -p only picks rows.
	 */
	r = c->bpf ? bpf_coll_procs(c->bpf, &s->host, c->mount.version, s->cgroups, s->n_cgroups,
				    &pr) : -ENOSYS;
	if (c->bpf && r < 0) {
		/* From now on /proc: a failing iterator will not do better next tick. */
		snprintf(c->why, sizeof(c->why), "reading the BPF task iterator failed: %s",
			 strerror(-r));
		bpf_coll_free(c->bpf);
		c->bpf = NULL;
	}
	if (r < 0) {
		/*
		 * Each process's cgroup from the cgroups' member lists, one file a
		 * cgroup: batch mode reads no /proc/PID/cgroup for most processes,
		 * and the monitor, which reads that file only with the cmdline,
		 * sees a move to another cgroup within refresh_every ticks, as it
		 * sees status.  (Every tick would cost the monitor about a tenth
		 * more at 5,000 processes.)  Live hosts only: the map's start-time
		 * guard reads this machine's clock.
		 */
		if (!c->root[0] && s->n_cgroups && c->ticks++ % c->every == 0)
			members = cg_members_read(s->cgroups, s->n_cgroups, c->last_n_procs);
		r = procs_collect(c->root, c->mount.version, members, NULL, 0, c->cache, &pr);
		cg_members_free(members);
	} else {
		s->collector = COLLECTOR_BPF;
	}
	snprintf(s->collector_why, sizeof(s->collector_why), "%s", s->collector ? "" : c->why);
	if (r < 0) {
		snapshot_free(s);
		return r;
	}
	s->procs = pr.procs;
	s->n_procs = pr.n;
	c->last_n_procs = pr.n;
	s->vanished = pr.vanished;
	s->read_errors = pr.errors;

	attach_procs(s);
	avail_compute(s);
	score_snapshot(s);
	if (s->collector == COLLECTOR_BPF)
		bpf_coll_settle_scores(s);
	pick_keep(s, c->pids, c->n_pids, c->pick_cgs, c->n_pick_cgs);
	container_resolver_begin(c->containers);
	container_attach(c->containers, s);
	oomlog_update(c->oomlog, c->containers, s);
	container_resolver_end(c->containers);
	trend_update(c->trend, s);
	*out = s;
	return 0;
}
