/*
 * test_container.c - container identity: every runtime's cgroup path forms
 * (Docker cgroupfs and systemd, Podman, containerd/Kubernetes, CRI-O, LXC,
 * systemd units, plain cgroups), the metadata parsers on recorded files in
 * data/fixtures/containers, the resolver over that tree (cache, pod names),
 * that a Docker socket that never answers cannot hang oomlens, and the
 * Engine API request itself (docker_request) against a fake engine.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "container.h"
#include "docker.h"
#include "fixture.h"

#define ID_D	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID_P	"1111111111111111111111111111111111111111111111111111111111111111"
#define ID_C	"2222222222222222222222222222222222222222222222222222222222222222"
#define ID_K	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define POD_UID "8a1c2b3d-1111-2222-3333-444455556666"

struct path_case {
	const char *path;
	int runtime;
	const char *id;
	const char *name; /* from the path itself */
	const char *pod_uid;
	bool pod_level;
};

static void
test_paths(void **state)
{
	static const struct path_case cases[] = {
	    {"/docker/" ID_D, CT_DOCKER, ID_D, "", "", false},
	    {"/docker/" ID_D "/", CT_DOCKER, ID_D, "", "", false},
	    {"/system.slice/docker-" ID_D ".scope", CT_DOCKER, ID_D, "", "", false},
	    {"/docker/" ID_D "/docker/" ID_P, CT_DOCKER, ID_P, "", "", false},
	    {"/machine.slice/libpod-" ID_P ".scope", CT_PODMAN, ID_P, "", "", false},
	    {"/machine.slice/libpod-" ID_P ".scope/container", CT_PODMAN, ID_P, "", "", false},
	    {"/libpod_parent/libpod-" ID_P, CT_PODMAN, ID_P, "", "", false},
	    {"/machine.slice/libpod-conmon-" ID_P ".scope", CT_SYSTEMD,
	     "libpod-conmon-" ID_P ".scope", "libpod-conmon-" ID_P ".scope", "", false},
	    {"/kubepods/burstable/pod" POD_UID "/" ID_K, CT_KUBERNETES, ID_K, "", POD_UID, false},
	    {"/kubepods/pod" POD_UID "/" ID_K, CT_KUBERNETES, ID_K, "", POD_UID, false},
	    {"/kubepods/burstable/pod" POD_UID, CT_KUBERNETES, POD_UID, "", POD_UID, true},
	    {"/kubepods.slice/kubepods-burstable.slice/"
	     "kubepods-burstable-pod8a1c2b3d_1111_2222_3333_"
	     "444455556666.slice/cri-containerd-" ID_K ".scope",
	     CT_CONTAINERD, ID_K, "", POD_UID, false},
	    {"/kubepods.slice/kubepods-burstable.slice/"
	     "kubepods-burstable-pod8a1c2b3d_1111_2222_3333_"
	     "444455556666.slice",
	     CT_KUBERNETES, POD_UID, "", POD_UID, true},
	    {"/kubepods.slice/kubepods-pod8a1c2b3d_1111_2222_3333_444455556666.slice/crio-" ID_C
	     ".scope",
	     CT_CRIO, ID_C, "", POD_UID, false},
	    {"/kubepods/besteffort/pod" POD_UID "/crio-" ID_C, CT_CRIO, ID_C, "", POD_UID, false},
	    {"/lxc/web1", CT_LXC, "web1", "web1", "", false},
	    {"/lxc/web1/init.scope", CT_LXC, "web1", "web1", "", false},
	    {"/lxc.payload.db2", CT_LXC, "db2", "db2", "", false},
	    {"/lxc.payload.db2/system.slice/cron.service", CT_LXC, "db2", "db2", "", false},
	    {"/lxc.payload/db3", CT_LXC, "db3", "db3", "", false},
	    {"/system.slice/cron.service", CT_SYSTEMD, "cron.service", "cron.service", "", false},
	    {"/user.slice/user-1000.slice/session-3.scope", CT_SYSTEMD, "session-3.scope",
	     "session-3.scope", "", false},
	    {"/system.slice", CT_SYSTEMD, "system.slice", "system.slice", "", false},
	    {"/oomlens-parent/" ID_D, CT_UNKNOWN, ID_D, "", "", false},
	};
	static const char *const plain[] = {
	    "/",
	    "",
	    "/oomlens-test-1",
	    "/docker",
	    "/docker/abc",
	    "/process_api/6847f31bd0ab17439b7dd1abf0c736d6/oomlens-test-16207",
	    "/pod" POD_UID, /* "pod" outside kubepods is just a name */
	    "/docker-xyz.scopeX",
	};
	struct container_id c;
	char uid[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct path_case *t = &cases[i];

		print_message("%s\n", t->path);
		assert_int_equal(container_parse_path(t->path, &c, uid, sizeof(uid)), 0);
		assert_int_equal(c.runtime, t->runtime);
		assert_string_equal(c.id, t->id);
		assert_string_equal(c.name, t->name);
		assert_string_equal(uid, t->pod_uid);
		assert_int_equal(c.pod_level, t->pod_level);
	}
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		assert_int_equal(container_parse_path(plain[i], &c, uid, sizeof(uid)), -ENOENT);
		assert_int_equal(c.runtime, CT_NONE);
	}
	assert_int_equal(container_parse_path(NULL, &c, NULL, 0), -ENOENT);
	assert_string_equal(container_runtime_name(CT_DOCKER), "docker");
	assert_null(container_runtime_name(CT_NONE));
	assert_null(container_runtime_name(99));
}

static void
test_metadata_parsers(void **state)
{
	struct container_id c;
	char uid[128];
	const char *body;
	const char *resp;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(
	    container_parse_docker_config(
		fixture("fixtures/containers/var/lib/docker/containers/" ID_D "/config.v2.json"),
		&c),
	    0);
	assert_string_equal(c.name, "web-frontend");

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", ID_P);
	assert_int_equal(
	    container_parse_podman_list(fixture("fixtures/containers/var/lib/containers/storage/"
						"overlay-containers/containers.json"),
					&c),
	    0);
	assert_string_equal(c.name, "podman-db");
	snprintf(c.id, sizeof(c.id), "%s", ID_D);
	assert_int_equal(
	    container_parse_podman_list(fixture("fixtures/containers/var/lib/containers/storage/"
						"overlay-containers/containers.json"),
					&c),
	    -ENOENT);

	memset(&c, 0, sizeof(c));
	assert_int_equal(container_parse_oci_config(
			     fixture("fixtures/containers/run/containerd/"
				     "io.containerd.runtime.v2.task/k8s.io/" ID_K "/config.json"),
			     &c, uid, sizeof(uid)),
			 0);
	assert_string_equal(c.name, "api");
	assert_string_equal(c.pod, "shop-api-7d9f8c6b5-x2x4q");
	assert_string_equal(c.ns, "prod");
	assert_string_equal(uid, POD_UID);

	memset(&c, 0, sizeof(c));
	assert_int_equal(
	    container_parse_oci_config(fixture("fixtures/containers/run/containers/storage/"
					       "overlay-containers/" ID_C "/userdata/config.json"),
				       &c, NULL, 0),
	    0);
	assert_string_equal(c.name, "nginx");
	assert_string_equal(c.pod, "frontend-6b8f");
	assert_string_equal(c.ns, "web");

	/* A recorded answer of the engine: its body after the headers. */
	resp = fixture("fixtures/containers/docker-api-response");
	body = strstr(resp, "\r\n\r\n");
	assert_non_null(body);
	body += 4;
	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", ID_D);
	assert_int_equal(container_parse_docker_list(body, &c), 0);
	assert_string_equal(c.name, "api-from-engine");
	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", ID_K);
	assert_int_equal(container_parse_docker_list(body, &c), 0);
	assert_string_equal(c.name, "api"); /* the Kubernetes label wins over k8s_... */
	assert_string_equal(c.pod, "shop-api");

	assert_int_equal(container_parse_docker_config("{not json", &c), -EINVAL);
	assert_int_equal(container_parse_docker_list("{}", &c), -EINVAL);
	assert_int_equal(container_parse_podman_list("[1,2,{\"id\":5}]", &c), -ENOENT);
	assert_int_equal(container_parse_oci_config("{\"annotations\":7}", &c, NULL, 0), -ENOENT);
}

static void
test_resolver(void **state)
{
	char root[4096];
	struct container_resolver *r;
	const struct container_id *c;

	(void)state;
	snprintf(root, sizeof(root), "%s/fixtures/containers", fixture_dir());
	r = container_resolver_new(root, false);
	container_resolver_begin(r);

	c = container_resolve(r, "/docker/" ID_D);
	assert_int_equal(c->runtime, CT_DOCKER);
	assert_string_equal(c->name, "web-frontend");
	assert_string_equal(container_label(c), "web-frontend");

	c = container_resolve(r, "/machine.slice/libpod-" ID_P ".scope/container");
	assert_int_equal(c->runtime, CT_PODMAN);
	assert_string_equal(c->name, "podman-db");

	/* The pod's cgroup first: named once a container of the pod is known. */
	c = container_resolve(r, "/kubepods/burstable/pod" POD_UID);
	assert_true(c->pod_level);
	assert_string_equal(c->pod, "");
	c = container_resolve(r, "/kubepods/burstable/pod" POD_UID "/" ID_K);
	assert_int_equal(c->runtime, CT_CONTAINERD);
	assert_string_equal(c->name, "api");
	assert_string_equal(c->pod, "shop-api-7d9f8c6b5-x2x4q");
	assert_string_equal(c->ns, "prod");
	c = container_resolve(r, "/kubepods/burstable/pod" POD_UID);
	assert_string_equal(c->pod, "shop-api-7d9f8c6b5-x2x4q");
	assert_string_equal(c->ns, "prod");

	c = container_resolve(
	    r, "/kubepods.slice/kubepods-pod77aa88bb_0000_1111_2222_333344445555.slice"
	       "/crio-" ID_C ".scope");
	assert_int_equal(c->runtime, CT_CRIO);
	assert_string_equal(c->name, "nginx");

	/* Unknown to every runtime: the path and short id still show. */
	c = container_resolve(r, "/docker/" ID_P);
	assert_int_equal(c->runtime, CT_DOCKER);
	assert_string_equal(c->name, "");
	assert_string_equal(container_label(c), "111111111111");

	c = container_resolve(r, "/plain");
	assert_int_equal(c->runtime, CT_NONE);
	container_resolver_end(r);
	container_resolver_free(r);
}

/* Attach: cgroups and processes point into the snapshot's own container array. */
static void
test_attach(void **state)
{
	char root[4096];
	struct container_resolver *r;
	struct snapshot s;
	struct cgroup cg[3];
	struct proc pr[3];

	(void)state;
	memset(&s, 0, sizeof(s));
	memset(cg, 0, sizeof(cg));
	memset(pr, 0, sizeof(pr));
	cg[0].path = (char *)"/";
	cg[1].path = (char *)"/docker";
	cg[2].path = (char *)"/docker/" ID_D;
	pr[0].cg = 2;
	pr[1].cg = -1;
	pr[1].cgroup = (char *)"/machine.slice/libpod-" ID_P ".scope";
	pr[2].cg = 0;
	s.cgroups = cg;
	s.n_cgroups = 3;
	s.procs = pr;
	s.n_procs = 3;
	snprintf(root, sizeof(root), "%s/fixtures/containers", fixture_dir());
	r = container_resolver_new(root, false);
	container_resolver_begin(r);
	container_attach(r, &s);
	container_resolver_end(r);
	assert_int_equal(s.n_containers, 2);
	assert_null(cg[0].container);
	assert_null(cg[1].container);
	assert_non_null(cg[2].container);
	assert_string_equal(cg[2].container->name, "web-frontend");
	assert_ptr_equal(pr[0].container, cg[2].container);
	assert_string_equal(pr[1].container->name, "podman-db");
	assert_null(pr[2].container);
	free(s.containers);
	container_resolver_free(r);
}

/* A Docker socket that accepts but never answers costs at most the deadline. */
static void
test_hung_docker_socket(void **state)
{
	char root[] = "/tmp/oomlens-test-sock-XXXXXX";
	char path[4096];
	struct sockaddr_un sa;
	struct container_resolver *r;
	const struct container_id *c;
	struct timespec a, b;
	double secs;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/var", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/var/run", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/var/run/docker.sock", root);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);

	r = container_resolver_new(root, true);
	container_resolver_begin(r);
	clock_gettime(CLOCK_MONOTONIC, &a);
	c = container_resolve(r, "/docker/" ID_D);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_int_equal(c->runtime, CT_DOCKER);
	assert_string_equal(c->name, "");
	assert_true(secs < 1.5);
	assert_true(secs > 0.3); /* it did wait for an answer */
	/* The same tick does not ask again. */
	clock_gettime(CLOCK_MONOTONIC, &a);
	container_resolve(r, "/docker/" ID_P);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	assert_true(secs < 0.2);
	container_resolver_end(r);
	container_resolver_free(r);
	close(fd);
	unlink(path);
	snprintf(path, sizeof(path), "rm -rf %s", root);
	assert_int_equal(system(path), 0);
}

/* A fake engine: one canned answer per connection, in order. */
struct fake_engine {
	int fd;
	const char *const *answers;
	size_t n;
	char request[4096]; /* the last request's head and what came with it */
};

static void *
fake_engine_serve(void *arg)
{
	struct fake_engine *fe = arg;

	for (size_t i = 0; i < fe->n; i++) {
		int c = accept(fe->fd, NULL, NULL);
		size_t len = 0;
		ssize_t n;

		if (c < 0)
			break;
		while (len + 1 < sizeof(fe->request) &&
		       (n = recv(c, fe->request + len, sizeof(fe->request) - 1 - len, 0)) > 0) {
			len += (size_t)n;
			fe->request[len] = '\0';
			if (strstr(fe->request, "\r\n\r\n") &&
			    (!strstr(fe->request, "POST") || strstr(fe->request, "}")))
				break;
		}
		if (strcmp(fe->answers[i], "BIG") == 0) {
			static char chunk[65536];

			memset(chunk, 'x', sizeof(chunk));
			send(c, "HTTP/1.0 200 OK\r\n\r\n", 19, MSG_NOSIGNAL);
			for (int k = 0; k < 160; k++) /* 10 MiB */
				if (send(c, chunk, sizeof(chunk), MSG_NOSIGNAL) < 0)
					break;
		} else {
			send(c, fe->answers[i], strlen(fe->answers[i]), MSG_NOSIGNAL);
		}
		close(c);
	}
	return NULL;
}

static void
test_docker_request(void **state)
{
	static const char *const answers[] = {
	    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
	    "\r\n5\r\n[{\"a\"\r\n4\r\n:1}]\r\n0\r\n\r\n",
	    "HTTP/1.1 404 Not Found\r\nContent-Length: 27\r\nConnection: close\r\n\r\n"
	    "{\"message\":\"No such thing\"}",
	    "HTTP/1.0 200 OK\r\n\r\n{}",
	    "BIG",
	};
	char dir[] = "/tmp/oomlens-test-req-XXXXXX", sock[256], why[512], *body;
	struct fake_engine fe = {.answers = answers, .n = ARRAY_SIZE(answers)};
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timespec a, b;
	pthread_t t;
	size_t len;
	long status;
	int r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/engine.sock", dir);
	fe.fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fe.fd >= 0);
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	assert_int_equal(bind(fe.fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fe.fd, 4), 0);
	assert_int_equal(pthread_create(&t, NULL, fake_engine_serve, &fe), 0);

	/* A chunked HTTP/1.1 answer, reassembled. */
	r = docker_request(sock, 2000, "GET", "/containers/json?all=1", NULL, &status, &body, &len,
			   why, sizeof(why));
	assert_int_equal(r, 0);
	assert_int_equal(status, 200);
	assert_string_equal(body, "[{\"a\":1}]");
	assert_int_equal(len, 9);
	free(body);
	assert_non_null(strstr(fe.request, "GET /containers/json?all=1 HTTP/1.1\r\n"));

	/* An error status is an answer: the caller reads the engine's message. */
	r = docker_request(sock, 2000, "POST", "/containers/x/update", "{\"Memory\":1}", &status,
			   &body, NULL, why, sizeof(why));
	assert_int_equal(r, 0);
	assert_int_equal(status, 404);
	assert_string_equal(body, "{\"message\":\"No such thing\"}");
	free(body);
	assert_non_null(strstr(fe.request, "POST /containers/x/update HTTP/1.1\r\n"));
	assert_non_null(strstr(fe.request, "Content-Type: application/json\r\n"));
	assert_non_null(strstr(fe.request, "\r\n\r\n{\"Memory\":1}"));

	/* HTTP/1.0, the body ended by the close; the body pointer may be NULL. */
	r = docker_request(sock, 2000, "DELETE", "/x", NULL, &status, NULL, &len, why, sizeof(why));
	assert_int_equal(r, 0);
	assert_int_equal(status, 200);
	assert_int_equal(len, 2);
	assert_non_null(strstr(fe.request, "DELETE /x HTTP/1.1\r\n"));

	/* More than 8 MiB: refused, not buffered without end. */
	r = docker_request(sock, 5000, "GET", "/big", NULL, &status, &body, NULL, why, sizeof(why));
	assert_int_equal(r, -EMSGSIZE);
	assert_null(body);
	assert_non_null(strstr(why, "larger than"));
	assert_int_equal(pthread_join(t, NULL), 0);

	/* Nobody accepts now, but the backlog does: a timeout, not a hang. */
	clock_gettime(CLOCK_MONOTONIC, &a);
	r = docker_request(sock, 200, "GET", "/x", NULL, &status, &body, NULL, why, sizeof(why));
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(r, -ETIMEDOUT);
	assert_null(body);
	assert_true((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9 < 1.0);
	close(fe.fd);

	/* No socket at all: the connect's errno. */
	r = docker_request(sock, 200, "GET", "/x", NULL, &status, &body, NULL, why, sizeof(why));
	assert_true(r == -ENOENT || r == -ECONNREFUSED);
	assert_non_null(strstr(why, sock));
	unlink(sock);
	r = docker_request(sock, 200, "GET", "/x", NULL, &status, &body, NULL, why, sizeof(why));
	assert_int_equal(r, -ENOENT);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_metadata_parsers),
	    cmocka_unit_test(test_resolver),
	    cmocka_unit_test(test_attach),
	    cmocka_unit_test(test_hung_docker_socket),
	    cmocka_unit_test(test_docker_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
