/*
 * sort.h - the process sort orders, by the fields of fields.h: batch
 * output, Prometheus, CSV and the UI share them.
 */
#ifndef OOMLENS_SORT_H
#define OOMLENS_SORT_H

#include <stdbool.h>
#include <stddef.h>

#include "fields.h"
#include "model.h"

/* Accepts the JSON key (rss_kb) and the short column name (rss, RES). -1 if unknown. */
int sort_key_from_name(const char *name);
const char *sort_key_name(enum sort_key k);
/* A list of the accepted names, for error messages and --help. */
const char *sort_key_names(void);

/* Fill idx with the process indexes of s in order; largest first unless ascending. */
void sort_procs(const struct snapshot *s, size_t *idx, enum sort_key k, bool ascending);

#endif
