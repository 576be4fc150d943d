/*
 * textsafe.c - escaping of hostile text (comm, cmdline, cgroup paths) for
 * terminals, CSV and JSON.  It owns the UTF-8 validation rules of oomlens;
 * it must stay pure: no I/O, no locale, no curses.
 */
#include "config.h"

#include "textsafe.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Where escaped text goes: a bounded buffer that stops at the first piece that does not fit. */
struct sink {
	char *out;
	size_t size;
	size_t need; /* bytes the whole result needs */
	size_t used; /* bytes written */
	bool full;
};

/* Append n bytes, or nothing once a piece has not fitted. */
static void
sink_put(struct sink *k, const char *s, size_t n)
{
	if (!k->full && k->size > 0 && k->used + n < k->size) {
		memcpy(k->out + k->used, s, n);
		k->used += n;
	} else {
		k->full = true;
	}
	k->need += n;
}

/* Append one byte as \xNN. */
static void
sink_hex(struct sink *k, unsigned char c)
{
	char buf[5];

	snprintf(buf, sizeof(buf), "\\x%02x", c);
	sink_put(k, buf, 4);
}

/* Terminate the buffer and return the length the whole result needs. */
static size_t
sink_end(struct sink *k)
{
	if (k->size > 0)
		k->out[k->used] = '\0';
	return k->need;
}

/*
 * The length of the valid UTF-8 sequence at p (1 to 4) and its code point,
 * or 0 when the bytes there are not one (overlong, surrogate, above
 * U+10FFFF, truncated or a stray continuation byte).
 */
static size_t
utf8_decode(const unsigned char *p, size_t left, uint32_t *cp)
{
	unsigned char b0 = p[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		n = 2;
		*cp = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		n = 3;
		*cp = b0 & 0x0f;
		if (b0 == 0xe0)
			lo = 0xa0;
		else if (b0 == 0xed)
			hi = 0x9f;
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		n = 4;
		*cp = b0 & 0x07;
		if (b0 == 0xf0)
			lo = 0x90;
		else if (b0 == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	*cp = (*cp << 6) | (p[1] & 0x3f);
	for (size_t i = 2; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return n;
}

/* Code points that change how a terminal lays out or reads the text around them. */
static bool
is_dangerous_cp(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||	 /* C1 controls: CSI, OSC, ... */
	       (cp >= 0x202a && cp <= 0x202e) || /* bidi embeddings and overrides */
	       (cp >= 0x2066 && cp <= 0x2069) || /* bidi isolates */
	       cp == 0x200e || cp == 0x200f ||	 /* LRM, RLM */
	       cp == 0x061c ||			 /* ALM */
	       cp == 0x2028 || cp == 0x2029;	 /* line and paragraph separators */
}

/* The C escape letter for a control byte, or 0 when it has none. */
static char
c_escape_letter(unsigned char c)
{
	switch (c) {
	case '\a':
		return 'a';
	case '\b':
		return 'b';
	case '\t':
		return 't';
	case '\n':
		return 'n';
	case '\v':
		return 'v';
	case '\f':
		return 'f';
	case '\r':
		return 'r';
	case '\\':
		return '\\';
	default:
		return 0;
	}
}

/* The shared walk: every invalid byte as \xNN; the rest per mode. */
static size_t
escape(char *out, size_t outsz, const char *in, size_t inlen, bool terminal)
{
	struct sink k = {.out = out, .size = out ? outsz : 0};
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0;

	while (i < inlen) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, inlen - i, &cp);

		if (n == 0 || p[i] == 0) {
			sink_hex(&k, p[i]);
			i++;
			continue;
		}
		if (terminal && n == 1 && (cp < 0x20 || cp == 0x7f || cp == '\\')) {
			char letter = c_escape_letter((unsigned char)cp);

			if (letter) {
				char esc[2] = {'\\', letter};

				sink_put(&k, esc, 2);
			} else {
				sink_hex(&k, (unsigned char)cp);
			}
		} else if (terminal && is_dangerous_cp(cp)) {
			char buf[16];
			int len = snprintf(buf, sizeof(buf), "\\u{%04x}", (unsigned)cp);

			sink_put(&k, buf, (size_t)len);
		} else {
			sink_put(&k, (const char *)p + i, n);
		}
		i += n;
	}
	return sink_end(&k);
}

size_t
text_escape(char *out, size_t outsz, const char *in, size_t inlen)
{
	return escape(out, outsz, in, inlen, true);
}

size_t
text_escape_invalid(char *out, size_t outsz, const char *in, size_t inlen)
{
	return escape(out, outsz, in, inlen, false);
}

/* Escape a whole string into a buffer of exactly the right size. */
static char *
escape_dup(const char *in, bool terminal)
{
	size_t inlen = strlen(in);
	size_t need = escape(NULL, 0, in, inlen, terminal);
	char *out = xmalloc(need + 1);

	escape(out, need + 1, in, inlen, terminal);
	return out;
}

char *
text_escape_dup(const char *in)
{
	return escape_dup(in, true);
}

char *
text_escape_invalid_dup(const char *in)
{
	return escape_dup(in, false);
}

bool
text_valid_utf8(const char *in, size_t inlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0;

	while (i < inlen) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, inlen - i, &cp);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}
