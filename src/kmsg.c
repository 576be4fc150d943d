/*
 * kmsg.c - one /dev/kmsg record (kmsg.h): "prio,seq,usec,flags;message"
 * parsed, and the kernel's \\xNN escaping undone.  Pure.
 */
#include "config.h"

#include "kmsg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int
kmsg_parse_record(const char *buf, size_t len, struct kmsg_record *r)
{
	const char *semi = memchr(buf, ';', len), *p = buf, *nl;
	uint64_t prio;

	memset(r, 0, sizeof(*r));
	if (!semi)
		return -EINVAL;
	/* parse_u64 stops at the first non-digit; the ';' bounds the prefix. */
	if (parse_u64(p, &p, &prio) < 0 || p >= semi || *p != ',' || prio > 0xffffff)
		return -EINVAL;
	if (parse_u64(p + 1, &p, &r->seq) < 0 || p >= semi || *p != ',')
		return -EINVAL;
	if (parse_u64(p + 1, &p, &r->usec) < 0 || p >= semi || *p != ',')
		return -EINVAL;
	p++;
	if (p >= semi)
		return -EINVAL;
	r->flags = *p;
	r->prio = (unsigned)prio;
	r->msg = semi + 1;
	nl = memchr(r->msg, '\n', len - (size_t)(r->msg - buf));
	r->msg_len = nl ? (size_t)(nl - r->msg) : len - (size_t)(r->msg - buf);
	return 0;
}

size_t
kmsg_unescape(char *out, size_t outsz, const char *in, size_t len)
{
	size_t o = 0;

	if (outsz == 0)
		return 0;
	for (size_t i = 0; i < len && o + 1 < outsz; i++) {
		if (in[i] == '\\' && i + 3 < len && in[i + 1] == 'x' && hex_digit(in[i + 2]) >= 0 &&
		    hex_digit(in[i + 3]) >= 0) {
			char c = (char)(hex_digit(in[i + 2]) << 4 | hex_digit(in[i + 3]));

			i += 3;
			out[o++] = c ? c : '?';
			continue;
		}
		out[o++] = in[i];
	}
	out[o] = '\0';
	return o;
}
