#!/bin/bash
# run.sh - churn: oomlens under process and cgroup churn.
#
#   tests/churn/run.sh [SECONDS] [RATE]      (default 60 s, 2000 processes/s)
#
# While spawn.c forks RATE short-lived processes a second (each named
# c<pid>.<seq> in comm and command line) and cgchurn.py creates and removes
# memory cgroups under the test's own memory cgroup, it runs
#   1. `oomlens -b -n 200 -d 0.1 --format json` again and again for SECONDS;
#   2. the monitor in tmux (private socket) for SECONDS, when tmux is there;
# then checks: every run exited 0, no sanitizer report on stderr, every JSON
# document parses, no row mixes two processes (check.py), the monitor was
# alive to the end and quit cleanly.  Use an --enable-sanitizers build
# (OOMLENS=path/to/oomlens).  The figures go to stdout (doc/hardening.md).
set -u
here=$(cd "$(dirname "$0")" && pwd)
OOMLENS=${OOMLENS:-./oomlens}
secs=${1:-60}
rate=${2:-2000}
tmp=$(mktemp -d) || exit 99
pids=()
sock=$tmp/tmux.sock
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -S "$sock" ] && tmux -S "$sock" kill-server 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

${CC:-cc} -O2 -o "$tmp/spawn" "$here/spawn.c" || exit 99
total=$secs
command -v tmux >/dev/null && total=$((secs * 2))

"$tmp/spawn" "$rate" "$total" 20 >"$tmp/spawn.out" 2>"$tmp/spawn.err" &
pids+=($!)
spawn_pid=$!
python3 "$here/cgchurn.py" "$total" 50 20 >"$tmp/cg.out" 2>&1 &
pids+=($!)
cg_pid=$!
sleep 1

fail=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# 1. Batch, again and again.
runs=0
start=$(date +%s)
while [ $(($(date +%s) - start)) -lt "$secs" ]; do
	"$OOMLENS" -b -n 200 -d 0.1 --format json >>"$tmp/batch.json" 2>>"$tmp/batch.err" &
	bpid=$!
	pids+=($bpid)
	# Stop a run at the deadline with SIGTERM: it must end on a whole document.
	while kill -0 "$bpid" 2>/dev/null && [ $(($(date +%s) - start)) -lt "$secs" ]; do
		sleep 0.2
	done
	kill -TERM "$bpid" 2>/dev/null
	wait "$bpid"
	rc=$?
	runs=$((runs + 1))
	if [ $rc -ne 0 ]; then
		echo "FAIL: batch run $runs exited $rc"
		fail=1
	fi
done
batch_secs=$(($(date +%s) - start))

# 2. The monitor.
ui=skipped
if command -v tmux >/dev/null; then
	tmux -S "$sock" -f /dev/null new-session -d -x 200 -y 50 -e TERM=xterm-256color \
		"exec $OOMLENS -d 0.1 2>$tmp/ui.err; echo exit=\$? >$tmp/ui.rc"
	ustart=$(date +%s)
	keys=(Down Down Down Up PageDown Home '>' '<' c Tab Tab Enter Escape)
	k=0
	while [ $(($(date +%s) - ustart)) -lt "$secs" ]; do
		sleep 1
		tmux -S "$sock" send-keys "${keys[$((k % ${#keys[@]}))]}" 2>/dev/null
		k=$((k + 1))
	done
	alive=$(tmux -S "$sock" list-panes -F '#{pane_dead}' 2>/dev/null)
	tmux -S "$sock" send-keys q
	sleep 2
	if [ "$alive" != 0 ]; then
		echo "FAIL: the monitor died during churn: $(cat "$tmp/ui.rc" 2>/dev/null) $(head -c 400 "$tmp/ui.err")"
		fail=1
	fi
	ui="ran ${secs} s, $k keys"
	if [ -s "$tmp/ui.err" ]; then
		echo "FAIL: the monitor's stderr: $(head -c 600 "$tmp/ui.err")"
		fail=1
	fi
fi
wait "$spawn_pid" "$cg_pid"

if grep -qE 'Sanitizer|runtime error|LeakSanitizer' "$tmp/batch.err"; then
	echo "FAIL: sanitizer report:"
	grep -m10 -E 'ERROR|runtime error|SUMMARY' "$tmp/batch.err"
	fail=1
fi
python3 "$here/check.py" "$tmp/batch.json" || fail=1
echo "batch: $runs runs of -n 200 -d 0.1 in ${batch_secs} s; monitor: $ui"
cat "$tmp/spawn.out" "$tmp/cg.out"
[ $fail -eq 0 ] && echo "PASS: churn"
exit $fail
