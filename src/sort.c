/*
 * sort.c - the process sort orders (sort.h).  The names are the JSON keys
 * of fields.c, their monitor column titles and a few short names more.
 */
#include "config.h"

#include "sort.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

struct sort_alias {
	const char *name;
	enum sort_key key;
};

/* The short names beyond each field's monitor column title (fields.c). */
static const struct sort_alias sort_aliases[] = {
    {"recomputed", SORT_RECOMPUTED}, {"rss", SORT_RSS},
    {"pgtables", SORT_PGTABLES},     {"cpu", SORT_CPU},
    {"start", SORT_START},
};

int
sort_key_from_name(const char *name)
{
	const struct proc_field *f = field_of_header(name);

	for (size_t i = 0; i < n_proc_fields; i++)
		if (proc_fields[i].sort >= 0 && strcasecmp(name, proc_fields[i].key) == 0)
			return proc_fields[i].sort;
	if (f && f->sort >= 0)
		return f->sort;
	for (size_t i = 0; i < ARRAY_SIZE(sort_aliases); i++)
		if (strcasecmp(name, sort_aliases[i].name) == 0)
			return (int)sort_aliases[i].key;
	return -1;
}

const char *
sort_key_name(enum sort_key k)
{
	const struct proc_field *f = k < SORT__COUNT ? field_of_sort(k) : NULL;

	return f ? f->key : "?";
}

/* "oom_score (oom), ..., rss_kb (res, rss), ..., cgroup", built once from the tables. */
const char *
sort_key_names(void)
{
	static char names[512];
	size_t n = 0;

	if (names[0])
		return names;
	for (int k = 0; k < SORT__COUNT; k++) {
		const struct proc_field *f = field_of_sort((enum sort_key)k);
		int aliases = 0;

		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", k ? ", " : "", f->key);
		/* The column title in lower case, where it differs from the key. */
		if (f->header && strcasecmp(f->header, f->key) != 0 && n < sizeof(names)) {
			n += (size_t)snprintf(names + n, sizeof(names) - n, " (");
			for (const char *c = f->header; *c && n + 1 < sizeof(names); c++)
				names[n++] = (char)tolower((unsigned char)*c);
			names[n] = '\0';
			aliases = 1;
		}
		for (size_t i = 0; i < ARRAY_SIZE(sort_aliases) && n < sizeof(names); i++)
			if (sort_aliases[i].key == (enum sort_key)k)
				n +=
				    (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
						     aliases++ ? ", " : " (", sort_aliases[i].name);
		if (aliases && n < sizeof(names))
			n += (size_t)snprintf(names + n, sizeof(names) - n, ")");
		if (n >= sizeof(names))
			break;
	}
	return names;
}

/* One process's value for a sort key: a number or a string, or unknown. */
struct sort_val {
	bool known;
	bool is_str;
	int64_t n;
	const char *s;
};

/* A struct val as a sort value: "max" sorts above every number. */
static struct sort_val
sv_val(struct val v)
{
	if (v.state == VAL_OK)
		return (struct sort_val){.known = true, .n = v.v};
	if (v.state == VAL_MAX)
		return (struct sort_val){.known = true, .n = INT64_MAX};
	return (struct sort_val){.known = false};
}

/* A plain number as a sort value. */
static struct sort_val
sv_num(int64_t n)
{
	return (struct sort_val){.known = true, .n = n};
}

/* The value of field f for process p. */
static struct sort_val
sort_value(const struct proc *p, const struct proc_field *f)
{
	uint64_t u;

	switch (f->kind) {
	case FK_VAL:
	case FK_BOOL:
		return sv_val(field_val(p, f));
	case FK_INT:
		return sv_num(field_int(p, f));
	case FK_U64:
		u = field_u64(p, f);
		return sv_num(u > INT64_MAX ? INT64_MAX : (int64_t)u);
	case FK_COMM:
		return (struct sort_val){.known = true, .is_str = true, .s = proc_comm(p)};
	case FK_TEXT:
		return (struct sort_val){
		    .known = field_text(p, f) != NULL, .is_str = true, .s = field_text(p, f)};
	default:
		return (struct sort_val){.known = false};
	}
}

/*
 * A process's sort values, taken once before sorting: the comparison runs
 * about n log n times (300,000 at 20,000 processes), and going through the
 * field table for each was a sixth of the monitor's CPU.
 */
struct sort_item {
	union {
		int64_t n;
		const char *s;
	} v, kernel; /* the key's value; the kernel's points (oom_score ties) */
	pid_t pid;
	uint32_t idx; /* into snapshot.procs */
	bool known, kernel_known;
};

struct sort_ctx {
	bool by_oom_score;
	bool is_str; /* the key is a text (compared with strcmp) */
	bool ascending;
};

/*
 * Known values before unknown ones, then the direction asked for, then pid
 * ascending.  oom_score ties (most processes read 666) are broken by the
 * kernel's points, so the process the OOM killer would take comes first.
 */
static inline int
item_cmp(const struct sort_item *x, const struct sort_item *y, const struct sort_ctx *c)
{
	bool xk = x->known, yk = y->known, str = c->is_str;
	int64_t xn = x->v.n, yn = y->v.n;
	int r = 0;

	if (c->by_oom_score && xk && yk && xn == yn) {
		xk = x->kernel_known;
		yk = y->kernel_known;
		xn = x->kernel.n;
		yn = y->kernel.n;
		str = false;
	}
	if (xk != yk)
		return xk ? -1 : 1;
	if (xk) {
		if (str)
			r = strcmp(x->v.s, y->v.s);
		else
			r = (xn > yn) - (xn < yn);
		if (!c->ascending)
			r = -r;
		if (r)
			return r < 0 ? -1 : 1;
	}
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * A merge sort of the items with the comparison inlined: runs of 8 by
 * insertion, then merged bottom-up through tmp.  qsort_r() called it
 * through a pointer and moved the items with a generic copy: twice the time.
 */
#define SORT_RUN 8

static void
merge_pass(const struct sort_item *src, struct sort_item *dst, size_t n, size_t w,
	   const struct sort_ctx *c)
{
	for (size_t lo = 0; lo < n; lo += 2 * w) {
		size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
		size_t i = lo, j = mid, k = lo;

		while (i < mid && j < hi)
			dst[k++] = item_cmp(&src[j], &src[i], c) < 0 ? src[j++] : src[i++];
		while (i < mid)
			dst[k++] = src[i++];
		while (j < hi)
			dst[k++] = src[j++];
	}
}

static void
sort_items(struct sort_item *a, struct sort_item *tmp, size_t n, const struct sort_ctx *c)
{
	struct sort_item *src = a, *dst = tmp, *t;

	for (size_t lo = 0; lo < n; lo += SORT_RUN) {
		size_t hi = lo + SORT_RUN < n ? lo + SORT_RUN : n;

		for (size_t i = lo + 1; i < hi; i++) {
			struct sort_item x = a[i];
			size_t j = i;

			for (; j > lo && item_cmp(&x, &a[j - 1], c) < 0; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
	}
	for (size_t w = SORT_RUN; w < n; w *= 2) {
		merge_pass(src, dst, n, w, c);
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

/* The item of process i: its values for f (NULL: none) and the kernel's points. */
static void
item_of(const struct proc *p, size_t i, const struct proc_field *f, const struct proc_field *kernel,
	struct sort_item *it)
{
	struct sort_val v = f ? sort_value(p, f) : (struct sort_val){.known = false};

	it->pid = p->pid;
	it->idx = (uint32_t)i;
	it->known = v.known;
	if (v.is_str)
		it->v.s = v.s;
	else
		it->v.n = v.n;
	if (kernel) {
		v = sort_value(p, kernel);
		it->kernel_known = v.known;
		it->kernel.n = v.n;
	}
}

void
sort_procs(const struct snapshot *s, size_t *idx, enum sort_key k, bool ascending)
{
	const struct proc_field *f = k < SORT__COUNT ? field_of_sort(k) : NULL;
	const struct proc_field *kernel = k == SORT_OOM_SCORE ? field_of_sort(SORT_KERNEL) : NULL;
	struct sort_ctx c = {.by_oom_score = k == SORT_OOM_SCORE,
			     .is_str = f && (f->kind == FK_COMM || f->kind == FK_TEXT),
			     .ascending = ascending};
	struct sort_item *items;

	if (s->n_procs < 2) {
		for (size_t i = 0; i < s->n_procs; i++)
			idx[i] = i;
		return;
	}
	items = xmalloc(2 * s->n_procs * sizeof(*items));
	for (size_t i = 0; i < s->n_procs; i++)
		item_of(&s->procs[i], i, f, kernel, &items[i]);
	sort_items(items, items + s->n_procs, s->n_procs, &c);
	for (size_t i = 0; i < s->n_procs; i++)
		idx[i] = items[i].idx;
	free(items);
}
