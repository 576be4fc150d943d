#!/usr/bin/env python3
"""The batch snapshot against the real /proc of this machine.

Runs `oomlens -b --format json` and checks the contract keys, then compares
the numbers with /proc read directly around the run: the meminfo components
within a small tolerance, oom_score and oom_score_adj equal for every process
whose values did not move while oomlens ran, the recomputed kernel score in
agreement for nearly all processes, and VmSize/RSS against procps's ps (which
reads through libproc2).  Text and CSV outputs and --sort are checked too.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys

OOMLENS = os.environ.get("OOMLENS", "./oomlens")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args, **kw):
    return subprocess.run([OOMLENS, *args], capture_output=True, text=True, timeout=120, **kw)


def meminfo():
    out = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            out[k] = int(v.split()[0])
    return out


def read_int(path):
    try:
        with open(path) as f:
            return int(f.read())
    except (OSError, ValueError):
        return None


def kernel_scores():
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            out[int(d)] = (read_int(f"/proc/{d}/oom_score"), read_int(f"/proc/{d}/oom_score_adj"))
    return out


def memory_cgroups():
    """Each process's memory cgroup as /proc/PID/cgroup names it (v1 memory line, else v2)."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cgroup") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        v1 = [l.split(":", 2)[2] for l in lines if "memory" in l.split(":", 2)[1].split(",")]
        v2 = [l[3:] for l in lines if l.startswith("0::")]
        if v1 or v2:
            out[int(d)] = (v1 or v2)[0]
    return out


HOST_KEYS = ["mem_total_kb", "mem_free_kb", "page_cache_kb", "swap_total_kb", "swap_free_kb",
             "swap_cache_kb", "dentry_cache_kb", "inode_cache_kb", "vm_enough_kb",
             "mem_available_kb", "commit_limit_kb", "committed_as_kb", "overcommit_memory",
             "psi", "oom_kill"]
CG_KEYS = ["path", "version", "usage_bytes", "limit_bytes", "swap_limit_bytes",
           "reservation_bytes", "high_bytes", "min_bytes", "swappiness", "oom_kill_disable",
           "oom_group", "oom_events", "nr_processes", "avail"]
PROC_KEYS = ["pid", "ppid", "uid", "euid", "comm", "cmdline", "state", "nice", "cgroup",
             "vm_size_kb", "rss_kb", "swap_kb", "pgtables_kb", "cpu_ticks", "start_ticks",
             "oom_score", "oom_score_adj", "badness_gorman", "badness_kernel",
             "oom_score_recomputed", "cap_sys_admin", "cap_sys_rawio"]


def main():
    before_mem = meminfo()
    before = kernel_scores()
    cg_before = memory_cgroups()
    r = run("-b", "-n", "1", "--format", "json")
    cg_after = memory_cgroups()
    after = kernel_scores()
    after_mem = meminfo()
    check(r.returncode == 0, f"oomlens -b exits 0 (got {r.returncode}: {r.stderr.strip()})")
    lines = r.stdout.rstrip("\n").split("\n")
    check(len(lines) == 1, f"one JSON document per line (got {len(lines)} lines)")
    snap = json.loads(lines[0])

    check(snap.get("schema") == 1, "schema is 1")
    check(isinstance(snap.get("time"), str) and snap["time"].endswith("Z"), "time is RFC 3339 UTC")
    host = snap["host"]
    for k in HOST_KEYS:
        check(k in host, f"host has {k}")
    for part in ("some", "full"):
        for k in ("avg10", "avg60", "avg300", "total_us"):
            check(host["psi"] is not None and k in host["psi"][part], f"host psi {part}.{k}")

    # The components, within what can move in the time oomlens ran (or 2%).
    def close(key, value):
        lo = min(before_mem[key], after_mem[key])
        hi = max(before_mem[key], after_mem[key])
        slack = max(2048, hi // 50)
        check(lo - slack <= value <= hi + slack, f"{key}: oomlens {value}, /proc {lo}..{hi}")

    close("MemTotal", host["mem_total_kb"])
    close("MemFree", host["mem_free_kb"])
    close("MemAvailable", host["mem_available_kb"])
    close("SwapFree", host["swap_free_kb"])
    close("SwapCached", host["swap_cache_kb"])
    close("CommitLimit", host["commit_limit_kb"])
    pc = host["page_cache_kb"]
    exp_lo = before_mem["Cached"] + before_mem["Buffers"] + before_mem["SwapCached"]
    exp_hi = after_mem["Cached"] + after_mem["Buffers"] + after_mem["SwapCached"]
    check(abs(pc - exp_lo) < max(4096, exp_lo // 50) or abs(pc - exp_hi) < max(4096, exp_hi // 50),
          f"page_cache_kb {pc} = Cached + Buffers + SwapCached ({exp_lo}..{exp_hi})")
    parts = ["page_cache_kb", "mem_free_kb", "swap_free_kb", "swap_cache_kb",
             "dentry_cache_kb", "inode_cache_kb"]
    check(all(isinstance(host[p], int) for p in parts), "all six components known as root")
    check(host["vm_enough_kb"] == sum(host[p] for p in parts), "vm_enough_kb is the sum of the six")
    with open("/proc/sys/vm/overcommit_memory") as f:
        check(host["overcommit_memory"] == int(f.read()), "overcommit_memory")
    with open("/proc/vmstat") as f:
        vm = dict(l.split() for l in f)
    check(host["oom_kill"] <= int(vm["oom_kill"]), "oom_kill counter")

    for c in snap["cgroups"]:
        for k in CG_KEYS:
            check(k in c, f"cgroup {c.get('path')} has {k}")
        check(c["path"].startswith("/"), f"cgroup path {c['path']} starts with /")
    check(any(c["path"] == "/" for c in snap["cgroups"]), "the root cgroup is listed")

    procs = snap["processes"]
    check(len(procs) > 5, f"processes listed ({len(procs)})")
    compared = agreed = known = 0
    for p in procs:
        for k in PROC_KEYS:
            check(k in p, f"process {p.get('pid')} has {k}")
        pid = p["pid"]
        if pid in before and pid in after and before[pid] == after[pid] and None not in before[pid]:
            compared += 1
            check(p["oom_score"] == before[pid][0],
                  f"pid {pid} oom_score {p['oom_score']} == kernel {before[pid][0]}")
            check(p["oom_score_adj"] == before[pid][1],
                  f"pid {pid} oom_score_adj {p['oom_score_adj']} == kernel {before[pid][1]}")
        if p["oom_score_recomputed"] is not None and p["oom_score"] is not None:
            known += 1
            agreed += abs(p["oom_score_recomputed"] - p["oom_score"]) <= 1
    check(compared > 5, f"compared {compared} processes with the kernel")
    check(known > 0 and agreed >= 0.95 * known,
          f"recomputed oom_score agrees for nearly all ({agreed}/{known})")
    print(f"compared oom_score/adj of {compared} processes; recomputation agrees {agreed}/{known}")

    # Each process's cgroup (taken from the cgroups' member lists where they
    # can vouch for it) is the one its own /proc/PID/cgroup names.
    cg_same = cg_compared = 0
    for p in procs:
        pid = p["pid"]
        if pid in cg_before and cg_before.get(pid) == cg_after.get(pid):
            cg_compared += 1
            cg_same += p["cgroup"] == cg_before[pid]
            if p["cgroup"] != cg_before[pid]:
                print(f"pid {pid}: cgroup {p['cgroup']!r}, /proc says {cg_before[pid]!r}")
    check(cg_compared > 5 and cg_same == cg_compared,
          f"cgroup of every process agrees with /proc/PID/cgroup ({cg_same}/{cg_compared})")
    in_cg = sum(1 for p in procs if p["cgroup"] is not None and
                any(c["path"] == p["cgroup"] for c in snap["cgroups"]))
    check(in_cg >= 0.9 * len(procs), f"processes matched to a listed cgroup ({in_cg}/{len(procs)})")

    # In a PID namespace of its own but with the host's /proc, cgroup.procs
    # numbers processes differently from /proc: the cgroups must still be
    # each process's own (unshare needs root; skipped quietly without it).
    if os.geteuid() == 0 and shutil.which("unshare"):
        r = subprocess.run(["unshare", "-p", "-f", OOMLENS, "-b", "-n", "1", "--format", "json"],
                           capture_output=True, text=True, timeout=120)
        if r.returncode == 0:
            ns_cg = memory_cgroups()
            wrong = [(p["pid"], p["cgroup"], ns_cg[p["pid"]]) for p in json.loads(r.stdout)["processes"]
                     if p["pid"] in ns_cg and ns_cg[p["pid"]] == cg_before.get(p["pid"])
                     and p["cgroup"] != ns_cg[p["pid"]]]
            check(not wrong, f"in a PID namespace of its own, cgroups as /proc says ({wrong[:3]})")
        else:
            print(f"unshare -p could not run oomlens ({r.stderr.strip()}): not checked")

    # VmSize and RSS against procps's ps (libproc2), for processes that did not move.
    ps = subprocess.run(["ps", "-e", "-o", "pid=,vsz=,rss="], capture_output=True, text=True)
    if ps.returncode == 0:
        byp = {p["pid"]: p for p in procs}
        same = total = 0
        for line in ps.stdout.split("\n"):
            f = line.split()
            if len(f) == 3 and int(f[0]) in byp and byp[int(f[0])]["vm_size_kb"] is not None:
                total += 1
                p = byp[int(f[0])]
                same += p["vm_size_kb"] == int(f[1])
        check(total > 5 and same >= 0.9 * total, f"VmSize agrees with ps for {same}/{total}")

    # The process running oomlens's own test is there with its own numbers.
    me = [p for p in procs if p["pid"] == os.getpid()]
    check(len(me) == 1 and me[0]["comm"].startswith("python"), "this test's python is listed")

    # Sorted by oom_score, highest first, by default.
    scores = [p["oom_score"] for p in procs if p["oom_score"] is not None]
    check(scores == sorted(scores, reverse=True), "processes sorted by oom_score descending")
    r = run("-b", "-n", "1", "--format", "json", "--sort", "rss")
    rss = [p["rss_kb"] for p in json.loads(r.stdout)["processes"] if p["rss_kb"] is not None]
    check(rss == sorted(rss, reverse=True), "--sort rss sorts by rss_kb")

    # Two snapshots, one per line.
    r = run("-b", "-n", "2", "-d", "0.2", "--format", "json")
    docs = [json.loads(l) for l in r.stdout.rstrip("\n").split("\n")]
    check(r.returncode == 0 and len(docs) == 2, "-n 2 gives two JSON documents")

    # CSV: a header and one row per process, same number of fields on every row.
    r = run("-b", "-n", "1", "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    check(r.returncode == 0 and rows[0][:len(PROC_KEYS)] == PROC_KEYS, "CSV header is the process keys")
    check(len({len(x) for x in rows}) == 1 and len(rows) > 5, "CSV rows all have the header's field count")

    # Text: host header, process table, no raw escape bytes.
    r = run("-b", "-n", "1")
    check(r.returncode == 0 and "PID" in r.stdout and "OOM" in r.stdout and "GORMAN" in r.stdout,
          "text output has the process table")
    check("\x1b" not in r.stdout, "text output holds no escape byte")

    print(f"{len(failures)} failed" if failures else "batch: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
