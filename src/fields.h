/*
 * fields.h - the process fields, once: the JSON key of the contract
 * (README.md, doc/oomlens.1), where the value lives in struct proc, its kind,
 * whether it sorts and whether CSV has it, its column in the monitor, in the
 * order of the JSON contract
 * (as procps's pids.c Item_table and htop's Process_fields).  The JSON
 * writers (output.c), CSV (output_csv.c), replay (replay.c) and the sort
 * (sort.c) walk this table instead of spelling the row out each, and the
 * monitor's process columns (ui/screen_procs.c) take their titles, widths
 * and sort directions from it.  The same for the cgroup's values (JSON and
 * replay).
 */
#ifndef OOMLENS_FIELDS_H
#define OOMLENS_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* The sortable fields, in the order of sort_key_names(). */
enum sort_key {
	SORT_OOM_SCORE = 0,
	SORT_OOM_SCORE_ADJ,
	SORT_GORMAN,
	SORT_KERNEL,
	SORT_RECOMPUTED,
	SORT_PID,
	SORT_PPID,
	SORT_UID,
	SORT_COMM,
	SORT_VM_SIZE,
	SORT_RSS,
	SORT_SWAP,
	SORT_PGTABLES,
	SORT_CPU,
	SORT_START,
	SORT_NICE,
	SORT_CGROUP,
	SORT__COUNT
};

/* How a field is stored, and so how each format writes and reads it. */
enum field_kind {
	FK_INT,	       /* int (pid_t too): a plain number */
	FK_U64,	       /* uint64_t: a plain number (ticks) */
	FK_VAL,	       /* struct val: number, "max", or null with its reason */
	FK_BOOL,       /* struct val of 0/1: true/false in JSON, 0/1 in CSV */
	FK_TEXT,       /* char * that may be NULL, with an int errno at err_off */
	FK_COMM,       /* the name, proc_comm() (its offset, comm_short, unused): never missing */
	FK_STATE,      /* char: one letter, '\0' when unreadable */
	FK_SCORE_FROM, /* flags & PROC_SCORE_COMPUTED: "counters" or "kernel" */
	FK_KTHREAD,    /* flags & PROC_KTHREAD */
	FK_CONTAINER,  /* the container object (JSON only) */
};

enum field_flags {
	FF_CSV = 1 << 0, /* a CSV column */
};

struct proc_field {
	const char *key;    /* the JSON key, the CSV column, the --sort name */
	const char *header; /* the monitor's column title, also a --sort name; NULL: none */
	int width;	    /* the monitor's column width; 0: from the content */
	bool ascending;	    /* the natural sort direction (names and PIDs), else largest first */
	enum field_kind kind;
	size_t off;	/* of the value in struct proc */
	size_t err_off; /* FK_TEXT: of its errno */
	int sort;	/* enum sort_key, or -1 */
	unsigned flags; /* enum field_flags */
};

extern const struct proc_field proc_fields[];
extern const size_t n_proc_fields;

/*
 * The cgroup's struct val members, grouped by where they sit in its JSON
 * object: its own members come in three runs between the nested objects.
 */
enum cg_group { CGG_TOP, CGG_EVENTS, CGG_AVAIL, CGG_TOP2, CGG_STAT, CGG_TOP3 };

struct cgroup_field {
	const char *key;
	enum cg_group group;
	bool boolean; /* true/false in JSON (a 0/1 value) */
	size_t off;   /* of the struct val in struct cgroup */
};

extern const struct cgroup_field cgroup_fields[];
extern const size_t n_cgroup_fields;

static inline struct val *
cgroup_field_val(struct cgroup *c, const struct cgroup_field *f)
{
	return (struct val *)((char *)c + f->off);
}

static inline struct val
cgroup_field_get(const struct cgroup *c, const struct cgroup_field *f)
{
	return *(const struct val *)((const char *)c + f->off);
}

/* The field sort key k orders by (never NULL for k < SORT__COUNT). */
const struct proc_field *field_of_sort(enum sort_key k);

/* The field with this monitor column title (any case), or NULL. */
const struct proc_field *field_of_header(const char *header);

/* The first field of kind k (FK_CONTAINER: the one container member), or NULL. */
const struct proc_field *field_of_kind(enum field_kind k);

/* Typed access to field f of p. */
static inline int
field_int(const struct proc *p, const struct proc_field *f)
{
	return *(const int *)((const char *)p + f->off);
}

static inline uint64_t
field_u64(const struct proc *p, const struct proc_field *f)
{
	return *(const uint64_t *)((const char *)p + f->off);
}

static inline struct val
field_val(const struct proc *p, const struct proc_field *f)
{
	return *(const struct val *)((const char *)p + f->off);
}

static inline const char *
field_text(const struct proc *p, const struct proc_field *f)
{
	return *(const char *const *)((const char *)p + f->off);
}

static inline int
field_err(const struct proc *p, const struct proc_field *f)
{
	return *(const int *)((const char *)p + f->err_off);
}

/* Where oom_score came from: the kernel's file, or its formula over the kernel's counters. */
static inline const char *
field_score_from(const struct proc *p)
{
	return p->flags & PROC_SCORE_COMPUTED ? "counters" : "kernel";
}

#endif
