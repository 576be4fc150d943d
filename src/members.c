/*
 * members.c - the PID -> memory cgroup map from cgroup.procs (members.h).
 */
#include "config.h"

#include "members.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pidmap.h"
#include "util.h"

/* A cgroup.procs of 4 M PIDs (pid_max's limit) is about 32 MB. */
#define MEMBERS_FILE_MAX (64u << 20)

/* Two clock ticks of margin: start times are truncated to ticks. */
#define MARGIN_TICKS 2

/* A PID's value when two cgroups listed it. */
#define AMBIGUOUS UINT32_MAX

struct cg_members {
	struct pidmap pids;   /* PID -> index into paths, or AMBIGUOUS */
	const char **paths;   /* borrowed */
	size_t n_paths, paths_cap;
	uint64_t since_ticks; /* CLOCK_BOOTTIME, in clock ticks, before the first read */
};

/*
 * Insert pid.  A PID listed by two cgroups (it moved while they were read)
 * is ambiguous: the lookup then falls back to the process's own file.
 */
static void
insert(struct cg_members *m, pid_t pid, uint32_t path_idx)
{
	int added;
	uint32_t *v = pidmap_put(&m->pids, pid, &added);

	*v = added ? path_idx : AMBIGUOUS;
}

static uint64_t
boot_ticks(void)
{
	struct timespec ts;
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0 || hz > 1000000000 || clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		return 0; /* the map then vouches for nothing */
	return (uint64_t)ts.tv_sec * (uint64_t)hz + (uint64_t)ts.tv_nsec / (1000000000u / (uint64_t)hz);
}

struct cg_members *
cg_members_new(uint64_t since_ticks)
{
	struct cg_members *m = xcalloc(1, sizeof(*m));

	m->since_ticks = since_ticks;
	return m;
}

size_t
cg_members_parse(struct cg_members *m, const char *text, const char *path)
{
	uint32_t idx = (uint32_t)m->n_paths;
	size_t n = 0;

	if (m->n_paths == m->paths_cap) {
		m->paths_cap = m->paths_cap ? m->paths_cap * 2 : 64;
		m->paths = xrealloc(m->paths, m->paths_cap * sizeof(*m->paths));
	}
	m->paths[m->n_paths++] = path;

	for (const char *p = text; *p;) {
		uint64_t pid;
		const char *end;

		if (parse_u64(p, &end, &pid) < 0 || (*end != '\n' && *end != '\0') ||
		    pid > INT32_MAX)
			break; /* not what cgroup.procs holds: trust none of the rest */
		/* v2 shows a process outside our PID namespace as 0. */
		if (pid != 0)
			insert(m, (pid_t)pid, idx);
		n++;
		p = end + (*end == '\n');
	}
	return n;
}

/*
 * Does /proc number processes as we do?  cgroup.procs lists PIDs in the
 * reader's PID namespace, /proc/PID in that of whoever mounted /proc; when
 * the two differ (oomlens in a new PID namespace with the host's /proc), a
 * PID of the map names another process in /proc.
 */
static bool
proc_is_ours(void)
{
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);
	uint64_t pid;

	if (n <= 0)
		return false;
	link[n] = '\0';
	return parse_u64_full(link, &pid) == 0 && pid == (uint64_t)getpid();
}

struct cg_members *
cg_members_read(const struct cgroup *cgs, size_t n, size_t expect)
{
	/* A map that vouches for nothing when /proc is another namespace's. */
	struct cg_members *m = cg_members_new(proc_is_ours() ? boot_ticks() : 0);
	char *buf = NULL;
	size_t bufcap = 0;

	if (!m->since_ticks)
		return m;
	/* Sized once for the processes expected, not grown through every power of two. */
	pidmap_reset(&m->pids, expect);

	for (size_t i = 0; i < n; i++) {
		const struct cgroup *c = &cgs[i];
		char path[8192];
		ssize_t len;
		int fd;

		if (!c->fs_path || !c->path)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.procs", c->fs_path) >= sizeof(path))
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read_fd_all(fd, &buf, &bufcap, MEMBERS_FILE_MAX);
		close(fd);
		if (len > 0)
			cg_members_parse(m, buf, c->path);
	}
	free(buf);
	return m;
}

const char *
cg_members_lookup(const struct cg_members *m, pid_t pid, uint64_t start_ticks)
{
	const uint32_t *v;

	if (!m || m->since_ticks < MARGIN_TICKS || start_ticks > m->since_ticks - MARGIN_TICKS)
		return NULL;
	v = pidmap_find(&m->pids, pid);
	return v && *v != AMBIGUOUS ? m->paths[*v] : NULL;
}

size_t
cg_members_count(const struct cg_members *m)
{
	return m ? m->pids.n : 0;
}

void
cg_members_free(struct cg_members *m)
{
	if (!m)
		return;
	pidmap_free(&m->pids);
	free(m->paths);
	free(m);
}
