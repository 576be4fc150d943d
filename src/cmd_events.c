/*
 * cmd_events.c - `oomlens events` (the OOM event log, and --follow for new
 * kills as they happen) and `oomlens fits` (would SIZE fit, and what limits
 * to give a container).  Both build snapshots with the ordinary collector,
 * reading no process but oomlens itself, and print with events_out.c.
 */
#include "config.h"

#include "cmd_events.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "collect.h"
#include "events_out.h"
#include "fits.h"
#include "target.h"
#include "util.h"

static volatile sig_atomic_t follow_stop;

static void
on_follow_stop(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* text or json; -1 for anything else. */
static int
parse_format(const char *s)
{
	if (strcmp(s, "text") == 0)
		return 0;
	if (strcmp(s, "json") == 0)
		return 1;
	return -1;
}

/* A collector that reads the host, the cgroups and only our own process. */
static struct collector *
small_collector(const char *root, pid_t *self)
{
	struct collect_opts co = {.root = root, .pids = self, .n_pids = 1};

	*self = getpid();
	return collector_new(&co);
}

static int
put_json(json_object *o)
{
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE),
	      stdout);
	fputc('\n', stdout);
	json_object_put(o);
	return fflush(stdout) == EOF ? -errno : 0;
}

/* Print events number `from` onward of s; returns the number after the last printed. */
static uint64_t
print_new(const struct snapshot *s, uint64_t from, int json)
{
	uint64_t first = s->events_total - s->n_events;

	if (from < first)
		from = first;
	for (uint64_t k = from; k < s->events_total; k++) {
		const struct oom_event *e = &s->events[k - first];

		if (json)
			put_json(oom_event_json(e));
		else
			oom_event_text(stdout, e);
	}
	fflush(stdout);
	return s->events_total;
}

static void
events_usage(FILE *f)
{
	fputs("usage: oomlens events [--format text|json] [--follow] [--root DIR]\n", f);
}

/* Wait up to a second for the kernel log to grow; drain what woke us. */
static void
wait_tick(int watch)
{
	struct pollfd p = {.fd = watch, .events = POLLIN};
	char buf[8192];

	if (poll(&p, watch >= 0 ? 1 : 0, 1000) <= 0 || watch < 0)
		return;
	for (;;) {
		ssize_t n = read(watch, buf, sizeof(buf));

		if (n > 0 || (n < 0 && (errno == EPIPE || errno == EINTR)))
			continue;
		break;
	}
}

int
cmd_events(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'F'},
	    {"follow", no_argument, NULL, 'f'},
	    {"root", required_argument, NULL, 'R'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *root = "";
	int json = 0, follow = 0, ch, status = 0, watch = -1;
	struct collector *c;
	struct snapshot *s = NULL;
	uint64_t printed = 0;
	pid_t self;
	int r;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "fhR:F:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			json = parse_format(optarg);
			if (json < 0) {
				fprintf(stderr,
					"oomlens events: unknown format '%s' (text or json)\n",
					optarg);
				return 2;
			}
			break;
		case 'f':
			follow = 1;
			break;
		case 'R':
			root = optarg;
			break;
		case 'h':
			events_usage(stdout);
			return 0;
		default:
			fprintf(stderr, "oomlens events: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "oomlens events: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}

	c = small_collector(root, &self);
	r = collector_run(c, &s);
	if (r < 0) {
		fprintf(stderr, "oomlens events: cannot read the host: %s\n", strerror(-r));
		collector_free(c);
		return 1;
	}
	if (!follow) {
		if (json) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "oom_events", oom_events_json(s));
			json_object_object_add(o, "kmsg_error",
					       s->kmsg_err ? json_object_new_string(val_reason(
								 val_unknown(s->kmsg_err)))
							   : NULL);
			status = put_json(o) < 0 ? 1 : 0;
		} else {
			oom_events_text(stdout, s, (size_t)-1);
			status = fflush(stdout) == EOF ? 1 : 0;
		}
		snapshot_free(s);
		collector_free(c);
		return status;
	}

	{
		struct sigaction sa;
		char path[4096];

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_follow_stop;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, NULL);
		/* A second reader of the kernel log only to wake up when it grows. */
		path_join(path, sizeof(path), root, "/dev/kmsg");
		watch = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (watch >= 0)
			lseek(watch, 0, SEEK_END);
	}
	if (s->kmsg_err)
		fprintf(stderr,
			"oomlens events: kernel log unreadable (%s): following the counters only\n",
			val_reason(val_unknown(s->kmsg_err)));
	printed = print_new(s, 0, json);
	snapshot_free(s);
	while (!follow_stop && !ferror(stdout)) {
		wait_tick(watch);
		if (follow_stop)
			break;
		r = collector_run(c, &s);
		if (r < 0) {
			fprintf(stderr, "oomlens events: cannot read the host: %s\n", strerror(-r));
			status = 1;
			break;
		}
		printed = print_new(s, printed, json);
		snapshot_free(s);
	}
	if (watch >= 0)
		close(watch);
	collector_free(c);
	return status;
}

static void
fits_usage(FILE *f)
{
	fputs("usage: oomlens fits SIZE [--cgroup PATH|NAME] [--format text|json] [--root DIR]\n"
	      "  SIZE: bytes, or with a unit b, k, m, g, t (powers of 1024), e.g. 512m, 1.5g\n"
	      "  exit status: 0 fits, 3 fits only after reclaiming cache, 4 does not fit,\n"
	      "               1 unknown, 2 usage error\n",
	      f);
}

int
cmd_fits(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"cgroup", required_argument, NULL, 'c'},
	    {"format", required_argument, NULL, 'F'},
	    {"root", required_argument, NULL, 'R'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *root = "", *cgname = NULL, *sizetext = NULL;
	int json = 0, ch, cg = -1, r;
	uint64_t size;
	struct collector *c;
	struct snapshot *s = NULL;
	struct fits_result res;
	struct sizing z;
	bool have_sizing = false;
	pid_t self;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "hc:R:F:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cgname = optarg;
			break;
		case 'F':
			json = parse_format(optarg);
			if (json < 0) {
				fprintf(stderr,
					"oomlens fits: unknown format '%s' (text or json)\n",
					optarg);
				return 2;
			}
			break;
		case 'R':
			root = optarg;
			break;
		case 'h':
			fits_usage(stdout);
			return 0;
		default:
			fprintf(stderr, "oomlens fits: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "oomlens fits: missing SIZE\n");
		return 2;
	}
	sizetext = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "oomlens fits: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (fits_parse_size(sizetext, &size) < 0) {
		fprintf(stderr,
			"oomlens fits: bad size '%s' (a positive number with b, k, m, g or t)\n",
			sizetext);
		return 2;
	}

	c = small_collector(root, &self);
	r = collector_run(c, &s);
	if (r < 0) {
		fprintf(stderr, "oomlens fits: cannot read the host: %s\n", strerror(-r));
		collector_free(c);
		return 1;
	}
	if (cgname) {
		struct target_match m;

		cg = target_find_cgroup(s, cgname, &m) == 0 ? m.cg : -1;
		if (cg < 0) {
			if (m.n)
				target_print_candidates(stderr, "fits", cgname, s, &m);
			else
				fprintf(stderr, "oomlens fits: no such cgroup or container '%s'\n",
					cgname);
			snapshot_free(s);
			collector_free(c);
			return 2;
		}
		have_sizing = sizing_for_cgroup(s, cg, &z) == 0;
	}
	fits_evaluate(s, cg, size, &res);
	if (json) {
		if (put_json(fits_json(s, &res)) < 0)
			res.status = 1;
	} else {
		fits_text(stdout, s, &res, have_sizing ? &z : NULL);
		if (fflush(stdout) == EOF)
			res.status = 1;
	}
	snapshot_free(s);
	collector_free(c);
	return res.status;
}
