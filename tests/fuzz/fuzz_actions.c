/*
 * fuzz_actions.c - libFuzzer target for the value syntax of the actions
 * (actions.h): Docker's size syntax, signal names, an oom_score_adj typed
 * by the operator, and the validation of a cgroup request against a state.
 * All of it pure: nothing is planned against a real target or written.
 * The input's first line is parsed whole; its lines, one per setting, make
 * the cgroup request, and the bytes after them the cgroup's state.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>

#include "actions.h"
#include "cgroup.h"
#include "fuzz.h"

/* A state value: any of the four states, sizes non-negative as cgroupfs gives them. */
static struct val
state_val(struct fuzz_in *in)
{
	uint8_t sel = fuzz_u8(in);
	int64_t x = (int64_t)(fuzz_u64(in) & INT64_MAX);

	switch (sel & 3) {
	case 0:
		return val_unknown(sel >> 2);
	case 2:
		return val_max();
	case 3:
		return val_na();
	default:
		return val_ok(sel & 4 ? x % (1ll << 34) : x);
	}
}

/* An empty plan as actions.c makes one: no fds to close. */
static struct act_plan *
plan_new(void)
{
	struct act_plan *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	p->cg_dirfd = -1;
	return p;
}

/* Every step's text fields terminated, and no more steps than settings. */
static void
check_plan(const struct act_plan *p)
{
	FUZZ_CHECK(p->n_steps <= ASET__COUNT);
	for (size_t i = 0; i < p->n_steps; i++) {
		const struct act_step *s = &p->steps[i];

		FUZZ_CHECK(memchr(s->file, '\0', sizeof(s->file)) != NULL);
		FUZZ_CHECK(memchr(s->old_text, '\0', sizeof(s->old_text)) != NULL);
		FUZZ_CHECK(memchr(s->new_text, '\0', sizeof(s->new_text)) != NULL);
		FUZZ_CHECK(memchr(s->write_text, '\0', sizeof(s->write_text)) != NULL);
		FUZZ_CHECK(s->file[0] != '\0' && !strchr(s->file, '/'));
	}
	for (size_t i = 0; i < p->refusals.n; i++)
		FUZZ_CHECK(p->refusals.v[i] != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line;
	char *rest = fuzz_split(data, size, &line);
	char why[256], shown[64];
	struct act_request req;
	struct act_cg_state st;
	struct act_plan *p;
	struct fuzz_in in;
	char *fields[ASET__COUNT];
	char *cursor = rest;
	int64_t v;
	int r, sig, adj;

	for (int unl = 0; unl < 2; unl++) {
		r = act_parse_size(line, unl, &v, why, sizeof(why));
		FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
		if (r == 0) {
			char paren[40];

			FUZZ_CHECK(v > 0 || (unl && v == -1));
			FUZZ_CHECK(v < (int64_t)OL_V1_UNLIMITED);
			act_format_size(v, shown, sizeof(shown));
			snprintf(paren, sizeof(paren), "(%lld)", (long long)v);
			FUZZ_CHECK(v == -1 || v % 1024 != 0 || strstr(shown, paren) != NULL);
		} else {
			FUZZ_CHECK(memchr(why, '\0', sizeof(why)) != NULL && why[0] != '\0');
		}
	}
	sig = act_parse_signal(line);
	FUZZ_CHECK(sig == -EINVAL || (sig >= 1 && sig <= SIGRTMAX));

	in = (struct fuzz_in){ data, size };
	v = (int64_t)fuzz_u64(&in);
	act_format_size(v, shown, sizeof(shown));
	FUZZ_CHECK(memchr(shown, '\0', sizeof(shown)) != NULL);

	p = plan_new();
	adj = act_validate_oom_adj(line, val_ok(v % 2001 - 1000), v & 1, v & 2, p);
	FUZZ_CHECK(adj == INT32_MIN || (adj >= -1000 && adj <= 1000));
	FUZZ_CHECK(adj != INT32_MIN || p->refusals.n > 0);
	check_plan(p);
	act_plan_free(p);

	/* The cgroup request: one line per setting ("" is not given), then the state. */
	memset(&req, 0, sizeof(req));
	for (int i = 0; i < ASET__COUNT; i++) {
		char *nl = cursor ? strchr(cursor, '\n') : NULL;

		fields[i] = cursor;
		if (nl)
			*nl = '\0';
		req.value[i] = cursor && *cursor ? cursor : NULL;
		cursor = nl ? nl + 1 : NULL;
	}
	(void)fields;
	req.via = (enum act_via)(size % 3);
	in = (struct fuzz_in){ data, size };
	memset(&st, 0, sizeof(st));
	st.version = fuzz_u8(&in) & 1 ? 2 : 1;
	st.usage = state_val(&in);
	st.memory = state_val(&in);
	st.memory_swap = state_val(&in);
	st.swap_max = state_val(&in);
	st.reservation = state_val(&in);
	st.swappiness = state_val(&in);
	st.kmem = state_val(&in);
	st.oom_kill_disable = state_val(&in);
	st.high = state_val(&in);
	st.min = state_val(&in);
	p = plan_new();
	act_validate_cgroup(&st, &req, p);
	check_plan(p);
	act_plan_free(p);

	for (int s = 0; s < ASET__COUNT; s++)
		FUZZ_CHECK(act_errno_text((int)(v & 0xff), (enum act_setting)s, st.version) != NULL);
	free(rest);
	free(line);
	return 0;
}
