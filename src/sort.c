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
		return (struct sort_val){.known = true, .is_str = true, .s = p->comm};
	case FK_TEXT:
		return (struct sort_val){
		    .known = field_text(p, f) != NULL, .is_str = true, .s = field_text(p, f)};
	default:
		return (struct sort_val){.known = false};
	}
}

struct sort_ctx {
	const struct snapshot *s;
	const struct proc_field *f, *kernel;
	bool by_oom_score;
	bool ascending;
};

/*
 * Known values before unknown ones, then the direction asked for, then pid
 * ascending.  oom_score ties (most processes read 666) are broken by the
 * kernel's points, so the process the OOM killer would take comes first.
 */
static int
proc_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct proc *pa = &c->s->procs[*(const size_t *)a];
	const struct proc *pb = &c->s->procs[*(const size_t *)b];
	struct sort_val va = {.known = false}, vb = {.known = false};
	int r = 0;

	if (c->f) {
		va = sort_value(pa, c->f);
		vb = sort_value(pb, c->f);
	}
	if (c->by_oom_score && va.known && vb.known && va.n == vb.n) {
		va = sort_value(pa, c->kernel);
		vb = sort_value(pb, c->kernel);
	}

	if (va.known != vb.known)
		return va.known ? -1 : 1;
	if (va.known) {
		if (va.is_str)
			r = strcmp(va.s, vb.s);
		else
			r = (va.n > vb.n) - (va.n < vb.n);
		if (!c->ascending)
			r = -r;
		if (r)
			return r < 0 ? -1 : 1;
	}
	return (pa->pid > pb->pid) - (pa->pid < pb->pid);
}

void
sort_procs(const struct snapshot *s, size_t *idx, enum sort_key k, bool ascending)
{
	struct sort_ctx c = {.s = s,
			     .f = k < SORT__COUNT ? field_of_sort(k) : NULL,
			     .kernel = field_of_sort(SORT_KERNEL),
			     .by_oom_score = k == SORT_OOM_SCORE,
			     .ascending = ascending};

	for (size_t i = 0; i < s->n_procs; i++)
		idx[i] = i;
	if (s->n_procs > 1)
		qsort_r(idx, s->n_procs, sizeof(*idx), proc_cmp, &c);
}
