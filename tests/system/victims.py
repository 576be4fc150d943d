#!/usr/bin/env python3
"""-p chooses rows, never victims (issue 13, item 2).

The victims are facts about the host and its cgroups: `oomlens -b -p PID`
must name the same host.next_victim and the same next_victim for every
cgroup as a snapshot of all processes.  The test starts a 400 MiB process
(so the host's victim is one it knows) and, in a memory cgroup it makes
under its own (limit 64 MiB), a sleeper and a 24 MiB process; then it takes
a full snapshot, one with -p naming only the sleeper, and another full one.
The -p snapshot must list only the sleeper, name the 400 MiB process as the
host's victim and the 24 MiB one as the cgroup's, and give every cgroup the
victim one of the full snapshots gave it (processes elsewhere on the host
come and go between the runs).

Everything it creates goes in a finally block: children killed through their
Popen handles, then the cgroup removed.  Without a writable memory cgroup the
cgroup part is skipped (a failure with OOMLENS_REQUIRE_CGROUP=1).
"""
import json
import os
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.environ.get("OOMLENS_SRCDIR", os.path.join(os.path.dirname(__file__), "..", "..")), "tests", "lib"))
from memcg import find_memory_mount, own_cgroup, own_dir, write  # noqa: E402

GROW = "import sys, time\nb = b'x' * (%d << 20)\nprint('ready', flush=True)\ntime.sleep(600)\n"


def log(msg):
    print("victims.py: " + msg, flush=True)


def fail(msg):
    log("FAIL: " + msg)
    raise SystemExit(1)


def snapshot(oomlens, *args):
    r = subprocess.run([oomlens, "-b", "-n", "1", "--format", "json", *args],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        fail("oomlens %s exited %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()))
    return json.loads(r.stdout.split("\n")[0])


def victim_pid(v):
    return v.get("pid") if v else None


def grower(mib):
    p = subprocess.Popen([sys.executable, "-c", GROW % mib], stdout=subprocess.PIPE, text=True)
    if p.stdout.readline().strip() != "ready":
        fail("a %d MiB child did not start" % mib)
    return p


def make_cgroup():
    """(directory, path) of a 64 MiB memory cgroup under our own, or None with a reason logged."""
    found = find_memory_mount()
    if not found:
        return None, "no memory controller"
    version, mnt, mroot = found
    own = own_cgroup(version)
    parent = own_dir(mnt, mroot, own) if own is not None else None
    if parent is None:
        return None, "no own memory cgroup under the mount"
    name = "oomlens-test-victims-%d" % os.getpid()
    d = os.path.join(parent, name)
    try:
        os.mkdir(d)
    except OSError as e:
        return None, "cannot make %s: %s" % (d, e)
    try:
        write(os.path.join(d, "memory.limit_in_bytes" if version == 1 else "memory.max"), 64 << 20)
    except OSError as e:
        os.rmdir(d)
        return None, "cannot set the limit: %s" % e
    return (d, own.rstrip("/") + "/" + name), None


def main():
    oomlens = os.environ.get("OOMLENS") or os.path.join(os.getcwd(), "oomlens")
    with open("/proc/meminfo") as f:
        avail = next(int(l.split()[1]) for l in f if l.startswith("MemAvailable:"))
    if avail < (2 << 20):
        log("SKIP: less than 2 GiB available")
        return 77
    kids, cg = [], None
    try:
        big = grower(400)
        kids.append(big)
        # Other tests on this host raise their children's adj to 1000: so does this one.
        write("/proc/%d/oom_score_adj" % big.pid, 1000)
        cg, why = make_cgroup()
        sleeper = subprocess.Popen(["sleep", "600"])
        kids.append(sleeper)
        small_big = None
        if cg:
            small_big = grower(24)
            kids.append(small_big)
            for p in (sleeper, small_big):
                write(os.path.join(cg[0], "cgroup.procs"), p.pid)
        elif os.environ.get("OOMLENS_REQUIRE_CGROUP") == "1":
            fail("cgroup part required: " + why)
        else:
            log("SKIP (cgroup part only): " + why)

        full1 = snapshot(oomlens)
        only = snapshot(oomlens, "-p", str(sleeper.pid))
        full2 = snapshot(oomlens)

        pids = [p["pid"] for p in only["processes"]]
        if pids != [sleeper.pid]:
            fail("-p %d listed %r" % (sleeper.pid, pids))
        hv = victim_pid(only["host"].get("next_victim"))
        if hv != big.pid:
            fail("with -p %d host.next_victim is %r, want the 400 MiB process %d (full runs: %r, %r)"
                 % (sleeper.pid, hv, big.pid, victim_pid(full1["host"].get("next_victim")),
                    victim_pid(full2["host"].get("next_victim"))))
        full_v = {}
        for snap in (full1, full2):
            for c in snap["cgroups"]:
                full_v.setdefault(c["path"], set()).add(victim_pid(c.get("next_victim")))
        checked = 0
        for c in only["cgroups"]:
            v = victim_pid(c.get("next_victim"))
            if c["path"] in full_v and v not in full_v[c["path"]]:
                fail("cgroup %s: next_victim %r with -p, %r in full snapshots"
                     % (c["path"], v, sorted(full_v[c["path"]], key=str)))
            checked += 1
        if cg:
            mine = [c for c in only["cgroups"] if c["path"] == cg[1]]
            if not mine or victim_pid(mine[0].get("next_victim")) != small_big.pid:
                fail("cgroup %s: next_victim %r with -p, want the 24 MiB process %d"
                     % (cg[1], mine and victim_pid(mine[0].get("next_victim")), small_big.pid))
        log("ok: -p %d lists 1 process, host.next_victim %d and %d cgroups' victims unchanged"
            % (sleeper.pid, hv, checked))
        return 0
    finally:
        for p in kids:
            p.kill()
            p.wait()
        if cg:
            for _ in range(50):
                try:
                    os.rmdir(cg[0])
                    break
                except OSError:
                    time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())
