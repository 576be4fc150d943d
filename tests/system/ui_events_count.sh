#!/bin/sh
# ui_events_count.sh - issue 13, item 6: the event pane's count agrees
# with the header's oom_kill, as root and as an unprivileged user.  The
# pane's first line says how many kills it lists and the host's oom_kill
# since boot (which must be /proc/vmstat's); any difference is given on the
# next line with the reason ("not listed: ..."), so listed + not listed =
# oom_kill.  As nobody (kernel.dmesg_restrict keeps /dev/kmsg from it) the
# pane must say why the log cannot show them.
#
# Exit 77 (skip) without tmux or setpriv.  The trap ends the tmux server
# and removes the temp dir; nothing else is created.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-evc oomlens-ui-evc
command -v setpriv >/dev/null 2>&1 || { echo "SKIP: no setpriv"; exit 77; }
chmod 755 "$TMP"

# check LABEL: the pane's arithmetic against /proc/vmstat, retried while kills happen.
check() {
	n=0
	while :; do
		k=$(awk '/^oom_kill / { print $2 }' /proc/vmstat)
		head=$(cap | grep -E '^[0-9]+ OOM kills? in the log' | head -n 1)
		listed=$(echo "$head" | sed -n 's/^\([0-9]*\) OOM kill.*/\1/p')
		shown_k=$(echo "$head" | sed -n 's/.* of oom_kill \([0-9]*\) since boot.*/\1/p')
		unshown=$(cap | sed -n 's/^ *\([0-9]*\) not listed: .*/\1/p' | head -n 1)
		[ -n "$unshown" ] || unshown=0
		if [ -n "$listed" ] && [ "$shown_k" = "$k" ] && [ $((listed + unshown)) -eq "$k" ]; then
			echo "ok $1: $listed listed + $unshown not listed = oom_kill $k"
			return 0
		fi
		n=$((n + 1))
		[ $n -lt 50 ] || fail "$1: pane says '$head' and $unshown not listed; /proc/vmstat oom_kill $k"
		sleep 0.2
	done
}

# 1. As root.
$T new-session -d -s ui -x 200 -y 40 "\"$OOMLENS\" -d 1" || fail "tmux did not start"
wait_for '^ *PID +USER' 30 || fail "no process table"
$T send-keys -t ui -l e
wait_for 'OOM kills? in the log' 10 || fail "e did not open the event pane"
check root
$T send-keys -t ui -l q
wait_gone 'OOM kills? in the log' 10 || fail "q did not end the monitor"
$T kill-server 2>/dev/null

# 2. As nobody: /dev/kmsg unreadable with kernel.dmesg_restrict=1.
cp "$OOMLENS" "$TMP/oomlens"
chmod 755 "$TMP/oomlens"
$T new-session -d -s ui -x 200 -y 40 \
	"HOME=$TMP setpriv --reuid 65534 --regid 65534 --clear-groups \"$TMP/oomlens\" -d 1" ||
	fail "tmux did not start"
wait_for '^ *PID +USER' 30 || fail "no process table as nobody"
$T send-keys -t ui -l e
wait_for 'OOM kills? in the log' 10 || fail "e did not open the event pane as nobody"
check nobody
if [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" = 1 ]; then
	wait_for '/dev/kmsg cannot be read' 5 || fail "as nobody, the pane does not say the log cannot be read"
	k=$(awk '/^oom_kill / { print $2 }' /proc/vmstat)
	if [ "$k" -gt 0 ]; then
		wait_for 'not listed: the kernel log cannot be read' 5 ||
			fail "as nobody, the pane does not say why $k kills are not listed"
	fi
	echo "ok nobody: the pane says why the log cannot list the kills"
fi
$T send-keys -t ui -l q
exit 0
