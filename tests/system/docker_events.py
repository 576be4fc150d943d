#!/usr/bin/env python3
"""A real Docker container in oomlens (issue 5): its name, and an OOM kill in it.

Starts a private dockerd (data root, exec root and socket under a mktemp
directory; no bridge, no iptables, vfs storage, the cgroupfs driver), imports a
busybox rootfs, and runs oomlens-test-ev-<pid> with --memory 64m.  With
DOCKER_HOST pointing at the private socket, the batch JSON must show the
container's cgroup and its process with {runtime: docker, id, name}.  Then a
process inside the container allocates past the limit; the kill must appear in
`oomlens events --format json` with the container's name.

Teardown, even on failure: docker rm -f, docker rmi, then the dockerd PID from
its pidfile is killed and waited for, and the directory removed.  Skips (77)
when dockerd or busybox is missing, unless OOMLENS_REQUIRE_DOCKER=1.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP, HARD = 77, 99


def log(msg):
    print("docker_events.py: " + msg, flush=True)


def skip(reason):
    log("SKIP: " + reason)
    if os.environ.get("OOMLENS_REQUIRE_DOCKER") == "1":
        log("OOMLENS_REQUIRE_DOCKER=1: a skip counts as a failure")
        sys.exit(1)
    sys.exit(SKIP)


def fail(msg):
    log("FAIL: " + msg)
    raise SystemExit(1)


def run(args, env=None, check=True, timeout=120):
    r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=timeout)
    if check and r.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()[-500:]))
    return r


def make_rootfs(s):
    busybox = shutil.which("busybox") or "/bin/busybox"
    if not os.access(busybox, os.X_OK):
        skip("busybox is not installed (apt-get install busybox-static)")
    root = os.path.join(s, "rootfs")
    for d in ("bin", "etc", "proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(root, d))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    applets = run([os.path.join(root, "bin", "busybox"), "--list"]).stdout.split()
    for a in applets:
        if a != "busybox":
            os.symlink("busybox", os.path.join(root, "bin", a))
    with open(os.path.join(root, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\n")
    with open(os.path.join(root, "etc", "group"), "w") as f:
        f.write("root:x:0:\n")
    tar = os.path.join(s, "rootfs.tar")
    run(["tar", "-C", root, "-cf", tar, "."])
    return tar


def main():
    oomlens = os.environ.get("OOMLENS") or os.path.join(os.getcwd(), "oomlens")
    if not os.access(oomlens, os.X_OK):
        log("no oomlens binary at %s" % oomlens)
        return HARD
    if not shutil.which("dockerd") or not shutil.which("docker"):
        skip("dockerd is not installed (apt-get install docker.io)")

    s = tempfile.mkdtemp(prefix="oomlens-test-ev-")
    env = dict(os.environ, DOCKER_HOST="unix://%s/docker.sock" % s)
    name = "oomlens-test-ev-%d" % os.getpid()
    image = "oomlens-test-ev-busybox:%d" % os.getpid()
    pidfile = os.path.join(s, "dockerd.pid")
    dockerd = None
    dlog = open(os.path.join(s, "dockerd.log"), "w")
    try:
        tar = make_rootfs(s)
        dockerd = subprocess.Popen(
            ["dockerd", "--data-root", os.path.join(s, "data"), "--exec-root", os.path.join(s, "exec"),
             "--pidfile", pidfile, "-H", env["DOCKER_HOST"], "--iptables=false",
             "--ip6tables=false", "--bridge=none", "--storage-driver=vfs",
             "--exec-opt", "native.cgroupdriver=cgroupfs"],
            stdout=dlog, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while run(["docker", "version"], env=env, check=False).returncode != 0:
            if dockerd.poll() is not None or time.time() > deadline:
                with open(os.path.join(s, "dockerd.log")) as f:
                    tail = f.read()[-800:]
                skip("the private dockerd did not start: %s" % tail)
            time.sleep(0.25)
        run(["docker", "import", tar, image], env=env)
        run(["docker", "run", "-d", "--name", name, "--network", "none", "--memory", "64m",
             image, "sleep", "3600"], env=env)
        cid = run(["docker", "inspect", "-f", "{{.Id}}", name], env=env).stdout.strip()
        pid = int(run(["docker", "inspect", "-f", "{{.State.Pid}}", name], env=env).stdout.strip())
        log("container %s id %s pid %d" % (name, cid[:12], pid))

        r = run([oomlens, "-b", "-n", "1", "--format", "json"], env=env)
        snap = json.loads(r.stdout.split("\n")[0])
        cgs = [c for c in snap["cgroups"] if c["path"].endswith("/" + cid)]
        if not cgs:
            fail("no cgroup ending in /%s in the snapshot" % cid)
        ct = cgs[0].get("container") or {}
        if ct.get("runtime") != "docker" or ct.get("id") != cid or ct.get("name") != name:
            fail("cgroup %s: container %r, want docker %s named %s" % (cgs[0]["path"], ct, cid, name))
        if cgs[0].get("limit_bytes") != 64 << 20:
            fail("cgroup %s: limit_bytes %r, want 64 MiB" % (cgs[0]["path"], cgs[0].get("limit_bytes")))
        procs = [p for p in snap["processes"] if p["pid"] == pid]
        if not procs or (procs[0].get("container") or {}).get("name") != name:
            fail("process %d: container %r, want the name %s"
                 % (pid, procs[0].get("container") if procs else None, name))
        log("snapshot: cgroup %s and process %d show container %s" % (cgs[0]["path"], pid, name))

        r = run(["docker", "exec", name, "sh", "-c", "head -c 209715200 /dev/zero | tail >/dev/null"],
                env=env, check=False)
        if r.returncode == 0:
            fail("the 200 MiB pipeline inside the 64 MiB container was not killed")
        ev = None
        for _ in range(20):
            j = json.loads(run([oomlens, "events", "--format", "json"], env=env).stdout.split("\n")[0])
            evs = [e for e in j.get("oom_events") or []
                   if (e.get("cgroup") or "").endswith("/" + cid)]
            if evs:
                ev = evs[-1]
                break
            time.sleep(0.25)
        if not ev:
            fail("no OOM event in the container's cgroup in `oomlens events --format json`")
        if (ev.get("container") or {}).get("name") != name:
            fail("the event's container is %r, want the name %s" % (ev.get("container"), name))
        log("event: pid %s (%s) rss %s kB in %s, container %s" % (
            ev.get("pid"), ev.get("comm"), ev.get("rss_kb"), ev.get("cgroup"), ev["container"]["name"]))
        r = run([oomlens, "events"], env=env)
        if name not in r.stdout:
            fail("`oomlens events` text does not name the container: %r" % r.stdout[-400:])
        log("PASS: the container shows with its name; its OOM kill is in the event log with it")
        return 0
    finally:
        if dockerd is not None:
            run(["docker", "rm", "-f", name], env=env, check=False, timeout=60)
            run(["docker", "rmi", "-f", image], env=env, check=False, timeout=60)
            dpid = None
            try:
                with open(pidfile) as f:
                    dpid = int(f.read().strip())
            except (OSError, ValueError):
                pass
            if dpid == dockerd.pid:
                os.kill(dpid, signal.SIGTERM)
            elif dockerd.poll() is None:
                dockerd.terminate()
            try:
                dockerd.wait(timeout=30)
            except subprocess.TimeoutExpired:
                dockerd.kill()
                dockerd.wait(timeout=10)
        dlog.close()
        shutil.rmtree(s, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
