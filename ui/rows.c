/*
 * rows.c - builds the row lists of the process and container tables from a
 * snapshot: filter, sort (sort_procs() from output.c, plus the UI's own
 * AVAIL order), trees with their guide bits, and row identities.  It reads
 * the snapshot only and keeps nothing between calls.
 */
#include "config.h"

#include "rows.h"

#include <stdlib.h>
#include <string.h>

#include "users.h"
#include "util.h"

bool
pathset_has(const struct pathset *ps, const char *path)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i], path) == 0)
			return true;
	return false;
}

void
pathset_set(struct pathset *ps, const char *path, bool member)
{
	for (size_t i = 0; i < ps->n; i++) {
		if (strcmp(ps->v[i], path) != 0)
			continue;
		if (!member) {
			free(ps->v[i]);
			ps->v[i] = ps->v[--ps->n];
		}
		return;
	}
	if (!member)
		return;
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 8;
		ps->v = xrealloc(ps->v, ps->cap * sizeof(*ps->v));
	}
	ps->v[ps->n++] = xstrdup(path);
}

void
pathset_free(struct pathset *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i]);
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}

bool
rows_proc_matches(const struct proc *p, const char *needle)
{
	if (!needle || !*needle)
		return true;
	return strcasestr(proc_comm(p), needle) || (p->cmdline && strcasestr(p->cmdline, needle)) ||
	       (p->cgroup && strcasestr(p->cgroup, needle)) ||
	       strcasestr(user_name(p->uid), needle);
}

bool
rows_proc_passes(const struct proc *p, const struct rows_opts *o)
{
	if (o->hide_kthreads && (p->flags & PROC_KTHREAD))
		return false;
	return !o->user || !*o->user || strcmp(user_name(p->uid), o->user) == 0;
}

/* The available memory of a process's container, for the AVAIL order; -1 when unknown. */
static int64_t
proc_avail(const struct snapshot *s, const struct proc *p)
{
	const struct val *v;

	if (p->cg < 0 || (size_t)p->cg >= s->n_cgroups)
		return -1;
	v = &s->cgroups[p->cg].avail.available_bytes;
	return val_is_ok(*v) ? v->v : -1;
}

struct avail_ctx {
	const struct snapshot *s;
	bool ascending;
};

static int
cmp_avail(const void *a, const void *b, void *arg)
{
	const struct avail_ctx *c = arg;
	const struct proc *pa = &c->s->procs[*(const size_t *)a];
	const struct proc *pb = &c->s->procs[*(const size_t *)b];
	int64_t va = proc_avail(c->s, pa), vb = proc_avail(c->s, pb);
	int r = (va > vb) - (va < vb);

	if (!c->ascending)
		r = -r;
	if (r == 0)
		r = (pa->pid > pb->pid) - (pa->pid < pb->pid);
	return r;
}

void
rows_sort(const struct snapshot *s, struct ui_sort sort, size_t *idx)
{
	if (sort.key == UI_SORT_AVAIL) {
		struct avail_ctx c = {s, sort.ascending};

		for (size_t i = 0; i < s->n_procs; i++)
			idx[i] = i;
		qsort_r(idx, s->n_procs, sizeof(*idx), cmp_avail, &c);
		return;
	}
	sort_procs(s, idx, (enum sort_key)sort.key, sort.ascending);
}

static struct row *
rows_push(struct rows *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	return &r->v[r->n++];
}

void
rows_free(struct rows *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* A tree being flattened: children lists over some node numbering. */
struct tree {
	size_t n;
	size_t *first_child, *next_sibling; /* SIZE_MAX: none */
	bool *visited;
};

#define NONE SIZE_MAX

static void
tree_init(struct tree *t, size_t n)
{
	t->n = n;
	t->first_child = xmalloc((n + 1) * sizeof(size_t));
	t->next_sibling = xmalloc((n + 1) * sizeof(size_t));
	t->visited = xcalloc(n + 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		t->first_child[i] = t->next_sibling[i] = NONE;
}

static void
tree_free(struct tree *t)
{
	free(t->first_child);
	free(t->next_sibling);
	free(t->visited);
}

/* Walk the subtree at node k (a process index) depth first, children in list order. */
static void
proc_tree_walk(struct tree *t, size_t k, int depth, uint64_t guides, bool last, struct rows *out)
{
	struct row *r;

	if (t->visited[k])
		return;
	t->visited[k] = true;
	r = rows_push(out);
	r->kind = ROW_PROC;
	r->idx = (int)k;
	r->depth = depth;
	r->last = last;
	r->guides = guides;
	r->has_children = t->first_child[k] != NONE;
	r->expanded = true;
	if (depth > 0 && depth <= ROW_MAX_GUIDES && !last)
		guides |= 1ull << (depth - 1);
	for (size_t c = t->first_child[k]; c != NONE; c = t->next_sibling[c])
		proc_tree_walk(t, c, depth + 1, guides, t->next_sibling[c] == NONE, out);
}

struct pid_pos {
	pid_t pid;
	size_t idx;
};

static int
cmp_pid_pos(const void *a, const void *b)
{
	pid_t x = ((const struct pid_pos *)a)->pid, y = ((const struct pid_pos *)b)->pid;

	return (x > y) - (x < y);
}

/* Append sibling c at the end of parent's children (tail[] remembers the last one). */
static void
tree_append(struct tree *t, size_t *tail, size_t parent, size_t c)
{
	if (t->first_child[parent] == NONE)
		t->first_child[parent] = c;
	else
		t->next_sibling[tail[parent]] = c;
	tail[parent] = c;
}

void
rows_procs(const struct snapshot *s, const struct rows_opts *o, struct rows *out)
{
	size_t n = s->n_procs, *order, *tail, nm = 0, last_root = NONE;
	struct pid_pos *byp;
	struct tree t;
	bool *shown, *root;

	out->n = 0;
	order = xmalloc((n + 1) * sizeof(*order));
	shown = xcalloc(n + 1, sizeof(*shown));
	rows_sort(s, o->sort, order);
	for (size_t i = 0; i < n; i++)
		shown[i] = rows_proc_matches(&s->procs[i], o->filter) &&
			   rows_proc_passes(&s->procs[i], o);

	if (!o->tree) {
		for (size_t i = 0; i < n; i++) {
			struct row *r;

			if (!shown[order[i]])
				continue;
			r = rows_push(out);
			r->kind = ROW_PROC;
			r->idx = (int)order[i];
		}
		free(order);
		free(shown);
		return;
	}

	byp = xmalloc((n + 1) * sizeof(*byp));
	for (size_t i = 0; i < n; i++)
		if (shown[i])
			byp[nm++] = (struct pid_pos){s->procs[i].pid, i};
	qsort(byp, nm, sizeof(*byp), cmp_pid_pos);
	tree_init(&t, n);
	tail = xmalloc((n + 1) * sizeof(*tail));
	root = xcalloc(n + 1, sizeof(*root));

	/* Children in sort order: append each shown process to its parent's list. */
	for (size_t i = 0; i < n; i++) {
		size_t k = order[i];
		struct pid_pos key = {s->procs[k].ppid, 0}, *par = NULL;

		if (!shown[k])
			continue;
		if (s->procs[k].ppid != s->procs[k].pid)
			par = bsearch(&key, byp, nm, sizeof(*byp), cmp_pid_pos);
		if (par) {
			tree_append(&t, tail, par->idx, k);
		} else {
			root[k] = true;
			last_root = k;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (root[order[i]])
			proc_tree_walk(&t, order[i], 0, 0, order[i] == last_root, out);
	/* A parent loop (pid reuse between two reads) leaves nodes out of reach: show them too. */
	for (size_t i = 0; i < n; i++)
		if (shown[order[i]] && !t.visited[order[i]])
			proc_tree_walk(&t, order[i], 0, 0, true, out);
	tree_free(&t);
	free(root);
	free(tail);
	free(byp);
	free(order);
	free(shown);
}

/* Context of the container tree walk. */
struct cg_walk {
	const struct snapshot *s;
	const struct rows_opts *o;
	struct tree t;	     /* cgroup children */
	size_t *procs_first; /* per cgroup, its first shown process (into pnext) */
	size_t *pnext;	     /* per process, the next shown one of the same cgroup */
	bool *all_procs;     /* the cgroup itself matched: show all its processes */
	struct rows *out;
};

static void
cg_walk(struct cg_walk *w, size_t c, int depth, uint64_t guides, bool last)
{
	const struct cgroup *cg = &w->s->cgroups[c];
	struct row *r;
	bool kids;

	r = rows_push(w->out);
	r->kind = ROW_CGROUP;
	r->idx = (int)c;
	r->depth = depth;
	r->last = last;
	r->guides = guides;
	kids = w->t.first_child[c] != NONE || w->procs_first[c] != NONE;
	r->has_children = kids;
	r->expanded = !(w->o->collapsed && pathset_has(w->o->collapsed, cg->path));
	if (!kids || !r->expanded)
		return;
	if (depth > 0 && depth <= ROW_MAX_GUIDES && !last)
		guides |= 1ull << (depth - 1);
	for (size_t k = w->t.first_child[c]; k != NONE; k = w->t.next_sibling[k])
		cg_walk(w, k, depth + 1, guides,
			w->t.next_sibling[k] == NONE && w->procs_first[c] == NONE);
	for (size_t p = w->procs_first[c]; p != NONE; p = w->pnext[p]) {
		r = rows_push(w->out);
		r->kind = ROW_PROC;
		r->idx = (int)p;
		r->depth = depth + 1;
		r->last = w->pnext[p] == NONE;
		r->guides = guides;
	}
}

/* A cgroup's value for the container view's sort; false when unknown (sorted last). */
static bool
cg_sort_value(const struct cgroup *cg, int key, double *out)
{
	const struct val *v = NULL;

	switch (key) {
	case CGS_USAGE:
		v = &cg->usage_bytes;
		break;
	case CGS_PCT:
		if (!cg->has_limit || !val_is_ok(cg->usage_bytes) || !val_is_ok(cg->limit_bytes) ||
		    cg->limit_bytes.v <= 0)
			return false;
		*out = (double)cg->usage_bytes.v / (double)cg->limit_bytes.v;
		return true;
	case CGS_AVAIL:
		v = &cg->avail.available_bytes;
		break;
	case CGS_OOMK:
		v = &cg->ev_oom_kill;
		break;
	case CGS_ETA:
		if (!cg->trend.steady)
			return false;
		v = &cg->trend.seconds_to_limit;
		break;
	default:
		return false;
	}
	if (!val_is_ok(*v))
		return false;
	*out = (double)v->v;
	return true;
}

struct cg_order {
	const struct snapshot *s;
	int key;
	bool ascending;
};

static int
cmp_cg(const void *a, const void *b, void *arg)
{
	const struct cg_order *o = arg;
	const struct cgroup *x = &o->s->cgroups[*(const size_t *)a];
	const struct cgroup *y = &o->s->cgroups[*(const size_t *)b];
	double vx, vy;
	bool kx = cg_sort_value(x, o->key, &vx), ky = cg_sort_value(y, o->key, &vy);

	if (o->key != CGS_PATH) {
		if (kx != ky)
			return kx ? -1 : 1;
		if (kx && vx != vy)
			return (vx < vy) == o->ascending ? -1 : 1;
	}
	return o->key == CGS_PATH && !o->ascending ? strcmp(y->path, x->path)
						   : strcmp(x->path, y->path);
}

void
rows_cgroups(const struct snapshot *s, const struct rows_opts *o, struct rows *out)
{
	size_t nc = s->n_cgroups, np = s->n_procs, *order, *ptail, *kids, *ctail;
	bool *keep, *pshown, filtering = o->filter && *o->filter;
	struct cg_walk w = {.s = s, .o = o, .out = out};

	out->n = 0;
	keep = xcalloc(nc + 1, sizeof(*keep));
	w.all_procs = xcalloc(nc + 1, sizeof(bool));
	pshown = xcalloc(np + 1, sizeof(*pshown));
	order = xmalloc((np + 1) * sizeof(*order));
	w.procs_first = xmalloc((nc + 1) * sizeof(size_t));
	ptail = xmalloc((nc + 1) * sizeof(size_t));
	w.pnext = xmalloc((np + 1) * sizeof(size_t));

	for (size_t c = 0; c < nc; c++) {
		const struct cgroup *cg = &s->cgroups[c];

		w.procs_first[c] = NONE;
		w.all_procs[c] = !filtering || strcasestr(cg->path, o->filter);
		keep[c] = filtering ? w.all_procs[c] : cg->nr_processes > 0 || cg->has_limit;
	}
	rows_sort(s, o->sort, order);
	for (size_t i = 0; i < np; i++) {
		size_t k = order[i];
		const struct proc *p = &s->procs[k];
		bool in = p->cg >= 0 && (size_t)p->cg < nc;

		w.pnext[k] = NONE;
		pshown[k] = rows_proc_passes(p, o) &&
			    ((in && w.all_procs[p->cg]) || rows_proc_matches(p, o->filter));
		if (!pshown[k] || !in)
			continue;
		keep[p->cg] = true;
		if (w.procs_first[p->cg] == NONE)
			w.procs_first[p->cg] = k;
		else
			w.pnext[ptail[p->cg]] = k;
		ptail[p->cg] = k;
	}
	/* Parents come before children: walking backwards carries "kept" up to the root. */
	for (size_t c = nc; c-- > 0;) {
		int par = s->cgroups[c].parent;

		if (keep[c] && par >= 0 && (size_t)par < nc)
			keep[par] = true;
	}

	/* Children lists in the view's order (path, or usage, USE%... with the path breaking ties). */
	tree_init(&w.t, nc);
	kids = xmalloc((nc + 1) * sizeof(*kids));
	ctail = xmalloc((nc + 1) * sizeof(*ctail));
	{
		size_t nk = 0;
		struct cg_order ord = {s, o->cg_sort, o->cg_ascending};

		for (size_t c = 0; c < nc; c++)
			if (keep[c])
				kids[nk++] = c;
		qsort_r(kids, nk, sizeof(*kids), cmp_cg, &ord);
		for (size_t i = 0; i < nk; i++) {
			int par = s->cgroups[kids[i]].parent;

			if (par >= 0 && (size_t)par < nc && keep[par])
				tree_append(&w.t, ctail, (size_t)par, kids[i]);
		}
		for (size_t i = 0; i < nk; i++) {
			int par = s->cgroups[kids[i]].parent;

			if (par < 0 || (size_t)par >= nc || !keep[par])
				cg_walk(&w, kids[i], 0, 0, true);
		}
	}
	/* Processes whose cgroup the snapshot does not have, at the end. */
	for (size_t i = 0; i < np; i++) {
		size_t k = order[i];
		const struct proc *p = &s->procs[k];
		struct row *r;

		if (!pshown[k] || (p->cg >= 0 && (size_t)p->cg < nc))
			continue;
		r = rows_push(out);
		r->kind = ROW_PROC;
		r->idx = (int)k;
	}

	tree_free(&w.t);
	free(kids);
	free(ctail);
	free(keep);
	free(w.all_procs);
	free(pshown);
	free(order);
	free(w.procs_first);
	free(ptail);
	free(w.pnext);
}

void
ident_clear(struct ident *id)
{
	free(id->path);
	memset(id, 0, sizeof(*id));
	id->kind = -1;
}

void
ident_of_row(struct ident *id, const struct snapshot *s, const struct row *r)
{
	ident_clear(id);
	if (!r)
		return;
	id->kind = r->kind;
	if (r->kind == ROW_PROC) {
		id->pid = s->procs[r->idx].pid;
		id->start_ticks = s->procs[r->idx].start_ticks;
	} else {
		id->path = xstrdup(s->cgroups[r->idx].path);
	}
}

long
ident_find(const struct ident *id, const struct snapshot *s, const struct rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		const struct row *r = &rows->v[i];

		if (r->kind != id->kind)
			continue;
		if (r->kind == ROW_PROC) {
			const struct proc *p = &s->procs[r->idx];

			if (p->pid == id->pid && p->start_ticks == id->start_ticks)
				return (long)i;
		} else if (id->path && strcmp(s->cgroups[r->idx].path, id->path) == 0) {
			return (long)i;
		}
	}
	return -1;
}
