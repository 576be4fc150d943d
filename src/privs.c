/*
 * privs.c - least privilege for --read-only: every capability oomlens holds
 * is dropped, with libcap, before it reads anything, and no_new_privs keeps
 * anything it might execute from gaining them back.  It does not change
 * uids: root stays uid 0, which is what lets it read root's files and
 * every process's /proc entries that are world-readable anyway.
 */
#include "config.h"

#include "privs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

/* Whether CAP_SETPCAP is in our effective set (needed to shrink the bounding set). */
static int
have_setpcap(void)
{
	cap_t cur = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (!cur)
		return 0;
	if (cap_get_flag(cur, CAP_SETPCAP, CAP_EFFECTIVE, &v) < 0)
		v = CAP_CLEAR;
	cap_free(cur);
	return v == CAP_SET;
}

int
privs_drop_all(void)
{
	cap_t none;
	int r = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* The bounding set first: that takes CAP_SETPCAP, which the last step removes. */
	if (have_setpcap()) {
		for (cap_value_t c = 0; c < (cap_value_t)cap_max_bits(); c++)
			if (cap_drop_bound(c) < 0 && errno != EINVAL)
				return -errno;
	}
	if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() < 0)
		return -errno;
	none = cap_init();
	if (!none)
		return -errno;
	if (cap_set_proc(none) < 0)
		r = -errno;
	cap_free(none);
	return r;
}

bool
privs_read_only_env(void)
{
	const char *e = secure_getenv("OOMLENS_READ_ONLY");

	return e && strcmp(e, "1") == 0;
}
