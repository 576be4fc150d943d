#!/bin/sh
# ui_actions.sh - the monitor's actions as an operator uses them, in tmux:
# o sets a test child's oom_score_adj to 500 (the plan, the confirmation,
# the read-back on the screen and in /proc); o with -5 shows the
# CAP_SYS_RESOURCE warning, needs a typed "yes", and the kernel's refusal
# leaves the file at 500; m on a test memory cgroup's row sets --memory 48m
# (memory.limit_in_bytes 50331648, shown read back); k with KILL needs a
# second confirmation and Esc leaves the child alive; k with TERM ends it;
# the audit file (--audit-file) holds one line per attempt; and with
# --read-only the keys say they are unavailable, and the help marks them.
#
# Exit 77 (skip) without tmux.  The cgroup part is skipped when no v1
# memory cgroup can be made under our own, unless OOMLENS_REQUIRE_CGROUP=1.
# Everything the test creates goes away in the trap, by PID and path only.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-act oomlens-ui-act
unset OOMLENS_AUDIT
AUDIT=$TMP/audit.log
PROBE=""
VICTIM=""
CGKID=""
OWN_PIDS="PROBE VICTIM CGKID"

on_fail() {
	echo "--- the audit file:"
	cat "$AUDIT" 2>/dev/null
}

# audit_lines: the number of lines in the audit file.
audit_lines() {
	if [ -f "$AUDIT" ]; then
		wc -l <"$AUDIT" | tr -d ' '
	else
		echo 0
	fi
}

cp /bin/sleep "$TMP/olact-probe"
"$TMP/olact-probe" 300 &
PROBE=$!
cp /bin/sleep "$TMP/olact-victim"
"$TMP/olact-victim" 300 &
VICTIM=$!

# A v1 memory cgroup with a 64M limit under our own, with a sleeping child in it.
if memcg_make "oomlens-test-ui-act-$$" 64M && memcg_sleeper olact-cgkid; then
	HAVE_CG=1
else
	HAVE_CG=0
	memcg_skip_part
fi

tmux_session 160 45 <<EOF
sh -c 'echo \$\$ >"$TMP/oomlens.pid"; exec "$OOMLENS" -d 0.5 --audit-file "$AUDIT"'
EOF
wait_for '^ *PID +USER' 30 || fail "no process table"

# 1. o: oom_score_adj 500 on the probe, confirmed, read back.
filter -u 'olact-' 'probe'
wait_for "^ *\\*?$PROBE .*olact-pro[b]e" 20 || fail "the filter did not show the probe $PROBE"
wait_for 'filter "olact-pro[b]e"' 10 || fail "the filter prompt did not close"
old=$(cat /proc/$PROBE/oom_score_adj)
$T send-keys -t ui -l 'o'
wait_for "oom_score_adj of PID $PROBE \\(olact-pro[b]e\\), -1000\\.\\.1000: *$" 10 ||
	fail "o did not ask for the probe's oom_score_adj"
$T send-keys -t ui C-u
$T send-keys -t ui -l '500'
$T send-keys -t ui Enter
wait_for '^Change oom_score_adj' 10 || fail "no plan for oom_score_adj"
wait_for "step 1 +/proc/$PROBE/oom_score_adj" 5 || fail "the plan does not name /proc/$PROBE/oom_score_adj"
wait_for "^ +$old -> 500" 5 || fail "the plan does not show $old -> 500"
[ "$(cat /proc/$PROBE/oom_score_adj)" = "$old" ] || fail "oom_score_adj changed before the confirmation"
$T send-keys -t ui Enter
wait_for '^ +done: now 500' 10 || fail "no read-back 'done: now 500' on the screen"
wait_for 'Done: every step applied and read back' 5 || fail "no summary after applying"
[ "$(cat /proc/$PROBE/oom_score_adj)" = 500 ] ||
	fail "/proc/$PROBE/oom_score_adj is $(cat /proc/$PROBE/oom_score_adj), not 500"
$T send-keys -t ui Escape
wait_for '^ *PID +USER' 10 || fail "a key did not close the read-back"
# A change forces a full read at once: the row shows ADJ 500 within a refresh or
# two, not after the up-to-5-refresh age of the cached columns.
wait_for "^ *\\*?$PROBE +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +[0-9-]+ +500 " 1 ||
	fail "the probe's row does not show ADJ 500 within 1 s of the change"
[ "$(audit_lines)" = 1 ] || fail "the audit file has $(audit_lines) lines after one attempt"
grep -q "\"target\":\"pid:$PROBE:" "$AUDIT" || fail "the audit line does not name pid $PROBE"
echo "ok o: oom_score_adj $old -> 500, read back, /proc agrees, audited"

# 2. o -5: lowering needs CAP_SYS_RESOURCE: a warning, a typed yes, the kernel's refusal.
if grep -q '^CapEff:' /proc/self/status &&
	[ $(( 0x$(awk '/^CapEff:/ { print $2 }' /proc/self/status) >> 24 & 1 )) -eq 0 ]; then
	$T send-keys -t ui -l 'o'
	wait_for "oom_score_adj of PID $PROBE .*: *$" 10 || fail "o did not ask again"
	$T send-keys -t ui C-u
	$T send-keys -t ui -l -- '-5'
	$T send-keys -t ui Enter
	wait_for '^ +500 -> -5' 10 || fail "the plan does not show 500 -> -5"
	wait_for 'WARNING +lowering oom_score_adj to -5 needs CAP_SYS_RESOURCE' 5 ||
		fail "no CAP_SYS_RESOURCE warning"
	$T send-keys -t ui Enter
	wait_for 'Apply despite the warnings\?' 5 || fail "a warning did not ask for a second confirmation"
	$T send-keys -t ui -l 'y'
	$T send-keys -t ui Enter
	wait_for 'type yes \(and Enter\)' 5 || fail "'y' alone was taken as the second confirmation"
	[ "$(cat /proc/$PROBE/oom_score_adj)" = 500 ] || fail "oom_score_adj changed without the typed yes"
	$T send-keys -t ui -l 'yes'
	$T send-keys -t ui Enter
	wait_for '^ +failed$' 10 || fail "no 'failed' read-back after the kernel's refusal"
	wait_for 'needs CAP_SYS_RESOURCE' 5 || fail "the failure does not name CAP_SYS_RESOURCE"
	[ "$(cat /proc/$PROBE/oom_score_adj)" = 500 ] ||
		fail "/proc/$PROBE/oom_score_adj is $(cat /proc/$PROBE/oom_score_adj) after the refusal"
	$T send-keys -t ui Escape
	wait_for '^ *PID +USER' 10 || fail "a key did not close the read-back"
	[ "$(audit_lines)" = 2 ] || fail "the audit file has $(audit_lines) lines after two attempts"
	echo "ok o -5: CAP_SYS_RESOURCE warning, typed yes, EACCES shown, file stays 500"
else
	echo "SKIP o -5: this process holds CAP_SYS_RESOURCE, the kernel would accept it"
	$T send-keys -t ui -l 'o'
	wait_for "oom_score_adj of PID $PROBE" 10 || fail "o did not ask again"
	$T send-keys -t ui Escape
fi
n_audit=$(audit_lines)

# 3. m on the test cgroup's row in the container view: --memory 48m.
if [ "$HAVE_CG" = 1 ]; then
	filter -u 'oomlens-test-ui-' "act-$$"
	wait_for "filter \"oomlens-test-ui-ac[t]-$$\"" 10 || fail "the filter prompt did not close"
	$T send-keys -t ui -l 'c'
	wait_for '^CGROUP / PROCESS' 10 || fail "c did not open the container view"
	wait_for "$CGKID olact-cgkid" 20 || fail "the cgroup's process $CGKID is not shown"
	$T send-keys -t ui End
	$T send-keys -t ui Up
	$T send-keys -t ui -l 'm'
	wait_for "^Memory limits of .*/oomlens-test-ui-ac[t]-$$ \\(cgroup v1\\)" 10 ||
		fail "m did not open the form of oomlens-test-ui-act-$$"
	wait_for '^> --memory +\[_' 5 || fail "the form does not start on --memory"
	wait_for '^ +--memory-high +not available on cgroup v1' 5 || fail "the form does not mark v2-only fields"
	wait_for 'now 64m \(67108864\)' 5 || fail "the form does not show the current 64m"
	$T send-keys -t ui -l '48m'
	$T send-keys -t ui Enter
	wait_for '^Memory limits' 5 || fail "no plan after the form"
	wait_for "step 1 +.*/oomlens-test-ui-ac[t]-$$/memory\\.limit_in_bytes" 10 ||
		fail "the plan does not name memory.limit_in_bytes"
	wait_for '64m \(67108864\) -> 48m \(50331648\)' 5 || fail "the plan does not show 64m -> 48m"
	wait_for 'note +a direct cgroupfs write' 5 || fail "the plan does not say how the write persists"
	[ "$(cat "$CG/memory.limit_in_bytes")" = 67108864 ] || fail "the limit changed before the confirmation"
	$T send-keys -t ui -l 'y'
	wait_for '^ +done: now 48m \(50331648\)' 10 || fail "no read-back 'done: now 48m (50331648)'"
	[ "$(cat "$CG/memory.limit_in_bytes")" = 50331648 ] ||
		fail "memory.limit_in_bytes is $(cat "$CG/memory.limit_in_bytes"), not 50331648"
	$T send-keys -t ui Escape
	wait_for "oomlens-test-ui-ac[t]-$$ +[0-9.]+[BKMGT]? +48M " 10 ||
		fail "the container view does not show the new 48M limit"
	n_audit=$((n_audit + 1))
	[ "$(audit_lines)" = "$n_audit" ] || fail "the audit file has $(audit_lines) lines, not $n_audit"
	$T send-keys -t ui -l 'c'
	wait_for '^ *PID +USER' 10 || fail "c did not return to the process table"
	echo "ok m: --memory 48m on oomlens-test-ui-act-$$, memory.limit_in_bytes 50331648"
fi

# 4. k: KILL needs a second confirmation (Esc: the child lives); TERM ends it.
filter -u 'olact-' 'victim'
wait_for "^ *\\*?$VICTIM .*olact-vic[t]im" 20 || fail "the filter did not show the victim $VICTIM"
wait_for 'filter "olact-vic[t]im"' 10 || fail "the filter prompt did not close"
$T send-keys -t ui -l 'k'
wait_for "Signal to PID $VICTIM .*: TERM" 10 || fail "k did not offer TERM"
$T send-keys -t ui C-u
$T send-keys -t ui -l 'KILL'
$T send-keys -t ui Enter
wait_for 'SIGKILL \(9\)' 10 || fail "no SIGKILL plan"
wait_for 'WARNING +SIGKILL cannot be caught' 5 || fail "no warning for SIGKILL"
$T send-keys -t ui Enter
wait_for 'Apply despite the warnings\?' 5 || fail "SIGKILL did not ask for a second confirmation"
$T send-keys -t ui Escape
wait_for '^ *PID +USER' 10 || fail "Esc did not cancel"
sleep 0.3
kill -0 "$VICTIM" 2>/dev/null && [ "$(awk '{ print $3 }' /proc/$VICTIM/stat)" != Z ] ||
	fail "the victim died without the second confirmation"
n_audit=$((n_audit + 1))
[ "$(audit_lines)" = "$n_audit" ] || fail "the declined SIGKILL is not audited ($(audit_lines) lines)"
tail -n 1 "$AUDIT" | grep -q '"result":"declined"' || fail "the last audit line is not 'declined'"

$T send-keys -t ui -l 'k'
wait_for "Signal to PID $VICTIM .*: TERM" 10 || fail "k did not offer TERM again"
$T send-keys -t ui Enter
wait_for 'SIGTERM \(15\)' 10 || fail "no SIGTERM plan"
$T send-keys -t ui Enter
wait_for '^ +done' 10 || fail "no read-back after SIGTERM"
# Ended: a zombie, or already reaped by the shell (which keeps its status for wait).
ended() {
	[ ! -e /proc/$VICTIM/stat ] || [ "$(awk '{ print $3 }' /proc/$VICTIM/stat 2>/dev/null)" = Z ]
}
n=50
while [ "$n" -gt 0 ] && ! ended; do
	sleep 0.1
	n=$((n - 1))
done
ended || fail "SIGTERM did not end $VICTIM"
wait "$VICTIM"
rc=$?
VICTIM=""
[ "$rc" = 143 ] || fail "the victim ended with status $rc, not 143 (SIGTERM)"
$T send-keys -t ui Escape
n_audit=$((n_audit + 1))
[ "$(audit_lines)" = "$n_audit" ] || fail "the audit file has $(audit_lines) lines, not $n_audit"
echo "ok k: KILL needs a second yes (Esc: alive), TERM ends the child (status 143)"

# 5. The audit file: one JSON line per attempt.
python3 - "$AUDIT" "$n_audit" <<'EOF' || fail "the audit file is not one JSON object per attempt"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == int(sys.argv[2]), (len(lines), sys.argv[2])
for l in lines:
    o = json.loads(l)
    assert o["result"] in ("done", "failed", "declined", "refused"), o
EOF
echo "ok audit: $n_audit lines, one per attempt"

# 6. --read-only: the keys say they are unavailable; the help marks them.
$T send-keys -t ui -l 'q'
wait_for '^oomlens-exited-0$' 10 || fail "q did not end oomlens"
$T send-keys -t ui "clear; \"$OOMLENS\" -d 0.5 --read-only --audit-file \"$AUDIT\"" Enter
wait_for '^ *PID +USER' 30 || fail "the read-only monitor did not start"
for k in o m k; do
	$T send-keys -t ui -l "$k"
	wait_for "^$k: unavailable: --read-only" 5 || fail "$k does not say unavailable under --read-only"
done
$T send-keys -t ui -l 'h'
wait_for '^  o +set the selected process.*\[unavailable: --read-only\]' 10 ||
	fail "the help does not mark o as unavailable"
cap | grep -Eq '^  m +.*\[unavailable: --read-only\]' || fail "the help does not mark m"
cap | grep -Eq '^  k +.*\[unavailable: --read-only\]' || fail "the help does not mark k"
$T send-keys -t ui Escape
$T send-keys -t ui -l 'q'
[ "$(audit_lines)" = "$n_audit" ] || fail "--read-only wrote to the audit file"
echo "ok --read-only: o, m, k unavailable, marked in the help"

echo "PASS"
exit 0
