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
	FUZZ_CHECK(want == 23); /* the process keys, then the time */
	FUZZ_CHECK(rows == n_procs + 1);
}

/* A Prometheus metric or label name: [a-zA-Z_:][a-zA-Z0-9_:]* (no ':' in label names). */
static const char *
prom_name(const char *p, const char *end, bool label)
{
	const char *q = p;

	while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '_' ||
			   (!label && *q == ':') || (q > p && *q >= '0' && *q <= '9')))
		q++;
	FUZZ_CHECK(q > p);
	return q;
}

/*
 * The text exposition format: valid UTF-8; each line a "# HELP" or "# TYPE"
 * comment or `name{label="value",...} number`, label values escaped (only
 * \\, \" and \n after a backslash), nothing after the number.
 */
static void
check_prom(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	FUZZ_CHECK(fuzz_valid_utf8(buf, len));
	FUZZ_CHECK(len == 0 || buf[len - 1] == '\n');
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		char num[64];
		size_t n;

		FUZZ_CHECK(eol != NULL);
		if (*p == '#') {
			FUZZ_CHECK(strncmp(p, "# HELP ", 7) == 0 || strncmp(p, "# TYPE ", 7) == 0);
			for (const char *q = p; q < eol; q++)
				FUZZ_CHECK((unsigned char)*q >= 0x20 && *q != 0x7f);
			p = eol + 1;
			continue;
		}
		p = prom_name(p, eol, false);
		if (p < eol && *p == '{') {
			p++;
			while (p < eol && *p != '}') {
				p = prom_name(p, eol, true);
				FUZZ_CHECK(p + 1 < eol && p[0] == '=' && p[1] == '"');
				for (p += 2; p < eol && *p != '"'; p++) {
					FUZZ_CHECK((unsigned char)*p >= 0x20 || (*p & 0x80));
					if (*p == '\\') {
						p++;
						FUZZ_CHECK(p < eol && (*p == '\\' || *p == '"' || *p == 'n'));
					}
				}
				FUZZ_CHECK(p < eol && *p == '"');
				p++;
				if (p < eol && *p == ',')
					p++;
			}
			FUZZ_CHECK(p < eol && *p == '}');
			p++;
		}
		FUZZ_CHECK(p < eol && *p == ' ');
		p++;
		n = (size_t)(eol - p);
		FUZZ_CHECK(n > 0 && n < sizeof(num));
		memcpy(num, p, n);
		num[n] = '\0';
		if (strcmp(num, "NaN") != 0 && strcmp(num, "+Inf") != 0 && strcmp(num, "-Inf") != 0) {
			char *e;

			(void)strtod(num, &e);
			FUZZ_CHECK(*e == '\0');
		}
		p = eol + 1;
	}
}

/*
 * s in all four formats, sorted by k, each checked; the JSON is handed back
 * (malloc'd, its length in *json_len) for a caller that reads it again.
 */
static char *
check_formats(const struct snapshot *s, enum sort_key k, size_t *json_len)
{
	char *json = render(s, FMT_JSON, k, json_len);
	char *buf;
	size_t len;

	check_json(json, *json_len, s->n_procs);
	buf = render(s, FMT_CSV, k, &len);
	check_csv(buf, len, s->n_procs);
	free(buf);
	buf = render(s, FMT_PROMETHEUS, k, &len);
	check_prom(buf, len);
	free(buf);
	buf = render(s, FMT_TEXT, k, &len);
	FUZZ_CHECK(fuzz_terminal_safe(buf, len, true));
	free(buf);
	return json;
}

#endif
