/*
 * fuzz_output.c - libFuzzer target for the batch writers.  The input is
 * turned into a snapshot (hostile comm, cmdline, cgroup paths and kernel
 * release; values in every state), which is written as JSON, CSV,
 * Prometheus text and text.
 * The JSON must parse back (strict, UTF-8 checked) with one process per
 * process; every CSV row must have the header's number of fields; the text
 * must be valid UTF-8 with no control byte but newline; every Prometheus
 * line must be a comment or a well-formed sample with escaped label values.
 *
 * Numbers stay in the ranges the collectors can produce: sizes and counts
 * are non-negative, nice and oom_score_adj small, so the writers' arithmetic
 * is tested on what it can really meet.
 */
#include "config.h"

#include "fuzz.h"
#include "outcheck.h"
#include "model.h"
#include "output.h"
#include "rstr.h"
#include "util.h"

/* A value in any state; a number is non-negative unless neg allows small negatives. */
static struct val
fval(struct fuzz_in *in, bool neg)
{
	uint8_t sel = fuzz_u8(in);
	int64_t x;

	switch (sel & 3) {
	case 0:
		return val_unknown((int)fuzz_u8(in) * 5); /* errno values and OL_E* */
	case 2:
		return val_max();
	case 3:
		return val_na();
	default:
		break;
	}
	x = (int64_t)(fuzz_u64(in) & INT64_MAX);
	if (sel & 4)
		x %= 100000;
	if (neg && (sel & 8))
		x = -(x % 1001);
	return val_ok(x);
}

/* A 0/1 value, or not known. */
static struct val
fbool(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	return b & 2 ? val_ok(b & 1) : val_unknown(b >> 2);
}

/* Copy a fuzzed string into a fixed array, terminated as the collectors terminate it. */
static void
fcopy(struct fuzz_in *in, char *dst, size_t dstsz)
{
	char *s = fuzz_str(in, dstsz - 1);

	snprintf(dst, dstsz, "%s", s);
	free(s);
}

static void
fill_psi(struct fuzz_in *in, struct psi *p)
{
	p->present = fuzz_u8(in) & 1;
	p->err = p->present ? 0 : OL_EPARSE;
	p->some.avg10 = fval(in, false);
	p->some.avg60 = fval(in, false);
	p->some.avg300 = fval(in, false);
	p->some.total_us = fval(in, false);
	p->full.avg10 = fval(in, false);
	p->full.avg60 = fval(in, false);
	p->full.avg300 = fval(in, false);
	p->full.total_us = fval(in, false);
}

static void
fill_victim(struct fuzz_in *in, struct victim *v, size_t n_cgroups)
{
	v->pid = (pid_t)(fuzz_u8(in) % 4);
	v->start_ticks = fuzz_u64(in);
	fcopy(in, v->comm, sizeof(v->comm));
	v->points = (int64_t)(fuzz_u64(in) & 0xffffffffffffull);
	v->whole_group = fuzz_u8(in) & 1;
	v->group_cgroup = (int)(fuzz_u8(in) % (n_cgroups + 2)) - 1;
}

static void
fill_host(struct fuzz_in *in, struct host *h)
{
	struct val *v[] = {
		&h->mem_free_kb, &h->page_cache_kb, &h->swap_free_kb, &h->swap_cache_kb,
		&h->dentry_cache_kb, &h->inode_cache_kb, &h->vm_enough_kb, &h->mem_total_kb,
		&h->cached_kb, &h->swap_total_kb, &h->buffers_kb, &h->dentry_unused,
		&h->dentry_obj_size, &h->inode_free, &h->inode_obj_size, &h->mem_available_kb,
		&h->commit_limit_kb, &h->committed_as_kb, &h->overcommit_memory,
		&h->overcommit_ratio, &h->overcommit_kbytes, &h->slab_reclaimable_kb,
		&h->inactive_file_kb, &h->active_file_kb, &h->oom_kill, &h->totalpages,
	};

	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		*v[i] = fval(in, false);
	h->dentry_size_guessed = fuzz_u8(in) & 1;
	h->inode_size_guessed = fuzz_u8(in) & 1;
	fill_psi(in, &h->psi);
	h->page_size = 4096;
	h->clk_tck = 100;
	h->shift_hz = 7;
	fcopy(in, h->kernel_release, sizeof(h->kernel_release));
	h->oom_score_v59 = fuzz_u8(in) & 1;
	h->uptime_ticks = fuzz_u64(in);
}

static void
fill_cgroup(struct fuzz_in *in, struct cgroup *c, size_t i, size_t n)
{
	struct val *v[] = {
		&c->usage_bytes, &c->limit_bytes, &c->swap_limit_bytes, &c->swap_max_bytes,
		&c->reservation_bytes, &c->high_bytes, &c->min_bytes, &c->swappiness,
		&c->kmem_limit_bytes, &c->kmem_usage_bytes, &c->swap_usage_bytes, &c->peak_bytes,
		&c->ev_oom, &c->ev_oom_kill, &c->ev_high, &c->ev_max, &c->failcnt,
		&c->stat_anon, &c->stat_file, &c->stat_inactive_file, &c->stat_active_file,
		&c->stat_slab_reclaimable, &c->avail.headroom_bytes, &c->avail.page_cache_bytes,
		&c->avail.inactive_file_bytes, &c->avail.slab_reclaimable_bytes,
		&c->avail.swap_headroom_bytes, &c->avail.available_bytes, &c->seen_peak_bytes,
	};

	c->path = fuzz_str(in, 8192);
	c->fs_path = xstrdup("/sys/fs/cgroup");
	c->version = fuzz_u8(in) & 1 ? 2 : 1;
	c->parent = i ? (int)(fuzz_u8(in) % i) : -1;
	c->depth = i ? 1 : 0;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++)
		*v[k] = fval(in, false);
	c->oom_kill_disable = fbool(in);
	c->oom_group = fbool(in);
	c->under_oom = fbool(in);
	fill_psi(in, &c->psi);
	c->combo = (enum cg_combo)(fuzz_u8(in) % 5);
	c->nr_processes = fuzz_u8(in);
	c->has_limit = c->limit_bytes.state == VAL_OK;
	c->avail.limited_by = (int)(fuzz_u8(in) % (n + 2)) - 1;
	fill_victim(in, &c->next_victim, n);
}

/* fuzz_str() as an rstr.h text, as a process's cmdline and cgroup are. */
static char *
fuzz_rstr(struct fuzz_in *in, size_t max)
{
	char *s = fuzz_str(in, max);
	char *r = rstr_new(s);

	free(s);
	return r;
}

static void
fill_proc(struct fuzz_in *in, struct proc *p, size_t n_cgroups)
{
	p->pid = (pid_t)(fuzz_u64(in) & 0x3fffff) + 1;
	p->ppid = (pid_t)(fuzz_u8(in));
	p->start_ticks = fuzz_u64(in);
	p->uid = fval(in, false);
	p->euid = fval(in, false);
	/* Mostly uids getpwuid knows (each new uid costs a passwd lookup), now and then any. */
	if (p->uid.state == VAL_OK)
		p->uid.v %= p->uid.v & 0xf ? 4 : 70000;
	if (p->euid.state == VAL_OK)
		p->euid.v %= p->euid.v & 0xf ? 4 : 70000;
	{
		char comm[PROC_COMM_MAX];

		fcopy(in, comm, sizeof(comm));
		proc_set_comm(p, comm, sizeof(comm));
	}
	p->cmdline = fuzz_u8(in) & 1 ? fuzz_rstr(in, 65536) : NULL;
	p->cmdline_err = p->cmdline ? 0 : 13;
	p->state = (char)fuzz_u8(in);
	p->nice = (int)(fuzz_u8(in) % 40) - 20;
	p->cpu_ticks = fuzz_u64(in);
	p->flags = fuzz_u8(in) & 7;
	p->vm_size_kb = fval(in, false);
	p->rss_kb = fval(in, false);
	p->swap_kb = fval(in, false);
	p->pgtables_kb = fval(in, false);
	p->cgroup = fuzz_u8(in) & 1 ? fuzz_rstr(in, 8192) : NULL;
	p->cgroup_err = p->cgroup ? 0 : 2;
	p->cg = (int)(fuzz_u8(in) % (n_cgroups + 1)) - 1;
	p->cap_sys_admin = fbool(in);
	p->cap_sys_rawio = fbool(in);
	p->oom_score = fval(in, false);
	p->oom_score_adj = fval(in, true);
	p->badness_gorman = fval(in, false);
	p->badness_kernel = fval(in, true);
	p->oom_score_recomputed = fval(in, false);
	p->oom_score_agrees = fbool(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct snapshot *s = xcalloc(1, sizeof(*s));
	enum sort_key k;
	size_t len;
	json_object *j;

	s->wall.tv_sec = (time_t)(fuzz_u64(&in) & 0x3ffffffffull);
	s->wall.tv_nsec = (long)(fuzz_u64(&in) % 1000000000ull);
	k = (enum sort_key)(fuzz_u8(&in) % SORT__COUNT);
	s->n_cgroups = fuzz_u8(&in) % 5;
	s->n_procs = fuzz_u8(&in) % 9;
	fill_host(&in, &s->host);
	s->cgroups = xcalloc(s->n_cgroups + 1, sizeof(*s->cgroups));
	for (size_t i = 0; i < s->n_cgroups; i++)
		fill_cgroup(&in, &s->cgroups[i], i, s->n_cgroups);
	s->procs = xcalloc(s->n_procs + 1, sizeof(*s->procs));
	for (size_t i = 0; i < s->n_procs; i++)
		fill_proc(&in, &s->procs[i], s->n_cgroups);
	fill_victim(&in, &s->host_victim, s->n_cgroups);
	s->vanished = fuzz_u8(&in);
	s->read_errors = fuzz_u8(&in);
	s->cgroup_version = fuzz_u8(&in) % 3;
	s->cg_mount = s->cgroup_version ? fuzz_str(&in, 4096) : NULL;
	s->cg_err = s->cg_mount ? 0 : 2;

	free(check_formats(s, k, &len));
	j = snapshot_to_json(s);
	FUZZ_CHECK(j != NULL);
	json_object_put(j);
	snapshot_free(s);
	return 0;
}
