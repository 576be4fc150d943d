/*
 * procs.c - the per-process reader.
 *
 * Each /proc/PID is opened once as a directory fd and its files are read
 * with openat() through it: if the PID is reused while we read, the old fd
 * keeps pointing at the dead process and the reads fail with ESRCH, so a
 * row can never mix the data of two processes.  A process that vanishes is
 * dropped and counted; a file that cannot be read for another reason leaves
 * its fields unknown with the errno kept.
 *
 * libproc2 is not used for this pass: its 4.0 pids interface has no VmPTE or
 * CapEff items, turns unreadable files into zeros and cannot hand back the
 * directory fd that pins a process (doc/architecture.md).
 */
#include "config.h"

#include "procs.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "members.h"
#include "parse.h"
#include "rstr.h"
#include "util.h"

#define CMDLINE_MAX 4096

static bool
gone(ssize_t r)
{
	return r == -ENOENT || r == -ESRCH;
}

/* One integer file of the process; ESRCH/ENOENT mean it vanished. */
static int
read_int_at(int dirfd, const char *name, struct val *v, unsigned *errors)
{
	char buf[64];
	ssize_t r = read_file_at(dirfd, name, buf, sizeof(buf), NULL);
	int64_t x;

	if (gone(r))
		return -ESRCH;
	if (r < 0) {
		(*errors)++;
		*v = val_unknown((int)-r);
	} else if (parse_int_file(buf, &x) < 0) {
		*v = val_unknown(OL_EPARSE);
	} else {
		*v = val_ok(x);
	}
	return 0;
}

/* The fields stat carries, read every tick: name is "stat" under dirfd, or "PID/stat" under /proc. */
static int
read_stat_at(int dirfd, const char *name, struct proc *p)
{
	char buf[4096];
	struct stat_fields st;
	ssize_t r;

	r = read_file_at(dirfd, name, buf, sizeof(buf), NULL);
	if (gone(r) || r == 0)
		return -ESRCH;
	if (r < 0)
		return (int)r;
	if (parse_proc_stat(buf, &st) < 0)
		return -EINVAL;
	p->pid = st.pid;
	p->ppid = st.ppid;
	p->start_ticks = st.start_ticks;
	proc_set_comm(p, st.comm, sizeof(st.comm));
	p->state = st.state;
	p->nice = (int)st.nice;
	p->cpu_ticks = st.utime + st.stime;
	p->flags &= ~(unsigned)(PROC_KTHREAD | PROC_INIT);
	if (st.flags & OL_PF_KTHREAD)
		p->flags |= PROC_KTHREAD;
	if (p->pid == 1)
		p->flags |= PROC_INIT;
	if (p->flags & PROC_KTHREAD) {
		/* No mm: the kernel prints no Vm lines, and the sizes really are 0. */
		p->vm_size_kb = p->rss_kb = p->swap_kb = p->pgtables_kb = val_ok(0);
	} else {
		/* stat's vsize is VmSize; its rss is VmRSS as the per-CPU counters approximate it (status replaces it). */
		p->vm_size_kb = val_ok((int64_t)(st.vsize_bytes / 1024));
		p->rss_kb = val_ok(st.rss_pages * (sysconf(_SC_PAGESIZE) / 1024));
	}
	return 0;
}

static int
read_stat(int dirfd, struct proc *p)
{
	return read_stat_at(dirfd, "stat", p);
}

int
procs_read_cmdline(int dirfd, const char *name, struct proc *p, unsigned *errors)
{
	char cmd[CMDLINE_MAX + 1];
	ssize_t r = read_file_at(dirfd, name, cmd, sizeof(cmd), NULL);

	if (r < 0) {
		p->cmdline_err = (int)-r;
		if (gone(r))
			return -ESRCH;
		(*errors)++;
		return 0;
	}
	cmdline_flatten(cmd, (size_t)r);
	p->cmdline = rstr_new(cmd);
	return 0;
}

int
procs_read_cgroup(int dirfd, const char *name, int cg_version, struct proc *p, unsigned *errors)
{
	char buf[4096], path[4096];
	ssize_t r = read_file_at(dirfd, name, buf, sizeof(buf), NULL);

	if (r < 0) {
		p->cgroup_err = (int)-r;
		if (gone(r))
			return -ESRCH;
		(*errors)++;
	} else if (cg_parse_proc_cgroup(buf, cg_version, path, sizeof(path)) < 0) {
		p->cgroup_err = OL_EPARSE;
	} else {
		p->cgroup = rstr_new(path);
	}
	return 0;
}

/*
 * The slower-changing files: status, oom_score(_adj), and with texts the
 * cmdline and cgroup.  The cgroup comes from members (may be NULL) when it
 * can vouch for this process.  -ESRCH when it has gone: p may then hold
 * texts, which the caller drops with the rest (proc_release()).
 */
static int
read_rest(int dirfd, int cg_version, const struct cg_members *members, bool texts,
	  struct proc *p, unsigned *errors)
{
	const char *cg_path;
	char buf[4096];
	struct status_fields sf;
	ssize_t r;
	int cap;

	r = read_file_at(dirfd, "status", buf, sizeof(buf), NULL);
	if (gone(r))
		return -ESRCH;
	if (r < 0) {
		(*errors)++;
		sf.uid = sf.euid = sf.vm_size_kb = sf.rss_kb = sf.swap_kb = sf.pgtables_kb =
			sf.cap_eff_hi = sf.cap_eff_lo = val_unknown((int)-r);
	} else {
		parse_proc_status(buf, &sf);
	}
	p->uid = sf.uid;
	p->euid = sf.euid;
	if (!(p->flags & PROC_KTHREAD)) {
		p->vm_size_kb = sf.vm_size_kb;
		p->rss_kb = sf.rss_kb;
		p->swap_kb = sf.swap_kb;
		p->pgtables_kb = sf.pgtables_kb;
	}
	cap = status_has_cap(&sf, CAP_SYS_ADMIN);
	p->cap_sys_admin = cap < 0 ? val_unknown(val_is_ok(sf.cap_eff_lo) ? OL_EPARSE :
						 sf.cap_eff_lo.err) : val_ok(cap);
	cap = status_has_cap(&sf, CAP_SYS_RAWIO);
	p->cap_sys_rawio = cap < 0 ? val_unknown(val_is_ok(sf.cap_eff_lo) ? OL_EPARSE :
						 sf.cap_eff_lo.err) : val_ok(cap);

	if (read_int_at(dirfd, "oom_score", &p->oom_score, errors) < 0 ||
	    read_int_at(dirfd, "oom_score_adj", &p->oom_score_adj, errors) < 0)
		return -ESRCH;
	if (!texts)
		return 0;

	if (procs_read_cmdline(dirfd, "cmdline", p, errors) < 0)
		return -ESRCH;

	if (cg_version == 0) {
		p->cgroup_err = ENODEV;
	} else if ((cg_path = cg_members_lookup(members, p->pid, p->start_ticks))) {
		p->cgroup = rstr_new(cg_path);
	} else if (procs_read_cgroup(dirfd, "cgroup", cg_version, p, errors) < 0) {
		return -ESRCH;
	}
	return 0;
}

static int
read_one(int dirfd, int cg_version, const struct cg_members *members, struct proc *p,
	 unsigned *errors)
{
	int r;

	memset(p, 0, sizeof(*p));
	p->cg = -1;
	r = read_stat(dirfd, p);
	if (r < 0)
		return r;
	r = read_rest(dirfd, cg_version, members, true, p, errors);
	if (r < 0)
		proc_release(p); /* on failure p owns nothing: its slot is reused */
	return r;
}

int
procs_read_one(int dirfd, int cg_version, struct proc *p, unsigned *errors)
{
	return read_one(dirfd, cg_version, NULL, p, errors);
}

/*
 * The cache: what read_rest() read for each known process, in a dense
 * array in PID order.  Both collectors hand the processes over in that
 * order (/proc's directory and the task iterator walk the PIDs upwards),
 * so a tick's lookups walk the array beside them: the entry after the last
 * one found is tried first, then a binary search (a hash lookup each was a
 * cache miss each, a twentieth of a tick at 20,000 processes).  It lives
 * across ticks and is updated in place: a refreshed process's entry is
 * overwritten, a new process's appended, and at the end of a tick the
 * entries not seen in it (processes that have gone) are dropped.  In steady
 * state a tick allocates nothing here but the strings of the processes it
 * refreshes, and the cache holds 96 bytes per process (an entry and its
 * packed slow files, 48 bytes each).
 *
 * Both collectors use it: the bpf collector reads everything but the
 * command lines every tick, so its cache (procs_cache_new_texts()) keeps
 * an entry's identity and texts alone, about 50 bytes a process, and the
 * /proc reader's slow files are in a parallel array it does not have.
 */
struct cache_ent {
	pid_t pid;
	unsigned seen; /* the tick it was last seen in */
	uint64_t start_ticks;
	uint32_t comm_hash; /* a changed comm means an exec: the kept fields are stale */
	bool primed;        /* a command line from the bpf collector's first pass: no comm yet */
	char *cmdline, *cgroup; /* shared with the snapshots (rstr.h) */
	int cmdline_err, cgroup_err;
};

/*
 * The /proc reader's slow files of ents[i], in slow[i]: 48 bytes, the
 * values packed in four bytes each (val_pack32(); 120 bytes as struct vals,
 * 0.4 MiB at 5,000 processes).  A process with a value that does not pack
 * (an RSS above 2 TiB) keeps none (packed false) and is read in full
 * every tick.
 */
static const size_t kept_at[] = {
    offsetof(struct proc, uid),           offsetof(struct proc, euid),
    offsetof(struct proc, rss_kb),        offsetof(struct proc, swap_kb),
    offsetof(struct proc, pgtables_kb),   offsetof(struct proc, cap_sys_admin),
    offsetof(struct proc, cap_sys_rawio), offsetof(struct proc, oom_score),
    offsetof(struct proc, oom_score_adj),
};
#define KEPT_N (sizeof(kept_at) / sizeof(kept_at[0]))

struct cache_slow {
	/*
	 * What stat said at the last full read: a process whose RSS or state
	 * has changed since is read in full in the same tick, so that no row
	 * shows an oom_score older than its RSS (and `!` never means "old").
	 */
	int64_t stat_rss_kb;
	char stat_state;
	bool packed;          /* kept[] holds this process's values */
	int32_t kept[KEPT_N]; /* val_pack32() of p's values at kept_at[] */
};

_Static_assert(sizeof(struct cache_slow) == 48, "the slow files kept are 48 bytes a process");

struct procs_cache {
	struct cache_ent *ents;
	struct cache_slow *slow; /* NULL: a cache of texts alone */
	size_t n, ents_cap;
	size_t sorted_n; /* ents[0 .. sorted_n) are in PID order; those after were added since */
	bool tail_unordered; /* one added this tick is below one added before it (PIDs wrapped) */
	size_t hint;     /* where the next lookup looks first: after the last one found */
	unsigned tick;
	unsigned every;
	unsigned every_texts; /* cmdline and cgroup: a multiple of every */
	bool texts_only;      /* procs_cache_new_texts(): no slow array */
	char *last_cgroup; /* the last cgroup text read: most processes share a few */
};

struct procs_cache *
procs_cache_new(unsigned every, unsigned every_texts)
{
	struct procs_cache *c = xcalloc(1, sizeof(*c));

	c->every = every ? every : 1;
	/* Due together with the other slow files: a multiple of every. */
	c->every_texts = every_texts > c->every ? (every_texts + c->every - 1) / c->every * c->every :
						  c->every;
	return c;
}

struct procs_cache *
procs_cache_new_texts(unsigned every_texts)
{
	struct procs_cache *c = xcalloc(1, sizeof(*c));

	c->every = 1;
	c->every_texts = every_texts;
	c->texts_only = true;
	return c;
}

static void
ent_release(struct cache_ent *e)
{
	rstr_unref(e->cmdline);
	rstr_unref(e->cgroup);
	e->cmdline = e->cgroup = NULL;
}

void
procs_cache_free(struct procs_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		ent_release(&c->ents[i]);
	free(c->ents);
	free(c->slow);
	rstr_unref(c->last_cgroup);
	free(c);
}

void
procs_cache_invalidate(struct procs_cache *c)
{
	/* No process starts at this tick: every entry fails cache_current() once. */
	for (size_t i = 0; c && i < c->n; i++)
		c->ents[i].start_ticks = UINT64_MAX;
}

/* The entry of pid in ents[lo .. hi), which are in PID order, or -1. */
static long
find_sorted(const struct cache_ent *ents, size_t lo, size_t hi, pid_t pid)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ents[mid].pid == pid)
			return (long)mid;
		if (ents[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static struct cache_ent *
cache_find(struct procs_cache *c, pid_t pid)
{
	long i;

	if (c->hint < c->n && c->ents[c->hint].pid == pid)
		return &c->ents[c->hint++];
	/* Those added this tick are in PID order too, unless the PIDs wrapped among them. */
	i = find_sorted(c->ents, 0, c->sorted_n, pid);
	if (i < 0 && !c->tail_unordered)
		i = find_sorted(c->ents, c->sorted_n, c->n, pid);
	for (size_t j = c->sorted_n; i < 0 && c->tail_unordered && j < c->n; j++)
		if (c->ents[j].pid == pid)
			i = (long)j;
	if (i < 0)
		return NULL;
	c->hint = (size_t)i + 1;
	return &c->ents[i];
}

/* A new, empty entry for pid, at the end (procs_cache_end_tick() sorts, if need be). */
static struct cache_ent *
cache_add(struct procs_cache *c, pid_t pid)
{
	struct cache_ent *e;

	if (c->n == c->ents_cap) {
		c->ents_cap = c->ents_cap ? c->ents_cap * 2 : 256;
		c->ents = xrealloc(c->ents, c->ents_cap * sizeof(*c->ents));
		if (!c->texts_only)
			c->slow = xrealloc(c->slow, c->ents_cap * sizeof(*c->slow));
	}
	if (c->n > c->sorted_n && c->ents[c->n - 1].pid > pid)
		c->tail_unordered = true;
	e = &c->ents[c->n];
	memset(e, 0, sizeof(*e));
	if (c->slow)
		memset(&c->slow[c->n], 0, sizeof(*c->slow));
	e->pid = pid;
	c->n++;
	return e;
}

/* The slow files kept for e, an entry of the /proc reader's cache. */
static struct cache_slow *
slow_of(const struct procs_cache *c, const struct cache_ent *e)
{
	return &c->slow[e - c->ents];
}

uint32_t
comm_hash(const char *comm)
{
	uint32_t h = 2166136261u;

	for (; *comm; comm++)
		h = (h ^ (uint8_t)*comm) * 16777619u;
	return h;
}

/* Is e still this process as it was: same start time, and no exec since (same comm)? */
static bool
cache_current(const struct cache_ent *e, const struct proc *p)
{
	return e->start_ticks == p->start_ticks && e->comm_hash == comm_hash(proc_comm(p));
}

/* Is e this process, unchanged in stat (RSS, state) since its last full read? */
static bool
cache_unchanged(const struct procs_cache *c, const struct cache_ent *e, const struct proc *p)
{
	const struct cache_slow *k = slow_of(c, e);

	return k->packed && cache_current(e, p) && k->stat_state == p->state && val_is_ok(p->rss_kb) &&
	       k->stat_rss_kb == p->rss_kb.v;
}

/* stat_rss_kb: the RSS stat showed before status replaced it in p. */
static void
cache_store(struct procs_cache *c, struct cache_ent *e, const struct proc *p, int64_t stat_rss_kb)
{
	struct cache_slow *k = slow_of(c, e);

	ent_release(e);
	e->seen = c->tick;
	k->stat_rss_kb = stat_rss_kb;
	k->stat_state = p->state;
	e->start_ticks = p->start_ticks;
	e->comm_hash = comm_hash(proc_comm(p));
	k->packed = true;
	for (size_t i = 0; i < KEPT_N && k->packed; i++)
		k->packed = val_pack32(*(const struct val *)((const char *)p + kept_at[i]), &k->kept[i]);
	e->cmdline = rstr_ref(p->cmdline);
	e->cmdline_err = p->cmdline_err;
	e->cgroup = rstr_ref(p->cgroup);
	e->cgroup_err = p->cgroup_err;
}

/* Fill p, whose stat fields are fresh, with the kept ones; the texts are shared. */
static void
cache_apply(const struct procs_cache *c, const struct cache_ent *e, struct proc *p)
{
	const struct cache_slow *k = slow_of(c, e);

	/*
	 * RES is VmRSS everywhere (the help names it): since 6.16 status sums
	 * the per-CPU counters while stat's RSS is their approximate total,
	 * so stat's figure is only the change detector (cache_unchanged()).
	 * A kernel thread keeps stat's 0.
	 */
	for (size_t i = 0; i < KEPT_N; i++)
		if (kept_at[i] != offsetof(struct proc, rss_kb) || !(p->flags & PROC_KTHREAD))
			*(struct val *)((char *)p + kept_at[i]) = val_unpack32(k->kept[i]);
	p->cmdline = rstr_ref(e->cmdline);
	p->cmdline_err = e->cmdline_err;
	p->cgroup = rstr_ref(e->cgroup);
	p->cgroup_err = e->cgroup_err;
	p->flags |= PROC_CACHED;
}

struct pid_at {
	pid_t pid;
	size_t i;
};

static int
cmp_pid_at(const void *a, const void *b)
{
	const struct pid_at *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Put the entries back in PID order (after a PID wrap: rare). */
static void
sort_entries(struct procs_cache *c)
{
	struct pid_at *order = xmalloc((c->n ? c->n : 1) * sizeof(*order));
	struct cache_ent *ents = xmalloc(c->ents_cap * sizeof(*ents));
	struct cache_slow *slow = c->slow ? xmalloc(c->ents_cap * sizeof(*slow)) : NULL;

	for (size_t i = 0; i < c->n; i++)
		order[i] = (struct pid_at){c->ents[i].pid, i};
	qsort(order, c->n, sizeof(*order), cmp_pid_at);
	for (size_t i = 0; i < c->n; i++) {
		ents[i] = c->ents[order[i].i];
		if (slow)
			slow[i] = c->slow[order[i].i];
	}
	free(order);
	free(c->ents);
	free(c->slow);
	c->ents = ents;
	c->slow = slow;
}

void
procs_cache_end_tick(struct procs_cache *c)
{
	size_t kept = 0;
	/* In order unless the PIDs wrapped: among those added, or below the kept ones. */
	bool sort = c->tail_unordered || (c->sorted_n > 0 && c->n > c->sorted_n &&
					  c->ents[c->sorted_n].pid < c->ents[c->sorted_n - 1].pid);

	/* Drop the processes that have gone, keeping the order of the rest. */
	for (size_t i = 0; i < c->n; i++) {
		if (c->ents[i].seen != c->tick) {
			ent_release(&c->ents[i]);
			continue;
		}
		if (kept != i) {
			c->ents[kept] = c->ents[i];
			if (c->slow)
				c->slow[kept] = c->slow[i];
		}
		kept++;
	}
	c->n = kept;
	if (sort)
		sort_entries(c);
	c->sorted_n = c->n;
	c->tail_unordered = false;
	c->hint = 0;
	c->tick++;
}

/* ---- command lines alone, for the bpf collector ----------------------- */

bool
procs_cache_take_cmdline(struct procs_cache *c, struct proc *p)
{
	struct cache_ent *e = cache_find(c, p->pid);
	uint32_t h = comm_hash(proc_comm(p));

	/* A process may rewrite its argv in place: re-read now and then, staggered by PID. */
	if (!e || e->start_ticks != p->start_ticks || !(e->primed || e->comm_hash == h) ||
	    (c->every_texts > 1 && (c->tick + (unsigned)p->pid) % c->every_texts == 0))
		return false;
	e->primed = false;
	e->comm_hash = h;
	e->seen = c->tick;
	p->cmdline = rstr_ref(e->cmdline);
	p->cmdline_err = e->cmdline_err;
	return true;
}

void
procs_cache_keep_cmdline(struct procs_cache *c, const struct proc *p)
{
	struct cache_ent *e = cache_find(c, p->pid);

	if (!e)
		e = cache_add(c, p->pid);
	rstr_unref(e->cmdline);
	e->primed = false;
	e->comm_hash = comm_hash(proc_comm(p));
	e->seen = c->tick;
	e->start_ticks = p->start_ticks;
	e->cmdline = rstr_ref(p->cmdline);
	e->cmdline_err = p->cmdline_err;
}

void
procs_cache_prime_cmdline(struct procs_cache *c, pid_t pid, uint64_t start_ticks, const char *text)
{
	struct cache_ent *e = cache_find(c, pid);

	if (!e)
		e = cache_add(c, pid);
	rstr_unref(e->cmdline);
	e->cmdline = rstr_new(text);
	e->cmdline_err = 0;
	e->start_ticks = start_ticks;
	e->primed = true;
	e->seen = c->tick - 1; /* kept only if this tick's pass sees it */
}

/*
 * Where the membership map vouches for p, its cgroup over the one kept in
 * the cache (a move to another cgroup changes nothing in stat); e, when
 * given, follows.  The text is shared with the last one read when equal.
 */
static void
cgroup_from_map(struct procs_cache *c, const struct cg_members *members, struct cache_ent *e,
		struct proc *p)
{
	const char *path = cg_members_lookup(members, p->pid, p->start_ticks);

	if (!path || (p->cgroup && strcmp(p->cgroup, path) == 0))
		return;
	rstr_unref(p->cgroup);
	if (c->last_cgroup && strcmp(c->last_cgroup, path) == 0) {
		p->cgroup = rstr_ref(c->last_cgroup);
	} else {
		p->cgroup = rstr_new(path);
		rstr_unref(c->last_cgroup);
		c->last_cgroup = rstr_ref(p->cgroup);
	}
	p->cgroup_err = 0;
	if (e) {
		rstr_unref(e->cgroup);
		e->cgroup = rstr_ref(p->cgroup);
		e->cgroup_err = 0;
	}
}

/*
 * A known process whose slow files are not due this tick: only its stat is
 * read, through "PID/stat" under /proc, without opening the PID's directory
 * (a fifth of a tick's cost at 5,000 processes).  One file cannot mix two
 * processes; a reused PID shows as another start time, an exec as another comm.  0 when p is filled
 * from stat and the cache, -ESRCH when it has gone, -EAGAIN when the full
 * read must decide (start time changed, or stat could not be read).
 */
static int
read_stat_only(int procfd, const char *pid_name, const struct cg_members *members,
	       struct procs_cache *c, struct cache_ent *e, struct proc *p)
{
	char name[32];
	int r;

	if (snprintf(name, sizeof(name), "%s/stat", pid_name) >= (int)sizeof(name))
		return -EAGAIN;
	memset(p, 0, sizeof(*p));
	p->cg = -1;
	r = read_stat_at(procfd, name, p);
	if (r == -ESRCH)
		return r;
	if (r < 0 || p->pid != e->pid || !cache_unchanged(c, e, p)) {
		proc_release(p);
		return -EAGAIN;
	}
	cache_apply(c, e, p);
	cgroup_from_map(c, members, e, p);
	e->seen = c->tick;
	return 0;
}

/*
 * Read one process, from the cache where it is fresh enough.  Returns 0,
 * -ESRCH when it has gone, another -errno if stat cannot be read.
 */
static int
read_cached(int fd, int cg_version, const struct cg_members *members, struct procs_cache *c,
	    struct proc *p, unsigned *errors)
{
	struct cache_ent *e;
	int64_t stat_rss_kb;
	bool texts;
	int r;

	memset(p, 0, sizeof(*p));
	p->cg = -1;
	r = read_stat(fd, p);
	if (r < 0)
		return r;
	stat_rss_kb = val_is_ok(p->rss_kb) ? p->rss_kb.v : -1;
	e = cache_find(c, p->pid);
	if (e && cache_unchanged(c, e, p) && (c->tick + (unsigned)p->pid) % c->every) {
		cache_apply(c, e, p);
		cgroup_from_map(c, members, e, p);
		e->seen = c->tick;
		return 0;
	}
	/*
	 * A known process's cmdline and cgroup change far less often than its
	 * status (an exec, which shows as another comm, or a move to another
	 * cgroup): they are read every every_texts ticks.  The cgroup is
	 * fresh every tick anyway wherever the membership map vouches for the
	 * process (cgroup_from_map()).
	 */
	texts = !e || !cache_current(e, p) || (c->tick + (unsigned)p->pid) % c->every_texts == 0;
	r = read_rest(fd, cg_version, members, texts, p, errors);
	if (r < 0) {
		proc_release(p); /* on failure p owns nothing: its slot is reused */
		return r;
	}
	if (!texts) {
		p->cmdline = rstr_ref(e->cmdline);
		p->cmdline_err = e->cmdline_err;
		p->cgroup = rstr_ref(e->cgroup);
		p->cgroup_err = e->cgroup_err;
		cgroup_from_map(c, members, NULL, p);
	}
	/* One text for a run of processes in the same cgroup (the cache keeps them all). */
	if (p->cgroup && c->last_cgroup && strcmp(p->cgroup, c->last_cgroup) == 0) {
		rstr_unref(p->cgroup);
		p->cgroup = rstr_ref(c->last_cgroup);
	} else if (p->cgroup) {
		rstr_unref(c->last_cgroup);
		c->last_cgroup = rstr_ref(p->cgroup);
	}
	if (!e)
		e = cache_add(c, p->pid);
	cache_store(c, e, p, stat_rss_kb);
	return 0;
}

static bool
wanted(pid_t pid, const pid_t *pids, size_t n)
{
	if (!pids)
		return true;
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/*
 * Is /proc's PID 1 the global init, the only process the OOM killer exempts
 * (is_global_init())?  Inside a container's PID namespace PID 1 is an
 * ordinary, killable process.  The initial PID namespace's inode is fixed
 * (PROC_PID_INIT_INO); when the link cannot be read, assume it is.
 */
static bool
pid1_is_global_init(int procfd)
{
	char buf[64];
	ssize_t n = readlinkat(procfd, "1/ns/pid", buf, sizeof(buf) - 1);

	if (n <= 0)
		return true;
	buf[n] = '\0';
	return strcmp(buf, "pid:[4026531836]") == 0;
}

int
procs_collect(const char *root, int cg_version, const struct cg_members *members,
	      const pid_t *pids, size_t n_pids, struct procs_cache *cache,
	      struct procs_result *res)
{
	char path[4096];
	size_t cap = 256;
	struct dirent *de;
	bool global_init;
	DIR *dir;
	int procfd;

	assert(!cache || !cache->texts_only);
	memset(res, 0, sizeof(*res));
	path_join(path, sizeof(path), root, "/proc");
	procfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -errno;
	dir = fdopendir(procfd);
	if (!dir) {
		int e = errno;

		close(procfd);
		return -e;
	}
	if (cache && cache->n + cache->n / 8 > cap)
		cap = cache->n + cache->n / 8; /* room for the last tick's processes and some */
	res->procs = xmalloc(cap * sizeof(*res->procs));
	global_init = pid1_is_global_init(procfd);
	while ((de = readdir(dir))) {
		struct cache_ent *e;
		struct proc *p;
		uint64_t pid;
		int fd, r;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    parse_u64_full(de->d_name, &pid) < 0 || pid > INT32_MAX)
			continue;
		if (!wanted((pid_t)pid, pids, n_pids))
			continue;
		if (res->n == cap) {
			cap *= 2;
			res->procs = xrealloc(res->procs, cap * sizeof(*res->procs));
		}
		p = &res->procs[res->n];
		if (cache && (cache->tick + (unsigned)pid) % cache->every &&
		    (e = cache_find(cache, (pid_t)pid))) {
			r = read_stat_only(procfd, de->d_name, members, cache, e, p);
			if (r == 0) {
				if (!global_init)
					p->flags &= ~(unsigned)PROC_INIT;
				res->n++;
				continue;
			}
			if (r == -ESRCH) {
				res->vanished++;
				continue;
			}
		}
		fd = openat(procfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT || errno == ESRCH)
				res->vanished++;
			else
				res->errors++;
			continue;
		}
		if (cache)
			r = read_cached(fd, cg_version, members, cache, p, &res->errors);
		else
			r = read_one(fd, cg_version, members, p, &res->errors);
		close(fd);
		if (r == -ESRCH) {
			res->vanished++;
			continue;
		}
		if (r < 0) {
			res->errors++;
			continue;
		}
		if (!global_init)
			p->flags &= ~(unsigned)PROC_INIT;
		res->n++;
	}
	closedir(dir);
	if (cache)
		procs_cache_end_tick(cache);
	return 0;
}
