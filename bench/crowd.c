/*
 * crowd.c - the benchmark's crowd: N sleeping processes, spawned cheaply.
 *
 * Usage: crowd N
 *
 * crowd becomes the leader of a new process group, forks N children without
 * exec (each shares the parent's few pages copy-on-write and only pause()s),
 * prints "ready PGID N" on standard output once all of them exist, and then
 * waits.  SIGTERM, SIGINT or SIGHUP to crowd's own PID ends the crowd: it
 * sends SIGTERM to its own process group (ignoring it itself), reaps every
 * child and exits.  Each
 * child also asks the kernel for SIGKILL if crowd dies first
 * (PR_SET_PDEATHSIG), so a crowd killed with SIGKILL leaves nobody behind.
 *
 * When N cannot be reached, crowd says which limit stopped it (RLIMIT_NPROC,
 * kernel.pid_max, kernel.threads-max or the pids cgroup), kills what it
 * started and exits with status 1.  It owns nothing else and installs nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* A number from a one-line kernel file, or -1. */
static long
read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Raise the soft RLIMIT_NPROC to the hard one; say so if even that is below what we need. */
static void
raise_nproc(long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NPROC, &rl) < 0)
		return;
	if (rl.rlim_cur != rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NPROC, &rl);
	}
	if (rl.rlim_max != RLIM_INFINITY && (long)rl.rlim_max < need && geteuid() != 0)
		fprintf(stderr,
			"crowd: RLIMIT_NPROC is %ld (hard) for this user, below the %ld needed; "
			"raise it (ulimit -Hu, /etc/security/limits.conf) or run as root\n",
			(long)rl.rlim_max, need);
}

/* Check the system-wide limits before forking, so the message names the right one. */
static int
check_limits(long n)
{
	long pid_max = read_long("/proc/sys/kernel/pid_max");
	long threads_max = read_long("/proc/sys/kernel/threads-max");
	long pids_cg = read_long("/sys/fs/cgroup/pids.max");
	long running = 0;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		long a, b;

		/* "0.00 0.01 0.05 1/123 4567": the fourth field is running/total tasks. */
		if (fscanf(f, "%*s %*s %*s %ld/%ld", &a, &b) == 2)
			running = b;
		fclose(f);
	}
	if (pid_max > 0 && n + running + 100 > pid_max) {
		fprintf(stderr,
			"crowd: kernel.pid_max is %ld and %ld tasks exist: %ld more do not fit; "
			"raise it with: sysctl -w kernel.pid_max=%ld\n",
			pid_max, running, n, 2 * (n + running + 100));
		return -1;
	}
	if (threads_max > 0 && n + running + 100 > threads_max) {
		fprintf(stderr,
			"crowd: kernel.threads-max is %ld and %ld tasks exist: %ld more do not fit; "
			"raise it with: sysctl -w kernel.threads-max=%ld\n",
			threads_max, running, n, 2 * (n + running + 100));
		return -1;
	}
	if (pids_cg > 0 && n + 100 > pids_cg) {
		fprintf(stderr, "crowd: this cgroup's pids.max is %ld, below %ld\n", pids_cg, n);
		return -1;
	}
	return 0;
}

/* The child: let go of the caller's pipes, die with the parent, sleep. */
static void __attribute__((noreturn))
child(pid_t parent, int devnull)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (int fd = 0; fd < 3; fd++)
		dup2(devnull, fd);
	if (getppid() != parent)
		_exit(0);
	for (;;)
		pause();
}

/*
 * End the whole process group but ourselves: the children keep SIGTERM's
 * default action, crowd ignores it, so one kill() reaches them all.
 */
static void
end_crowd(void)
{
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	pid_t self = getpid();
	char *end;
	long n, made = 0;
	int fork_errno = 0, devnull;

	if (argc != 2 || (n = strtol(argv[1], &end, 10)) < 0 || *end || end == argv[1]) {
		fprintf(stderr, "usage: crowd N\n");
		return 2;
	}
	if (setpgid(0, 0) < 0 && getpgrp() != self) {
		fprintf(stderr, "crowd: cannot start a process group: %s\n", strerror(errno));
		return 1;
	}
	raise_nproc(n + 100);
	if (check_limits(n) < 0)
		return 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		fprintf(stderr, "crowd: cannot open /dev/null: %s\n", strerror(errno));
		return 1;
	}
	/* Children start with default signal handling: SIGTERM from anyone kills them. */
	while (made < n && !stop) {
		pid_t pid = fork();

		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			child(self, devnull);
		}
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			fork_errno = errno;
			break;
		}
		made++;
	}
	if (made < n) {
		if (fork_errno)
			fprintf(stderr,
				"crowd: fork failed after %ld of %ld processes: %s (EAGAIN: "
				"RLIMIT_NPROC, kernel.threads-max, kernel.pid_max or the pids "
				"cgroup; ENOMEM: memory)\n",
				made, n, strerror(fork_errno));
		end_crowd();
		return 1;
	}
	printf("ready %ld %ld\n", (long)self, made);
	fflush(stdout);

	while (!stop)
		pause();
	end_crowd();
	return 0;
}
