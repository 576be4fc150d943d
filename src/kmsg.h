/*
 * kmsg.h - one /dev/kmsg record (kmsg.c): its prefix parsed and its
 * message unescaped.  Pure functions over a buffer (tests, fuzzing).
 */
#ifndef OOMLENS_KMSG_H
#define OOMLENS_KMSG_H

#include <stddef.h>
#include <stdint.h>

/* One /dev/kmsg record: "prio,seq,usec,flags[,...];message\n[ KEY=value\n]...". */
struct kmsg_record {
	unsigned prio; /* facility << 3 | level */
	uint64_t seq;
	uint64_t usec;	 /* since boot */
	char flags;	 /* '-' or 'c' (a continuation) */
	const char *msg; /* into the buffer, not NUL-terminated, without the newline */
	size_t msg_len;
};

/* Parse one record; 0, or -EINVAL when the prefix is malformed. */
int kmsg_parse_record(const char *buf, size_t len, struct kmsg_record *r);

/*
 * Undo the kernel's \xNN escaping of a message into out (NUL-terminated,
 * truncated to outsz); returns the length written.
 */
size_t kmsg_unescape(char *out, size_t outsz, const char *in, size_t len);

#endif
