#!/bin/sh
# ui_replay.sh - the monitor on a recording and its layout, in tmux:
# --replay data/recordings/oom-episode.jsonl opens the same UI with
# "REPLAY <time> N/COUNT" in the header; ] and [ step, } and { jump a
# minute, g goes to a time (+20s), each checked against the recording's
# own times; o, m and k are unavailable in a replay; Enter on an OOM event
# goes to the snapshot of that moment, its cgroup in the container view.  --record appends each
# live snapshot of the monitor to a file that --replay then opens.  W saves
# the layout (the container view, the sort, the delay) through the config
# file API into $XDG_CONFIG_HOME/oomlens/oomlensrc, and a new monitor starts
# with it.
#
# Exit 77 (skip) without tmux.  Everything the test makes is under its temp
# dir and its private tmux server, removed in the trap.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
DATA=${OOMLENS_DATA:-$(dirname "$0")/../../data}
tmux_test_init oomlens-rp oomlens-ui-rp
REC=$DATA/recordings/oom-episode.jsonl
[ -r "$REC" ] || { echo "FAIL: no recording at $REC"; exit 1; }
TZ=UTC
export TZ
XDG_CONFIG_HOME=$TMP/cfg
export XDG_CONFIG_HOME

# rec_times FILE: "index time" of each snapshot of a recording, in UTC as the header shows it.
rec_times() {
	python3 - "$1" <<'EOF'
import json, sys, datetime
n = 0
for line in open(sys.argv[1], "rb").read().split(b"\n")[1:]:
    try:
        t = json.loads(line)["time"]
    except Exception:
        continue
    d = datetime.datetime.strptime(t.rstrip("Z"), "%Y-%m-%dT%H:%M:%S.%f")
    print(n, d.strftime("%Y-%m-%d %H:%M:%S"), "%.3f" % d.replace(tzinfo=datetime.timezone.utc).timestamp())
    n += 1
EOF
}
rec_times "$REC" >"$TMP/times" || fail "cannot read the recording's times"
COUNT=$(wc -l <"$TMP/times" | tr -d ' ')
[ "$COUNT" -ge 3 ] || fail "the recording holds $COUNT snapshots"
at() { awk -v i="$1" '$1 == i { print $2, $3 }' "$TMP/times"; }
# The last index at or before epoch second $1.
at_or_before() { awk -v t="$1" '$4 <= t { i = $1 } END { print i + 0 }' "$TMP/times"; }

tmux_session 150 40 <<EOF
"$OOMLENS" --no-config --replay "$REC"
EOF

# header ERE for snapshot index i
hdr() { echo "^oomlens  REPLAY $(at "$1")  $(( $1 + 1 ))/$COUNT  [0-9]+ processes"; }

wait_for "$(hdr 0)" 20 || fail "--replay does not show 'REPLAY $(at 0) 1/$COUNT'"
wait_for '^ *PID +USER' 5 || fail "no process table in the replay"
$T send-keys -t ui -l ']'
wait_for "$(hdr 1)" 5 || fail "] did not step to snapshot 2"
$T send-keys -t ui -l ']'
wait_for "$(hdr 2)" 5 || fail "] did not step to snapshot 3"
$T send-keys -t ui -l '['
wait_for "$(hdr 1)" 5 || fail "[ did not step back to snapshot 2"
last=$((COUNT - 1))
# plus A B: A + B with the fractions of the recording's times.
plus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }
epoch() { awk -v i="$1" '$1 == i { print $4 }' "$TMP/times"; }
$T send-keys -t ui -l '}'
want=$(at_or_before "$(plus "$(epoch 1)" 60)")
wait_for "$(hdr "$want")" 5 || fail "} did not jump to snapshot $((want + 1)) (a minute on)"
$T send-keys -t ui -l '{'
back=$(at_or_before "$(plus "$(epoch "$want")" -60)")
wait_for "$(hdr "$back")" 5 || fail "{ did not jump to snapshot $((back + 1)) (a minute back)"
$T send-keys -t ui -l 'g'
wait_for '^Go to' 5 || fail "g did not ask for a time"
$T send-keys -t ui -l '+20s'
$T send-keys -t ui Enter
cur=$(epoch "$back")
want=$(at_or_before $((${cur%.*} + 20)))
wait_for "$(hdr "$want")" 5 || fail "g +20s did not go to snapshot $((want + 1))"
$T send-keys -t ui -l 'g'
wait_for '^Go to' 5 || fail "g did not ask again"
$T send-keys -t ui -l "$(at "$last" | cut -c12-19)"
$T send-keys -t ui Enter
want=$(at_or_before "$(awk -v i="$last" '$1 == i { print int($4) }' "$TMP/times")")
wait_for "$(hdr "$want")" 5 || fail "g HH:MM:SS did not go to snapshot $((want + 1))"
$T send-keys -t ui -l '}'
wait_for "$(hdr "$last")" 5 || fail "} did not go to the last snapshot"
$T send-keys -t ui -l ']'
wait_for 'the end of the recording' 5 || fail "] past the end does not say so"
for k in o m k; do
	$T send-keys -t ui -l "$k"
	wait_for "^$k: unavailable in a replay" 5 || fail "$k is not unavailable in a replay"
done
$T send-keys -t ui -l 'h'
wait_for '^  o +set the selected.*\[unavailable: replay\]' 5 || fail "the help does not mark o in a replay"
$T send-keys -t ui Escape
wait_gone '^  o +set the selected' 5 || fail "Esc did not close the help"

# Enter on an OOM event (issue 14, item 6): the snapshot of that moment (the
# last one at or before the event's time, a second's precision in the
# kernel's log), its cgroup selected in the container view.  The second
# newest event of the last snapshot, so the jump goes back, not to the end.
ev=$(python3 - "$REC" <<'PY'
import json, sys, datetime
lines = [l for l in open(sys.argv[1], "rb").read().split(b"\n")[1:] if l.strip()]
e = json.loads(lines[-1])["oom_events"][-2]
d = datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
print("%d %s" % (d.timestamp(), e["cgroup"].rsplit("/", 1)[-1]))
PY
) || fail "cannot read the recording's OOM events"
ev_cg=${ev#* }
want=$(at_or_before "${ev%% *}")
[ "$want" -lt "$last" ] || fail "the event at ${ev%% *} is not before the last snapshot"
$T send-keys -t ui -l 'e'
wait_for '^OOM events' 10 || fail "e did not open the event panel in the replay"
$T send-keys -t ui Home Down
$T send-keys -t ui Enter
wait_for "$(hdr "$want")" 5 ||
	fail "Enter on the event (epoch ${ev%% *}) in $ev_cg did not go to snapshot $((want + 1))"
wait_for '^CGROUP / PROCESS' 5 || fail "Enter on the event did not open the container view"
wait_for "the OOM kill's cgroup: .*$ev_cg|$ev_cg is gone from this snapshot" 5 ||
	fail "Enter on the event did not select its cgroup $ev_cg"
$T send-keys -t ui -l 'q'
wait_for '^oomlens-exited-0$' 10 || fail "q did not end the replay"
echo "ok replay: ] [ } { g +20s g HH:MM:SS over $COUNT snapshots; o m k unavailable; Enter on an OOM event: snapshot $((want + 1))"

# --record from the monitor, then --replay of what it wrote.
$T send-keys -t ui "clear; \"$OOMLENS\" --no-config -d 0.3 --record \"$TMP/live.jsonl\"; echo rec-exited-\$?" Enter
wait_for '^ *PID +USER' 20 || fail "the recording monitor did not start"
sleep 2
$T send-keys -t ui -l 'q'
wait_for '^rec-exited-0$' 10 || fail "the recording monitor did not end with 0"
head -n 1 "$TMP/live.jsonl" | grep -q '"oomlens_recording":1' || fail "--record wrote no recording header"
nsnap=$(($(wc -l <"$TMP/live.jsonl") - 1))
[ "$nsnap" -ge 3 ] || fail "--record wrote $nsnap snapshots in 2 s at -d 0.3"
rec_times "$TMP/live.jsonl" | awk -v n="$nsnap" 'NR == 1 { a = $4 } { b = $4 }
	END { if ((b - a) / (n - 1) < 0.25) { printf "%d snapshots %.2f s apart\n", n, (b - a) / (n - 1); exit 1 } }' ||
	fail "--record's snapshots are closer than the delay of 0.3 s"
$T send-keys -t ui "clear; \"$OOMLENS\" --no-config --replay \"$TMP/live.jsonl\"; echo rp-exited-\$?" Enter
wait_for "^oomlens  REPLAY .*  1/$nsnap  " 20 ||
	fail "--replay of the monitor's recording does not show 1/$nsnap"
$T send-keys -t ui -l 'q'
wait_for '^rp-exited-0$' 10 || fail "the replay did not end with 0"
echo "ok record: the monitor appended $nsnap snapshots, --replay opens them"

# W: the layout into the config file, and a new monitor starts with it.
$T send-keys -t ui "clear; \"$OOMLENS\" -d 1.5; echo w-exited-\$?" Enter
wait_for '^ *PID +USER' 20 || fail "the monitor did not start"
$T send-keys -t ui -l '>'
wait_for '^ *PID +USER.* ADJ▼' 5 || fail "> did not sort by ADJ"
$T send-keys -t ui -l 'c'
wait_for '^CGROUP / PROCESS' 10 || fail "c did not open the container view"
$T send-keys -t ui -l 'W'
wait_for "layout saved to $TMP/cfg/oomlens/oomlensrc" 5 || fail "W did not say where it saved"
$T send-keys -t ui -l 'q'
wait_for '^w-exited-0$' 10 || fail "the monitor did not end"
f=$TMP/cfg/oomlens/oomlensrc
grep -Eq '^view *= *containers$' "$f" || fail "the saved config lacks view = containers: $(cat "$f")"
grep -Eq '^sort *= *oom_score_adj$' "$f" || fail "the saved config lacks sort = oom_score_adj: $(cat "$f")"
grep -Eq '^delay *= *1\.5' "$f" || fail "the saved config lacks delay = 1.5: $(cat "$f")"
grep -Eq '^columns *= *PID,USER' "$f" || fail "the saved config lacks the columns: $(cat "$f")"
grep -Eq '^color *= *yes$' "$f" || fail "the saved config lacks color = yes: $(cat "$f")"
$T send-keys -t ui "clear; \"$OOMLENS\"; echo w2-exited-\$?" Enter
wait_for '^CGROUP / PROCESS' 20 || fail "a new monitor does not start in the saved container view"
wait_for 'delay 1\.5s' 5 || fail "a new monitor does not take the saved delay"
$T send-keys -t ui -l 'c'
wait_for '^ *PID +USER.* ADJ▼' 5 || fail "a new monitor does not take the saved sort"
$T send-keys -t ui -l 'q'
wait_for '^w2-exited-0$' 10 || fail "the second monitor did not end"
echo "ok W: view, sort, columns, delay, colour saved and used"

echo "PASS"
exit 0
