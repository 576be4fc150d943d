/*
 * fuzz_psi.c - libFuzzer target for parse_psi(), which reads both
 * /proc/pressure/memory and a v2 cgroup's memory.pressure.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_cstr(data, size);
	struct psi p;
	int r = parse_psi(buf, &p);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	FUZZ_CHECK(p.present == (r == 0));
	if (r == 0) {
		const struct val *v[] = { &p.some.avg10, &p.some.avg60, &p.some.avg300,
					  &p.some.total_us };

		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			FUZZ_CHECK(v[i]->state == VAL_OK && v[i]->v >= 0);
	} else {
		FUZZ_CHECK(p.err != 0);
	}
	free(buf);
	return 0;
}
