#!/bin/sh
# Record and replay on this machine: a batch run that records while it
# prints, replayed with -b, prints the same bytes in every format; -n cuts
# a replay short; a second --record continues the recording; a file that is
# not a recording is neither written to nor replayed; the recording of a
# real OOM episode shipped in data/ replays and shows the kill.
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

for fmt in json text csv prometheus; do
	if ! "$OOMLENS" -b -n 3 -d 0.2 --format "$fmt" --record "$tmp/$fmt.jsonl" >"$tmp/live.$fmt"; then
		no "the recording run ($fmt) failed"
		continue
	fi
	"$OOMLENS" --replay "$tmp/$fmt.jsonl" -b --format "$fmt" >"$tmp/replay.$fmt" ||
		no "--replay -b --format $fmt failed"
	if cmp -s "$tmp/live.$fmt" "$tmp/replay.$fmt"; then
		echo "ok: --format $fmt: the replay prints what the live run printed ($(wc -c <"$tmp/live.$fmt") bytes)"
	else
		no "--format $fmt: the replay differs from the live run"
		diff "$tmp/live.$fmt" "$tmp/replay.$fmt" | head -5 >&2
	fi
done

# The recording: a header line, then one snapshot a line.
lines=$(wc -l <"$tmp/json.jsonl")
[ "$lines" -eq 4 ] || no "the recording has $lines lines, want 4"
head -n 1 "$tmp/json.jsonl" | grep -q '^{"oomlens_recording":1,"version":"' ||
	no "the recording's first line is not its header"

# -n: the first N snapshots.
"$OOMLENS" --replay "$tmp/json.jsonl" -b -n 2 --format json >"$tmp/two"
head -n 2 "$tmp/live.json" | cmp -s - "$tmp/two" && echo "ok: -n 2 replays the first two" ||
	no "-n 2 did not replay the first two snapshots"

# A second --record continues the file.
"$OOMLENS" -b -n 1 --format json --record "$tmp/json.jsonl" >"$tmp/more" || no "appending failed"
"$OOMLENS" --replay "$tmp/json.jsonl" -b --format json >"$tmp/all"
cat "$tmp/live.json" "$tmp/more" | cmp -s - "$tmp/all" && echo "ok: a second --record appends" ||
	no "the appended recording does not replay as both runs"

# Not a recording: refused, and left as it was.
printf 'precious\n' >"$tmp/notes"
"$OOMLENS" -b -n 1 --record "$tmp/notes" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'not an oomlens recording' "$tmp/err" || no "--record onto another file"
[ "$(cat "$tmp/notes")" = precious ] || no "--record changed a file that is not a recording"
"$OOMLENS" --replay "$tmp/notes" -b >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'not an oomlens recording' "$tmp/err" || no "--replay of another file"
"$OOMLENS" --replay "$tmp/missing" -b >/dev/null 2>&1
[ $? -eq 1 ] || no "--replay of a missing file should exit 1"
"$OOMLENS" --replay "$tmp/json.jsonl" --record "$tmp/x" -b >/dev/null 2>&1
[ $? -eq 2 ] || no "--replay with --record should be a usage error"

# The OOM episode shipped in data/: replays, and its host oom_kill counter rises.
ep="$DATA/recordings/oom-episode.jsonl"
if [ -f "$ep" ]; then
	if "$OOMLENS" --replay "$ep" -b --format json >"$tmp/ep.json"; then
		n=$(wc -l <"$tmp/ep.json")
		first=$(head -n 1 "$tmp/ep.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["host"]["oom_kill"])')
		last=$(tail -n 1 "$tmp/ep.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["host"]["oom_kill"])')
		if [ "$n" -ge 10 ] && [ -n "$first" ] && [ -n "$last" ] && [ "$last" -gt "$first" ]; then
			echo "ok: $ep: $n snapshots, host oom_kill $first -> $last"
		else
			no "$ep: $n snapshots, host oom_kill '$first' -> '$last'"
		fi
		"$OOMLENS" --replay "$ep" -b -n 1 >/dev/null || no "$ep: text replay failed"
	else
		no "$ep does not replay"
	fi
else
	no "$ep is missing"
fi

exit $fail
