/*
 * docker.c - the Docker Engine API client: HTTP over the engine's unix
 * socket through libcurl (docker_request, also used by the container
 * resolver), json-c for the bodies.  It owns the requests and their
 * parsing; it decides nothing about what to change (actions.c does) and
 * never hangs: one timeout covers connect, send and receive, and an answer
 * is capped in size.
 *
 * libcurl is loaded with dlopen() the first time a request is made, not
 * linked: it brings some forty libraries (TLS, IDN, LDAP...) that would cost
 * every oomlens process about 10 MiB of resident memory and 5 ms of start-up,
 * when most runs never speak to a Docker engine (doc/performance.md).
 */
#include "config.h"

#include "docker.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "util.h"

#define BODY_MAX	   ((size_t)8 << 20) /* no answer of the engine we ask for is near this */
#define DEFAULT_TIMEOUT_MS 5000L
#define SOCK_PATH_MAX	   sizeof(((struct sockaddr_un *)0)->sun_path)
/* Docker's container names ([a-zA-Z0-9][a-zA-Z0-9_.-]*) and ids: nothing to escape in a URL. */
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

/* The answer's body as it arrives, NUL-terminated. */
struct sink {
	char *buf;
	size_t len, cap;
	bool too_big;
};

/* The libcurl functions used here, from the library loaded at run time. */
static struct {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
} lc;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_load_error[256]; /* "" once libcurl is loaded and initialised */

/*
 * Load libcurl and initialise it, once: curl_global_init is not safe to
 * race, and the UI may collect in a worker thread.
 */
static void
curl_init(void)
{
	static const struct {
		const char *name;
		void **fn;
	} syms[] = {
		{ "curl_global_init", (void **)&lc.global_init },
		{ "curl_easy_init", (void **)&lc.easy_init },
		{ "curl_easy_setopt", (void **)&lc.easy_setopt },
		{ "curl_easy_perform", (void **)&lc.easy_perform },
		{ "curl_easy_getinfo", (void **)&lc.easy_getinfo },
		{ "curl_easy_cleanup", (void **)&lc.easy_cleanup },
		{ "curl_easy_strerror", (void **)&lc.easy_strerror },
		{ "curl_slist_append", (void **)&lc.slist_append },
		{ "curl_slist_free_all", (void **)&lc.slist_free_all },
	};
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	const char *e;
	CURLcode rc;

	if (!lib) {
		e = dlerror();
		snprintf(curl_load_error, sizeof(curl_load_error),
			 "cannot load libcurl (Debian package libcurl4): %s", e ? e : "not found");
		return;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		*syms[i].fn = dlsym(lib, syms[i].name);
		if (!*syms[i].fn) {
			snprintf(curl_load_error, sizeof(curl_load_error),
				 "libcurl.so.4 lacks %s", syms[i].name);
			return;
		}
	}
	rc = lc.global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK)
		snprintf(curl_load_error, sizeof(curl_load_error), "libcurl: %s",
			 lc.easy_strerror(rc));
}

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

/* libcurl's write callback: keep at most BODY_MAX bytes, then make the transfer fail. */
static size_t
sink_write(char *data, size_t size, size_t nmemb, void *userp)
{
	struct sink *s = userp;
	size_t n = size * nmemb;

	if (n > BODY_MAX - s->len) {
		s->too_big = true;
		return 0;
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 16384;

		while (cap < s->len + n + 1)
			cap *= 2;
		if (cap > BODY_MAX + 1)
			cap = BODY_MAX + 1;
		s->buf = xrealloc(s->buf, cap);
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return n;
}

/* A failed transfer as -errno, with the reason in why. */
static int
transfer_error(CURL *h, CURLcode rc, const struct sink *s, const char *sock, long timeout_ms,
	       const char *errbuf, char *why, size_t whysz)
{
	const char *msg = errbuf[0] ? errbuf : lc.easy_strerror(rc);
	long oserr = 0;

	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(why, whysz, "Docker Engine at unix://%s: no answer within %ld ms", sock,
			 timeout_ms);
		return -ETIMEDOUT;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (rc == CURLE_WRITE_ERROR && !s->too_big)
			break;
		snprintf(why, whysz, "Docker Engine at unix://%s: answer larger than %zu MiB", sock,
			 BODY_MAX >> 20);
		return -EMSGSIZE;
	case CURLE_COULDNT_CONNECT:
		lc.easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
		if (oserr <= 0)
			oserr = ECONNREFUSED;
		snprintf(why, whysz, "Docker Engine at unix://%s: %s", sock, strerror((int)oserr));
		return -(int)oserr;
	case CURLE_OUT_OF_MEMORY:
		snprintf(why, whysz, "Docker Engine at unix://%s: out of memory", sock);
		return -ENOMEM;
	case CURLE_GOT_NOTHING:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
		snprintf(why, whysz, "Docker Engine at unix://%s: %s", sock, msg);
		return -EPROTO;
	default:
		break;
	}
	snprintf(why, whysz, "Docker Engine at unix://%s: %s", sock, msg);
	return -EIO;
}

int
docker_request(const char *sock_path, long timeout_ms, const char *method, const char *path,
	       const char *json_body, long *status, char **body, size_t *body_len, char *why,
	       size_t whysz)
{
	char url[2048], errbuf[CURL_ERROR_SIZE] = "";
	struct sink s = {0};
	struct curl_slist *hdrs = NULL;
	struct stat st;
	CURLcode rc;
	bool post = json_body || strcmp(method, "POST") == 0;
	CURL *h;
	int r = 0;

	*status = 0;
	if (body)
		*body = NULL;
	if (body_len)
		*body_len = 0;
	if (timeout_ms <= 0)
		timeout_ms = DEFAULT_TIMEOUT_MS;
	if (!sock_path[0] || strlen(sock_path) >= SOCK_PATH_MAX) {
		snprintf(why, whysz, "Docker Engine socket '%s': not a usable unix socket path",
			 sock_path);
		return sock_path[0] ? -ENAMETOOLONG : -EINVAL;
	}
	if (path[0] != '/' ||
	    (size_t)snprintf(url, sizeof(url), "http://localhost%s", path) >= sizeof(url)) {
		snprintf(why, whysz, "Docker Engine: bad request path '%s'", path);
		return -EINVAL;
	}
	/* No engine, no need for libcurl: say so without loading it. */
	if (stat(sock_path, &st) < 0) {
		int e = errno;

		snprintf(why, whysz, "Docker Engine at unix://%s: %s", sock_path, strerror(e));
		return -e;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(why, whysz, "Docker Engine at unix://%s: not a socket", sock_path);
		return -ENOTSOCK;
	}
	pthread_once(&curl_once, curl_init);
	if (curl_load_error[0]) {
		snprintf(why, whysz, "%s", curl_load_error);
		return -ELIBACC;
	}
	h = lc.easy_init();
	if (!h) {
		snprintf(why, whysz, "libcurl: cannot create a transfer");
		return -ENOMEM;
	}
	hdrs = lc.slist_append(hdrs, "Expect:");
	if (json_body)
		hdrs = lc.slist_append(hdrs, "Content-Type: application/json");
	lc.easy_setopt(h, CURLOPT_URL, url);
	lc.easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, sock_path);
	lc.easy_setopt(h, CURLOPT_PROXY, "");
	lc.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	lc.easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	lc.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	lc.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	lc.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)BODY_MAX);
	lc.easy_setopt(h, CURLOPT_USERAGENT, "oomlens/" PACKAGE_VERSION);
	lc.easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	lc.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	lc.easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
	lc.easy_setopt(h, CURLOPT_WRITEDATA, &s);
	if (post) {
		lc.easy_setopt(h, CURLOPT_POSTFIELDS, json_body ? json_body : "");
		lc.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(json_body ? strlen(json_body) : 0));
	}
	/* GET and POST are libcurl's own; anything else (DELETE, PUT) by name. */
	if (strcmp(method, post ? "POST" : "GET") != 0)
		lc.easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);

	rc = lc.easy_perform(h);
	if (rc != CURLE_OK) {
		r = transfer_error(h, rc, &s, sock_path, timeout_ms, errbuf, why, whysz);
		free(s.buf);
	} else {
		lc.easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
		if (!s.buf)
			s.buf = xstrdup("");
		if (body_len)
			*body_len = s.len;
		if (body)
			*body = s.buf;
		else
			free(s.buf);
	}
	lc.easy_cleanup(h);
	lc.slist_free_all(hdrs);
	return r;
}

/* The socket of DOCKER_HOST host, or -errno with why. */
static int
host_socket(const char *host, char *sock, size_t socksz, char *why, size_t whysz)
{
	int r = docker_socket_path(host, sock, socksz);

	if (r < 0)
		snprintf(why, whysz, "DOCKER_HOST %s: only unix:// sockets are supported", host);
	return r;
}

/* The engine's {"message": "..."} of an error response, or the HTTP status. */
static void
engine_message(const char *body, long status, char *why, size_t whysz)
{
	struct json_object *o = body ? json_tokener_parse(body) : NULL;
	struct json_object *m;

	if (o && json_object_object_get_ex(o, "message", &m) &&
	    json_object_is_type(m, json_type_string))
		snprintf(why, whysz, "Docker Engine: %s", json_object_get_string(m));
	else
		snprintf(why, whysz, "Docker Engine: HTTP status %ld", status);
	json_object_put(o);
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

bool
docker_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n <= 200 && isalnum((unsigned char)name[0]) &&
	       strspn(name, NAME_CHARS) == n;
}

int
docker_inspect(const char *host, long timeout_ms, const char *name, struct docker_info *out,
	       char *why, size_t whysz)
{
	char path[1024], sock[SOCK_PATH_MAX], *body = NULL;
	long status = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (!docker_name_ok(name)) {
		snprintf(why, whysz, "'%s' is not a container name or id", name);
		return -EINVAL;
	}
	r = host_socket(host, sock, sizeof(sock), why, whysz);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "/containers/%s/json", name);
	r = docker_request(sock, timeout_ms, "GET", path, NULL, &status, &body, NULL, why, whysz);
	if (r < 0)
		return r;
	if (status == 404) {
		engine_message(body, status, why, whysz);
		r = -ENOENT;
	} else if (status != 200) {
		engine_message(body, status, why, whysz);
		r = -EIO;
	} else if (docker_parse_inspect(body, out) < 0) {
		snprintf(why, whysz, "Docker Engine: cannot parse the answer to %s", path);
		r = -EINVAL;
	}
	free(body);
	return r;
}

int
docker_update(const char *host, long timeout_ms, const char *id, const struct docker_update *u,
	      char *why, size_t whysz)
{
	struct json_object *o;
	char path[256], sock[SOCK_PATH_MAX], *body = NULL;
	long status = 0;
	int r;

	if (strlen(id) != 64 || strspn(id, "0123456789abcdef") != 64) {
		snprintf(why, whysz, "not a container id: %s", id);
		return -EINVAL;
	}
	r = host_socket(host, sock, sizeof(sock), why, whysz);
	if (r < 0)
		return r;
	o = json_object_new_object();
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
	r = docker_request(sock, timeout_ms, "POST", path,
			   json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), &status,
			   &body, NULL, why, whysz);
	json_object_put(o);
	if (r < 0)
		return r;
	if (status == 404) {
		engine_message(body, status, why, whysz);
		r = -ENOENT;
	} else if (status != 200) {
		engine_message(body, status, why, whysz);
		r = status == 400 || status == 409 ? -EINVAL : -EIO;
	}
	free(body);
	return r;
}
