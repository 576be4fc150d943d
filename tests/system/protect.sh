#!/bin/sh
# --protect: a running oomlens has its memory locked (VmLck above 0) or said
# why not, has nice -10 or said why not, and has the oom_score_adj it was
# started with; whatever it could not do, it said once on standard error,
# and it still wrote its snapshot and exited 0.  As root, the same once more
# as nobody without capabilities, where both must fail and be explained.
# No config file is read (--no-config), so only --protect speaks.
set -u
OOMLENS=${OOMLENS:-./oomlens}
tmp=$(mktemp -d) || exit 1
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0

say_fail() {
	echo "FAIL: $*" >&2
	fail=1
}

# Every stderr line is an --protect explanation, and none is repeated.
check_messages() { # file
	if grep -v '^oomlens: --protect: .*; carrying on$' "$1" | grep -q .; then
		say_fail "unexpected standard error:"
		cat "$1" >&2
	fi
	if [ "$(sort "$1" | uniq -d | wc -l)" -ne 0 ]; then
		say_fail "a message was repeated:"
		cat "$1" >&2
	fi
}

# 1. One snapshot: it still works.
if ! "$OOMLENS" --no-config -b -n 1 --protect >"$tmp/out" 2>"$tmp/err" || ! [ -s "$tmp/out" ]; then
	say_fail "oomlens -b -n 1 --protect did not write a snapshot and exit 0"
	cat "$tmp/err" >&2
else
	echo "ok: oomlens -b -n 1 --protect wrote a snapshot and exited 0"
fi
check_messages "$tmp/err"

# 2. A longer run, looked at from outside while it runs.
adj_before=$(cat /proc/self/oom_score_adj)
nice_before=$(nice)
"$OOMLENS" --no-config -b -n 8 -d 0.5 --protect --format csv >/dev/null 2>"$tmp/err2" &
pid=$!
vmlck=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	sleep 0.1
	vmlck=$(awk '$1 == "VmLck:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
	[ -n "$vmlck" ] && [ "$vmlck" -gt 0 ] && break
done
stat=$(cat "/proc/$pid/stat" 2>/dev/null)
adj=$(cat "/proc/$pid/oom_score_adj" 2>/dev/null)
if [ -z "$stat" ] || [ -z "$adj" ]; then
	say_fail "oomlens -b -n 8 -d 0.5 --protect ended before it could be looked at"
else
	# Field 19 is the nice value; count from after the ") " that ends comm.
	nice_now=$(echo "${stat##*) }" | awk '{ print $17 }')
	if [ "${vmlck:-0}" -gt 0 ]; then
		echo "ok: VmLck is $vmlck kB"
	elif grep -q 'cannot lock memory' "$tmp/err2"; then
		echo "ok: memory not locked, and said why: $(grep 'cannot lock memory' "$tmp/err2")"
	else
		say_fail "VmLck is ${vmlck:-unknown} kB and no reason was given"
	fi
	want_nice=-10
	[ "$nice_before" -lt -10 ] && want_nice=$nice_before
	if [ "$nice_now" -eq "$want_nice" ]; then
		echo "ok: nice went from $nice_before to $nice_now"
	elif [ "$nice_now" -eq "$nice_before" ] && grep -q 'cannot raise the scheduling priority' "$tmp/err2"; then
		echo "ok: nice stayed $nice_now, and said why"
	else
		say_fail "nice is $nice_now (was $nice_before) and no reason was given"
	fi
	if [ "$adj" = "$adj_before" ]; then
		echo "ok: oom_score_adj unchanged ($adj)"
	else
		say_fail "oom_score_adj changed from $adj_before to $adj"
	fi
fi
if ! wait "$pid"; then
	say_fail "oomlens -b -n 8 -d 0.5 --protect did not exit 0"
fi
pid=
check_messages "$tmp/err2"

# 3. Without privileges, both fail, are explained once each, and it carries on.
if [ "$(id -u)" -ne 0 ]; then
	echo "skip: not root, the unprivileged case was covered above"
elif ! command -v setpriv >/dev/null 2>&1; then
	echo "skip: no setpriv (util-linux) to drop privileges"
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$OOMLENS"; then
	echo "skip: nobody cannot run $OOMLENS"
else
	if ! (ulimit -l 0 && setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$OOMLENS" --no-config -b -n 1 --protect) \
		>"$tmp/out3" 2>"$tmp/err3" || ! [ -s "$tmp/out3" ]; then
		say_fail "unprivileged oomlens -b -n 1 --protect did not write a snapshot and exit 0"
		cat "$tmp/err3" >&2
	fi
	check_messages "$tmp/err3"
	if grep -q 'cannot lock memory' "$tmp/err3" &&
	   grep -q 'cannot raise the scheduling priority' "$tmp/err3"; then
		echo "ok: unprivileged, both explained:"
		sed 's/^/    /' "$tmp/err3"
	else
		say_fail "unprivileged, expected both failures explained, got:"
		cat "$tmp/err3" >&2
	fi
fi
exit $fail
