/*
 * fuzz_proc_cgroup.c - libFuzzer target for cg_parse_proc_cgroup(): the
 * process's memory cgroup path from /proc/PID/cgroup, on v1 and v2, into
 * output buffers of exactly the given size (so ASan sees an overflow); and
 * for the other side of membership, a cgroup's cgroup.procs
 * (cg_members_parse()), parsed twice into one map.
 */
#include "config.h"

#include <errno.h>

#include "cgroup.h"
#include "fuzz.h"
#include "members.h"

/* Parse buf for version into a heap buffer of exactly outsz bytes. */
static void
one(const char *buf, int version, size_t outsz)
{
	char *out = malloc(outsz ? outsz : 1);
	int r;

	if (!out)
		abort();
	r = cg_parse_proc_cgroup(buf, version, out, outsz);
	FUZZ_CHECK(r <= 0);
	if (r == 0) {
		FUZZ_CHECK(memchr(out, '\0', outsz) != NULL);
		FUZZ_CHECK(out[0] == '/');
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = { 0, 1, 2, 16, 4096 };
	char *buf = fuzz_cstr(data, size);

	struct cg_members *m;
	size_t took;

	for (int v = 0; v <= 3; v++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			one(buf, v, sizes[i]);

	/* Every PID taken is found; listed twice (as a moved process is), none is. */
	m = cg_members_new(UINT64_MAX);
	took = cg_members_parse(m, buf, "/a");
	FUZZ_CHECK(cg_members_count(m) <= took);
	for (const char *p = buf; took--; p = strchr(p, '\n') + 1) {
		const char *got = cg_members_lookup(m, (pid_t)atoi(p), 0);

		FUZZ_CHECK(got == NULL || strcmp(got, "/a") == 0);
		if (!strchr(p, '\n'))
			break;
	}
	cg_members_parse(m, buf, "/b");
	for (const char *p = buf; *p; p = strchr(p, '\n') + 1) {
		FUZZ_CHECK(cg_members_lookup(m, (pid_t)atoi(p), 0) == NULL);
		if (!strchr(p, '\n'))
			break;
	}
	cg_members_free(m);
	free(buf);
	return 0;
}
