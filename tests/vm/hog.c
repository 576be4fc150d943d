/*
 * hog.c - a memory hog with a controllable size, for the VM tests.
 *
 *   hog [-g CGROUP_DIR] [-a OOM_SCORE_ADJ] [-n COMM] [-r READY_FILE]
 *       [-s SECONDS] [-x] MIB
 *
 * Moves itself into CGROUP_DIR (writes 0 to its cgroup.procs), sets its
 * oom_score_adj and its comm, then maps MIB MiB of private anonymous
 * memory and writes to every page of it (one word a page, so that zram
 * compresses the pages well but does not treat them as same-filled).  Once
 * every page has been touched it writes its pid to READY_FILE (through a
 * temporary name, so that the file appears complete), then sleeps for
 * SECONDS (default: until killed), or exits at once with -x.
 *
 * Exit status: 0 done, 1 a set-up step failed (message on stderr), 2 usage.
 * A hog killed by the OOM killer dies of SIGKILL, which the caller sees.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: hog [-g CGROUP_DIR] [-a OOM_SCORE_ADJ] [-n COMM] "
			"[-r READY_FILE] [-s SECONDS] [-x] MIB\n");
	exit(2);
}

static long
parse_long(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "hog: bad %s '%s' (expected %ld..%ld)\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

/* Write a short string to a file, failing loudly. */
static void
write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "hog: cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	n = write(fd, text, len);
	if (n != (ssize_t)len) {
		fprintf(stderr, "hog: cannot write '%s' to %s: %s\n", text, path,
			n < 0 ? strerror(errno) : "short write");
		exit(1);
	}
	if (close(fd) < 0) {
		fprintf(stderr, "hog: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Create path holding our pid, atomically (write a temporary name, rename). */
static void
signal_ready(const char *path)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp)) {
		fprintf(stderr, "hog: ready file name too long\n");
		exit(1);
	}
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		fprintf(stderr, "hog: cannot write %s: %s\n", tmp, strerror(errno));
		exit(1);
	}
	if (rename(tmp, path) < 0) {
		fprintf(stderr, "hog: cannot rename %s to %s: %s\n", tmp, path, strerror(errno));
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	const char *cgroup = NULL, *adj = NULL, *comm = NULL, *ready = NULL;
	long seconds = -1, mib;
	long page = sysconf(_SC_PAGESIZE);
	int exit_now = 0, c;
	size_t len;
	char *mem;

	while ((c = getopt(argc, argv, "g:a:n:r:s:x")) != -1) {
		switch (c) {
		case 'g':
			cgroup = optarg;
			break;
		case 'a':
			adj = optarg;
			parse_long(adj, -1000, 1000, "oom_score_adj");
			break;
		case 'n':
			comm = optarg;
			break;
		case 'r':
			ready = optarg;
			break;
		case 's':
			seconds = parse_long(optarg, 0, 86400, "seconds");
			break;
		case 'x':
			exit_now = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	mib = parse_long(argv[optind], 0, 1L << 20, "size in MiB");
	if (page <= 0)
		page = 4096;

	if (cgroup) {
		char path[PATH_MAX];

		if (snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup) >= (int)sizeof(path)) {
			fprintf(stderr, "hog: cgroup path too long\n");
			return 1;
		}
		write_file(path, "0");
	}
	if (adj)
		write_file("/proc/self/oom_score_adj", adj);
	if (comm && prctl(PR_SET_NAME, comm, 0, 0, 0) < 0) {
		fprintf(stderr, "hog: cannot set the name %s: %s\n", comm, strerror(errno));
		return 1;
	}

	len = (size_t)mib << 20;
	if (len) {
		mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED) {
			fprintf(stderr, "hog: cannot map %ld MiB: %s\n", mib, strerror(errno));
			return 1;
		}
		for (size_t off = 0; off < len; off += (size_t)page)
			*(volatile uint64_t *)(mem + off) =
			    0x9e3779b97f4a7c15ULL * (off / (size_t)page + 1);
	}

	if (ready)
		signal_ready(ready);
	if (exit_now)
		return 0;
	if (seconds < 0) {
		for (;;)
			pause();
	}
	{
		struct timespec ts = {.tv_sec = seconds, .tv_nsec = 0};

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	return 0;
}
