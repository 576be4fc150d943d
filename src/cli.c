/*
 * cli.c - the command line of oomlens: getopt_long over the monitor's and
 * batch mode's options, strict number parsing, and --help.  Parsing does
 * no I/O: it fills struct options or returns a one-line message, and the
 * caller decides what to print and how to exit.
 */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "textsafe.h"
#include "util.h"

/* The largest -d accepted: keeps the conversion to struct timespec defined. */
#define CLI_MAX_DELAY 1000000.0

enum {
	OPT_FORMAT = 256,
	OPT_NO_COLOR,
	OPT_READ_ONLY,
	OPT_PROTECT,
	OPT_ROOT,
	OPT_CONFIG,
	OPT_NO_CONFIG,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_AUDIT_FILE,
	OPT_COLLECTOR,
};

static const struct option long_options[] = {
    {"batch", no_argument, NULL, 'b'},
    {"iterations", required_argument, NULL, 'n'},
    {"delay", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"sort", required_argument, NULL, 'o'},
    {"pid", required_argument, NULL, 'p'},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"read-only", no_argument, NULL, OPT_READ_ONLY},
    {"protect", no_argument, NULL, OPT_PROTECT},
    {"root", required_argument, NULL, OPT_ROOT},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
    {"record", required_argument, NULL, OPT_RECORD},
    {"replay", required_argument, NULL, OPT_REPLAY},
    {"audit-file", required_argument, NULL, OPT_AUDIT_FILE},
    {"audit-log", required_argument, NULL, OPT_AUDIT_FILE},
    {"collector", required_argument, NULL, OPT_COLLECTOR},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* "+": stop at the first operand, so argv is not reordered; ":": report a missing argument. */
static const char short_options[] = "+:bn:d:o:p:hV";

/* Write a one-line message into err (which may be NULL or empty). */
static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (!err || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* The option as a message names it: "-n" or "--format". */
static const char *
opt_label(int c)
{
	switch (c) {
	case 'n':
		return "-n";
	case 'd':
		return "-d";
	case 'o':
		return "-o";
	case 'p':
		return "-p";
	case OPT_FORMAT:
		return "--format";
	case OPT_ROOT:
		return "--root";
	case OPT_CONFIG:
		return "--config";
	case OPT_RECORD:
		return "--record";
	case OPT_REPLAY:
		return "--replay";
	case OPT_AUDIT_FILE:
		return "--audit-file";
	case OPT_COLLECTOR:
		return "--collector";
	default:
		return "option";
	}
}

/* A user's text for a message: escaped and short, so the message stays one line. */
static const char *
shown(char *buf, size_t bufsz, const char *s)
{
	text_escape(buf, bufsz, s, strlen(s));
	return buf;
}

/* --collector auto|bpf|proc into o. */
static bool
parse_collector(const char *s, struct options *o, const char **why)
{
	int v = collect_choice_from_name(s);

	if (v < 0) {
		*why = "not one of auto, bpf, proc";
		return false;
	}
	o->collector = v;
	o->collector_given = true;
	return true;
}

/* A non-negative decimal integer made of digits only. */
static bool
parse_count(const char *s, long *out, const char **why)
{
	long v = 0;

	if (!*s) {
		*why = "empty";
		return false;
	}
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9') {
			*why = "not a non-negative integer";
			return false;
		}
		if (v > (LONG_MAX - (*p - '0')) / 10) {
			*why = "too large";
			return false;
		}
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return true;
}

/* Non-negative decimal seconds: digits with an optional fraction (0.5, 2, .25). */
static bool
parse_delay(const char *s, double *out, const char **why)
{
	int r = parse_seconds(s, CLI_MAX_DELAY, out);

	*why = NULL;
	if (r == -ERANGE)
		*why = "too large (at most 1000000 seconds)";
	else if (r < 0)
		*why = "not a non-negative number of seconds";
	return r == 0;
}

/* One process ID: a positive decimal integer that fits pid_t. */
static bool
parse_pid(const char *s, size_t len, pid_t *out)
{
	int64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > INT_MAX)
			return false;
	}
	if (v == 0)
		return false;
	*out = (pid_t)v;
	return true;
}

/*
 * PID[,PID...] where an item may also name a cgroup as the monitor shows it
 * (pick.h): up to 7 digits are a PID, appended to o->pids, anything else a name,
 * appended to o->pick_names and resolved by main.c.
 */
static bool
parse_pid_list(const char *arg, struct options *o, char *err, size_t errsz)
{
	const char *p = arg;
	char b1[128], b2[128];

	for (;;) {
		size_t len = strcspn(p, ",");
		/* A PID has at most 7 digits (PID_MAX_LIMIT is 4194304); a container's
		 * 12-character short id (or its 64-character id) may be all digits. */
		bool digits = len > 0 && len <= 7 && strspn(p, "0123456789") >= len;
		pid_t pid;

		if (len == 0 || (digits && !parse_pid(p, len, &pid))) {
			char item[64];

			snprintf(item, sizeof(item), "%.*s", (int)(len < 63 ? len : 63), p);
			set_err(err, errsz,
				"oomlens: invalid -p '%s': '%s' is not a positive process ID, "
				"a container or a cgroup",
				shown(b1, sizeof(b1), arg), shown(b2, sizeof(b2), item));
			return false;
		}
		if (digits) {
			o->pids = xrealloc(o->pids, (o->n_pids + 1) * sizeof(*o->pids));
			o->pids[o->n_pids++] = pid;
		} else {
			o->pick_names = xrealloc(o->pick_names,
						 (o->n_pick_names + 1) * sizeof(*o->pick_names));
			o->pick_names[o->n_pick_names++] = xstrndup(p, len);
		}
		if (p[len] == '\0')
			return true;
		p += len + 1;
	}
}

/* The message for getopt's '?': an unknown option, or one given an argument it does not take. */
static void
unknown_option(int argc, char **argv, char *err, size_t errsz)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	char b[128];

	if (strncmp(arg, "--", 2) == 0) {
		const char *eq = strchr(arg, '=');

		if (eq && optopt != 0) {
			char name[64];

			snprintf(name, sizeof(name), "%.*s", (int)(eq - arg < 63 ? eq - arg : 63),
				 arg);
			set_err(err, errsz, "oomlens: option '%s' takes no argument (see --help)",
				shown(b, sizeof(b), name));
		} else {
			set_err(err, errsz,
				"oomlens: unknown or ambiguous option '%s' (see --help)",
				shown(b, sizeof(b), arg));
		}
	} else if (optopt > 0x20 && optopt < 0x7f) {
		set_err(err, errsz, "oomlens: unknown option '-%c' (see --help)", optopt);
	} else {
		set_err(err, errsz, "oomlens: unknown option '%s' (see --help)",
			shown(b, sizeof(b), arg));
	}
}

/* The message for getopt's ':': an option that needs an argument came last. */
static void
missing_argument(int argc, char **argv, char *err, size_t errsz)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	char b[128];

	if (strncmp(arg, "--", 2) == 0)
		set_err(err, errsz, "oomlens: option '%s' needs an argument (see --help)",
			shown(b, sizeof(b), arg));
	else
		set_err(err, errsz, "oomlens: option '-%c' needs an argument (see --help)", optopt);
}

/* What an option does to struct options. */
enum cli_do {
	CLI_FLAG,   /* the bool at off */
	CLI_TEXT,   /* the non-empty text at off; empty: why it is refused */
	CLI_COUNT,  /* -n */
	CLI_DELAY,  /* -d */
	CLI_FORMAT, /* --format */
	CLI_SORT,   /* -o */
	CLI_PIDS,   /* -p */
	CLI_COLLECTOR, /* --collector */
};

/* getopt_long's answer for each option (long_options, short_options) and what it does. */
static const struct cli_opt {
	int id;
	enum cli_do what;
	size_t off;
	const char *empty;
} cli_opts[] = {
    {'b', CLI_FLAG, offsetof(struct options, batch), NULL},
    {'n', CLI_COUNT, 0, NULL},
    {'d', CLI_DELAY, 0, NULL},
    {OPT_FORMAT, CLI_FORMAT, 0, NULL},
    {'o', CLI_SORT, 0, NULL},
    {'p', CLI_PIDS, 0, NULL},
    {OPT_NO_COLOR, CLI_FLAG, offsetof(struct options, no_color), NULL},
    {OPT_READ_ONLY, CLI_FLAG, offsetof(struct options, read_only), NULL},
    {OPT_PROTECT, CLI_FLAG, offsetof(struct options, protect), NULL},
    {OPT_ROOT, CLI_TEXT, offsetof(struct options, root), "empty directory name"},
    {OPT_CONFIG, CLI_TEXT, offsetof(struct options, config_file), "empty file name"},
    {OPT_NO_CONFIG, CLI_FLAG, offsetof(struct options, no_config), NULL},
    {OPT_RECORD, CLI_TEXT, offsetof(struct options, record), "empty file name"},
    {OPT_REPLAY, CLI_TEXT, offsetof(struct options, replay), "empty file name"},
    {OPT_AUDIT_FILE, CLI_TEXT, offsetof(struct options, audit_file), "empty file name"},
    {OPT_COLLECTOR, CLI_COLLECTOR, 0, NULL},
    {'h', CLI_FLAG, offsetof(struct options, want_help), NULL},
    {'V', CLI_FLAG, offsetof(struct options, want_version), NULL},
};

static const struct cli_opt *
cli_opt(int id)
{
	for (size_t i = 0; i < ARRAY_SIZE(cli_opts); i++)
		if (cli_opts[i].id == id)
			return &cli_opts[i];
	return NULL;
}

/* What take_option() found. */
enum { TAKEN, BAD_VALUE, BAD_USAGE };

/*
 * Apply option e with value arg to o: TAKEN, BAD_VALUE with *why, or
 * BAD_USAGE with the message in err.
 */
static int
take_option(struct options *o, const struct cli_opt *e, const char *arg, bool *count_given,
	    const char **why, char *err, size_t errsz)
{
	char b[128];
	int v;

	switch (e->what) {
	case CLI_FLAG:
		*(bool *)((char *)o + e->off) = true;
		break;
	case CLI_TEXT:
		if (!*arg) {
			*why = e->empty;
			return BAD_VALUE;
		}
		*(const char **)((char *)o + e->off) = arg;
		break;
	case CLI_COUNT:
		if (!parse_count(arg, &o->count, why))
			return BAD_VALUE;
		*count_given = true;
		break;
	case CLI_DELAY:
		if (!parse_delay(arg, &o->delay, why))
			return BAD_VALUE;
		o->delay_given = true;
		break;
	case CLI_FORMAT:
		v = format_from_name(arg);
		if (v < 0) {
			*why = "not one of text, json, csv, prometheus";
			return BAD_VALUE;
		}
		o->format = (enum out_format)v;
		break;
	case CLI_SORT:
		v = sort_key_from_name(arg);
		if (v < 0) {
			set_err(err, errsz, "oomlens: unknown sort field '%s' (one of: %s)",
				shown(b, sizeof(b), arg), sort_key_names());
			return BAD_USAGE;
		}
		o->sort = (enum sort_key)v;
		o->sort_given = true;
		break;
	case CLI_PIDS:
		if (!parse_pid_list(arg, o, err, errsz))
			return BAD_USAGE;
		break;
	case CLI_COLLECTOR:
		if (!parse_collector(arg, o, why))
			return BAD_VALUE;
		break;
	}
	return TAKEN;
}

/* The options together, once all are taken: false with the message in err. */
static bool
options_agree(struct options *o, char *err, size_t errsz)
{
	if (o->config_file && o->no_config) {
		set_err(err, errsz, "oomlens: --config and --no-config exclude each other");
		return false;
	}
	if (o->replay && (o->record || o->root || o->pids || o->pick_names)) {
		set_err(err, errsz, "oomlens: --replay cannot be combined with %s",
			o->record ? "--record" : o->root ? "--root" : "-p");
		return false;
	}
	return true;
}

enum cli_result
cli_parse(int argc, char **argv, struct options *o, char *err, size_t errsz)
{
	bool count_given = false;
	const char *why = NULL;
	char b[128];
	int c;

	*o = (struct options){
	    .delay = CLI_DEFAULT_DELAY, .format = FMT_TEXT, .sort = SORT_OOM_SCORE};
	set_err(err, errsz, "%s", "");
	opterr = 0;
	optind = 0; /* GNU: start afresh, so tests may parse more than once */

	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		const struct cli_opt *e = cli_opt(c);

		if (c == ':') {
			missing_argument(argc, argv, err, errsz);
			goto usage;
		}
		if (!e) {
			unknown_option(argc, argv, err, errsz);
			goto usage;
		}
		switch (take_option(o, e, optarg, &count_given, &why, err, errsz)) {
		case BAD_VALUE:
			set_err(err, errsz, "oomlens: invalid %s '%s': %s", opt_label(c),
				shown(b, sizeof(b), optarg), why);
			goto usage;
		case BAD_USAGE:
			goto usage;
		}
	}
	if (optind < argc) {
		set_err(err, errsz, "oomlens: unexpected argument '%s' (see --help)",
			shown(b, sizeof(b), argv[optind]));
		goto usage;
	}
	if (o->want_help || o->want_version)
		return CLI_EXIT_OK;
	if (!options_agree(o, err, errsz))
		goto usage;
	if (o->batch && !count_given)
		o->count = o->replay ? 0 : CLI_DEFAULT_BATCH_COUNT; /* a replay: all of it */
	return CLI_RUN;

usage:
	cli_free(o);
	return CLI_USAGE;
}

void
cli_free(struct options *o)
{
	free(o->pids);
	o->pids = NULL;
	o->n_pids = 0;
	for (size_t i = 0; i < o->n_pick_names; i++) {
		free(o->pick_names[i]);
		if (o->pick_cgs)
			free(o->pick_cgs[i]);
	}
	free(o->pick_names);
	free(o->pick_cgs);
	o->pick_names = o->pick_cgs = NULL;
	o->n_pick_names = 0;
}

void
cli_usage(FILE *f)
{
	fprintf(f,
		"Usage: oomlens [OPTION]...\n"
		"A top-like monitor of memory pressure and of the OOM killer's choices.\n"
		"\n"
		"  -b, --batch              print snapshots to standard output, no screen\n"
		"  -n, --iterations COUNT   take COUNT snapshots, 0 = until interrupted\n"
		"                           (batch mode: 1 when not given; the monitor: 0)\n"
		"  -d, --delay SECONDS      seconds between snapshots, e.g. 0.5 (default %.1f)\n"
		"      --format FORMAT      batch output: text (default), json, csv or\n"
		"                           prometheus (text exposition format)\n"
		"  -o, --sort FIELD         sort processes by FIELD, largest first\n"
		"                           (default oom_score)\n"
		"  -p, --pid PID[,PID...]   show only these processes (may be repeated); an\n"
		"                           item may also be a container name or id (12\n"
		"                           characters), a cgroup path or its last component\n"
		"                           when unique: that cgroup's processes and those\n"
		"                           below it (ambiguous: exit 2, with the candidates)\n"
		"      --no-color           no colours in the monitor (also: NO_COLOR set)\n"
		"      --read-only          the monitor changes nothing on the system\n"
		"      --collector WHICH    read the processes with a BPF task iterator (bpf),\n"
		"                           from /proc (proc), or bpf where it can (auto,\n"
		"                           the default; the header says which and why)\n"
		"      --audit-file FILE    audit the monitor's actions (keys o, m, k) as JSON\n"
		"                           lines in FILE as well as to syslog (--audit-log)\n"
		"      --protect            lock oomlens's memory and raise its CPU priority\n"
		"                           (nice -10) to stay responsive under pressure\n"
		"      --root DIR           read a saved tree laid out like / instead of the\n"
		"                           live system\n"
		"      --record FILE        append each snapshot to the recording FILE\n"
		"      --replay FILE        show the snapshots recorded in FILE instead of the\n"
		"                           live system (with -b: print them as a live run would)\n"
		"      --config FILE        read settings from FILE instead of oomlensrc\n"
		"      --no-config          read no config file\n"
		"  -h, --help               show this help and exit\n"
		"  -V, --version            show the version and exit\n"
		"\n"
		"  oomlens events [--format text|json] [--follow] [--root DIR]\n"
		"                           the OOM kills the kernel logged or counted;\n"
		"                           --follow prints each new kill as it happens\n"
		"  oomlens fits SIZE [--cgroup PATH|NAME] [--format text|json] [--root DIR]\n"
		"                           would SIZE (512m, 2g) fit now: exit 0 fits,\n"
		"                           3 only after reclaiming cache, 4 does not fit\n"
		"  oomlens set --pid PID --oom-score-adj N [--yes] [--force] [--dry-run]\n"
		"  oomlens set --cgroup PATH|NAME [--memory SIZE] [--memory-swap SIZE]\n"
		"      [--memory-reservation SIZE] [--memory-swappiness N] [--kernel-memory SIZE]\n"
		"      [--oom-kill-disable|--oom-kill-enable] [--memory-high SIZE]\n"
		"      [--memory-min SIZE] [--oom-score-adj N] [--direct|--api] [--yes] [--force]\n"
		"                           change a process or a container, after showing\n"
		"                           the plan; exit 0 done, 1 refused or failed\n"
		"  oomlens kill --pid PID [--signal NAME|NUM] [--yes] [--force]\n"
		"                           signal a process through a pidfd (KILL needs\n"
		"                           --force or a second confirmation)\n"
		"\n"
		"Sort fields (JSON key, then aliases): %s.\n"
		"\n"
		"Exit status: 0 success, 1 the system could not be read, 2 bad usage.\n"
		"See oomlens(1) for the output formats and the JSON keys.\n",
		CLI_DEFAULT_DELAY, sort_key_names());
}

void
cli_version(FILE *f)
{
	fprintf(f, "oomlens %s\n", PACKAGE_VERSION);
}
