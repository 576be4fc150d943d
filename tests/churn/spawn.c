/*
 * spawn.c - process churn for the hardening tests: fork RATE short-lived
 * processes a second for SECONDS, each living LIFE_MS at most, and reap
 * them.  Each child names itself, in comm and in its command line, after
 * its pid and a sequence number ("c<pid>.<seq>"), so a snapshot row whose
 * name does not carry its own pid, or whose comm and command line carry
 * different sequence numbers, mixes the data of two processes.
 *
 *   spawn RATE SECONDS [LIFE_MS]
 *
 * Prints the rate it reached each second on stderr and, at the end,
 * "spawned N in S s: R/s" on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: take the name, live a little, leave. */
static void
child(char *arg0, size_t arg0len, unsigned long seq, int life_ms)
{
	char name[32];
	int n = snprintf(name, sizeof(name), "c%d.%lu", (int)getpid(), seq % 1000000);

	prctl(PR_SET_NAME, name, 0, 0, 0);
	/* argv[0]'s own bytes are the command line /proc shows: overwrite them in place. */
	if ((size_t)n < arg0len) {
		memset(arg0, 0, arg0len);
		memcpy(arg0, name, (size_t)n);
	}
	if (life_ms > 0) {
		struct timespec ts = { 0, (long)(rand() % life_ms) * 1000000L };

		nanosleep(&ts, NULL);
	}
	_exit(0);
}

/* Reap every child that has exited; returns how many. */
static unsigned
reap(void)
{
	unsigned n = 0;

	while (waitpid(-1, NULL, WNOHANG) > 0)
		n++;
	return n;
}

int
main(int argc, char **argv)
{
	double rate, secs, start, next, last_report;
	int life_ms = 20;
	unsigned long seq = 0, at_report = 0, failed = 0;
	size_t arg0len;

	if (argc < 3) {
		fprintf(stderr, "usage: %s RATE SECONDS [LIFE_MS]\n", argv[0]);
		return 2;
	}
	rate = atof(argv[1]);
	secs = atof(argv[2]);
	if (argc > 3)
		life_ms = atoi(argv[3]);
	if (rate <= 0 || secs <= 0 || life_ms < 0) {
		fprintf(stderr, "%s: bad arguments\n", argv[0]);
		return 2;
	}
	/* The whole argument area (argv[0] up to the last argument's NUL) is ours to overwrite. */
	arg0len = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) - argv[0]);
	start = last_report = next = now();
	while (now() - start < secs) {
		double t = now();

		/* Keep up with the schedule in bursts; never sleep past the next fork. */
		while (next <= t) {
			pid_t pid = fork();

			if (pid == 0)
				child(argv[0], arg0len, seq, life_ms);
			if (pid < 0) {
				failed++;
				if (errno == EAGAIN)
					break;
			} else {
				seq++;
			}
			next += 1.0 / rate;
		}
		reap();
		if (t - last_report >= 1.0) {
			fprintf(stderr, "spawn: %.0f/s\n", (double)(seq - at_report) / (t - last_report));
			at_report = seq;
			last_report = t;
		}
		if (next > now()) {
			double d = next - now();
			struct timespec ts = { 0, (long)(d * 1e9) };

			if (d < 1.0)
				nanosleep(&ts, NULL);
		}
	}
	while (wait(NULL) > 0 || errno == EINTR)
		;
	printf("spawned %lu in %.1f s: %.0f/s (fork failures %lu)\n", seq, now() - start,
	       (double)seq / (now() - start), failed);
	return 0;
}
