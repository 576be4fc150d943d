/*
 * test_parse.c - the /proc parsers on captured and hand-made fixtures:
 * meminfo from old and new kernels, PSI, stat lines whose comm holds spaces
 * and parentheses, status, and truncated or garbage files.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <linux/capability.h>

#include "fixture.h"
#include "parse.h"

static void
test_meminfo_new_kernel(void **state)
{
	struct meminfo m;

	assert_int_equal(parse_meminfo(fixture("fixtures/meminfo/linux-6.18"), &m), 0);
	assert_int_equal(m.total.state, VAL_OK);
	assert_true(m.total.v > 0);
	assert_int_equal(m.available.state, VAL_OK);
	assert_int_equal(m.commit_limit.state, VAL_OK);
	assert_int_equal(m.swap_cached.state, VAL_OK);
	assert_true(m.free.v <= m.total.v);
}

static void
test_meminfo_old_kernel(void **state)
{
	struct meminfo m;

	assert_int_equal(parse_meminfo(fixture("fixtures/meminfo/linux-2.6.32"), &m), 0);
	assert_int_equal(m.total.v, 1922088);
	assert_int_equal(m.free.v, 112160);
	assert_int_equal(m.cached.v, 974100);
	assert_int_equal(m.swap_cached.v, 10532);
	assert_int_equal(m.swap_free.v, 4061012);
	assert_int_equal(m.committed_as.v, 989092);
	assert_int_equal(m.inactive_file.v, 477736);
	/* MemAvailable arrived in 3.14: unknown, not 0. */
	assert_int_equal(m.available.state, VAL_UNKNOWN);
	assert_int_equal(m.available.err, OL_EMISSING);
}

static void
test_meminfo_truncated_and_garbage(void **state)
{
	struct meminfo m;

	assert_int_equal(parse_meminfo(fixture("fixtures/meminfo/truncated"), &m), 0);
	assert_int_equal(m.total.state, VAL_OK);
	assert_int_equal(m.committed_as.state, VAL_UNKNOWN);
	assert_int_equal(parse_meminfo(fixture("fixtures/meminfo/garbage"), &m), -EINVAL);
	assert_int_equal(parse_meminfo("MemTotal: 12 MB\n", &m), 0);
	assert_int_equal(m.total.state, VAL_UNKNOWN);
	assert_int_equal(m.total.err, OL_EPARSE);
	assert_int_equal(parse_meminfo("MemTotal: 99999999999999999999999 kB\n", &m), 0);
	assert_int_equal(m.total.err, OL_EPARSE);
	assert_int_equal(parse_meminfo("", &m), -EINVAL);
	/* A key that merely starts like another is not it. */
	assert_int_equal(parse_meminfo("MemFreeX: 5 kB\nMemFree: 7 kB\n", &m), 0);
	assert_int_equal(m.free.v, 7);
}

static void
test_psi(void **state)
{
	struct psi p;

	assert_int_equal(parse_psi(fixture("fixtures/psi/busy"), &p), 0);
	assert_true(p.present);
	assert_int_equal(p.some.avg10.v, 123);
	assert_int_equal(p.some.avg60.v, 50);
	assert_int_equal(p.some.avg300.v, 7);
	assert_int_equal(p.some.total_us.v, 123456);
	assert_int_equal(p.full.avg10.v, 40);
	assert_int_equal(p.full.total_us.v, 45678);

	/* Kernels before 5.x had no "full" line for some resources. */
	assert_int_equal(parse_psi(fixture("fixtures/psi/some-only"), &p), 0);
	assert_int_equal(p.full.avg10.state, VAL_UNKNOWN);
	assert_int_equal(parse_psi(fixture("fixtures/psi/garbage"), &p), -EINVAL);
	assert_false(p.present);
	assert_int_equal(parse_psi("", &p), -EINVAL);
	assert_int_equal(parse_psi(fixture("fixtures/psi/host"), &p), 0);
}

static void
test_kv(void **state)
{
	uint64_t x = 0;

	assert_int_equal(parse_kv_u64(fixture("fixtures/misc/vmstat"), "oom_kill", &x), 0);
	assert_int_equal(parse_kv_u64("oom 3\noom_kill 2\n", "oom_kill", &x), 0);
	assert_int_equal(x, 2);
	assert_int_equal(parse_kv_u64("oom 3\noom_kill 2\n", "oom", &x), 0);
	assert_int_equal(x, 3);
	assert_int_equal(parse_kv_u64("oom_kill_disable 1\n", "oom_kill", &x), -ENOENT);
	assert_int_equal(parse_kv_u64("oom_kill x\n", "oom_kill", &x), -EINVAL);
	assert_int_equal(parse_kv_u64("oom_kill 5junk\n", "oom_kill", &x), -EINVAL);
}

static void
test_dentry_inode_slab(void **state)
{
	uint64_t x;

	assert_int_equal(parse_dentry_state("46403\t44999\t45\t0\t9257\t0\n", &x), 0);
	assert_int_equal(x, 44999);
	assert_int_equal(parse_inode_nr("36968\t12\n", &x), 0);
	assert_int_equal(x, 12);
	assert_int_equal(parse_dentry_state("46403\n", &x), -EINVAL);
	assert_int_equal(parse_inode_nr("abc def\n", &x), -EINVAL);
	assert_int_equal(parse_dentry_state(fixture("fixtures/misc/dentry-state"), &x), 0);
	assert_int_equal(parse_slabinfo_objsize(fixture("fixtures/misc/slabinfo"), "dentry", &x), 0);
	assert_int_equal(x, 192);
	assert_int_equal(parse_slabinfo_objsize(fixture("fixtures/misc/slabinfo"), "inode_cache", &x),
			 0);
	assert_int_equal(x, 624);
	assert_int_equal(parse_slabinfo_objsize("dentry_x 1 2 3 4\n", "dentry", &x), -ENOENT);
	assert_int_equal(parse_slabinfo_objsize("dentry 1 2\n", "dentry", &x), -EINVAL);
}

static void
test_uptime_release(void **state)
{
	uint64_t t;
	int a, b;

	assert_int_equal(parse_uptime("1234.56 99.00\n", 100, &t), 0);
	assert_int_equal(t, 123456);
	assert_int_equal(parse_uptime("10.50 1\n", 1000, &t), 0);
	assert_int_equal(t, 10500);
	assert_int_equal(parse_uptime("x\n", 100, &t), -EINVAL);
	assert_int_equal(parse_kernel_release("6.1.0-13-amd64", &a, &b), 0);
	assert_int_equal(a, 6);
	assert_int_equal(b, 1);
	assert_int_equal(parse_kernel_release("5.8.0", &a, &b), 0);
	assert_int_equal(b, 8);
	assert_int_equal(parse_kernel_release("linux", &a, &b), -EINVAL);
}

static void
test_stat_parens(void **state)
{
	struct stat_fields st;

	assert_int_equal(parse_proc_stat(fixture("fixtures/stat/parens"), &st), 0);
	assert_int_equal(st.pid, 1234);
	assert_string_equal(st.comm, "a (weird) ) name");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.utime, 250);
	assert_int_equal(st.stime, 50);
	assert_int_equal(st.nice, 5);
	assert_int_equal(st.start_ticks, 5000);
	assert_int_equal(st.vsize_bytes, 104857600);
	assert_int_equal(st.rss_pages, 2560);
	assert_false(st.flags & OL_PF_KTHREAD);
}

static void
test_stat_kthread_self_truncated(void **state)
{
	struct stat_fields st;

	assert_int_equal(parse_proc_stat(fixture("fixtures/stat/kthread"), &st), 0);
	assert_true(st.flags & OL_PF_KTHREAD);
	assert_string_equal(st.comm, "kthreadd");
	assert_int_equal(parse_proc_stat(fixture("fixtures/stat/self"), &st), 0);
	assert_string_equal(st.comm, "cat");
	assert_int_equal(parse_proc_stat(fixture("fixtures/stat/truncated"), &st), -EINVAL);
	assert_int_equal(parse_proc_stat("", &st), -EINVAL);
	assert_int_equal(parse_proc_stat("12 (x", &st), -EINVAL);
	assert_int_equal(parse_proc_stat("12 x) S", &st), -EINVAL);
	assert_int_equal(parse_proc_stat("0 (x) S 1", &st), -EINVAL);
}

static void
test_status(void **state)
{
	struct status_fields sf;

	assert_int_equal(parse_proc_status(fixture("fixtures/status/self"), &sf), 0);
	assert_int_equal(sf.uid.state, VAL_OK);
	assert_int_equal(sf.rss_kb.state, VAL_OK);
	assert_int_equal(sf.pgtables_kb.state, VAL_OK);
	assert_int_equal(sf.vm_size_kb.state, VAL_OK);

	assert_int_equal(parse_proc_status("Name:\tx\nUid:\t1000\t0\t0\t0\nVmSize:\t 100 kB\n"
					   "VmRSS:\t 40 kB\nVmPTE:\t 8 kB\nVmSwap:\t 4 kB\n"
					   "CapEff:\t0000000000200001\n",
					   &sf),
			 0);
	assert_int_equal(sf.uid.v, 1000);
	assert_int_equal(sf.euid.v, 0);
	assert_int_equal(sf.vm_size_kb.v, 100);
	assert_int_equal(sf.rss_kb.v, 40);
	assert_int_equal(sf.pgtables_kb.v, 8);
	assert_int_equal(sf.swap_kb.v, 4);
	assert_int_equal(status_has_cap(&sf, CAP_SYS_ADMIN), 1);
	assert_int_equal(status_has_cap(&sf, CAP_SYS_RAWIO), 0);
	assert_int_equal(status_has_cap(&sf, CAP_CHOWN), 1);

	/* A kernel thread's status has no Vm lines: unknown, never 0. */
	assert_int_equal(parse_proc_status("Name:\tkthreadd\nUid:\t0\t0\t0\t0\n", &sf), 0);
	assert_int_equal(sf.vm_size_kb.state, VAL_UNKNOWN);
	assert_int_equal(status_has_cap(&sf, CAP_SYS_ADMIN), -1);
	assert_int_equal(parse_proc_status("CapEff:\tzz\nUid:\tx\n", &sf), 0);
	assert_int_equal(sf.uid.err, OL_EPARSE);
	assert_int_equal(sf.cap_eff_lo.err, OL_EPARSE);
	assert_int_equal(parse_proc_status("nothing here\n", &sf), -EINVAL);
}

static void
test_cmdline_and_int(void **state)
{
	char buf[32] = "sleep\0" "100\0\0";
	int64_t x;

	assert_int_equal(cmdline_flatten(buf, 11), 9);
	assert_string_equal(buf, "sleep 100");
	assert_int_equal(parse_int_file("-1000\n", &x), 0);
	assert_int_equal(x, -1000);
	assert_int_equal(parse_int_file("667\n", &x), 0);
	assert_int_equal(parse_int_file("66x\n", &x), -EINVAL);
	assert_int_equal(parse_int_file("", &x), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo_new_kernel),
		cmocka_unit_test(test_meminfo_old_kernel),
		cmocka_unit_test(test_meminfo_truncated_and_garbage),
		cmocka_unit_test(test_psi),
		cmocka_unit_test(test_kv),
		cmocka_unit_test(test_dentry_inode_slab),
		cmocka_unit_test(test_uptime_release),
		cmocka_unit_test(test_stat_parens),
		cmocka_unit_test(test_stat_kthread_self_truncated),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_cmdline_and_int),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
