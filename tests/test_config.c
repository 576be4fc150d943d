/*
 * test_config.c - the oomlensrc parser: every key and its spellings,
 * comments and blanks, each kind of bad line reported with its number and
 * skipped without touching the rest, later lines and the command line
 * overriding, the user file's path, and the writer that keeps the
 * operator's comments.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config_file.h"
#include "util.h"

/* What the parser reported. */
struct reports {
	unsigned line[32];
	char reason[32][512];
	size_t n;
};

static void
collect(void *arg, unsigned line, const char *reason)
{
	struct reports *r = arg;

	if (r->n < 32) {
		r->line[r->n] = line;
		snprintf(r->reason[r->n], sizeof(r->reason[0]), "%s", reason);
		r->n++;
	}
}

static int
parse(const char *text, struct config *cfg, struct reports *r)
{
	memset(r, 0, sizeof(*r));
	return config_parse(text, strlen(text), cfg, collect, r);
}

static void
test_good_lines(void **state)
{
	const char *text = "# a comment\n"
			   "\n"
			   "   \t\n"
			   "view = containers\n"
			   "columns=PID, USER ,OOM,%MEM,KBAD\n"
			   "  sort\t=  rss   # by resident memory\n"
			   "delay = 0.5\r\n"
			   "color = no\n"
			   "read_only = YES\n"
			   "audit_file = /var/log/oomlens/audit#1.log\n"
			   "docker_socket = /run/docker.sock\n"
			   "protect = on";
	struct config cfg = {.set = 0};
	struct reports r;

	assert_int_equal(parse(text, &cfg, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(cfg.set, CFG_VIEW | CFG_COLUMNS | CFG_SORT | CFG_DELAY | CFG_COLOR |
				      CFG_READ_ONLY | CFG_AUDIT_FILE | CFG_DOCKER_SOCKET |
				      CFG_PROTECT);
	assert_int_equal(cfg.view, CONFIG_VIEW_CONTAINERS);
	assert_int_equal(cfg.n_columns, 5);
	assert_string_equal(cfg.columns[0], "PID");
	assert_string_equal(cfg.columns[1], "USER");
	assert_string_equal(cfg.columns[3], "%MEM");
	assert_int_equal(cfg.sort, SORT_RSS);
	assert_true(cfg.delay == 0.5);
	assert_false(cfg.color);
	assert_true(cfg.read_only);
	/* A '#' inside a value (no blank before it) is part of it. */
	assert_string_equal(cfg.audit_file, "/var/log/oomlens/audit#1.log");
	assert_string_equal(cfg.docker_socket, "/run/docker.sock");
	assert_true(cfg.protect);
}

static void
test_bad_lines(void **state)
{
	static const struct {
		const char *line;
		const char *reason; /* a part of the reason */
	} cases[] = {
	    {"view processes", "expected 'key = value'"},
	    {" = 3", "missing key"},
	    {"colour = yes", "unknown key 'colour'"},
	    {"sort =", "missing value for sort"},
	    {"sort = # nothing", "missing value for sort"},
	    {"view = tree", "view must be processes or containers"},
	    {"sort = size", "unknown sort field 'size'"},
	    {"delay = -1", "delay must be"},
	    {"delay = 1e3", "delay must be"},
	    {"delay = 2000000", "delay must be"},
	    {"delay = .", "delay must be"},
	    {"color = maybe", "color must be yes or no"},
	    {"read_only = 2", "read_only must be yes or no"},
	    {"protect = y", "protect must be yes or no"},
	    {"columns = PID,,OOM", "column name"},
	    {"columns = PID;OOM", "column name"},
	    {"columns = AVERYLONGCOLUMNNAMEOFTWENTYFIVE", "column name"},
	    {"audit_file = audit.log", "must be an absolute path"},
	    {"docker_socket = ~/docker.sock", "must be an absolute path"},
	    {"view = \x1b[2Jcontainers", "view must be"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg = {.set = 0};
		char text[256];
		struct reports r;

		/* The bad line between two good ones: reported as line 2, the others kept. */
		snprintf(text, sizeof(text), "view = containers\n%s\ndelay = 3\n", cases[i].line);
		assert_int_equal(parse(text, &cfg, &r), 1);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.line[0], 2);
		if (!strstr(r.reason[0], cases[i].reason))
			fail_msg("'%s': reason '%s' lacks '%s'", cases[i].line, r.reason[0],
				 cases[i].reason);
		assert_null(strchr(r.reason[0], '\x1b'));
		assert_int_equal(cfg.set, CFG_VIEW | CFG_DELAY);
		assert_int_equal(cfg.view, CONFIG_VIEW_CONTAINERS);
		assert_true(cfg.delay == 3.0);
	}
}

static void
test_bad_bytes(void **state)
{
	const char nul[] = "view = containers\nsort = r\0ss\nprotect = yes\n";
	char *huge = malloc(10000);
	struct config cfg = {.set = 0};
	struct reports r;
	char many[512] = "columns = A";

	memset(&r, 0, sizeof(r));
	assert_int_equal(config_parse(nul, sizeof(nul) - 1, &cfg, collect, &r), 1);
	assert_int_equal(r.line[0], 2);
	assert_non_null(strstr(r.reason[0], "NUL"));
	assert_int_equal(cfg.set, CFG_VIEW | CFG_PROTECT);

	memset(huge, 'x', 9998);
	memcpy(huge, "sort = ", 7);
	huge[9998] = '\n';
	huge[9999] = '\0';
	assert_int_equal(parse(huge, &cfg, &r), 1);
	assert_non_null(strstr(r.reason[0], "too long"));
	free(huge);

	for (int i = 0; i < 33; i++)
		strcat(many, ",B");
	assert_int_equal(parse(many, &cfg, &r), 1);
	assert_non_null(strstr(r.reason[0], "too many columns"));

	/* No report callback: still counted, still skipped. */
	assert_int_equal(config_parse("nonsense\n", 9, &cfg, NULL, NULL), 1);
}

static void
test_overrides(void **state)
{
	struct config cfg = {.set = 0};
	struct reports r;
	struct options o;
	char *argv_d[] = {"oomlens", "-b", "-d", "7", "--no-color", NULL};
	char *argv_o[] = {"oomlens", "-o", "pid", NULL};
	char err[256];

	/* A later line wins; a bad later line leaves the earlier value. */
	assert_int_equal(parse("sort = rss\nsort = pid\ndelay = 1\ndelay = x\n", &cfg, &r), 1);
	assert_int_equal(cfg.sort, SORT_PID);
	assert_true(cfg.delay == 1.0);

	cfg = (struct config){.set = 0};
	assert_int_equal(
	    parse("sort = rss\ndelay = 9\ncolor = yes\nread_only = yes\nprotect = yes\n", &cfg, &r),
	    0);
	assert_int_equal(cli_parse(5, argv_d, &o, err, sizeof(err)), CLI_RUN);
	config_apply(&cfg, &o);
	assert_true(o.delay == 7.0); /* -d wins */
	assert_int_equal(o.sort, SORT_RSS);
	assert_true(o.sort_given);
	assert_true(o.no_color); /* --no-color wins over color = yes */
	assert_true(o.read_only);
	assert_true(o.protect);
	cli_free(&o);

	assert_int_equal(cli_parse(3, argv_o, &o, err, sizeof(err)), CLI_RUN);
	config_apply(&cfg, &o);
	assert_int_equal(o.sort, SORT_PID); /* -o wins */
	assert_true(o.delay == 9.0);
	assert_false(o.no_color);
	cli_free(&o);

	cfg = (struct config){.set = 0};
	assert_int_equal(parse("color = no\nread_only = no\n", &cfg, &r), 0);
	assert_int_equal(cli_parse(3, argv_o, &o, err, sizeof(err)), CLI_RUN);
	config_apply(&cfg, &o);
	assert_true(o.no_color);
	assert_false(o.read_only);
	assert_false(o.protect);
	assert_true(o.delay == CLI_DEFAULT_DELAY);
	cli_free(&o);
}

static void
test_paths(void **state)
{
	char out[256];

	assert_int_equal(config_user_path_from("/x/conf", "/home/u", out, sizeof(out)), 0);
	assert_string_equal(out, "/x/conf/oomlens/oomlensrc");
	assert_int_equal(config_user_path_from("relative", "/home/u", out, sizeof(out)), 0);
	assert_string_equal(out, "/home/u/.config/oomlens/oomlensrc");
	assert_int_equal(config_user_path_from("", "/home/u", out, sizeof(out)), 0);
	assert_string_equal(out, "/home/u/.config/oomlens/oomlensrc");
	assert_int_equal(config_user_path_from(NULL, NULL, out, sizeof(out)), -ENOENT);
	assert_int_equal(config_user_path_from(NULL, "/h", out, 8), -ENAMETOOLONG);
	assert_non_null(strstr(config_system_path(), "/oomlens/oomlensrc"));
}

/* What the writer writes for a delay, the reader reads back as the same value. */
static void
test_seconds_round_trip(void **state)
{
	static const char *const in[] = {"0", "0.5", ".25", "2", "1000000", "0.1234567",
					 "00.0000000000016923", "0.0000005", "999999.9999999"};
	static const char *const shown[] = {"0", "0.5", "0.25", "2", "1000000", "0.123457",
					    "0", "0.000001", "1000000"};
	char buf[64];
	double x, y;

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(parse_seconds(in[i], 1000000.0, &x), 0);
		format_seconds(buf, sizeof(buf), x);
		assert_string_equal(buf, shown[i]);
		assert_int_equal(parse_seconds(buf, 1000000.0, &y), 0);
		assert_true(x == y);
	}
	assert_int_equal(parse_seconds("1e-3", 1000000.0, &x), -EINVAL);
	assert_int_equal(parse_seconds("", 1000000.0, &x), -EINVAL);
	assert_int_equal(parse_seconds(".", 1000000.0, &x), -EINVAL);
	assert_int_equal(parse_seconds("-1", 1000000.0, &x), -EINVAL);
	assert_int_equal(parse_seconds("1000000.5", 1000000.0, &x), -ERANGE);
	assert_int_equal(parse_seconds("99999999999999999999999", 1000000.0, &x), -ERANGE);
}

/* round_i64() and ceil_i64() against libm's round() and ceil(), which the program does not link. */
static void
test_round_like_libm(void **state)
{
	static const double edge[] = {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994,
				      -0.49999999999999994, 1e15 + 0.5, -1e15 - 0.5, 4503599627370495.5,
				      1.0000000000000002, -1.0000000000000002, 1e-300, -1e-300};
	unsigned seed = 16;

	(void)state;
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		assert_int_equal(round_i64(edge[i]), (int64_t)round(edge[i]));
		assert_int_equal(ceil_i64(edge[i]), (int64_t)ceil(edge[i]));
	}
	for (int i = 0; i < 100000; i++) {
		double x = ((double)rand_r(&seed) - RAND_MAX / 2.0) / 1024.0 * (i % 7 ? 1.0 : 1e6);

		if (i % 3 == 0)
			x = (double)(int64_t)x + 0.5 * (i % 2 ? 1 : -1); /* a tie */
		assert_int_equal(round_i64(x), (int64_t)round(x));
		assert_int_equal(ceil_i64(x), (int64_t)ceil(x));
	}
}

static void
test_render(void **state)
{
	const char *old = "# mine\n"
			  "sort = rss # keep me? no: the line is rewritten\n"
			  "# view = processes\n"
			  "docker_socket = /run/docker.sock\n"
			  "sort = pid\n"
			  "bogus line kept\n";
	struct config cfg = {.set = CFG_SORT | CFG_VIEW | CFG_COLUMNS | CFG_DELAY,
			     .sort = SORT_GORMAN,
			     .view = CONFIG_VIEW_CONTAINERS,
			     .n_columns = 2,
			     .columns = {"PID", "OOM"},
			     .delay = 0.25};
	struct config back = {.set = 0};
	struct reports r;
	char *text = config_render(old, strlen(old), &cfg);

	assert_string_equal(text, "# mine\n"
				  "sort = badness_gorman\n"
				  "# view = processes\n"
				  "docker_socket = /run/docker.sock\n"
				  "bogus line kept\n"
				  "view = containers\n"
				  "columns = PID,OOM\n"
				  "delay = 0.25\n");
	assert_int_equal(parse(text, &back, &r), 1); /* only the operator's own bogus line */
	assert_int_equal(back.sort, SORT_GORMAN);
	assert_int_equal(back.view, CONFIG_VIEW_CONTAINERS);
	assert_int_equal(back.n_columns, 2);
	assert_true(back.delay == 0.25);
	free(text);

	text = config_render(NULL, 0, &cfg);
	assert_true(text[0] == '#');
	free(text);
}

static void
test_save_load(void **state)
{
	char dir[64], path[192];
	struct config cfg = {.set = CFG_SORT | CFG_PROTECT | CFG_AUDIT_FILE,
			     .sort = SORT_RSS,
			     .protect = true,
			     .audit_file = "/var/log/a.log"};
	struct config back = {.set = 0};
	FILE *err = tmpfile();

	snprintf(dir, sizeof(dir), "/tmp/oomlens-test-config-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/new/dir/oomlensrc", dir);
	assert_int_equal(config_save(path, &cfg), 0);
	cfg.sort = SORT_PID;
	assert_int_equal(config_save(path, &cfg), 0);
	assert_int_equal(config_load(path, &back, err), 0);
	assert_int_equal(back.set, cfg.set);
	assert_int_equal(back.sort, SORT_PID);
	assert_true(back.protect);
	assert_string_equal(back.audit_file, "/var/log/a.log");
	assert_int_equal(ftell(err), 0);
	assert_int_equal(config_load("/nonexistent/oomlensrc", &back, err), -ENOENT);

	/* A bad line on load: "oomlens: FILE:LINE: reason". */
	{
		FILE *f = fopen(path, "a");
		char msg[512] = "";

		assert_non_null(f);
		fputs("wat\n", f);
		fclose(f);
		assert_int_equal(config_load(path, &back, err), 0);
		rewind(err);
		assert_non_null(fgets(msg, sizeof(msg), err));
		assert_non_null(strstr(msg, "oomlens: "));
		assert_non_null(strstr(msg, "/new/dir/oomlensrc:5: expected 'key = value'"));
	}
	fclose(err);
	unlink(path);
	snprintf(path, sizeof(path), "%s/new/dir", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/new", dir);
	rmdir(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_lines), cmocka_unit_test(test_bad_lines),
	    cmocka_unit_test(test_bad_bytes),  cmocka_unit_test(test_overrides),
	    cmocka_unit_test(test_paths),      cmocka_unit_test(test_render),
	    cmocka_unit_test(test_save_load),  cmocka_unit_test(test_seconds_round_trip),
	    cmocka_unit_test(test_round_like_libm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
