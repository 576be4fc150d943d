/*
 * fuzz_misc.c - libFuzzer target for the small host files: dentry-state,
 * inode-nr, slabinfo (the first input line is also tried as a cache name),
 * uptime at several clock rates and the kernel release string.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long rates[] = { 1, 100, 250, 1000, 1 << 20 };
	char *buf = fuzz_cstr(data, size);
	char *name;
	char *rest = fuzz_split(data, size, &name);
	uint64_t x;
	int major = -1, minor = -1, r;

	r = parse_dentry_state(buf, &x);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	r = parse_inode_nr(buf, &x);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	r = parse_slabinfo_objsize(buf, "dentry", &x);
	FUZZ_CHECK(r < 0 || x > 0);
	r = parse_slabinfo_objsize(buf, "inode_cache", &x);
	FUZZ_CHECK(r < 0 || x > 0);
	r = parse_slabinfo_objsize(rest, name, &x);
	FUZZ_CHECK(r < 0 || x > 0);
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		r = parse_uptime(buf, rates[i], &x);
		FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	}
	r = parse_uptime(buf, 0, &x);
	FUZZ_CHECK(r == -EINVAL);
	r = parse_kernel_release(buf, &major, &minor);
	FUZZ_CHECK(r < 0 || (major >= 0 && major <= 1000 && minor >= 0 && minor <= 1000));
	free(rest);
	free(name);
	free(buf);
	return 0;
}
