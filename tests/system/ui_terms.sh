#!/bin/sh
# ui_terms.sh - terminals without colour or without cursor addressing
# (issue 14): TERM=dumb is refused with the same one-line hint as an
# unknown TERM (it drew a blank screen), and with NO_COLOR, and on a
# vt100, the selected row stays in reverse video when it is also the
# host's next victim (marked '*', drawn bold), so k never targets a row
# the operator cannot see.  The attributes are read from tmux's copy of
# the screen (capture-pane -e, one line at a time so no attribute carries
# over from the line above).
#
# Exit 77 (skip) without tmux.  The tmux server and the temp dir go away
# in the trap.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-test-terms oomlens-terms

# 1. TERM=dumb and an unknown TERM: the same hint, status 1, at once.
tmux_session 80 24 <<EOF
TERM=oomlens-no-such-term "$OOMLENS"
TERM=dumb "$OOMLENS"
EOF
wait_for 'cannot use the terminal "oomlens-no-such-term"; use -b for batch output' 10 ||
	fail "an unknown TERM was not refused"
wait_for 'cannot use the terminal "dumb"; use -b for batch output' 10 ||
	fail "TERM=dumb was not refused"
wait_for '^oomlens-exited-1$' 5 || fail "the refusal did not exit with status 1"
echo "ok TERM=dumb refused as an unknown TERM is"

# 2. The selected victim row in reverse video, without colour.
victim_row() {
	$T kill-session -t ui 2>/dev/null
	tmux_session 100 30 <<EOF
$1 "$OOMLENS" -d 0.5
EOF
	wait_for '^ *\*[0-9]+ ' 30 || fail "$1: no victim row"
	# Pause, then move the selection down onto the victim's row.
	$T send-keys -t ui Space Home
	sleep 1
	title=$(cap | grep -nE '^ *PID ' | head -n 1 | cut -d: -f1)
	y=$(cap | grep -nE '^ *\*[0-9]+ ' | head -n 1 | cut -d: -f1)
	[ -n "$y" ] && [ -n "$title" ] || fail "$1: no victim row after Home"
	i=$((title + 1))
	while [ "$i" -lt "$y" ]; do
		$T send-keys -t ui Down
		i=$((i + 1))
	done
	sleep 1
	cap | sed -n "${y}p" | grep -qE '^ *\*[0-9]+ ' || fail "$1: the victim row moved"
	line=$($T capture-pane -e -p -t ui -S $((y - 1)) -E $((y - 1)))
	esc=$(printf '\033')
	printf '%s\n' "$line" | grep -Eq "^$esc\\[([0-9]*;)*7[;m]" ||
		fail "$1: the selected victim row is not in reverse video: $(printf '%s' "$line" | cat -v)"
	echo "ok $1: the selected victim row is in reverse video"
}
victim_row "NO_COLOR=1 TERM=xterm-256color"
victim_row "NO_COLOR=1 TERM=vt100"
victim_row "TERM=vt100"

echo "PASS"
exit 0
