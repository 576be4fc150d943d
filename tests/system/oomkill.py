#!/usr/bin/env python3
"""Who dies next, checked against the kernel (issue 5).

In a test memory cgroup (oomlens-test-oom-<pid> under the test's own memory
cgroup, found from /proc/self/cgroup and /proc/self/mountinfo; 64 MiB limit,
memsw equal when present) it starts three children of different sizes and
oom_score_adj values, records oomlens's predicted victim for the cgroup (the
batch JSON's next_victim), then pushes the cgroup over its limit with a fourth
process, which stops as soon as any child dies.  The child the kernel really
killed (the one that died of SIGKILL, and the "Killed process" line of the
kernel log) must be the predicted one.  Round 1: the adjustments decide;
round 2: equal adjustments, so size decides.  Each kill must appear in the
batch JSON's oom_events and in `oomlens events --format json`.

Then `oomlens fits` against a cgroup with a known limit, anonymous memory and
page cache: sizes below the headroom, between the headroom and the
availability, and above the availability give 0, 3 and 4.

Everything it creates is removed in a finally block (children killed through
their Popen handles, then rmdir).  Skips (77) with the reason when cgroupfs is
not writable, unless OOMLENS_REQUIRE_CGROUP=1.
"""
import errno
import json
import os
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.join(os.environ.get("OOMLENS_SRCDIR", os.path.join(os.path.dirname(__file__), "..", "..")), "tests", "lib"))
from memcg import find_memory_mount, own_cgroup, own_dir, write  # noqa: E402

SKIP, HARD = 77, 99
LIMIT = 64 << 20
MiB = 1 << 20

CHILD = r"""
import sys, time
open('/proc/self/oom_score_adj', 'w').write(sys.argv[2])
b = b'\x01' * (int(sys.argv[1]) << 20)
print('ready', flush=True)
time.sleep(600)
"""

PUSHER = r"""
import os, sys, time
counter = sys.argv[1]
watch = [int(p) for p in sys.argv[2:]]
def kills():
    with open(counter) as f:
        for line in f:
            k, v = line.split()
            if k == 'oom_kill':
                return int(v)
    return 0
first = kills()
def all_alive():
    # The cgroup's oom_kill counter moves as soon as the killer has chosen,
    # before the victim has exited: stop there, or a second kill can follow.
    if kills() != first:
        return False
    for p in watch:
        try:
            with open('/proc/%d/stat' % p) as f:
                if f.read().rsplit(')', 1)[1].split()[0] in ('Z', 'X'):
                    return False
        except OSError:
            return False
    return True
held = []
while all_alive() and len(held) < 256:
    held.append(b'\x02' * (1 << 20))
    time.sleep(0.01)
print('done %d' % len(held), flush=True)
time.sleep(600)
"""

FILLER = r"""
import os, sys, time
b = b'\x03' * (int(sys.argv[1]) << 20)
with open(sys.argv[2], 'wb') as f:
    for _ in range(int(sys.argv[3])):
        f.write(b'\x04' * (1 << 20))
print('ready', flush=True)
time.sleep(600)
"""


def log(msg):
    print("oomkill.py: " + msg, flush=True)


def skip(reason):
    log("SKIP: " + reason)
    if os.environ.get("OOMLENS_REQUIRE_CGROUP") == "1":
        log("OOMLENS_REQUIRE_CGROUP=1: a skip counts as a failure")
        sys.exit(1)
    sys.exit(SKIP)


def fail(msg):
    log("FAIL: " + msg)
    raise SystemExit(1)










def run_json(args, want_rc=0):
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if r.returncode != want_rc:
        fail("%s exited %d: %s" % (" ".join(args), r.returncode, r.stderr.strip()))
    try:
        return json.loads(r.stdout.split("\n")[0])
    except (ValueError, IndexError) as e:
        fail("%s printed no JSON (%s): %r" % (" ".join(args), e, r.stdout[:200]))


def find_cgroup(snap, path):
    for c in snap.get("cgroups") or []:
        if c.get("path") == path:
            return c
    fail("cgroup %s is not in the snapshot" % path)


def kmsg_kills():
    """pid -> "Killed process" line, from /dev/kmsg (or dmesg when it cannot be read)."""
    out = {}
    lines = []
    try:
        fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        try:
            while True:
                try:
                    rec = os.read(fd, 8192)
                except BlockingIOError:
                    break
                except BrokenPipeError:
                    continue
                lines.append(rec.decode("utf-8", "replace").split(";", 1)[-1])
        finally:
            os.close(fd)
    except OSError:
        r = subprocess.run(["dmesg"], capture_output=True, text=True)
        lines = r.stdout.splitlines()
    for line in lines:
        i = line.find("Killed process ")
        if i < 0:
            continue
        rest = line[i + len("Killed process "):]
        pid = rest.split(" ", 1)[0]
        if pid.isdigit():
            out[int(pid)] = line.strip()
    return out


class Cgroup:
    def __init__(self, version, parent_dir, own, name):
        self.version = version
        self.dir = os.path.join(parent_dir, name)
        self.path = own.rstrip("/") + "/" + name
        self.children = []

    def create(self):
        try:
            os.mkdir(self.dir)
        except OSError as e:
            skip("cannot create %s: %s" % (self.dir, e.strerror))
        try:
            if self.version == 1:
                write(os.path.join(self.dir, "memory.limit_in_bytes"), LIMIT)
                memsw = os.path.join(self.dir, "memory.memsw.limit_in_bytes")
                if os.path.exists(memsw):
                    write(memsw, LIMIT)
            else:
                write(os.path.join(self.dir, "memory.max"), LIMIT)
                swap = os.path.join(self.dir, "memory.swap.max")
                if os.path.exists(swap):
                    write(swap, 0)
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                skip("cannot set the limit in %s: %s" % (self.dir, e.strerror))
            raise

    def start(self, code, *args):
        procs = os.path.join(self.dir, "cgroup.procs")

        def enter():
            with open(procs, "w") as f:
                f.write(str(os.getpid()))

        p = subprocess.Popen([sys.executable, "-S", "-c", code] + [str(a) for a in args],
                             preexec_fn=enter, stdout=subprocess.PIPE, text=True)
        self.children.append(p)
        return p

    def usage(self):
        name = "memory.usage_in_bytes" if self.version == 1 else "memory.current"
        with open(os.path.join(self.dir, name)) as f:
            return int(f.read())

    def destroy(self):
        for p in self.children:
            if p.poll() is None:
                p.kill()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            if p.stdout:
                p.stdout.close()
        self.children = []
        for _ in range(50):
            try:
                os.rmdir(self.dir)
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.1)
        log("could not remove %s" % self.dir)


def wait_ready(p, what):
    line = p.stdout.readline()
    if not line.startswith("ready"):
        fail("%s did not start (exit %r)" % (what, p.poll()))


def oom_round(oomlens, cg, sizes, adjs, label):
    """Start the three children, predict, push, and compare.  Returns True on a match."""
    kids = []
    for i, (mb, adj) in enumerate(zip(sizes, adjs)):
        p = cg.start(CHILD, mb, adj)
        wait_ready(p, "child %d" % i)
        kids.append(p)
    time.sleep(0.2)
    snap = run_json([oomlens, "-b", "-n", "1", "--format", "json"])
    c = find_cgroup(snap, cg.path)
    nv = c.get("next_victim")
    if not nv:
        fail("%s: no next_victim for %s" % (label, cg.path))
    predicted = nv["pid"]
    pid_names = {p.pid: "child %d (%d MiB, adj %d)" % (i, sizes[i], adjs[i])
                 for i, p in enumerate(kids)}
    if predicted not in pid_names:
        fail("%s: predicted victim %r is not one of the children %s"
             % (label, predicted, sorted(pid_names)))
    if nv.get("whole_group") is not False:
        fail("%s: whole_group %r on cgroup v1, want false" % (label, nv.get("whole_group")))
    log("%s: usage %d, predicted %d = %s, points %d"
        % (label, cg.usage(), predicted, pid_names[predicted], nv["points"]))

    counter = os.path.join(cg.dir, "memory.oom_control" if cg.version == 1 else "memory.events")
    pusher = cg.start(PUSHER, counter, *[p.pid for p in kids])
    deadline = time.time() + 60
    dead = []
    while time.time() < deadline:
        dead = [p for p in kids + [pusher] if p.poll() is not None]
        if dead:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    dead = [p for p in kids + [pusher] if p.poll() is not None]
    if not dead:
        fail("%s: nothing was OOM-killed within 60 s" % label)
    killed = [p for p in dead if p.returncode == -9]
    if not killed:
        fail("%s: nothing died of SIGKILL (%s)" % (label, [(p.pid, p.returncode) for p in dead]))
    kern = kmsg_kills()
    # The kernel's first choice is what oomlens predicts.  On a loaded
    # machine the pusher's retried charge can run before the first victim's
    # memory is uncharged, and the kernel then chooses again among what is
    # left: later kills are logged, and only the first is compared.
    order = [pid for pid in kern if pid in {p.pid for p in killed}]
    if not order:
        fail("%s: the kernel log has no 'Killed process' for %s"
             % (label, [p.pid for p in killed]))
    victim = order[0]
    if len(order) > 1:
        log("%s: %d further kills after the first (%s): a retried charge under load"
            % (label, len(order) - 1, order[1:]))
    log("%s: kernel killed %d (%s): %s" % (label, victim,
                                          pid_names.get(victim, "the pusher"), kern[victim]))
    match = victim == predicted

    snap = run_json([oomlens, "-b", "-n", "1", "--format", "json"])
    evs = [e for e in snap.get("oom_events") or [] if e.get("pid") == victim]
    if not evs:
        fail("%s: the batch JSON's oom_events has no event for pid %d" % (label, victim))
    e = evs[-1]
    if e.get("cgroup") != cg.path or e.get("constraint") != cg.path or e.get("source") != "kmsg":
        fail("%s: event %r, want cgroup and constraint %s from kmsg" % (label, e, cg.path))
    if not isinstance(e.get("rss_kb"), int) or e["rss_kb"] < min(sizes) * 1024:
        fail("%s: event rss_kb %r too small" % (label, e.get("rss_kb")))
    pids = [p.pid for p in kids]
    want_adj = adjs[pids.index(victim)] if victim in pids else 0
    if e.get("oom_score_adj") != want_adj:
        fail("%s: event oom_score_adj %r, want %d" % (label, e.get("oom_score_adj"), want_adj))
    ev = run_json([oomlens, "events", "--format", "json"])
    if not any(x.get("pid") == victim and x.get("cgroup") == cg.path
               for x in ev.get("oom_events") or []):
        fail("%s: `oomlens events --format json` has no event for pid %d" % (label, victim))
    r = subprocess.run([oomlens, "events"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or ("killed %d " % victim) not in r.stdout:
        fail("%s: `oomlens events` text lacks pid %d: %r" % (label, victim, r.stdout[-300:]))
    cg.destroy()
    return match, predicted, victim


def fits_part(oomlens, cg, tmpdir):
    fill = cg.start(FILLER, 16, os.path.join(tmpdir, "cache"), 24)
    wait_ready(fill, "the page-cache filler")
    time.sleep(0.3)
    snap = run_json([oomlens, "-b", "-n", "1", "--format", "json"])
    c = find_cgroup(snap, cg.path)
    av = c.get("avail") or {}
    head, avail = av.get("headroom_bytes"), av.get("available_bytes")
    if not isinstance(head, int) or not isinstance(avail, int):
        fail("fits: headroom %r, available %r" % (head, avail))
    if c.get("limit_bytes") != LIMIT or head != LIMIT - c.get("usage_bytes"):
        fail("fits: limit %r usage %r headroom %r" % (c.get("limit_bytes"), c.get("usage_bytes"), head))
    if avail - head < 8 * MiB:
        fail("fits: only %d bytes of reclaimable cache in the cgroup, want 8 MiB or more"
             % (avail - head))
    sizing = c.get("sizing")
    if not sizing or not isinstance(sizing.get("memory_bytes"), int) or not sizing.get("reason"):
        fail("fits: the cgroup's sizing is %r" % (sizing,))
    log("fits: %s usage %d headroom %d available %d; sizing --memory %d"
        % (cg.path, c["usage_bytes"], head, avail, sizing["memory_bytes"]))
    cases = [(head // 2, 0), ((head + avail) // 2, 3), (avail + 16 * MiB, 4)]
    for size, want in cases:
        r = subprocess.run([oomlens, "fits", "%d" % size, "--cgroup", cg.path],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != want:
            fail("fits %d --cgroup %s: exit %d, want %d\n%s%s"
                 % (size, cg.path, r.returncode, want, r.stdout, r.stderr))
        log("fits %d: exit %d as the arithmetic says" % (size, r.returncode))
    j = run_json([oomlens, "fits", "%d" % cases[1][0], "--cgroup", cg.path, "--format", "json"], 3)
    if j.get("status") != 3 or (j.get("cgroup") or {}).get("headroom_bytes") is None:
        fail("fits --format json: %r" % j)
    r = subprocess.run([oomlens, "fits", "12q"], capture_output=True, text=True)
    if r.returncode != 2:
        fail("fits 12q: exit %d, want 2" % r.returncode)
    r = subprocess.run([oomlens, "fits", "1m", "--cgroup", "/no/such/cgroup"],
                       capture_output=True, text=True)
    if r.returncode != 2:
        fail("fits --cgroup /no/such/cgroup: exit %d, want 2" % r.returncode)


def main():
    oomlens = os.environ.get("OOMLENS") or os.path.join(os.getcwd(), "oomlens")
    if not os.access(oomlens, os.X_OK):
        log("no oomlens binary at %s (set OOMLENS)" % oomlens)
        return HARD
    found = find_memory_mount()
    if not found:
        skip("no memory controller mounted")
    version, mnt, mroot = found
    own = own_cgroup(version)
    if own is None:
        skip("this process has no memory cgroup in /proc/self/cgroup")
    parent_dir = own_dir(mnt, mroot, own)
    if parent_dir is None:
        skip("own cgroup %s is outside the mounted part %s" % (own, mroot))
    if version == 2:
        try:
            with open(os.path.join(parent_dir, "cgroup.subtree_control")) as f:
                if "memory" not in f.read().split():
                    skip("cgroup v2: memory is not enabled for children of %s" % own)
        except OSError as e:
            skip("cgroup v2: cannot read cgroup.subtree_control: %s" % e.strerror)
    if not os.access(parent_dir, os.W_OK):
        skip("%s is not writable" % parent_dir)

    rounds = [
        # The adjustment decides: the smallest child has the highest adj.
        ("round 1 (adj decides)", [12, 16, 8], [900, 0, 300]),
        # Equal adjustments (above the pusher's 0): the largest child dies.
        ("round 2 (size decides)", [6, 20, 10], [100, 100, 100]),
    ]
    matched = 0
    cgs = []
    tmpdir = tempfile.mkdtemp(prefix="oomlens-test-fits-", dir=os.environ.get("TMPDIR", "/var/tmp"))
    try:
        for i, (label, sizes, adjs) in enumerate(rounds):
            cg = Cgroup(version, parent_dir, own, "oomlens-test-oom-%d-%d" % (os.getpid(), i))
            cgs.append(cg)
            cg.create()
            match, predicted, victim = oom_round(oomlens, cg, sizes, adjs, label)
            if not match:
                fail("%s: oomlens predicted %d, the kernel killed %d" % (label, predicted, victim))
            matched += 1
        cg = Cgroup(version, parent_dir, own, "oomlens-test-fits-%d" % os.getpid())
        cgs.append(cg)
        cg.create()
        fits_part(oomlens, cg, tmpdir)
    finally:
        for cg in cgs:
            cg.destroy()
        for name in os.listdir(tmpdir):
            os.unlink(os.path.join(tmpdir, name))
        os.rmdir(tmpdir)
    log("PASS: victim prediction matched %d/%d; fits exit statuses 0, 3, 4 as computed"
        % (matched, len(rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
