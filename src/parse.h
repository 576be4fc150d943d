/*
 * parse.h - pure parsers for the host's and the processes' /proc files.
 *
 * Each takes a NUL-terminated buffer that some reader filled and returns
 * 0 or -errno (-EINVAL for garbage); none of them reads a file, allocates
 * or keeps state, so each can be unit-tested and fuzzed on its own.
 * The cgroup files' parsers are in cgroup.h.
 */
#ifndef OOMLENS_PARSE_H
#define OOMLENS_PARSE_H

#include <stdint.h>
#include <sys/types.h>

#include "model.h"

/* /proc/meminfo, in kB; a line the kernel does not print stays unknown (OL_EMISSING). */
struct meminfo {
	struct val total, free, available, buffers, cached, swap_cached, swap_total, swap_free;
	struct val commit_limit, committed_as, slab_reclaimable, inactive_file, active_file;
	struct val shmem;
};
int parse_meminfo(const char *buf, struct meminfo *m);

/* /proc/pressure/memory or a v2 memory.pressure ("some ..." and "full ..." lines). */
int parse_psi(const char *buf, struct psi *p);

/*
 * "key value" lines, as in /proc/vmstat, memory.stat, memory.events and
 * memory.oom_control.  -ENOENT when the key is absent.
 */
int parse_kv_u64(const char *buf, const char *key, uint64_t *out);

/* /proc/sys/fs/dentry-state: second field, nr_unused. */
int parse_dentry_state(const char *buf, uint64_t *nr_unused);
/* /proc/sys/fs/inode-nr: second field, nr_free_inodes. */
int parse_inode_nr(const char *buf, uint64_t *nr_free);
/* /proc/slabinfo: the objsize column of the cache called name; -ENOENT if absent. */
int parse_slabinfo_objsize(const char *buf, const char *name, uint64_t *objsize);
/* /proc/uptime: first field, in clock ticks. */
int parse_uptime(const char *buf, long clk_tck, uint64_t *ticks);
/* "6.1.0-13-amd64": major and minor. */
int parse_kernel_release(const char *buf, int *major, int *minor);

/* /proc/PID/stat: comm is everything between the first '(' and the last ')'. */
#define OL_PF_KTHREAD 0x00200000u
struct stat_fields {
	pid_t pid, ppid;
	char comm[64];
	char state;
	int64_t nice;
	uint64_t flags, utime, stime, start_ticks, vsize_bytes;
	int64_t rss_pages;
};
int parse_proc_stat(const char *buf, struct stat_fields *st);

/* /proc/PID/status: the fields stat does not carry.  Missing lines stay unknown. */
struct status_fields {
	struct val uid, euid;
	struct val vm_size_kb, rss_kb, swap_kb, pgtables_kb;
	struct val cap_eff_hi, cap_eff_lo; /* CapEff split in two 32-bit halves */
};
int parse_proc_status(const char *buf, struct status_fields *st);
/* Is capability number cap (CAP_SYS_ADMIN...) in the CapEff of st?  -1 if unknown. */
int status_has_cap(const struct status_fields *st, int cap);

/* /proc/PID/cmdline: NULs become spaces, trailing ones dropped; returns the new length. */
size_t cmdline_flatten(char *buf, size_t len);

/* /proc/PID/oom_score and oom_score_adj: one integer. */
int parse_int_file(const char *buf, int64_t *out);

#endif
