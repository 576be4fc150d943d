/*
 * fields.c - the table of process fields (fields.h).  Its order is the
 * order of the JSON contract's process members and of the CSV columns.
 */
#include "config.h"

#include "fields.h"

#include <strings.h>
#include <sys/types.h>

#include "util.h"

_Static_assert(sizeof(pid_t) == sizeof(int), "FK_INT reads pid_t as int");

#define F(k, kind, member, sort, flags)                                                            \
	{                                                                                          \
		k, NULL, 0, false, kind, offsetof(struct proc, member), 0, sort, flags             \
	}
#define FT(k, member, err, sort, flags)                                                            \
	{                                                                                          \
		k, NULL, 0, false, FK_TEXT, offsetof(struct proc, member),                         \
		    offsetof(struct proc, err), sort, flags                                        \
	}
/* A field that is also a column of the monitor: title, width, natural direction. */
#define FC(k, hdr, w, asc, kind, member, sort, flags)                                              \
	{                                                                                          \
		k, hdr, w, asc, kind, offsetof(struct proc, member), 0, sort, flags                \
	}
#define FTC(k, hdr, w, asc, member, err, sort, flags)                                              \
	{                                                                                          \
		k, hdr, w, asc, FK_TEXT, offsetof(struct proc, member),                            \
		    offsetof(struct proc, err), sort, flags                                        \
	}

const struct proc_field proc_fields[] = {
    FC("pid", "PID", 0, true, FK_INT, pid, SORT_PID, FF_CSV),
    F("ppid", FK_INT, ppid, SORT_PPID, FF_CSV),
    FC("uid", "USER", 0, true, FK_VAL, uid, SORT_UID, FF_CSV),
    F("euid", FK_VAL, euid, -1, FF_CSV),
    FC("comm", "COMMAND", 20, true, FK_COMM, comm_short, SORT_COMM, FF_CSV),
    FT("cmdline", cmdline, cmdline_err, -1, FF_CSV),
    F("state", FK_STATE, state, -1, FF_CSV),
    F("nice", FK_INT, nice, SORT_NICE, FF_CSV),
    FTC("cgroup", "CGROUP", 0, true, cgroup, cgroup_err, SORT_CGROUP, FF_CSV),
    FC("vm_size_kb", "VIRT", 5, false, FK_VAL, vm_size_kb, SORT_VM_SIZE, FF_CSV),
    FC("rss_kb", "RES", 5, false, FK_VAL, rss_kb, SORT_RSS, FF_CSV),
    FC("swap_kb", "SWAP", 5, false, FK_VAL, swap_kb, SORT_SWAP, FF_CSV),
    F("pgtables_kb", FK_VAL, pgtables_kb, SORT_PGTABLES, FF_CSV),
    F("cpu_ticks", FK_U64, cpu_ticks, SORT_CPU, FF_CSV),
    F("start_ticks", FK_U64, start_ticks, SORT_START, FF_CSV),
    FC("oom_score", "OOM", 4, false, FK_VAL, oom_score, SORT_OOM_SCORE, FF_CSV),
    F("oom_score_from", FK_SCORE_FROM, flags, -1, 0),
    FC("oom_score_adj", "ADJ", 5, false, FK_VAL, oom_score_adj, SORT_OOM_SCORE_ADJ, FF_CSV),
    FC("badness_gorman", "GORMAN", 0, false, FK_VAL, badness_gorman, SORT_GORMAN, FF_CSV),
    FC("badness_kernel", "KBAD", 0, false, FK_VAL, badness_kernel, SORT_KERNEL, FF_CSV),
    F("oom_score_recomputed", FK_VAL, oom_score_recomputed, SORT_RECOMPUTED, FF_CSV),
    F("cap_sys_admin", FK_BOOL, cap_sys_admin, -1, FF_CSV),
    F("cap_sys_rawio", FK_BOOL, cap_sys_rawio, -1, FF_CSV),
    F("oom_score_agrees", FK_BOOL, oom_score_agrees, -1, 0),
    F("kthread", FK_KTHREAD, flags, -1, 0),
    F("container", FK_CONTAINER, container, -1, 0),
};

const size_t n_proc_fields = ARRAY_SIZE(proc_fields);

#define CG(k, g, member)                                                                           \
	{                                                                                          \
		k, g, false, offsetof(struct cgroup, member)                                       \
	}
#define CGB(k, g, member)                                                                          \
	{                                                                                          \
		k, g, true, offsetof(struct cgroup, member)                                        \
	}

const struct cgroup_field cgroup_fields[] = {
    CG("usage_bytes", CGG_TOP, usage_bytes),
    CG("limit_bytes", CGG_TOP, limit_bytes),
    CG("swap_limit_bytes", CGG_TOP, swap_limit_bytes),
    CG("reservation_bytes", CGG_TOP, reservation_bytes),
    CG("high_bytes", CGG_TOP, high_bytes),
    CG("min_bytes", CGG_TOP, min_bytes),
    CG("swappiness", CGG_TOP, swappiness),
    CGB("oom_kill_disable", CGG_TOP, oom_kill_disable),
    CGB("oom_group", CGG_TOP, oom_group),
    CG("oom", CGG_EVENTS, ev_oom),
    CG("oom_kill", CGG_EVENTS, ev_oom_kill),
    CG("headroom_bytes", CGG_AVAIL, avail.headroom_bytes),
    CG("page_cache_bytes", CGG_AVAIL, avail.page_cache_bytes),
    CG("shmem_bytes", CGG_AVAIL, avail.shmem_bytes),
    CG("inactive_file_bytes", CGG_AVAIL, avail.inactive_file_bytes),
    CG("slab_reclaimable_bytes", CGG_AVAIL, avail.slab_reclaimable_bytes),
    CG("swap_headroom_bytes", CGG_AVAIL, avail.swap_headroom_bytes),
    CG("available_bytes", CGG_AVAIL, avail.available_bytes),
    CG("swap_max_bytes", CGG_TOP2, swap_max_bytes),
    CG("swap_usage_bytes", CGG_TOP2, swap_usage_bytes),
    CG("peak_bytes", CGG_TOP2, peak_bytes),
    CG("kmem_limit_bytes", CGG_TOP2, kmem_limit_bytes),
    CG("kmem_usage_bytes", CGG_TOP2, kmem_usage_bytes),
    CG("failcnt", CGG_TOP2, failcnt),
    CG("under_oom", CGG_TOP2, under_oom),
    CG("events_high", CGG_TOP2, ev_high),
    CG("events_max", CGG_TOP2, ev_max),
    CG("anon_bytes", CGG_STAT, stat_anon),
    CG("file_bytes", CGG_STAT, stat_file),
    CG("active_file_bytes", CGG_STAT, stat_active_file),
    CG("inactive_file_bytes", CGG_STAT, stat_inactive_file),
    CG("slab_reclaimable_bytes", CGG_STAT, stat_slab_reclaimable),
    CG("seen_peak_bytes", CGG_TOP3, seen_peak_bytes),
};

const size_t n_cgroup_fields = ARRAY_SIZE(cgroup_fields);

const struct proc_field *
field_of_sort(enum sort_key k)
{
	for (size_t i = 0; i < n_proc_fields; i++)
		if (proc_fields[i].sort == (int)k)
			return &proc_fields[i];
	return NULL;
}

const struct proc_field *
field_of_kind(enum field_kind k)
{
	for (size_t i = 0; i < n_proc_fields; i++)
		if (proc_fields[i].kind == k)
			return &proc_fields[i];
	return NULL;
}

const struct proc_field *
field_of_header(const char *header)
{
	for (size_t i = 0; i < n_proc_fields; i++)
		if (proc_fields[i].header && strcasecmp(proc_fields[i].header, header) == 0)
			return &proc_fields[i];
	return NULL;
}
