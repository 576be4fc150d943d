#!/usr/bin/env python3
"""prometheus.py - `oomlens -b --format prometheus` on this machine.

The exposition is read by a parser of the text format (version 0.0.4)
written here from the specification, not by a regular expression over
whole lines: HELP and TYPE before a family's samples, each family once and
its samples together, metric and label names, label values with their
three escapes, float values including +Inf, no duplicate series.  Then
the Prometheus conventions (oomlens_ prefix, _total counters, units in the
name) and the numbers themselves, against the JSON of the very same
snapshot (recorded with --record and replayed), so there is no race
between two runs.  promtool (Debian's prometheus package) checks the
output too when it is installed.
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

OOMLENS = os.environ.get("OOMLENS", "./oomlens")
NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


class ParseError(Exception):
    pass


def parse_labels(text, i):
    """Labels from text[i] (just after '{') to the closing '}'; returns (dict, index after '}')."""
    labels = {}
    while True:
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] == "}":
            return labels, i + 1
        start = i
        while i < len(text) and text[i] not in "=} \t":
            i += 1
        name = text[start:i]
        if not LABEL_RE.match(name):
            raise ParseError("bad label name %r" % name)
        if name in labels:
            raise ParseError("label %s twice" % name)
        if text[i:i + 2] != '="':
            raise ParseError("label %s: expected =\"" % name)
        i += 2
        value = []
        while True:
            if i >= len(text):
                raise ParseError("unterminated label value")
            c = text[i]
            if c == "\\":
                nxt = text[i + 1:i + 2]
                if nxt == "\\":
                    value.append("\\")
                elif nxt == '"':
                    value.append('"')
                elif nxt == "n":
                    value.append("\n")
                else:
                    raise ParseError("bad escape \\%s in label value" % nxt)
                i += 2
            elif c == '"':
                i += 1
                break
            elif c == "\n":
                raise ParseError("raw newline in label value")
            else:
                value.append(c)
                i += 1
        labels[name] = "".join(value)
        if i < len(text) and text[i] == ",":
            i += 1
        elif i < len(text) and text[i] == "}":
            return labels, i + 1
        else:
            raise ParseError("expected , or } after label %s" % name)


def parse_value(s):
    if s in ("+Inf", "Inf"):
        return math.inf
    if s == "-Inf":
        return -math.inf
    if s == "NaN":
        return math.nan
    if not re.match(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\Z", s):
        raise ParseError("bad value %r" % s)
    return float(s)


def parse_exposition(text):
    """{family: {"help", "type", "samples": [(labels, value)]}}, in order, validated."""
    if text and not text.endswith("\n"):
        raise ParseError("the last line lacks its newline")
    families = {}
    order = []
    current = None
    series = set()
    for n, line in enumerate(text.split("\n")[:-1], 1):
        try:
            if line == "":
                continue
            if line.startswith("#"):
                parts = line.split(" ", 3)
                if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                    name = parts[2]
                    if not NAME_RE.match(name):
                        raise ParseError("bad metric name %r" % name)
                    fam = families.get(name)
                    if fam is None:
                        if name in order:
                            raise ParseError("family %s comes back" % name)
                        fam = families[name] = {"help": None, "type": None, "samples": []}
                        order.append(name)
                    elif current != name:
                        raise ParseError("family %s comes back" % name)
                    elif fam["samples"]:
                        raise ParseError("%s %s after its samples" % (parts[1], name))
                    key = parts[1].lower()
                    if fam[key] is not None:
                        raise ParseError("second %s for %s" % (parts[1], name))
                    rest = parts[3] if len(parts) > 3 else ""
                    if key == "type" and rest not in ("counter", "gauge", "histogram",
                                                      "summary", "untyped"):
                        raise ParseError("bad type %r" % rest)
                    if key == "help" and re.search(r"\\[^\\n]", rest):
                        raise ParseError("bad escape in HELP")
                    fam[key] = rest
                    current = name
                continue
            i = 0
            while i < len(line) and line[i] not in "{ ":
                i += 1
            name = line[:i]
            if not NAME_RE.match(name):
                raise ParseError("bad metric name %r" % name)
            labels = {}
            if i < len(line) and line[i] == "{":
                labels, i = parse_labels(line, i + 1)
            rest = line[i:].split()
            if len(rest) not in (1, 2):
                raise ParseError("expected a value (and a timestamp)")
            if len(rest) == 2:
                raise ParseError("a timestamp: the textfile collector refuses them")
            value = parse_value(rest[0])
            if name != current:
                raise ParseError("sample of %s outside its family (%s)" % (name, current))
            key = (name, tuple(sorted(labels.items())))
            if key in series:
                raise ParseError("duplicate series %s%s" % (name, labels))
            series.add(key)
            families[name]["samples"].append((labels, value))
        except ParseError as e:
            raise ParseError("line %d: %s: %r" % (n, e, line))
    return families, order


def self_test():
    """The parser refuses what the format forbids."""
    good = '# HELP a_total x\n# TYPE a_total counter\na_total{l="q\\"\\\\\\n"} 1\n'
    fams, _ = parse_exposition(good)
    assert fams["a_total"]["samples"][0][0]["l"] == 'q"\\\n'
    for bad in ('a{l="x} 1\n', 'a{l="\\t"} 1\n', "a 1\na 2\n", "a{1=\"\"} 1\n",
                "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n", "a one\n", "a 1 123\n",
                "# TYPE a gauge\n# TYPE a gauge\na 1\n"):
        try:
            parse_exposition(bad)
        except ParseError:
            continue
        fail("the parser accepted %r" % bad)


def run(*args, check=True):
    p = subprocess.run([OOMLENS] + list(args), capture_output=True)
    if check and p.returncode != 0:
        fail("oomlens %s: status %d: %s" % (" ".join(args), p.returncode, p.stderr.decode()))
    return p


def series_value(fams, name, **labels):
    fam = fams.get(name)
    if not fam:
        return None
    for lab, value in fam["samples"]:
        if all(lab.get(k) == v for k, v in labels.items()) and len(labels) <= len(lab):
            return value
    return None


def check_conventions(fams, order):
    for name in order:
        fam = fams[name]
        if not name.startswith("oomlens_"):
            fail("%s: not oomlens_" % name)
        if not fam["help"] or not fam["type"]:
            fail("%s: no HELP or TYPE" % name)
        if not fam["samples"]:
            fail("%s: HELP/TYPE without a sample" % name)
        if fam["type"] == "counter" and not name.endswith("_total"):
            fail("%s: a counter without _total" % name)
        if name.endswith("_total") and fam["type"] != "counter":
            fail("%s: _total but a %s" % (name, fam["type"]))
        if re.search(r"(mem_|cache|limit|usage|headroom|available)", name) \
                and not name.endswith("_bytes"):
            fail("%s: a size without _bytes" % name)
        for _, v in fam["samples"]:
            if name.endswith("_ratio") and not 0 <= v <= 1:
                fail("%s: ratio %s outside 0..1" % (name, v))


def check_against_json(fams, snap):
    host = snap["host"]
    pairs = [("mem_free_kb", "oomlens_host_mem_free_bytes"),
             ("page_cache_kb", "oomlens_host_page_cache_bytes"),
             ("swap_free_kb", "oomlens_host_swap_free_bytes"),
             ("swap_cache_kb", "oomlens_host_swap_cache_bytes"),
             ("dentry_cache_kb", "oomlens_host_dentry_cache_bytes"),
             ("inode_cache_kb", "oomlens_host_inode_cache_bytes"),
             ("vm_enough_kb", "oomlens_host_vm_enough_bytes"),
             ("mem_available_kb", "oomlens_host_mem_available_bytes"),
             ("commit_limit_kb", "oomlens_host_commit_limit_bytes"),
             ("committed_as_kb", "oomlens_host_committed_as_bytes"),
             ("mem_total_kb", "oomlens_host_mem_total_bytes")]
    for key, metric in pairs:
        got = series_value(fams, metric)
        if host[key] is None:
            if got is not None:
                fail("%s: JSON says unknown, the exposition says %s" % (metric, got))
        elif got != host[key] * 1024:
            fail("%s: %s, JSON %s kB" % (metric, got, host[key]))
    kills = series_value(fams, "oomlens_host_oom_kills_total")
    if kills != (None if host["oom_kill"] is None else float(host["oom_kill"])):
        fail("oom_kills_total %s, JSON %s" % (kills, host["oom_kill"]))
    some = (host.get("psi") or {}).get("some")
    if some:
        got = series_value(fams, "oomlens_host_psi_some_seconds_total")
        if got is None or abs(got - some["total_us"] / 1e6) > 1e-6:
            fail("psi some total %s, JSON %s us" % (got, some["total_us"]))
        got = series_value(fams, "oomlens_host_psi_some_ratio", window="10s")
        if got is None or abs(got - some["avg10"] / 100) > 1e-9:
            fail("psi some avg10 ratio %s, JSON %s%%" % (got, some["avg10"]))

    for cg in snap["cgroups"]:
        path = cg["path"]
        for key, metric in (("usage_bytes", "oomlens_cgroup_usage_bytes"),
                            ("limit_bytes", "oomlens_cgroup_limit_bytes")):
            got = series_value(fams, metric, path=path)
            want = cg[key]
            if want is None:
                if got is not None:
                    fail("%s{path=%s}: JSON unknown, exposition %s" % (metric, path, got))
            elif want == "max":
                if got != math.inf:
                    fail("%s{path=%s}: unlimited but %s" % (metric, path, got))
            elif got != want:
                fail("%s{path=%s}: %s, JSON %s" % (metric, path, got, want))
        want = cg["oom_events"]["oom_kill"]
        got = series_value(fams, "oomlens_cgroup_oom_kills_total", path=path)
        if (want is None) != (got is None) or (want is not None and got != want):
            fail("oom_kills_total{path=%s}: %s, JSON %s" % (path, got, want))
        name = (cg.get("container") or {}).get("name")
        fam = fams.get("oomlens_cgroup_usage_bytes", {"samples": []})
        for lab, _ in fam["samples"]:
            if lab["path"] == path and lab.get("container") != name:
                fail("cgroup %s: container label %r, JSON %r" % (path, lab.get("container"), name))

    # The JSON lists processes in oomlens's oom_score order (ties by the kernel's points).
    procs = [p for p in snap["processes"] if p["oom_score"] is not None]
    if [p["oom_score"] for p in procs] != sorted((p["oom_score"] for p in procs), reverse=True):
        fail("the JSON's processes are not in oom_score order")
    top = procs[:20]
    got = fams.get("oomlens_process_oom_score", {"samples": []})["samples"]
    if len(got) != len(top):
        fail("%d process samples, want %d" % (len(got), len(top)))
    for (lab, value), p in zip(got, top):
        if lab["pid"] != str(p["pid"]) or value != p["oom_score"]:
            fail("process sample pid %s score %s, want pid %s score %s"
                 % (lab["pid"], value, p["pid"], p["oom_score"]))
    # Their RSS and swap (issue 14), in bytes, as the JSON's kB say.
    for metric, key in (("oomlens_process_rss_bytes", "rss_kb"),
                        ("oomlens_process_swap_bytes", "swap_kb")):
        for p in top:
            got = series_value(fams, metric, pid=str(p["pid"]), comm=p["comm"])
            want = None if p[key] is None else p[key] * 1024
            if got != want:
                fail("%s{pid=%s}: %s, JSON %s kB" % (metric, p["pid"], got, p[key]))

    # Who dies next (issue 14): the host's pick and each limited cgroup's, as the JSON says.
    victims = [("host", snap["host"].get("next_victim"))]
    victims += [(cg["path"], cg.get("next_victim")) for cg in snap["cgroups"]
                if cg.get("limit_bytes") not in (None, "max")]
    fam = fams.get("oomlens_next_victim_points", {"samples": []})["samples"]
    want_n = 0
    for scope, v in victims:
        if not v or not v.get("pid"):
            continue
        want_n += 1
        got = series_value(fams, "oomlens_next_victim_points", scope=scope, pid=str(v["pid"]),
                           comm=v["comm"])
        if got != v["points"]:
            fail("next_victim_points{scope=%s}: %s, JSON pid %s %s points"
                 % (scope, got, v["pid"], v["points"]))
    if len(fam) != want_n or want_n == 0:
        fail("%d next_victim_points samples, want %d (at least the host's)" % (len(fam), want_n))
    else:
        print("ok: %d next victims (host and limited cgroups), top processes' RSS and swap"
              % want_n)


def main():
    self_test()
    tmp = tempfile.mkdtemp(prefix="oomlens-test-prom-")
    try:
        rec = os.path.join(tmp, "rec.jsonl")
        p = run("-b", "-n", "1", "--format", "prometheus", "--record", rec)
        text = p.stdout.decode("utf-8")
        try:
            fams, order = parse_exposition(text)
        except ParseError as e:
            fail("exposition: %s" % e)
            return
        print("ok: %d families, %d samples" % (len(order),
                                               sum(len(f["samples"]) for f in fams.values())))
        check_conventions(fams, order)
        snap = json.loads(run("--replay", rec, "-b", "--format", "json").stdout)
        check_against_json(fams, snap)
        # The replay prints the same exposition, byte for byte.
        again = run("--replay", rec, "-b", "--format", "prometheus").stdout.decode("utf-8")
        if again != text:
            fail("the replayed exposition differs from the live one")

        promtool = shutil.which("promtool")
        if promtool:
            q = subprocess.run([promtool, "check", "metrics"], input=p.stdout,
                               capture_output=True)
            if q.returncode != 0 or q.stdout.strip() or q.stderr.strip():
                fail("promtool check metrics: status %d: %s %s"
                     % (q.returncode, q.stdout.decode(), q.stderr.decode()))
            else:
                print("ok: promtool check metrics is silent")
        else:
            print("note: promtool not installed (Debian package prometheus); parser only")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(1 if failures else 0)
