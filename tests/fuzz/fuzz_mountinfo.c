/*
 * fuzz_mountinfo.c - libFuzzer target for cg_parse_mountinfo(): octal
 * escapes, missing separators and absurd lengths in /proc/self/mountinfo.
 */
#include "config.h"

#include <errno.h>

#include "cgroup.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_cstr(data, size);
	struct cg_mount *m = malloc(sizeof(*m));
	int r;

	if (!m)
		abort();
	r = cg_parse_mountinfo(buf, m);
	FUZZ_CHECK(r <= 0);
	FUZZ_CHECK(memchr(m->mount, '\0', sizeof(m->mount)) != NULL);
	FUZZ_CHECK(memchr(m->root, '\0', sizeof(m->root)) != NULL);
	if (r == 0)
		FUZZ_CHECK(m->version == 1 || m->version == 2);
	else
		FUZZ_CHECK(m->version == 0 && m->err == -r);
	free(m);
	free(buf);
	return 0;
}
