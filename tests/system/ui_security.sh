#!/bin/sh
# ui_security.sh - the monitor's side of issue 12, in tmux:
# 1. a fake Docker Engine API (Python's http.server on a unix socket in the
#    temp dir) names the container of a test cgroup
#    "evil<U+202E>gnp.exe<ESC>[31m"; the m dialog's title must hold
#    \u{202e} and \x1b, never the raw right-to-left override or ESC;
# 2. with OOMLENS_READ_ONLY=1 the monitor runs with CapEff 0 and NoNewPrivs
#    1 (/proc/PID/status) and o is unavailable;
# 3. a set-user-ID copy run by nobody refuses o and k, saying why, and
#    creates no --audit-file.
#
# Exit 77 (skip) without tmux; the test needs a v1 memory cgroup under our
# own (skip unless OOMLENS_REQUIRE_CGROUP=1).  Everything goes away in the
# trap: the sleeper and the engine by PID, the cgroups by path.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-sec oomlens-ui-sec
unset OOMLENS_AUDIT OOMLENS_READ_ONLY
CGKID=""
ENGINE=""
SUB=""
OWN_PIDS="CGKID ENGINE"
ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

sec_cleanup() {
	kill $CGKID $ENGINE 2>/dev/null
	wait $CGKID $ENGINE 2>/dev/null
	CGKID=""
	ENGINE=""
	if [ -n "$SUB" ] && [ -d "$SUB" ]; then
		i=0
		until rmdir "$SUB" 2>/dev/null || [ $i -ge 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	tmux_cleanup
}
trap sec_cleanup EXIT
# A reader that goes away (| head) must not kill the test before its clean-up.
trap 'exit 1' INT TERM HUP PIPE

if ! memcg_make "oomlens-test-sec-ui-$$" 64M; then
	memcg_skip_part
	exit 77
fi
SUB=$CG/$ID
mkdir "$SUB" || fail "cannot make $SUB"
cp /bin/sleep "$TMP/olsec-kid"
"$TMP/olsec-kid" 300 &
CGKID=$!
echo "$CGKID" >"$SUB/cgroup.procs" || fail "cannot move $CGKID into $SUB"

python3 - "$TMP/engine.sock" "$ID" <<'PY' &
import http.server, json, socketserver, sys
sock, cid = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def address_string(self): return "fake"
    def do_GET(self):
        if self.path.startswith("/containers/json"):
            body = json.dumps([{"Id": cid, "Names": ["/evil\u202egnp.exe\x1b[31m"]}]).encode()
            self.send_response(200)
        else:
            body = b'{"message": "No such container"}'
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class S(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
S(sock, H).serve_forever()
PY
ENGINE=$!
i=0
while ! [ -S "$TMP/engine.sock" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

tmux_session 320 45 <<EOF
DOCKER_HOST=unix://$TMP/engine.sock "$OOMLENS" -d 0.5 --audit-file "$TMP/audit.log"
EOF
wait_for '^ *PID +USER' 30 || fail "no process table"
filter -u 'oomlens-test-sec-' "ui-$$"
wait_for "filter \"oomlens-test-sec-u[i]-$$\"" 10 || fail "the filter prompt did not close"
$T send-keys -t ui -l 'c'
wait_for '^CGROUP / PROCESS' 10 || fail "c did not open the container view"
wait_for "$CGKID olsec-kid" 20 || fail "the container's process $CGKID is not shown"
$T send-keys -t ui End
$T send-keys -t ui Up
$T send-keys -t ui -l 'm'
wait_for '^Memory limits of ' 10 || fail "m did not open the form"
wait_for 'container evil' 10 || fail "the form does not name the container"
line=$(cap | grep '^Memory limits of ')
case $line in
*"$(printf '\342\200\256')"*) fail "the raw U+202E reached the terminal: $line" ;;
esac
printf '%s' "$line" | grep -q "$(printf '\033')" && fail "a raw ESC reached the terminal"
printf '%s\n' "$line" | grep -Fq 'evil\u{202e}gnp.exe\x1b[31m' ||
	fail "the name is not shown escaped: $line"
echo "ok the m dialog shows the engine's container name escaped"
$T send-keys -t ui Escape
$T send-keys -t ui -l 'q'
wait_for '^oomlens-exited-0$' 10 || fail "q did not end oomlens"

# 2. OOMLENS_READ_ONLY=1: the monitor runs without capabilities (item 3).
$T send-keys -t ui "clear; sh -c 'echo \$\$ >$TMP/ro.pid; exec env OOMLENS_READ_ONLY=1 $OOMLENS -d 0.5'; echo ro-exited-\$?" Enter
wait_for '^ *PID +USER' 30 || fail "the monitor with OOMLENS_READ_ONLY=1 did not start"
ro=$(cat "$TMP/ro.pid")
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$ro/status")
nnp=$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$ro/status")
[ "$capeff" = 0000000000000000 ] && [ "$nnp" = 1 ] ||
	fail "OOMLENS_READ_ONLY=1: the monitor has CapEff $capeff, NoNewPrivs $nnp"
$T send-keys -t ui -l 'o'
wait_for '^o: unavailable: --read-only' 5 || fail "o is not unavailable with OOMLENS_READ_ONLY=1"
echo "ok OOMLENS_READ_ONLY=1: the monitor has CapEff 0, NoNewPrivs 1, o unavailable"
$T send-keys -t ui -l 'q'
wait_for '^ro-exited-0$' 10 || fail "q did not end oomlens"

# 3. A set-user-ID copy run by nobody: the keys that act are refused, no audit file (item 1).
cp "$OOMLENS" "$TMP/oomlens-suid"
chmod 4755 "$TMP/oomlens-suid"
chmod 755 "$TMP"
$T send-keys -t ui "clear; setpriv --reuid=65534 --regid=65534 --clear-groups $TMP/oomlens-suid -d 0.5 --audit-file $TMP/evil.log; echo suid-exited-\$?" Enter
wait_for '^ *PID +USER' 30 || fail "the set-user-ID monitor did not start"
for k in o k; do
	$T send-keys -t ui -l "$k"
	wait_for "^$k: unavailable: oomlens runs set-user-ID" 5 || fail "$k is not refused when set-user-ID"
done
[ -e "$TMP/evil.log" ] && fail "the set-user-ID monitor created its --audit-file"
echo "ok a set-user-ID monitor run by nobody refuses o and k"
$T send-keys -t ui -l 'q'
wait_for '^suid-exited-0$' 10 || fail "q did not end oomlens"
exit 0
