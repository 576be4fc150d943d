/*
 * dialog.h - the action dialogs of the monitor: the plan of a change to a
 * process's oom_score_adj (key o), a signal (key k) or a cgroup's memory
 * limits (key m, a small form with Docker's flag names), its confirmation
 * in one or two stages, and the kernel's read-back afterwards.
 *
 * Every change goes through actions.h: the dialog builds a plan with
 * act_plan_*(), shows it, and calls act_apply() exactly once with the
 * operator's decision (a cancel too, so the audit trail records it).  It
 * writes nothing itself and draws nothing: dialog_lines() gives the text,
 * which screen_dialog.c draws.
 */
#ifndef OOMLENS_UI_DIALOG_H
#define OOMLENS_UI_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"
#include "detail.h"
#include "keymap.h"
#include "model.h"

enum dialog_stage {
	DLG_FORM,   /* key m: the operator types the new limits */
	DLG_PLAN,   /* the plan is shown: Enter or y applies, Esc or n cancels */
	DLG_DANGER, /* the plan has warnings: "yes" and Enter applies */
	DLG_DONE,   /* applied (or refused): each step's read-back until a key */
};

/* One field of the memory-limit form: a Docker flag. */
struct dialog_field {
	enum act_setting setting;
	bool available; /* this cgroup version has it */
	char now[64];	/* the current value, from the snapshot */
	char text[64];	/* what the operator typed; "" leaves it unchanged */
};

#define DIALOG_FIELDS 9

struct dialog {
	enum dialog_stage stage;
	char title[96];

	/* The form (key m). */
	char cgroup[4096]; /* the cgroup path, as the batch JSON shows it */
	int cg_version;
	struct dialog_field fields[DIALOG_FIELDS];
	int n_fields, field;
	bool docker_unreachable; /* the snapshot says Docker, the plan has no Engine API */
	char container[128];	 /* its name for the notes, "" if none */

	struct act_plan *plan;
	int apply_ret;	/* act_apply()'s answer */
	char typed[16]; /* DLG_DANGER: what the operator typed so far */
	int scroll;
	char msg[128]; /* a short complaint about the last key, "" if none */
};

/* What the loop should do after a key. */
enum dialog_result {
	DLGR_OPEN,    /* the dialog stays */
	DLGR_CLOSED,  /* closed without a change being made */
	DLGR_CHANGED, /* closed after act_apply() wrote something: collect now */
};

/* A dialog over a plan that is built already (keys o and k). */
struct dialog *dialog_new_plan(const char *title, struct act_plan *plan);

/*
 * The memory-limit form for cgroup path (a cgroup index cg of s, or -1),
 * on a hierarchy of version cg_version, its fields filled with the values
 * the snapshot has.
 */
struct dialog *dialog_new_form(const struct snapshot *s, int cg, const char *path, int cg_version);

/*
 * A key: fills the form, confirms, cancels.  Plans are built and applied
 * here with ctx.  page is the number of lines the pane shows (scrolling).
 */
enum dialog_result dialog_key(struct dialog *d, const struct act_ctx *ctx, struct key k,
			      enum action a, int page);

/* The text of the dialog, escaped for the screen; ascii as fmt_escape(). */
void dialog_lines(const struct dialog *d, int width, bool ascii, struct dlines *out);

/* What the status line shows while the dialog is open. */
void dialog_hint(const struct dialog *d, char *out, size_t outsz);

/*
 * Close: a plan that was never decided is declined through act_apply(), so
 * the audit trail has it; then free everything.  NULL is a no-op.
 */
void dialog_free(struct dialog *d, const struct act_ctx *ctx);

#endif
