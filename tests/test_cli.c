/*
 * test_cli.c - the command line: every option, the defaults, and every kind
 * of bad input, which must give CLI_USAGE and a one-line message that
 * names the problem.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "cli.h"

#define MAXARGS 16

/* cli_parse over a NULL-terminated list of arguments after "oomlens". */
static enum cli_result
parse(struct options *o, char *err, size_t errsz, ...)
{
	char *argv[MAXARGS + 2] = {(char *)"oomlens"};
	int argc = 1;
	va_list ap;
	char *a;

	va_start(ap, errsz);
	while ((a = va_arg(ap, char *)) != NULL && argc <= MAXARGS)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	return cli_parse(argc, argv, o, err, errsz);
}

#define PARSE(o, err, ...) parse(o, err, sizeof(err), __VA_ARGS__, (char *)NULL)

/* A usage error whose message starts "oomlens: ", holds want, and is one line. */
static void
assert_usage(const char *want, enum cli_result r, const char *err)
{
	assert_int_equal(r, CLI_USAGE);
	assert_true(strncmp(err, "oomlens: ", 9) == 0);
	assert_non_null(strstr(err, want));
	assert_null(strchr(err, '\n'));
}

static void
test_defaults(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, sizeof(err), (char *)NULL), CLI_RUN);
	assert_false(o.batch);
	assert_int_equal(o.count, 0);
	assert_true(o.delay == CLI_DEFAULT_DELAY);
	assert_int_equal(o.format, FMT_TEXT);
	assert_int_equal(o.sort, SORT_OOM_SCORE);
	assert_false(o.sort_given);
	assert_null(o.pids);
	assert_null(o.root);
	assert_false(o.no_color);
	assert_false(o.read_only);
	cli_free(&o);

	/* Batch mode takes one snapshot unless -n says otherwise. */
	assert_int_equal(PARSE(&o, err, "-b"), CLI_RUN);
	assert_true(o.batch);
	assert_int_equal(o.count, CLI_DEFAULT_BATCH_COUNT);
	cli_free(&o);
	assert_int_equal(PARSE(&o, err, "-b", "-n", "0"), CLI_RUN);
	assert_int_equal(o.count, 0);
	cli_free(&o);
}

static void
test_every_option(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(PARSE(&o, err, "--batch", "--iterations=5", "--delay", "0.5", "--format",
			       "json", "--sort", "rss", "--pid", "1,22", "-p", "333", "--no-color",
			       "--read-only", "--root", "/tmp/tree"),
			 CLI_RUN);
	assert_true(o.batch);
	assert_int_equal(o.count, 5);
	assert_true(o.delay == 0.5);
	assert_int_equal(o.format, FMT_JSON);
	assert_int_equal(o.sort, SORT_RSS);
	assert_true(o.sort_given);
	assert_int_equal(o.n_pids, 3);
	assert_int_equal(o.pids[0], 1);
	assert_int_equal(o.pids[1], 22);
	assert_int_equal(o.pids[2], 333);
	assert_true(o.no_color);
	assert_true(o.read_only);
	assert_string_equal(o.root, "/tmp/tree");
	cli_free(&o);

	assert_int_equal(PARSE(&o, err, "-bn3", "-d2", "-o", "KBAD", "--format=csv"), CLI_RUN);
	assert_true(o.batch);
	assert_int_equal(o.count, 3);
	assert_true(o.delay == 2.0);
	assert_int_equal(o.sort, SORT_KERNEL);
	assert_int_equal(o.format, FMT_CSV);
	cli_free(&o);

	assert_int_equal(PARSE(&o, err, "-d", ".25", "-n", "00"), CLI_RUN);
	assert_true(o.delay == 0.25);
	assert_int_equal(o.count, 0);
	cli_free(&o);
	assert_int_equal(PARSE(&o, err, "-d", "0"), CLI_RUN);
	assert_true(o.delay == 0.0);
	cli_free(&o);
	assert_int_equal(PARSE(&o, err, "-d", "10."), CLI_RUN);
	assert_true(o.delay == 10.0);
	cli_free(&o);

	/* --format and --sort are accepted without -b: the monitor sorts too. */
	assert_int_equal(PARSE(&o, err, "--sort", "gorman", "--format", "text"), CLI_RUN);
	assert_false(o.batch);
	assert_int_equal(o.sort, SORT_GORMAN);
	cli_free(&o);
}

static void
test_help_and_version(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(PARSE(&o, err, "-h"), CLI_EXIT_OK);
	assert_true(o.want_help);
	cli_free(&o);
	assert_int_equal(PARSE(&o, err, "--help"), CLI_EXIT_OK);
	assert_true(o.want_help);
	cli_free(&o);
	assert_int_equal(PARSE(&o, err, "-V"), CLI_EXIT_OK);
	assert_true(o.want_version);
	assert_false(o.want_help);
	cli_free(&o);
	assert_int_equal(PARSE(&o, err, "--version"), CLI_EXIT_OK);
	assert_true(o.want_version);
	cli_free(&o);
}

static void
test_bad_counts(void **state)
{
	struct options o;
	char err[256];

	assert_usage("invalid -n 'abc': not a non-negative integer", PARSE(&o, err, "-n", "abc"),
		     err);
	assert_usage("invalid -n '-1'", PARSE(&o, err, "-n", "-1"), err);
	assert_usage("invalid -n '+1'", PARSE(&o, err, "-n", "+1"), err);
	assert_usage("invalid -n '1.5'", PARSE(&o, err, "-n", "1.5"), err);
	assert_usage("invalid -n ' 1'", PARSE(&o, err, "-n", " 1"), err);
	assert_usage("invalid -n '': empty", PARSE(&o, err, "-n", ""), err);
	assert_usage("too large", PARSE(&o, err, "-n", "99999999999999999999999"), err);
	assert_usage("invalid -n '5x'", PARSE(&o, err, "--iterations", "5x"), err);
}

static void
test_bad_delays(void **state)
{
	struct options o;
	char err[256];

	assert_usage("invalid -d '-1': not a non-negative number of seconds",
		     PARSE(&o, err, "-d", "-1"), err);
	assert_usage("invalid -d 'x'", PARSE(&o, err, "-d", "x"), err);
	assert_usage("invalid -d 'nan'", PARSE(&o, err, "-d", "nan"), err);
	assert_usage("invalid -d 'inf'", PARSE(&o, err, "-d", "inf"), err);
	assert_usage("invalid -d 'infinity'", PARSE(&o, err, "--delay", "infinity"), err);
	assert_usage("invalid -d '1e3'", PARSE(&o, err, "-d", "1e3"), err);
	assert_usage("invalid -d '0x10'", PARSE(&o, err, "-d", "0x10"), err);
	assert_usage("invalid -d '.'", PARSE(&o, err, "-d", "."), err);
	assert_usage("invalid -d '1.2.3'", PARSE(&o, err, "-d", "1.2.3"), err);
	assert_usage("invalid -d ''", PARSE(&o, err, "-d", ""), err);
	assert_usage("too large", PARSE(&o, err, "-d", "1000000.5"), err);
}

static void
test_bad_words(void **state)
{
	struct options o;
	char err[1024];

	assert_usage("invalid --format 'xml': not one of text, json, csv",
		     PARSE(&o, err, "--format", "xml"), err);
	assert_usage("unknown sort field 'nosuch' (one of: oom_score",
		     PARSE(&o, err, "--sort", "nosuch"), err);
	assert_usage("unknown sort field 'x'", PARSE(&o, err, "-o", "x"), err);
	assert_usage("invalid --root '': empty", PARSE(&o, err, "--root", ""), err);
}

static void
test_bad_pids(void **state)
{
	struct options o;
	char err[256];

	assert_usage("invalid -p '0': '0' is not a positive process ID", PARSE(&o, err, "-p", "0"),
		     err);
	assert_usage("'' is not a positive", PARSE(&o, err, "-p", "1,,2"), err);
	assert_usage("'' is not a positive", PARSE(&o, err, "-p", "1,"), err);
	assert_usage("'' is not a positive", PARSE(&o, err, "-p", "web,"), err);
	/* An earlier good -p (a PID, a name) does not leak on a later bad one. */
	assert_usage("'' is not", PARSE(&o, err, "-p", "1", "-p", "y", "-p", "2,"), err);
	assert_null(o.pids);
	assert_null(o.pick_names);
}

/* -p's items that are not digits name a cgroup (pick.h), resolved later by main.c. */
static void
test_pid_names(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(PARSE(&o, err, "-p", "1,web,-5", "-p", "abc123def456,22"), CLI_RUN);
	assert_int_equal(o.n_pids, 2);
	assert_int_equal(o.pids[0], 1);
	assert_int_equal(o.pids[1], 22);
	assert_int_equal(o.n_pick_names, 3);
	assert_string_equal(o.pick_names[0], "web");
	assert_string_equal(o.pick_names[1], "-5");
	assert_string_equal(o.pick_names[2], "abc123def456");
	cli_free(&o);
	/* More than 7 digits cannot be a PID: a container's short id may be all digits. */
	assert_int_equal(PARSE(&o, err, "-p", "9999999,12345678,123456789012"), CLI_RUN);
	assert_int_equal(o.n_pids, 1);
	assert_int_equal(o.pids[0], 9999999);
	assert_int_equal(o.n_pick_names, 2);
	assert_string_equal(o.pick_names[0], "12345678");
	assert_string_equal(o.pick_names[1], "123456789012");
	cli_free(&o);
	assert_usage("--replay cannot be combined with -p",
		     PARSE(&o, err, "--replay", "x.rec", "-p", "web"), err);
}

static void
test_bad_options_and_operands(void **state)
{
	struct options o;
	char err[256];

	assert_usage("unknown or ambiguous option '--bogus'", PARSE(&o, err, "--bogus"), err);
	assert_usage("unknown option '-x'", PARSE(&o, err, "-x"), err);
	assert_usage("unknown option '-z'", PARSE(&o, err, "-bz"), err);
	assert_usage("option '--batch' takes no argument", PARSE(&o, err, "--batch=1"), err);
	assert_usage("option '-n' needs an argument", PARSE(&o, err, "-n"), err);
	assert_usage("option '--delay' needs an argument", PARSE(&o, err, "--delay"), err);
	assert_usage("unexpected argument 'extra'", PARSE(&o, err, "-b", "extra"), err);
	assert_usage("unexpected argument 'set'", PARSE(&o, err, "set", "-b"), err);
	/* Hostile text in an argument is escaped in the message. */
	assert_usage("unexpected argument 'a\\x1b[2Jb'", PARSE(&o, err, "a\x1b[2Jb"), err);
	assert_usage("unexpected argument 'a\\nb'", PARSE(&o, err, "a\nb"), err);
	/* Parsing twice in a row starts afresh. */
	assert_int_equal(PARSE(&o, err, "-b"), CLI_RUN);
	cli_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_every_option),
	    cmocka_unit_test(test_help_and_version),
	    cmocka_unit_test(test_bad_counts),
	    cmocka_unit_test(test_bad_delays),
	    cmocka_unit_test(test_bad_words),
	    cmocka_unit_test(test_bad_pids),
	    cmocka_unit_test(test_pid_names),
	    cmocka_unit_test(test_bad_options_and_operands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
