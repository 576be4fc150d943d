/*
 * fuzz.h - helpers the libFuzzer targets share: the fuzzer's bytes as a
 * NUL-terminated string, a reader that turns them into typed fields, and
 * independent checks of the output invariants (valid UTF-8, no control
 * bytes) that abort() when violated, so libFuzzer and the regression driver
 * both report them as crashes.  Header-only: each target is one program.
 */
#ifndef OOMLENS_FUZZ_H
#define OOMLENS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken invariant and abort, so the input is kept as a crash. */
#define FUZZ_CHECK(cond)                                                               \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,     \
				__LINE__, #cond);                                      \
			abort();                                                       \
		}                                                                      \
	} while (0)

/* A malloc'd copy of data with a NUL after it: exactly size + 1 bytes, so ASan sees overreads. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Split at the first newline: *key gets the first line (malloc'd), the rest is returned. */
static inline char *
fuzz_split(const uint8_t *data, size_t size, char **key)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t klen = nl ? (size_t)(nl - data) : size;
	size_t rest = nl ? size - klen - 1 : 0;

	*key = fuzz_cstr(data, klen);
	return fuzz_cstr(nl ? nl + 1 : data + size, rest);
}

/* A cursor over the fuzzer's bytes; reads past the end give zeros. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t
fuzz_u8(struct fuzz_in *in)
{
	uint8_t b;

	if (!in->left)
		return 0;
	b = *in->p++;
	in->left--;
	return b;
}

static inline uint64_t
fuzz_u64(struct fuzz_in *in)
{
	uint64_t x = 0;

	for (int i = 0; i < 8; i++)
		x = x << 8 | fuzz_u8(in);
	return x;
}

/* A NUL-terminated string of at most max bytes (a length byte, then the bytes). */
static inline char *
fuzz_str(struct fuzz_in *in, size_t max)
{
	size_t n = fuzz_u8(in);
	char *s;

	if (n > 200)
		n = (n - 200) * 100; /* now and then a long one */
	if (n > max)
		n = max;
	if (n > in->left)
		n = in->left;
	s = fuzz_cstr(in->p, n);
	in->p += n;
	in->left -= n;
	return s;
}

/*
 * Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF),
 * written independently of textsafe.c so the two check each other.
 * Returns the length of the sequence at p and its code point, or 0.
 */
static inline size_t
fuzz_utf8_seq(const unsigned char *p, size_t left, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		n = 2, c = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3, c = p[0] & 0x0f, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4, c = p[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Is s[0..n) valid UTF-8? */
static inline bool
fuzz_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = fuzz_utf8_seq(p + i, n - i, &cp);

		if (!k)
			return false;
		i += k;
	}
	return true;
}

/*
 * Safe for a terminal: valid UTF-8, and no C0 control (allow_nl: but
 * newline), DEL, C1 control, bidirectional control or line separator.
 */
static inline bool
fuzz_terminal_safe(const char *s, size_t n, bool allow_nl)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		size_t k = fuzz_utf8_seq(p + i, n - i, &c);

		if (!k)
			return false;
		if ((c < 0x20 && !(allow_nl && c == '\n')) || c == 0x7f || (c >= 0x80 && c <= 0x9f))
			return false;
		if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
		    c == 0x200f || c == 0x061c || c == 0x2028 || c == 0x2029)
			return false;
		i += k;
	}
	return true;
}

#endif
