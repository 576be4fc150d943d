/*
 * docker.h - a small client of the Docker Engine API over its unix socket,
 * through libcurl: one request function (the container resolver lists
 * containers with it), and for the actions module, look a container up by
 * name or id and update its memory limits the way `docker update` does, so
 * that the change persists.  Never hangs: every request has a timeout.
 */
#ifndef OOMLENS_DOCKER_H
#define OOMLENS_DOCKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct docker_info {
	char id[65];
	char name[256]; /* without the leading "/" */
	pid_t pid;	/* 0 when not running */
	bool running;
	int64_t memory, memory_swap, memory_reservation, kernel_memory; /* HostConfig; 0 = unset */
};

/* A field below 0 other than memory_swap's -1 is "not given". */
struct docker_update {
	int64_t memory, memory_swap, memory_reservation, kernel_memory;
	bool has_memory, has_memory_swap, has_memory_reservation, has_kernel_memory;
};

/*
 * One request to the engine at the unix socket sock_path (path like
 * "/containers/json", json_body NULL for none), the whole of it (connect,
 * send, receive) bounded by timeout_ms (5000 when <= 0).  On an answer,
 * returns 0 with the HTTP status in *status and the body, NUL-terminated and
 * at most 8 MiB, in *body (to free; body and body_len may be NULL).  Else
 * -errno (-ETIMEDOUT, -EMSGSIZE for a bigger answer, -ECONNREFUSED...) with
 * the reason in why, and *body NULL.  Safe to call from several threads.
 */
int docker_request(const char *sock_path, long timeout_ms, const char *method, const char *path,
		   const char *json_body, long *status, char **body, size_t *body_len, char *why,
		   size_t whysz);

/* The socket path of a DOCKER_HOST value (unix:// only); -EPROTONOSUPPORT for others. */
int docker_socket_path(const char *host, char *out, size_t outsz);

/*
 * Docker's container names and ids: [a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 200
 * bytes.  Anything else (a "..", a "/", a "?") would change the request's
 * path, so it never reaches the engine.
 */
bool docker_name_ok(const char *name);

/* GET /containers/NAME/json (NAME: docker_name_ok()).  -ENOENT when the engine does not know it; other -errno with why. */
int docker_inspect(const char *host, long timeout_ms, const char *name, struct docker_info *out,
		   char *why, size_t whysz);

/* POST /containers/ID/update.  0, or -errno with the engine's message in why. */
int docker_update(const char *host, long timeout_ms, const char *id, const struct docker_update *u,
		  char *why, size_t whysz);

/* Parse an inspect response body (pure, for tests).  0 or -EINVAL. */
int docker_parse_inspect(const char *body, struct docker_info *out);

#endif
