/*
 * model.h - the snapshot: everything oomlens knows about the host at one tick.
 *
 * A snapshot is built by the collectors (collect.c), scored by the pure
 * functions in score.c and then never changed again: the UI, the batch
 * outputs and the actions only ever see `const struct snapshot *`.
 *
 * Every value that comes from the kernel is a `struct val`, which keeps the
 * difference between a number, "unlimited", "not available on this cgroup
 * version" and "unknown, and here is why" (an errno).  Nothing unknown is
 * ever stored as 0.
 */
#ifndef OOMLENS_MODEL_H
#define OOMLENS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum val_state {
	VAL_UNKNOWN = 0, /* not read; `err` says why (0 = not collected) */
	VAL_OK,          /* `v` holds the value */
	VAL_MAX,         /* the kernel says "max": unlimited */
	VAL_NA,          /* this cgroup version cannot express it */
};

/* Error codes beyond errno, for values that were read but make no sense. */
#define OL_EPARSE 1001  /* the file was read but its contents did not parse */
#define OL_EMISSING 1002 /* the file was read but lacks this field (older kernel) */
#define OL_ENOTAPPL 1003 /* does not apply (kernel thread, unkillable, no limit) */
#define OL_ENOTCMP 1004 /* not compared: the bpf collector computed it from the kernel's counters */

/*
 * Twelve bytes, not sixteen: a snapshot holds seventeen of these a process
 * and two snapshots are alive in the monitor, so the padding alone was
 * 0.7 MB at 5,000 processes (doc/performance.md).  Packed with 4-byte
 * alignment; nothing takes the address of v itself.
 */
struct val {
	int64_t v;
	int16_t state; /* enum val_state */
	int16_t err;   /* errno or OL_E* when state == VAL_UNKNOWN */
} __attribute__((packed, aligned(4)));

_Static_assert(sizeof(struct val) == 12, "struct val is twelve bytes");

static inline struct val
val_ok(int64_t v)
{
	return (struct val){ .v = v, .state = VAL_OK, .err = 0 };
}

static inline struct val
val_unknown(int err)
{
	return (struct val){ .v = 0, .state = VAL_UNKNOWN, .err = (int16_t)(err < 0 ? -err : err) };
}

static inline struct val
val_max(void)
{
	return (struct val){ .v = INT64_MAX, .state = VAL_MAX, .err = 0 };
}

static inline struct val
val_na(void)
{
	return (struct val){ .v = 0, .state = VAL_NA, .err = 0 };
}

static inline bool
val_is_ok(struct val x)
{
	return x.state == VAL_OK;
}

/* A short human reason for an unknown or not-available value ("permission denied"). */
const char *val_reason(struct val x);

/*
 * A kB amount (/proc/meminfo, memory.stat) in bytes; not a number stays as
 * it is.  An amount is never "unlimited", so one too large to count in
 * bytes (above 8 EiB: only a corrupt or hostile file) saturates at
 * INT64_MAX and stays a number, never VAL_MAX, which means "no limit".
 * The one conversion: availability (avail.c) and fits (fits.c) use it.
 */
struct val val_kb_to_bytes(struct val kb);

/*
 * The arithmetic of values that the collectors (a v1 cgroup's swap usage
 * from memsw, the v2 root's usage from meminfo, the host's 2.4 page cache)
 * and the availability (avail.c) share.  a - b clamped at 0: a usage above its limit leaves no
 * headroom, not a negative one.  Unknown if either is, with its reason (a's
 * first); OL_ENOTAPPL when either is "max" or not available.
 */
struct val val_sub0(struct val a, struct val b);

/* The smaller of two values: "max" loses to anything, unknown wins (a's first). */
struct val val_min(struct val a, struct val b);

/* a + b for amounts that are not negative, saturating at INT64_MAX rather than wrapping. */
int64_t val_add_sat(int64_t a, int64_t b);

/* The sum of two amounts, saturating; the first that is not a number is the answer. */
struct val val_add(struct val a, struct val b);

/*
 * A value in four bytes, for the /proc collector's cache (procs.c), which
 * keeps nine of them a process: a number in [INT32_MIN + 65536, INT32_MAX]
 * as itself, anything else that is not a number as its state and reason in
 * the 65,536 codes below.  val_pack32() is false for what does not fit (a
 * larger number, a reason above 16383): the caller then keeps nothing.
 */
bool val_pack32(struct val x, int32_t *out);
struct val val_unpack32(int32_t k);

struct psi_line {
	struct val avg10, avg60, avg300; /* hundredths of a percent: 1.23% is 123 */
	struct val total_us;
};

struct psi {
	bool present; /* false: the kernel has no PSI here (err says why) */
	int err;
	struct psi_line some, full;
};

/* The host, as /proc shows it.  All sizes in kB unless the name says otherwise. */
struct host {
	/* The six components of Linux 2.4's vm_enough_memory() and their sum (doc/model.md). */
	struct val mem_free_kb;     /* MemFree */
	struct val page_cache_kb;   /* Cached + SwapCached: 2.4's page cache held the swap cache */
	struct val swap_free_kb;    /* SwapFree */
	struct val swap_cache_kb;   /* SwapCached: counted a second time, as 2.4 did */
	struct val dentry_cache_kb; /* dentry-state nr_unused x dentry object size */
	struct val inode_cache_kb;  /* inode-nr nr_free_inodes x inode object size */
	struct val vm_enough_kb;    /* the sum; unknown if any part is */
	/*
	 * Shmem (tmpfs, shared anonymous memory) is in Cached but can never be
	 * dropped, only swapped: the headline is the 2.4 sum less Shmem, so it
	 * falls when a tmpfs fills (doc/scoring.md).
	 */
	struct val shmem_kb;
	struct val avail_now_kb;    /* vm_enough_kb - shmem_kb: the headline meter's figure */

	/* Inputs behind the components. */
	struct val mem_total_kb, cached_kb, swap_total_kb, buffers_kb;
	struct val dentry_unused, dentry_obj_size; /* count, bytes */
	struct val inode_free, inode_obj_size;     /* count, bytes */
	bool dentry_size_guessed, inode_size_guessed; /* slabinfo unreadable: default sizes used */

	/* What today's kernel uses. */
	struct val mem_available_kb, commit_limit_kb, committed_as_kb;
	struct val overcommit_memory, overcommit_ratio, overcommit_kbytes;
	struct val user_reserve_kb;         /* vm.user_reserve_kbytes: mode 2 keeps it back */
	struct val oom_kill_allocating_task; /* vm.*: set, the allocating task dies instead */
	struct val panic_on_oom;             /* 1: host-wide OOMs panic; 2: every OOM does */
	/*
	 * vm.swappiness: a v2 cgroup has no swappiness of its own, the
	 * kernel's mem_cgroup_swappiness() answers this; 0 leaves swap out of
	 * its totalpages.  Unknown (unreadable, a recording older than its JSON
	 * member) is never taken as 0.
	 */
	struct val vm_swappiness;
	struct val slab_reclaimable_kb, inactive_file_kb, active_file_kb;
	struct psi psi;
	struct val oom_kill; /* /proc/vmstat oom_kill */

	/* Constants of this kernel. */
	long page_size;
	long clk_tck;
	int shift_hz;            /* SHIFT_HZ derived from clk_tck, for the 2.4 badness */
	char kernel_release[65];
	bool oom_score_v59;      /* true: oom_score uses the 5.9+ formula */
	int online_cpus;         /* 0: unknown (the per-CPU counters' tolerance, score.c) */
	uint64_t uptime_ticks;   /* "jiffies" for the 2.4 run_time, in clock ticks */
	struct val totalpages;   /* RAM + swap pages: the host OOM killer's totalpages */
};

/* Which runtime a cgroup belongs to (container.c; doc/events.md). */
enum container_runtime {
	CT_NONE = 0,   /* a plain cgroup */
	CT_DOCKER,
	CT_PODMAN,
	CT_CONTAINERD,
	CT_CRIO,
	CT_KUBERNETES, /* a kubepods cgroup whose runtime is not known (or a pod's own cgroup) */
	CT_LXC,
	CT_SYSTEMD,    /* a systemd unit: .service, .scope or .slice */
	CT_UNKNOWN,    /* a bare container id no runtime's metadata knows */
};

/* A container's identity: from the cgroup path, the name from the runtime's metadata. */
struct container_id {
	int runtime;    /* enum container_runtime */
	bool pod_level; /* Kubernetes: the pod's cgroup rather than one container's */
	char id[128];   /* full id, pod uid, LXC name or unit name */
	char name[128]; /* "" when no metadata names it */
	char pod[128];  /* Kubernetes pod name, "" if unknown */
	char ns[64];    /* Kubernetes namespace, "" if unknown */
};

/* Growth of usage over recent ticks (trend.c); only a steady trend gives numbers. */
struct trend {
	bool steady;               /* false: too few samples, or not steady: show nothing */
	double growth_bytes_per_s; /* least-squares slope of usage (host: of MemAvailable's fall) */
	struct val seconds_to_limit; /* at that rate; unknown when not growing or no limit */
	int samples;               /* samples behind the estimate */
	double window_s;           /* the time they span */
	bool fast;                 /* from the last two samples only: a fast leak ("~3 s") */
	bool limit_hits_rising;    /* v2 memory.events high/max or v1 failcnt went up since the last tick */
};

enum oom_event_source { OOM_SRC_KMSG = 0, OOM_SRC_COUNTER };

/* One OOM kill, from the kernel log or, when the log missed it, from a counter (events.c). */
struct oom_event {
	int source;          /* enum oom_event_source */
	struct timespec time; /* wall clock: the record's time, or when the counter moved */
	uint64_t seq;        /* /dev/kmsg sequence number; 0 for counter events */
	pid_t pid;           /* 0: unknown */
	char comm[64];       /* "": unknown */
	char *cgroup;        /* the victim's memory cgroup (task_memcg); NULL: unknown */
	char *constraint;    /* "host", the oom_memcg path, "cpuset", "mempolicy"; NULL: unknown */
	struct val rss_kb;   /* anon + file + shmem RSS at the kill */
	struct val oom_score_adj;
	unsigned count;      /* kills this entry stands for: 1 from the log, more from a counter */
	struct container_id container; /* runtime CT_NONE: not in a container */
};

/* A process that the kernel would consider, reduced to what the OOM killer looks at. */
struct victim {
	pid_t pid;       /* 0: no candidate */
	uint64_t start_ticks;
	char comm[64];
	int64_t points;  /* oom_badness() points with the domain's totalpages */
	bool whole_group; /* v2 memory.oom.group: the whole cgroup would die */
	int group_cgroup; /* index of the cgroup killed whole, or -1 */
};

enum proc_flags {
	PROC_KTHREAD = 1 << 0, /* no mm: a kernel thread */
	PROC_INIT = 1 << 1,    /* pid 1: the kernel never kills it */
	PROC_CACHED = 1 << 2,  /* status, oom_score(_adj), cgroup, cmdline from an earlier tick */
	PROC_SKIPPED = 1 << 3, /* the kernel skips it: a zombie, or (5.9+) oom_score 0 for a
				  killable-looking process: a vfork child or an mm being reaped */
	PROC_SCORE_COMPUTED = 1 << 4, /* bpf collector: oom_score computed from the counters oom_badness() reads */
	PROC_OOM_SKIP = 1 << 5,  /* bpf collector: MMF_OOM_SKIP, the OOM reaper is done with its mm */
	PROC_OOM_VICTIM = 1 << 6, /* bpf collector: chosen by the OOM killer, not yet gone */
	PROC_VFORK = 1 << 7,      /* bpf collector: in_vfork(), on its parent's mm (so skipped) */
};

struct proc {
	pid_t pid, ppid;
	uint64_t start_ticks; /* with pid, the identity of a process */
	struct val uid, euid;
	/*
	 * The name as the kernel reports it (any byte but NUL): proc_comm().
	 * Inline up to 15 bytes, the kernel's TASK_COMM_LEN; a longer one (/proc
	 * appends a kernel thread's workqueue, up to 63 bytes) is comm_long, an
	 * rstr.h text: 48 bytes less a process than an inline 64.
	 */
	char comm_short[16];
	char *comm_long;
	char *cmdline;        /* NUL separators replaced by spaces; NULL if unknown (an rstr.h text) */
	int cmdline_err;
	int nice;
	uint64_t cpu_ticks;   /* utime + stime */
	unsigned flags;       /* enum proc_flags */
	char state;           /* here, not beside nice: no padding (264 bytes a process) */
	struct val vm_size_kb, rss_kb, swap_kb, pgtables_kb;
	char *cgroup;         /* memory controller's path (v1) or the unified path (v2) (rstr.h) */
	int cgroup_err;
	int cg;               /* index into snapshot.cgroups, -1 if not found */
	struct val cap_sys_admin, cap_sys_rawio; /* 0 or 1 */
	struct val oom_score, oom_score_adj;     /* as the kernel reports them */

	/* Scores (score.c). */
	struct val badness_gorman;       /* Linux 2.4 badness() */
	struct val badness_kernel;       /* today's oom_badness() points, host totalpages */
	struct val oom_score_recomputed; /* oom_score from badness_kernel */
	struct val oom_score_agrees;     /* 1 if recomputed matches the kernel's, 0 if not */

	const struct container_id *container; /* into snapshot.containers; NULL: none */
};

/* Two arrays of them are alive while the monitor builds a snapshot: mind the size (doc/performance.md). */
_Static_assert(sizeof(void *) != 8 || sizeof(struct proc) == 264, "struct proc is 264 bytes on 64-bit");

enum cg_combo { /* v1: the seed's four cases of memory and kernel-memory limits */
	CG_COMBO_UNKNOWN = 0,
	CG_COMBO_NEITHER,
	CG_COMBO_KMEM_ONLY,
	CG_COMBO_MEM_ONLY,
	CG_COMBO_BOTH,
};

struct cg_avail {
	struct val headroom_bytes;         /* limit - usage of the limit in force */
	struct val page_cache_bytes;       /* file pages charged to the cgroup */
	struct val shmem_bytes;            /* tmpfs/shmem among them: never available (on the anon LRU) */
	struct val inactive_file_bytes;    /* the easily reclaimed part of them */
	struct val slab_reclaimable_bytes; /* reclaimable slab charged to it */
	struct val swap_headroom_bytes;    /* swap limit - swap usage */
	struct val available_bytes;        /* headroom + inactive_file + slab_reclaimable + swap_headroom */
	int limited_by;                    /* index of the cgroup whose limit applies; -1: the host */
};

struct cgroup {
	char *path;    /* relative to the hierarchy's root, starts with "/" */
	char *fs_path; /* where its files are, under the collection root */
	int version;   /* 1 or 2 */
	int parent;    /* index, -1 for a root */
	int depth;

	struct val usage_bytes;
	struct val limit_bytes;       /* --memory: v1 limit_in_bytes, v2 memory.max */
	struct val swap_limit_bytes;  /* --memory-swap (memory + swap): v1 memsw, v2 max + swap.max */
	struct val swap_max_bytes;    /* v2 memory.swap.max as is; NA on v1 */
	struct val reservation_bytes; /* --memory-reservation: v1 soft_limit, v2 memory.low */
	struct val high_bytes;        /* v2 memory.high; NA on v1 */
	struct val min_bytes;         /* v2 memory.min; NA on v1 */
	struct val swappiness;        /* v1 memory.swappiness; NA on v2 */
	struct val kmem_limit_bytes;  /* --kernel-memory: v1 kmem.limit_in_bytes; NA on v2 */
	struct val kmem_usage_bytes;
	struct val oom_kill_disable;  /* v1 oom_control; NA on v2 */
	struct val oom_group;         /* v2 memory.oom.group; NA on v1 */
	struct val swap_usage_bytes;  /* v2 swap.current; v1 memsw.usage - usage */
	struct val peak_bytes;        /* v2 memory.peak; v1 max_usage_in_bytes */

	struct val ev_oom, ev_oom_kill; /* v2 memory.events oom/oom_kill; v1 oom_control */
	struct val ev_high, ev_max;     /* v2 memory.events; NA on v1 */
	struct val failcnt;             /* v1 memory.failcnt; NA on v2 */
	struct val under_oom;           /* v1 oom_control under_oom; NA on v2 */

	struct val stat_anon, stat_file, stat_inactive_file, stat_active_file, stat_slab_reclaimable;
	struct val stat_shmem; /* memory.stat shmem (v1 total_shmem) */
	struct psi psi; /* v2 memory.pressure */
	enum cg_combo combo;

	int nr_processes; /* processes of this snapshot whose cgroup is exactly this one */
	bool has_limit;   /* limit_bytes is a number */
	struct cg_avail avail;
	struct victim next_victim; /* for cgroups with a limit (score.c) */

	const struct container_id *container; /* into snapshot.containers; NULL: a plain cgroup */
	struct val seen_peak_bytes; /* the highest usage oomlens saw while running */
	double seen_for_s;          /* how long oomlens has watched this cgroup */
	struct trend trend;         /* usage growth and time to the limit (trend.c) */
};

/* Which collector read the processes (collect.h, doc/architecture.md). */
enum collector_kind { COLLECTOR_PROC = 0, COLLECTOR_BPF };

struct snapshot {
	int collector;         /* enum collector_kind */
	char collector_why[160]; /* "" or why the bpf collector was not used */
	struct timespec wall;  /* CLOCK_REALTIME at collection */
	struct timespec mono;  /* CLOCK_MONOTONIC at collection */
	struct host host;
	struct cgroup *cgroups;
	size_t n_cgroups;
	struct proc *procs;
	size_t n_procs;
	struct victim host_victim;
	unsigned vanished;    /* processes that went away during collection */
	unsigned read_errors; /* other failures reading process files */
	int cgroup_version;   /* 0 none, 1, 2 (of the memory controller) */
	char *cg_mount;       /* memory controller's mount point, NULL if none */
	int cg_err;           /* why there is no memory controller */

	struct container_id *containers; /* the containers cgroups and processes point into */
	size_t n_containers;
	struct oom_event *events; /* OOM kills seen so far, oldest first (events.c) */
	size_t n_events;
	uint64_t events_total;    /* events logged since collection began: events[i] is number
				   events_total - n_events + i (for --follow) */
	int kmsg_err;         /* why /dev/kmsg could not be read (errno), 0 if it was */
	struct trend host_trend; /* MemAvailable's fall and the time until it reaches 0 */
};

void snapshot_free(struct snapshot *s);

/* The longest name /proc shows (a kernel thread's and its workqueue's), with its NUL. */
#define PROC_COMM_MAX 64

/* p's name. */
static inline const char *
proc_comm(const struct proc *p)
{
	return p->comm_long ? p->comm_long : p->comm_short;
}

/* Set p's name to the n bytes at s, cut at a NUL and at PROC_COMM_MAX - 1. */
void proc_set_comm(struct proc *p, const char *s, size_t n);

/* Drop p's texts (name, command line, cgroup) and forget them: what freeing a process means. */
void proc_release(struct proc *p);

/*
 * A cgroup's strings, and an array of n cgroups with theirs (cg_collect()'s
 * answer).  Here rather than in cgroup.c: freeing a snapshot needs no
 * collector.
 */
void cg_free_one(struct cgroup *c);
void cg_free(struct cgroup *cgs, size_t n);

/* Lookups: NULL / -1 when absent. */
const struct proc *snap_find_proc(const struct snapshot *s, pid_t pid);
int snap_find_cgroup(const struct snapshot *s, const char *path);

#endif
