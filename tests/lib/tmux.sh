# tmux.sh - sourced by the system tests that drive the monitor in tmux
# (tests/system/ui*.sh): the set-up they share, the private tmux server and
# its screen, polling, the test memory cgroup (v1) some of them make, and
# the clean-up.  The checks stay in each test.
#
# POSIX sh: the harness runs the tests with $(SHELL), dash on Debian.  The
# clean-up ends only what the test recorded: processes by the PIDs in the
# variables named in OWN_PIDS (a test empties one once it has reaped that
# process, so a reused PID is never hit), the tmux server on its own
# socket, the cgroup in CG, the temp dir.

# tmux_test_init SOCKET TMPNAME: skip (77) without tmux, fail without the
# binary, a UTF-8 xterm for the monitor, then the temp dir
# /tmp/TMPNAME.XXXXXX and the server on socket SOCKET-PID, with the traps.
tmux_test_init() {
	OOMLENS=${OOMLENS:-./oomlens}
	command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
	[ -x "$OOMLENS" ] || { echo "FAIL: $OOMLENS is not built"; exit 1; }
	case $OOMLENS in /*) ;; *) OOMLENS=$(pwd)/$OOMLENS ;; esac

	LANG=C.UTF-8
	LC_ALL=C.UTF-8
	TERM=xterm-256color
	export LANG LC_ALL TERM
	unset NO_COLOR

	SOCK=$1-$$
	SOCKPATH=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK
	TMP=$(mktemp -d "/tmp/$2.XXXXXX")
	T="tmux -L $SOCK -f $TMP/tmux.conf"
	OWN_PIDS=""
	CG=""
	CG_WHY=""
	CAP_JOIN=-J
	trap tmux_cleanup EXIT
	trap 'exit 1' INT TERM HUP

	# exit-empty off: a test that restarts its session (kill-session, then
	# new-session) would otherwise race the server's exit after the last
	# session, and new-session reports "server exited unexpectedly" (CI,
	# ui_narrow.sh); tmux_cleanup ends the server.
	cat >"$TMP/tmux.conf" <<EOF
set -g default-terminal xterm-256color
set -g status off
set -s exit-empty off
EOF
}

tmux_cleanup() {
	pids=""
	for v in $OWN_PIDS; do
		eval "pids=\"\$pids \${$v:-}\""
	done
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	$T kill-server 2>/dev/null
	[ -S "$SOCKPATH" ] && rm -f "$SOCKPATH"
	# A cgroup stays busy for a moment after its last process has gone.
	if [ -n "$CG" ] && [ -d "$CG" ]; then
		i=0
		until rmdir "$CG" 2>/dev/null || [ $i -ge 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	rm -rf "$TMP"
}

# tmux_session COLS ROWS: session "ui" of that size running the commands on
# standard input, then "oomlens-exited-STATUS" and a shell (prompt
# "ui-test$ ") for what the test types next.
tmux_session() {
	{
		cat
		printf '%s\n' 'echo "oomlens-exited-$?"' "PS1='ui-test\$ ' exec sh -i"
	} >"$TMP/run.sh"
	$T new-session -d -s ui -x "$1" -y "$2" "sh $TMP/run.sh" || fail "tmux did not start"
}

# cap: the screen.  -J joins wrapped lines; ui.sh clears CAP_JOIN, as its
# checks were written against the rows as drawn.
cap() {
	$T capture-pane -p $CAP_JOIN -t ui 2>/dev/null
}

# on_fail: more to print after the screen when a test fails; a test may redefine it.
on_fail() {
	:
}

fail() {
	echo "FAIL: $*"
	echo "--- the screen:"
	cap
	on_fail
	echo "---"
	exit 1
}

# wait_for ERE [SECONDS]: poll the screen until a line matches.
wait_for() {
	n=$(( ${2:-20} * 10 ))
	while [ "$n" -gt 0 ]; do
		cap | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# wait_gone ERE [SECONDS]: poll until no line matches.
wait_gone() {
	n=$(( ${2:-20} * 10 ))
	while [ "$n" -gt 0 ]; do
		cap | grep -Eq -- "$1" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# filter [-u] WORD1 WORD2: show only rows matching WORD1WORD2; -u clears
# the prompt first.  Typed in two pieces, so the test's own command lines
# never hold the whole word, which the filter would match too.
filter() {
	$T send-keys -t ui -l '\'
	if [ "$1" = -u ]; then
		$T send-keys -t ui C-u
		shift
	fi
	$T send-keys -t ui -l "$1"
	$T send-keys -t ui -l "$2"
	$T send-keys -t ui Enter
}

# memcg_make NAME LIMIT: a v1 memory cgroup NAME under our own with
# memory.limit_in_bytes LIMIT.  CG is set as soon as the directory exists,
# so the clean-up removes it whatever fails next; on failure CG_WHY says why.
memcg_make() {
	cg_rel=$(sed -n 's/^[0-9]*:\([^:]*,\)\{0,1\}memory\(,[^:]*\)\{0,1\}:\(.*\)$/\3/p' /proc/self/cgroup)
	[ -n "$cg_rel" ] || { CG_WHY="no v1 memory controller in /proc/self/cgroup"; return 1; }
	# mountinfo: id parent dev root mountpoint opts [tags] - fstype source superopts
	cg_line=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
		      if ($(i + 1) == "cgroup" && $(i + 3) ~ /(^|,)memory(,|$)/) { print $4, $5; exit } }' \
		/proc/self/mountinfo)
	[ -n "$cg_line" ] || { CG_WHY="no v1 memory mount in /proc/self/mountinfo"; return 1; }
	cg_root=${cg_line%% *}
	cg_mnt=${cg_line#* }
	case $cg_rel in "$cg_root"*) cg_rel=${cg_rel#"$cg_root"} ;; esac
	cg_dir=$cg_mnt/${cg_rel#/}
	cg_dir=${cg_dir%/}
	mkdir "$cg_dir/$1" 2>/dev/null || { CG_WHY="cannot mkdir under $cg_dir"; return 1; }
	CG=$cg_dir/$1
	echo "$2" >"$CG/memory.limit_in_bytes" 2>/dev/null || { CG_WHY="cannot set memory.limit_in_bytes"; return 1; }
	return 0
}

# memcg_sleeper NAME: a sleeping child in CG, a copy of sleep called NAME
# so the screen shows it by name; its PID in CGKID.
memcg_sleeper() {
	cp /bin/sleep "$TMP/$1"
	"$TMP/$1" 300 &
	CGKID=$!
	echo "$CGKID" >"$CG/cgroup.procs" 2>/dev/null || { CG_WHY="cannot move a process into $CG"; return 1; }
	return 0
}

# memcg_skip_part: the cgroup part of a test could not be set up (CG_WHY):
# fail when OOMLENS_REQUIRE_CGROUP=1, else say that part is skipped.
memcg_skip_part() {
	if [ "${OOMLENS_REQUIRE_CGROUP:-0}" = 1 ]; then
		echo "FAIL: cgroup part required but unavailable: $CG_WHY"
		exit 1
	fi
	echo "SKIP (cgroup part only): $CG_WHY"
}
