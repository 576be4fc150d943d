#!/bin/sh
# fuzz-regress.sh - make check: feed every crashing input ever found
# (tests/fuzz/regressions/TARGET/) and every seed (data/fixtures, per
# tests/fuzz/list-seeds.sh) to each fuzz target's regression driver, built
# without libFuzzer in the normal build.  A crash or broken invariant fails.
set -u
src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bld=$(dirname "${OOMLENS:-./oomlens}")
status=0
ran=0
for t in meminfo psi kv_u64 misc proc_stat proc_status mountinfo proc_cgroup cg_value textsafe output kmsg container actions replay config bpf_record; do
	drv=$bld/tests/fuzz/regress_$t
	if [ ! -x "$drv" ]; then
		echo "fuzz-regress: $drv not built"
		status=1
		continue
	fi
	set --
	[ -d "$src/tests/fuzz/regressions/$t" ] && set -- "$src/tests/fuzz/regressions/$t"
	seeds=$("$src/tests/fuzz/list-seeds.sh" "$t" "$src" | tr '\n' ' ')
	# shellcheck disable=SC2086
	if ! "$drv" "$@" $seeds; then
		echo "fuzz-regress: FAIL $t"
		status=1
	fi
	ran=$((ran + 1))
done
echo "fuzz-regress: $ran targets"
exit $status
