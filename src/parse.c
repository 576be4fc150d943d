/*
 * parse.c - pure parsers for the host's and the processes' /proc files.
 *
 * Every function reads a NUL-terminated buffer and fills a struct; none
 * does I/O.  Kernel text is untrusted: a missing line leaves its field
 * unknown, garbage makes the parser return -EINVAL, and nothing here asserts
 * on what the kernel (or a fuzzer) wrote.
 */
#include "config.h"

#include "parse.h"

#include <errno.h>
#include <string.h>

#include "util.h"

/* The line after p, or NULL at the end of the buffer. */
static const char *
next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : NULL;
}

/* Does line p start with key followed by one of the separators in seps? */
static const char *
after_key(const char *p, const char *key, const char *seps)
{
	size_t n;

	/* Most lines differ in their first byte: the cheap test first (status is read hot). */
	if (p[0] != key[0])
		return NULL;
	n = strlen(key);
	if (strncmp(p, key, n) != 0 || p[n] == '\0' || !strchr(seps, p[n]))
		return NULL;
	return p + n + 1;
}

struct meminfo_key {
	const char *name;
	size_t off;
};

#define MI(name, field) { name, offsetof(struct meminfo, field) }
static const struct meminfo_key meminfo_keys[] = {
	MI("MemTotal", total),
	MI("MemFree", free),
	MI("MemAvailable", available),
	MI("Buffers", buffers),
	MI("Cached", cached),
	MI("SwapCached", swap_cached),
	MI("SwapTotal", swap_total),
	MI("SwapFree", swap_free),
	MI("CommitLimit", commit_limit),
	MI("Committed_AS", committed_as),
	MI("SReclaimable", slab_reclaimable),
	MI("Inactive(file)", inactive_file),
	MI("Active(file)", active_file),
	MI("Shmem", shmem),
};
#undef MI

int
parse_meminfo(const char *buf, struct meminfo *m)
{
	unsigned found = 0;

	for (size_t i = 0; i < ARRAY_SIZE(meminfo_keys); i++)
		*(struct val *)((char *)m + meminfo_keys[i].off) = val_unknown(OL_EMISSING);

	for (const char *p = buf; p && *p; p = next_line(p)) {
		for (size_t i = 0; i < ARRAY_SIZE(meminfo_keys); i++) {
			struct val *v = (struct val *)((char *)m + meminfo_keys[i].off);
			const char *q = after_key(p, meminfo_keys[i].name, ":");
			const char *end;
			uint64_t x;

			if (!q)
				continue;
			if (parse_u64(q, &end, &x) < 0 || x > INT64_MAX) {
				*v = val_unknown(OL_EPARSE);
			} else {
				while (*end == ' ')
					end++;
				/* Every meminfo size is in kB; a line without the unit is not one we know. */
				if (strncmp(end, "kB", 2) != 0)
					*v = val_unknown(OL_EPARSE);
				else
					*v = val_ok((int64_t)x);
			}
			found++;
			break;
		}
	}
	return found ? 0 : -EINVAL;
}

/* "avg10=0.12 avg60=1.00 avg300=0.00 total=12345" into l. */
static int
parse_psi_fields(const char *p, struct psi_line *l)
{
	static const char *const names[] = { "avg10=", "avg60=", "avg300=", "total=" };
	struct val *dst[] = { &l->avg10, &l->avg60, &l->avg300, &l->total_us };
	unsigned seen = 0; /* a bit per field: a repeated one must not stand in for a missing one */

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		*dst[i] = val_unknown(OL_EMISSING);
	while (*p && *p != '\n') {
		while (*p == ' ')
			p++;
		for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
			size_t n = strlen(names[i]);
			uint64_t whole, frac = 0;
			const char *end;

			if (strncmp(p, names[i], n) != 0)
				continue;
			p += n;
			if (parse_u64(p, &end, &whole) < 0 || whole > INT64_MAX / 100)
				return -EINVAL;
			p = end;
			if (i < 3) {
				/* Percentages with two decimals: keep them as hundredths. */
				if (*p != '.')
					return -EINVAL;
				p++;
				if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
					return -EINVAL;
				frac = (uint64_t)(p[0] - '0') * 10 + (uint64_t)(p[1] - '0');
				p += 2;
				*dst[i] = val_ok((int64_t)(whole * 100 + frac));
			} else {
				*dst[i] = val_ok((int64_t)whole);
			}
			seen |= 1u << i;
			break;
		}
		while (*p && *p != ' ' && *p != '\n')
			p++;
	}
	return seen == 0xf ? 0 : -EINVAL;
}

int
parse_psi(const char *buf, struct psi *psi)
{
	bool some = false;

	memset(psi, 0, sizeof(*psi));
	psi->full.avg10 = psi->full.avg60 = psi->full.avg300 = psi->full.total_us =
		val_unknown(OL_EMISSING);
	for (const char *p = buf; p && *p; p = next_line(p)) {
		const char *q;

		if ((q = after_key(p, "some", " "))) {
			if (parse_psi_fields(q, &psi->some) < 0)
				goto bad;
			some = true;
		} else if ((q = after_key(p, "full", " "))) {
			if (parse_psi_fields(q, &psi->full) < 0)
				goto bad;
		}
	}
	if (!some)
		goto bad;
	psi->present = true;
	return 0;
bad:
	memset(psi, 0, sizeof(*psi));
	psi->err = OL_EPARSE;
	return -EINVAL;
}

int
parse_kv_u64(const char *buf, const char *key, uint64_t *out)
{
	for (const char *p = buf; p && *p; p = next_line(p)) {
		const char *q = after_key(p, key, " \t");
		const char *end;

		if (!q)
			continue;
		if (parse_u64(q, &end, out) < 0)
			return -EINVAL;
		if (*end != '\n' && *end != '\0' && *end != ' ')
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

/* The n-th (0-based) blank-separated unsigned field of buf. */
static int
nth_u64(const char *buf, int n, uint64_t *out)
{
	const char *p = buf;

	for (int i = 0;; i++) {
		uint64_t x;
		const char *end;

		if (parse_u64(p, &end, &x) < 0)
			return -EINVAL;
		if (i == n) {
			*out = x;
			return 0;
		}
		p = end;
		if (*p != ' ' && *p != '\t')
			return -EINVAL;
	}
}

int
parse_dentry_state(const char *buf, uint64_t *nr_unused)
{
	return nth_u64(buf, 1, nr_unused);
}

int
parse_inode_nr(const char *buf, uint64_t *nr_free)
{
	return nth_u64(buf, 1, nr_free);
}

int
parse_slabinfo_objsize(const char *buf, const char *name, uint64_t *objsize)
{
	/* "name <active_objs> <num_objs> <objsize> <objperslab> ..." */
	for (const char *p = buf; p && *p; p = next_line(p)) {
		const char *q = after_key(p, name, " ");

		if (!q)
			continue;
		while (*q == ' ')
			q++;
		if (nth_u64(q, 2, objsize) < 0 || *objsize == 0)
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

int
parse_uptime(const char *buf, long clk_tck, uint64_t *ticks)
{
	uint64_t secs, cs = 0;
	const char *end;

	if (clk_tck <= 0 || parse_u64(buf, &end, &secs) < 0)
		return -EINVAL;
	if (*end == '.') {
		end++;
		if (end[0] < '0' || end[0] > '9' || end[1] < '0' || end[1] > '9')
			return -EINVAL;
		cs = (uint64_t)(end[0] - '0') * 10 + (uint64_t)(end[1] - '0');
	}
	if (secs > UINT64_MAX / 1000 / (uint64_t)clk_tck)
		return -ERANGE;
	*ticks = secs * (uint64_t)clk_tck + cs * (uint64_t)clk_tck / 100;
	return 0;
}

int
parse_kernel_release(const char *buf, int *major, int *minor)
{
	uint64_t a, b;
	const char *end;

	if (parse_u64(buf, &end, &a) < 0 || *end != '.' || a > 1000)
		return -EINVAL;
	if (parse_u64(end + 1, &end, &b) < 0 || b > 1000)
		return -EINVAL;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

int
parse_proc_stat(const char *buf, struct stat_fields *st)
{
	const char *open = strchr(buf, '(');
	const char *close = strrchr(buf, ')');
	const char *p;
	uint64_t pid, x;
	int64_t sx;
	size_t n;

	memset(st, 0, sizeof(*st));
	if (!open || !close || close < open || parse_u64(buf, NULL, &pid) < 0 || pid == 0 ||
	    pid > INT32_MAX)
		return -EINVAL;
	st->pid = (pid_t)pid;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';

	p = close + 1;
	if (p[0] != ' ' || p[1] == '\0' || p[2] != ' ')
		return -EINVAL;
	st->state = p[1];
	p += 2;

	/*
	 * Fields after the state, numbered as in proc(5): 4 ppid ... 9 flags,
	 * 14 utime, 15 stime, 19 nice, 22 starttime, 23 vsize, 24 rss.  Some are
	 * signed (priority, nice, cutime); parse every field as signed.
	 */
	for (int field = 4; field <= 24; field++) {
		const char *end;

		if (parse_i64(p, &end, &sx) < 0)
			return -EINVAL;
		if (*end != ' ' && *end != '\n' && *end != '\0')
			return -EINVAL;
		x = (uint64_t)sx;
		switch (field) {
		case 4:
			if (sx < 0 || sx > INT32_MAX)
				return -EINVAL;
			st->ppid = (pid_t)sx;
			break;
		case 9:
			st->flags = x;
			break;
		case 14:
			st->utime = x;
			break;
		case 15:
			st->stime = x;
			break;
		case 19:
			st->nice = sx;
			break;
		case 22:
			st->start_ticks = x;
			break;
		case 23:
			st->vsize_bytes = x;
			break;
		case 24:
			st->rss_pages = sx;
			break;
		default:
			break;
		}
		p = end;
		if (field < 24 && *p != ' ')
			return -EINVAL;
	}
	return 0;
}

/* "Key:\t123 kB" -> 123 in v. */
static void
status_kb(const char *q, struct val *v)
{
	const char *end;
	uint64_t x;

	if (parse_u64(q, &end, &x) < 0 || x > INT64_MAX)
		*v = val_unknown(OL_EPARSE);
	else
		*v = val_ok((int64_t)x);
}

/* 16 hex digits of a capability set, split in two halves. */
static int
parse_hex64(const char *q, uint64_t *out)
{
	uint64_t x = 0;
	int n = 0;

	while (*q == ' ' || *q == '\t')
		q++;
	for (; n < 17; n++, q++) {
		int d = hex_digit(*q);

		if (d < 0)
			break;
		x = x << 4 | (uint64_t)d;
	}
	if (n == 0 || n > 16)
		return -EINVAL;
	*out = x;
	return 0;
}

int
parse_proc_status(const char *buf, struct status_fields *st)
{
	unsigned found = 0;

	st->uid = st->euid = val_unknown(OL_EMISSING);
	st->vm_size_kb = st->rss_kb = st->swap_kb = st->pgtables_kb = val_unknown(OL_EMISSING);
	st->cap_eff_hi = st->cap_eff_lo = val_unknown(OL_EMISSING);

	for (const char *p = buf; p && *p; p = next_line(p)) {
		const char *q;

		if ((q = after_key(p, "Uid", ":"))) {
			const char *end;
			uint64_t r, e;

			if (parse_u64(q, &end, &r) == 0 && parse_u64(end, NULL, &e) == 0 &&
			    r <= UINT32_MAX && e <= UINT32_MAX) {
				st->uid = val_ok((int64_t)r);
				st->euid = val_ok((int64_t)e);
			} else {
				st->uid = st->euid = val_unknown(OL_EPARSE);
			}
		} else if ((q = after_key(p, "VmSize", ":"))) {
			status_kb(q, &st->vm_size_kb);
		} else if ((q = after_key(p, "VmRSS", ":"))) {
			status_kb(q, &st->rss_kb);
		} else if ((q = after_key(p, "VmSwap", ":"))) {
			status_kb(q, &st->swap_kb);
		} else if ((q = after_key(p, "VmPTE", ":"))) {
			status_kb(q, &st->pgtables_kb);
		} else if ((q = after_key(p, "CapEff", ":"))) {
			uint64_t c;

			if (parse_hex64(q, &c) == 0) {
				st->cap_eff_hi = val_ok((int64_t)(c >> 32));
				st->cap_eff_lo = val_ok((int64_t)(c & 0xffffffffu));
			} else {
				st->cap_eff_hi = st->cap_eff_lo = val_unknown(OL_EPARSE);
			}
		} else {
			continue;
		}
		found++;
	}
	return found ? 0 : -EINVAL;
}

int
status_has_cap(const struct status_fields *st, int cap)
{
	if (cap < 0 || cap > 63 || !val_is_ok(st->cap_eff_hi) || !val_is_ok(st->cap_eff_lo))
		return -1;
	if (cap >= 32)
		return (int)(((uint64_t)st->cap_eff_hi.v >> (cap - 32)) & 1);
	return (int)(((uint64_t)st->cap_eff_lo.v >> cap) & 1);
}

size_t
cmdline_flatten(char *buf, size_t len)
{
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return len;
}

int
parse_int_file(const char *buf, int64_t *out)
{
	return parse_i64_full(buf, out);
}
