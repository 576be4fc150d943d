#!/usr/bin/env python3
"""ui_includes.py TOP [FILE:HEADER...]: the files of src/ that include a
header of the front end (ui/), by any spelling: "format.h", "../ui/draw.h",
<ui/theme.h>, "./../ui//ui.h".  Each FILE:HEADER (say src/main.c:ui.h) is
allowed, spelled exactly so.  Prints each other one as "FILE:LINE: #include
..." and exits 1 when there is one, 0 otherwise.

An include is resolved as the compiler would resolve it for the core,
whose include path has no ui/: the including file's directory (for "..."),
then src/, src/bpf/, tests/lib/ and TOP.  It names a ui/ header when that
resolves into ui/, or when it does not resolve at all and a ui/ header has
its name: it could then only compile with ui/ on the include path."""
import os
import re
import sys

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"]', re.M)


def resolve(name, quoted, here, dirs):
    for d in ([here] if quoted else []) + dirs:
        p = os.path.join(d, name)
        if os.path.isfile(p):
            return os.path.realpath(p)
    return None


def main():
    top = sys.argv[1]
    allowed = set(sys.argv[2:])
    ui = os.path.realpath(os.path.join(top, "ui"))
    ui_headers = {f for f in os.listdir(ui) if f.endswith(".h")}
    dirs = [os.path.join(top, d) for d in ("src", "src/bpf", "tests/lib", "")]
    bad = 0
    for here, _, files in sorted(os.walk(os.path.join(top, "src"))):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(here, f)
            rel = os.path.relpath(path, top)
            with open(path, errors="replace") as fh:
                text = fh.read()
            for m in INCLUDE.finditer(text):
                quoted, name = m.group(1) == '"', m.group(2).strip()
                got = resolve(name, quoted, here, dirs)
                if got is not None:
                    into_ui = os.path.dirname(got) == ui
                else:
                    into_ui = os.path.basename(os.path.normpath(name)) in ui_headers
                if not into_ui or "%s:%s" % (rel, name) in allowed:
                    continue
                line = text.count("\n", 0, m.start()) + 1
                print("%s:%d: %s" % (rel, line, m.group(0).strip()))
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
