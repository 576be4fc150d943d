/*
 * test_output.c - the batch outputs on a snapshot built by hand: the JSON
 * contract keys and how "max", not-available and unknown values appear,
 * hostile process names in JSON, CSV and text, the sort orders (also
 * against an oracle on random processes), and the
 * textsafe escaping they rest on.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "model.h"
#include "output.h"
#include "textsafe.h"

#define HOSTILE_OSC "\x1b]52;c;AAAA\x07"
#define NPROCS	    5
#define CSV_HEADER                                                                                 \
	"pid,ppid,uid,euid,comm,cmdline,state,nice,cgroup,vm_size_kb,rss_kb,swap_kb,"              \
	"pgtables_kb,cpu_ticks,start_ticks,oom_score,oom_score_adj,badness_gorman,"                \
	"badness_kernel,oom_score_recomputed,cap_sys_admin,cap_sys_rawio,time\n"

static struct cgroup cgs[3];
static struct proc procs[NPROCS];
static struct snapshot snap;
static char cmd_newline[] = "sh -c 'a\nb'";
static char cmd_comma[] = "printf \"%s,%s\" x y";
static char cg_docker[] = "/docker/abc";
static char cg_root[] = "/";
static char cg_sys[] = "/system.slice";

/* A psi_line with all four values known. */
static struct psi_line
psi_line(int64_t a10, int64_t a60, int64_t a300, int64_t total)
{
	return (struct psi_line){val_ok(a10), val_ok(a60), val_ok(a300), val_ok(total)};
}

/* One process with everything known, to be varied by the tests. */
static struct proc
make_proc(pid_t pid, const char *comm, int64_t oom)
{
	struct proc p = {
	    .pid = pid,
	    .ppid = 1,
	    .start_ticks = 1000 + (uint64_t)pid,
	    .uid = val_ok(0),
	    .euid = val_ok(0),
	    .state = 'S',
	    .nice = 0,
	    .cpu_ticks = 50,
	    .vm_size_kb = val_ok(10000 + pid),
	    .rss_kb = val_ok(2000),
	    .swap_kb = val_ok(0),
	    .pgtables_kb = val_ok(40),
	    .cgroup = cg_docker,
	    .cg = 1,
	    .cap_sys_admin = val_ok(1),
	    .cap_sys_rawio = val_ok(0),
	    .oom_score = val_ok(oom),
	    .oom_score_adj = val_ok(0),
	    .badness_gorman = val_ok(1234),
	    .badness_kernel = val_ok(510),
	    .oom_score_recomputed = val_ok(oom),
	    .oom_score_agrees = val_ok(1),
	};

	proc_set_comm(&p, comm, strlen(comm));
	return p;
}

/* The snapshot every test reads: one host, three cgroups, five processes. */
static int
setup(void **state)
{
	struct host *h = &snap.host;

	memset(&snap, 0, sizeof(snap));
	snap.wall = (struct timespec){.tv_sec = 1795633262, .tv_nsec = 345000000};
	h->mem_total_kb = val_ok(8000000);
	h->mem_free_kb = val_ok(1000000);
	h->page_cache_kb = val_ok(2000000);
	h->cached_kb = val_ok(1990000);
	h->swap_total_kb = val_ok(2097148);
	h->swap_free_kb = val_ok(2097148);
	h->swap_cache_kb = val_ok(10000);
	h->dentry_cache_kb = val_ok(12000);
	h->inode_cache_kb = val_unknown(EACCES);
	h->vm_enough_kb = val_unknown(EACCES);
	h->buffers_kb = val_ok(100);
	h->dentry_unused = val_ok(64000);
	h->dentry_obj_size = val_ok(192);
	h->dentry_size_guessed = true;
	h->inode_free = val_unknown(EACCES);
	h->inode_obj_size = val_ok(600);
	h->mem_available_kb = val_ok(5000000);
	h->commit_limit_kb = val_ok(6097148);
	h->committed_as_kb = val_ok(3000000);
	h->overcommit_memory = val_ok(0);
	h->overcommit_ratio = val_ok(50);
	h->overcommit_kbytes = val_ok(0);
	h->slab_reclaimable_kb = val_ok(5000);
	h->inactive_file_kb = val_ok(700000);
	h->active_file_kb = val_ok(900000);
	h->psi.present = true;
	h->psi.some = psi_line(123, 45, 6, 987654);
	h->psi.full = psi_line(0, 7, 0, 1234);
	h->oom_kill = val_ok(3);
	h->page_size = 4096;
	h->clk_tck = 100;
	h->shift_hz = 7;
	snprintf(h->kernel_release, sizeof(h->kernel_release), "6.1.0-test");
	h->oom_score_v59 = true;
	h->totalpages = val_ok(2524287);

	for (size_t i = 0; i < 3; i++) {
		struct cgroup *c = &cgs[i];

		memset(c, 0, sizeof(*c));
		c->version = 1;
		c->parent = i ? 0 : -1;
		c->usage_bytes = val_ok(100 << 20);
		c->limit_bytes = val_max();
		c->swap_limit_bytes = val_max();
		c->swap_max_bytes = val_na();
		c->reservation_bytes = val_max();
		c->high_bytes = val_na();
		c->min_bytes = val_na();
		c->swappiness = val_ok(60);
		c->kmem_limit_bytes = val_max();
		c->kmem_usage_bytes = val_ok(4096);
		c->oom_kill_disable = val_ok(0);
		c->oom_group = val_na();
		c->swap_usage_bytes = val_ok(0);
		c->peak_bytes = val_ok(200 << 20);
		c->ev_oom = val_ok(0);
		c->ev_oom_kill = val_ok(0);
		c->ev_high = val_na();
		c->ev_max = val_na();
		c->failcnt = val_ok(0);
		c->under_oom = val_ok(0);
		c->stat_anon = val_ok(50 << 20);
		c->stat_file = val_ok(50 << 20);
		c->stat_inactive_file = val_ok(20 << 20);
		c->stat_active_file = val_ok(30 << 20);
		c->stat_slab_reclaimable = val_unknown(OL_EMISSING);
		c->avail.headroom_bytes = val_ok(1000);
		c->avail.page_cache_bytes = val_ok(2000);
		c->avail.inactive_file_bytes = val_ok(3000);
		c->avail.slab_reclaimable_bytes = val_unknown(OL_EMISSING);
		c->avail.swap_headroom_bytes = val_max();
		c->avail.available_bytes = val_unknown(OL_EMISSING);
		c->avail.limited_by = -1;
		c->next_victim.group_cgroup = -1;
	}
	cgs[0].path = cg_root;
	cgs[1].path = cg_docker;
	cgs[1].limit_bytes = val_ok(512 << 20);
	cgs[1].swap_limit_bytes = val_ok(1024 << 20);
	cgs[1].ev_oom_kill = val_ok(2);
	cgs[1].oom_kill_disable = val_unknown(EACCES);
	cgs[1].has_limit = true;
	cgs[1].avail.limited_by = 1;
	cgs[1].nr_processes = 4;
	cgs[1].next_victim = (struct victim){
	    .pid = 300, .start_ticks = 1300, .comm = "\xff\xfe", .points = 510, .group_cgroup = -1};
	cgs[2].path = cg_sys;
	cgs[2].avail.limited_by = -1;
	snap.cgroups = cgs;
	snap.n_cgroups = 3;

	procs[0] = make_proc(100, "bash", 700);
	procs[1] = make_proc(200, HOSTILE_OSC, 900);
	procs[1].cmdline = cmd_newline;
	procs[2] = make_proc(300, "\xff\xfe", 900);
	procs[2].cmdline = cmd_comma;
	procs[2].oom_score_agrees = val_ok(0);
	procs[3] = make_proc(400, "a\nb", 0);
	procs[3].oom_score = val_unknown(EACCES);
	procs[3].swap_kb = val_unknown(ESRCH);
	procs[3].cap_sys_admin = val_unknown(EPERM);
	procs[3].cmdline_err = EACCES;
	procs[4] = make_proc(2, "kthreadd", 0);
	procs[4].flags = PROC_KTHREAD;
	procs[4].cgroup = cg_root;
	procs[4].cg = 0;
	procs[4].badness_kernel = val_unknown(OL_ENOTAPPL);
	snap.procs = procs;
	snap.n_procs = NPROCS;
	snap.host_victim = (struct victim){
	    .pid = 300, .start_ticks = 1300, .comm = "\xff\xfe", .points = 510, .group_cgroup = -1};
	snap.vanished = 2;
	snap.cgroup_version = 1;
	snap.cg_mount = (char *)"/sys/fs/cgroup/memory";
	*state = &snap;
	return 0;
}

/* Everything output_snapshot writes for fmt, as one string. */
static char *
render(enum out_format fmt, enum sort_key k, bool header)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(output_snapshot(f, &snap, fmt, k, header), 0);
	fclose(f);
	return buf;
}

/* The JSON output parsed back strictly, with UTF-8 validation. */
static json_object *
parse_json(const char *text)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)strlen(text));
	assert_int_equal(json_tokener_get_error(tok), json_tokener_success);
	json_tokener_free(tok);
	assert_non_null(o);
	return o;
}

/* The member key of o, which must exist. */
static json_object *
member(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("missing key %s", key);
	return v;
}

/* Every key of keys is present in o (null allowed). */
static void
assert_keys(json_object *o, const char *const *keys, size_t n)
{
	assert_true(json_object_is_type(o, json_type_object));
	for (size_t i = 0; i < n; i++)
		(void)member(o, keys[i]);
}

static const char *const top_keys[] = {"schema", "time", "host", "cgroups", "processes"};
static const char *const host_keys[] = {
    "mem_total_kb",    "mem_free_kb",	  "page_cache_kb",     "swap_total_kb", "swap_free_kb",
    "swap_cache_kb",   "dentry_cache_kb", "inode_cache_kb",    "vm_enough_kb",	"mem_available_kb",
    "commit_limit_kb", "committed_as_kb", "overcommit_memory", "psi",		"oom_kill",
};
static const char *const cgroup_keys[] = {
    "path",
    "version",
    "usage_bytes",
    "limit_bytes",
    "swap_limit_bytes",
    "reservation_bytes",
    "high_bytes",
    "min_bytes",
    "swappiness",
    "oom_kill_disable",
    "oom_group",
    "oom_events",
    "nr_processes",
    "avail",
};
static const char *const avail_keys[] = {
    "headroom_bytes",	   "page_cache_bytes", "inactive_file_bytes", "slab_reclaimable_bytes",
    "swap_headroom_bytes", "available_bytes",  "limited_by",
};
static const char *const proc_keys[] = {
    "pid",
    "ppid",
    "uid",
    "euid",
    "comm",
    "cmdline",
    "state",
    "nice",
    "cgroup",
    "vm_size_kb",
    "rss_kb",
    "swap_kb",
    "pgtables_kb",
    "cpu_ticks",
    "start_ticks",
    "oom_score",
    "oom_score_adj",
    "badness_gorman",
    "badness_kernel",
    "oom_score_recomputed",
    "cap_sys_admin",
    "cap_sys_rawio",
};

/* The JSON's process object with this pid. */
static json_object *
json_proc(json_object *root, int pid)
{
	json_object *ps = member(root, "processes");

	for (size_t i = 0; i < json_object_array_length(ps); i++) {
		json_object *p = json_object_array_get_idx(ps, i);

		if (json_object_get_int(member(p, "pid")) == pid)
			return p;
	}
	fail_msg("no process %d", pid);
	return NULL;
}

static void
test_json_contract_keys(void **state)
{
	char *text = render(FMT_JSON, SORT_OOM_SCORE, false);
	json_object *root = parse_json(text);
	json_object *host = member(root, "host"), *cg, *psi;

	assert_keys(root, top_keys, sizeof(top_keys) / sizeof(*top_keys));
	assert_int_equal(json_object_get_int(member(root, "schema")), 1);
	assert_string_equal(json_object_get_string(member(root, "time")),
			    "2026-11-25T19:01:02.345Z");
	assert_keys(host, host_keys, sizeof(host_keys) / sizeof(*host_keys));
	psi = member(host, "psi");
	assert_keys(member(psi, "some"),
		    (const char *const[]){"avg10", "avg60", "avg300", "total_us"}, 4);
	assert_true(json_object_is_type(member(member(psi, "some"), "avg10"), json_type_double));
	assert_true(json_object_get_double(member(member(psi, "some"), "avg10")) == 1.23);
	assert_non_null(strstr(text, "\"avg10\":1.23,"));
	assert_int_equal(json_object_get_int64(member(member(psi, "some"), "total_us")), 987654);
	assert_int_equal(json_object_array_length(member(root, "cgroups")), 3);
	for (size_t i = 0; i < 3; i++) {
		cg = json_object_array_get_idx(member(root, "cgroups"), i);
		assert_keys(cg, cgroup_keys, sizeof(cgroup_keys) / sizeof(*cgroup_keys));
		assert_keys(member(cg, "avail"), avail_keys,
			    sizeof(avail_keys) / sizeof(*avail_keys));
		assert_keys(member(cg, "oom_events"), (const char *const[]){"oom", "oom_kill"}, 2);
	}
	assert_int_equal(json_object_array_length(member(root, "processes")), NPROCS);
	for (size_t i = 0; i < NPROCS; i++)
		assert_keys(json_object_array_get_idx(member(root, "processes"), i), proc_keys,
			    sizeof(proc_keys) / sizeof(*proc_keys));
	json_object_put(root);
	free(text);
}

static void
test_json_max_na_unknown(void **state)
{
	char *text = render(FMT_JSON, SORT_OOM_SCORE, false);
	json_object *root = parse_json(text);
	json_object *host = member(root, "host");
	json_object *cg0 = json_object_array_get_idx(member(root, "cgroups"), 0);
	json_object *cg1 = json_object_array_get_idx(member(root, "cgroups"), 1);
	json_object *p400 = json_proc(root, 400), *na, *v;

	/* "max" is a string, never a huge number. */
	assert_string_equal(json_object_get_string(member(cg0, "limit_bytes")), "max");
	assert_string_equal(
	    json_object_get_string(member(member(cg0, "avail"), "swap_headroom_bytes")), "max");
	assert_int_equal(json_object_get_int64(member(cg1, "limit_bytes")), 512 << 20);
	/* Not available on v1: null, and listed. */
	assert_null(member(cg0, "high_bytes"));
	assert_null(member(cg0, "oom_group"));
	na = member(cg0, "not_available");
	assert_true(json_object_is_type(na, json_type_array));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(na, 0)), "high_bytes");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(na, 1)), "min_bytes");
	/* Booleans when known, null with a reason when not. */
	assert_true(json_object_is_type(member(cg0, "oom_kill_disable"), json_type_boolean));
	assert_null(member(cg1, "oom_kill_disable"));
	assert_string_equal(
	    json_object_get_string(member(member(cg1, "unknown"), "oom_kill_disable")),
	    strerror(EACCES));
	assert_string_equal(json_object_get_string(member(member(cg0, "avail"), "limited_by")),
			    "host");
	assert_string_equal(json_object_get_string(member(member(cg1, "avail"), "limited_by")),
			    "/docker/abc");
	/* Unknown host values: null and explained, never 0. */
	assert_null(member(host, "inode_cache_kb"));
	assert_string_equal(json_object_get_string(member(member(host, "unknown"), "vm_enough_kb")),
			    strerror(EACCES));
	assert_true(json_object_get_boolean(member(host, "dentry_size_guessed")));
	assert_string_equal(json_object_get_string(member(host, "oom_score_formula")), "5.9+");
	v = member(host, "next_victim");
	assert_int_equal(json_object_get_int(member(v, "pid")), 300);
	/* Unknown process values. */
	assert_null(member(p400, "oom_score"));
	assert_null(member(p400, "swap_kb"));
	assert_null(member(p400, "cap_sys_admin"));
	assert_null(member(p400, "cmdline"));
	assert_string_equal(json_object_get_string(member(member(p400, "unknown"), "swap_kb")),
			    strerror(ESRCH));
	assert_true(json_object_get_boolean(member(json_proc(root, 100), "cap_sys_admin")));
	assert_false(json_object_get_boolean(member(json_proc(root, 100), "cap_sys_rawio")));
	assert_null(member(json_proc(root, 2), "badness_kernel"));
	json_object_put(root);
	free(text);
}

static void
test_json_hostile_strings(void **state)
{
	char *text = render(FMT_JSON, SORT_OOM_SCORE, false);
	json_object *root = parse_json(text);

	/* Valid UTF-8 passes through JSON's own escaping unchanged. */
	assert_string_equal(json_object_get_string(member(json_proc(root, 200), "comm")),
			    HOSTILE_OSC);
	assert_string_equal(json_object_get_string(member(json_proc(root, 200), "cmdline")),
			    "sh -c 'a\nb'");
	/* Bytes that are not UTF-8 become \xNN text. */
	assert_string_equal(json_object_get_string(member(json_proc(root, 300), "comm")),
			    "\\xff\\xfe");
	assert_string_equal(
	    json_object_get_string(member(member(member(root, "host"), "next_victim"), "comm")),
	    "\\xff\\xfe");
	assert_null(strchr(text, '\x1b'));
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	json_object_put(root);
	free(text);
}

/* The number of fields of one RFC 4180 record starting at *p; moves *p past it. */
static size_t
csv_fields(const char **p)
{
	size_t n = 1;
	bool quoted = false;

	for (; **p; (*p)++) {
		char c = **p;

		if (quoted) {
			if (c == '"' && (*p)[1] == '"')
				(*p)++;
			else if (c == '"')
				quoted = false;
		} else if (c == '"') {
			quoted = true;
		} else if (c == ',') {
			n++;
		} else if (c == '\n') {
			(*p)++;
			break;
		}
	}
	return n;
}

static void
test_csv_rows(void **state)
{
	char *text = render(FMT_CSV, SORT_PID, true);
	const char *p = text;
	size_t rows = 0;

	assert_true(strncmp(text, CSV_HEADER, strlen(CSV_HEADER)) == 0);
	while (*p) {
		assert_int_equal(csv_fields(&p), 23);
		rows++;
	}
	assert_int_equal(rows, NPROCS + 1);
	for (const char *q = text; *q; q++)
		assert_true(*q == '\n' || (unsigned char)*q >= 0x20);
	assert_non_null(
	    strstr(text, "\n400,1,0,0,a\\nb,,S,0,/docker/abc,10400,2000,,40,50,1400,,0,"));
	assert_non_null(strstr(text, ",\"printf \"\"%s,%s\"\" x y\","));
	assert_non_null(strstr(text, ",\\x1b]52;c;AAAA\\a,"));
	assert_non_null(strstr(text, ",\\xff\\xfe,"));
	free(text);

	text = render(FMT_CSV, SORT_PID, false);
	assert_true(strncmp(text, "400,", 4) == 0);
	free(text);
}

static void
test_text_layout(void **state)
{
	char *text = render(FMT_TEXT, SORT_OOM_SCORE, false);

	for (const char *q = text; *q; q++)
		assert_true(*q == '\n' || (unsigned char)*q >= 0x20);
	assert_null(strchr(text, '\x1b'));
	assert_non_null(strstr(text, "\\x1b]52;c;AAAA\\a"));
	assert_non_null(strstr(text, "a\\nb"));
	/* The host's next victim is starred; its KBAD disagrees with the kernel. */
	assert_non_null(strstr(text, "\n*    300 "));
	assert_non_null(strstr(text, "510! \\xff\\xfe\n"));
	/* Only the cgroup with a limit gets a line, and unlimited reads "max". */
	assert_non_null(strstr(text, "/docker/abc\n"));
	assert_null(strstr(text, "/system.slice"));
	assert_non_null(strstr(text, "512.0M"));
	assert_non_null(strstr(text, " max "));
	/* Unknown is "-" with its reason in the header, never 0. */
	assert_non_null(strstr(text, "inodes - (Permission denied)"));
	assert_non_null(strstr(text, "PSI some 1.23 0.45 0.06 total 987654us"));
	assert_non_null(strstr(text, "(size guessed)"));
	assert_non_null(strstr(text, "overcommit_memory 0 (heuristic)"));
	free(text);
}

/* The pids of the processes in the order sort_procs gives. */
static void
sorted_pids(enum sort_key k, bool asc, int *out)
{
	size_t idx[NPROCS];

	sort_procs(&snap, idx, k, asc);
	for (size_t i = 0; i < NPROCS; i++)
		out[i] = snap.procs[idx[i]].pid;
}

static void
test_sort_orders(void **state)
{
	int pids[NPROCS];

	/* Largest first; ties by pid ascending; unknown after everything known. */
	sorted_pids(SORT_OOM_SCORE, false, pids);
	assert_memory_equal(pids, ((int[]){200, 300, 100, 2, 400}), sizeof(pids));
	sorted_pids(SORT_OOM_SCORE, true, pids);
	assert_memory_equal(pids, ((int[]){2, 100, 200, 300, 400}), sizeof(pids));
	sorted_pids(SORT_PID, false, pids);
	assert_memory_equal(pids, ((int[]){400, 300, 200, 100, 2}), sizeof(pids));
	sorted_pids(SORT_KERNEL, false, pids);
	assert_int_equal(pids[NPROCS - 1], 2);
	sorted_pids(SORT_COMM, true, pids);
	assert_memory_equal(pids, ((int[]){200, 400, 100, 2, 300}), sizeof(pids));
	sorted_pids(SORT_SWAP, false, pids);
	assert_int_equal(pids[NPROCS - 1], 400);
	sorted_pids(SORT_VM_SIZE, false, pids);
	assert_memory_equal(pids, ((int[]){400, 300, 200, 100, 2}), sizeof(pids));
}

/*
 * The oracle for test_sort_random: a process's value for key f as the
 * documented order sees it: known (a number, "max" above every number, or
 * a text) or not.
 */
struct oracle_val {
	bool known, is_str;
	int64_t n;
	const char *s;
};

static struct oracle_val
oracle_value(const struct proc *p, const struct proc_field *f)
{
	struct oracle_val o = {false, false, 0, NULL};
	struct val v;

	switch (f->kind) {
	case FK_VAL:
	case FK_BOOL:
		v = field_val(p, f);
		o.known = v.state == VAL_OK || v.state == VAL_MAX;
		o.n = v.state == VAL_MAX ? INT64_MAX : v.v;
		break;
	case FK_INT:
		o.known = true;
		o.n = field_int(p, f);
		break;
	case FK_U64:
		o.known = true;
		o.n = field_u64(p, f) > INT64_MAX ? INT64_MAX : (int64_t)field_u64(p, f);
		break;
	case FK_COMM:
		o.known = o.is_str = true;
		o.s = proc_comm(p);
		break;
	case FK_TEXT:
		o.is_str = true;
		o.s = field_text(p, f);
		o.known = o.s != NULL;
		break;
	default:
		break;
	}
	return o;
}

/* Does a come before b: known first, then the direction, oom_score ties by KBAD, then pid. */
static bool
oracle_before(const struct proc *a, const struct proc *b, enum sort_key k, bool asc)
{
	const struct proc_field *f = field_of_sort(k);
	struct oracle_val x = oracle_value(a, f), y = oracle_value(b, f);
	int r;

	if (k == SORT_OOM_SCORE && x.known && y.known && x.n == y.n) {
		x = oracle_value(a, field_of_sort(SORT_KERNEL));
		y = oracle_value(b, field_of_sort(SORT_KERNEL));
	}
	if (x.known != y.known)
		return x.known;
	if (x.known) {
		r = x.is_str ? strcmp(x.s, y.s) : (x.n > y.n) - (x.n < y.n);
		if (!asc)
			r = -r;
		if (r)
			return r < 0;
	}
	return a->pid < b->pid;
}

/* A random value: mostly a few numbers (ties), sometimes "max" or unknown. */
static struct val
random_val(void)
{
	int r = rand() % 20;

	if (r == 0)
		return val_unknown(ENOENT);
	if (r == 1)
		return val_max();
	return val_ok((int64_t)(rand() % 7) * (r % 3 ? 1 : 1000003));
}

/* Every sort key, both directions, over 603 random processes: the oracle's order. */
static void
test_sort_random(void **state)
{
	enum { N = 603 }; /* not a multiple of the sort's runs of 8 */
	static char *texts[] = {"/a", "/b/c", "/b", "zz", "", "\xff"};
	struct proc *ps = calloc(N, sizeof(*ps));
	struct snapshot s = {.procs = ps, .n_procs = N};
	size_t *idx = calloc(N, sizeof(*idx));
	bool *seen = calloc(N, sizeof(*seen));

	srand(16);
	for (size_t i = 0; i < N; i++) {
		struct proc *p = &ps[i];

		p->pid = (pid_t)(N * 7 - (int)i * 7 + rand() % 7); /* unique, not in array order */
		p->ppid = rand() % 50;
		p->uid = random_val();
		p->euid = random_val();
		{
			char comm[8];

			snprintf(comm, sizeof(comm), "c%d", rand() % 5);
			proc_set_comm(p, comm, sizeof(comm));
		}
		p->cmdline = rand() % 4 ? texts[rand() % 6] : NULL;
		p->cgroup = rand() % 4 ? texts[rand() % 6] : NULL;
		p->state = "RSDZ"[rand() % 4];
		p->nice = rand() % 40 - 20;
		p->cpu_ticks = (uint64_t)(rand() % 9) << (rand() % 2 ? 0 : 63);
		p->start_ticks = (uint64_t)(rand() % 9);
		p->vm_size_kb = random_val();
		p->rss_kb = random_val();
		p->swap_kb = random_val();
		p->pgtables_kb = random_val();
		p->cap_sys_admin = random_val();
		p->cap_sys_rawio = random_val();
		p->oom_score = random_val();
		p->oom_score_adj = random_val();
		p->badness_gorman = random_val();
		p->badness_kernel = random_val();
		p->oom_score_recomputed = random_val();
		p->oom_score_agrees = random_val();
	}
	for (int k = 0; k < SORT__COUNT; k++) {
		for (int asc = 0; asc < 2; asc++) {
			sort_procs(&s, idx, (enum sort_key)k, asc);
			memset(seen, 0, N * sizeof(*seen));
			for (size_t i = 0; i < N; i++) {
				assert_true(idx[i] < N && !seen[idx[i]]);
				seen[idx[i]] = true;
				if (i > 0 && !oracle_before(&ps[idx[i - 1]], &ps[idx[i]],
							    (enum sort_key)k, asc))
					fail_msg("key %s %s: pid %d before pid %d",
						 sort_key_name(k), asc ? "ascending" : "descending",
						 (int)ps[idx[i - 1]].pid, (int)ps[idx[i]].pid);
			}
		}
	}
	free(ps);
	free(idx);
	free(seen);
}

static void
test_sort_names(void **state)
{
	assert_int_equal(sort_key_from_name("oom"), SORT_OOM_SCORE);
	assert_int_equal(sort_key_from_name("OOM_SCORE"), SORT_OOM_SCORE);
	assert_int_equal(sort_key_from_name("adj"), SORT_OOM_SCORE_ADJ);
	assert_int_equal(sort_key_from_name("Gorman"), SORT_GORMAN);
	assert_int_equal(sort_key_from_name("kbad"), SORT_KERNEL);
	assert_int_equal(sort_key_from_name("RES"), SORT_RSS);
	assert_int_equal(sort_key_from_name("rss_kb"), SORT_RSS);
	assert_int_equal(sort_key_from_name("command"), SORT_COMM);
	assert_int_equal(sort_key_from_name("virt"), SORT_VM_SIZE);
	assert_int_equal(sort_key_from_name("cgroup"), SORT_CGROUP);
	assert_int_equal(sort_key_from_name("nosuch"), -1);
	assert_int_equal(sort_key_from_name(""), -1);
	for (int k = 0; k < SORT__COUNT; k++)
		assert_int_equal(sort_key_from_name(sort_key_name((enum sort_key)k)), k);
	assert_int_equal(format_from_name("json"), FMT_JSON);
	assert_int_equal(format_from_name("CSV"), FMT_CSV);
	assert_int_equal(format_from_name("text"), FMT_TEXT);
	assert_int_equal(format_from_name("xml"), -1);
}

/* text_escape of a NUL-terminated string into a static buffer. */
static const char *
esc(const char *in)
{
	static char buf[256];

	text_escape(buf, sizeof(buf), in, strlen(in));
	return buf;
}

static void
test_textsafe(void **state)
{
	char small[8];

	assert_string_equal(esc("plain"), "plain");
	assert_string_equal(esc("a\nb\tc\\"), "a\\nb\\tc\\\\");
	assert_string_equal(esc(HOSTILE_OSC), "\\x1b]52;c;AAAA\\a");
	assert_string_equal(esc("\x7f\x01"), "\\x7f\\x01");
	assert_string_equal(esc("\xff\xfe"), "\\xff\\xfe");
	assert_string_equal(esc("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
	assert_string_equal(esc("\xc2\x9b"
				"31m"),
			    "\\u{009b}31m");
	assert_string_equal(esc("x\xe2\x80\xaey"), "x\\u{202e}y");
	assert_string_equal(esc("\xe2\x81\xa6"), "\\u{2066}");
	/* Overlong, surrogate, truncated and out-of-range sequences. */
	assert_string_equal(esc("\xc0\xaf"), "\\xc0\\xaf");
	assert_string_equal(esc("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(esc("\xe2\x9c"), "\\xe2\\x9c");
	assert_string_equal(esc("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	/* Truncation never splits an escape; the return value is the whole length. */
	assert_int_equal(text_escape(small, sizeof(small), "ab\x1b\x1b", 4), 10);
	assert_string_equal(small, "ab\\x1b");
	assert_int_equal(text_escape(NULL, 0, "\n", 1), 2);
	assert_int_equal(text_escape(small, sizeof(small), "a\0b", 3), 6);
	assert_string_equal(small, "a\\x00b");
	/* The JSON flavour keeps controls and only rewrites invalid bytes. */
	assert_int_equal(text_escape_invalid(small, sizeof(small), "\x1b\xff", 2), 5);
	assert_string_equal(small, "\x1b\\xff");
	assert_true(text_valid_utf8("caf\xc3\xa9", 5));
	assert_false(text_valid_utf8("\xc3", 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_contract_keys),	 cmocka_unit_test(test_json_max_na_unknown),
	    cmocka_unit_test(test_json_hostile_strings), cmocka_unit_test(test_csv_rows),
	    cmocka_unit_test(test_text_layout),		 cmocka_unit_test(test_sort_orders),
	    cmocka_unit_test(test_sort_random),
	    cmocka_unit_test(test_sort_names),		 cmocka_unit_test(test_textsafe),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
