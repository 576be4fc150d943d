#!/usr/bin/env python3
"""Batch output as scripts read it (issue 14, item 4), on the real /proc.

- CSV with `-n 2`: every row carries its snapshot's `time` (RFC 3339, UTC,
  milliseconds), the header names it, the two snapshots' rows have two
  different times, and each time matches the JSON document's `time` format.
- Text: the process table's columns stay aligned for any value: a child
  maps 20 TiB of address space it never touches (PROT_NONE, MAP_NORESERVE:
  no memory is used or committed), so its VIRT is 21474836480 kB or more,
  wider than the column's default; the header's COMMAND and the child's
  command start in the same column, as do every other row's.

The child is ended by PID in a finally block.
"""
import csv
import io
import os
import re
import subprocess
import sys
import time

OOMLENS = os.environ.get("OOMLENS", "./oomlens")
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    else:
        print("ok", what)


def run(*args):
    return subprocess.run([OOMLENS, "--no-config", *args], capture_output=True, text=True,
                          timeout=120)


def csv_two_snapshots():
    r = run("-b", "-n", "2", "-d", "0.3", "--format", "csv", "-p", f"1,{os.getpid()}")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    check(r.returncode == 0 and len(rows) == 5, f"-n 2 -p 1,{os.getpid()}: a header and 4 rows")
    if len(rows) != 5:
        return
    head = rows[0]
    check("time" in head, "the CSV header names the time column")
    if "time" not in head:
        return
    t = head.index("time")
    times = [row[t] for row in rows[1:]]
    check(all(TIME_RE.match(x) for x in times), f"every row's time is RFC 3339 UTC: {times}")
    check(times[0] == times[1] and times[2] == times[3], "rows of one snapshot share its time")
    check(times[0] < times[2], f"the second snapshot's rows have a later time: {times}")
    check(len({len(row) for row in rows}) == 1, "every row has the header's field count")


def text_aligned():
    # 20 TiB of PROT_NONE address space: counted in VmSize, never in RSS or commit.
    child = subprocess.Popen([sys.executable, "-c",
                              "import mmap, time\n"
                              "m = mmap.mmap(-1, 20 << 40, flags=mmap.MAP_PRIVATE | "
                              "mmap.MAP_ANONYMOUS | getattr(mmap, 'MAP_NORESERVE', 0x4000), "
                              "prot=0)  # PROT_NONE\n"
                              "print('mapped', flush=True)\n"
                              "time.sleep(60)\n"],
                             stdout=subprocess.PIPE, text=True)
    try:
        if child.stdout.readline().strip() != "mapped":
            check(False, "the child mapped 20 TiB")
            return
        with open(f"/proc/{child.pid}/status") as f:
            vm = [int(l.split()[1]) for l in f if l.startswith("VmSize:")][0]
        check(vm >= 20 << 30, f"the child's VmSize is {vm} kB (11 digits)")
        r = run("-b", "-n", "1", "-p", f"1,{child.pid}")
        lines = r.stdout.split("\n")
        heads = [i for i, l in enumerate(lines) if re.match(r"^ +PID +USER +VIRT", l)]
        check(r.returncode == 0 and heads, "the text output has the process table")
        if not heads:
            return
        col = lines[heads[0]].index("COMMAND")
        rows = [l for l in lines[heads[0] + 1:] if l.strip()]
        check(any(str(vm) in l for l in rows), f"the child's row shows VIRT {vm}")
        for l in rows:
            check(len(l) > col and l[col - 1] == " " and l[col] != " ",
                  f"COMMAND starts at column {col}: {l!r}")
    finally:
        child.kill()
        child.wait()


def main():
    csv_two_snapshots()
    text_aligned()
    print(f"{len(failures)} failed" if failures else "batch_scripts: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
