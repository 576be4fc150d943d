/*
 * act_frees.c - what ending a process frees (act_frees.h).
 */
#include "config.h"

#include "act_frees.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "util.h"

/* "   1234 kB" after a status key: the number, or unknown (parse error). */
static struct val
status_kb_val(const char *q)
{
	uint64_t x;

	if (parse_u64(q, NULL, &x) < 0 || x > INT64_MAX / 1024)
		return val_unknown(OL_EPARSE);
	return val_ok((int64_t)x);
}

void
act_frees_parse(const char *buf, struct act_frees *f)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{"VmRSS:", offsetof(struct act_frees, rss_kb)},
		{"VmSwap:", offsetof(struct act_frees, swap_kb)},
		{"RssAnon:", offsetof(struct act_frees, anon_kb)},
		{"RssFile:", offsetof(struct act_frees, file_kb)},
		{"RssShmem:", offsetof(struct act_frees, shmem_kb)},
	};

	f->rss_kb = f->swap_kb = val_unknown(OL_EMISSING);
	f->anon_kb = f->file_kb = f->shmem_kb = val_unknown(OL_EMISSING);
	for (const char *p = buf; p && *p;) {
		const char *nl = strchr(p, '\n');

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t n = strlen(keys[i].key);

			if (strncmp(p, keys[i].key, n) == 0)
				*(struct val *)((char *)f + keys[i].off) = status_kb_val(p + n);
		}
		p = nl ? nl + 1 : NULL;
	}
}

static void
kb_text(struct val v, char *out, size_t outsz)
{
	if (val_is_ok(v))
		snprintf(out, outsz, "%" PRId64 " kB", v.v);
	else
		snprintf(out, outsz, "unknown (%s)", val_reason(v));
}

static void
sum_text(struct val a, struct val b, char *out, size_t outsz)
{
	if (val_is_ok(a) && val_is_ok(b))
		snprintf(out, outsz, "%" PRId64 " kB", a.v + b.v);
	else
		snprintf(out, outsz, "an unknown amount");
}

void
act_frees_note(struct act_plan *p, const struct act_step *st)
{
	char buf[8192], rss[48], swap[48], total[48], anon[48], file[48], shmem[48], freed[48];
	struct act_frees f;
	ssize_t r;

	r = read_file_at(st->dirfd, "status", buf, sizeof(buf), NULL);
	if (r < 0) {
		act_frees_parse("", &f);
		f.rss_kb = f.swap_kb = f.anon_kb = f.file_kb = f.shmem_kb = val_unknown((int)-r);
	} else {
		act_frees_parse(buf, &f);
	}
	kb_text(f.rss_kb, rss, sizeof(rss));
	kb_text(f.swap_kb, swap, sizeof(swap));
	sum_text(f.rss_kb, f.swap_kb, total, sizeof(total));
	kb_text(f.anon_kb, anon, sizeof(anon));
	kb_text(f.file_kb, file, sizeof(file));
	kb_text(f.shmem_kb, shmem, sizeof(shmem));
	sum_text(f.anon_kb, f.swap_kb, freed, sizeof(freed));
	act_msg_add(&p->notes, "memory: RSS %s + swap %s = %s", rss, swap, total);
	/* Anonymous pages and swap belong to the process (unless a fork shares them copy-on-write). */
	act_msg_add(&p->notes,
		    "ending it frees %s: anonymous %s + swap %s; shared, may stay: file-backed %s "
		    "(page cache) and shared memory %s (while tmpfs or another process holds it)",
		    freed, anon, swap, file, shmem);
}
