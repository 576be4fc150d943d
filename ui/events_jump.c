/*
 * events_jump.c - the OOM event pane's keys: Up and Down choose an event,
 * Enter goes to the cgroup it happened in, in the container view; in a
 * replay, first to the snapshot taken at (or just before) that moment.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "keys.h"
#include "util.h"

/* The event shown at position i (0: the newest), or NULL. */
static const struct oom_event *
event_at(const struct snapshot *s, int i)
{
	if (!s || i < 0 || (size_t)i >= s->n_events)
		return NULL;
	return &s->events[s->n_events - 1 - (size_t)i];
}

/* Enter: the event's cgroup, selected in the container view. */
static void
jump(struct ui *ui)
{
	const struct oom_event *e = event_at(ui->snap, ui->events_sel);
	char path[4096], shown[4200];
	int r;

	if (!e || !e->cgroup) {
		ui_message(ui, "Enter: this event's cgroup is not known");
		return;
	}
	snprintf(path, sizeof(path), "%s", e->cgroup);
	if (ui->replay) {
		struct timespec t = e->time;

		r = ui_replay_seek(ui, &t);
		if (r < 0) {
			ui_message(ui, "Enter: no snapshot at the event's time: %s", strerror(-r));
			return;
		}
	}
	ident_clear(&ui->sel_id);
	ui->sel_id.kind = ROW_CGROUP;
	ui->sel_id.path = xstrdup(path);
	ui->view = VIEW_CGROUPS;
	ui->overlay = OV_NONE;
	ui->filter[0] = '\0';
	ui_rebuild(ui);
	fmt_escape(shown, sizeof(shown), path, ui->ascii);
	if (ui->rows.n == 0 || ui->rows.v[ui->sel].kind != ROW_CGROUP ||
	    strcmp(ui->snap->cgroups[ui->rows.v[ui->sel].idx].path, path) != 0)
		ui_message(ui, "%s is gone from this snapshot", shown);
	else
		ui_message(ui, "the OOM kill's cgroup: %s", shown);
}

void
events_key(struct ui *ui, enum action a)
{
	int n = ui->snap ? (int)ui->snap->n_events : 0;

	switch (a) {
	case ACT_UP:
		ui->events_sel--;
		break;
	case ACT_DOWN:
		ui->events_sel++;
		break;
	case ACT_PGUP:
		ui->events_sel -= ui->page_rows;
		break;
	case ACT_PGDN:
		ui->events_sel += ui->page_rows;
		break;
	case ACT_HOME:
		ui->events_sel = 0;
		break;
	case ACT_END:
		ui->events_sel = n - 1;
		break;
	case ACT_DETAIL:
		jump(ui);
		return;
	default:
		return;
	}
	if (ui->events_sel >= n)
		ui->events_sel = n - 1;
	if (ui->events_sel < 0)
		ui->events_sel = 0;
}
