/*
 * out_format.h - the names of the batch output formats (--format) and the
 * time stamp that JSON and CSV share.  No dependency on output.c, so the
 * option parsers and the format writers need not include output.h.
 */
#ifndef OOMLENS_OUT_FORMAT_H
#define OOMLENS_OUT_FORMAT_H

#include <stddef.h>
#include <time.h>

enum out_format { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_PROMETHEUS };

/* "text", "json", "csv", "prometheus" (any case); -1 if unknown. */
int format_from_name(const char *name);

/* RFC 3339 in UTC with milliseconds: 2026-11-25T19:01:02.345Z. */
void output_format_time(char *out, size_t outsz, const struct timespec *ts);

#endif
