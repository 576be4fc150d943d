#!/bin/sh
# The config file as the program meets it: $XDG_CONFIG_HOME/oomlens/oomlensrc
# is read, a bad line is reported as "oomlens: FILE:LINE: reason" and
# skipped, the command line overrides the file, --config names another
# file, --no-config reads none, and the default config that make install
# puts in $(sysconfdir) parses without a complaint.
set -u
OOMLENS=${OOMLENS:-./oomlens}
DATA=${OOMLENS_DATA:-data}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

no() {
	echo "FAIL: $*" >&2
	fail=1
}

# The PIDs of a CSV snapshot, in order.
pids() {
	sed 1d "$1" | cut -d, -f1 | tr '\n' ' '
}

mkdir -p "$tmp/xdg/oomlens"
rc="$tmp/xdg/oomlens/oomlensrc"
printf '# test\nsort = comm\nbogus line\ndelay = 0.1\n' >"$rc"
export XDG_CONFIG_HOME="$tmp/xdg"

# Two children whose names sort the other way round from their PIDs.
tail -f /dev/null &
a=$!
sleep 60 &
b=$!
trap 'kill "$a" "$b" 2>/dev/null; rm -rf "$tmp"' EXIT

# The file is read: sort = comm, largest first: tail ($a) before sleep ($b).
"$OOMLENS" -b -n 1 --format csv -p "$a,$b" >"$tmp/out" 2>"$tmp/err" || no "oomlens failed with a bad line in its config"
grep -qx "oomlens: $rc:3: expected 'key = value'" "$tmp/err" &&
	echo "ok: bad line reported: $(cat "$tmp/err")" || { no "the bad line was not reported as FILE:LINE"; cat "$tmp/err" >&2; }
[ "$(wc -l <"$tmp/err")" -eq 1 ] || no "more than one message on stderr"
[ "$(pids "$tmp/out")" = "$a $b " ] && echo "ok: sort = comm from the file" ||
	no "sort = comm was not applied: $(pids "$tmp/out")"

# The command line overrides the file: -o pid, largest first.
"$OOMLENS" -b -n 1 --format csv -p "$a,$b" -o pid >"$tmp/out" 2>/dev/null
if [ "$b" -gt "$a" ]; then want="$b $a "; else want="$a $b "; fi
[ "$(pids "$tmp/out")" = "$want" ] && echo "ok: -o overrides sort from the file" ||
	no "-o did not override the file: $(pids "$tmp/out")"

# -d from the file: two snapshots 0.1 s apart, not the default 2 s.
start=$(date +%s%N)
"$OOMLENS" -b -n 2 --format csv -p 1 >/dev/null 2>&1
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$took" -lt 1500 ] && echo "ok: delay = 0.1 from the file (${took} ms)" || no "delay from the file not applied (${took} ms)"

# --no-config: no message, the default sort (oom_score).
"$OOMLENS" -b -n 1 --format csv -p 1 --no-config >/dev/null 2>"$tmp/err"
[ -s "$tmp/err" ] && no "--no-config still read the file"

# --config FILE: that file instead; a missing one is an error.
printf 'sort = pid\n' >"$tmp/other"
"$OOMLENS" -b -n 1 --format csv -p 1 --config "$tmp/other" >/dev/null 2>"$tmp/err" &&
	[ ! -s "$tmp/err" ] && echo "ok: --config FILE" || no "--config FILE"
"$OOMLENS" -b -n 1 --config "$tmp/missing" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "cannot read $tmp/missing" "$tmp/err" && echo "ok: a missing --config file exits 2" ||
	no "a missing --config file"
"$OOMLENS" -b -n 1 --config "$tmp/other" --no-config >/dev/null 2>&1
[ $? -eq 2 ] || no "--config with --no-config should be a usage error"

# The default config: all comments, no complaint.
"$OOMLENS" -b -n 1 --format csv -p 1 --config "$DATA/oomlensrc" >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] && [ ! -s "$tmp/err" ] && echo "ok: data/oomlensrc parses silently" ||
	{ no "data/oomlensrc"; cat "$tmp/err" >&2; }
# Its commented defaults, uncommented, are all good lines too.
sed -n 's/^# \([a-z_]* = .*\)/\1/p' "$DATA/oomlensrc" >"$tmp/uncommented"
[ "$(wc -l <"$tmp/uncommented")" -eq 10 ] || no "data/oomlensrc does not show all ten keys"
"$OOMLENS" -b -n 1 --format csv -p 1 --config "$tmp/uncommented" >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] && [ ! -s "$tmp/err" ] && echo "ok: data/oomlensrc's defaults are valid lines" ||
	{ no "data/oomlensrc's defaults"; cat "$tmp/err" >&2; }

exit $fail
