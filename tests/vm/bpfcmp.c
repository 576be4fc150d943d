/*
 * bpfcmp.c - the bpf collector against the /proc collector in the VM (the
 * guest has no python): the rules of tests/system/bpf_diff.py, in C.
 *
 *   bpfcmp BPF1.json PROC.json BPF2.json NCPU
 *
 * Three snapshots taken back to back.  Every process in all three with one
 * start time: fields that cannot move equal (to one of the bpf reads);
 * memory, CPU time and the kernel's oom_score within what the two bpf reads
 * bracket, widened by the per-CPU counter slack (rss, swap) or a tick (CPU);
 * a kernel thread's comm a prefix of /proc's; the state one of the bpf
 * reads'.  Up to max(3, 1%) values may move outside the bracket (a state,
 * a process that exited between the reads).  Prints each mismatch; exit 0 when none counts, 1 otherwise,
 * 2 for bad input.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const exact[] = {"ppid", "uid", "euid", "nice", "kthread", "cap_sys_admin",
				    "cap_sys_rawio", "oom_score_adj", "cgroup", "cmdline"};
static const char *const counters[] = {"rss_kb", "swap_kb", "pgtables_kb", "vm_size_kb",
				       "cpu_ticks", "oom_score"};

/*
 * The snapshots' trees live until exit: a test helper that exits at once
 * leaves them to the kernel, so the sanitizer build (make distcheck) is
 * not to call that a leak.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}

static json_object *
procs_of(const char *file)
{
	json_object *doc = json_object_from_file(file), *p;

	if (!doc || !json_object_object_get_ex(doc, "processes", &p)) {
		fprintf(stderr, "bpfcmp: %s: no snapshot\n", file);
		exit(2);
	}
	return p;
}

static json_object *
find(json_object *procs, int64_t pid)
{
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		json_object *p = json_object_array_get_idx(procs, i), *v;

		if (json_object_object_get_ex(p, "pid", &v) && json_object_get_int64(v) == pid)
			return p;
	}
	return NULL;
}

static json_object *
get(json_object *p, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(p, k, &v);
	return v;
}

static bool
same(json_object *a, json_object *b)
{
	return strcmp(json_object_to_json_string(a), json_object_to_json_string(b)) == 0;
}

int
main(int argc, char **argv)
{
	json_object *b1, *pr, *b2;
	int64_t ncpu, slack1;
	unsigned n = 0, bad = 0, moved = 0;

	if (argc != 5)
		return 2;
	b1 = procs_of(argv[1]);
	pr = procs_of(argv[2]);
	b2 = procs_of(argv[3]);
	ncpu = atoi(argv[4]) > 0 ? atoi(argv[4]) : 1;
	slack1 = ncpu * (2 * ncpu > 32 ? 2 * ncpu : 32) * 4;
	for (size_t i = 0; i < json_object_array_length(pr); i++) {
		json_object *p = json_object_array_get_idx(pr, i);
		int64_t pid = json_object_get_int64(get(p, "pid"));
		json_object *x1 = find(b1, pid), *x2 = find(b2, pid);
		const char *c1, *cp;

		if (!x1 || !x2 || !same(get(x1, "start_ticks"), get(p, "start_ticks")) ||
		    !same(get(x2, "start_ticks"), get(p, "start_ticks")))
			continue;
		n++;
		for (size_t k = 0; k < sizeof(exact) / sizeof(exact[0]); k++) {
			if (same(get(x1, exact[k]), get(p, exact[k])) || same(get(x2, exact[k]), get(p, exact[k])))
				continue;
			printf("pid %lld %s: bpf %s proc %s\n", (long long)pid, exact[k],
			       json_object_to_json_string(get(x1, exact[k])),
			       json_object_to_json_string(get(p, exact[k])));
			bad++;
		}
		for (size_t k = 0; k < sizeof(counters) / sizeof(counters[0]); k++) {
			json_object *a = get(x1, counters[k]), *b = get(x2, counters[k]), *v = get(p, counters[k]);
			int64_t s = !strcmp(counters[k], "rss_kb") ? 3 * slack1 :
				    !strcmp(counters[k], "swap_kb") ? slack1 :
				    !strcmp(counters[k], "cpu_ticks") ? 1 : 0;
			int64_t lo, hi, x;

			if (!a || !b || !v || json_object_is_type(v, json_type_null) ||
			    json_object_is_type(a, json_type_null) || json_object_is_type(b, json_type_null)) {
				if (same(a, v) && same(b, v))
					continue;
				/* Known in one read, gone in another: it exited meanwhile. */
				printf("pid %lld %s: known in some reads only\n", (long long)pid, counters[k]);
				moved++;
				continue;
			}
			lo = json_object_get_int64(a);
			hi = json_object_get_int64(b);
			if (lo > hi) {
				x = lo;
				lo = hi;
				hi = x;
			}
			x = json_object_get_int64(v);
			if (x >= lo - s && x <= hi + s)
				continue;
			printf("pid %lld %s: proc %lld not within bpf %lld..%lld +-%lld\n", (long long)pid,
			       counters[k], (long long)x, (long long)lo, (long long)hi, (long long)s);
			moved++;
		}
		c1 = json_object_get_string(get(x1, "comm"));
		cp = json_object_get_string(get(p, "comm"));
		if (!(c1 && cp && (!strcmp(c1, cp) || (json_object_get_boolean(get(x1, "kthread")) &&
						       !strncmp(c1, cp, strlen(c1)))))) {
			printf("pid %lld comm: bpf %s proc %s\n", (long long)pid, c1 ? c1 : "?", cp ? cp : "?");
			bad++;
		}
		if (!same(get(p, "state"), get(x1, "state")) && !same(get(p, "state"), get(x2, "state"))) {
			printf("pid %lld state: bpf %s proc %s\n", (long long)pid,
			       json_object_get_string(get(x1, "state")), json_object_get_string(get(p, "state")));
			moved++; /* a state lasts microseconds: it moved */
		}
	}
	printf("bpfcmp: %u processes compared, %u mismatches, %u moved\n", n, bad, moved);
	return n == 0 || bad || moved > (n / 100 > 3 ? n / 100 : 3);
}
