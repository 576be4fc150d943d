/*
 * test_members.c - the PID -> cgroup map read from cgroup.procs: who is
 * where, the start-time guard against reused PIDs, a PID listed twice, a
 * file that is not a PID list, and a cgroup whose file is missing.  Built
 * on cgroup directories made in a temporary directory.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "members.h"
#include "util.h"

static char tmpdir[] = "/tmp/oomlens-members-XXXXXX";

static void
put(const char *dir, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/cgroup.procs", tmpdir, dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
fill(struct cgroup *c, const char *path, const char *dir)
{
	char fs[4096];

	memset(c, 0, sizeof(*c));
	snprintf(fs, sizeof(fs), "%s/%s", tmpdir, dir);
	c->path = strdup(path);
	c->fs_path = strdup(fs);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	const char *dirs[] = {"root", "a", "b", "junk", "missing"};
	char path[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/cgroup.procs", tmpdir, dirs[i]);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s", tmpdir, dirs[i]);
		rmdir(path);
	}
	return rmdir(tmpdir);
}

static void
test_lookup(void **state)
{
	struct cgroup cgs[5];
	struct cg_members *m;

	(void)state;
	put("root", "1\n2\n300\n");
	put("a", "400\n401\n300\n"); /* 300 moved from / to /a while they were read */
	put("b", "0\n700\n"); /* v2: 0 for a process outside our PID namespace */
	put("junk", "500\nnot a pid\n501\n");
	fill(&cgs[0], "/", "root");
	fill(&cgs[1], "/a", "a");
	fill(&cgs[2], "/b", "b");
	fill(&cgs[3], "/junk", "junk");
	fill(&cgs[4], "/missing", "missing"); /* no cgroup.procs: skipped */

	m = cg_members_read(cgs, 5, 0);
	assert_non_null(m);
	/* Started long before the map was read: vouched for. */
	assert_string_equal(cg_members_lookup(m, 1, 0), "/");
	assert_string_equal(cg_members_lookup(m, 2, 0), "/");
	assert_string_equal(cg_members_lookup(m, 400, 0), "/a");
	assert_string_equal(cg_members_lookup(m, 401, 1), "/a");
	/* In two lists: the process's own file must decide. */
	assert_null(cg_members_lookup(m, 300, 0));
	/* The good line before a bad one counts; nothing after it does. */
	assert_string_equal(cg_members_lookup(m, 500, 0), "/junk");
	assert_null(cg_members_lookup(m, 501, 0));
	/* Not listed anywhere. */
	assert_null(cg_members_lookup(m, 402, 0));
	/* Started after (or just before) the map was read: possibly a reused PID. */
	assert_null(cg_members_lookup(m, 400, UINT64_MAX / 2));
	assert_null(cg_members_lookup(m, 1, UINT64_MAX - 1));
	assert_string_equal(cg_members_lookup(m, 700, 0), "/b");
	assert_null(cg_members_lookup(m, 0, 0));
	assert_int_equal(cg_members_count(m), 7);
	cg_members_free(m);
	cg_members_free(NULL);
	assert_null(cg_members_lookup(NULL, 1, 0));
	for (size_t i = 0; i < 5; i++) {
		free(cgs[i].path);
		free(cgs[i].fs_path);
	}
}

/* Many PIDs: the table grows and keeps every entry. */
static void
test_many(void **state)
{
	struct cgroup cg;
	struct cg_members *m;
	char *text = malloc(20000 * 8);
	size_t len = 0;

	(void)state;
	for (int pid = 1; pid <= 20000; pid++)
		len += (size_t)sprintf(text + len, "%d\n", pid * 7);
	put("a", text);
	free(text);
	fill(&cg, "/a", "a");
	m = cg_members_read(&cg, 1, 100);
	assert_int_equal(cg_members_count(m), 20000);
	for (int pid = 1; pid <= 20000; pid++) {
		const char *p = cg_members_lookup(m, pid * 7, 0);

		assert_non_null(p);
		assert_string_equal(p, "/a");
		assert_null(cg_members_lookup(m, pid * 7 + 1, 0));
	}
	cg_members_free(m);
	free(cg.path);
	free(cg.fs_path);
}

/* The whole-file reader the map uses: exactly max bytes is fine, one more is not. */
static void
test_read_fd_all(void **state)
{
	const size_t max = 100000; /* past the first buffer of 64 KiB */
	char path[4096];
	char *text = malloc(max + 1), *buf = NULL;
	size_t cap = 0;
	FILE *f;
	int fd;

	(void)state;
	memset(text, '7', max + 1);
	snprintf(path, sizeof(path), "%s/big", tmpdir);
	for (size_t n = max; n <= max + 1; n++) {
		f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(fwrite(text, 1, n, f), n);
		fclose(f);
		fd = open(path, O_RDONLY);
		assert_true(fd >= 0);
		if (n == max) {
			assert_int_equal(read_fd_all(fd, &buf, &cap, max), (ssize_t)max);
			assert_int_equal(strlen(buf), max);
		} else {
			assert_int_equal(read_fd_all(fd, &buf, &cap, max), -EFBIG);
		}
		assert_true(cap <= max + 2);
		close(fd);
	}
	unlink(path);
	free(buf);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_read_fd_all),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
