/*
 * cgroup.c - the memory controller on cgroup v1, v2 and hybrid hosts.
 *
 * Owns: finding the memory controller's mount in mountinfo, parsing
 * /proc/PID/cgroup and the cgroup value files, and walking the hierarchy
 * into struct cgroup (v1 and v2 backends behind one interface).  What is
 * available under a limit is avail.c's arithmetic over what this reads.
 *
 * Must not: write to cgroupfs, assume where anything is mounted, or turn a
 * value it could not read into 0.  A cgroup that vanishes during the walk
 * (ENOENT) is dropped; any other unreadable file leaves its field unknown
 * with the errno kept.
 */
#include "config.h"

#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "util.h"

/* Deeper cgroups than this are not walked: the fd chain stays bounded. */
#define CG_MAX_DEPTH 64
/* memory.stat on a 6.x kernel is about 2 KiB; leave room for many more keys. */
#define CG_STAT_BUF (64 * 1024)
/* mountinfo on a host with thousands of container mounts can be large. */
#define CG_MOUNTINFO_MAX (16 * 1024 * 1024)

/* ---- mountinfo ---------------------------------------------------------- */

struct tok {
	const char *s;
	size_t n;
};

struct mi_line {
	struct tok root, mnt, fstype, superopts;
};

static bool
tok_eq(struct tok t, const char *s)
{
	return strlen(s) == t.n && memcmp(t.s, s, t.n) == 0;
}

/* Does the comma-separated list t hold the entry word exactly? */
static bool
list_has(const char *s, size_t n, const char *word)
{
	size_t wl = strlen(word);
	size_t i = 0;

	while (i <= n) {
		size_t j = i;

		while (j < n && s[j] != ',')
			j++;
		if (j - i == wl && memcmp(s + i, word, wl) == 0)
			return true;
		i = j + 1;
	}
	return false;
}

/* Is t a whole decimal number? */
static bool
tok_is_num(struct tok t)
{
	if (t.n == 0)
		return false;
	for (size_t i = 0; i < t.n; i++)
		if (t.s[i] < '0' || t.s[i] > '9')
			return false;
	return true;
}

/* Split one mountinfo line starting at p into l; 0, or -EINVAL if it is not a mount line. */
static int
mi_parse_line(const char *p, const char *eol, struct mi_line *l)
{
	struct tok f[64];
	size_t nf = 0;
	size_t sep;

	while (p < eol) {
		const char *q;

		while (p < eol && *p == ' ')
			p++;
		if (p >= eol)
			break;
		q = p;
		while (q < eol && *q != ' ')
			q++;
		if (nf == ARRAY_SIZE(f))
			return -EINVAL;
		f[nf].s = p;
		f[nf].n = (size_t)(q - p);
		nf++;
		p = q;
	}
	/* id parent maj:min root mountpoint opts [optional...] - fstype source superopts */
	if (nf < 10 || !tok_is_num(f[0]) || !tok_is_num(f[1]) || !memchr(f[2].s, ':', f[2].n))
		return -EINVAL;
	if (f[3].s[0] != '/' || f[4].s[0] != '/')
		return -EINVAL;
	for (sep = 6; sep < nf; sep++)
		if (tok_eq(f[sep], "-"))
			break;
	if (sep + 3 >= nf)
		return -EINVAL;
	l->root = f[3];
	l->mnt = f[4];
	l->fstype = f[sep + 1];
	l->superopts = f[sep + 3];
	return 0;
}

/* Is c an octal digit no larger than hi? */
static bool
is_odigit(char c, char hi)
{
	return c >= '0' && c <= hi;
}

/* Undo mountinfo's octal escapes (\040 for a space) into out; -EINVAL or -ENAMETOOLONG. */
static int
mi_unescape(struct tok t, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < t.n; i++) {
		char c = t.s[i];

		if (c == '\\' && i + 3 < t.n && is_odigit(t.s[i + 1], '3') &&
		    is_odigit(t.s[i + 2], '7') && is_odigit(t.s[i + 3], '7')) {
			c = (char)((t.s[i + 1] - '0') * 64 + (t.s[i + 2] - '0') * 8 +
				   (t.s[i + 3] - '0'));
			if (c == '\0')
				return -EINVAL;
			i += 3;
		}
		if (o + 1 >= outsz)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/*
 * The v1 memory mount, or else the skip_v2-th cgroup2 mount (0-based).
 * *bad is set when some line did not parse.
 */
static int
mi_pick(const char *buf, struct cg_mount *m, int skip_v2, bool *bad)
{
	struct mi_line v2;
	bool have_v2 = false;
	int seen_v2 = 0;
	const char *p = buf;

	*bad = false;
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		struct mi_line l;
		bool last = !eol;

		if (!eol)
			eol = p + strlen(p);
		if (mi_parse_line(p, eol, &l) < 0) {
			*bad = true;
		} else if (tok_eq(l.fstype, "cgroup") &&
			   list_has(l.superopts.s, l.superopts.n, "memory")) {
			if (mi_unescape(l.mnt, m->mount, sizeof(m->mount)) == 0 &&
			    mi_unescape(l.root, m->root, sizeof(m->root)) == 0) {
				m->version = 1;
				m->err = 0;
				return 0;
			}
			*bad = true;
		} else if (tok_eq(l.fstype, "cgroup2") && !have_v2) {
			if (seen_v2++ == skip_v2) {
				v2 = l;
				have_v2 = true;
			}
		}
		p = last ? NULL : eol + 1;
	}
	if (have_v2) {
		if (mi_unescape(v2.mnt, m->mount, sizeof(m->mount)) == 0 &&
		    mi_unescape(v2.root, m->root, sizeof(m->root)) == 0) {
			m->version = 2;
			m->err = 0;
			return 0;
		}
		*bad = true;
	}
	m->version = 0;
	m->mount[0] = m->root[0] = '\0';
	return -ENOENT;
}

int
cg_parse_mountinfo(const char *buf, struct cg_mount *m)
{
	bool bad;
	int r;

	memset(m, 0, sizeof(*m));
	r = mi_pick(buf, m, 0, &bad);
	if (r < 0) {
		/* Nothing usable, and some lines were garbage: say the file is bad. */
		r = bad ? -EINVAL : -ENOENT;
		m->err = -r;
	}
	return r;
}

/* Read the whole of a possibly large file under root into a malloc'd buffer. */
static int
read_big(const char *root, const char *path, char **out)
{
	char full[4096 + 64];
	size_t size = 64 * 1024;

	path_join(full, sizeof(full), root, path);
	for (;;) {
		char *buf = xmalloc(size);
		bool trunc;
		ssize_t r = read_file_at(AT_FDCWD, full, buf, size, &trunc);

		if (r < 0) {
			free(buf);
			return (int)r;
		}
		if (!trunc) {
			*out = buf;
			return 0;
		}
		free(buf);
		if (size >= CG_MOUNTINFO_MAX)
			return -EFBIG;
		size *= 4;
	}
}

/* Does root + mount + "/cgroup.controllers" list memory?  1, 0 or -errno. */
static int
v2_has_memory(const char *root, const char *mount)
{
	char path[8192 + 64];
	char buf[1024];
	ssize_t r;
	char *p;

	snprintf(path, sizeof(path), "%s%s/cgroup.controllers", root ? root : "", mount);
	r = read_file_at(AT_FDCWD, path, buf, sizeof(buf), NULL);
	if (r < 0)
		return (int)r;
	for (p = buf; *p; p++)
		if (*p == '\n' || *p == ' ' || *p == '\t')
			*p = ',';
	return list_has(buf, strlen(buf), "memory");
}

int
cg_find_mount(const char *root, struct cg_mount *m)
{
	int why = -ENOENT;
	char *buf;
	bool bad;
	int r;

	memset(m, 0, sizeof(*m));
	r = read_big(root, "/proc/self/mountinfo", &buf);
	if (r < 0) {
		m->err = -r;
		return r;
	}
	for (int skip = 0;; skip++) {
		r = mi_pick(buf, m, skip, &bad);
		if (r < 0)
			break;
		if (m->version == 1)
			break;
		r = v2_has_memory(root, m->mount);
		if (r == 1) {
			r = 0;
			break;
		}
		/* A cgroup2 mount without the memory controller: keep looking. */
		if (r < 0 && r != -ENOENT)
			why = r;
		r = -ENOENT;
	}
	free(buf);
	if (r < 0) {
		if (why == -ENOENT && bad)
			why = -EINVAL;
		memset(m, 0, sizeof(*m));
		m->err = -why;
		return why;
	}
	return 0;
}

/* ---- /proc/PID/cgroup and value files ----------------------------------- */

int
cg_parse_proc_cgroup(const char *buf, int version, char *out, size_t outsz)
{
	bool bad = false;
	const char *p = buf;

	if ((version != 1 && version != 2) || outsz == 0)
		return -EINVAL;
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		const char *ctl, *path, *end;
		const char *next = eol ? eol + 1 : NULL;
		uint64_t id;
		size_t len;

		if (!eol)
			eol = p + strlen(p);
		/* hierarchy-id:controller-list:path */
		if (parse_u64(p, &end, &id) < 0 || *end != ':' ||
		    end != p + strspn(p, "0123456789")) {
			bad = true;
			p = next;
			continue;
		}
		ctl = end + 1;
		end = memchr(ctl, ':', (size_t)(eol - ctl));
		if (!end || end[1] != '/') {
			bad = true;
			p = next;
			continue;
		}
		path = end + 1;
		if ((version == 1 && list_has(ctl, (size_t)(end - ctl), "memory")) ||
		    (version == 2 && id == 0 && end == ctl)) {
			len = (size_t)(eol - path);
			if (len + 1 > outsz)
				return -ENAMETOOLONG;
			memcpy(out, path, len);
			out[len] = '\0';
			return 0;
		}
		p = next;
	}
	return bad ? -EINVAL : -ENOENT;
}

int
cg_parse_value(const char *buf, struct val *out)
{
	const char *p = buf;
	uint64_t x;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "max", 3) == 0) {
		p += 3;
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0') {
			*out = val_max();
			return 0;
		}
	} else if (parse_u64_full(buf, &x) == 0) {
		*out = x >= OL_V1_UNLIMITED ? val_max() : val_ok((int64_t)x);
		return 0;
	}
	*out = val_unknown(OL_EPARSE);
	return -EINVAL;
}

/* ---- reading one cgroup ------------------------------------------------- */

struct walk {
	const char *root;
	const struct cg_mount *m;
	char *stat_buf;
	struct cgroup *arr;
	size_t n, cap;
};

struct val
cg_read_val(int dirfd, const char *name)
{
	char buf[128];
	bool trunc;
	ssize_t r = read_file_at(dirfd, name, buf, sizeof(buf), &trunc);
	struct val v;

	if (r < 0)
		return val_unknown((int)-r);
	if (trunc)
		return val_unknown(OL_EPARSE);
	cg_parse_value(buf, &v);
	return v;
}

/*
 * A file that some kernels or configurations lack (memsw without swap
 * accounting, memory.peak before 5.19): when the cgroup's core files are
 * there, its absence means "not reported by this kernel".
 */
static struct val
read_val_opt(int dirfd, const char *name, bool core)
{
	struct val v = cg_read_val(dirfd, name);

	if (core && v.state == VAL_UNKNOWN && v.err == ENOENT)
		v = val_unknown(OL_EMISSING);
	return v;
}

/* One key of a "key value" buffer as a val. */
static struct val
kv(const char *buf, const char *key)
{
	uint64_t x;
	int r = parse_kv_u64(buf, key, &x);

	if (r == -ENOENT)
		return val_unknown(OL_EMISSING);
	if (r < 0 || x > INT64_MAX)
		return val_unknown(OL_EPARSE);
	return val_ok((int64_t)x);
}

/* v1 memory.stat: the hierarchical total_ key when the kernel has it, else the local one. */
static struct val
kv_total(const char *buf, const char *key)
{
	char tkey[64];
	struct val v;

	snprintf(tkey, sizeof(tkey), "total_%s", key);
	v = kv(buf, tkey);
	if (v.state == VAL_UNKNOWN && v.err == OL_EMISSING)
		v = kv(buf, key);
	return v;
}

/* Read a key-value file into w->stat_buf; 0 or -errno. */
static int
read_kv_file(struct walk *w, int dirfd, const char *name)
{
	bool trunc;
	ssize_t r = read_file_at(dirfd, name, w->stat_buf, CG_STAT_BUF, &trunc);

	if (r < 0)
		return (int)r;
	return trunc ? -EFBIG : 0;
}

enum cg_combo
cg_combo_of(struct val mem, struct val kmem)
{
	if ((mem.state != VAL_OK && mem.state != VAL_MAX) ||
	    (kmem.state != VAL_OK && kmem.state != VAL_MAX))
		return CG_COMBO_UNKNOWN;
	if (mem.state == VAL_OK)
		return kmem.state == VAL_OK ? CG_COMBO_BOTH : CG_COMBO_MEM_ONLY;
	return kmem.state == VAL_OK ? CG_COMBO_KMEM_ONLY : CG_COMBO_NEITHER;
}

static void
read_v1(struct walk *w, int dirfd, struct cgroup *c)
{
	struct val memsw_usage;
	bool core;
	int r;

	c->usage_bytes = cg_read_val(dirfd, "memory.usage_in_bytes");
	core = !(c->usage_bytes.state == VAL_UNKNOWN && c->usage_bytes.err == ENOENT);
	c->limit_bytes = cg_read_val(dirfd, "memory.limit_in_bytes");
	c->swap_limit_bytes = read_val_opt(dirfd, "memory.memsw.limit_in_bytes", core);
	memsw_usage = read_val_opt(dirfd, "memory.memsw.usage_in_bytes", core);
	c->swap_usage_bytes = val_sub0(memsw_usage, c->usage_bytes);
	c->swap_max_bytes = val_na();
	c->reservation_bytes = cg_read_val(dirfd, "memory.soft_limit_in_bytes");
	c->high_bytes = val_na();
	c->min_bytes = val_na();
	c->swappiness = cg_read_val(dirfd, "memory.swappiness");
	c->kmem_limit_bytes = read_val_opt(dirfd, "memory.kmem.limit_in_bytes", core);
	c->kmem_usage_bytes = read_val_opt(dirfd, "memory.kmem.usage_in_bytes", core);
	c->oom_group = val_na();
	c->peak_bytes = cg_read_val(dirfd, "memory.max_usage_in_bytes");
	c->failcnt = cg_read_val(dirfd, "memory.failcnt");

	r = read_kv_file(w, dirfd, "memory.oom_control");
	if (r < 0) {
		c->oom_kill_disable = c->under_oom = c->ev_oom_kill = val_unknown(r);
	} else {
		c->oom_kill_disable = kv(w->stat_buf, "oom_kill_disable");
		c->under_oom = kv(w->stat_buf, "under_oom");
		c->ev_oom_kill = kv(w->stat_buf, "oom_kill"); /* since 4.13 */
	}
	/* v1 counts kills, not invocations of the OOM path: no equivalent of v2's "oom". */
	c->ev_oom = val_na();
	c->ev_high = val_na();
	c->ev_max = val_na();

	r = read_kv_file(w, dirfd, "memory.stat");
	if (r < 0) {
		c->stat_anon = c->stat_file = c->stat_inactive_file = c->stat_active_file =
		    c->stat_slab_reclaimable = c->stat_shmem = val_unknown(r);
	} else {
		c->stat_anon = kv_total(w->stat_buf, "rss");
		c->stat_file = kv_total(w->stat_buf, "cache");
		c->stat_shmem = kv_total(w->stat_buf, "shmem");
		c->stat_inactive_file = kv_total(w->stat_buf, "inactive_file");
		c->stat_active_file = kv_total(w->stat_buf, "active_file");
		/* Most v1 kernels do not report slab in memory.stat: OL_EMISSING then. */
		c->stat_slab_reclaimable = kv_total(w->stat_buf, "slab_reclaimable");
	}
	memset(&c->psi, 0, sizeof(c->psi));
	c->psi.err = OL_ENOTAPPL; /* v1 has no per-cgroup PSI file */
	c->combo = cg_combo_of(c->limit_bytes, c->kmem_limit_bytes);
}

/*
 * The v2 root cgroup has no memory.current or limits.  Like systemd-cgtop,
 * take its usage from /proc/meminfo (MemTotal - MemAvailable) and its swap
 * usage as SwapTotal - SwapFree; the root is never limited, so its limits are "max".
 */
static void
v2_root_fallback(struct walk *w, struct cgroup *c)
{
	char path[4096 + 32];
	struct meminfo mi;
	ssize_t r;

	path_join(path, sizeof(path), w->root, "/proc/meminfo");
	r = read_file_at(AT_FDCWD, path, w->stat_buf, CG_STAT_BUF, NULL);
	if (r < 0) {
		c->usage_bytes = c->swap_usage_bytes = val_unknown((int)-r);
	} else if (parse_meminfo(w->stat_buf, &mi) < 0) {
		c->usage_bytes = c->swap_usage_bytes = val_unknown(OL_EPARSE);
	} else {
		c->usage_bytes = val_sub0(mi.total, mi.available);
		c->swap_usage_bytes = val_sub0(mi.swap_total, mi.swap_free);
		if (val_is_ok(c->usage_bytes))
			c->usage_bytes.v *= 1024;
		if (val_is_ok(c->swap_usage_bytes))
			c->swap_usage_bytes.v *= 1024;
	}
	c->limit_bytes = val_max();
	c->swap_max_bytes = val_max();
	c->high_bytes = val_max();
}

static void
read_v2(struct walk *w, int dirfd, struct cgroup *c)
{
	bool core, is_root;
	int r;

	c->usage_bytes = cg_read_val(dirfd, "memory.current");
	core = !(c->usage_bytes.state == VAL_UNKNOWN && c->usage_bytes.err == ENOENT);
	is_root = !core && c->depth == 0 && strcmp(c->path, "/") == 0;
	c->limit_bytes = cg_read_val(dirfd, "memory.max");
	c->swap_max_bytes = read_val_opt(dirfd, "memory.swap.max", core);
	c->swap_usage_bytes = read_val_opt(dirfd, "memory.swap.current", core);
	c->high_bytes = cg_read_val(dirfd, "memory.high");
	if (is_root)
		v2_root_fallback(w, c);
	/* Docker's --memory-swap is memory + swap: max + swap.max. */
	if (c->limit_bytes.state == VAL_MAX || c->swap_max_bytes.state == VAL_MAX)
		c->swap_limit_bytes = val_max();
	else if (c->limit_bytes.state != VAL_OK)
		c->swap_limit_bytes = c->limit_bytes;
	else if (c->swap_max_bytes.state != VAL_OK)
		c->swap_limit_bytes = c->swap_max_bytes; /* OL_EMISSING: no swap accounting */
	else
		c->swap_limit_bytes = val_ok(val_add_sat(c->limit_bytes.v, c->swap_max_bytes.v));
	c->reservation_bytes = cg_read_val(dirfd, "memory.low");
	c->min_bytes = cg_read_val(dirfd, "memory.min");
	c->oom_group = cg_read_val(dirfd, "memory.oom.group");
	c->peak_bytes = read_val_opt(dirfd, "memory.peak", core); /* since 5.19 */
	c->swappiness = val_na();
	c->kmem_limit_bytes = val_na();
	c->kmem_usage_bytes = val_na();
	c->oom_kill_disable = val_na();
	c->failcnt = val_na();
	c->under_oom = val_na();

	r = read_kv_file(w, dirfd, "memory.events");
	if (r < 0) {
		c->ev_oom = c->ev_oom_kill = c->ev_high = c->ev_max = val_unknown(r);
	} else {
		c->ev_oom = kv(w->stat_buf, "oom");
		c->ev_oom_kill = kv(w->stat_buf, "oom_kill");
		c->ev_high = kv(w->stat_buf, "high");
		c->ev_max = kv(w->stat_buf, "max");
	}

	r = read_kv_file(w, dirfd, "memory.stat");
	if (r < 0) {
		c->stat_anon = c->stat_file = c->stat_inactive_file = c->stat_active_file =
		    c->stat_slab_reclaimable = c->stat_shmem = val_unknown(r);
	} else {
		c->stat_anon = kv(w->stat_buf, "anon");
		c->stat_file = kv(w->stat_buf, "file");
		c->stat_shmem = kv(w->stat_buf, "shmem");
		c->stat_inactive_file = kv(w->stat_buf, "inactive_file");
		c->stat_active_file = kv(w->stat_buf, "active_file");
		c->stat_slab_reclaimable = kv(w->stat_buf, "slab_reclaimable");
	}

	memset(&c->psi, 0, sizeof(c->psi));
	r = read_kv_file(w, dirfd, "memory.pressure");
	if (r < 0)
		c->psi.err = -r;
	else
		parse_psi(w->stat_buf, &c->psi); /* sets psi.err on garbage */
	/* The v1 combinations do not exist on v2. */
	c->combo = CG_COMBO_UNKNOWN;
}

/* Every field unknown for the same reason (a cgroup directory that cannot be opened). */
static void
all_unknown(struct cgroup *c, int err)
{
	struct val u = val_unknown(err);

	c->usage_bytes = c->limit_bytes = c->swap_limit_bytes = c->swap_max_bytes = u;
	c->reservation_bytes = c->high_bytes = c->min_bytes = c->swappiness = u;
	c->kmem_limit_bytes = c->kmem_usage_bytes = c->oom_kill_disable = c->oom_group = u;
	c->swap_usage_bytes = c->peak_bytes = c->ev_oom = c->ev_oom_kill = u;
	c->ev_high = c->ev_max = c->failcnt = c->under_oom = u;
	c->stat_anon = c->stat_file = c->stat_inactive_file = c->stat_active_file = u;
	c->stat_slab_reclaimable = c->stat_shmem = u;
	memset(&c->psi, 0, sizeof(c->psi));
	c->psi.err = err;
	c->combo = CG_COMBO_UNKNOWN;
}

/* Append a cgroup named name under parent (-1: the top of the walk); returns its index. */
static size_t
add_cgroup(struct walk *w, int parent, const char *name, const char *top_path, const char *top_fs)
{
	struct cgroup *c;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->arr = xrealloc(w->arr, w->cap * sizeof(*w->arr));
	}
	c = &w->arr[w->n];
	memset(c, 0, sizeof(*c));
	if (parent < 0) {
		c->path = xstrdup(top_path);
		c->fs_path = xstrdup(top_fs);
		c->depth = 0;
	} else {
		const struct cgroup *p = &w->arr[parent];
		size_t lp = strlen(p->path), lf = strlen(p->fs_path), ln = strlen(name);
		bool slash = lp > 0 && p->path[lp - 1] == '/';

		c->path = xmalloc(lp + ln + 2);
		snprintf(c->path, lp + ln + 2, "%s%s%s", p->path, slash ? "" : "/", name);
		c->fs_path = xmalloc(lf + ln + 2);
		snprintf(c->fs_path, lf + ln + 2, "%s/%s", p->fs_path, name);
		c->depth = p->depth + 1;
	}
	c->version = w->m->version;
	c->parent = parent;
	c->avail.limited_by = -1;
	return w->n++;
}

/* Read the files of the cgroup at index i through dirfd. */
static void
read_cgroup(struct walk *w, int dirfd, size_t i)
{
	struct cgroup *c = &w->arr[i];

	if (c->version == 1)
		read_v1(w, dirfd, c);
	else
		read_v2(w, dirfd, c);
	c->has_limit = val_is_ok(c->limit_bytes);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the subdirectories of dirfd, sorted; *n of them. */
static char **
list_children(int dirfd, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	*n = 0;
	fd = dup(dirfd);
	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return NULL;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type != DT_DIR) {
			if (de->d_type != DT_UNKNOWN)
				continue;
			if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISDIR(st.st_mode))
				continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(names, *n, sizeof(*names), cmp_name);
	return names;
}

/* Has the cgroup open at dirfd been removed since we opened it? */
static bool
vanished(int dirfd)
{
	return faccessat(dirfd, "cgroup.procs", F_OK, 0) < 0 && errno == ENOENT;
}

/* Depth-first: read each child of the cgroup at index parent, then its subtree. */
static void
walk_children(struct walk *w, int dirfd, size_t parent)
{
	size_t nnames;
	char **names = list_children(dirfd, &nnames);

	for (size_t k = 0; k < nnames; k++) {
		int cfd = openat(dirfd, names[k], O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		int err = cfd < 0 ? errno : 0;
		size_t i;

		if (err == ENOENT || err == ENOTDIR || err == ELOOP) {
			free(names[k]);
			continue; /* vanished, or not a cgroup */
		}
		i = add_cgroup(w, (int)parent, names[k], NULL, NULL);
		free(names[k]);
		if (cfd < 0) {
			all_unknown(&w->arr[i], err);
			continue;
		}
		read_cgroup(w, cfd, i);
		if (vanished(cfd)) {
			cg_free_one(&w->arr[i]);
			w->n--;
			close(cfd);
			continue;
		}
		if (w->arr[i].depth < CG_MAX_DEPTH)
			walk_children(w, cfd, i);
		close(cfd);
	}
	free(names);
}

int
cg_collect(const char *root, const struct cg_mount *m, struct cgroup **out, size_t *n)
{
	struct walk w = {.root = root, .m = m};
	char top_fs[8192 + 16];
	int fd;

	*out = NULL;
	*n = 0;
	if (m->version != 1 && m->version != 2)
		return -EINVAL;
	path_join(top_fs, sizeof(top_fs), root, m->mount);
	fd = open(top_fs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w.stat_buf = xmalloc(CG_STAT_BUF);
	add_cgroup(&w, -1, NULL, m->root[0] ? m->root : "/", top_fs);
	read_cgroup(&w, fd, 0);
	walk_children(&w, fd, 0);
	close(fd);
	free(w.stat_buf);
	*out = w.arr;
	*n = w.n;
	return 0;
}

/* ---- names -------------------------------------------------------------- */

const char *
cg_combo_name(enum cg_combo c)
{
	switch (c) {
	case CG_COMBO_NEITHER:
		return "neither";
	case CG_COMBO_KMEM_ONLY:
		return "kernel-memory only";
	case CG_COMBO_MEM_ONLY:
		return "memory only";
	case CG_COMBO_BOTH:
		return "memory and kernel-memory";
	default:
		return "unknown";
	}
}

const char *
cg_combo_meaning(enum cg_combo c)
{
	switch (c) {
	case CG_COMBO_NEITHER:
		return "no memory limit and no kernel-memory limit: the default";
	case CG_COMBO_KMEM_ONLY:
		return "user memory unlimited, kernel memory limited: keeps kernel memory within "
		       "what the host can bear when all cgroups together may need more than it has";
	case CG_COMBO_MEM_ONLY:
		return "memory limited as a whole; kernel memory not limited on its own";
	case CG_COMBO_BOTH:
		return "both limited, useful for debugging: a kernel-memory limit below the memory "
		       "limit makes the container OOM when kernel memory runs out; one above it "
		       "never causes an OOM by itself";
	default:
		return "the limits could not be read, or this is not cgroup v1";
	}
}
