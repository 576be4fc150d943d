/*
 * format.c - pure text helpers of the UI (format.h): units, widths,
 * truncation, escaping, sparklines, meters and column layout.  No curses,
 * no I/O; the locale set by the caller decides what wcwidth() says.
 */
#include "config.h"

#include "format.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "textsafe.h"
#include "util.h"

static const char size_units[] = "BKMGTPE";

void
fmt_size(char *out, size_t outsz, int64_t bytes)
{
	double v = (double)bytes;
	int u = 0;

	if (bytes < 0) {
		snprintf(out, outsz, "%s", FMT_UNKNOWN);
		return;
	}
	if (bytes == 0) {
		snprintf(out, outsz, "0");
		return;
	}
	if (bytes < 1024) {
		snprintf(out, outsz, "%" PRId64 "B", bytes);
		return;
	}
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	if (v >= 1023.5 && u < 6) {
		v /= 1024;
		u++;
	}
	if (v < 9.95)
		snprintf(out, outsz, "%.1f%c", v, size_units[u]);
	else
		snprintf(out, outsz, "%.0f%c", v, size_units[u]);
}

void
fmt_size_prec(char *out, size_t outsz, int64_t bytes)
{
	const char *sign = bytes < 0 ? "-" : "";
	double v;
	int u = 0;

	if (bytes == INT64_MIN)
		bytes = INT64_MIN + 1;
	v = (double)(bytes < 0 ? -bytes : bytes);
	if (v < 1024) {
		snprintf(out, outsz, "%s%.0fB", sign, v);
		return;
	}
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	if (v < 99.995)
		snprintf(out, outsz, "%s%.2f%c", sign, v, size_units[u]);
	else if (v < 999.95)
		snprintf(out, outsz, "%s%.1f%c", sign, v, size_units[u]);
	else
		snprintf(out, outsz, "%s%.0f%c", sign, v, size_units[u]);
}

/* "max", "n/a" or "-" for a val that holds no number; false when it holds one. */
static bool
fmt_special(char *out, size_t outsz, struct val v)
{
	switch (v.state) {
	case VAL_OK:
		return false;
	case VAL_MAX:
		snprintf(out, outsz, "max");
		return true;
	case VAL_NA:
		snprintf(out, outsz, "n/a");
		return true;
	default:
		snprintf(out, outsz, "%s", FMT_UNKNOWN);
		return true;
	}
}

void
fmt_val_bytes(char *out, size_t outsz, struct val v)
{
	if (!fmt_special(out, outsz, v))
		fmt_size(out, outsz, v.v);
}

void
fmt_val_kb(char *out, size_t outsz, struct val v)
{
	if (fmt_special(out, outsz, v))
		return;
	if (v.v > INT64_MAX / 1024)
		fmt_size(out, outsz, INT64_MAX);
	else
		fmt_size(out, outsz, v.v * 1024);
}

void
fmt_val_int(char *out, size_t outsz, struct val v)
{
	if (!fmt_special(out, outsz, v))
		snprintf(out, outsz, "%" PRId64, v.v);
}

int
fmt_parse_time(const char *text, time_t ref, time_t *out)
{
	struct tm tm;
	const char *end;
	char unit = 's', *e;
	long long n;

	while (*text == ' ')
		text++;
	if (*text == '+' || *text == '-') {
		errno = 0;
		n = strtoll(text, &e, 10);
		if (errno || e == text + 1)
			return -EINVAL;
		end = e;
		if (*end == 's' || *end == 'm' || *end == 'h')
			unit = *end++;
		if (*end || n > 100000000 || n < -100000000)
			return -EINVAL;
		*out = ref + (time_t)(n * (unit == 'h' ? 3600 : unit == 'm' ? 60 : 1));
		return 0;
	}
	/* strptime() changes tm even when it fails: each form starts from ref's date. */
	if (!localtime_r(&ref, &tm))
		return -EINVAL;
	tm.tm_sec = 0;
	end = strptime(text, "%Y-%m-%d %H:%M", &tm);
	if (!end) {
		localtime_r(&ref, &tm);
		tm.tm_sec = 0;
		end = strptime(text, "%H:%M", &tm);
	}
	if (!end)
		return -EINVAL;
	if (*end == ':') {
		end = strptime(end, ":%S", &tm);
		if (!end)
			return -EINVAL;
	}
	if (*end)
		return -EINVAL;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return *out == (time_t)-1 ? -EINVAL : 0;
}

void
fmt_duration(char *out, size_t outsz, double seconds)
{
	int64_t t;

	if (!(seconds >= 0)) {
		snprintf(out, outsz, "%s", FMT_UNKNOWN);
		return;
	}
	if (seconds >= 100.0 * 86400) {
		snprintf(out, outsz, "99d+");
		return;
	}
	t = (int64_t)(seconds + 0.5);
	if (t < 60)
		snprintf(out, outsz, "%" PRId64 "s", t);
	else if (t < 3600)
		snprintf(out, outsz, "%" PRId64 "m%02" PRId64 "s", t / 60, t % 60);
	else if (t < 86400)
		snprintf(out, outsz, "%" PRId64 "h%02" PRId64 "m", t / 3600, t % 3600 / 60);
	else
		snprintf(out, outsz, "%" PRId64 "d%02" PRId64 "h", t / 86400, t % 86400 / 3600);
}

void
fmt_count(char *out, size_t outsz, int64_t n)
{
	static const char units[] = "MGTPE";
	double v;
	int u = 0;

	if (n > -1000000 && n < 1000000) {
		snprintf(out, outsz, "%" PRId64, n);
		return;
	}
	if (n < 0) {
		snprintf(out, outsz, "-big");
		return;
	}
	v = (double)n / 1e6;
	while (v >= 999.5 && u < 4) {
		v /= 1000;
		u++;
	}
	if (v < 9.95)
		snprintf(out, outsz, "%.1f%c", v, units[u]);
	else
		snprintf(out, outsz, "%.0f%c", v, units[u]);
}

void
fmt_psi(char *out, size_t outsz, struct val v)
{
	if (fmt_special(out, outsz, v))
		return;
	if (v.v < 0)
		snprintf(out, outsz, "%s", FMT_UNKNOWN);
	else
		snprintf(out, outsz, "%" PRId64 ".%02" PRId64, v.v / 100, v.v % 100);
}

void
fmt_percent(char *out, size_t outsz, int64_t part, int64_t whole)
{
	if (whole <= 0 || part < 0)
		snprintf(out, outsz, "%s", FMT_UNKNOWN);
	else
		snprintf(out, outsz, "%.0f%%", (double)part * 100.0 / (double)whole);
}

/* Decode one valid UTF-8 sequence (text_escape() output is valid); returns its length. */
static size_t
utf8_next(const unsigned char *p, uint32_t *cp)
{
	size_t n;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		*cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		*cp = p[0] & 0x0f;
	} else {
		n = 4;
		*cp = p[0] & 0x07;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return i;
		}
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}
	return n;
}

size_t
fmt_escape(char *out, size_t outsz, const char *in, bool ascii)
{
	size_t len, o = 0;
	char *tmp;
	const unsigned char *p;

	if (outsz == 0)
		return 0;
	if (!in)
		in = FMT_UNKNOWN;
	text_escape(out, outsz, in, strlen(in));
	len = strlen(out);
	if (!ascii)
		return len;
	for (p = (const unsigned char *)out; *p && *p < 0x80; p++)
		;
	if (!*p)
		return len;
	tmp = xstrdup(out);
	for (p = (const unsigned char *)tmp; *p;) {
		char esc[16];
		uint32_t cp;
		size_t n;

		if (*p < 0x80) {
			esc[0] = (char)*p;
			esc[1] = '\0';
			n = 1;
		} else {
			n = utf8_next(p, &cp);
			snprintf(esc, sizeof(esc), "\\u{%04" PRIX32 "}", cp);
		}
		if (o + strlen(esc) >= outsz)
			break;
		memcpy(out + o, esc, strlen(esc));
		o += strlen(esc);
		p += n;
	}
	out[o] = '\0';
	free(tmp);
	return o;
}

/* Bytes and display columns of the character at s (at least one byte). */
static size_t
char_at(const char *s, int *w)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int cw;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, MB_LEN_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*w = 1;
		return 1;
	}
	cw = wcwidth(wc);
	*w = cw < 0 ? 1 : cw;
	return n;
}

int
fmt_width(const char *s)
{
	int total = 0, w;

	while (*s) {
		s += char_at(s, &w);
		total += w;
	}
	return total;
}

size_t
fmt_wrap_at(const char *s, int width)
{
	size_t o = 0, space = 0;
	int used = 0, w;

	while (s[o]) {
		size_t n = char_at(s + o, &w);

		if (used + w > width)
			return space ? space : (o ? o : n);
		if (s[o] == ' ' && o > 0)
			space = o + 1;
		used += w;
		o += n;
	}
	return o;
}

/* Append n bytes of s at *o if they fit in outsz with the NUL; false if not. */
static bool
put_bytes(char *out, size_t outsz, size_t *o, const char *s, size_t n)
{
	if (*o + n >= outsz)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

int
fmt_fit(char *out, size_t outsz, const char *s, int width, unsigned flags)
{
	const char *ell = (flags & FIT_ASCII) ? "~" : "\xe2\x80\xa6";
	int total, used = 0, room, w;
	size_t o = 0;
	bool cut;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (width <= 0)
		return 0;
	if (!s)
		s = "";
	total = fmt_width(s);
	cut = total > width;
	room = width;
	if (cut && (flags & FIT_ELLIPSIS))
		room = width - 1;

	if (cut && (flags & FIT_TAIL)) {
		/* Skip from the start until what is left fits in room. */
		const char *p = s;
		int left = total;

		while (*p && left > room) {
			p += char_at(p, &w);
			left -= w;
		}
		while (*p) {
			size_t n = char_at(p, &w);

			if (w > 0)
				break;
			p += n;
		}
		if ((flags & FIT_ELLIPSIS) && put_bytes(out, outsz, &o, ell, strlen(ell)))
			used++;
		while (*p) {
			size_t n = char_at(p, &w);

			if (used + w > width || !put_bytes(out, outsz, &o, p, n))
				break;
			used += w;
			p += n;
		}
	} else {
		const char *p = s;

		while (*p) {
			size_t n = char_at(p, &w);

			if (used + w > room || !put_bytes(out, outsz, &o, p, n))
				break;
			used += w;
			p += n;
		}
		if (cut && (flags & FIT_ELLIPSIS) && put_bytes(out, outsz, &o, ell, strlen(ell)))
			used++;
	}
	out[o] = '\0';

	if ((flags & FIT_PAD) && used < width) {
		size_t pad = (size_t)(width - used);

		if (o + pad >= outsz)
			pad = outsz - 1 - o;
		if (flags & FIT_RIGHT) {
			memmove(out + pad, out, o + 1);
			memset(out, ' ', pad);
		} else {
			memset(out + o, ' ', pad);
			out[o + pad] = '\0';
		}
		used += (int)pad;
	}
	return used;
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void
fmt_cgroup_short(char *out, size_t outsz, const char *path)
{
	const char *last, *p;
	size_t o = 0;

	if (outsz == 0)
		return;
	if (!path || !*path) {
		snprintf(out, outsz, "%s", FMT_UNKNOWN);
		return;
	}
	last = strrchr(path, '/');
	if (!last || last[1] == '\0') {
		snprintf(out, outsz, "%s", path);
		return;
	}
	for (p = last + 1; *p && o + 1 < outsz;) {
		size_t run = 0;

		while (is_hex(p[run]))
			run++;
		if (run >= 32) {
			for (size_t i = 0; i < 12 && o + 1 < outsz; i++)
				out[o++] = p[i];
			p += run;
		} else if (run > 0) {
			for (size_t i = 0; i < run && o + 1 < outsz; i++)
				out[o++] = p[i];
			p += run;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

void
fmt_spark(char *out, size_t outsz, const int64_t *vals, size_t n, int64_t scale_max, bool ascii)
{
	static const char *const blocks[8] = {
	    "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	    "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	static const char levels[] = "_.-:=+*#";
	size_t o = 0;

	if (outsz == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char one[2] = {0, 0};
		const char *c;
		int64_t lv;

		if (vals[i] < 0) {
			c = " ";
		} else {
			lv = scale_max > 0 ? (vals[i] * 7 + scale_max / 2) / scale_max : 0;
			if (lv > 7)
				lv = 7;
			one[0] = levels[lv];
			c = ascii ? one : blocks[lv];
		}
		if (!put_bytes(out, outsz, &o, c, strlen(c)))
			break;
	}
	out[o] = '\0';
}

void
fmt_meter_split(int width, const int64_t *parts, size_t n, int64_t total, int *lens)
{
	double cum = 0;
	int prev = 0;

	for (size_t i = 0; i < n; i++) {
		int end;

		cum += parts[i] > 0 ? (double)parts[i] : 0;
		if (total <= 0 || width <= 0) {
			lens[i] = 0;
			continue;
		}
		end = (int)(cum * width / (double)total + 0.5);
		if (end > width)
			end = width;
		if (end < prev)
			end = prev;
		lens[i] = end - prev;
		prev = end;
	}
}

void
fmt_layout(struct fmt_col *cols, size_t n, int total)
{
	struct fmt_col *flex = NULL;
	int used, visible;

	for (size_t i = 0; i < n; i++) {
		cols[i].x = 0;
		cols[i].w = 0;
		if (cols[i].flex && !cols[i].hidden)
			flex = &cols[i];
	}
	for (;;) {
		struct fmt_col *drop = NULL;
		int need;

		used = 0;
		visible = 0;
		for (size_t i = 0; i < n; i++) {
			if (cols[i].hidden)
				continue;
			visible++;
			if (!cols[i].flex)
				used += cols[i].width;
		}
		used += visible > 0 ? visible - 1 : 0;
		need = used + (flex ? flex->width : 0);
		if (need <= total)
			break;
		for (size_t i = 0; i < n; i++) {
			if (cols[i].hidden || cols[i].flex || cols[i].prio == 0)
				continue;
			if (!drop || cols[i].prio < drop->prio)
				drop = &cols[i];
		}
		if (!drop)
			break;
		drop->hidden = true;
	}
	for (size_t i = 0, x = 0; i < n; i++) {
		if (cols[i].hidden)
			continue;
		cols[i].x = (int)x;
		if (cols[i].flex)
			cols[i].w = total - used > 0 ? total - used : 0;
		else
			cols[i].w = cols[i].width;
		x += (size_t)cols[i].w + 1;
	}
}
