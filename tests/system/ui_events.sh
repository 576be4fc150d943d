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

OOMLENS=${OOMLENS:-./oomlens}
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
[ -x "$OOMLENS" ] || { echo "FAIL: $OOMLENS is not built"; exit 1; }
case $OOMLENS in /*) ;; *) OOMLENS=$(pwd)/$OOMLENS ;; esac

LANG=C.UTF-8
LC_ALL=C.UTF-8
TERM=xterm-256color
export LANG LC_ALL TERM
unset NO_COLOR

SOCK=oomlens-ev-$$
SOCKPATH=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK
TMP=$(mktemp -d /tmp/oomlens-ui-ev.XXXXXX)
T="tmux -L $SOCK -f $TMP/tmux.conf"
HOG=""
CG=""

cleanup() {
	[ -n "$HOG" ] && kill "$HOG" 2>/dev/null && wait "$HOG" 2>/dev/null
	$T kill-server 2>/dev/null
	[ -S "$SOCKPATH" ] && rm -f "$SOCKPATH"
	if [ -n "$CG" ] && [ -d "$CG" ]; then
		i=0
		until rmdir "$CG" 2>/dev/null || [ $i -ge 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

cap() {
	$T capture-pane -p -J -t ui 2>/dev/null
}

fail() {
	echo "FAIL: $*"
	echo "--- the screen:"
	cap
	echo "---"
	exit 1
}

wait_for() {
	n=$(( ${2:-20} * 10 ))
	while [ "$n" -gt 0 ]; do
		cap | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

cg_setup() {
	rel=$(sed -n 's/^[0-9]*:\([^:]*,\)\{0,1\}memory\(,[^:]*\)\{0,1\}:\(.*\)$/\3/p' /proc/self/cgroup)
	[ -n "$rel" ] || { CG_WHY="no v1 memory controller in /proc/self/cgroup"; return 1; }
	line=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
		      if ($(i + 1) == "cgroup" && $(i + 3) ~ /(^|,)memory(,|$)/) { print $4, $5; exit } }' \
		/proc/self/mountinfo)
	[ -n "$line" ] || { CG_WHY="no v1 memory mount in /proc/self/mountinfo"; return 1; }
	root=${line%% *}
	mnt=${line#* }
	case $rel in "$root"*) rel=${rel#"$root"} ;; esac
	dir=$mnt/${rel#/}
	dir=${dir%/}
	mkdir "$dir/oomlens-test-ui-ev-$$" 2>/dev/null || { CG_WHY="cannot mkdir under $dir"; return 1; }
	CG=$dir/oomlens-test-ui-ev-$$
	echo 32M >"$CG/memory.limit_in_bytes" 2>/dev/null || { CG_WHY="cannot set memory.limit_in_bytes"; return 1; }
	echo 32M >"$CG/memory.memsw.limit_in_bytes" 2>/dev/null
	return 0
}
CG_WHY=""
if ! cg_setup; then
	if [ "${OOMLENS_REQUIRE_CGROUP:-0}" = 1 ]; then
		echo "FAIL: cgroup required but unavailable: $CG_WHY"
		exit 1
	fi
	echo "SKIP: $CG_WHY"
	exit 77
fi
NAME=oomlens-test-ui-ev-$$

cat >"$TMP/tmux.conf" <<EOF
set -g default-terminal xterm-256color
set -g status off
EOF
$T new-session -d -s ui -x 160 -y 45 "\"$OOMLENS\" -d 0.5" || fail "tmux did not start"
wait_for '^ *PID +USER' 30 || fail "no process table"

# 1. The event panel, then an OOM kill in the test cgroup: listed within a couple of refreshes.
$T send-keys -t ui -l 'e'
wait_for '^OOM events' 10 || fail "e did not open the event panel"
wait_for 'OOM kills? in the log' 5 || fail "the event panel has no summary line"
wait_for '^TIME +PID +COMM +CONTAINER / CGROUP +CONSTRAINT +RSS +ADJ +SOURCE' 5 ||
	fail "the event panel has no column titles"
sh -c "echo \$\$ >'$CG/cgroup.procs' && exec sh -c 'head -c 268435456 /dev/zero | tail >/dev/null'" \
	2>/dev/null &
HOG=$!
wait "$HOG"
HOG=""
killed_at=$(date +%s.%N)
wait_for " tail +oomlens-test-ui-e[v]-$$ +oomlens-test-ui-e[v]-$$ +[0-9.]+[KMG]? +0 +kmsg" 5 ||
	fail "the OOM kill of tail in $NAME is not in the event panel"
seen_at=$(date +%s.%N)
lag=$(echo "$killed_at $seen_at" | awk '{ printf "%.2f", $2 - $1 }')
echo "ok e: the OOM kill in $NAME listed ${lag}s after the hog ended (refresh 0.5s)"
$T send-keys -t ui Escape
wait_for '^ *PID +USER' 10 || fail "Esc did not close the event panel"

# 2. f in the container view, on the test cgroup: the four answers and the verdict.
$T send-keys -t ui -l '\'
$T send-keys -t ui -l 'oomlens-test-ui-'
$T send-keys -t ui -l "ev-$$"
$T send-keys -t ui Enter
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
echo "ok f: 16m fits, 64m does not fit in $NAME; four answers side by side, sizing shown"
$T send-keys -t ui Escape
$T send-keys -t ui -l 'q'
echo "PASS"
exit 0
