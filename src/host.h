/*
 * host.h - the host's memory: the 2.4 availability components (avail.h
 * sums them), what today's kernel uses (MemAvailable, commit limit, PSI)
 * and the constants of the running kernel.
 */
#ifndef OOMLENS_HOST_H
#define OOMLENS_HOST_H

#include <stdbool.h>

#include "model.h"

/* Object sizes of the dentry and inode slabs: read once, they do not change. */
#define OL_DENTRY_SIZE_DEFAULT 192 /* sizeof(struct dentry) on x86_64 */
#define OL_INODE_SIZE_DEFAULT 600  /* a typical sizeof(struct inode) on x86_64 6.x */

struct host_consts {
	bool read;
	long page_size, clk_tck;
	int64_t dentry_size, inode_size;
	bool dentry_guessed, inode_guessed;
	char kernel_release[65];
	bool v59;
	int online_cpus; /* this machine's, for the live system; 0 under --root (unknown) */
};

/*
 * Fill h from the files under root.  consts caches what never changes and
 * is filled on the first call.  Fails (-errno) only when /proc/meminfo cannot
 * be read; every other missing file leaves its fields unknown.
 */
int host_collect(const char *root, struct host_consts *consts, struct host *h);

#endif
