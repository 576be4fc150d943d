/*
 * textsafe.h - make hostile text safe to show: process names, command lines
 * and cgroup paths may hold any byte but NUL, and must never reach a
 * terminal, a CSV row or a JSON string as they are.
 *
 * Pure functions over a buffer; nothing here allocates except the *_dup
 * helpers, and nothing knows about curses, JSON or the model.
 */
#ifndef OOMLENS_TEXTSAFE_H
#define OOMLENS_TEXTSAFE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Printable, valid UTF-8 for a terminal or a CSV field.  Valid printable
 * multibyte UTF-8 is kept; \a \b \t \n \v \f \r and the backslash become
 * C escapes; other C0 controls, DEL and bytes that are not valid UTF-8
 * become \xNN; C1 controls, bidirectional overrides and isolates
 * (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C) and the line and
 * paragraph separators (U+2028, U+2029) become \u{NNNN}.
 *
 * Writes at most outsz bytes including the NUL, never cutting an escape or
 * a character in half, and returns the length the whole result needs (as
 * snprintf does), so out may be NULL when outsz is 0.
 */
size_t text_escape(char *out, size_t outsz, const char *in, size_t inlen);

/*
 * Valid UTF-8 for a JSON string: only NUL and bytes that are not valid
 * UTF-8 become \xNN; everything else is kept for the JSON encoder to quote.
 * Same buffer rules and return value as text_escape().
 */
size_t text_escape_invalid(char *out, size_t outsz, const char *in, size_t inlen);

/* text_escape() of a NUL-terminated string into a new string (never NULL). */
char *text_escape_dup(const char *in);

/* text_escape_invalid() of a NUL-terminated string into a new string (never NULL). */
char *text_escape_invalid_dup(const char *in);

/* Whether inlen bytes are valid UTF-8 throughout. */
bool text_valid_utf8(const char *in, size_t inlen);

#endif
