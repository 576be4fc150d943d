/*
 * fuzz_meminfo.c - libFuzzer target for parse_meminfo(): any buffer leaves
 * every field either a non-negative number or unknown with a reason.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_cstr(data, size);
	struct meminfo m;
	const struct val *v = (const struct val *)&m;
	int r = parse_meminfo(buf, &m);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	for (size_t i = 0; i < sizeof(m) / sizeof(*v); i++) {
		FUZZ_CHECK(v[i].state == VAL_OK || v[i].state == VAL_UNKNOWN);
		FUZZ_CHECK(v[i].state != VAL_OK || v[i].v >= 0);
		FUZZ_CHECK(v[i].state != VAL_UNKNOWN || v[i].err != 0);
	}
	free(buf);
	return 0;
}
