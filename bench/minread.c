/*
 * minread.c - the floor: the least work that reads what oomlens reads.
 *
 * Usage: minread [-n PASSES] [FILE...]
 *
 * Walks /proc once per pass; for every process directory opens it as a
 * directory fd and, through openat(), opens and reads each per-process
 * FILE (by default the ones `oomlens -b` reads: stat status oom_score
 * oom_score_adj cmdline; the memory cgroup comes from each cgroup's
 * cgroup.procs, a few files a host, not one a process) into one buffer,
 * then closes it.  Nothing
 * is parsed beyond telling a PID from other names, nothing is allocated per
 * process, nothing is printed but a count on standard error with -v.
 * The host files (meminfo, vmstat, pressure) are read once per pass, as
 * oomlens does; their cost is a few microseconds.
 *
 * The benchmark compares oomlens's batch CPU time with this program's: the
 * gap is what parsing, scoring and output cost on top of the kernel's work.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const default_files[] = {
	"stat", "status", "oom_score", "oom_score_adj", "cmdline",
};

static const char *const host_files[] = {
	"/proc/meminfo", "/proc/vmstat", "/proc/pressure/memory", "/proc/uptime",
};

static char buf[65536];

/* Open name relative to dirfd and read it to the end; the byte count or -1. */
static long
slurp(int dirfd, const char *name)
{
	long total = 0;
	ssize_t r;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += r;
	close(fd);
	return total;
}

/* One pass over /proc; the number of processes read. */
static long
one_pass(const char *const *files, size_t n_files, long *bytes)
{
	struct dirent *de;
	long n = 0;
	int procfd;
	DIR *dir;

	for (size_t i = 0; i < sizeof(host_files) / sizeof(host_files[0]); i++)
		slurp(AT_FDCWD, host_files[i]);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0 || !(dir = fdopendir(procfd))) {
		perror("minread: /proc");
		exit(1);
	}
	while ((de = readdir(dir))) {
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		fd = openat(procfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		for (size_t i = 0; i < n_files; i++) {
			long r = slurp(fd, files[i]);

			if (r > 0)
				*bytes += r;
		}
		close(fd);
		n++;
	}
	closedir(dir);
	return n;
}

int
main(int argc, char **argv)
{
	const char *const *files = default_files;
	size_t n_files = sizeof(default_files) / sizeof(default_files[0]);
	long passes = 1, n = 0, bytes = 0;
	int verbose = 0, opt;

	while ((opt = getopt(argc, argv, "n:v")) != -1) {
		switch (opt) {
		case 'n':
			passes = strtol(optarg, NULL, 10);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: minread [-v] [-n PASSES] [FILE...]\n");
			return 2;
		}
	}
	if (optind < argc) {
		files = (const char *const *)argv + optind;
		n_files = (size_t)(argc - optind);
	}
	for (long i = 0; i < passes; i++)
		n = one_pass(files, n_files, &bytes);
	if (verbose)
		fprintf(stderr, "minread: %ld processes, %ld bytes per pass\n", n,
			bytes / (passes ? passes : 1));
	return 0;
}
