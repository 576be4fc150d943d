#!/bin/sh
# ui_tmpfs.sh - issue 13, item 4: the monitor's headline never counts as
# available what cannot be freed.  2 GiB written to a tmpfs mounted inside
# the test's temp dir must make the headline figure ("2.4 avail [...] X of
# Y") drop by at least 1.5 GiB (2.4 counted tmpfs as page cache; Shmem is
# shown as its own, held part), and the legend must show Shmem.
#
# Exit 77 (skip) without tmux, with less than 6 GiB available (the machine
# has no swap), or when a tmpfs cannot be mounted.  The trap removes the
# file, unmounts the tmpfs (by its path), then does the usual clean-up.
set -u

src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$src/tests/lib/tmux.sh"
tmux_test_init oomlens-tmpfs oomlens-ui-tmpfs
OWN_PIDS=""
MNT=""
tmpfs_cleanup() {
	if [ -n "$MNT" ]; then
		rm -f "$MNT/fill"
		umount "$MNT" 2>/dev/null
	fi
	tmux_cleanup
}
trap tmpfs_cleanup EXIT

avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
[ "${avail:-0}" -gt 6291456 ] || { echo "SKIP: less than 6 GiB available ($avail kB)"; exit 77; }
mkdir "$TMP/mnt"
mount -t tmpfs -o size=2200m oomlens-test-tmpfs "$TMP/mnt" 2>/dev/null ||
	{ echo "SKIP: cannot mount a tmpfs"; exit 77; }
MNT=$TMP/mnt

$T new-session -d -s ui -x 200 -y 50 "\"$OOMLENS\" -d 1" || fail "tmux did not start"
wait_for '^2\.4 avail \[.*\] [0-9.]+[BKMGT] of ' 30 || fail "no headline meter"

# The headline figure in kB.
headline() {
	cap | sed -n 's/^2\.4 avail \[.*\] \([0-9.]*\)\([BKMGT]\) of .*/\1 \2/p' | head -n 1 |
		awk '{ m = 1; if ($2 == "M") m = 1024; if ($2 == "G") m = 1048576; if ($2 == "T") m = 1073741824;
		       if ($2 == "B") m = 1 / 1024; printf "%d\n", $1 * m }'
}
# Other work on a shared host frees and takes memory meanwhile: poll for up
# to 6 s after the write, and try the whole measurement twice.
for attempt in 1 2; do
	sleep 2
	before=$(headline)
	[ -n "$before" ] || fail "cannot read the headline figure"
	dd if=/dev/zero of="$MNT/fill" bs=1M count=2048 2>/dev/null || fail "cannot write 2 GiB to the tmpfs"
	n=0
	while :; do
		sleep 0.5
		after=$(headline)
		drop=$((before - ${after:-$before}))
		[ "$drop" -ge 1572864 ] && break
		n=$((n + 1))
		[ $n -lt 12 ] || break
	done
	[ "$drop" -ge 1572864 ] && break
	echo "attempt $attempt: headline $before kB -> $after kB (drop $drop kB); again"
	rm -f "$MNT/fill"
done
[ "$drop" -ge 1572864 ] ||
	fail "after 2 GiB in a tmpfs the headline went from $before kB to $after kB (drop $drop kB < 1.5 GiB)"
# The frame that showed the drop may have been drawn while dd was still
# writing (dd takes seconds on a loaded machine): give the next ticks time.
wait_for 'xShmem 2\.[0-9]+G' 5 || fail "the legend does not show the 2 GiB of Shmem"
echo "ok tmpfs: headline $before kB -> $after kB (drop $drop kB), Shmem in the legend"

rm -f "$MNT/fill"
umount "$MNT" && MNT=""
$T send-keys -t ui -l q
exit 0
