/*
 * container.c - container identity: cgroup path forms of Docker, Podman,
 * containerd/Kubernetes, CRI-O, LXC and systemd, the runtimes' metadata
 * (read-only: the Docker Engine API over its unix socket with a short
 * deadline, through docker_request() of docker.c, and metadata files under
 * the collection root), and the cache that keeps oomlens from asking twice
 * about the same cgroup.
 *
 * The path and metadata parsers are pure; only the resolver does I/O.
 */
#include "config.h"

#include "container.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "docker.h"
#include "util.h"

#define DOCKER_API_TIMEOUT_MS 500
#define META_FILE_MAX	      (16u << 20)

static const char *const runtime_names[] = {
    [CT_NONE] = NULL,	      [CT_DOCKER] = "docker",
    [CT_PODMAN] = "podman",   [CT_CONTAINERD] = "containerd",
    [CT_CRIO] = "cri-o",      [CT_KUBERNETES] = "kubernetes",
    [CT_LXC] = "lxc",	      [CT_SYSTEMD] = "systemd",
    [CT_UNKNOWN] = "unknown",
};

const char *
container_runtime_name(int runtime)
{
	if (runtime <= CT_NONE || (size_t)runtime >= ARRAY_SIZE(runtime_names))
		return NULL;
	return runtime_names[runtime];
}

const char *
container_label(const struct container_id *c)
{
	static char shortid[13];

	if (!c || c->runtime == CT_NONE)
		return "";
	if (c->name[0])
		return c->name;
	if (c->pod[0])
		return c->pod;
	snprintf(shortid, sizeof(shortid), "%.12s", c->id);
	return shortid;
}

static bool
all_hex(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Does component c (n bytes) start with prefix and end with suffix? Returns the middle. */
static bool
affix(const char *c, size_t n, const char *prefix, const char *suffix, const char **mid,
      size_t *midlen)
{
	size_t lp = strlen(prefix), ls = strlen(suffix);

	if (n <= lp + ls || memcmp(c, prefix, lp) != 0 || memcmp(c + n - ls, suffix, ls) != 0)
		return false;
	*mid = c + lp;
	*midlen = n - lp - ls;
	return true;
}

/* A runtime's prefixed id: "docker-<hex>.scope", "libpod-<hex>", "crio-<hex>.scope"... */
static bool
prefixed_id(const char *c, size_t n, const char *prefix, const char **id, size_t *idlen)
{
	if (affix(c, n, prefix, ".scope", id, idlen) && all_hex(*id, *idlen) && *idlen >= 12)
		return true;
	if (affix(c, n, prefix, "", id, idlen) && all_hex(*id, *idlen) && *idlen >= 12)
		return true;
	return false;
}

static bool
is_unit(const char *c, size_t n)
{
	static const char *const sfx[] = {".service", ".scope", ".slice"};

	for (size_t i = 0; i < ARRAY_SIZE(sfx); i++) {
		size_t l = strlen(sfx[i]);

		if (n > l && memcmp(c + n - l, sfx[i], l) == 0)
			return true;
	}
	return false;
}

/* The pod uid in "pod<uid>" (cgroupfs) or "kubepods[-<qos>]-pod<uid_with_underscores>.slice". */
static bool
pod_component(const char *c, size_t n, char *uid, size_t uidsz)
{
	const char *mid;
	size_t ml;

	if (n > 3 && memcmp(c, "pod", 3) == 0 && !memchr(c, '.', n)) {
		copy_span(uid, uidsz, c + 3, n - 3);
		return true;
	}
	if (n > 14 && memcmp(c, "kubepods", 8) == 0 &&
	    affix(c, n, "kubepods", ".slice", &mid, &ml)) {
		const char *p = NULL;

		for (size_t i = 0; i + 4 <= ml; i++)
			if (memcmp(mid + i, "-pod", 4) == 0)
				p = mid + i + 4;
		if (!p || p >= mid + ml)
			return false;
		copy_span(uid, uidsz, p, (size_t)(mid + ml - p));
		for (char *q = uid; *q; q++)
			if (*q == '_')
				*q = '-';
		return true;
	}
	return false;
}

int
container_parse_path(const char *path, struct container_id *out, char *pod_uid, size_t pod_uid_sz)
{
	struct container_id unit, rt;
	bool have_unit = false, have_rt = false, in_kube = false;
	char uid[128] = "";
	const char *prev = NULL;
	size_t prevlen = 0;
	const char *p = path;

	memset(out, 0, sizeof(*out));
	memset(&unit, 0, sizeof(unit));
	memset(&rt, 0, sizeof(rt));
	if (pod_uid && pod_uid_sz)
		pod_uid[0] = '\0';
	if (!path)
		return -ENOENT;
	while (*p) {
		const char *c, *id;
		size_t n, idlen;
		int kind = CT_NONE;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		c = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - c);

		if ((n == 8 && memcmp(c, "kubepods", 8) == 0) ||
		    (n >= 14 && memcmp(c, "kubepods", 8) == 0 &&
		     memcmp(c + n - 6, ".slice", 6) == 0 && !pod_component(c, n, uid, sizeof(uid))))
			in_kube = true;

		if (prefixed_id(c, n, "docker-", &id, &idlen)) {
			kind = CT_DOCKER;
		} else if (prefixed_id(c, n, "libpod-", &id, &idlen)) {
			kind = CT_PODMAN;
		} else if (prefixed_id(c, n, "cri-containerd-", &id, &idlen)) {
			kind = CT_CONTAINERD;
		} else if (prefixed_id(c, n, "crio-", &id, &idlen)) {
			kind = CT_CRIO;
		} else if (n == 64 && all_hex(c, n)) {
			id = c;
			idlen = n;
			if (prev && prevlen == 6 && memcmp(prev, "docker", 6) == 0)
				kind = CT_DOCKER;
			else if (in_kube)
				kind = CT_KUBERNETES;
			else
				kind = CT_UNKNOWN;
		} else if (prev && prevlen == 3 && memcmp(prev, "lxc", 3) == 0 && !have_rt) {
			kind = CT_LXC;
			id = c;
			idlen = n;
		} else if (n > 12 && memcmp(c, "lxc.payload.", 12) == 0) {
			kind = CT_LXC;
			id = c + 12;
			idlen = n - 12;
		} else if (prev && prevlen == 11 && memcmp(prev, "lxc.payload", 11) == 0 &&
			   !have_rt) {
			kind = CT_LXC;
			id = c;
			idlen = n;
		} else if (in_kube && pod_component(c, n, uid, sizeof(uid))) {
			memset(&rt, 0, sizeof(rt));
			rt.runtime = CT_KUBERNETES;
			rt.pod_level = true;
			copy_span(rt.id, sizeof(rt.id), uid, strlen(uid));
			have_rt = true;
		} else if (is_unit(c, n)) {
			memset(&unit, 0, sizeof(unit));
			unit.runtime = CT_SYSTEMD;
			copy_span(unit.id, sizeof(unit.id), c, n);
			copy_span(unit.name, sizeof(unit.name), c, n);
			have_unit = true;
		}
		if (kind != CT_NONE) {
			memset(&rt, 0, sizeof(rt));
			rt.runtime = kind;
			copy_span(rt.id, sizeof(rt.id), id, idlen);
			if (kind == CT_LXC)
				copy_span(rt.name, sizeof(rt.name), id, idlen);
			have_rt = true;
		}
		prev = c;
		prevlen = n;
	}
	if (have_rt)
		*out = rt;
	else if (have_unit)
		*out = unit;
	else
		return -ENOENT;
	if (in_kube && pod_uid && pod_uid_sz)
		copy_span(pod_uid, pod_uid_sz, uid, strlen(uid));
	return 0;
}

/* A string member of obj, or NULL. */
static const char *
jget_str(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void
set_str(char *dst, size_t dstsz, const char *s)
{
	if (s)
		copy_span(dst, dstsz, s, strlen(s));
}

/* Kubernetes names from a label or annotation object, in either naming scheme. */
static void
kube_names(struct json_object *a, struct container_id *c, char *pod_uid, size_t pod_uid_sz)
{
	const char *pod, *ns, *name, *uid, *type;

	if (!a || !json_object_is_type(a, json_type_object))
		return;
	pod = jget_str(a, "io.kubernetes.pod.name");
	if (!pod)
		pod = jget_str(a, "io.kubernetes.cri.sandbox-name");
	ns = jget_str(a, "io.kubernetes.pod.namespace");
	if (!ns)
		ns = jget_str(a, "io.kubernetes.cri.sandbox-namespace");
	name = jget_str(a, "io.kubernetes.cri.container-name");
	if (!name)
		name = jget_str(a, "io.kubernetes.container.name");
	uid = jget_str(a, "io.kubernetes.pod.uid");
	if (!uid)
		uid = jget_str(a, "io.kubernetes.cri.sandbox-uid");
	set_str(c->pod, sizeof(c->pod), pod);
	set_str(c->ns, sizeof(c->ns), ns);
	if (name)
		set_str(c->name, sizeof(c->name), name);
	type = jget_str(a, "io.kubernetes.cri.container-type");
	if (!name && pod && !c->name[0] && type && strcmp(type, "sandbox") == 0)
		set_str(c->name, sizeof(c->name), pod);
	if (uid && pod_uid)
		set_str(pod_uid, pod_uid_sz, uid);
}

/* Docker names start with "/"; drop it. */
static void
docker_name(struct container_id *c, const char *name)
{
	if (!name)
		return;
	if (name[0] == '/')
		name++;
	set_str(c->name, sizeof(c->name), name);
}

int
container_parse_docker_config(const char *json, struct container_id *c)
{
	struct json_object *o = json_tokener_parse(json), *cfg;
	const char *name;
	int r = -ENOENT;

	if (!o)
		return -EINVAL;
	name = jget_str(o, "Name");
	if (name) {
		docker_name(c, name);
		r = 0;
	}
	if (json_object_object_get_ex(o, "Config", &cfg)) {
		struct json_object *labels;

		if (json_object_object_get_ex(cfg, "Labels", &labels))
			kube_names(labels, c, NULL, 0);
	}
	json_object_put(o);
	return r;
}

int
container_parse_docker_list(const char *json, struct container_id *c)
{
	struct json_object *o = json_tokener_parse(json);
	int r = -ENOENT;

	if (!o)
		return -EINVAL;
	if (!json_object_is_type(o, json_type_array)) {
		json_object_put(o);
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(o); i++) {
		struct json_object *e = json_object_array_get_idx(o, i), *names, *labels;
		const char *id = jget_str(e, "Id");

		if (!id || strcmp(id, c->id) != 0)
			continue;
		if (json_object_object_get_ex(e, "Names", &names) &&
		    json_object_is_type(names, json_type_array) &&
		    json_object_array_length(names) > 0) {
			struct json_object *n0 = json_object_array_get_idx(names, 0);

			if (json_object_is_type(n0, json_type_string))
				docker_name(c, json_object_get_string(n0));
		}
		if (json_object_object_get_ex(e, "Labels", &labels))
			kube_names(labels, c, NULL, 0);
		r = 0;
		break;
	}
	json_object_put(o);
	return r;
}

int
container_parse_podman_list(const char *json, struct container_id *c)
{
	struct json_object *o = json_tokener_parse(json);
	int r = -ENOENT;

	if (!o)
		return -EINVAL;
	if (!json_object_is_type(o, json_type_array)) {
		json_object_put(o);
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(o); i++) {
		struct json_object *e = json_object_array_get_idx(o, i), *names;
		const char *id = jget_str(e, "id");

		if (!id || strcmp(id, c->id) != 0)
			continue;
		if (json_object_object_get_ex(e, "names", &names) &&
		    json_object_is_type(names, json_type_array) &&
		    json_object_array_length(names) > 0) {
			struct json_object *n0 = json_object_array_get_idx(names, 0);

			if (json_object_is_type(n0, json_type_string))
				set_str(c->name, sizeof(c->name), json_object_get_string(n0));
		}
		r = 0;
		break;
	}
	json_object_put(o);
	return r;
}

int
container_parse_oci_config(const char *json, struct container_id *c, char *pod_uid,
			   size_t pod_uid_sz)
{
	struct json_object *o = json_tokener_parse(json), *a;
	int r = -ENOENT;

	if (!o)
		return -EINVAL;
	if (json_object_object_get_ex(o, "annotations", &a) &&
	    json_object_is_type(a, json_type_object)) {
		kube_names(a, c, pod_uid, pod_uid_sz);
		r = 0;
	}
	json_object_put(o);
	return r;
}

/* The resolver ---------------------------------------------------------- */

struct cache_entry {
	struct cache_entry *next;
	char *path;
	char pod_uid[128];
	unsigned gen; /* the tick it was last asked about */
	struct container_id id;
};

#define CACHE_BUCKETS 1024

struct container_resolver {
	char *root;
	bool use_api;
	char sock[4096]; /* "" when no unix socket is configured */
	unsigned gen;
	bool api_asked; /* this tick */
	char *api_body; /* the last successful answer, NULL if none */
	struct cache_entry *buckets[CACHE_BUCKETS];
};

static size_t
hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)(h % CACHE_BUCKETS);
}

struct container_resolver *
container_resolver_new(const char *root, bool use_api)
{
	struct container_resolver *r = xcalloc(1, sizeof(*r));

	r->root = xstrdup(root ? root : "");
	r->use_api = use_api;
	if (r->root[0])
		path_join(r->sock, sizeof(r->sock), r->root, "/var/run/docker.sock");
	else if (docker_socket_path(secure_getenv("DOCKER_HOST"), r->sock, sizeof(r->sock)) < 0)
		r->sock[0] = '\0';
	return r;
}

void
container_resolver_free(struct container_resolver *r)
{
	if (!r)
		return;
	for (size_t b = 0; b < CACHE_BUCKETS; b++) {
		struct cache_entry *e = r->buckets[b], *n;

		for (; e; e = n) {
			n = e->next;
			free(e->path);
			free(e);
		}
	}
	free(r->api_body);
	free(r->root);
	free(r);
}

void
container_resolver_begin(struct container_resolver *r)
{
	r->gen++;
	r->api_asked = false;
}

void
container_resolver_end(struct container_resolver *r)
{
	for (size_t b = 0; b < CACHE_BUCKETS; b++) {
		struct cache_entry **pp = &r->buckets[b];

		while (*pp) {
			struct cache_entry *e = *pp;

			if (e->gen != r->gen) {
				*pp = e->next;
				free(e->path);
				free(e);
			} else {
				pp = &e->next;
			}
		}
	}
}

/*
 * GET /containers/json?all=1 from the Docker Engine, bounded by
 * DOCKER_API_TIMEOUT_MS.  Returns the body (to free) or NULL.
 */
static char *
docker_api_list(const char *sock)
{
	char why[512], *body = NULL;
	long status = 0;

	if (!sock[0])
		return NULL;
	if (docker_request(sock, DOCKER_API_TIMEOUT_MS, "GET", "/containers/json?all=1", NULL,
			   &status, &body, NULL, why, sizeof(why)) < 0)
		return NULL;
	if (status != 200) {
		free(body);
		return NULL;
	}
	return body;
}

/* A whole metadata file under the root, or NULL. */
static char *
read_meta(const struct container_resolver *r, const char *path)
{
	char full[8192];
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int fd;

	path_join(full, sizeof(full), r->root, path);
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	n = read_fd_all(fd, &buf, &cap, META_FILE_MAX);
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool
resolve_docker(struct container_resolver *r, struct container_id *c)
{
	char path[512];
	char *json;
	bool ok = false;

	if (r->use_api && !r->api_asked) {
		char *body = docker_api_list(r->sock);

		r->api_asked = true;
		if (body) {
			free(r->api_body);
			r->api_body = body;
		}
	}
	if (r->api_body && container_parse_docker_list(r->api_body, c) == 0)
		return true;
	snprintf(path, sizeof(path), "/var/lib/docker/containers/%s/config.v2.json", c->id);
	json = read_meta(r, path);
	if (json) {
		ok = container_parse_docker_config(json, c) == 0;
		free(json);
	}
	return ok;
}

static bool
resolve_podman(struct container_resolver *r, struct container_id *c)
{
	static const char *const lists[] = {
	    "/var/lib/containers/storage/overlay-containers/containers.json",
	    "/var/lib/containers/storage/vfs-containers/containers.json",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		char *json = read_meta(r, lists[i]);
		bool ok;

		if (!json)
			continue;
		ok = container_parse_podman_list(json, c) == 0;
		free(json);
		if (ok)
			return true;
	}
	return false;
}

/* containerd's task bundles: <task dir>/<namespace>/<id>/config.json. */
static bool
resolve_containerd(struct container_resolver *r, struct container_id *c, char *uid, size_t uidsz)
{
	static const char *const tasks[] = {
	    "/run/containerd/io.containerd.runtime.v2.task",
	    "/run/containerd/io.containerd.runtime.v1.linux",
	};

	for (size_t i = 0; i < ARRAY_SIZE(tasks); i++) {
		char dir[4096];
		struct dirent *de;
		DIR *d;

		path_join(dir, sizeof(dir), r->root, tasks[i]);
		d = opendir(dir);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			char path[1024];
			char *json;
			bool ok;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s/config.json", tasks[i], de->d_name,
				 c->id);
			json = read_meta(r, path);
			if (!json)
				continue;
			ok = container_parse_oci_config(json, c, uid, uidsz) == 0;
			free(json);
			if (ok) {
				closedir(d);
				return true;
			}
		}
		closedir(d);
	}
	return false;
}

static bool
resolve_crio(struct container_resolver *r, struct container_id *c, char *uid, size_t uidsz)
{
	static const char *const roots[] = {
	    "/run/containers/storage/overlay-containers",
	    "/var/lib/containers/storage/overlay-containers",
	};

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		char path[1024];
		char *json;
		bool ok;

		snprintf(path, sizeof(path), "%s/%s/userdata/config.json", roots[i], c->id);
		json = read_meta(r, path);
		if (!json)
			continue;
		ok = container_parse_oci_config(json, c, uid, uidsz) == 0;
		free(json);
		if (ok)
			return true;
	}
	return false;
}

/* A pod's own cgroup: its name from a container of the same pod already resolved. */
static void
fill_pod(struct container_resolver *r, struct cache_entry *pe)
{
	for (size_t b = 0; b < CACHE_BUCKETS; b++)
		for (struct cache_entry *e = r->buckets[b]; e; e = e->next)
			if (e != pe && !e->id.pod_level && e->id.pod[0] &&
			    strcmp(e->pod_uid, pe->id.id) == 0) {
				set_str(pe->id.pod, sizeof(pe->id.pod), e->id.pod);
				set_str(pe->id.ns, sizeof(pe->id.ns), e->id.ns);
				set_str(pe->id.name, sizeof(pe->id.name), e->id.pod);
				return;
			}
}

/* Ask the runtimes' metadata about a new cgroup. */
static void
lookup(struct container_resolver *r, struct cache_entry *e)
{
	struct container_id *c = &e->id;

	switch (c->runtime) {
	case CT_DOCKER:
		resolve_docker(r, c);
		break;
	case CT_PODMAN:
		resolve_podman(r, c);
		break;
	case CT_CONTAINERD:
		resolve_containerd(r, c, e->pod_uid, sizeof(e->pod_uid));
		break;
	case CT_CRIO:
		if (!resolve_crio(r, c, e->pod_uid, sizeof(e->pod_uid)))
			resolve_containerd(r, c, e->pod_uid, sizeof(e->pod_uid));
		break;
	case CT_KUBERNETES:
		if (c->pod_level)
			break;
		if (resolve_containerd(r, c, e->pod_uid, sizeof(e->pod_uid)))
			c->runtime = CT_CONTAINERD;
		else if (resolve_crio(r, c, e->pod_uid, sizeof(e->pod_uid)))
			c->runtime = CT_CRIO;
		else if (resolve_docker(r, c))
			c->runtime = CT_DOCKER;
		break;
	case CT_UNKNOWN:
		if (resolve_docker(r, c))
			c->runtime = CT_DOCKER;
		else if (resolve_podman(r, c))
			c->runtime = CT_PODMAN;
		else if (resolve_containerd(r, c, e->pod_uid, sizeof(e->pod_uid)))
			c->runtime = CT_CONTAINERD;
		break;
	default:
		break;
	}
}

const struct container_id *
container_resolve(struct container_resolver *r, const char *path)
{
	size_t b = hash_path(path);
	struct cache_entry *e;

	for (e = r->buckets[b]; e; e = e->next)
		if (strcmp(e->path, path) == 0)
			break;
	if (!e) {
		char uid[128];

		e = xcalloc(1, sizeof(*e));
		e->path = xstrdup(path);
		if (container_parse_path(path, &e->id, uid, sizeof(uid)) == 0) {
			set_str(e->pod_uid, sizeof(e->pod_uid), uid);
			lookup(r, e);
		}
		e->next = r->buckets[b];
		r->buckets[b] = e;
	}
	e->gen = r->gen;
	if (e->id.pod_level && !e->id.pod[0])
		fill_pod(r, e);
	return &e->id;
}

void
container_attach(struct container_resolver *r, struct snapshot *s)
{
	size_t n = 0, cap = 16;
	int *cg_idx = xmalloc((s->n_cgroups ? s->n_cgroups : 1) * sizeof(*cg_idx));
	int *proc_idx = xmalloc((s->n_procs ? s->n_procs : 1) * sizeof(*proc_idx));
	struct container_id *arr = xmalloc(cap * sizeof(*arr));

	/* Indexes first: the array moves while it grows. */
	for (size_t i = 0; i < s->n_cgroups; i++) {
		const struct container_id *c = container_resolve(r, s->cgroups[i].path);

		cg_idx[i] = -1;
		if (c->runtime == CT_NONE)
			continue;
		if (n == cap) {
			cap *= 2;
			arr = xrealloc(arr, cap * sizeof(*arr));
		}
		arr[n] = *c;
		cg_idx[i] = (int)n++;
	}
	for (size_t i = 0; i < s->n_procs; i++) {
		const struct proc *p = &s->procs[i];
		const struct container_id *c;

		proc_idx[i] = -1;
		if (p->cg >= 0 && (size_t)p->cg < s->n_cgroups) {
			proc_idx[i] = cg_idx[p->cg];
			continue;
		}
		if (!p->cgroup)
			continue;
		c = container_resolve(r, p->cgroup);
		if (c->runtime == CT_NONE)
			continue;
		if (n == cap) {
			cap *= 2;
			arr = xrealloc(arr, cap * sizeof(*arr));
		}
		arr[n] = *c;
		proc_idx[i] = (int)n++;
	}
	s->containers = arr;
	s->n_containers = n;
	for (size_t i = 0; i < s->n_cgroups; i++)
		s->cgroups[i].container = cg_idx[i] >= 0 ? &arr[cg_idx[i]] : NULL;
	for (size_t i = 0; i < s->n_procs; i++)
		s->procs[i].container = proc_idx[i] >= 0 ? &arr[proc_idx[i]] : NULL;
	free(cg_idx);
	free(proc_idx);
}
