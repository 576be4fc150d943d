/*
 * util.c - allocation, file reading and number parsing shared by the core.
 * Functions here return -errno; they never print (except the fatal path) or exit
 * the program on an environment error.
 */
#include "config.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void (*fatal_hook)(void);

void
util_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void
util_run_fatal_hook(void)
{
	void (*h)(void) = fatal_hook;

	fatal_hook = NULL;
	if (h)
		h();
}

static void
oom_abort(size_t n)
{
	util_run_fatal_hook();
	fprintf(stderr, "oomlens: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom_abort(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom_abort(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom_abort(n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
copy_span(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int
parse_seconds(const char *s, double max, double *out)
{
	double x = 0.0, scale = 0.1;
	bool digits = false, dot = false;

	for (const char *p = s; *p; p++) {
		if (*p == '.' && !dot) {
			dot = true;
		} else if (*p >= '0' && *p <= '9') {
			digits = true;
			if (dot) {
				x += (*p - '0') * scale;
				scale /= 10.0;
			} else {
				x = x * 10.0 + (*p - '0');
			}
			if (x > max + 1.0)
				return -ERANGE; /* long before the digits could overflow */
		} else {
			return -EINVAL;
		}
	}
	if (!digits)
		return -EINVAL;
	/* Rounded, so that what format_seconds() writes reads back as the same value. */
	x = (double)round_i64(x * 1e6) / 1e6; /* x <= max + 1: far below 2^52 / 1e6 */
	if (x > max)
		return -ERANGE;
	*out = x;
	return 0;
}

void
format_seconds(char *buf, size_t size, double s)
{
	size_t n;

	snprintf(buf, size, "%.6f", s);
	n = strlen(buf);
	if (!strchr(buf, '.'))
		return;
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
}

ssize_t
read_fd_all(int fd, char **buf, size_t *cap, size_t max)
{
	size_t len = 0;

	for (;;) {
		ssize_t r;

		if (len > max)
			return -EFBIG;
		/* Never more than max + 1 bytes and the NUL: one past max tells "too big". */
		if (!*buf || *cap - len < 2) {
			size_t want = *cap ? *cap * 2 : 65536;

			if (want > max + 2)
				want = max + 2;
			*buf = xrealloc(*buf, want);
			*cap = want;
		}
		r = read(fd, *buf + len, *cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	(*buf)[len] = '\0';
	return (ssize_t)len;
}

ssize_t
read_file_at(int dirfd, const char *name, char *buf, size_t size, bool *truncated)
{
	size_t got = 0;
	int fd;

	if (truncated)
		*truncated = false;
	if (size == 0)
		return -EINVAL;
	do
		fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;

	while (got < size - 1) {
		ssize_t r = read(fd, buf + got, size - 1 - got);

		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			buf[0] = '\0';
			return -e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got == size - 1 && truncated) {
		char c;

		*truncated = read(fd, &c, 1) > 0;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

void
path_join(char *out, size_t outsz, const char *root, const char *path)
{
	if (!root)
		root = "";
	snprintf(out, outsz, "%s%s", root, path);
}

int
parse_u64(const char *s, const char **end, uint64_t *out)
{
	const char *p = s;
	uint64_t v = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	if (end)
		*end = p;
	return 0;
}

int
parse_i64(const char *s, const char **end, int64_t *out)
{
	const char *p = s;
	bool neg = false;
	uint64_t u;
	int r;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	r = parse_u64(p, end, &u);
	if (r < 0)
		return r;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return -ERANGE;
		*out = (int64_t)u;
	}
	return 0;
}

static bool
only_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return *p == '\0';
}

int
parse_u64_full(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int r = parse_u64(s, &end, &v);

	if (r < 0)
		return r;
	if (!only_blanks(end))
		return -EINVAL;
	*out = v;
	return 0;
}

int
parse_i64_full(const char *s, int64_t *out)
{
	const char *end;
	int64_t v;
	int r = parse_i64(s, &end, &v);

	if (r < 0)
		return r;
	if (!only_blanks(end))
		return -EINVAL;
	*out = v;
	return 0;
}

int
write_full(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int
make_parent_dirs(const char *path)
{
	char dir[4096];
	char *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -errno;
		if (c == '\0')
			return 0;
		*p = '/';
	}
}

int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int64_t
round_i64(double x)
{
	int64_t t = (int64_t)x; /* towards zero; x - t is exact below 2^52 */

	if (x - (double)t >= 0.5)
		t++;
	else if (x - (double)t <= -0.5)
		t--;
	return t;
}

int64_t
ceil_i64(double x)
{
	int64_t t = (int64_t)x;

	return x > (double)t ? t + 1 : t;
}

double
timespec_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(a->tv_sec - b->tv_sec) + (double)(a->tv_nsec - b->tv_nsec) / 1e9;
}
