/*
 * strmap.c - chained hash map from strings to fixed-size value blocks,
 * with a generation mark per entry so unused entries can be swept.
 */
#include "config.h"

#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct strmap_entry {
	struct strmap_entry *next;
	char *key;
	unsigned gen;
	/* the value follows, aligned for any type */
	max_align_t val[];
};

struct strmap {
	size_t val_size;
	size_t n, nbuckets;
	unsigned gen;
	struct strmap_entry **buckets;
};

static size_t
hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

struct strmap *
strmap_new(size_t val_size)
{
	struct strmap *m = xcalloc(1, sizeof(*m));

	m->val_size = val_size;
	m->nbuckets = 256;
	m->buckets = xcalloc(m->nbuckets, sizeof(*m->buckets));
	return m;
}

void
strmap_free(struct strmap *m)
{
	if (!m)
		return;
	for (size_t b = 0; b < m->nbuckets; b++) {
		struct strmap_entry *e = m->buckets[b], *n;

		for (; e; e = n) {
			n = e->next;
			free(e->key);
			free(e);
		}
	}
	free(m->buckets);
	free(m);
}

/* Double the buckets when the chains grow long. */
static void
grow(struct strmap *m)
{
	size_t nb = m->nbuckets * 2;
	struct strmap_entry **nbk = xcalloc(nb, sizeof(*nbk));

	for (size_t b = 0; b < m->nbuckets; b++) {
		struct strmap_entry *e = m->buckets[b], *n;

		for (; e; e = n) {
			size_t h = hash_key(e->key) % nb;

			n = e->next;
			e->next = nbk[h];
			nbk[h] = e;
		}
	}
	free(m->buckets);
	m->buckets = nbk;
	m->nbuckets = nb;
}

void *
strmap_find(const struct strmap *m, const char *key)
{
	for (struct strmap_entry *e = m->buckets[hash_key(key) % m->nbuckets]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e->val;
	return NULL;
}

void *
strmap_get(struct strmap *m, const char *key, bool *created)
{
	size_t b = hash_key(key) % m->nbuckets;
	struct strmap_entry *e;

	for (e = m->buckets[b]; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			break;
	if (created)
		*created = !e;
	if (!e) {
		if (m->n >= m->nbuckets * 2) {
			grow(m);
			b = hash_key(key) % m->nbuckets;
		}
		e = xcalloc(1, sizeof(*e) + m->val_size);
		e->key = xstrdup(key);
		e->next = m->buckets[b];
		m->buckets[b] = e;
		m->n++;
	}
	e->gen = m->gen + 1;
	return e->val;
}

void
strmap_sweep(struct strmap *m)
{
	m->gen++;
	for (size_t b = 0; b < m->nbuckets; b++) {
		struct strmap_entry **pp = &m->buckets[b];

		while (*pp) {
			struct strmap_entry *e = *pp;

			if (e->gen != m->gen) {
				*pp = e->next;
				free(e->key);
				free(e);
				m->n--;
			} else {
				pp = &e->next;
			}
		}
	}
}
