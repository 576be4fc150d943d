/*
 * config_file.h - the config file: $XDG_CONFIG_HOME/oomlens/oomlensrc (by
 * default ~/.config/oomlens/oomlensrc), or when that does not exist
 * SYSCONFDIR/oomlens/oomlensrc (/etc/oomlens/oomlensrc in the Debian
 * package).  Only the first file found is read.
 *
 * The format is `key = value` lines; a line whose first non-blank character
 * is '#' is a comment, and so is the rest of a line from a '#' that follows
 * a blank.  A bad line is reported as "oomlens: FILE:LINE: reason" and
 * skipped, never fatal.  The options on the command line override the file.
 *
 * The parser and the writer's text are pure functions over buffers (tests,
 * fuzzing); config_load() and config_save() do the file I/O.  A saved
 * config is the operator's own file, not a change to the system.
 */
#ifndef OOMLENS_CONFIG_FILE_H
#define OOMLENS_CONFIG_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sort.h"

enum config_view { CONFIG_VIEW_PROCESSES = 0, CONFIG_VIEW_CONTAINERS };

/* One bit per key: which keys the file set (struct config.set). */
enum config_key {
	CFG_VIEW = 1u << 0,
	CFG_COLUMNS = 1u << 1,
	CFG_SORT = 1u << 2,
	CFG_DELAY = 1u << 3,
	CFG_COLOR = 1u << 4,
	CFG_READ_ONLY = 1u << 5,
	CFG_AUDIT_FILE = 1u << 6,
	CFG_DOCKER_SOCKET = 1u << 7,
	CFG_PROTECT = 1u << 8,
	CFG_COLLECTOR = 1u << 9,
};

#define CONFIG_MAX_COLUMNS 32
#define CONFIG_COLUMN_LEN  24	/* with the NUL */
#define CONFIG_PATH_LEN	   4096 /* with the NUL */
#define CONFIG_MAX_DELAY   1000000.0

/* Plain data, no pointers: copy it freely.  A field counts only if its bit is in set. */
struct config {
	unsigned set;	       /* enum config_key bits */
	enum config_view view; /* view = processes | containers */
	size_t n_columns;      /* columns = PID,USER,OOM,...: names as the UI spells them */
	char columns[CONFIG_MAX_COLUMNS][CONFIG_COLUMN_LEN];
	enum sort_key sort;		     /* sort = any name --sort takes */
	double delay;			     /* delay = seconds, as -d */
	bool color;			     /* color = yes | no */
	bool read_only;			     /* read_only = yes | no */
	char audit_file[CONFIG_PATH_LEN];    /* audit_file = /absolute/path */
	char docker_socket[CONFIG_PATH_LEN]; /* docker_socket = /absolute/path */
	bool protect;			     /* protect = yes | no (--protect) */
	int collector;			     /* collector = auto | bpf | proc (--collector) */
};

struct options;

/*
 * Merge cfg under the command line's options: delay, sort, color,
 * read_only and protect come from the file only where the command line said
 * nothing (a --no-color, --read-only or --protect given wins over the
 * file).  The other keys (view, columns, audit_file, docker_socket) stay in
 * cfg for the monitor and the actions to read through options.config.
 */
void config_apply(const struct config *cfg, struct options *o);

/* Called for each bad line: its number (from 1) and a one-line reason. */
typedef void config_report_fn(void *arg, unsigned line, const char *reason);

/*
 * Parse len bytes of buf (no NUL needed) on top of what cfg already holds: a
 * later line overrides an earlier one.  Each bad line is passed to report
 * (may be NULL) and skipped.  Returns the number of bad lines.  Pure.
 */
int config_parse(const char *buf, size_t len, struct config *cfg, config_report_fn *report,
		 void *arg);

/*
 * The user's file from XDG_CONFIG_HOME and HOME (either may be NULL or
 * empty; a relative XDG_CONFIG_HOME is ignored, as the spec says).
 * 0, or -ENOENT when neither gives a path, -ENAMETOOLONG.  Pure.
 */
int config_user_path_from(const char *xdg_config_home, const char *home, char *out, size_t outsz);
/* The same from this process's environment. */
int config_user_path(char *out, size_t outsz);
/* SYSCONFDIR/oomlens/oomlensrc. */
const char *config_system_path(void);

/*
 * Read and parse the file at path into cfg; bad lines are written to errf
 * (may be NULL) as "oomlens: FILE:LINE: reason".  0, or -errno (-ENOENT: no
 * such file; -EFBIG: over 1 MiB).
 */
int config_load(const char *path, struct config *cfg, FILE *errf);

/*
 * Running as root (euid 0), config_load() ignores, with one line on errf
 * saying why, a file that is not a regular file owned by root, or that is
 * group- or world-writable, or below a directory that is not root's or that
 * others may write (a sticky one excepted), and returns 0.
 *
 * As root, drop audit_file and docker_socket from cfg, loaded from the
 * per-user file path, with one line on errf: where root writes its audit
 * trail and which engine it believes come from root's files only.
 */
void config_drop_root_keys(struct config *cfg, const char *path, FILE *errf);

/*
 * The default search: the user's file, else the system's.  0 with the path
 * read in used (may be NULL), -ENOENT when neither exists, else config_load()'s
 * error for the file that exists but cannot be read.
 */
int config_load_default(struct config *cfg, FILE *errf, char *used, size_t usedsz);

/*
 * The text of a config file that sets cfg's keys, keeping everything else
 * of old (comments, other keys, their order): the first line of each key
 * in cfg->set is rewritten, later ones dropped, missing keys appended.
 * old may be NULL.  A new string, never NULL.  Pure.
 */
char *config_render(const char *old, size_t oldlen, const struct config *cfg);

/*
 * Save cfg's keys to path (NULL: the user's file), merged into what is
 * there, through a temporary file and rename(2); missing directories are
 * created 0700.  0 or -errno.
 */
int config_save(const char *path, const struct config *cfg);

#endif
