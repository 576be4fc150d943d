/*
 * test_replay.c - record and replay: snapshot_from_json() is the exact
 * inverse of the JSON output (every state of every value, containers,
 * trends, events, hostile names), damaged input is refused or made
 * unknown without harm, and a recording written by record.c is read back
 * by replay.c and stepped through by source.c.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "model.h"
#include "output.h"
#include "record.h"
#include "replay.h"
#include "snapshot_fixture.h"
#include "source.h"

/* s as --format json prints it (sorted by oom_score). */
static char *
json_text(const struct snapshot *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(output_snapshot(f, s, FMT_JSON, SORT_OOM_SCORE, true), 0);
	fclose(f);
	return buf;
}

/* Every format of s, concatenated: what must survive a replay. */
static char *
all_formats(const struct snapshot *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(output_snapshot(f, s, FMT_JSON, SORT_OOM_SCORE, true), 0);
	assert_int_equal(output_snapshot(f, s, FMT_CSV, SORT_RSS, true), 0);
	assert_int_equal(output_snapshot(f, s, FMT_PROMETHEUS, SORT_OOM_SCORE, true), 0);
	assert_int_equal(output_snapshot(f, s, FMT_TEXT, SORT_GORMAN, true), 0);
	fclose(f);
	return buf;
}

static void
test_round_trip(void **state)
{
	struct snapshot *s = fixture_snapshot(), *back = NULL;
	char *a = json_text(s), *b, *fa, *fb;

	assert_int_equal(snapshot_from_json(a, strlen(a), &back), 0);
	b = json_text(back);
	assert_string_equal(a, b);

	/* The states themselves, not only their printing. */
	assert_int_equal(back->host.inode_cache_kb.state, VAL_UNKNOWN);
	assert_int_equal(back->host.inode_cache_kb.err, EACCES);
	assert_int_equal(back->host.overcommit_kbytes.err, ENOENT);
	assert_int_equal(back->host.vm_swappiness.state, VAL_OK);
	assert_int_equal(back->host.vm_swappiness.v, 0);
	assert_int_equal(back->host.psi.some.avg10.v, 123);
	assert_int_equal(back->host.psi.full.avg300.err, OL_EPARSE);
	assert_int_equal(back->wall.tv_sec, s->wall.tv_sec);
	assert_int_equal(back->wall.tv_nsec, 345000000);
	assert_int_equal(back->n_cgroups, 4);
	assert_int_equal(back->cgroups[0].limit_bytes.state, VAL_MAX);
	assert_int_equal(back->cgroups[0].high_bytes.state, VAL_NA);
	assert_int_equal(back->cgroups[2].parent, 1);
	assert_int_equal(back->cgroups[2].depth, 2);
	assert_int_equal(back->cgroups[2].avail.limited_by, 2);
	assert_int_equal(back->cgroups[2].next_victim.group_cgroup, 2);
	assert_int_equal(back->cgroups[2].combo, CG_COMBO_MEM_ONLY);
	assert_non_null(back->cgroups[2].container);
	assert_string_equal(back->cgroups[2].container->name, "web");
	assert_int_equal(back->cgroups[3].parent, -1);
	assert_true(back->cgroups[3].psi.present);
	assert_int_equal(back->cgroups[3].psi.full.avg10.err, OL_EMISSING);
	assert_int_equal(back->n_containers, 1);
	assert_int_equal(back->n_events, 2);
	assert_int_equal(back->events[0].seq, 4242);
	assert_int_equal(back->events[1].source, OOM_SRC_COUNTER);
	assert_true(back->host_trend.steady);
	for (size_t i = 0; i < back->n_procs; i++) {
		const struct proc *p = &back->procs[i];

		if (p->pid == 2) {
			assert_true(p->flags & PROC_KTHREAD);
			assert_null(p->cmdline);
			assert_int_equal(p->cmdline_err, EACCES);
			assert_int_equal(p->state, '\0');
			assert_int_equal(p->swap_kb.err, ESRCH);
		}
		if (p->pid == 200) {
			assert_int_equal(p->cg, 2);
			assert_ptr_equal(p->container, &back->containers[0]);
		}
	}
	free(a);
	free(b);
	snapshot_free(back);

	/* The other formats too, the hostile name's bytes that are not UTF-8 included. */
	a = json_text(s);
	assert_int_equal(snapshot_from_json(a, strlen(a), &back), 0);
	fa = all_formats(s);
	fb = all_formats(back);
	assert_string_equal(fa, fb);
	free(a);
	free(fa);
	free(fb);
	snapshot_free(s);
	snapshot_free(back);
}

static void
test_unescape(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain", "plain"},
	    {"bad\\xff\\xfe\\xc0\\xafutf", "bad\xff\xfe\xc0\xafutf"},
	    {"c1\xc2\x9b"
	     "31m\\x9b"
	     "2J",
	     "c1\xc2\x9b"
	     "31m\x9b"
	     "2J"},
	    /* Escapes of bytes below 0x80 are never written: the text stays. */
	    {"bs\\x1b\\e", "bs\\x1b\\e"},
	    /* A valid UTF-8 sequence is never escaped either: the text stays. */
	    {"\\xc3\\xa9", "\\xc3\\xa9"},
	    {"\\xf", "\\xf"},
	    {"\\x", "\\x"},
	    {"end\\", "end\\"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = replay_unescape_invalid(cases[i].in);

		assert_string_equal(r, cases[i].out);
		free(r);
	}
}

static void
test_bad_documents(void **state)
{
	static const char *const bad[] = {
	    "",
	    "{",
	    "[]",
	    "null",
	    "{\"schema\":1}",
	    "{\"schema\":1,\"time\":\"yesterday\",\"host\":{}}",
	    "{\"schema\":1,\"time\":\"2026-11-25T19:01:02Z\",\"host\":[]}",
	    "{\"schema\":1,\"time\":\"2026-11-25T19:01:02Z\",\"host\":{}} trailing",
	};
	const char two[] = "{\"schema\":2,\"time\":\"2026-11-25T19:01:02Z\",\"host\":{}}";
	const char odd[] = "{\"schema\":1,\"time\":\"2026-11-25T19:01:02Z\",\"host\":{"
			   "\"mem_free_kb\":\"lots\",\"psi\":7},\"cgroups\":{},\"processes\":["
			   "{\"pid\":\"x\",\"comm\":5,\"rss_kb\":[1]},7]}";
	struct snapshot *s = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(snapshot_from_json(bad[i], strlen(bad[i]), &s), -EINVAL);
	assert_int_equal(snapshot_from_json(two, strlen(two), &s), -ENOTSUP);

	/* Wrong types make fields unknown ("unparsable"), never the load fail. */
	assert_int_equal(snapshot_from_json(odd, strlen(odd), &s), 0);
	assert_int_equal(s->host.mem_free_kb.state, VAL_UNKNOWN);
	assert_int_equal(s->host.mem_free_kb.err, OL_EPARSE);
	assert_false(s->host.psi.present);
	assert_int_equal(s->n_cgroups, 0);
	assert_int_equal(s->n_procs, 2);
	assert_int_equal(s->procs[0].pid, 0);
	assert_int_equal(s->procs[0].rss_kb.err, OL_EPARSE);
	assert_int_equal(s->host.mem_total_kb.err, 0); /* absent: not collected */
	snapshot_free(s);
}

static void
test_time_and_reasons(void **state)
{
	struct timespec t;

	assert_int_equal(replay_parse_time("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t.tv_sec, 0);
	assert_int_equal(replay_parse_time("2026-11-25T19:01:02.345Z", &t), 0);
	assert_int_equal(t.tv_sec, 1795633262);
	assert_int_equal(t.tv_nsec, 345000000);
	assert_int_equal(replay_parse_time("2000-02-29T23:59:59Z", &t), 0);
	assert_int_equal(t.tv_sec, 951868799);
	assert_int_equal(replay_parse_time("2026-11-25 19:01:02Z", &t), -EINVAL);
	assert_int_equal(replay_parse_time("2026-11-25T19:01:02", &t), -EINVAL);
	assert_int_equal(replay_parse_time("2026-13-25T19:01:02Z", &t), -EINVAL);
	assert_int_equal(replay_parse_time("2026-11-25T19:01:02.Z", &t), -EINVAL);
	assert_int_equal(replay_parse_time("2026-11-25T19:01:02+01:00", &t), -EINVAL);

	assert_int_equal(replay_reason_err("not collected"), 0);
	assert_int_equal(replay_reason_err("unparsable"), OL_EPARSE);
	assert_int_equal(replay_reason_err("not reported by this kernel"), OL_EMISSING);
	assert_int_equal(replay_reason_err("does not apply"), OL_ENOTAPPL);
	assert_int_equal(replay_reason_err(strerror(EACCES)), EACCES);
	assert_int_equal(replay_reason_err(strerror(ESRCH)), ESRCH);
	assert_int_equal(replay_reason_err("gremlins"), OL_EPARSE);
}

/* A fresh temporary directory's file name. */
static void
temp_path(char *dir, size_t dirsz, char *path, size_t pathsz, const char *name)
{
	snprintf(dir, dirsz, "/tmp/oomlens-test-replay-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, pathsz, "%s/%s", dir, name);
}

static void
test_record_replay_source(void **state)
{
	char dir[64], path[128], other[128];
	struct snapshot *s = fixture_snapshot(), *got = NULL;
	struct recorder *rec;
	struct snap_source *src;
	struct replay *rp;
	struct timespec t, first, last;
	size_t pos, count;
	char *want = json_text(s), *have;
	int fd;

	temp_path(dir, sizeof(dir), path, sizeof(path), "rec.jsonl");
	assert_int_equal(record_open(path, &rec), 0);
	for (int i = 0; i < 3; i++) {
		s->wall.tv_sec = 1795633262 + 10 * i;
		assert_int_equal(record_append(rec, s), 0);
	}
	assert_int_equal(record_close(rec), 0);

	/* A cut-off last line (a crash) is skipped, and ended by the next writer. */
	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"schema\":1,\"ti", 15), 15);
	close(fd);
	assert_int_equal(record_open(path, &rec), 0);
	s->wall.tv_sec = 1795633292;
	assert_int_equal(record_append(rec, s), 0);
	assert_int_equal(record_close(rec), 0);

	assert_int_equal(replay_open(path, &rp), 0);
	assert_int_equal(replay_count(rp), 4);
	assert_int_equal(replay_skipped(rp), 1);
	t = (struct timespec){.tv_sec = 1795633275};
	assert_int_equal(replay_find_time(rp, &t), 1);
	t.tv_sec = 1;
	assert_int_equal(replay_find_time(rp, &t), 0);
	t.tv_sec = 1795633292;
	t.tv_nsec = 345000000;
	assert_int_equal(replay_find_time(rp, &t), 3);
	replay_free(rp);

	assert_int_equal(snap_source_replay(path, &src), 0);
	assert_true(snap_source_is_replay(src));
	assert_int_equal(snap_source_prev(src, &got), -ENODATA);
	assert_int_equal(snap_source_next(src, &got), 0);
	s->wall.tv_sec = 1795633262;
	have = json_text(got);
	assert_string_equal(want, have);
	free(have);
	snapshot_free(got);
	assert_int_equal(snap_source_next(src, &got), 0);
	assert_int_equal(got->wall.tv_sec, 1795633272);
	snapshot_free(got);
	assert_int_equal(snap_source_prev(src, &got), 0);
	assert_int_equal(got->wall.tv_sec, 1795633262);
	snapshot_free(got);
	t = (struct timespec){.tv_sec = 1795633285};
	assert_int_equal(snap_source_seek_time(src, &t, &got), 0);
	assert_int_equal(got->wall.tv_sec, 1795633282);
	snapshot_free(got);
	assert_true(snap_source_position(src, &pos, &count, &first, &last));
	assert_int_equal(pos, 2);
	assert_int_equal(count, 4);
	assert_int_equal(first.tv_sec, 1795633262);
	assert_int_equal(last.tv_sec, 1795633292);
	assert_int_equal(snap_source_next(src, &got), 0);
	assert_int_equal(got->wall.tv_sec, 1795633292);
	snapshot_free(got);
	assert_int_equal(snap_source_next(src, &got), -ENODATA);
	assert_int_equal(snap_source_seek_index(src, 9, &got), -ERANGE);
	assert_int_equal(snap_source_seek_index(src, 0, &got), 0);
	assert_int_equal(got->wall.tv_sec, 1795633262);
	snapshot_free(got);
	snap_source_free(src);

	/* A file that is not a recording is neither appended to nor replayed. */
	snprintf(other, sizeof(other), "%s/notes.txt", dir);
	fd = open(other, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "precious\n", 9), 9);
	close(fd);
	assert_int_equal(record_open(other, &rec), -EINVAL);
	assert_int_equal(replay_open(other, &rp), -EINVAL);
	assert_int_equal(snap_source_replay("/nonexistent/oomlens.jsonl", &src), -ENOENT);

	unlink(other);
	unlink(path);
	rmdir(dir);
	free(want);
	snapshot_free(s);
}

static void
test_header(void **state)
{
	int format = 0;
	const char good[] = "{\"oomlens_recording\":1,\"version\":\"0.1.0\"}\n{\"schema\":1}";

	assert_int_equal(record_parse_header(good, strlen(good), &format), 0);
	assert_int_equal(format, 1);
	assert_int_equal(record_parse_header("{\"schema\":1}", 12, &format), -EINVAL);
	assert_int_equal(record_parse_header("{\"oomlens_recording\":\"1\"}", 25, &format),
			 -EINVAL);
	assert_int_equal(record_parse_header("", 0, &format), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),	     cmocka_unit_test(test_bad_documents),
	    cmocka_unit_test(test_time_and_reasons), cmocka_unit_test(test_record_replay_source),
	    cmocka_unit_test(test_header),	     cmocka_unit_test(test_unescape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
