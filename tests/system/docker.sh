#!/bin/sh
# docker.sh - oomlens set on a real Docker container.
#
# Starts a private Docker engine (data root, exec root and socket under a
# mktemp directory; no networking, no firewall tables; the recipe of
# shared/reference/test-machine.md), runs a busybox container with
# --memory 64m, then:
#   - `oomlens set --cgroup NAME --memory 96m --memory-swap 192m --yes` goes
#     through the Engine API: docker inspect shows the new limit, and so does
#     the cgroup file;
#   - `oomlens set --cgroup /docker/<id> --direct ...` writes cgroupfs: the
#     file shows it, docker inspect does not (it would not survive a restart);
#   - `--cgroup /docker/<id>` without --direct is recognised as the container
#     and goes through the API;
#   - the audit file holds one line per step.
# Teardown always: docker rm -f, kill dockerd by its pidfile PID, wait,
# unmount what is left under the temporary directory, remove it.
# Skips (77) when dockerd is not installed, unless OOMLENS_REQUIRE_DOCKER=1.
set -u

OOMLENS=${OOMLENS:-$(pwd)/oomlens}
fails=0

skip() {
	if [ "${OOMLENS_REQUIRE_DOCKER:-0}" = 1 ]; then
		echo "FAIL (OOMLENS_REQUIRE_DOCKER=1): $1"
		exit 1
	fi
	echo "SKIP: $1"
	exit 77
}

check() { # check DESCRIPTION COMMAND...
	what=$1
	shift
	if "$@"; then
		echo "ok   $what"
	else
		echo "FAIL $what"
		fails=$((fails + 1))
	fi
}

command -v dockerd >/dev/null 2>&1 || skip "dockerd is not installed (Debian package docker.io)"
command -v docker >/dev/null 2>&1 || skip "the docker client is not installed (Debian package docker.io)"
BUSYBOX=$(command -v busybox 2>/dev/null || true)
[ -n "$BUSYBOX" ] || skip "busybox is not installed (Debian package busybox-static)"
if ldd "$BUSYBOX" >/dev/null 2>&1; then
	skip "$BUSYBOX is linked dynamically: a container needs busybox-static"
fi
[ "$(id -u)" = 0 ] || skip "a private Docker engine needs root"
[ -x "$OOMLENS" ] || skip "no oomlens binary at $OOMLENS"

S=$(mktemp -d /tmp/oomlens-docker.XXXXXX)
NAME=oomlens-test-$$
export DOCKER_HOST=unix://$S/docker.sock
export OOMLENS_AUDIT=$S/audit.log

cleanup() {
	if [ -S "$S/docker.sock" ]; then
		timeout 20 docker rm -f "$NAME" >/dev/null 2>&1
	fi
	if [ -f "$S/dockerd.pid" ]; then
		pid=$(cat "$S/dockerd.pid")
		kill "$pid" 2>/dev/null
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
	fi
	wait 2>/dev/null
	# Deepest mounts first.
	awk -v s="$S" '$2 == s || index($2, s "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$S"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

R=$S/rootfs
mkdir -p "$R/bin" "$R/etc" "$R/proc" "$R/sys" "$R/dev" "$R/tmp"
cp "$BUSYBOX" "$R/bin/busybox"
for a in $("$R/bin/busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$R/etc/passwd"
echo 'root:x:0:' >"$R/etc/group"
tar -C "$R" -cf "$S/rootfs.tar" .

dockerd --data-root "$S/data" --exec-root "$S/exec" --pidfile "$S/dockerd.pid" -H "$DOCKER_HOST" \
	--iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
	--exec-opt native.cgroupdriver=cgroupfs >"$S/dockerd.log" 2>&1 &
up=0
for _ in $(seq 1 120); do
	if docker version >/dev/null 2>&1; then
		up=1
		break
	fi
	sleep 0.25
done
if [ $up = 0 ]; then
	tail -5 "$S/dockerd.log"
	skip "the private Docker engine did not start (see above)"
fi

docker import "$S/rootfs.tar" oomlens-test-busybox:latest >/dev/null || skip "docker import failed"
if ! docker run -d --name "$NAME" --network none --memory 64m oomlens-test-busybox sleep 3600 >/dev/null; then
	tail -5 "$S/dockerd.log"
	echo "FAIL docker run"
	exit 1
fi
ID=$(docker inspect -f '{{.Id}}' "$NAME")
CPID=$(docker inspect -f '{{.State.Pid}}' "$NAME")
CG=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' "/proc/$CPID/cgroup")
MNT=$(awk '{ split($0, p, " - "); split(p[2], q, " ") }
	q[1] == "cgroup" && q[3] ~ /(^|,)memory(,|$)/ { print $5; exit }
	q[1] == "cgroup2" && !v2 { v2 = $5 } END { if (v2) print v2 }' /proc/self/mountinfo | head -1)
DIR=$MNT$CG
if [ -f "$DIR/memory.limit_in_bytes" ]; then LIMIT=memory.limit_in_bytes; else LIMIT=memory.max; fi
echo "container $NAME: id ${ID%"${ID#????????????}"}, cgroup $CG, files in $DIR"

inspect_memory() { docker inspect -f '{{.HostConfig.Memory}}' "$NAME"; }
inspect_swap() { docker inspect -f '{{.HostConfig.MemorySwap}}' "$NAME"; }

check "docker run --memory 64m: the cgroup file says 64m" [ "$(cat "$DIR/$LIMIT")" = 67108864 ]

# By name: through the Engine API, which persists.
out=$("$OOMLENS" set --cgroup "$NAME" --memory 96m --memory-swap 192m --yes 2>&1)
rc=$?
echo "$out" | sed 's/^/    /'
check "set --cgroup NAME: exit 0" [ $rc = 0 ]
check "set --cgroup NAME: says it went through the Docker Engine API" \
	sh -c 'echo "$1" | grep -q "Docker Engine API"' _ "$out"
check "docker inspect shows Memory 96m" [ "$(inspect_memory)" = 100663296 ]
check "docker inspect shows MemorySwap 192m" [ "$(inspect_swap)" = 201326592 ]
check "the cgroup file shows 96m" [ "$(cat "$DIR/$LIMIT")" = 100663296 ]

# By path with --direct: cgroupfs only; Docker does not know.
out=$("$OOMLENS" set --cgroup "$CG" --direct --memory 80m --yes 2>&1)
rc=$?
echo "$out" | sed 's/^/    /'
check "set --cgroup PATH --direct: exit 0" [ $rc = 0 ]
check "the cgroup file shows 80m" [ "$(cat "$DIR/$LIMIT")" = 83886080 ]
check "docker inspect still shows 96m: a direct write does not persist" [ "$(inspect_memory)" = 100663296 ]
check "the plan says a direct write does not persist" sh -c 'echo "$1" | grep -q "does not persist"' _ "$out"

# By path without --direct: recognised as the container, through the API.
out=$("$OOMLENS" set --cgroup "$CG" --memory 112m --yes 2>&1)
rc=$?
check "set --cgroup PATH of a container: through the API, exit 0" [ $rc = 0 ]
check "docker inspect shows 112m" [ "$(inspect_memory)" = 117440512 ]
check "the cgroup file shows 112m" [ "$(cat "$DIR/$LIMIT")" = 117440512 ]

# Refusals.
out=$("$OOMLENS" set --cgroup "$NAME" --memory 300m --yes 2>&1)
rc=$?
check "memory above memory-swap without --memory-swap: refused, unchanged" \
	sh -c '[ "$1" = 1 ] && [ "$(cat "$2")" = 117440512 ]' _ $rc "$DIR/$LIMIT"
out=$("$OOMLENS" set --cgroup no-such-container-$$ --memory 96m --yes 2>&1)
rc=$?
check "an unknown container name: refused with the engine's reason" \
	sh -c '[ "$1" = 1 ] && echo "$2" | grep -q "cannot resolve"' _ $rc "$out"

lines=$(wc -l <"$OOMLENS_AUDIT")
check "the audit file holds one line per step (6, has $lines)" [ "$lines" = 6 ]

# Names as the monitor shows them (issue 14): the 12-character id, the name.
ID12=${ID%"${ID#????????????}"}
out=$("$OOMLENS" set --cgroup "$ID12" --memory 120m --yes 2>&1)
rc=$?
echo "$out" | sed 's/^/    /'
check "set --cgroup ID12: exit 0" [ $rc = 0 ]
check "set --cgroup ID12: docker inspect shows 120m" [ "$(inspect_memory)" = 125829120 ]
for what in "$ID12" "$NAME"; do
	out=$("$OOMLENS" fits 1m --cgroup "$what" --format json 2>&1)
	rc=$?
	check "fits --cgroup $what: about the container's cgroup" \
		sh -c '[ "$1" != 2 ] && echo "$2" | grep -qF "\"path\":\"$3\""' _ $rc "$out" "$CG"
done

# -p NAME (issue 14, item 4): the container's processes, as its cgroup lists them, none other.
want=$(sort -n "$DIR/cgroup.procs" | tr '\n' ' ')
for what in "$ID12" "$NAME"; do
	out=$("$OOMLENS" -b -n 1 -p "$what" --format csv 2>&1)
	rc=$?
	got=$(echo "$out" | awk -F, 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' | sort -n | tr '\n' ' ')
	echo "    -p $what: $got (the cgroup: $want)"
	check "-p $what: the container's processes, no other" \
		sh -c '[ "$1" = 0 ] && [ -n "$2" ] && [ "$2" = "$3" ]' _ $rc "$got" "$want"
done

[ $fails = 0 ] || {
	echo "$fails failure(s)"
	exit 1
}
exit 0
