/*
 * output.h - the batch snapshot as text (like top -b), JSON, CSV and
 * Prometheus.  The JSON keys are a contract (README.md, doc/oomlens.1); the
 * process fields are in fields.h, the sort orders in sort.h, the format
 * names in out_format.h.
 */
#ifndef OOMLENS_OUTPUT_H
#define OOMLENS_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "out_format.h"
#include "sort.h"

struct json_object;

/* The snapshot as a JSON object (schema 1), processes by oom_score; the caller puts it. */
struct json_object *snapshot_to_json(const struct snapshot *s);

/*
 * Write one snapshot, processes in the order of k (largest first), and flush.
 * csv_header says whether the CSV header line goes first.  0 or -errno.
 */
int output_snapshot(FILE *f, const struct snapshot *s, enum out_format fmt, enum sort_key k,
		    bool csv_header);

#endif
