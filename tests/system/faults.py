#!/usr/bin/env python3
"""faults.py - oomlens under faults: files that vanish between and during
snapshots, short and failing reads, an unreadable /dev/kmsg, a Docker
socket that accepts and never answers, and signals at any moment.

Fixture trees (data/fixtures/tree-v2, tree-hybrid) are copied to a
temporary directory and damaged there; oomlens reads them with --root.
Every run must end by itself with status 0 (or the documented 1 when the
host's meminfo cannot be read at all), print whole JSON documents only,
and leave no sanitizer report on stderr.
"""
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

OOMLENS = os.environ.get("OOMLENS", "./oomlens")
DATA = os.environ.get("OOMLENS_DATA", os.path.join(os.path.dirname(__file__), "../../data"))
FIX = os.path.join(DATA, "fixtures")
DOCKER_V2 = ("/sys/fs/cgroup/system.slice/docker-a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6"
             "0718293a4b5c6d7e8f90.scope")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def clean_stderr(err, what):
    text = err.decode("utf-8", "replace")
    check("Sanitizer" not in text and "runtime error" not in text,
          "%s: sanitizer report: %s" % (what, text[:600]))


def docs(out, what):
    """Every line a whole JSON document; returns them."""
    res = []
    for n, line in enumerate(out.split(b"\n")):
        if not line:
            continue
        try:
            res.append(json.loads(line.decode("utf-8", errors="strict")))
        except (UnicodeDecodeError, ValueError) as e:
            check(False, "%s: line %d is not whole JSON (%s): %r" % (what, n + 1, e, line[-80:]))
    check(out == b"" or out.endswith(b"\n"), "%s: output ends mid-line" % what)
    return res


def copy_tree(tmp, name):
    dst = os.path.join(tmp, name)
    shutil.copytree(os.path.join(FIX, name), dst, symlinks=True)
    return dst


def run(args, what, timeout=60, ok=(0,), env=None):
    t0 = time.monotonic()
    r = subprocess.run([OOMLENS] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, env=env)
    check(r.returncode in ok, "%s: exit %d: %s" % (what, r.returncode, r.stderr[-300:]))
    clean_stderr(r.stderr, what)
    return r, time.monotonic() - t0


def test_vanish(tmp):
    """Files and whole processes and cgroups removed between two snapshots."""
    root = copy_tree(tmp, "tree-v2")
    p = subprocess.Popen([OOMLENS, "--root", root, "-b", "-n", "2", "-d", "1.5", "--format",
                          "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = p.stdout.readline()
    shutil.rmtree(os.path.join(root, "proc/3001"))            # a process exits
    os.unlink(os.path.join(root, "proc/3002/status"))          # ... during collection
    os.unlink(os.path.join(root, "proc/600/cmdline"))
    shutil.rmtree(root + DOCKER_V2)                            # a container's cgroup goes
    os.unlink(os.path.join(root, "sys/fs/cgroup/system.slice/sshd.service/memory.max"))
    out, err = p.communicate(timeout=60)
    check(p.returncode == 0, "vanish: exit %d: %s" % (p.returncode, err[-300:]))
    clean_stderr(err, "vanish")
    d = docs(first + out, "vanish")
    if not check(len(d) == 2, "vanish: %d documents, want 2" % len(d)):
        return
    pids = {q["pid"] for q in d[1]["processes"]}
    check(3001 not in pids, "vanish: a removed process is still listed")
    cgs = {c["path"]: c for c in d[1]["cgroups"]}
    check(not any("docker-a1b2" in c for c in cgs), "vanish: a removed cgroup is still listed")
    ssh = cgs.get("/system.slice/sshd.service")
    if check(ssh is not None, "vanish: sshd.service missing"):
        check(ssh["limit_bytes"] is None and "limit_bytes" in ssh.get("unknown", {}),
              "vanish: a removed memory.max is not unknown with a reason: %r" % ssh["limit_bytes"])
    for q in d[1]["processes"]:
        if q["pid"] == 600:
            check(q["cmdline"] is None, "vanish: a removed cmdline is not null")


def test_short(tmp):
    """Truncated files, empty files, and reads that fail with an error that is not ENOENT."""
    root = copy_tree(tmp, "tree-v2")

    def cut(rel, n):
        path = os.path.join(root, rel)
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(data[:n])

    cut("proc/meminfo", 60)
    cut("proc/3001/stat", 25)
    cut("proc/3002/status", 100)
    cut("proc/pressure/memory", 30)
    cut("proc/vmstat", 0)
    cut("sys/fs/cgroup/user.slice/memory.stat", 10)
    cut("sys/fs/cgroup/user.slice/memory.current", 0)
    # EISDIR stands in for EIO: a read that fails although the file is there.
    for rel in ("proc/600/cmdline", "proc/2/status", "sys/fs/cgroup/init.scope/memory.max"):
        path = os.path.join(root, rel)
        os.unlink(path)
        os.mkdir(path)
    r, _ = run(["--root", root, "-b", "--format", "json"], "short reads")
    d = docs(r.stdout, "short reads")
    if d:
        h = d[0]["host"]
        check(h["mem_available_kb"] is None or isinstance(h["mem_available_kb"], int),
              "short reads: mem_available_kb %r" % h["mem_available_kb"])
        check(h["oom_kill"] is None, "short reads: an empty vmstat gave oom_kill %r" % h["oom_kill"])
        for q in d[0]["processes"]:
            if q["pid"] == 600:
                check(q["cmdline"] is None and "cmdline" in q.get("unknown", {}),
                      "short reads: an unreadable cmdline is not null with a reason")
    for fmt in ("text", "csv"):
        run(["--root", root, "-b", "--format", fmt], "short reads, %s" % fmt)
    # meminfo unreadable: the documented exit status 1 and one line on stderr.
    os.unlink(os.path.join(root, "proc/meminfo"))
    r, _ = run(["--root", root, "-b"], "no meminfo", ok=(1,))
    check(r.stdout == b"", "no meminfo: something was printed")


def test_kmsg(tmp):
    """An unreadable /dev/kmsg: reported in the snapshot, nothing else lost."""
    root = copy_tree(tmp, "tree-v2")
    os.makedirs(os.path.join(root, "dev"))
    kmsg = os.path.join(root, "dev/kmsg")
    shutil.copy(os.path.join(FIX, "kmsg/linux-6.18-memcg-v1"), kmsg)
    os.chmod(kmsg, 0)
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or not setpriv:
        print("note: not root or no setpriv: /dev/kmsg as nobody not checked")
        return
    nobody = pwd.getpwnam("nobody")
    os.chmod(tmp, 0o755)
    drop = [setpriv, "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid,
            "--clear-groups", "--inh-caps=-all"]
    for what, args in (("fixture kmsg mode 000", ["--root", root]), ("live /dev/kmsg", [])):
        r = subprocess.run(drop + [OOMLENS] + args + ["-b", "--format", "json"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        check(r.returncode == 0, "kmsg as nobody (%s): exit %d: %s" % (what, r.returncode,
                                                                     r.stderr[-300:]))
        clean_stderr(r.stderr, "kmsg as nobody")
        d = docs(r.stdout, "kmsg as nobody")
        if d and args:
            check(d[0].get("kmsg_error"), "kmsg as nobody: no kmsg_error in %r" %
                  {k: d[0].get(k) for k in ("kmsg_error",)})
            check(len(d[0]["processes"]) > 0, "kmsg as nobody: no processes")


def test_docker_hang(tmp):
    """A Docker socket that accepts and never answers must not hold a snapshot up."""
    root = copy_tree(tmp, "tree-v2")
    os.makedirs(os.path.join(root, "var/run"))
    path = os.path.join(root, "var/run/docker.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(16)
    held = []
    stop = threading.Event()

    def serve():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
                held.append(c)  # accept, read nothing, answer nothing
            except socket.timeout:
                continue
            except OSError:
                return

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        r, took = run(["--root", root, "-b", "--format", "json"], "hanging Docker socket",
                      timeout=30)
        check(took < 5, "hanging Docker socket: the snapshot took %.1f s" % took)
        check(held, "hanging Docker socket: oomlens never connected, so nothing was tested")
        d = docs(r.stdout, "hanging Docker socket")
        if d:
            check(any("docker-a1b2" in c["path"] for c in d[0]["cgroups"]),
                  "hanging Docker socket: the container's cgroup is missing")
        r, took = run(["--root", root, "-b", "-n", "3", "-d", "0.1", "--format", "json"],
                      "hanging Docker socket, 3 ticks", timeout=30)
        check(took < 8, "hanging Docker socket: 3 ticks took %.1f s" % took)
        ui_responsive(root, tmp)
    finally:
        stop.set()
        srv.close()
        t.join()
        for c in held:
            c.close()


def ui_responsive(root, tmp):
    """The monitor answers keys within a second while the Docker socket hangs."""
    if not shutil.which("tmux"):
        print("note: no tmux: the monitor's responsiveness is not checked")
        return
    sock = os.path.join(tmp, "tmux.sock")

    def tmux(*args):
        return subprocess.run(["tmux", "-S", sock] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=20)

    tmux("-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "40", "-e",
         "TERM=xterm-256color", "exec '%s' --root '%s' -d 0.5 2>'%s/ui.err'" % (OOMLENS, root, tmp))
    try:
        time.sleep(2)
        slow = 0.0
        for key in ("h", "Escape", "c", "Escape", "Down", "Up"):
            before = tmux("capture-pane", "-p").stdout
            t0 = time.monotonic()
            tmux("send-keys", key)
            while time.monotonic() - t0 < 5:
                if tmux("capture-pane", "-p").stdout != before:
                    break
                time.sleep(0.05)
            slow = max(slow, time.monotonic() - t0)
        check(slow < 1.5, "hanging Docker socket: the monitor took %.1f s to answer a key" % slow)
        dead = tmux("list-panes", "-F", "#{pane_dead}").stdout.strip()
        check(dead == b"0", "hanging Docker socket: the monitor died")
        tmux("send-keys", "q")
        time.sleep(0.5)
        err = os.path.join(tmp, "ui.err")
        if os.path.exists(err):
            clean_stderr(open(err, "rb").read(), "monitor with a hanging Docker socket")
    finally:
        tmux("kill-server")


def test_signals():
    """SIGPIPE, SIGTERM, SIGINT and SIGHUP at any moment: only whole documents, a clean end."""
    p = subprocess.Popen("'%s' -b -n 0 -d 0.1 | head -1 >/dev/null; echo \"${PIPESTATUS[0]}\""
                         % OOMLENS, shell=True, executable="/bin/bash", stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=30)
        check(out.strip() == b"0", "| head -1: oomlens exit status %r" % out.strip())
        clean_stderr(err, "| head -1")
        check(err == b"", "| head -1: stderr %r" % err[:200])
    except subprocess.TimeoutExpired:
        p.kill()
        check(False, "| head -1: oomlens kept running after its reader went away")
    for sig, delay in ((signal.SIGTERM, 1.3), (signal.SIGINT, 0.7), (signal.SIGHUP, 1.1),
                       (signal.SIGTERM, 0.05), (signal.SIGHUP, 0.02)):
        name = signal.Signals(sig).name
        p = subprocess.Popen([OOMLENS, "-b", "-n", "0", "-d", "0.05", "--format", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        p.send_signal(sig)
        try:
            out, err = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            check(False, "%s: oomlens did not stop" % name)
            continue
        # Before the handlers are installed the default action may end it: then with no output.
        check(p.returncode == 0 or (p.returncode == -sig and out == b""),
              "%s after %.2f s: exit %d with %d bytes out" % (name, delay, p.returncode, len(out)))
        clean_stderr(err, name)
        docs(out, "%s after %.2f s" % (name, delay))
    # The same while oomlens is blocked writing to a full pipe nobody reads yet.
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        name = signal.Signals(sig).name
        p = subprocess.Popen([OOMLENS, "-b", "-n", "0", "-d", "0", "--format", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1.5)
        p.send_signal(sig)
        out, err = p.communicate(timeout=60)
        check(p.returncode == 0, "%s while blocked on a full pipe: exit %d" % (name, p.returncode))
        clean_stderr(err, name)
        docs(out, "%s while blocked on a full pipe" % name)


def main():
    tmp = tempfile.mkdtemp(prefix="oomlens-faults-")
    try:
        for t in (test_vanish, test_short, test_kmsg, test_docker_hang):
            t(tmp)
            shutil.rmtree(tmp)
            os.mkdir(tmp)
        test_signals()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("PASS: vanishing files, short and failing reads, unreadable kmsg, "
          "a silent Docker socket (batch and monitor), signals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
