#!/bin/sh
# ui_containers.sh - containers sorted by how close they are to dying
# (issue 14, item 2), at 80x24 and 300x60, on two real v1 memory cgroups
# made under the test's own:
#   oomlens-test-cva-PID  limit 128M, python holding 8 MiB  (about 7% full)
#   oomlens-test-cvb-PID  limit 48M, python holding 30 MiB  (about 80% full)
# Path order puts a first; USE%, USAGE and AVAIL (most in danger first) put
# b first; I inverts; a click on the USE% title sorts by it.  The header's
# "fullest limited cgroups" line names b before a in the process view too.
# Collapsing b marks it '@' (its own limit's next victim is inside).
#
# Exit 77 (skip) without tmux or without a writable v1 memory cgroup
# (fail then with OOMLENS_REQUIRE_CGROUP=1).  The processes (by PID), the
# cgroups, the tmux server and the temp dir go away in the trap.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-test-cv oomlens-cv
HA=""
HB=""
CGA=""
OWN_PIDS="HA HB"

# memcg_make keeps one cgroup in CG: make a, keep it in CGA, then b.
if ! memcg_make "oomlens-test-cva-$$" 128M; then
	memcg_skip_part
	exit 77
fi
CGA=$CG
CG=""
if ! memcg_make "oomlens-test-cvb-$$" 48M; then
	rmdir "$CGA"
	memcg_skip_part
	exit 77
fi
cleanup_a() {
	tmux_cleanup
	i=0
	until rmdir "$CGA" 2>/dev/null || [ ! -d "$CGA" ] || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
trap cleanup_a EXIT

hog() { # hog CGDIR MIB: a python that joins CGDIR, then holds MIB MiB
	python3 -c '
import os, sys, time
with open(sys.argv[1] + "/cgroup.procs", "w") as f:
    f.write(str(os.getpid()))
b = bytearray(int(sys.argv[2]) << 20)
for i in range(0, len(b), 4096):
    b[i] = 1
open(sys.argv[3], "w").close()
time.sleep(600)
' "$1" "$2" "$3" &
}
hog "$CGA" 8 "$TMP/ready-a"
HA=$!
hog "$CG" 30 "$TMP/ready-b"
HB=$!
n=0
until [ -e "$TMP/ready-a" ] && [ -e "$TMP/ready-b" ]; do
	[ $n -lt 300 ] || fail "the hogs did not start in 30 s"
	kill -0 "$HB" 2>/dev/null || fail "the 30 MiB hog in a 48M cgroup died"
	sleep 0.1
	n=$((n + 1))
done

send() {
	$T send-keys -t ui "$@"
}
# line_of ERE: the first screen line number matching ERE (empty if none),
# the header's fullest-cgroups line left out.
line_of() {
	cap | grep -nE -- "$1" | grep -v '^[0-9]*:fullest' | head -n 1 | cut -d: -f1
}
# b_first WHY: b is above a.  By their processes' rows (PID and name),
# which sit beneath each cgroup, since at 80 columns the names are cut.
b_first() {
	la=$(line_of "─ [*@]*$HA py")
	lb=$(line_of "─ [*@]*$HB py")
	[ -n "$la" ] && [ -n "$lb" ] || fail "$1: a row is missing (a at '$la', b at '$lb')"
	[ "$lb" -lt "$la" ] || fail "$1: b (line $lb) is not above a (line $la)"
}
a_first() {
	la=$(line_of "─ [*@]*$HA py")
	lb=$(line_of "─ [*@]*$HB py")
	[ -n "$la" ] && [ -n "$lb" ] || fail "$1: a row is missing (a at '$la', b at '$lb')"
	[ "$la" -lt "$lb" ] || fail "$1: a (line $la) is not above b (line $lb)"
}
# sort_by TITLE: F6, Home, Down to TITLE's place in the list, Enter.
sort_by() {
	send F6
	wait_for '^Sort by' 5 || fail "F6 did not open the sort list"
	wait_for "^ . $1 *\$" 5 || fail "F6 does not list $1"
	send Home
	k=$(cap | sed -n '/^Sort by/,$p' | grep -nE "^ . $1 *\$" | cut -d: -f1)
	k=$((k - 2))
	while [ "$k" -gt 0 ]; do
		send Down
		k=$((k - 1))
	done
	send Enter
	wait_for "Containers  sort $1" 5 || fail "the container view is not sorted by $1"
}

cv_at() {
	cols=$1
	rows=$2
	$T kill-session -t ui 2>/dev/null
	tmux_session "$cols" "$rows" <<EOF
"$OOMLENS" -d 0.5
EOF
	wait_for '^ *PID +USER' 30 || fail "no process table at ${cols}x$rows"

	# The header, in the process view: b, then a.
	wait_for "^fullest limited cgroups .*oomlens-test-cv" 10 ||
		fail "no fullest-cgroups line naming the test cgroups"
	line=$(cap | grep '^fullest limited cgroups')
	# Other tests' cgroups may be fuller than a: b must be there, and before a if a is.
	echo "$line" | grep -q "oomlens-test-cvb-$$ [0-9]*%" ||
		fail "the fullest line does not name b: $line"
	echo "$line" | grep -q "oomlens-test-cva-$$.*oomlens-test-cvb-$$" &&
		fail "the fullest line puts a before b: $line"
	echo "ok ${cols}x$rows: the fullest limited cgroups in the process view"

	# The container view, filtered to the two cgroups.
	send -l c
	wait_for '^CGROUP' 5 || fail "c did not open the container view"
	filter oomlens-test- cv
	wait_for "─ [*@]*$HB py" 10 || fail "the filter did not show b's process"
	wait_for "─ [*@]*$HA py" 10 || fail "the filter did not show a's process"
	a_first "path order"
	cap | grep -q '^fullest limited cgroups' || fail "no fullest line in the container view"
	for key in USE% USAGE AVAIL; do
		sort_by "$key"
		b_first "sorted by $key"
	done
	send -l I
	wait_for 'Containers  sort AVAIL▼' 5 || fail "I did not invert the AVAIL sort"
	a_first "AVAIL inverted"
	for key in OOMK ETA CGROUP; do
		sort_by "$key"
	done
	a_first "sorted by CGROUP"
	echo "ok ${cols}x$rows: containers sorted by USE%, USAGE, AVAIL, I, OOMK, ETA, CGROUP"

	# A click on the USE% title.
	title=$(line_of '^CGROUP / PROCESS')
	x=$(cap | sed -n "${title}p" | sed "s/▲/^/; s/▼/v/" | awk '{ print index($0, "USE%") + 1 }')
	[ -n "$x" ] && [ "$x" -gt 1 ] || fail "no USE% title to click"
	send -l "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$x" "$title" "$x" "$title")"
	wait_for 'Containers  sort USE%' 5 || fail "a click on USE% did not sort by it"
	b_first "sorted by a click on USE%"
	echo "ok ${cols}x$rows: a click on a container title sorts"

	# Collapse b: marked '@', its limit's next victim is inside ('*@' when
	# that process is the host's next victim too, as on a quiet host).
	lb=$(line_of "─ [*@]*$HB py")
	lb=$((lb - 1))
	send Home
	i=$(line_of '^CGROUP / PROCESS')
	i=$((i + 1))
	while [ "$i" -lt "$lb" ]; do
		send Down
		i=$((i + 1))
	done
	cap | sed -n "${lb}p" | grep -q "▾ oomlens-te" || fail "the row above b's process is not b"
	send -l -- -
	wait_for "▸ [*]?@oomlens-t" 5 || fail "collapsed b is not marked @"
	cap | sed -n "${lb}p" | grep -Eq "▸ [*]?@oomlens-t" || fail "the @ is not on b's row"
	send -l +
	wait_gone "▸ [*]?@oomlens-t" 5 || fail "expanded b is still marked @"
	echo "ok ${cols}x$rows: a collapsed cgroup holding its next victim is marked @"
	send -l q
	wait_for '^oomlens-exited-0$' 10 || fail "q did not quit"
}

cv_at 300 60
cv_at 80 24
echo "PASS"
exit 0
