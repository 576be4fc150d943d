/*
 * prompt.c - the one-line prompts: what is typed (UTF-8, Backspace,
 * Ctrl-U, Esc), the search and the filters that follow each key, and what
 * Enter does with the text.  It changes the UI state only; the plans it
 * opens are the actions module's.
 */
#include "config.h"

#include "prompt.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dialog.h"
#include "fits.h"
#include "format.h"
#include "plan_facts.h"
#include "util.h"

#define UI_MIN_DELAY 0.1
#define UI_MAX_DELAY 86400.0

/* Whether row i matches needle (search). */
static bool
row_matches(const struct ui *ui, size_t i, const char *needle)
{
	const struct row *r = &ui->rows.v[i];

	if (r->kind == ROW_PROC)
		return rows_proc_matches(&ui->snap->procs[r->idx], needle);
	return strcasestr(ui->snap->cgroups[r->idx].path, needle) != NULL;
}

/* Select the first row matching needle from row `from` on, wrapping around. */
bool
prompt_search_from(struct ui *ui, long from, const char *needle)
{
	size_t n = ui->rows.n;

	if (!needle[0] || n == 0)
		return true;
	for (size_t k = 0; k < n; k++) {
		size_t i = (size_t)((from + (long)k) % (long)n + (long)n) % n;

		if (row_matches(ui, i, needle)) {
			ui_select_row(ui, (long)i);
			return true;
		}
	}
	return false;
}

/* Drop the last UTF-8 character of a prompt buffer. */
static void
prompt_backspace(char *buf)
{
	size_t n = strlen(buf);

	while (n > 0) {
		n--;
		if (((unsigned char)buf[n] & 0xc0) != 0x80)
			break;
	}
	buf[n] = '\0';
}

/* Apply what is typed so far: the filter and the search follow each key. */
static void
prompt_live(struct ui *ui)
{
	if (ui->prompt == PR_FILTER) {
		snprintf(ui->filter, sizeof(ui->filter), "%s", ui->pbuf);
		ui_rebuild(ui);
	} else if (ui->prompt == PR_USER) {
		snprintf(ui->user, sizeof(ui->user), "%s", ui->pbuf);
		ui_rebuild(ui);
	} else if (ui->prompt == PR_SEARCH && ui->pbuf[0]) {
		if (!prompt_search_from(ui, ui->sel, ui->pbuf))
			ui_message(ui, "not found");
	}
}
static void
plan_proc_action(struct ui *ui, enum ui_prompt p)
{
	struct act_plan *plan;

	if (p == PR_ADJ) {
		plan = act_plan_proc(&ui->actx, ui->act_id.pid, ui->act_id.start_ticks, ui->pbuf);
		ui_open_dialog(ui, dialog_new_plan("Change oom_score_adj", plan));
	} else {
		plan = act_plan_signal(&ui->actx, ui->act_id.pid, ui->act_id.start_ticks, ui->pbuf);
		plan_facts_signal(ui, plan);
		ui_open_dialog(ui, dialog_new_plan("Send a signal", plan));
	}
}

/* Enter on the f prompt: the size, then the panel that answers. */
static void
accept_fits(struct ui *ui)
{
	char shown[UI_TEXT];
	uint64_t size;

	if (fits_parse_size(ui->pbuf, &size) < 0) {
		fmt_escape(shown, sizeof(shown), ui->pbuf, ui->ascii);
		ui_message(ui, "f: \"%s\" is not a size (e.g. 512m, 1.5g, 100MiB)", shown);
		return;
	}
	ui->fits_size = size;
	ui->fits_scroll = 0;
	ui->overlay = OV_FITS;
}

static void
prompt_accept(struct ui *ui)
{
	enum ui_prompt p = ui->prompt;

	ui->prompt = PR_NONE;
	if (p == PR_ADJ || p == PR_SIGNAL) {
		plan_proc_action(ui, p);
	} else if (p == PR_FITS) {
		accept_fits(ui);
	} else if (p == PR_GOTO) {
		ui_replay_goto(ui);
	} else if (p == PR_DELAY) {
		char *end = NULL;
		double d;

		errno = 0;
		d = strtod(ui->pbuf, &end);
		if (errno || end == ui->pbuf || *end || !isfinite(d) || d < UI_MIN_DELAY ||
		    d > UI_MAX_DELAY) {
			ui_message(ui, "delay: a number of seconds from %.1f to %.0f, not \"%s\"",
				   UI_MIN_DELAY, UI_MAX_DELAY, ui->pbuf);
			return;
		}
		ui->delay = d;
		ui_message(ui, "delay %.2fs", d);
	} else if (p == PR_SEARCH) {
		if (ui->pbuf[0]) {
			snprintf(ui->search, sizeof(ui->search), "%s", ui->pbuf);
		} else if (ui->search[0] && !prompt_search_from(ui, ui->sel + 1, ui->search)) {
			ui_message(ui, "not found");
		}
	} else if (p == PR_FILTER) {
		snprintf(ui->filter, sizeof(ui->filter), "%s", ui->pbuf);
		ui_rebuild(ui);
	} else if (p == PR_USER) {
		snprintf(ui->user, sizeof(ui->user), "%s", ui->pbuf);
		ui_rebuild(ui);
	}
}

/* A key while a prompt is open. */
void
prompt_key(struct ui *ui, struct key k)
{
	if (!k.fn && k.code == 27) {
		if (ui->prompt == PR_FILTER || ui->prompt == PR_USER) {
			(ui->prompt == PR_FILTER ? ui->filter : ui->user)[0] = '\0';
			ui_rebuild(ui);
		}
		ui->prompt = PR_NONE;
		return;
	}
	if ((!k.fn && (k.code == '\n' || k.code == '\r')) || (k.fn && k.code == KEY_ENTER)) {
		prompt_accept(ui);
		return;
	}
	if ((k.fn && k.code == KEY_BACKSPACE) || (!k.fn && (k.code == 127 || k.code == 8))) {
		prompt_backspace(ui->pbuf);
		prompt_live(ui);
		return;
	}
	if (!k.fn && k.code == ('U' & 0x1f)) {
		ui->pbuf[0] = '\0';
		prompt_live(ui);
		return;
	}
	if (!k.fn && k.code >= 32 && k.code != 127) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		size_t n, len = strlen(ui->pbuf);

		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)k.code, &st);
		if (n == (size_t)-1 || len + n >= sizeof(ui->pbuf))
			return;
		memcpy(ui->pbuf + len, mb, n);
		ui->pbuf[len + n] = '\0';
		prompt_live(ui);
	}
}

/* Open a prompt labelled title (safe to draw) with initial text. */
void
prompt_open(struct ui *ui, enum ui_prompt p, const char *title, const char *initial)
{
	ui->prompt = p;
	snprintf(ui->ptitle, sizeof(ui->ptitle), "%s", title);
	snprintf(ui->pbuf, sizeof(ui->pbuf), "%s", initial);
}

/* The selected row's process, or NULL when a cgroup row (or nothing) is selected. */
