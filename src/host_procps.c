/*
 * host_procps.c - the libproc2 adapter for the host's counters
 * (host_procps.h).  Copies values out at once; the library's contexts live
 * for the process (they cache file descriptors) and are never shared with
 * the caller.
 */
#include "config.h"

#include "host_procps.h"

#include <errno.h>
#include <libproc2/meminfo.h>
#include <libproc2/misc.h>
#include <libproc2/vmstat.h>

#include "parse.h"

static struct meminfo_info *mem_ctx;
static struct vmstat_info *vm_ctx;

/* Is the running kernel at least major.minor (an unreadable release: yes)? */
static bool
at_least(const char *release, int major, int minor)
{
	int ma = 0, mi = 0;

	if (!release || parse_kernel_release(release, &ma, &mi) < 0)
		return true;
	return ma > major || (ma == major && mi >= minor);
}

int
host_procps_counters(const char *release, struct val *mem_available_kb, struct val *oom_kill)
{
	enum meminfo_item mi_items[] = {MEMINFO_MEM_AVAILABLE};
	enum vmstat_item vm_items[] = {VMSTAT_OOM_KILL};
	struct meminfo_stack *ms;
	struct vmstat_stack *vs;
	int r;

	if (!mem_ctx && (r = procps_meminfo_new(&mem_ctx)) < 0)
		return r;
	if (!vm_ctx && (r = procps_vmstat_new(&vm_ctx)) < 0)
		return r;
	/* select, not get: get answers from a copy up to a second old. */
	ms = procps_meminfo_select(mem_ctx, mi_items, 1);
	vs = procps_vmstat_select(vm_ctx, vm_items, 1);
	if (!ms || !vs)
		return errno ? -errno : -EIO;
	if (at_least(release, 3, 14))
		*mem_available_kb = val_ok((int64_t)ms->head[0].result.ul_int);
	else
		*mem_available_kb = val_unknown(OL_EMISSING);
	if (at_least(release, 4, 13))
		*oom_kill = val_ok((int64_t)vs->head[0].result.ul_int);
	else
		*oom_kill = val_unknown(OL_EMISSING);
	return 0;
}

long
host_procps_hertz(void)
{
	return procps_hertz_get();
}

int
host_procps_uptime_ticks(long hz, uint64_t *ticks)
{
	double up = 0, idle = 0;
	int r = procps_uptime(&up, &idle);

	if (r < 0)
		return r;
	if (up < 0 || hz <= 0)
		return -EINVAL;
	*ticks = (uint64_t)(up * (double)hz);
	return 0;
}
