#!/usr/bin/env python3
"""cgchurn.py - memory cgroup churn for the hardening tests.

    cgchurn.py SECONDS [RATE] [LIVE]

Creates memory cgroups named oomlens-test-churn-<pid>-<n> under this
process's own memory cgroup (v1 or v2, found from /proc/self/cgroup and
/proc/self/mountinfo), gives each a limit, keeps LIVE of them at a time
and removes the oldest, RATE creations a second, for SECONDS.  Everything
it created is removed at the end, even on SIGTERM.  Prints
"cgroups: created N removed M in S s: R/s" on stdout; exit 77 when the
hierarchy is not writable.
"""
import os
import signal
import sys
import time


def memory_cgroup_dir():
    """The directory of our own memory cgroup, and the hierarchy's version."""
    v1 = v2 = None
    with open("/proc/self/cgroup") as f:
        for line in f:
            hid, ctl, path = line.rstrip("\n").split(":", 2)
            if "memory" in ctl.split(","):
                v1 = path
            elif hid == "0" and ctl == "":
                v2 = path
    with open("/proc/self/mountinfo") as f:
        for line in f:
            pre, post = line.split(" - ", 1)
            fields = pre.split()
            fstype, _, opts = post.split()[:3]
            root, mnt = fields[3], fields[4]
            if v1 is not None and fstype == "cgroup" and "memory" in opts.split(","):
                rel = os.path.relpath(v1, root) if v1.startswith(root) else v1.lstrip("/")
                return os.path.normpath(os.path.join(mnt, rel)), 1
            if v1 is None and v2 is not None and fstype == "cgroup2":
                rel = os.path.relpath(v2, root) if v2.startswith(root) else v2.lstrip("/")
                return os.path.normpath(os.path.join(mnt, rel)), 2
    return None, 0


def main():
    secs = float(sys.argv[1])
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 50.0
    live = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    base, version = memory_cgroup_dir()
    if not base:
        print("SKIP: no memory cgroup")
        return 77
    limit_file = "memory.limit_in_bytes" if version == 1 else "memory.max"
    made = []
    created = removed = 0
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    start = time.monotonic()
    try:
        n = 0
        while not stop and time.monotonic() - start < secs:
            d = os.path.join(base, "oomlens-test-churn-%d-%d" % (os.getpid(), n))
            n += 1
            try:
                os.mkdir(d)
            except OSError as e:
                if not made and created == 0:
                    print("SKIP: %s is not writable: %s" % (base, e))
                    return 77
                continue
            made.append(d)
            created += 1
            try:
                with open(os.path.join(d, limit_file), "w") as f:
                    f.write("%d" % (64 << 20))
            except OSError:
                pass
            while len(made) > live:
                os.rmdir(made.pop(0))
                removed += 1
            time.sleep(max(0.0, start + n / rate - time.monotonic()))
    finally:
        for d in made:
            try:
                os.rmdir(d)
                removed += 1
            except OSError:
                pass
    el = time.monotonic() - start
    print("cgroups: created %d removed %d in %.1f s: %.0f/s under %s (v%d)" % (
        created, removed, el, created / el, base, version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
