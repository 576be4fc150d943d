/*
 * record.h - the record the BPF task iterator (oomlens.bpf.c) writes for
 * each thread-group leader, and that bpf_record.c decodes.  Shared by the
 * BPF program (compiled with clang -target bpf against vmlinux.h) and user
 * space, so it uses only fixed-width types and no pointers.  Any change
 * changes OL_BPF_REC_MAGIC's version byte, so a stale object is refused.
 */
#ifndef OOMLENS_BPF_RECORD_H
#define OOMLENS_BPF_RECORD_H

#define OL_BPF_REC_MAGIC 0x4f4c5202u /* "OLR" and version 2 */
#define OL_BPF_COMM_LEN 16

/* rec.flags */
#define OL_BPF_F_KTHREAD 0x01   /* PF_KTHREAD */
#define OL_BPF_F_HAS_MM 0x02    /* the leader has an mm: the sizes are meaningful */
#define OL_BPF_F_OOM_SKIP 0x04  /* MMF_OOM_SKIP on its mm: the reaper is done with it */
#define OL_BPF_F_OOM_VICTIM 0x08 /* signal->oom_mm is set: a pending OOM victim */
#define OL_BPF_F_NEW_RSS 0x10   /* counters read from percpu_counter.count (6.2+) */
#define OL_BPF_F_NO_MEMCG 0x20  /* no memory controller css: memcg_id is 0 */
#define OL_BPF_F_EXITING 0x40   /* PF_EXITING: v1's /proc/PID/cgroup then says "/" */
#define OL_BPF_F_VFORK 0x80     /* in_vfork(): a vfork child on its parent's mm */

/* Indexes of rss[], the kernel's MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES. */
#define OL_BPF_RSS_FILE 0
#define OL_BPF_RSS_ANON 1
#define OL_BPF_RSS_SWAP 2
#define OL_BPF_RSS_SHMEM 3

struct ol_bpf_rec {
	__u32 magic;          /* OL_BPF_REC_MAGIC */
	__u32 size;           /* sizeof(struct ol_bpf_rec) */
	__s32 pid, ppid;      /* tgid, and the real parent's tgid (0 for the kernel's own) */
	__u64 start_ns;       /* task->start_boottime: /proc's starttime in ns */
	__u64 runtime_ns;     /* sum_exec_runtime of the live threads and the dead ones */
	__u32 state;          /* task->__state of the leader */
	__u32 exit_state;
	__u32 uid, euid;      /* in the initial user namespace */
	__u64 cap_eff;        /* cred->cap_effective as 64 bits */
	__s32 nice;           /* static_prio - 120 */
	__u32 flags;          /* OL_BPF_F_* */
	__u64 total_vm;       /* pages */
	__s64 rss[4];         /* pages, as get_mm_counter() reads them (may be < 0 transiently) */
	__s64 pgtables_bytes;
	__u64 memcg_id;       /* kernfs id (inode number) of the memory controller's cgroup */
	__u64 dfl_cgrp_id;    /* kernfs id of the unified hierarchy's cgroup (v2 paths) */
	__s32 oom_score_adj;
	__u32 nr_threads;     /* threads summed into runtime_ns */
	char comm[OL_BPF_COMM_LEN];
};

/*
 * The second iterator (oomlens_cmdlines, sleepable) writes, per leader, a
 * struct ol_bpf_cmd and then len bytes of its command line as
 * /proc/PID/cmdline gives them (at most OL_BPF_CMD_MAX).
 */
#define OL_BPF_CMD_MAGIC 0x4f4c4301u /* "OLC" and version 1 */
#define OL_BPF_CMD_MAX 4096
#define OL_BPF_CMD_F_TITLE 0x01 /* setproctitle(): up to the first NUL only */

struct ol_bpf_cmd {
	__u32 magic; /* OL_BPF_CMD_MAGIC */
	__u32 len;   /* bytes that follow */
	__s32 pid;
	__u32 flags; /* OL_BPF_CMD_F_* */
	__u64 start_ns;
};

#endif
