/*
 * record.c - appends snapshots to a recording (record.h has the format).
 *
 * Each line goes out in one write(2) on an O_APPEND descriptor, so a crash
 * leaves at most one short last line, which the replay skips; the next
 * record_open() ends that line before it appends.  This is the operator's
 * own file, not a change to the system, and nothing else is written.
 */
#include "config.h"

#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "output.h"
#include "util.h"

struct recorder {
	int fd;
	char *path;
};

/* The serialisation --format json uses, so a recorded line is what the batch run printed. */
#define RECORD_JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

int
record_parse_header(const char *buf, size_t len, int *format)
{
	const char *nl = memchr(buf, '\n', len);
	json_tokener *tok;
	json_object *o, *v;
	int r = -EINVAL;

	if (nl)
		len = (size_t)(nl - buf);
	if (len == 0 || len > 65536 || buf[0] != '{')
		return -EINVAL;
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (o && json_tokener_get_parse_end(tok) == len &&
	    json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, "oomlens_recording", &v) &&
	    json_object_is_type(v, json_type_int) && json_object_get_int64(v) > 0 &&
	    json_object_get_int64(v) < 1000) {
		*format = (int)json_object_get_int64(v);
		r = 0;
	}
	json_object_put(o);
	json_tokener_free(tok);
	return r;
}

/* The header line: format, version, schema, this host's name and the time. */
static char *
header_line(void)
{
	json_object *h = json_object_new_object();
	struct utsname u;
	struct timespec now;
	struct tm tm;
	char t[32] = "1970-01-01T00:00:00Z";
	char *line;

	clock_gettime(CLOCK_REALTIME, &now);
	if (gmtime_r(&now.tv_sec, &tm))
		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(h, "oomlens_recording", json_object_new_int(RECORD_FORMAT));
	json_object_object_add(h, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(h, "schema", json_object_new_int(1));
	json_object_object_add(h, "hostname",
			       uname(&u) == 0 ? json_object_new_string(u.nodename) : NULL);
	json_object_object_add(h, "created", json_object_new_string(t));
	line = xmalloc(strlen(json_object_to_json_string_ext(h, RECORD_JSON_FLAGS)) + 2);
	strcpy(line, json_object_to_json_string_ext(h, RECORD_JSON_FLAGS));
	strcat(line, "\n");
	json_object_put(h);
	return line;
}

/* An existing file: it must start with a header; end a cut-off last line. */
static int
check_existing(int fd, off_t size)
{
	char buf[4096], last;
	ssize_t n;
	int format;

	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return -errno;
	if (record_parse_header(buf, (size_t)n, &format) < 0 || format != RECORD_FORMAT)
		return -EINVAL;
	if (pread(fd, &last, 1, size - 1) != 1)
		return -EIO;
	return last == '\n' ? 0 : write_full(fd, "\n", 1);
}

int
record_open(const char *path, struct recorder **out)
{
	struct recorder *r;
	struct stat st;
	int fd, err;

	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		goto fail;
	}
	if (st.st_size > 0) {
		err = check_existing(fd, st.st_size);
	} else {
		char *h = header_line();

		err = write_full(fd, h, strlen(h));
		free(h);
	}
	if (err < 0)
		goto fail;
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	r->path = xstrdup(path);
	*out = r;
	return 0;
fail:
	close(fd);
	return err;
}

int
record_append(struct recorder *r, const struct snapshot *s)
{
	json_object *j = snapshot_to_json(s);
	const char *text = json_object_to_json_string_ext(j, RECORD_JSON_FLAGS);
	size_t len = strlen(text);
	char *line = xmalloc(len + 1);
	int err;

	memcpy(line, text, len);
	line[len] = '\n';
	json_object_put(j);
	err = write_full(r->fd, line, len + 1);
	free(line);
	return err;
}

const char *
record_path(const struct recorder *r)
{
	return r->path;
}

int
record_close(struct recorder *r)
{
	int err = 0;

	if (!r)
		return 0;
	if (close(r->fd) < 0)
		err = -errno;
	free(r->path);
	free(r);
	return err;
}
