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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "collect.h"
#include "procs.h"
#include "rstr.h"
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

/* A val in words for a failure message: its state and value. */
static void
val_desc(struct val v, char *out, size_t outsz)
{
	if (v.state == VAL_OK)
		snprintf(out, outsz, "%lld", (long long)v.v);
	else
		snprintf(out, outsz, "state %d (err %d)", (int)v.state, v.err);
}

/* Fail naming the field of p that the cached and the fresh reads disagree on. */
static void
expect_same_val(const struct proc *p, const char *field, struct val cached, struct val fresh)
{
	char a[64], b[64];

	if (same_val(cached, fresh))
		return;
	val_desc(cached, a, sizeof(a));
	val_desc(fresh, b, sizeof(b));
	fail_msg("pid %d (%s): %s differs: cached %s, fresh %s", (int)p->pid, proc_comm(p), field, a, b);
}

static void
expect_same_str(const struct proc *p, const char *field, const char *cached, const char *fresh)
{
	if (!same_str(cached, fresh))
		fail_msg("pid %d (%s): %s differs: cached '%s', fresh '%s'", (int)p->pid, proc_comm(p),
			 field, cached ? cached : "(none)", fresh ? fresh : "(none)");
}

/*
 * The children and the cgroup of the running test.  A failed assertion
 * jumps out of the test: its teardown (end_all) then ends the children it
 * left paused and removes the cgroup, and PR_SET_PDEATHSIG ends them should
 * the runner itself die.
 */
static pid_t kids[4];
static size_t n_kids;
static char made_dir[8300];

/* fork(), with the child recorded for end_all(); in the child, 0 as fork() gives. */
static pid_t
fork_child(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
	} else if (pid > 0) {
		assert_true(n_kids < ARRAY_SIZE(kids));
		kids[n_kids++] = pid;
	}
	return pid;
}

/* End a child of fork_child() by its PID and reap it (so its PID is never signalled again). */
static void
end_child(pid_t pid)
{
	for (size_t i = 0; i < n_kids; i++) {
		if (kids[i] != pid)
			continue;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		kids[i] = kids[--n_kids];
		return;
	}
}

/* Every test's teardown: no child and no cgroup of the test outlives it. */
static int
end_all(void **state)
{
	(void)state;
	while (n_kids)
		end_child(kids[n_kids - 1]);
	for (int i = 0; made_dir[0] && i < 50 && rmdir(made_dir) < 0; i++)
		usleep(20000);
	made_dir[0] = '\0';
	return 0;
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
	       same_val(o->cap_sys_rawio, q->cap_sys_rawio) && strcmp(proc_comm(o), proc_comm(q)) == 0;
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
		expect_same_val(p, "uid", p->uid, q->uid);
		expect_same_val(p, "euid", p->euid, q->euid);
		expect_same_val(p, "oom_score_adj", p->oom_score_adj, q->oom_score_adj);
		expect_same_val(p, "cap_sys_admin", p->cap_sys_admin, q->cap_sys_admin);
		expect_same_val(p, "cap_sys_rawio", p->cap_sys_rawio, q->cap_sys_rawio);
		expect_same_str(p, "cgroup", p->cgroup, q->cgroup);
		expect_same_str(p, "cmdline", p->cmdline, q->cmdline);
		if ((p->cg >= 0) != (q->cg >= 0))
			fail_msg("pid %d (%s): cg differs: cached %s, fresh %s", (int)p->pid,
				 proc_comm(p), p->cg >= 0 ? "a cgroup row" : "none",
				 q->cg >= 0 ? "a cgroup row" : "none");
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
	pid_t child = fork_child();
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
	end_child(child);
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
	child = fork_child();
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
	end_child(child);
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
	if (cg_find_mount("", &m) < 0 ||
	    read_file_at(AT_FDCWD, "/proc/self/cgroup", buf, sizeof(buf), NULL) < 0 ||
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
	snprintf(made_dir, sizeof(made_dir), "%s", dir);
	child = fork_child();
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
	end_child(child);
	for (int i = 0; i < 50 && rmdir(dir) < 0; i++)
		usleep(20000);
	made_dir[0] = '\0';
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
	child = fork_child();
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
	end_child(child);
	close(go[1]);
	assert_non_null(p);
	assert_string_equal(proc_comm(p), "sleep");
	assert_non_null(p->cmdline);
	assert_string_equal(p->cmdline, "sleep 3600");
	assert_false(p->flags & PROC_CACHED);
	snapshot_free(s);
	collector_free(cached);
}

/* The kernel's oom_score of pid, or -1. */
static long
kernel_oom_score(pid_t pid)
{
	char path[64];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/oom_score", (int)pid);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * A process that grows (its stat's RSS changes) must have status and
 * oom_score read again in the same tick, however far its slow files are
 * from due: the row's oom_score is the kernel's now, and the model agrees
 * with it (issue 13: no stale ranking, no false `!`).
 */
static void
test_growth_refreshes_at_once(void **state)
{
	struct collector *cached = collector_new(&(struct collect_opts){ .collector = COLLECT_PROC, .refresh_every = 50 });
	struct snapshot *s = NULL;
	const struct proc *p;
	long before_score, kscore;
	int go[2], done[2];
	pid_t child;
	char c;

	(void)state;
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		size_t n = (size_t)512 << 20;
		volatile char *m;

		close(go[1]);
		close(done[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		m = malloc(n);
		if (!m)
			_exit(1);
		for (size_t i = 0; i < n; i += 4096)
			m[i] = 1; /* volatile: the compiler may not drop the pages */
		if (write(done[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	assert_int_equal(collector_run(cached, &s), 0);
	snapshot_free(s);
	assert_int_equal(collector_run(cached, &s), 0); /* now known to the cache */
	p = snap_find_proc(s, child);
	before_score = p && val_is_ok(p->oom_score) ? (long)p->oom_score.v : -1;
	snapshot_free(s);

	assert_int_equal(write(go[1], "x", 1), 1);
	if (read(done[0], &c, 1) != 1)
		c = 0;
	assert_int_equal(collector_run(cached, &s), 0);
	p = snap_find_proc(s, child);
	kscore = kernel_oom_score(child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(go[1]);
	close(done[0]);
	assert_int_equal(c, 'x');
	assert_non_null(p);
	assert_false(p->flags & PROC_CACHED);
	assert_true(val_is_ok(p->rss_kb) && p->rss_kb.v >= 500 << 10);
	assert_true(val_is_ok(p->oom_score));
	assert_true(p->oom_score.v > before_score);
	assert_true(labs(p->oom_score.v - kscore) <= 1);
	assert_true(val_is_ok(p->oom_score_agrees) && p->oom_score_agrees.v == 1);
	snapshot_free(s);
	collector_free(cached);
}

/*
 * A vfork child (sharing its parent's mm until it execs) is skipped by
 * oom_badness() (in_vfork()): the kernel's oom_score for it is 0, and
 * oomlens must score it 0 and never name it the victim.  The parent takes
 * adj 1000 first, so the pair would be the host's victims, tied on points:
 * the kernel would take the parent (issue 13, item 9).  Both collectors:
 * /proc sees it through the kernel's oom_score, the bpf program through
 * in_vfork()'s own test (vfork_done, and the parent's mm).
 */
static void
vfork_case(enum collect_choice which)
{
	struct collector *c = collector_new(&(struct collect_opts){ .collector = which, .refresh_every = 0 });
	struct snapshot *s = NULL;
	const struct proc *p;
	int pfd[2];
	pid_t child, vchild = 0;
	long kscore;

	assert_int_equal(pipe(pfd), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int fd = open("/proc/self/oom_score_adj", O_WRONLY);
		pid_t v;

		if (fd < 0 || write(fd, "1000", 4) != 4)
			_exit(1);
		close(fd);
		close(pfd[0]);
		v = vfork();
		if (v == 0) {
			pid_t me = getpid();

			/* Only write, pause and _exit here: the parent is suspended on our mm. */
			if (write(pfd[1], &me, sizeof(me)) != sizeof(me))
				_exit(1);
			pause();
			_exit(0);
		}
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &vchild, sizeof(vchild)) != sizeof(vchild))
		vchild = 0;
	close(pfd[0]);
	if (vchild > 0) {
		usleep(100000);
		assert_int_equal(collector_run(c, &s), 0);
	}
	if (which == COLLECT_BPF && s && s->collector != COLLECTOR_BPF) {
		print_message("bpf collector unavailable: %s\n", s->collector_why);
		kill(vchild, SIGKILL);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		snapshot_free(s);
		collector_free(c);
		skip();
	}
	kscore = vchild > 0 ? kernel_oom_score(vchild) : -1;
	p = s ? snap_find_proc(s, vchild) : NULL;
	if (vchild > 0)
		kill(vchild, SIGKILL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	assert_true(vchild > 0);
	assert_int_equal(kscore, 0);
	assert_non_null(p);
	assert_true(val_is_ok(p->oom_score_recomputed));
	assert_int_equal(p->oom_score_recomputed.v, 0);
	/* bpf: oom_score is the counters' own, there is no kernel figure to agree with. */
	if (which == COLLECT_PROC)
		assert_true(val_is_ok(p->oom_score_agrees) && p->oom_score_agrees.v == 1);
	assert_int_not_equal(s->host_victim.pid, vchild);
	snapshot_free(s);
	collector_free(c);
}

static void
test_vfork_child_scores_0(void **state)
{
	(void)state;
	vfork_case(COLLECT_PROC);
}

static void
test_vfork_child_scores_0_bpf(void **state)
{
	(void)state;
	vfork_case(COLLECT_BPF);
}

/* A /proc under dir with one process, PID 1, whose ns/pid link names pidns. */
static void
fake_pid1(const char *dir, const char *pidns)
{
	static const char *const files[][2] = {
	    {"stat", "1 (init) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 5 10485760 500 "
		     "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"},
	    {"status", "Name:\tinit\nUid:\t0\t0\t0\t0\nVmSize:\t10240 kB\n"
		       "VmRSS:\t2000 kB\nVmPTE:\t40 kB\nVmSwap:\t0 kB\n"
		       "CapEff:\t0000000000000000\n"},
	    {"oom_score", "666\n"},
	    {"oom_score_adj", "0\n"},
	    {"cmdline", "init"},
	};
	char path[4096];

	snprintf(path, sizeof(path), "%s/proc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/1", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/1/ns", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/1/ns/pid", dir);
	assert_int_equal(symlink(pidns, path), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/proc/1/%s", dir, files[i][0]);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(files[i][1], f);
		fclose(f);
	}
}

static void
rm_fake(const char *dir)
{
	static const char *const rel[] = {"proc/1/stat", "proc/1/status", "proc/1/oom_score",
					  "proc/1/oom_score_adj", "proc/1/cmdline", "proc/1/ns/pid",
					  "proc/1/ns", "proc/1", "proc", ""};
	char path[4096];

	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, rel[i]);
		if (remove(path) < 0 && i + 1 == sizeof(rel) / sizeof(rel[0]))
			rmdir(dir);
	}
}

/*
 * Only the global init is exempt from the OOM killer (is_global_init()):
 * a /proc whose PID 1 lives in another PID namespace (a container's init)
 * shows a killable PID 1 (issue 13, item 9).
 */
static void
test_only_global_init_exempt(void **state)
{
	static const struct {
		const char *ns;
		bool init;
	} cases[] = {{"pid:[4026531836]", true}, {"pid:[4026532999]", false}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[] = "/tmp/oomlens-test-init-XXXXXX";
		struct procs_result pr;
		bool init;

		assert_non_null(mkdtemp(dir));
		fake_pid1(dir, cases[i].ns);
		assert_int_equal(procs_collect(dir, 0, NULL, NULL, 0, NULL, &pr), 0);
		init = pr.n == 1 && (pr.procs[0].flags & PROC_INIT);
		for (size_t k = 0; k < pr.n; k++)
			proc_release(&pr.procs[k]);
		free(pr.procs);
		rm_fake(dir);
		assert_int_equal(init, cases[i].init);
	}
}

/* A record as the bpf collector decodes it: no command line yet. */
static struct proc
texts_proc(pid_t pid, uint64_t start, const char *comm)
{
	struct proc p;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.start_ticks = start;
	proc_set_comm(&p, comm, strlen(comm));
	return p;
}

/* Take p's kept command line: its text, or NULL when the cache has none to give. */
static const char *
take(struct procs_cache *c, struct proc *p)
{
	rstr_unref(p->cmdline);
	p->cmdline = NULL;
	return procs_cache_take_cmdline(c, p) ? p->cmdline : NULL;
}

/*
 * Does the cache give the process (pid, start, comm) the command line want
 * (NULL: none, it is to be read)?  Fails naming what it gave instead.
 */
static void
expect_take(struct procs_cache *c, pid_t pid, uint64_t start, const char *comm, const char *want)
{
	struct proc p = texts_proc(pid, start, comm);
	const char *got = take(c, &p);

	if (!same_str(got, want))
		fail_msg("pid %d start %llu comm %s: kept '%s', want '%s'", (int)pid,
			 (unsigned long long)start, comm, got ? got : "(none)", want ? want : "(none)");
	rstr_unref(p.cmdline);
}

/*
 * The bpf collector's cache of command lines alone (procs_cache_new_texts()),
 * tick by tick: kept for the same PID, start time and comm; a primed line
 * matches whatever the comm; a re-read every every_texts ticks, staggered by
 * PID; the processes a tick did not see are forgotten.
 */
static void
test_texts_only(void **state)
{
	struct procs_cache *c = procs_cache_new_texts(0);
	struct proc b = texts_proc(101, 8, "sleep");

	(void)state;
	/* Tick 0: 100 primed by the first pass, 101 new, 102 primed but never seen. */
	procs_cache_prime_cmdline(c, 100, 7, "sh -c x");
	procs_cache_prime_cmdline(c, 102, 9, "gone before its record");
	expect_take(c, 100, 7, "sh", "sh -c x");
	assert_null(take(c, &b));
	b.cmdline = rstr_new("sleep 9");
	procs_cache_keep_cmdline(c, &b);
	procs_cache_end_tick(c);

	/* Tick 1: both kept (0: never re-read); 102 is gone. */
	expect_take(c, 100, 7, "sh", "sh -c x");
	assert_string_equal(take(c, &b), "sleep 9");
	expect_take(c, 102, 9, "x", NULL);
	/* An exec (another comm, now that the line is no longer primed) or a reused PID. */
	expect_take(c, 100, 7, "python3", NULL);
	expect_take(c, 100, 70, "sh", NULL);
	procs_cache_end_tick(c);

	/* Tick 2: only 101 seen; tick 3: 100 has been forgotten. */
	assert_string_equal(take(c, &b), "sleep 9");
	procs_cache_end_tick(c);
	expect_take(c, 100, 7, "sh", NULL);
	assert_string_equal(take(c, &b), "sleep 9");
	procs_cache_free(c);

	/* every_texts 4: PID 101 is due when (tick + 101) % 4 == 0, first at tick 3. */
	c = procs_cache_new_texts(4);
	rstr_unref(b.cmdline);
	b.cmdline = rstr_new("sleep 9");
	procs_cache_keep_cmdline(c, &b);
	procs_cache_end_tick(c);
	assert_string_equal(take(c, &b), "sleep 9"); /* tick 1 */
	procs_cache_end_tick(c);
	assert_string_equal(take(c, &b), "sleep 9"); /* tick 2 */
	procs_cache_end_tick(c);
	assert_null(take(c, &b)); /* tick 3: due */
	procs_cache_free(c);
}

/* Keep a command line "cmd PID" for (pid, start pid, comm "p"). */
static void
keep_numbered(struct procs_cache *c, pid_t pid)
{
	struct proc p = texts_proc(pid, (uint64_t)pid, "p");
	char line[32];

	snprintf(line, sizeof(line), "cmd %d", (int)pid);
	p.cmdline = rstr_new(line);
	procs_cache_keep_cmdline(c, &p);
	rstr_unref(p.cmdline);
}

/* Does the cache give pid its "cmd PID"? */
static void
expect_numbered(struct procs_cache *c, pid_t pid)
{
	char line[32];

	snprintf(line, sizeof(line), "cmd %d", (int)pid);
	expect_take(c, pid, (uint64_t)pid, "p", line);
}

/*
 * The cache is an array in PID order, walked beside the collectors' own
 * upward walk: every entry must still be found when the PIDs come in
 * another order, when new PIDs wrap below the known ones (out of order
 * among themselves too), and after the end of a tick has dropped some and
 * put the rest back in order.
 */
static void
test_cache_order(void **state)
{
	static const pid_t wrapped[] = {40, 7, 41, 3};
	struct procs_cache *c = procs_cache_new_texts(0);

	(void)state;
	/* Tick 0: 1000 .. 1999 in order, as /proc and the iterator give them. */
	for (pid_t pid = 1000; pid < 2000; pid++)
		keep_numbered(c, pid);
	procs_cache_end_tick(c);
	/* Tick 1: every other one, downwards; then the PIDs wrap. */
	for (pid_t pid = 1998; pid >= 1000; pid -= 2)
		expect_numbered(c, pid);
	for (size_t i = 0; i < sizeof(wrapped) / sizeof(wrapped[0]); i++) {
		expect_take(c, wrapped[i], (uint64_t)wrapped[i], "p", NULL);
		keep_numbered(c, wrapped[i]);
	}
	/* Found in the same tick, whichever part of the array they are in. */
	for (size_t i = 0; i < sizeof(wrapped) / sizeof(wrapped[0]); i++)
		expect_numbered(c, wrapped[i]);
	expect_numbered(c, 1500);
	procs_cache_end_tick(c);
	/* Tick 2: the odd ones were not seen in tick 1 and are gone; the rest, upwards. */
	expect_take(c, 1001, 1001, "p", NULL);
	for (pid_t pid = 3; pid < 2000; pid++) {
		bool kept = (pid >= 1000 && pid % 2 == 0) || pid == 3 || pid == 7 || pid == 40 ||
			    pid == 41;

		if (kept)
			expect_numbered(c, pid);
	}
	procs_cache_end_tick(c);
	procs_cache_free(c);
}

int
main(int argc, char **argv)
{
	(void)argc;
	test_argv0 = argv[0];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_cached_equals_fresh, end_all),
	    cmocka_unit_test_teardown(test_slow_file_change_shows, end_all),
	    cmocka_unit_test_teardown(test_cmdline_change_shows, end_all),
	    cmocka_unit_test_teardown(test_cgroup_move_shows, end_all),
	    cmocka_unit_test_teardown(test_exec_refreshes_at_once, end_all),
	    cmocka_unit_test_teardown(test_growth_refreshes_at_once, end_all),
	    cmocka_unit_test_teardown(test_vfork_child_scores_0, end_all),
	    cmocka_unit_test_teardown(test_vfork_child_scores_0_bpf, end_all),
	    cmocka_unit_test_teardown(test_only_global_init_exempt, end_all),
	    cmocka_unit_test(test_texts_only),
	    cmocka_unit_test(test_cache_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
