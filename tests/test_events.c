/*
 * test_events.c - the /dev/kmsg record parser and the OOM report parser on
 * kernel log lines recorded from several kernel versions (data/fixtures/kmsg:
 * 4.9 and 4.14 "Kill process ... or sacrifice child" + "Killed process",
 * 4.19 with the first oom-kill summary line, 5.4 Kubernetes, 6.1 cpuset,
 * 6.6 memory.oom.group, this machine's 6.18), garbage records, the counter
 * reconciliation, and the log read from a fixture tree through oomlog.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "container.h"
#include "events.h"
#include "fixture.h"

#define DOCKER_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define K8S_ID	  "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define POD	  "/kubepods/burstable/pod8a1c2b3d-1111-2222-3333-444455556666"
#define GROUP_SCOPE                                                                                \
	"/system.slice/"                                                                           \
	"docker-aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111.scope"

struct parsed {
	struct oom_event ev[16];
	uint64_t seq[16];
	size_t n;
};

/* Feed every record of a fixture through a fresh parser. */
static void
parse_fixture(const char *rel, struct parsed *out)
{
	const char *buf = fixture(rel);
	struct oom_parser *p = malloc(sizeof(*p));
	const char *line = buf;

	memset(out, 0, sizeof(*out));
	oom_parser_init(p);
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		struct kmsg_record r;

		if (len && line[0] != ' ' && kmsg_parse_record(line, len, &r) == 0 &&
		    oom_parser_feed(p, r.msg, r.msg_len, &out->ev[out->n]) == 1) {
			out->seq[out->n] = r.seq;
			assert_true(out->n < 15);
			out->n++;
		}
		line += len + (nl ? 1 : 0);
	}
	free(p);
}

static void
free_parsed(struct parsed *p)
{
	for (size_t i = 0; i < p->n; i++)
		oom_event_clear(&p->ev[i]);
}

static void
test_record(void **state)
{
	struct kmsg_record r;
	const char rec[] = "6,1234,5678901,-,caller=T42;hello world\n SUBSYSTEM=memory\n";
	char out[64];

	(void)state;
	assert_int_equal(kmsg_parse_record(rec, strlen(rec), &r), 0);
	assert_int_equal(r.prio, 6);
	assert_int_equal(r.seq, 1234);
	assert_int_equal(r.usec, 5678901);
	assert_int_equal(r.flags, '-');
	assert_int_equal(r.msg_len, strlen("hello world"));
	assert_memory_equal(r.msg, "hello world", r.msg_len);

	assert_int_equal(kmsg_parse_record("6,1,2", 5, &r), -EINVAL);
	assert_int_equal(kmsg_parse_record("6,1,2;x", 7, &r), -EINVAL);
	assert_int_equal(kmsg_parse_record("x,1,2,-;x", 9, &r), -EINVAL);
	assert_int_equal(kmsg_parse_record(";", 1, &r), -EINVAL);
	assert_int_equal(kmsg_parse_record("6,1,2,-;", 8, &r), 0);
	assert_int_equal(r.msg_len, 0);

	assert_int_equal(kmsg_unescape(out, sizeof(out), "a\\x20b\\x5cc\\x", 13), 7);
	assert_string_equal(out, "a b\\c\\x");
	assert_int_equal(kmsg_unescape(out, 4, "abcdef", 6), 3);
	assert_string_equal(out, "abc");
}

/* This machine's kernel (6.18, cgroup v1): the kill the system test provokes. */
static void
test_linux_6_18_memcg(void **state)
{
	struct parsed p;
	const char *cg = "/process_api/6847f31bd0ab17439b7dd1abf0c736d6/oomlens-test-16207";

	(void)state;
	parse_fixture("fixtures/kmsg/linux-6.18-memcg-v1", &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.ev[0].pid, 16257);
	assert_string_equal(p.ev[0].comm, "python3");
	assert_string_equal(p.ev[0].cgroup, cg);
	assert_string_equal(p.ev[0].constraint, cg);
	assert_int_equal(p.ev[0].rss_kb.v, 65024 + 6592);
	assert_true(val_is_ok(p.ev[0].oom_score_adj));
	assert_int_equal(p.ev[0].oom_score_adj.v, 0);
	assert_int_equal(p.ev[0].source, OOM_SRC_KMSG);
	assert_int_equal(p.ev[0].count, 1);
	free_parsed(&p);
}

/* 4.14: "Task in" names the cgroups, the Tasks state table gives oom_score_adj. */
static void
test_linux_4_14_memcg(void **state)
{
	struct parsed p;

	(void)state;
	parse_fixture("fixtures/kmsg/linux-4.14-memcg", &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.ev[0].pid, 3121);
	assert_string_equal(p.ev[0].comm, "python");
	assert_string_equal(p.ev[0].cgroup, "/docker/" DOCKER_ID);
	assert_string_equal(p.ev[0].constraint, "/docker/" DOCKER_ID);
	assert_int_equal(p.ev[0].rss_kb.v, 63888 + 604);
	assert_int_equal(p.ev[0].oom_score_adj.v, 500);
	assert_int_equal(p.seq[0], 1013);
	free_parsed(&p);
}

/* 4.9 host-wide: no cgroup, a comm with spaces and parentheses. */
static void
test_linux_4_9_host(void **state)
{
	struct parsed p;

	(void)state;
	parse_fixture("fixtures/kmsg/linux-4.9-host", &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.ev[0].pid, 812);
	assert_string_equal(p.ev[0].comm, "my (app) x");
	assert_null(p.ev[0].cgroup);
	assert_string_equal(p.ev[0].constraint, "host");
	assert_int_equal(p.ev[0].rss_kb.v, 1992000);
	assert_int_equal(p.ev[0].oom_score_adj.v, 100);
	free_parsed(&p);
}

/* 4.19: the first summary line (global_oom), the old Kill/Killed pair; no adj anywhere. */
static void
test_linux_4_19_host(void **state)
{
	struct parsed p;

	(void)state;
	parse_fixture("fixtures/kmsg/linux-4.19-host", &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.ev[0].pid, 4242);
	assert_string_equal(p.ev[0].cgroup, "/user.slice/user-1000.slice/session-2.scope");
	assert_string_equal(p.ev[0].constraint, "host");
	assert_int_equal(p.ev[0].rss_kb.v, 7340036);
	assert_false(val_is_ok(p.ev[0].oom_score_adj));
	free_parsed(&p);
}

static void
test_linux_5_4_kubepods(void **state)
{
	struct parsed p;

	(void)state;
	parse_fixture("fixtures/kmsg/linux-5.4-kubepods", &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.ev[0].pid, 20345);
	assert_string_equal(p.ev[0].comm, "java");
	assert_string_equal(p.ev[0].cgroup, POD "/" K8S_ID);
	assert_string_equal(p.ev[0].constraint, POD);
	assert_int_equal(p.ev[0].rss_kb.v, 510204 + 23112);
	assert_int_equal(p.ev[0].oom_score_adj.v, 937);
	free_parsed(&p);
}

/* Nodemasks with commas; CONSTRAINT_CPUSET; shmem counted in the RSS. */
static void
test_linux_6_1_cpuset(void **state)
{
	struct parsed p;

	(void)state;
	parse_fixture("fixtures/kmsg/linux-6.1-cpuset", &p);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.ev[0].pid, 5150);
	assert_string_equal(p.ev[0].cgroup, "/batch/job-7");
	assert_string_equal(p.ev[0].constraint, "cpuset");
	assert_int_equal(p.ev[0].rss_kb.v, 1048576 + 1024 + 512);
	free_parsed(&p);
}

/* memory.oom.group: every member is an event, the victim is not counted twice. */
static void
test_linux_6_6_oom_group(void **state)
{
	struct parsed p;

	(void)state;
	parse_fixture("fixtures/kmsg/linux-6.6-oom-group", &p);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.ev[0].pid, 700);
	assert_string_equal(p.ev[0].cgroup, GROUP_SCOPE);
	assert_string_equal(p.ev[0].constraint, GROUP_SCOPE);
	assert_int_equal(p.ev[1].pid, 690);
	assert_string_equal(p.ev[1].comm, "sh");
	assert_string_equal(p.ev[1].cgroup, GROUP_SCOPE);
	assert_string_equal(p.ev[1].constraint, GROUP_SCOPE);
	free_parsed(&p);
}

/* Truncated and garbled records never crash and never invent a kill. */
static void
test_garbage(void **state)
{
	struct parsed p;

	(void)state;
	parse_fixture("fixtures/kmsg/garbage", &p);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.ev[0].pid, 78);
	assert_string_equal(p.ev[0].comm, "ok");
	assert_false(val_is_ok(p.ev[0].rss_kb));
	assert_null(p.ev[0].constraint);
	assert_int_equal(p.ev[1].pid, 79);
	assert_string_equal(p.ev[1].comm, "x y"); /* \x20 undone */
	assert_int_equal(p.ev[1].rss_kb.v, 16);
	assert_false(val_is_ok(p.ev[1].oom_score_adj)); /* 1001 is out of range */
	assert_string_equal(p.ev[1].constraint, "host");
	free_parsed(&p);
}

/* The summary line of one OOM must not leak into the next. */
static void
test_reset_between_ooms(void **state)
{
	struct oom_parser *p = malloc(sizeof(*p));
	struct oom_event ev;
	const char *l1 = "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,"
			 "mems_allowed=0,oom_memcg=/a,task_memcg=/a/b,task=x,pid=10,uid=0";
	const char *l2 =
	    "Memory cgroup out of memory: Killed process 10 (x) total-vm:1kB, "
	    "anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0";
	const char *l3 =
	    "y invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0";
	const char *l4 = "Out of memory: Killed process 11 (y) total-vm:1kB, anon-rss:1kB, "
			 "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0";

	(void)state;
	oom_parser_init(p);
	assert_int_equal(oom_parser_feed(p, l1, strlen(l1), &ev), 0);
	assert_int_equal(oom_parser_feed(p, l2, strlen(l2), &ev), 1);
	assert_string_equal(ev.cgroup, "/a/b");
	assert_string_equal(ev.constraint, "/a");
	oom_event_clear(&ev);
	assert_int_equal(oom_parser_feed(p, l3, strlen(l3), &ev), 0);
	assert_int_equal(oom_parser_feed(p, l4, strlen(l4), &ev), 1);
	assert_null(ev.cgroup);
	assert_string_equal(ev.constraint, "host");
	oom_event_clear(&ev);
	free(p);
}

static void
test_missed(void **state)
{
	uint64_t credit = 0;

	(void)state;
	/* The log saw everything. */
	assert_int_equal(oomlog_missed(2, 2, &credit), 0);
	assert_int_equal(credit, 0);
	/* The log missed one of three. */
	assert_int_equal(oomlog_missed(3, 2, &credit), 1);
	/* The log got ahead of the counter: the next tick's rise is already seen. */
	assert_int_equal(oomlog_missed(0, 1, &credit), 0);
	assert_int_equal(credit, 1);
	assert_int_equal(oomlog_missed(1, 0, &credit), 0);
	assert_int_equal(credit, 0);
	/* Credit lasts one tick only. */
	assert_int_equal(oomlog_missed(0, 1, &credit), 0);
	assert_int_equal(oomlog_missed(0, 0, &credit), 0);
	assert_int_equal(credit, 0);
	assert_int_equal(oomlog_missed(1, 0, &credit), 1);
}

/* A snapshot with one v1 cgroup and the host counter. */
static void
fake_snapshot(struct snapshot *s, struct cgroup *cg, int64_t host_kills, int64_t cg_kills)
{
	memset(s, 0, sizeof(*s));
	memset(cg, 0, sizeof(*cg) * 2);
	s->host.oom_kill = val_ok(host_kills);
	cg[0].path = (char *)"/";
	cg[0].depth = 0;
	cg[0].parent = -1;
	cg[0].ev_oom_kill = val_ok(0);
	cg[1].path = (char *)"/docker/" DOCKER_ID;
	cg[1].depth = 1;
	cg[1].parent = 0;
	cg[1].ev_oom_kill = val_ok(cg_kills);
	s->cgroups = cg;
	s->n_cgroups = 2;
	clock_gettime(CLOCK_REALTIME, &s->wall);
}

static void
free_events(struct snapshot *s)
{
	for (size_t i = 0; i < s->n_events; i++) {
		free(s->events[i].cgroup);
		free(s->events[i].constraint);
	}
	free(s->events);
}

/*
 * The log through a fixture tree: root/dev/kmsg is a plain file holding the
 * 4.14 Docker kill.  Kills already in the log are history; a later rise of
 * the counters without a log line becomes a counter event in the right cgroup.
 */
static void
test_oomlog_fixture_and_counters(void **state)
{
	char root[] = "/tmp/oomlens-test-events-XXXXXX";
	char path[4096], cmd[8192];
	struct container_resolver *cr;
	struct oomlog *l;
	struct snapshot s;
	struct cgroup cg[2];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/dev", root);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(cmd, sizeof(cmd), "cp %s/fixtures/kmsg/linux-4.14-memcg %s/dev/kmsg",
		 fixture_dir(), root);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "cp -r %s/fixtures/containers/var %s/", fixture_dir(), root);
	assert_int_equal(system(cmd), 0);

	cr = container_resolver_new(root, false);
	l = oomlog_new(root);
	oomlog_prime(l, cr);
	fake_snapshot(&s, cg, 5, 1);
	oomlog_update(l, cr, &s);
	assert_int_equal(s.n_events, 1);
	assert_int_equal(s.events_total, 1);
	assert_int_equal(s.kmsg_err, 0);
	assert_int_equal(s.events[0].pid, 3121);
	assert_int_equal(s.events[0].container.runtime, CT_DOCKER);
	assert_string_equal(s.events[0].container.name, "web-frontend");
	free_events(&s);

	/* Next tick: the cgroup's counter and the host's rose by one, the log is silent. */
	fake_snapshot(&s, cg, 6, 2);
	oomlog_update(l, cr, &s);
	assert_int_equal(s.n_events, 2);
	assert_int_equal(s.events[1].source, OOM_SRC_COUNTER);
	assert_int_equal(s.events[1].pid, 0);
	assert_int_equal(s.events[1].count, 1);
	assert_string_equal(s.events[1].cgroup, "/docker/" DOCKER_ID);
	assert_string_equal(s.events[1].container.name, "web-frontend");
	free_events(&s);

	/* Then a kill the log records, appended to the file, with both counters rising. */
	snprintf(path, sizeof(path), "%s/dev/kmsg", root);
	f = fopen(path, "a");
	assert_non_null(f);
	fputs("3,2000,6000000000,-;Memory cgroup out of memory: Killed process 3200 (python) "
	      "total-vm:1kB, anon-rss:10kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB "
	      "oom_score_adj:500\n",
	      f);
	fclose(f);
	fake_snapshot(&s, cg, 7, 3);
	oomlog_update(l, cr, &s);
	assert_int_equal(s.n_events, 3);
	assert_int_equal(s.events[2].source, OOM_SRC_KMSG);
	assert_int_equal(s.events[2].pid, 3200);
	free_events(&s);

	/* A host-wide rise with no log line and no cgroup rise: a host counter event. */
	fake_snapshot(&s, cg, 8, 3);
	oomlog_update(l, cr, &s);
	assert_int_equal(s.n_events, 4);
	assert_int_equal(s.events[3].source, OOM_SRC_COUNTER);
	assert_null(s.events[3].cgroup);
	free_events(&s);

	oomlog_free(l);
	container_resolver_free(cr);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

/* An unreadable kernel log: every kill comes from the counters, with the reason kept. */
static void
test_oomlog_no_kmsg(void **state)
{
	struct oomlog *l = oomlog_new("/nonexistent-oomlens-root");
	struct snapshot s;
	struct cgroup cg[2];

	(void)state;
	fake_snapshot(&s, cg, 5, 0);
	oomlog_update(l, NULL, &s);
	assert_int_equal(s.n_events, 0);
	assert_int_equal(s.kmsg_err, ENOENT);
	free_events(&s);
	fake_snapshot(&s, cg, 8, 2);
	oomlog_update(l, NULL, &s);
	assert_int_equal(s.n_events, 2);
	assert_int_equal(s.events[0].count, 2);
	assert_string_equal(s.events[0].cgroup, "/docker/" DOCKER_ID);
	assert_int_equal(s.events[1].count, 1);
	assert_null(s.events[1].cgroup);
	free_events(&s);
	oomlog_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_record),
	    cmocka_unit_test(test_linux_6_18_memcg),
	    cmocka_unit_test(test_linux_4_14_memcg),
	    cmocka_unit_test(test_linux_4_9_host),
	    cmocka_unit_test(test_linux_4_19_host),
	    cmocka_unit_test(test_linux_5_4_kubepods),
	    cmocka_unit_test(test_linux_6_1_cpuset),
	    cmocka_unit_test(test_linux_6_6_oom_group),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_reset_between_ooms),
	    cmocka_unit_test(test_missed),
	    cmocka_unit_test(test_oomlog_fixture_and_counters),
	    cmocka_unit_test(test_oomlog_no_kmsg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
