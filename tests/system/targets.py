#!/usr/bin/env python3
"""A cgroup named as the monitor shows it (issue 14, item 4), on real
memory cgroups made under the test's own:

    OWN/oomlens-test-tgt-PID/                         limit 64M
    OWN/oomlens-test-tgt-PID/0123456789abcdef...      (an id-like name, 64 hex)
    OWN/oomlens-test-tgt-PID/oomlens-test-dup-PID     two cgroups share
    OWN/oomlens-test-tgt-PID/sub/oomlens-test-dup-PID this last component

- `fits 1m --cgroup oomlens-test-tgt-PID` (the last path component, unique)
  answers about that cgroup (limited by its own 64 MiB), and so does the first 12
  characters of the id-like name, as the monitor's CGROUP column shows it;
- `set --cgroup NAME --memory 32m --dry-run` plans for the full path;
- the shared component is ambiguous: exit 2, both paths listed, no plan;
- `-b -p NAME` shows the processes of that cgroup and of those below it
  (a sleeper in each), none other; `-p PID,ID12` both; `-p DUP` exits 2
  with the candidates, an unknown name exits 2; with `-n 2`, a process
  that joins the cgroup after the first snapshot is in the second.

Every sleeper is ended by PID and every cgroup removed in a finally block,
deepest first.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("OOMLENS_SRCDIR", os.path.join(
    os.path.dirname(__file__), "..", "..")), "tests", "lib"))
from memcg import find_memory_mount, own_cgroup, own_dir, write  # noqa: E402

OOMLENS = os.environ.get("OOMLENS", "./oomlens")
failures = []


def check(cond, what):
    print(("ok " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run([OOMLENS, *args], capture_output=True, text=True, timeout=60)


def snapshots_pids(text):
    """The PIDs of each JSON snapshot in text (one document per snapshot)."""
    out, dec, i = [], json.JSONDecoder(), 0
    text = text.strip()
    while i < len(text):
        doc, i = dec.raw_decode(text, i)
        out.append({p["pid"] for p in doc["processes"]})
        while i < len(text) and text[i].isspace():
            i += 1
    return out


def sleeper(d, kids):
    k = subprocess.Popen(["sleep", "300"])
    kids.append(k)
    write(os.path.join(d, "cgroup.procs"), k.pid)
    return k.pid


def check_pick(path, top_name, top, idlike, dup, kids):
    """-p NAME: a cgroup's processes and those below it (issue 14, item 4)."""
    in_top = sleeper(top, kids)
    in_id = sleeper(os.path.join(top, idlike), kids)
    in_dup = sleeper(os.path.join(top, dup), kids)
    in_sub = sleeper(os.path.join(top, "sub", dup), kids)
    r = run("-b", "-n", "1", "-p", top_name, "--format", "json")
    got = snapshots_pids(r.stdout) if r.returncode == 0 else [set()]
    check(r.returncode == 0 and got == [{in_top, in_id, in_dup, in_sub}],
          f"-p {top_name}: its processes and those of the cgroups below it, no other ({got})")
    r = run("-b", "-n", "1", "-p", f"{os.getpid()},{idlike[:12]}", "--format", "json")
    got = snapshots_pids(r.stdout) if r.returncode == 0 else [set()]
    check(r.returncode == 0 and got == [{os.getpid(), in_id}],
          f"-p PID,{idlike[:12]}: that PID and the id-like cgroup's process ({got})")
    r = run("-b", "-n", "1", "-p", dup)
    check(r.returncode == 2 and r.stdout == "" and "ambiguous" in r.stderr and
          f"{path}/{dup}" in r.stderr and f"{path}/sub/{dup}" in r.stderr,
          f"-p {dup}: ambiguous, exit 2, both candidates listed")
    r = run("-b", "-n", "1", "-p", f"oomlens-test-none-{os.getpid()}")
    check(r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1,
          "-p with an unknown name: exit 2, one line")
    o = subprocess.Popen([OOMLENS, "-b", "-n", "2", "-d", "2", "-p", idlike[:12], "--format", "json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    late = sleeper(os.path.join(top, idlike), kids)
    out, _ = o.communicate(timeout=60)
    got = snapshots_pids(out) if o.returncode == 0 else []
    check(got == [{in_id}, {in_id, late}],
          f"-n 2 -p {idlike[:12]}: a process that joins after the first snapshot is in the second ({got})")


def main():
    m = find_memory_mount()
    if not m:
        print("SKIP: no memory cgroup mount")
        return 77
    version, mnt, mroot = m
    own = own_cgroup(version)
    base = own_dir(mnt, mroot, own) if own else None
    if not base or not os.access(base, os.W_OK):
        print("SKIP: the test's own memory cgroup is not writable")
        return 77
    pid = os.getpid()
    top_name = f"oomlens-test-tgt-{pid}"
    dup = f"oomlens-test-dup-{pid}"
    # Letters in the first 12 characters: an all-digit -p item is a PID.
    idlike = ("%08x" % pid) + "abcdef0123456789" * 3 + "abcdef01"
    top = os.path.join(base, top_name)
    dirs = [top, os.path.join(top, idlike), os.path.join(top, dup), os.path.join(top, "sub"),
            os.path.join(top, "sub", dup)]
    made = []
    kids = []
    try:
        for d in dirs:
            os.mkdir(d)
            made.append(d)
        write(os.path.join(top, "memory.limit_in_bytes" if version == 1 else "memory.max"),
              64 << 20)
        path = own.rstrip("/") + "/" + top_name

        r = run("fits", "1m", "--cgroup", top_name, "--format", "json")
        cg = json.loads(r.stdout).get("cgroup", {}) if r.returncode != 2 else {}
        check(cg.get("path") == path and cg.get("limited_by") == path,
              f"fits --cgroup {top_name}: the unique last component names {path}, limited")
        r = run("fits", "1m", "--cgroup", idlike[:12], "--format", "json")
        check(r.returncode != 2 and idlike in r.stdout,
              f"fits --cgroup {idlike[:12]}: 12 characters of an id-like name")
        r = run("set", "--cgroup", top_name, "--memory", "32m", "--dry-run")
        check(r.returncode == 0 and f"plan for {path} " in r.stdout,
              f"set --cgroup {top_name} --dry-run plans for {path}")

        for args in (["fits", "1m", "--cgroup", dup],
                     ["set", "--cgroup", dup, "--memory", "32m", "--dry-run"]):
            r = run(*args)
            check(r.returncode == 2, f"{args[0]} --cgroup {dup}: ambiguous, exit 2")
            check("ambiguous" in r.stderr and f"{path}/{dup}" in r.stderr and
                  f"{path}/sub/{dup}" in r.stderr, f"{args[0]}: both candidates listed")
            check("plan for" not in r.stdout, f"{args[0]}: no plan for an ambiguous name")
        with open(os.path.join(top, "memory.limit_in_bytes" if version == 1 else "memory.max")) as f:
            check(int(f.read()) == 64 << 20, "the limit is unchanged (dry runs only)")
        check_pick(path, top_name, top, idlike, dup, kids)
    finally:
        for k in kids:
            k.kill()
            k.wait()
        for d in reversed(made):
            try:
                os.rmdir(d)
            except OSError as e:
                print(f"cleanup: {d}: {e}")
    print(f"{len(failures)} failed" if failures else "targets: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
