/*
 * source.c - snapshots from the live collector or from a recording behind
 * one interface (source.h).  It keeps only a position: every snapshot is
 * collected or parsed afresh and handed over to the caller.
 */
#include "config.h"

#include "source.h"

#include <errno.h>
#include <stdlib.h>

#include "replay.h"
#include "util.h"

#define POS_NONE ((size_t)-1)

struct snap_source {
	struct collector *col; /* live */
	struct replay *rp;     /* replay */
	size_t pos;	       /* replay: the current snapshot, POS_NONE before the first */
};

struct snap_source *
snap_source_live(const struct collect_opts *o)
{
	struct snap_source *src = xcalloc(1, sizeof(*src));

	src->col = collector_new(o);
	src->pos = POS_NONE;
	return src;
}

int
snap_source_replay(const char *path, struct snap_source **out)
{
	struct snap_source *src;
	struct replay *rp;
	int r = replay_open(path, &rp);

	if (r < 0)
		return r;
	src = xcalloc(1, sizeof(*src));
	src->rp = rp;
	src->pos = POS_NONE;
	*out = src;
	return 0;
}

void
snap_source_free(struct snap_source *src)
{
	if (!src)
		return;
	collector_free(src->col);
	replay_free(src->rp);
	free(src);
}

bool
snap_source_is_replay(const struct snap_source *src)
{
	return src->rp != NULL;
}

/*
 * Load snapshot i, or the nearest loadable one walking in direction step
 * (+1 or -1) when line i is damaged.  -ENODATA when none is left that way.
 */
static int
load_from(struct snap_source *src, size_t i, int step, struct snapshot **out)
{
	size_t n = replay_count(src->rp);

	while (i < n) {
		int r = replay_load(src->rp, i, out);

		if (r == 0) {
			src->pos = i;
			return 0;
		}
		if (r != -EINVAL && r != -ENOTSUP)
			return r;
		if (step < 0 && i == 0)
			break;
		i += (size_t)(ssize_t)step;
	}
	return -ENODATA;
}

int
snap_source_next(struct snap_source *src, struct snapshot **out)
{
	if (!src->rp)
		return collector_run(src->col, out);
	return load_from(src, src->pos == POS_NONE ? 0 : src->pos + 1, 1, out);
}

void
snap_source_invalidate(struct snap_source *src)
{
	if (!src->rp)
		collector_invalidate(src->col);
}

int
snap_source_prev(struct snap_source *src, struct snapshot **out)
{
	if (!src->rp)
		return -ENOTSUP;
	if (src->pos == POS_NONE || src->pos == 0)
		return -ENODATA;
	return load_from(src, src->pos - 1, -1, out);
}

int
snap_source_seek_time(struct snap_source *src, const struct timespec *t, struct snapshot **out)
{
	size_t i;
	int r;

	if (!src->rp)
		return -ENOTSUP;
	i = replay_find_time(src->rp, t);
	r = load_from(src, i, -1, out);
	return r == -ENODATA ? load_from(src, i, 1, out) : r;
}

int
snap_source_seek_index(struct snap_source *src, size_t i, struct snapshot **out)
{
	int r;

	if (!src->rp)
		return -ENOTSUP;
	if (i >= replay_count(src->rp))
		return -ERANGE;
	r = load_from(src, i, 1, out);
	return r == -ENODATA ? load_from(src, i, -1, out) : r;
}

bool
snap_source_position(const struct snap_source *src, size_t *pos, size_t *count,
		     struct timespec *first, struct timespec *last)
{
	if (!src->rp)
		return false;
	*pos = src->pos;
	*count = replay_count(src->rp);
	*first = replay_time(src->rp, 0);
	*last = replay_time(src->rp, *count - 1);
	return true;
}
