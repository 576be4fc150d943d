/*
 * test_cache.c - the per-process cache against a fresh read of the real
 * /proc: what a collector that reads slow files every few ticks shows must
 * equal what a collector reading everything shows, and a change to a slow
 * file (oom_score_adj) must show within refresh_every ticks.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "collect.h"
#include "util.h"

static bool
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool
same_val(struct val a, struct val b)
{
	return a.state == b.state && (a.state != VAL_OK || a.v == b.v);
}

/*
 * Did q's slow files read the same before the cached ticks as after them?
 * A process that exec'd or is exiting in between really changed (a zombie
 * has no cmdline and sits in the root cgroup), and the cache is allowed
 * refresh_every ticks to see it: on a busy host it cannot be compared.
 */
static bool
stable(const struct snapshot *before, const struct proc *q)
{
	const struct proc *o = snap_find_proc(before, q->pid);

	return o && o->start_ticks == q->start_ticks && same_str(o->cmdline, q->cmdline) &&
	       same_str(o->cgroup, q->cgroup) && same_val(o->uid, q->uid) &&
	       same_val(o->euid, q->euid) && same_val(o->oom_score_adj, q->oom_score_adj) &&
	       same_val(o->cap_sys_admin, q->cap_sys_admin) &&
	       same_val(o->cap_sys_rawio, q->cap_sys_rawio) && strcmp(o->comm, q->comm) == 0;
}

static void
test_cached_equals_fresh(void **state)
{
	/* As the monitor runs it: texts less often than the other slow files. */
	struct collector *cached = collector_new(
	    &(struct collect_opts){ .collector = COLLECT_PROC, .refresh_every = 5, .refresh_texts = 30 });
	struct collector *fresh = collector_new(&(struct collect_opts){ .collector = COLLECT_PROC });
	struct snapshot *a = NULL, *b = NULL, *before = NULL;
	size_t compared = 0, from_cache = 0, same_vm = 0;

	assert_int_equal(collector_run(fresh, &before), 0);
	/* Seven ticks: every process has had its status read again without its texts. */
	for (int i = 0; i < 7; i++) {
		snapshot_free(a);
		assert_int_equal(collector_run(cached, &a), 0);
	}
	assert_int_equal(collector_run(fresh, &b), 0);
	for (size_t i = 0; i < a->n_procs; i++) {
		const struct proc *p = &a->procs[i];
		const struct proc *q = snap_find_proc(b, p->pid);

		if (!q || q->start_ticks != p->start_ticks)
			continue; /* gone or a new process in between */
		if (!stable(before, q))
			continue;
		compared++;
		from_cache += (p->flags & PROC_CACHED) != 0;
		assert_true(same_val(p->uid, q->uid));
		assert_true(same_val(p->euid, q->euid));
		assert_true(same_val(p->oom_score_adj, q->oom_score_adj));
		assert_true(same_val(p->cap_sys_admin, q->cap_sys_admin));
		assert_true(same_val(p->cap_sys_rawio, q->cap_sys_rawio));
		assert_true(same_str(p->cgroup, q->cgroup));
		assert_true(same_str(p->cmdline, q->cmdline));
		assert_int_equal(p->cg >= 0, q->cg >= 0);
		same_vm += same_val(p->vm_size_kb, q->vm_size_kb);
	}
	assert_true(compared > 5);
	assert_true(from_cache > 0);
	/* Sizes move while the two collectors run; nearly all must still agree. */
	assert_true(same_vm * 10 >= compared * 9);
	snapshot_free(a);
	snapshot_free(b);
	snapshot_free(before);
	collector_free(cached);
	collector_free(fresh);
}

static void
test_slow_file_change_shows(void **state)
{
	struct collector *cached =
	    collector_new(&(struct collect_opts){ .collector = COLLECT_PROC, .refresh_every = 4 });
	struct snapshot *s = NULL;
	char path[64];
	pid_t child = fork();
	int fd;

	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	assert_int_equal(collector_run(cached, &s), 0);
	assert_int_equal(snap_find_proc(s, child)->oom_score_adj.v, 0);
	snapshot_free(s);

	/* Raising oom_score_adj needs no privilege. */
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)child);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "321\n", 4), 4);
	close(fd);

	bool seen = false;
	for (int i = 0; i < 4 && !seen; i++) {
		assert_int_equal(collector_run(cached, &s), 0);
		seen = snap_find_proc(s, child)->oom_score_adj.v == 321;
		snapshot_free(s);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	collector_free(cached);
	assert_true(seen);
}

/*
 * A process that rewrites its own command line (as servers that set a
 * process title do): the new text shows within refresh_texts ticks, and
 * until then the old one stays (never a missing one).
 */
static char *test_argv0;

static void
test_cmdline_change_shows(void **state)
{
	struct collector *cached = collector_new(
	    &(struct collect_opts){ .collector = COLLECT_PROC, .refresh_every = 2, .refresh_texts = 6 });
	struct snapshot *s = NULL;
	const struct proc *p;
	int go[2], done[2];
	char c, want[4096];
	bool seen = false;
	pid_t child;

	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(go[1]);
		close(done[0]);
		if (read(go[0], &c, 1) == 1) {
			test_argv0[0] = 'Z'; /* the kernel shows the argv area as it is now */
			(void)!write(done[1], "x", 1);
		}
		pause();
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	assert_int_equal(collector_run(cached, &s), 0);
	p = snap_find_proc(s, child);
	assert_non_null(p);
	assert_non_null(p->cmdline);
	snprintf(want, sizeof(want), "Z%s", p->cmdline + 1);
	snapshot_free(s);

	assert_int_equal(write(go[1], "x", 1), 1);
	assert_int_equal(read(done[0], &c, 1), 1);
	for (int i = 0; i < 6 && !seen; i++) {
		assert_int_equal(collector_run(cached, &s), 0);
		p = snap_find_proc(s, child);
		seen = p && p->cmdline && strcmp(p->cmdline, want) == 0;
		if (!seen && (!p || !p->cmdline))
			break; /* a cached row lost its text: fail below */
		snapshot_free(s);
		s = NULL;
	}
	snapshot_free(s);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(go[1]);
	close(done[0]);
	collector_free(cached);
	assert_true(seen);
}

/*
 * A process moved to another cgroup shows there within refresh_every ticks,
 * although the cache reads its /proc/PID/cgroup only with its cmdline, every
 * 50th: the membership map is read every refresh_every ticks.  Needs a
 * memory cgroup of our own to make (root, a writable hierarchy): skipped
 * otherwise.  Everything made is removed.
 */
static void
test_cgroup_move_shows(void **state)
{
	struct collector *cached = collector_new(
	    &(struct collect_opts){ .collector = COLLECT_PROC, .refresh_every = 5, .refresh_texts = 50 });
	struct snapshot *s = NULL;
	struct cg_mount m;
	char buf[4096], own[4096], dir[8192 + 64], procs[8300], want[4200];
	const struct proc *p;
	bool seen = false;
	pid_t child;
	size_t lr;
	int fd;

	(void)state;
	if (cg_find_mount("", &m) < 0 || read_file_at(AT_FDCWD, "/proc/self/cgroup", buf,
						      sizeof(buf), NULL) < 0 ||
	    cg_parse_proc_cgroup(buf, m.version, own, sizeof(own)) < 0) {
		collector_free(cached);
		skip();
	}
	/* Our cgroup's directory: its path below the mount's root. */
	lr = strcmp(m.root, "/") == 0 ? 0 : strlen(m.root);
	if (lr && strncmp(own, m.root, lr) != 0) {
		collector_free(cached);
		skip();
	}
	snprintf(dir, sizeof(dir), "%s%s/oomlens-test-cache-%d", m.mount, own + lr, (int)getpid());
	snprintf(want, sizeof(want), "%s/oomlens-test-cache-%d", strcmp(own, "/") ? own : "",
		 (int)getpid());
	if (mkdir(dir, 0755) < 0) {
		collector_free(cached);
		skip();
	}
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	usleep(100000); /* started well before the next map is read */
	assert_int_equal(collector_run(cached, &s), 0);
	assert_non_null(snap_find_proc(s, child));
	snapshot_free(s);
	assert_int_equal(collector_run(cached, &s), 0); /* known to the cache now */
	snapshot_free(s);

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	fd = open(procs, O_WRONLY);
	snprintf(buf, sizeof(buf), "%d\n", (int)child);
	if (fd >= 0 && write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf)) {
		for (int i = 0; i < 5 && !seen; i++) {
			assert_int_equal(collector_run(cached, &s), 0);
			p = snap_find_proc(s, child);
			seen = p && p->cgroup && strcmp(p->cgroup, want) == 0;
			if (!seen && i == 4)
				fprintf(stderr, "child %d: cgroup %s, want %s\n", (int)child,
					p && p->cgroup ? p->cgroup : "(none)", want);
			snapshot_free(s);
		}
	}
	if (fd >= 0)
		close(fd);
	/* End the child, then remove the cgroup once it is empty. */
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	for (int i = 0; i < 50 && rmdir(dir) < 0; i++)
		usleep(20000);
	collector_free(cached);
	assert_true(seen);
}

/* An exec keeps pid and start time: the changed comm must force a full read at once. */
static void
test_exec_refreshes_at_once(void **state)
{
	struct collector *cached =
	    collector_new(&(struct collect_opts){ .collector = COLLECT_PROC, .refresh_every = 50 });
	struct snapshot *s = NULL;
	const struct proc *p;
	int go[2];
	pid_t child;
	char c;

	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int null = open("/dev/null", O_RDWR);

		/* Hold no pipe of the test runner's: it may outlive a failed test. */
		dup2(null, 1);
		dup2(null, 2);
		close(go[1]);
		if (read(go[0], &c, 1) == 1)
			execl("/bin/sleep", "sleep", "3600", (char *)NULL);
		_exit(1);
	}
	close(go[0]);
	assert_int_equal(collector_run(cached, &s), 0);
	assert_non_null(snap_find_proc(s, child));
	snapshot_free(s);
	assert_int_equal(collector_run(cached, &s), 0); /* now known to the cache */
	snapshot_free(s);

	assert_int_equal(write(go[1], "x", 1), 1);
	for (int i = 0; i < 200; i++) { /* wait for the exec (up to 2 s) */
		char path[64], comm[32] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)child);
		f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f) && strncmp(comm, "sleep", 5) == 0) {
			fclose(f);
			break;
		}
		if (f)
			fclose(f);
		usleep(10000);
	}
	assert_int_equal(collector_run(cached, &s), 0);
	p = snap_find_proc(s, child);
	/* End the child before any assertion can leave it behind. */
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(go[1]);
	assert_non_null(p);
	assert_string_equal(p->comm, "sleep");
	assert_non_null(p->cmdline);
	assert_string_equal(p->cmdline, "sleep 3600");
	assert_false(p->flags & PROC_CACHED);
	snapshot_free(s);
	collector_free(cached);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_argv0 = argv[0];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cached_equals_fresh),
		cmocka_unit_test(test_slow_file_change_shows),
		cmocka_unit_test(test_cmdline_change_shows),
		cmocka_unit_test(test_cgroup_move_shows),
		cmocka_unit_test(test_exec_refreshes_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
