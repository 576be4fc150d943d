/*
 * detail.h - the text of the detail pane: for a process, every step of
 * Gorman's 2.4 badness, the kernel's formula with its numbers and every
 * limit that applies to it; for a cgroup, its limits, counters, availability
 * components and, on v1, the combination of memory and kernel-memory limits.
 * Builds lines from a const snapshot; draws nothing.
 */
#ifndef OOMLENS_UI_DETAIL_H
#define OOMLENS_UI_DETAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "rows.h"

enum dline_role {
	DL_TEXT = 0,
	DL_HEAD, /* a section title */
	DL_NOTE, /* an explanation rather than a figure */
	DL_WARN, /* something the operator should look at */
	DL_SEL,	 /* the line being edited (dialogs) */
};

struct dline {
	char *text; /* safe to draw: everything from the kernel is escaped */
	int role;   /* enum dline_role */
};

struct dlines {
	struct dline *v;
	size_t n, cap;
};

/*
 * The lines that explain id (a process or a cgroup) in s; long command
 * lines are wrapped at width columns.  ascii: escape every non-ASCII
 * character too.
 */
void detail_build(const struct snapshot *s, const struct ident *id, int width, bool ascii,
		  struct dlines *out);
void dlines_free(struct dlines *d);

#endif
