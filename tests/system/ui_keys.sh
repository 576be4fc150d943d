#!/bin/sh
# ui_keys.sh - the keys an operator's hands already know from top and htop
# (issue 14), in a real terminal at 80x24 and at 300x60: q returns from the
# help, F1 help, F2 setup (hide, order, sort, saved to the config file),
# F3 search and n the next match, F4 filter, F5 tree, F6
# the sort list, F9 the signal prompt, F10 quit, u one user's processes,
# K kernel threads, the function-key bar on the last line (none on a short
# terminal), the hint for an unbound key, and the mouse (a click selects a
# row, a click on a title sorts, the wheel scrolls) sent as the xterm SGR
# sequences a terminal sends.
#
# Which row is selected is read back through Enter: the detail pane names
# its process ("Process PID").  Typed words go in two pieces, so the
# test's own command lines never hold a whole filter word.
#
# Exit 77 (skip) without tmux.  The processes, the tmux server and the
# temp dir go away in the trap, touched by PID and path only.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-test-keys oomlens-keys
P1=""
P2=""
PN=""
OWN_PIDS="P1 P2 PN"

# The probes' name holds this run's PID, so a search or filter for it finds
# no other run's probes (a test running beside this one, or left behind).
WORD=oomlens-keys-$$-
PROBE=${WORD}probe
cp /bin/sleep "$TMP/$PROBE"
"$TMP/$PROBE" 301 &
P1=$!
"$TMP/$PROBE" 302 &
P2=$!
# One as the user nobody, for u.
if command -v setpriv >/dev/null 2>&1; then
	chmod 755 "$TMP" "$TMP/$PROBE"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/$PROBE" 303 &
	PN=$!
fi

send() {
	$T send-keys -t ui "$@"
}
# click X Y [BUTTON]: an SGR mouse press and release at 1-based column X, line Y.
click() {
	b=${3:-0}
	send -l "$(printf '\033[<%d;%d;%dM\033[<%d;%d;%dm' "$b" "$1" "$2" "$b" "$1" "$2")"
}
# click_until WANT X Y [BUTTON]: click until the selected row's PID is WANT
# ("moved": anything but the one before), at most three times.  tmux hands
# the SGR sequence over as typed text: on a loaded machine its bytes can
# come further apart than curses' ESCDELAY, and the click is read as an
# unknown sequence (and ignored, as it should be), not as the mouse.
click_until() {
	want=$1
	shift
	was=$(selected_pid)
	for try in 1 2 3; do
		click "$@"
		now=$(selected_pid)
		if [ "$want" = moved ]; then [ "$now" != "$was" ] && return 0
		else [ "$now" = "$want" ] && return 0; fi
		echo "click $try at $*: selected $now, not $want; again"
	done
	return 1
}
# The PID in the detail pane of the selected row (Enter, read, Esc).
selected_pid() {
	send Enter
	wait_for '^Process [0-9]+' 5 || fail "Enter did not open the detail pane"
	cap | sed -n 's/^Process \([0-9][0-9]*\).*/\1/p' | head -n 1
	send Escape
	wait_gone '^Process [0-9]+' 5 || fail "Esc did not close the detail pane"
}
# search WORD1 WORD2 with KEY (/ or F3): select the first match.
search() {
	if [ "$1" = F3 ]; then send F3; else send -l /; fi
	wait_for 'Search: ' 5 || fail "$1 did not open the search prompt"
	send -l "$2"
	send -l "$3"
	send Enter
}

keys_at() {
	cols=$1
	rows=$2
	: >"$TMP/oomlensrc-$cols"
	$T kill-session -t ui 2>/dev/null
	tmux_session "$cols" "$rows" <<EOF
"$OOMLENS" -d 0.5 --audit-file "$TMP/audit.log" --config "$TMP/oomlensrc-$cols"
EOF
	wait_for '^ *PID +USER' 30 || fail "no process table at ${cols}x$rows"

	# The function-key bar on the last line.
	wait_for '^F1Help +F2Setup.*F3Search.*F4Filter.*F5Tree.*F6SortBy.*F9Kill.*F10Quit' 10 ||
		fail "no function-key bar at ${cols}x$rows"
	cap | tail -n 1 | grep -q '^F1Help' || fail "the key bar is not the last line"
	echo "ok ${cols}x$rows: the function-key bar"

	# q on the help returns to the table; F1 opens the help.
	send -l h
	wait_for 'this help' 5 || fail "h did not open the help"
	send -l q
	wait_for '^ *PID +USER' 5 || fail "q on the help did not return to the table"
	cap | grep -q '^oomlens-exited' && fail "q on the help quit oomlens"
	send F1
	wait_for 'this help' 5 || fail "F1 did not open the help"
	send -l q
	wait_for '^ *PID +USER' 5 || fail "q did not return from the help opened with F1"
	echo "ok ${cols}x$rows: F1 help, q returns"

	# F3 search, n the next match: the two probes, one then the other.
	search F3 "$WORD" probe
	first=$(selected_pid)
	case " $P1 $P2 $PN " in *" $first "*) ;; *) fail "F3 did not select a probe (PID $first)" ;; esac
	send -l n
	second=$(selected_pid)
	case " $P1 $P2 $PN " in *" $second "*) ;; *) fail "n did not select a probe (PID $second)" ;; esac
	[ "$first" != "$second" ] || fail "n stayed on PID $first"
	search / "$WORD" probe
	echo "ok ${cols}x$rows: F3 and / search, n next ($first, $second)"

	# F4 filter: only the probes.
	send F4
	wait_for 'Filter: ' 5 || fail "F4 did not open the filter prompt"
	send -l "$WORD"
	send -l probe
	send Enter
	# The probe shows unfiltered too: first wait for the prompt to take the Enter.
	wait_gone '^Filter: ' 10 || fail "F4: Enter did not close the filter prompt"
	wait_for "^ *$P1 " 5 || fail "F4: the probe is not shown"
	[ "$(cap | grep -Ec '^ *[0-9]+ ')" -le 3 ] || fail "F4 did not filter the table"
	echo "ok ${cols}x$rows: F4 filter"

	# F5 tree and back.
	send F5
	wait_for 'Processes  sort .*  tree' 5 || fail "F5 did not show the tree"
	send F5
	wait_gone 'Processes  sort .*  tree' 5 || fail "F5 did not leave the tree"
	echo "ok ${cols}x$rows: F5 tree"
	send Escape

	# F6: the sort list; Down Enter sorts by the next column.
	send F6
	wait_for '^Sort by' 5 || fail "F6 did not open the sort list"
	wait_for '^ \* OOM' 5 || fail "F6 does not mark the current sort (OOM)"
	send Down
	send Enter
	wait_for 'Processes  sort ADJ' 5 || fail "F6 Down Enter did not sort by ADJ"
	send F6
	send Up
	send Enter
	wait_for 'Processes  sort OOM' 5 || fail "F6 Up Enter did not sort by OOM"
	echo "ok ${cols}x$rows: F6 sort list"

	# F9: the signal prompt for the selected probe; its plan shows the whole
	# command line, the cgroup and the memory ending it frees; Esc declines.
	send F9
	wait_for 'Signal to PID [0-9]+' 5 || fail "F9 did not ask for a signal"
	send Enter
	wait_for "command line: .*$PROBE" 5 || fail "the kill plan lacks the command line"
	cap | tr '\n' ' ' | grep -Eq "$PROBE +30[123]" ||
		fail "the kill plan cuts the command line"
	cap | grep -q 'cgroup: /' || fail "the kill plan lacks the cgroup"
	# The dialog wraps the notes: joined, without its borders.
	plan=$(cap | tr '\n' ' ' | sed 's/[│|]//g; s/  */ /g')
	echo "$plan" | grep -Eq 'RSS [0-9]+ kB [+] swap [0-9]+ kB' ||
		fail "the kill plan lacks the process's RSS + swap"
	echo "$plan" | grep -Eq 'ending it frees [0-9]+ kB: anonymous [0-9]+ kB [+] swap' &&
		echo "$plan" | grep -Eq 'file-backed [0-9]+ kB .* shared memory [0-9]+ kB' ||
		fail "the kill plan lacks the memory ending the process frees and what may stay"
	send Escape
	wait_gone 'command line: ' 5 || fail "Esc did not close the kill plan"
	echo "ok ${cols}x$rows: F9 kill plan: command line, cgroup, memory freed"

	# u: one user's processes.
	if [ -n "$PN" ]; then
		send -l u
		wait_for 'Show processes of user' 5 || fail "u did not ask for a user"
		send -l nobody
		send Enter
		wait_gone 'Show processes of user' 10 || fail "u: Enter did not close the prompt"
		wait_for "^ *$PN +nobody" 5 || fail "u nobody: the probe run as nobody is not shown"
		cap | grep -E '^ *[0-9]+ ' | grep -vq ' nobody ' && fail "u nobody shows other users"
		send Escape
		wait_for '^ *[0-9]+ +root ' 5 || fail "Esc did not clear the user filter"
		echo "ok ${cols}x$rows: u user filter"
	fi

	# K: kernel threads hidden and shown again (kthreadd is PID 2).
	send F4
	send -l kthre
	send -l add
	send Enter
	wait_for '^ *2 .*\[kthreadd\]' 5 || fail "kthreadd is not shown"
	send -l K
	wait_for 'kernel threads hidden' 5 || fail "K did not say kernel threads are hidden"
	wait_gone '^ *2 .*\[kthreadd\]' 5 || fail "K did not hide kthreadd"
	send -l K
	wait_for '^ *2 .*\[kthreadd\]' 5 || fail "K again did not show kthreadd"
	send Escape
	echo "ok ${cols}x$rows: K kernel threads"

	# An unbound key: a hint, not silence.
	send -l x
	wait_for 'x: not a key here; h or F1 lists the keys' 5 || fail "no hint for an unbound key"
	send -l H
	wait_for 'H: oomlens lists processes, not threads' 5 || fail "no hint for H"
	echo "ok ${cols}x$rows: hint for an unbound key"

	# The mouse: a click on a row selects it, on a title sorts, the wheel scrolls.
	send F4
	send -l "$WORD"
	send -l probe
	send Enter
	wait_gone '^Filter: ' 10 || fail "Enter did not close the filter prompt for the mouse"
	wait_for "^ *$P2 " 5 || fail "the filter for the mouse did not show the probe"
	# Paused, so no new snapshot reorders the rows between reading and clicking.
	send Space
	wait_for 'paused' 5 || fail "Space did not pause"
	wait_for '^ *PID +USER' 5 || fail "no title line"
	title=$(cap | grep -nE '^ *PID +USER' | head -n 1 | cut -d: -f1)
	pidrow=$(cap | grep -nE "^ *$P2 " | head -n 1 | cut -d: -f1)
	[ -n "$title" ] && [ -n "$pidrow" ] || fail "no title line or row of $P2 to click"
	click_until "$P2" 3 "$pidrow" || fail "a click on the row of $P2 did not select it"
	send Space
	x=$(cap | sed -n "${title}p" | sed "s/▲/^/; s/▼/v/" | awk '{ print index($0, "RES") + 1 }')
	click "$x" "$title"
	wait_for 'Processes  sort RES' 5 || fail "a click on the RES title did not sort by it"
	click "$x" "$title"
	wait_for 'Processes  sort RES▲' 5 || fail "a second click on RES did not invert the sort"
	x=$(cap | sed -n "${title}p" | sed "s/▲/^/; s/▼/v/" | awk '{ print index($0, "OOM") + 1 }')
	click "$x" "$title"
	wait_for 'Processes  sort OOM' 5 || fail "a click on the OOM title did not sort by it"
	send Escape
	send Home
	click_until moved 3 $((title + 2)) 65 || fail "the wheel did not move the selection"
	bar=$(cap | grep -n '^F1Help' | cut -d: -f1)
	click 2 "$bar"
	wait_for 'this help' 5 || fail "a click on F1Help did not open the help"
	send -l q
	echo "ok ${cols}x$rows: mouse: row, title, wheel, key bar"

	# F2 setup: hide USER, move CGROUP to its place, sort by it, save with w:
	# the table and the config file show all three.
	send F2
	wait_for '^Setup: process columns' 5 || fail "F2 did not open the setup"
	send Home Down Space Down
	send -l '['
	send Enter
	wait_for '^ \[x\] CGROUP +sort' 5 || fail "F2: CGROUP did not move up and become the sort"
	wait_for '^ \[ \] USER' 5 || fail "F2: Space did not hide USER"
	send -l w
	wait_for 'layout saved to' 5 || fail "F2: w did not save"
	grep -q '^columns = PID,CGROUP,VIRT,RES,SWAP,OOM,ADJ,GORMAN' "$TMP/oomlensrc-$cols" ||
		fail "F2: the saved columns are not the setup's: $(grep columns "$TMP/oomlensrc-$cols")"
	grep -q '^sort = cgroup' "$TMP/oomlensrc-$cols" || fail "F2: the saved sort is not cgroup"
	send Escape
	wait_for '^ *PID +CGROUP' 5 || fail "F2: the table does not show the setup's columns"
	cap | grep -Eq '^ *PID +USER' && fail "F2: USER is still shown"
	echo "ok ${cols}x$rows: F2 setup: columns hidden, ordered, sorted, saved"

	# F10 quits.
	send F10
	wait_for '^oomlens-exited-0$' 10 || fail "F10 did not quit"
	echo "ok ${cols}x$rows: F10 quits"
}

keys_at 80 24
keys_at 300 60

# A short terminal drops the key bar and keeps the status line.
$T kill-session -t ui 2>/dev/null
tmux_session 80 10 <<EOF
"$OOMLENS" -d 0.5
EOF
wait_for '^ *PID ' 30 || fail "no table at 80x10"
wait_for 'h help +q quit' 5 || fail "no status line at 80x10"
cap | grep -q 'F1Help' && fail "the key bar is drawn at 80x10"
echo "ok 80x10: no key bar"

echo "PASS"
exit 0
