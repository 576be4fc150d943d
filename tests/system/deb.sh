#!/bin/sh
# The Debian package: `dpkg-buildpackage -us -uc -b` on a copy of the
# distributed files (make distdir) builds oomlens_*.deb; its control data
# names the libraries it needs, it holds the binary, the man page, the
# completion and the default config (a conffile in /etc/oomlens), and the
# binary unpacked from it (dpkg -x: this machine's packages stay as they
# are) runs `oomlens -b -n 1`.  Needs dpkg-dev and debhelper, else a skip.
set -u
OOMLENS=${OOMLENS:-./oomlens}
builddir=$(cd "$(dirname "$OOMLENS")" && pwd)

if [ -n "${OOMLENS_IN_PACKAGE_BUILD:-}" ]; then
	echo "SKIP: inside a package build (debian/rules)"
	exit 77
fi
for tool in dpkg-buildpackage dh dpkg-deb; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not found (apt-get install dpkg-dev debhelper)"
		exit 77
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-test-deb-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

no() {
	echo "FAIL: $*" >&2
	fail=1
}

version=$(sed -n '1s/^oomlens (\([^)]*\)).*/\1/p' "${OOMLENS_SRCDIR:-.}/debian/changelog")
src="$tmp/oomlens-$version"
if ! ${MAKE:-make} -s -C "$builddir" distdir distdir="$src" >"$tmp/distdir.log" 2>&1; then
	cat "$tmp/distdir.log" >&2
	no "make distdir failed"
	exit 1
fi
chmod -R u+w "$src"

echo "building the package in $src (DEB_BUILD_OPTIONS=nocheck)"
if ! (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) \
	>"$tmp/build.log" 2>&1; then
	tail -n 40 "$tmp/build.log" >&2
	no "dpkg-buildpackage failed"
	exit 1
fi
deb=$(ls "$tmp"/oomlens_"$version"_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { no "no oomlens_${version}_*.deb was built"; exit 1; }
echo "ok: built $(basename "$deb")"

# Control data: the libraries it links, and the conffile.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libjson-c libcap2 libncursesw6 libcurl4 libc6 libbpf1; do
	case $depends in
	*"$lib"*) ;;
	*) no "Depends lacks $lib: $depends" ;;
	esac
done
echo "ok: Depends: $depends"
# libproc2's readers are linked from libproc2.a (configure.ac): the package
# names the source it took them from, so a procps security fix finds it.
built_using=$(dpkg-deb -f "$deb" Built-Using)
case $built_using in
procps\ \(=\ *\)) echo "ok: Built-Using: $built_using" ;;
*) no "Built-Using does not name procps, whose libproc2.a is linked in: '$built_using'" ;;
esac
dpkg-deb -I "$deb" conffiles 2>/dev/null | grep -qx /etc/oomlens/oomlensrc &&
	echo "ok: /etc/oomlens/oomlensrc is a conffile" || no "/etc/oomlens/oomlensrc is not a conffile"

# Contents.
dpkg-deb -c "$deb" >"$tmp/contents"
for f in ./usr/bin/oomlens ./usr/share/man/man1/oomlens.1.gz ./etc/oomlens/oomlensrc \
	./usr/share/bash-completion/completions/oomlens; do
	grep -q " $f\$" "$tmp/contents" || no "the package lacks $f"
done

# Unpacked, not installed: the binary runs.
dpkg-deb -x "$deb" "$tmp/root"
"$tmp/root/usr/bin/oomlens" --version | grep -q "^oomlens $version\$" || no "--version of the packaged binary"
# What it loads is part of its resident memory (doc/performance.md): not
# libproc2.so and its libsystemd (the readers come from libproc2.a), not libm.
needed=$(readelf -d "$tmp/root/usr/bin/oomlens" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case " $needed" in
*" libproc2.so"* | *" libsystemd.so"* | *" libm.so"*) no "the packaged binary loads what it should not: $needed" ;;
*) echo "ok: the packaged binary loads $needed" ;;
esac
if "$tmp/root/usr/bin/oomlens" -b -n 1 --no-config >"$tmp/out" 2>"$tmp/err" &&
	grep -q '^2.4 vm_enough:' "$tmp/out"; then
	echo "ok: the packaged oomlens -b -n 1 runs"
	# The BPF program travels inside the binary (the skeleton embeds it).
	if "$tmp/root/usr/bin/oomlens" -b -n 1 --no-config --collector bpf >"$tmp/out" 2>"$tmp/err"; then
		head -n 1 "$tmp/out" | grep -q 'collector bpf' || no "the packaged binary: not the bpf collector"
		echo "ok: the packaged binary carries the BPF program"
	else
		grep -q -- '--collector bpf:' "$tmp/err" || no "the packaged --collector bpf: $(cat "$tmp/err")"
		echo "note: the bpf collector cannot be used here: $(cat "$tmp/err")"
	fi
else
	no "the packaged oomlens -b -n 1: $(cat "$tmp/err")"
fi
"$tmp/root/usr/bin/oomlens" -b -n 1 --config "$tmp/root/etc/oomlens/oomlensrc" \
	--format prometheus >/dev/null 2>"$tmp/err" && [ ! -s "$tmp/err" ] ||
	no "the packaged default config: $(cat "$tmp/err")"

exit $fail
