/*
 * docker.c - the Docker Engine API client of the actions module: plain
 * HTTP/1.0 over the engine's unix socket (the engine closes the connection
 * after each answer, so there is no chunking or keep-alive to handle),
 * json-c for the bodies.  It owns the requests and their parsing; it decides
 * nothing about what to change (actions.c does) and never hangs: one
 * deadline covers connect, send and receive.
 */
#include "config.h"

#include "docker.h"

#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define BODY_MAX (1u << 20) /* an inspect body is a few kB: refuse anything huge */
/* Docker's container names ([a-zA-Z0-9][a-zA-Z0-9_.-]*) and ids: nothing to escape in a URL. */
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

struct body {
	char *buf; /* the body only, NUL-terminated */
	size_t len;
};

int
docker_socket_path(const char *host, char *out, size_t outsz)
{
	const char *p;

	if (!host || !*host)
		host = "unix:///var/run/docker.sock";
	if (strncmp(host, "unix://", 7) != 0)
		return -EPROTONOSUPPORT;
	p = host + 7;
	if (*p != '/')
		return -EINVAL;
	if ((size_t)snprintf(out, outsz, "%s", p) >= outsz)
		return -ENAMETOOLONG;
	return 0;
}

/* The engine's {"message": "..."} of an error response, or the HTTP status. */
static void
engine_message(const struct body *b, long status, char *why, size_t whysz)
{
	struct json_object *o = b->buf ? json_tokener_parse(b->buf) : NULL;
	struct json_object *m;

	if (o && json_object_object_get_ex(o, "message", &m) &&
	    json_object_is_type(m, json_type_string))
		snprintf(why, whysz, "Docker Engine: %s", json_object_get_string(m));
	else
		snprintf(why, whysz, "Docker Engine: HTTP status %ld", status);
	json_object_put(o);
}

/* Milliseconds left until deadline (CLOCK_MONOTONIC), at least 0. */
static int
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	double d;

	clock_gettime(CLOCK_MONOTONIC, &now);
	d = timespec_diff(deadline, &now) * 1000.0;
	return d <= 0 ? 0 : d > 600000 ? 600000 : (int)d;
}

/* Wait until fd is ready for events, or the deadline passes (-ETIMEDOUT). */
static int
wait_fd(int fd, short events, const struct timespec *deadline)
{
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = events};
		int left = ms_left(deadline);
		int r;

		if (left == 0)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		return 0;
	}
}

/*
 * Split a whole HTTP/1.0 response: the status code, and the body moved to
 * the start of buf.  Chunked bodies are refused (an HTTP/1.0 client never
 * gets one).  Pure, for tests.
 */
static int
split_response(char *buf, size_t len, long *status, size_t *body_len)
{
	char *end = NULL, *p;
	long code = 0;

	for (size_t i = 0; i + 3 < len; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
			end = buf + i;
			break;
		}
	if (!end || strncmp(buf, "HTTP/1.", 7) != 0 || len < 12 || buf[8] != ' ')
		return -EPROTO;
	for (p = buf + 9; p < buf + 12; p++) {
		if (*p < '0' || *p > '9')
			return -EPROTO;
		code = code * 10 + (*p - '0');
	}
	*end = '\0';
	/* The header lines, each after a newline: no chunked transfer coding. */
	for (p = strchr(buf, '\n'); p; p = strchr(p + 1, '\n')) {
		const char *line = p + 1, *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);

		if (n > 18 && strncasecmp(line, "transfer-encoding:", 18) == 0 &&
		    memmem(line + 18, n - 18, "chunked", 7))
			return -EPROTO;
	}
	*status = code;
	*body_len = len - (size_t)(end + 4 - buf);
	memmove(buf, end + 4, *body_len);
	buf[*body_len] = '\0';
	return 0;
}

/* One request over the engine's unix socket; the body of the answer in *b.  -errno with why. */
static int
request(const char *host, long timeout_ms, const char *method, const char *path, const char *data,
	struct body *b, long *status, char *why, size_t whysz)
{
	struct sockaddr_un sa;
	struct timespec deadline;
	char sock[sizeof(sa.sun_path)], *req = NULL, *buf = NULL;
	size_t len = 0, cap = 0, reqlen, sent = 0;
	int fd = -1, r, n;

	memset(b, 0, sizeof(*b));
	r = docker_socket_path(host, sock, sizeof(sock));
	if (r < 0) {
		snprintf(why, whysz, "DOCKER_HOST %s: only unix:// sockets are supported", host);
		return r;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	if (timeout_ms <= 0)
		timeout_ms = 5000;
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}

	n = snprintf(NULL, 0,
		     "%s %s HTTP/1.0\r\nHost: docker\r\nUser-Agent: oomlens/%s\r\n"
		     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		     method, path, PACKAGE_VERSION, data ? strlen(data) : 0, data ? data : "");
	req = xmalloc((size_t)n + 1);
	snprintf(req, (size_t)n + 1,
		 "%s %s HTTP/1.0\r\nHost: docker\r\nUser-Agent: oomlens/%s\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		 method, path, PACKAGE_VERSION, data ? strlen(data) : 0, data ? data : "");
	reqlen = (size_t)n;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		goto fail;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EINPROGRESS && errno != EAGAIN) {
			r = -errno;
			goto fail;
		}
		r = wait_fd(fd, POLLOUT, &deadline);
		if (r < 0)
			goto fail;
	}
	while (sent < reqlen) {
		ssize_t w = send(fd, req + sent, reqlen - sent, MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			r = wait_fd(fd, POLLOUT, &deadline);
			if (r < 0)
				goto fail;
			continue;
		}
		if (w < 0) {
			r = -errno;
			goto fail;
		}
		sent += (size_t)w;
	}
	/* HTTP/1.0: the engine closes the connection after the answer. */
	for (;;) {
		ssize_t got;

		if (cap - len < 4096) {
			if (cap >= BODY_MAX) {
				r = -EMSGSIZE;
				goto fail;
			}
			cap = cap ? cap * 2 : 16384;
			buf = xrealloc(buf, cap + 1);
		}
		got = recv(fd, buf + len, cap - len, 0);
		if (got < 0 && (errno == EAGAIN || errno == EINTR)) {
			r = wait_fd(fd, POLLIN, &deadline);
			if (r < 0)
				goto fail;
			continue;
		}
		if (got < 0) {
			r = -errno;
			goto fail;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	buf[len] = '\0';
	r = split_response(buf, len, status, &b->len);
	if (r < 0)
		goto fail;
	b->buf = buf;
	close(fd);
	free(req);
	return 0;

fail:
	if (r == -EMSGSIZE)
		snprintf(why, whysz, "Docker Engine at unix://%s: answer too large", sock);
	else if (r == -EPROTO)
		snprintf(why, whysz, "Docker Engine at unix://%s: not an HTTP/1.0 answer", sock);
	else if (r == -ETIMEDOUT)
		snprintf(why, whysz, "Docker Engine at unix://%s: no answer within %ld ms", sock,
			 timeout_ms);
	else
		snprintf(why, whysz, "Docker Engine at unix://%s: %s", sock, strerror(-r));
	if (fd >= 0)
		close(fd);
	free(req);
	free(buf);
	return r;
}

static int64_t
get_i64(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_int64(v);
}

int
docker_parse_inspect(const char *body, struct docker_info *out)
{
	struct json_object *o = json_tokener_parse(body);
	struct json_object *v, *st = NULL, *hc = NULL;
	const char *s;

	memset(out, 0, sizeof(*out));
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(o, "Id", &v) || !json_object_is_type(v, json_type_string) ||
	    strlen(json_object_get_string(v)) != 64) {
		json_object_put(o);
		return -EINVAL;
	}
	snprintf(out->id, sizeof(out->id), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(o, "Name", &v) && json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		snprintf(out->name, sizeof(out->name), "%s", *s == '/' ? s + 1 : s);
	}
	json_object_object_get_ex(o, "State", &st);
	json_object_object_get_ex(o, "HostConfig", &hc);
	if (st && json_object_object_get_ex(st, "Running", &v))
		out->running = json_object_get_boolean(v);
	out->pid = (pid_t)get_i64(st, "Pid");
	out->memory = get_i64(hc, "Memory");
	out->memory_swap = get_i64(hc, "MemorySwap");
	out->memory_reservation = get_i64(hc, "MemoryReservation");
	out->kernel_memory = get_i64(hc, "KernelMemory");
	json_object_put(o);
	return 0;
}

int
docker_inspect(const char *host, long timeout_ms, const char *name, struct docker_info *out,
	       char *why, size_t whysz)
{
	char path[1024];
	struct body b;
	long status = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (!*name || strlen(name) > 200 || strspn(name, NAME_CHARS) != strlen(name)) {
		snprintf(why, whysz, "'%s' is not a container name or id", name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "/containers/%s/json", name);
	r = request(host, timeout_ms, "GET", path, NULL, &b, &status, why, whysz);
	if (r < 0)
		return r;
	if (status == 404) {
		engine_message(&b, status, why, whysz);
		r = -ENOENT;
	} else if (status != 200) {
		engine_message(&b, status, why, whysz);
		r = -EIO;
	} else if (!b.buf || docker_parse_inspect(b.buf, out) < 0) {
		snprintf(why, whysz, "Docker Engine: cannot parse the answer to %s", path);
		r = -EINVAL;
	}
	free(b.buf);
	return r;
}

int
docker_update(const char *host, long timeout_ms, const char *id, const struct docker_update *u,
	      char *why, size_t whysz)
{
	struct json_object *o = json_object_new_object();
	char path[256];
	struct body b;
	long status = 0;
	int r;

	if (strlen(id) != 64 || strspn(id, "0123456789abcdef") != 64) {
		json_object_put(o);
		snprintf(why, whysz, "not a container id: %s", id);
		return -EINVAL;
	}
	if (u->has_memory)
		json_object_object_add(o, "Memory", json_object_new_int64(u->memory));
	if (u->has_memory_swap)
		json_object_object_add(o, "MemorySwap", json_object_new_int64(u->memory_swap));
	if (u->has_memory_reservation)
		json_object_object_add(o, "MemoryReservation",
				       json_object_new_int64(u->memory_reservation));
	if (u->has_kernel_memory)
		json_object_object_add(o, "KernelMemory", json_object_new_int64(u->kernel_memory));
	snprintf(path, sizeof(path), "/containers/%s/update", id);
	r = request(host, timeout_ms, "POST", path,
		    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), &b, &status, why,
		    whysz);
	json_object_put(o);
	if (r < 0)
		return r;
	if (status == 404) {
		engine_message(&b, status, why, whysz);
		r = -ENOENT;
	} else if (status != 200) {
		engine_message(&b, status, why, whysz);
		r = status == 400 || status == 409 ? -EINVAL : -EIO;
	}
	free(b.buf);
	return r;
}
