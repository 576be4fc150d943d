#!/bin/sh
# ui_truth.sh - issue 13: what the monitor shows during an incident is
# true at that moment.  In tmux, with the default OOM sort and with each
# collector (proc, then bpf where it can be used): a process that
# grows by 1 GB is the first row within two refreshes and its row never
# shows '!' (the model and the kernel read on the same inputs); its RES is
# its VmRSS as /proc/PID/status says (formatted as the monitor formats
# sizes); its KBAD is the same oom_badness() points as batch text's; the
# filter showing another process leaves the header's next victim alone;
# a limited cgroup's next victim is marked @ in the process view.
#
# Exit 77 (skip) without tmux or with less than 3 GiB available (the
# machine has no swap).  Everything the test creates (the growing process,
# the tmux server, the temp dir) goes away in the trap, by PID and path.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-truth oomlens-ui-truth
GROW=""
PROBE=""
OWN_PIDS="GROW PROBE"

avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
[ "${avail:-0}" -gt 3145728 ] || { echo "SKIP: less than 3 GiB available ($avail kB)"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }

# The grower waits for $TMP/go-TAG, then touches 1 GiB (bytes, not calloc:
# every page is written) and says so in $TMP/grown-TAG.
cat >"$TMP/grow.py" <<'PY'
import os, sys, time
tmp, tag = sys.argv[1], sys.argv[2]
while not os.path.exists(tmp + "/go-" + tag):
    time.sleep(0.02)
b = b"x" * (1 << 30)
open(tmp + "/grown-" + tag, "w").close()
time.sleep(300)
PY
cp /bin/sleep "$TMP/oomlens-truth-probe"
"$TMP/oomlens-truth-probe" 300 &
PROBE=$!
CGKID=""
OWN_PIDS="GROW PROBE CGKID"
# A memory cgroup with a 64M limit under our own, with a sleeper in it: its next victim.
if memcg_make "oomlens-test-truth-$$" 64M && memcg_sleeper oomlens-truth-cgkid; then
	HAVE_CG=1
else
	HAVE_CG=0
	memcg_skip_part
fi

REFRESH=1

# The column of a title in the table's heading, and a row's field there.
col_of() {
	cap | awk -v t="$1" '/^ *PID +USER/ { for (i = 1; i <= NF; i++) { f = $i; sub(/[▼▲]$/, "", f); if (f == t) { print i; exit } } }'
}
field() { # PID COLUMN
	cap | awk -v pid="$1" -v c="$2" '$1 == pid || $1 == "*" pid { print $c; exit }'
}
# The first row among those with ADJ 0 or below, as the grower's: other
# tests on a shared host start processes with a raised oom_score_adj.
first_pid() {
	cap | awk -v a="$(col_of ADJ)" 'f && /^ *[*@]*[0-9]+ / && $a <= 0 { p = $1; sub(/^[*@]*/, "", p); print p; exit }
		/^ *PID +USER/ { f = 1 }'
}

# growth COLLECTOR: the monitor with --collector COLLECTOR (its header must
# say so) and a fresh grower in GROW.  From the start of the growth until
# two refreshes after its end, the row never shows '!', and by then it is
# the first row.  (The selection follows its process: Home keeps the view
# at the top of the sort.)  The session stays for the checks that follow.
growth() {
	python3 "$TMP/grow.py" "$TMP" "$1" &
	GROW=$!
	$T new-session -d -s ui -x 200 -y 50 "\"$OOMLENS\" -d $REFRESH --collector $1" || fail "tmux did not start"
	wait_for '^ *PID +USER' 30 || fail "no process table ($1)"
	wait_for "collector $1( |\$)" 5 || fail "the header does not say collector $1"
	wait_for '^ *PID +USER.* OOM▼' 5 || fail "the default sort is not OOM descending"
	$T send-keys -t ui Home
	: >"$TMP/go-$1"
	bang=""
	n=0
	until [ -e "$TMP/grown-$1" ] || [ $n -ge 300 ]; do
		cap | grep -E "^ *\\*?$GROW " | grep -q '!' && bang=$(cap | grep -E "^ *\\*?$GROW ")
		sleep 0.05
		n=$((n + 1))
	done
	[ -e "$TMP/grown-$1" ] || fail "the grower did not grow in 15 s ($1)"
	t0=$(date +%s.%N)
	first=""
	while :; do
		row=$(cap | grep -E "^ *\\*?$GROW ")
		case $row in *!*) bang=$row ;; esac
		first=$(first_pid)
		now=$(date +%s.%N)
		if awk -v a="$t0" -v b="$now" -v r="$REFRESH" 'BEGIN { exit !(b - a > 2 * r + 0.3) }'; then
			break
		fi
		$T send-keys -t ui Home
		sleep 0.05
	done
	[ -z "$bang" ] || fail "collector $1: the growing process's row showed '!': $bang"
	[ "$first" = "$GROW" ] ||
		fail "collector $1: two refreshes after growing by 1 GB, $GROW is not the first row (the first is $first)"
	echo "ok growth ($1): $GROW first within two refreshes, no '!'"
}

# 1. Both collectors, /proc first; bpf where it can be used (root with
# BTF and task iterators), the reason printed where not.  The checks after
# this one run on the last pass's monitor and grower.
growth proc
if why=$("$OOMLENS" -b -n 1 --collector bpf -p 1 2>&1 >/dev/null); then
	$T send-keys -t ui -l q
	$T kill-session -t ui 2>/dev/null
	kill "$GROW" 2>/dev/null
	wait "$GROW" 2>/dev/null
	GROW=""
	growth bpf
else
	echo "SKIP (bpf pass only): $why"
fi

# 2. RES is VmRSS, formatted as the monitor formats sizes (ui/format.c fmt_size()).
rescol=$(col_of RES)
[ -n "$rescol" ] || fail "no RES column"
vmrss=$(awk '/^VmRSS:/ { print $2 }' /proc/$GROW/status)
want=$(awk -v kb="$vmrss" 'BEGIN {
	v = kb * 1024; u = 0; split("B K M G T P E", U, " ");
	if (v == 0) { print "0"; exit }
	while (v >= 1024 && u < 6) { v /= 1024; u++ }
	if (v >= 1023.5 && u < 6) { v /= 1024; u++ }
	if (v < 9.95) printf "%.1f%s\n", v, U[u + 1]; else printf "%.0f%s\n", v, U[u + 1] }')
sleep $((REFRESH * 2))
shown=$(field "$GROW" "$rescol")
[ "$shown" = "$want" ] || fail "RES of $GROW is '$shown', VmRSS $vmrss kB is '$want'"
echo "ok RES: $shown = VmRSS $vmrss kB"

# 3. KBAD: the same oom_badness() points in the monitor and in batch text.
kcol=$(col_of KBAD)
[ -n "$kcol" ] || fail "no KBAD column"
mon=$(field "$GROW" "$kcol")
batch=$("$OOMLENS" -b -n 1 -p "$GROW" | awk -v pid="$GROW" '
	/^ *PID +USER/ { for (i = 1; i <= NF; i++) if ($i == "KBAD") c = i; next }
	c && $1 == "*" && $2 == pid { print $(c + 1); exit }
	c && ($1 == pid || $1 == "*" pid) { print $c; exit }')
[ -n "$mon" ] && [ "$mon" = "$batch" ] || fail "KBAD of $GROW: monitor '$mon', batch text '$batch'"
echo "ok KBAD: $mon points in both"

# 4. The filter chooses rows, not victims: with only the probe shown, the
# header still names the grower as the host's next victim.
filter 'oomlens-truth-' 'probe'
wait_for "^ *$PROBE .*oomlens-truth-pro[b]e" 10 || fail "the filter did not show the probe"
wait_for "next host victim PID $GROW " 5 || fail "with the filter, the next host victim is no longer $GROW"
echo "ok filter: next host victim still $GROW"

# 5. The process view marks a limited cgroup's next victim with '@', as the container view does.
if [ "$HAVE_CG" = 1 ]; then
	filter -u 'oomlens-truth-' 'cgkid'
	wait_for "^ *@$CGKID .*oomlens-truth-cgki[d]" 10 ||
		fail "the process view does not mark $CGKID, its cgroup's next victim, with '@'"
	echo "ok @: $CGKID marked in the process view"
	kill "$CGKID" 2>/dev/null
	wait "$CGKID" 2>/dev/null
	CGKID=""
fi

kill "$GROW" "$PROBE" 2>/dev/null
wait "$GROW" "$PROBE" 2>/dev/null
GROW=""
PROBE=""
$T send-keys -t ui -l q
exit 0
