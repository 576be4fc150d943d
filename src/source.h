/*
 * source.h - where snapshots come from: the live collector or a recording.
 *
 * The monitor and the batch loop ask a snap_source for snapshots and need
 * not know which kind it is.  A live source only goes forward, each
 * snap_source_next() collecting a new tick; a replay source steps through
 * the recording, back and forth and to a time.  Every snapshot returned is
 * new and owned by the caller, who frees it with snapshot_free().
 */
#ifndef OOMLENS_SOURCE_H
#define OOMLENS_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "collect.h"
#include "model.h"

struct snap_source;

/* A live source over a new collector.  Never NULL. */
struct snap_source *snap_source_live(const struct collect_opts *o);

/* A source over the recording at path.  0 and *out, or replay_open()'s -errno. */
int snap_source_replay(const char *path, struct snap_source **out);

void snap_source_free(struct snap_source *src);

/* true for a recording: prev, seek and the position work. */
bool snap_source_is_replay(const struct snap_source *src);

/*
 * The next snapshot: live, a new tick (collector_run()'s -errno); replay,
 * the one after the current (the first on the first call), -ENODATA past
 * the end.  Damaged lines of a recording are stepped over.
 */
int snap_source_next(struct snap_source *src, struct snapshot **out);
/* Live: the next snapshot reads every file afresh (collector_invalidate).  Replay: nothing. */
void snap_source_invalidate(struct snap_source *src);

/* Replay: the one before the current; -ENODATA before the first; live: -ENOTSUP. */
int snap_source_prev(struct snap_source *src, struct snapshot **out);

/*
 * Replay: the last snapshot taken at or before t (the first if t is
 * earlier); live: -ENOTSUP.
 */
int snap_source_seek_time(struct snap_source *src, const struct timespec *t, struct snapshot **out);

/* Replay: snapshot number i (0 based), -ERANGE past the end; live: -ENOTSUP. */
int snap_source_seek_index(struct snap_source *src, size_t i, struct snapshot **out);

/*
 * Replay: where the current snapshot is (*pos, 0 based; the position is
 * (size_t)-1 before the first next()) among *count, and the times of the
 * first and last, for a "12/30  19:01:02" status line.  false when live.
 */
bool snap_source_position(const struct snap_source *src, size_t *pos, size_t *count,
			  struct timespec *first, struct timespec *last);

#endif
