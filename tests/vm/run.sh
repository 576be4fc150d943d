#!/bin/sh
# run.sh - the VM test (POSIX sh): boot Debian's kernel under qemu with an initramfs
# holding busybox, this build's oomlens (with its libraries) and the guest
# checks (guest.sh), on cgroup v2 with the memory controller and a zram swap
# device; print the guest's results and exit 0 only if every check passed.
#
# Run by `make check` (alone: make check TESTS=tests/vm/run.sh).  Exit 77
# (skipped, with the reason) when qemu or the kernel package cannot be had,
# unless OOMLENS_REQUIRE_VM=1, which turns that into a hard error (99).
#
# Environment:
#   OOMLENS              the oomlens binary to test (default: the build tree's)
#   OOMLENS_VM_HELPERS   where hog, jget and ptyrun were built (default: the
#                        build tree's tests/vm)
#   OOMLENS_VM_CACHE     where the kernel package and what is extracted from
#                        it are kept between runs (default /var/cache/oomlens-vm,
#                        or ~/.cache/oomlens-vm when that is not writable)
#   OOMLENS_VM_TIMEOUT   seconds before qemu is killed (default 240)
#   OOMLENS_VM_KEEP=1    keep the work directory (initramfs, serial log)
#   OOMLENS_REQUIRE_VM=1 a skip is a failure
set -eu

here=$(cd "$(dirname "$0")" && pwd)
builddir_default=$(cd "$here/../.." && pwd)
OOMLENS=${OOMLENS:-$builddir_default/oomlens}
builddir=$(cd "$(dirname "$OOMLENS")" && pwd)
helpers=${OOMLENS_VM_HELPERS:-$builddir/tests/vm}
srcdir=${OOMLENS_SRCDIR:-$builddir_default}
guestsrc=$srcdir/tests/vm
timeout_s=${OOMLENS_VM_TIMEOUT:-240}
started=$(date +%s)

say() { printf 'vm: %s\n' "$*"; }

# Not able to run here: skip (77), or fail hard (99) when the VM is required.
skip() {
	if [ "${OOMLENS_REQUIRE_VM:-0}" = 1 ]; then
		say "ERROR: $* (OOMLENS_REQUIRE_VM=1, so this is a failure)"
		exit 99
	fi
	say "SKIP: $*"
	exit 77
}

die() {
	say "ERROR: $*"
	exit 99
}

# --- what the host must have ------------------------------------------------
qemu=$(command -v qemu-system-x86_64 || true)
[ -n "$qemu" ] || skip "qemu-system-x86_64 not found (Debian: apt-get install qemu-system-x86)"
[ "$(uname -m)" = x86_64 ] || skip "the guest kernel is amd64; this host is $(uname -m)"
[ -x "$OOMLENS" ] || die "no oomlens binary at $OOMLENS (build it first)"
for h in hog jget ptyrun bpfcmp; do
	[ -x "$helpers/$h" ] || die "no $h at $helpers/$h (make check builds it)"
done
for f in init.sh guest.sh; do
	[ -r "$guestsrc/$f" ] || die "no $guestsrc/$f"
done
busybox=
for b in /bin/busybox /usr/bin/busybox "$(command -v busybox || true)"; do
	if [ -n "$b" ] && [ -x "$b" ]; then
		busybox=$b
		break
	fi
done
[ -n "$busybox" ] || skip "busybox not found (Debian: apt-get install busybox-static)"
for t in dpkg-deb ldd gzip; do
	command -v "$t" >/dev/null || skip "$t not found"
done

# --- the kernel: Debian's linux-image package, cached -----------------------
cache=${OOMLENS_VM_CACHE:-/var/cache/oomlens-vm}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
	[ -z "${OOMLENS_VM_CACHE:-}" ] || skip "cache directory $cache is not writable"
	cache=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/oomlens-vm
	mkdir -p "$cache" || skip "cannot create a cache directory ($cache)"
fi

kpkg=
if command -v apt-cache >/dev/null; then
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
fi
deb=
if [ -n "$kpkg" ]; then
	deb=$(ls -1 "$cache/${kpkg}"_*_amd64.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$deb" ]; then
		say "downloading $kpkg into $cache"
		aptopt=
		[ "$(id -u)" = 0 ] && aptopt="-o APT::Sandbox::User=root"
		# shellcheck disable=SC2086
		if (cd "$cache" && apt-get download $aptopt "$kpkg") >"$cache/download.log" 2>&1; then
			deb=$(ls -1 "$cache/${kpkg}"_*_amd64.deb 2>/dev/null | tail -n 1 || true)
			# Older kernels of the cache are no longer wanted.
			for old in "$cache"/linux-image-*_amd64.deb; do
				[ "$old" = "$deb" ] || rm -f "$old"
			done
		else
			say "apt-get download $kpkg failed: $(tail -n 1 "$cache/download.log")"
		fi
	fi
fi
if [ -z "$deb" ]; then
	# No package list (or no network): use a kernel cached earlier, if any.
	deb=$(ls -1 "$cache"/linux-image-*-amd64_*_amd64.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$deb" ]; then
		[ -n "$kpkg" ] || kpkg="the kernel linux-image-amd64 depends on (unknown: run apt-get update)"
		skip "no Debian kernel package: could not download $kpkg, and none is cached in $cache"
	fi
fi

kdir=$cache/$(basename "$deb" .deb)
if [ ! -e "$kdir/.complete" ]; then
	say "extracting the kernel and the zram modules from $(basename "$deb")"
	rm -rf "$kdir" "$kdir.tmp"
	mkdir -p "$kdir.tmp/x"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kdir.tmp/x" --wildcards \
		'./boot/vmlinuz-*' '*/kernel/mm/zsmalloc.ko*' '*/kernel/drivers/block/zram/zram.ko*'
	for pat in 'vmlinuz-*' 'zsmalloc.ko*' 'zram.ko*'; do
		f=$(find "$kdir.tmp/x" -name "$pat" | head -n 1)
		[ -n "$f" ] || die "$(basename "$deb") holds no $pat"
		case $f in
		*.ko.xz) xz -dc "$f" >"$kdir.tmp/${pat%%[.-]*}.ko" ;;
		*.ko.zst) zstd -dqc "$f" >"$kdir.tmp/${pat%%[.-]*}.ko" ;;
		*.ko.gz) gzip -dc "$f" >"$kdir.tmp/${pat%%[.-]*}.ko" ;;
		*.ko) cp "$f" "$kdir.tmp/${pat%%[.-]*}.ko" ;;
		*) cp "$f" "$kdir.tmp/vmlinuz" ;;
		esac
	done
	rm -rf "$kdir.tmp/x"
	touch "$kdir.tmp/.complete"
	mv "$kdir.tmp" "$kdir"
fi

# --- the initramfs -----------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-vm.XXXXXX")
qpid=
cleanup() {
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null || true
		sleep 1
		kill -9 "$qpid" 2>/dev/null || true
	fi
	if [ "${OOMLENS_VM_KEEP:-0}" = 1 ]; then
		say "kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

root=$work/root
mkdir -p "$root"/bin "$root"/proc "$root"/sys "$root"/dev "$root"/tmp "$root"/etc \
	"$root"/root "$root"/modules "$root"/tests "$root"/lib "$root"/lib64

# Copy a program and every library ldd lists (with the loader) to the same paths.
add_prog() {
	install -m 0755 "$1" "$root$2"
	for lib in $(ldd "$1" 2>/dev/null | awk '/=> \// { print $3 } /^[ \t]*\// { print $1 }'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

add_prog "$busybox" /bin/busybox
for a in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
done
add_prog "$OOMLENS" /bin/oomlens
for h in hog jget ptyrun bpfcmp; do
	add_prog "$helpers/$h" "/bin/$h"
done
for d in /lib/terminfo /usr/share/terminfo /etc/terminfo; do
	if [ -d "$d/l" ]; then
		mkdir -p "$root$d"
		cp -rL "$d"/l "$d"/v "$d"/d "$root$d"/ 2>/dev/null || true
	fi
done
[ -e "$root/lib/terminfo/l/linux" ] || [ -e "$root/usr/share/terminfo/l/linux" ] ||
	say "warning: no terminfo entry for TERM=linux found on this host (ncurses-base); the UI check will fail"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
cp "$kdir/zsmalloc.ko" "$kdir/zram.ko" "$root/modules/"
install -m 0755 "$guestsrc/init.sh" "$root/init"
install -m 0755 "$guestsrc/guest.sh" "$root/tests/guest.sh"

(cd "$root" && find . | "$root/bin/busybox" cpio -o -H newc -R 0:0 2>/dev/null | gzip -1) \
	>"$work/initrd.gz"
say "initramfs $(du -k "$work/initrd.gz" | cut -f1) KiB, kernel $(basename "$kdir")"

# --- boot ---------------------------------------------------------------------
serial=$work/serial.log
"$qemu" -accel tcg -m 512 -smp 1 -nographic -no-reboot -nic none \
	-kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" \
	-append 'console=ttyS0 panic=-1 quiet loglevel=1' </dev/null >"$serial" 2>&1 &
qpid=$!
waited=0
while kill -0 "$qpid" 2>/dev/null; do
	if [ "$waited" -ge "$timeout_s" ]; then
		say "qemu still running after ${timeout_s}s: killing it (pid $qpid)"
		kill "$qpid" 2>/dev/null || true
		sleep 2
		kill -9 "$qpid" 2>/dev/null || true
		break
	fi
	sleep 1
	waited=$((waited + 1))
done
wait "$qpid" 2>/dev/null || true
qpid=

# --- results ------------------------------------------------------------------
tr -d '\r' <"$serial" >"$work/serial.txt"
grep -a -E '^(ok|not ok) [0-9]+ |^# ' "$work/serial.txt" || true
summary=$(grep -a -E '^vm: [0-9]+ passed, [0-9]+ failed$' "$work/serial.txt" | tail -n 1 || true)
elapsed=$(($(date +%s) - started))
nok=$(grep -a -c -E '^ok [0-9]+ ' "$work/serial.txt" || true)
nnot=$(grep -a -c -E '^not ok [0-9]+ ' "$work/serial.txt" || true)
if [ -z "$summary" ]; then
	say "the guest printed no summary line (crashed or timed out); the end of its serial log:"
	tail -n 40 "$work/serial.txt" | sed 's/^/  | /'
	say "FAIL after ${elapsed}s"
	exit 1
fi
echo "$summary"
passed=$(echo "$summary" | awk '{ print $2 }')
failed=$(echo "$summary" | awk '{ print $4 }')
if [ "$passed" != "$nok" ] || [ "$failed" != "$nnot" ]; then
	say "the summary does not match the result lines ($nok ok, $nnot not ok)"
	exit 1
fi
if [ "$failed" != 0 ] || [ "$passed" = 0 ]; then
	say "FAIL: $failed of $((passed + failed)) checks failed (${elapsed}s)"
	exit 1
fi
say "PASS: all $passed checks passed (${elapsed}s)"
exit 0
