/*
 * fuzz_kmsg.c - libFuzzer target for the kernel log: /dev/kmsg records
 * (kmsg_parse_record, kmsg_unescape) and the OOM report parser
 * (oom_parser_feed) fed with their messages, as the collector does, and
 * with the raw lines, so report lines without a record prefix reach it too.
 * Each newline-separated line is one record.  The counter reconciliation
 * (oomlog_missed) gets the first bytes as numbers.
 */
#include "config.h"

#include <errno.h>

#include "events.h"
#include "fuzz.h"

/* Feed one message; check and release any event it completes. */
static void
feed(struct oom_parser *p, const char *msg, size_t len)
{
	struct oom_event ev, copy;
	int r;

	memset(&ev, 0, sizeof(ev));
	r = oom_parser_feed(p, msg, len, &ev);
	FUZZ_CHECK(r == 0 || r == 1);
	if (r != 1)
		return;
	FUZZ_CHECK(memchr(ev.comm, '\0', sizeof(ev.comm)) != NULL);
	FUZZ_CHECK(p->n_rows <= OOM_PARSER_ROWS);
	FUZZ_CHECK(p->n_killed <= sizeof(p->killed) / sizeof(p->killed[0]));
	oom_event_copy(&copy, &ev);
	FUZZ_CHECK((ev.cgroup == NULL) == (copy.cgroup == NULL));
	FUZZ_CHECK(!ev.cgroup || strcmp(ev.cgroup, copy.cgroup) == 0);
	FUZZ_CHECK((ev.constraint == NULL) == (copy.constraint == NULL));
	oom_event_clear(&copy);
	oom_event_clear(&ev);
	FUZZ_CHECK(ev.cgroup == NULL && ev.constraint == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oom_parser *rec = malloc(sizeof(*rec));
	struct oom_parser *raw = malloc(sizeof(*raw));
	struct fuzz_in in = { data, size };
	uint64_t credit = fuzz_u64(&in), rise = fuzz_u64(&in), seen = fuzz_u64(&in);
	size_t off = 0;

	if (!rec || !raw)
		abort();
	FUZZ_CHECK(oomlog_missed(rise, seen, &credit) <= rise);

	oom_parser_init(rec);
	oom_parser_init(raw);
	while (off < size) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
		uint8_t *line = malloc(len); /* exact size, no NUL: ASan sees overreads */
		struct kmsg_record r;
		size_t outsz = len % 97;
		char *out = malloc(outsz ? outsz : 1);
		size_t n;

		if (!line || !out)
			abort();
		memcpy(line, data + off, len);
		if (kmsg_parse_record((const char *)line, len, &r) == 0) {
			FUZZ_CHECK(r.msg >= (const char *)line);
			FUZZ_CHECK(r.msg + r.msg_len <= (const char *)line + len);
			n = kmsg_unescape(out, outsz, r.msg, r.msg_len);
			if (outsz) {
				FUZZ_CHECK(n < outsz);
				FUZZ_CHECK(out[n] == '\0');
			}
			feed(rec, r.msg, r.msg_len);
		}
		feed(raw, (const char *)line, nl ? len - 1 : len);
		free(out);
		free(line);
		off += len;
	}
	free(raw);
	free(rec);
	return 0;
}
