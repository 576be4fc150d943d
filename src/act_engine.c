/*
 * act_engine.c - verify the Docker Engine's answers against the kernel
 * (act_engine.h).  It reads /proc/PID/cgroup and /proc/self/cgroup; it
 * must not ask the engine anything or decide what to write.
 */
#include "config.h"

#include "act_engine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "util.h"

bool
act_engine_id_of_path(const char *path, char *id)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	if (strncmp(b, "docker-", 7) == 0)
		b += 7;
	if (strspn(b, "0123456789abcdef") != 64 || (b[64] != '\0' && strcmp(b + 64, ".scope") != 0))
		return false;
	memcpy(id, b, 64);
	id[64] = '\0';
	return true;
}

int
act_engine_cgroup_of_pid(const char *root, pid_t pid, int version, char *out, size_t outsz)
{
	char path[4096], rel[64], buf[4096];
	ssize_t r;

	snprintf(rel, sizeof(rel), "/proc/%d/cgroup", (int)pid);
	path_join(path, sizeof(path), root, rel);
	r = read_file_at(AT_FDCWD, path, buf, sizeof(buf), NULL);
	if (r < 0)
		return (int)r;
	return cg_parse_proc_cgroup(buf, version, out, outsz);
}

int
act_engine_cgroup_ok(const char *cg, int version, char *why, size_t whysz)
{
	char self[4096];
	size_t n = strlen(cg);

	if (n == 0 || strcmp(cg, "/") == 0) {
		snprintf(why, whysz, "the root cgroup / holds every process of the host");
		return -EPERM;
	}
	if (act_engine_cgroup_of_pid("", getpid(), version, self, sizeof(self)) < 0) {
		snprintf(why, whysz, "cannot read oomlens's own cgroup to compare");
		return -EPERM;
	}
	if (strncmp(self, cg, n) == 0 && (self[n] == '\0' || self[n] == '/' || cg[n - 1] == '/')) {
		snprintf(why, whysz, "cgroup %s holds oomlens itself (its cgroup is %s)", cg, self);
		return -EPERM;
	}
	return 0;
}

int
act_engine_verify(const struct docker_info *di, const char *want_id, int version, char *cg,
		  size_t cgsz, char *why, size_t whysz)
{
	char own[4096], id[65];
	int r;

	if (strlen(di->id) != 64 || strspn(di->id, "0123456789abcdef") != 64) {
		snprintf(why, whysz, "the Docker Engine answered with an Id that is not an id");
		return -EPERM;
	}
	if (want_id && strcmp(di->id, want_id) != 0) {
		snprintf(why, whysz,
			 "the Docker Engine answered for container %.12s when asked for %.12s",
			 di->id, want_id);
		return -EPERM;
	}
	if (di->name[0] && !docker_name_ok(di->name)) {
		snprintf(why, whysz, "the Docker Engine answered with a name Docker never gives");
		return -EPERM;
	}
	if (!di->running || di->pid <= 0)
		return 0;
	if (di->pid == 1) {
		snprintf(why, whysz,
			 "the Docker Engine says container %.12s runs as PID 1, the host's init",
			 di->id);
		return -EPERM;
	}
	r = act_engine_cgroup_of_pid("", di->pid, version, own, sizeof(own));
	if (r < 0) {
		snprintf(why, whysz, "cannot read the cgroup of the container's PID %d: %s",
			 (int)di->pid, strerror(-r));
		return r == -ENOENT ? -ESRCH : -EPERM;
	}
	if (!act_engine_id_of_path(own, id) || strcmp(id, di->id) != 0) {
		snprintf(why, whysz,
			 "the Docker Engine gives PID %d for container %.12s, but that process's "
			 "cgroup %s is not the container's",
			 (int)di->pid, di->id, own);
		return -EPERM;
	}
	if (act_engine_cgroup_ok(own, version, why, whysz) < 0)
		return -EPERM;
	if (cg)
		snprintf(cg, cgsz, "%s", own);
	return 0;
}
