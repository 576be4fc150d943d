/*
 * fuzz_cg_value.c - libFuzzer target for cg_parse_value(): a cgroup size or
 * count file ("max", a number, the v1 "unlimited").
 */
#include "config.h"

#include <errno.h>

#include "cgroup.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_cstr(data, size);
	struct val v;
	int r = cg_parse_value(buf, &v);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r == 0)
		FUZZ_CHECK((v.state == VAL_OK && v.v >= 0 && (uint64_t)v.v < OL_V1_UNLIMITED) ||
			   v.state == VAL_MAX);
	else
		FUZZ_CHECK(v.state == VAL_UNKNOWN && v.err == OL_EPARSE);
	free(buf);
	return 0;
}
