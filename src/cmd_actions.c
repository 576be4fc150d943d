/*
 * cmd_actions.c - the `oomlens set` and `oomlens kill` subcommands: parse
 * the options, show the plan that actions.c builds, ask for confirmation
 * (or take --yes / --force), apply, and print what the kernel reports.
 *
 * It owns the command-line wording and the exit statuses (0 done, 1 refused
 * or failed, 2 usage); it must not write to the system itself: every write
 * goes through act_apply().
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act_guard.h"
#include "actions.h"
#include "config_file.h"
#include "privs.h"
#include "target.h"
#include "textsafe.h"
#include "util.h"

enum {
	OPT_PID = 256,
	OPT_CGROUP,
	OPT_OOM_ADJ,
	OPT_MEMORY,
	OPT_SWAP,
	OPT_RES,
	OPT_SWAPPINESS,
	OPT_KMEM,
	OPT_OKD,
	OPT_OKE,
	OPT_HIGH,
	OPT_MIN,
	OPT_FORCE,
	OPT_DRY,
	OPT_AUDIT,
	OPT_ROOT,
	OPT_RO,
	OPT_DIRECT,
	OPT_API,
	OPT_START,
	OPT_SIGNAL,
};

struct cmd {
	const char *name; /* "set" or "kill" */
	pid_t pid;
	uint64_t start;
	const char *cgroup;
	struct act_request req;
	const char *signal;
	bool yes, force, dry_run, read_only, want_help;
	const char *audit_file, *root;
	char docker_host[CONFIG_PATH_LEN + 8];
};

/* A one-line usage error: exit status 2. */
static int
usage_error(const struct cmd *c, const char *fmt, ...)
{
	char buf[512], shown[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* It echoes the operator's bytes (--signal, --pid...): escaped, so no ESC reaches the tty.
	 */
	text_escape(shown, sizeof(shown), buf, strlen(buf));
	fprintf(stderr, "oomlens %s: %s (see oomlens %s --help)\n", c->name, shown, c->name);
	return 2;
}

static void
set_usage(FILE *f)
{
	fputs("Usage: oomlens set --pid PID [--start-ticks T] --oom-score-adj N [options]\n"
	      "       oomlens set --cgroup PATH|NAME [--oom-score-adj N] [--memory SIZE]\n"
	      "                   [--memory-swap SIZE|-1] [--memory-reservation SIZE]\n"
	      "                   [--memory-swappiness 0-100] [--kernel-memory SIZE]\n"
	      "                   [--oom-kill-disable|--oom-kill-enable] [--memory-high SIZE|max]\n"
	      "                   [--memory-min SIZE] [--direct|--api] [options]\n"
	      "Options: --yes (no prompt), --force (accept the warnings), --dry-run (show the plan "
	      "only),\n"
	      "         --audit-file FILE, --root DIR (refused: for reading saved trees only),\n"
	      "         --read-only (also read_only = yes in the config, OOMLENS_READ_ONLY=1)\n"
	      "SIZE is Docker's syntax: a positive integer with an optional unit b, k, m or g.\n"
	      "Exit status: 0 done, 1 refused or failed, 2 usage error.  See doc/actions.md.\n",
	      f);
}

static void
kill_usage(FILE *f)
{
	fputs("Usage: oomlens kill --pid PID [--start-ticks T] [--signal NAME|NUM] [--yes] "
	      "[--force]\n"
	      "                    [--dry-run] [--audit-file FILE] [--read-only]\n"
	      "The default signal is TERM; KILL, STOP, TSTP, TTIN and TTOU need --force or a\n"
	      "second confirmation.\n"
	      "Exit status: 0 sent, 1 refused or failed, 2 usage error.\n",
	      f);
}

/* A PID or start time: digits only. */
static bool
parse_num(const char *s, uint64_t max, uint64_t *out)
{
	if (!s || strspn(s, "0123456789") != strlen(s) || parse_u64_full(s, out) < 0)
		return false;
	return *out > 0 && *out <= max;
}

/* What an option of set / kill does. */
enum opt_do {
	DO_SETTING, /* req.value[arg] = its value */
	DO_FIXED,   /* req.value[arg] = text (--oom-kill-disable / -enable) */
	DO_VIA,	    /* req.via = arg */
	DO_FLAG,    /* the bool of struct cmd at off */
	DO_TEXT,    /* the non-empty text of struct cmd at off; text: the error for "" */
	DO_PID,
	DO_START,
	DO_SIGNAL,
	DO_HELP,
};

#define IN_SET	1
#define IN_KILL 2

/*
 * The options, in getopt_long's order (it resolves an abbreviation to the
 * first of the options it matches that act alike).
 */
static const struct cmd_opt {
	const char *name;
	int has_arg, id, in;
	enum opt_do what;
	int arg;
	const char *text;
	size_t off;
} cmd_opts[] = {
    {"pid", required_argument, OPT_PID, IN_SET | IN_KILL, DO_PID, 0, NULL, 0},
    {"start-ticks", required_argument, OPT_START, IN_SET | IN_KILL, DO_START, 0, NULL, 0},
    {"signal", required_argument, OPT_SIGNAL, IN_KILL, DO_SIGNAL, 0, NULL, 0},
    {"cgroup", required_argument, OPT_CGROUP, IN_SET, DO_TEXT, 0, "--cgroup: empty path or name",
     offsetof(struct cmd, cgroup)},
    {"oom-score-adj", required_argument, OPT_OOM_ADJ, IN_SET, DO_SETTING, ASET_OOM_SCORE_ADJ, NULL,
     0},
    {"memory", required_argument, OPT_MEMORY, IN_SET, DO_SETTING, ASET_MEMORY, NULL, 0},
    {"memory-swap", required_argument, OPT_SWAP, IN_SET, DO_SETTING, ASET_MEMORY_SWAP, NULL, 0},
    {"memory-reservation", required_argument, OPT_RES, IN_SET, DO_SETTING, ASET_MEMORY_RESERVATION,
     NULL, 0},
    {"memory-swappiness", required_argument, OPT_SWAPPINESS, IN_SET, DO_SETTING,
     ASET_MEMORY_SWAPPINESS, NULL, 0},
    {"kernel-memory", required_argument, OPT_KMEM, IN_SET, DO_SETTING, ASET_KERNEL_MEMORY, NULL, 0},
    {"oom-kill-disable", no_argument, OPT_OKD, IN_SET, DO_FIXED, ASET_OOM_KILL_DISABLE, "1", 0},
    {"oom-kill-enable", no_argument, OPT_OKE, IN_SET, DO_FIXED, ASET_OOM_KILL_DISABLE, "0", 0},
    {"memory-high", required_argument, OPT_HIGH, IN_SET, DO_SETTING, ASET_MEMORY_HIGH, NULL, 0},
    {"memory-min", required_argument, OPT_MIN, IN_SET, DO_SETTING, ASET_MEMORY_MIN, NULL, 0},
    {"direct", no_argument, OPT_DIRECT, IN_SET, DO_VIA, AVIA_CGROUPFS, NULL, 0},
    {"api", no_argument, OPT_API, IN_SET, DO_VIA, AVIA_DOCKER, NULL, 0},
    {"force", no_argument, OPT_FORCE, IN_SET | IN_KILL, DO_FLAG, 0, NULL,
     offsetof(struct cmd, force)},
    {"yes", no_argument, 'y', IN_SET | IN_KILL, DO_FLAG, 0, NULL, offsetof(struct cmd, yes)},
    {"dry-run", no_argument, OPT_DRY, IN_SET | IN_KILL, DO_FLAG, 0, NULL,
     offsetof(struct cmd, dry_run)},
    {"audit-file", required_argument, OPT_AUDIT, IN_SET | IN_KILL, DO_TEXT, 0,
     "--audit-file: empty file name", offsetof(struct cmd, audit_file)},
    {"audit-log", required_argument, OPT_AUDIT, IN_SET | IN_KILL, DO_TEXT, 0,
     "--audit-file: empty file name", offsetof(struct cmd, audit_file)},
    {"root", required_argument, OPT_ROOT, IN_SET, DO_TEXT, 0, "--root: empty directory name",
     offsetof(struct cmd, root)},
    {"read-only", no_argument, OPT_RO, IN_SET | IN_KILL, DO_FLAG, 0, NULL,
     offsetof(struct cmd, read_only)},
    {"help", no_argument, 'h', IN_SET | IN_KILL, DO_HELP, 0, NULL, 0},
};

/* What the options given say together, for the checks after the last. */
struct opts_seen {
	bool okd, oke, direct, api, cg_setting;
};

/* The entry of getopt_long's answer o (-s is --signal). */
static const struct cmd_opt *
cmd_opt(int o)
{
	if (o == 's')
		o = OPT_SIGNAL;
	for (size_t i = 0; i < ARRAY_SIZE(cmd_opts); i++)
		if (cmd_opts[i].id == o)
			return &cmd_opts[i];
	return NULL;
}

/* Apply option e with value arg to c: 0, 1 for --help, or the exit status of a usage error. */
static int
take_opt(struct cmd *c, const struct cmd_opt *e, const char *arg, struct opts_seen *seen)
{
	uint64_t x;

	switch (e->what) {
	case DO_PID:
		if (!parse_num(arg, INT32_MAX, &x))
			return usage_error(c, "--pid '%s': not a process id", arg);
		c->pid = (pid_t)x;
		break;
	case DO_START:
		if (!parse_num(arg, UINT64_MAX, &x))
			return usage_error(c, "--start-ticks '%s': not a start time in clock ticks",
					   arg);
		c->start = x;
		break;
	case DO_SIGNAL:
		c->signal = arg;
		break;
	case DO_SETTING:
		c->req.value[e->arg] = arg;
		seen->cg_setting |= e->arg != ASET_OOM_SCORE_ADJ;
		break;
	case DO_FIXED:
		c->req.value[e->arg] = e->text;
		seen->okd |= e->id == OPT_OKD;
		seen->oke |= e->id == OPT_OKE;
		break;
	case DO_VIA:
		c->req.via = (enum act_via)e->arg;
		seen->direct |= e->id == OPT_DIRECT;
		seen->api |= e->id == OPT_API;
		break;
	case DO_FLAG:
		*(bool *)((char *)c + e->off) = true;
		break;
	case DO_TEXT:
		if (!*arg)
			return usage_error(c, "%s", e->text);
		*(const char **)((char *)c + e->off) = arg;
		break;
	case DO_HELP:
		c->want_help = true;
		return 1;
	}
	return 0;
}

/* The checks of the options together; 0 or the exit status of a usage error. */
static int
check_opts(struct cmd *c, bool is_set, struct opts_seen *seen)
{
	if (seen->okd && seen->oke)
		return usage_error(
		    c, "--oom-kill-disable and --oom-kill-enable contradict each other");
	if (seen->direct && seen->api)
		return usage_error(c, "--direct and --api contradict each other");
	seen->cg_setting |= seen->okd || seen->oke;
	if (!is_set) {
		if (!c->pid)
			return usage_error(c, "--pid is required");
		return 0;
	}
	if (!c->pid == !c->cgroup)
		return usage_error(c, "give exactly one of --pid and --cgroup");
	if (c->pid && seen->cg_setting)
		return usage_error(c, "memory settings apply to a cgroup: use --cgroup");
	if (c->pid && !c->req.value[ASET_OOM_SCORE_ADJ])
		return usage_error(c, "--pid needs --oom-score-adj");
	if (c->cgroup && !seen->cg_setting && !c->req.value[ASET_OOM_SCORE_ADJ])
		return usage_error(c, "nothing to change: give at least one setting");
	if (c->start && !c->pid)
		return usage_error(c, "--start-ticks goes with --pid");
	return 0;
}

/* Parse argv into c; 0 to go on, or the exit status of a usage error. */
static int
parse(int argc, char **argv, struct cmd *c, bool is_set)
{
	struct option opts[ARRAY_SIZE(cmd_opts) + 1];
	struct opts_seen seen = {0};
	size_t n = 0;
	int o, r;

	for (size_t i = 0; i < ARRAY_SIZE(cmd_opts); i++)
		if (cmd_opts[i].in & (is_set ? IN_SET : IN_KILL))
			opts[n++] = (struct option){cmd_opts[i].name, cmd_opts[i].has_arg, NULL,
						    cmd_opts[i].id};
	opts[n] = (struct option){NULL, 0, NULL, 0};
	opterr = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, is_set ? "+:yh" : "+:yhs:", opts, NULL)) != -1) {
		const struct cmd_opt *e = cmd_opt(o);

		if (o == '?') {
			if (optopt)
				return usage_error(c, "unknown option '-%c'", optopt);
			return usage_error(c, "unknown option or missing value in '%s'",
					   argv[optind - 1]);
		}
		if (o == ':')
			return usage_error(c, "'%s' needs a value", argv[optind - 1]);
		if (!e)
			continue;
		r = take_opt(c, e, optarg, &seen);
		if (r == 1)
			return 0; /* --help */
		if (r)
			return r;
	}
	if (optind < argc)
		return usage_error(c, "unexpected argument '%s'", argv[optind]);
	return check_opts(c, is_set, &seen);
}

/* Print s escaped for the terminal. */
static void
put_safe(FILE *f, const char *s)
{
	char *e = text_escape_dup(s ? s : "");

	fputs(e, f);
	free(e);
}

static void
show_plan(const struct act_plan *p)
{
	printf("oomlens: plan for ");
	put_safe(stdout, p->target);
	putchar('\n');
	for (size_t i = 0; i < p->n_steps; i++) {
		const struct act_step *st = &p->steps[i];

		printf("  ");
		if (st->setting == ASET_SIGNAL) {
			printf("send %s to pid %d (", st->new_text, (int)st->pid);
			put_safe(stdout, st->comm);
			printf(") through a pidfd\n");
			continue;
		}
		put_safe(stdout, st->file);
		if (st->pid > 0) {
			printf(" (");
			put_safe(stdout, st->comm);
			putchar(')');
		}
		printf(": %s -> %s%s\n", st->old_text, st->new_text,
		       st->via_docker ? "  [through the Docker Engine API]" : "");
	}
	for (size_t i = 0; i < p->notes.n; i++) {
		printf("note: ");
		put_safe(stdout, p->notes.v[i]);
		putchar('\n');
	}
	for (size_t i = 0; i < p->warnings.n; i++) {
		printf("warning: ");
		put_safe(stdout, p->warnings.v[i]);
		putchar('\n');
	}
	fflush(stdout);
}

/* Ask on the terminal; true for y or yes. */
static bool
ask(const char *question)
{
	char line[64];

	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

static void
show_outcome(const struct act_plan *p, size_t notes_before)
{
	for (size_t i = 0; i < p->n_steps; i++) {
		const struct act_step *st = &p->steps[i];
		FILE *f = st->result == ARES_DONE ? stdout : stderr;

		fprintf(f, "%s%s: ", f == stderr ? "oomlens: " : "", act_result_name(st->result));
		if (st->file[0] && strcmp(st->file, "-") != 0) {
			put_safe(f, st->file);
			fputs(": ", f);
		}
		put_safe(f, st->message);
		fputc('\n', f);
	}
	for (size_t i = notes_before; i < p->notes.n; i++) {
		printf("note: ");
		put_safe(stdout, p->notes.v[i]);
		putchar('\n');
	}
}

/* Read-only, from wherever it came: no capability left, or exit status 1. */
static int
enter_read_only(const struct cmd *c, const char *source)
{
	int r = privs_drop_all();

	if (r < 0)
		fprintf(stderr, "oomlens %s: %s: cannot drop capabilities: %s\n", c->name, source,
			strerror(-r));
	return r < 0 ? 1 : 0;
}

/*
 * Who may act, read-only and the config file, before anything of the
 * system is read: 0 to go on with ctx filled, else the exit status.
 */
static int
setup(struct cmd *c, struct act_ctx *ctx, struct config *cfg)
{
	char why[512], used[4096] = "";
	int r;

	if (act_guard_caller(why, sizeof(why)) < 0) {
		fprintf(stderr, "oomlens %s: refused: %s\n", c->name, why);
		return 1;
	}
	if ((c->read_only || privs_read_only_env()) &&
	    enter_read_only(c, c->read_only ? "--read-only" : "OOMLENS_READ_ONLY=1"))
		return 1;
	*cfg = (struct config){.set = 0};
	r = config_load_default(cfg, stderr, used, sizeof(used));
	if (r < 0 && r != -ENOENT && used[0])
		fprintf(stderr, "oomlens: cannot read %s: %s (ignored)\n", used,
			r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
	if ((cfg->set & CFG_READ_ONLY) && cfg->read_only && !c->read_only &&
	    !privs_read_only_env() && enter_read_only(c, "read_only = yes"))
		return 1;
	c->read_only |= privs_read_only_env() || ((cfg->set & CFG_READ_ONLY) && cfg->read_only);

	act_ctx_init(ctx);
	if (c->audit_file)
		ctx->audit_file = c->audit_file;
	else if (cfg->set & CFG_AUDIT_FILE)
		ctx->audit_file = cfg->audit_file;
	if (cfg->set & CFG_DOCKER_SOCKET) {
		snprintf(c->docker_host, sizeof(c->docker_host), "unix://%s", cfg->docker_socket);
		ctx->docker_host = c->docker_host;
	}
	ctx->root = c->root;
	ctx->read_only = c->read_only;
	ctx->force = c->force;
	return 0;
}

/* Plan, confirm, apply, report: the shared body of set and kill. */
static int
run(struct cmd *c, bool is_set)
{
	static struct config cfg;
	struct act_ctx ctx;
	struct act_plan *p;
	enum act_decision d = ADEC_DECLINE;
	size_t notes;
	int r;

	r = setup(c, &ctx, &cfg);
	if (r)
		return r;

	if (!is_set)
		p = act_plan_signal(&ctx, c->pid, c->start, c->signal ? c->signal : "TERM");
	else if (c->pid)
		p = act_plan_proc(&ctx, c->pid, c->start, c->req.value[ASET_OOM_SCORE_ADJ]);
	else
		p = act_plan_cgroup(&ctx, c->cgroup, &c->req);

	show_plan(p);
	if (act_plan_refused(p) || ctx.read_only) {
		for (size_t i = 0; i < p->refusals.n; i++) {
			fputs("oomlens: refused: ", stderr);
			put_safe(stderr, p->refusals.v[i]);
			fputc('\n', stderr);
		}
		if (ctx.read_only)
			fputs("oomlens: refused: read-only mode (--read-only, read_only = yes or "
			      "OOMLENS_READ_ONLY=1): oomlens makes no changes\n",
			      stderr);
		if (!c->dry_run)
			act_apply(&ctx, p, ADEC_DECLINE);
		act_plan_free(p);
		return 1;
	}
	if (c->dry_run) {
		printf("dry run: nothing written, nothing audited\n");
		act_plan_free(p);
		return 0;
	}
	if (c->yes) {
		d = c->force ? ADEC_CONFIRM_DANGER : ADEC_CONFIRM;
	} else if (isatty(STDIN_FILENO)) {
		if (ask("Apply?")) {
			d = ADEC_CONFIRM;
			if (act_plan_dangerous(p) && !c->force)
				d = ask("The warnings above are dangerous. Apply anyway?")
					? ADEC_CONFIRM_DANGER
					: ADEC_DECLINE;
			else if (c->force)
				d = ADEC_CONFIRM_DANGER;
		}
	} else {
		fputs("oomlens: refused: not confirmed: standard input is not a terminal; pass "
		      "--yes\n",
		      stderr);
	}
	notes = p->notes.n;
	r = act_apply(&ctx, p, d);
	show_outcome(p, notes);
	act_plan_free(p);
	return r == 0 ? 0 : 1;
}

int
cmd_set(int argc, char **argv)
{
	struct cmd c = {.name = "set"};
	int r = parse(argc, argv, &c, true), status;
	const char *given;

	if (r)
		return r;
	if (c.want_help) {
		set_usage(stdout);
		return 0;
	}
	given = c.cgroup;
	if (c.cgroup && target_name_cgroup(c.root, "set", &c.cgroup) < 0)
		return 2;
	status = run(&c, true);
	if (c.cgroup != given) /* the path a name resolved to, allocated */
		free((char *)c.cgroup);
	return status;
}

int
cmd_kill(int argc, char **argv)
{
	struct cmd c = {.name = "kill"};
	int r = parse(argc, argv, &c, false);

	if (r)
		return r;
	if (c.want_help) {
		kill_usage(stdout);
		return 0;
	}
	if (c.signal && act_parse_signal(c.signal) < 0)
		return usage_error(&c, "unknown signal '%s'", c.signal);
	return run(&c, false);
}
