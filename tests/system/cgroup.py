#!/usr/bin/env python3
"""The real cgroup test (issue 2): a memory cgroup made for the test, seen by oomlens.

Under the test's own memory cgroup (found from /proc/self/cgroup and the mount
from /proc/self/mountinfo, never assumed) it creates oomlens-test-<pid>, gives it
a 64 MiB limit with no swap, and starts a sleeping child in it.  `oomlens -b -n 1
--format json` must show the cgroup with its limit, usage and availability, and
the child's process entry must carry that cgroup's path.  Then a process in the
cgroup allocates past the limit, the kernel OOM-kills it, and the next snapshot's
oom_events.oom_kill must have gone up.

Everything it creates is removed in a finally block: its children are killed
through their Popen handles (never a bare pid that could have been reused), then
the cgroup is removed.  When cgroupfs cannot be written it skips (exit 77) with
the reason, unless OOMLENS_REQUIRE_CGROUP=1, where a skip is a failure.
"""
import errno
import json
import os
import subprocess
import sys
import time
sys.path.insert(0, os.path.join(os.environ.get("OOMLENS_SRCDIR", os.path.join(os.path.dirname(__file__), "..", "..")), "tests", "lib"))
from memcg import find_memory_mount, own_cgroup, own_dir, write  # noqa: E402

SKIP, HARD = 77, 99
LIMIT = 64 << 20


def log(msg):
    print("cgroup.py: " + msg, flush=True)


def skip(reason):
    log("SKIP: " + reason)
    if os.environ.get("OOMLENS_REQUIRE_CGROUP") == "1":
        log("OOMLENS_REQUIRE_CGROUP=1: a skip counts as a failure")
        sys.exit(1)
    sys.exit(SKIP)


def fail(msg):
    log("FAIL: " + msg)
    raise SystemExit(1)










def read_kv(path, key):
    with open(path) as f:
        for line in f:
            k, _, v = line.partition(" ")
            if k == key:
                return int(v)
    return None


def snapshot(oomlens):
    r = subprocess.run([oomlens, "-b", "-n", "1", "--format", "json"], capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0:
        fail("oomlens exited %d: %s" % (r.returncode, r.stderr.strip()))
    try:
        return json.loads(r.stdout.split("\n")[0])
    except (ValueError, IndexError) as e:
        fail("oomlens printed no JSON document (%s): %r" % (e, r.stdout[:200]))


def find_cgroup(snap, path):
    for c in snap.get("cgroups") or []:
        if c.get("path") == path:
            return c
    fail("cgroup %s is not in the snapshot (%d cgroups)" % (path, len(snap.get("cgroups") or [])))


def find_proc(snap, pid):
    for p in snap.get("processes") or []:
        if p.get("pid") == pid:
            return p
    fail("process %d is not in the snapshot" % pid)


def check_cgroup(c, version, path, memsw):
    if c.get("version") != version:
        fail("%s: version %r, want %d" % (path, c.get("version"), version))
    if c.get("limit_bytes") != LIMIT:
        fail("%s: limit_bytes %r, want %d" % (path, c.get("limit_bytes"), LIMIT))
    usage = c.get("usage_bytes")
    if not isinstance(usage, int) or usage <= 0:
        fail("%s: usage_bytes %r, want a positive number" % (path, usage))
    if memsw and c.get("swap_limit_bytes") != LIMIT:
        fail("%s: swap_limit_bytes %r, want %d" % (path, c.get("swap_limit_bytes"), LIMIT))
    if (c.get("nr_processes") or 0) < 1:
        fail("%s: nr_processes %r, want at least 1" % (path, c.get("nr_processes")))
    av = c.get("avail") or {}
    if av.get("limited_by") != path:
        fail("%s: avail.limited_by %r, want its own path" % (path, av.get("limited_by")))
    if av.get("headroom_bytes") != max(LIMIT - usage, 0):
        fail("%s: avail.headroom_bytes %r, want limit - usage = %d"
             % (path, av.get("headroom_bytes"), LIMIT - usage))
    if not isinstance(av.get("available_bytes"), int) or av["available_bytes"] < av["headroom_bytes"]:
        fail("%s: avail.available_bytes %r, want at least the headroom"
             % (path, av.get("available_bytes")))
    ev = c.get("oom_events") or {}
    if not isinstance(ev.get("oom_kill"), int):
        fail("%s: oom_events.oom_kill %r, want a number" % (path, ev.get("oom_kill")))
    return ev["oom_kill"]


def main():
    oomlens = os.environ.get("OOMLENS") or os.path.join(os.getcwd(), "oomlens")
    if not os.access(oomlens, os.X_OK):
        log("no oomlens binary at %s (set OOMLENS)" % oomlens)
        return HARD

    found = find_memory_mount()
    if not found:
        skip("no memory controller mounted (cgroup v1 memory or cgroup2 with memory)")
    version, mnt, mroot = found
    own = own_cgroup(version)
    if own is None:
        skip("this process has no memory cgroup in /proc/self/cgroup")
    parent_dir = own_dir(mnt, mroot, own)
    if parent_dir is None:
        skip("own cgroup %s is outside the mounted part %s of the hierarchy" % (own, mroot))
    name = "oomlens-test-%d" % os.getpid()
    cg_path = own.rstrip("/") + "/" + name
    cg_dir = os.path.join(parent_dir, name)
    log("memory controller v%d at %s; own cgroup %s; test cgroup %s"
        % (version, mnt, own, cg_path))

    if version == 2:
        try:
            with open(os.path.join(parent_dir, "cgroup.subtree_control")) as f:
                if "memory" not in f.read().split():
                    skip("cgroup v2: the memory controller is not enabled for children of %s" % own)
        except OSError as e:
            skip("cgroup v2: cannot read %s/cgroup.subtree_control: %s" % (parent_dir, e.strerror))

    try:
        os.mkdir(cg_dir)
    except OSError as e:
        skip("cannot create %s: %s" % (cg_dir, e.strerror))

    children = []
    try:
        memsw = False
        try:
            if version == 1:
                # Lowering both: the memory limit first, then memsw (never below it).
                write(os.path.join(cg_dir, "memory.limit_in_bytes"), LIMIT)
                memsw_file = os.path.join(cg_dir, "memory.memsw.limit_in_bytes")
                if os.path.exists(memsw_file):
                    write(memsw_file, LIMIT)
                    memsw = True
            else:
                write(os.path.join(cg_dir, "memory.max"), LIMIT)
                write(os.path.join(cg_dir, "memory.high"), "max")
                swap_file = os.path.join(cg_dir, "memory.swap.max")
                if os.path.exists(swap_file):
                    write(swap_file, 0)
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                skip("cannot set the limit in %s: %s" % (cg_dir, e.strerror))
            raise

        procs_file = os.path.join(cg_dir, "cgroup.procs")

        def enter_cgroup():
            # Runs in the child between fork and exec: it starts life in the test cgroup.
            with open(procs_file, "w") as f:
                f.write(str(os.getpid()))

        sleeper = subprocess.Popen(["sleep", "600"], preexec_fn=enter_cgroup)
        children.append(sleeper)
        time.sleep(0.3)

        snap = snapshot(oomlens)
        c = find_cgroup(snap, cg_path)
        kills_before = check_cgroup(c, version, cg_path, memsw)
        p = find_proc(snap, sleeper.pid)
        if p.get("cgroup") != cg_path:
            fail("process %d: cgroup %r, want %s" % (sleeper.pid, p.get("cgroup"), cg_path))
        log("snapshot 1: %s usage %d limit %d oom_kill %d; process %d in it"
            % (cg_path, c["usage_bytes"], c["limit_bytes"], kills_before, sleeper.pid))

        hog = subprocess.Popen([sys.executable, "-c", "b = bytearray(200 << 20)"],
                               preexec_fn=enter_cgroup, stderr=subprocess.DEVNULL)
        children.append(hog)
        try:
            rc = hog.wait(timeout=120)
        except subprocess.TimeoutExpired:
            fail("the 200 MiB process was not OOM-killed within 120 s")
        if rc != -9:
            fail("the 200 MiB process ended with %d, want SIGKILL from the OOM killer" % rc)

        snap = snapshot(oomlens)
        c = find_cgroup(snap, cg_path)
        kills_after = (c.get("oom_events") or {}).get("oom_kill")
        if not isinstance(kills_after, int) or kills_after <= kills_before:
            fail("oom_events.oom_kill %r after an OOM kill, want more than %d"
                 % (kills_after, kills_before))
        log("snapshot 2: oom_kill %d -> %d" % (kills_before, kills_after))
        log("PASS")
        return 0
    finally:
        for ch in children:
            if ch.poll() is None:
                ch.kill()
            ch.wait()
        # The kernel may take a moment to let go of a killed task.
        for _ in range(50):
            try:
                os.rmdir(cg_dir)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.1)
        else:
            log("warning: could not remove %s" % cg_dir)


if __name__ == "__main__":
    sys.exit(main())
