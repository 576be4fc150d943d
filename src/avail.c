/*
 * avail.c - the availability arithmetic of doc/model.md: the host's 2.4
 * sum and headline figure, and for each memory cgroup the limit in force
 * and what is left under it (headroom, reclaimable file pages and slab,
 * swap).
 *
 * Owns: turning values already in the snapshot into availability.  Must
 * not: read a file (cgroup.c and host.c do), or turn an unknown value into
 * 0 (only a part the kernel does not report counts as 0 in the sum, as
 * doc/model.md says).
 */
#include "config.h"

#include "avail.h"

#include <stdint.h>
#include <string.h>

#include "util.h"

void
avail_host_sum(struct host *h)
{
	/* In this order: an unknown sum keeps the first unknown part's reason. */
	struct val sum = val_add(h->page_cache_kb, h->mem_free_kb);

	sum = val_add(sum, h->swap_free_kb);
	sum = val_add(sum, h->swap_cache_kb);
	sum = val_add(sum, h->dentry_cache_kb);
	sum = val_add(sum, h->inode_cache_kb);
	h->vm_enough_kb = sum;
	if (val_is_ok(sum) && val_is_ok(h->shmem_kb))
		h->avail_now_kb = val_ok(sum.v > h->shmem_kb.v ? sum.v - h->shmem_kb.v : 0);
	else
		h->avail_now_kb = val_is_ok(sum) ? h->shmem_kb : sum;
}

int
avail_limited_by(const struct snapshot *s, size_t i)
{
	int l = (int)i;

	/* Parents come before children, so the walk up always ends. */
	while (l >= 0 && !s->cgroups[l].has_limit) {
		int p = s->cgroups[l].parent;

		l = p < l ? p : -1;
	}
	return l;
}

void
avail_of_host(const struct host *h, struct cg_avail *a)
{
	a->headroom_bytes = val_kb_to_bytes(h->mem_free_kb);
	a->page_cache_bytes = val_kb_to_bytes(h->cached_kb);
	a->shmem_bytes = val_kb_to_bytes(h->shmem_kb);
	a->inactive_file_bytes = val_kb_to_bytes(h->inactive_file_kb);
	a->slab_reclaimable_bytes = val_kb_to_bytes(h->slab_reclaimable_kb);
	a->swap_headroom_bytes = val_kb_to_bytes(h->swap_free_kb);
}

void
avail_of_cgroup(const struct host *h, const struct cgroup *l, struct cg_avail *a)
{
	struct val host_swap = val_kb_to_bytes(h->swap_free_kb);
	struct val lim = l->version == 1 ? l->swap_limit_bytes : l->swap_max_bytes;

	a->headroom_bytes = val_sub0(l->limit_bytes, l->usage_bytes);
	a->page_cache_bytes = l->stat_file;
	a->shmem_bytes = l->stat_shmem;
	a->inactive_file_bytes = l->stat_inactive_file;
	a->slab_reclaimable_bytes = l->stat_slab_reclaimable;

	if (lim.state == VAL_MAX || (lim.state == VAL_UNKNOWN && lim.err == OL_EMISSING)) {
		/* No swap limit of its own, or no swap accounting: the host's swap bounds it. */
		a->swap_headroom_bytes = host_swap;
	} else if (lim.state != VAL_OK) {
		a->swap_headroom_bytes = lim;
	} else if (l->version == 1) {
		/* memsw counts memory + swap: the swap allowance is memsw - limit. */
		struct val allowance = val_sub0(lim, l->limit_bytes);

		a->swap_headroom_bytes =
		    val_min(val_sub0(allowance, l->swap_usage_bytes), host_swap);
	} else {
		a->swap_headroom_bytes = val_min(val_sub0(lim, l->swap_usage_bytes), host_swap);
	}
}

struct val
avail_sum(const struct cg_avail *a)
{
	const struct val parts[] = {a->inactive_file_bytes, a->slab_reclaimable_bytes,
				    a->swap_headroom_bytes};
	struct val sum = a->headroom_bytes;

	if (sum.state != VAL_OK)
		return sum.state == VAL_UNKNOWN ? sum : val_unknown(OL_ENOTAPPL);
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		struct val p = parts[i];

		if (p.state == VAL_OK)
			sum.v = val_add_sat(sum.v, p.v);
		else if (p.state == VAL_UNKNOWN && p.err != OL_EMISSING)
			return p;
	}
	return sum;
}

void
avail_compute(struct snapshot *s)
{
	for (size_t i = 0; i < s->n_cgroups; i++) {
		struct cgroup *c = &s->cgroups[i];
		int l = avail_limited_by(s, i);

		memset(&c->avail, 0, sizeof(c->avail));
		if (l < 0)
			avail_of_host(&s->host, &c->avail);
		else
			avail_of_cgroup(&s->host, &s->cgroups[l], &c->avail);
		c->avail.available_bytes = avail_sum(&c->avail);
		c->avail.limited_by = l;
	}
}
