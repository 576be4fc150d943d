/*
 * rstr.h - reference-counted strings, for the texts a process row shares
 * between the reader's cache and the snapshots built from it (cmdline,
 * cgroup path).  Without them every snapshot copied every process's texts:
 * with the monitor holding two snapshots and the cache a third copy, that
 * was a third of its heap at 5,000 processes.
 *
 * An rstr is a plain NUL-terminated char * to its readers; only who makes,
 * shares and drops one needs to know.  The count is atomic: the collector
 * thread shares a text that the UI thread may drop.
 */
#ifndef OOMLENS_RSTR_H
#define OOMLENS_RSTR_H

#include <stddef.h>

/* A new text with one reference; never NULL (aborts when memory runs out). */
char *rstr_new(const char *s);

/* Another reference to s (NULL stays NULL). */
char *rstr_ref(char *s);

/* Drop a reference; the last one frees it.  NULL is ignored. */
void rstr_unref(char *s);

#endif
