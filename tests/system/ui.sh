#!/bin/sh
# ui.sh - the interactive monitor as a person uses it, in a real terminal:
# oomlens runs inside a private tmux server; the test sends keys, captures
# the pane and checks what is on the screen: the header's figures against
# /proc, a test child found with the filter showing the kernel's oom_score,
# the collection thread 5 nice levels below the keyboard's,
# a change of sort column, the detail pane, the container view with a test
# memory cgroup and its limit, the help screen, resizes down to 20x5 and
# back, and q (and SIGTERM) giving the terminal back to the shell.
#
# The test's own commands (grep, awk, tmux send-keys) never hold a whole
# filter word in their command lines, which the filter would match too:
# patterns use "pro[b]e", and typed words go in two pieces.
#
# Exit 77 (skip) without tmux.  The cgroup part is skipped when cgroupfs is
# not writable, unless OOMLENS_REQUIRE_CGROUP=1.  Everything the test
# creates (processes, the cgroup, the tmux server, the temp dir) goes away
# in the trap, touched by PID and path only.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-test oomlens-ui
# This test's checks were written against the rows as drawn, not joined.
CAP_JOIN=
PROBE=""
EVIL=""
CGKID=""
HOG=""
OWN_PIDS="PROBE EVIL CGKID HOG"

alive() {
	kill -0 "$(cat "$TMP/oomlens.pid" 2>/dev/null)" 2>/dev/null
}

# A test child with a distinctive name.
cp /bin/sleep "$TMP/oomlens-ui-probe"
"$TMP/oomlens-ui-probe" 300 &
PROBE=$!
# And one whose name holds a terminal escape sequence and a bell.
EVILNAME=$(printf 'oomlens-ui-esc\033[7mX\007')
cp /bin/sleep "$TMP/$EVILNAME"
"$TMP/$EVILNAME" 300 &
EVIL=$!

# A memory cgroup with a 64M limit under our own, with a sleeping child in it (cgroup v1).
if memcg_make "oomlens-test-ui-$$" 64M && memcg_sleeper oomlens-cgkid; then
	HAVE_CG=1
else
	HAVE_CG=0
	memcg_skip_part
fi

tmux_session 120 40 <<EOF
sh -c 'echo \$\$ >"$TMP/oomlens.pid"; exec "$OOMLENS" -d 0.5'
EOF

# 1. The header: MemAvailable within tolerance of /proc/meminfo, the 2.4 meter, PSI, oom_kill.
wait_for 'MemAvailable [0-9.]+[BKMGT]' 30 || fail "no MemAvailable in the header"
wait_for '^ *PID +USER' 10 || fail "no process table"
shown=$(cap | sed -n 's/.*MemAvailable \([0-9.]*\)\([BKMGT]\).*/\1 \2/p' | head -n 1)
real=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
echo "$shown $real" | awk '{
	m = 1; if ($2 == "K") m = 1; if ($2 == "M") m = 1024; if ($2 == "G") m = 1048576; if ($2 == "T") m = 1073741824;
	if ($2 == "B") m = 1 / 1024;
	ui = $1 * m; d = ui - $3; if (d < 0) d = -d;
	if (d > $3 * 0.05 + 102400) { printf "MemAvailable on screen %s%s = %d kB, /proc/meminfo %d kB\n", $1, $2, ui, $3; exit 1 }
}' || fail "the header's MemAvailable is off"
cap | grep -q '2\.4 avail \[' || fail "no 2.4 availability meter"
cap | grep -Eq '#free [0-9.]+[BKMGT]? +=cache' || fail "no meter legend"
cap | grep -Eq 'PSI (some|: none)' || fail "no PSI line"
cap | grep -Eq 'oom_kill [0-9]+' || fail "no host oom_kill count"
echo "ok header: MemAvailable $shown vs /proc/meminfo $real kB"

# The collection thread runs 5 nice levels below the keyboard's (field 19 of
# each task's stat, counted after the ") " that ends comm).
olpid=$(cat "$TMP/oomlens.pid")
main_nice= worker_nice=
for t in /proc/"$olpid"/task/*; do
	st=$(cat "$t/stat" 2>/dev/null) || continue
	n=$(echo "${st##*) }" | awk '{ print $17 }')
	if [ "${t##*/}" = "$olpid" ]; then main_nice=$n; else worker_nice=$n; fi
done
want=$((main_nice + 5))
[ "$want" -gt 19 ] && want=19
[ -n "$worker_nice" ] && [ "$worker_nice" -eq "$want" ] ||
	fail "collection thread nice ${worker_nice:-missing}, keyboard thread $main_nice (want $want)"
echo "ok threads: keyboard nice $main_nice, collection nice $worker_nice"

# 2. The filter finds the probe and shows the kernel's oom_score for it.
filter 'oomlens-ui-' 'probe'
wait_for "^ *\\*?$PROBE .*oomlens-ui-pro[b]e" 20 || fail "the filter did not show the probe $PROBE"
wait_for 'filter "oomlens-ui-pro[b]e"' 5 || fail "the status line does not show the filter"
[ "$(cap | grep -Ec '^ *\*?[0-9]+ ')" -eq 1 ] || fail "the filter shows other processes"
oomcol=$(cap | awk '/^ *PID +USER/ { for (i = 1; i <= NF; i++) if ($i ~ /^OOM/) { print i; exit } }')
[ -n "$oomcol" ] || fail "no OOM column"
kscore=$(cat /proc/$PROBE/oom_score)
sscore=$(cap | awk -v pid="$PROBE" -v c="$oomcol" '$1 == pid || $1 == "*" pid { print $c; exit }')
[ "$sscore" = "$kscore" ] || fail "OOM for the probe is '$sscore', the kernel says $kscore"
echo "ok filter: probe $PROBE oom_score $sscore"

# 2b. A name with an escape sequence is shown escaped, never sent to the terminal.
filter -u 'oomlens-ui-' 'esc'
wait_for "^ *\\*?$EVIL .*oomlens-ui-es[c]\\\\x1b\\[7m" 20 ||
	fail "the name with an escape sequence is not shown escaped"
wait_for 'filter "oomlens-ui-es[c]"' 10 || fail "the filter prompt did not close"
cap | grep -q "$(printf '\033')" && fail "a raw ESC reached the screen"
$T send-keys -t ui Escape
wait_gone 'filter "' 10 || fail "Esc did not clear the filter"
filter 'oomlens-ui-' 'probe'
wait_for "^ *\\*?$PROBE .*oomlens-ui-pro[b]e" 20 || fail "the filter did not show the probe again"
wait_for 'filter "oomlens-ui-pro[b]e"' 10 || fail "the filter prompt did not close"
echo "ok escaping: $EVIL shown as oomlens-ui-esc\\x1b[7m..."

# 3. A change of sort column moves the indicator.
before=$(cap | awk '/^ *PID +USER/ { for (i = 1; i <= NF; i++) if ($i ~ /[▼▲]$/) { print $i; exit } }')
[ "$before" = "OOM▼" ] || fail "the default sort is '$before', not OOM descending"
$T send-keys -t ui -l '>'
wait_for '^ *PID +USER.* ADJ▼' 10 || fail "> did not move the sort to ADJ"
$T send-keys -t ui -l '<'
wait_for '^ *PID +USER.* OOM▼' 10 || fail "< did not move the sort back to OOM"
echo "ok sort: OOM▼ -> ADJ▼ -> OOM▼"

# 4. The detail pane explains the probe's numbers.
$T send-keys -t ui Enter
wait_for "^Process $PROBE " 10 || fail "Enter did not open the detail pane"
wait_for "oom_score = \\(1000 \\+ points|oom_score = max" 5 || fail "the detail pane lacks the kernel formula"
$T send-keys -t ui End
wait_for "Room left for its container|Limits that apply" 5 || fail "the detail pane lacks the limits"
$T send-keys -t ui Escape
wait_for '^ *PID +USER' 10 || fail "Esc did not close the detail pane"
echo "ok detail pane"

# 5. The container view shows the test cgroup and its 64M limit, with its process beneath.
if [ "$HAVE_CG" = 1 ]; then
	filter -u "oomlens-test-" "ui-$$"
	wait_for "filter \"oomlens-test-u[i]-$$\"" 10 || fail "the filter prompt did not close"
	$T send-keys -t ui -l 'c'
	wait_for '^CGROUP / PROCESS' 10 || fail "c did not open the container view"
	wait_for "oomlens-test-u[i]-$$ +[0-9.]+[BKMGT]? +64M " 20 ||
		fail "the container view does not show oomlens-test-ui-$$ with its 64M limit"
	wait_for "$CGKID oomlens-cgkid" 10 || fail "the cgroup's process $CGKID is not beneath it"
	# The selection followed the child from the process table: the first - goes up to its cgroup, the second collapses it.
	$T send-keys -t ui -l '-'
	$T send-keys -t ui -l '-'
	wait_gone "$CGKID oomlens-cgkid" 10 || fail "- did not collapse the cgroup"
	$T send-keys -t ui -l '+'
	wait_for "$CGKID oomlens-cgkid" 10 || fail "+ did not expand the cgroup"
	echo "ok container view: oomlens-test-ui-$$ limit 64M, child $CGKID"

	# An OOM kill in the test cgroup: its OOMK goes up and the host's oom_kill is highlighted.
	sh -c "echo \$\$ >'$CG/cgroup.procs' && exec sh -c 'head -c 268435456 /dev/zero | tail >/dev/null'" \
		2>/dev/null &
	HOG=$!
	wait "$HOG"
	HOG=""
	wait_for 'oom_kill [0-9]+ \(\+[0-9]+\)' 10 || fail "the host's oom_kill is not marked after an OOM kill"
	off=$(cap | awk '/^CGROUP \/ PROCESS/ { for (i = 1; i <= NF; i++) if ($i == "OOMK") print NF - i }')
	n=100
	while [ "$n" -gt 0 ]; do
		k=$(cap | awk -v a="oomlens-test-" -v b="ui-$$" -v off="$off" '$0 ~ a b " " && !/^fullest/ { print $(NF - off); exit }')
		[ "${k:-0}" -ge 1 ] 2>/dev/null && break
		sleep 0.1
		n=$((n - 1))
	done
	[ "${k:-0}" -ge 1 ] 2>/dev/null || fail "the cgroup's OOMK is '$k' after an OOM kill in it"
	echo "ok oom_kill: OOMK $k in oomlens-test-ui-$$, host oom_kill highlighted"

	$T send-keys -t ui -l 'c'
	wait_for '^ *PID +USER' 10 || fail "c did not return to the process table"
fi
$T send-keys -t ui Escape
wait_gone 'filter "' 10 || fail "Esc did not clear the filter"

# 6. The help screen lists the keys.
$T send-keys -t ui -l 'h'
wait_for 'this help' 10 || fail "h did not open the help"
page1=$(cap)
$T send-keys -t ui PgDn
wait_for '\[[0-9]+-[0-9]+ of [0-9]+\]' 5 || fail "no scroll position in the help"
sleep 0.5
for k in 'q F10' '< ' '> ' 'F6 ' 't F5' 'd s' 'Space' 'h \? F1'; do
	{ echo "$page1"; cap; } | grep -Eq "^  $k" || fail "the help does not list '$k' on its first two pages"
done
$T send-keys -t ui Escape
wait_for '^ *PID +USER' 10 || fail "a key did not close the help"
echo "ok help"

# 7. Resizes: small, tiny, and back; the monitor lives on and redraws.
$T resize-window -t ui -x 60 -y 15
wait_for '^oomlens .*oom_kill' 10 || fail "no header at 60x15"
wait_for '^ *PID +' 10 || fail "no table at 60x15"
wait_for '^MemAvail [0-9.]+[BKMGT]? +commit' 10 || fail "no compact header at 60x15"
$T resize-window -t ui -x 20 -y 5
wait_for '^ *PID ' 10 || fail "no table at 20x5"
alive || fail "oomlens died at 20x5"
$T resize-window -t ui -x 120 -y 40
wait_for 'MemAvailable [0-9.]+' 10 || fail "no full header after growing back"
alive || fail "oomlens died after the resizes"
echo "ok resize 120x40 -> 60x15 -> 20x5 -> 120x40"

# 8. q gives the terminal back: the shell's screen, the exit status, no oomlens.
$T send-keys -t ui -l 'q'
wait_for '^oomlens-exited-0$' 10 || fail "q did not end oomlens with status 0"
wait_for '^ui-test\$' 5 || fail "no shell prompt after q"
cap | grep -q 'MemAvailable' && fail "the monitor's screen is still shown after q (no rmcup)"
alive && fail "oomlens still runs after q"
echo "ok q: terminal restored"

# 9. SIGTERM restores the terminal too.
$T send-keys -t ui "clear; sh -c 'echo \$\$ >\"$TMP/oomlens.pid\"; exec \"$OOMLENS\" -d 0.5'; echo second-exit-\$?" Enter
wait_for 'MemAvailable [0-9.]+' 30 || fail "the second oomlens did not start"
kill -TERM "$(cat "$TMP/oomlens.pid")"
wait_for '^second-exit-143$' 10 || fail "SIGTERM did not end oomlens with 128 + 15"
cap | grep -q 'MemAvailable' && fail "the monitor's screen is still shown after SIGTERM"
echo "ok SIGTERM: terminal restored"

echo "PASS"
exit 0
