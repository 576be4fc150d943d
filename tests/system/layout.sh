#!/bin/sh
# The layout tells the architecture: the core in src/ never includes curses,
# and the UI in ui/ never writes to the system (no open for writing, no
# write(2), no kill(2)): only src/actions.c does, after validation.  No
# include cycle among the modules of src/ and ui/ (issue 15).
set -u
top=${OOMLENS_SRCDIR:-.}
fail=0
if grep -rn -e '<curses.h>' -e '<ncurses' -e '<ncursesw' "$top/src" >&2; then
	echo "FAIL: src/ includes curses" >&2
	fail=1
fi
if grep -rnE '\b(kill|pidfd_send_signal|write|pwrite|truncate|unlink|rmdir|mkdir)\s*\(|O_WRONLY|O_RDWR|"w"|"a"' "$top/ui" --include='*.c' >&2; then
	echo "FAIL: ui/ writes to the system" >&2
	fail=1
fi
# No cycle is known any more (issue 15 item 1 took output.c's sort into
# sort.c): any cycle fails.
if ! python3 "$top/tests/lib/include_cycles.py" "$top" >&2; then
	echo "FAIL: an include cycle among the modules of src/ and ui/" >&2
	fail=1
fi
[ $fail -eq 0 ] && echo "layout: src/ free of curses, ui/ free of writes, no new include cycle"
exit $fail
