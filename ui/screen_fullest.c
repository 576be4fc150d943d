/*
 * screen_fullest.c - one header line in every view: the three limited
 * cgroups closest to their limit (usage as a share of it), so the
 * container about to hit its limit is seen without opening the container
 * view.  Only draws.
 */
#include "config.h"

#include <stdio.h>

#include "draw.h"
#include "format.h"
#include "screens.h"

#define FULLEST_N 3

/* usage / limit of a limited cgroup, or -1 when either is unknown. */
static double
fill(const struct cgroup *cg)
{
	if (!cg->has_limit || !val_is_ok(cg->usage_bytes) || !val_is_ok(cg->limit_bytes) ||
	    cg->limit_bytes.v <= 0)
		return -1;
	return (double)cg->usage_bytes.v / (double)cg->limit_bytes.v;
}

void
screen_fullest(const struct ui *ui, int y)
{
	const struct snapshot *s = ui->snap;
	int top[FULLEST_N], n = 0, x;

	if (!s)
		return;
	for (size_t c = 0; c < s->n_cgroups; c++) {
		double f = fill(&s->cgroups[c]);
		int k;

		if (f < 0)
			continue;
		for (k = n; k > 0 && fill(&s->cgroups[top[k - 1]]) < f; k--)
			if (k < FULLEST_N)
				top[k] = top[k - 1];
		if (k < FULLEST_N) {
			top[k] = (int)c;
			if (n < FULLEST_N)
				n++;
		}
	}
	x = draw_text(y, 0, COLS, "fullest limited cgroups ", theme_attr(TH_LABEL), 0);
	if (n == 0) {
		draw_text(y, x, COLS - x, "none: no cgroup has a memory limit",
			  theme_attr(TH_NORMAL), 0);
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct cgroup *cg = &s->cgroups[top[i]];
		char raw[256], name[512], pct[16], use[16], lim[16], item[600];

		fmt_cgroup_short(raw, sizeof(raw), cg->path);
		fmt_escape(name, sizeof(name), raw, ui->ascii);
		fmt_percent(pct, sizeof(pct), cg->usage_bytes.v, cg->limit_bytes.v);
		fmt_val_bytes(use, sizeof(use), cg->usage_bytes);
		fmt_val_bytes(lim, sizeof(lim), cg->limit_bytes);
		snprintf(item, sizeof(item), "%s%s %s (%s of %s)", i ? "   " : "", name, pct, use,
			 lim);
		x += draw_text(y, x, COLS - x, item,
			       theme_attr(fill(cg) >= 0.9 ? TH_WARN : TH_VALUE), 0);
	}
}
