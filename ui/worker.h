/*
 * worker.h - collection off the keyboard's thread: one thread that takes
 * snapshots from a live snap_source when the loop asks for one (and
 * appends each to the --record recording), and hands the finished snapshot
 * over under a mutex.  The source, the recorder and a snapshot being built
 * belong to the thread alone; the loop only ever sees finished snapshots,
 * so a key is answered while a collection of many processes is under way.
 */
#ifndef OOMLENS_UI_WORKER_H
#define OOMLENS_UI_WORKER_H

#include <stdbool.h>

#include "model.h"

struct snap_source;
struct recorder;
struct ui_worker;

/* What one collection gave. */
struct worker_result {
	struct snapshot *snap; /* NULL when the collection failed */
	int err;	       /* snap_source_next()'s -errno, 0 if it worked */
	int record_err;	       /* record_append()'s -errno, 0 if it worked or no recording */
};

/*
 * Start the thread over src (and rec, which may be NULL); both stay the
 * caller's to free after worker_free().  NULL and errno when no thread
 * could be started.
 */
struct ui_worker *worker_new(struct snap_source *src, struct recorder *rec);

/* Ask for one snapshot; nothing more while one is asked for or under way. */
void worker_request(struct ui_worker *w);
/*
 * The same, for a collection that reads every file of every process afresh
 * (after an action changed one); if one is under way, the next one does.
 */
void worker_request_fresh(struct ui_worker *w);

/* Whether a snapshot is asked for, under way, or finished and not yet taken. */
bool worker_pending(struct ui_worker *w);

/* The finished snapshot, if there is one: true and *out (the caller owns out->snap). */
bool worker_take(struct ui_worker *w, struct worker_result *out);

/* Stop the thread (after the collection under way, if any) and free what is left. */
void worker_free(struct ui_worker *w);

#endif
