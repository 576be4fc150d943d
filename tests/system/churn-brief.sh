#!/bin/sh
# churn-brief.sh - make check: the churn test (tests/churn/run.sh) for
# OOMLENS_CHURN_SECONDS (CI: 10) when that is set; skipped (77) otherwise,
# because 2,000 processes a second disturb tests that run beside it.
set -u
src=${OOMLENS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
secs=${OOMLENS_CHURN_SECONDS:-}
if [ -z "$secs" ]; then
	echo "SKIP: OOMLENS_CHURN_SECONDS is not set"
	exit 77
fi
exec bash "$src/tests/churn/run.sh" "$secs" 2000
