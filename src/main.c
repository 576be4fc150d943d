/*
 * main.c - the oomlens program: parse the command line, then run either the
 * batch snapshot loop (here) or the full-screen monitor (ui/).  It owns the
 * process's signal handling and exit statuses: 0 success, 1 the system
 * could not be read or written to, 2 bad usage.
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "act_guard.h"
#include "actions.h"
#include "cli.h"
#include "cmd_events.h"
#include "collect.h"
#include "config_file.h"
#include "model.h"
#include "output.h"
#include "pick.h"
#include "protect.h"
#include "privs.h"
#include "record.h"
#include "source.h"
#include "ui.h"
#include "util.h"

static volatile sig_atomic_t stop_requested;

/* SIGINT, SIGTERM and SIGHUP end the batch loop after the snapshot being written. */
static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/*
 * Catch SIGINT, SIGTERM and SIGHUP; ignore SIGPIPE.  SA_RESTART lets a write
 * blocked on a full pipe finish the snapshot whole instead of failing with
 * EINTR; nanosleep() is never restarted, so a sleep is still cut short.
 */
static void
batch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Sleep for seconds, resuming after signals that did not ask to stop. */
static void
sleep_between(double seconds)
{
	struct timespec ts;

	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9); /* seconds >= 0 */
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	while (!stop_requested && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Take o->count snapshots (0: until interrupted, or a recording's end) and
 * write each to standard output, and to the recording with --record.
 */
static int
run_batch(const struct options *o)
{
	struct collect_opts co = {.root = o->root, .pids = o->pids, .n_pids = o->n_pids,
				  .pick_cgs = o->pick_cgs, .n_pick_cgs = o->n_pick_names,
				  .collector = o->collector, .read_only = o->read_only};
	struct snap_source *c;
	struct recorder *rec = NULL;
	int status = 0;

	batch_signals();
	if (o->replay) {
		int r = snap_source_replay(o->replay, &c);

		if (r < 0) {
			fprintf(stderr, "oomlens: cannot replay %s: %s\n", o->replay,
				r == -EINVAL ? "not an oomlens recording" : strerror(-r));
			return 1;
		}
	} else {
		c = snap_source_live(&co);
	}
	if (o->record) {
		int r = record_open(o->record, &rec);

		if (r < 0) {
			fprintf(stderr, "oomlens: cannot record to %s: %s\n", o->record,
				r == -EINVAL ? "the file is not an oomlens recording" : strerror(-r));
			snap_source_free(c);
			return 1;
		}
	}
	for (long i = 0; !stop_requested && (o->count == 0 || i < o->count); i++) {
		struct snapshot *s = NULL;
		int r;

		if (i > 0 && !o->replay) {
			sleep_between(o->delay);
			if (stop_requested)
				break;
		}
		r = snap_source_next(c, &s);
		if (r == -ENODATA && o->replay)
			break;
		if (r < 0 && o->replay) {
			fprintf(stderr, "oomlens: cannot replay %s: %s\n", o->replay, strerror(-r));
			status = 1;
			break;
		}
		if (r < 0) {
			char path[4096];

			path_join(path, sizeof(path), o->root, "/proc/meminfo");
			fprintf(stderr, "oomlens: cannot read %s: %s\n", path, strerror(-r));
			status = 1;
			break;
		}
		if (o->collector == COLLECT_BPF && s->collector != COLLECTOR_BPF) {
			fprintf(stderr, "oomlens: --collector bpf: %s\n", s->collector_why);
			snapshot_free(s);
			status = 1;
			break;
		}
		if (rec && (r = record_append(rec, s)) < 0) {
			fprintf(stderr, "oomlens: cannot record to %s: %s\n", o->record,
				strerror(-r));
			snapshot_free(s);
			status = 1;
			break;
		}
		if (i > 0 && o->format == FMT_TEXT)
			fputc('\n', stdout);
		r = output_snapshot(stdout, s, o->format, o->sort, i == 0);
		snapshot_free(s);
		if (r == -EPIPE)
			break;
		if (r < 0) {
			fprintf(stderr, "oomlens: cannot write the snapshot: %s\n", strerror(-r));
			status = 1;
			break;
		}
	}
	if (rec) {
		int r = record_close(rec);

		if (r < 0 && status == 0) {
			fprintf(stderr, "oomlens: cannot record to %s: %s\n", o->record,
				strerror(-r));
			status = 1;
		}
	}
	snap_source_free(c);
	return status;
}

/*
 * Read the config file (none with --no-config) and merge it under the
 * command line.  Bad lines are reported and skipped; -1 only when the file
 * --config names cannot be read.
 */
static int
load_config(struct options *o, struct config *cfg)
{
	char used[4096];
	int r;

	*cfg = (struct config){.set = 0};
	if (o->no_config)
		return 0;
	if (o->config_file) {
		r = config_load(o->config_file, cfg, stderr);
		if (r < 0) {
			fprintf(stderr, "oomlens: cannot read %s: %s\n", o->config_file,
				r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
			return -1;
		}
	} else {
		used[0] = '\0';
		r = config_load_default(cfg, stderr, used, sizeof(used));
		if (r < 0 && r != -ENOENT && used[0])
			fprintf(stderr, "oomlens: cannot read %s: %s (ignored)\n", used,
				r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
	}
	config_apply(cfg, o);
	return 0;
}

#ifdef OL_TEST_HOOKS
/*
 * The test build only (tests/oomlens-hooked): OOMLENS_TEST_PAUSE_BEFORE_APPLY
 * seconds of sleep in act_apply(), to race the pins.  The installed program
 * is compiled without this function and without the variable's name.
 */
static void
test_hooks(void)
{
	const char *e = secure_getenv("OOMLENS_TEST_PAUSE_BEFORE_APPLY");
	char *end;
	double d;

	if (!e || !*e)
		return;
	d = strtod(e, &end);
	if (*end == '\0' && d > 0 && d < 600)
		act_test_pause_before_apply = d;
}
#else
static void
test_hooks(void)
{
}
#endif

int
main(int argc, char **argv)
{
	static struct config cfg;
	struct options o;
	bool read_only_given;
	char err[1024];
	int status;

	/*
	 * A fixed threshold for mmap'ed allocations: glibc's default one rises
	 * to the size of the largest block freed, after which a snapshot's
	 * process array (1.2 MB at 5,000 processes) comes from the heap and
	 * its pages stay there after it is freed.  Fixed, each snapshot's big
	 * arrays go back to the kernel when it does: 12.6 -> 9.0 MB resident
	 * for the monitor at 5,000 processes.
	 */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	test_hooks();

	if (argc > 1 && strcmp(argv[1], "set") == 0)
		return cmd_set(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "kill") == 0)
		return cmd_kill(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "events") == 0)
		return cmd_events(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "fits") == 0)
		return cmd_fits(argc - 1, argv + 1);
	/*
	 * Subcommands (oomlens set, kill, events, fits) are dispatched here, on
	 * argv[1], before the monitor's options are parsed; until they exist an
	 * operand is a usage error from cli_parse().
	 */
	switch (cli_parse(argc, argv, &o, err, sizeof(err))) {
	case CLI_USAGE:
		fprintf(stderr, "%s\n", err);
		return 2;
	case CLI_EXIT_OK:
		if (o.want_help)
			cli_usage(stdout);
		else
			cli_version(stdout);
		cli_free(&o);
		return fflush(stdout) == 0 ? 0 : 1;
	case CLI_RUN:
		break;
	}
	/* --read-only or OOMLENS_READ_ONLY=1: give up every capability before anything is read. */
	if (privs_read_only_env())
		o.read_only = true;
	if (o.read_only && (status = privs_drop_all()) < 0) {
		fprintf(stderr, "oomlens: --read-only: cannot drop capabilities: %s\n",
			strerror(-status));
		cli_free(&o);
		return 1;
	}

	read_only_given = o.read_only;
	if (load_config(&o, &cfg) < 0) {
		cli_free(&o);
		return 2;
	}
	o.config = &cfg;
	/* read_only = yes in the config file drops them too, before the system is read. */
	if (o.read_only && !read_only_given && (status = privs_drop_all()) < 0) {
		fprintf(stderr, "oomlens: read_only: cannot drop capabilities: %s\n",
			strerror(-status));
		cli_free(&o);
		return 1;
	}
	/* -p NAME: the cgroup it names, from a snapshot taken before the first one shown. */
	if (o.n_pick_names &&
	    (status = pick_resolve(o.root, o.pick_names, o.n_pick_names, &o.pick_cgs)) < 0) {
		cli_free(&o);
		return status == -ENOENT || status == -EEXIST ? 2 : 1;
	}
	/* --protect: before the first collection; failures are reported and survived. */
	if (o.protect)
		protect_self(stderr);
	status = o.batch ? run_batch(&o) : ui_run(&o);
	cli_free(&o);
	return status;
}
