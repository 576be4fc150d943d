/*
 * act_validate.c - the pure validation of the actions module (actions.h):
 * a request against the state it would change, into refusals, warnings,
 * notes and the steps in an order the kernel accepts.  Reads nothing from
 * the system and writes nothing: the callers pass the state in.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act_build.h"
#include "actions.h"
#include "parse.h"
#include "util.h"

/* ---- validation (pure) --------------------------------------------------- */

/* The effective value of a size: UNLIMITED for "max", -2 when unknown. */
static int64_t
eff(struct val v)
{
	if (v.state == VAL_OK)
		return v.v;
	if (v.state == VAL_MAX)
		return UNLIMITED;
	return -2;
}

/* One size setting's step: old from cur, new from n (-1 / UNLIMITED: unlimited). */
static struct act_step *
size_step(struct act_plan *p, enum act_setting s, const char *file, struct val cur, int64_t n,
	  const char *unlimited_text)
{
	struct act_step *st = act_step_add(p, s);

	snprintf(st->file, sizeof(st->file), "%s", file);
	act_val_text(cur, true, st->old_text, sizeof(st->old_text));
	st->old_known = cur.state == VAL_OK || cur.state == VAL_MAX;
	st->old_value = eff(cur);
	st->new_value = n;
	st->api_value = n < 0 || n == UNLIMITED ? -1 : n;
	if (n < 0 || n == UNLIMITED) {
		snprintf(st->write_text, sizeof(st->write_text), "%s", unlimited_text);
		snprintf(st->new_text, sizeof(st->new_text), "unlimited");
		st->new_value = UNLIMITED;
	} else {
		snprintf(st->write_text, sizeof(st->write_text), "%" PRId64, n);
		act_format_size(n, st->new_text, sizeof(st->new_text));
	}
	return st;
}

/* A small integer setting's step. */
static struct act_step *
int_step(struct act_plan *p, enum act_setting s, const char *file, struct val cur, int64_t n)
{
	struct act_step *st = act_step_add(p, s);

	snprintf(st->file, sizeof(st->file), "%s", file);
	act_val_text(cur, false, st->old_text, sizeof(st->old_text));
	st->old_known = cur.state == VAL_OK;
	st->old_value = cur.v;
	st->new_value = n;
	snprintf(st->write_text, sizeof(st->write_text), "%" PRId64, n);
	snprintf(st->new_text, sizeof(st->new_text), "%" PRId64, n);
	return st;
}

/* Parse the size text of setting s into *out; a refusal and false when it is not valid. */
static bool
want_size(struct act_plan *p, const struct act_request *r, enum act_setting s, bool allow_unlimited,
	  int64_t minimum, int64_t *out)
{
	const char *t = r->value[s];
	char why[256], mb[64];

	if (!t)
		return false;
	if (s == ASET_MEMORY_HIGH && strcmp(t, "max") == 0) {
		*out = -1;
		return true;
	}
	if ((s == ASET_MEMORY_RESERVATION || s == ASET_MEMORY_MIN) && strcmp(t, "0") == 0) {
		*out = 0;
		return true;
	}
	if (act_parse_size(t, allow_unlimited, out, why, sizeof(why)) < 0) {
		act_msg_add(&p->refusals, "--%s: %s", act_setting_name(s), why);
		return false;
	}
	if (*out >= 0 && *out < minimum) {
		act_format_size(minimum, mb, sizeof(mb));
		act_msg_add(&p->refusals, "--%s %s: the minimum is %s", act_setting_name(s), t, mb);
		return false;
	}
	return true;
}

/* A refusal when the setting cannot be expressed on this cgroup version. */
static bool
version_ok(struct act_plan *p, const struct act_request *r, enum act_setting s, int version)
{
	const char *file;

	if (!r->value[s])
		return false;
	if (version != 1 && version != 2) {
		act_msg_add(&p->refusals, "--%s: there is no memory controller on this host",
			    act_setting_name(s));
		return false;
	}
	file = act_setting_file(s, version);
	if (!file) {
		act_msg_add(&p->refusals, "--%s: not available on cgroup v%d", act_setting_name(s),
			    version);
		return false;
	}
	return true;
}

/* A refusal when the setting's file is missing (a kernel built without it). */
static bool
file_present(struct act_plan *p, enum act_setting s, int version, struct val cur)
{
	if (cur.state == VAL_UNKNOWN && cur.err == ENOENT) {
		act_msg_add(&p->refusals, "--%s: %s does not exist here%s", act_setting_name(s),
			    act_setting_file(s, version),
			    s == ASET_MEMORY_SWAP
				? " (swap accounting is off: boot with swapaccount=1)"
				: "");
		return false;
	}
	return true;
}

/* How a cgroup setting is asked for, checked and written. */
enum want_kind { WANT_SIZE, WANT_PERCENT, WANT_FLAG };

struct cg_setting {
	enum act_setting s;
	enum want_kind kind;
	bool allow_unlimited;	  /* sizes: "-1" means unlimited */
	int64_t minimum;	  /* sizes: the smallest limit the kernel copes with */
	bool check_file;	  /* refused when this kernel lacks the file */
	const char *unlimited[2]; /* "unlimited" as written on v1, v2 */
	bool zero_unsets_v1;	  /* 0 on v1 is the kernel's "no limit" (-1) */
	bool zero_plain;	  /* 0 is written and shown as "0", not as a size */
};

/* The settings in the order their refusals are given (Docker's order of flags). */
static const struct cg_setting cg_settings[] = {
    {ASET_MEMORY, WANT_SIZE, false, MIN_MEMORY, true, {"-1", "max"}, false, false},
    {ASET_MEMORY_SWAP, WANT_SIZE, true, 0, true, {"-1", "max"}, false, false},
    {ASET_MEMORY_RESERVATION, WANT_SIZE, false, 0, false, {"-1", "-1"}, true, true},
    {ASET_KERNEL_MEMORY, WANT_SIZE, false, MIN_KMEM, true, {"-1", "-1"}, false, false},
    {ASET_MEMORY_HIGH, WANT_SIZE, false, 0, false, {"max", "max"}, false, false},
    {ASET_MEMORY_MIN, WANT_SIZE, false, 0, false, {"0", "0"}, false, true},
    {ASET_MEMORY_SWAPPINESS, WANT_PERCENT, false, 0, false, {NULL, NULL}, false, false},
    {ASET_OOM_KILL_DISABLE, WANT_FLAG, false, 0, false, {NULL, NULL}, false, false},
};

/*
 * The order of the steps after memory and memory-swap (which go first, in
 * an order of their own): each is independent of the others.
 */
static const enum act_setting later_steps[] = {
    ASET_MEMORY_RESERVATION, ASET_KERNEL_MEMORY, ASET_MEMORY_SWAPPINESS,
    ASET_OOM_KILL_DISABLE,   ASET_MEMORY_HIGH,	 ASET_MEMORY_MIN,
};

/* What the request asks for, once parsed, and the limits it leaves. */
struct wants {
	bool has[ASET__COUNT];
	int64_t v[ASET__COUNT];
	int64_t new_mem, new_sw; /* memory and memory-swap afterwards (eff()) */
	int64_t cur_mem, cur_sw; /* and now */
};

static const struct cg_setting *
cg_setting(enum act_setting s)
{
	for (size_t i = 0; i < ARRAY_SIZE(cg_settings); i++)
		if (cg_settings[i].s == s)
			return &cg_settings[i];
	return NULL;
}

/* The current value of setting s, as its step shows it. */
static struct val
cur_of(const struct act_cg_state *cur, enum act_setting s)
{
	switch (s) {
	case ASET_MEMORY:
		return cur->memory;
	case ASET_MEMORY_SWAP:
		return cur->version == 1 ? cur->memory_swap : cur->swap_max;
	case ASET_MEMORY_RESERVATION:
		return cur->reservation;
	case ASET_KERNEL_MEMORY:
		return cur->kmem;
	case ASET_MEMORY_HIGH:
		return cur->high;
	case ASET_MEMORY_MIN:
		return cur->min;
	case ASET_MEMORY_SWAPPINESS:
		return cur->swappiness;
	case ASET_OOM_KILL_DISABLE:
		return cur->oom_kill_disable;
	default:
		return val_na();
	}
}

/* --memory-swappiness: 0 to 100, digits only. */
static bool
want_percent(struct act_plan *p, const char *t, int64_t *out)
{
	if (parse_i64_full(t, out) < 0 || strspn(t, "0123456789") != strlen(t) || *out < 0 ||
	    *out > 100) {
		act_msg_add(&p->refusals,
			    "--memory-swappiness '%s': invalid value, the valid range is 0-100", t);
		return false;
	}
	return true;
}

/* --oom-kill-disable 1 / 0. */
static bool
want_flag(struct act_plan *p, const char *t, int64_t *out)
{
	if (strcmp(t, "1") == 0 || strcmp(t, "0") == 0) {
		*out = t[0] - '0';
		return true;
	}
	act_msg_add(&p->refusals, "--oom-kill-disable '%s': 1 disables, 0 enables", t);
	return false;
}

/* Each setting on its own: version, syntax, minimum, range. */
static void
parse_wants(const struct act_cg_state *cur, const struct act_request *r, struct act_plan *p,
	    struct wants *w)
{
	int v = cur->version;

	for (size_t i = 0; i < ARRAY_SIZE(cg_settings); i++) {
		const struct cg_setting *c = &cg_settings[i];
		enum act_setting s = c->s;

		if (!version_ok(p, r, s, v))
			continue;
		if (c->kind == WANT_PERCENT)
			w->has[s] = want_percent(p, r->value[s], &w->v[s]);
		else if (c->kind == WANT_FLAG)
			w->has[s] = want_flag(p, r->value[s], &w->v[s]);
		else
			w->has[s] = want_size(p, r, s, c->allow_unlimited, c->minimum, &w->v[s]) &&
				    (!c->check_file || file_present(p, s, v, cur_of(cur, s)));
	}
	w->cur_mem = eff(cur->memory);
	w->cur_sw = eff(cur->memory_swap);
	w->new_mem = w->has[ASET_MEMORY] ? w->v[ASET_MEMORY] : w->cur_mem;
	if (!w->has[ASET_MEMORY_SWAP])
		w->new_sw = w->cur_sw;
	else
		w->new_sw = w->v[ASET_MEMORY_SWAP] < 0 ? UNLIMITED : w->v[ASET_MEMORY_SWAP];
}

/* Whether a limit is a real one (not unknown, not unlimited). */
static bool
limited(int64_t x)
{
	return x >= 0 && x != UNLIMITED;
}

/* The orderings, on the values the cgroup will have afterwards: refused settings drop out. */
static void
check_orderings(const struct act_cg_state *cur, const struct act_request *r, struct act_plan *p,
		struct wants *w)
{
	int64_t mem = w->v[ASET_MEMORY], sw = w->v[ASET_MEMORY_SWAP], new_mem = w->new_mem;
	char a[64], b[64];

	if (w->has[ASET_MEMORY_SWAP] && sw >= 0) {
		if (!limited(new_mem)) {
			act_msg_add(&p->refusals,
				    "--memory-swap needs a memory limit: give --memory too "
				    "(the cgroup has none)");
			w->has[ASET_MEMORY_SWAP] = false;
		} else if (sw < new_mem) {
			act_format_size(sw, a, sizeof(a));
			act_format_size(new_mem, b, sizeof(b));
			act_msg_add(&p->refusals,
				    "--memory-swap %s is below --memory %s: memory-swap is memory "
				    "plus swap and must be at least the memory limit",
				    a, b);
			w->has[ASET_MEMORY_SWAP] = false;
		}
	}
	if (w->has[ASET_MEMORY] && !r->value[ASET_MEMORY_SWAP] && cur->version == 1 &&
	    limited(w->cur_sw) && mem > w->cur_sw) {
		act_format_size(mem, a, sizeof(a));
		act_format_size(w->cur_sw, b, sizeof(b));
		act_msg_add(&p->refusals,
			    "--memory %s is above the current memory-swap %s: give "
			    "--memory-swap at the same time (as docker update requires)",
			    a, b);
		w->has[ASET_MEMORY] = false;
	}
	if (w->has[ASET_MEMORY_RESERVATION] || w->has[ASET_MEMORY]) {
		int64_t er = w->has[ASET_MEMORY_RESERVATION] ? w->v[ASET_MEMORY_RESERVATION]
							     : eff(cur->reservation);

		if (er > 0 && er != UNLIMITED && new_mem > 0 && new_mem != UNLIMITED &&
		    er > new_mem) {
			act_format_size(er, a, sizeof(a));
			act_format_size(new_mem, b, sizeof(b));
			act_msg_add(&p->refusals,
				    "--memory-reservation %s must be below --memory %s", a, b);
			w->has[ASET_MEMORY_RESERVATION] = false;
		}
	}
	if (w->has[ASET_MEMORY_MIN] && w->v[ASET_MEMORY_MIN] > 0 && new_mem > 0 &&
	    new_mem != UNLIMITED && w->v[ASET_MEMORY_MIN] > new_mem) {
		act_format_size(w->v[ASET_MEMORY_MIN], a, sizeof(a));
		act_format_size(new_mem, b, sizeof(b));
		act_msg_add(&p->refusals, "--memory-min %s must not exceed --memory %s", a, b);
		w->has[ASET_MEMORY_MIN] = false;
	}
}

/* Docker's warnings and the ones of the kernel's behaviour. */
static void
add_warnings(const struct act_cg_state *cur, struct act_plan *p, const struct wants *w)
{
	int64_t mem = w->v[ASET_MEMORY], high = w->v[ASET_MEMORY_HIGH];
	char a[64], b[64];

	if (strcmp(p->cgroup, "/") == 0 &&
	    (w->has[ASET_MEMORY] || w->has[ASET_MEMORY_RESERVATION] || w->has[ASET_MEMORY_HIGH] ||
	     w->has[ASET_MEMORY_MIN]))
		act_msg_add(&p->warnings,
			    "%s is the root memory cgroup: a limit there covers every process "
			    "on the host, the host's own daemons included",
			    p->cgroup);
	if (w->has[ASET_MEMORY] && cur->usage.state == VAL_OK && mem < cur->usage.v) {
		act_format_size(mem, a, sizeof(a));
		act_format_size(cur->usage.v, b, sizeof(b));
		act_msg_add(&p->warnings,
			    "--memory %s is below the current usage %s: the kernel will reclaim "
			    "memory and, if that fails, %s",
			    a, b,
			    cur->version == 1
				? "refuse the limit with EBUSY; processes inside the container "
				  "may be OOM-killed "
				  "while it tries"
				: "OOM-kill processes inside the container");
	}
	if (w->has[ASET_MEMORY_HIGH] && high >= 0 && cur->usage.state == VAL_OK &&
	    high < cur->usage.v) {
		act_format_size(high, a, sizeof(a));
		act_msg_add(&p->warnings,
			    "--memory-high %s is below the current usage: the kernel throttles "
			    "the container's processes and reclaims until usage falls below it",
			    a);
	}
	if (w->has[ASET_OOM_KILL_DISABLE] && w->v[ASET_OOM_KILL_DISABLE] == 1) {
		if (w->new_mem == UNLIMITED || w->new_mem < 0)
			act_msg_add(
			    &p->warnings,
			    "--oom-kill-disable on a cgroup without a memory limit: when "
			    "memory runs out the kernel kills the host's own processes instead");
		else
			act_msg_add(
			    &p->notes,
			    "with the OOM killer disabled, processes that reach the limit wait "
			    "(under_oom 1) until memory is freed instead of being killed");
	}
	if (w->has[ASET_KERNEL_MEMORY])
		act_msg_add(&p->notes,
			    "--kernel-memory is deprecated: kernels since 5.16 accept the write "
			    "but ignore it; oomlens reads the value back and says so");
}

/* The step of setting s to n, as the settings table says to write it. */
static struct act_step *
setting_step(const struct act_cg_state *cur, struct act_plan *p, enum act_setting s, int64_t n)
{
	const struct cg_setting *c = cg_setting(s);
	int v = cur->version;
	const char *file = act_setting_file(s, v);
	struct act_step *st;

	if (c->kind != WANT_SIZE)
		return int_step(p, s, file, cur_of(cur, s), n);
	if (n == 0 && c->zero_unsets_v1 && v == 1)
		n = -1;
	st = size_step(p, s, file, cur_of(cur, s), n, c->unlimited[v == 1 ? 0 : 1]);
	if (n == 0 && c->zero_plain) {
		snprintf(st->write_text, sizeof(st->write_text), "0");
		snprintf(st->new_text, sizeof(st->new_text), "0");
		st->new_value = 0;
	}
	return st;
}

/*
 * memory and memory-swap: on v1 the kernel keeps memsw >= memory at every
 * point, so the one that grows goes first; v2 keeps the swap allowance
 * apart: memory.swap.max = memory-swap - memory.
 */
static void
emit_memory_swap(const struct act_cg_state *cur, struct act_plan *p, const struct wants *w)
{
	bool has_mem = w->has[ASET_MEMORY], has_sw = w->has[ASET_MEMORY_SWAP];
	int64_t mem = w->v[ASET_MEMORY], sw = w->v[ASET_MEMORY_SWAP];
	struct act_step *st;

	if (has_mem && has_sw && cur->version == 1) {
		bool sw_first = w->new_sw > w->cur_sw || w->cur_sw < 0;

		if (sw_first)
			setting_step(cur, p, ASET_MEMORY_SWAP, sw);
		setting_step(cur, p, ASET_MEMORY, mem);
		if (!sw_first)
			setting_step(cur, p, ASET_MEMORY_SWAP, sw);
		return;
	}
	if (has_mem)
		setting_step(cur, p, ASET_MEMORY, mem);
	if (has_sw && cur->version == 1) {
		setting_step(cur, p, ASET_MEMORY_SWAP, sw);
	} else if (has_sw) {
		st = setting_step(cur, p, ASET_MEMORY_SWAP, sw < 0 ? -1 : sw - w->new_mem);
		st->api_value = sw;
		if (sw >= 0)
			snprintf(st->new_text, sizeof(st->new_text),
				 "%" PRId64 " (memory-swap %" PRId64 ")", sw - w->new_mem, sw);
	}
}

void
act_validate_cgroup(const struct act_cg_state *cur, const struct act_request *r, struct act_plan *p)
{
	struct wants w;

	memset(&w, 0, sizeof(w));
	parse_wants(cur, r, p, &w);
	check_orderings(cur, r, p, &w);
	add_warnings(cur, p, &w);
	/* The steps, in an order the kernel accepts at every point. */
	emit_memory_swap(cur, p, &w);
	for (size_t i = 0; i < ARRAY_SIZE(later_steps); i++)
		if (w.has[later_steps[i]])
			setting_step(cur, p, later_steps[i], w.v[later_steps[i]]);
}

int
act_validate_oom_adj(const char *text, struct val cur, bool cap_sys_resource, bool in_cgroup,
		     struct act_plan *p)
{
	int64_t n;

	if (!text || parse_i64_full(text, &n) < 0 || strspn(text, "-0123456789") != strlen(text)) {
		act_msg_add(&p->refusals, "--oom-score-adj '%s': not an integer from -1000 to 1000",
			    text ? text : "");
		return INT32_MIN;
	}
	if (n < -1000 || n > 1000) {
		act_msg_add(&p->refusals,
			    "--oom-score-adj %" PRId64 ": out of range, the valid range is "
			    "-1000 to 1000",
			    n);
		return INT32_MIN;
	}
	if (!cap_sys_resource && n < 0 && (cur.state != VAL_OK || n < cur.v))
		act_msg_add(&p->warnings,
			    "lowering oom_score_adj to %" PRId64
			    " needs CAP_SYS_RESOURCE, which oomlens lacks: "
			    "without it a process may only go down to its floor "
			    "(oom_score_adj_min), which is 0 "
			    "unless a writer holding CAP_SYS_RESOURCE set a lower one; /proc does "
			    "not show the "
			    "floor, so the kernel will most likely refuse with EACCES",
			    n);
	if (n == -1000)
		act_msg_add(&p->warnings,
			    "oom_score_adj -1000 makes %s unkillable: when memory runs out "
			    "the OOM killer picks the host's own daemons instead",
			    in_cgroup ? "the container's processes" : "the process");
	else if (n < 0 && in_cgroup)
		act_msg_add(&p->warnings,
			    "a negative oom_score_adj on a container's processes makes the OOM "
			    "killer prefer the host's own daemons (at 0) over them");
	return (int)n;
}
