/*
 * test_actions.c - unit tests of the actions module's pure parts: Docker's
 * size syntax, the validation of every setting (each refusal and warning),
 * the v1 write order, oom_score_adj's rules, signals, the Engine API's
 * inspect body and the audit line format.  No I/O on the system here:
 * tests/system/actions.py and docker.sh write for real.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act_audit.h"
#include "act_engine.h"
#include "actions.h"
#include "audit.h"
#include "docker.h"
#include "util.h"

#define MIB (INT64_C(1) << 20)

static void
test_size_syntax(void **state)
{
	static const struct {
		const char *in;
		bool unlimited_ok;
		int ret;
		int64_t want;
	} t[] = {
	    {"1", false, 0, 1},
	    {"1b", false, 0, 1},
	    {"1B", false, 0, 1},
	    {"4k", false, 0, 4096},
	    {"4K", false, 0, 4096},
	    {"6m", false, 0, 6 * MIB},
	    {"96M", false, 0, 96 * MIB},
	    {"2g", false, 0, 2048 * MIB},
	    {"2G", false, 0, 2048 * MIB},
	    {"-1", true, 0, -1},
	    {"-1", false, -EINVAL, 0},
	    {"-2", true, -EINVAL, 0},
	    {"0", false, -EINVAL, 0},
	    {"0m", false, -EINVAL, 0},
	    {"", false, -EINVAL, 0},
	    {"m", false, -EINVAL, 0},
	    {"12x", false, -EINVAL, 0},
	    {"1.5m", false, -EINVAL, 0},
	    {"1t", false, -EINVAL, 0},
	    {"1mb", false, -EINVAL, 0},
	    {" 5m", false, -EINVAL, 0},
	    {"5m ", false, -EINVAL, 0},
	    {"+5m", false, -EINVAL, 0},
	    {"0x10", false, -EINVAL, 0},
	    {"99999999999999999999", false, -ERANGE, 0},
	    {"8589934592g", false, -ERANGE, 0},
	    {"9223372036854771712", false, -ERANGE, 0},
	};
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t v = 0;
		int r = act_parse_size(t[i].in, t[i].unlimited_ok, &v, why, sizeof(why));

		if (r != t[i].ret)
			fail_msg("'%s': got %d, want %d", t[i].in, r, t[i].ret);
		if (r == 0)
			assert_int_equal(v, t[i].want);
		else
			assert_true(strlen(why) > 0);
	}
}

static void
test_format_size(void **state)
{
	char b[64];

	(void)state;
	act_format_size(96 * MIB, b, sizeof(b));
	assert_string_equal(b, "96m (100663296)");
	act_format_size(1024 * MIB, b, sizeof(b));
	assert_string_equal(b, "1g (1073741824)");
	act_format_size(8192, b, sizeof(b));
	assert_string_equal(b, "8k (8192)");
	act_format_size(1000, b, sizeof(b));
	assert_string_equal(b, "1000");
	act_format_size(-1, b, sizeof(b));
	assert_string_equal(b, "unlimited");
	act_format_size(INT64_MAX, b, sizeof(b));
	assert_string_equal(b, "unlimited");
}

static void
test_signals(void **state)
{
	(void)state;
	assert_int_equal(act_parse_signal("TERM"), SIGTERM);
	assert_int_equal(act_parse_signal("SIGTERM"), SIGTERM);
	assert_int_equal(act_parse_signal("kill"), SIGKILL);
	assert_int_equal(act_parse_signal("sigkill"), SIGKILL);
	assert_int_equal(act_parse_signal("9"), SIGKILL);
	assert_int_equal(act_parse_signal("15"), SIGTERM);
	assert_int_equal(act_parse_signal("0"), -EINVAL);
	assert_int_equal(act_parse_signal("-9"), -EINVAL);
	assert_int_equal(act_parse_signal("999"), -EINVAL);
	assert_int_equal(act_parse_signal("TERMX"), -EINVAL);
	assert_int_equal(act_parse_signal(""), -EINVAL);
}

/* A v1 cgroup using 10m, limited to 64m / 128m memory+swap. */
static struct act_cg_state
v1_state(void)
{
	struct act_cg_state s = {.version = 1};

	s.usage = val_ok(10 * MIB);
	s.memory = val_ok(64 * MIB);
	s.memory_swap = val_ok(128 * MIB);
	s.swap_max = val_na();
	s.reservation = val_max();
	s.swappiness = val_ok(60);
	s.kmem = val_max();
	s.oom_kill_disable = val_ok(0);
	s.high = val_na();
	s.min = val_na();
	return s;
}

/* A v1 cgroup with no limits at all. */
static struct act_cg_state
v1_unlimited(void)
{
	struct act_cg_state s = v1_state();

	s.memory = s.memory_swap = val_max();
	return s;
}

static struct act_cg_state
v2_state(void)
{
	struct act_cg_state s = {.version = 2};

	s.usage = val_ok(10 * MIB);
	s.memory = val_ok(64 * MIB);
	s.swap_max = val_ok(64 * MIB);
	s.memory_swap = val_ok(128 * MIB);
	s.reservation = val_ok(0);
	s.high = val_max();
	s.min = val_ok(0);
	s.swappiness = s.kmem = s.oom_kill_disable = val_na();
	return s;
}

struct vcase {
	const char *what;
	int version; /* 1: v1_state, 2: v2_state, 3: v1_unlimited */
	const char *v[ASET__COUNT];
	const char *refusal; /* substring of the first refusal, NULL: none */
	const char *warning; /* substring of a warning, NULL: none */
	const char *files;   /* the steps' files in order, space-separated */
};

static bool
any_has(const struct act_msgs *m, const char *needle)
{
	for (size_t i = 0; i < m->n; i++)
		if (strstr(m->v[i], needle))
			return true;
	return false;
}

static void
run_case(const struct vcase *c)
{
	struct act_cg_state s = c->version == 1	  ? v1_state()
				: c->version == 2 ? v2_state()
						  : v1_unlimited();
	struct act_request r;
	struct act_plan p;
	char files[1024] = "";

	memset(&r, 0, sizeof(r));
	memset(&p, 0, sizeof(p));
	memcpy(r.value, c->v, sizeof(r.value));
	act_validate_cgroup(&s, &r, &p);
	for (size_t i = 0; i < p.n_steps; i++) {
		if (i)
			strcat(files, " ");
		strcat(files, p.steps[i].file);
	}
	if (c->refusal && !any_has(&p.refusals, c->refusal))
		fail_msg("%s: no refusal containing '%s' (got %zu: %s)", c->what, c->refusal,
			 p.refusals.n, p.refusals.n ? p.refusals.v[0] : "");
	if (!c->refusal && p.refusals.n)
		fail_msg("%s: unexpected refusal: %s", c->what, p.refusals.v[0]);
	if (c->warning && !any_has(&p.warnings, c->warning))
		fail_msg("%s: no warning containing '%s'", c->what, c->warning);
	if (!c->warning && p.warnings.n)
		fail_msg("%s: unexpected warning: %s", c->what, p.warnings.v[0]);
	if (c->files && !c->refusal && strcmp(files, c->files) != 0)
		fail_msg("%s: steps '%s', want '%s'", c->what, files, c->files);
	for (size_t i = 0; i < p.refusals.n; i++)
		free(p.refusals.v[i]);
	for (size_t i = 0; i < p.warnings.n; i++)
		free(p.warnings.v[i]);
	for (size_t i = 0; i < p.notes.n; i++)
		free(p.notes.v[i]);
	free(p.refusals.v);
	free(p.warnings.v);
	free(p.notes.v);
	free(p.steps);
}

#define V(s, x) [s] = x

static const struct vcase vcases[] = {
    /* accepted, with the files in the order written */
    {"memory alone below memsw", 1, {V(ASET_MEMORY, "96m")}, NULL, NULL, "memory.limit_in_bytes"},
    {"v1 raise both: memsw first",
     1,
     {V(ASET_MEMORY, "96m"), V(ASET_MEMORY_SWAP, "192m")},
     NULL,
     NULL,
     "memory.memsw.limit_in_bytes memory.limit_in_bytes"},
    {"v1 lower both: memory first",
     1,
     {V(ASET_MEMORY, "32m"), V(ASET_MEMORY_SWAP, "48m")},
     NULL,
     NULL,
     "memory.limit_in_bytes memory.memsw.limit_in_bytes"},
    {"v1 memsw unlimited first",
     1,
     {V(ASET_MEMORY, "100m"), V(ASET_MEMORY_SWAP, "-1")},
     NULL,
     NULL,
     "memory.memsw.limit_in_bytes memory.limit_in_bytes"},
    {"v1 from unlimited: memory first",
     3,
     {V(ASET_MEMORY, "64m"), V(ASET_MEMORY_SWAP, "128m")},
     NULL,
     NULL,
     "memory.limit_in_bytes memory.memsw.limit_in_bytes"},
    {"memory-swap alone above memory",
     1,
     {V(ASET_MEMORY_SWAP, "256m")},
     NULL,
     NULL,
     "memory.memsw.limit_in_bytes"},
    {"memory equal to memory-swap",
     1,
     {V(ASET_MEMORY, "128m")},
     NULL,
     NULL,
     "memory.limit_in_bytes"},
    {"every v1 setting",
     1,
     {V(ASET_MEMORY, "64m"), V(ASET_MEMORY_SWAP, "128m"), V(ASET_MEMORY_RESERVATION, "32m"),
      V(ASET_KERNEL_MEMORY, "8m"), V(ASET_MEMORY_SWAPPINESS, "10"), V(ASET_OOM_KILL_DISABLE, "1")},
     NULL,
     NULL,
     "memory.limit_in_bytes memory.memsw.limit_in_bytes memory.soft_limit_in_bytes "
     "memory.kmem.limit_in_bytes memory.swappiness memory.oom_control"},
    {"swappiness bounds", 1, {V(ASET_MEMORY_SWAPPINESS, "0")}, NULL, NULL, "memory.swappiness"},
    {"swappiness 100", 1, {V(ASET_MEMORY_SWAPPINESS, "100")}, NULL, NULL, "memory.swappiness"},
    {"reservation removed",
     1,
     {V(ASET_MEMORY_RESERVATION, "0")},
     NULL,
     NULL,
     "memory.soft_limit_in_bytes"},
    {"oom-kill-enable", 3, {V(ASET_OOM_KILL_DISABLE, "0")}, NULL, NULL, "memory.oom_control"},
    {"v2 memory and swap",
     2,
     {V(ASET_MEMORY, "96m"), V(ASET_MEMORY_SWAP, "192m")},
     NULL,
     NULL,
     "memory.max memory.swap.max"},
    {"v2 high and min",
     2,
     {V(ASET_MEMORY_HIGH, "48m"), V(ASET_MEMORY_MIN, "8m")},
     NULL,
     NULL,
     "memory.high memory.min"},
    {"v2 high max", 2, {V(ASET_MEMORY_HIGH, "max")}, NULL, NULL, "memory.high"},
    {"v2 reservation is memory.low",
     2,
     {V(ASET_MEMORY_RESERVATION, "16m")},
     NULL,
     NULL,
     "memory.low"},

    /* refusals: syntax, minimums, ranges */
    {"bad size", 1, {V(ASET_MEMORY, "12x")}, "invalid size '12x'", NULL, ""},
    {"zero memory", 1, {V(ASET_MEMORY, "0")}, "must be above 0", NULL, ""},
    {"negative memory", 1, {V(ASET_MEMORY, "-1")}, "invalid size", NULL, ""},
    {"memory below 6m", 1, {V(ASET_MEMORY, "5m")}, "the minimum is 6m", NULL, ""},
    {"memory 6m exactly",
     1,
     {V(ASET_MEMORY, "6m")},
     NULL,
     "below the current usage",
     "memory.limit_in_bytes"},
    {"kernel memory below 4m", 1, {V(ASET_KERNEL_MEMORY, "3m")}, "the minimum is 4m", NULL, ""},
    {"swappiness 101", 1, {V(ASET_MEMORY_SWAPPINESS, "101")}, "valid range is 0-100", NULL, ""},
    {"swappiness -1", 1, {V(ASET_MEMORY_SWAPPINESS, "-1")}, "valid range is 0-100", NULL, ""},
    {"swappiness word", 1, {V(ASET_MEMORY_SWAPPINESS, "ten")}, "valid range is 0-100", NULL, ""},
    {"memory-swap bad", 1, {V(ASET_MEMORY_SWAP, "1q")}, "invalid size '1q'", NULL, ""},
    /* orderings */
    {"swap below memory",
     1,
     {V(ASET_MEMORY, "96m"), V(ASET_MEMORY_SWAP, "64m")},
     "must be at least the memory limit",
     NULL,
     ""},
    {"swap alone below current memory",
     1,
     {V(ASET_MEMORY_SWAP, "32m")},
     "must be at least the memory limit",
     NULL,
     ""},
    {"memory alone above current memsw",
     1,
     {V(ASET_MEMORY, "200m")},
     "give --memory-swap at the same time",
     NULL,
     ""},
    {"swap without any memory limit",
     3,
     {V(ASET_MEMORY_SWAP, "128m")},
     "needs a memory limit",
     NULL,
     ""},
    {"reservation above memory",
     1,
     {V(ASET_MEMORY_RESERVATION, "100m")},
     "must be below --memory",
     NULL,
     ""},
    {"reservation above new memory",
     1,
     {V(ASET_MEMORY, "32m"), V(ASET_MEMORY_RESERVATION, "48m")},
     "must be below --memory",
     NULL,
     NULL},
    /* versions */
    {"swappiness on v2",
     2,
     {V(ASET_MEMORY_SWAPPINESS, "10")},
     "not available on cgroup v2",
     NULL,
     ""},
    {"kernel memory on v2",
     2,
     {V(ASET_KERNEL_MEMORY, "8m")},
     "not available on cgroup v2",
     NULL,
     ""},
    {"oom-kill-disable on v2",
     2,
     {V(ASET_OOM_KILL_DISABLE, "1")},
     "not available on cgroup v2",
     NULL,
     ""},
    {"memory-high on v1", 1, {V(ASET_MEMORY_HIGH, "32m")}, "not available on cgroup v1", NULL, ""},
    {"memory-min on v1", 1, {V(ASET_MEMORY_MIN, "32m")}, "not available on cgroup v1", NULL, ""},
    /* warnings that need --force or a second confirmation */
    {"memory below usage",
     1,
     {V(ASET_MEMORY, "8m")},
     NULL,
     "below the current usage",
     "memory.limit_in_bytes"},
    {"v2 memory below usage",
     2,
     {V(ASET_MEMORY, "8m")},
     NULL,
     "OOM-kill processes inside",
     "memory.max"},
    {"oom-kill-disable without a limit",
     3,
     {V(ASET_OOM_KILL_DISABLE, "1")},
     NULL,
     "kills the host's own processes",
     "memory.oom_control"},
    {"oom-kill-disable with a limit",
     1,
     {V(ASET_OOM_KILL_DISABLE, "1")},
     NULL,
     NULL,
     "memory.oom_control"},
};

/* One cmocka test per case of vcases (its initial state), named by the case. */
static void
test_validate_case(void **state)
{
	run_case(*state);
}

/*
 * A limit on the root memory cgroup covers the whole host: a warning, so
 * the monitor's m asks a second time (issue 13, item 8); another cgroup
 * with the same request gets none.
 */
static void
test_root_cgroup_warns(void **state)
{
	struct act_cg_state s = v1_state();
	struct act_request r;
	struct act_plan p;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&p, 0, sizeof(p));
	r.value[ASET_MEMORY] = "100m";
	snprintf(p.cgroup, sizeof(p.cgroup), "/");
	act_validate_cgroup(&s, &r, &p);
	assert_true(any_has(&p.warnings, "root memory cgroup"));
	assert_true(any_has(&p.warnings, "whole host") || any_has(&p.warnings, "every process"));
	for (size_t i = 0; i < p.warnings.n; i++)
		free(p.warnings.v[i]);
	free(p.warnings.v);
	free(p.steps);

	memset(&p, 0, sizeof(p));
	snprintf(p.cgroup, sizeof(p.cgroup), "/docker/abc");
	act_validate_cgroup(&s, &r, &p);
	assert_false(any_has(&p.warnings, "root memory cgroup"));
	for (size_t i = 0; i < p.warnings.n; i++)
		free(p.warnings.v[i]);
	free(p.warnings.v);
	free(p.steps);
}

/* The values written: the v1 memsw step and v2's swap.max, which is memory-swap minus memory. */
static void
test_written_values(void **state)
{
	struct act_cg_state s = v2_state();
	struct act_request r;
	struct act_plan p;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&p, 0, sizeof(p));
	r.value[ASET_MEMORY] = "96m";
	r.value[ASET_MEMORY_SWAP] = "192m";
	act_validate_cgroup(&s, &r, &p);
	assert_int_equal(p.n_steps, 2);
	assert_string_equal(p.steps[0].write_text, "100663296");
	assert_string_equal(p.steps[1].write_text, "100663296"); /* 192m - 96m of swap */
	assert_int_equal(p.steps[1].api_value, 192 * MIB);
	free(p.steps);

	s = v1_state();
	memset(&p, 0, sizeof(p));
	r.value[ASET_MEMORY] = "100m";
	r.value[ASET_MEMORY_SWAP] = "-1";
	act_validate_cgroup(&s, &r, &p);
	assert_int_equal(p.n_steps, 2);
	assert_string_equal(p.steps[0].write_text, "-1");
	assert_string_equal(p.steps[0].new_text, "unlimited");
	assert_string_equal(p.steps[0].old_text, "128m (134217728)");
	for (size_t i = 0; i < p.notes.n; i++)
		free(p.notes.v[i]);
	free(p.notes.v);
	free(p.steps);
}

/* act_validate_oom_adj(): text and the current value -> the value, or INT32_MIN and a refusal. */
struct adjcase {
	const char *what;
	const char *text;
	int64_t cur;
	bool cap, in_cgroup;
	int want;
	const char *refusal, *warning; /* a substring of a refusal / warning, NULL: none */
};

static const struct adjcase adjcases[] = {
    {"adj 300 from 0", "300", 0, false, false, 300, NULL, NULL},
    {"adj 100 from 300", "100", 300, false, false, 100, NULL, NULL},
    {"adj 0 from 300", "0", 300, false, false, 0, NULL, NULL},
    {"adj 1000 from 0", "1000", 0, false, false, 1000, NULL, NULL},
    {"adj -5 without CAP_SYS_RESOURCE", "-5", 100, false, false, -5, NULL,
     "needs CAP_SYS_RESOURCE"},
    {"adj -5 with CAP_SYS_RESOURCE", "-5", 100, true, false, -5, NULL, NULL},
    /* a raise is always allowed */
    {"adj -100 from -500 (a raise)", "-100", -500, false, false, -100, NULL, NULL},
    {"adj -1000 of a process", "-1000", 0, true, false, -1000, NULL, "unkillable"},
    {"adj -10 in a cgroup", "-10", 0, true, true, -10, NULL, "host's own daemons"},
    {"adj -1000 in a cgroup", "-1000", 0, true, true, -1000, NULL,
     "the container's processes unkillable"},
    {"adj 1001", "1001", 0, false, false, INT32_MIN, "valid range is -1000 to 1000", NULL},
    {"adj -1001", "-1001", 0, true, false, INT32_MIN, "valid range is -1000 to 1000", NULL},
    {"adj abc", "abc", 0, false, false, INT32_MIN, "not an integer", NULL},
    {"adj empty", "", 0, false, false, INT32_MIN, "not an integer", NULL},
    {"adj +5", "+5", 0, false, false, INT32_MIN, "not an integer", NULL},
    {"adj 5.0", "5.0", 0, false, false, INT32_MIN, "not an integer", NULL},
};

/* One cmocka test per case of adjcases (its initial state). */
static void
test_oom_adj_case(void **state)
{
	const struct adjcase *c = *state;
	struct act_plan p;
	int n;

	memset(&p, 0, sizeof(p));
	n = act_validate_oom_adj(c->text, val_ok(c->cur), c->cap, c->in_cgroup, &p);
	if (n != c->want)
		fail_msg("%s: '%s' from %lld: got %d, want %d", c->what, c->text, (long long)c->cur,
			 n, c->want);
	if (c->refusal && !any_has(&p.refusals, c->refusal))
		fail_msg("%s: no refusal containing '%s' (got %zu: %s)", c->what, c->refusal,
			 p.refusals.n, p.refusals.n ? p.refusals.v[0] : "");
	if (!c->refusal && p.refusals.n)
		fail_msg("%s: unexpected refusal: %s", c->what, p.refusals.v[0]);
	if (c->warning && !any_has(&p.warnings, c->warning))
		fail_msg("%s: no warning containing '%s' (got %zu: %s)", c->what, c->warning,
			 p.warnings.n, p.warnings.n ? p.warnings.v[0] : "");
	if (!c->warning && p.warnings.n)
		fail_msg("%s: unexpected warning: %s", c->what, p.warnings.v[0]);
	for (size_t k = 0; k < p.refusals.n; k++)
		free(p.refusals.v[k]);
	for (size_t k = 0; k < p.warnings.n; k++)
		free(p.warnings.v[k]);
	free(p.refusals.v);
	free(p.warnings.v);
}

/* One line each, valid JSON, the same length pending and final, with every field. */
static void
test_audit_format(void **state)
{
	struct act_step st;
	struct audit_step as;
	struct audit_rec r;
	char pending[8192], done[8192], tail[AUDIT_TAIL_LEN];
	size_t h1, h2;
	int n1, n2;
	struct json_object *o, *v;

	(void)state;
	memset(&st, 0, sizeof(st));
	st.setting = ASET_OOM_SCORE_ADJ;
	st.pid = 4242;
	st.start_ticks = 987654;
	snprintf(st.comm, sizeof(st.comm), "evil\n\"name\xff");
	snprintf(st.file, sizeof(st.file), "/proc/4242/oom_score_adj");
	snprintf(st.old_text, sizeof(st.old_text), "0");
	snprintf(st.new_text, sizeof(st.new_text), "300");
	memset(&r, 0, sizeof(r));
	r.time = 1764097200; /* 2025-11-25T19:00:00Z */
	r.uid = 0;
	r.action = "set";
	r.target = "pid:4242:987654";
	act_audit_step(&st, &as);
	r.step = &as;

	n1 = audit_format(pending, sizeof(pending), &r, true, &h1);
	assert_true(n1 > 0);
	assert_int_equal(strchr(pending, '\n') - pending, n1 - 1);
	o = json_tokener_parse(pending);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "result", &v));
	assert_string_equal(json_object_get_string(v), "pending");
	json_object_put(o);

	st.result = ARES_FAILED;
	st.err = 13;
	snprintf(st.message, sizeof(st.message), "permission denied: needs CAP_SYS_RESOURCE");
	act_audit_step(&st, &as);
	n2 = audit_format(done, sizeof(done), &r, false, &h2);
	assert_int_equal(n1, n2);
	assert_int_equal(h1, h2);
	assert_memory_equal(pending, done, h1);

	/* Completing in place gives the same line as formatting the outcome at once. */
	audit_format_tail(tail, &as);
	memcpy(pending + h1, tail, AUDIT_TAIL_LEN);
	assert_string_equal(pending, done);

	o = json_tokener_parse(done);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "time", &v));
	assert_string_equal(json_object_get_string(v), "2025-11-25T19:00:00Z");
	assert_true(json_object_object_get_ex(o, "uid", &v));
	assert_int_equal(json_object_get_int(v), 0);
	assert_true(json_object_object_get_ex(o, "target", &v));
	assert_string_equal(json_object_get_string(v), "pid:4242:987654");
	assert_true(json_object_object_get_ex(o, "comm", &v));
	assert_string_equal(json_object_get_string(v), "evil\n\"name\\xff");
	assert_true(json_object_object_get_ex(o, "file", &v));
	assert_string_equal(json_object_get_string(v), "/proc/4242/oom_score_adj");
	assert_true(json_object_object_get_ex(o, "old", &v));
	assert_string_equal(json_object_get_string(v), "0");
	assert_true(json_object_object_get_ex(o, "new", &v));
	assert_string_equal(json_object_get_string(v), "300");
	assert_true(json_object_object_get_ex(o, "result", &v));
	assert_string_equal(json_object_get_string(v), "failed");
	assert_true(json_object_object_get_ex(o, "errno", &v));
	assert_int_equal(json_object_get_int(v), 13);
	json_object_put(o);

	/* A message too long for the reserved room is shortened, never spilling past it. */
	memset(st.message, 'x', sizeof(st.message) - 1);
	st.message[sizeof(st.message) - 1] = '\0';
	n2 = audit_format(done, sizeof(done), &r, false, &h2);
	assert_int_equal(n1, n2);
	o = json_tokener_parse(done);
	assert_non_null(o);
	json_object_put(o);
}

/* Names Docker could give pass; anything that would change a request's path does not. */
static void
test_engine_names(void **state)
{
	static const char *const good[] = {"web", "a", "Web_1.prod-2", "0abc"};
	static const char *const bad[] = {"",	 "..",	".",   "-x",   "_x",
					  "a/b", "a?b", "a b", "a%2e", "\xe2\x80\xae"};
	char id[65];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		assert_true(docker_name_ok(good[i]));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_false(docker_name_ok(bad[i]));
	assert_true(act_engine_id_of_path(
	    "/docker/"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    id));
	assert_false(act_engine_id_of_path("/docker/..", id));
	assert_false(act_engine_id_of_path("/", id));
}

/* The engine's answer: another Id, a name Docker never gives, Pid 1 are refused; no I/O before. */
static void
test_engine_verify(void **state)
{
	struct docker_info di;
	char why[256];
	const char *a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	const char *b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

	(void)state;
	memset(&di, 0, sizeof(di));
	snprintf(di.id, sizeof(di.id), "%s", b);
	assert_int_equal(act_engine_verify(&di, a, 1, NULL, 0, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "bbbbbbbbbbbb when asked for aaaaaaaaaaaa"));
	assert_int_equal(act_engine_verify(&di, b, 1, NULL, 0, why, sizeof(why)), 0);
	snprintf(di.name, sizeof(di.name), "..");
	assert_int_equal(act_engine_verify(&di, b, 1, NULL, 0, why, sizeof(why)), -EPERM);
	snprintf(di.name, sizeof(di.name), "web");
	di.running = true;
	di.pid = 1;
	assert_int_equal(act_engine_verify(&di, NULL, 1, NULL, 0, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "PID 1"));
	snprintf(di.id, sizeof(di.id), "not-hex");
	assert_int_equal(act_engine_verify(&di, NULL, 1, NULL, 0, why, sizeof(why)), -EPERM);
	assert_int_equal(act_engine_cgroup_ok("/", 1, why, sizeof(why)), -EPERM);
}

static void
test_docker_inspect_body(void **state)
{
	static const char body[] =
	    "{\"Id\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
	    "\"Name\":\"/web\",\"State\":{\"Running\":true,\"Pid\":4321},"
	    "\"HostConfig\":{\"Memory\":67108864,\"MemorySwap\":134217728,\"MemoryReservation\":0,"
	    "\"KernelMemory\":0}}";
	struct docker_info d;
	char path[64];

	(void)state;
	assert_int_equal(docker_parse_inspect(body, &d), 0);
	assert_string_equal(d.name, "web");
	assert_int_equal(d.pid, 4321);
	assert_true(d.running);
	assert_int_equal(d.memory, 64 * MIB);
	assert_int_equal(d.memory_swap, 128 * MIB);
	assert_int_equal(docker_parse_inspect("{\"Id\":\"short\"}", &d), -EINVAL);
	assert_int_equal(docker_parse_inspect("not json", &d), -EINVAL);
	assert_int_equal(docker_socket_path("unix:///run/x.sock", path, sizeof(path)), 0);
	assert_string_equal(path, "/run/x.sock");
	assert_int_equal(docker_socket_path("tcp://1.2.3.4:2375", path, sizeof(path)),
			 -EPROTONOSUPPORT);
	assert_int_equal(docker_socket_path(NULL, path, sizeof(path)), 0);
	assert_string_equal(path, "/var/run/docker.sock");
}

static void
test_errno_text(void **state)
{
	(void)state;
	assert_non_null(strstr(act_errno_text(EBUSY, ASET_MEMORY, 1), "reclaim"));
	assert_non_null(strstr(act_errno_text(EACCES, ASET_OOM_SCORE_ADJ, 1), "CAP_SYS_RESOURCE"));
	assert_non_null(strstr(act_errno_text(-EINVAL, ASET_MEMORY_SWAP, 1), "memsw"));
	assert_non_null(strstr(act_errno_text(EPERM, ASET_SIGNAL, 1), "CAP_KILL"));
	assert_non_null(strstr(act_errno_text(ENOENT, ASET_MEMORY, 1), "gone"));
	assert_non_null(strstr(act_errno_text(ENOSPC, ASET_MEMORY, 1), "space"));
}

/* A group of one test per case of a table, each named by its case. */
static int
run_cases(const char *group, void (*fn)(void **), const void *cases, size_t size, size_t n)
{
	struct CMUnitTest *t = calloc(n, sizeof(*t));
	int r;

	assert_non_null(t);
	for (size_t i = 0; i < n; i++) {
		const void *c = (const char *)cases + i * size;

		t[i].name = *(const char *const *)c; /* each case begins with its name */
		t[i].test_func = fn;
		t[i].initial_state = (void *)c;
	}
	/* cmocka_run_group_tests() wants an array of fixed size: this is what it calls. */
	r = _cmocka_run_group_tests(group, t, n, NULL, NULL);
	free(t);
	return r;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_size_syntax),	 cmocka_unit_test(test_format_size),
	    cmocka_unit_test(test_signals),	 cmocka_unit_test(test_written_values),
	    cmocka_unit_test(test_audit_format), cmocka_unit_test(test_docker_inspect_body),
	    cmocka_unit_test(test_engine_names), cmocka_unit_test(test_engine_verify),
	    cmocka_unit_test(test_root_cgroup_warns),
	    cmocka_unit_test(test_errno_text),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);

	r += run_cases("act_validate_cgroup", test_validate_case, vcases, sizeof(vcases[0]),
		       sizeof(vcases) / sizeof(vcases[0]));
	r += run_cases("act_validate_oom_adj", test_oom_adj_case, adjcases, sizeof(adjcases[0]),
		       sizeof(adjcases) / sizeof(adjcases[0]));
	return r;
}
