#!/bin/sh
# record-oom-episode.sh - how data/recordings/oom-episode.jsonl was made:
# a memory cgroup limited to 64M under this shell's own memory cgroup, a
# process in it that grows by 2 MiB every 0.25 s until the kernel OOM-kills
# it, and `oomlens -b -n 30 -d 0.5 --format json --record FILE` watching.
# Everything it creates is removed, even on failure.  Needs root and a
# writable memory cgroup (v1 or v2).
#
# Usage: record-oom-episode.sh OOMLENS OUTPUT.jsonl [TOP]
#   TOP: when given, each snapshot keeps only the TOP processes with the
#   highest oom_score and those in the test cgroup (python3, afterwards), to
#   keep the file small on a machine running thousands of unrelated
#   processes; the host, the cgroups and the OOM events are kept whole, so
#   a cgroup's nr_processes may count processes the trimmed list lacks.
set -eu
OOMLENS=$1
OUT=$2
TOP=${3:-}

line=$(grep -E '^[0-9]+:([^:]*,)?memory(,[^:]*)?:|^0::' /proc/self/cgroup | head -n 1)
own=${line#*:*:}
case $line in
0::*) mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo) ;;
*) mnt=$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo) ;;
esac
[ -n "$mnt" ] || { echo "no memory cgroup mount" >&2; exit 1; }
cg="$mnt${own%/}/oomlens-test-rec-$$"
hog=
watcher=

cleanup() {
	[ -n "$hog" ] && kill -KILL "$hog" 2>/dev/null || true
	[ -n "$watcher" ] && kill "$watcher" 2>/dev/null || true
	wait 2>/dev/null || true
	[ -d "$cg" ] && rmdir "$cg" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

mkdir "$cg"
if [ -f "$cg/memory.limit_in_bytes" ]; then
	echo 64M >"$cg/memory.limit_in_bytes"
	[ -f "$cg/memory.memsw.limit_in_bytes" ] && echo 64M >"$cg/memory.memsw.limit_in_bytes"
else
	echo 64M >"$cg/memory.max"
	echo 0 >"$cg/memory.swap.max"
fi

rm -f "$OUT"
"$OOMLENS" -b -n 30 -d 0.5 --format json --no-config --record "$OUT" >/dev/null &
watcher=$!
# Five calm snapshots first, however long a tick takes on this machine.
while [ ! -f "$OUT" ] || [ "$(wc -l <"$OUT")" -lt 6 ]; do
	sleep 0.1
done
# The hog: joins the cgroup, then touches 2 MiB more every 0.25 s.
sh -c 'echo $$ >"$1/cgroup.procs" && exec python3 -c "
import time
chunks = []
while True:
    chunks.append(bytearray(b\"x\" * (2 << 20)))
    time.sleep(0.25)
"' hog "$cg" &
hog=$!
wait "$hog" 2>/dev/null || true
hog=
wait "$watcher"
watcher=

if [ -n "$TOP" ]; then
	python3 - "$OUT" "$TOP" <<'EOF'
import json, sys
path, top = sys.argv[1], int(sys.argv[2])
lines = open(path).read().splitlines()
out = [lines[0]]
for line in lines[1:]:
    d = json.loads(line)
    d["processes"] = [p for i, p in enumerate(d["processes"])
                      if i < top or "/oomlens-test-rec-" in (p["cgroup"] or "")]
    out.append(json.dumps(d, separators=(",", ":"), ensure_ascii=False))
open(path, "w").write("\n".join(out) + "\n")
EOF
fi
echo "recorded $(($(wc -l <"$OUT") - 1)) snapshots in $OUT ($(wc -c <"$OUT") bytes)"
