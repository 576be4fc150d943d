/*
 * audit.c - the audit trail of operator actions: one JSON line per attempt
 * in the audit file, and the same record to syslog (LOG_AUTHPRIV).
 *
 * A line is written before its change is made, with the outcome part
 * reserved as "pending" and padded with blanks (JSON whitespace); once the
 * outcome is known, that part is overwritten in place.  So a change whose
 * audit line cannot be written (no space, no permission) is never made, a
 * crash leaves "pending" behind rather than nothing, and each attempt is
 * still exactly one line (doc/actions.md).  It must not decide anything:
 * actions.c says what to record.
 */
#include "config.h"

#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "textsafe.h"
#include "util.h"

struct audit_file {
	int append_fd; /* O_APPEND: new lines, atomically at the end */
	int patch_fd;  /* no O_APPEND: pwrite() of an outcome in place */
};

static const char *
jtext(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* The outcome object's members without braces, shortened until it fits. */
void
audit_format_tail(char *out, const struct audit_step *step)
{
	size_t msg_max = AUDIT_MSG_MAX;

	for (;;) {
		struct json_object *o = json_object_new_object();
		char msg[AUDIT_MSG_MAX];
		const char *t;
		size_t n;

		snprintf(msg, sizeof(msg), "%.*s", (int)msg_max, step->message);
		json_object_object_add(o, "result", json_text(step->result));
		json_object_object_add(o, "errno", json_object_new_int(step->err));
		json_object_object_add(o, "error", json_text(step->err ? strerror(step->err) : ""));
		json_object_object_add(o, "now", json_text(step->now_text));
		json_object_object_add(o, "message", json_text(msg));
		t = jtext(o);
		n = strlen(t);
		/* Strip the braces: the tail continues the head's object. */
		if (n - 2 <= AUDIT_TAIL_LEN || msg_max == 0) {
			size_t k = n - 2 <= AUDIT_TAIL_LEN ? n - 2 : AUDIT_TAIL_LEN;

			memcpy(out, t + 1, k);
			memset(out + k, ' ', AUDIT_TAIL_LEN - k);
			json_object_put(o);
			return;
		}
		json_object_put(o);
		msg_max = msg_max > 32 ? msg_max - 32 : 0;
	}
}

/* RFC 3339, UTC, seconds. */
static void
rfc3339(time_t t, char *out, size_t outsz)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
audit_format(char *buf, size_t bufsz, const struct audit_rec *r, bool pending, size_t *head_len)
{
	const struct audit_step *s = r->step;
	struct json_object *o = json_object_new_object();
	char when[40], user[64];
	struct passwd pw, *res = NULL;
	char pwbuf[1024];
	const char *t;
	size_t n;

	rfc3339(r->time, when, sizeof(when));
	if (getpwuid_r(r->uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res)
		snprintf(user, sizeof(user), "%s", pw.pw_name);
	else
		snprintf(user, sizeof(user), "%u", (unsigned)r->uid);
	json_object_object_add(o, "time", json_text(when));
	json_object_object_add(o, "uid", json_object_new_int64(r->uid));
	json_object_object_add(o, "user", json_text(user));
	json_object_object_add(o, "action", json_text(r->action));
	json_object_object_add(o, "target", json_text(r->target));
	if (s->pid > 0) {
		json_object_object_add(o, "pid", json_object_new_int(s->pid));
		json_object_object_add(o, "start_ticks", json_object_new_uint64(s->start_ticks));
		json_object_object_add(o, "comm", json_text(s->comm));
	} else if (r->comm && *r->comm) {
		json_object_object_add(o, "comm", json_text(r->comm));
	}
	if (r->cgroup && *r->cgroup)
		json_object_object_add(o, "cgroup", json_text(r->cgroup));
	if (r->container && *r->container)
		json_object_object_add(o, "container", json_text(r->container));
	json_object_object_add(o, "setting", json_text(s->setting));
	json_object_object_add(o, "file", json_text(s->file));
	json_object_object_add(o, "via", json_text(s->via_docker ? "docker-api" : "direct"));
	json_object_object_add(o, "old", json_text(s->old_text));
	json_object_object_add(o, "new", json_text(s->new_text));
	t = jtext(o);
	n = strlen(t);
	/* head: the object without its closing brace, then a comma */
	if (n + 1 + AUDIT_TAIL_LEN + 3 > bufsz) {
		json_object_put(o);
		return -ENOSPC;
	}
	memcpy(buf, t, n - 1);
	buf[n - 1] = ',';
	json_object_put(o);
	*head_len = n;
	if (pending) {
		static const char p[] = "\"result\":\"pending\"";

		memcpy(buf + n, p, sizeof(p) - 1);
		memset(buf + n + sizeof(p) - 1, ' ', AUDIT_TAIL_LEN - (sizeof(p) - 1));
	} else {
		audit_format_tail(buf + n, s);
	}
	n += AUDIT_TAIL_LEN;
	buf[n++] = '}';
	buf[n++] = '\n';
	buf[n] = '\0';
	return (int)n;
}

/*
 * The directory of path (its last component in *base), opened one
 * component at a time from "/" (or ".") with O_NOFOLLOW, creating what is
 * missing with mkdirat(): a symlink anywhere on the path fails with ELOOP
 * or ENOTDIR instead of being followed.  An fd, or -errno with why.
 */
static int
open_parent(const char *path, const char **base, char *why, size_t whysz)
{
	char comp[NAME_MAX + 1];
	const char *p = path, *slash;
	int fd, nfd;

	fd = open(path[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((slash = strchr(p, '/')) != NULL) {
		size_t len = (size_t)(slash - p);

		if (len == 0 || (len == 1 && p[0] == '.')) {
			p = slash + 1;
			continue;
		}
		if (len > NAME_MAX || (len == 2 && p[0] == '.' && p[1] == '.')) {
			snprintf(why, whysz, "'..' or an overlong name in the path");
			close(fd);
			return -EINVAL;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && (mkdirat(fd, comp, 0700) == 0 || errno == EEXIST))
			nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			int e = errno;

			snprintf(why, whysz, "%s: directory %.*s: %s",
				 e == ELOOP || e == ENOTDIR
				     ? "a symlink or non-directory on the path"
				     : "cannot open",
				 (int)(slash - path), path, strerror(e));
			close(fd);
			return -e;
		}
		close(fd);
		fd = nfd;
		p = slash + 1;
	}
	*base = p;
	return fd;
}

/* The checks on an opened audit file: 0, or -EPERM with why. */
static int
check_audit_fd(int fd, char *why, size_t whysz)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0) {
		snprintf(why, whysz, "fstat: %s", strerror(errno));
		return -errno;
	}
	if (!S_ISREG(sb.st_mode))
		snprintf(why, whysz, "not a regular file");
	else if (sb.st_uid != geteuid())
		snprintf(why, whysz, "owned by uid %u, not by uid %u that writes it",
			 (unsigned)sb.st_uid, (unsigned)geteuid());
	else if (sb.st_nlink != 1)
		snprintf(why, whysz, "it has %lu hard links", (unsigned long)sb.st_nlink);
	else if (sb.st_mode & 022)
		snprintf(why, whysz, "mode %03o: writable by group or others",
			 (unsigned)(sb.st_mode & 07777));
	else
		return 0;
	return -EPERM;
}

int
audit_open(const char *path, struct audit_file **out, char *why, size_t whysz)
{
	const int flags = O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	struct audit_file *a;
	struct stat s1, s2;
	const char *base = "";
	int r, dfd, fd, fd2;

	*out = NULL;
	snprintf(why, whysz, "no file name");
	if (!path || !*path)
		return -EINVAL;
	dfd = open_parent(path, &base, why, whysz);
	if (dfd < 0)
		return dfd;
	if (!*base) {
		close(dfd);
		snprintf(why, whysz, "a directory, not a file");
		return -EISDIR;
	}
	fd = openat(dfd, base, flags | O_APPEND | O_CREAT, 0600);
	if (fd < 0) {
		r = -errno;
		snprintf(why, whysz, "%s",
			 r == -ELOOP   ? "it is a symlink"
			 : r == -ENXIO ? "it is a FIFO or socket"
				       : strerror(-r));
		close(dfd);
		return r;
	}
	r = check_audit_fd(fd, why, whysz);
	/* The second fd, for completing lines in place, must be the same file. */
	fd2 = r < 0 ? -1 : openat(dfd, base, flags);
	if (r == 0 && fd2 < 0) {
		r = -errno;
		snprintf(why, whysz, "%s", strerror(-r));
	}
	if (r == 0 && (fstat(fd, &s1) < 0 || fstat(fd2, &s2) < 0 || s1.st_dev != s2.st_dev ||
		       s1.st_ino != s2.st_ino)) {
		snprintf(why, whysz, "the file was replaced while it was opened");
		r = -EAGAIN;
	}
	close(dfd);
	if (r < 0) {
		close(fd);
		if (fd2 >= 0)
			close(fd2);
		return r;
	}
	a = xmalloc(sizeof(*a));
	a->append_fd = fd;
	a->patch_fd = fd2;
	*out = a;
	return 0;
}

int
audit_append(struct audit_file *a, const char *line, size_t len, long *off)
{
	ssize_t w;
	off_t end;

	*off = -1;
	do
		w = write(a->append_fd, line, len);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	if ((size_t)w != len) {
		/* A short append leaves a partial line: cut it off again if it is still last. */
		struct stat st;

		end = lseek(a->append_fd, 0, SEEK_CUR);
		if (end >= (off_t)w && fstat(a->patch_fd, &st) == 0 && st.st_size == end &&
		    ftruncate(a->patch_fd, end - w) < 0)
			return -EIO;
		return -ENOSPC;
	}
	/* With O_APPEND the offset is left at the end of our own line, whoever else appends. */
	end = lseek(a->append_fd, 0, SEEK_CUR);
	if (end < 0)
		return -errno;
	*off = (long)(end - (off_t)len);
	if (fsync(a->append_fd) < 0)
		return -errno;
	return 0;
}

int
audit_complete(struct audit_file *a, long off, size_t head_len, const char *tail)
{
	ssize_t w;

	do
		w = pwrite(a->patch_fd, tail, AUDIT_TAIL_LEN, (off_t)off + (off_t)head_len);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	if (w != AUDIT_TAIL_LEN)
		return -EIO;
	if (fsync(a->patch_fd) < 0)
		return -errno;
	return 0;
}

void
audit_close(struct audit_file *a)
{
	if (!a)
		return;
	close(a->append_fd);
	close(a->patch_fd);
	free(a);
}

void
audit_syslog(const struct audit_rec *r)
{
	const struct audit_step *s = r->step;
	char *target = text_escape_dup(r->target ? r->target : "");
	char *file = text_escape_dup(s->file);
	char *msg = text_escape_dup(s->message);

	openlog("oomlens", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	syslog(LOG_NOTICE,
	       "uid=%u %s target=%s setting=%s file=%s old=%s new=%s result=%s errno=%d now=%s%s%s",
	       (unsigned)r->uid, r->action, target, s->setting, file, s->old_text, s->new_text,
	       s->result, s->err, s->now_text[0] ? s->now_text : "-", *msg ? ": " : "", msg);
	closelog();
	free(target);
	free(file);
	free(msg);
}
