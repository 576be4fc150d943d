/*
 * util.h - small helpers every module shares: allocation that never returns
 * NULL, reading a kernel file into a buffer, and strict number parsing.
 * Nothing here knows about the model, curses or JSON.
 */
#ifndef OOMLENS_UTIL_H
#define OOMLENS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Out of memory is fatal: run the hook (the UI restores the terminal), print, abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* At most n bytes of s into a fixed field dst of dstsz (> 0) bytes, always NUL-terminated. */
void copy_span(char *dst, size_t dstsz, const char *s, size_t n);
void util_set_fatal_hook(void (*hook)(void));
void util_run_fatal_hook(void);

/*
 * Read a whole (small) file relative to dirfd (AT_FDCWD for a path) into buf,
 * retrying on EINTR and NUL-terminating it.  Returns the number of bytes read,
 * or -errno.  A file larger than size - 1 is truncated; *truncated says so.
 */
ssize_t read_file_at(int dirfd, const char *name, char *buf, size_t size, bool *truncated);

/*
 * Read fd to its end into *buf, which grows as needed (*cap is its size; a
 * NULL *buf with *cap 0 starts one) and is NUL-terminated.  Returns the
 * length, -EFBIG once it would pass max bytes, or -errno.
 */
ssize_t read_fd_all(int fd, char **buf, size_t *cap, size_t max);

/* "root" + "path"; root "" or NULL means the live system. */
void path_join(char *out, size_t outsz, const char *root, const char *path);

/*
 * Strict decimal parsing: leading blanks are skipped, at least one digit is
 * required, and *end (may be NULL) is set past the number.  0 or -EINVAL / -ERANGE.
 */
int parse_u64(const char *s, const char **end, uint64_t *out);
int parse_i64(const char *s, const char **end, int64_t *out);

/* A whole string that is one integer, optionally followed by blanks or a newline. */
int parse_u64_full(const char *s, uint64_t *out);
int parse_i64_full(const char *s, int64_t *out);

/*
 * Non-negative decimal seconds as -d and the config file take them: digits
 * with an optional fraction ("0.5", "2", ".25"), rounded to the microsecond.
 * 0, -EINVAL when s is not such a number, -ERANGE above max.
 */
int parse_seconds(const char *s, double max, double *out);

/* Seconds as parse_seconds() reads them back: fixed-point, at most six decimals, no trailing zeros. */
void format_seconds(char *buf, size_t size, double s);

/* write(2) all of buf, retrying on EINTR and short writes.  0 or -errno. */
int write_full(int fd, const char *buf, size_t len);

/* mkdir -p of the directory that holds path; directories it creates are 0700. */
int make_parent_dirs(const char *path);

/* The value of one hexadecimal digit, or -1. */
int hex_digit(char c);

/*
 * round() (halves away from zero) and ceil() to a whole number, for |x| < 2^52,
 * where a double holds every whole number.  The program does not link libm
 * for three calls: it was 320 kB of its resident memory (doc/performance.md).
 */
int64_t round_i64(double x);
int64_t ceil_i64(double x);

/* Monotonic and wall clock helpers. */
double timespec_diff(const struct timespec *a, const struct timespec *b);

#endif
