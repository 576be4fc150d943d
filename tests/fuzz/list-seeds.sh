#!/bin/sh
# list-seeds.sh - print the fixture files (data/fixtures) that seed a fuzz target,
# one per line.  run.sh copies them into a corpus; fuzz-regress.sh feeds them
# to the regression drivers.  Usage: list-seeds.sh TARGET [SRCDIR]
set -eu
target=$1
src=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
fx=$src/data/fixtures

find_names() { # dir name...
	d=$1
	shift
	expr=""
	for n in "$@"; do
		expr="$expr -o -name $n"
	done
	# shellcheck disable=SC2086
	find "$d" -type f \( -false $expr \) | LC_ALL=C sort
}

case $target in
meminfo) find_names "$fx" meminfo; find "$fx/meminfo" -type f | LC_ALL=C sort ;;
psi) find "$fx/psi" -type f | LC_ALL=C sort; find_names "$fx" memory memory.pressure | grep -e pressure ;;
kv_u64) find_names "$fx" vmstat memory.stat memory.events memory.events.local \
	memory.oom_control memory.swap.events cgroup.stat ;;
misc) find "$fx/misc" -type f | LC_ALL=C sort
	find_names "$fx" dentry-state inode-nr uptime osrelease slabinfo ;;
proc_stat) find "$fx/stat" -type f | LC_ALL=C sort; find_names "$fx/tree-v2/proc" stat ;;
proc_status) find "$fx/status" -type f | LC_ALL=C sort
	find_names "$fx/tree-v1/proc" status cmdline ;;
mountinfo) find "$fx/mountinfo" -type f | LC_ALL=C sort; find_names "$fx" mountinfo ;;
proc_cgroup) find_names "$fx" cgroup cgroup.procs ;;
cg_value) find_names "$fx/tree-v2" memory.max memory.high memory.low memory.min \
	memory.swap.max memory.current memory.oom.group
	find_names "$fx/tree-v1" memory.limit_in_bytes memory.soft_limit_in_bytes \
	memory.memsw.limit_in_bytes memory.swappiness memory.usage_in_bytes ;;
textsafe) find_names "$fx/tree-v1/proc" cmdline; find "$fx/stat" -type f | LC_ALL=C sort ;;
output) find_names "$fx/tree-v2/proc" cmdline ;;
kmsg) [ -d "$fx/kmsg" ] && find "$fx/kmsg" -type f | LC_ALL=C sort
	find "$src/tests/fuzz/seeds/kmsg" -type f | LC_ALL=C sort ;;
container) find "$src/tests/fuzz/seeds/container" -type f | LC_ALL=C sort
	find_names "$fx/tree-v2/proc" cgroup ;;
actions) find "$src/tests/fuzz/seeds/actions" -type f | LC_ALL=C sort ;;
replay) find "$src/tests/fuzz/seeds/replay" -type f | LC_ALL=C sort ;;
config) echo "$src/data/oomlensrc" ;;
bpf_record) find "$src/tests/fuzz/seeds/bpf_record" -type f | LC_ALL=C sort ;;
*) ;;
esac
