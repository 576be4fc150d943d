/*
 * test_prometheus.c - the Prometheus exposition: label values escaped as
 * the format asks (and kernel text made printable first), unknown values
 * without a sample or a HELP line, unlimited limits as +Inf, exact ratios
 * and seconds, container labels, and the top-N process cut.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "prometheus.h"
#include "snapshot_fixture.h"

static void
test_escape_label(void **state)
{
	char out[64];

	assert_int_equal(prom_escape_label(out, sizeof(out), "plain", 5), 5);
	assert_string_equal(out, "plain");
	assert_int_equal(prom_escape_label(out, sizeof(out), "a\\b\"c\nd", 7), 10);
	assert_string_equal(out, "a\\\\b\\\"c\\nd");
	assert_int_equal(prom_escape_label(out, sizeof(out), "", 0), 0);
	assert_string_equal(out, "");
	/* UTF-8 and other bytes pass as they are. */
	assert_int_equal(prom_escape_label(out, sizeof(out), "caf\xc3\xa9\t", 6), 6);
	assert_string_equal(out, "caf\xc3\xa9\t");
	/* Too small: never half an escape, and the length it would need. */
	assert_int_equal(prom_escape_label(out, 3, "a\"b", 3), 4);
	assert_string_equal(out, "a");
	assert_int_equal(prom_escape_label(out, 4, "a\"b", 3), 4);
	assert_string_equal(out, "a\\\"");
	assert_int_equal(prom_escape_label(NULL, 0, "\\\\", 2), 4);
}

static void
test_label_dup(void **state)
{
	char *l = prom_label_dup("x\x1b]52;c;AAAA\x07\xff\"\n");

	/* Printable first (text_escape), then the exposition's escaping of its backslashes. */
	assert_null(strchr(l, '\x1b'));
	assert_null(strchr(l, '\n'));
	assert_null(strchr(l, '\a'));
	assert_non_null(strstr(l, "\\\\x1b]52"));
	assert_non_null(strstr(l, "\\\""));
	for (const char *p = l; *p; p++)
		if (*p == '"')
			assert_true(p > l && p[-1] == '\\');
	free(l);
}

/* The exposition of s with top_n processes. */
static char *
expo(const struct snapshot *s, size_t top_n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(prom_write(f, s, top_n), 0);
	fclose(f);
	return buf;
}

static void
test_exposition(void **state)
{
	struct snapshot *s = fixture_snapshot();
	char *e = expo(s, 2);

	/* Known values, in bytes. */
	assert_non_null(strstr(e, "\noomlens_host_mem_free_bytes 1024000000\n"));
	assert_non_null(strstr(e, "# TYPE oomlens_host_mem_free_bytes gauge\n"));
	/* Unknown: no sample and no HELP/TYPE (inode cache and the sum are unknown). */
	assert_null(strstr(e, "oomlens_host_inode_cache_bytes"));
	assert_null(strstr(e, "oomlens_host_vm_enough_bytes"));
	/* PSI: ratios of 1 and seconds; an unknown window has no sample. */
	assert_non_null(strstr(e, "oomlens_host_psi_some_ratio{window=\"10s\"} 0.0123\n"));
	assert_non_null(strstr(e, "oomlens_host_psi_some_seconds_total 0.987654\n"));
	assert_non_null(strstr(e, "oomlens_host_psi_full_ratio{window=\"60s\"} 0.0007\n"));
	assert_null(strstr(e, "oomlens_host_psi_full_ratio{window=\"300s\"}"));
	assert_non_null(strstr(
	    e, "# TYPE oomlens_host_oom_kills_total counter\noomlens_host_oom_kills_total 3\n"));
	/* Cgroups: +Inf for "max", the container's name, escaped paths, NA omitted. */
	assert_non_null(strstr(e, "oomlens_cgroup_limit_bytes{path=\"/\"} +Inf\n"));
	assert_non_null(strstr(
	    e, "oomlens_cgroup_limit_bytes{path=\"/docker/abc123\",container=\"web\"} 67108864\n"));
	assert_non_null(strstr(e, "oomlens_cgroup_high_bytes{path=\"/odd \\\"path\\\"\"} +Inf\n"));
	assert_null(strstr(e, "oomlens_cgroup_high_bytes{path=\"/\"}"));
	assert_null(strstr(e, "oomlens_cgroup_usage_bytes{path=\"/odd"));
	assert_non_null(strstr(e, "oomlens_cgroup_oom_kills_total{path=\"/docker\"} 1\n"));
	assert_non_null(strstr(
	    e,
	    "oomlens_cgroup_psi_some_ratio{path=\"/odd \\\"path\\\"\",window=\"10s\"} 0.0250\n"));
	assert_null(strstr(e, "oomlens_cgroup_psi_full_ratio"));
	/* The two highest oom_scores only, the hostile name escaped. */
	assert_non_null(strstr(e, "oomlens_process_oom_score{pid=\"300\",comm=\"victim\"} 950\n"));
	assert_non_null(strstr(e, "oomlens_process_oom_score{pid=\"200\",comm="
				  "\"q\\\"b\\\\\\\\s\\\\nn\\\\x1b[31m\\\\xff\"} 900\n"));
	assert_null(strstr(e, "pid=\"100\""));
	assert_non_null(
	    strstr(e, "oomlens_process_oom_score_adj{pid=\"300\",comm=\"victim\"} -100\n"));
	assert_non_null(strstr(e, "oomlens_oom_events_total 2\n"));
	assert_non_null(strstr(e, "oomlens_snapshot_timestamp_seconds 1795633262.345\n"));
	free(e);

	/* A kernel log oomlens cannot read: no events count rather than a 0. */
	s->kmsg_err = EPERM;
	e = expo(s, 0);
	assert_null(strstr(e, "oomlens_oom_events_total"));
	assert_null(strstr(e, "oomlens_process_oom_score"));
	free(e);
	snapshot_free(s);
}

/* Every family's samples follow its HELP and TYPE, together, each family once. */
static void
test_families_grouped(void **state)
{
	struct snapshot *s = fixture_snapshot();
	char *e = expo(s, PROM_TOP_PROCS), *save = NULL;
	char seen[128][96];
	size_t n_seen = 0;
	char current[96] = "";

	for (char *line = strtok_r(e, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[96];

		if (strncmp(line, "# HELP ", 7) == 0) {
			sscanf(line + 7, "%95s", name);
			for (size_t i = 0; i < n_seen; i++)
				assert_string_not_equal(seen[i], name);
			assert_true(n_seen < 128);
			snprintf(seen[n_seen++], sizeof(seen[0]), "%s", name);
			snprintf(current, sizeof(current), "%s", name);
			continue;
		}
		if (line[0] == '#')
			continue;
		sscanf(line, "%95[^{ ]", name);
		assert_string_equal(name, current);
	}
	free(e);
	snapshot_free(s);
}

/* A cgroup path far longer than any fixed buffer still makes one whole, well-quoted label. */
static void
test_long_label(void **state)
{
	struct snapshot *s = fixture_snapshot();
	char *path = malloc(6002), *e, *line, *end;

	path[0] = '/';
	memset(path + 1, '"', 6000);
	path[6001] = '\0';
	free(s->cgroups[3].path);
	s->cgroups[3].path = path;
	e = expo(s, 0);
	line = strstr(e, "oomlens_cgroup_processes{path=\"/\\\"");
	assert_non_null(line);
	end = strchr(line, '\n');
	assert_non_null(end);
	/* 6000 escaped quotes, then the closing quote, brace and the value. */
	assert_int_equal(end - line, (long)strlen("oomlens_cgroup_processes{path=\"/") + 12000 +
					 (long)strlen("\"} 0"));
	free(e);
	snapshot_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape_label), cmocka_unit_test(test_label_dup),
	    cmocka_unit_test(test_exposition),	 cmocka_unit_test(test_families_grouped),
	    cmocka_unit_test(test_long_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
