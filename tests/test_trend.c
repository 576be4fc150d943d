/*
 * test_trend.c - time to trouble and would-it-fit: a steady growth gives a
 * rate and an ETA, a single spike or a jump gives none, a flat line is
 * steady without an ETA; the collector's history across snapshots; and the
 * fits arithmetic (sizes, the four answers, the exit status) and sizing.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fits.h"
#include "fixture.h"
#include "source.h"
#include "trend.h"

#define MiB (1024.0 * 1024.0)

static void
test_steady_growth(void **state)
{
	struct trend_sample s[8];
	struct trend t;

	(void)state;
	/* 100 MiB growing 1 MiB/s, sampled every 2 s, with a little noise. */
	for (int i = 0; i < 8; i++)
		s[i] = (struct trend_sample){1000.0 + 2.0 * i,
					     100 * MiB + 2.0 * i * MiB + (i % 2 ? 30000 : -30000)};
	trend_fit(s, 8, 50 * MiB, &t);
	assert_true(t.steady);
	assert_true(t.growth_bytes_per_s > 0.95 * MiB && t.growth_bytes_per_s < 1.05 * MiB);
	assert_true(val_is_ok(t.seconds_to_limit));
	assert_true(t.seconds_to_limit.v >= 47 && t.seconds_to_limit.v <= 53);
	assert_int_equal(t.samples, 8);

	/* No limit: a rate but no ETA. */
	trend_fit(s, 8, -1, &t);
	assert_true(t.steady);
	assert_false(val_is_ok(t.seconds_to_limit));
}

static void
test_spike_and_jump(void **state)
{
	struct trend_sample s[8];
	struct trend t;

	(void)state;
	for (int i = 0; i < 8; i++)
		s[i] = (struct trend_sample){2.0 * i, 100 * MiB};
	s[5].v = 400 * MiB; /* one spike */
	trend_fit(s, 8, 50 * MiB, &t);
	assert_false(t.steady);
	assert_false(val_is_ok(t.seconds_to_limit));

	for (int i = 0; i < 8; i++)
		s[i] = (struct trend_sample){2.0 * i, i < 6 ? 100 * MiB : 300 * MiB};
	trend_fit(s, 8, 50 * MiB, &t); /* a jump at the end: most of the change in one step */
	assert_false(t.steady);

	/*
	 * The spike as the newest sample: no line, but at that rate the limit
	 * is a second away, so the last two samples warn (a fast leak looks
	 * like this at first; issue 13).
	 */
	for (int i = 0; i < 8; i++)
		s[i] = (struct trend_sample){2.0 * i, i < 7 ? 100 * MiB : 200 * MiB};
	trend_fit(s, 8, 50 * MiB, &t);
	assert_true(t.fast);
	assert_int_equal(t.seconds_to_limit.v, 1);
	/* The same jump far from the limit: no estimate. */
	trend_fit(s, 8, 5000 * MiB, &t);
	assert_false(t.steady);
	assert_false(t.fast);
}

static void
test_flat_and_too_few(void **state)
{
	struct trend_sample s[8];
	struct trend t;

	(void)state;
	for (int i = 0; i < 8; i++)
		s[i] = (struct trend_sample){2.0 * i, 100 * MiB + (i % 3) * 4096};
	trend_fit(s, 8, 50 * MiB, &t);
	assert_true(t.steady);
	assert_true(t.growth_bytes_per_s == 0);
	assert_false(val_is_ok(t.seconds_to_limit));

	for (int i = 0; i < 4; i++)
		s[i] = (struct trend_sample){2.0 * i, 100 * MiB + i * MiB};
	trend_fit(s, 4, 50 * MiB, &t); /* four samples are not enough */
	assert_false(t.steady);
	for (int i = 0; i < 6; i++)
		s[i] = (struct trend_sample){0.5 * i, 100 * MiB + i * MiB};
	trend_fit(s, 6, 500 * MiB, &t); /* six samples over 2.5 s: too short a span */
	assert_false(t.steady);
	/* ... unless the limit is near at the last two samples' rate (2 MiB/s): 25 s. */
	trend_fit(s, 6, 50 * MiB, &t);
	assert_true(t.steady && t.fast);
	assert_int_equal(t.samples, 2);
	assert_int_equal(t.seconds_to_limit.v, 25);
	/* Samples older than the window do not count. */
	for (int i = 0; i < 6; i++)
		s[i] = (struct trend_sample){i < 3 ? 0.0 + i : 500.0 + i, 100 * MiB + i * MiB};
	trend_fit(s, 6, 500 * MiB, &t);
	assert_int_equal(t.samples, 3);
	assert_false(t.steady);
}

/* The collector's side: history by path, the peak oomlens saw, the host's MemAvailable. */
static void
test_update(void **state)
{
	struct trend_state *ts = trend_state_new();
	struct snapshot s;
	struct cgroup cg;

	(void)state;
	for (int i = 0; i < 7; i++) {
		memset(&s, 0, sizeof(s));
		memset(&cg, 0, sizeof(cg));
		cg.path = (char *)"/app";
		cg.has_limit = true;
		cg.limit_bytes = val_ok((int64_t)(200 * MiB));
		cg.usage_bytes = val_ok((int64_t)(100 * MiB + i * 2 * MiB));
		s.cgroups = &cg;
		s.n_cgroups = 1;
		s.mono.tv_sec = 100 + 2 * i;
		s.host.mem_available_kb = val_ok(1000000 - i * 2048); /* falling 1 MiB/s */
		trend_update(ts, &s);
	}
	assert_true(cg.trend.steady);
	assert_true(cg.trend.growth_bytes_per_s > 0.99 * MiB &&
		    cg.trend.growth_bytes_per_s < 1.01 * MiB);
	/* 200 - 112 = 88 MiB left at 1 MiB/s. */
	assert_true(cg.trend.seconds_to_limit.v >= 87 && cg.trend.seconds_to_limit.v <= 89);
	assert_int_equal(cg.seen_peak_bytes.v, (int64_t)(112 * MiB));
	assert_true(cg.seen_for_s == 12.0);
	assert_true(s.host_trend.steady);
	assert_true(s.host_trend.growth_bytes_per_s > 0.99 * MiB);
	assert_true(val_is_ok(s.host_trend.seconds_to_limit));
	trend_state_free(ts);
}

static void
test_parse_size(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(fits_parse_size("512", &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(fits_parse_size("64k", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(fits_parse_size("64M", &v), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(fits_parse_size("1.5g", &v), 0);
	assert_int_equal(v, 3ull << 29);
	assert_int_equal(fits_parse_size("100MiB", &v), 0);
	assert_int_equal(v, 100ull << 20);
	assert_int_equal(fits_parse_size("2t", &v), 0);
	assert_int_equal(v, 2ull << 40);
	assert_int_equal(fits_parse_size("", &v), -EINVAL);
	assert_int_equal(fits_parse_size("-1m", &v), -EINVAL);
	assert_int_equal(fits_parse_size("0", &v), -EINVAL);
	assert_int_equal(fits_parse_size("12x", &v), -EINVAL);
	assert_int_equal(fits_parse_size("1.m", &v), -EINVAL);
	assert_int_equal(fits_parse_size("m", &v), -EINVAL);
	assert_int_equal(fits_parse_size("99999999999999999999", &v), -ERANGE);
	assert_int_equal(fits_parse_size("99999999999t", &v), -ERANGE);
}

/* A host of 1000 MiB RAM, 100 MiB free, 400 MiB available, no swap; one limited cgroup. */
static void
fits_snapshot(struct snapshot *s, struct cgroup *cg, int64_t mode)
{
	memset(s, 0, sizeof(*s));
	memset(cg, 0, sizeof(*cg));
	s->host.page_size = 4096;
	s->host.mem_total_kb = val_ok(1000 * 1024);
	s->host.swap_total_kb = val_ok(0);
	s->host.mem_free_kb = val_ok(100 * 1024);
	s->host.mem_available_kb = val_ok(400 * 1024);
	s->host.vm_enough_kb = val_ok(600 * 1024);
	s->host.commit_limit_kb = val_ok(500 * 1024);
	s->host.committed_as_kb = val_ok(300 * 1024);
	s->host.overcommit_memory = val_ok(mode);
	cg->path = (char *)"/job";
	cg->has_limit = true;
	cg->limit_bytes = val_ok(64 << 20);
	cg->usage_bytes = val_ok(40 << 20);
	cg->peak_bytes = val_ok(50 << 20);
	cg->stat_inactive_file = val_ok(10 << 20);
	cg->avail.limited_by = 0;
	cg->avail.headroom_bytes = val_ok(24 << 20);
	cg->avail.available_bytes = val_ok(34 << 20);
	s->cgroups = cg;
	s->n_cgroups = 1;
}

static void
test_fits(void **state)
{
	struct snapshot s;
	struct cgroup cg;
	struct fits_result r;
	struct sizing z;

	(void)state;
	fits_snapshot(&s, &cg, 0);
	fits_evaluate(&s, -1, 50 << 20, &r);
	assert_int_equal(r.v24, FITS_YES);
	assert_int_equal(r.policy, FITS_YES);
	assert_int_equal(r.avail, FITS_YES);
	assert_int_equal(r.status, 0);
	fits_evaluate(&s, -1, 300 << 20, &r);
	assert_int_equal(r.avail, FITS_RECLAIM);
	assert_int_equal(r.status, 3);
	fits_evaluate(&s, -1, 700ull << 20, &r);
	assert_int_equal(r.v24, FITS_NO);
	assert_int_equal(r.policy, FITS_YES); /* mode 0 refuses only above RAM + swap */
	assert_int_equal(r.status, 4);
	fits_evaluate(&s, -1, 1001ull << 20, &r);
	assert_int_equal(r.policy, FITS_NO);
	assert_int_equal(r.status, 4);

	/* With the cgroup: 24 MiB headroom, 34 MiB after reclaim. */
	fits_evaluate(&s, 0, 20 << 20, &r);
	assert_int_equal(r.cgroup, FITS_YES);
	assert_int_equal(r.status, 0);
	fits_evaluate(&s, 0, 30 << 20, &r);
	assert_int_equal(r.cgroup, FITS_RECLAIM);
	assert_int_equal(r.status, 3);
	fits_evaluate(&s, 0, 40 << 20, &r);
	assert_int_equal(r.cgroup, FITS_NO);
	assert_int_equal(r.status, 4);

	/* Mode 2: CommitLimit - Committed_AS = 200 MiB, strictly below. */
	fits_snapshot(&s, &cg, 2);
	fits_evaluate(&s, -1, 50 << 20, &r);
	assert_int_equal(r.policy, FITS_YES);
	fits_evaluate(&s, -1, 200 << 20, &r);
	assert_int_equal(r.policy, FITS_NO);
	assert_int_equal(r.status, 4);
	/* Mode 1 never refuses; MemAvailable still says no. */
	fits_snapshot(&s, &cg, 1);
	fits_evaluate(&s, -1, 5000ull << 20, &r);
	assert_int_equal(r.policy, FITS_YES);
	assert_int_equal(r.status, 4);
	/* Unknown MemAvailable and free: the status is unknown. */
	s.host.mem_free_kb = val_unknown(EACCES);
	s.host.mem_available_kb = val_unknown(EACCES);
	fits_evaluate(&s, -1, 1, &r);
	assert_int_equal(r.status, FITS_UNKNOWN);

	/* Sizing: peak 50 MiB + 20% = 60 MiB; working set 30 MiB + 10% = 33 MiB. */
	fits_snapshot(&s, &cg, 0);
	assert_int_equal(sizing_for_cgroup(&s, 0, &z), 0);
	assert_int_equal(z.peak_bytes.v, 50 << 20);
	assert_int_equal(z.memory_bytes.v, 60 << 20);
	assert_int_equal(z.reservation_bytes.v, 33 << 20);
	assert_int_equal(z.memory_swap_bytes.v, 60 << 20);
	assert_non_null(strstr(z.reason, "no swap on this host"));
	/* A tiny container still gets Docker's minimum. */
	cg.peak_bytes = val_ok(1 << 20);
	cg.usage_bytes = val_ok(1 << 20);
	cg.stat_inactive_file = val_ok(0);
	assert_int_equal(sizing_for_cgroup(&s, 0, &z), 0);
	assert_int_equal(z.memory_bytes.v, SIZING_MIN_BYTES);
	assert_true(z.reservation_bytes.v < z.memory_bytes.v);
	/* A peak near what int64 holds (a fuzz finding): the largest whole MiB, no overflow. */
	cg.peak_bytes = val_ok(INT64_MAX - 5);
	cg.usage_bytes = val_ok(INT64_MAX / 2);
	assert_int_equal(sizing_for_cgroup(&s, 0, &z), 0);
	assert_int_equal(z.memory_bytes.v, (INT64_MAX >> 20) << 20);
	assert_true(z.reservation_bytes.v < z.memory_bytes.v);
	assert_true(z.reservation_bytes.v > 0);
	cg.peak_bytes = cg.usage_bytes = val_unknown(EACCES);
	assert_int_equal(sizing_for_cgroup(&s, 0, &z), -ENODATA);

	/*
	 * A cgroup hitting its 64 MiB limit (OOM kills, failcnt) with a peak of
	 * 47 MiB seen: never less than the limit (issue 13 saw --memory 57m).
	 */
	fits_snapshot(&s, &cg, 0);
	cg.peak_bytes = cg.usage_bytes = val_ok(47 << 20);
	cg.ev_oom_kill = val_ok(1);
	assert_int_equal(sizing_for_cgroup(&s, 0, &z), 0);
	assert_true(z.memory_bytes.v >= cg.limit_bytes.v);
	assert_int_equal(z.memory_bytes.v, 77 << 20); /* 64 MiB + 20%, rounded up */
	assert_true(z.reservation_bytes.v < z.memory_bytes.v);
	assert_non_null(strstr(z.reason, "hitting its 64 MiB limit"));
	cg.ev_oom_kill = val_ok(0);
	cg.failcnt = val_ok(3);
	assert_int_equal(sizing_for_cgroup(&s, 0, &z), 0);
	assert_true(z.memory_bytes.v >= cg.limit_bytes.v);
	/* Within 10% of the limit, with no event yet. */
	cg.failcnt = val_ok(0);
	cg.peak_bytes = val_ok(60 << 20);
	assert_int_equal(sizing_for_cgroup(&s, 0, &z), 0);
	assert_true(z.memory_bytes.v >= cg.limit_bytes.v);
	/* Far below it, and never hit: the peak decides, as before. */
	cg.peak_bytes = val_ok(20 << 20);
	cg.usage_bytes = val_ok(20 << 20);
	assert_int_equal(sizing_for_cgroup(&s, 0, &z), 0);
	assert_int_equal(z.memory_bytes.v, 24 << 20);
}

/*
 * The overcommit rule by kernel (issue 13, item 9): 4.19-5.1's mode 0
 * counts what could be freed, not RAM + swap; mode 2 keeps the user
 * reserve back.
 */
static void
test_fits_by_kernel(void **state)
{
	struct snapshot s;
	struct cgroup cg;
	struct fits_result r;

	(void)state;
	fits_snapshot(&s, &cg, 0);
	s.host.page_cache_kb = val_ok(200 * 1024);
	s.host.swap_free_kb = val_ok(0);
	s.host.slab_reclaimable_kb = val_ok(50 * 1024);
	s.host.shmem_kb = val_ok(30 * 1024);
	/* free 100 + file 200 - shmem 30 + slab 50 = 320 MiB on 4.19. */
	snprintf(s.host.kernel_release, sizeof(s.host.kernel_release), "4.19.0-27-amd64");
	fits_evaluate(&s, -1, 500 << 20, &r);
	assert_true(r.policy_pre52);
	assert_int_equal(r.policy_bytes.v, 320LL << 20);
	assert_int_equal(r.policy, FITS_NO);
	/* 5.2+: only what exceeds RAM + swap (1000 MiB) is refused. */
	snprintf(s.host.kernel_release, sizeof(s.host.kernel_release), "5.10.0");
	fits_evaluate(&s, -1, 500 << 20, &r);
	assert_false(r.policy_pre52);
	assert_int_equal(r.policy, FITS_YES);
	/* Mode 2: 500 - 300 MiB of commit headroom, less a 128 MiB user reserve. */
	s.host.overcommit_memory = val_ok(2);
	s.host.user_reserve_kb = val_ok(128 * 1024);
	fits_evaluate(&s, -1, 100 << 20, &r);
	assert_int_equal(r.policy_bytes.v, 72LL << 20);
	assert_int_equal(r.policy, FITS_NO);

	/*
	 * 50 MiB in the cgroup: 34 MiB available, but 20 MiB of active file
	 * pages that reclaim demotes before any OOM kill: it may fit.
	 */
	fits_snapshot(&s, &cg, 0);
	cg.stat_active_file = val_ok(20 << 20);
	fits_evaluate(&s, 0, 50 << 20, &r);
	assert_int_equal(r.cgroup, FITS_RECLAIM);
	assert_true(r.cg_active_file);
	fits_evaluate(&s, 0, 60 << 20, &r);
	assert_int_equal(r.cgroup, FITS_NO);
	assert_false(r.cg_active_file);
}

/*
 * The shipped OOM episode (data/recordings/oom-episode.jsonl: 64M filled in
 * about 8 s, sampled every ~1.6 s), fed to the collector's history as the
 * monitor would have: at 74% of the limit an ETA of a few seconds, marked
 * fast, where five samples over 8 s gave none (issue 13, item 7).
 */
static void
test_episode_eta(void **state)
{
	struct snap_source *src;
	struct trend_state *ts = trend_state_new();
	struct snapshot *s = NULL;
	char path[4096];
	bool at74 = false;

	(void)state;
	snprintf(path, sizeof(path), "%s/recordings/oom-episode.jsonl", fixture_dir());
	assert_int_equal(snap_source_replay(path, &src), 0);
	while (snap_source_next(src, &s) == 0) {
		trend_update(ts, s);
		for (size_t i = 0; i < s->n_cgroups; i++) {
			const struct cgroup *c = &s->cgroups[i];
			double use;

			if (!c->has_limit || !val_is_ok(c->usage_bytes) || !val_is_ok(c->limit_bytes))
				continue;
			use = (double)c->usage_bytes.v / (double)c->limit_bytes.v;
			if (use < 0.70 || use >= 0.80)
				continue;
			at74 = true;
			assert_true(c->trend.steady);
			assert_true(c->trend.fast);
			assert_true(val_is_ok(c->trend.seconds_to_limit));
			assert_in_range(c->trend.seconds_to_limit.v, 1, 5);
		}
		snapshot_free(s);
		s = NULL;
	}
	assert_true(at74);
	snap_source_free(src);
	trend_state_free(ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_steady_growth),    cmocka_unit_test(test_spike_and_jump),
	    cmocka_unit_test(test_flat_and_too_few), cmocka_unit_test(test_update),
	    cmocka_unit_test(test_parse_size),	     cmocka_unit_test(test_fits),
	    cmocka_unit_test(test_episode_eta),     cmocka_unit_test(test_fits_by_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
