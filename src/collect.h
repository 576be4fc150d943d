/*
 * collect.h - builds one snapshot per tick from /proc and cgroupfs.
 *
 * The collector keeps what must survive between ticks (the memory
 * controller's mount, constants of the kernel); every snapshot it returns is
 * complete, scored and owned by the caller, who frees it with snapshot_free().
 */
#ifndef OOMLENS_COLLECT_H
#define OOMLENS_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model.h"

/* --collector: which reader builds the process list (doc/architecture.md). */
enum collect_choice {
	COLLECT_AUTO = 0, /* bpf where it can be used here, else proc, saying why */
	COLLECT_BPF,      /* bpf, or the snapshot says why not (main.c then fails) */
	COLLECT_PROC,     /* /proc, five files a process */
};

/* "auto", "bpf", "proc" into enum collect_choice; -1 for anything else. */
int collect_choice_from_name(const char *name);

struct collect_opts {
	const char *root;   /* "" or NULL: the live system; else a tree laid out like / (fixtures) */
	const pid_t *pids;  /* only these processes (top's -p); NULL for all */
	size_t n_pids;
	/* And the processes of these cgroups and those below them (-p NAME, pick.h); NULL for none. */
	char *const *pick_cgs;
	size_t n_pick_cgs;
	/*
	 * Read a known process's slow-changing files (status, oom_score,
	 * oom_score_adj, cgroup, cmdline) only every refresh_every ticks,
	 * staggered by PID; its stat is read every tick.  0 or 1: every file
	 * every tick (batch mode, so the JSON is always the kernel's word).
	 * The cmdline and cgroup, which change only with an exec (seen at
	 * once, as another comm) or a move, every refresh_texts ticks (0: with
	 * the others).
	 */
	unsigned refresh_every;
	unsigned refresh_texts;
	int collector;      /* enum collect_choice */
	bool read_only;     /* --read-only: capabilities are gone, use /proc */
};

struct collector;

struct collector *collector_new(const struct collect_opts *o);
/* 0 and a new snapshot in *out, or -errno when not even the host could be read. */
int collector_run(struct collector *c, struct snapshot **out);
void collector_free(struct collector *c);
/* The next collector_run() reads every file afresh, whatever refresh_every says. */
void collector_invalidate(struct collector *c);

#endif
