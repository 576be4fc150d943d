/*
 * fuzz_replay.c - libFuzzer target for --replay: snapshot_from_json() reads
 * a recording line that anyone may have edited, and its snapshot goes to
 * the same writers as a live one.  Whatever the line, the snapshot it gives
 * is written as JSON that parses back, CSV with whole records and text
 * safe for a terminal; and that JSON reads back to a snapshot with the
 * same processes and cgroups.  The time and reason parsers get the input too.
 */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "outcheck.h"
#include "replay.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstr(data, size);
	struct snapshot *s = NULL, *again = NULL;
	struct timespec ts;
	char *json, *json2;
	size_t len, len2;
	int r;

	r = replay_parse_time(line, &ts);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	FUZZ_CHECK(r != 0 || (ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L));
	(void)replay_reason_err(line);

	/* Exactly size bytes, no NUL after them: the parser must respect len. */
	r = snapshot_from_json((const char *)data, size, &s);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOTSUP);
	if (r == 0) {
		FUZZ_CHECK(s != NULL);
		/* Every sort key in turn, chosen by the input's length. */
		json = check_formats(s, (enum sort_key)(size % SORT__COUNT), &len);

		/*
		 * What oomlens wrote reads back whole.  Not byte for byte in general: a
		 * hand-made line may hold a comm of raw invalid bytes that the writer
		 * escapes to four times its length, past the 63 bytes comm keeps.
		 */
		FUZZ_CHECK(snapshot_from_json(json, len, &again) == 0);
		FUZZ_CHECK(again->n_procs == s->n_procs && again->n_cgroups == s->n_cgroups);
		json2 = render(again, FMT_JSON, SORT_OOM_SCORE, &len2);
		check_json(json2, len2, s->n_procs);
		free(json2);
		free(json);
		snapshot_free(again);
		snapshot_free(s);
	}
	free(line);
	return 0;
}
