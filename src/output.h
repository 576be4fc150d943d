/*
 * output.h - the batch snapshot as text (like top -b), JSON and CSV, and the
 * process sort orders that the UI shares.  The JSON keys are a contract
 * (README.md, doc/oomlens.1).
 */
#ifndef OOMLENS_OUTPUT_H
#define OOMLENS_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

struct json_object;

enum out_format { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_PROMETHEUS };

enum sort_key {
	SORT_OOM_SCORE = 0, SORT_OOM_SCORE_ADJ, SORT_GORMAN, SORT_KERNEL, SORT_RECOMPUTED,
	SORT_PID, SORT_PPID, SORT_UID, SORT_COMM, SORT_VM_SIZE, SORT_RSS, SORT_SWAP,
	SORT_PGTABLES, SORT_CPU, SORT_START, SORT_NICE, SORT_CGROUP,
	SORT__COUNT
};

/* Accepts the JSON key (rss_kb) and the short column name (rss, RES). -1 if unknown. */
int sort_key_from_name(const char *name);
const char *sort_key_name(enum sort_key k);
/* A list of the accepted names, for error messages and --help. */
const char *sort_key_names(void);

/* Fill idx with the process indexes of s in order; largest first unless ascending. */
void sort_procs(const struct snapshot *s, size_t *idx, enum sort_key k, bool ascending);

int format_from_name(const char *name);

/* The snapshot as a JSON object (schema 1), processes by oom_score; the caller puts it. */
struct json_object *snapshot_to_json(const struct snapshot *s);

/*
 * Write one snapshot, processes in the order of k (largest first), and flush.
 * csv_header says whether the CSV header line goes first.  0 or -errno.
 */
int output_snapshot(FILE *f, const struct snapshot *s, enum out_format fmt, enum sort_key k,
		    bool csv_header);

/* RFC 3339 in UTC with milliseconds: 2026-11-25T19:01:02.345Z. */
void output_format_time(char *out, size_t outsz, const struct timespec *ts);

#endif
