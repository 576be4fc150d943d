/*
 * config_file.c - the oomlensrc parser, the search for the file, and the
 * writer that saves the monitor's layout into it (config_file.h).
 *
 * The parser never fails as a whole: a bad line is reported with its
 * number and skipped, and the lines around it still count.  Reasons quote
 * the operator's text only through text_escape(), so a stray escape
 * sequence in the file cannot reach the terminal.
 */
#include "config.h"

#include "config_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "collect.h"
#include "textsafe.h"
#include "util.h"

#define CONFIG_MAX_FILE (1 << 20)
#define CONFIG_MAX_LINE 8192

static const struct {
	const char *name;
	enum config_key key;
} config_keys[] = {
    {"view", CFG_VIEW},
    {"columns", CFG_COLUMNS},
    {"sort", CFG_SORT},
    {"delay", CFG_DELAY},
    {"color", CFG_COLOR},
    {"read_only", CFG_READ_ONLY},
    {"audit_file", CFG_AUDIT_FILE},
    {"docker_socket", CFG_DOCKER_SOCKET},
    {"protect", CFG_PROTECT},
    {"collector", CFG_COLLECTOR},
};

/* The key whose name is s[0..len), or 0. */
static enum config_key
key_of(const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
		if (strlen(config_keys[i].name) == len && memcmp(config_keys[i].name, s, len) == 0)
			return config_keys[i].key;
	return 0;
}

static const char *
key_name(enum config_key k)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
		if (config_keys[i].key == k)
			return config_keys[i].name;
	return "?";
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* yes/no and their usual spellings. */
static bool
parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* A column name: letters, digits, '_', '%', '+' and '-'. */
static bool
column_ok(const char *s, size_t len)
{
	if (len == 0 || len >= CONFIG_COLUMN_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '%' || c == '+' || c == '-'))
			return false;
	}
	return true;
}

/* A comma list of columns into cfg, or a reason. */
static const char *
parse_columns(const char *v, struct config *cfg)
{
	struct config tmp = {.n_columns = 0};
	const char *p = v;

	for (;;) {
		size_t len = strcspn(p, ","), b = 0;

		while (b < len && is_blank(p[b]))
			b++;
		while (len > b && is_blank(p[len - 1]))
			len--;
		if (!column_ok(p + b, len - b))
			return "a column name is empty, too long or has other than letters, "
			       "digits, "
			       "_ % + -";
		if (tmp.n_columns == CONFIG_MAX_COLUMNS)
			return "too many columns";
		memcpy(tmp.columns[tmp.n_columns], p + b, len - b);
		tmp.columns[tmp.n_columns][len - b] = '\0';
		tmp.n_columns++;
		p += strcspn(p, ",");
		if (*p == '\0')
			break;
		p++;
	}
	memcpy(cfg->columns, tmp.columns, sizeof(tmp.columns));
	cfg->n_columns = tmp.n_columns;
	return NULL;
}

/* An absolute path that fits. */
static const char *
parse_path(const char *v, char *out)
{
	if (v[0] != '/')
		return "must be an absolute path";
	if (strlen(v) >= CONFIG_PATH_LEN)
		return "path too long";
	strcpy(out, v);
	return NULL;
}

/* The value of key k into cfg; NULL, or why it is refused (why is a scratch buffer). */
static const char *
set_value(struct config *cfg, enum config_key k, const char *v, char *why, size_t whysz)
{
	char shown[128];
	const char *r = NULL;
	int sk;

	switch (k) {
	case CFG_VIEW:
		if (strcasecmp(v, "processes") == 0)
			cfg->view = CONFIG_VIEW_PROCESSES;
		else if (strcasecmp(v, "containers") == 0)
			cfg->view = CONFIG_VIEW_CONTAINERS;
		else
			r = "view must be processes or containers";
		break;
	case CFG_COLUMNS:
		r = parse_columns(v, cfg);
		break;
	case CFG_SORT:
		sk = sort_key_from_name(v);
		if (sk < 0) {
			text_escape(shown, sizeof(shown), v, strlen(v));
			snprintf(why, whysz, "unknown sort field '%s'", shown);
			r = why;
		} else {
			cfg->sort = (enum sort_key)sk;
		}
		break;
	case CFG_DELAY:
		if (parse_seconds(v, CONFIG_MAX_DELAY, &cfg->delay) < 0)
			r = "delay must be a non-negative number of seconds, at most 1000000";
		break;
	case CFG_COLOR:
		if (!parse_bool(v, &cfg->color))
			r = "color must be yes or no";
		break;
	case CFG_READ_ONLY:
		if (!parse_bool(v, &cfg->read_only))
			r = "read_only must be yes or no";
		break;
	case CFG_COLLECTOR:
		if ((cfg->collector = collect_choice_from_name(v)) < 0)
			r = "collector must be auto, bpf or proc";
		break;
	case CFG_PROTECT:
		if (!parse_bool(v, &cfg->protect))
			r = "protect must be yes or no";
		break;
	case CFG_AUDIT_FILE:
		r = parse_path(v, cfg->audit_file);
		break;
	case CFG_DOCKER_SOCKET:
		r = parse_path(v, cfg->docker_socket);
		break;
	}
	return r;
}

/*
 * One line (without its newline): NULL when it is good, a blank or a
 * comment, else the reason.  why is a scratch buffer for built reasons.
 */
static const char *
parse_line(const char *line, size_t len, struct config *cfg, char *why, size_t whysz)
{
	char value[CONFIG_MAX_LINE + 1], shown[128];
	const char *eq, *p = line, *end = line + len;
	enum config_key k;
	size_t klen, vlen;

	if (memchr(line, '\0', len))
		return "the line holds a NUL byte";
	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p == '#')
		return NULL;
	if (len > CONFIG_MAX_LINE)
		return "line too long";
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq)
		return "expected 'key = value'";
	klen = (size_t)(eq - p);
	while (klen > 0 && is_blank(p[klen - 1]))
		klen--;
	if (klen == 0)
		return "missing key before '='";
	k = key_of(p, klen);
	if (!k) {
		text_escape(shown, sizeof(shown), p, klen);
		snprintf(why, whysz,
			 "unknown key '%s' (known: view, columns, sort, delay, color, read_only, "
			 "audit_file, docker_socket, protect, collector)",
			 shown);
		return why;
	}
	/* The value: trimmed, and cut at a '#' that follows a blank. */
	p = eq + 1;
	while (p < end && is_blank(*p))
		p++;
	vlen = 0;
	while (p + vlen < end && !(p[vlen] == '#' && is_blank(vlen > 0 ? p[vlen - 1] : p[-1])))
		vlen++;
	while (vlen > 0 && is_blank(p[vlen - 1]))
		vlen--;
	if (vlen == 0) {
		snprintf(why, whysz, "missing value for %s", key_name(k));
		return why;
	}
	memcpy(value, p, vlen);
	value[vlen] = '\0';
	{
		struct config next = *cfg;
		const char *r = set_value(&next, k, value, why, whysz);

		if (r)
			return r;
		next.set |= k;
		*cfg = next;
	}
	return NULL;
}

int
config_parse(const char *buf, size_t len, struct config *cfg, config_report_fn *report, void *arg)
{
	char why[512];
	size_t pos = 0;
	unsigned lineno = 0;
	int bad = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		const char *r;

		lineno++;
		r = parse_line(buf + pos, llen, cfg, why, sizeof(why));
		if (r) {
			bad++;
			if (report)
				report(arg, lineno, r);
		}
		pos += llen + (nl ? 1 : 0);
	}
	return bad;
}

int
config_user_path_from(const char *xdg_config_home, const char *home, char *out, size_t outsz)
{
	int n;

	if (xdg_config_home && xdg_config_home[0] == '/')
		n = snprintf(out, outsz, "%s/oomlens/oomlensrc", xdg_config_home);
	else if (home && home[0] == '/')
		n = snprintf(out, outsz, "%s/.config/oomlens/oomlensrc", home);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= outsz ? -ENAMETOOLONG : 0;
}

int
config_user_path(char *out, size_t outsz)
{
	return config_user_path_from(secure_getenv("XDG_CONFIG_HOME"), secure_getenv("HOME"), out,
				     outsz);
}

const char *
config_system_path(void)
{
	return OL_SYSCONFDIR "/oomlens/oomlensrc";
}

/* Where config_load's reports go. */
struct report_to {
	FILE *f;
	const char *path;
};

static void
report_line(void *arg, unsigned line, const char *reason)
{
	struct report_to *rt = arg;

	if (rt->f)
		fprintf(rt->f, "oomlens: %s:%u: %s\n", rt->path, line, reason);
}

/*
 * Whether root may trust the file at canon (a path without symlinks, from
 * realpath()): it and every directory above it owned by root and not
 * writable by group or others (a sticky directory, like /tmp, excepted:
 * nobody else can replace what root put there).  NULL, or why not.
 */
static const char *
root_may_trust(const char *canon, char *why, size_t whysz)
{
	char dir[CONFIG_PATH_LEN];
	struct stat sb;
	size_t len = strlen(canon);

	if (len >= sizeof(dir))
		return "path too long";
	memcpy(dir, canon, len + 1);
	for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
		*slash = '\0';
		if (stat(*dir ? dir : "/", &sb) < 0) {
			snprintf(why, whysz, "cannot check %s: %s", *dir ? dir : "/",
				 strerror(errno));
			return why;
		}
		if (sb.st_uid != 0 || ((sb.st_mode & 022) && !(sb.st_mode & S_ISVTX))) {
			snprintf(
			    why, whysz,
			    "directory %s is owned by uid %u with mode %03o: running as root, "
			    "oomlens reads a config file only where no other user can change it",
			    *dir ? dir : "/", (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777));
			return why;
		}
		if (!*dir)
			break;
	}
	return NULL;
}

/* Open path for reading; as root, only a file that root alone can have written (-EPERM, why). */
static int
open_config(const char *path, char *why, size_t whysz)
{
	char *canon = NULL;
	const char *bad = NULL;
	struct stat sb;
	int fd;

	if (geteuid() != 0)
		return open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	canon = realpath(path, NULL);
	if (!canon)
		return -1;
	bad = root_may_trust(canon, why, whysz);
	fd = bad ? -1 : open(canon, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	free(canon);
	if (bad) {
		errno = EPERM;
		return -1;
	}
	if (fd >= 0 && fstat(fd, &sb) == 0 &&
	    (!S_ISREG(sb.st_mode) || sb.st_uid != 0 || (sb.st_mode & 022))) {
		snprintf(why, whysz,
			 "owned by uid %u with mode %03o: running as root, oomlens reads only a "
			 "regular file owned by root that no other user can write",
			 (unsigned)sb.st_uid, (unsigned)(sb.st_mode & 07777));
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/* The whole of fd into buf (size - 1 bytes at most, NUL-terminated); the length or -errno. */
static ssize_t
read_fd(int fd, char *buf, size_t size, bool *truncated)
{
	size_t got = 0;

	*truncated = false;
	while (got < size - 1) {
		ssize_t r = read(fd, buf + got, size - 1 - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN ? (ssize_t)got : -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	if (got == size - 1) {
		char c;

		*truncated = read(fd, &c, 1) > 0;
	}
	return (ssize_t)got;
}

int
config_load(const char *path, struct config *cfg, FILE *errf)
{
	char *buf, *shown, why[1024] = "";
	struct report_to rt;
	bool truncated = false;
	ssize_t n;
	int fd = open_config(path, why, sizeof(why));

	if (fd < 0 && errno == EPERM && why[0]) {
		/* Ignored, not an error: one line says why, and the program goes on without it. */
		shown = text_escape_dup(path);
		if (errf)
			fprintf(errf, "oomlens: ignoring %s: %s\n", shown, why);
		free(shown);
		return 0;
	}
	if (fd < 0)
		return -errno;
	buf = xmalloc(CONFIG_MAX_FILE + 1);
	n = read_fd(fd, buf, CONFIG_MAX_FILE + 1, &truncated);
	close(fd);
	if (n < 0 || truncated) {
		free(buf);
		return n < 0 ? (int)n : -EFBIG;
	}
	shown = text_escape_dup(path);
	rt = (struct report_to){.f = errf, .path = shown};
	config_parse(buf, (size_t)n, cfg, report_line, &rt);
	free(shown);
	free(buf);
	return 0;
}

void
config_drop_root_keys(struct config *cfg, const char *path, FILE *errf)
{
	char *shown;

	if (geteuid() != 0 || !(cfg->set & (CFG_AUDIT_FILE | CFG_DOCKER_SOCKET)))
		return;
	cfg->set &= ~(unsigned)(CFG_AUDIT_FILE | CFG_DOCKER_SOCKET);
	shown = text_escape_dup(path);
	if (errf)
		fprintf(
		    errf,
		    "oomlens: %s: audit_file and docker_socket are ignored in a per-user config "
		    "when running as root (set them in %s)\n",
		    shown, config_system_path());
	free(shown);
}

int
config_load_default(struct config *cfg, FILE *errf, char *used, size_t usedsz)
{
	char user[4096];
	int r;

	if (config_user_path(user, sizeof(user)) == 0) {
		r = config_load(user, cfg, errf);
		if (r != -ENOENT && r != -ENOTDIR) {
			if (used && usedsz)
				snprintf(used, usedsz, "%s", user);
			config_drop_root_keys(cfg, user, errf);
			return r;
		}
	}
	r = config_load(config_system_path(), cfg, errf);
	if (r != -ENOENT && r != -ENOTDIR && used && usedsz)
		snprintf(used, usedsz, "%s", config_system_path());
	return r;
}

void
config_apply(const struct config *cfg, struct options *o)
{
	if ((cfg->set & CFG_DELAY) && !o->delay_given)
		o->delay = cfg->delay;
	if ((cfg->set & CFG_SORT) && !o->sort_given) {
		o->sort = cfg->sort;
		o->sort_given = true;
	}
	if ((cfg->set & CFG_COLOR) && !cfg->color)
		o->no_color = true;
	if ((cfg->set & CFG_READ_ONLY) && cfg->read_only)
		o->read_only = true;
	if ((cfg->set & CFG_PROTECT) && cfg->protect)
		o->protect = true;
	if ((cfg->set & CFG_COLLECTOR) && !o->collector_given)
		o->collector = cfg->collector;
}

/* Writing ---------------------------------------------------------------- */

/* A growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* "key = value\n" for key k of cfg. */
static void
render_key(struct sbuf *b, const struct config *cfg, enum config_key k)
{
	char num[64];

	sb_str(b, key_name(k));
	sb_str(b, " = ");
	switch (k) {
	case CFG_VIEW:
		sb_str(b, cfg->view == CONFIG_VIEW_CONTAINERS ? "containers" : "processes");
		break;
	case CFG_COLUMNS:
		for (size_t i = 0; i < cfg->n_columns && i < CONFIG_MAX_COLUMNS; i++) {
			if (i)
				sb_str(b, ",");
			sb_add(b, cfg->columns[i], strnlen(cfg->columns[i], CONFIG_COLUMN_LEN - 1));
		}
		break;
	case CFG_SORT:
		sb_str(b, sort_key_name(cfg->sort));
		break;
	case CFG_DELAY:
		format_seconds(num, sizeof(num), cfg->delay);
		sb_str(b, num);
		break;
	case CFG_COLOR:
		sb_str(b, cfg->color ? "yes" : "no");
		break;
	case CFG_READ_ONLY:
		sb_str(b, cfg->read_only ? "yes" : "no");
		break;
	case CFG_PROTECT:
		sb_str(b, cfg->protect ? "yes" : "no");
		break;
	case CFG_COLLECTOR:
		sb_str(b, cfg->collector == COLLECT_BPF ? "bpf" : cfg->collector == COLLECT_PROC ? "proc" : "auto");
		break;
	case CFG_AUDIT_FILE:
		sb_add(b, cfg->audit_file, strnlen(cfg->audit_file, CONFIG_PATH_LEN - 1));
		break;
	case CFG_DOCKER_SOCKET:
		sb_add(b, cfg->docker_socket, strnlen(cfg->docker_socket, CONFIG_PATH_LEN - 1));
		break;
	}
	sb_str(b, "\n");
}

/* The key a line sets (whatever its value), or 0 for comments, blanks and others. */
static enum config_key
line_key(const char *line, size_t len)
{
	const char *eq;
	size_t i = 0, klen;

	while (i < len && is_blank(line[i]))
		i++;
	if (i == len || line[i] == '#')
		return 0;
	eq = memchr(line + i, '=', len - i);
	if (!eq)
		return 0;
	klen = (size_t)(eq - (line + i));
	while (klen > 0 && is_blank(line[i + klen - 1]))
		klen--;
	return key_of(line + i, klen);
}

char *
config_render(const char *old, size_t oldlen, const struct config *cfg)
{
	struct sbuf b = {NULL, 0, 0};
	unsigned done = 0;
	size_t pos = 0;

	sb_str(&b, "");
	if (!old || oldlen == 0)
		sb_str(&b, "# oomlens settings: see oomlens(1), FILES.  Saved by oomlens; "
			   "edits are kept.\n");
	while (old && pos < oldlen) {
		const char *line = old + pos;
		const char *nl = memchr(line, '\n', oldlen - pos);
		size_t len = nl ? (size_t)(nl - line) : oldlen - pos;
		enum config_key k = line_key(line, len);

		pos += len + (nl ? 1 : 0);
		if (k && (cfg->set & k)) {
			if (!(done & k))
				render_key(&b, cfg, k);
			done |= k;
			continue;
		}
		sb_add(&b, line, len);
		sb_str(&b, "\n");
	}
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++) {
		enum config_key k = config_keys[i].key;

		if ((cfg->set & k) && !(done & k))
			render_key(&b, cfg, k);
	}
	return b.s;
}

int
config_save(const char *path, const struct config *cfg)
{
	char user[4096], tmp[4096 + 16];
	char *old = NULL, *text;
	bool truncated = false;
	ssize_t n = 0;
	int fd, r;

	if (!path) {
		r = config_user_path(user, sizeof(user));
		if (r < 0)
			return r;
		path = user;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	r = make_parent_dirs(path);
	if (r < 0)
		return r;
	old = xmalloc(CONFIG_MAX_FILE + 1);
	n = read_file_at(AT_FDCWD, path, old, CONFIG_MAX_FILE + 1, &truncated);
	if ((n < 0 && n != -ENOENT) || truncated) {
		free(old);
		return truncated ? -EFBIG : (int)n;
	}
	text = config_render(old, n > 0 ? (size_t)n : 0, cfg);
	free(old);

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		free(text);
		return -errno;
	}
	r = write_full(fd, text, strlen(text));
	free(text);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}
