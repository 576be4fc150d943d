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

/* The process keys of the JSON contract, in their order. */
static const char *const csv_columns[] = {
    "pid",
    "ppid",
    "uid",
    "euid",
    "comm",
    "cmdline",
    "state",
    "nice",
    "cgroup",
    "vm_size_kb",
    "rss_kb",
    "swap_kb",
    "pgtables_kb",
    "cpu_ticks",
    "start_ticks",
    "oom_score",
    "oom_score_adj",
    "badness_gorman",
    "badness_kernel",
    "oom_score_recomputed",
    "cap_sys_admin",
    "cap_sys_rawio",
    "time", /* the snapshot's, so the rows of -n 2 can be told apart */
};

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

/* One CSV row. */
static void
csv_row(FILE *f, const struct proc *p, const char *when)
{
	char state[2] = {p->state, '\0'};
	char comm[sizeof(p->comm) + 1];

	memcpy(comm, p->comm, sizeof(p->comm));
	comm[sizeof(p->comm)] = '\0';
	fprintf(f, "%d,%d,", (int)p->pid, (int)p->ppid);
	csv_val(f, p->uid);
	fputc(',', f);
	csv_val(f, p->euid);
	fputc(',', f);
	csv_text(f, comm);
	fputc(',', f);
	csv_text(f, p->cmdline);
	fputc(',', f);
	csv_text(f, state);
	fprintf(f, ",%d,", p->nice);
	csv_text(f, p->cgroup);
	fputc(',', f);
	csv_val(f, p->vm_size_kb);
	fputc(',', f);
	csv_val(f, p->rss_kb);
	fputc(',', f);
	csv_val(f, p->swap_kb);
	fputc(',', f);
	csv_val(f, p->pgtables_kb);
	fprintf(f, ",%" PRIu64 ",%" PRIu64 ",", p->cpu_ticks, p->start_ticks);
	csv_val(f, p->oom_score);
	fputc(',', f);
	csv_val(f, p->oom_score_adj);
	fputc(',', f);
	csv_val(f, p->badness_gorman);
	fputc(',', f);
	csv_val(f, p->badness_kernel);
	fputc(',', f);
	csv_val(f, p->oom_score_recomputed);
	fputc(',', f);
	csv_val(f, p->cap_sys_admin);
	fputc(',', f);
	csv_val(f, p->cap_sys_rawio);
	fprintf(f, ",%s\n", when);
}

void
csv_snapshot(FILE *f, const struct snapshot *s, enum sort_key k, bool header)
{
	size_t *idx = xcalloc(s->n_procs ? s->n_procs : 1, sizeof(*idx));
	char when[64];

	output_format_time(when, sizeof(when), &s->wall);
	if (header) {
		for (size_t i = 0; i < ARRAY_SIZE(csv_columns); i++)
			fprintf(f, "%s%s", i ? "," : "", csv_columns[i]);
		fputc('\n', f);
	}
	sort_procs(s, idx, k, false);
	for (size_t i = 0; i < s->n_procs; i++)
		csv_row(f, &s->procs[idx[i]], when);
	free(idx);
}
