/*
 * cli.h - the command line: options of the monitor and of batch mode.
 * Parsing is pure (no I/O but the messages it returns), so tests can drive it.
 */
#ifndef OOMLENS_CLI_H
#define OOMLENS_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <sys/types.h>

#include "out_format.h"
#include "sort.h"

struct config;

struct options {
	bool batch;
	long count;          /* -n: snapshots to take; 0 = until interrupted */
	double delay;        /* -d: seconds between snapshots */
	enum out_format format;
	enum sort_key sort;
	bool sort_given;
	pid_t *pids;         /* -p's process IDs */
	size_t n_pids;
	char **pick_names;   /* -p's other items: cgroups as the monitor shows them (pick.h) */
	size_t n_pick_names;
	char **pick_cgs;     /* their cgroup paths, set by main.c's pick_resolve() */
	bool no_color;
	int collector;       /* --collector: enum collect_choice (collect.h), default auto */
	bool collector_given;
	bool read_only;
	const char *audit_file; /* --audit-file: the monitor's audit trail (actions.h) */
	bool protect;        /* --protect: lock memory, raise CPU priority (protect.h) */
	const char *root;    /* --root: read a saved tree instead of / */
	bool want_help;      /* -h: CLI_EXIT_OK, the caller prints cli_usage(stdout) */
	bool want_version;   /* -V: CLI_EXIT_OK, the caller prints cli_version(stdout) */
	bool delay_given;    /* -d was given: it overrides the config file */
	const char *config_file; /* --config FILE: read this instead of the usual files */
	bool no_config;      /* --no-config: read no config file */
	const char *record;  /* --record FILE: append each snapshot to a recording */
	const char *replay;  /* --replay FILE: snapshots from a recording, not the system */
	/* The config file's settings, merged by main.c; never NULL once main.c runs. */
	const struct config *config;
};

/* Defaults: the delay between snapshots, and batch mode's count when -n is not given. */
#define CLI_DEFAULT_DELAY 2.0
#define CLI_DEFAULT_BATCH_COUNT 1

enum cli_result { CLI_RUN = 0, CLI_EXIT_OK = 1, CLI_USAGE = 2 };

/* Parse argv into o.  On CLI_USAGE, err holds a one-line message. */
enum cli_result cli_parse(int argc, char **argv, struct options *o, char *err, size_t errsz);
void cli_free(struct options *o);
void cli_usage(FILE *f);
/* "oomlens VERSION" and a newline. */
void cli_version(FILE *f);

#endif
