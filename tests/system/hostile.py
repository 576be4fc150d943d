#!/usr/bin/env python3
"""hostile.py - processes with hostile names must not steer the terminal.

Starts processes whose comm (prctl PR_SET_NAME) and command line hold
escape sequences (SGR colours, cursor movement, OSC 52 clipboard writes,
OSC 0 window titles), newlines, tabs, C1 controls, invalid UTF-8, U+202E
right-to-left overrides and a command line over 4096 bytes.  Then:

- `oomlens -b --format json` parses as strict UTF-8 JSON, and each hostile
  process is there with its comm and cmdline as the kernel has them, only
  invalid bytes replaced by \\xNN;
- `--format csv` has the header's number of fields in every row, and the
  hostile names appear escaped as text_escape() does it;
- the text output holds no ESC, BEL, other C0 control but newline, C1 or
  bidirectional control, and shows each hostile comm escaped;
- the monitor (when tmux is there), filtered to a hostile process: the
  pane's title is unchanged and no OSC 52 reached tmux's paste buffers.

Everything it starts is killed by pid at the end.  Exit 77 (skip) only when
prctl is not available.
"""
import csv
import ctypes
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

OOMLENS = os.environ.get("OOMLENS", "./oomlens")

# comm values: at most 15 bytes (TASK_COMM_LEN - 1), no NUL.
HOSTILE_COMMS = [
    b"\x1b[31mRED\x1b[0m",           # SGR colours
    b"\x1b]0;PWNED\x07",             # OSC 0: window title
    b"\x1b]52;c;SGk=\x07",           # OSC 52: clipboard write
    b"\x1b[2J\x1b[H\x1b[5A",         # clear screen, cursor home, cursor up
    b"nl\nta\tcr\rbs\x08",           # newline, tab, carriage return, backspace
    b"bad\xff\xfe\xc0\xafutf",       # invalid UTF-8, an overlong slash
    b"\xe2\x80\xaeevil.exe",         # U+202E right-to-left override
    b"c1\xc2\x9b31m\x9b2J",          # C1 CSI, encoded and as a raw byte
    b"bs\\x1b\\e",                   # backslashes that look like escapes
]

# command line arguments (argv[2:] of the child): anything but NUL.
HOSTILE_ARGS = [
    b"\x1b]52;c;cm0gLXJmIC8K\x07",
    b"\x1b]0;title\x1b\\",
    b"\x1b[1;1H\x1b[K",
    b"line1\nline2\tcol",
    b"\xff\xfe\x80invalid",
    b"\xe2\x80\xaefdp.exe",
    b"comma,quote\"semi;",
    b"\xc2\x85nel\xe2\x80\xa8ls",
]
LONG_ARG = b"L" * 5000 + b"\x1b[31m" + b"M" * 200

CHILD = r"""
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(15, ctypes.c_char_p(bytes.fromhex(sys.argv[1])), 0, 0, 0) != 0:
    os._exit(3)
os.write(1, b"r")
time.sleep(600)
"""


def escape_invalid(b):
    """textsafe.c text_escape_invalid(): invalid UTF-8 bytes and NUL as \\xNN."""
    out = []
    i = 0
    while i < len(b):
        n = utf8_len(b, i)
        if n == 0 or b[i] == 0:
            out.append("\\x%02x" % b[i])
            i += 1
        else:
            out.append(b[i:i + n].decode("utf-8"))
            i += n
    return "".join(out)


def utf8_len(b, i):
    """Length of the strictly valid UTF-8 sequence at b[i], or 0."""
    for n in (1, 2, 3, 4):
        try:
            b[i:i + n].decode("utf-8", errors="strict")
            return n
        except UnicodeDecodeError:
            continue
    return 0


C_ESC = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r",
         0x5c: "\\\\"}


def dangerous(cp):
    return (0x80 <= cp <= 0x9f or 0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069
            or cp in (0x200e, 0x200f, 0x061c, 0x2028, 0x2029))


def text_escape(b):
    """textsafe.c text_escape(): what a terminal or a CSV field may show."""
    out = []
    i = 0
    while i < len(b):
        n = utf8_len(b, i)
        if n == 0 or b[i] == 0:
            out.append("\\x%02x" % b[i])
            i += 1
            continue
        ch = b[i:i + n].decode("utf-8")
        cp = ord(ch)
        if n == 1 and (cp < 0x20 or cp == 0x7f or cp == 0x5c):
            out.append(C_ESC.get(cp, "\\x%02x" % cp))
        elif dangerous(cp):
            out.append("\\u{%04x}" % cp)
        else:
            out.append(ch)
        i += n
    return "".join(out)


def terminal_clean(s):
    """No control that a terminal acts on: C0 but newline, DEL, C1, bidi, separators."""
    for ch in s:
        cp = ord(ch)
        if (cp < 0x20 and ch != "\n") or cp == 0x7f or dangerous(cp):
            return "U+%04X" % cp
    return None


failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(args, timeout=60):
    r = subprocess.run([OOMLENS] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    check(r.returncode == 0, "oomlens %s exited %d: %s" % (" ".join(args), r.returncode,
                                                          r.stderr[-300:]))
    return r.stdout


def start_children():
    kids = []
    for i, comm in enumerate(HOSTILE_COMMS):
        args = [HOSTILE_ARGS[i % len(HOSTILE_ARGS)]]
        if i == 0:
            args.append(LONG_ARG)
        argv = [sys.executable.encode(), b"-c", CHILD.encode(), comm.hex().encode()] + args
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        kids.append(p)
    for p in kids:
        if p.stdout.read(1) != b"r":
            return kids, False
    return kids, True


def truth(pid):
    """comm and cmdline as the kernel has them."""
    with open("/proc/%d/comm" % pid, "rb") as f:
        comm = f.read().rstrip(b"\n")
    with open("/proc/%d/cmdline" % pid, "rb") as f:
        cmd = f.read()
    return comm, cmd.rstrip(b"\0").replace(b"\0", b" ")


def check_json(kids):
    raw = run(["-b", "--format", "json"])
    try:
        doc = json.loads(raw.decode("utf-8", errors="strict"))
    except (UnicodeDecodeError, ValueError) as e:
        check(False, "JSON does not parse as strict UTF-8: %s" % e)
        return
    procs = {p["pid"]: p for p in doc["processes"]}
    for k in kids:
        comm, cmd = truth(k.pid)
        p = procs.get(k.pid)
        check(p is not None, "pid %d missing from the JSON" % k.pid)
        if not p:
            continue
        check(p["comm"] == escape_invalid(comm),
              "JSON comm of %d: %r, want %r" % (k.pid, p["comm"], escape_invalid(comm)))
        want = escape_invalid(cmd)
        got = p["cmdline"] or ""
        # A command line longer than oomlens reads is cut; what is there must match.
        check(len(got) > 0 and want.startswith(got[:len(got) - 8]) and
              (len(got) >= 4096 or got == want),
              "JSON cmdline of %d: %r..., want %r..." % (k.pid, got[:80], want[:80]))


def check_csv(kids):
    raw = run(["-b", "--format", "csv"])
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        check(False, "CSV is not valid UTF-8: %s" % e)
        return
    bad = terminal_clean(text)
    check(bad is None, "CSV holds a terminal control %s" % bad)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    check(len(rows) > len(kids), "CSV has %d rows" % len(rows))
    width = len(rows[0])
    odd = [r for r in rows if len(r) != width]
    check(not odd, "CSV rows with %s fields, the header has %d" %
          (sorted({len(r) for r in odd}), width))
    hdr = rows[0]
    by_pid = {r[hdr.index("pid")]: r for r in rows[1:] if len(r) == width}
    for k in kids:
        comm, cmd = truth(k.pid)
        r = by_pid.get(str(k.pid))
        check(r is not None, "pid %d missing from the CSV" % k.pid)
        if r:
            check(r[hdr.index("comm")] == text_escape(comm),
                  "CSV comm of %d: %r, want %r" % (k.pid, r[hdr.index("comm")],
                                                 text_escape(comm)))
            got = r[hdr.index("cmdline")]
            want = text_escape(cmd)
            check(got == want or (len(got) >= 4096 and want.startswith(got[:-16])),
                  "CSV cmdline of %d: %r, want %r" % (k.pid, got[:80], want[:80]))


def check_text(kids):
    raw = run(["-b"])
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        check(False, "text output is not valid UTF-8: %s" % e)
        return
    bad = terminal_clean(text)
    check(bad is None, "text output holds a terminal control %s" % bad)
    lines = text.split("\n")
    for k in kids:
        comm, _ = truth(k.pid)
        want = text_escape(comm)
        hit = [l for l in lines if l[1:].lstrip().startswith("%d " % k.pid)]
        check(hit and hit[0].rstrip().endswith(want),
              "text line of %d: %r, want it to end with %r" % (k.pid, hit[:1], want))


def tmux(sock, *args):
    return subprocess.run(["tmux", "-S", sock] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=20)


def check_ui(kids):
    if not shutil.which("tmux"):
        print("tmux not found: the monitor is not checked")
        return
    d = tempfile.mkdtemp(prefix="oomlens-hostile-")
    sock = os.path.join(d, "tmux.sock")
    try:
        r = tmux(sock, "-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50",
                 "-e", "TERM=xterm-256color", "sh", "-c", "exec %s -d 0.5 2>%s/err" % (
                     OOMLENS, d))
        if r.returncode != 0:
            check(False, "tmux new-session: %s" % r.stderr)
            return
        tmux(sock, "set-option", "-g", "set-clipboard", "on")
        tmux(sock, "set-option", "-g", "allow-rename", "on")
        tmux(sock, "select-pane", "-T", "oomlens-test-title")
        title0 = tmux(sock, "display", "-p", "#{pane_title}").stdout
        buffers0 = tmux(sock, "list-buffers").stdout
        time.sleep(1.5)
        # Filter for each hostile process in turn by a part of its name, then clear.
        seen = 0
        for needle in ("RED", "PWNED", "SGk", "evil", "utf", "31m", "nl"):
            tmux(sock, "send-keys", "\\")
            tmux(sock, "send-keys", "-l", needle)
            tmux(sock, "send-keys", "Enter")
            time.sleep(1.2)
            screen = tmux(sock, "capture-pane", "-p", "-e").stdout
            check(b"\x07" not in screen and b"\x1b]" not in screen,
                  "the pane holds a raw BEL or OSC after filtering for %s" % needle)
            plain = tmux(sock, "capture-pane", "-p").stdout.decode("utf-8", "replace")
            rows = [l.split() for l in plain.split("\n")]
            pids = {int(r[0].lstrip("*")) for r in rows if r and r[0].lstrip("*").isdigit()}
            seen += len(pids & {k.pid for k in kids})
            tmux(sock, "send-keys", "Escape")
            time.sleep(0.3)
        check(seen > 0, "the filter never showed a hostile process in the monitor")
        title = tmux(sock, "display", "-p", "#{pane_title}").stdout
        check(title == title0, "the pane title changed: %r -> %r" % (title0, title))
        wname = tmux(sock, "display", "-p", "#{window_name}").stdout
        check(b"PWNED" not in wname and b"title" not in wname,
              "the window name changed: %r" % wname)
        buffers = tmux(sock, "list-buffers").stdout
        check(buffers == buffers0, "a paste buffer appeared (OSC 52): %r" % buffers)
        alive = tmux(sock, "list-panes", "-F", "#{pane_dead} #{pane_pid}").stdout
        check(alive.startswith(b"0 "), "the monitor died: %r" % alive)
        tmux(sock, "send-keys", "q")
        time.sleep(0.5)
        err = open(os.path.join(d, "err"), "rb").read() if os.path.exists(
            os.path.join(d, "err")) else b""
        check(b"ERROR: AddressSanitizer" not in err and b"runtime error" not in err,
              "the monitor's stderr has a sanitizer report: %r" % err[:500])
    finally:
        tmux(sock, "kill-server")
        shutil.rmtree(d, ignore_errors=True)


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "prctl"):
        print("SKIP: no prctl")
        return 77
    kids, ok = start_children()
    try:
        if not ok:
            check(False, "a hostile child did not start")
            return 1
        check_json(kids)
        check_csv(kids)
        check_text(kids)
        check_ui(kids)
    finally:
        for k in kids:
            try:
                os.kill(k.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            k.wait()
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("PASS: %d hostile processes, JSON, CSV, text%s" % (
        len(kids), " and the monitor" if shutil.which("tmux") else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
