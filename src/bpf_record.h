/*
 * bpf_record.h - decodes the records of the BPF task iterator
 * (src/bpf/record.h) into struct proc.  Pure functions over a buffer: no
 * I/O, no libbpf, so the decoder is unit-tested and fuzzed like the /proc
 * parsers, and built even without BPF support.
 */
#ifndef OOMLENS_BPF_RECORD_H_DEC
#define OOMLENS_BPF_RECORD_H_DEC

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bpf/record.h"
#include "model.h"

/* What a decoded record says beyond struct proc: where to look for its cgroup. */
struct bpf_rec_extra {
	uint64_t memcg_id;    /* inode number of the memory controller's cgroup dir; 0: none */
	uint64_t dfl_cgrp_id; /* of the unified hierarchy's cgroup (v2 paths) */
	bool exiting;         /* PF_EXITING: v1 /proc/PID/cgroup shows "/" for it */
};

/*
 * The record at buf + *off (len bytes in all) into p and x; *off moves past
 * it.  0, -ENODATA at the end, -EINVAL for a record that is short, has
 * another magic or size, or holds impossible values (the rest of the
 * buffer is then not to be trusted).  clk_tck and page_size: the host's.
 */
int bpf_rec_decode(const void *buf, size_t len, size_t *off, long clk_tck, long page_size,
		   struct proc *p, struct bpf_rec_extra *x);

/* A command line from the second iterator: the bytes /proc/PID/cmdline would give. */
struct bpf_cmdline {
	pid_t pid;
	uint64_t start_ticks;
	const char *bytes; /* into the buffer; not NUL-terminated */
	size_t len;
};

/*
 * The command-line record at buf + *off into c; *off moves past it.  0,
 * -ENODATA at the end, -EAGAIN when the record goes on past len (read
 * more), -EINVAL for a broken one.
 */
int bpf_cmd_decode(const void *buf, size_t len, size_t *off, long clk_tck, struct bpf_cmdline *c);

/* /proc's state letter for a task's __state and exit_state (fs/proc/array.c). */
char bpf_rec_state_letter(uint32_t state, uint32_t exit_state);

#endif
