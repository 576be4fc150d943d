/*
 * host_procps.h - the live host's counters through libproc2 (procps-ng 4):
 * MemAvailable, the OOM kill counter, the clock tick and the uptime.  Only
 * for the live system: a fixture tree (--root) goes through oomlens's own
 * parsers (src/parse.c), which libproc2 cannot be pointed at.
 * doc/architecture.md says which reader is used where, and why.
 */
#ifndef OOMLENS_HOST_PROCPS_H
#define OOMLENS_HOST_PROCPS_H

#include <stdint.h>

#include "model.h"

/*
 * MemAvailable (kB) and vmstat's oom_kill.  libproc2 reports a line the
 * kernel does not print as 0, so a kernel older than the line (3.14 for
 * MemAvailable, 4.13 for oom_kill; release "major.minor...") gets unknown
 * (OL_EMISSING) instead.  -errno when libproc2 cannot read the files (the
 * caller then uses its own parsers).
 */
int host_procps_counters(const char *release, struct val *mem_available_kb, struct val *oom_kill);

/* The clock tick (USER_HZ), or <= 0 if libproc2 cannot tell. */
long host_procps_hertz(void);

/* Seconds since boot in clock ticks of hz; -errno when unknown. */
int host_procps_uptime_ticks(long hz, uint64_t *ticks);

#endif
