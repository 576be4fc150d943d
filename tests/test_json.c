/*
 * test_json.c - the one JSON module (src/json.c, issue 15): an unknown value
 * is null with its reason in "unknown" whoever writes it (output.c's
 * objects, the stream, events_out.c's events, trends and fits), the stream
 * gives json-c's bytes, and the reader gets the reason back.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "events_out.h"
#include "json.h"
#include "util.h"

/* The reason member "unknown" of o gives for key, or NULL. */
static const char *
reason_of(json_object *o, const char *key)
{
	json_object *u, *r;

	if (!json_object_object_get_ex(o, "unknown", &u) || !json_object_object_get_ex(u, key, &r))
		return NULL;
	return json_object_get_string(r);
}

/* A member that is there and null. */
static void
assert_null_member(json_object *o, const char *key)
{
	json_object *v = (json_object *)1;

	assert_true(json_object_object_get_ex(o, key, &v));
	assert_null(v);
}

static void
test_jobj_keeps_reasons(void **state)
{
	struct jobj j = jobj_new();
	json_object *o;

	(void)state;
	jadd_val(&j, "a", val_ok(7));
	jadd_val(&j, "b", val_max());
	jadd_val(&j, "c", val_unknown(EACCES));
	jadd_bool(&j, "d", val_unknown(OL_EMISSING));
	jadd_text(&j, "e", NULL, ESRCH);
	jadd_val(&j, "f", val_na());
	o = jobj_done(&j);
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			    "{\"a\":7,\"b\":\"max\",\"c\":null,\"d\":null,\"e\":null,\"f\":null,"
			    "\"unknown\":{\"c\":\"Permission denied\",\"d\":\"not reported by this "
			    "kernel\",\"e\":\"No such process\"},\"not_available\":[\"f\"]}");
	json_object_put(o);
}

/* The streamed row gives the bytes json-c gives for the same members. */
static void
test_stream_is_json_c(void **state)
{
	struct jobj j = jobj_new();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jrow r = {.f = f, .first = true};
	json_object *o;

	(void)state;
	assert_non_null(f);
	jadd_int(&j, "n", -3);
	jadd_val(&j, "v", val_unknown(OL_EPARSE));
	jadd_text(&j, "t", "a\"b\n\xff", 0);
	jadd_val(&j, "x", val_na());
	o = jobj_done(&j);
	putc('{', f);
	jw_int(&r, "n", -3);
	jw_val(&r, "v", val_unknown(OL_EPARSE));
	jw_text(&r, "t", "a\"b\n\xff", 0);
	jw_val(&r, "x", val_na());
	jw_done(&r);
	fclose(f);
	assert_string_equal(buf, json_object_to_json_string_ext(
				     o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	free(buf);
}

/* What the writer explained, the reader gets back. */
static void
test_reader_round_trip(void **state)
{
	struct jobj j = jobj_new();
	json_object *o;
	struct jin in;
	struct val v;

	(void)state;
	jadd_val(&j, "c", val_unknown(EACCES));
	jadd_val(&j, "f", val_na());
	jadd_val(&j, "m", val_max());
	o = jobj_done(&j);
	in = jin_of(o);
	v = jread_val(&in, "c");
	assert_int_equal(v.state, VAL_UNKNOWN);
	assert_int_equal(v.err, EACCES);
	assert_int_equal(jread_val(&in, "f").state, VAL_NA);
	assert_int_equal(jread_val(&in, "m").state, VAL_MAX);
	assert_int_equal(jread_val(&in, "absent").state, VAL_UNKNOWN);
	assert_int_equal(json_reason_err("gremlins"), OL_EPARSE);
	json_object_put(o);
}

/* events_out.c's objects: an unknown rss_kb, time to limit or fits size keeps its reason. */
static void
test_events_out_reasons(void **state)
{
	struct oom_event e = {.source = OOM_SRC_COUNTER, .count = 1};
	struct trend t = {.steady = true, .samples = 3};
	json_object *o;

	(void)state;
	e.rss_kb = val_unknown(OL_EMISSING);
	e.oom_score_adj = val_unknown(OL_EMISSING);
	o = oom_event_json(&e);
	assert_null_member(o, "rss_kb");
	assert_null_member(o, "oom_score_adj");
	assert_non_null(reason_of(o, "rss_kb"));
	assert_string_equal(reason_of(o, "rss_kb"), "not reported by this kernel");
	assert_string_equal(reason_of(o, "oom_score_adj"), "not reported by this kernel");
	json_object_put(o);

	t.seconds_to_limit = val_unknown(OL_ENOTAPPL);
	o = trend_json(&t);
	assert_null_member(o, "seconds_to_limit");
	assert_non_null(reason_of(o, "seconds_to_limit"));
	assert_string_equal(reason_of(o, "seconds_to_limit"), "does not apply");
	json_object_put(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jobj_keeps_reasons),
	    cmocka_unit_test(test_stream_is_json_c),
	    cmocka_unit_test(test_reader_round_trip),
	    cmocka_unit_test(test_events_out_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
