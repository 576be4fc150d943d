#!/bin/sh
# The bash completion (data/completion/oomlens), driven as bash drives it:
# COMP_WORDS and COMP_CWORD set, the function called, COMPREPLY read.  It
# offers every long option that --help lists, the formats, the sort fields
# (every name --sort accepts), the subcommands and their options.
set -u
OOMLENS=${OOMLENS:-./oomlens}
DATA=${OOMLENS_DATA:-data}
command -v bash >/dev/null 2>&1 || { echo "SKIP: no bash"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

no() {
	echo "FAIL: $*" >&2
	fail=1
}

# complete WORD...: what the completion offers for the last word.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _oomlens;
		printf "%s\n" "${COMPREPLY[@]}"' x "$DATA/completion/oomlens" "$@" 2>&1
}

offers() {
	want=$1
	shift
	if complete_words "$@" | grep -qx -- "$want"; then
		echo "ok: '$*' offers $want"
	else
		no "'$*' does not offer $want (got: $(complete_words "$@" | tr '\n' ' '))"
	fi
}

offers text oomlens -b --format ""
offers prometheus oomlens -b --format pr
offers badness_gorman oomlens -o b
offers kbad oomlens --sort k
offers fits oomlens f
offers --oom-score-adj oomlens set --oom
offers KILL oomlens kill --signal K
offers --follow oomlens events --f
offers 1 oomlens -p 1

# Every long option of --help (the lines before its subcommands), and of each subcommand's help.
"$OOMLENS" --help | sed '/^  oomlens /,$d' | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/help"
complete_words oomlens -- | sort -u >"$tmp/offered"
missing=$(comm -23 "$tmp/help" "$tmp/offered" | tr '\n' ' ')
[ -z "$missing" ] && echo "ok: every option of --help is completed" || no "not completed: $missing"
for sub in set kill events fits; do
	"$OOMLENS" "$sub" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/help"
	complete_words oomlens "$sub" -- | sort -u >"$tmp/offered"
	missing=$(comm -23 "$tmp/help" "$tmp/offered" | tr '\n' ' ')
	[ -z "$missing" ] && echo "ok: every option of $sub --help is completed" ||
		no "$sub: not completed: $missing"
done

# Every sort field the program accepts is offered, and every one offered is accepted.
for f in $(complete_words oomlens -o ""); do
	"$OOMLENS" -b -n 1 --format csv -p 1 -o "$f" --no-config >/dev/null 2>&1 || no "offered sort field $f is refused"
done
[ "$(complete_words oomlens -o "" | wc -l)" -ge 31 ] || no "fewer sort fields than --sort accepts"

exit $fail
