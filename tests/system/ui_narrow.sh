#!/bin/sh
# ui_narrow.sh - what identifies a process at 80x24 and at 300x60 (issue
# 14, item 3): at 80 columns the process table keeps PID, OOM, ADJ, GORMAN
# and at least 20 columns of COMMAND; the detail pane wraps its long lines
# (the oom_score formula ends "x 2 / 3 = N", never cut at "x 2 /"); the
# event pane's title keeps RSS and ADJ on its first line, before the
# constraint.  At 300 columns CGROUP shows a whole cgroup path.
#
# Exit 77 (skip) without tmux.  The probe, the tmux server and the temp dir
# go away in the trap.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-test-narrow oomlens-narrow
PROBE=""
OWN_PIDS="PROBE"
cp /bin/sleep "$TMP/oomlens-narrow-probe"
"$TMP/oomlens-narrow-probe" 300 &
PROBE=$!

start() {
	$T kill-session -t ui 2>/dev/null
	tmux_session "$1" "$2" <<EOF
"$OOMLENS" -d 0.5
EOF
	wait_for '^ *PID +' 30 || fail "no process table at $1x$2"
}

start 80 24
title=$(cap | grep -E '^ *PID ' | head -n 1)
for col in OOM ADJ GORMAN COMMAND; do
	echo "$title" | grep -q "$col" || fail "80x24: no $col column: $title"
done
at=$(echo "$title" | sed 's/▲/^/; s/▼/v/' | awk '{ print index($0, "COMMAND") }')
[ $((80 - at + 1)) -ge 20 ] || fail "80x24: COMMAND has $((80 - at + 1)) columns, not 20"
echo "ok 80x24: PID OOM ADJ GORMAN and $((80 - at + 1)) columns of COMMAND: $title"

# The detail pane of the probe: the oom_score formula, wrapped whole.
filter oomlens-narrow- probe
wait_for "^ *$PROBE " 10 || fail "the filter did not show the probe"
$T send-keys -t ui Enter
wait_for "^Process $PROBE" 5 || fail "Enter did not open the probe's detail"
n=0
until cap | tr '\n' ' ' | grep -Eq 'x 2 / +3 = [0-9]+' || [ $n -ge 10 ]; do
	$T send-keys -t ui PgDn
	sleep 0.3
	n=$((n + 1))
done
cap | tr '\n' ' ' | grep -Eq 'x 2 / +3 = [0-9]+' ||
	fail "80x24: the oom_score formula is cut, not wrapped"
cap | grep -q 'x 2 /$' && ! cap | grep -Eq '^ +3 = [0-9]+' && fail "80x24: the formula ends at 'x 2 /'"
echo "ok 80x24: the detail pane wraps the oom_score formula"
$T send-keys -t ui Escape

# The event pane: RSS and ADJ on the title's first line, CONSTRAINT after.
$T send-keys -t ui -l e
wait_for '^OOM events' 5 || fail "e did not open the event pane"
head=$(cap | grep -E '^TIME +PID' | head -n 1)
echo "$head" | grep -Eq 'RSS +ADJ' || fail "80x24: the event title lost RSS or ADJ: $head"
echo "$head" | grep -q 'CONSTRAINT' && {
	r=$(echo "$head" | awk '{ print index($0, "RSS") }')
	c=$(echo "$head" | awk '{ print index($0, "CONSTRAINT") }')
	[ "$r" -lt "$c" ] || fail "80x24: CONSTRAINT comes before RSS: $head"
}
echo "ok 80x24: the event pane keeps RSS and ADJ before CONSTRAINT"

# 300 columns: the probe's whole cgroup path.
cgpath=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' "/proc/$PROBE/cgroup")
[ -n "$cgpath" ] || cgpath=$(awk -F: '$1 == "0" { print $3 }' "/proc/$PROBE/cgroup")
start 300 60
filter oomlens-narrow- probe
wait_for "^ *$PROBE " 10 || fail "300x60: the filter did not show the probe"
if [ "$cgpath" != / ] && [ ${#cgpath} -le 64 ]; then
	cap | grep -E "^ *$PROBE " | grep -qF " $cgpath " ||
		fail "300x60: CGROUP does not show the whole path $cgpath"
	echo "ok 300x60: CGROUP shows $cgpath whole"
fi
echo "PASS"
exit 0
