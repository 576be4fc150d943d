/*
 * record.h - --record FILE: append each snapshot to a recording that
 * --replay (replay.h) reads back.
 *
 * A recording is text, one JSON document per line: a header line
 *   {"oomlens_recording":1,"version":"0.1.0","schema":1,"hostname":...,"created":...}
 * then each snapshot exactly as `--format json` prints it (snapshot_to_json,
 * schema 1).  Appending to an existing recording continues it; a file that
 * is not a recording is refused rather than written to.
 */
#ifndef OOMLENS_RECORD_H
#define OOMLENS_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* The version of the recording format: the header's "oomlens_recording". */
#define RECORD_FORMAT 1

struct recorder;

/*
 * Open path for appending (created 0600: command lines may be private).
 * An empty or new file gets the header line.  0 and *out, or -errno:
 * -EINVAL when the file holds something other than an oomlens recording.
 */
int record_open(const char *path, struct recorder **out);

/* Append one snapshot as one line, written with a single write(2).  0 or -errno. */
int record_append(struct recorder *r, const struct snapshot *s);

/* The path the recorder writes to, for messages. */
const char *record_path(const struct recorder *r);

/* Close; 0 or the -errno of the final close(2).  NULL is a no-op. */
int record_close(struct recorder *r);

/*
 * Whether a buffer starts with a recording's header line, and its format
 * version (pure, for replay.c and the tests).  -EINVAL if it does not.
 */
int record_parse_header(const char *buf, size_t len, int *format);

#endif
