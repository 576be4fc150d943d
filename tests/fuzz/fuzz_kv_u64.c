/*
 * fuzz_kv_u64.c - libFuzzer target for parse_kv_u64() (/proc/vmstat,
 * memory.stat, memory.events, memory.oom_control).  The first line of the
 * input is the key to look up; the rest is the file.  The keys oomlens
 * really asks for are tried too.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "parse.h"

static const char *const keys[] = {
	"oom_kill", "oom", "under_oom", "oom_kill_disable", "total_inactive_file",
	"inactive_file", "slab_reclaimable", "anon", "file", "",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *key;
	char *buf = fuzz_split(data, size, &key);
	char *whole = fuzz_cstr(data, size);
	uint64_t x;
	int r;

	r = parse_kv_u64(buf, key, &x);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOENT || r == -ERANGE);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		r = parse_kv_u64(whole, keys[i], &x);
		FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOENT || r == -ERANGE);
	}
	free(whole);
	free(buf);
	free(key);
	return 0;
}
