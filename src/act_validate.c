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

void
act_validate_cgroup(const struct act_cg_state *cur, const struct act_request *r, struct act_plan *p)
{
	int v = cur->version;
	int64_t mem = -2, sw = -2, res = -2, kmem = -2, high = -2, min = -2, swp = -1, okd = -1;
	bool has_mem, has_sw, has_res, has_kmem, has_high, has_min, has_swp = false,
								    has_okd = false;
	int64_t new_mem, new_sw, cur_mem = eff(cur->memory), cur_sw = eff(cur->memory_swap);
	char a[64], b[64];
	const char *f;

	/* Each setting on its own: version, syntax, minimum, range. */
	has_mem = version_ok(p, r, ASET_MEMORY, v) &&
		  want_size(p, r, ASET_MEMORY, false, MIN_MEMORY, &mem) &&
		  file_present(p, ASET_MEMORY, v, cur->memory);
	has_sw = version_ok(p, r, ASET_MEMORY_SWAP, v) &&
		 want_size(p, r, ASET_MEMORY_SWAP, true, 0, &sw) &&
		 file_present(p, ASET_MEMORY_SWAP, v, v == 1 ? cur->memory_swap : cur->swap_max);
	has_res = version_ok(p, r, ASET_MEMORY_RESERVATION, v) &&
		  want_size(p, r, ASET_MEMORY_RESERVATION, false, 0, &res);
	has_kmem = version_ok(p, r, ASET_KERNEL_MEMORY, v) &&
		   want_size(p, r, ASET_KERNEL_MEMORY, false, MIN_KMEM, &kmem) &&
		   file_present(p, ASET_KERNEL_MEMORY, v, cur->kmem);
	has_high = version_ok(p, r, ASET_MEMORY_HIGH, v) &&
		   want_size(p, r, ASET_MEMORY_HIGH, false, 0, &high);
	has_min = version_ok(p, r, ASET_MEMORY_MIN, v) &&
		  want_size(p, r, ASET_MEMORY_MIN, false, 0, &min);
	if (version_ok(p, r, ASET_MEMORY_SWAPPINESS, v)) {
		if (parse_i64_full(r->value[ASET_MEMORY_SWAPPINESS], &swp) < 0 ||
		    strspn(r->value[ASET_MEMORY_SWAPPINESS], "0123456789") !=
			strlen(r->value[ASET_MEMORY_SWAPPINESS]) ||
		    swp < 0 || swp > 100)
			act_msg_add(
			    &p->refusals,
			    "--memory-swappiness '%s': invalid value, the valid range is 0-100",
			    r->value[ASET_MEMORY_SWAPPINESS]);
		else
			has_swp = true;
	}
	if (version_ok(p, r, ASET_OOM_KILL_DISABLE, v)) {
		const char *t = r->value[ASET_OOM_KILL_DISABLE];

		if (strcmp(t, "1") == 0 || strcmp(t, "0") == 0) {
			okd = t[0] - '0';
			has_okd = true;
		} else {
			act_msg_add(&p->refusals, "--oom-kill-disable '%s': 1 disables, 0 enables",
				    t);
		}
	}

	/* The orderings, on the values the cgroup will have afterwards. */
	new_mem = has_mem ? mem : cur_mem;
	new_sw = has_sw ? (sw < 0 ? UNLIMITED : sw) : cur_sw;
	if (has_sw && sw >= 0) {
		if (new_mem == UNLIMITED || new_mem < 0) {
			act_msg_add(&p->refusals,
				    "--memory-swap needs a memory limit: give --memory too "
				    "(the cgroup has none)");
			has_sw = false;
		} else if (sw < new_mem) {
			act_format_size(sw, a, sizeof(a));
			act_format_size(new_mem, b, sizeof(b));
			act_msg_add(&p->refusals,
				    "--memory-swap %s is below --memory %s: memory-swap is memory "
				    "plus swap and must be at least the memory limit",
				    a, b);
			has_sw = false;
		}
	}
	if (has_mem && !r->value[ASET_MEMORY_SWAP] && v == 1 && cur_sw >= 0 &&
	    cur_sw != UNLIMITED && mem > cur_sw) {
		act_format_size(mem, a, sizeof(a));
		act_format_size(cur_sw, b, sizeof(b));
		act_msg_add(&p->refusals,
			    "--memory %s is above the current memory-swap %s: give "
			    "--memory-swap at the same time (as docker update requires)",
			    a, b);
		has_mem = false;
	}
	if (has_res || has_mem) {
		int64_t er = has_res ? res : eff(cur->reservation);

		if (er > 0 && er != UNLIMITED && new_mem > 0 && new_mem != UNLIMITED &&
		    er > new_mem) {
			act_format_size(er, a, sizeof(a));
			act_format_size(new_mem, b, sizeof(b));
			act_msg_add(&p->refusals,
				    "--memory-reservation %s must be below --memory %s", a, b);
			has_res = false;
		}
	}
	if (has_min && min > 0 && new_mem > 0 && new_mem != UNLIMITED && min > new_mem) {
		act_format_size(min, a, sizeof(a));
		act_format_size(new_mem, b, sizeof(b));
		act_msg_add(&p->refusals, "--memory-min %s must not exceed --memory %s", a, b);
		has_min = false;
	}

	/* Docker's warnings and the ones of the kernel's behaviour. */
	if (has_mem && cur->usage.state == VAL_OK && mem < cur->usage.v) {
		act_format_size(mem, a, sizeof(a));
		act_format_size(cur->usage.v, b, sizeof(b));
		act_msg_add(&p->warnings,
			    "--memory %s is below the current usage %s: the kernel will reclaim "
			    "memory and, if that fails, %s",
			    a, b,
			    v == 1 ? "refuse the limit with EBUSY; processes inside the container "
				     "may be OOM-killed "
				     "while it tries"
				   : "OOM-kill processes inside the container");
	}
	if (has_high && high >= 0 && cur->usage.state == VAL_OK && high < cur->usage.v) {
		act_format_size(high, a, sizeof(a));
		act_msg_add(&p->warnings,
			    "--memory-high %s is below the current usage: the kernel throttles "
			    "the container's processes and reclaims until usage falls below it",
			    a);
	}
	if (has_okd && okd == 1) {
		if (new_mem == UNLIMITED || new_mem < 0)
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
	if (has_kmem)
		act_msg_add(&p->notes,
			    "--kernel-memory is deprecated: kernels since 5.16 accept the write "
			    "but ignore it; oomlens reads the value back and says so");

	/* The steps, in an order the kernel accepts at every point. */
	if (has_mem && has_sw && v == 1) {
		bool sw_first = new_sw > cur_sw || cur_sw < 0;

		if (sw_first)
			size_step(p, ASET_MEMORY_SWAP, act_setting_file(ASET_MEMORY_SWAP, 1),
				  cur->memory_swap, sw, "-1");
		size_step(p, ASET_MEMORY, act_setting_file(ASET_MEMORY, 1), cur->memory, mem, "-1");
		if (!sw_first)
			size_step(p, ASET_MEMORY_SWAP, act_setting_file(ASET_MEMORY_SWAP, 1),
				  cur->memory_swap, sw, "-1");
	} else {
		if (has_mem)
			size_step(p, ASET_MEMORY, act_setting_file(ASET_MEMORY, v), cur->memory,
				  mem, v == 1 ? "-1" : "max");
		if (has_sw && v == 1) {
			size_step(p, ASET_MEMORY_SWAP, act_setting_file(ASET_MEMORY_SWAP, 1),
				  cur->memory_swap, sw, "-1");
		} else if (has_sw) {
			/* v2 keeps the swap allowance apart: memory.swap.max = memory-swap -
			 * memory. */
			struct act_step *st =
			    size_step(p, ASET_MEMORY_SWAP, act_setting_file(ASET_MEMORY_SWAP, 2),
				      cur->swap_max, sw < 0 ? -1 : sw - new_mem, "max");

			st->api_value = sw;
			if (sw >= 0)
				snprintf(st->new_text, sizeof(st->new_text),
					 "%" PRId64 " (memory-swap %" PRId64 ")", sw - new_mem, sw);
		}
	}
	if (has_res) {
		f = act_setting_file(ASET_MEMORY_RESERVATION, v);
		if (res == 0)
			size_step(p, ASET_MEMORY_RESERVATION, f, cur->reservation, v == 1 ? -1 : 0,
				  v == 1 ? "-1" : "0");
		else
			size_step(p, ASET_MEMORY_RESERVATION, f, cur->reservation, res, "-1");
		if (res == 0 && v == 2) {
			struct act_step *st = &p->steps[p->n_steps - 1];

			snprintf(st->write_text, sizeof(st->write_text), "0");
			snprintf(st->new_text, sizeof(st->new_text), "0");
			st->new_value = 0;
		}
	}
	if (has_kmem)
		size_step(p, ASET_KERNEL_MEMORY, act_setting_file(ASET_KERNEL_MEMORY, 1), cur->kmem,
			  kmem, "-1");
	if (has_swp)
		int_step(p, ASET_MEMORY_SWAPPINESS, act_setting_file(ASET_MEMORY_SWAPPINESS, 1),
			 cur->swappiness, swp);
	if (has_okd)
		int_step(p, ASET_OOM_KILL_DISABLE, act_setting_file(ASET_OOM_KILL_DISABLE, 1),
			 cur->oom_kill_disable, okd);
	if (has_high)
		size_step(p, ASET_MEMORY_HIGH, act_setting_file(ASET_MEMORY_HIGH, 2), cur->high,
			  high, "max");
	if (has_min) {
		struct act_step *st = size_step(
		    p, ASET_MEMORY_MIN, act_setting_file(ASET_MEMORY_MIN, 2), cur->min, min, "0");

		if (min == 0) {
			snprintf(st->write_text, sizeof(st->write_text), "0");
			snprintf(st->new_text, sizeof(st->new_text), "0");
			st->new_value = 0;
		}
	}
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
