/*
 * json.h - JSON over json-c, one way for every writer and reader: a struct
 * val is a number, "max", or null with its reason (the object's "unknown"
 * member maps the key to val_reason(); a key the cgroup version cannot
 * express is listed in "not_available").  Writers build with json-c
 * (jobj, jadd_*) or stream (jrow, jw_*: the same bytes as json-c's
 * JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE); replay reads
 * back with jin and jread_*.  Strings written are valid UTF-8 (textsafe).
 */
#ifndef OOMLENS_JSON_H
#define OOMLENS_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "model.h"

/* Writing with json-c --------------------------------------------------- */

/* An object being filled, and the explanations of its nulls. */
struct jobj {
	json_object *o;
	json_object *unknown; /* field -> reason */
	json_object *na;      /* fields this cgroup version cannot express */
};

/* A string that is valid UTF-8 whatever bytes the kernel handed over (NULL: ""). */
json_object *json_text(const char *s);
/* The same, or null when s is NULL or empty. */
json_object *json_text_or_null(const char *s);

struct jobj jobj_new(void);
/* Record why key is null. */
void jobj_explain(struct jobj *j, const char *key, struct val v);
/* Attach the explanations, if any, and return the object. */
json_object *jobj_done(struct jobj *j);
/* A member as it is (NULL: null, with no reason: for what is not a struct val). */
void jadd(struct jobj *j, const char *key, json_object *v);
/* A number, "max", or null with the reason kept. */
void jadd_val(struct jobj *j, const char *key, struct val v);
/* true/false for a known 0/1 value, else null with the reason kept. */
void jadd_bool(struct jobj *j, const char *key, struct val v);
void jadd_int(struct jobj *j, const char *key, int64_t n);
/* A string that may be missing (cmdline, cgroup): null with the reason of err. */
void jadd_text(struct jobj *j, const char *key, const char *text, int err);

/* Writing as a stream ---------------------------------------------------- */

/* A null member's explanation, kept until the row's end as jobj_explain() would. */
struct jrow_note {
	const char *key;
	struct val v;
};

/* One object being streamed to f: {.f = f, .first = true} after putc('{'). */
struct jrow {
	FILE *f;
	bool first;
	size_t n_notes;
	struct jrow_note notes[32];
};

/* s as a JSON string: valid UTF-8 first (textsafe), then json-c's escapes. */
void jw_str(FILE *f, const char *s);
/* "key": (keys are ours: plain ASCII with nothing to escape). */
void jw_key(struct jrow *r, const char *key);
void jw_int(struct jrow *r, const char *key, int64_t n);
void jw_uint(struct jrow *r, const char *key, uint64_t n);
/* The streamed jadd_val(), jadd_bool(), jadd_text(). */
void jw_val(struct jrow *r, const char *key, struct val v);
void jw_bool(struct jrow *r, const char *key, struct val v);
void jw_text(struct jrow *r, const char *key, const char *text, int err);
/* The streamed jobj_done(): the explanations, then '}'. */
void jw_done(struct jrow *r);
/* A json-c value as PLAIN text, then put (NULL: null). */
void jw_put_obj(FILE *f, json_object *o);

/* Reading ------------------------------------------------------------------ */

/* An object being read, with its explanations of nulls. */
struct jin {
	json_object *o;
	json_object *unknown; /* key -> reason */
	json_object *na;      /* keys this cgroup version cannot express */
};

/* The errno behind a reason val_reason() wrote; OL_EPARSE if none. */
int json_reason_err(const char *reason);

/* o (an object or NULL) with its "unknown" and "not_available" members. */
struct jin jin_of(json_object *o);
/* The member key of j, or NULL (absent or null). */
json_object *jget(const struct jin *j, const char *key);
/* The state of a null member: not available, or unknown with its reason. */
struct val jread_null(const struct jin *j, const char *key);
/* A number, "max", a boolean (0 or 1), or a null with its state. */
struct val jread_val(const struct jin *j, const char *key);
/* A plain integer member, or dflt. */
int64_t jread_int(const struct jin *j, const char *key, int64_t dflt);
/* An unsigned integer member (ticks), or 0. */
uint64_t jread_uint(const struct jin *j, const char *key);
/* A boolean member, or false. */
bool jread_bool(const struct jin *j, const char *key);
/* A string member, or NULL (absent, null or not a string). */
const char *jread_str(const struct jin *j, const char *key);

#endif
