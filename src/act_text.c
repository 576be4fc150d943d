/*
 * act_text.c - the actions module's words (actions.h): sizes and signals
 * parsed and formatted, values as a plan shows them, and errno in words for
 * a step's outcome.  Pure: no system state, no writes.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "act_build.h"
#include "actions.h"
#include "cgroup.h"
#include "parse.h"
#include "util.h"

/* ---- sizes and signals (pure) ------------------------------------------- */

int
act_parse_size(const char *s, bool allow_unlimited, int64_t *out, char *why, size_t whysz)
{
	const char *p = s;
	uint64_t n = 0, mult = 1;

	if (!s || !*s) {
		snprintf(why, whysz, "empty size");
		return -EINVAL;
	}
	if (allow_unlimited && strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	if (*p < '0' || *p > '9') {
		snprintf(why, whysz,
			 "invalid size '%s': a positive integer with an optional unit b, k, m or g",
			 s);
		return -EINVAL;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10) {
			snprintf(why, whysz, "size '%s' is too large", s);
			return -ERANGE;
		}
		n = n * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'b':
	case 'B':
		p++;
		break;
	case 'k':
	case 'K':
		mult = KIB;
		p++;
		break;
	case 'm':
	case 'M':
		mult = MIB;
		p++;
		break;
	case 'g':
	case 'G':
		mult = GIB;
		p++;
		break;
	default:
		break;
	}
	if (*p != '\0') {
		snprintf(why, whysz,
			 "invalid size '%s': a positive integer with an optional unit b, k, m or g",
			 s);
		return -EINVAL;
	}
	if (n == 0) {
		snprintf(why, whysz, "invalid size '%s': must be above 0", s);
		return -EINVAL;
	}
	if (n > (uint64_t)INT64_MAX / mult || n * mult >= OL_V1_UNLIMITED) {
		snprintf(why, whysz, "size '%s' is too large", s);
		return -ERANGE;
	}
	*out = (int64_t)(n * mult);
	return 0;
}

void
act_format_size(int64_t b, char *out, size_t outsz)
{
	if (b < 0 || b == UNLIMITED)
		snprintf(out, outsz, "unlimited");
	else if (b != 0 && b % GIB == 0)
		snprintf(out, outsz, "%" PRId64 "g (%" PRId64 ")", b / GIB, b);
	else if (b != 0 && b % MIB == 0)
		snprintf(out, outsz, "%" PRId64 "m (%" PRId64 ")", b / MIB, b);
	else if (b != 0 && b % KIB == 0)
		snprintf(out, outsz, "%" PRId64 "k (%" PRId64 ")", b / KIB, b);
	else
		snprintf(out, outsz, "%" PRId64, b);
}

static const struct {
	const char *name;
	int sig;
} signals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},	  {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"CONT", SIGCONT},
    {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"ABRT", SIGABRT}, {"ALRM", SIGALRM},
};

int
act_parse_signal(const char *s)
{
	int64_t n;

	if (!s || !*s)
		return -EINVAL;
	if (parse_i64_full(s, &n) == 0 && s[0] >= '0' && s[0] <= '9')
		return n >= 1 && n <= SIGRTMAX ? (int)n : -EINVAL;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signals); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -EINVAL;
}

const char *
act_signal_name(int sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(signals); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

/* A value as the plan shows it. */
void
act_val_text(struct val v, bool size, char *out, size_t outsz)
{
	switch (v.state) {
	case VAL_OK:
		if (size)
			act_format_size(v.v, out, outsz);
		else
			snprintf(out, outsz, "%" PRId64, v.v);
		break;
	case VAL_MAX:
		snprintf(out, outsz, "unlimited");
		break;
	case VAL_NA:
		snprintf(out, outsz, "n/a");
		break;
	default:
		snprintf(out, outsz, "unknown (%s)", val_reason(v));
	}
}

/* ---- errors in words ----------------------------------------------------- */

const char *
act_errno_text(int err, enum act_setting s, int cg_version)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case EBUSY:
		if (s == ASET_MEMORY || s == ASET_MEMORY_SWAP)
			return "the kernel could not reclaim enough memory to bring usage below "
			       "the new limit "
			       "(cgroup v1 refuses the limit rather than kill)";
		return "the kernel says the cgroup is busy";
	case EACCES:
		if (s == ASET_OOM_SCORE_ADJ)
			return "permission denied: lowering oom_score_adj below the process's "
			       "floor "
			       "(oom_score_adj_min, 0 unless a writer with CAP_SYS_RESOURCE set a "
			       "lower one) "
			       "needs CAP_SYS_RESOURCE";
		return "permission denied: the file is not writable by this user "
		       "(needs its owner, or CAP_DAC_OVERRIDE)";
	case EPERM:
		if (s == ASET_SIGNAL)
			return "operation not permitted: signalling another user's process needs "
			       "CAP_KILL";
		return "operation not permitted: the kernel requires a capability oomlens lacks";
	case EINVAL:
		if (s == ASET_MEMORY || s == ASET_MEMORY_SWAP)
			return cg_version == 1 ? "invalid argument: on cgroup v1, "
						 "memory.memsw.limit_in_bytes may never be "
						 "below memory.limit_in_bytes"
					       : "invalid argument: the kernel rejected the value";
		return "invalid argument: the kernel rejected the value";
	case ENOENT:
		return "no such file: the cgroup or process has gone, or this kernel lacks the "
		       "file";
	case ESRCH:
		return "no such process: it has exited";
	case ENOSPC:
		return "no space left on the device";
	case EROFS:
		return "read-only file system";
	case ENOTSUP:
		return "not supported by this kernel";
	default:
		return strerror(err);
	}
}
