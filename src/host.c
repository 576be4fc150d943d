/*
 * host.c - reads the host's memory picture from /proc: meminfo, vmstat,
 * PSI, the dentry and inode caches, the overcommit policy and the kernel's
 * constants.  All paths are relative to a root so tests can use fixtures.
 */
#include "config.h"

#include "host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "avail.h"
#include "host_procps.h"
#include "parse.h"
#include "score.h"
#include "util.h"

/* Read root + path into buf; -errno on failure. */
static ssize_t
read_root(const char *root, const char *path, char *buf, size_t size)
{
	char full[4096];

	path_join(full, sizeof(full), root, path);
	return read_file_at(AT_FDCWD, full, buf, size, NULL);
}

/* One integer file (overcommit_memory and friends) into a val. */
static struct val
read_int_val(const char *root, const char *path)
{
	char buf[64];
	ssize_t r = read_root(root, path, buf, sizeof(buf));
	int64_t x;

	if (r < 0)
		return val_unknown((int)-r);
	if (parse_int_file(buf, &x) < 0)
		return val_unknown(OL_EPARSE);
	return val_ok(x);
}

static void
read_consts(const char *root, struct host_consts *c)
{
	int major = 0, minor = 0;
	char *slab;
	ssize_t r;
	uint64_t sz;

	c->page_size = sysconf(_SC_PAGESIZE);
	/* The live system's tick from libproc2, which asks the kernel (AT_CLKTCK). */
	c->clk_tck = root && *root ? sysconf(_SC_CLK_TCK) : host_procps_hertz();
	c->online_cpus = root && *root ? 0 : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (c->page_size <= 0)
		c->page_size = 4096;
	if (c->clk_tck <= 0)
		c->clk_tck = 100;

	c->kernel_release[0] = '\0';
	if (read_root(root, "/proc/sys/kernel/osrelease", c->kernel_release,
		      sizeof(c->kernel_release)) > 0)
		c->kernel_release[strcspn(c->kernel_release, "\n")] = '\0';
	/* Unknown kernels are taken to be current ones. */
	c->v59 = parse_kernel_release(c->kernel_release, &major, &minor) < 0 || major > 5 ||
		 (major == 5 && minor >= 9);

	/* /proc/slabinfo is root-only and large; its object sizes never change. */
	c->dentry_size = OL_DENTRY_SIZE_DEFAULT;
	c->inode_size = OL_INODE_SIZE_DEFAULT;
	c->dentry_guessed = c->inode_guessed = true;
	slab = xmalloc(1 << 20);
	r = read_root(root, "/proc/slabinfo", slab, 1 << 20);
	if (r > 0) {
		if (parse_slabinfo_objsize(slab, "dentry", &sz) == 0 && sz < INT32_MAX) {
			c->dentry_size = (int64_t)sz;
			c->dentry_guessed = false;
		}
		if (parse_slabinfo_objsize(slab, "inode_cache", &sz) == 0 && sz < INT32_MAX) {
			c->inode_size = (int64_t)sz;
			c->inode_guessed = false;
		}
	}
	free(slab);
	c->read = true;
}

/* count x object size, in kB. */
static struct val
cache_kb(struct val count, int64_t size)
{
	if (!val_is_ok(count))
		return count;
	return val_ok((int64_t)((uint64_t)count.v * (uint64_t)size / 1024));
}

int
host_collect(const char *root, struct host_consts *c, struct host *h)
{
	char buf[16384];
	struct meminfo mi;
	uint64_t x;
	ssize_t r;

	if (!c->read)
		read_consts(root, c);
	memset(h, 0, sizeof(*h));
	h->page_size = c->page_size;
	h->clk_tck = c->clk_tck;
	h->shift_hz = score_shift_hz(c->clk_tck);
	snprintf(h->kernel_release, sizeof(h->kernel_release), "%s", c->kernel_release);
	h->oom_score_v59 = c->v59;
	h->online_cpus = c->online_cpus > 0 ? c->online_cpus : 0;

	r = read_root(root, "/proc/meminfo", buf, sizeof(buf));
	if (r < 0)
		return (int)r;
	if (parse_meminfo(buf, &mi) < 0)
		return -EINVAL;
	h->mem_total_kb = mi.total;
	h->mem_free_kb = mi.free;
	h->cached_kb = mi.cached;
	h->buffers_kb = mi.buffers;
	h->swap_total_kb = mi.swap_total;
	h->swap_free_kb = mi.swap_free;
	h->swap_cache_kb = mi.swap_cached;
	/* 2.4's page cache held buffer and swap-cache pages: today's Cached holds neither. */
	h->page_cache_kb = val_add(val_add(mi.cached, mi.buffers), mi.swap_cached);
	h->mem_available_kb = mi.available;
	h->commit_limit_kb = mi.commit_limit;
	h->committed_as_kb = mi.committed_as;
	h->slab_reclaimable_kb = mi.slab_reclaimable;
	h->inactive_file_kb = mi.inactive_file;
	h->active_file_kb = mi.active_file;
	h->shmem_kb = mi.shmem;

	h->dentry_obj_size = val_ok(c->dentry_size);
	h->inode_obj_size = val_ok(c->inode_size);
	h->dentry_size_guessed = c->dentry_guessed;
	h->inode_size_guessed = c->inode_guessed;
	r = read_root(root, "/proc/sys/fs/dentry-state", buf, sizeof(buf));
	if (r < 0)
		h->dentry_unused = val_unknown((int)-r);
	else if (parse_dentry_state(buf, &x) < 0 || x > INT64_MAX)
		h->dentry_unused = val_unknown(OL_EPARSE);
	else
		h->dentry_unused = val_ok((int64_t)x);
	r = read_root(root, "/proc/sys/fs/inode-nr", buf, sizeof(buf));
	if (r < 0)
		h->inode_free = val_unknown((int)-r);
	else if (parse_inode_nr(buf, &x) < 0 || x > INT64_MAX)
		h->inode_free = val_unknown(OL_EPARSE);
	else
		h->inode_free = val_ok((int64_t)x);
	h->dentry_cache_kb = cache_kb(h->dentry_unused, c->dentry_size);
	h->inode_cache_kb = cache_kb(h->inode_free, c->inode_size);
	avail_host_sum(h);

	h->overcommit_memory = read_int_val(root, "/proc/sys/vm/overcommit_memory");
	h->overcommit_ratio = read_int_val(root, "/proc/sys/vm/overcommit_ratio");
	h->overcommit_kbytes = read_int_val(root, "/proc/sys/vm/overcommit_kbytes");
	h->user_reserve_kb = read_int_val(root, "/proc/sys/vm/user_reserve_kbytes");
	h->oom_kill_allocating_task = read_int_val(root, "/proc/sys/vm/oom_kill_allocating_task");
	h->panic_on_oom = read_int_val(root, "/proc/sys/vm/panic_on_oom");
	h->vm_swappiness = read_int_val(root, "/proc/sys/vm/swappiness");

	r = read_root(root, "/proc/pressure/memory", buf, sizeof(buf));
	if (r < 0) {
		memset(&h->psi, 0, sizeof(h->psi));
		h->psi.err = (int)-r;
	} else {
		parse_psi(buf, &h->psi);
	}

	/* The live host's MemAvailable and oom_kill through libproc2; fixtures through ours. */
	if (root[0] || host_procps_counters(c->kernel_release, &h->mem_available_kb,
					    &h->oom_kill) < 0) {
		r = read_root(root, "/proc/vmstat", buf, sizeof(buf));
		if (r < 0)
			h->oom_kill = val_unknown((int)-r);
		else if ((r = parse_kv_u64(buf, "oom_kill", &x)) == -ENOENT)
			h->oom_kill = val_unknown(OL_EMISSING);
		else if (r < 0 || x > INT64_MAX)
			h->oom_kill = val_unknown(OL_EPARSE);
		else
			h->oom_kill = val_ok((int64_t)x);
	}

	if ((root[0] || host_procps_uptime_ticks(c->clk_tck, &h->uptime_ticks) < 0) &&
	    ((r = read_root(root, "/proc/uptime", buf, sizeof(buf))) < 0 ||
	     parse_uptime(buf, c->clk_tck, &h->uptime_ticks) < 0))
		h->uptime_ticks = 0; /* unknown: the 2.4 run time cannot be computed */

	if (val_is_ok(h->mem_total_kb) && val_is_ok(h->swap_total_kb))
		h->totalpages = val_ok((h->mem_total_kb.v + h->swap_total_kb.v) /
				       (c->page_size / 1024));
	else
		h->totalpages = val_unknown(OL_EMISSING);
	return 0;
}
