/*
 * fits.h - "would an allocation of SIZE succeed now?", answered four ways
 * from one snapshot (the 2.4 vm_enough_memory() sum, the overcommit policy
 * in force, MemAvailable, and a cgroup's limit), and the sizing advice for
 * a container (--memory, --memory-reservation) from its observed peak.
 *
 * Pure functions over a const snapshot: the UI (key f) and `oomlens fits`
 * call the same code.  doc/events.md gives the arithmetic.
 */
#ifndef OOMLENS_FITS_H
#define OOMLENS_FITS_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/* Answers, and the exit statuses of `oomlens fits`. */
enum fits_answer {
	FITS_YES = 0,	  /* fits in what is free now */
	FITS_UNKNOWN = 1, /* the inputs could not be read */
	FITS_RECLAIM = 3, /* fits only after the kernel reclaims cache (or swaps) */
	FITS_NO = 4,	  /* does not fit */
};

struct fits_result {
	uint64_t size; /* bytes asked for */

	int v24;	      /* the 2.4 sum: FITS_YES or FITS_NO */
	struct val v24_bytes; /* vm_enough_kb in bytes */

	int policy;		 /* the overcommit policy in force */
	int64_t mode;		 /* 0, 1, 2; -1 unknown */
	struct val policy_bytes; /* mode 0: RAM + swap (4.19-5.1: what is free, see fits.c);
				    mode 2: CommitLimit - Committed_AS - the user reserve */
	bool policy_pre52;	 /* mode 0 by the 4.19-5.1 rule */

	int avail; /* MemFree, then MemAvailable */
	struct val free_bytes, available_bytes;

	bool cg_asked;
	int cg;		   /* the cgroup asked about */
	int cg_limited_by; /* whose limit applies; -1 the host */
	int cgroup;	   /* headroom, then the potentially available memory */
	struct val cg_headroom_bytes, cg_available_bytes;
	bool cg_active_file; /* fits only with the active file pages, which reclaim demotes first */

	int status; /* the exit status (doc/events.md) */
};

/* Evaluate SIZE bytes against s; cg < 0 when no cgroup was asked about. */
void fits_evaluate(const struct snapshot *s, int cg, uint64_t size, struct fits_result *r);

/* Docker's size syntax: "512", "64k", "1.5g", "100MiB" (powers of 1024).  0 or -EINVAL/-ERANGE. */
int fits_parse_size(const char *text, uint64_t *out);

/* A text word for an answer: "fits", "after reclaim", "does not fit", "unknown". */
const char *fits_answer_name(int answer);

/* Sizing advice for a container (doc/events.md). */
struct sizing {
	struct val kernel_peak_bytes; /* v2 memory.peak, v1 max_usage_in_bytes */
	struct val seen_peak_bytes;   /* what oomlens saw */
	struct val peak_bytes;	      /* the larger */
	struct val working_set_bytes; /* usage - inactive file now */
	double seen_for_s;
	bool host_swap;		      /* whether the host has swap at all */
	struct val memory_bytes;      /* suggested --memory */
	struct val reservation_bytes; /* suggested --memory-reservation */
	struct val memory_swap_bytes; /* suggested --memory-swap */
	char reason[768];
};

#define SIZING_MARGIN_PCT  20	     /* above the peak, for --memory */
#define SIZING_RESERVE_PCT 10	     /* above the working set, for --memory-reservation */
#define SIZING_MIN_BYTES   (6 << 20) /* Docker's smallest --memory */

/* 0 and *z filled, or -ENODATA when nothing about the cgroup's usage is known. */
int sizing_for_cgroup(const struct snapshot *s, int cg, struct sizing *z);

#endif
