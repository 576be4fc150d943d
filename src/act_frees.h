/*
 * act_frees.h - what ending a process frees, for the kill plan (issue 14):
 * its RSS + swap, and of the RSS the part that is its own (anonymous) and
 * the part that may stay (file-backed pages stay in the page cache, shared
 * memory stays while tmpfs or another process holds it).  Read from the
 * pinned /proc/PID/status; part of the actions module, it never writes.
 */
#ifndef OOMLENS_ACT_FREES_H
#define OOMLENS_ACT_FREES_H

#include "act_plan.h"
#include "model.h"

struct act_frees {
	struct val rss_kb, swap_kb;		/* VmRSS, VmSwap */
	struct val anon_kb, file_kb, shmem_kb;	/* RssAnon, RssFile, RssShmem */
};

/* Parse the fields above from /proc/PID/status text; missing ones stay unknown. */
void act_frees_parse(const char *buf, struct act_frees *f);

/* Add the note to p, read through st's pinned /proc directory (unknown figures say why). */
void act_frees_note(struct act_plan *p, const struct act_step *st);

#endif
