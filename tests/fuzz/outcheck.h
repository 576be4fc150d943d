/*
 * outcheck.h - checks of the batch writers' output that the output and
 * replay targets share: the JSON parses back strictly, every CSV record has
 * the header's number of fields, the text is safe for a terminal.
 */
#ifndef OOMLENS_FUZZ_OUTCHECK_H
#define OOMLENS_FUZZ_OUTCHECK_H

#include <json-c/json.h>

#include "fuzz.h"
#include "model.h"
#include "output.h"

/* Write s in fmt to a memory buffer; returns it (malloc'd) and its length. */
static char *
render(const struct snapshot *s, enum out_format fmt, enum sort_key k, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	FUZZ_CHECK(output_snapshot(f, s, fmt, k, true) == 0);
	fclose(f);
	return buf;
}

/* One JSON document per line, parsed strictly, with n processes. */
static void
check_json(const char *buf, size_t len, size_t n_procs)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o, *procs;

	FUZZ_CHECK(len > 0 && buf[len - 1] == '\n');
	FUZZ_CHECK(memchr(buf, '\n', len) == buf + len - 1);
	FUZZ_CHECK(fuzz_valid_utf8(buf, len));
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, buf, (int)len - 1);
	FUZZ_CHECK(o != NULL);
	FUZZ_CHECK(json_tokener_get_error(tok) == json_tokener_success);
	FUZZ_CHECK(json_object_object_get_ex(o, "processes", &procs));
	FUZZ_CHECK(json_object_array_length(procs) == n_procs);
	json_object_put(o);
	json_tokener_free(tok);
}

/* RFC 4180: every record has the header's number of fields, and there is one per process. */
static void
check_csv(const char *buf, size_t len, size_t n_procs)
{
	size_t fields = 1, want = 0, rows = 0;
	bool quoted = false;

	FUZZ_CHECK(fuzz_valid_utf8(buf, len));
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (quoted) {
			if (c == '"' && i + 1 < len && buf[i + 1] == '"')
				i++;
			else if (c == '"')
				quoted = false;
			continue;
		}
		FUZZ_CHECK(c == '\n' || (unsigned char)c >= 0x20);
		if (c == '"') {
			FUZZ_CHECK(i == 0 || buf[i - 1] == ',' || buf[i - 1] == '\n');
			quoted = true;
		} else if (c == ',') {
			fields++;
		} else if (c == '\n') {
			if (rows++ == 0)
				want = fields;
			FUZZ_CHECK(fields == want);
			fields = 1;
		}
	}
	FUZZ_CHECK(!quoted);
	FUZZ_CHECK(len == 0 || buf[len - 1] == '\n');
	FUZZ_CHECK(want == 22);
	FUZZ_CHECK(rows == n_procs + 1);
}

#endif
