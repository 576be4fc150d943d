/*
 * worker.c - the collection thread of the monitor (worker.h).  The thread
 * blocks the quit signals and SIGWINCH, so they reach the loop's thread and
 * interrupt its wait for a key.  It draws nothing and keeps no UI state.
 *
 * It runs WORKER_NICE_DELTA nice levels below the loop's thread: on a busy
 * host with two CPUs a collection over 20,000 processes competes with the
 * keyboard, and the operator's key should win (under the fair scheduler 5
 * levels weigh about three to one).  Raising a nice value needs no
 * privilege; when it fails the thread just runs at the loop's level.
 */
#define WORKER_NICE_DELTA 5
#include "config.h"

#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "record.h"
#include "source.h"
#include "util.h"

struct ui_worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct snap_source *src; /* the thread's alone */
	struct recorder *rec;	 /* the thread's alone */
	bool want, busy, stop;	 /* under mu */
	bool fresh;		 /* under mu: the next collection reads every file afresh */
	bool done;		 /* under mu: result holds a finished collection */
	struct worker_result result;
};

static void *
worker_main(void *arg)
{
	struct ui_worker *w = arg;
	int nice_now;

	/* On Linux these calls act on one thread when given its TID. */
	errno = 0;
	nice_now = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
	if (errno == 0)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
				  nice_now + WORKER_NICE_DELTA > 19 ? 19 : nice_now + WORKER_NICE_DELTA);

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct worker_result res = {NULL, 0, 0};

		while (!w->want && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop)
			break;
		bool fresh = w->fresh;

		w->want = false;
		w->fresh = false;
		w->busy = true;
		pthread_mutex_unlock(&w->mu);

		if (fresh)
			snap_source_invalidate(w->src);
		res.err = snap_source_next(w->src, &res.snap);
		if (res.err < 0) {
			snapshot_free(res.snap);
			res.snap = NULL;
		} else if (w->rec) {
			res.record_err = record_append(w->rec, res.snap);
		}

		pthread_mutex_lock(&w->mu);
		if (w->done)
			snapshot_free(w->result.snap); /* never taken: the newer one replaces it */
		w->result = res;
		w->done = true;
		w->busy = false;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct ui_worker *
worker_new(struct snap_source *src, struct recorder *rec)
{
	struct ui_worker *w = xcalloc(1, sizeof(*w));
	sigset_t block, old;
	int r;

	w->src = src;
	w->rec = rec;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	r = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		errno = r;
		return NULL;
	}
	return w;
}

/* Wake the thread unless a collection is asked for or under way; fresh is kept for the next. */
static void
request(struct ui_worker *w, bool fresh)
{
	pthread_mutex_lock(&w->mu);
	if (fresh)
		w->fresh = true;
	if (!w->busy && !w->want) {
		w->want = true;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
}

void
worker_request(struct ui_worker *w)
{
	request(w, false);
}

void
worker_request_fresh(struct ui_worker *w)
{
	request(w, true);
}

bool
worker_pending(struct ui_worker *w)
{
	bool p;

	pthread_mutex_lock(&w->mu);
	p = w->want || w->busy || w->done;
	pthread_mutex_unlock(&w->mu);
	return p;
}

bool
worker_take(struct ui_worker *w, struct worker_result *out)
{
	bool done;

	pthread_mutex_lock(&w->mu);
	done = w->done;
	if (done) {
		*out = w->result;
		w->result.snap = NULL;
		w->done = false;
	}
	pthread_mutex_unlock(&w->mu);
	return done;
}

void
worker_free(struct ui_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	if (w->done)
		snapshot_free(w->result.snap);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
