/*
 * fits.c - would SIZE fit now, four ways, and what limits to give a
 * container.  Pure: reads a const snapshot, never the system.  The
 * arithmetic and the rule that picks the exit status are in doc/events.md.
 */
#include "config.h"

#include "fits.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "container.h"
#include "parse.h"
#include "util.h"

/* The worse of two answers; unknown never hides a known answer. */
static int
worse(int a, int b)
{
	if (a == FITS_UNKNOWN)
		return b;
	if (b == FITS_UNKNOWN)
		return a;
	return a > b ? a : b;
}

const char *
fits_answer_name(int answer)
{
	switch (answer) {
	case FITS_YES:
		return "fits";
	case FITS_RECLAIM:
		return "fits after reclaim";
	case FITS_NO:
		return "does not fit";
	default:
		return "unknown";
	}
}

/*
 * 4.19-5.1's OVERCOMMIT_GUESS: what could be freed, free pages + file pages
 * (Cached + Buffers + SwapCached) - shmem + free swap + reclaimable slab,
 * less totalreserve_pages, which /proc does not show (left out: the answer
 * may say yes to up to the watermarks' worth too much).
 */
static struct val
guess_pre52_kb(const struct host *h)
{
	struct val parts[] = {h->mem_free_kb, h->page_cache_kb, h->swap_free_kb,
			      h->slab_reclaimable_kb, h->shmem_kb};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (!val_is_ok(parts[i]))
			return parts[i];
	return val_ok(parts[0].v + parts[1].v + parts[2].v + parts[3].v - parts[4].v);
}

static bool
kernel_before_52(const struct host *h)
{
	int major, minor;

	return parse_kernel_release(h->kernel_release, &major, &minor) == 0 &&
	       (major < 5 || (major == 5 && minor < 2));
}

/*
 * mm/util.c __vm_enough_memory() for a task holding CAP_SYS_ADMIN (no admin
 * reserve), by kernel: 5.2+ (and 4.19-5.1 in mode 0, guess_pre52_kb()).
 */
static void
policy_answer(const struct snapshot *s, uint64_t size, struct fits_result *r)
{
	const struct host *h = &s->host;
	uint64_t pages = (size + (uint64_t)h->page_size - 1) / (uint64_t)h->page_size;

	r->mode = val_is_ok(h->overcommit_memory) ? h->overcommit_memory.v : -1;
	r->policy = FITS_UNKNOWN;
	r->policy_bytes = val_unknown(OL_ENOTAPPL);
	switch (r->mode) {
	case 0: /* OVERCOMMIT_GUESS: refuse only what exceeds RAM + swap pages */
		if (kernel_before_52(h)) {
			struct val kb = guess_pre52_kb(h);

			r->policy_pre52 = true;
			if (!val_is_ok(kb)) {
				r->policy_bytes = kb;
				break;
			}
			r->policy_bytes = val_ok(kb.v * 1024);
			r->policy = (int64_t)(pages * (uint64_t)h->page_size) < r->policy_bytes.v
					? FITS_YES
					: FITS_NO;
			break;
		}
		if (!val_is_ok(h->mem_total_kb) || !val_is_ok(h->swap_total_kb)) {
			r->policy_bytes = val_unknown(h->mem_total_kb.err ? h->mem_total_kb.err
									  : h->swap_total_kb.err);
			break;
		}
		r->policy_bytes = val_ok((h->mem_total_kb.v + h->swap_total_kb.v) * 1024);
		r->policy = pages * (uint64_t)h->page_size > (uint64_t)r->policy_bytes.v ? FITS_NO
											 : FITS_YES;
		break;
	case 1: /* OVERCOMMIT_ALWAYS */
		r->policy = FITS_YES;
		break;
	case 2: /* OVERCOMMIT_NEVER: Committed_AS including the request must stay below CommitLimit
		 */
		if (!val_is_ok(h->commit_limit_kb) || !val_is_ok(h->committed_as_kb)) {
			r->policy_bytes =
			    val_unknown(h->commit_limit_kb.err ? h->commit_limit_kb.err
							       : h->committed_as_kb.err);
			break;
		}
		/* The user reserve: min(total_vm / 32, user_reserve_kbytes); at most the latter. */
		r->policy_bytes = val_ok((h->commit_limit_kb.v - h->committed_as_kb.v -
					  (val_is_ok(h->user_reserve_kb) ? h->user_reserve_kb.v : 0)) *
					 1024);
		r->policy = (int64_t)(pages * (uint64_t)h->page_size) < r->policy_bytes.v ? FITS_YES
											  : FITS_NO;
		break;
	default:
		break;
	}
}

/* The active file pages of the limit in force: cgroup lim's, or the host's (lim < 0). */
static struct val
active_file_bytes(const struct snapshot *s, int lim)
{
	if (lim >= 0 && (size_t)lim < s->n_cgroups)
		return s->cgroups[lim].stat_active_file;
	return val_kb_to_bytes(s->host.active_file_kb);
}

void
fits_evaluate(const struct snapshot *s, int cg, uint64_t size, struct fits_result *r)
{
	const struct host *h = &s->host;
	int64_t sz = size > INT64_MAX ? INT64_MAX : (int64_t)size;

	memset(r, 0, sizeof(*r));
	r->size = size;
	r->cg = -1;
	r->cg_limited_by = -1;

	r->v24_bytes = val_kb_to_bytes(h->vm_enough_kb);
	r->v24 =
	    val_is_ok(r->v24_bytes) ? (sz <= r->v24_bytes.v ? FITS_YES : FITS_NO) : FITS_UNKNOWN;

	policy_answer(s, size, r);

	r->free_bytes = val_kb_to_bytes(h->mem_free_kb);
	r->available_bytes = val_kb_to_bytes(h->mem_available_kb);
	if (val_is_ok(r->free_bytes) && sz <= r->free_bytes.v)
		r->avail = FITS_YES;
	else if (val_is_ok(r->available_bytes))
		r->avail = sz <= r->available_bytes.v ? FITS_RECLAIM : FITS_NO;
	else
		r->avail = FITS_UNKNOWN;

	r->cgroup = FITS_UNKNOWN;
	if (cg >= 0 && (size_t)cg < s->n_cgroups) {
		const struct cgroup *c = &s->cgroups[cg];

		r->cg_asked = true;
		r->cg = cg;
		r->cg_limited_by = c->avail.limited_by;
		r->cg_headroom_bytes = c->avail.headroom_bytes;
		r->cg_available_bytes = c->avail.available_bytes;
		if (val_is_ok(c->avail.headroom_bytes) && sz <= c->avail.headroom_bytes.v)
			r->cgroup = FITS_YES;
		else if (val_is_ok(c->avail.available_bytes))
			r->cgroup = sz <= c->avail.available_bytes.v ? FITS_RECLAIM : FITS_NO;
		/*
		 * The availability leaves out active file pages, but reclaim
		 * demotes them to the inactive list before any OOM kill (and
		 * MemAvailable counts them): on a cache-heavy cgroup "no" can
		 * be false.
		 */
		if (r->cgroup == FITS_NO) {
			struct val act = active_file_bytes(s, c->avail.limited_by);

			if (val_is_ok(act) && sz - c->avail.available_bytes.v <= act.v) {
				r->cgroup = FITS_RECLAIM;
				r->cg_active_file = true;
			}
		}
	}

	/* A refusal by the policy is final; else the host's memory and the cgroup's, the worse. */
	if (r->policy == FITS_NO)
		r->status = FITS_NO;
	else
		r->status = worse(r->avail, r->cg_asked ? r->cgroup : FITS_UNKNOWN);
}

int
fits_parse_size(const char *text, uint64_t *out)
{
	static const struct {
		const char *sfx;
		int shift;
	} units[] = {
	    {"", 0},	 {"b", 0},  {"k", 10},	{"kb", 10},  {"kib", 10}, {"m", 20},  {"mb", 20},
	    {"mib", 20}, {"g", 30}, {"gb", 30}, {"gib", 30}, {"t", 40},	  {"tb", 40}, {"tib", 40},
	};
	const char *p = text;
	uint64_t whole = 0, frac = 0, scale = 1;
	int shift = -1;

	if (!text || !isdigit((unsigned char)*p))
		return -EINVAL;
	if (parse_u64(p, &p, &whole) < 0)
		return -ERANGE;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		while (isdigit((unsigned char)*p)) {
			if (scale < 1000000000ull) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				scale *= 10;
			}
			p++;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (strcasecmp(p, units[i].sfx) == 0)
			shift = units[i].shift;
	if (shift < 0)
		return -EINVAL;
	if (whole > (UINT64_MAX >> shift) >> 1)
		return -ERANGE;
	*out = (whole << shift) + (uint64_t)(((__uint128_t)frac << shift) / scale);
	if (*out == 0)
		return -EINVAL;
	return 0;
}

/* Round up to whole MiB; past what int64 holds, the largest whole MiB it does; below 0, 0. */
static int64_t
mib_up(double bytes)
{
	const int64_t max_mib = INT64_MAX >> 20;
	double mib = bytes / (1 << 20);

	if (!(mib < (double)max_mib)) /* also NaN */
		return max_mib << 20;
	if (mib <= 0.0) /* no caller passes one; never a shift of a negative number */
		return 0;
	return ceil_i64(mib) << 20;
}

static bool
counted(struct val v)
{
	return val_is_ok(v) && v.v > 0;
}

/*
 * Is c running into its limit: within 10% of it at its peak, or with
 * evidence the kernel enforced it (failcnt, memory.events max/oom/oom_kill,
 * under_oom)?  Then its peak is the limit's doing, not its need.
 */
static bool
hitting_limit(const struct cgroup *c, int64_t peak)
{
	if (!c->has_limit || !val_is_ok(c->limit_bytes) || c->limit_bytes.v <= 0)
		return false;
	return peak >= c->limit_bytes.v - c->limit_bytes.v / 10 || counted(c->failcnt) ||
	       counted(c->ev_max) || counted(c->ev_oom) || counted(c->ev_oom_kill) ||
	       counted(c->under_oom);
}

int
sizing_for_cgroup(const struct snapshot *s, int cg, struct sizing *z)
{
	const struct cgroup *c;
	int64_t peak = -1, mem, res, ws = -1;
	char ws_text[96] = "", kp[32], sp[32];
	bool hitting;
	int n;

	memset(z, 0, sizeof(*z));
	z->memory_bytes = z->reservation_bytes = z->memory_swap_bytes = val_unknown(OL_EMISSING);
	z->working_set_bytes = val_unknown(OL_EMISSING);
	if (cg < 0 || (size_t)cg >= s->n_cgroups)
		return -ENOENT;
	c = &s->cgroups[cg];
	z->kernel_peak_bytes = c->peak_bytes;
	z->seen_peak_bytes = c->seen_peak_bytes;
	z->seen_for_s = c->seen_for_s;
	z->host_swap = val_is_ok(s->host.swap_total_kb) && s->host.swap_total_kb.v > 0;
	if (val_is_ok(c->peak_bytes))
		peak = c->peak_bytes.v;
	if (val_is_ok(c->seen_peak_bytes) && c->seen_peak_bytes.v > peak)
		peak = c->seen_peak_bytes.v;
	if (val_is_ok(c->usage_bytes) && c->usage_bytes.v > peak)
		peak = c->usage_bytes.v;
	if (peak < 0)
		return -ENODATA;
	z->peak_bytes = val_ok(peak);
	if (val_is_ok(c->usage_bytes) && val_is_ok(c->stat_inactive_file)) {
		ws = c->usage_bytes.v - c->stat_inactive_file.v;
		if (ws < 0)
			ws = 0;
		z->working_set_bytes = val_ok(ws);
	}

	mem = mib_up((double)peak * (100 + SIZING_MARGIN_PCT) / 100.0);
	if (mem < SIZING_MIN_BYTES)
		mem = SIZING_MIN_BYTES;
	/* A cgroup held down by its limit needs more than it, never less. */
	hitting = hitting_limit(c, peak);
	if (hitting) {
		int64_t above = mib_up((double)c->limit_bytes.v * (100 + SIZING_MARGIN_PCT) / 100.0);

		if (mem < above)
			mem = above;
	}
	res = mib_up((double)(ws >= 0 ? ws : peak) * (100 + SIZING_RESERVE_PCT) / 100.0);
	if (res >= mem)
		res = mem - (1 << 20); /* Docker wants the reservation below --memory */
	z->memory_bytes = val_ok(mem);
	z->reservation_bytes = val_ok(res);
	z->memory_swap_bytes = val_ok(mem);

	if (ws >= 0)
		snprintf(ws_text, sizeof(ws_text),
			 "working set now %" PRId64 " MiB (usage - inactive file)", ws >> 20);
	else
		snprintf(ws_text, sizeof(ws_text), "working set unknown, the peak used instead");
	if (val_is_ok(c->peak_bytes))
		snprintf(kp, sizeof(kp), "%" PRId64 " MiB", c->peak_bytes.v >> 20);
	else
		snprintf(kp, sizeof(kp), "not reported");
	if (val_is_ok(c->seen_peak_bytes))
		snprintf(sp, sizeof(sp), "%" PRId64 " MiB", c->seen_peak_bytes.v >> 20);
	else
		snprintf(sp, sizeof(sp), "nothing");
	n = snprintf(
	    z->reason, sizeof(z->reason),
	    "peak %" PRId64 " MiB (the kernel's peak %s; oomlens saw %s over %.0f s) + %d%% "
	    "margin -> --memory %" PRId64 "m; %s + %d%% -> --memory-reservation %" PRId64 "m; %s",
	    peak >> 20, kp, sp, c->seen_for_s, SIZING_MARGIN_PCT, mem >> 20, ws_text,
	    SIZING_RESERVE_PCT, res >> 20,
	    z->host_swap ? "--memory-swap equal to --memory, so the container fails fast "
			   "instead of swapping"
			 : "no swap on this host: --memory-swap equal to --memory");
	if (n > 0 && (size_t)n < sizeof(z->reason) && hitting)
		n += snprintf(z->reason + n, sizeof(z->reason) - (size_t)n,
			      "; it is hitting its %" PRId64 " MiB limit, so its peak is the "
			      "limit's: at least the limit + %d%%",
			      c->limit_bytes.v >> 20, SIZING_MARGIN_PCT);
	if (n > 0 && (size_t)n < sizeof(z->reason) && c->seen_for_s < 600)
		snprintf(
		    z->reason + n, sizeof(z->reason) - (size_t)n,
		    "; watched only %.0f s: measure under production load before trusting this",
		    c->seen_for_s);
	return 0;
}
