/*
 * fields.c - the table of process fields (fields.h).  Its order is the
 * order of the JSON contract's process members and of the CSV columns.
 */
#include "config.h"

#include "fields.h"

#include <sys/types.h>

#include "util.h"

_Static_assert(sizeof(pid_t) == sizeof(int), "FK_INT reads pid_t as int");

#define F(k, kind, member, sort, flags) \
	{k, kind, offsetof(struct proc, member), 0, sort, flags}
#define FT(k, member, err, sort, flags) \
	{k, FK_TEXT, offsetof(struct proc, member), offsetof(struct proc, err), sort, flags}

const struct proc_field proc_fields[] = {
    F("pid", FK_INT, pid, SORT_PID, FF_CSV),
    F("ppid", FK_INT, ppid, SORT_PPID, FF_CSV),
    F("uid", FK_VAL, uid, SORT_UID, FF_CSV),
    F("euid", FK_VAL, euid, -1, FF_CSV),
    F("comm", FK_COMM, comm, SORT_COMM, FF_CSV),
    FT("cmdline", cmdline, cmdline_err, -1, FF_CSV),
    F("state", FK_STATE, state, -1, FF_CSV),
    F("nice", FK_INT, nice, SORT_NICE, FF_CSV),
    FT("cgroup", cgroup, cgroup_err, SORT_CGROUP, FF_CSV),
    F("vm_size_kb", FK_VAL, vm_size_kb, SORT_VM_SIZE, FF_CSV),
    F("rss_kb", FK_VAL, rss_kb, SORT_RSS, FF_CSV),
    F("swap_kb", FK_VAL, swap_kb, SORT_SWAP, FF_CSV),
    F("pgtables_kb", FK_VAL, pgtables_kb, SORT_PGTABLES, FF_CSV),
    F("cpu_ticks", FK_U64, cpu_ticks, SORT_CPU, FF_CSV),
    F("start_ticks", FK_U64, start_ticks, SORT_START, FF_CSV),
    F("oom_score", FK_VAL, oom_score, SORT_OOM_SCORE, FF_CSV),
    F("oom_score_from", FK_SCORE_FROM, flags, -1, 0),
    F("oom_score_adj", FK_VAL, oom_score_adj, SORT_OOM_SCORE_ADJ, FF_CSV),
    F("badness_gorman", FK_VAL, badness_gorman, SORT_GORMAN, FF_CSV),
    F("badness_kernel", FK_VAL, badness_kernel, SORT_KERNEL, FF_CSV),
    F("oom_score_recomputed", FK_VAL, oom_score_recomputed, SORT_RECOMPUTED, FF_CSV),
    F("cap_sys_admin", FK_BOOL, cap_sys_admin, -1, FF_CSV),
    F("cap_sys_rawio", FK_BOOL, cap_sys_rawio, -1, FF_CSV),
    F("oom_score_agrees", FK_BOOL, oom_score_agrees, -1, 0),
    F("kthread", FK_KTHREAD, flags, -1, 0),
    F("container", FK_CONTAINER, container, -1, 0),
};

const size_t n_proc_fields = ARRAY_SIZE(proc_fields);

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
