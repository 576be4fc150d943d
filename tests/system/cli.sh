#!/bin/sh
# The command line as a user meets it: every kind of bad input exits 2 with
# exactly one line on standard error and nothing on standard output;
# --help and --version exit 0 on standard output.
set -u
OOMLENS=${OOMLENS:-./oomlens}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

bad() {
	"$OOMLENS" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || [ -s "$tmp/out" ] ||
	   ! grep -q '^oomlens: ' "$tmp/err"; then
		echo "FAIL: oomlens $*: status $rc, $lines stderr lines:" >&2
		cat "$tmp/err" >&2
		fail=1
	else
		echo "ok: oomlens $* -> 2: $(cat "$tmp/err")"
	fi
}

good() {
	want=$1
	shift
	"$OOMLENS" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ] || ! grep -q -- "$want" "$tmp/out"; then
		echo "FAIL: oomlens $*: status $rc, stdout lacks '$want'" >&2
		cat "$tmp/err" >&2
		fail=1
	else
		echo "ok: oomlens $* -> 0"
	fi
}

bad -b -n abc
bad -b -n -1
bad -b -n 1.5
bad -b -d -1
bad -b -d x
bad -b -d nan
bad -b -d inf
bad -b --format xml
bad -b --sort nosuch
bad -b -o nosuch
bad -b -p 0
bad -b -p 1,x
# Twelve digits cannot be a PID (at most 7): it is looked up as a container's
# short id, which may be all digits, not refused as a bad PID.
bad -b -p 123456789012
grep -q "no such process ID, container or cgroup" "$tmp/err" ||
	{ echo "FAIL: -p 123456789012 was not looked up as a container id: $(cat "$tmp/err")" >&2; fail=1; }
bad --bogus
bad -b extra
bad -b -n
bad --root ''

good '^Usage: oomlens' --help
good '^Usage: oomlens' -h
good '^oomlens [0-9]' --version
good '^oomlens [0-9]' -V
good 'pid,ppid,uid,euid,comm' -b -n 1 --format csv -p 1

[ $fail -eq 0 ] && echo "cli: all checks passed"
exit $fail
