#!/bin/sh
# ui_events.sh - the monitor's OOM event panel and fits panel, in tmux: an
# OOM kill in a test memory cgroup (v1, 32M limit) appears in the e panel
# within a couple of refreshes, with the victim's comm, its cgroup and the
# kernel log as its source; in the container view, f with a size answers
# four ways side by side (2.4 sum, overcommit policy, MemAvailable, the
# cgroup's limit) with the verdict and the cgroup's sizing advice.
#
# Exit 77 (skip) without tmux or without a v1 memory cgroup to make under
# our own (unless OOMLENS_REQUIRE_CGROUP=1).  Everything the test creates
# goes away in the trap, by PID and path only.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-ev oomlens-ui-ev
HOG=""
OWN_PIDS="HOG"

if ! memcg_make "oomlens-test-ui-ev-$$" 32M; then
	if [ "${OOMLENS_REQUIRE_CGROUP:-0}" = 1 ]; then
		echo "FAIL: cgroup required but unavailable: $CG_WHY"
		exit 1
	fi
	echo "SKIP: $CG_WHY"
	exit 77
fi
echo 32M >"$CG/memory.memsw.limit_in_bytes" 2>/dev/null
NAME=oomlens-test-ui-ev-$$

$T new-session -d -s ui -x 160 -y 45 "\"$OOMLENS\" -d 0.5" || fail "tmux did not start"
wait_for '^ *PID +USER' 30 || fail "no process table"

# 1. The event panel, then an OOM kill in the test cgroup: listed within a couple of refreshes.
$T send-keys -t ui -l 'e'
wait_for '^OOM events' 10 || fail "e did not open the event panel"
wait_for 'OOM kills? in the log' 5 || fail "the event panel has no summary line"
wait_for '^TIME +PID +COMM +CONTAINER / CGROUP +RSS +ADJ +CONSTRAINT +SOURCE' 5 ||
	fail "the event panel has no column titles"
sh -c "echo \$\$ >'$CG/cgroup.procs' && exec sh -c 'head -c 268435456 /dev/zero | tail >/dev/null'" \
	2>/dev/null &
HOG=$!
wait "$HOG"
HOG=""
killed_at=$(date +%s.%N)
wait_for " tail +oomlens-test-ui-e[v]-$$ +[0-9.]+[KMG]? +0 +its cgroup's limit +kmsg" 5 ||
	fail "the OOM kill of tail in $NAME is not in the event panel"
seen_at=$(date +%s.%N)
lag=$(echo "$killed_at $seen_at" | awk '{ printf "%.2f", $2 - $1 }')
echo "ok e: the OOM kill in $NAME listed ${lag}s after the hog ended (refresh 0.5s)"
# Enter on the newest event (selected first): its cgroup in the container view.
$T send-keys -t ui Home Enter
wait_for "the OOM kill's cgroup: .*oomlens-test-ui-e[v]-$$" 5 ||
	fail "Enter on the event did not go to its cgroup"
wait_for '^CGROUP / PROCESS' 5 || fail "Enter on the event did not open the container view"
echo "ok e, Enter: the event's cgroup selected in the container view"
$T send-keys -t ui -l c
wait_for '^ *PID +USER' 10 || fail "c did not return to the process table"

# 2. f in the container view, on the test cgroup: the four answers and the verdict.
filter 'oomlens-test-ui-' "ev-$$"
wait_for "filter \"oomlens-test-ui-e[v]-$$\"" 10 || fail "the filter prompt did not close"
$T send-keys -t ui -l 'c'
wait_for "oomlens-test-ui-e[v]-$$ +[0-9.]+[BKMGT]? +32M " 20 || fail "the container view does not show $NAME"
$T send-keys -t ui End
$T send-keys -t ui -l 'f'
wait_for "Would SIZE fit now in oomlens-test-ui-e[v]-$$\\? SIZE:" 10 || fail "f did not ask about $NAME"
$T send-keys -t ui -l '16m'
$T send-keys -t ui Enter
wait_for "^Would an allocation of 16.00M \\(16777216 bytes\\) fit now in .*/oomlens-test-ui-e[v]-$$\\?" 10 ||
	fail "no fits panel for 16m"
wait_for "2\\.4 vm_enough_memory\\(\\) +overcommit [012] \\([a-z]+\\) +MemAvailable +limit of oomlens-test-ui-e[v]-$$" 5 ||
	fail "the four answers are not side by side"
wait_for '^Verdict: fits \(oomlens fits exits 0\)' 5 || fail "16m in a 32M cgroup: the verdict is not 'fits'"
wait_for '^Sizing' 5 || fail "no sizing advice for $NAME"
$T send-keys -t ui -l 'f'
wait_for 'SIZE:' 10 || fail "f in the panel did not ask again"
$T send-keys -t ui -l '64m'
$T send-keys -t ui Enter
wait_for '^Would an allocation of 64.00M' 10 || fail "no fits panel for 64m"
wait_for '^Verdict: does not fit \(oomlens fits exits 4\)' 5 || fail "64m in a 32M cgroup: not 'does not fit'"
cap | grep -qi "seed" && fail "the fits panel speaks the project's history (\"seed\")"
cap | grep -q "Linux 2.4 sum" || fail "the fits panel does not name the Linux 2.4 sum"
echo "ok f: 16m fits, 64m does not fit in $NAME; four answers side by side, sizing shown"
$T send-keys -t ui Escape
$T send-keys -t ui -l 'q'
echo "PASS"
exit 0
