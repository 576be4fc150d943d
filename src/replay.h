/*
 * replay.h - --replay FILE: read a recording (record.h) back into snapshots.
 *
 * snapshot_from_json() is the inverse of snapshot_to_json(): every key the
 * JSON has goes back into the model, with "max", "not available" and
 * "unknown, because ..." kept apart, so `--replay FILE -b --format json`
 * prints what the live run printed, byte for byte (containers, trends, OOM
 * events included).  What the JSON does not carry (where the cgroup's files
 * are, the kernel constants behind the scores, the monotonic clock) is left
 * unknown or empty; the monotonic time is taken from the wall clock, so
 * differences between ticks still hold.  events_total is the length of the
 * recorded event list.
 */
#ifndef OOMLENS_REPLAY_H
#define OOMLENS_REPLAY_H

#include <stddef.h>
#include <time.h>

#include "model.h"

/*
 * One recorded line, a schema 1 JSON document, as a new snapshot for the
 * caller to snapshot_free().  Pure: no I/O, fuzzable.  0, or -EINVAL (not
 * JSON, not a snapshot) or -ENOTSUP (another schema).
 */
int snapshot_from_json(const char *buf, size_t len, struct snapshot **out);

/* "2026-11-25T19:01:02.345Z" (RFC 3339, UTC, optional fraction) to a timespec.  0 or -EINVAL. */
int replay_parse_time(const char *s, struct timespec *out);

/*
 * "not collected", "Permission denied", "unparsable"... (val_reason's words)
 * back to the error code behind them; OL_EPARSE for words it does not know.
 */
int replay_reason_err(const char *reason);

/*
 * A JSON string back to the bytes it stood for: the output writes each byte
 * that is not UTF-8 as the text \xNN (text_escape_invalid()), and those are
 * decoded where escaping the result again gives the same text.  A name
 * whose own text reads like such an escape ("\xff") is the one ambiguity,
 * and is read as the byte.  A new string.  Pure.
 */
char *replay_unescape_invalid(const char *s);

struct replay;

/*
 * Open a recording and index its snapshots (offset and time of each line;
 * lines that are not snapshots are counted and skipped).  0 and *out, or
 * -errno: -EINVAL when the file is not an oomlens recording, -ENODATA
 * when it holds no snapshot.
 */
int replay_open(const char *path, struct replay **out);
void replay_free(struct replay *r);

/* How many snapshots the recording holds, and how many lines were skipped. */
size_t replay_count(const struct replay *r);
size_t replay_skipped(const struct replay *r);

/* The time of snapshot i (i < replay_count()). */
struct timespec replay_time(const struct replay *r, size_t i);

/* The last snapshot taken at or before t; 0 when t is before the first. */
size_t replay_find_time(const struct replay *r, const struct timespec *t);

/* Read and parse snapshot i.  0 and *out, or -errno (-EINVAL: the line is damaged). */
int replay_load(const struct replay *r, size_t i, struct snapshot **out);

#endif
