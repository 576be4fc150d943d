/*
 * actions.c - plans, validation, pinning and writes of operator actions.
 *
 * Owns every write oomlens makes to the system: /proc/PID/oom_score_adj
 * through a pinned directory fd, signals through a pidfd, cgroupfs memory
 * files through the cgroup's directory fd, and (via docker.c) the Docker
 * Engine API.  Nothing is written unless a plan was shown and confirmed,
 * its audit line is on disk (audit.c) and its pins still hold.  It must not
 * print, prompt or touch curses: front ends do that with the plan.
 */
#include "config.h"

#include "actions.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "act_engine.h"
#include "act_audit.h"
#include "act_guard.h"
#include "act_pin.h"
#include "act_write.h"
#include "audit.h"
#include "cgroup.h"
#include "docker.h"
#include "parse.h"
#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

#define KIB	   INT64_C(1024)
#define MIB	   (KIB * 1024)
#define GIB	   (MIB * 1024)
#define UNLIMITED  INT64_MAX
#define MIN_MEMORY (6 * MIB)
#define MIN_KMEM   (4 * MIB)

/* ---- sizes and signals (pure) ------------------------------------------- */

int
act_parse_size(const char *s, bool allow_unlimited, int64_t *out, char *why, size_t whysz)
{
	const char *p = s;
	uint64_t n = 0, mult = 1;

	if (!s || !*s) {
		snprintf(why, whysz, "empty size");
		return -EINVAL;
	}
	if (allow_unlimited && strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	if (*p < '0' || *p > '9') {
		snprintf(why, whysz,
			 "invalid size '%s': a positive integer with an optional unit b, k, m or g",
			 s);
		return -EINVAL;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10) {
			snprintf(why, whysz, "size '%s' is too large", s);
			return -ERANGE;
		}
		n = n * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'b':
	case 'B':
		p++;
		break;
	case 'k':
	case 'K':
		mult = KIB;
		p++;
		break;
	case 'm':
	case 'M':
		mult = MIB;
		p++;
		break;
	case 'g':
	case 'G':
		mult = GIB;
		p++;
		break;
	default:
		break;
	}
	if (*p != '\0') {
		snprintf(why, whysz,
			 "invalid size '%s': a positive integer with an optional unit b, k, m or g",
			 s);
		return -EINVAL;
	}
	if (n == 0) {
		snprintf(why, whysz, "invalid size '%s': must be above 0", s);
		return -EINVAL;
	}
	if (n > (uint64_t)INT64_MAX / mult || n * mult >= OL_V1_UNLIMITED) {
		snprintf(why, whysz, "size '%s' is too large", s);
		return -ERANGE;
	}
	*out = (int64_t)(n * mult);
	return 0;
}

void
act_format_size(int64_t b, char *out, size_t outsz)
{
	if (b < 0 || b == UNLIMITED)
		snprintf(out, outsz, "unlimited");
	else if (b != 0 && b % GIB == 0)
		snprintf(out, outsz, "%" PRId64 "g (%" PRId64 ")", b / GIB, b);
	else if (b != 0 && b % MIB == 0)
		snprintf(out, outsz, "%" PRId64 "m (%" PRId64 ")", b / MIB, b);
	else if (b != 0 && b % KIB == 0)
		snprintf(out, outsz, "%" PRId64 "k (%" PRId64 ")", b / KIB, b);
	else
		snprintf(out, outsz, "%" PRId64, b);
}

static const struct {
	const char *name;
	int sig;
} signals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},	  {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"CONT", SIGCONT},
    {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"ABRT", SIGABRT}, {"ALRM", SIGALRM},
};

int
act_parse_signal(const char *s)
{
	int64_t n;

	if (!s || !*s)
		return -EINVAL;
	if (parse_i64_full(s, &n) == 0 && s[0] >= '0' && s[0] <= '9')
		return n >= 1 && n <= SIGRTMAX ? (int)n : -EINVAL;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signals); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -EINVAL;
}

static const char *
signal_name(int sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(signals); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

/* A value as the plan shows it. */
static void
val_text(struct val v, bool size, char *out, size_t outsz)
{
	switch (v.state) {
	case VAL_OK:
		if (size)
			act_format_size(v.v, out, outsz);
		else
			snprintf(out, outsz, "%" PRId64, v.v);
		break;
	case VAL_MAX:
		snprintf(out, outsz, "unlimited");
		break;
	case VAL_NA:
		snprintf(out, outsz, "n/a");
		break;
	default:
		snprintf(out, outsz, "unknown (%s)", val_reason(v));
	}
}

/* ---- errors in words ----------------------------------------------------- */

const char *
act_errno_text(int err, enum act_setting s, int cg_version)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case EBUSY:
		if (s == ASET_MEMORY || s == ASET_MEMORY_SWAP)
			return "the kernel could not reclaim enough memory to bring usage below "
			       "the new limit "
			       "(cgroup v1 refuses the limit rather than kill)";
		return "the kernel says the cgroup is busy";
	case EACCES:
		if (s == ASET_OOM_SCORE_ADJ)
			return "permission denied: lowering oom_score_adj below the process's "
			       "floor "
			       "(oom_score_adj_min, 0 unless a writer with CAP_SYS_RESOURCE set a "
			       "lower one) "
			       "needs CAP_SYS_RESOURCE";
		return "permission denied: the file is not writable by this user "
		       "(needs its owner, or CAP_DAC_OVERRIDE)";
	case EPERM:
		if (s == ASET_SIGNAL)
			return "operation not permitted: signalling another user's process needs "
			       "CAP_KILL";
		return "operation not permitted: the kernel requires a capability oomlens lacks";
	case EINVAL:
		if (s == ASET_MEMORY || s == ASET_MEMORY_SWAP)
			return cg_version == 1 ? "invalid argument: on cgroup v1, "
						 "memory.memsw.limit_in_bytes may never be "
						 "below memory.limit_in_bytes"
					       : "invalid argument: the kernel rejected the value";
		return "invalid argument: the kernel rejected the value";
	case ENOENT:
		return "no such file: the cgroup or process has gone, or this kernel lacks the "
		       "file";
	case ESRCH:
		return "no such process: it has exited";
	case ENOSPC:
		return "no space left on the device";
	case EROFS:
		return "read-only file system";
	case ENOTSUP:
		return "not supported by this kernel";
	default:
		return strerror(err);
	}
}

/* ---- context and capabilities ------------------------------------------- */

void
act_caps_read(struct act_caps *c)
{
	cap_t caps = cap_get_proc();
	static const cap_value_t want[3] = {CAP_SYS_RESOURCE, CAP_KILL, CAP_DAC_OVERRIDE};
	int *dst[3] = {&c->sys_resource, &c->kill, &c->dac_override};

	c->err = 0;
	for (int i = 0; i < 3; i++)
		*dst[i] = -1;
	if (!caps) {
		c->err = errno;
		return;
	}
	for (int i = 0; i < 3; i++) {
		cap_flag_value_t v;

		if (cap_get_flag(caps, want[i], CAP_EFFECTIVE, &v) == 0)
			*dst[i] = v == CAP_SET;
	}
	cap_free(caps);
}

void
act_default_audit_path(char *out, size_t outsz)
{
	const char *xdg = secure_getenv("XDG_STATE_HOME");
	const char *home = secure_getenv("HOME");

	if (geteuid() == 0) {
		snprintf(out, outsz, "/var/log/oomlens/audit.log");
	} else if (xdg && xdg[0] == '/') {
		snprintf(out, outsz, "%s/oomlens/audit.log", xdg);
	} else {
		struct passwd pw, *res = NULL;
		char buf[1024];

		if ((!home || home[0] != '/') &&
		    getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
			home = pw.pw_dir;
		snprintf(out, outsz, "%s/.local/state/oomlens/audit.log",
			 home && *home ? home : "/tmp");
	}
}

void
act_ctx_init(struct act_ctx *ctx)
{
	const char *e;

	memset(ctx, 0, sizeof(*ctx));
	e = secure_getenv("OOMLENS_AUDIT");
	if (e && *e) {
		ctx->audit_file = e;
	} else {
		act_default_audit_path(ctx->audit_buf, sizeof(ctx->audit_buf));
		ctx->audit_file = ctx->audit_buf;
	}
	e = secure_getenv("DOCKER_HOST");
	ctx->docker_host = e && *e ? e : "unix:///var/run/docker.sock";
	ctx->docker_timeout_ms = 5000;
	if (act_guard_caller(ctx->refuse_why, sizeof(ctx->refuse_why)) == 0)
		ctx->refuse_why[0] = '\0';
	act_caps_read(&ctx->caps);
}

/* ---- plans --------------------------------------------------------------- */

static struct act_plan *
plan_new(enum act_kind kind)
{
	struct act_plan *p = xcalloc(1, sizeof(*p));

	p->kind = kind;
	p->cg_dirfd = -1;
	return p;
}

static struct act_step *
step_add(struct act_plan *p, enum act_setting s)
{
	struct act_step *st;

	p->steps = xrealloc(p->steps, (p->n_steps + 1) * sizeof(*p->steps));
	st = &p->steps[p->n_steps++];
	memset(st, 0, sizeof(*st));
	st->setting = s;
	st->dirfd = st->pidfd = -1;
	st->audit_off = -1;
	snprintf(st->old_text, sizeof(st->old_text), "-");
	return st;
}

void
act_plan_free(struct act_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_steps; i++) {
		if (p->steps[i].dirfd >= 0)
			close(p->steps[i].dirfd);
		if (p->steps[i].pidfd >= 0)
			close(p->steps[i].pidfd);
	}
	if (p->cg_dirfd >= 0)
		close(p->cg_dirfd);
	free(p->steps);
	act_msgs_free(&p->refusals);
	act_msgs_free(&p->warnings);
	act_msgs_free(&p->notes);
	free(p);
}

bool
act_plan_refused(const struct act_plan *p)
{
	return p->refusals.n > 0 || p->n_steps == 0;
}

bool
act_plan_dangerous(const struct act_plan *p)
{
	return p->warnings.n > 0;
}

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
	struct act_step *st = step_add(p, s);

	snprintf(st->file, sizeof(st->file), "%s", file);
	val_text(cur, true, st->old_text, sizeof(st->old_text));
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
	struct act_step *st = step_add(p, s);

	snprintf(st->file, sizeof(st->file), "%s", file);
	val_text(cur, false, st->old_text, sizeof(st->old_text));
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
	if (strcmp(p->cgroup, "/") == 0 && (has_mem || has_res || has_high || has_min))
		act_msg_add(&p->warnings,
			    "%s is the root memory cgroup: a limit there covers every process "
			    "on the host, the host's own daemons included",
			    p->cgroup);
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

/* ---- pinning processes --------------------------------------------------- */

/* --root is for reading saved trees: a tree's files are whatever its owner made them. */
#define ROOT_REFUSAL                                                                               \
	"changes are refused under --root: it is for reading saved trees, and oomlens writes "     \
	"only to the live /proc and cgroupfs"

/* Write access to name under dirfd, for our effective ids and capabilities; a refusal if not. */
static bool
writable_at(struct act_plan *p, const struct act_ctx *ctx, int dirfd, const char *name,
	    const char *shown)
{
	struct stat sb;

	if (faccessat(dirfd, name, W_OK, AT_EACCESS) == 0)
		return true;
	if (errno == ENOENT)
		return true; /* the write will say so, with the kernel's words */
	if (fstatat(dirfd, name, &sb, 0) == 0)
		act_msg_add(&p->refusals,
			    "%s is not writable by uid %u (owner uid %u, mode %03o): run as its "
			    "owner, or with CAP_DAC_OVERRIDE%s",
			    shown, (unsigned)geteuid(), (unsigned)sb.st_uid,
			    (unsigned)(sb.st_mode & 07777),
			    ctx->caps.dac_override == 0 ? ", which oomlens lacks" : "");
	else
		act_msg_add(&p->refusals, "%s is not writable: %s", shown, strerror(errno));
	return false;
}

/* One oom_score_adj step for process pid; false when it cannot even be pinned. */
static bool
plan_adj_step(const struct act_ctx *ctx, struct act_plan *p, pid_t pid, uint64_t want_start,
	      const char *text, bool in_cgroup)
{
	struct act_step *st = step_add(p, ASET_OOM_SCORE_ADJ);
	struct val adj;
	int n;

	snprintf(st->file, sizeof(st->file), "/proc/%d/oom_score_adj", (int)pid);
	/* A container's PID is pinned with its start time, then must be a member through that pin.
	 */
	if (act_pin_proc(ctx, p, pid, want_start, st, &adj, in_cgroup) < 0 ||
	    (in_cgroup && act_pin_member(p, st) < 0)) {
		if (in_cgroup) { /* a container's process that just exited: not part of the plan */
			if (st->dirfd >= 0)
				close(st->dirfd);
			if (st->pidfd >= 0)
				close(st->pidfd);
			p->n_steps--;
		}
		return false;
	}
	val_text(adj, false, st->old_text, sizeof(st->old_text));
	st->old_known = val_is_ok(adj);
	st->old_value = adj.v;
	n = act_validate_oom_adj(text, adj, ctx->caps.sys_resource == 1, in_cgroup, p);
	if (n == INT32_MIN) {
		snprintf(st->new_text, sizeof(st->new_text), "(invalid)");
		return false;
	}
	st->new_value = n;
	snprintf(st->write_text, sizeof(st->write_text), "%d", n);
	snprintf(st->new_text, sizeof(st->new_text), "%d", n);
	writable_at(p, ctx, st->dirfd, "oom_score_adj", st->file);
	return true;
}

struct act_plan *
act_plan_proc(const struct act_ctx *ctx, pid_t pid, uint64_t start_ticks, const char *oom_score_adj)
{
	struct act_plan *p = plan_new(AKIND_PROC);

	snprintf(p->target, sizeof(p->target), "pid %d", (int)pid);
	snprintf(p->audit_target, sizeof(p->audit_target), "pid:%d", (int)pid);
	if (pid <= 0) {
		act_msg_add(&p->refusals, "invalid PID %d", (int)pid);
		return p;
	}
	if (!act_live_root(ctx)) {
		act_msg_add(&p->refusals, ROOT_REFUSAL);
		return p;
	}
	plan_adj_step(ctx, p, pid, start_ticks, oom_score_adj, false);
	if (p->n_steps) {
		struct act_step *st = &p->steps[0];

		snprintf(p->target, sizeof(p->target), "pid %d (%s)", (int)pid, st->comm);
		snprintf(p->comm, sizeof(p->comm), "%s", st->comm);
		snprintf(p->audit_target, sizeof(p->audit_target), "pid:%d:%" PRIu64, (int)pid,
			 st->start_ticks);
		if (pid == 1)
			act_msg_add(
			    &p->notes,
			    "PID 1 is never chosen by the OOM killer whatever its oom_score_adj");
	} else {
		snprintf(p->audit_target, sizeof(p->audit_target), "pid:%d", (int)pid);
	}
	return p;
}

struct act_plan *
act_plan_signal(const struct act_ctx *ctx, pid_t pid, uint64_t start_ticks, const char *signal)
{
	struct act_plan *p = plan_new(AKIND_SIGNAL);
	struct act_step *st;
	const char *name;
	struct val adj;
	int sig;

	snprintf(p->target, sizeof(p->target), "pid %d", (int)pid);
	snprintf(p->audit_target, sizeof(p->audit_target), "pid:%d", (int)pid);
	sig = act_parse_signal(signal ? signal : "TERM");
	if (sig < 0) {
		act_msg_add(&p->refusals, "unknown signal '%s'", signal);
		return p;
	}
	if (pid <= 0) {
		act_msg_add(&p->refusals, "invalid PID %d", (int)pid);
		return p;
	}
	if (!act_live_root(ctx)) {
		act_msg_add(&p->refusals, "signals go to live processes only, not under --root");
		return p;
	}
	st = step_add(p, ASET_SIGNAL);
	snprintf(st->file, sizeof(st->file), "pidfd:%d", (int)pid);
	name = signal_name(sig);
	if (name)
		snprintf(st->new_text, sizeof(st->new_text), "SIG%s (%d)", name, sig);
	else
		snprintf(st->new_text, sizeof(st->new_text), "signal %d", sig);
	snprintf(st->write_text, sizeof(st->write_text), "%d", sig);
	st->new_value = sig;
	if (act_pin_proc(ctx, p, pid, start_ticks, st, &adj, false) < 0)
		return p;
	snprintf(st->old_text, sizeof(st->old_text), "running");
	snprintf(p->target, sizeof(p->target), "pid %d (%s)", (int)pid, st->comm);
	snprintf(p->comm, sizeof(p->comm), "%s", st->comm);
	snprintf(p->audit_target, sizeof(p->audit_target), "pid:%d:%" PRIu64, (int)pid,
		 st->start_ticks);
	if (st->pidfd < 0) {
		act_msg_add(&p->refusals,
			    "this kernel has no pidfd_open(): oomlens does not signal a bare PID, "
			    "which could hit a new process after PID reuse");
		return p;
	}
	/* Signal 0 checks the permission without sending anything. */
	if (syscall(SYS_pidfd_send_signal, st->pidfd, 0, NULL, 0) < 0) {
		if (errno == EPERM)
			act_msg_add(
			    &p->refusals,
			    "not permitted to signal pid %d: it belongs to another user and "
			    "oomlens lacks CAP_KILL",
			    (int)pid);
		else
			act_msg_add(&p->refusals, "cannot signal pid %d: %s", (int)pid,
				    strerror(errno));
	}
	if (sig == SIGKILL)
		act_msg_add(&p->warnings,
			    "SIGKILL cannot be caught: %s ends at once, without cleaning up",
			    p->target);
	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
		act_msg_add(&p->warnings,
			    "%s freezes %s until something sends it SIGCONT: whatever it serves "
			    "stops answering, as surely as if it were killed",
			    st->new_text, p->target);
	if (pid == 1)
		act_msg_add(&p->warnings, "PID 1 is the init process of its PID namespace");
	return p;
}

/* ---- cgroups ------------------------------------------------------------- */

static struct val
read_cg_val(int dirfd, const char *name)
{
	char buf[128];
	bool trunc;
	ssize_t r;
	struct val v;

	if (!name)
		return val_na();
	r = read_file_at(dirfd, name, buf, sizeof(buf), &trunc);
	if (r < 0)
		return val_unknown((int)-r);
	if (trunc)
		return val_unknown(OL_EPARSE);
	cg_parse_value(buf, &v);
	return v;
}

/* The state validation needs, read through the cgroup's directory fd. */
static void
read_cg_state(int dirfd, int version, struct act_cg_state *s)
{
	memset(s, 0, sizeof(*s));
	s->version = version;
	if (version == 1) {
		char buf[512];
		uint64_t x;

		s->usage = read_cg_val(dirfd, "memory.usage_in_bytes");
		s->memory = read_cg_val(dirfd, "memory.limit_in_bytes");
		s->memory_swap = read_cg_val(dirfd, "memory.memsw.limit_in_bytes");
		s->swap_max = val_na();
		s->reservation = read_cg_val(dirfd, "memory.soft_limit_in_bytes");
		s->swappiness = read_cg_val(dirfd, "memory.swappiness");
		s->kmem = read_cg_val(dirfd, "memory.kmem.limit_in_bytes");
		s->high = s->min = val_na();
		ssize_t r = read_file_at(dirfd, "memory.oom_control", buf, sizeof(buf), NULL);

		if (r < 0)
			s->oom_kill_disable = val_unknown((int)-r);
		else if (parse_kv_u64(buf, "oom_kill_disable", &x) < 0)
			s->oom_kill_disable = val_unknown(OL_EPARSE);
		else
			s->oom_kill_disable = val_ok((int64_t)x);
	} else {
		s->usage = read_cg_val(dirfd, "memory.current");
		s->memory = read_cg_val(dirfd, "memory.max");
		s->swap_max = read_cg_val(dirfd, "memory.swap.max");
		if (s->memory.state == VAL_OK && s->swap_max.state == VAL_OK)
			s->memory_swap = val_ok(s->memory.v + s->swap_max.v);
		else if (s->memory.state == VAL_MAX || s->swap_max.state == VAL_MAX)
			s->memory_swap = val_max();
		else
			s->memory_swap = s->swap_max;
		s->reservation = read_cg_val(dirfd, "memory.low");
		s->high = read_cg_val(dirfd, "memory.high");
		s->min = read_cg_val(dirfd, "memory.min");
		s->swappiness = s->kmem = s->oom_kill_disable = val_na();
	}
}

/* Every process of the cgroup, from cgroup.procs. */
static int
cg_procs(int dirfd, pid_t **out, size_t *n)
{
	char *buf = xmalloc(1 << 20);
	ssize_t r = read_file_at(dirfd, "cgroup.procs", buf, 1 << 20, NULL);
	const char *p = buf;
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (r < 0) {
		free(buf);
		return (int)r;
	}
	while (*p) {
		uint64_t x;
		const char *end;

		if (parse_u64(p, &end, &x) < 0)
			break;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[(*n)++] = (pid_t)x;
		p = end;
		while (*p == '\n')
			p++;
	}
	free(buf);
	return 0;
}

/* Whether a path has a ".." component. */
static bool
has_dotdot(const char *path)
{
	for (const char *c = path; (c = strstr(c, "..")) != NULL; c += 2)
		if ((c == path || c[-1] == '/') && (c[2] == '\0' || c[2] == '/'))
			return true;
	return false;
}

/* Resolve target (a path, or a container name or id) into p's cgroup fields; false on refusal. */
static bool
resolve_cgroup(const struct act_ctx *ctx, struct act_plan *p, const char *target,
	       const struct cg_mount *m, struct docker_info *di)
{
	char why[512], id[65];
	const char *rel;
	size_t lr;
	int r;

	memset(di, 0, sizeof(*di));
	if (target[0] == '/') {
		snprintf(p->cgroup, sizeof(p->cgroup), "%s", target);
		/* A Docker container's cgroup: ask the engine, which may not be there. */
		if (act_engine_id_of_path(target, id) && act_live_root(ctx) && !ctx->read_only) {
			if (docker_inspect(ctx->docker_host, ctx->docker_timeout_ms, id, di, why,
					   sizeof(why)) < 0) {
				memset(di, 0, sizeof(*di));
			} else if (act_engine_verify(di, id, m->version, NULL, 0, why,
						     sizeof(why)) < 0) {
				act_msg_add(&p->refusals, "%s: nothing is written", why);
				return false;
			}
		}
	} else {
		if (!act_live_root(ctx)) {
			act_msg_add(&p->refusals,
				    "container names are resolved on the live system only: give a "
				    "cgroup path under --root");
			return false;
		}
		if (ctx->read_only) {
			act_msg_add(
			    &p->refusals,
			    "container names are resolved through the Docker Engine API, which "
			    "read-only mode does not call: give the cgroup path");
			return false;
		}
		if (!docker_name_ok(target)) {
			act_msg_add(&p->refusals,
				    "'%s' is not a container name or id (Docker's names are "
				    "[a-zA-Z0-9][a-zA-Z0-9_.-]*)",
				    target);
			return false;
		}
		r = docker_inspect(ctx->docker_host, ctx->docker_timeout_ms, target, di, why,
				   sizeof(why));
		if (r < 0) {
			act_msg_add(&p->refusals,
				    "cannot resolve container '%s': %s; give the cgroup path "
				    "(as the batch JSON shows it) instead",
				    target, why);
			return false;
		}
		if (!di->running || di->pid <= 0) {
			act_msg_add(&p->refusals,
				    "container %s is not running, so it has no cgroup to change",
				    di->name);
			return false;
		}
		r = act_engine_verify(di, NULL, m->version, p->cgroup, sizeof(p->cgroup), why,
				      sizeof(why));
		if (r < 0) {
			act_msg_add(&p->refusals, "container '%s': %s: nothing is written", target,
				    why);
			return false;
		}
	}
	if (di->id[0]) {
		snprintf(p->container_id, sizeof(p->container_id), "%s", di->id);
		snprintf(p->container_name, sizeof(p->container_name), "%s", di->name);
	}
	if (has_dotdot(p->cgroup)) {
		act_msg_add(&p->refusals, "cgroup path %s must not contain '..'", p->cgroup);
		return false;
	}
	/* The hierarchy path -> the directory: strip the mount's root, append to the mount point.
	 */
	lr = strlen(m->root);
	rel = p->cgroup;
	if (strcmp(m->root, "/") != 0 && m->root[0]) {
		if (strncmp(p->cgroup, m->root, lr) != 0 ||
		    (p->cgroup[lr] != '/' && p->cgroup[lr] != '\0')) {
			act_msg_add(
			    &p->refusals,
			    "cgroup %s is outside the memory hierarchy mounted at %s (root %s)",
			    p->cgroup, m->mount, m->root);
			return false;
		}
		rel = p->cgroup + lr;
	}
	{
		char mnt[4096 + 16];

		path_join(mnt, sizeof(mnt), ctx->root, m->mount);
		snprintf(p->cg_dir, sizeof(p->cg_dir), "%s%s", mnt,
			 strcmp(rel, "/") == 0 ? "" : rel);
	}
	p->cg_dirfd = open(p->cg_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->cg_dirfd < 0) {
		act_msg_add(&p->refusals, "cgroup %s: cannot open %s: %s", p->cgroup, p->cg_dir,
			    strerror(errno));
		return false;
	}
	return true;
}

struct act_plan *
act_plan_cgroup(const struct act_ctx *ctx, const char *target, const struct act_request *req)
{
	struct act_plan *p = plan_new(AKIND_CGROUP);
	struct docker_info di;
	struct act_cg_state cur;
	struct cg_mount m;
	bool any_cg = false, api_ok;
	int r;

	snprintf(p->target, sizeof(p->target), "%s", target ? target : "");
	snprintf(p->audit_target, sizeof(p->audit_target), "%s", target ? target : "");
	if (!target || !*target) {
		act_msg_add(&p->refusals, "no cgroup given");
		return p;
	}
	if (!act_live_root(ctx)) {
		act_msg_add(&p->refusals, ROOT_REFUSAL);
		return p;
	}
	for (int s = ASET_MEMORY; s <= ASET_MEMORY_MIN; s++)
		any_cg |= req->value[s] != NULL;
	if (!any_cg && !req->value[ASET_OOM_SCORE_ADJ]) {
		act_msg_add(&p->refusals, "nothing to change: give at least one setting");
		return p;
	}
	r = cg_find_mount(ctx->root, &m);
	if (r < 0) {
		act_msg_add(&p->refusals, "no memory controller found in mountinfo: %s",
			    strerror(-r));
		return p;
	}
	p->cg_version = m.version;
	if (!resolve_cgroup(ctx, p, target, &m, &di))
		return p;
	snprintf(p->audit_target, sizeof(p->audit_target), "%s", p->cgroup);
	if (p->container_name[0])
		snprintf(p->target, sizeof(p->target), "%s (container %s, cgroup v%d)", p->cgroup,
			 p->container_name, m.version);
	else
		snprintf(p->target, sizeof(p->target), "%s (cgroup v%d)", p->cgroup, m.version);

	if (any_cg) {
		size_t first = p->n_steps;

		read_cg_state(p->cg_dirfd, m.version, &cur);
		act_validate_cgroup(&cur, req, p);
		api_ok = di.id[0] && req->via != AVIA_CGROUPFS;
		if (req->via == AVIA_DOCKER && !api_ok)
			act_msg_add(&p->refusals,
				    "--api: %s is not a container the Docker Engine at %s knows",
				    p->cgroup, ctx->docker_host);
		for (size_t i = first; i < p->n_steps; i++) {
			struct act_step *st = &p->steps[i];
			char name[64];

			snprintf(name, sizeof(name), "%.63s", st->file);
			snprintf(st->file, sizeof(st->file), "%.8400s/%s", p->cg_dir, name);
			st->via_docker = api_ok && (st->setting == ASET_MEMORY ||
						    st->setting == ASET_MEMORY_SWAP ||
						    st->setting == ASET_MEMORY_RESERVATION ||
						    st->setting == ASET_KERNEL_MEMORY);
			p->via_docker |= st->via_docker;
			if (!st->via_docker)
				writable_at(p, ctx, p->cg_dirfd, name, st->file);
		}
		if (p->via_docker)
			act_msg_add(
			    &p->notes,
			    "memory limits go through the Docker Engine API (POST "
			    "/containers/%.12s/"
			    "update, as docker update does), so they persist across restarts of %s",
			    p->container_id, p->container_name);
		for (size_t i = first; i < p->n_steps; i++)
			if (!p->steps[i].via_docker && p->steps[i].setting != ASET_OOM_SCORE_ADJ) {
				if (api_ok)
					act_msg_add(
					    &p->notes,
					    "%s is written to cgroupfs directly: Docker's update "
					    "API "
					    "cannot change it, and it is lost when %s restarts",
					    act_setting_name(p->steps[i].setting),
					    p->container_name);
				else if (p->container_id[0])
					act_msg_add(
					    &p->notes,
					    "a direct cgroupfs write does not persist: it is lost "
					    "when "
					    "container %s restarts (without --direct, oomlens goes "
					    "through the Docker Engine API)",
					    p->container_name);
				else
					act_msg_add(
					    &p->notes,
					    "a direct cgroupfs write lasts as long as the cgroup: "
					    "whoever created it will not know of the change");
			}
	}

	if (req->value[ASET_OOM_SCORE_ADJ]) {
		pid_t *pids;
		size_t n;

		r = cg_procs(p->cg_dirfd, &pids, &n);
		if (r < 0) {
			act_msg_add(&p->refusals, "cannot list the processes of %s: %s", p->cgroup,
				    strerror(-r));
		} else if (n == 0) {
			act_msg_add(&p->refusals, "--oom-score-adj: cgroup %s has no processes",
				    p->cgroup);
		} else {
			for (size_t i = 0; i < n; i++)
				plan_adj_step(ctx, p, pids[i], 0, req->value[ASET_OOM_SCORE_ADJ],
					      true);
			act_msg_add(
			    &p->notes,
			    "oom_score_adj is written to the processes running now; processes "
			    "started later%s get their value elsewhere",
			    p->container_id[0] ? " (and the container after a restart)" : "");
		}
		free(pids);
	}
	return p;
}

/* ---- applying ------------------------------------------------------------ */

/* Mark every pending step with result r and message msg. */
static void
mark_all(struct act_plan *p, enum act_result r, int err, const char *msg)
{
	for (size_t i = 0; i < p->n_steps; i++) {
		struct act_step *st = &p->steps[i];

		if (st->result != ARES_PENDING)
			continue;
		st->result = r;
		st->err = err;
		snprintf(st->message, sizeof(st->message), "%.1000s", msg);
	}
}

/* A refusal with no step to hang it on (no process, bad target): one line for the attempt. */
static void
ensure_one_step(struct act_plan *p)
{
	struct act_step *st;

	if (p->n_steps)
		return;
	st = step_add(p, p->kind == AKIND_SIGNAL ? ASET_SIGNAL
			 : p->kind == AKIND_PROC ? ASET_OOM_SCORE_ADJ
						 : ASET_MEMORY);
	snprintf(st->file, sizeof(st->file), "-");
	snprintf(st->new_text, sizeof(st->new_text), "-");
}

/* Read a step's file back into now_text and decide done / ignored. */
static void
read_back(struct act_plan *p, struct act_step *st)
{
	const char *name = strrchr(st->file, '/') + 1;
	int dirfd = st->setting == ASET_OOM_SCORE_ADJ ? st->dirfd : p->cg_dirfd;
	struct val v;
	long page = sysconf(_SC_PAGESIZE);

	if (st->setting == ASET_OOM_KILL_DISABLE || st->setting == ASET_OOM_SCORE_ADJ) {
		char buf[512];
		ssize_t r = read_file_at(dirfd, name, buf, sizeof(buf), NULL);
		uint64_t x;
		int64_t y;

		if (r < 0)
			v = val_unknown((int)-r);
		else if (st->setting == ASET_OOM_SCORE_ADJ)
			v = parse_int_file(buf, &y) < 0 ? val_unknown(OL_EPARSE) : val_ok(y);
		else
			v = parse_kv_u64(buf, "oom_kill_disable", &x) < 0 ? val_unknown(OL_EPARSE)
									  : val_ok((int64_t)x);
	} else {
		v = read_cg_val(dirfd, name);
	}
	val_text(v,
		 st->setting != ASET_OOM_SCORE_ADJ && st->setting != ASET_MEMORY_SWAPPINESS &&
		     st->setting != ASET_OOM_KILL_DISABLE,
		 st->now_text, sizeof(st->now_text));
	if (v.state == VAL_UNKNOWN) {
		st->result = ARES_DONE;
		snprintf(st->message, sizeof(st->message), "written, but cannot be read back: %s",
			 val_reason(v));
		return;
	}
	if ((st->new_value == UNLIMITED && v.state == VAL_MAX) ||
	    (v.state == VAL_OK && v.v == st->new_value)) {
		st->result = ARES_DONE;
		snprintf(st->message, sizeof(st->message), "the kernel now reports %s",
			 st->now_text);
	} else if (v.state == VAL_OK && st->new_value != UNLIMITED && page > 0 &&
		   v.v == st->new_value / page * page) {
		st->result = ARES_DONE;
		snprintf(st->message, sizeof(st->message),
			 "the kernel now reports %s (rounded down to a "
			 "multiple of the page size)",
			 st->now_text);
	} else if (st->old_known && ((v.state == VAL_MAX && st->old_value == UNLIMITED) ||
				     (v.state == VAL_OK && v.v == st->old_value))) {
		st->result = ARES_IGNORED;
		snprintf(st->message, sizeof(st->message),
			 "the write succeeded but the kernel still reports %s: "
			 "ignored by this kernel",
			 st->now_text);
	} else {
		st->result = ARES_DONE;
		snprintf(st->message, sizeof(st->message), "the kernel now reports %s, not %s",
			 st->now_text, st->new_text);
	}
}

/* Apply one direct step (pin re-checked by the caller). */
static int
apply_direct(struct act_plan *p, struct act_step *st)
{
	int r;

	if (st->setting == ASET_SIGNAL) {
		if (syscall(SYS_pidfd_send_signal, st->pidfd, (int)st->new_value, NULL, 0) < 0)
			return -errno;
		st->result = ARES_DONE;
		snprintf(st->now_text, sizeof(st->now_text), "sent");
		snprintf(st->message, sizeof(st->message), "%s sent to pid %d (%s)", st->new_text,
			 (int)st->pid, st->comm);
		return 0;
	}
	r = act_write_text(st->setting == ASET_OOM_SCORE_ADJ ? st->dirfd : p->cg_dirfd,
			   strrchr(st->file, '/') + 1, st->write_text);
	if (r < 0)
		return r;
	read_back(p, st);
	return 0;
}

/* The Docker steps as one API call, then each read back from cgroupfs. */
static int
apply_docker(const struct act_ctx *ctx, struct act_plan *p)
{
	struct docker_update u;
	struct docker_info di;
	char why[512];
	int r;

	memset(&u, 0, sizeof(u));
	for (size_t i = 0; i < p->n_steps; i++) {
		struct act_step *st = &p->steps[i];
		int64_t v = st->api_value;

		if (!st->via_docker || st->result != ARES_PENDING)
			continue;
		switch (st->setting) {
		case ASET_MEMORY:
			u.has_memory = true;
			u.memory = v;
			break;
		case ASET_MEMORY_SWAP:
			u.has_memory_swap = true;
			u.memory_swap = v;
			break;
		case ASET_MEMORY_RESERVATION:
			u.has_memory_reservation = true;
			u.memory_reservation = v < 0 ? 0 : v;
			break;
		case ASET_KERNEL_MEMORY:
			u.has_kernel_memory = true;
			u.kernel_memory = v;
			break;
		default:
			break;
		}
	}
	r = docker_update(ctx->docker_host, ctx->docker_timeout_ms, p->container_id, &u, why,
			  sizeof(why));
	for (size_t i = 0; i < p->n_steps; i++) {
		struct act_step *st = &p->steps[i];

		if (!st->via_docker || st->result != ARES_PENDING)
			continue;
		if (r < 0) {
			st->result = ARES_FAILED;
			st->err = -r;
			snprintf(st->message, sizeof(st->message), "%s", why);
		} else {
			read_back(p, st);
		}
	}
	if (r == 0 && docker_inspect(ctx->docker_host, ctx->docker_timeout_ms, p->container_id, &di,
				     why, sizeof(why)) == 0) {
		char a[64], b[64];

		act_format_size(di.memory ? di.memory : -1, a, sizeof(a));
		act_format_size(di.memory_swap > 0 ? di.memory_swap : -1, b, sizeof(b));
		act_msg_add(
		    &p->notes,
		    "docker inspect now shows Memory %s, MemorySwap %s: kept across restarts", a,
		    b);
	}
	return r;
}

/* Sleep for the test hook, resuming after signals. */
static void
pause_for(double seconds)
{
	struct timespec ts = {.tv_sec = (time_t)seconds,
			      .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * The operator's decision, before any file is opened: 0 to go on; else what
 * act_apply() returns, with *audit false when not even the refusal may open
 * the audit file (set-user-ID: a file by a name the caller chose; read-only).
 */
static int
decide(const struct act_ctx *ctx, struct act_plan *p, enum act_decision d, bool *audit)
{
	char msg[1200];

	*audit = false;
	if (ctx->refuse_why[0]) {
		mark_all(p, ARES_REFUSED, EPERM, ctx->refuse_why);
		return -ECANCELED;
	}
	if (ctx->read_only) {
		mark_all(p, ARES_REFUSED, EROFS,
			 "read-only mode (--read-only, read_only = yes or OOMLENS_READ_ONLY=1): "
			 "oomlens makes no changes");
		return -ECANCELED;
	}
	*audit = true;
	if (p->refusals.n) {
		snprintf(msg, sizeof(msg), "%s%s", p->refusals.v[0],
			 p->refusals.n > 1 ? " (and more refusals)" : "");
		mark_all(p, ARES_REFUSED, 0, msg);
		return -ECANCELED;
	}
	if (d == ADEC_DECLINE) {
		mark_all(p, ARES_DECLINED, 0, "not confirmed");
		return -ECANCELED;
	}
	if (p->warnings.n && d != ADEC_CONFIRM_DANGER && !ctx->force) {
		snprintf(msg, sizeof(msg), "needs --force or a second confirmation: %s",
			 p->warnings.v[0]);
		mark_all(p, ARES_REFUSED, 0, msg);
		return -ECANCELED;
	}
	return 0;
}

/* Re-check a step's pins (and a cgroup member's membership): 0, or -errno with the step refused. */
static int
recheck(struct act_plan *p, struct act_step *st)
{
	int r = act_pin_check(st);

	if (r == 0 && p->kind == AKIND_CGROUP && (r = act_pin_member(p, st)) < 0)
		snprintf(st->message, sizeof(st->message),
			 "process %d (%s) has left %.800s since it was selected: nothing written",
			 (int)st->pid, st->comm, p->cgroup);
	if (r < 0) {
		st->result = ARES_REFUSED;
		st->err = -r;
	}
	return r;
}

/* Every pending step, in the plan's order, once its audit line is on disk: 0 or the first -errno.
 */
static int
apply_steps(const struct act_ctx *ctx, struct act_plan *p)
{
	bool docker_done = false, failed = false;
	int ret = 0, r;

	for (size_t i = 0; i < p->n_steps; i++) {
		struct act_step *st = &p->steps[i];

		if (st->result != ARES_PENDING)
			continue;
		if (failed && p->kind == AKIND_CGROUP && st->setting != ASET_OOM_SCORE_ADJ) {
			st->result = ARES_SKIPPED;
			snprintf(st->message, sizeof(st->message),
				 "not attempted: an earlier write failed");
			continue;
		}
		if (st->dirfd >= 0 && (r = recheck(p, st)) < 0) {
			/* A member that exited is normal; one that moved did not get the value. */
			if (ret == 0 && (p->kind != AKIND_CGROUP || r == -EXDEV))
				ret = r;
			continue;
		}
		if (st->via_docker) {
			if (!docker_done) {
				docker_done = true;
				r = apply_docker(ctx, p);
				failed |= r < 0;
				if (r < 0 && ret == 0)
					ret = r;
			}
			continue;
		}
		r = apply_direct(p, st);
		if (r < 0) {
			st->result = ARES_FAILED;
			st->err = -r;
			snprintf(st->message, sizeof(st->message), "%s",
				 act_errno_text(r, st->setting, p->cg_version));
			failed = true;
			if (ret == 0)
				ret = r;
		}
	}
	/* A step the kernel ignored did not take effect, whichever way it went (exit status 1). */
	for (size_t i = 0; i < p->n_steps && ret == 0; i++)
		if (p->steps[i].result == ARES_IGNORED)
			ret = -ENOTSUP;
	return ret;
}

int
act_apply(const struct act_ctx *ctx, struct act_plan *p, enum act_decision d)
{
	struct audit_file *a = NULL;
	bool audit;
	int ret, r;
	char msg[1200], why[600];

	if (p->applied)
		return -EALREADY;
	p->applied = true;
	if (p->n_steps == 0 && p->refusals.n == 0)
		act_msg_add(&p->refusals, "nothing to change");
	if (p->refusals.n || ctx->refuse_why[0] || ctx->read_only)
		ensure_one_step(p);
	if (act_test_pause_before_apply > 0)
		pause_for(act_test_pause_before_apply);

	ret = decide(ctx, p, d, &audit);
	r = audit ? audit_open(ctx->audit_file, &a, why, sizeof(why)) : -EPERM;
	if (ret < 0) {
		/* Nothing will be written: record the refusal as best we can (syslog at least). */
		act_audit_finish(r < 0 ? NULL : a, p);
		audit_close(a);
		return ret;
	}
	if (r < 0) {
		snprintf(msg, sizeof(msg),
			 "the audit file %s cannot be opened (%s): no change is made without "
			 "its audit record",
			 ctx->audit_file, why);
		mark_all(p, ARES_REFUSED, -r, msg);
		act_audit_finish(NULL, p);
		return r;
	}
	/* Write-ahead: every step's line is on disk before any change. */
	for (size_t i = 0; i < p->n_steps; i++) {
		r = act_audit_write(a, p, &p->steps[i], true);
		if (r < 0) {
			snprintf(msg, sizeof(msg),
				 "the audit file %s cannot be written (%s): no change is made "
				 "without its audit record",
				 ctx->audit_file, strerror(-r));
			mark_all(p, ARES_REFUSED, -r, msg);
			act_audit_finish(a, p);
			audit_close(a);
			return r;
		}
	}
	ret = apply_steps(ctx, p);
	r = act_audit_finish(a, p);
	audit_close(a);
	if (r < 0 && ret == 0) {
		snprintf(msg, sizeof(msg),
			 "the change was made, but completing its audit line in %s failed: %s",
			 ctx->audit_file, strerror(-r));
		act_msg_add(&p->notes, "%s", msg);
		ret = r;
	}
	return ret;
}
