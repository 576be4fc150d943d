#!/usr/bin/env python3
"""include_cycles.py TOP [KNOWN...]: the include cycles among the modules of
src/ and ui/ (a module is NAME.c with NAME.h; an edge is a '#include "X.h"'
in either file naming another module).  Prints each cycle as
"a <-> b <-> c" and exits 1 when one is not among KNOWN (given the same
way), 0 otherwise; a KNOWN cycle that is gone is reported, not an error."""
import os
import re
import sys


def modules(top):
    mods = {}
    for d in ("src", "ui"):
        path = os.path.join(top, d)
        for f in sorted(os.listdir(path)):
            if f.endswith((".c", ".h")):
                mods.setdefault(f.rsplit(".", 1)[0], []).append(os.path.join(path, f))
    return mods


def edges_of(mods):
    edges = {}
    for m, files in mods.items():
        for p in files:
            with open(p, errors="replace") as f:
                text = f.read()
            for inc in re.findall(r'^#\s*include\s+"([^"]+)\.h"', text, re.M):
                inc = os.path.basename(inc)
                if inc != m and inc in mods:
                    edges.setdefault(m, set()).add(inc)
    return edges


def cycles(mods, edges):
    """Tarjan's strongly connected components of more than one module, iteratively."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in sorted(mods):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    x = stack.pop()
                    on.discard(x)
                    comp.append(x)
                    if x == v:
                        break
                if len(comp) > 1:
                    out.append(" <-> ".join(sorted(comp)))
    return sorted(out)


def main():
    top, known = sys.argv[1], set(sys.argv[2:])
    mods = modules(top)
    found = cycles(mods, edges_of(mods))
    bad = [c for c in found if c not in known]
    for c in found:
        print("include cycle: %s%s" % (c, "" if c in bad else " (known, to be removed)"))
    for c in sorted(known - set(found)):
        print("include cycle %s is gone: take it off the known list in tests/system/layout.sh" % c)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
