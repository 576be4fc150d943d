/*
 * fuzz_proc_status.c - libFuzzer target for parse_proc_status(),
 * status_has_cap() and cmdline_flatten() (/proc/PID/status and cmdline).
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_cstr(data, size);
	struct status_fields st;
	int r = parse_proc_status(buf, &st);
	size_t n;

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	for (int cap = -2; cap < 66; cap++) {
		int has = status_has_cap(&st, cap);

		FUZZ_CHECK(has == -1 || has == 0 || has == 1);
		FUZZ_CHECK(cap >= 0 && cap <= 63 ? 1 : has == -1);
	}
	FUZZ_CHECK(st.uid.state != VAL_OK || (st.uid.v >= 0 && st.uid.v <= UINT32_MAX));

	/* cmdline_flatten works in place on the raw bytes, NULs included. */
	memcpy(buf, data, size);
	n = cmdline_flatten(buf, size);
	FUZZ_CHECK(n <= size);
	FUZZ_CHECK(buf[n] == '\0');
	FUZZ_CHECK(memchr(buf, '\0', n) == NULL);
	free(buf);
	return 0;
}
