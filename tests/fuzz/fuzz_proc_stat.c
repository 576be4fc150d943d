/*
 * fuzz_proc_stat.c - libFuzzer target for parse_proc_stat(): comm between
 * the first '(' and the last ')' may hold anything, and the result must be
 * a terminated comm and a positive pid, or -EINVAL.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_cstr(data, size);
	struct stat_fields st;
	int r = parse_proc_stat(buf, &st);

	FUZZ_CHECK(r == 0 || r == -EINVAL);
	FUZZ_CHECK(memchr(st.comm, '\0', sizeof(st.comm)) != NULL);
	if (r == 0) {
		FUZZ_CHECK(st.pid > 0);
		FUZZ_CHECK(st.ppid >= 0);
		FUZZ_CHECK(st.state != '\0');
	}
	free(buf);
	return 0;
}
