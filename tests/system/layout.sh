#!/bin/sh
# The layout tells the architecture: the core in src/ never includes curses,
# and the UI in ui/ never writes to the system (no open for writing, no
# write(2), no kill(2)): only src/actions.c does, after validation.  No
# file of src/ but main.c includes a header of ui/, and no include cycle
# among the modules of src/ and ui/ (issue 15).
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
# The core compiles without ui/ on its include path (Makefile.am); a
# relative spelling ("../ui/x.h") would get past the compiler, this does
# not.  The one file that starts the UI includes ui.h.
if ! python3 "$top/tests/lib/ui_includes.py" "$top" src/main.c:ui.h >&2; then
	echo "FAIL: a file of src/ includes a header of ui/ (only src/main.c may include ui.h)" >&2
	fail=1
fi
# No cycle is known any more (issue 15 item 1 took output.c's sort into
# sort.c): any cycle fails.
if ! python3 "$top/tests/lib/include_cycles.py" "$top" >&2; then
	echo "FAIL: an include cycle among the modules of src/ and ui/" >&2
	fail=1
fi
[ $fail -eq 0 ] && echo "layout: src/ free of curses and of ui/ headers, ui/ free of writes, no include cycle"
exit $fail
