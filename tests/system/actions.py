#!/usr/bin/env python3
"""actions.py - `oomlens set` and `oomlens kill` on the real kernel.

Processes: raise a test child's oom_score_adj and read it back from /proc,
lower it to values >= 0, try below 0 (refused, CAP_SYS_RESOURCE named, value
unchanged, unless this process holds CAP_SYS_RESOURCE), pin a child and let
it exit (or become a zombie) before the write: refused.  Signals through a
pidfd; SIGKILL only with --force.

Cgroups: in a test memory cgroup created under our own (oomlens-test-*), set,
read back and change memory, memory-swap, reservation, swappiness,
oom-kill-disable and kernel-memory ("ignored by this kernel" where the
kernel ignores it), and a table of bad inputs each refused with every
setting file of the cgroup unchanged.

The audit file holds exactly one line per attempt.  Exit 77 (skip) where
cgroupfs is not writable, unless OOMLENS_REQUIRE_CGROUP=1.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.join(os.environ.get("OOMLENS_SRCDIR", os.path.join(os.path.dirname(__file__), "..", "..")), "tests", "lib"))
from memcg import find_memory_mount, own_cgroup, own_dir  # noqa: E402

OOMLENS = os.environ.get("OOMLENS") or os.path.abspath("oomlens")
HOOKED = os.environ.get("OOMLENS_HOOKED") or os.path.abspath("tests/oomlens-hooked")
FAILS = []
ATTEMPTS = 0  # invocations that must leave one audit line per step
AUDIT_STEPS = 0


def check(cond, what):
    if cond:
        print("ok   %s" % what)
    else:
        print("FAIL %s" % what)
        FAILS.append(what)


def run(args, env_extra=None, audit=True, steps=1, stdin=subprocess.DEVNULL):
    """Run oomlens with args; count the audit lines it must add."""
    global ATTEMPTS, AUDIT_STEPS
    env = dict(os.environ)
    env["OOMLENS_AUDIT"] = AUDIT
    env.pop("DOCKER_HOST", None)
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([OOMLENS] + args, env=env, stdin=stdin, capture_output=True, text=True,
                       errors="replace", timeout=60)
    if audit:
        ATTEMPTS += 1
        AUDIT_STEPS += steps
    return p


def adj(pid):
    with open("/proc/%d/oom_score_adj" % pid) as f:
        return int(f.read())


def have_cap_sys_resource():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) & (1 << 24))
    return False


def audit_lines():
    try:
        with open(AUDIT) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


# ---- processes --------------------------------------------------------------

def test_processes():
    child = subprocess.Popen(["sleep", "300"])
    pid = child.pid
    try:
        p = run(["set", "--pid", str(pid), "--oom-score-adj", "300", "--yes"])
        check(p.returncode == 0 and adj(pid) == 300, "raise to 300: exit 0, /proc says 300")
        check("300" in p.stdout and "oom_score_adj" in p.stdout, "the plan names the file and values")
        p = run(["set", "--pid", str(pid), "--oom-score-adj", "100", "--yes"])
        check(p.returncode == 0 and adj(pid) == 100, "lower to 100 (>= 0): allowed")
        p = run(["set", "--pid", str(pid), "--oom-score-adj", "0", "--yes"])
        check(p.returncode == 0 and adj(pid) == 0, "lower to 0: allowed")
        run(["set", "--pid", str(pid), "--oom-score-adj", "100", "--yes"])
        if have_cap_sys_resource():
            print("note: this process holds CAP_SYS_RESOURCE: the below-0 refusal is not tested")
        else:
            p = run(["set", "--pid", str(pid), "--oom-score-adj", "-5", "--yes"])
            check(p.returncode == 1 and "CAP_SYS_RESOURCE" in p.stderr and adj(pid) == 100,
                  "below 0 without --force: refused, CAP_SYS_RESOURCE named, unchanged")
            p = run(["set", "--pid", str(pid), "--oom-score-adj", "-5", "--yes", "--force"])
            check(p.returncode == 1 and "CAP_SYS_RESOURCE" in p.stderr and adj(pid) == 100,
                  "below 0 with --force: the kernel's EACCES explained, unchanged")
        for bad in ["1001", "-1001", "abc", "+5", "5.5"]:
            p = run(["set", "--pid", str(pid), "--oom-score-adj", bad, "--yes"])
            check(p.returncode == 1 and adj(pid) == 100 and p.stderr.count("\n") >= 1,
                  "bad value %r refused with a reason, unchanged" % bad)
        p = run(["set", "--pid", str(pid), "--oom-score-adj", "200"])
        check(p.returncode == 1 and "--yes" in p.stderr and adj(pid) == 100,
              "no terminal and no --yes: not applied")
        # Read-only audits nothing: it opens no file by a name it was given (issue 12).
        p = run(["set", "--pid", str(pid), "--oom-score-adj", "200", "--yes", "--read-only"], audit=False)
        check(p.returncode == 1 and "read-only" in p.stderr and adj(pid) == 100, "--read-only refuses")
        p = run(["set", "--pid", str(pid), "--oom-score-adj", "200", "--yes", "--start-ticks", "1"])
        check(p.returncode == 1 and "another process" in p.stderr and adj(pid) == 100,
              "a start time that does not match: refused (PID reuse)")
        p = run(["set", "--pid", str(pid), "--oom-score-adj", "200", "--dry-run"], audit=False)
        check(p.returncode == 0 and adj(pid) == 100 and "dry run" in p.stdout, "--dry-run writes nothing")
        for args in (["set", "--pid", str(pid)], ["set", "--pid", "x", "--oom-score-adj", "1"],
                     ["set", "--oom-score-adj", "1"], ["set", "--pid", str(pid), "--oom-score-adj", "1",
                                                      "--memory", "64m"],
                     ["set", "--bogus"], ["kill"], ["kill", "--pid", str(pid), "--signal", "NOPE"]):
            p = run(args, audit=False)
            check(p.returncode == 2 and p.stderr.count("\n") == 1, "usage error %r: exit 2, one line" % args)
        p = run(["set", "--pid", "999999999", "--oom-score-adj", "1", "--yes"])
        check(p.returncode == 1 and "no process" in p.stderr, "a PID that does not exist: refused")
    finally:
        child.kill()
        child.wait()

    # Pinned, then the process exits (reaped) before the write.
    for reap in (True, False):
        child = subprocess.Popen(["sleep", "300"])
        env = {"OOMLENS_TEST_PAUSE_BEFORE_APPLY": "1.5"}
        env.update({"OOMLENS_AUDIT": AUDIT})
        full = dict(os.environ)
        full.update(env)
        global ATTEMPTS, AUDIT_STEPS
        ATTEMPTS += 1
        AUDIT_STEPS += 1
        o = subprocess.Popen([HOOKED, "set", "--pid", str(child.pid), "--oom-score-adj", "500", "--yes"],
                             env=full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(0.6)
        child.kill()
        if reap:
            child.wait()
        out, err = o.communicate(timeout=30)
        check(o.returncode == 1 and "has exited" in err,
              "pinned child that exits (%s) before the write: refused" % ("reaped" if reap else "zombie"))
        if not reap:
            child.wait()

    # Signals.
    child = subprocess.Popen(["sleep", "300"])
    p = run(["kill", "--pid", str(child.pid), "--signal", "KILL", "--yes"])
    time.sleep(0.2)
    check(p.returncode == 1 and "SIGKILL" in p.stderr and child.poll() is None,
          "SIGKILL without --force: refused, the child lives")
    p = run(["kill", "--pid", str(child.pid), "--yes"])
    check(p.returncode == 0 and child.wait(timeout=10) == -signal.SIGTERM, "SIGTERM through a pidfd")
    child = subprocess.Popen(["sleep", "300"])
    p = run(["kill", "--pid", str(child.pid), "--signal", "9", "--yes", "--force"])
    check(p.returncode == 0 and child.wait(timeout=10) == -signal.SIGKILL, "SIGKILL with --force")


CHILD_MEM = r"""
import mmap, sys, time
anon = bytearray(b"a" * (64 << 20))            # private, written: RssAnon
shm = mmap.mmap(-1, 32 << 20, flags=mmap.MAP_SHARED)
shm.write(b"s" * (32 << 20))                    # shared anonymous: RssShmem
f = open(sys.argv[1], "rb")
fm = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
sum(fm[i] for i in range(0, len(fm), 4096))     # read, file-backed: RssFile
print("ready", flush=True)
time.sleep(300)
"""


def status_kb(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmSwap", "RssAnon", "RssFile", "RssShmem"):
                out[k] = int(v.split()[0])
    return out


def test_kill_frees(tmp):
    """The kill plan's memory: RSS + swap, what ending it frees (anonymous + swap), what may stay."""
    data = os.path.join(tmp, "mapped")
    with open(data, "wb") as f:
        f.write(b"f" * (16 << 20))
    child = subprocess.Popen([sys.executable, "-c", CHILD_MEM, data], stdout=subprocess.PIPE, text=True)
    try:
        check(child.stdout.readline().strip() == "ready", "memory child ready")
        p = run(["kill", "--pid", str(child.pid), "--dry-run"], audit=False)
        st = status_kb(child.pid)
        want_total = "memory: RSS %d kB + swap %d kB = %d kB" % (st["VmRSS"], st["VmSwap"],
                                                               st["VmRSS"] + st["VmSwap"])
        want_freed = ("ending it frees %d kB: anonymous %d kB + swap %d kB; shared, may stay: "
                      "file-backed %d kB (page cache) and shared memory %d kB"
                      % (st["RssAnon"] + st["VmSwap"], st["RssAnon"], st["VmSwap"], st["RssFile"],
                         st["RssShmem"]))
        check(p.returncode == 0 and want_total in p.stdout,
              "kill plan: RSS + swap as /proc/PID/status says (%s)" % want_total)
        check(want_freed in p.stdout and st["RssAnon"] >= 65536 and st["RssShmem"] >= 32768 and
              st["RssFile"] >= 16384,
              "kill plan: anonymous part freed, file %d kB and shmem %d kB may stay" %
              (st["RssFile"], st["RssShmem"]))
        if want_freed not in p.stdout:
            print(p.stdout + p.stderr)
        check(child.poll() is None, "--dry-run: the child lives")
    finally:
        child.kill()
        child.wait()
        os.unlink(data)


# ---- cgroups -----------------------------------------------------------------

def settings_of(d):
    """Every setting file of a cgroup (not the counters, which move on their own)."""
    out = {}
    for name in sorted(os.listdir(d)):
        if not name.startswith("memory."):
            continue
        if not ("limit" in name or name in ("memory.swappiness", "memory.oom_control", "memory.max",
                                            "memory.high", "memory.low", "memory.min", "memory.swap.max",
                                            "memory.use_hierarchy", "memory.move_charge_at_immigrate",
                                            "memory.oom.group")):
            continue
        try:
            with open(os.path.join(d, name)) as f:
                text = f.read()
        except OSError as e:
            text = "error %d" % e.errno
        if name == "memory.oom_control":
            text = text.splitlines()[0]  # oom_kill_disable; the rest are counters
        out[name] = text
    return out


def read(d, name):
    with open(os.path.join(d, name)) as f:
        return f.read().strip()


def in_cgroup(procs_file):
    def enter():
        with open(procs_file, "w") as f:
            f.write(str(os.getpid()))
    return enter


def skip(reason):
    if os.environ.get("OOMLENS_REQUIRE_CGROUP") == "1":
        print("FAIL (OOMLENS_REQUIRE_CGROUP=1): " + reason)
        sys.exit(1)
    print("SKIP: " + reason)
    sys.exit(77)


def test_cgroups():
    m = find_memory_mount()
    if not m:
        skip("no memory cgroup controller is mounted")
    version, mount, mroot = m
    own = own_cgroup(version)
    if own is None:
        skip("/proc/self/cgroup has no memory line")
    base = own_dir(mount, mroot, own)
    if base is None:
        skip("own cgroup %s is outside the mounted part %s of the hierarchy" % (own, mroot))
    name = "oomlens-test-%d" % os.getpid()
    d = os.path.join(base, name)
    d2 = d + "-nolimit"
    cg = (own.rstrip("/") + "/" + name)
    cg2 = cg + "-nolimit"
    kids = []
    try:
        try:
            os.mkdir(d)
            os.mkdir(d2)
        except OSError as e:
            skip("cannot create a cgroup under %s: %s" % (base, os.strerror(e.errno)))
        if version == 2:
            test_cgroup_v2(d, cg)
            return
        # A process that holds 24 MiB inside the cgroup, so usage is real.
        hog = subprocess.Popen([sys.executable, "-c",
                                "import time\nb = bytearray(24 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\n"
                                "time.sleep(300)"], preexec_fn=in_cgroup(os.path.join(d, "cgroup.procs")))
        kids.append(hog)
        time.sleep(0.5)

        p = run(["set", "--cgroup", cg, "--memory", "64m", "--memory-swap", "128m", "--memory-reservation",
                 "32m", "--memory-swappiness", "10", "--oom-kill-disable", "--yes"], steps=5)
        check(p.returncode == 0, "set five v1 settings: exit 0 (%s)" % p.stderr.strip())
        check(read(d, "memory.limit_in_bytes") == str(64 << 20), "memory.limit_in_bytes 64m")
        check(read(d, "memory.memsw.limit_in_bytes") == str(128 << 20), "memory.memsw.limit_in_bytes 128m")
        check(read(d, "memory.soft_limit_in_bytes") == str(32 << 20), "memory.soft_limit_in_bytes 32m")
        check(read(d, "memory.swappiness") == "10", "memory.swappiness 10")
        check("oom_kill_disable 1" in read(d, "memory.oom_control"), "oom_kill_disable 1")
        check("the kernel now reports 64m" in p.stdout, "the read-back is reported")

        p = run(["set", "--cgroup", cg, "--memory", "96m", "--memory-swap", "192m", "--yes"], steps=2)
        check(p.returncode == 0 and read(d, "memory.limit_in_bytes") == str(96 << 20) and
              read(d, "memory.memsw.limit_in_bytes") == str(192 << 20), "raise both (memsw written first)")
        check(p.stdout.find("memsw.limit_in_bytes:") < p.stdout.find("memory.limit_in_bytes:"),
              "raising: the plan writes memsw before memory")
        p = run(["set", "--cgroup", cg, "--memory", "40m", "--memory-swap", "48m", "--memory-reservation",
                 "16m", "--yes"], steps=3)
        check(p.returncode == 0 and read(d, "memory.limit_in_bytes") == str(40 << 20) and
              read(d, "memory.memsw.limit_in_bytes") == str(48 << 20), "lower both (memory written first)")
        check(p.stdout.find("memory.limit_in_bytes:") < p.stdout.find("memsw.limit_in_bytes:"),
              "lowering: the plan writes memory before memsw")
        p = run(["set", "--cgroup", cg, "--memory-swappiness", "0", "--oom-kill-enable", "--yes"], steps=2)
        check(p.returncode == 0 and read(d, "memory.swappiness") == "0" and
              "oom_kill_disable 0" in read(d, "memory.oom_control"), "swappiness 0 and oom-kill-enable")

        before = read(d, "memory.kmem.limit_in_bytes")
        p = run(["set", "--cgroup", cg, "--kernel-memory", "8m", "--yes"])
        after = read(d, "memory.kmem.limit_in_bytes")
        if after == before:
            check(p.returncode == 1 and "ignored by this kernel" in p.stderr and "done" not in p.stdout,
                  "kernel-memory: the write is ignored and oomlens says so (never 'done')")
        else:
            check(p.returncode == 0 and after == str(8 << 20), "kernel-memory honoured by this kernel")

        p = run(["set", "--cgroup", cg, "--oom-score-adj", "200", "--yes"])
        check(p.returncode == 0 and adj(hog.pid) == 200, "--cgroup --oom-score-adj reaches its processes")

        # Bad inputs: each refused (1) or a usage error (2), every setting file unchanged.
        bad = [
            (1, ["--memory", "12x"]), (1, ["--memory", "0"]), (1, ["--memory", "5m"]),
            (1, ["--memory", "-1"]), (1, ["--memory", "1t"]), (1, ["--memory-swap", "32m"]),
            (1, ["--memory", "200m"]), (1, ["--memory-reservation", "1g"]),
            (1, ["--memory-swappiness", "101"]), (1, ["--memory-swappiness", "-1"]),
            (1, ["--kernel-memory", "3m"]), (1, ["--memory-high", "32m"]), (1, ["--memory-min", "8m"]),
            (1, ["--memory", "8m"]),  # below the usage of 24m: needs --force
            (1, ["--memory", "64m", "--memory-swap", "32m"]), (1, ["--oom-score-adj", "2000"]),
            (2, ["--memory"]), (2, ["--oom-kill-disable", "--oom-kill-enable"]), (2, ["--bogus", "1"]),
        ]
        for want, args in bad:
            snap = settings_of(d)
            p = run(["set", "--cgroup", cg, "--yes"] + args, audit=want == 1)
            same = settings_of(d) == snap
            check(p.returncode == want and same and p.stderr.strip(),
                  "bad input %s: exit %d, files unchanged" % (" ".join(args), want))
        snap = settings_of(d2)
        p = run(["set", "--cgroup", cg2, "--oom-kill-disable", "--yes"])
        check(p.returncode == 1 and "host's own processes" in p.stderr and settings_of(d2) == snap,
              "--oom-kill-disable without a memory limit needs --force")
        p = run(["set", "--cgroup", cg2, "--oom-kill-disable", "--yes", "--force"])
        check(p.returncode == 0 and "oom_kill_disable 1" in read(d2, "memory.oom_control"),
              "... and is done with --force")
        p = run(["set", "--cgroup", cg + "-missing", "--memory", "64m", "--yes"])
        check(p.returncode == 1 and "cannot open" in p.stderr, "a cgroup that does not exist: refused")
    finally:
        for k in kids:
            k.kill()
            k.wait()
        for x in (d, d2):
            for _ in range(50):
                try:
                    os.rmdir(x)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)


def test_cgroup_v2(d, cg):
    p = run(["set", "--cgroup", cg, "--memory", "64m", "--memory-swap", "128m", "--memory-high", "48m",
             "--memory-min", "8m", "--yes"], steps=4)
    check(p.returncode == 0 and read(d, "memory.max") == str(64 << 20) and
          read(d, "memory.high") == str(48 << 20), "v2: memory.max and memory.high")
    for args in (["--memory-swappiness", "10"], ["--kernel-memory", "8m"], ["--oom-kill-disable"]):
        snap = settings_of(d)
        p = run(["set", "--cgroup", cg] + args + ["--yes"])
        check(p.returncode == 1 and "not available on cgroup v2" in p.stderr and settings_of(d) == snap,
              "v2: %s not available" % args[0])


def test_audit():
    lines = audit_lines()
    check(len(lines) == AUDIT_STEPS, "the audit file holds one line per attempted step (%d lines, %d steps in "
          "%d invocations)" % (len(lines), AUDIT_STEPS, ATTEMPTS))
    ok = True
    for line in lines:
        try:
            o = json.loads(line)
        except ValueError:
            ok = False
            break
        for k in ("time", "uid", "target", "file", "old", "new", "result", "errno"):
            ok = ok and k in o
        ok = ok and o["result"] != "pending"
    check(ok, "every audit line is complete JSON with time, uid, target, file, old, new, result, errno")
    results = {json.loads(x)["result"] for x in lines}
    check({"done", "refused", "failed" if not have_cap_sys_resource() else "done"} <= results,
          "audit results include done, refused and failed")


def test_audit_unwritable():
    """A change whose audit line cannot be written is not made."""
    child = subprocess.Popen(["sleep", "300"])
    try:
        env = dict(os.environ)
        env["OOMLENS_AUDIT"] = "/proc/version/audit.log"
        p = subprocess.run([OOMLENS, "set", "--pid", str(child.pid), "--oom-score-adj", "700", "--yes"],
                           env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        check(p.returncode == 1 and "audit" in p.stderr and adj(child.pid) == 0,
              "audit file not writable: the change is refused and not made")
        if os.path.exists("/dev/full"):
            env["OOMLENS_AUDIT"] = "/dev/full"
            p = subprocess.run([OOMLENS, "set", "--pid", str(child.pid), "--oom-score-adj", "700", "--yes"],
                               env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            # A device is refused before any write (issue 12): not a regular file.
            check(p.returncode == 1 and "not a regular file" in p.stderr and adj(child.pid) == 0,
                  "audit file /dev/full (a device): the change is refused and not made")
    finally:
        child.kill()
        child.wait()


def main():
    global AUDIT
    if not os.access(OOMLENS, os.X_OK):
        print("SKIP: no oomlens binary at %s" % OOMLENS)
        return 77
    tmp = tempfile.mkdtemp(prefix="oomlens-actions-")
    AUDIT = os.path.join(tmp, "audit.log")
    try:
        test_processes()
        test_kill_frees(tmp)
        test_audit_unwritable()
        skipped = None
        try:
            test_cgroups()
        except SystemExit as e:
            if e.code != 77:
                raise
            skipped = e.code
        test_audit()
        if FAILS:
            print("%d failure(s)" % len(FAILS))
            return 1
        return 77 if skipped else 0
    finally:
        try:
            os.unlink(AUDIT)
        except OSError:
            pass
        os.rmdir(tmp)


if __name__ == "__main__":
    sys.exit(main())
