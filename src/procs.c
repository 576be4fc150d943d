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

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "parse.h"
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

/* The fields stat carries, read every tick. */
static int
read_stat(int dirfd, struct proc *p)
{
	char buf[4096];
	struct stat_fields st;
	ssize_t r;

	r = read_file_at(dirfd, "stat", buf, sizeof(buf), NULL);
	if (gone(r) || r == 0)
		return -ESRCH;
	if (r < 0)
		return (int)r;
	if (parse_proc_stat(buf, &st) < 0)
		return -EINVAL;
	p->pid = st.pid;
	p->ppid = st.ppid;
	p->start_ticks = st.start_ticks;
	memcpy(p->comm, st.comm, sizeof(p->comm));
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
		/* stat's vsize and rss are VmSize and VmRSS, in bytes and pages. */
		p->vm_size_kb = val_ok((int64_t)(st.vsize_bytes / 1024));
		p->rss_kb = val_ok(st.rss_pages * (sysconf(_SC_PAGESIZE) / 1024));
	}
	return 0;
}

/* The slower-changing files: status, oom_score(_adj), cmdline, cgroup. */
static int
read_rest(int dirfd, int cg_version, struct proc *p, unsigned *errors)
{
	char buf[4096];
	char cmd[CMDLINE_MAX + 1];
	struct status_fields sf;
	bool trunc;
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

	r = read_file_at(dirfd, "cmdline", cmd, sizeof(cmd), &trunc);
	if (gone(r))
		return -ESRCH;
	if (r < 0) {
		(*errors)++;
		p->cmdline_err = (int)-r;
	} else {
		cmdline_flatten(cmd, (size_t)r);
		p->cmdline = xstrdup(cmd);
	}

	if (cg_version == 0) {
		p->cgroup_err = ENODEV;
	} else {
		r = read_file_at(dirfd, "cgroup", buf, sizeof(buf), NULL);
		if (gone(r)) {
			free(p->cmdline);
			p->cmdline = NULL;
			return -ESRCH;
		}
		if (r < 0) {
			(*errors)++;
			p->cgroup_err = (int)-r;
		} else if (cg_parse_proc_cgroup(buf, cg_version, cmd, sizeof(cmd)) < 0) {
			p->cgroup_err = OL_EPARSE;
		} else {
			p->cgroup = xstrdup(cmd);
		}
	}
	return 0;
}

int
procs_read_one(int dirfd, int cg_version, struct proc *p, unsigned *errors)
{
	int r;

	memset(p, 0, sizeof(*p));
	p->cg = -1;
	r = read_stat(dirfd, p);
	if (r < 0)
		return r;
	return read_rest(dirfd, cg_version, p, errors);
}

/*
 * The cache: an open-addressed table keyed by PID, rebuilt every tick from
 * the processes seen in it, so a process that has gone simply is not carried
 * over.  Each entry owns its copies of cmdline and cgroup.
 */
struct cache_ent {
	pid_t pid; /* 0: empty slot */
	struct proc p;
};

struct procs_cache {
	struct cache_ent *tab;
	size_t cap; /* a power of two, or 0 */
	size_t last_n; /* processes seen in the last tick */
	unsigned tick;
	unsigned every;
};

struct procs_cache *
procs_cache_new(unsigned every)
{
	struct procs_cache *c = xcalloc(1, sizeof(*c));

	c->every = every ? every : 1;
	return c;
}

static void
ent_release(struct cache_ent *e)
{
	free(e->p.cmdline);
	free(e->p.cgroup);
}

static void
tab_free(struct cache_ent *tab, size_t cap)
{
	for (size_t i = 0; i < cap; i++)
		if (tab[i].pid)
			ent_release(&tab[i]);
	free(tab);
}

void
procs_cache_free(struct procs_cache *c)
{
	if (!c)
		return;
	tab_free(c->tab, c->cap);
	free(c);
}

static size_t
slot_of(const struct cache_ent *tab, size_t cap, pid_t pid)
{
	size_t i = ((size_t)(uint32_t)pid * 2654435761u) & (cap - 1);

	while (tab[i].pid && tab[i].pid != pid)
		i = (i + 1) & (cap - 1);
	return i;
}

static struct cache_ent *
cache_find(struct procs_cache *c, pid_t pid)
{
	size_t i;

	if (!c || !c->cap)
		return NULL;
	i = slot_of(c->tab, c->cap, pid);
	return c->tab[i].pid == pid ? &c->tab[i] : NULL;
}

/* A deep copy of p's strings, so the snapshot and the cache own theirs. */
static void
proc_copy(struct proc *dst, const struct proc *src)
{
	*dst = *src;
	dst->cmdline = src->cmdline ? xstrdup(src->cmdline) : NULL;
	dst->cgroup = src->cgroup ? xstrdup(src->cgroup) : NULL;
}

/*
 * Read one process, from the cache where it is fresh enough.  Returns 0,
 * -ESRCH when it has gone, another -errno if stat cannot be read.
 */
static int
read_cached(int fd, int cg_version, struct procs_cache *c, struct cache_ent *old, struct proc *p,
	    unsigned *errors)
{
	struct proc st;
	int r;

	memset(&st, 0, sizeof(st));
	r = read_stat(fd, &st);
	if (r < 0)
		return r;
	if (old && old->p.start_ticks == st.start_ticks && (c->tick + (unsigned)st.pid) % c->every) {
		proc_copy(p, &old->p);
		p->pid = st.pid;
		p->ppid = st.ppid;
		memcpy(p->comm, st.comm, sizeof(p->comm));
		p->state = st.state;
		p->nice = st.nice;
		p->cpu_ticks = st.cpu_ticks;
		p->vm_size_kb = st.vm_size_kb;
		p->rss_kb = st.rss_kb;
		p->flags = st.flags | PROC_CACHED;
		p->cg = -1;
		return 0;
	}
	*p = st;
	p->cg = -1;
	return read_rest(fd, cg_version, p, errors);
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

int
procs_collect(const char *root, int cg_version, const pid_t *pids, size_t n_pids,
	      struct procs_cache *cache, struct procs_result *res)
{
	char path[4096];
	size_t cap = 256, newcap = 0;
	struct cache_ent *newtab = NULL;
	struct dirent *de;
	DIR *dir;
	int procfd;

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
	if (cache) {
		/* At most half full, with room for the last tick's processes twice over. */
		newcap = 1024;
		while (newcap < cache->last_n * 4 && newcap < ((size_t)1 << 24))
			newcap *= 2;
		newtab = xcalloc(newcap, sizeof(*newtab));
		cap = newcap / 4;
	}
	res->procs = xmalloc(cap * sizeof(*res->procs));
	while ((de = readdir(dir))) {
		struct proc *p;
		uint64_t pid;
		int fd, r;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    parse_u64_full(de->d_name, &pid) < 0 || pid > INT32_MAX)
			continue;
		if (!wanted((pid_t)pid, pids, n_pids))
			continue;
		fd = openat(procfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT || errno == ESRCH)
				res->vanished++;
			else
				res->errors++;
			continue;
		}
		if (res->n == cap) {
			cap *= 2;
			res->procs = xrealloc(res->procs, cap * sizeof(*res->procs));
		}
		p = &res->procs[res->n];
		if (cache)
			r = read_cached(fd, cg_version, cache, cache_find(cache, (pid_t)pid), p,
					&res->errors);
		else
			r = procs_read_one(fd, cg_version, p, &res->errors);
		close(fd);
		if (r == -ESRCH) {
			res->vanished++;
			continue;
		}
		if (r < 0) {
			res->errors++;
			continue;
		}
		res->n++;
		if (cache && res->n * 2 <= newcap) {
			struct cache_ent *e = &newtab[slot_of(newtab, newcap, p->pid)];

			if (e->pid)
				continue; /* the same PID listed twice: keep the first */
			e->pid = p->pid;
			proc_copy(&e->p, p);
			e->p.flags &= ~(unsigned)PROC_CACHED;
		}
	}
	closedir(dir);
	if (cache) {
		tab_free(cache->tab, cache->cap);
		cache->tab = newtab;
		cache->cap = newcap;
		cache->last_n = res->n;
		cache->tick++;
	}
	return 0;
}
