/*
 * strmap.h - a small string-keyed hash map for per-cgroup state the
 * collector keeps across ticks (counter baselines, usage histories).
 * Values are fixed-size, zeroed blocks owned by the map; entries not
 * touched since the last sweep can be dropped, so vanished cgroups are
 * forgotten.
 */
#ifndef OOMLENS_STRMAP_H
#define OOMLENS_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap;

/* A map whose values are val_size bytes each. */
struct strmap *strmap_new(size_t val_size);
void strmap_free(struct strmap *m);

/* The value for key, created zeroed if absent (*created says so); marks it used. */
void *strmap_get(struct strmap *m, const char *key, bool *created);

/* The value for key, or NULL; does not mark it. */
void *strmap_find(const struct strmap *m, const char *key);

/* Drop the entries not asked for with strmap_get() since the previous sweep. */
void strmap_sweep(struct strmap *m);

#endif
