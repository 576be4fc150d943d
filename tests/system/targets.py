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
- the shared component is ambiguous: exit 2, both paths listed, no plan.

Every cgroup is removed in a finally block, deepest first.
"""
import json
import os
import subprocess
import sys

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
    idlike = ("%08x" % pid) + "0123456789abcdef" * 3 + "01234567"
    top = os.path.join(base, top_name)
    dirs = [top, os.path.join(top, idlike), os.path.join(top, dup), os.path.join(top, "sub"),
            os.path.join(top, "sub", dup)]
    made = []
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
    finally:
        for d in reversed(made):
            try:
                os.rmdir(d)
            except OSError as e:
                print(f"cleanup: {d}: {e}")
    print(f"{len(failures)} failed" if failures else "targets: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
