/*
 * out_format.c - the names of the batch formats and the time stamp they
 * share (out_format.h).
 */
#include "config.h"

#include "out_format.h"

#include <stdio.h>
#include <strings.h>
#include <time.h>

#include "util.h"

int
format_from_name(const char *name)
{
	static const char *const names[] = {[FMT_TEXT] = "text",
					    [FMT_JSON] = "json",
					    [FMT_CSV] = "csv",
					    [FMT_PROMETHEUS] = "prometheus"};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

/* RFC 3339 in UTC with milliseconds: 2026-11-25T19:01:02.345Z. */
void
output_format_time(char *out, size_t outsz, const struct timespec *ts)
{
	struct tm tm;
	time_t t = ts->tv_sec;
	char base[32];

	if (!gmtime_r(&t, &tm)) {
		snprintf(out, outsz, "1970-01-01T00:00:00Z");
		return;
	}
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, outsz, "%s.%03ldZ", base, ts->tv_nsec / 1000000);
}
