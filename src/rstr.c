/*
 * rstr.c - reference-counted strings (rstr.h).
 */
#include "config.h"

#include "rstr.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct rstr_hdr {
	atomic_uint refs;
	char s[];
};

static struct rstr_hdr *
hdr_of(char *s)
{
	return (struct rstr_hdr *)(void *)(s - offsetof(struct rstr_hdr, s));
}

char *
rstr_new(const char *s)
{
	size_t n = strlen(s);
	struct rstr_hdr *h = xmalloc(sizeof(*h) + n + 1);

	atomic_init(&h->refs, 1);
	memcpy(h->s, s, n + 1);
	return h->s;
}

char *
rstr_ref(char *s)
{
	if (s)
		atomic_fetch_add_explicit(&hdr_of(s)->refs, 1, memory_order_relaxed);
	return s;
}

void
rstr_unref(char *s)
{
	struct rstr_hdr *h;

	if (!s)
		return;
	h = hdr_of(s);
	if (atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) == 1)
		free(h);
}
