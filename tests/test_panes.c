/*
 * test_panes.c - unit tests of the monitor's pane table (ui/panes.c): one
 * pane for every overlay and view, and a key's way to the pane on top (what
 * the loop takes first, what each pane keeps, the hint for a free key).
 * The state is built by hand; no terminal is opened, and no snapshot is
 * needed for the keys tested here.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "panes.h"

static const enum ui_overlay overlays[] = {OV_NONE,   OV_DETAIL, OV_HELP,   OV_DIALOG,
					   OV_EVENTS, OV_FITS,	 OV_SORTBY, OV_SETUP};

static void
init(struct ui *ui)
{
	memset(ui, 0, sizeof(*ui));
	ui->sel_id.kind = -1;
	ui->detail_id.kind = -1;
	ui->act_id.kind = -1;
	ui->fits_id.kind = -1;
}

static struct key
ch(int c)
{
	return (struct key){c, false};
}

/* Every overlay and view has its pane; a dialog overlay without a dialog shows the table. */
static void
test_one_pane_each(void **state)
{
	struct ui ui;

	(void)state;
	init(&ui);
	for (size_t v = 0; v < 2; v++) {
		ui.view = v ? VIEW_CGROUPS : VIEW_PROCS;
		for (size_t i = 0; i < sizeof(overlays) / sizeof(overlays[0]); i++) {
			const struct pane *p;

			ui.overlay = overlays[i];
			p = pane_on_top(&ui);
			assert_non_null(p->draw);
			assert_non_null(p->key);
			assert_non_null(p->name);
			if (ui.overlay == OV_DIALOG) {
				assert_int_equal(p->overlay, OV_NONE); /* ui.dlg is NULL */
				assert_int_equal(p->view, ui.view);
			} else {
				assert_int_equal(p->overlay, ui.overlay);
				if (ui.overlay == OV_NONE)
					assert_int_equal(p->view, ui.view);
				else
					assert_non_null(p->title);
			}
		}
	}
	/* The tables' column legends are the help's sections. */
	ui.overlay = OV_NONE;
	ui.view = VIEW_PROCS;
	assert_string_equal(pane_on_top(&ui)->help[0], "Process table");
	ui.view = VIEW_CGROUPS;
	assert_string_equal(pane_on_top(&ui)->help[0], "Container view");
	assert_null(pane_at(1000));
}

/* q quits from the table and the detail pane, returns from the help; F10 quits from both. */
static void
test_quit_keys(void **state)
{
	struct ui ui;

	(void)state;
	init(&ui);
	assert_int_equal(panes_key(&ui, ch('q')), KR_QUIT);
	ui.overlay = OV_DETAIL;
	assert_int_equal(panes_key(&ui, ch('q')), KR_QUIT);
	ui.overlay = OV_HELP;
	assert_int_equal(panes_key(&ui, ch('q')), KR_CONTINUE);
	assert_int_equal(ui.overlay, OV_NONE);
	ui.overlay = OV_HELP;
	assert_int_equal(panes_key(&ui, (struct key){KEY_F(10), true}), KR_QUIT);
	ui.overlay = OV_SORTBY;
	assert_int_equal(panes_key(&ui, (struct key){KEY_F(10), true}), KR_QUIT);
	/* The key bar's F10 on the help is a key the help takes: it returns. */
	ui.overlay = OV_HELP;
	assert_int_equal(panes_act(&ui, ACT_QUIT), KR_CONTINUE);
	assert_int_equal(ui.overlay, OV_NONE);
}

/* The panes' own keys: the help scrolls, Esc closes the sort list, e leaves the events. */
static void
test_pane_keys(void **state)
{
	struct ui ui;

	(void)state;
	init(&ui);
	ui.page_rows = 10;
	ui.overlay = OV_HELP;
	panes_key(&ui, (struct key){KEY_NPAGE, true});
	assert_int_equal(ui.help_scroll, 10);
	assert_int_equal(ui.overlay, OV_HELP);
	ui.overlay = OV_SORTBY;
	panes_key(&ui, ch(27));
	assert_int_equal(ui.overlay, OV_NONE);
	ui.overlay = OV_EVENTS;
	panes_key(&ui, ch('e'));
	assert_int_equal(ui.overlay, OV_NONE);
	ui.overlay = OV_DETAIL;
	panes_key(&ui, ch('h'));
	assert_int_equal(ui.overlay, OV_HELP);
	/* Space pauses in the detail pane, as in the table. */
	ui.overlay = OV_DETAIL;
	panes_key(&ui, ch(' '));
	assert_true(ui.paused);
	assert_int_equal(ui.overlay, OV_DETAIL);
}

/* A free key gets a hint; an open prompt takes every key, q too. */
static void
test_hint_and_prompt(void **state)
{
	struct ui ui;

	(void)state;
	init(&ui);
	assert_int_equal(panes_key(&ui, ch('x')), KR_CONTINUE);
	assert_string_equal(ui.msg, "x: not a key here; h or F1 lists the keys");
	ui.prompt = PR_SEARCH;
	assert_int_equal(panes_key(&ui, ch('q')), KR_CONTINUE);
	assert_string_equal(ui.pbuf, "q");
	/* The mouse's key bar does not reach into a prompt. */
	assert_int_equal(panes_act(&ui, ACT_QUIT), KR_CONTINUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_pane_each),
	    cmocka_unit_test(test_quit_keys),
	    cmocka_unit_test(test_pane_keys),
	    cmocka_unit_test(test_hint_and_prompt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
