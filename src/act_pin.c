/*
 * act_pin.c - pin processes for the actions (act_pin.h).  Everything is read
 * through the pinned /proc/PID directory fd, never by PID again; nothing
 * here writes, prints or builds plans beyond adding a refusal.
 */
#include "config.h"

#include "act_pin.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "parse.h"
#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

bool
act_live_root(const struct act_ctx *ctx)
{
	return !ctx->root || !*ctx->root || strcmp(ctx->root, "/") == 0;
}

/* stat through a pinned fd: 0, -ESRCH when it has exited (a zombie counts). */
static int
pin_stat(int dirfd, struct stat_fields *sf)
{
	char buf[4096];
	ssize_t r = read_file_at(dirfd, "stat", buf, sizeof(buf), NULL);

	if (r == -ENOENT || r == -ESRCH || r == 0)
		return -ESRCH;
	if (r < 0)
		return (int)r;
	if (parse_proc_stat(buf, sf) < 0)
		return -EINVAL;
	if (sf->state == 'Z' || sf->state == 'X')
		return -ESRCH;
	return 0;
}

/*
 * Pin process pid for step st: its /proc directory fd, a pidfd (live system
 * only), and its start time, which must equal want_start when that is not 0.
 * Returns 0 with the current oom_score_adj in *adj, or -errno with a refusal added.
 */
int
act_pin_proc(const struct act_ctx *ctx, struct act_plan *p, pid_t pid, uint64_t want_start,
	     struct act_step *st, struct val *adj, bool quiet_if_gone)
{
	char path[4096], rel[64], buf[64];
	struct stat_fields sf;
	int64_t x;
	ssize_t r;
	int e;

	snprintf(rel, sizeof(rel), "/proc/%d", (int)pid);
	path_join(path, sizeof(path), ctx->root, rel);
	st->pid = pid;
	st->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0) {
		e = errno;
		if (quiet_if_gone)
			;
		else if (e == ENOENT)
			act_msg_add(&p->refusals, "no process %d", (int)pid);
		else
			act_msg_add(&p->refusals, "cannot open %s: %s", path, strerror(e));
		return e == ENOENT ? -ESRCH : -e;
	}
	if (act_live_root(ctx)) {
		st->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (st->pidfd < 0 && errno != ENOSYS) {
			if (!quiet_if_gone)
				act_msg_add(&p->refusals, "process %d has exited", (int)pid);
			return -ESRCH;
		}
	}
	/* Read through the dirfd after pidfd_open: if this succeeds, both name the same process. */
	e = pin_stat(st->dirfd, &sf);
	if (e < 0) {
		if (quiet_if_gone)
			;
		else if (e == -ESRCH)
			act_msg_add(&p->refusals, "process %d has exited", (int)pid);
		else
			act_msg_add(&p->refusals, "cannot read /proc/%d/stat: %s", (int)pid,
				    strerror(-e));
		return e;
	}
	st->start_ticks = sf.start_ticks;
	snprintf(st->comm, sizeof(st->comm), "%s", sf.comm);
	if (want_start && sf.start_ticks != want_start) {
		act_msg_add(&p->refusals,
			    "PID %d now belongs to another process (%s, started at tick %" PRIu64
			    "; the selected one started at tick %" PRIu64 "): nothing changed",
			    (int)pid, sf.comm, sf.start_ticks, want_start);
		return -ESRCH;
	}
	if (sf.flags & OL_PF_KTHREAD) {
		act_msg_add(&p->refusals,
			    "PID %d (%s) is a kernel thread: the OOM killer never picks it and "
			    "it takes no signals from user space",
			    (int)pid, sf.comm);
		return -EPERM;
	}
	r = read_file_at(st->dirfd, "oom_score_adj", buf, sizeof(buf), NULL);
	if (r == -ENOENT || r == -ESRCH)
		return -ESRCH;
	if (r < 0)
		*adj = val_unknown((int)-r);
	else if (parse_int_file(buf, &x) < 0)
		*adj = val_unknown(OL_EPARSE);
	else
		*adj = val_ok(x);
	return 0;
}

/* Re-check a pin just before writing: 0, or -ESRCH with the step's message set. */
int
act_pin_check(struct act_step *st)
{
	struct stat_fields sf;
	int r;

	if (st->pidfd >= 0) {
		struct pollfd pfd = {.fd = st->pidfd, .events = POLLIN};

		if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP))) {
			snprintf(st->message, sizeof(st->message),
				 "process %d (%s) has exited since it was selected", (int)st->pid,
				 st->comm);
			return -ESRCH;
		}
	}
	r = pin_stat(st->dirfd, &sf);
	if (r == -ESRCH || (r == 0 && sf.start_ticks != st->start_ticks)) {
		snprintf(st->message, sizeof(st->message),
			 "process %d (%s) has exited since it was selected%s", (int)st->pid,
			 st->comm, r == 0 ? " and its PID was reused" : "");
		return -ESRCH;
	}
	if (r < 0) {
		snprintf(st->message, sizeof(st->message), "cannot re-read /proc/%d/stat: %s",
			 (int)st->pid, strerror(-r));
		return r;
	}
	return 0;
}

/*
 * Whether the pinned process of st is still in the plan's cgroup, read
 * through its pinned /proc directory: 0, -ESRCH (gone) or -EXDEV (moved).
 */
int
act_pin_member(const struct act_plan *p, const struct act_step *st)
{
	char buf[4096], cg[4096];
	ssize_t r = read_file_at(st->dirfd, "cgroup", buf, sizeof(buf), NULL);

	if (r == -ENOENT || r == -ESRCH || r == 0)
		return -ESRCH;
	if (r < 0)
		return (int)r;
	if (cg_parse_proc_cgroup(buf, p->cg_version, cg, sizeof(cg)) < 0)
		return -EINVAL;
	return strcmp(cg, p->cgroup) == 0 ? 0 : -EXDEV;
}
