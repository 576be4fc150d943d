/*
 * format.h - the UI's pure formatting helpers: sizes and counts in a few
 * columns, display width of UTF-8 text, truncation to a number of terminal
 * columns, escaping of hostile text, short cgroup names, sparklines,
 * stacked meters and the layout of table columns.
 *
 * Nothing here draws, reads a file or keeps state; the only outside input
 * is the C library's locale (wcwidth), which the caller sets.  Every
 * function writes a NUL-terminated string into a caller's buffer and never
 * overruns it.
 */
#ifndef OOMLENS_UI_FORMAT_H
#define OOMLENS_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model.h"

/* What an unknown value looks like everywhere in the UI: never 0. */
#define FMT_UNKNOWN "-"

/* bytes as at most 5 columns: "0", "512B", "1.5K", "12M", "1023M", "1.0G". */
void fmt_size(char *out, size_t outsz, int64_t bytes);

/* bytes with more digits, for the header: "20.14G", "123.4M", "512B"; negative with a "-". */
void fmt_size_prec(char *out, size_t outsz, int64_t bytes);

/* A struct val holding bytes or kB: the size, "max", "n/a" or "-". */
void fmt_val_bytes(char *out, size_t outsz, struct val v);
void fmt_val_kb(char *out, size_t outsz, struct val v);

/* A struct val holding a plain integer, or "max", "n/a", "-". */
void fmt_val_int(char *out, size_t outsz, struct val v);

/* An integer in at most 6 columns: as is below 1,000,000, then "1.2M", "34G" (decimal). */
void fmt_count(char *out, size_t outsz, int64_t n);

/*
 * A duration in at most 6 columns, two units at most: "45s", "12m05s",
 * "3h05m", "2d04h", "99d+"; negative or NaN as "-".
 */
void fmt_duration(char *out, size_t outsz, double seconds);

/*
 * A time the operator typed, for the replay's g: "HH:MM" or "HH:MM:SS" on
 * ref's local date, "YYYY-MM-DD HH:MM[:SS]" local, or "+N" / "-N" seconds
 * (with an optional s, m or h) from ref.  0 and *out, or -EINVAL.
 */
int fmt_parse_time(const char *text, time_t ref, time_t *out);

/* PSI in hundredths of a percent (123) as "1.23"; "-" when unknown. */
void fmt_psi(char *out, size_t outsz, struct val v);

/* part as a whole percentage of whole ("37%"); "-" when whole is not positive. */
void fmt_percent(char *out, size_t outsz, int64_t part, int64_t whole);

/*
 * Escape hostile text for the screen (text_escape()); with ascii, also every
 * non-ASCII character becomes \u{NNNN}, for terminals whose locale is not
 * UTF-8.  NULL becomes "-".  Returns the length written.
 */
size_t fmt_escape(char *out, size_t outsz, const char *in, bool ascii);

/*
 * Display columns of a UTF-8 string, by wcwidth(): wide (CJK) characters
 * count 2, combining marks 0, and bytes that do not decode or do not print
 * count 1 each.
 */
int fmt_width(const char *s);

enum fit_flags {
	FIT_PAD = 1 << 0,      /* pad with blanks to exactly width columns */
	FIT_ELLIPSIS = 1 << 1, /* mark a cut with "…" (or "~" with FIT_ASCII) */
	FIT_TAIL = 1 << 2,     /* keep the end of the text, cutting at the start */
	FIT_ASCII = 1 << 3,    /* the terminal is not UTF-8 */
	FIT_RIGHT = 1 << 4,    /* with FIT_PAD: pad on the left (numbers) */
};

/*
 * Copy whole characters of s that fit in width columns into out (a wide
 * character never straddles the edge; combining marks stay with their base
 * character).  Returns the display width of the result.
 */
int fmt_fit(char *out, size_t outsz, const char *s, int width, unsigned flags);

/*
 * A cgroup path as a short name for a narrow column: its last component,
 * with any run of 32 or more hex digits (a container id) cut to 12.
 * "/" stays "/"; NULL or "" becomes "-".
 */
void fmt_cgroup_short(char *out, size_t outsz, const char *path);

/*
 * A sparkline of n values, one character each, scaled so that scale_max is
 * the full block; a negative value is unknown and drawn as a blank.
 * UTF-8 uses the eight block characters, ASCII "_.-:=+*#".
 */
void fmt_spark(char *out, size_t outsz, const int64_t *vals, size_t n, int64_t scale_max,
	       bool ascii);

/*
 * How many of width columns each of n stacked parts gets, in proportion to
 * total (the meter's full scale); negative parts count 0.  The lengths are
 * rounded so that their running sums follow the running sums of the parts,
 * and never add up to more than width.
 */
void fmt_meter_split(int width, const int64_t *parts, size_t n, int64_t total, int *lens);

/* A column of a table, laid out by fmt_layout(). */
struct fmt_col {
	int width;   /* columns it needs; for the flexible column, its minimum */
	int prio;    /* 0 is never hidden; otherwise lower goes first when space is short */
	bool flex;   /* takes what is left (at most one) */
	bool hidden; /* in: the caller hides it; out: hidden by the caller or the layout */
	int x;	     /* out: first column */
	int w;	     /* out: width given */
};

/*
 * Lay out n columns, one blank apart, in total columns: hide the
 * lowest-priority columns until the flexible one has its minimum, then give
 * it the rest.  Columns that still do not fit are clipped by the drawing.
 */
void fmt_layout(struct fmt_col *cols, size_t n, int total);

/*
 * Where to break s to fit width columns: the bytes of its first line, after
 * the last space that fits (else as many characters as fit, at least one);
 * strlen(s) when it all fits.
 */
size_t fmt_wrap_at(const char *s, int width);

#endif
