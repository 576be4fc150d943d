/*
 * collect_bpf.c - the bpf collector (collect_bpf.h).  It owns the loaded
 * program and its iterator link, its cache of command lines (procs.c's
 * per-process cache holding texts alone: a line is read from /proc once per
 * process, keyed by PID, start time and comm) and the mapping of
 * the records' cgroup ids (kernfs ids, the inode numbers of the cgroup
 * directories, v1 and v2) to this tick's cgroup paths.  It never writes.
 */
#include "config.h"

#include "collect_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf_record.h"
#include "cgroup.h"
#include "parse.h"
#include "procs.h"
#include "rstr.h"
#include "util.h"

#define CMDLINE_MAX 4096

/* One integer /proc file of a process, pinned by its start time via stat. */
struct val
bpf_coll_kernel_oom_score(const struct proc *p)
{
	char name[64], buf[4096];
	struct stat_fields st;
	struct val v;
	int64_t x;
	ssize_t r;
	int fd;

	snprintf(name, sizeof(name), "/proc/%d", (int)p->pid);
	fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return val_unknown(errno);
	r = read_file_at(fd, "oom_score", buf, sizeof(buf), NULL);
	if (r < 0)
		v = val_unknown((int)-r);
	else if (parse_int_file(buf, &x) < 0)
		v = val_unknown(OL_EPARSE);
	else
		v = val_ok(x);
	/* Read after oom_score through the same fd: another process's would fail. */
	r = read_file_at(fd, "stat", buf, sizeof(buf), NULL);
	close(fd);
	if (r <= 0 || parse_proc_stat(buf, &st) < 0 || st.start_ticks != p->start_ticks)
		return val_unknown(ESRCH);
	return v;
}

static void
settle_victim(struct snapshot *s, const struct victim *v)
{
	struct proc *p;

	if (v->pid == 0 || !(p = (struct proc *)snap_find_proc(s, v->pid)) ||
	    !(p->flags & PROC_SCORE_COMPUTED))
		return;
	p->oom_score = bpf_coll_kernel_oom_score(p);
	p->flags &= ~(unsigned)PROC_SCORE_COMPUTED;
	if (val_is_ok(p->oom_score) && val_is_ok(p->oom_score_recomputed))
		p->oom_score_agrees = val_ok(llabs(p->oom_score_recomputed.v - p->oom_score.v) <= 1);
	else
		p->oom_score_agrees = val_unknown(OL_EMISSING);
}

void
bpf_coll_settle_scores(struct snapshot *s)
{
	for (size_t i = 0; i < s->n_procs; i++) {
		struct proc *p = &s->procs[i];

		if (!(p->flags & PROC_SCORE_COMPUTED))
			continue;
		p->oom_score = p->oom_score_recomputed;
		/* No mm (a zombie): oom_badness() finds none and /proc prints 0. */
		if (!val_is_ok(p->oom_score) && p->rss_kb.err == OL_EMISSING)
			p->oom_score = val_ok(0);
		p->oom_score_agrees = val_unknown(OL_ENOTCMP);
	}
	settle_victim(s, &s->host_victim);
	for (size_t c = 0; c < s->n_cgroups; c++)
		settle_victim(s, &s->cgroups[c].next_victim);
}

#ifndef HAVE_BPF

int
bpf_coll_open(struct bpf_coll **out, unsigned texts_every, char *why, size_t whysz)
{
	(void)texts_every;
	*out = NULL;
	snprintf(why, whysz, "built without BPF support (configure --disable-bpf)");
	return -ENOSYS;
}

void
bpf_coll_free(struct bpf_coll *c)
{
	(void)c;
}

int
bpf_coll_procs(struct bpf_coll *c, const struct host *h, int cg_version,
	       const struct cgroup *cgs, size_t n_cgs,
	       struct procs_result *res)
{
	return -ENOSYS;
}

#else /* HAVE_BPF */

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "oomlens.skel.h"
#include "oomlens_old.skel.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* PROC_PID_INIT_INO: the initial PID namespace's fixed inode number. */
#define OL_INIT_PIDNS_INO 0xEFFFFFFCu

struct cg_ino {
	uint64_t ino;
	size_t idx;
};

struct bpf_coll {
	/* One of the two: the program with bpf_rdonly_cast() (6.2 on), or without. */
	struct oomlens_bpf *skel;
	struct oomlens_old_bpf *old;
	int tasks_link, cmdlines_link; /* the iterators' links, of whichever is loaded */
	char buf[64 * 1024];
	struct procs_cache *cmds; /* the command lines (procs.c's cache, texts alone) */
	size_t last_n;            /* processes in the last tick: sizes the next one's array */
	unsigned tick;
	struct cg_ino *inos; /* this tick's cgroups by directory inode */
	size_t n_inos;
	char **cg_texts;     /* this tick's shared path texts, by cgroup index */
};

static int
silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static bool
has_caps(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];
	uint64_t eff;

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d) < 0)
		return false;
	eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	if (eff & (1ull << CAP_SYS_ADMIN))
		return true;
	return (eff & (1ull << CAP_BPF)) && (eff & (1ull << CAP_PERFMON));
}

/* Why this process cannot use the bpf collector here, or NULL; *cast: the kernel has bpf_rdonly_cast(). */
static const char *
unusable(char *why, size_t whysz, bool *cast)
{
	struct utsname u;
	struct stat st;
	unsigned maj = 0, min = 0;

	*cast = true;

	if (stat("/proc/self/ns/pid", &st) == 0 && st.st_ino != OL_INIT_PIDNS_INO)
		return "not in the initial PID namespace";
	/*
	 * Task iterators came in 5.8; the light skeleton's loader, which
	 * relocates the program inside the kernel (no 5 MB of BTF parsed here
	 * at every start), and bpf_loop() need 5.17, the command-line
	 * iterator's bpf_copy_from_user_task() 5.18.
	 */
	if (uname(&u) == 0 && sscanf(u.release, "%u.%u", &maj, &min) == 2 &&
	    (maj < 5 || (maj == 5 && min < 18))) {
		snprintf(why, whysz, "kernel %s is older than 5.18 (BPF task iterator with in-kernel CO-RE)",
			 u.release);
		return why;
	}
	if (maj == 5 || (maj == 6 && min < 2))
		*cast = false;
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return "no kernel BTF (/sys/kernel/btf/vmlinux)";
	if (!has_caps())
		return "no CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)";
	return NULL;
}

static void
unload(struct bpf_coll *c)
{
	oomlens_bpf__destroy(c->skel);
	oomlens_old_bpf__destroy(c->old);
	c->skel = NULL;
	c->old = NULL;
}

/*
 * The program with the cast where the kernel should have it; the one
 * without where it has not, or where the cast's failed to load (a
 * kernel whose version says more than it has): 0 or -errno.
 */
static int
load(struct bpf_coll *c, bool cast, bool *attach_failed)
{
	int r = 0;

	*attach_failed = false;
	if (cast && (c->skel = oomlens_bpf__open_and_load())) {
		r = oomlens_bpf__attach(c->skel);
		if (r == 0) {
			c->tasks_link = c->skel->links.oomlens_tasks_fd;
			c->cmdlines_link = c->skel->links.oomlens_cmdlines_fd;
			return 0;
		}
		unload(c);
	}
	c->old = oomlens_old_bpf__open_and_load();
	if (!c->old)
		return errno ? -errno : -EINVAL;
	r = oomlens_old_bpf__attach(c->old);
	if (r < 0) {
		*attach_failed = true;
		unload(c);
		return r;
	}
	c->tasks_link = c->old->links.oomlens_tasks_fd;
	c->cmdlines_link = c->old->links.oomlens_cmdlines_fd;
	return 0;
}

int
bpf_coll_open(struct bpf_coll **out, unsigned texts_every, char *why, size_t whysz)
{
	const char *no;
	struct bpf_coll *c;
	bool cast, attach_failed;
	int r;

	*out = NULL;
	if ((no = unusable(why, whysz, &cast))) {
		if (no != why)
			snprintf(why, whysz, "%s", no);
		return -EPERM;
	}
	libbpf_set_print(silent); /* the light skeleton needs none of it: kept quiet all the same */
	c = xcalloc(1, sizeof(*c));
	r = load(c, cast, &attach_failed);
	if (r < 0) {
		if (attach_failed)
			snprintf(why, whysz, "cannot attach the BPF task iterator: %s", strerror(-r));
		else
			snprintf(why, whysz, "cannot load the BPF program: %s", strerror(-r));
		free(c);
		return r;
	}
	c->cmds = procs_cache_new_texts(texts_every);
	*out = c;
	return 0;
}

void
bpf_coll_free(struct bpf_coll *c)
{
	if (!c)
		return;
	procs_cache_free(c->cmds);
	free(c->inos);
	free(c->cg_texts);
	unload(c);
	free(c);
}

static int
cmp_ino(const void *a, const void *b)
{
	const struct cg_ino *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* This tick's cgroups, sorted by their directories' inode numbers. */
static void
index_cgroups(struct bpf_coll *c, const struct cgroup *cgs, size_t n)
{
	struct stat st;

	free(c->inos);
	free(c->cg_texts);
	c->inos = xmalloc((n ? n : 1) * sizeof(*c->inos));
	c->cg_texts = xcalloc(n ? n : 1, sizeof(*c->cg_texts));
	c->n_inos = 0;
	for (size_t i = 0; i < n; i++) {
		if (stat(cgs[i].fs_path, &st) < 0)
			continue;
		c->inos[c->n_inos].ino = st.st_ino;
		c->inos[c->n_inos++].idx = i;
	}
	qsort(c->inos, c->n_inos, sizeof(*c->inos), cmp_ino);
}

static const struct cg_ino *
find_ino(const struct bpf_coll *c, uint64_t ino)
{
	struct cg_ino key = {.ino = ino};

	return ino ? bsearch(&key, c->inos, c->n_inos, sizeof(key), cmp_ino) : NULL;
}

/* The cgroup text of p: from the id when the tick's list has it, else /proc/PID/cgroup. */
static void
set_cgroup(struct bpf_coll *c, int cg_version, const struct cgroup *cgs, uint64_t id,
	   bool exiting, struct proc *p, unsigned *errors)
{
	const struct cg_ino *ci = find_ino(c, id);
	char name[64];

	if (cg_version == 0) {
		p->cgroup_err = ENODEV;
		return;
	}
	if (exiting && cg_version == 1) {
		/* proc_cgroup_show(): a v1 hierarchy shows an exiting task in "/". */
		p->cgroup = rstr_new("/");
		return;
	}
	if (ci) {
		if (!c->cg_texts[ci->idx])
			c->cg_texts[ci->idx] = rstr_new(cgs[ci->idx].path);
		p->cgroup = rstr_ref(c->cg_texts[ci->idx]);
		return;
	}
	/* A cgroup made after this tick's walk, or outside it. */
	snprintf(name, sizeof(name), "/proc/%d/cgroup", (int)p->pid);
	(void)procs_read_cgroup(AT_FDCWD, name, cg_version, p, errors); /* gone: its error shows */
}

/* The cmdline of p: kept from an earlier tick for the same (pid, start, comm), else read. */
static void
set_cmdline(struct bpf_coll *c, struct proc *p, unsigned *errors)
{
	char name[64];

	if (procs_cache_take_cmdline(c->cmds, p))
		return;
	snprintf(name, sizeof(name), "/proc/%d/cmdline", (int)p->pid);
	(void)procs_read_cmdline(AT_FDCWD, name, p, errors); /* gone: its error shows */
	procs_cache_keep_cmdline(c->cmds, p);
}

/*
 * The first tick: every command line from one pass of the sleepable
 * iterator (bpf_copy_from_user_task()), not one /proc file a process, which
 * was two thirds of a batch snapshot's cost.  Later ticks read the few new
 * processes' from /proc.  A failure leaves them to /proc too.
 */
static void
prime_cmdlines(struct bpf_coll *c, long clk_tck)
{
	char text[OL_BPF_CMD_MAX + 1];
	size_t len = 0;
	int fd = bpf_iter_create(c->cmdlines_link);

	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, c->buf + len, sizeof(c->buf) - len);
		size_t off = 0;
		struct bpf_cmdline cmd;
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		while ((r = bpf_cmd_decode(c->buf, len, &off, clk_tck, &cmd)) == 0) {
			memcpy(text, cmd.bytes, cmd.len);
			cmdline_flatten(text, cmd.len);
			procs_cache_prime_cmdline(c->cmds, cmd.pid, cmd.start_ticks, text);
		}
		if (r == -EINVAL)
			break;
		memmove(c->buf, c->buf + off, len - off);
		len -= off;
	}
	close(fd);
}

/* Forget the command lines of processes this tick did not see. */
static void
end_tick(struct bpf_coll *c)
{
	procs_cache_end_tick(c->cmds);
	c->tick++;
	for (size_t i = 0; i < c->n_inos; i++)
		rstr_unref(c->cg_texts[c->inos[i].idx]);
	memset(c->cg_texts, 0, c->n_inos * sizeof(*c->cg_texts));
}

/* Decode the whole records in c->buf[0, *len); keep a partial one at the front. */
static int
decode_chunk(struct bpf_coll *c, const struct host *h, int cg_version, const struct cgroup *cgs,
	     size_t *len, size_t *cap,
	     struct procs_result *res)
{
	size_t off = 0;

	while (*len - off >= sizeof(struct ol_bpf_rec)) {
		struct bpf_rec_extra x;
		struct proc *p;
		int r;

		if (res->n == *cap) {
			*cap *= 2;
			res->procs = xrealloc(res->procs, *cap * sizeof(*res->procs));
		}
		p = &res->procs[res->n];
		r = bpf_rec_decode(c->buf, *len, &off, h->clk_tck, h->page_size, p, &x);
		if (r < 0)
			return -EPROTO;
		p->flags |= PROC_SCORE_COMPUTED;
		p->oom_score = val_unknown(OL_ENOTCMP);
		set_cgroup(c, cg_version, cgs, cg_version == 2 ? x.dfl_cgrp_id : x.memcg_id,
			   x.exiting, p,
			   &res->errors);
		set_cmdline(c, p, &res->errors);
		res->n++;
	}
	memmove(c->buf, c->buf + off, *len - off);
	*len -= off;
	return 0;
}

/*
 * This machine's 6.18 kernel's task iterator starts after PID 1 (a plain
 * iter/task program that prints every tgid prints 2 first): init is read
 * from /proc, as the /proc collector reads every process, so it is never
 * missing from a snapshot (nor from -p 1).  The collector runs only in the
 * initial PID namespace, so this is the host's init.
 */
static void
add_init_from_proc(int cg_version, size_t *cap, struct procs_result *res)
{
	int dirfd;

	for (size_t i = 0; i < res->n; i++)
		if (res->procs[i].pid == 1)
			return;
	dirfd = open("/proc/1", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		res->errors++;
		return;
	}
	if (res->n == *cap) {
		*cap *= 2;
		res->procs = xrealloc(res->procs, *cap * sizeof(*res->procs));
	}
	if (procs_read_one(dirfd, cg_version, &res->procs[res->n], &res->errors) == 0)
		res->n++;
	close(dirfd);
}

int
bpf_coll_procs(struct bpf_coll *c, const struct host *h, int cg_version,
	       const struct cgroup *cgs, size_t n_cgs,
	       struct procs_result *res)
{
	size_t cap = c->last_n + c->last_n / 8 > 256 ? c->last_n + c->last_n / 8 : 256;
	size_t len = 0;
	int fd, r = 0;

	memset(res, 0, sizeof(*res));
	fd = bpf_iter_create(c->tasks_link);
	if (fd < 0)
		return -errno;
	index_cgroups(c, cgs, n_cgs);
	if (c->tick == 0)
		prime_cmdlines(c, h->clk_tck);
	res->procs = xmalloc(cap * sizeof(*res->procs));
	for (;;) {
		ssize_t n = read(fd, c->buf + len, sizeof(c->buf) - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0) {
			r = len ? -EPROTO : 0; /* a partial record at the end */
			break;
		}
		len += (size_t)n;
		r = decode_chunk(c, h, cg_version, cgs, &len, &cap, res);
		if (r < 0)
			break;
	}
	close(fd);
	end_tick(c);
	c->last_n = res->n;
	if (r == 0)
		add_init_from_proc(cg_version, &cap, res);
	if (r < 0) {
		for (size_t i = 0; i < res->n; i++)
			proc_release(&res->procs[i]);
		free(res->procs);
		memset(res, 0, sizeof(*res));
	}
	return r;
}

#endif /* HAVE_BPF */
