/*
 * actions.c - plans, pinning and writes of operator actions.  The pure
 * validation is in act_validate.c, the words (sizes, signals, errors) in
 * act_text.c, the resolution of a cgroup or container in act_cgroup.c.
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
#include "act_build.h"
#include "act_guard.h"
#include "act_frees.h"
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

struct act_plan *
act_plan_new(enum act_kind kind)
{
	struct act_plan *p = xcalloc(1, sizeof(*p));

	p->kind = kind;
	p->cg_dirfd = -1;
	return p;
}

struct act_step *
act_step_add(struct act_plan *p, enum act_setting s)
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
	struct act_step *st = act_step_add(p, ASET_OOM_SCORE_ADJ);
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
	act_val_text(adj, false, st->old_text, sizeof(st->old_text));
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
	struct act_plan *p = act_plan_new(AKIND_PROC);

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
	struct act_plan *p = act_plan_new(AKIND_SIGNAL);
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
	st = act_step_add(p, ASET_SIGNAL);
	snprintf(st->file, sizeof(st->file), "pidfd:%d", (int)pid);
	name = act_signal_name(sig);
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
	act_frees_note(p, st);
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

/* Why each cgroupfs write of steps first.. is or is not what the operator may expect. */
static void
note_direct_writes(struct act_plan *p, size_t first, bool api_ok)
{
	for (size_t i = first; i < p->n_steps; i++)
		if (!p->steps[i].via_docker && p->steps[i].setting != ASET_OOM_SCORE_ADJ) {
			if (api_ok)
				act_msg_add(&p->notes,
					    "%s is written to cgroupfs directly: Docker's update "
					    "API "
					    "cannot change it, and it is lost when %s restarts",
					    act_setting_name(p->steps[i].setting),
					    p->container_name);
			else if (p->container_id[0])
				act_msg_add(&p->notes,
					    "a direct cgroupfs write does not persist: it is lost "
					    "when "
					    "container %s restarts (without --direct, oomlens goes "
					    "through the Docker Engine API)",
					    p->container_name);
			else
				act_msg_add(&p->notes,
					    "a direct cgroupfs write lasts as long as the cgroup: "
					    "whoever created it will not know of the change");
		}
}

struct act_plan *
act_plan_cgroup(const struct act_ctx *ctx, const char *target, const struct act_request *req)
{
	struct act_plan *p = act_plan_new(AKIND_CGROUP);
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
	if (!act_resolve_cgroup(ctx, p, target, &m, &di))
		return p;
	snprintf(p->audit_target, sizeof(p->audit_target), "%s", p->cgroup);
	if (p->container_name[0])
		snprintf(p->target, sizeof(p->target), "%s (container %s, cgroup v%d)", p->cgroup,
			 p->container_name, m.version);
	else
		snprintf(p->target, sizeof(p->target), "%s (cgroup v%d)", p->cgroup, m.version);

	if (any_cg) {
		size_t first = p->n_steps;

		act_read_cg_state(p->cg_dirfd, m.version, &cur);
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
		note_direct_writes(p, first, api_ok);
	}

	if (req->value[ASET_OOM_SCORE_ADJ]) {
		pid_t *pids;
		size_t n;

		r = act_cg_procs(p->cg_dirfd, &pids, &n);
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
	st = act_step_add(p, p->kind == AKIND_SIGNAL ? ASET_SIGNAL
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
	/* Only sizes are rounded to pages: a score, a swappiness or a flag read back as 0 is not. */
	bool size = st->setting != ASET_OOM_SCORE_ADJ && st->setting != ASET_MEMORY_SWAPPINESS &&
		    st->setting != ASET_OOM_KILL_DISABLE;
	long page = size ? sysconf(_SC_PAGESIZE) : 0;

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
		v = cg_read_val(dirfd, name);
	}
	act_val_text(v, size, st->now_text, sizeof(st->now_text));
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
		/* Another writer, or a kernel rule this model lacks: not what was asked. */
		st->result = ARES_DIFFERS;
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
	/*
	 * A step the kernel ignored, or that ended at a value nobody asked for,
	 * did not take effect as planned, whichever way it went (exit status 1).
	 */
	for (size_t i = 0; i < p->n_steps && ret == 0; i++)
		if (p->steps[i].result == ARES_IGNORED || p->steps[i].result == ARES_DIFFERS)
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
