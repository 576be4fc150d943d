/*
 * container.h - which container a memory cgroup belongs to.
 *
 * Two halves: pure parsers (a cgroup path to a runtime and id; the
 * runtimes' metadata files to a name), and a resolver that the collector
 * keeps across ticks, which asks the runtimes' metadata (the Docker Engine
 * API, Docker's, Podman's, containerd's and CRI-O's files under the
 * collection root) once per new cgroup and caches the answer.  Nothing here
 * writes anywhere or knows about curses.
 */
#ifndef OOMLENS_CONTAINER_H
#define OOMLENS_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/*
 * Classify a cgroup path (doc/events.md lists the forms).  Returns 0 and
 * fills *out (name, pod and ns empty unless the path holds them) when the
 * path belongs to a container or a systemd unit; -ENOENT for a plain cgroup
 * (*out is then zeroed).  For Kubernetes paths, pod_uid (may be NULL)
 * receives the pod's uid.
 */
int container_parse_path(const char *path, struct container_id *out, char *pod_uid,
			 size_t pod_uid_sz);

/* "docker", "podman", ...; NULL for CT_NONE. */
const char *container_runtime_name(int runtime);

/* A short label for tables: the name, else the first 12 characters of the id. */
const char *container_label(const struct container_id *c);

/* Docker's config.v2.json: key Name (without its leading "/"), and Kubernetes labels. */
int container_parse_docker_config(const char *json, struct container_id *c);

/* The Docker Engine API's /containers/json body: the entry whose Id is c->id. */
int container_parse_docker_list(const char *json, struct container_id *c);

/* Podman's containers.json: the entry whose id is c->id; its first name. */
int container_parse_podman_list(const char *json, struct container_id *c);

/*
 * An OCI config.json (containerd task, CRI-O userdata): the Kubernetes
 * annotations (pod name, namespace, container name; both the io.kubernetes.*
 * and the io.kubernetes.cri.* forms).  pod_uid (may be NULL) receives the pod's uid.
 */
int container_parse_oci_config(const char *json, struct container_id *c, char *pod_uid,
			       size_t pod_uid_sz);

struct container_resolver;

/*
 * root: "" for the live system, or a fixture tree (metadata paths and the
 * Docker socket are taken under it; DOCKER_HOST is then ignored).
 * use_api: whether to ask the Docker Engine API at all.
 */
struct container_resolver *container_resolver_new(const char *root, bool use_api);
void container_resolver_free(struct container_resolver *r);

/* Start a tick: the Docker API is asked at most once per tick. */
void container_resolver_begin(struct container_resolver *r);

/*
 * The identity of the cgroup at path: cached, looked up in the runtimes'
 * metadata only the first time the path is seen.  Never NULL; runtime is
 * CT_NONE for a plain cgroup.  The pointer is valid until the next
 * container_resolver_end().
 */
const struct container_id *container_resolve(struct container_resolver *r, const char *path);

/*
 * Resolve every cgroup of s and every process whose cgroup is not in the
 * list; fill s->containers and point each cgroup's and process's
 * `container` into it (NULL for plain cgroups).
 */
void container_attach(struct container_resolver *r, struct snapshot *s);

/* End a tick: forget the cgroups not asked about since container_resolver_begin(). */
void container_resolver_end(struct container_resolver *r);

#endif
