/*
 * test_cgroup.c - the memory controller module: the mountinfo, /proc/PID/cgroup
 * and value-file parsers (with truncated and garbage input), mount discovery,
 * the hierarchy walk on the v1, v2 and hybrid fixture trees, and the container
 * availability of doc/model.md over what the walk read, worked out by hand
 * (test_avail.c checks the arithmetic alone, on hand-built values).
 *
 * The fixture trees come from data/fixtures/make-cgroup-trees.py; the numbers
 * checked here are the ones written there.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "avail.h"
#include "cgroup.h"
#include "host.h"
#include "lib/fixture.h"
#include "lib/val_assert.h"
#include "model.h"
#include "score.h"

#define MiB (1024LL * 1024)
#define DOCKER_V1 "/docker/4f3c1a7e9b2d8c6f0a5e1d3b7c9f2a4e6b8d0c1f3a5e7b9d2c4f6a8e0b1d3c5f"
#define DOCKER_V2                                                                                  \
	"/system.slice/docker-a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90.scope"
#define DOCKER_HY "/docker/0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d"

/* ---- helpers ------------------------------------------------------------ */

static void
tree_root(char *out, size_t n, const char *tree)
{
	snprintf(out, n, "%s/fixtures/%s", fixture_dir(), tree);
}



static void
assert_state(struct val v, int state)
{
	if (v.state != state)
		fail_msg("state %d err %d value %lld, want state %d", v.state, v.err, (long long)v.v,
			 state);
}

/* A snapshot holding the cgroups of a fixture tree, with the host as written there. */
struct tree {
	struct snapshot s;
	struct cg_mount m;
};

static void
load_tree(struct tree *t, const char *name)
{
	char root[4096];

	memset(t, 0, sizeof(*t));
	tree_root(root, sizeof(root), name);
	assert_int_equal(cg_find_mount(root, &t->m), 0);
	assert_int_equal(cg_collect(root, &t->m, &t->s.cgroups, &t->s.n_cgroups), 0);
	t->s.cgroup_version = t->m.version;
}

static void
set_host(struct host *h, int64_t mem_free, int64_t cached, int64_t inactive_file,
	 int64_t sreclaimable, int64_t swap_free)
{
	h->mem_free_kb = val_ok(mem_free);
	h->cached_kb = val_ok(cached);
	h->inactive_file_kb = val_ok(inactive_file);
	h->slab_reclaimable_kb = val_ok(sreclaimable);
	h->swap_free_kb = val_ok(swap_free);
}

static const struct cgroup *
cg_at(const struct tree *t, const char *path)
{
	int i = snap_find_cgroup(&t->s, path);

	if (i < 0)
		fail_msg("cgroup %s not found", path);
	return &t->s.cgroups[i];
}

static void
free_tree(struct tree *t)
{
	cg_free(t->s.cgroups, t->s.n_cgroups);
}

/* A scratch tree under /tmp, removed by rm_tree. */
static void
write_at(const char *dir, const char *rel, const char *text)
{
	char path[4096], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- mountinfo ---------------------------------------------------------- */

static void
test_mountinfo_v1(void **state)
{
	struct cg_mount m;

	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/v1"), &m), 0);
	assert_int_equal(m.version, 1);
	assert_string_equal(m.mount, "/sys/fs/cgroup/memory");
	assert_string_equal(m.root, "/");
	assert_int_equal(m.err, 0);
}

static void
test_mountinfo_v2(void **state)
{
	struct cg_mount m;

	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/v2"), &m), 0);
	assert_int_equal(m.version, 2);
	assert_string_equal(m.mount, "/sys/fs/cgroup");
	assert_string_equal(m.root, "/");
}

static void
test_mountinfo_hybrid(void **state)
{
	struct cg_mount m;

	/* The cgroup2 mount at unified comes after, and v1 memory wins anyway. */
	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/hybrid"), &m), 0);
	assert_int_equal(m.version, 1);
	assert_string_equal(m.mount, "/sys/fs/cgroup/memory");
}

static void
test_mountinfo_v2_nomemory(void **state)
{
	struct cg_mount m;

	/* The parser cannot know the controllers: it returns the cgroup2 mount. */
	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/v2-nomemory"), &m), 0);
	assert_int_equal(m.version, 2);
	assert_string_equal(m.mount, "/sys/fs/cgroup");
}

static void
test_mountinfo_none(void **state)
{
	struct cg_mount m;

	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/none"), &m), -ENOENT);
	assert_int_equal(m.version, 0);
	assert_int_equal(m.err, ENOENT);
	assert_int_equal(cg_parse_mountinfo("", &m), -ENOENT);
}

static void
test_mountinfo_escaped(void **state)
{
	struct cg_mount m;

	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/escaped"), &m), 0);
	assert_int_equal(m.version, 1);
	assert_string_equal(m.mount, "/run/my cgroups/mem\tory\\x");
	assert_string_equal(m.root, "/lxc/web one");
}

static void
test_mountinfo_container(void **state)
{
	struct cg_mount m;

	/* Optional fields before "-", and a mount showing a sub-hierarchy. */
	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/container"), &m), 0);
	assert_int_equal(m.version, 1);
	assert_string_equal(m.mount, "/sys/fs/cgroup/memory");
	assert_string_equal(m.root, DOCKER_V1);
}

static void
test_mountinfo_garbage(void **state)
{
	struct cg_mount m;

	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/garbage"), &m), -EINVAL);
	assert_int_equal(m.version, 0);
	assert_int_equal(m.err, EINVAL);
	/* Cut inside the memory line: that line is not trusted. */
	assert_int_equal(cg_parse_mountinfo(fixture("fixtures/mountinfo/truncated"), &m), -EINVAL);
	assert_int_equal(m.version, 0);
	/* An escape that decodes to NUL is refused, not used as a shorter path. */
	assert_int_equal(cg_parse_mountinfo("1 2 0:3 / /sys/fs/a\\000b rw - cgroup cgroup rw,memory\n",
					    &m),
			 -EINVAL);
	/* A line without the fields after "-". */
	assert_int_equal(cg_parse_mountinfo("1 2 0:3 / /m rw - cgroup\n", &m), -EINVAL);
	/* A bad line does not hide a good one after it. */
	assert_int_equal(cg_parse_mountinfo("garbage\n1 2 0:3 / /m rw - cgroup cgroup rw,memory", &m),
			 0);
	assert_string_equal(m.mount, "/m");
	/* "memory" must be a whole option, not a prefix. */
	assert_int_equal(cg_parse_mountinfo("1 2 0:3 / /m rw - cgroup cgroup rw,memoryx\n", &m),
			 -ENOENT);
}

static void
test_find_mount_trees(void **state)
{
	char root[4096];
	struct cg_mount m;

	tree_root(root, sizeof(root), "tree-v1");
	assert_int_equal(cg_find_mount(root, &m), 0);
	assert_int_equal(m.version, 1);
	assert_string_equal(m.mount, "/sys/fs/cgroup/memory");
	tree_root(root, sizeof(root), "tree-v2");
	assert_int_equal(cg_find_mount(root, &m), 0);
	assert_int_equal(m.version, 2);
	assert_string_equal(m.mount, "/sys/fs/cgroup");
	tree_root(root, sizeof(root), "tree-hybrid");
	assert_int_equal(cg_find_mount(root, &m), 0);
	assert_int_equal(m.version, 1);
	assert_string_equal(m.mount, "/sys/fs/cgroup/memory");
	tree_root(root, sizeof(root), "no-such-tree");
	assert_int_equal(cg_find_mount(root, &m), -ENOENT);
	assert_int_equal(m.version, 0);
	assert_int_equal(m.err, ENOENT);
}

static void
test_find_mount_v2_controllers(void **state)
{
	char dir[] = "/tmp/oomlens-test-cgXXXXXX";
	struct cg_mount m;

	assert_non_null(mkdtemp(dir));
	/* A cgroup2 mount without the memory controller: none found. */
	write_at(dir, "proc/self/mountinfo",
		 "30 21 0:26 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n");
	write_at(dir, "sys/fs/cgroup/cgroup.controllers", "cpuset cpu io pids\n");
	assert_int_equal(cg_find_mount(dir, &m), -ENOENT);
	assert_int_equal(m.version, 0);
	assert_int_equal(m.err, ENOENT);

	/* Two cgroup2 mounts: the second one has memory. */
	write_at(dir, "proc/self/mountinfo",
		 "30 21 0:26 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n"
		 "31 21 0:27 / /mnt/cg2 rw,relatime - cgroup2 none rw\n");
	write_at(dir, "mnt/cg2/cgroup.controllers", "cpu memory pids\n");
	assert_int_equal(cg_find_mount(dir, &m), 0);
	assert_int_equal(m.version, 2);
	assert_string_equal(m.mount, "/mnt/cg2");

	/* "memory" as the last word, without a newline. */
	write_at(dir, "sys/fs/cgroup/cgroup.controllers", "io memory");
	assert_int_equal(cg_find_mount(dir, &m), 0);
	assert_string_equal(m.mount, "/sys/fs/cgroup");
	rm_tree(dir);
}

/* ---- /proc/PID/cgroup --------------------------------------------------- */

static void
test_proc_cgroup(void **state)
{
	char out[4096];
	char small[8];

	assert_int_equal(cg_parse_proc_cgroup(fixture("fixtures/tree-v1/proc/4321/cgroup"), 1, out,
					      sizeof(out)),
			 0);
	assert_string_equal(out, DOCKER_V1);
	assert_int_equal(cg_parse_proc_cgroup(fixture("fixtures/tree-hybrid/proc/700/cgroup"), 1, out,
					      sizeof(out)),
			 0);
	assert_string_equal(out, DOCKER_HY);
	/* On a hybrid host, asking for v2 gives the unified line. */
	assert_int_equal(cg_parse_proc_cgroup(fixture("fixtures/tree-hybrid/proc/700/cgroup"), 2, out,
					      sizeof(out)),
			 0);
	assert_string_equal(out, "/");
	assert_int_equal(cg_parse_proc_cgroup(fixture("fixtures/tree-v2/proc/3001/cgroup"), 2, out,
					      sizeof(out)),
			 0);
	assert_string_equal(out, DOCKER_V2);
	/* A v2-only file has no memory line. */
	assert_int_equal(cg_parse_proc_cgroup("0::/init.scope\n", 1, out, sizeof(out)), -ENOENT);
	/* Co-mounted controllers; name=systemd is not memory. */
	assert_int_equal(cg_parse_proc_cgroup("1:name=systemd:/x\n3:cpu,memory:/a:b\n", 1, out,
					      sizeof(out)),
			 0);
	assert_string_equal(out, "/a:b");
	assert_int_equal(cg_parse_proc_cgroup("4:memoryx:/a\n", 1, out, sizeof(out)), -ENOENT);
	/* No trailing newline. */
	assert_int_equal(cg_parse_proc_cgroup("0::/a/b", 2, out, sizeof(out)), 0);
	assert_string_equal(out, "/a/b");
	/* Truncated and garbage. */
	assert_int_equal(cg_parse_proc_cgroup("4:memory", 1, out, sizeof(out)), -EINVAL);
	assert_int_equal(cg_parse_proc_cgroup("x:memory:/a\n", 1, out, sizeof(out)), -EINVAL);
	assert_int_equal(cg_parse_proc_cgroup("4:memory:relative\n", 1, out, sizeof(out)), -EINVAL);
	assert_int_equal(cg_parse_proc_cgroup("", 2, out, sizeof(out)), -ENOENT);
	assert_int_equal(cg_parse_proc_cgroup("0::/a\n", 3, out, sizeof(out)), -EINVAL);
	/* Too long for the buffer. */
	assert_int_equal(cg_parse_proc_cgroup("0::/abcdefghij\n", 2, small, sizeof(small)),
			 -ENAMETOOLONG);
}

/* ---- value files -------------------------------------------------------- */

static void
test_parse_value(void **state)
{
	struct val v;

	assert_int_equal(cg_parse_value("67108864\n", &v), 0);
	assert_val(v, 64 * MiB);
	assert_int_equal(cg_parse_value("0\n", &v), 0);
	assert_val(v, 0);
	assert_int_equal(cg_parse_value(" 42 \n", &v), 0);
	assert_val(v, 42);
	assert_int_equal(cg_parse_value("max\n", &v), 0);
	assert_state(v, VAL_MAX);
	assert_int_equal(cg_parse_value("max", &v), 0);
	assert_state(v, VAL_MAX);
	/* v1's "unlimited" and anything above it. */
	assert_int_equal(cg_parse_value("9223372036854771712\n", &v), 0);
	assert_state(v, VAL_MAX);
	assert_int_equal(cg_parse_value("18446744073709551615\n", &v), 0);
	assert_state(v, VAL_MAX);
	assert_int_equal(cg_parse_value("9223372036854767616\n", &v), 0);
	assert_val(v, 9223372036854767616LL);
	/* Garbage and truncation: unknown, never 0. */
	const char *bad[] = { "", "\n", "abc", "12abc", "-1", "maxi", "max 5", "1 2",
			      "18446744073709551616", "0x10", "+5" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cg_parse_value(bad[i], &v), -EINVAL);
		assert_unknown(v, OL_EPARSE);
	}
}

/* ---- the walk ----------------------------------------------------------- */

static void
test_collect_v1(void **state)
{
	static const char *const order[] = { "/", "/docker", DOCKER_V1, "/system.slice",
					     "/system.slice/docker.service" };
	struct tree t;
	const struct cgroup *c;
	char want[4096];

	load_tree(&t, "tree-v1");
	assert_int_equal(t.s.n_cgroups, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(t.s.cgroups[i].path, order[i]);
		assert_int_equal(t.s.cgroups[i].version, 1);
	}
	assert_int_equal(t.s.cgroups[0].parent, -1);
	assert_int_equal(t.s.cgroups[0].depth, 0);
	assert_int_equal(t.s.cgroups[2].parent, 1);
	assert_int_equal(t.s.cgroups[2].depth, 2);
	assert_int_equal(t.s.cgroups[4].parent, 3);

	c = cg_at(&t, DOCKER_V1);
	tree_root(want, sizeof(want), "tree-v1");
	strcat(want, "/sys/fs/cgroup/memory" DOCKER_V1);
	assert_string_equal(c->fs_path, want);
	assert_val(c->usage_bytes, 48 * MiB);
	assert_val(c->limit_bytes, 64 * MiB);
	assert_true(c->has_limit);
	assert_val(c->swap_limit_bytes, 128 * MiB);
	assert_state(c->swap_max_bytes, VAL_NA);
	assert_val(c->swap_usage_bytes, 2 * MiB);
	assert_val(c->reservation_bytes, 32 * MiB);
	assert_state(c->high_bytes, VAL_NA);
	assert_state(c->min_bytes, VAL_NA);
	assert_val(c->swappiness, 60);
	assert_val(c->kmem_limit_bytes, 16 * MiB);
	assert_val(c->kmem_usage_bytes, 3 * MiB);
	assert_val(c->oom_kill_disable, 0);
	assert_state(c->oom_group, VAL_NA);
	assert_val(c->peak_bytes, 64 * MiB - 4096);
	assert_state(c->ev_oom, VAL_NA);
	assert_val(c->ev_oom_kill, 1);
	assert_state(c->ev_high, VAL_NA);
	assert_state(c->ev_max, VAL_NA);
	assert_val(c->failcnt, 37);
	assert_val(c->under_oom, 0);
	assert_val(c->stat_anon, 28 * MiB);
	assert_val(c->stat_file, 20 * MiB);
	assert_val(c->stat_inactive_file, 12 * MiB);
	assert_val(c->stat_active_file, 8 * MiB);
	assert_unknown(c->stat_slab_reclaimable, OL_EMISSING);
	assert_false(c->psi.present);
	assert_int_equal(c->combo, CG_COMBO_BOTH);

	c = cg_at(&t, "/");
	assert_state(c->limit_bytes, VAL_MAX);
	assert_false(c->has_limit);
	assert_state(c->swap_limit_bytes, VAL_MAX);
	assert_state(c->reservation_bytes, VAL_MAX);
	assert_val(c->usage_bytes, 1600 * MiB);
	assert_int_equal(c->combo, CG_COMBO_NEITHER);

	/* No kmem files on this one: "not reported by this kernel". */
	c = cg_at(&t, "/system.slice/docker.service");
	assert_unknown(c->kmem_limit_bytes, OL_EMISSING);
	assert_int_equal(c->combo, CG_COMBO_UNKNOWN);
	assert_false(c->has_limit);
	free_tree(&t);
}

static void
test_collect_v2(void **state)
{
	static const char *const order[] = { "/", "/init.scope", "/system.slice", DOCKER_V2,
					     "/system.slice/sshd.service", "/user.slice",
					     "/user.slice/user-1000.slice" };
	struct tree t;
	const struct cgroup *c;

	load_tree(&t, "tree-v2");
	assert_int_equal(t.s.n_cgroups, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(t.s.cgroups[i].path, order[i]);
		assert_int_equal(t.s.cgroups[i].version, 2);
	}
	assert_int_equal(t.s.cgroups[3].parent, 2);
	assert_int_equal(t.s.cgroups[6].parent, 5);

	c = cg_at(&t, DOCKER_V2);
	assert_val(c->usage_bytes, 150 * MiB);
	assert_val(c->limit_bytes, 256 * MiB);
	assert_true(c->has_limit);
	assert_val(c->swap_max_bytes, 128 * MiB);
	assert_val(c->swap_limit_bytes, 384 * MiB); /* Docker's --memory-swap */
	assert_val(c->swap_usage_bytes, 20 * MiB);
	assert_val(c->reservation_bytes, 64 * MiB);
	assert_val(c->high_bytes, 192 * MiB);
	assert_val(c->min_bytes, 32 * MiB);
	assert_val(c->oom_group, 1);
	assert_val(c->peak_bytes, 256 * MiB - 4096);
	assert_val(c->ev_oom, 3);
	assert_val(c->ev_oom_kill, 2);
	assert_val(c->ev_high, 12);
	assert_val(c->ev_max, 40);
	assert_state(c->swappiness, VAL_NA);
	assert_state(c->kmem_limit_bytes, VAL_NA);
	assert_state(c->kmem_usage_bytes, VAL_NA);
	assert_state(c->oom_kill_disable, VAL_NA);
	assert_state(c->failcnt, VAL_NA);
	assert_state(c->under_oom, VAL_NA);
	assert_val(c->stat_anon, 100 * MiB);
	assert_val(c->stat_file, 45 * MiB);
	assert_val(c->stat_inactive_file, 30 * MiB);
	assert_val(c->stat_active_file, 15 * MiB);
	assert_val(c->stat_slab_reclaimable, 3 * MiB);
	assert_true(c->psi.present);
	assert_val(c->psi.some.avg10, 152);
	assert_val(c->psi.full.total_us, 1123456);
	assert_int_equal(c->combo, CG_COMBO_UNKNOWN);

	/* The root: no memory.current, usage from meminfo, never limited. */
	c = cg_at(&t, "/");
	assert_val(c->usage_bytes, (16337200LL - 12582912) * 1024);
	assert_val(c->swap_usage_bytes, (4194300LL - 3145724) * 1024);
	assert_state(c->limit_bytes, VAL_MAX);
	assert_state(c->swap_limit_bytes, VAL_MAX);
	assert_false(c->has_limit);
	assert_unknown(c->reservation_bytes, ENOENT);
	assert_unknown(c->ev_oom_kill, ENOENT);
	assert_val(c->stat_file, 3000 * MiB);
	assert_true(c->psi.present);

	/* Unlimited: "max", distinct from unknown and from not-available. */
	c = cg_at(&t, "/system.slice/sshd.service");
	assert_state(c->limit_bytes, VAL_MAX);
	assert_state(c->swap_max_bytes, VAL_MAX);
	assert_state(c->swap_limit_bytes, VAL_MAX);
	assert_state(c->high_bytes, VAL_MAX);
	assert_val(c->reservation_bytes, 0);

	/* No swap accounting: the swap limit cannot be known, and says why. */
	c = cg_at(&t, "/init.scope");
	assert_val(c->limit_bytes, 1024 * MiB);
	assert_unknown(c->swap_max_bytes, OL_EMISSING);
	assert_unknown(c->swap_limit_bytes, OL_EMISSING);
	assert_unknown(c->swap_usage_bytes, OL_EMISSING);

	/* The memory controller is not enabled here: unknown with ENOENT, no limit. */
	c = cg_at(&t, "/user.slice/user-1000.slice");
	assert_unknown(c->usage_bytes, ENOENT);
	assert_unknown(c->limit_bytes, ENOENT);
	assert_unknown(c->swap_limit_bytes, ENOENT);
	assert_unknown(c->stat_file, ENOENT);
	assert_false(c->has_limit);
	assert_true(c->psi.present);
	free_tree(&t);
}

static void
test_collect_hybrid(void **state)
{
	struct tree t;
	const struct cgroup *c;

	load_tree(&t, "tree-hybrid");
	assert_int_equal(t.s.n_cgroups, 3);
	assert_string_equal(t.s.cgroups[0].path, "/");
	assert_string_equal(t.s.cgroups[1].path, "/docker");
	c = cg_at(&t, DOCKER_HY);
	assert_int_equal(c->version, 1);
	assert_val(c->limit_bytes, 512 * MiB);
	assert_val(c->swap_limit_bytes, 1024 * MiB);
	assert_val(c->swap_usage_bytes, 0);
	assert_state(c->kmem_limit_bytes, VAL_MAX);
	assert_val(c->ev_oom_kill, 0);
	assert_int_equal(c->combo, CG_COMBO_MEM_ONLY);
	free_tree(&t);
}

/* A v1 hierarchy built on the fly: garbage values, a vanished cgroup, non-directories. */
static void
test_collect_scratch(void **state)
{
	char dir[] = "/tmp/oomlens-test-cgXXXXXX";
	char path[4096];
	struct cgroup *cgs;
	struct cg_mount m;
	size_t n;

	assert_non_null(mkdtemp(dir));
	write_at(dir, "proc/self/mountinfo",
		 "34 30 0:32 / /cg/mem rw,relatime - cgroup cgroup rw,memory\n");
	write_at(dir, "cg/mem/cgroup.procs", "1\n");
	write_at(dir, "cg/mem/memory.usage_in_bytes", "4096\n");
	write_at(dir, "cg/mem/memory.limit_in_bytes", "9223372036854771712\n");
	/* a: garbage limit, truncated stat, oom_control without oom_kill (before 4.13). */
	write_at(dir, "cg/mem/a/cgroup.procs", "");
	write_at(dir, "cg/mem/a/memory.usage_in_bytes", "8192\n");
	write_at(dir, "cg/mem/a/memory.limit_in_bytes", "12x\n");
	write_at(dir, "cg/mem/a/memory.stat", "total_cache 40");
	write_at(dir, "cg/mem/a/memory.oom_control", "oom_kill_disable 1\nunder_oom 0\n");
	/* b: removed while we walk (no cgroup.procs any more): dropped with its children. */
	write_at(dir, "cg/mem/b/memory.usage_in_bytes", "8192\n");
	write_at(dir, "cg/mem/b/c/cgroup.procs", "");
	/* A plain file and a symlink in the hierarchy are not cgroups. */
	write_at(dir, "cg/mem/notes", "x\n");
	snprintf(path, sizeof(path), "%s/cg/mem/link", dir);
	assert_int_equal(symlink("a", path), 0);

	assert_int_equal(cg_find_mount(dir, &m), 0);
	assert_int_equal(cg_collect(dir, &m, &cgs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(cgs[0].path, "/");
	assert_string_equal(cgs[1].path, "/a");
	assert_unknown(cgs[1].limit_bytes, OL_EPARSE);
	assert_false(cgs[1].has_limit);
	assert_val(cgs[1].usage_bytes, 8192);
	assert_val(cgs[1].stat_file, 40);
	assert_unknown(cgs[1].stat_anon, OL_EMISSING);
	assert_val(cgs[1].oom_kill_disable, 1);
	assert_unknown(cgs[1].ev_oom_kill, OL_EMISSING);
	/* Files that are not there at all: ENOENT, never 0. */
	assert_unknown(cgs[1].swappiness, ENOENT);
	assert_unknown(cgs[1].failcnt, ENOENT);
	cg_free(cgs, n);

	/* A mount whose root field is not "/": paths keep that prefix. */
	write_at(dir, "proc/self/mountinfo",
		 "34 30 0:32 /docker/x /cg/mem rw,relatime - cgroup cgroup rw,memory\n");
	assert_int_equal(cg_find_mount(dir, &m), 0);
	assert_int_equal(cg_collect(dir, &m, &cgs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(cgs[0].path, "/docker/x");
	assert_string_equal(cgs[1].path, "/docker/x/a");
	cg_free(cgs, n);

	/* The mount point itself is gone. */
	m.version = 1;
	snprintf(m.mount, sizeof(m.mount), "/cg/nothing");
	assert_int_equal(cg_collect(dir, &m, &cgs, &n), -ENOENT);
	assert_null(cgs);
	assert_int_equal(n, 0);
	rm_tree(dir);
}

/* ---- availability ------------------------------------------------------- */

static void
test_avail_v1(void **state)
{
	struct tree t;
	const struct cgroup *c;
	int64_t swap_free = 2086908LL * 1024;
	int sys;

	load_tree(&t, "tree-v1");
	set_host(&t.s.host, 5242880, 921600, 512000, 81920, 2086908);
	avail_compute(&t.s);

	/* Its own limit: 64M - 48M; swap (128M - 64M) - 2M; no slab on v1 (counts as 0). */
	c = cg_at(&t, DOCKER_V1);
	assert_int_equal(c->avail.limited_by, snap_find_cgroup(&t.s, DOCKER_V1));
	assert_val(c->avail.headroom_bytes, 16 * MiB);
	assert_val(c->avail.page_cache_bytes, 20 * MiB);
	assert_val(c->avail.inactive_file_bytes, 12 * MiB);
	assert_unknown(c->avail.slab_reclaimable_bytes, OL_EMISSING);
	assert_val(c->avail.swap_headroom_bytes, 62 * MiB);
	assert_val(c->avail.available_bytes, 90 * MiB);

	/* No limit anywhere above: the host. */
	c = cg_at(&t, "/docker");
	assert_int_equal(c->avail.limited_by, -1);
	assert_val(c->avail.headroom_bytes, 5242880LL * 1024);
	assert_val(c->avail.page_cache_bytes, 921600LL * 1024);
	assert_val(c->avail.inactive_file_bytes, 512000LL * 1024);
	assert_val(c->avail.slab_reclaimable_bytes, 81920LL * 1024);
	assert_val(c->avail.swap_headroom_bytes, swap_free);
	assert_val(c->avail.available_bytes, (5242880LL + 512000 + 81920 + 2086908) * 1024);
	assert_int_equal(cg_at(&t, "/")->avail.limited_by, -1);

	/* The nearest limited ancestor: /system.slice (1G, memsw unlimited: host swap). */
	c = cg_at(&t, "/system.slice/docker.service");
	sys = snap_find_cgroup(&t.s, "/system.slice");
	assert_int_equal(c->avail.limited_by, sys);
	assert_val(c->avail.headroom_bytes, 724 * MiB);
	assert_val(c->avail.inactive_file_bytes, 100 * MiB);
	assert_val(c->avail.swap_headroom_bytes, swap_free);
	assert_val(c->avail.available_bytes, 824 * MiB + swap_free);
	free_tree(&t);
}

static void
test_avail_v2(void **state)
{
	struct tree t;
	const struct cgroup *c;
	int64_t swap_free = 3145724LL * 1024;

	load_tree(&t, "tree-v2");
	set_host(&t.s.host, 9437184, 3145728, 1941228, 262144, 3145724);
	avail_compute(&t.s);

	/* 256M - 150M; swap 128M - 20M; 106 + 30 + 3 + 108. */
	c = cg_at(&t, DOCKER_V2);
	assert_int_equal(c->avail.limited_by, snap_find_cgroup(&t.s, DOCKER_V2));
	assert_val(c->avail.headroom_bytes, 106 * MiB);
	assert_val(c->avail.page_cache_bytes, 45 * MiB);
	assert_val(c->avail.inactive_file_bytes, 30 * MiB);
	assert_val(c->avail.slab_reclaimable_bytes, 3 * MiB);
	assert_val(c->avail.swap_headroom_bytes, 108 * MiB);
	assert_val(c->avail.available_bytes, 247 * MiB);

	/* Limited, but no swap accounting: the host's SwapFree bounds the swap. */
	c = cg_at(&t, "/init.scope");
	assert_int_equal(c->avail.limited_by, 1);
	assert_val(c->avail.headroom_bytes, 1016 * MiB);
	assert_val(c->avail.swap_headroom_bytes, swap_free);
	assert_val(c->avail.available_bytes, 1016 * MiB + 2 * MiB + 512 * 1024 + swap_free);

	/* No memory controller, no limit up to the root: the host. */
	c = cg_at(&t, "/user.slice/user-1000.slice");
	assert_int_equal(c->avail.limited_by, -1);
	assert_val(c->avail.headroom_bytes, 9437184LL * 1024);
	assert_val(c->avail.available_bytes, (9437184LL + 1941228 + 262144 + 3145724) * 1024);
	assert_int_equal(cg_at(&t, "/system.slice/sshd.service")->avail.limited_by, -1);
	free_tree(&t);
}

/*
 * A v2 cgroup has no swappiness of its own: the kernel's mem_cgroup_get_max()
 * adds swap to its totalpages only when the global vm.swappiness is not 0
 * (mem_cgroup_swappiness()).  tree-v2's host has 4 GiB of swap and
 * vm.swappiness 0, so the Docker cgroup's swap.max of 128M adds nothing;
 * any other value adds it, and so does an unknown one (never taken as 0).
 */
static void
test_totalpages_vm_swappiness_v2(void **state)
{
	struct host_consts hc = {0};
	char root[4096];
	struct tree t;
	int cg;
	int64_t mem_pages;

	load_tree(&t, "tree-v2");
	tree_root(root, sizeof(root), "tree-v2");
	assert_int_equal(host_collect(root, &hc, &t.s.host), 0);
	assert_val(t.s.host.vm_swappiness, 0);
	assert_true(val_is_ok(t.s.host.swap_total_kb) && t.s.host.swap_total_kb.v > 0);
	cg = snap_find_cgroup(&t.s, DOCKER_V2);
	mem_pages = 256 * MiB / t.s.host.page_size;
	assert_val(score_cgroup_totalpages(&t.s, cg), mem_pages);

	t.s.host.vm_swappiness = val_ok(60);
	assert_val(score_cgroup_totalpages(&t.s, cg), mem_pages + 128 * MiB / t.s.host.page_size);
	t.s.host.vm_swappiness = val_unknown(ENOENT);
	assert_val(score_cgroup_totalpages(&t.s, cg), mem_pages + 128 * MiB / t.s.host.page_size);
	free_tree(&t);
}

static void
test_avail_hybrid_no_swap(void **state)
{
	struct tree t;
	const struct cgroup *c;

	load_tree(&t, "tree-hybrid");
	set_host(&t.s.host, 20971520, 1433600, 577668, 65724, 0);
	avail_compute(&t.s);
	/* memsw allows 512M of swap, but the host has none. */
	c = cg_at(&t, DOCKER_HY);
	assert_val(c->avail.headroom_bytes, 312 * MiB);
	assert_val(c->avail.swap_headroom_bytes, 0);
	assert_val(c->avail.available_bytes, 402 * MiB);
	free_tree(&t);
}

static void
test_combo_names(void **state)
{
	enum cg_combo all[] = { CG_COMBO_UNKNOWN, CG_COMBO_NEITHER, CG_COMBO_KMEM_ONLY,
				CG_COMBO_MEM_ONLY, CG_COMBO_BOTH };

	for (size_t i = 0; i < 5; i++) {
		assert_non_null(cg_combo_name(all[i]));
		assert_true(strlen(cg_combo_meaning(all[i])) > 10);
		assert_null(strchr(cg_combo_meaning(all[i]), '\n'));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(cg_combo_name(all[i]), cg_combo_name(all[j]));
	}
	assert_string_equal(cg_combo_name(CG_COMBO_NEITHER), "neither");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo_v1),
		cmocka_unit_test(test_mountinfo_v2),
		cmocka_unit_test(test_mountinfo_hybrid),
		cmocka_unit_test(test_mountinfo_v2_nomemory),
		cmocka_unit_test(test_mountinfo_none),
		cmocka_unit_test(test_mountinfo_escaped),
		cmocka_unit_test(test_mountinfo_container),
		cmocka_unit_test(test_mountinfo_garbage),
		cmocka_unit_test(test_find_mount_trees),
		cmocka_unit_test(test_find_mount_v2_controllers),
		cmocka_unit_test(test_proc_cgroup),
		cmocka_unit_test(test_parse_value),
		cmocka_unit_test(test_collect_v1),
		cmocka_unit_test(test_collect_v2),
		cmocka_unit_test(test_collect_hybrid),
		cmocka_unit_test(test_collect_scratch),
		cmocka_unit_test(test_avail_v1),
		cmocka_unit_test(test_avail_v2),
		cmocka_unit_test(test_totalpages_vm_swappiness_v2),
		cmocka_unit_test(test_avail_hybrid_no_swap),
		cmocka_unit_test(test_combo_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
