/*
 * test_score.c - Gorman's 2.4 badness worked out by hand from the 2.4 rules,
 * today's oom_badness()/oom_score, and the choice of victim for the host
 * and for a cgroup (ties, unkillable tasks, memory.oom.group).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "score.h"

/* HZ 100, 4 KiB pages, an uptime that makes run_time easy to reason about. */
static struct host
host100(uint64_t uptime_ticks)
{
	struct host h;

	memset(&h, 0, sizeof(h));
	h.page_size = 4096;
	h.clk_tck = 100;
	h.shift_hz = score_shift_hz(100);
	h.uptime_ticks = uptime_ticks;
	h.oom_score_v59 = true;
	h.totalpages = val_ok(1000000);
	return h;
}

/* An ordinary user process of 100 MiB VmSize that has not run yet. */
static struct proc
user_proc(void)
{
	struct proc p;

	memset(&p, 0, sizeof(p));
	p.pid = 100;
	p.cg = -1;
	p.uid = p.euid = val_ok(1000);
	p.vm_size_kb = val_ok(102400);
	p.rss_kb = val_ok(0);
	p.swap_kb = val_ok(0);
	p.pgtables_kb = val_ok(0);
	p.cap_sys_admin = p.cap_sys_rawio = val_ok(0);
	p.oom_score_adj = val_ok(0);
	return p;
}

static void
test_shift_hz_and_int_sqrt(void **state)
{
	assert_int_equal(score_shift_hz(100), 7);
	assert_int_equal(score_shift_hz(250), 8);
	assert_int_equal(score_shift_hz(1000), 10);
	assert_int_equal(score_shift_hz(1024), 10);
	/* int_sqrt(0) and int_sqrt(1) are 1: a division by them is harmless. */
	assert_int_equal(score_int_sqrt24(0), 1);
	assert_int_equal(score_int_sqrt24(1), 1);
	assert_int_equal(score_int_sqrt24(3), 1);
	/* 16: out 16 -> 8 -> 4 as x goes 16 -> 4 -> 1, then out -= out >> 2: 3. */
	assert_int_equal(score_int_sqrt24(16), 3);
	/* 256: out 256 -> 16 after four shifts, then 16 - 4 = 12. */
	assert_int_equal(score_int_sqrt24(256), 12);
	/* 12: x 12 -> 3 -> 0, out 12 -> 6 -> 3, x is 0 so no correction. */
	assert_int_equal(score_int_sqrt24(12), 3);
}

static void
test_gorman_no_cpu_time_yet(void **state)
{
	struct host h = host100(1000);
	struct proc p = user_proc();
	struct gorman_steps st;
	struct val v;

	p.start_ticks = 1000; /* started just now */
	v = score_gorman(&p, &h, &st);

	/* 102400 kB = 25600 pages; cpu_time 0 and run_time 0 both divide by 1. */
	assert_int_equal(v.state, VAL_OK);
	assert_int_equal(st.total_vm, 25600);
	assert_int_equal(st.cpu_div, 1);
	assert_int_equal(st.run_div, 1);
	assert_int_equal(v.v, 25600);
}

static void
test_gorman_cpu_and_run_time(void **state)
{
	/* cpu: 16384 ticks >> (7 + 3) = 16 -> int_sqrt 3.  run: 256 << 17 ticks >> 17 = 256 ->
	 * int_sqrt 12 -> int_sqrt 3.  25600 / 3 = 8533; 8533 / 3 = 2844. */
	struct host h = host100((uint64_t)256 << 17);
	struct proc p = user_proc();
	struct gorman_steps st;

	p.cpu_ticks = 16384;
	assert_int_equal(score_gorman(&p, &h, &st).v, 2844);
	assert_int_equal(st.cpu_time, 16);
	assert_int_equal(st.run_time, 256);
	assert_int_equal(st.cpu_div, 3);
	assert_int_equal(st.run_div, 3);
}

static void
test_gorman_nice_root_caps(void **state)
{
	struct host h = host100((uint64_t)256 << 17);
	struct proc p = user_proc();
	struct gorman_steps st;

	p.cpu_ticks = 16384;
	p.nice = 5; /* niced: x2 */
	assert_int_equal(score_gorman(&p, &h, &st).v, 5688);
	assert_true(st.niced);
	p.nice = -5; /* a negative nice changes nothing */
	assert_int_equal(score_gorman(&p, &h, NULL).v, 2844);

	p.nice = 5;
	p.uid = val_ok(0); /* root: /4 */
	assert_int_equal(score_gorman(&p, &h, NULL).v, 1422);
	p.uid = val_ok(1000);
	p.euid = val_ok(0); /* euid 0 counts too */
	assert_int_equal(score_gorman(&p, &h, NULL).v, 1422);
	p.euid = val_ok(1000);
	p.cap_sys_admin = val_ok(1); /* CAP_SYS_ADMIN: /4, once even if also root */
	assert_int_equal(score_gorman(&p, &h, NULL).v, 1422);
	p.uid = val_ok(0);
	assert_int_equal(score_gorman(&p, &h, NULL).v, 1422);
	p.cap_sys_rawio = val_ok(1); /* CAP_SYS_RAWIO: /4 again; 1422 / 4 = 355 */
	assert_int_equal(score_gorman(&p, &h, &st).v, 355);
	assert_true(st.rawio);
	p.uid = val_ok(1000);
	p.cap_sys_admin = val_ok(0); /* RAWIO alone: 5688 / 4 = 1422 */
	assert_int_equal(score_gorman(&p, &h, NULL).v, 1422);
}

static void
test_gorman_long_run_time_and_kthread(void **state)
{
	/*
	 * 2^40 ticks (about 350 years at HZ 100): run_time 2^40 >> 17 = 2^23.
	 * int_sqrt(2^23): twelve rounds take x to 0 and out to 2^11 = 2048, no
	 * correction since x ended at 0; int_sqrt(2048): six rounds, 2^5 = 32.
	 */
	struct host h = host100((uint64_t)1 << 40);
	struct proc p = user_proc();
	struct gorman_steps st;

	assert_int_equal(score_int_sqrt24((uint64_t)1 << 23), 2048);
	assert_int_equal(score_int_sqrt24(2048), 32);
	assert_int_equal(score_gorman(&p, &h, &st).v, 800);
	assert_int_equal(st.run_div, 32);

	p.flags = PROC_KTHREAD;
	p.vm_size_kb = val_unknown(OL_EMISSING);
	assert_int_equal(score_gorman(&p, &h, &st).v, 0);
	assert_true(st.kthread);
}

static void
test_gorman_unknown_inputs(void **state)
{
	struct host h = host100(1000);
	struct proc p = user_proc();

	p.cap_sys_admin = val_unknown(13);
	assert_int_equal(score_gorman(&p, &h, NULL).state, VAL_UNKNOWN);
	p = user_proc();
	p.vm_size_kb = val_unknown(13);
	assert_int_equal(score_gorman(&p, &h, NULL).err, 13);
}

static void
test_kernel_points(void **state)
{
	struct proc p = user_proc();
	struct val v;

	p.rss_kb = val_ok(400000);  /* 100000 pages */
	p.pgtables_kb = val_ok(400); /* 100 pages */
	v = score_kernel_points(&p, 1000000, 4096);
	assert_int_equal(v.v, 100100);
	assert_int_equal(score_oom_score(v.v, 1000000, true), 733);
	assert_int_equal(score_oom_score(v.v, 1000000, false), 100);
	/* An empty process reads 666 on 5.9+. */
	assert_int_equal(score_oom_score(0, 1000000, true), 666);

	p.swap_kb = val_ok(40000); /* swap counts: +10000 pages */
	assert_int_equal(score_kernel_points(&p, 1000000, 4096).v, 110100);

	p.oom_score_adj = val_ok(500); /* + 500 * (1000000 / 1000) */
	v = score_kernel_points(&p, 1000000, 4096);
	assert_int_equal(v.v, 610100);
	assert_int_equal(score_oom_score(v.v, 1000000, true), 1073);
	p.oom_score_adj = val_ok(-999);
	v = score_kernel_points(&p, 1000000, 4096);
	assert_int_equal(v.v, 110100 - 999000);
	assert_int_equal(score_oom_score(v.v, 1000000, true), 74);
	assert_int_equal(score_oom_score(v.v, 1000000, false), 0);

	p.oom_score_adj = val_ok(-1000);
	assert_int_equal(score_kernel_points(&p, 1000000, 4096).err, OL_ENOTAPPL);
	p.oom_score_adj = val_ok(0);
	p.flags = PROC_INIT;
	assert_int_equal(score_kernel_points(&p, 1000000, 4096).err, OL_ENOTAPPL);
}

/* Three processes in /c (limit 100 MiB) and one on the host. */
static struct snapshot *
victim_snapshot(void)
{
	static struct snapshot s;
	static struct proc procs[4];
	static struct cgroup cgs[2];
	static char root[] = "/", c[] = "/c";

	memset(&s, 0, sizeof(s));
	memset(cgs, 0, sizeof(cgs));
	s.host = host100(1000);
	s.host.swap_total_kb = val_ok(0);
	cgs[0].path = root;
	cgs[0].parent = -1;
	cgs[0].limit_bytes = val_max();
	cgs[0].oom_group = val_ok(0);
	cgs[1].path = c;
	cgs[1].parent = 0;
	cgs[1].version = 2;
	cgs[1].limit_bytes = val_ok(100 << 20);
	cgs[1].has_limit = true;
	cgs[1].swap_max_bytes = val_ok(0);
	cgs[1].oom_group = val_ok(0);
	for (int i = 0; i < 4; i++) {
		procs[i] = user_proc();
		procs[i].pid = 200 + i;
		procs[i].start_ticks = (uint64_t)(10 + i);
		procs[i].cg = i < 3 ? 1 : 0;
	}
	procs[0].rss_kb = val_ok(40960); /* 10240 pages */
	procs[1].rss_kb = val_ok(20480);
	procs[2].rss_kb = val_ok(8192);
	procs[3].rss_kb = val_ok(400000); /* biggest, outside the cgroup */
	s.procs = procs;
	s.n_procs = 4;
	s.cgroups = cgs;
	s.n_cgroups = 2;
	return &s;
}

static void
test_victims(void **state)
{
	struct snapshot *s = victim_snapshot();

	score_snapshot(s);
	assert_int_equal(s->host_victim.pid, 203);
	/* The cgroup's domain is its own subtree: 203 is not a candidate. */
	assert_int_equal(score_cgroup_totalpages(s, 1).v, 25600);
	assert_int_equal(s->cgroups[1].next_victim.pid, 200);
	assert_int_equal(s->cgroups[1].next_victim.points, 10240);
	assert_false(s->cgroups[1].next_victim.whole_group);

	/* oom_score_adj moves the choice: 2048 + 400 x (25600 / 1000) = 12048 points. */
	s->procs[2].oom_score_adj = val_ok(400);
	score_snapshot(s);
	assert_int_equal(s->cgroups[1].next_victim.pid, 202);
	assert_int_equal(s->cgroups[1].next_victim.points, 2048 + 400 * 25);

	/* -1000 is unkillable; a tie goes to the process started later. */
	s->procs[2].oom_score_adj = val_ok(-1000);
	s->procs[1].rss_kb = val_ok(40960);
	score_snapshot(s);
	assert_int_equal(s->cgroups[1].next_victim.pid, 201);

	/* memory.oom.group: the whole cgroup goes. */
	s->cgroups[1].oom_group = val_ok(1);
	score_snapshot(s);
	assert_true(s->cgroups[1].next_victim.whole_group);
	assert_int_equal(s->cgroups[1].next_victim.group_cgroup, 1);

	/* The recomputed oom_score is compared with the kernel's. */
	s->procs[3].oom_score = val_ok(score_oom_score(100000, 1000000, true));
	score_snapshot(s);
	assert_int_equal(s->procs[3].oom_score_recomputed.v, 733);
	assert_int_equal(s->procs[3].oom_score_agrees.v, 1);
	s->procs[3].oom_score = val_ok(900);
	score_snapshot(s);
	assert_int_equal(s->procs[3].oom_score_agrees.v, 0);
}

/*
 * The kernel ranges (doc/scoring.md section 6), on snapshots built from
 * each range's rules.  Three processes in a 100 MiB cgroup, all far below
 * 1 point: 300 (started first, adj -800), 301 (adj -500, the highest raw
 * points), 302 (started last, adj -900).  4.19 clamps them to 1 and keeps
 * the first met (300); 5.4 clamps and takes the last met (302); 5.10 and
 * 6.1+ rank the raw, negative points (301).
 */
static struct snapshot *
range_snapshot(const char *release)
{
	static struct snapshot s;
	static struct proc procs[3];
	static struct cgroup cgs[2];
	static char root[] = "/", c[] = "/pod";
	static const int adj[3] = {-800, -500, -900};

	memset(&s, 0, sizeof(s));
	memset(cgs, 0, sizeof(cgs));
	s.host = host100(1000);
	s.host.oom_score_v59 = score_kernel_rules(release) == SCORE_RULES_59;
	snprintf(s.host.kernel_release, sizeof(s.host.kernel_release), "%s", release);
	s.host.swap_total_kb = val_ok(1 << 20); /* 1 GiB of swap: 262144 pages */
	cgs[0].path = root;
	cgs[0].parent = -1;
	cgs[0].limit_bytes = val_max();
	cgs[1].path = c;
	cgs[1].parent = 0;
	cgs[1].version = 1;
	cgs[1].limit_bytes = val_ok(100 << 20);
	cgs[1].has_limit = true;
	cgs[1].swap_limit_bytes = val_unknown(OL_EMISSING); /* no memsw files: swapaccount=0 */
	cgs[1].swappiness = val_ok(60);
	cgs[1].oom_kill_disable = val_ok(0);
	cgs[1].oom_group = val_na();
	for (int i = 0; i < 3; i++) {
		procs[i] = user_proc();
		procs[i].pid = 300 + i;
		procs[i].start_ticks = (uint64_t)(10 + i);
		procs[i].cg = 1;
		procs[i].rss_kb = val_ok(4096);
		procs[i].oom_score_adj = val_ok(adj[i]);
	}
	s.procs = procs;
	s.n_procs = 3;
	s.cgroups = cgs;
	s.n_cgroups = 2;
	return &s;
}

static void
test_kernel_ranges(void **state)
{
	static const struct {
		const char *release;
		pid_t victim;
	} want[] = {
		{"4.19.0-27-amd64", 300}, {"5.4.0-150-generic", 302},
		{"5.10.0-30-amd64", 301}, {"6.1.0-18-amd64", 301}, {"6.18.44", 301},
	};
	struct snapshot *s;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		s = range_snapshot(want[i].release);
		score_snapshot(s);
		if (s->cgroups[1].next_victim.pid != want[i].victim)
			fail_msg("%s: victim %d, want %d", want[i].release,
				 (int)s->cgroups[1].next_victim.pid, (int)want[i].victim);
		/* Swap accounting off: all of the host's swap is in totalpages. */
		assert_int_equal(score_cgroup_totalpages(s, 1).v, 25600 + 262144);
		/* The same on v2 without memory.swap.max. */
		s->cgroups[1].version = 2;
		s->cgroups[1].swap_max_bytes = val_unknown(OL_EMISSING);
		assert_int_equal(score_cgroup_totalpages(s, 1).v, 25600 + 262144);
		/* v1 oom_kill_disable=1: the kernel kills nobody there. */
		s->cgroups[1].version = 1;
		s->cgroups[1].oom_kill_disable = val_ok(1);
		score_snapshot(s);
		assert_int_equal(s->cgroups[1].next_victim.pid, 0);
	}
}

/*
 * The processes the kernel skips: a zombie, and on 5.9+ a process whose
 * oom_score reads 0 although its RSS would score it (a vfork child).
 */
static void
test_skipped(void **state)
{
	struct snapshot *s = victim_snapshot();

	(void)state;
	s->procs[3].state = 'Z';
	score_snapshot(s);
	assert_int_not_equal(s->host_victim.pid, 203);
	assert_int_equal(s->procs[3].oom_score_recomputed.v, 0);
	s->procs[3].state = 'S';
	s->procs[3].oom_score = val_ok(0); /* the kernel's answer for a vfork child */
	score_snapshot(s);
	assert_int_not_equal(s->host_victim.pid, 203);
	assert_true(s->procs[3].flags & PROC_SKIPPED);
	assert_int_equal(s->procs[3].oom_score_recomputed.v, 0);
	assert_int_equal(s->procs[3].oom_score_agrees.v, 1);
	s->procs[3].oom_score = val_unknown(OL_EMISSING);
}

/*
 * Since 6.2 the kernel's oom_score comes from approximate per-CPU counters:
 * on 128 CPUs they may hide 4 x 256 x 128 pages, 88 points of a 1,000,000
 * page host, and '!' must allow for it; before 6.2, or with the CPU count
 * unknown, one point.
 */
static void
test_percpu_tolerance(void **state)
{
	struct snapshot *s = victim_snapshot();
	int64_t rec;

	(void)state;
	snprintf(s->host.kernel_release, sizeof(s->host.kernel_release), "6.6.0");
	s->host.online_cpus = 128;
	score_snapshot(s);
	rec = s->procs[3].oom_score_recomputed.v;
	s->procs[3].oom_score = val_ok(rec - 50);
	score_snapshot(s);
	assert_int_equal(s->procs[3].oom_score_agrees.v, 1);
	s->procs[3].oom_score = val_ok(rec - 100);
	score_snapshot(s);
	assert_int_equal(s->procs[3].oom_score_agrees.v, 0);
	s->procs[3].oom_score = val_ok(rec - 50);
	snprintf(s->host.kernel_release, sizeof(s->host.kernel_release), "6.1.0");
	score_snapshot(s);
	assert_int_equal(s->procs[3].oom_score_agrees.v, 0);
	snprintf(s->host.kernel_release, sizeof(s->host.kernel_release), "6.6.0");
	s->host.online_cpus = 0;
	score_snapshot(s);
	assert_int_equal(s->procs[3].oom_score_agrees.v, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shift_hz_and_int_sqrt),
		cmocka_unit_test(test_gorman_no_cpu_time_yet),
		cmocka_unit_test(test_gorman_cpu_and_run_time),
		cmocka_unit_test(test_gorman_nice_root_caps),
		cmocka_unit_test(test_gorman_long_run_time_and_kthread),
		cmocka_unit_test(test_gorman_unknown_inputs),
		cmocka_unit_test(test_kernel_points),
		cmocka_unit_test(test_victims),
		cmocka_unit_test(test_kernel_ranges),
		cmocka_unit_test(test_skipped),
		cmocka_unit_test(test_percpu_tolerance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
