/*
 * test_bpf_record.c - the bpf collector's record decoder: units as /proc
 * gives them, /proc's state letters, rss counters below zero read as 0 (as
 * percpu_counter_read_positive() does), a zombie's sizes unknown, and every
 * malformed buffer refused without reading past it.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bpf_record.h"

static struct ol_bpf_rec
rec(void)
{
	struct ol_bpf_rec r;

	memset(&r, 0, sizeof(r));
	r.magic = OL_BPF_REC_MAGIC;
	r.size = sizeof(r);
	r.pid = 4242;
	r.ppid = 1;
	r.start_ns = 123450000000ull; /* 12345 ticks of 10 ms */
	r.runtime_ns = 2500000000ull;
	r.state = 0x1; /* TASK_INTERRUPTIBLE */
	r.uid = 1000;
	r.euid = 0;
	r.cap_eff = 1ull << 21; /* CAP_SYS_ADMIN */
	r.nice = 5;
	r.flags = OL_BPF_F_HAS_MM | OL_BPF_F_NEW_RSS;
	r.total_vm = 1000;
	r.rss[OL_BPF_RSS_FILE] = 10;
	r.rss[OL_BPF_RSS_ANON] = 20;
	r.rss[OL_BPF_RSS_SHMEM] = -3; /* per-CPU slack: the kernel reads 0 */
	r.rss[OL_BPF_RSS_SWAP] = 7;
	r.pgtables_bytes = 8192;
	r.oom_score_adj = -500;
	memcpy(r.comm, "worker", 7);
	return r;
}

static void
test_decode_fields(void **state)
{
	struct ol_bpf_rec r = rec();
	struct bpf_rec_extra x;
	struct proc p;
	size_t off = 0;

	(void)state;
	r.memcg_id = 77;
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 100, 4096, &p, &x), 0);
	assert_int_equal(off, sizeof(r));
	assert_int_equal(p.pid, 4242);
	assert_int_equal(p.ppid, 1);
	assert_int_equal(p.start_ticks, 12345);
	assert_int_equal(p.cpu_ticks, 250);
	assert_int_equal(p.state, 'S');
	assert_int_equal(p.nice, 5);
	assert_string_equal(proc_comm(&p), "worker");
	assert_int_equal(p.uid.v, 1000);
	assert_int_equal(p.euid.v, 0);
	assert_int_equal(p.cap_sys_admin.v, 1);
	assert_int_equal(p.cap_sys_rawio.v, 0);
	assert_int_equal(p.vm_size_kb.v, 4000);
	assert_int_equal(p.rss_kb.v, 120); /* (10 + 20 + 0) pages */
	assert_int_equal(p.swap_kb.v, 28);
	assert_int_equal(p.pgtables_kb.v, 8);
	assert_int_equal(p.oom_score_adj.v, -500);
	assert_int_equal(x.memcg_id, 77);
	assert_int_equal(p.cg, -1);
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 100, 4096, &p, &x), -ENODATA);
}

static void
test_kthread_and_zombie(void **state)
{
	struct ol_bpf_rec r = rec();
	struct bpf_rec_extra x;
	struct proc p;
	size_t off = 0;

	(void)state;
	r.flags = OL_BPF_F_KTHREAD;
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 100, 4096, &p, &x), 0);
	assert_true(p.flags & PROC_KTHREAD);
	assert_int_equal(p.rss_kb.state, VAL_OK);
	assert_int_equal(p.rss_kb.v, 0);
	off = 0;
	r.flags = OL_BPF_F_EXITING | OL_BPF_F_NO_MEMCG;
	r.exit_state = 0x20; /* EXIT_ZOMBIE */
	r.memcg_id = 5;
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 100, 4096, &p, &x), 0);
	assert_int_equal(p.state, 'Z');
	assert_int_equal(p.rss_kb.state, VAL_UNKNOWN);
	assert_int_equal(p.rss_kb.err, OL_EMISSING);
	assert_true(x.exiting);
	assert_int_equal(x.memcg_id, 0);
}

static void
test_state_letters(void **state)
{
	(void)state;
	assert_int_equal(bpf_rec_state_letter(0, 0), 'R');
	assert_int_equal(bpf_rec_state_letter(0x1, 0), 'S');
	assert_int_equal(bpf_rec_state_letter(0x2, 0), 'D');
	assert_int_equal(bpf_rec_state_letter(0x4, 0), 'T');
	assert_int_equal(bpf_rec_state_letter(0x8, 0), 't');
	assert_int_equal(bpf_rec_state_letter(0, 0x10), 'X');
	assert_int_equal(bpf_rec_state_letter(0, 0x20), 'Z');
	assert_int_equal(bpf_rec_state_letter(0x40, 0), 'P');
	assert_int_equal(bpf_rec_state_letter(0x402, 0), 'I');  /* TASK_IDLE */
	assert_int_equal(bpf_rec_state_letter(0x8001, 0), 'D'); /* frozen: uninterruptible */
}

static void
test_malformed(void **state)
{
	struct ol_bpf_rec r = rec(), two[2];
	struct bpf_rec_extra x;
	struct proc p;
	size_t off = 0;

	(void)state;
	assert_int_equal(bpf_rec_decode(&r, sizeof(r) - 1, &off, 100, 4096, &p, &x), -EINVAL);
	assert_int_equal(off, 0);
	r.magic ^= 1;
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 100, 4096, &p, &x), -EINVAL);
	r = rec();
	r.size = 8;
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 100, 4096, &p, &x), -EINVAL);
	r = rec();
	r.pid = 0;
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 100, 4096, &p, &x), -EINVAL);
	r = rec();
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 0, 4096, &p, &x), -EINVAL);
	/* Counts no kernel reports (the fuzzer's overflow): unknown, not a wrapped size. */
	r.rss[OL_BPF_RSS_ANON] = INT64_MAX / 2;
	r.total_vm = UINT64_MAX;
	assert_int_equal(bpf_rec_decode(&r, sizeof(r), &off, 100, 4096, &p, &x), 0);
	assert_int_equal(p.rss_kb.err, OL_EPARSE);
	assert_int_equal(p.vm_size_kb.err, OL_EPARSE);
	assert_true(val_is_ok(p.swap_kb));
	off = 0;
	r = rec();
	/* A comm without its NUL is cut, not read past. */
	memset(r.comm, 'a', sizeof(r.comm));
	two[0] = r;
	two[1] = rec();
	assert_int_equal(bpf_rec_decode(two, sizeof(two), &off, 100, 4096, &p, &x), 0);
	assert_int_equal(strlen(proc_comm(&p)), OL_BPF_COMM_LEN - 1);
	assert_int_equal(bpf_rec_decode(two, sizeof(two), &off, 100, 4096, &p, &x), 0);
	assert_string_equal(proc_comm(&p), "worker");
}

/* A command-line record: header, then len bytes. */
static size_t
cmd_rec(char *out, pid_t pid, uint32_t flags, const char *bytes, uint32_t len)
{
	struct ol_bpf_cmd h = {.magic = OL_BPF_CMD_MAGIC, .len = len, .pid = pid, .flags = flags,
			       .start_ns = 5000000000ull};

	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), bytes, len);
	return sizeof(h) + len;
}

static void
test_cmdline_records(void **state)
{
	char buf[256];
	struct bpf_cmdline c;
	size_t n = 0, off = 0;

	(void)state;
	n += cmd_rec(buf + n, 10, 0, "sleep\0" "600\0", 10);
	n += cmd_rec(buf + n, 11, OL_BPF_CMD_F_TITLE, "sshd: me\0ENV=1\0", 15);
	n += cmd_rec(buf + n, 12, 0, "", 0);
	assert_int_equal(bpf_cmd_decode(buf, n, &off, 100, &c), 0);
	assert_int_equal(c.pid, 10);
	assert_int_equal(c.start_ticks, 500);
	assert_int_equal(c.len, 10);
	assert_memory_equal(c.bytes, "sleep\0" "600\0", 10);
	/* setproctitle(): up to and with the first NUL, as get_mm_proctitle(). */
	assert_int_equal(bpf_cmd_decode(buf, n, &off, 100, &c), 0);
	assert_int_equal(c.len, 9);
	assert_int_equal(bpf_cmd_decode(buf, n, &off, 100, &c), 0);
	assert_int_equal(c.len, 0);
	assert_int_equal(bpf_cmd_decode(buf, n, &off, 100, &c), -ENODATA);
	/* Cut short: read more; a broken header: refused. */
	off = 0;
	assert_int_equal(bpf_cmd_decode(buf, 30, &off, 100, &c), -EAGAIN);
	assert_int_equal(bpf_cmd_decode(buf, 10, &off, 100, &c), -EAGAIN);
	assert_int_equal(off, 0);
	buf[0] ^= 1;
	assert_int_equal(bpf_cmd_decode(buf, n, &off, 100, &c), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_fields),
	    cmocka_unit_test(test_kthread_and_zombie),
	    cmocka_unit_test(test_state_letters),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_cmdline_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
