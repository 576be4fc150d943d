#!/bin/sh
# fuzz-brief.sh - make check: when OOMLENS_FUZZ_SECONDS is set (CI sets 20),
# run every libFuzzer target that long through tests/fuzz/run.sh in its own
# build (build-fuzz/); skip (77) when it is unset or clang cannot link
# libFuzzer (Debian: clang and libclang-rt-14-dev).  One target at a time
# (OOMLENS_FUZZ_JOBS), so the tests running beside it keep a core.
set -u
src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
secs=${OOMLENS_FUZZ_SECONDS:-}
if [ -z "$secs" ]; then
	echo "SKIP: OOMLENS_FUZZ_SECONDS is not set"
	exit 77
fi
cc=${FUZZ_CC:-clang}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }\n' >"$tmp/t.c"
if ! "$cc" -fsanitize=fuzzer "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1; then
	echo "SKIP: $cc cannot link libFuzzer (install clang and libclang-rt-14-dev)"
	exit 77
fi
# The fuzz build goes beside this build (the source tree may be read-only, as in distcheck).
bld=$(cd "$(dirname "${OOMLENS:-./oomlens}")" && pwd)
OOMLENS_FUZZ_BUILD=${OOMLENS_FUZZ_BUILD:-$bld/build-fuzz} \
	OOMLENS_FUZZ_JOBS=${OOMLENS_FUZZ_JOBS:-1} \
	CC=$cc exec "$src/tests/fuzz/run.sh" all "$secs"
