/*
 * pick.h - what -p selects: process IDs, and a cgroup named as the monitor
 * shows it (a container name, a container id or its first 12 characters,
 * a cgroup's path, or its last path component when unique: target.h).  A
 * name selects the processes of that cgroup and of the cgroups below it,
 * as they are at each snapshot: a container's new processes join its rows.
 * The names are resolved once, on a snapshot taken before the first one
 * shown; an ambiguous name lists its candidates and exits 2.  Reads only.
 */
#ifndef OOMLENS_PICK_H
#define OOMLENS_PICK_H

#include <stddef.h>
#include <sys/types.h>

#include "model.h"

/*
 * Resolve names[0..n) on a snapshot of the system under root into cgroup
 * paths, malloc'd in *paths (n of them).  0; or -ENOENT / -EEXIST after
 * one line (or the candidates) on stderr: a usage error, exit status 2;
 * or -errno when the system could not be read (one line, exit status 1).
 */
int pick_resolve(const char *root, char *const *names, size_t n, char ***paths);

/* Whether pid or a process in one of the cgroups (or below) is picked: pick_keep()'s test. */
bool pick_cgroup_has(const char *path, char *const *cgs, size_t n_cgs);

/*
 * Keep in s, in order, the processes picked by pids or cgs (everything when
 * both are empty), releasing the others' texts.  -p chooses which rows are
 * shown, after the victims were chosen over every process: they are facts
 * about the host.
 */
void pick_keep(struct snapshot *s, const pid_t *pids, size_t n_pids, char *const *cgs,
	       size_t n_cgs);

#endif
