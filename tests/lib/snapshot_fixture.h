/*
 * snapshot_fixture.h - a hand-built snapshot on the heap (free it with
 * snapshot_free) that holds every state a value can be in: numbers, "max",
 * not available, unknown for several reasons, v1 and v2 cgroups, partial
 * PSI, containers, trends, OOM events and hostile process names.  For the
 * Prometheus and replay tests.
 */
#ifndef OOMLENS_TEST_SNAPSHOT_FIXTURE_H
#define OOMLENS_TEST_SNAPSHOT_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "rstr.h"
#include "util.h"

#define FIX_HOSTILE "q\"b\\s\nn\x1b[31m\xff"

static inline struct proc
fixture_proc(pid_t pid, const char *comm, int64_t oom, const char *cgroup, int cg)
{
	struct proc p = {
	    .pid = pid,
	    .ppid = 1,
	    .start_ticks = 1000 + (uint64_t)pid,
	    .uid = val_ok(1000),
	    .euid = val_ok(1000),
	    .state = 'S',
	    .nice = -5,
	    .cpu_ticks = 50,
	    .vm_size_kb = val_ok(10000 + pid),
	    .rss_kb = val_ok(2000),
	    .swap_kb = val_ok(0),
	    .pgtables_kb = val_ok(40),
	    .cgroup = rstr_new(cgroup),
	    .cg = cg,
	    .cap_sys_admin = val_ok(0),
	    .cap_sys_rawio = val_ok(1),
	    .oom_score = val_ok(oom),
	    .oom_score_adj = val_ok(-100),
	    .badness_gorman = val_ok(1234),
	    .badness_kernel = val_ok(510),
	    .oom_score_recomputed = val_ok(oom),
	    .oom_score_agrees = val_ok(1),
	    .cmdline = rstr_new("/usr/bin/thing --flag"),
	};

	proc_set_comm(&p, comm, strlen(comm));
	return p;
}

static inline struct cgroup
fixture_cgroup(const char *path, int version, int parent)
{
	struct cgroup c = {
	    .path = xstrdup(path),
	    .version = version,
	    .parent = parent,
	    .usage_bytes = val_ok(100 << 20),
	    .limit_bytes = val_max(),
	    .swap_limit_bytes = val_max(),
	    .swap_max_bytes = version == 2 ? val_max() : val_na(),
	    .reservation_bytes = version == 2 ? val_ok(0) : val_max(),
	    .high_bytes = version == 2 ? val_max() : val_na(),
	    .min_bytes = version == 2 ? val_ok(0) : val_na(),
	    .swappiness = version == 1 ? val_ok(60) : val_na(),
	    .kmem_limit_bytes = version == 1 ? val_max() : val_na(),
	    .kmem_usage_bytes = version == 1 ? val_ok(4096) : val_na(),
	    .oom_kill_disable = version == 1 ? val_ok(0) : val_na(),
	    .oom_group = version == 2 ? val_ok(1) : val_na(),
	    .swap_usage_bytes = val_ok(0),
	    .peak_bytes = val_ok(200 << 20),
	    .ev_oom = val_ok(1),
	    .ev_oom_kill = val_ok(1),
	    .ev_high = version == 2 ? val_ok(5) : val_na(),
	    .ev_max = version == 2 ? val_ok(6) : val_na(),
	    .failcnt = version == 1 ? val_ok(9) : val_na(),
	    .under_oom = version == 1 ? val_ok(0) : val_na(),
	    .stat_anon = val_ok(50 << 20),
	    .stat_file = val_ok(50 << 20),
	    .stat_inactive_file = val_ok(20 << 20),
	    .stat_active_file = val_ok(30 << 20),
	    .stat_slab_reclaimable = val_unknown(OL_EMISSING),
	    .avail = {.headroom_bytes = val_ok(1000),
		      .page_cache_bytes = val_ok(2000),
		      .inactive_file_bytes = val_ok(3000),
		      .slab_reclaimable_bytes = val_unknown(OL_EMISSING),
		      .swap_headroom_bytes = val_max(),
		      .available_bytes = val_unknown(OL_EMISSING),
		      .limited_by = -1},
	    .next_victim = {.group_cgroup = -1},
	    .seen_peak_bytes = val_ok(150 << 20),
	    .seen_for_s = 12.5,
	};

	if (version == 2) {
		c.psi.present = true;
		c.psi.some = (struct psi_line){val_ok(250), val_ok(10), val_ok(1), val_ok(1500000)};
		c.psi.full = (struct psi_line){val_unknown(OL_EMISSING), val_unknown(OL_EMISSING),
					       val_unknown(OL_EMISSING), val_unknown(OL_EMISSING)};
	}
	return c;
}

static inline struct snapshot *
fixture_snapshot(void)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));
	struct host *h = &s->host;

	s->wall = (struct timespec){.tv_sec = 1795633262, .tv_nsec = 345000000};
	s->mono = s->wall;
	h->mem_total_kb = val_ok(8000000);
	h->mem_free_kb = val_ok(1000000);
	h->page_cache_kb = val_ok(2000000);
	h->cached_kb = val_ok(1990000);
	h->swap_total_kb = val_ok(2097148);
	h->swap_free_kb = val_ok(2097148);
	h->swap_cache_kb = val_ok(10000);
	h->dentry_cache_kb = val_ok(12000);
	h->inode_cache_kb = val_unknown(EACCES);
	h->vm_enough_kb = val_unknown(EACCES);
	h->buffers_kb = val_ok(100);
	h->dentry_unused = val_ok(64000);
	h->dentry_obj_size = val_ok(192);
	h->dentry_size_guessed = true;
	h->inode_free = val_unknown(EACCES);
	h->inode_obj_size = val_ok(600);
	h->mem_available_kb = val_ok(5000000);
	h->commit_limit_kb = val_ok(6097148);
	h->committed_as_kb = val_ok(3000000);
	h->overcommit_memory = val_ok(0);
	h->overcommit_ratio = val_ok(50);
	h->overcommit_kbytes = val_unknown(ENOENT);
	h->vm_swappiness = val_ok(0); /* not the default: a replay must carry it */
	h->slab_reclaimable_kb = val_ok(5000);
	h->inactive_file_kb = val_ok(700000);
	h->active_file_kb = val_ok(900000);
	h->psi.present = true;
	h->psi.some = (struct psi_line){val_ok(123), val_ok(45), val_ok(6), val_ok(987654)};
	h->psi.full = (struct psi_line){val_ok(0), val_ok(7), val_unknown(OL_EPARSE), val_ok(1234)};
	h->oom_kill = val_ok(3);
	h->page_size = 4096;
	h->clk_tck = 100;
	snprintf(h->kernel_release, sizeof(h->kernel_release), "6.1.0-test");
	h->oom_score_v59 = true;
	h->totalpages = val_ok(2524287);
	s->host_trend = (struct trend){.steady = true,
				       .growth_bytes_per_s = 1048576.25,
				       .seconds_to_limit = val_ok(4800),
				       .samples = 7,
				       .window_s = 12.000000001};

	s->n_containers = 1;
	s->containers = xcalloc(1, sizeof(*s->containers));
	s->containers[0] =
	    (struct container_id){.runtime = CT_DOCKER, .id = "abc123", .name = "web"};

	s->n_cgroups = 4;
	s->cgroups = xcalloc(4, sizeof(*s->cgroups));
	s->cgroups[0] = fixture_cgroup("/", 1, -1);
	s->cgroups[1] = fixture_cgroup("/docker", 1, 0);
	s->cgroups[2] = fixture_cgroup("/docker/abc123", 1, 1);
	s->cgroups[3] = fixture_cgroup("/odd \"path\"", 2, -1);
	s->cgroups[1].depth = 1;
	s->cgroups[2].depth = 2;
	s->cgroups[2].limit_bytes = val_ok(64 << 20);
	s->cgroups[2].has_limit = true;
	s->cgroups[2].avail.limited_by = 2;
	s->cgroups[2].container = &s->containers[0];
	s->cgroups[2].nr_processes = 2;
	s->cgroups[2].trend = (struct trend){.steady = true,
					     .growth_bytes_per_s = -3.5,
					     .seconds_to_limit = val_unknown(0),
					     .samples = 3,
					     .window_s = 1.5};
	s->cgroups[2].next_victim = (struct victim){.pid = 300,
						    .start_ticks = 1300,
						    .comm = "victim",
						    .points = 510,
						    .whole_group = true,
						    .group_cgroup = 2};
	s->cgroups[1].avail.limited_by = -1;
	s->cgroups[3].oom_kill_disable = val_na();
	s->cgroups[3].usage_bytes = val_unknown(EACCES);
	s->cgroup_version = 1;
	s->cg_mount = xstrdup("/sys/fs/cgroup/memory");

	s->n_procs = 4;
	s->procs = xcalloc(4, sizeof(*s->procs));
	s->procs[0] = fixture_proc(100, "bash", 700, "/", 0);
	s->procs[1] = fixture_proc(200, FIX_HOSTILE, 900, "/docker/abc123", 2);
	s->procs[1].container = &s->containers[0];
	s->procs[2] = fixture_proc(300, "victim", 950, "/docker/abc123", 2);
	s->procs[2].container = &s->containers[0];
	s->procs[2].oom_score_agrees = val_ok(0);
	s->procs[3] = fixture_proc(2, "kthreadd", 0, "/", 0);
	s->procs[3].flags = PROC_KTHREAD;
	s->procs[3].oom_score = val_unknown(EACCES);
	s->procs[3].badness_kernel = val_unknown(OL_ENOTAPPL);
	s->procs[3].swap_kb = val_unknown(ESRCH);
	s->procs[3].state = '\0';
	rstr_unref(s->procs[3].cmdline);
	s->procs[3].cmdline = NULL;
	s->procs[3].cmdline_err = EACCES;
	s->host_victim = (struct victim){
	    .pid = 300, .start_ticks = 1300, .comm = "victim", .points = 600, .group_cgroup = -1};
	s->vanished = 2;
	s->read_errors = 1;

	s->n_events = 2;
	s->events_total = 2;
	s->events = xcalloc(2, sizeof(*s->events));
	s->events[0] = (struct oom_event){.source = OOM_SRC_KMSG,
					  .time = {.tv_sec = 1795633200},
					  .seq = 4242,
					  .pid = 301,
					  .comm = "hog",
					  .cgroup = xstrdup("/docker/abc123"),
					  .constraint = xstrdup("/docker/abc123"),
					  .rss_kb = val_ok(65000),
					  .oom_score_adj = val_ok(0),
					  .count = 1,
					  .container = s->containers[0]};
	s->events[1] = (struct oom_event){.source = OOM_SRC_COUNTER,
					  .time = {.tv_sec = 1795633250},
					  .rss_kb = val_unknown(0),
					  .oom_score_adj = val_unknown(0),
					  .count = 3};
	return s;
}

#endif
