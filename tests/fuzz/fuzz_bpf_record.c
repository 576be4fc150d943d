/*
 * fuzz_bpf_record.c - libFuzzer target for bpf_rec_decode(), the bpf
 * collector's record decoder: any bytes as an iterator's output.  Every
 * accepted record leaves a NUL-terminated comm, a /proc state letter or
 * '?', sizes that are known and not negative or unknown with a reason, and
 * the offset moved by exactly one record; a refused one moves nothing.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "bpf_record.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	for (;;) {
		struct bpf_rec_extra x;
		struct proc p;
		size_t before = off;
		int r = bpf_rec_decode(data, size, &off, 100, 4096, &p, &x);

		FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENODATA);
		if (r < 0) {
			FUZZ_CHECK(off == before);
			FUZZ_CHECK(r != -ENODATA || off >= size);
			break;
		}
		FUZZ_CHECK(off == before + sizeof(struct ol_bpf_rec) && off <= size);
		FUZZ_CHECK(!p.comm_long && memchr(p.comm_short, '\0', sizeof(p.comm_short)) != NULL);
		FUZZ_CHECK(p.pid > 0 && p.ppid >= 0 && p.cg == -1);
		FUZZ_CHECK(strchr("RSDTtXZPI?", p.state) != NULL && p.state != '\0');
		FUZZ_CHECK(val_is_ok(p.uid) && val_is_ok(p.oom_score_adj));
		FUZZ_CHECK(p.cap_sys_admin.v == 0 || p.cap_sys_admin.v == 1);
		if (val_is_ok(p.rss_kb))
			FUZZ_CHECK(p.rss_kb.v >= 0 && p.pgtables_kb.v >= 0);
		else
			FUZZ_CHECK(p.rss_kb.err == OL_EMISSING || p.rss_kb.err == OL_EPARSE);
	}
	/* The same bytes as the command-line iterator's output. */
	for (off = 0;;) {
		struct bpf_cmdline c;
		size_t before = off;
		int r = bpf_cmd_decode(data, size, &off, 100, &c);

		FUZZ_CHECK(r == 0 || r == -EINVAL || r == -EAGAIN || r == -ENODATA);
		if (r < 0) {
			FUZZ_CHECK(off == before);
			break;
		}
		FUZZ_CHECK(off > before && off <= size && c.len <= OL_BPF_CMD_MAX);
		FUZZ_CHECK(c.bytes >= (const char *)data && c.bytes + c.len <= (const char *)data + size);
	}
	return 0;
}
