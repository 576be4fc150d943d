/*
 * val_assert.h - cmocka checks of a struct val (model.h), each failure
 * naming what the value was instead.  Include after <cmocka.h>.
 */
#ifndef OOMLENS_TEST_VAL_ASSERT_H
#define OOMLENS_TEST_VAL_ASSERT_H

#include "model.h"

/* A number, equal to want. */
static inline void
assert_val(struct val v, int64_t want)
{
	if (v.state != VAL_OK)
		fail_msg("state %d err %d, want the number %lld", v.state, v.err, (long long)want);
	assert_int_equal(v.v, want);
}

/* Unknown, with the reason the arithmetic or the reader must have carried through. */
static inline void
assert_unknown(struct val v, int err)
{
	if (v.state != VAL_UNKNOWN)
		fail_msg("state %d (value %lld), want unknown (err %d)", v.state, (long long)v.v,
			 err);
	assert_int_equal(v.err, err);
}

#endif
