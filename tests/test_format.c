/*
 * test_format.c - unit tests of the UI's pure formatting helpers (ui/format.c):
 * units, display width of wide and combining characters, truncation,
 * escaping of hostile text, short cgroup names, sparklines, meters and the
 * column layout.  Runs in the C.UTF-8 locale so wcwidth() knows CJK.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "format.h"

static void
test_size(void **state)
{
	char b[32];

	(void)state;
	fmt_size(b, sizeof(b), 0);
	assert_string_equal(b, "0");
	fmt_size(b, sizeof(b), 512);
	assert_string_equal(b, "512B");
	fmt_size(b, sizeof(b), 1024);
	assert_string_equal(b, "1.0K");
	fmt_size(b, sizeof(b), 1536);
	assert_string_equal(b, "1.5K");
	fmt_size(b, sizeof(b), 10 * 1024);
	assert_string_equal(b, "10K");
	fmt_size(b, sizeof(b), 1023 * 1024);
	assert_string_equal(b, "1023K");
	fmt_size(b, sizeof(b), 1023 * 1024 + 700);
	assert_string_equal(b, "1.0M");
	fmt_size(b, sizeof(b), 64LL << 20);
	assert_string_equal(b, "64M");
	fmt_size(b, sizeof(b), 24LL << 30);
	assert_string_equal(b, "24G");
	fmt_size(b, sizeof(b), (3LL << 40) / 2);
	assert_string_equal(b, "1.5T");
	fmt_size(b, sizeof(b), -5);
	assert_string_equal(b, "-");
	/* Never more than 5 columns, whatever the size. */
	for (int64_t v = 1; v > 0 && v < INT64_MAX / 3; v = v * 3 + 1) {
		fmt_size(b, sizeof(b), v);
		assert_true(strlen(b) <= 5);
	}
}

static void
test_duration(void **state)
{
	char b[16];

	(void)state;
	fmt_duration(b, sizeof(b), 0);
	assert_string_equal(b, "0s");
	fmt_duration(b, sizeof(b), 44.6);
	assert_string_equal(b, "45s");
	fmt_duration(b, sizeof(b), 725);
	assert_string_equal(b, "12m05s");
	fmt_duration(b, sizeof(b), 3 * 3600 + 5 * 60 + 9);
	assert_string_equal(b, "3h05m");
	fmt_duration(b, sizeof(b), 2 * 86400 + 4 * 3600);
	assert_string_equal(b, "2d04h");
	fmt_duration(b, sizeof(b), 1e9);
	assert_string_equal(b, "99d+");
	fmt_duration(b, sizeof(b), -1);
	assert_string_equal(b, "-");
	fmt_duration(b, sizeof(b), 0.0 / 0.0);
	assert_string_equal(b, "-");
}

static void
test_parse_time(void **state)
{
	time_t ref, t;
	struct tm tm = {.tm_year = 126,
			.tm_mon = 10,
			.tm_mday = 25,
			.tm_hour = 19,
			.tm_min = 29,
			.tm_sec = 27,
			.tm_isdst = -1};

	(void)state;
	ref = mktime(&tm);
	assert_int_equal(fmt_parse_time("+20s", ref, &t), 0);
	assert_int_equal(t, ref + 20);
	assert_int_equal(fmt_parse_time("-2m", ref, &t), 0);
	assert_int_equal(t, ref - 120);
	assert_int_equal(fmt_parse_time("+1h", ref, &t), 0);
	assert_int_equal(t, ref + 3600);
	assert_int_equal(fmt_parse_time("+90", ref, &t), 0);
	assert_int_equal(t, ref + 90);
	assert_int_equal(fmt_parse_time("19:30:14", ref, &t), 0);
	assert_int_equal(t, ref + 47);
	assert_int_equal(fmt_parse_time("19:30", ref, &t), 0);
	assert_int_equal(t, ref + 33);
	assert_int_equal(fmt_parse_time("2026-11-25 19:29:37", ref, &t), 0);
	assert_int_equal(t, ref + 10);
	assert_int_equal(fmt_parse_time("2026-11-26 19:29", ref, &t), 0);
	assert_int_equal(t, ref + 86400 - 27);
	assert_int_equal(fmt_parse_time("", ref, &t), -EINVAL);
	assert_int_equal(fmt_parse_time("+", ref, &t), -EINVAL);
	assert_int_equal(fmt_parse_time("+5x", ref, &t), -EINVAL);
	assert_int_equal(fmt_parse_time("19:30:14 junk", ref, &t), -EINVAL);
	assert_int_equal(fmt_parse_time("yesterday", ref, &t), -EINVAL);
}

static void
test_size_prec(void **state)
{
	char b[32];

	(void)state;
	fmt_size_prec(b, sizeof(b), (int64_t)(20.14 * (1 << 30)));
	assert_string_equal(b, "20.14G");
	fmt_size_prec(b, sizeof(b), (int64_t)(123.4 * (1 << 20)));
	assert_string_equal(b, "123.4M");
	fmt_size_prec(b, sizeof(b), 512);
	assert_string_equal(b, "512B");
	fmt_size_prec(b, sizeof(b), -(3LL << 30));
	assert_string_equal(b, "-3.00G");
}

static void
test_vals(void **state)
{
	char b[32];

	(void)state;
	fmt_val_kb(b, sizeof(b), val_ok(1024));
	assert_string_equal(b, "1.0M");
	fmt_val_kb(b, sizeof(b), val_ok(0));
	assert_string_equal(b, "0");
	fmt_val_kb(b, sizeof(b), val_unknown(13));
	assert_string_equal(b, "-");
	fmt_val_bytes(b, sizeof(b), val_max());
	assert_string_equal(b, "max");
	fmt_val_bytes(b, sizeof(b), val_na());
	assert_string_equal(b, "n/a");
	fmt_val_int(b, sizeof(b), val_ok(-1000));
	assert_string_equal(b, "-1000");
	fmt_val_int(b, sizeof(b), val_unknown(0));
	assert_string_equal(b, "-");
	fmt_count(b, sizeof(b), 999999);
	assert_string_equal(b, "999999");
	fmt_count(b, sizeof(b), 1234567);
	assert_string_equal(b, "1.2M");
	fmt_count(b, sizeof(b), 45600000000LL);
	assert_string_equal(b, "46G");
	fmt_psi(b, sizeof(b), val_ok(123));
	assert_string_equal(b, "1.23");
	fmt_psi(b, sizeof(b), val_ok(5));
	assert_string_equal(b, "0.05");
	fmt_psi(b, sizeof(b), val_unknown(2));
	assert_string_equal(b, "-");
	fmt_percent(b, sizeof(b), 1, 3);
	assert_string_equal(b, "33%");
	fmt_percent(b, sizeof(b), 5, 0);
	assert_string_equal(b, "-");
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(fmt_width(""), 0);
	assert_int_equal(fmt_width("abc"), 3);
	assert_int_equal(fmt_width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* 日本: two wide characters */
	assert_int_equal(fmt_width("e\xcc\x81"), 1);		    /* e + combining acute */
	assert_int_equal(fmt_width("\xe2\x96\x81\xe2\x96\x88"), 2); /* two block characters */
	assert_int_equal(fmt_width("a\xff"
				   "b"),
			 3);				/* an invalid byte counts 1 */
	assert_int_equal(fmt_width("\xe2\x80\xa6"), 1); /* the ellipsis */
}

static void
test_fit(void **state)
{
	char b[64];

	(void)state;
	assert_int_equal(fmt_fit(b, sizeof(b), "abcdef", 4, 0), 4);
	assert_string_equal(b, "abcd");
	assert_int_equal(fmt_fit(b, sizeof(b), "abcdef", 4, FIT_ELLIPSIS), 4);
	assert_string_equal(b, "abc\xe2\x80\xa6");
	fmt_fit(b, sizeof(b), "abcdef", 4, FIT_ELLIPSIS | FIT_ASCII);
	assert_string_equal(b, "abc~");
	fmt_fit(b, sizeof(b), "abc", 6, FIT_PAD);
	assert_string_equal(b, "abc   ");
	fmt_fit(b, sizeof(b), "12", 4, FIT_PAD | FIT_RIGHT);
	assert_string_equal(b, "  12");
	fmt_fit(b, sizeof(b), "abc", 3, FIT_ELLIPSIS);
	assert_string_equal(b, "abc");

	/* A wide character never straddles the edge: 日本語 in 5 columns is 日本 and a blank. */
	assert_int_equal(fmt_fit(b, sizeof(b), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, 0), 4);
	assert_string_equal(b, "\xe6\x97\xa5\xe6\x9c\xac");
	assert_int_equal(fmt_fit(b, sizeof(b), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, FIT_PAD),
			 5);
	assert_string_equal(b, "\xe6\x97\xa5\xe6\x9c\xac ");
	assert_int_equal(
	    fmt_fit(b, sizeof(b), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, FIT_ELLIPSIS), 5);
	assert_string_equal(b, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");

	/* A combining mark stays with its base character. */
	assert_int_equal(fmt_fit(b, sizeof(b), "e\xcc\x81xyz", 1, 0), 1);
	assert_string_equal(b, "e\xcc\x81");

	/* The tail of a path. */
	fmt_fit(b, sizeof(b), "/a/b/cdef", 4, FIT_TAIL | FIT_ELLIPSIS);
	assert_string_equal(b, "\xe2\x80\xa6"
			       "def");

	/* Nothing for no room; never past the buffer. */
	assert_int_equal(fmt_fit(b, sizeof(b), "abc", 0, FIT_PAD), 0);
	assert_string_equal(b, "");
	{
		char small[4];

		fmt_fit(small, sizeof(small), "\xe6\x97\xa5\xe6\x9c\xac", 10, FIT_PAD);
		assert_string_equal(small, "\xe6\x97\xa5");
	}
}

static void
test_escape(void **state)
{
	char b[128];

	(void)state;
	fmt_escape(b, sizeof(b), "a\x1b[31mb", false);
	assert_string_equal(b, "a\\x1b[31mb");
	fmt_escape(b, sizeof(b), "x\ny\tz", false);
	assert_string_equal(b, "x\\ny\\tz");
	fmt_escape(b, sizeof(b), "bad\xff", false);
	assert_string_equal(b, "bad\\xff");
	fmt_escape(b, sizeof(b),
		   "\xc2\x9b"
		   "2J",
		   false); /* C1 CSI */
	assert_null(strchr(b, '\x9b'));
	assert_non_null(strstr(b, "2J"));
	fmt_escape(b, sizeof(b),
		   "\xe2\x80\xae"
		   "evil",
		   false); /* right-to-left override */
	assert_null(strstr(b, "\xe2\x80\xae"));
	fmt_escape(b, sizeof(b), "\xe6\x97\xa5", false);
	assert_string_equal(b, "\xe6\x97\xa5");
	fmt_escape(b, sizeof(b), "\xe6\x97\xa5!", true);
	assert_string_equal(b, "\\u{65E5}!");
	fmt_escape(b, sizeof(b), NULL, false);
	assert_string_equal(b, "-");
	/* Truncated output is still a string and holds no control byte. */
	fmt_escape(b, 6, "\x1b\x1b\x1b", false);
	assert_true(strlen(b) < 6);
	for (const char *p = b; *p; p++)
		assert_true((unsigned char)*p >= 0x20);
}

static void
test_cgroup_short(void **state)
{
	char b[128];
	const char *hex = "3f0548969a3fe8e0392a47b9e1064ff83f0548969a3fe8e0392a47b9e1064ff8";
	char path[256];

	(void)state;
	fmt_cgroup_short(b, sizeof(b), "/");
	assert_string_equal(b, "/");
	fmt_cgroup_short(b, sizeof(b), "/a/b");
	assert_string_equal(b, "b");
	snprintf(path, sizeof(path), "/docker/%s", hex);
	fmt_cgroup_short(b, sizeof(b), path);
	assert_string_equal(b, "3f0548969a3f");
	snprintf(path, sizeof(path), "/system.slice/docker-%s.scope", hex);
	fmt_cgroup_short(b, sizeof(b), path);
	assert_string_equal(b, "docker-3f0548969a3f.scope");
	fmt_cgroup_short(b, sizeof(b), "/user.slice/cafe");
	assert_string_equal(b, "cafe");
	fmt_cgroup_short(b, sizeof(b), NULL);
	assert_string_equal(b, "-");
}

static void
test_spark(void **state)
{
	const int64_t v[] = {0, 50, 100, -1, 400};
	char b[64];

	(void)state;
	fmt_spark(b, sizeof(b), v, 5, 100, true);
	assert_string_equal(b, "_=# #");
	fmt_spark(b, sizeof(b), v, 3, 100, false);
	assert_string_equal(b, "\xe2\x96\x81\xe2\x96\x85\xe2\x96\x88");
	assert_int_equal(fmt_width(b), 3);
	fmt_spark(b, 4, v, 3, 100, false); /* room for one block only */
	assert_string_equal(b, "\xe2\x96\x81");
}

static void
test_meter(void **state)
{
	const int64_t parts[] = {50, 25, 25};
	const int64_t odd[] = {1, -7, 1, 1};
	int lens[4];

	(void)state;
	fmt_meter_split(10, parts, 3, 100, lens);
	assert_int_equal(lens[0], 5);
	assert_int_equal(lens[1], 3);
	assert_int_equal(lens[2], 2);
	fmt_meter_split(10, parts, 3, 200, lens);
	assert_int_equal(lens[0] + lens[1] + lens[2], 5);
	fmt_meter_split(10, parts, 3, 0, lens);
	assert_int_equal(lens[0] + lens[1] + lens[2], 0);
	fmt_meter_split(3, odd, 4, 3, lens);
	assert_int_equal(lens[1], 0);
	assert_int_equal(lens[0] + lens[1] + lens[2] + lens[3], 3);
	fmt_meter_split(4, parts, 3, 10, lens); /* parts above the scale: clipped to the width */
	assert_int_equal(lens[0] + lens[1] + lens[2], 4);
}

static void
test_layout(void **state)
{
	struct fmt_col c[4];

	(void)state;
	memset(c, 0, sizeof(c));
	c[0] = (struct fmt_col){.width = 5, .prio = 0};
	c[1] = (struct fmt_col){.width = 6, .prio = 1};
	c[2] = (struct fmt_col){.width = 4, .prio = 2};
	c[3] = (struct fmt_col){.width = 10, .flex = true};

	fmt_layout(c, 4, 80);
	assert_false(c[1].hidden);
	assert_int_equal(c[0].x, 0);
	assert_int_equal(c[1].x, 6);
	assert_int_equal(c[2].x, 13);
	assert_int_equal(c[3].x, 18);
	assert_int_equal(c[3].w, 62);

	for (int i = 0; i < 4; i++)
		c[i].hidden = false;
	fmt_layout(c, 4, 25); /* 5+6+4+3 blanks = 18: the flexible one would get 7 < 10 */
	assert_true(c[1].hidden);
	assert_false(c[2].hidden);
	assert_int_equal(c[3].w, 25 - 5 - 4 - 2);

	for (int i = 0; i < 4; i++)
		c[i].hidden = false;
	fmt_layout(c, 4,
		   8); /* nothing more to hide: the flexible column gets what is left, maybe 0 */
	assert_true(c[1].hidden && c[2].hidden);
	assert_false(c[0].hidden);
	assert_int_equal(c[3].w, 2);

	for (int i = 0; i < 4; i++)
		c[i].hidden = false;
	c[2].hidden = true; /* hidden by the caller */
	fmt_layout(c, 4, 80);
	assert_true(c[2].hidden);
	assert_int_equal(c[3].x, 13);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_size),	 cmocka_unit_test(test_size_prec),
	    cmocka_unit_test(test_vals),	 cmocka_unit_test(test_width),
	    cmocka_unit_test(test_fit),		 cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_cgroup_short), cmocka_unit_test(test_spark),
	    cmocka_unit_test(test_meter),	 cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_duration),	 cmocka_unit_test(test_parse_time),
	};

	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8")) {
		fprintf(stderr, "test_format: no C.UTF-8 locale\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
