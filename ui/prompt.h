/*
 * prompt.h - the one-line prompts on the status line (search, filter,
 * user, delay, oom_score_adj, signal, fits size, go to): typing, the
 * search and filters that follow each key, and what Enter does.
 */
#ifndef OOMLENS_UI_PROMPT_H
#define OOMLENS_UI_PROMPT_H

#include <stdbool.h>

#include "keymap.h"
#include "state.h"

/* Open prompt p labelled title (safe to draw) with initial text. */
void prompt_open(struct ui *ui, enum ui_prompt p, const char *title, const char *initial);
/* A key while a prompt is open. */
void prompt_key(struct ui *ui, struct key k);
/* Select the first row matching needle from row `from` on, wrapping around; false if none. */
bool prompt_search_from(struct ui *ui, long from, const char *needle);

#endif
