#!/usr/bin/env python3
"""check.py - the churn test's judge: every line of the batch JSON file is
one whole document, and no process row mixes two processes.

spawn.c's children are named c<pid>.<seq> in comm and command line.  A row
mixes two processes when a name's pid is not the row's pid, when its comm
and command line carry different names, or when one (pid, start_ticks)
identity shows two different names across snapshots.
"""
import json
import re
import sys

TAG = re.compile(r"c(\d+)\.(\d+)")


def main(path):
    docs = rows = churn_rows = 0
    mixes = []
    seen = {}
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for n, raw in enumerate(lines, 1):
        try:
            doc = json.loads(raw.decode("utf-8", errors="strict"))
        except (UnicodeDecodeError, ValueError) as e:
            print("FAIL: line %d is not a JSON document (%s): %r" % (n, e, raw[:120]))
            return 1
        docs += 1
        for p in doc["processes"]:
            rows += 1
            tags = []
            for key in ("comm", "cmdline"):
                m = TAG.fullmatch((p.get(key) or "").strip())
                if m:
                    tags.append(m.group(0))
                    if int(m.group(1)) != p["pid"]:
                        mixes.append("pid %d has %s %r" % (p["pid"], key, p[key]))
            if not tags:
                continue
            churn_rows += 1
            if len(set(tags)) > 1:
                mixes.append("pid %d: comm %r, cmdline %r" % (p["pid"], p["comm"], p["cmdline"]))
            ident = (p["pid"], p["start_ticks"])
            old = seen.setdefault(ident, tags[0])
            if old != tags[0]:
                mixes.append("identity %r was %s, now %s" % (ident, old, tags[0]))
    for m in mixes[:10]:
        print("FAIL: mixed row:", m)
    print("check: %d documents, %d rows, %d rows of churn processes, %d mixed" % (
        docs, rows, churn_rows, len(mixes)))
    return 1 if mixes or docs == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
