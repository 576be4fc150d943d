#!/bin/sh
# collector.sh - --collector auto falls back to /proc, and says why, where
# the bpf collector cannot be used: capabilities dropped (capsh drops
# cap_bpf, cap_perfmon and cap_sys_admin from the bounding set and from
# root's effective set), --read-only, --root; --collector bpf then fails
# with a one-line message and exit status 1; a bad --collector value is a
# usage error (2); the config file's collector = proc is obeyed.  With all
# of root's capabilities, auto picks bpf (so the fallback is not the only
# outcome) where the kernel allows it.
set -u
OOMLENS=${OOMLENS:-./oomlens}
DATA=${OOMLENS_DATA:-data}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

# top KEY FILE: the string value of a top-level JSON key ("null" for null).
top() {
	python3 -c 'import json,sys; v=json.load(open(sys.argv[2]))[sys.argv[1]]; print("null" if v is None else v)' "$1" "$2"
}

command -v capsh >/dev/null || { echo "SKIP: no capsh"; exit 77; }

"$OOMLENS" -b --no-config --format json >"$tmp/full" 2>"$tmp/err" || bad "auto as root: exit $?"
full=$(top collector "$tmp/full")
[ "$full" = bpf ] || [ "$full" = proc ] || { bad "no \"collector\" in the snapshot"; exit 1; }
if [ "$full" != bpf ]; then
	# A host where even root cannot load it: the reason says why, but then
	# the rest of this test shows nothing.
	echo "SKIP: the bpf collector is not usable here: $(top collector_reason "$tmp/full")"
	exit 77
fi
[ "$(top collector_reason "$tmp/full")" = null ] || bad "a reason although bpf was used"

drop="--drop=cap_bpf,cap_perfmon,cap_sys_admin"
capsh "$drop" -- -c "exec \"$OOMLENS\" -b --no-config --format json" >"$tmp/dropped" 2>"$tmp/err" ||
	bad "auto without the capabilities: exit $? ($(cat "$tmp/err"))"
[ "$(top collector "$tmp/dropped")" = proc ] || bad "auto without the capabilities: not proc"
case $(top collector_reason "$tmp/dropped") in
*CAP_BPF*CAP_PERFMON*CAP_SYS_ADMIN*) ;;
*) bad "the reason names the capabilities: $(top collector_reason "$tmp/dropped")" ;;
esac
capsh "$drop" -- -c "exec \"$OOMLENS\" -b --no-config" >"$tmp/text" 2>&1
head -n 1 "$tmp/text" | grep -q 'collector proc (no CAP_BPF' || bad "text header: $(head -n 1 "$tmp/text")"

capsh "$drop" -- -c "exec \"$OOMLENS\" -b --no-config --collector bpf" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || bad "--collector bpf without the capabilities: exit $rc, not 1"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^oomlens: --collector bpf: no CAP_BPF' "$tmp/err" ||
	bad "--collector bpf: one line saying why: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && bad "--collector bpf printed a snapshot it could not make"

"$OOMLENS" -b --no-config --format json --read-only >"$tmp/ro" 2>"$tmp/err" || bad "--read-only: exit $?"
[ "$(top collector "$tmp/ro")" = proc ] || bad "--read-only: not proc"
top collector_reason "$tmp/ro" | grep -q -- '--read-only' || bad "--read-only: the reason"

"$OOMLENS" -b --no-config --format json --collector proc >"$tmp/proc" || bad "--collector proc: exit $?"
[ "$(top collector "$tmp/proc")" = proc ] || bad "--collector proc: not proc"
[ "$(top collector_reason "$tmp/proc")" = null ] || bad "--collector proc: a reason though asked for"

"$OOMLENS" -b --no-config --collector ebpf >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || bad "--collector ebpf: exit $rc, not 2"
grep -q "invalid --collector 'ebpf'" "$tmp/err" || bad "--collector ebpf: $(cat "$tmp/err")"

printf 'collector = proc\n' >"$tmp/rc"
"$OOMLENS" -b --config "$tmp/rc" --format json >"$tmp/cfg" || bad "collector = proc: exit $?"
[ "$(top collector "$tmp/cfg")" = proc ] || bad "collector = proc in the config file: not obeyed"
"$OOMLENS" -b --config "$tmp/rc" --collector bpf --format json >"$tmp/cfg" || bad "--collector over the file: exit $?"
[ "$(top collector "$tmp/cfg")" = bpf ] || bad "--collector bpf does not override the config file"

[ $fail -eq 0 ] && echo PASS
exit $fail
