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

/* Parse argv into c; 0 to go on, or the exit status of a usage error. */
static int
parse(int argc, char **argv, struct cmd *c, bool is_set)
{
	static const struct option set_opts[] = {
	    {"pid", required_argument, NULL, OPT_PID},
	    {"start-ticks", required_argument, NULL, OPT_START},
	    {"cgroup", required_argument, NULL, OPT_CGROUP},
	    {"oom-score-adj", required_argument, NULL, OPT_OOM_ADJ},
	    {"memory", required_argument, NULL, OPT_MEMORY},
	    {"memory-swap", required_argument, NULL, OPT_SWAP},
	    {"memory-reservation", required_argument, NULL, OPT_RES},
	    {"memory-swappiness", required_argument, NULL, OPT_SWAPPINESS},
	    {"kernel-memory", required_argument, NULL, OPT_KMEM},
	    {"oom-kill-disable", no_argument, NULL, OPT_OKD},
	    {"oom-kill-enable", no_argument, NULL, OPT_OKE},
	    {"memory-high", required_argument, NULL, OPT_HIGH},
	    {"memory-min", required_argument, NULL, OPT_MIN},
	    {"direct", no_argument, NULL, OPT_DIRECT},
	    {"api", no_argument, NULL, OPT_API},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {"yes", no_argument, NULL, 'y'},
	    {"dry-run", no_argument, NULL, OPT_DRY},
	    {"audit-file", required_argument, NULL, OPT_AUDIT},
	    {"audit-log", required_argument, NULL, OPT_AUDIT},
	    {"root", required_argument, NULL, OPT_ROOT},
	    {"read-only", no_argument, NULL, OPT_RO},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static const struct option kill_opts[] = {
	    {"pid", required_argument, NULL, OPT_PID},
	    {"start-ticks", required_argument, NULL, OPT_START},
	    {"signal", required_argument, NULL, OPT_SIGNAL},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {"yes", no_argument, NULL, 'y'},
	    {"dry-run", no_argument, NULL, OPT_DRY},
	    {"audit-file", required_argument, NULL, OPT_AUDIT},
	    {"audit-log", required_argument, NULL, OPT_AUDIT},
	    {"read-only", no_argument, NULL, OPT_RO},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static const int map[][2] = {
	    {OPT_OOM_ADJ, ASET_OOM_SCORE_ADJ},
	    {OPT_MEMORY, ASET_MEMORY},
	    {OPT_SWAP, ASET_MEMORY_SWAP},
	    {OPT_RES, ASET_MEMORY_RESERVATION},
	    {OPT_SWAPPINESS, ASET_MEMORY_SWAPPINESS},
	    {OPT_KMEM, ASET_KERNEL_MEMORY},
	    {OPT_HIGH, ASET_MEMORY_HIGH},
	    {OPT_MIN, ASET_MEMORY_MIN},
	};
	bool okd = false, oke = false, direct = false, api = false, cg_setting = false;
	uint64_t x;
	int o;

	opterr = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, is_set ? "+:yh" : "+:yhs:",
				is_set ? set_opts : kill_opts, NULL)) != -1) {
		switch (o) {
		case OPT_PID:
			if (!parse_num(optarg, INT32_MAX, &x))
				return usage_error(c, "--pid '%s': not a process id", optarg);
			c->pid = (pid_t)x;
			break;
		case OPT_START:
			if (!parse_num(optarg, UINT64_MAX, &x))
				return usage_error(
				    c, "--start-ticks '%s': not a start time in clock ticks",
				    optarg);
			c->start = x;
			break;
		case OPT_CGROUP:
			if (!*optarg)
				return usage_error(c, "--cgroup: empty path or name");
			c->cgroup = optarg;
			break;
		case OPT_OKD:
			okd = true;
			c->req.value[ASET_OOM_KILL_DISABLE] = "1";
			break;
		case OPT_OKE:
			oke = true;
			c->req.value[ASET_OOM_KILL_DISABLE] = "0";
			break;
		case OPT_DIRECT:
			direct = true;
			c->req.via = AVIA_CGROUPFS;
			break;
		case OPT_API:
			api = true;
			c->req.via = AVIA_DOCKER;
			break;
		case OPT_FORCE:
			c->force = true;
			break;
		case 'y':
			c->yes = true;
			break;
		case OPT_DRY:
			c->dry_run = true;
			break;
		case OPT_AUDIT:
			if (!*optarg)
				return usage_error(c, "--audit-file: empty file name");
			c->audit_file = optarg;
			break;
		case OPT_ROOT:
			if (!*optarg)
				return usage_error(c, "--root: empty directory name");
			c->root = optarg;
			break;
		case OPT_RO:
			c->read_only = true;
			break;
		case 's':
		case OPT_SIGNAL:
			c->signal = optarg;
			break;
		case 'h':
			c->want_help = true;
			return 0;
		case '?':
			if (optopt)
				return usage_error(c, "unknown option '-%c'", optopt);
			return usage_error(c, "unknown option or missing value in '%s'",
					   argv[optind - 1]);
		case ':':
			return usage_error(c, "'%s' needs a value", argv[optind - 1]);
		default:
			for (size_t i = 0; i < ARRAY_SIZE(map); i++)
				if (map[i][0] == o) {
					c->req.value[map[i][1]] = optarg;
					cg_setting |= map[i][1] != ASET_OOM_SCORE_ADJ;
				}
			break;
		}
	}
	if (optind < argc)
		return usage_error(c, "unexpected argument '%s'", argv[optind]);
	if (okd && oke)
		return usage_error(
		    c, "--oom-kill-disable and --oom-kill-enable contradict each other");
	if (direct && api)
		return usage_error(c, "--direct and --api contradict each other");
	cg_setting |= okd || oke;
	if (!is_set) {
		if (!c->pid)
			return usage_error(c, "--pid is required");
		return 0;
	}
	if (!c->pid == !c->cgroup)
		return usage_error(c, "give exactly one of --pid and --cgroup");
	if (c->pid && cg_setting)
		return usage_error(c, "memory settings apply to a cgroup: use --cgroup");
	if (c->pid && !c->req.value[ASET_OOM_SCORE_ADJ])
		return usage_error(c, "--pid needs --oom-score-adj");
	if (c->cgroup && !cg_setting && !c->req.value[ASET_OOM_SCORE_ADJ])
		return usage_error(c, "nothing to change: give at least one setting");
	if (c->start && !c->pid)
		return usage_error(c, "--start-ticks goes with --pid");
	return 0;
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
	int r = parse(argc, argv, &c, true);

	if (r)
		return r;
	if (c.want_help) {
		set_usage(stdout);
		return 0;
	}
	if (c.cgroup && target_name_cgroup(c.root, "set", &c.cgroup) < 0)
		return 2;
	return run(&c, true);
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
