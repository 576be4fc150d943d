/*
 * fixture.h - loading files from data/ in cmocka tests.  OOMLENS_DATA (set
 * by the Makefile) names the data directory.
 */
#ifndef OOMLENS_TEST_FIXTURE_H
#define OOMLENS_TEST_FIXTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static inline const char *
fixture_dir(void)
{
	const char *d = getenv("OOMLENS_DATA");

	return d && *d ? d : "data";
}

/* data/<rel> into a static buffer; aborts the test program if missing. */
static inline const char *
fixture(const char *rel)
{
	static char buf[1 << 20];
	char path[4096];
	ssize_t r;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir(), rel);
	r = read_file_at(AT_FDCWD, path, buf, sizeof(buf), NULL);
	if (r < 0) {
		fprintf(stderr, "missing fixture %s\n", path);
		abort();
	}
	return buf;
}

#endif
