/*
 * json.c - JSON over json-c, one way for every writer and reader (json.h):
 * a struct val is a number, "max", or null with its reason in the object's
 * "unknown" member (or its key in "not_available"), whether the object is
 * built with json-c (jobj, jadd_*) or streamed (jrow, jw_*), and replay
 * reads it back the same way (jin, jread_*).
 */
#include "config.h"

#include "json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textsafe.h"
#include "util.h"

/* Writing with json-c --------------------------------------------------- */

/* A string that is valid UTF-8 whatever bytes the kernel handed over (NULL: ""). */
json_object *
json_text(const char *s)
{
	char *safe = text_escape_invalid_dup(s ? s : "");
	json_object *o = json_object_new_string(safe);

	free(safe);
	return o;
}

/* Start an object. */
struct jobj
jobj_new(void)
{
	return (struct jobj){.o = json_object_new_object()};
}

/* Record why key is null. */
void
jobj_explain(struct jobj *j, const char *key, struct val v)
{
	if (v.state == VAL_NA) {
		if (!j->na)
			j->na = json_object_new_array();
		json_object_array_add(j->na, json_object_new_string(key));
		return;
	}
	if (!j->unknown)
		j->unknown = json_object_new_object();
	json_object_object_add(j->unknown, key, json_object_new_string(val_reason(v)));
}

/* Finish an object: attach the explanations, if any, and return it. */
json_object *
jobj_done(struct jobj *j)
{
	if (j->unknown)
		json_object_object_add(j->o, "unknown", j->unknown);
	if (j->na)
		json_object_object_add(j->o, "not_available", j->na);
	return j->o;
}

/* A number, "max", or null with the reason kept. */
void
jadd_val(struct jobj *j, const char *key, struct val v)
{
	switch (v.state) {
	case VAL_OK:
		json_object_object_add(j->o, key, json_object_new_int64(v.v));
		break;
	case VAL_MAX:
		json_object_object_add(j->o, key, json_object_new_string("max"));
		break;
	default:
		json_object_object_add(j->o, key, NULL);
		jobj_explain(j, key, v);
		break;
	}
}

/* true/false for a known 0/1 value, else null with the reason kept. */
void
jadd_bool(struct jobj *j, const char *key, struct val v)
{
	if (v.state == VAL_OK) {
		json_object_object_add(j->o, key, json_object_new_boolean(v.v != 0));
	} else {
		json_object_object_add(j->o, key, NULL);
		jobj_explain(j, key, v);
	}
}

/* A plain integer. */
void
jadd_int(struct jobj *j, const char *key, int64_t n)
{
	json_object_object_add(j->o, key, json_object_new_int64(n));
}

/* A string, or null when NULL or empty. */
json_object *
json_text_or_null(const char *s)
{
	return s && s[0] ? json_text(s) : NULL;
}

/* A member as it is (NULL: null). */
void
jadd(struct jobj *j, const char *key, json_object *v)
{
	json_object_object_add(j->o, key, v);
}

/* A string field that may be missing (cmdline, cgroup), with its errno. */
void
jadd_text(struct jobj *j, const char *key, const char *text, int err)
{
	if (text) {
		json_object_object_add(j->o, key, json_text(text));
	} else {
		json_object_object_add(j->o, key, NULL);
		jobj_explain(j, key, val_unknown(err));
	}
}

/* Writing as a stream ---------------------------------------------------- */

/* s as a JSON string: valid UTF-8 first (textsafe), then json-c's escapes. */
void
jw_str(FILE *f, const char *s)
{
	char buf[4 * 4096 + 64];
	char *dup = NULL;
	const char *p, *run;
	size_t len = strlen(s);

	if (!text_valid_utf8(s, len)) {
		if (text_escape_invalid(buf, sizeof(buf), s, len) < sizeof(buf)) {
			s = buf;
		} else {
			dup = text_escape_invalid_dup(s);
			s = dup;
		}
	}
	putc('"', f);
	for (p = run = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite(run, 1, (size_t)(p - run), f);
		run = p + 1;
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u00%c%c", "0123456789abcdef"[c >> 4],
				 "0123456789abcdef"[c & 0xf]);
			fputs(esc, f);
			break;
		}
	}
	fwrite(run, 1, (size_t)(p - run), f);
	putc('"', f);
	free(dup);
}

/*
 * A row is tens of thousands of members at 5,000 processes: each member goes
 * out in one fwrite() of its key and value put together here, not three or
 * four stdio calls and a printf() (a quarter of a batch snapshot's CPU).
 */
#define JW_KEY_MAX 96

/* ,"key": into buf (JW_KEY_MAX + 32 bytes), its length; 0 when the key was too long and is written already. */
static size_t
jw_key_into(struct jrow *r, char *buf, const char *key)
{
	size_t n = 0, len = strlen(key);

	if (len > JW_KEY_MAX) {
		jw_key(r, key);
		return 0;
	}
	if (!r->first)
		buf[n++] = ',';
	r->first = false;
	buf[n++] = '"';
	memcpy(buf + n, key, len);
	n += len;
	buf[n++] = '"';
	buf[n++] = ':';
	return n;
}

/* "key": then the literal lit. */
static void
jw_lit(struct jrow *r, const char *key, const char *lit)
{
	char buf[JW_KEY_MAX + 32];
	size_t n = jw_key_into(r, buf, key), len = strlen(lit);

	memcpy(buf + n, lit, len);
	fwrite(buf, 1, n + len, r->f);
}

/* "key": then the decimal number (the bytes of printf's %PRId64 or %PRIu64). */
static void
jw_num(struct jrow *r, const char *key, uint64_t mag, bool neg)
{
	char buf[JW_KEY_MAX + 32], digits[24];
	char *end = digits + sizeof(digits), *p = end;
	size_t n = jw_key_into(r, buf, key);

	do {
		*--p = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	if (neg)
		*--p = '-';
	memcpy(buf + n, p, (size_t)(end - p));
	fwrite(buf, 1, n + (size_t)(end - p), r->f);
}

/* "key": (keys are ours: plain ASCII with nothing to escape). */
void
jw_key(struct jrow *r, const char *key)
{
	char buf[JW_KEY_MAX + 32];

	if (strlen(key) <= JW_KEY_MAX) {
		fwrite(buf, 1, jw_key_into(r, buf, key), r->f);
		return;
	}
	if (!r->first)
		putc(',', r->f);
	r->first = false;
	putc('"', r->f);
	fputs(key, r->f);
	fputs("\":", r->f);
}

void
jw_int(struct jrow *r, const char *key, int64_t n)
{
	jw_num(r, key, n < 0 ? -(uint64_t)n : (uint64_t)n, n < 0);
}

void
jw_uint(struct jrow *r, const char *key, uint64_t n)
{
	jw_num(r, key, n, false);
}

static void
jw_note(struct jrow *r, const char *key, struct val v)
{
	if (r->n_notes < ARRAY_SIZE(r->notes))
		r->notes[r->n_notes++] = (struct jrow_note){.key = key, .v = v};
}

/* The streamed jadd_val(). */
void
jw_val(struct jrow *r, const char *key, struct val v)
{
	switch (v.state) {
	case VAL_OK:
		jw_int(r, key, v.v);
		break;
	case VAL_MAX:
		jw_lit(r, key, "\"max\"");
		break;
	default:
		jw_lit(r, key, "null");
		jw_note(r, key, v);
		break;
	}
}

/* The streamed jadd_bool(). */
void
jw_bool(struct jrow *r, const char *key, struct val v)
{
	if (v.state == VAL_OK) {
		jw_lit(r, key, v.v ? "true" : "false");
	} else {
		jw_lit(r, key, "null");
		jw_note(r, key, v);
	}
}

/* The streamed jadd_text(). */
void
jw_text(struct jrow *r, const char *key, const char *text, int err)
{
	if (text) {
		jw_key(r, key);
		jw_str(r->f, text);
	} else {
		jw_lit(r, key, "null");
		jw_note(r, key, val_unknown(err));
	}
}

/* The streamed jobj_done(): "unknown" then "not_available", as jobj_explain() sorts them. */
void
jw_done(struct jrow *r)
{
	bool any = false;

	for (size_t i = 0; i < r->n_notes; i++) {
		if (r->notes[i].v.state == VAL_NA)
			continue;
		fputs(any ? "," : ",\"unknown\":{", r->f);
		any = true;
		jw_str(r->f, r->notes[i].key);
		putc(':', r->f);
		jw_str(r->f, val_reason(r->notes[i].v));
	}
	if (any)
		putc('}', r->f);
	any = false;
	for (size_t i = 0; i < r->n_notes; i++) {
		if (r->notes[i].v.state != VAL_NA)
			continue;
		fputs(any ? "," : ",\"not_available\":[", r->f);
		any = true;
		jw_str(r->f, r->notes[i].key);
	}
	if (any)
		putc(']', r->f);
	putc('}', r->f);
}

/* A json-c value as PLAIN text, then put (NULL: null). */
void
jw_put_obj(FILE *f, json_object *o)
{
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE),
	      f);
	json_object_put(o);
}

/* Reading ------------------------------------------------------------------ */

int
json_reason_err(const char *reason)
{
	static const struct {
		const char *text;
		int err;
	} own[] = {
	    {"not collected", 0},
	    {"unparsable", OL_EPARSE},
	    {"not reported by this kernel", OL_EMISSING},
	    {"does not apply", OL_ENOTAPPL},
	    {"not compared (bpf collector)", OL_ENOTCMP},
	};
	int e;

	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		if (strcmp(reason, own[i].text) == 0)
			return own[i].err;
	for (e = 1; e < 200; e++)
		if (strcmp(reason, strerror(e)) == 0)
			return e;
	if (sscanf(reason, "Unknown error %d", &e) == 1 && e > 0 && e < INT16_MAX)
		return e;
	return OL_EPARSE;
}

/* o (an object or NULL) with its "unknown" and "not_available" members. */
struct jin
jin_of(json_object *o)
{
	struct jin j = {.o = json_object_is_type(o, json_type_object) ? o : NULL};
	json_object *u, *n;

	if (j.o && json_object_object_get_ex(j.o, "unknown", &u) &&
	    json_object_is_type(u, json_type_object))
		j.unknown = u;
	if (j.o && json_object_object_get_ex(j.o, "not_available", &n) &&
	    json_object_is_type(n, json_type_array))
		j.na = n;
	return j;
}

/* The member key of j, or NULL (absent or null). */
json_object *
jget(const struct jin *j, const char *key)
{
	json_object *v = NULL;

	if (!j->o || !json_object_object_get_ex(j->o, key, &v))
		return NULL;
	return v;
}

/* The state of a null member: not available, or unknown with its reason. */
struct val
jread_null(const struct jin *j, const char *key)
{
	json_object *r;

	if (j->na) {
		size_t n = json_object_array_length(j->na);

		for (size_t i = 0; i < n; i++) {
			const char *k = json_object_get_string(json_object_array_get_idx(j->na, i));

			if (k && strcmp(k, key) == 0)
				return val_na();
		}
	}
	if (j->unknown && json_object_object_get_ex(j->unknown, key, &r) &&
	    json_object_is_type(r, json_type_string))
		return val_unknown(json_reason_err(json_object_get_string(r)));
	return val_unknown(0);
}

/* A number, "max", a boolean (0 or 1), or a null with its state. */
struct val
jread_val(const struct jin *j, const char *key)
{
	json_object *v = jget(j, key);

	if (!v)
		return jread_null(j, key);
	switch (json_object_get_type(v)) {
	case json_type_int:
		return val_ok(json_object_get_int64(v));
	case json_type_boolean:
		return val_ok(json_object_get_boolean(v) ? 1 : 0);
	case json_type_string:
		if (strcmp(json_object_get_string(v), "max") == 0)
			return val_max();
		return val_unknown(OL_EPARSE);
	default:
		return val_unknown(OL_EPARSE);
	}
}

/* A plain integer member, or dflt. */
int64_t
jread_int(const struct jin *j, const char *key, int64_t dflt)
{
	json_object *v = jget(j, key);

	return json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : dflt;
}

/* An unsigned integer member (ticks), or 0. */
uint64_t
jread_uint(const struct jin *j, const char *key)
{
	json_object *v = jget(j, key);

	if (!json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_uint64(v);
}

/* A boolean member, or false. */
bool
jread_bool(const struct jin *j, const char *key)
{
	json_object *v = jget(j, key);

	return json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* A string member, or NULL (absent, null or not a string). */
const char *
jread_str(const struct jin *j, const char *key)
{
	json_object *v = jget(j, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}
