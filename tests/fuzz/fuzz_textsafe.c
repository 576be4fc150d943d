/*
 * fuzz_textsafe.c - libFuzzer target for text_escape() and
 * text_escape_invalid(): whatever the bytes, the terminal form is valid
 * UTF-8 with no control, C1 or bidirectional character; the JSON form is
 * valid UTF-8; the returned length is exact; a short buffer gets a prefix
 * of the whole result that cuts no escape or character in half.
 */
#include "config.h"

#include "fuzz.h"
#include "textsafe.h"

/* Check one escaper on in[0..n) at full size and at a cut chosen by the input. */
static void
check(size_t (*esc)(char *, size_t, const char *, size_t), const char *in, size_t n,
      size_t cut, bool terminal)
{
	size_t need = esc(NULL, 0, in, n);
	char *full = malloc(need + 1);
	char *part;
	size_t got, plen;

	if (!full)
		abort();
	memset(full, 0x55, need + 1);
	got = esc(full, need + 1, in, n);
	FUZZ_CHECK(got == need);
	FUZZ_CHECK(strlen(full) == need);
	FUZZ_CHECK(need >= n);
	if (terminal)
		FUZZ_CHECK(fuzz_terminal_safe(full, need, false));
	else
		FUZZ_CHECK(fuzz_valid_utf8(full, need));

	/* Every length up to need: the result is a prefix, and itself clean. */
	cut %= need + 1;
	part = malloc(cut ? cut : 1);
	if (!part)
		abort();
	got = esc(part, cut, in, n);
	FUZZ_CHECK(got == need);
	if (cut) {
		plen = strlen(part);
		FUZZ_CHECK(plen < cut);
		FUZZ_CHECK(memcmp(part, full, plen) == 0);
		if (terminal)
			FUZZ_CHECK(fuzz_terminal_safe(part, plen, false));
		else
			FUZZ_CHECK(fuzz_valid_utf8(part, plen));
	}
	free(part);
	free(full);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t cut = size ? data[0] : 0;
	char *dup;

	check(text_escape, in, size, cut, true);
	check(text_escape_invalid, in, size, cut, false);

	/* Valid UTF-8 without NUL passes through the JSON form unchanged. */
	if (fuzz_valid_utf8(in, size) && !memchr(in, '\0', size)) {
		char *s = fuzz_cstr(data, size);

		FUZZ_CHECK(text_valid_utf8(in, size));
		dup = text_escape_invalid_dup(s);
		FUZZ_CHECK(strcmp(dup, s) == 0);
		free(dup);
		free(s);
	} else {
		FUZZ_CHECK(!text_valid_utf8(in, size) || memchr(in, '\0', size));
	}
	{
		char *s = fuzz_cstr(data, size);

		dup = text_escape_dup(s);
		FUZZ_CHECK(fuzz_terminal_safe(dup, strlen(dup), false));
		free(dup);
		free(s);
	}
	return 0;
}
