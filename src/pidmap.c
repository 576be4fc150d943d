/*
 * pidmap.c - PID -> value map (pidmap.h).
 */
#include "config.h"

#include "pidmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PIDMAP_MIN_CAP 1024

/* Linear probing from a multiplicative hash: consecutive PIDs spread out. */
static size_t
slot_of(const struct pidmap *m, pid_t pid)
{
	size_t i = ((size_t)(uint32_t)pid * 2654435761u) & (m->cap - 1);

	while (m->slots[i].pid && m->slots[i].pid != pid)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
rehash(struct pidmap *m, size_t cap)
{
	struct pidmap_slot *old = m->slots;
	size_t ocap = m->cap;

	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->cap = cap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].pid)
			m->slots[slot_of(m, old[i].pid)] = old[i];
	free(old);
}

void
pidmap_reset(struct pidmap *m, size_t want)
{
	size_t cap = PIDMAP_MIN_CAP;

	while (cap < want * 2 && cap < ((size_t)1 << 27))
		cap *= 2;
	if (cap != m->cap) {
		free(m->slots);
		m->slots = xmalloc(cap * sizeof(*m->slots));
		m->cap = cap;
	}
	memset(m->slots, 0, cap * sizeof(*m->slots));
	m->n = 0;
}

uint32_t *
pidmap_find(const struct pidmap *m, pid_t pid)
{
	size_t s;

	if (!m->cap || pid <= 0)
		return NULL;
	s = slot_of(m, pid);
	return m->slots[s].pid == pid ? &m->slots[s].val : NULL;
}

uint32_t *
pidmap_put(struct pidmap *m, pid_t pid, int *added)
{
	size_t s;

	if ((m->n + 1) * 2 > m->cap)
		rehash(m, m->cap ? m->cap * 2 : PIDMAP_MIN_CAP);
	s = slot_of(m, pid);
	*added = m->slots[s].pid != pid;
	if (*added) {
		m->slots[s].pid = pid;
		m->slots[s].val = 0;
		m->n++;
	}
	return &m->slots[s].val;
}

void
pidmap_free(struct pidmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
