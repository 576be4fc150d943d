/*
 * output_csv.h - batch output as CSV (output_snapshot() calls it).
 */
#ifndef OOMLENS_OUTPUT_CSV_H
#define OOMLENS_OUTPUT_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "sort.h"

/* The header (when header is true), then s's processes in the order of k. */
void csv_snapshot(FILE *f, const struct snapshot *s, enum sort_key k, bool header);

#endif
