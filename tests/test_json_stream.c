/*
 * test_json_stream.c - `--format json` streams the process rows instead of
 * building json-c objects (output.c, for speed); this checks that the bytes
 * it writes are exactly json-c's rendering of snapshot_to_json(), on a
 * snapshot built by hand with every kind of value and every byte in the
 * strings, and on a snapshot of the live system.
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

#include <json-c/json.h>

#include "collect.h"
#include "model.h"
#include "output.h"
#include "rstr.h"

/* What output_snapshot() writes as JSON, and json-c's rendering of the same snapshot. */
static void
assert_same_json(const struct snapshot *s)
{
	char *streamed = NULL, *want;
	size_t len = 0;
	FILE *f = open_memstream(&streamed, &len);
	json_object *j;

	assert_non_null(f);
	assert_int_equal(output_snapshot(f, s, FMT_JSON, SORT_OOM_SCORE, true), 0);
	fclose(f);
	j = snapshot_to_json(s);
	assert_non_null(j);
	want = NULL;
	assert_true(asprintf(&want, "%s\n",
			     json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
								   JSON_C_TO_STRING_NOSLASHESCAPE)) >
		    0);
	json_object_put(j);
	if (strcmp(streamed, want) != 0) {
		size_t i = 0;

		while (streamed[i] && streamed[i] == want[i])
			i++;
		print_error("streamed JSON differs from json-c's at byte %zu:\n  got  %.80s\n"
			    "  want %.80s\n",
			    i, streamed + (i > 20 ? i - 20 : 0), want + (i > 20 ? i - 20 : 0));
	}
	assert_string_equal(streamed, want);
	free(streamed);
	free(want);
}

/* Every byte 1..255 in comm, cmdline and the cgroup; unknown, max and n/a values. */
static void
test_hand_built(void **state)
{
	static char cmdline[600], cgroup[300];
	struct proc procs[4];
	struct snapshot s;
	size_t n = 0;

	(void)state;
	for (int c = 1; c < 256; c++) {
		cmdline[n++] = (char)c;
		if (c % 3 == 0)
			cmdline[n++] = ' ';
	}
	cmdline[n] = '\0';
	snprintf(cgroup, sizeof(cgroup), "/docker/\"quoted\\\"/caf\xc3\xa9/\xe2\x80\xae/\xff");

	memset(procs, 0, sizeof(procs));
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 4; i++) {
		struct proc *p = &procs[i];

		p->pid = 100 + i;
		p->ppid = 1;
		p->start_ticks = UINT64_MAX - (uint64_t)i;
		p->cpu_ticks = (uint64_t)i * 12345;
		p->nice = -20 + i * 13;
		p->state = "SRDZ"[i];
		p->cg = -1;
		p->uid = val_ok(i * 1000);
		p->euid = i == 1 ? val_unknown(EACCES) : val_ok(0);
		p->vm_size_kb = val_ok(INT64_MAX);
		p->rss_kb = i == 2 ? val_na() : val_ok(INT64_MIN);
		p->swap_kb = i == 3 ? val_max() : val_unknown(OL_EMISSING);
		p->pgtables_kb = val_unknown(0);
		p->oom_score = val_ok(1000 - i);
		p->oom_score_adj = val_ok(-1000 + i);
		p->badness_gorman = val_unknown(OL_ENOTAPPL);
		p->badness_kernel = val_ok(-1);
		p->oom_score_recomputed = val_na();
		p->cap_sys_admin = val_ok(i & 1);
		p->cap_sys_rawio = i == 0 ? val_unknown(OL_EPARSE) : val_ok(0);
		p->oom_score_agrees = i == 3 ? val_na() : val_ok(1);
		p->flags = i == 3 ? PROC_KTHREAD : 0;
		{
			char comm[PROC_COMM_MAX];

			/* Longer than 15 bytes: the name kept apart (comm_long), as /proc's kworkers'. */
			snprintf(comm, sizeof(comm), "c%d\t\"\\/\x7f\x01\xc3(-events_unbound", i);
			proc_set_comm(p, comm, sizeof(comm));
		}
		if (i == 1) {
			p->cmdline_err = ESRCH;
			p->cgroup_err = ENODEV;
		} else {
			p->cmdline = cmdline;
			p->cgroup = cgroup;
		}
	}
	procs[3].state = '\0';
	s.procs = procs;
	s.n_procs = 4;
	s.cg_err = ENOENT;
	s.vanished = 7;
	s.read_errors = 4000000000u;
	assert_same_json(&s);

	s.cg_mount = cgroup;
	s.cgroup_version = 2;
	s.n_procs = 0;
	assert_same_json(&s);
	for (int i = 0; i < 4; i++)
		rstr_unref(procs[i].comm_long); /* the texts above are static */
}

/* A real snapshot of this machine: whatever the kernel shows today. */
static void
test_live(void **state)
{
	struct collect_opts o = {.root = ""};
	struct collector *c = collector_new(&o);
	struct snapshot *s = NULL;

	(void)state;
	assert_non_null(c);
	if (collector_run(c, &s) < 0) {
		collector_free(c);
		skip();
	}
	assert_same_json(s);
	snapshot_free(s);
	collector_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hand_built),
	    cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
