#!/bin/bash
# run.sh - build the libFuzzer targets in their own tree and run them.
#
#   tests/fuzz/run.sh TARGET[,TARGET...]|all SECONDS
#
# The fuzz build lives in build-fuzz/ (OOMLENS_FUZZ_BUILD): a copy of the
# source tree configured there with CC=clang --enable-fuzzing, so it never
# disturbs the main build (the main tree is often configured in place, which
# rules out a VPATH build from it).  Each target runs for SECONDS with
# -max_total_time, seeded from data/fixtures (list-seeds.sh) and from every
# earlier crash in tests/fuzz/regressions/TARGET.  A line of figures per
# target is printed; a crash, leak, OOM or timeout copies the input to
# tests/fuzz/regressions/TARGET/ and makes the exit status 1.
#
# Environment: OOMLENS_FUZZ_JOBS targets at once (default 1),
# OOMLENS_FUZZ_RSS MB (2048), OOMLENS_FUZZ_TIMEOUT s per input (10),
# OOMLENS_FUZZ_NICE (0), CC (clang).
set -u

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${OOMLENS_FUZZ_BUILD:-$src/build-fuzz}
jobs=${OOMLENS_FUZZ_JOBS:-1}
rss=${OOMLENS_FUZZ_RSS:-2048}
timeout=${OOMLENS_FUZZ_TIMEOUT:-10}
nice=${OOMLENS_FUZZ_NICE:-0}
all_targets="meminfo psi kv_u64 misc proc_stat proc_status mountinfo proc_cgroup cg_value textsafe output kmsg container actions replay config bpf_record"

usage() {
	echo "usage: $0 TARGET[,TARGET...]|all SECONDS   (targets: $all_targets)" >&2
	exit 2
}
[ $# -eq 2 ] || usage
case $2 in '' | *[!0-9]*) usage ;; esac
secs=$2
if [ "$1" = all ]; then
	targets=$all_targets
else
	targets=$(echo "$1" | tr ',' ' ')
	for t in $targets; do
		case " $all_targets " in *" $t "*) ;; *) usage ;; esac
	done
fi

# Copy the sources (tracked and new, never build products) into the fuzz tree and build there.
build_targets() {
	local tree=$build/tree
	mkdir -p "$tree" "$build/logs" || return 1
	# A git checkout: its tracked and new files; a release tarball: every file but build products.
	if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$src" && git ls-files -co --exclude-standard -z)
	else
		(cd "$src" && find . \( -name build-fuzz -o -name autom4te.cache -o -name .deps \) -prune -o \
			-type f ! -name '*.o' ! -name '*.a' ! -name '*.log' ! -name '*.trs' \
			! -name config.status ! -name config.h ! -name Makefile ! -name stamp-h1 -print0)
	fi | (
		cd "$src" || exit 1
		while IFS= read -r -d '' f; do
			[ -f "$f" ] && printf '%s\0' "$f"
		done | xargs -0 cp --parents -u -t "$tree"
	) || return 1
	(
		cd "$tree" || exit 1
		if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ] ||
			[ tests/fuzz/fuzz.am -nt configure ]; then
			autoreconf -fi >"$build/logs/autoreconf.log" 2>&1 || exit 1
			rm -f config.status
		fi
		if [ ! -f config.status ]; then
			./configure CC="${CC:-clang}" --enable-fuzzing >"$build/logs/configure.log" 2>&1 ||
				exit 1
		fi
		# shellcheck disable=SC2086
		make -j"$(nproc)" $(for t in $targets; do echo tests/fuzz/fuzz_$t; done) \
			>"$build/logs/make.log" 2>&1
	) || {
		echo "run.sh: building the fuzz targets failed; see $build/logs/" >&2
		tail -20 "$build/logs/make.log" 2>/dev/null >&2
		return 1
	}
}

# Run one target; print its figures; status 1 on any finding.
run_target() {
	local t=$1 bin=$build/tree/tests/fuzz/fuzz_$t
	local corpus=$build/corpus/$t art=$build/artifacts/$t/ log=$build/logs/$t.log
	local dict=$src/tests/fuzz/$t.dict
	local -a extra=()
	local rc f n=0

	mkdir -p "$corpus" "$art"
	rm -f "$art"/*
	"$src/tests/fuzz/list-seeds.sh" "$t" "$src" | while read -r f; do
		cp "$f" "$corpus/seed-$(printf '%s' "$f" | md5sum | cut -c1-12)"
	done
	if [ -d "$src/tests/fuzz/regressions/$t" ]; then
		cp "$src/tests/fuzz/regressions/$t"/* "$corpus/" 2>/dev/null
	fi
	[ -f "$dict" ] && extra+=("-dict=$dict")
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		nice -n "$nice" "$bin" "${extra[@]}" -max_total_time="$secs" -rss_limit_mb="$rss" \
		-timeout="$timeout" -print_final_stats=1 -artifact_prefix="$art" "$corpus" \
		>"$log" 2>&1
	rc=$?
	for f in "$art"*; do
		[ -f "$f" ] || continue
		mkdir -p "$src/tests/fuzz/regressions/$t"
		cp "$f" "$src/tests/fuzz/regressions/$t/"
		n=$((n + 1))
	done
	awk -v t="$t" -v rc="$rc" -v n="$n" '
		/^#[0-9]+/ && / cov: / { for (i = 1; i <= NF; i++) { if ($i == "cov:") cov = $(i + 1); if ($i == "ft:") ft = $(i + 1); if ($i == "corp:") corp = $(i + 1) } }
		/stat::number_of_executed_units/ { execs = $2 }
		/stat::average_exec_per_sec/ { eps = $2 }
		/stat::peak_rss_mb/ { rssmb = $2 }
		END { printf "%-12s execs %12s  exec/s %8s  cov %6s  ft %7s  corpus %-12s rss %5sMB  findings %d  exit %d\n", t, execs, eps, cov, ft, corp, rssmb, n, rc }' "$log"
	if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then
		echo "  $t: FAILED, see $log; inputs copied to tests/fuzz/regressions/$t/" >&2
		grep -m5 -E 'ERROR|SUMMARY|invariant|runtime error' "$log" | sed 's/^/  /' >&2
		# The input itself, small ones in base64, so a finding on a machine
		# whose tree is thrown away (CI) can still be replayed.
		for f in "$art"*; do
			[ -f "$f" ] && [ "$(stat -c %s "$f")" -le 4096 ] || continue
			echo "  input $(basename "$f") (base64): $(base64 -w0 "$f")" >&2
		done
		return 1
	fi
	return 0
}

# One run at a time per build directory: two would build over each other and share corpora.
mkdir -p "$build" || exit 1
exec 9>"$build/lock"
if command -v flock >/dev/null && ! flock -n 9; then
	echo "run.sh: waiting for another run in $build" >&2
	flock 9
fi
build_targets || exit 1
status=0
running=0
pids=()
for t in $targets; do
	run_target "$t" &
	pids+=($!)
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n || status=1
		running=$((running - 1))
	fi
done
while [ "$running" -gt 0 ]; do
	wait -n || status=1
	running=$((running - 1))
done
exit $status
