/*
 * output_csv.c - the CSV format of batch output: a header, then a row per
 * process with the JSON contract's process keys in their order, then the
 * snapshot's time, as RFC 4180 describes.  It only formats.
 */
#include "config.h"

#include "output_csv.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "out_format.h"
#include "textsafe.h"
#include "util.h"

/* A text field: escaped, then quoted as RFC 4180 asks when it holds a comma or a quote. */
static void
csv_text(FILE *f, const char *s)
{
	char *e;

	if (!s)
		return;
	e = text_escape_dup(s);
	if (strpbrk(e, ",\"")) {
		fputc('"', f);
		for (const char *q = e; *q; q++) {
			if (*q == '"')
				fputc('"', f);
			fputc(*q, f);
		}
		fputc('"', f);
	} else {
		fputs(e, f);
	}
	free(e);
}

/* A number, "max", or an empty field. */
static void
csv_val(FILE *f, struct val v)
{
	if (v.state == VAL_OK)
		fprintf(f, "%" PRId64, v.v);
	else if (v.state == VAL_MAX)
		fputs("max", f);
}

/* Field f of p as a CSV field. */
static void
csv_field(FILE *f, const struct proc *p, const struct proc_field *fl)
{
	char state[2] = {p->state, '\0'};

	switch (fl->kind) {
	case FK_INT:
		fprintf(f, "%d", field_int(p, fl));
		break;
	case FK_U64:
		fprintf(f, "%" PRIu64, field_u64(p, fl));
		break;
	case FK_VAL:
	case FK_BOOL: /* 0 or 1 */
		csv_val(f, field_val(p, fl));
		break;
	case FK_TEXT:
		csv_text(f, field_text(p, fl));
		break;
	case FK_COMM:
		csv_text(f, proc_comm(p));
		break;
	case FK_STATE:
		csv_text(f, state);
		break;
	default: /* not a CSV column (FF_CSV) */
		break;
	}
}

/* One CSV row: the FF_CSV fields, then the snapshot's time. */
static void
csv_row(FILE *f, const struct proc *p, const char *when)
{
	for (size_t i = 0; i < n_proc_fields; i++) {
		if (!(proc_fields[i].flags & FF_CSV))
			continue;
		csv_field(f, p, &proc_fields[i]);
		fputc(',', f);
	}
	fprintf(f, "%s\n", when);
}

void
csv_snapshot(FILE *f, const struct snapshot *s, enum sort_key k, bool header)
{
	size_t *idx = xcalloc(s->n_procs ? s->n_procs : 1, sizeof(*idx));
	char when[64];

	output_format_time(when, sizeof(when), &s->wall);
	if (header) {
		/* The time is the snapshot's, so the rows of -n 2 can be told apart. */
		for (size_t i = 0; i < n_proc_fields; i++)
			if (proc_fields[i].flags & FF_CSV)
				fprintf(f, "%s,", proc_fields[i].key);
		fputs("time\n", f);
	}
	sort_procs(s, idx, k, false);
	for (size_t i = 0; i < s->n_procs; i++)
		csv_row(f, &s->procs[idx[i]], when);
	free(idx);
}
