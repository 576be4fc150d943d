/*
 * jget.c - pick fields out of oomlens's JSON, for the VM tests' shell
 * scripts (the guest has busybox but no python or jq).
 *
 *   jget FILE QUERY...
 *
 * FILE ('-' for standard input) holds one JSON document, or several (one a
 * line, as `oomlens -b -n N --format json` writes them): several documents
 * are queried as one array of them.  Each QUERY prints one line:
 *
 *   host.swap_total_kb                  a member
 *   cgroups[path=/vmt/a].limit_bytes    the first array element whose member
 *                                       has that text form
 *   processes[0].pid                    an array element by index
 *   cgroups#   oom_events[pid=42]#      '#' at the end: the number of
 *                                       elements of an array or object
 *
 * A string prints as its text (control characters as '?'), a number as
 * JSON writes it, true/false/null as such, an object or array as compact
 * JSON.  A query that finds nothing prints "<missing>" and a reason on
 * stderr.  Exit status: 0 all found, 3 some missing, 1 unreadable or
 * invalid input, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

/* The text form of a value, as a selector compares it and as it prints. */
static const char *
text_of(json_object *o)
{
	if (!o)
		return "null";
	switch (json_object_get_type(o)) {
	case json_type_string:
		return json_object_get_string(o);
	case json_type_object:
	case json_type_array:
		return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	default:
		return json_object_get_string(o);
	}
}

/* Read all of f into a NUL-terminated buffer. */
static char *
slurp(FILE *f, size_t *lenp)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Parse every document in buf; one is returned as is, several as an array. */
static json_object *
parse_all(const char *buf, size_t len, char *err, size_t errsz)
{
	json_tokener *tok = json_tokener_new();
	json_object *docs = json_object_new_array(), *root;
	size_t off = 0;

	if (!tok || !docs) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	for (;;) {
		json_object *o;
		enum json_tokener_error e;

		while (off < len && strchr(" \t\r\n", buf[off]))
			off++;
		if (off >= len)
			break;
		o = json_tokener_parse_ex(tok, buf + off, (int)(len - off));
		e = json_tokener_get_error(tok);
		if (e != json_tokener_success) {
			snprintf(err, errsz, "invalid JSON at byte %zu: %s", off,
				 e == json_tokener_continue ? "unexpected end of input"
							    : json_tokener_error_desc(e));
			json_tokener_free(tok);
			json_object_put(docs);
			return NULL;
		}
		off += json_tokener_get_parse_end(tok);
		json_tokener_reset(tok);
		json_object_array_add(docs, o);
	}
	json_tokener_free(tok);
	if (json_object_array_length(docs) == 0) {
		snprintf(err, errsz, "no JSON document in the input");
		json_object_put(docs);
		return NULL;
	}
	if (json_object_array_length(docs) == 1) {
		root = json_object_get(json_object_array_get_idx(docs, 0));
		json_object_put(docs);
		return root;
	}
	return docs;
}

/* Apply one [selector] to an array; false with a reason when nothing matches. */
static bool
select_elem(json_object **cur, const char *sel, size_t sel_len, char *why, size_t whysz)
{
	const char *eq = memchr(sel, '=', sel_len);
	size_t n;

	if (!*cur || json_object_get_type(*cur) != json_type_array) {
		snprintf(why, whysz, "[%.*s] applied to something that is not an array",
			 (int)sel_len, sel);
		return false;
	}
	n = json_object_array_length(*cur);
	if (!eq) {
		char *end;
		unsigned long i;

		errno = 0;
		i = strtoul(sel, &end, 10);
		if (errno || end != sel + sel_len || sel_len == 0) {
			snprintf(why, whysz, "bad selector [%.*s]", (int)sel_len, sel);
			return false;
		}
		if (i >= n) {
			snprintf(why, whysz, "index %lu beyond the %zu elements", i, n);
			return false;
		}
		*cur = json_object_array_get_idx(*cur, i);
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *el = json_object_array_get_idx(*cur, i), *m;
		char key[256];
		size_t klen = (size_t)(eq - sel);
		size_t vlen = sel_len - klen - 1;
		const char *t;

		if (klen >= sizeof(key))
			break;
		memcpy(key, sel, klen);
		key[klen] = '\0';
		if (!el || json_object_get_type(el) != json_type_object ||
		    !json_object_object_get_ex(el, key, &m))
			continue;
		t = text_of(m);
		if (strlen(t) == vlen && memcmp(t, eq + 1, vlen) == 0) {
			*cur = el;
			return true;
		}
	}
	snprintf(why, whysz, "no element with %.*s", (int)sel_len, sel);
	return false;
}

/* Walk the query from root; *out is the value found (NULL is JSON null). */
static bool
query(json_object *root, const char *q, json_object **out, bool *count, char *why, size_t whysz)
{
	json_object *cur = root;
	const char *p = q;

	*count = false;
	while (*p) {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '#' && p[1] == '\0') {
			*count = true;
			break;
		}
		if (*p == '[') {
			const char *close = strchr(p, ']');

			if (!close) {
				snprintf(why, whysz, "unclosed [ in the query");
				return false;
			}
			if (!select_elem(&cur, p + 1, (size_t)(close - p - 1), why, whysz))
				return false;
			p = close + 1;
			continue;
		}
		{
			size_t klen = strcspn(p, ".[#");
			char key[256];

			if (klen >= sizeof(key)) {
				snprintf(why, whysz, "key too long");
				return false;
			}
			memcpy(key, p, klen);
			key[klen] = '\0';
			if (!cur || json_object_get_type(cur) != json_type_object ||
			    !json_object_object_get_ex(cur, key, &cur)) {
				snprintf(why, whysz, "no key '%.200s'", key);
				return false;
			}
			p += klen;
		}
	}
	if (*count) {
		if (cur && json_object_get_type(cur) == json_type_array) {
			*out = json_object_new_int64((int64_t)json_object_array_length(cur));
		} else if (cur && json_object_get_type(cur) == json_type_object) {
			*out = json_object_new_int64(json_object_object_length(cur));
		} else {
			snprintf(why, whysz,
				 "# applied to something that is not an array or object");
			return false;
		}
		return true;
	}
	*out = cur;
	return true;
}

/* Print a text with control characters replaced, then a newline. */
static void
put_line(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	putchar('\n');
}

int
main(int argc, char **argv)
{
	json_object *root;
	char err[256];
	size_t len = 0;
	int status = 0;
	FILE *f;
	char *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: jget FILE QUERY...\n");
		return 2;
	}
	f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "jget: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	buf = slurp(f, &len);
	if (!buf) {
		fprintf(stderr, "jget: cannot read %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (f != stdin)
		fclose(f);
	root = parse_all(buf, len, err, sizeof(err));
	free(buf);
	if (!root) {
		fprintf(stderr, "jget: %s: %s\n", argv[1], err);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		json_object *v = NULL;
		bool count;

		if (!query(root, argv[i], &v, &count, err, sizeof(err))) {
			fprintf(stderr, "jget: %s: %s\n", argv[i], err);
			puts("<missing>");
			status = 3;
			continue;
		}
		put_line(text_of(v));
		if (count)
			json_object_put(v);
	}
	json_object_put(root);
	return fflush(stdout) == 0 ? status : 1;
}
