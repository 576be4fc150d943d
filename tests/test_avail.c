/*
 * test_avail.c - the availability arithmetic of doc/model.md (src/avail.c)
 * and the value arithmetic and packing under it (src/model.c), on hand-built hosts and
 * cgroups: every expected number is worked out in the comment beside it.
 * No file is read; test_cgroup.c checks the same arithmetic over the
 * fixture trees that cg_collect() reads.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "avail.h"
#include "model.h"
#include "lib/val_assert.h"

#define MiB (1024LL * 1024)



/* The host's figures the cgroup arithmetic reads, in kB. */
static void
set_host(struct host *h, int64_t mem_free, int64_t cached, int64_t inactive_file,
	 int64_t sreclaimable, int64_t swap_free)
{
	memset(h, 0, sizeof(*h));
	h->mem_free_kb = val_ok(mem_free);
	h->cached_kb = val_ok(cached);
	h->shmem_kb = val_ok(0);
	h->inactive_file_kb = val_ok(inactive_file);
	h->slab_reclaimable_kb = val_ok(sreclaimable);
	h->swap_free_kb = val_ok(swap_free);
}

/* A cgroup with a limit and memory.stat figures; no swap limit of its own. */
static struct cgroup
limited(int version, int parent, int64_t limit, int64_t usage)
{
	struct cgroup c;

	memset(&c, 0, sizeof(c));
	c.version = version;
	c.parent = parent;
	c.limit_bytes = val_ok(limit);
	c.has_limit = true;
	c.usage_bytes = val_ok(usage);
	c.swap_limit_bytes = c.swap_max_bytes = val_max();
	c.swap_usage_bytes = val_ok(0);
	c.stat_file = c.stat_shmem = c.stat_inactive_file = val_ok(0);
	c.stat_slab_reclaimable = val_ok(0);
	return c;
}

static struct cgroup
unlimited(int parent)
{
	struct cgroup c = limited(2, parent, 0, 0);

	c.limit_bytes = val_max();
	c.has_limit = false;
	return c;
}

/* ---- the value arithmetic (model.c) ------------------------------------ */

static void
test_sub0(void **state)
{
	(void)state;
	assert_val(val_sub0(val_ok(5), val_ok(3)), 2);
	/* Usage above the limit: no headroom, never a negative one. */
	assert_val(val_sub0(val_ok(3), val_ok(5)), 0);
	assert_val(val_sub0(val_ok(7), val_ok(7)), 0);
	/* Unknown wins with its reason, a's before b's. */
	assert_unknown(val_sub0(val_unknown(EACCES), val_ok(1)), EACCES);
	assert_unknown(val_sub0(val_ok(1), val_unknown(ENOENT)), ENOENT);
	assert_unknown(val_sub0(val_unknown(EACCES), val_unknown(ENOENT)), EACCES);
	/* "max" or "not available" less anything is not a number. */
	assert_unknown(val_sub0(val_max(), val_ok(1)), OL_ENOTAPPL);
	assert_unknown(val_sub0(val_ok(1), val_na()), OL_ENOTAPPL);
}

static void
test_min_add(void **state)
{
	(void)state;
	assert_val(val_min(val_ok(5), val_ok(3)), 3);
	assert_val(val_min(val_ok(3), val_ok(5)), 3);
	/* "max" is no bound. */
	assert_val(val_min(val_max(), val_ok(9)), 9);
	assert_val(val_min(val_ok(9), val_max()), 9);
	assert_int_equal(val_min(val_max(), val_max()).state, VAL_MAX);
	/* An unknown bound makes the answer unknown, whatever the other side. */
	assert_unknown(val_min(val_ok(1), val_unknown(ENOENT)), ENOENT);
	assert_unknown(val_min(val_unknown(EIO), val_max()), EIO);

	assert_int_equal(val_add_sat(2, 3), 5);
	assert_int_equal(val_add_sat(INT64_MAX - 1, 1), INT64_MAX);
	assert_int_equal(val_add_sat(INT64_MAX - 1, 2), INT64_MAX);
	assert_int_equal(val_add_sat(INT64_MAX, INT64_MAX), INT64_MAX);

	assert_val(val_add(val_ok(921600), val_ok(1024)), 922624);
	assert_val(val_add(val_ok(INT64_MAX), val_ok(1)), INT64_MAX);
	assert_unknown(val_add(val_unknown(ENOENT), val_unknown(EACCES)), ENOENT);
	assert_unknown(val_add(val_ok(1), val_unknown(EACCES)), EACCES);
	assert_int_equal(val_add(val_na(), val_ok(1)).state, VAL_NA);
}

/* x through val_pack32() and back, which must pack. */
static struct val
repacked(struct val x)
{
	int32_t k = 12345;

	if (!val_pack32(x, &k))
		fail_msg("state %d value %lld err %d did not pack", x.state, (long long)x.v, x.err);
	return val_unpack32(k);
}

static void
test_pack32(void **state)
{
	int32_t k = 7;

	(void)state;
	/* Numbers as themselves, to the edges of the range. */
	assert_val(repacked(val_ok(0)), 0);
	assert_val(repacked(val_ok(1)), 1);
	assert_val(repacked(val_ok(-1000)), -1000); /* an oom_score_adj */
	assert_val(repacked(val_ok(65534)), 65534);
	assert_val(repacked(val_ok(INT32_MAX)), INT32_MAX);
	assert_val(repacked(val_ok((int64_t)INT32_MIN + 65536)), (int64_t)INT32_MIN + 65536);
	/* Not numbers: the state, and the reason of an unknown. */
	assert_unknown(repacked(val_unknown(0)), 0);
	assert_unknown(repacked(val_unknown(ENOENT)), ENOENT);
	assert_unknown(repacked(val_unknown(EACCES)), EACCES);
	assert_unknown(repacked(val_unknown(OL_ENOTAPPL)), OL_ENOTAPPL);
	assert_unknown(repacked(val_unknown(16383)), 16383);
	assert_int_equal(repacked(val_max()).state, VAL_MAX);
	assert_int_equal(repacked(val_max()).v, INT64_MAX);
	assert_int_equal(repacked(val_na()).state, VAL_NA);
	/* What does not fit is refused, and out is left alone. */
	assert_false(val_pack32(val_ok((int64_t)INT32_MAX + 1), &k));
	assert_false(val_pack32(val_ok((int64_t)INT32_MIN + 65535), &k));
	assert_false(val_pack32(val_ok(INT64_MIN), &k));
	assert_false(val_pack32(val_ok(4294967294LL), &k)); /* a uid above 2^31 */
	assert_false(val_pack32(val_unknown(16384), &k));
	assert_int_equal(k, 7);
}

/* ---- the host ------------------------------------------------------------ */

static void
test_host_sum(void **state)
{
	struct host h;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.page_cache_kb = val_ok(921600);
	h.mem_free_kb = val_ok(5242880);
	h.swap_free_kb = val_ok(2086908);
	h.swap_cache_kb = val_ok(1024);
	h.dentry_cache_kb = val_ok(4096);
	h.inode_cache_kb = val_ok(2048);
	h.shmem_kb = val_ok(262144);
	avail_host_sum(&h);
	/* 921600 + 5242880 + 2086908 + 1024 + 4096 + 2048 = 8258556; less Shmem 262144. */
	assert_val(h.vm_enough_kb, 8258556);
	assert_val(h.avail_now_kb, 7996412);

	/* More Shmem than the sum (only a garbled file): 0, not negative. */
	h.shmem_kb = val_ok(9000000);
	avail_host_sum(&h);
	assert_val(h.avail_now_kb, 0);

	/* Shmem unknown: the sum stands, the headline is unknown for Shmem's reason. */
	h.shmem_kb = val_unknown(OL_EMISSING);
	avail_host_sum(&h);
	assert_val(h.vm_enough_kb, 8258556);
	assert_unknown(h.avail_now_kb, OL_EMISSING);

	/* A part unknown: both unknown, with the first unknown part's reason. */
	h.shmem_kb = val_ok(0);
	h.dentry_cache_kb = val_unknown(EACCES);
	h.inode_cache_kb = val_unknown(OL_EPARSE);
	avail_host_sum(&h);
	assert_unknown(h.vm_enough_kb, EACCES);
	assert_unknown(h.avail_now_kb, EACCES);
}

/*
 * The host's components in bytes.  One too large to count in bytes
 * saturates at INT64_MAX and stays a number (val_kb_to_bytes()): never
 * "max", which means no limit.
 */
static void
test_of_host(void **state)
{
	struct cg_avail a;
	struct host h;

	(void)state;
	set_host(&h, 5242880, 921600, 512000, 81920, 2086908);
	h.shmem_kb = val_ok(1024);
	avail_of_host(&h, &a);
	assert_val(a.headroom_bytes, 5242880LL * 1024);
	assert_val(a.page_cache_bytes, 921600LL * 1024);
	assert_val(a.shmem_bytes, MiB);
	assert_val(a.inactive_file_bytes, 512000LL * 1024);
	assert_val(a.slab_reclaimable_bytes, 81920LL * 1024);
	assert_val(a.swap_headroom_bytes, 2086908LL * 1024);
	/* (5242880 + 512000 + 81920 + 2086908) kB: only the inactive part of the page cache. */
	assert_val(avail_sum(&a), 7923708LL * 1024);

	set_host(&h, INT64_MAX / 1024 + 1, 921600, 512000, 81920, INT64_MAX / 1024 + 1);
	h.slab_reclaimable_kb = val_unknown(ENOENT);
	avail_of_host(&h, &a);
	assert_val(a.headroom_bytes, INT64_MAX);
	assert_val(a.swap_headroom_bytes, INT64_MAX);
	assert_val(a.page_cache_bytes, 921600LL * 1024);
	assert_unknown(a.slab_reclaimable_bytes, ENOENT);
}

/* ---- a cgroup's limit ---------------------------------------------------- */

static void
test_of_cgroup_v1(void **state)
{
	struct cgroup l = limited(1, -1, 64 * MiB, 48 * MiB);
	struct cg_avail a;
	struct host h;

	(void)state;
	set_host(&h, 5242880, 921600, 512000, 81920, 1048576); /* SwapFree 1 GiB */
	l.swap_limit_bytes = val_ok(128 * MiB);		       /* memsw: memory + swap */
	l.swap_usage_bytes = val_ok(2 * MiB);
	l.stat_file = val_ok(20 * MiB);
	l.stat_shmem = val_ok(4 * MiB);
	l.stat_inactive_file = val_ok(12 * MiB);
	l.stat_slab_reclaimable = val_unknown(OL_EMISSING); /* v1 does not report slab */
	avail_of_cgroup(&h, &l, &a);
	/* 64M - 48M; swap (128M - 64M) - 2M = 62M, below the host's 1 GiB. */
	assert_val(a.headroom_bytes, 16 * MiB);
	assert_val(a.page_cache_bytes, 20 * MiB);
	assert_val(a.shmem_bytes, 4 * MiB);
	assert_val(a.inactive_file_bytes, 12 * MiB);
	assert_unknown(a.slab_reclaimable_bytes, OL_EMISSING);
	assert_val(a.swap_headroom_bytes, 62 * MiB);
	/* 16 + 12 + (slab not reported: 0) + 62. */
	assert_val(avail_sum(&a), 90 * MiB);

	/* The host has less swap free than the allowance: 10 MiB bounds it. */
	h.swap_free_kb = val_ok(10240);
	avail_of_cgroup(&h, &l, &a);
	assert_val(a.swap_headroom_bytes, 10 * MiB);

	/* memsw below the memory limit (allowed on v1): no swap allowance at all. */
	l.swap_limit_bytes = val_ok(32 * MiB);
	avail_of_cgroup(&h, &l, &a);
	assert_val(a.swap_headroom_bytes, 0);

	/* memsw unlimited, or no swap accounting (no memsw files): the host's SwapFree. */
	l.swap_limit_bytes = val_max();
	avail_of_cgroup(&h, &l, &a);
	assert_val(a.swap_headroom_bytes, 10 * MiB);
	l.swap_limit_bytes = val_unknown(OL_EMISSING);
	avail_of_cgroup(&h, &l, &a);
	assert_val(a.swap_headroom_bytes, 10 * MiB);

	/* memsw unreadable: the swap headroom and the sum are unknown for that reason. */
	l.swap_limit_bytes = val_unknown(EACCES);
	avail_of_cgroup(&h, &l, &a);
	assert_unknown(a.swap_headroom_bytes, EACCES);
	assert_unknown(avail_sum(&a), EACCES);
}

static void
test_of_cgroup_v2(void **state)
{
	struct cgroup l = limited(2, -1, 256 * MiB, 150 * MiB);
	struct cg_avail a;
	struct host h;

	(void)state;
	set_host(&h, 9437184, 3145728, 1941228, 262144, 3145724);
	l.swap_max_bytes = val_ok(128 * MiB);
	l.swap_limit_bytes = val_ok(384 * MiB); /* max + swap.max: not what v2 reads */
	l.swap_usage_bytes = val_ok(20 * MiB);
	l.stat_file = val_ok(45 * MiB);
	l.stat_inactive_file = val_ok(30 * MiB);
	l.stat_slab_reclaimable = val_ok(3 * MiB);
	avail_of_cgroup(&h, &l, &a);
	/* 256M - 150M; swap 128M - 20M; 106 + 30 + 3 + 108 = 247. */
	assert_val(a.headroom_bytes, 106 * MiB);
	assert_val(a.page_cache_bytes, 45 * MiB);
	assert_val(a.swap_headroom_bytes, 108 * MiB);
	assert_val(avail_sum(&a), 247 * MiB);

	/* swap.current unreadable: the swap headroom is unknown, not 128M. */
	l.swap_usage_bytes = val_unknown(EIO);
	avail_of_cgroup(&h, &l, &a);
	assert_unknown(a.swap_headroom_bytes, EIO);
	assert_unknown(avail_sum(&a), EIO);

	/* The host's SwapFree unknown: a swap headroom it bounds is unknown too. */
	l.swap_usage_bytes = val_ok(20 * MiB);
	h.swap_free_kb = val_unknown(ENOENT);
	avail_of_cgroup(&h, &l, &a);
	assert_unknown(a.swap_headroom_bytes, ENOENT);
}

/* ---- the sum ------------------------------------------------------------- */

static void
test_sum(void **state)
{
	struct cg_avail a;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.headroom_bytes = val_ok(106 * MiB);
	a.page_cache_bytes = val_ok(999 * MiB); /* never part of the sum */
	a.inactive_file_bytes = val_ok(30 * MiB);
	a.slab_reclaimable_bytes = val_ok(3 * MiB);
	a.swap_headroom_bytes = val_ok(108 * MiB);
	assert_val(avail_sum(&a), 247 * MiB);

	/* A part the kernel does not report counts as 0 ... */
	a.slab_reclaimable_bytes = val_unknown(OL_EMISSING);
	assert_val(avail_sum(&a), 244 * MiB);
	/* ... one it reported but oomlens could not read or parse makes the sum unknown. */
	a.slab_reclaimable_bytes = val_unknown(OL_EPARSE);
	assert_unknown(avail_sum(&a), OL_EPARSE);
	a.slab_reclaimable_bytes = val_ok(3 * MiB);

	/* The headroom must be known: unknown keeps its reason, "max" does not apply. */
	a.headroom_bytes = val_unknown(EACCES);
	assert_unknown(avail_sum(&a), EACCES);
	a.headroom_bytes = val_max();
	assert_unknown(avail_sum(&a), OL_ENOTAPPL);

	/* Saturates rather than wrapping. */
	a.headroom_bytes = val_ok(INT64_MAX - MiB);
	assert_val(avail_sum(&a), INT64_MAX);
}

/* ---- the limit in force --------------------------------------------------- */

static void
test_limited_by(void **state)
{
	/* 0 /, 1 /a (limited), 2 /a/b, 3 /a/b/c (limited), 4 /d, 5 /a/b/e */
	struct cgroup cgs[] = {unlimited(-1), limited(2, 0, 100 * MiB, 0),
			       unlimited(1),  limited(2, 2, 50 * MiB, 0),
			       unlimited(0),  unlimited(2)};
	struct snapshot s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.cgroups = cgs;
	s.n_cgroups = sizeof(cgs) / sizeof(cgs[0]);
	assert_int_equal(avail_limited_by(&s, 0), -1);
	assert_int_equal(avail_limited_by(&s, 1), 1);
	assert_int_equal(avail_limited_by(&s, 2), 1);
	assert_int_equal(avail_limited_by(&s, 3), 3);
	assert_int_equal(avail_limited_by(&s, 4), -1);
	assert_int_equal(avail_limited_by(&s, 5), 1);
	/* A parent listed after its child (never from cg_collect): the walk stops at the host. */
	cgs[2].parent = 4;
	assert_int_equal(avail_limited_by(&s, 2), -1);
}

/* avail_compute() on a hand-built snapshot: unknown parts keep their reasons. */
static void
test_compute_unknown_parts(void **state)
{
	struct cgroup cgs[3];
	struct snapshot s;

	(void)state;
	memset(&s, 0, sizeof(s));
	set_host(&s.host, 1000, 500, 200, 100, 0);
	cgs[0] = limited(2, -1, 100 * MiB, 0);
	cgs[0].usage_bytes = val_unknown(EACCES);
	cgs[0].stat_inactive_file = val_ok(MiB);
	cgs[0].stat_slab_reclaimable = val_ok(MiB);
	cgs[1] = limited(2, 0, 10 * MiB, 20 * MiB); /* above the limit: headroom 0, not negative */
	cgs[1].swap_max_bytes = val_ok(MiB);
	cgs[1].stat_inactive_file = val_unknown(OL_EPARSE);
	cgs[2] = unlimited(1);
	s.cgroups = cgs;
	s.n_cgroups = 3;
	avail_compute(&s);
	/* Unreadable usage: no headroom, no sum; the reason is kept. */
	assert_int_equal(cgs[0].avail.limited_by, 0);
	assert_unknown(cgs[0].avail.headroom_bytes, EACCES);
	assert_unknown(cgs[0].avail.available_bytes, EACCES);
	assert_val(cgs[0].avail.swap_headroom_bytes, 0); /* swap.max max: host SwapFree 0 */
	assert_val(cgs[1].avail.headroom_bytes, 0);
	/* Host has no swap: min(1M, 0). */
	assert_val(cgs[1].avail.swap_headroom_bytes, 0);
	/* An unparsable part is not "not reported": the sum is unknown. */
	assert_unknown(cgs[1].avail.available_bytes, OL_EPARSE);
	/* Below a limited parent: the parent's figures, not its own. */
	assert_int_equal(cgs[2].avail.limited_by, 1);
	assert_unknown(cgs[2].avail.available_bytes, OL_EPARSE);

	/* The host's SwapFree unknown: a swap headroom bounded by it is unknown too. */
	s.host.swap_free_kb = val_unknown(ENOENT);
	cgs[1].stat_inactive_file = val_ok(0);
	avail_compute(&s);
	assert_unknown(cgs[1].avail.swap_headroom_bytes, ENOENT);
	assert_unknown(cgs[1].avail.available_bytes, ENOENT);
	assert_unknown(cgs[0].avail.swap_headroom_bytes, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sub0),
	    cmocka_unit_test(test_min_add),
	    cmocka_unit_test(test_pack32),
	    cmocka_unit_test(test_host_sum),
	    cmocka_unit_test(test_of_host),
	    cmocka_unit_test(test_of_cgroup_v1),
	    cmocka_unit_test(test_of_cgroup_v2),
	    cmocka_unit_test(test_sum),
	    cmocka_unit_test(test_limited_by),
	    cmocka_unit_test(test_compute_unknown_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
