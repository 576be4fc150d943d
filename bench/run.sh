#!/bin/sh
# bench/run.sh - oomlens against top, htop and the minimal reader, in one run.
#
#   sh bench/run.sh [--sizes 1000,5000,20000] [--seconds 20] [--reps 5]
#                   [--trials 15] [--oomlens PATH] [--keep]
#
# At each size it starts a crowd of that many sleeping processes
# (bench/crowd.c) and measures:
#   batch        CPU time (user + sys, wait4 rusage, median of --reps runs) of
#                `oomlens -b -n 1 --format json` with each collector
#                (--collector proc: "oomlens"; --collector bpf: "bpf"),
#                `top -b -n 1` and bench/minread.c, the floor;
#   interactive  CPU-s per second of `oomlens -d 1` (both collectors; its default view, every
#                OOM column), `top -d 1` and `htop -d 10`, each alone in its
#                own 200x50 tmux session for --seconds, from utime + stime in
#                /proc/PID/stat before and after; VmRSS and VmHWM at the end;
#   latency      at the largest size: key press to screen change, tmux
#                send-keys of the help key, then capture-pane polled until the
#                help text shows (doc/performance.md says what limits it).
# and prints the tables side by side with the ratios.  It installs nothing:
# it names the Debian packages it misses.  Every process it starts is
# killed by the PID it recorded; its tmux server has a private socket and is
# killed at the end.  Not part of `make check`: timings are noisy.

# Bash for $EPOCHREALTIME, arrays and arithmetic; Debian always has it.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$here/.." && pwd)

sizes=1000,5000,20000
seconds=20
reps=5
trials=15
oomlens=
keep=0

usage() {
	sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}

while [ $# -gt 0 ]; do
	case $1 in
	--sizes) sizes=${2:?}; shift 2 ;;
	--seconds) seconds=${2:?}; shift 2 ;;
	--reps) reps=${2:?}; shift 2 ;;
	--trials) trials=${2:?}; shift 2 ;;
	--oomlens) oomlens=${2:?}; shift 2 ;;
	--keep) keep=1; shift ;;
	-h | --help) usage 0 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; usage 2 ;;
	esac
done
case "$sizes,$seconds,$reps,$trials" in
*[!0-9,]* | *,,* | ,*)
	echo "run.sh: --sizes is a comma-separated list of counts; --seconds, --reps, --trials are whole numbers" >&2
	exit 2 ;;
esac

# What we need, and the Debian package that has it. ---------------------
missing=
need() { # command package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need top procps
need htop htop
need tmux tmux
need cc gcc
if [ -n "$missing" ]; then
	echo "run.sh: missing:$missing" >&2
	echo "run.sh: install them with: apt-get install -y$missing" >&2
	exit 1
fi
if [ -z "$oomlens" ]; then
	for c in "$top_srcdir/oomlens" "$PWD/oomlens" "$(command -v oomlens || true)"; do
		if [ -n "$c" ] && [ -x "$c" ]; then
			oomlens=$c
			break
		fi
	done
fi
if [ -z "$oomlens" ] || [ ! -x "$oomlens" ]; then
	echo "run.sh: no oomlens binary: build it first (README.md), or pass --oomlens PATH" >&2
	exit 1
fi

# Scratch space, the helpers, and the cleanup of everything we start. ----
work=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-bench.XXXXXX")
sock="oomlens-bench-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
crowd_pid=
tool_pids=

cleanup() {
	set +e
	tm kill-server >/dev/null 2>&1
	for p in $tool_pids; do
		kill -TERM "$p" 2>/dev/null
	done
	if [ -n "$crowd_pid" ]; then
		kill -TERM "$crowd_pid" 2>/dev/null
		wait "$crowd_pid" 2>/dev/null
	fi
	if [ "$keep" = 1 ]; then
		echo "run.sh: raw results kept in $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

for h in crowd minread cputime; do
	cc -O2 -Wall -o "$work/$h" "$here/$h.c"
done
mkdir -p "$work/home"
clk_tck=$(getconf CLK_TCK)
hz_note="utime+stime in clock ticks of 1/$clk_tck s"

# Helpers. ----------------------------------------------------------------
nprocs() {
	n=0
	for d in /proc/[1-9]*; do
		n=$((n + 1))
	done
	echo "$n"
}

# The median of the numbers on standard input.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan";
		else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# CPU seconds (user + sys) of one run of a command.
cpu_of() {
	"$work/cputime" "$@" 2>>"$work/stderr.log" | awk '{ printf "%.6f\n", $1 + $2 }'
}

# utime + stime of a process, in clock ticks.
ticks_of() {
	local line rest
	read -r line <"/proc/$1/stat" || return 1
	rest=${line##*) }
	set -- $rest
	# $1 is the state (field 3), so utime (14) and stime (15) are $12 and $13.
	echo $((${12} + ${13}))
}

kb_of() { # pid field
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# Microseconds since the epoch, without a fork (bash 5's EPOCHREALTIME, C locale).
export LC_ALL=C
usec() { REPLY=${EPOCHREALTIME/./}; }

start_crowd() {
	: >"$work/crowd.out"
	"$work/crowd" "$1" >"$work/crowd.out" 2>"$work/crowd.err" &
	crowd_pid=$!
	for _ in $(seq 1 600); do
		if grep -q '^ready' "$work/crowd.out"; then
			return 0
		fi
		if ! kill -0 "$crowd_pid" 2>/dev/null; then
			echo "run.sh: the crowd of $1 could not be started:" >&2
			cat "$work/crowd.err" >&2
			wait "$crowd_pid" 2>/dev/null || true
			crowd_pid=
			return 1
		fi
		sleep 0.2
	done
	echo "run.sh: the crowd of $1 was not ready after 120 s" >&2
	return 1
}

stop_crowd() {
	kill -TERM "$crowd_pid"
	wait "$crowd_pid" 2>/dev/null || true
	crowd_pid=
}

# Start a tool in its own 200x50 tmux session; its PID in $tool_pid.
start_tool() { # name command...
	local name=$1
	shift
	tm new-session -d -s "$name" -x 200 -y 50 \
		"exec env HOME='$work/home' LC_ALL=C.UTF-8 $*"
	tool_pid=$(tm display-message -p -t "$name" '#{pane_pid}')
	tool_pids="$tool_pids $tool_pid"
}

stop_tool() { # name pid
	tm kill-session -t "$1" 2>/dev/null || true
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$2" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$2" 2>/dev/null || true
}

# Interactive CPU-s per second and memory of one tool: "cpu_per_s rss_kb hwm_kb".
interactive() { # name command...
	local name=$1 t0 t1 c0 c1
	start_tool "$@"
	sleep 3 # start-up and first screens are not the steady state
	if ! kill -0 "$tool_pid" 2>/dev/null; then
		echo "nan nan nan"
		return
	fi
	c0=$(ticks_of "$tool_pid")
	usec; t0=$REPLY
	sleep "$seconds"
	c1=$(ticks_of "$tool_pid") || c1=nan
	usec; t1=$REPLY
	echo "$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" -v hz="$clk_tck" \
		'BEGIN { if (b == "nan") print "nan"; else printf "%.4f", (b - a) / hz / ((t1 - t0) / 1e6) }') \
		$(kb_of "$tool_pid" VmRSS) $(kb_of "$tool_pid" VmHWM)"
	stop_tool "$name" "$tool_pid"
}

# Is a thread of pid running (a collection under way)?
busy() {
	local f line rest
	for f in /proc/"$1"/task/*/stat; do
		read -r line <"$f" 2>/dev/null || continue
		rest=${line##*) }
		[ "${rest%% *}" = R ] && return 0
	done
	return 1
}

# Milliseconds from send-keys of the open key until marker is on screen; one per line.
latency() { # name open-key close-key marker command...
	local name=$1 open=$2 close=$3 marker=$4 i t0 t1 waited screen
	shift 4
	start_tool "$name" "$@"
	sleep 4
	: >"$work/lat.$name"
	for i in $(seq 1 "$trials"); do
		# Wait (up to 2 s) for the tool to be busy, so the key lands mid-collection.
		waited=0
		while ! busy "$tool_pid" && [ $waited -lt 2000 ]; do
			sleep 0.002
			waited=$((waited + 2))
		done
		if busy "$tool_pid"; then echo busy >>"$work/lat.$name.state"; else echo idle >>"$work/lat.$name.state"; fi
		usec; t0=$REPLY
		tm send-keys -t "$name" "$open"
		# One tmux client per poll and no other fork: the poll period is the resolution.
		while :; do
			screen=$(tm capture-pane -p -t "$name")
			usec; t1=$REPLY
			[[ $screen == *"$marker"* ]] && break
			if [ $((t1 - t0)) -gt 10000000 ]; then
				t1=timeout
				break
			fi
		done
		if [ "$t1" = timeout ]; then
			echo "run.sh: $name: no '$marker' on screen 10 s after the key" >&2
		else
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }' >>"$work/lat.$name"
		fi
		tm send-keys -t "$name" "$close"
		for _ in $(seq 1 500); do
			screen=$(tm capture-pane -p -t "$name")
			[[ $screen == *"$marker"* ]] || break
			sleep 0.01
		done
		sleep "0.$((RANDOM % 9 + 1))"
	done
	stop_tool "$name" "$tool_pid"
}

# The cost of one poll of the screen: the method's resolution.
poll_cost_ms() {
	local t0 t1 screen
	start_tool probe sleep 60
	usec; t0=$REPLY
	for _ in $(seq 1 50); do
		screen=$(tm capture-pane -p -t probe)
	done
	usec; t1=$REPLY
	stop_tool probe "$tool_pid"
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1000 / 50 }'
}

# The run. ------------------------------------------------------------------
largest=$(echo "$sizes" | tr , '\n' | sort -n | tail -1)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
echo "oomlens benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(uname -sr), $(nproc) CPUs ($cpu_model), $mem_total; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tools: $("$oomlens" --version), top $(top -V | awk 'NR == 1 { print $NF }'), $(htop --version | head -1), $(tmux -V)"
echo "command: sh bench/run.sh --sizes $sizes --seconds $seconds --reps $reps --trials $trials"
echo

: >"$work/results"
for n in $(echo "$sizes" | tr , ' '); do
	echo "size $n: starting the crowd" >&2
	start_crowd "$n" || exit 1
	sleep 2
	total=$(nprocs)

	echo "size $n: batch, $reps runs each" >&2
	for tool in oomlens bpf top minread; do
		: >"$work/batch.$tool"
	done
	# One warm-up run each, then the measured runs interleaved.
	"$oomlens" -b -n 1 --format json --collector proc >/dev/null
	if ! "$oomlens" -b -n 1 --format json --collector bpf >/dev/null; then
		echo "run.sh: the bpf collector cannot be used here: its columns read nan" >&2
	fi
	top -b -n 1 >/dev/null
	"$work/minread"
	for _ in $(seq 1 "$reps"); do
		cpu_of "$oomlens" -b -n 1 --format json --collector proc >>"$work/batch.oomlens"
		cpu_of "$oomlens" -b -n 1 --format json --collector bpf >>"$work/batch.bpf"
		cpu_of top -b -n 1 >>"$work/batch.top"
		cpu_of "$work/minread" >>"$work/batch.minread"
	done
	b_ool=$(median <"$work/batch.oomlens")
	b_bpf=$(median <"$work/batch.bpf")
	b_top=$(median <"$work/batch.top")
	b_min=$(median <"$work/batch.minread")

	echo "size $n: interactive, ${seconds} s each" >&2
	set -- $(interactive oomlens "$oomlens" -d 1 --collector proc)
	i_ool=$1 rss_ool=$2 hwm_ool=$3
	set -- $(interactive bpf "$oomlens" -d 1 --collector bpf)
	i_bpf=$1 rss_bpf=$2 hwm_bpf=$3
	set -- $(interactive top top -d 1)
	i_top=$1 rss_top=$2 hwm_top=$3
	set -- $(interactive htop htop -d 10)
	i_htop=$1 rss_htop=$2 hwm_htop=$3

	if [ "$n" = "$largest" ]; then
		echo "size $n: key-press latency, $trials trials each" >&2
		latency oomlens h h "oomlens help" "$oomlens" -d 1 --collector proc
		latency bpf h h "oomlens help" "$oomlens" -d 1 --collector bpf
		latency top h q "Help for Interactive Commands" top -d 1
		latency htop h q "Hisham Muhammad" htop -d 10
		poll_ms=$(poll_cost_ms)
	fi
	echo "$n $total $b_ool $b_top $b_min $i_ool $i_top $i_htop $rss_ool $hwm_ool $rss_top $hwm_top $rss_htop $hwm_htop $b_bpf $i_bpf $rss_bpf $hwm_bpf" >>"$work/results"
	stop_crowd
	sleep 2
done

# The tables. -----------------------------------------------------------------
awk '
function r(a, b) { return (a == "nan" || b == "nan" || b == 0) ? "  -  " : sprintf("%5.2f", a / b) }
function mib(k) { return k == "" || k == "nan" ? "-" : sprintf("%.1f", k / 1024) }
{ n[NR] = $1; tot[NR] = $2; bo[NR] = $3; bt[NR] = $4; bm[NR] = $5;
  io[NR] = $6; it[NR] = $7; ih[NR] = $8;
  ro[NR] = $9; ho[NR] = $10; rt[NR] = $11; ht[NR] = $12; rh[NR] = $13; hh[NR] = $14
  bb[NR] = $15; ib[NR] = $16; rb[NR] = $17; hb[NR] = $18 }
END {
	print "Batch: CPU seconds (user+sys) for one snapshot, median"
	printf "%7s %7s | %8s %8s %8s %8s | %11s %8s %15s\n", "crowd", "procs", "oomlens", "bpf", "top", "minread", "oomlens/top", "bpf/top", "oomlens/minread"
	for (i = 1; i <= NR; i++)
		printf "%7d %7d | %8.3f %8.3f %8.3f %8.3f | %11s %8s %15s\n", n[i], tot[i], bo[i], bb[i], bt[i], bm[i], r(bo[i], bt[i]), r(bb[i], bt[i]), r(bo[i], bm[i])
	print ""
	print "Interactive: CPU-s per second at a 1 s refresh"
	printf "%7s %7s | %8s %8s %8s %8s | %11s %8s %12s\n", "crowd", "procs", "oomlens", "bpf", "top", "htop", "oomlens/top", "bpf/top", "oomlens/htop"
	for (i = 1; i <= NR; i++)
		printf "%7d %7d | %8.3f %8.3f %8.3f %8.3f | %11s %8s %12s\n", n[i], tot[i], io[i], ib[i], it[i], ih[i], r(io[i], it[i]), r(ib[i], it[i]), r(io[i], ih[i])
	print ""
	print "Resident memory of the interactive tools, MiB: VmRSS (VmHWM)"
	printf "%7s %7s | %15s %15s %15s %15s\n", "crowd", "procs", "oomlens", "bpf", "top", "htop"
	for (i = 1; i <= NR; i++)
		printf "%7d %7d | %6s (%6s) %6s (%6s) %6s (%6s) %6s (%6s)\n", n[i], tot[i], mib(ro[i]), mib(ho[i]), mib(rb[i]), mib(hb[i]), mib(rt[i]), mib(ht[i]), mib(rh[i]), mib(hh[i])
	print ""
	print "Linear growth: microseconds per process (batch: per snapshot; interactive: per second)"
	printf "%7s %7s | %8s %8s %8s | %8s %8s %8s\n", "crowd", "procs", "b:oomlens", "b:top", "b:min", "i:oomlens", "i:top", "i:htop"
	for (i = 1; i <= NR; i++)
		printf "%7d %7d | %9.1f %8.1f %8.1f | %9.1f %8.1f %8.1f\n", n[i], tot[i], bo[i] / tot[i] * 1e6, bt[i] / tot[i] * 1e6, bm[i] / tot[i] * 1e6, io[i] / tot[i] * 1e6, it[i] / tot[i] * 1e6, ih[i] / tot[i] * 1e6
}' "$work/results"

if [ -s "$work/lat.oomlens" ]; then
	echo
	echo "Key-press latency at $largest: ms from send-keys to the help screen on capture-pane"
	printf "%8s | %7s %7s %7s | %s\n" tool median max min "busy when the key was sent"
	for t in oomlens bpf top htop; do
		[ -s "$work/lat.$t" ] || continue
		printf "%8s | %7s %7s %7s | %s of %s\n" "$t" "$(median <"$work/lat.$t")" \
			"$(sort -g "$work/lat.$t" | tail -1)" "$(sort -g "$work/lat.$t" | head -1)" \
			"$(grep -c busy "$work/lat.$t.state" || true)" "$trials"
	done
	echo "resolution: one capture-pane poll takes ${poll_ms} ms here; the figure includes one send-keys (a tmux client start) and at most one poll late"
fi
echo
echo "CPU time: batch from wait4() rusage; interactive from /proc/PID/stat $hz_note, over ${seconds} s after 3 s of start-up"
