/*
 * test_host_procps.c - libproc2's figures for the live host equal /proc's,
 * read by oomlens's own parsers around them: MemAvailable (within what
 * moved between the reads), vmstat's oom_kill, the clock tick and the
 * uptime; and a kernel older than a line gets unknown, not libproc2's 0.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "host_procps.h"
#include "parse.h"
#include "util.h"

static struct meminfo
own_meminfo(void)
{
	static char buf[16384];
	struct meminfo mi;

	assert_true(read_file_at(AT_FDCWD, "/proc/meminfo", buf, sizeof(buf), NULL) > 0);
	assert_int_equal(parse_meminfo(buf, &mi), 0);
	return mi;
}

static int64_t
own_oom_kill(void)
{
	static char buf[16384];
	uint64_t x;

	assert_true(read_file_at(AT_FDCWD, "/proc/vmstat", buf, sizeof(buf), NULL) > 0);
	assert_int_equal(parse_kv_u64(buf, "oom_kill", &x), 0);
	return (int64_t)x;
}

static void
test_counters_equal_proc(void **state)
{
	struct val avail, kills;
	struct meminfo before, after;
	int64_t k0, k1, lo, hi;

	(void)state;
	before = own_meminfo();
	k0 = own_oom_kill();
	assert_int_equal(host_procps_counters("6.1.0", &avail, &kills), 0);
	after = own_meminfo();
	k1 = own_oom_kill();
	assert_true(val_is_ok(avail) && val_is_ok(kills) && val_is_ok(before.available));
	lo = before.available.v < after.available.v ? before.available.v : after.available.v;
	hi = before.available.v < after.available.v ? after.available.v : before.available.v;
	/* Memory moves between the three reads: what the two of ours bracket, and 16 MiB. */
	assert_in_range(avail.v, lo - 16384, hi + 16384);
	assert_in_range(kills.v, k0, k1);
}

static void
test_older_kernels_unknown(void **state)
{
	struct val avail, kills;

	(void)state;
	assert_int_equal(host_procps_counters("3.13.0-170-generic", &avail, &kills), 0);
	assert_int_equal(avail.state, VAL_UNKNOWN);
	assert_int_equal(avail.err, OL_EMISSING);
	assert_int_equal(kills.err, OL_EMISSING);
	assert_int_equal(host_procps_counters("4.12.14", &avail, &kills), 0);
	assert_true(val_is_ok(avail));
	assert_int_equal(kills.state, VAL_UNKNOWN);
}

static void
test_hertz_and_uptime(void **state)
{
	char buf[256];
	uint64_t mine, theirs;
	long hz = sysconf(_SC_CLK_TCK);

	(void)state;
	assert_int_equal(host_procps_hertz(), hz);
	assert_true(read_file_at(AT_FDCWD, "/proc/uptime", buf, sizeof(buf), NULL) > 0);
	assert_int_equal(parse_uptime(buf, hz, &mine), 0);
	assert_int_equal(host_procps_uptime_ticks(hz, &theirs), 0);
	/* libproc2 converts through a double: a tick less at most. */
	assert_in_range(theirs, mine - 1, mine + 2 * (uint64_t)hz);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counters_equal_proc),
	    cmocka_unit_test(test_older_kernels_unknown),
	    cmocka_unit_test(test_hertz_and_uptime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
