/*
 * act_engine.h - what the actions module believes of the Docker Engine's
 * answers: nothing it cannot check against the kernel.  The engine (or
 * whatever listens on DOCKER_HOST) may answer for another container than
 * the one asked for, with a Pid of any process on the host, or with a
 * name that is not a name; a root process that took such an answer at
 * its word would write to another container's cgroup, or to every process
 * of the host.  Pure checks plus reads of /proc; no requests, no writes.
 */
#ifndef OOMLENS_ACT_ENGINE_H
#define OOMLENS_ACT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "docker.h"

/* A Docker container id in a cgroup path's last part ("<64 hex>", "docker-<64 hex>.scope"). */
bool act_engine_id_of_path(const char *path, char *id);

/* The memory cgroup path of a process, from root/proc/PID/cgroup; 0 or -errno. */
int act_engine_cgroup_of_pid(const char *root, pid_t pid, int version, char *out, size_t outsz);

/*
 * Whether the cgroup path cg may be a container's: not "/" and not our own
 * cgroup or one of its ancestors (which hold oomlens itself and, at "/",
 * every process).  0, or -EPERM with why.
 */
int act_engine_cgroup_ok(const char *cg, int version, char *why, size_t whysz);

/*
 * Check the engine's answer di to a request for want_id (the id read from
 * the cgroup path; NULL when the operator gave a name): a 64-hex Id equal
 * to want_id, a name Docker could have given, and, for a running
 * container, a Pid whose own memory cgroup (into cg, may be NULL) carries
 * that Id and passes act_engine_cgroup_ok().  0, or -EPERM with why.
 */
int act_engine_verify(const struct docker_info *di, const char *want_id, int version, char *cg,
		      size_t cgsz, char *why, size_t whysz);

#endif
