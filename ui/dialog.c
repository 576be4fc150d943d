/*
 * dialog.c - the action dialogs (dialog.h): the memory-limit form, the
 * plan with its files, values, notes, refusals and warnings, the one or two
 * confirmations, and the read-back.  Plans come from actions.h and go back
 * to it with the decision; nothing here writes to the system or draws.
 */
#include "config.h"

#include "dialog.h"

#include <curses.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "util.h"

/* The form's fields, in the order `docker run` documents them; v1 / v2: the version has it. */
static const struct {
	enum act_setting setting;
	bool v1, v2;
	const char *hint;
} form_fields[DIALOG_FIELDS] = {
    {ASET_MEMORY, true, true, "size, e.g. 512m; -1 unlimited"},
    {ASET_MEMORY_SWAP, true, true, "memory + swap; -1 unlimited"},
    {ASET_MEMORY_RESERVATION, true, true, "soft limit; 0 none"},
    {ASET_MEMORY_SWAPPINESS, true, false, "0 to 100"},
    {ASET_KERNEL_MEMORY, true, false, "size; deprecated"},
    {ASET_OOM_KILL_DISABLE, true, false, "1 disables, 0 enables"},
    {ASET_MEMORY_HIGH, false, true, "size; max none"},
    {ASET_MEMORY_MIN, false, true, "size; 0 none"},
    {ASET_OOM_SCORE_ADJ, true, true, "each process, -1000..1000"},
};

static void
dl_push(struct dlines *d, int role, const char *text)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n].text = xstrdup(text);
	d->v[d->n].role = role;
	d->n++;
}

static void __attribute__((format(printf, 3, 4)))
dl_addf(struct dlines *d, int role, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dl_push(d, role, buf);
}

/*
 * Plain text from the actions (never safe for the terminal as it is) after
 * a label, escaped, then wrapped at blanks to width columns under the label.
 */
static void
dl_wrapped(struct dlines *d, int role, const char *label, const char *text, int width, bool ascii)
{
	char safe[4096], piece[4096], line[4400];
	int lw = fmt_width(label), room = width - lw - 1;
	const char *p = safe;
	bool first = true;

	if (room < 20)
		room = 20;
	fmt_escape(safe, sizeof(safe), text, ascii);
	do {
		size_t n;

		fmt_fit(piece, sizeof(piece), p, room, ascii ? FIT_ASCII : 0);
		n = strlen(piece);
		if (n == 0 && *p)
			n = 1;
		if (p[n]) {
			size_t cut = n;

			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut > 0)
				n = cut;
		}
		snprintf(line, sizeof(line), "%-*s%.*s", first ? 0 : lw, first ? label : "", (int)n,
			 p);
		dl_push(d, role, line);
		p += n;
		while (*p == ' ')
			p++;
		first = false;
	} while (*p && d->n < 5000);
}

/* A size as the form shows it: "64m (67108864)", "unlimited", or "-" with the reason. */
static void
size_now(char *out, size_t outsz, struct val v)
{
	if (v.state == VAL_OK)
		act_format_size(v.v, out, outsz);
	else if (v.state == VAL_MAX)
		snprintf(out, outsz, "unlimited");
	else if (v.state == VAL_NA)
		snprintf(out, outsz, "n/a");
	else
		snprintf(out, outsz, "%s (%s)", FMT_UNKNOWN, val_reason(v));
}

static void
int_now(char *out, size_t outsz, struct val v)
{
	if (v.state == VAL_OK)
		snprintf(out, outsz, "%" PRId64, v.v);
	else
		size_now(out, outsz, v);
}

/* The current value of a form field from the snapshot's cgroup. */
static void
field_now(char *out, size_t outsz, const struct cgroup *c, enum act_setting s)
{
	if (!c) {
		snprintf(out, outsz, "%s (not in the snapshot)", FMT_UNKNOWN);
		return;
	}
	switch (s) {
	case ASET_MEMORY:
		size_now(out, outsz, c->limit_bytes);
		break;
	case ASET_MEMORY_SWAP:
		size_now(out, outsz, c->swap_limit_bytes);
		break;
	case ASET_MEMORY_RESERVATION:
		size_now(out, outsz, c->reservation_bytes);
		break;
	case ASET_MEMORY_SWAPPINESS:
		int_now(out, outsz, c->swappiness);
		break;
	case ASET_KERNEL_MEMORY:
		size_now(out, outsz, c->kmem_limit_bytes);
		break;
	case ASET_OOM_KILL_DISABLE:
		int_now(out, outsz, c->oom_kill_disable);
		break;
	case ASET_MEMORY_HIGH:
		size_now(out, outsz, c->high_bytes);
		break;
	case ASET_MEMORY_MIN:
		size_now(out, outsz, c->min_bytes);
		break;
	case ASET_OOM_SCORE_ADJ:
		snprintf(out, outsz, "(each of its %d processes has its own)", c->nr_processes);
		break;
	default:
		snprintf(out, outsz, "%s", FMT_UNKNOWN);
		break;
	}
}

struct dialog *
dialog_new_plan(const char *title, struct act_plan *plan)
{
	struct dialog *d = xcalloc(1, sizeof(*d));

	snprintf(d->title, sizeof(d->title), "%s", title);
	d->stage = DLG_PLAN;
	d->plan = plan;
	return d;
}

struct dialog *
dialog_new_form(const struct snapshot *s, int cg, const char *path, int cg_version)
{
	struct dialog *d = xcalloc(1, sizeof(*d));
	const struct cgroup *c = s && cg >= 0 && (size_t)cg < s->n_cgroups ? &s->cgroups[cg] : NULL;

	snprintf(d->title, sizeof(d->title), "Memory limits");
	snprintf(d->cgroup, sizeof(d->cgroup), "%s", path);
	d->cg_version = cg_version;
	d->stage = DLG_FORM;
	d->field = -1;
	if (c && c->container && c->container->runtime == CT_DOCKER) {
		d->docker_unreachable = true; /* until the plan says the Engine API knows it */
		snprintf(d->container, sizeof(d->container), "%s",
			 c->container->name[0] ? c->container->name : c->container->id);
	}
	for (int i = 0; i < DIALOG_FIELDS; i++) {
		struct dialog_field *f = &d->fields[d->n_fields++];

		f->setting = form_fields[i].setting;
		f->available = (cg_version == 1 && form_fields[i].v1) ||
			       (cg_version == 2 && form_fields[i].v2) ||
			       f->setting == ASET_OOM_SCORE_ADJ;
		field_now(f->now, sizeof(f->now), c, f->setting);
		if (f->available && d->field < 0)
			d->field = i;
	}
	return d;
}

static bool
is_enter(struct key k)
{
	return (!k.fn && (k.code == '\n' || k.code == '\r')) || (k.fn && k.code == KEY_ENTER);
}

static bool
is_esc(struct key k)
{
	return !k.fn && k.code == 27;
}

static bool
is_backspace(struct key k)
{
	return (k.fn && k.code == KEY_BACKSPACE) || (!k.fn && (k.code == 127 || k.code == 8));
}

/* Append a printable ASCII character to a text field; the values are all ASCII. */
static bool
text_key(char *buf, size_t bufsz, struct key k)
{
	size_t n = strlen(buf);

	if (is_backspace(k)) {
		if (n)
			buf[n - 1] = '\0';
		return true;
	}
	if (!k.fn && k.code == ('U' & 0x1f)) {
		buf[0] = '\0';
		return true;
	}
	if (k.fn || k.code < 32 || k.code > 126)
		return false;
	if (n + 1 < bufsz) {
		buf[n] = (char)k.code;
		buf[n + 1] = '\0';
	}
	return true;
}

/* Move to the next (step 1) or previous (-1) field this cgroup version has. */
static void
form_move(struct dialog *d, int step)
{
	for (int n = 1; n <= d->n_fields; n++) {
		int i = ((d->field + step * n) % d->n_fields + d->n_fields) % d->n_fields;

		if (d->fields[i].available) {
			d->field = i;
			return;
		}
	}
}

/* Enter in the form: the plan of what was typed. */
static void
form_submit(struct dialog *d, const struct act_ctx *ctx)
{
	struct act_request req;
	bool any = false;

	memset(&req, 0, sizeof(req));
	req.via = AVIA_AUTO;
	for (int i = 0; i < d->n_fields; i++) {
		const struct dialog_field *f = &d->fields[i];

		if (f->available && f->text[0]) {
			req.value[f->setting] = f->text;
			any = true;
		}
	}
	if (!any) {
		snprintf(d->msg, sizeof(d->msg),
			 "type a new value in at least one field (Esc cancels)");
		return;
	}
	d->plan = act_plan_cgroup(ctx, d->cgroup, &req);
	if (d->plan->container_id[0])
		d->docker_unreachable = false;
	d->stage = DLG_PLAN;
	d->scroll = 0;
	d->msg[0] = '\0';
}

static void
apply(struct dialog *d, const struct act_ctx *ctx, enum act_decision dec)
{
	d->apply_ret = act_apply(ctx, d->plan, dec);
	d->stage = DLG_DONE;
	d->scroll = 0;
	d->msg[0] = '\0';
}

static bool
is_scroll_action(enum action a)
{
	return a == ACT_UP || a == ACT_DOWN || a == ACT_PGUP || a == ACT_PGDN || a == ACT_HOME ||
	       a == ACT_END;
}

static void
dialog_scroll(struct dialog *d, enum action a, int page)
{
	switch (a) {
	case ACT_UP:
		d->scroll--;
		break;
	case ACT_DOWN:
		d->scroll++;
		break;
	case ACT_PGUP:
		d->scroll -= page;
		break;
	case ACT_PGDN:
		d->scroll += page;
		break;
	case ACT_HOME:
		d->scroll = 0;
		break;
	case ACT_END:
		d->scroll = 1 << 30;
		break;
	default:
		break;
	}
	if (d->scroll < 0)
		d->scroll = 0;
}

enum dialog_result
dialog_key(struct dialog *d, const struct act_ctx *ctx, struct key k, enum action a, int page)
{
	switch (d->stage) {
	case DLG_FORM:
		d->msg[0] = '\0';
		if (is_esc(k))
			return DLGR_CLOSED;
		if (is_enter(k)) {
			form_submit(d, ctx);
		} else if ((k.fn && (k.code == KEY_DOWN || k.code == KEY_STAB)) ||
			   (!k.fn && k.code == '\t')) {
			form_move(d, 1);
		} else if (k.fn && (k.code == KEY_UP || k.code == KEY_BTAB)) {
			form_move(d, -1);
		} else if (d->field >= 0) {
			struct dialog_field *f = &d->fields[d->field];

			if (!text_key(f->text, sizeof(f->text), k))
				snprintf(d->msg, sizeof(d->msg),
					 "Up/Down or Tab choose a field, Enter shows the plan");
		}
		return DLGR_OPEN;
	case DLG_PLAN:
		d->msg[0] = '\0';
		if (is_esc(k) || (!k.fn && (k.code == 'n' || k.code == 'N'))) {
			apply(d, ctx, ADEC_DECLINE);
			return DLGR_CLOSED;
		}
		if (is_enter(k) || (!k.fn && (k.code == 'y' || k.code == 'Y'))) {
			if (!act_plan_refused(d->plan) && act_plan_dangerous(d->plan) &&
			    !ctx->force) {
				d->stage = DLG_DANGER;
				d->typed[0] = '\0';
				d->scroll = 1 << 30;
			} else {
				apply(d, ctx, ADEC_CONFIRM);
			}
			return DLGR_OPEN;
		}
		if (is_scroll_action(a))
			dialog_scroll(d, a, page);
		else
			snprintf(d->msg, sizeof(d->msg), "Enter or y applies, Esc or n cancels");
		return DLGR_OPEN;
	case DLG_DANGER:
		d->msg[0] = '\0';
		if (is_esc(k)) {
			apply(d, ctx, ADEC_DECLINE);
			return DLGR_CLOSED;
		}
		if (is_enter(k)) {
			if (strcasecmp(d->typed, "yes") == 0) {
				apply(d, ctx, ADEC_CONFIRM_DANGER);
			} else {
				snprintf(d->msg, sizeof(d->msg),
					 "type yes (and Enter) to apply despite the warnings, or "
					 "Esc to cancel");
				d->typed[0] = '\0';
			}
			return DLGR_OPEN;
		}
		if (!text_key(d->typed, sizeof(d->typed), k) && is_scroll_action(a))
			dialog_scroll(d, a, page);
		return DLGR_OPEN;
	case DLG_DONE:
		if (is_scroll_action(a)) {
			dialog_scroll(d, a, page);
			return DLGR_OPEN;
		}
		return DLGR_CHANGED;
	}
	return DLGR_OPEN;
}

static void
form_lines(const struct dialog *d, int width, bool ascii, struct dlines *out)
{
	char path[4400], label[64], box[80], ct[sizeof(d->container) * 4];

	/* The name is the engine's answer: escaped like every other text (issue 12). */
	fmt_escape(path, sizeof(path), d->cgroup, ascii);
	fmt_escape(ct, sizeof(ct), d->container, ascii);
	dl_addf(out, DL_HEAD, "Memory limits of %s (cgroup v%d)%s%s", path, d->cg_version,
		d->container[0] ? "  container " : "", ct);
	dl_wrapped(out, DL_NOTE, "  ",
		   "Docker's flags and size syntax (512m, 1g). An empty field is left as it "
		   "is. The next screen shows every file, its current and its new value "
		   "before anything is written.",
		   width, ascii);
	dl_push(out, DL_TEXT, "");
	for (int i = 0; i < d->n_fields; i++) {
		const struct dialog_field *f = &d->fields[i];
		const char *name = act_setting_name(f->setting);
		bool sel = i == d->field;

		snprintf(label, sizeof(label), "--%s", name);
		if (!f->available) {
			dl_addf(out, DL_NOTE, "  %-22s not available on cgroup v%d", label,
				d->cg_version);
			continue;
		}
		snprintf(box, sizeof(box), "%s%s", f->text, sel ? "_" : "");
		dl_addf(out, sel ? DL_SEL : DL_TEXT, "%s %-22s [%-13s]  now %-20s  (%s)",
			sel ? ">" : " ", label, box, f->now, form_fields[i].hint);
	}
	dl_push(out, DL_TEXT, "");
	dl_push(out, DL_NOTE,
		"  Up/Down or Tab: choose a field   type the value   Enter: show the plan   "
		"Esc: cancel");
	if (d->msg[0])
		dl_addf(out, DL_WARN, "  %s", d->msg);
}

/* One step of the plan: its file, old -> new, and after applying what the kernel says. */
static void
step_lines(const struct dialog *d, size_t i, int width, bool ascii, struct dlines *out)
{
	const struct act_step *st = &d->plan->steps[i];
	char label[32], line[512], o[160], n[160];

	snprintf(label, sizeof(label), "  step %zu  ", i + 1);
	dl_wrapped(out, DL_TEXT, label, st->file, width, ascii);
	fmt_escape(o, sizeof(o), st->old_text, ascii);
	fmt_escape(n, sizeof(n), st->new_text, ascii);
	snprintf(line, sizeof(line), "%-*s%s -> %s%s", fmt_width(label), "", o, n,
		 st->via_docker ? "   (through the Docker Engine API)" : "");
	dl_push(out, DL_TEXT, line);
	if (d->stage != DLG_DONE)
		return;
	fmt_escape(n, sizeof(n), st->now_text, ascii);
	snprintf(line, sizeof(line), "%-*s%s%s%s", fmt_width(label), "",
		 act_result_name(st->result), n[0] ? ": now " : "", n);
	dl_push(out, st->result == ARES_DONE ? DL_HEAD : DL_WARN, line);
	if (st->message[0]) {
		snprintf(line, sizeof(line), "%-*s", fmt_width(label), "");
		dl_wrapped(out, st->result == ARES_DONE ? DL_NOTE : DL_WARN, line, st->message,
			   width, ascii);
	}
}

static void
msgs_lines(const struct act_msgs *m, int role, const char *label, int width, bool ascii,
	   struct dlines *out)
{
	for (size_t i = 0; i < m->n; i++)
		dl_wrapped(out, role, label, m->v[i], width, ascii);
}

static void
plan_lines(const struct dialog *d, int width, bool ascii, struct dlines *out)
{
	const struct act_plan *p = d->plan;
	char buf[1024];

	dl_wrapped(out, DL_TEXT, "  target  ", p->target, width, ascii);
	for (size_t i = 0; i < p->n_steps; i++)
		step_lines(d, i, width, ascii, out);
	if (p->n_steps == 0)
		dl_push(out, DL_NOTE, "  (no file would be written)");
	msgs_lines(&p->notes, DL_NOTE, "  note    ", width, ascii, out);
	if (d->docker_unreachable) {
		snprintf(buf, sizeof(buf),
			 "%s is a Docker container, but the Docker Engine API is not reachable: "
			 "the direct cgroupfs write does not persist, it is lost when the "
			 "container restarts",
			 d->container);
		dl_wrapped(out, DL_NOTE, "  note    ", buf, width, ascii);
	}
	msgs_lines(&p->refusals, DL_WARN, "  REFUSED ", width, ascii, out);
	msgs_lines(&p->warnings, DL_WARN, "  WARNING ", width, ascii, out);
	dl_push(out, DL_TEXT, "");
	switch (d->stage) {
	case DLG_PLAN:
		if (act_plan_refused(p))
			dl_push(out, DL_WARN,
				"  Refused: nothing can be written.  Enter or Esc closes (the "
				"attempt is audited).");
		else if (act_plan_dangerous(p))
			dl_push(out, DL_HEAD,
				"  Enter or y: apply (the warnings then need a second "
				"confirmation)   Esc or n: cancel");
		else
			dl_push(out, DL_HEAD, "  Enter or y: apply   Esc or n: cancel");
		break;
	case DLG_DANGER:
		dl_push(out, DL_WARN,
			"  The warnings above need a second confirmation: type yes and Enter to "
			"apply, Esc cancels.");
		dl_addf(out, DL_SEL, "  Apply despite the warnings? %s_", d->typed);
		break;
	case DLG_DONE:
		if (d->apply_ret == 0)
			dl_push(out, DL_HEAD, "  Done: every step applied and read back.");
		else if (d->apply_ret == -ECANCELED)
			dl_push(out, DL_WARN, "  Nothing was written.");
		else if (d->apply_ret == -ENOTSUP)
			dl_push(out, DL_WARN,
				"  Not everything took effect as asked: the kernel reports another "
				"value for a step above.");
		else
			dl_addf(out, DL_WARN, "  Not everything was applied: %s.",
				strerror(-d->apply_ret));
		dl_push(out, DL_NOTE, "  Any key closes.");
		break;
	default:
		break;
	}
	if (d->msg[0])
		dl_addf(out, DL_WARN, "  %s", d->msg);
}

void
dialog_lines(const struct dialog *d, int width, bool ascii, struct dlines *out)
{
	dlines_free(out);
	if (d->stage == DLG_FORM)
		form_lines(d, width, ascii, out);
	else
		plan_lines(d, width, ascii, out);
}

void
dialog_hint(const struct dialog *d, char *out, size_t outsz)
{
	switch (d->stage) {
	case DLG_FORM:
		snprintf(out, outsz, "%s: Up/Down field, type a value, Enter plan, Esc cancel",
			 d->title);
		break;
	case DLG_PLAN:
		snprintf(out, outsz, "%s: Enter or y apply, Esc or n cancel", d->title);
		break;
	case DLG_DANGER:
		snprintf(out, outsz, "Type yes to apply despite the warnings: %s", d->typed);
		break;
	case DLG_DONE:
		snprintf(out, outsz, "%s: any key closes", d->title);
		break;
	}
}

void
dialog_free(struct dialog *d, const struct act_ctx *ctx)
{
	if (!d)
		return;
	if (d->plan && d->stage != DLG_DONE)
		act_apply(ctx, d->plan, ADEC_DECLINE);
	act_plan_free(d->plan);
	free(d);
}
