#!/bin/sh
# guest.sh - the checks the VM test runs inside the guest (busybox sh), on
# cgroup v2 with the memory controller and a zram swap device, against the
# oomlens binary of the build tree.  One line per check on stdout,
# "ok N - what" or "not ok N - what: why", diagnostics as "# ..." lines, and
# a closing "vm: N passed, N failed".  run.sh on the host reads them from the
# serial console.
#
# Every check stands alone: a feature that is missing makes its checks fail
# with a message that says so, never skip.  Test cgroups live under /vmt
# (and /uitest42 for the UI); hogs are tests/vm/hog.c.

CG=/sys/fs/cgroup
T=/tmp/vmt
N=0
PASS=0
FAIL=0
WHY=
mkdir -p "$T"

# --- reporting -----------------------------------------------------------------
# check DESC COMMAND...: run one check; it passes when COMMAND returns 0, and
# otherwise says why in WHY.
check() {
	desc=$1
	shift
	WHY=
	N=$((N + 1))
	if "$@" && [ -z "$WHY" ]; then
		PASS=$((PASS + 1))
		echo "ok $N - $desc"
	else
		FAIL=$((FAIL + 1))
		echo "not ok $N - $desc: ${WHY:-failed}"
	fi
}

# because REASON: add a reason to the current check's WHY; returns 1.
because() {
	WHY="${WHY:+$WHY; }$*"
	return 1
}

pass() {
	[ -z "$WHY" ]
}

diag() {
	echo "# $*"
}

# diag_file FILE [LINES]: show the start of a file as diagnostics.
diag_file() {
	[ -r "$1" ] || return 0
	head -n "${2:-20}" "$1" | while IFS= read -r line; do
		echo "#   $line"
	done
}

# --- values --------------------------------------------------------------------
# j FILE QUERY: one value of a JSON file (tests/vm/jget.c), "<missing>" if absent.
j() {
	jget "$1" "$2" 2>/dev/null || true
}

isint() {
	case $1 in
	'' | - | *[!0-9-]* | ?*-*) return 1 ;;
	esac
	return 0
}

# eq WHAT GOT WANT
eq() {
	[ "$2" = "$3" ] || because "$1 is $2, expected $3"
}

# near WHAT GOT WANT TOLERANCE: integers within the tolerance.
near() {
	if ! isint "$2"; then
		because "$1 is $2, expected a number near $3"
		return 1
	fi
	d=$(($2 - $3))
	[ "$d" -lt 0 ] && d=$((-d))
	[ "$d" -le "$4" ] || because "$1 is $2, expected $3 (within $4)"
}

# gt WHAT GOT MIN: an integer above MIN.
gt() {
	if ! isint "$2"; then
		because "$1 is $2, expected a number above $3"
		return 1
	fi
	[ "$2" -gt "$3" ] || because "$1 is $2, expected more than $3"
}

# le WHAT GOT MAX: an integer at most MAX.
le() {
	if ! isint "$2"; then
		because "$1 is $2, expected a number at most $3"
		return 1
	fi
	[ "$2" -le "$3" ] || because "$1 is $2, expected at most $3"
}

meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

vmstat() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat
}

# kv FILE KEY: the value after KEY in a "key value" file (memory.events).
kv() {
	awk -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null
}

# psi_total FILE some|full: the total= field of a pressure file.
psi_total() {
	awk -v k="$2" '$1 == k { for (i = 2; i <= NF; i++) if ($i ~ /^total=/) { sub(/^total=/, "", $i); print $i } }' "$1" 2>/dev/null
}

status_kb() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null
}

# --- oomlens -------------------------------------------------------------------
# snap FILE: one batch snapshot in JSON.
snap() {
	timeout 60 oomlens -b -n 1 --format json >"$1" 2>"$1.err"
	rc=$?
	if [ "$rc" != 0 ]; then
		because "oomlens -b -n 1 --format json exited $rc: $(head -c 300 "$1.err")"
		return 1
	fi
	if ! jget "$1" schema >/dev/null 2>"$1.jerr"; then
		because "the snapshot is not JSON with a schema key: $(head -c 300 "$1.jerr")"
		return 1
	fi
}

# --- cgroups and hogs ----------------------------------------------------------
# mkcg PATH [FILE=VALUE]...: create a cgroup under the root and write its files.
mkcg() {
	d=$CG/$1
	shift
	if ! mkdir -p "$d"; then
		because "cannot create $d"
		return 1
	fi
	for fv in "$@"; do
		if ! echo "${fv#*=}" >"$d/${fv%%=*}"; then
			because "cannot write ${fv#*=} to $d/${fv%%=*}"
			return 1
		fi
	done
}

# rmcg PATH: kill everything in a cgroup, reap it, and remove the cgroup.
rmcg() {
	d=$CG/$1
	[ -d "$d" ] || return 0
	echo 1 >"$d/cgroup.kill" 2>/dev/null
	i=0
	while [ $i -lt 100 ]; do
		reap
		if [ ! -s "$d/cgroup.procs" ] && rmdir "$d" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	diag "cannot remove $d: $(rmdir "$d" 2>&1)"
}

alive() {
	[ -e "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# spawn CGROUP MIB ADJ NAME: start a hog in the background; its pid in SPAWNED.
spawn() {
	rm -f "$T/ready.$4"
	hog -g "$CG/$1" -a "$3" -n "$4" -r "$T/ready.$4" "$2" 2>>"$T/hog.err" &
	SPAWNED=$!
	ALL_PIDS="$ALL_PIDS $SPAWNED"
}

# ready NAME PID SECONDS: wait until the hog has touched all its memory;
# 1 if it died first or the time ran out.
ready() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		[ -e "$T/ready.$1" ] && return 0
		alive "$2" || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# gone PID SECONDS: wait until a process has died; 1 if it still lives.
gone() {
	i=0
	while alive "$1"; do
		[ $i -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# reap: collect the exit statuses of dead hogs, so that none stays a zombie.
reap() {
	for p in $ALL_PIDS; do
		alive "$p" || wait "$p" 2>/dev/null
	done
}
ALL_PIDS=

# ================================================================================
# 1. The guest itself: cgroup v2 with +memory, zram swap, oomlens runs.
t_setup() {
	grep -q " $CG cgroup2 " /proc/mounts || because "cgroup2 is not mounted on $CG"
	echo +memory >"$CG/cgroup.subtree_control" 2>"$T/err" ||
		because "cannot enable +memory at the root: $(cat "$T/err")"
	grep -qw memory "$CG/cgroup.subtree_control" || because "memory is not in $CG/cgroup.subtree_control"
	mkdir -p "$CG/vmt" && echo +memory >"$CG/vmt/cgroup.subtree_control" ||
		because "cannot create $CG/vmt with the memory controller"
	insmod /modules/zsmalloc.ko 2>"$T/err" || because "insmod zsmalloc.ko: $(cat "$T/err")"
	insmod /modules/zram.ko 2>"$T/err" || because "insmod zram.ko: $(cat "$T/err")"
	echo 128M >/sys/block/zram0/disksize 2>"$T/err" || because "zram disksize: $(cat "$T/err")"
	mkswap /dev/zram0 >/dev/null 2>"$T/err" || because "mkswap /dev/zram0: $(cat "$T/err")"
	swapon /dev/zram0 2>"$T/err" || because "swapon /dev/zram0: $(cat "$T/err")"
	gt "SwapTotal (kB)" "$(meminfo SwapTotal)" 0
	out=$(timeout 30 oomlens --version 2>&1) || because "oomlens --version failed: $out"
	[ -n "$WHY" ] || diag "$(echo "$out" | head -n 1); $(grep -c . /proc/meminfo) meminfo lines; swap $(meminfo SwapTotal) kB"
	pass
}
check "guest set-up: cgroup v2 with +memory, 128M zram swap, oomlens runs" t_setup

# 2. The batch JSON's top level and host keys.
t_json() {
	snap "$T/s0.json" || return 1
	eq schema "$(j "$T/s0.json" schema)" 1
	for k in time host.mem_total_kb host.swap_total_kb host.swap_free_kb host.swap_cache_kb \
		host.vm_enough_kb host.psi.some.avg10 host.psi.some.avg60 host.psi.some.avg300 \
		host.psi.some.total_us host.psi.full.avg10 host.psi.full.total_us host.oom_kill \
		cgroups processes; do
		[ "$(j "$T/s0.json" "$k")" != "<missing>" ] || because "no $k"
	done
	gt "number of processes" "$(j "$T/s0.json" 'processes#')" 0
	gt "number of cgroups" "$(j "$T/s0.json" 'cgroups#')" 0
	eq cgroup_version "$(j "$T/s0.json" cgroup_version)" 2
	pass
}
check "batch JSON: schema 1 with the host, cgroups and processes keys, on cgroup v2" t_json

# 3-6. One cgroup with every v2 limit set, one with none.
BASIC=vmt/basic
UNL=vmt/unl
mkcg $BASIC memory.max=48M memory.high=40M memory.low=8M memory.min=4M memory.swap.max=16M \
	memory.oom.group=1 || diag "set-up of /$BASIC: $WHY"
mkcg $UNL || diag "set-up of /$UNL: $WHY"
spawn $BASIC 8 0 basichog
BASIC_PID=$SPAWNED
spawn $UNL 2 0 unlhog
ready basichog "$BASIC_PID" 60 || diag "the hog in /$BASIC did not get ready"
ready unlhog "$SPAWNED" 60 || diag "the hog in /$UNL did not get ready"
WHY=
snap "$T/s1.json" || diag "snapshot: $WHY"
BASIC_CUR=$(cat "$CG/$BASIC/memory.current")
B="cgroups[path=/$BASIC]"
U="cgroups[path=/$UNL]"

t_limits() {
	[ "$(j "$T/s1.json" "$B")" != "<missing>" ] || {
		because "/$BASIC is not in the snapshot's cgroups"
		return 1
	}
	eq version "$(j "$T/s1.json" "$B.version")" 2
	eq "limit_bytes (memory.max 48M)" "$(j "$T/s1.json" "$B.limit_bytes")" 50331648
	eq "high_bytes (memory.high 40M)" "$(j "$T/s1.json" "$B.high_bytes")" 41943040
	eq "min_bytes (memory.min 4M)" "$(j "$T/s1.json" "$B.min_bytes")" 4194304
	eq "swap_max_bytes (memory.swap.max 16M)" "$(j "$T/s1.json" "$B.swap_max_bytes")" 16777216
	eq "oom_group (memory.oom.group 1)" "$(j "$T/s1.json" "$B.oom_group")" true
	near "usage_bytes (memory.current $BASIC_CUR)" "$(j "$T/s1.json" "$B.usage_bytes")" "$BASIC_CUR" 1048576
	gt "usage_bytes (an 8 MiB hog runs in it)" "$(j "$T/s1.json" "$B.usage_bytes")" 8388607
	eq nr_processes "$(j "$T/s1.json" "$B.nr_processes")" 1
	eq "processes[pid=$BASIC_PID].cgroup" "$(j "$T/s1.json" "processes[pid=$BASIC_PID].cgroup")" "/$BASIC"
	pass
}
check "batch JSON of a v2 cgroup: usage, memory.max, high, min, swap.max, oom.group" t_limits

t_docker_map() {
	eq "swap_limit_bytes (--memory-swap = memory.max 48M + swap.max 16M)" \
		"$(j "$T/s1.json" "$B.swap_limit_bytes")" 67108864
	eq "reservation_bytes (--memory-reservation = memory.low 8M)" \
		"$(j "$T/s1.json" "$B.reservation_bytes")" 8388608
	pass
}
check "Docker-flag mapping on v2: memory-swap = memory.max + swap.max, memory-reservation = memory.low" t_docker_map

t_v1_only() {
	eq "swappiness (--memory-swappiness)" "$(j "$T/s1.json" "$B.swappiness")" null
	eq "oom_kill_disable (--oom-kill-disable)" "$(j "$T/s1.json" "$B.oom_kill_disable")" null
	na=$(j "$T/s1.json" "$B.not_available")
	case $na in
	*'"swappiness"'*) ;;
	*) because "the cgroup's not_available list ($na) does not name swappiness" ;;
	esac
	case $na in
	*'"oom_kill_disable"'*) ;;
	*) because "the cgroup's not_available list ($na) does not name oom_kill_disable" ;;
	esac
	pass
}
check "v1-only settings (swappiness, oom_kill_disable) are null and in not_available on v2" t_v1_only

t_unlimited() {
	[ "$(j "$T/s1.json" "$U")" != "<missing>" ] || {
		because "/$UNL is not in the snapshot's cgroups"
		return 1
	}
	eq "limit_bytes" "$(j "$T/s1.json" "$U.limit_bytes")" max
	eq "swap_limit_bytes" "$(j "$T/s1.json" "$U.swap_limit_bytes")" max
	eq "swap_max_bytes" "$(j "$T/s1.json" "$U.swap_max_bytes")" max
	eq "high_bytes" "$(j "$T/s1.json" "$U.high_bytes")" max
	eq "reservation_bytes" "$(j "$T/s1.json" "$U.reservation_bytes")" 0
	eq "min_bytes" "$(j "$T/s1.json" "$U.min_bytes")" 0
	eq "oom_group" "$(j "$T/s1.json" "$U.oom_group")" false
	eq "avail.limited_by" "$(j "$T/s1.json" "$U.avail.limited_by")" host
	pass
}
check "a v2 cgroup without limits: \"max\" (unlimited), distinct from 0" t_unlimited
rmcg $BASIC
rmcg $UNL
reap

# 7-11. A process with pages in swap: 64 MiB under memory.max 32M, swap.max 96M.
SWAP=vmt/swap
mkcg $SWAP memory.max=32M memory.swap.max=96M || diag "set-up of /$SWAP: $WHY"
spawn $SWAP 64 0 swaphog
SWAP_PID=$SPAWNED
ready swaphog "$SWAP_PID" 120 || diag "the 64 MiB hog in /$SWAP did not get ready: $(tail -n 2 "$T/hog.err")"
sleep 1
WHY=
snap "$T/s2.json" || diag "snapshot: $WHY"
# What the kernel says, read right after the snapshot.
K_SWAP=$(status_kb "$SWAP_PID" VmSwap)
K_RSS=$(status_kb "$SWAP_PID" VmRSS)
K_PTE=$(status_kb "$SWAP_PID" VmPTE)
K_SCORE=$(cat "/proc/$SWAP_PID/oom_score" 2>/dev/null)
K_CG_SWAP=$(cat "$CG/$SWAP/memory.swap.current" 2>/dev/null)
P="processes[pid=$SWAP_PID]"
C="cgroups[path=/$SWAP]"
diag "swaphog pid $SWAP_PID: VmRSS $K_RSS kB, VmSwap $K_SWAP kB, VmPTE $K_PTE kB, oom_score $K_SCORE; memory.swap.current $K_CG_SWAP"

t_swap_proc() {
	[ "$(j "$T/s2.json" "$P")" != "<missing>" ] || {
		because "pid $SWAP_PID is not in the snapshot's processes"
		return 1
	}
	gt "VmSwap of the hog (kB; the kernel's own)" "$K_SWAP" 16384
	near "swap_kb (VmSwap $K_SWAP)" "$(j "$T/s2.json" "$P.swap_kb")" "$K_SWAP" 1024
	near "rss_kb (VmRSS $K_RSS)" "$(j "$T/s2.json" "$P.rss_kb")" "$K_RSS" 1024
	near "pgtables_kb (VmPTE $K_PTE)" "$(j "$T/s2.json" "$P.pgtables_kb")" "$K_PTE" 16
	eq cgroup "$(j "$T/s2.json" "$P.cgroup")" "/$SWAP"
	pass
}
check "swap per process: a hog with pages in zram shows its swap_kb" t_swap_proc

t_swap_cg() {
	gt "memory.swap.current (the kernel's own)" "$K_CG_SWAP" 16777216
	near "swap_usage_bytes (memory.swap.current $K_CG_SWAP)" "$(j "$T/s2.json" "$C.swap_usage_bytes")" "$K_CG_SWAP" 1048576
	eq "swap_max_bytes (96M)" "$(j "$T/s2.json" "$C.swap_max_bytes")" 100663296
	eq "swap_limit_bytes (32M + 96M)" "$(j "$T/s2.json" "$C.swap_limit_bytes")" 134217728
	isint "$K_CG_SWAP" && near "avail.swap_headroom_bytes (96M - swap.current)" \
		"$(j "$T/s2.json" "$C.avail.swap_headroom_bytes")" $((100663296 - K_CG_SWAP)) 1048576
	pass
}
check "swap per cgroup: swap usage, swap.max, memory-swap and the swap headroom" t_swap_cg

t_host_swap() {
	h=host
	eq "swap_total_kb (SwapTotal)" "$(j "$T/s2.json" $h.swap_total_kb)" "$(meminfo SwapTotal)"
	near "swap_free_kb (SwapFree)" "$(j "$T/s2.json" $h.swap_free_kb)" "$(meminfo SwapFree)" 2048
	near "swap_cache_kb (SwapCached)" "$(j "$T/s2.json" $h.swap_cache_kb)" "$(meminfo SwapCached)" 2048
	near "page_cache_kb (Cached + SwapCached)" "$(j "$T/s2.json" $h.page_cache_kb)" \
		$(($(meminfo Cached) + $(meminfo SwapCached))) 4096
	st=$(j "$T/s2.json" $h.swap_total_kb)
	sf=$(j "$T/s2.json" $h.swap_free_kb)
	isint "$st" && isint "$sf" && gt "swap in use (swap_total_kb - swap_free_kb)" $((st - sf)) 16384
	sum=0
	for k in mem_free_kb page_cache_kb swap_free_kb swap_cache_kb dentry_cache_kb inode_cache_kb; do
		v=$(j "$T/s2.json" $h.$k)
		isint "$v" || {
			because "host.$k is $v"
			continue
		}
		sum=$((sum + v))
	done
	eq "vm_enough_kb (the sum of the six 2.4 components)" "$(j "$T/s2.json" $h.vm_enough_kb)" "$sum"
	pass
}
check "host swap components: SwapTotal, SwapFree, SwapCached, and the 2.4 sum with them" t_host_swap

t_kernel_score() {
	score=$(j "$T/s2.json" "$P.oom_score")
	rec=$(j "$T/s2.json" "$P.oom_score_recomputed")
	near "oom_score (the kernel's file: $K_SCORE)" "$score" "$K_SCORE" 1
	near "oom_score_recomputed (oom_score $score)" "$rec" "$score" 1
	rss=$(j "$T/s2.json" "$P.rss_kb")
	sw=$(j "$T/s2.json" "$P.swap_kb")
	pt=$(j "$T/s2.json" "$P.pgtables_kb")
	pk=$(j "$T/s2.json" host.page_size)
	isint "$pk" && pk=$((pk / 1024)) || pk=0
	if isint "$rss" && isint "$sw" && isint "$pt" && [ "$pk" -gt 0 ]; then
		near "badness_kernel (rss + swap + page tables, in pages)" \
			"$(j "$T/s2.json" "$P.badness_kernel")" $(((rss + sw) / pk + pt * 1024 / (pk * 1024))) 2
		# The kernel counts swap: without it, oom_score would be clearly lower.
		tp=$((($(meminfo MemTotal) + $(meminfo SwapTotal)) / pk))
		noswap=$(((1000 + (rss / pk + pt / pk) * 1000 / tp) * 2 / 3))
		isint "$K_SCORE" && gt "the kernel's oom_score $K_SCORE over the score without swap ($noswap) by at least 10" \
			$((K_SCORE - noswap)) 9
	else
		because "rss_kb $rss, swap_kb $sw, pgtables_kb $pt: not all numbers"
	fi
	pass
}
check "kernel score of a swapped process: oom_score counts swap, and the recomputation agrees within 1" t_kernel_score

# The bpf collector on Debian's 6.1 (struct mm_rss_stat's atomics, cgroup v2),
# field by field against the /proc collector (tests/vm/bpfcmp.c), with the
# swapped hog alive: its swap entries come from the old counter layout.
t_bpf_diff() {
	for c in bpf proc bpf; do
		n=$((${n:-0} + 1))
		timeout 60 oomlens -b -n 1 --format json --no-config --collector $c >"$T/c$n.json" 2>"$T/c$n.err" || {
			because "--collector $c: $(head -c 300 "$T/c$n.err")"
			return 1
		}
	done
	eq "collector of the first snapshot" "$(j "$T/c1.json" collector)" bpf
	eq "collector of the second" "$(j "$T/c2.json" collector)" proc
	bpfcmp "$T/c1.json" "$T/c2.json" "$T/c3.json" "$(grep -c ^processor /proc/cpuinfo)" >"$T/cmp.out" 2>&1 ||
		because "bpfcmp: $(grep -v '^bpfcmp:' "$T/cmp.out" | head -n 5 | tr '\n' ';')"
	diag "$(tail -n 1 "$T/cmp.out")"
	pass
}
check "the bpf collector equals the /proc collector field by field (6.1 rss layout, cgroup v2)" t_bpf_diff

# The 2.4 badness, worked out independently (oom-model.md section 2).
gorman() { # gorman VM_KB CPU_TICKS START_TICKS NOW_TICKS NICE ROOT ADMIN RAWIO PAGE_KB HZ
	awk -v vm="$1" -v cpu="$2" -v st="$3" -v now="$4" -v nice="$5" -v root="$6" \
		-v admin="$7" -v rawio="$8" -v pk="$9" -v hz="${10}" '
	function pow2(n,   r) { r = 1; while (n-- > 0) r *= 2; return r }
	function isqrt(x,   out) {
		out = x
		while (x >= 2) { x = int(x / 4); out = int(out / 2) }
		if (x) out -= int(out / 4)
		return out ? out : 1
	}
	BEGIN {
		shift = 3
		split("24 48 96 192 384 768 1536 3072 6144 12288", lim, " ")
		if (hz >= 12) { shift = 13; for (i = 1; i <= 10; i++) if (hz < lim[i]) { shift = i + 3; break } }
		points = int(vm / pk)
		cpu_time = int(cpu / pow2(shift + 3))
		run_time = int((now > st ? now - st : 0) / pow2(shift + 10))
		points = int(points / isqrt(cpu_time))
		points = int(points / isqrt(isqrt(run_time)))
		if (nice > 0) points *= 2
		if (admin == "true" || root) points = int(points / 4)
		if (rawio == "true") points = int(points / 4)
		print points
	}'
}

t_gorman() {
	g=$(j "$T/s2.json" "$P.badness_gorman")
	hz=$(j "$T/s2.json" host.clk_tck)
	pk=$(j "$T/s2.json" host.page_size)
	if ! isint "$hz" || ! isint "$pk" || [ "$pk" -lt 1024 ]; then
		because "host.clk_tck is $hz, host.page_size is $pk"
		return 1
	fi
	pk=$((pk / 1024))
	uid=$(j "$T/s2.json" "$P.uid")
	euid=$(j "$T/s2.json" "$P.euid")
	root=0
	[ "$uid" = 0 ] || [ "$euid" = 0 ] && root=1
	up=$(awk -v hz="$hz" '{ printf "%d", $1 * hz }' /proc/uptime)
	args="$(j "$T/s2.json" "$P.vm_size_kb") $(j "$T/s2.json" "$P.cpu_ticks") $(j "$T/s2.json" "$P.start_ticks")"
	nice=$(j "$T/s2.json" "$P.nice")
	admin=$(j "$T/s2.json" "$P.cap_sys_admin")
	rawio=$(j "$T/s2.json" "$P.cap_sys_rawio")
	set -- $args
	w1=$(gorman "$1" "$2" "$3" "$up" "$nice" "$root" "$admin" "$rawio" "$pk" "$hz")
	w2=$(gorman "$1" "$2" "$3" $((up - 5 * hz)) "$nice" "$root" "$admin" "$rawio" "$pk" "$hz")
	gt "badness_gorman" "$g" 0 || return 1
	[ "$g" = "$w1" ] || [ "$g" = "$w2" ] ||
		because "badness_gorman is $g, the 2.4 rules give $w1 (vm_size_kb $1, cpu_ticks $2, start_ticks $3, nice $nice, uid $uid, cap_sys_admin $admin, cap_sys_rawio $rawio, HZ $hz)"
	pass
}
check "Gorman's 2.4 badness of the swapped process, worked out independently" t_gorman
rmcg $SWAP
reap

# 12-16. A real OOM kill at memory.max, and the prediction before it.
# Three hogs of 8, 28 and 12 MiB under memory.max 72M with no swap; a fourth
# of 28 MiB pushes the cgroup over.  oom_score_adj 500 on the 12 MiB one
# makes it the victim (12 MiB + 500/1000 of 72 MiB beats 28 MiB); with every
# adj 0 the 28 MiB one is (size decides).  The fourth has at most ~24 MiB
# when the OOM killer runs, so it never outranks the predicted one, and
# after the kill it fits.
# The prediction is about the first kill: under slow emulation the OOM
# reaper can give up on the first victim before its memory is freed, and the
# fourth hog, still charging, then causes a second kill.  So the victim is
# the first "Killed process" of these hogs in the kernel log.
# oom_scenario CGROUP ADJ_C: sets PRED (oomlens's predicted pid), FIRST (the
# first pid the kernel killed), KILLED (all the pids that died), PIDS (a b c
# d), EV0/EV1 (memory.events oom_kill before/after), VM0/VM1 (/proc/vmstat
# oom_kill), SNAP (the JSON before).
oom_scenario() {
	cg=$1
	adj_c=$2
	WHY=
	KILLED=
	PRED=
	mkcg "$cg" memory.max=72M memory.swap.max=0 memory.high=max || diag "set-up of /$cg: $WHY"
	spawn "$cg" 8 0 oomA
	pa=$SPAWNED
	spawn "$cg" 28 0 oomB
	pb=$SPAWNED
	spawn "$cg" 12 "$adj_c" oomC
	pc=$SPAWNED
	for x in "oomA $pa" "oomB $pb" "oomC $pc"; do
		set -- $x
		ready "$1" "$2" 60 || diag "$1 (pid $2) did not get ready"
	done
	SNAP=$T/oom-$(basename "$cg").json
	WHY=
	snap "$SNAP" || diag "snapshot before the OOM: $WHY"
	PRED=$(j "$SNAP" "cgroups[path=/$cg].next_victim.pid")
	EV0=$(kv "$CG/$cg/memory.events" oom_kill)
	VM0=$(vmstat oom_kill)
	spawn "$cg" 28 0 oomD
	pd=$SPAWNED
	ready oomD "$pd" 60 || diag "oomD (pid $pd) did not get ready (or died)"
	PIDS="$pa $pb $pc $pd"
	# Let the kill finish: as many dead as memory.events counts, or 10 s.
	i=0
	while [ $i -lt 100 ]; do
		KILLED=
		for p in $PIDS; do
			alive "$p" || KILLED="$KILLED $p"
		done
		KILLED=${KILLED# }
		n=$(($(kv "$CG/$cg/memory.events" oom_kill) - ${EV0:-0}))
		[ -n "$KILLED" ] && [ "$(echo "$KILLED" | wc -w)" -ge "$n" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
	KILLED=
	for p in $PIDS; do
		alive "$p" || KILLED="$KILLED $p"
	done
	KILLED=${KILLED# }
	EV1=$(kv "$CG/$cg/memory.events" oom_kill)
	VM1=$(vmstat oom_kill)
	FIRST=$(first_killed $PIDS)
	diag "/$cg: oomA $pa, oomB $pb, oomC $pc (adj $adj_c), oomD $pd; predicted $PRED; killed first: ${FIRST:-none}; died: ${KILLED:-none}; memory.events oom_kill $EV0 -> $EV1; vmstat oom_kill $VM0 -> $VM1"
	[ "$KILLED" = "$FIRST" ] || [ -z "$FIRST" ] ||
		diag "more than one kill: after $FIRST the push went on (not part of the prediction)"
}

# first_killed PID...: the first of these pids the kernel log says it killed.
first_killed() {
	dmesg | sed -n 's/.*Killed process \([0-9][0-9]*\) .*/\1/p' | while read -r k; do
		for p in "$@"; do
			if [ "$k" = "$p" ]; then
				echo "$k"
				return
			fi
		done
	done | head -n 1
}

OOM=vmt/oom
oom_scenario $OOM 500
OOM_PIDS=$PIDS
set -- $OOM_PIDS
OOM_C=$3
OOM_KILLED=$KILLED
OOM_FIRST=$FIRST
OOM_PRED=$PRED
OOM_SNAP=$SNAP
OOM_EV1=$EV1
OOM_VM1=$VM1
OOM_EV0=$EV0
OOM_VM0=$VM0
snap "$T/s4.json" || diag "snapshot after the OOM: $WHY"

t_oom_counted() {
	isint "$OOM_EV0" || because "memory.events oom_kill before: $OOM_EV0"
	ndead=$(echo "$OOM_KILLED" | wc -w)
	gt "processes killed by the push" "$ndead" 0
	eq "memory.events oom_kill after the push" "$OOM_EV1" $((OOM_EV0 + ndead))
	eq "/proc/vmstat oom_kill after the push" "$OOM_VM1" $((OOM_VM0 + ndead))
	eq "the JSON's oom_events.oom_kill of /$OOM" "$(j "$T/s4.json" "cgroups[path=/$OOM].oom_events.oom_kill")" "$OOM_EV1"
	gt "the JSON's oom_events.oom of /$OOM" "$(j "$T/s4.json" "cgroups[path=/$OOM].oom_events.oom")" 0
	eq "the JSON's host.oom_kill" "$(j "$T/s4.json" host.oom_kill)" "$OOM_VM1"
	pass
}
check "a real OOM kill at memory.max: memory.events oom_kill counts it, and the batch JSON shows it" t_oom_counted

t_oom_predicted() {
	eq "the process the kernel killed (first 'Killed process' in its log)" "$OOM_FIRST" "$OOM_C"
	if ! isint "$OOM_PRED"; then
		because "no cgroups[path=/$OOM].next_victim.pid in the batch JSON before the OOM (it is $OOM_PRED)"
		return 1
	fi
	eq "the predicted victim (next_victim.pid)" "$OOM_PRED" "$OOM_FIRST"
	eq "next_victim.comm" "$(j "$OOM_SNAP" "cgroups[path=/$OOM].next_victim.comm")" oomC
	alive "$OOM_FIRST" && because "pid $OOM_FIRST is still alive"
	pass
}
check "the victim oomlens predicted (next_victim) is the process the kernel killed (oom_score_adj decides)" t_oom_predicted

t_oom_event_json() {
	k=$OOM_FIRST
	isint "$k" || {
		because "the kernel log names no killed hog"
		return 1
	}
	[ "$(j "$T/s4.json" oom_events)" != "<missing>" ] || {
		because "the batch JSON has no top-level oom_events list"
		return 1
	}
	e="oom_events[pid=$k]"
	[ "$(j "$T/s4.json" "$e")" != "<missing>" ] || {
		because "oom_events has no entry with pid $k: $(j "$T/s4.json" oom_events | head -c 300)"
		return 1
	}
	eq "$e.comm" "$(j "$T/s4.json" "$e.comm")" oomC
	eq "$e.cgroup" "$(j "$T/s4.json" "$e.cgroup")" "/$OOM"
	eq "$e.oom_score_adj" "$(j "$T/s4.json" "$e.oom_score_adj")" 500
	v=$(j "$T/s4.json" "$e.rss_kb")
	gt "$e.rss_kb (a 12 MiB hog)" "$v" 11263 && le "$e.rss_kb (a 12 MiB hog)" "$v" 16384
	for key in time constraint container; do
		[ "$(j "$T/s4.json" "$e.$key")" != "<missing>" ] || because "$e has no $key"
	done
	[ "$(j "$T/s4.json" "$e.constraint")" != null ] || because "$e.constraint is null"
	pass
}
check "the OOM kill is in the batch JSON's oom_events (pid, comm, cgroup, adj, rss)" t_oom_event_json

t_oom_events_cmd() {
	k=$OOM_FIRST
	timeout 60 oomlens events --format json >"$T/events.json" 2>"$T/events.err"
	rc=$?
	[ "$rc" = 0 ] || {
		because "oomlens events --format json exited $rc: $(head -c 300 "$T/events.err")"
		return 1
	}
	found=
	for q in "[pid=$k]" "oom_events[pid=$k]" "events[pid=$k]"; do
		if [ "$(j "$T/events.json" "$q.comm")" != "<missing>" ]; then
			found=$q
			break
		fi
	done
	[ -n "$found" ] || {
		because "no event with pid $k in: $(head -c 300 "$T/events.json")"
		return 1
	}
	eq "$found.comm" "$(j "$T/events.json" "$found.comm")" oomC
	eq "$found.cgroup" "$(j "$T/events.json" "$found.cgroup")" "/$OOM"
	pass
}
check "oomlens events --format json lists the OOM kill" t_oom_events_cmd
rmcg $OOM
reap

OOM2=vmt/oom2
oom_scenario $OOM2 0
set -- $PIDS
OOM2_B=$2

t_oom_size() {
	eq "the process the kernel killed (first 'Killed process' in its log)" "$FIRST" "$OOM2_B"
	if ! isint "$PRED"; then
		because "no cgroups[path=/$OOM2].next_victim.pid in the batch JSON before the OOM (it is $PRED)"
		return 1
	fi
	eq "the predicted victim (next_victim.pid)" "$PRED" "$FIRST"
	gt "memory.events oom_kill (before: $EV0)" "$EV1" "${EV0:-0}"
	pass
}
check "with every oom_score_adj 0 the largest dies, as predicted (size decides)" t_oom_size
rmcg $OOM2
reap

# 17-18. memory.oom.group = 1: the whole group dies.
GRP=vmt/grp
mkcg $GRP memory.max=72M memory.swap.max=0 memory.high=max memory.oom.group=1 || diag "set-up of /$GRP: $WHY"
GPIDS=
for x in "8 gA" "28 gB" "12 gC"; do
	set -- $x
	spawn $GRP "$1" 0 "$2"
	GPIDS="$GPIDS $SPAWNED"
	ready "$2" "$SPAWNED" 60 || diag "$2 did not get ready"
done
WHY=
snap "$T/s5.json" || diag "snapshot: $WHY"
G="cgroups[path=/$GRP]"

t_group_predicted() {
	eq "oom_group" "$(j "$T/s5.json" "$G.oom_group")" true
	v=$(j "$T/s5.json" "$G.next_victim")
	if [ "$v" = "<missing>" ] || [ "$v" = null ]; then
		because "no next_victim for /$GRP ($v)"
		return 1
	fi
	eq "next_victim.whole_group" "$(j "$T/s5.json" "$G.next_victim.whole_group")" true
	eq "next_victim.group_cgroup" "$(j "$T/s5.json" "$G.next_victim.group_cgroup")" "/$GRP"
	pass
}
check "memory.oom.group=1: the prediction says the whole group dies" t_group_predicted

t_group_dies() {
	ge0=$(kv "$CG/$GRP/memory.events" oom_group_kill)
	spawn $GRP 28 0 gD
	GPIDS="$GPIDS $SPAWNED"
	ready gD "$SPAWNED" 60
	left=
	for p in $GPIDS; do
		gone "$p" 10 || left="$left $p"
	done
	[ -z "$left" ] || because "still alive after the OOM:$left (of$GPIDS)"
	gt "memory.events oom_group_kill (before: $ge0)" "$(kv "$CG/$GRP/memory.events" oom_group_kill)" "${ge0:-0}"
	[ ! -s "$CG/$GRP/cgroup.procs" ] || because "cgroup.procs is not empty: $(tr '\n' ' ' <"$CG/$GRP/cgroup.procs")"
	pass
}
check "memory.oom.group=1: one push over memory.max kills every process of the group" t_group_dies
rmcg $GRP
reap

# 19. memory.high throttling: 48 MiB under memory.high 16M without swap.
HIGH=vmt/high
mkcg $HIGH memory.high=16M memory.swap.max=0 || diag "set-up of /$HIGH: $WHY"
spawn $HIGH 48 0 highhog
sleep 4
WHY=
snap "$T/s6.json" || diag "snapshot: $WHY"
H_EV=$(kv "$CG/$HIGH/memory.events" high)
H_SOME=$(psi_total "$CG/$HIGH/memory.pressure" some)
H_CUR=$(cat "$CG/$HIGH/memory.current")
diag "/$HIGH: memory.events high $H_EV, memory.pressure some total $H_SOME us, memory.current $H_CUR"
rmcg $HIGH
reap

t_high() {
	h="cgroups[path=/$HIGH]"
	eq "high_bytes" "$(j "$T/s6.json" "$h.high_bytes")" 16777216
	gt "memory.events high (the kernel's own)" "$H_EV" 0
	v=$(j "$T/s6.json" "$h.events_high")
	gt "events_high" "$v" 0 && le "events_high (memory.events high read after: $H_EV)" "$v" "$H_EV"
	v=$(j "$T/s6.json" "$h.psi.some.total_us")
	gt "psi.some.total_us" "$v" 0 && le "psi.some.total_us (memory.pressure read after: $H_SOME)" "$v" "$H_SOME"
	for k in avg10 avg60 avg300; do
		[ "$(j "$T/s6.json" "$h.psi.some.$k")" != "<missing>" ] || because "no psi.some.$k"
	done
	pass
}
check "memory.high throttling shows in the cgroup's PSI and memory.events high" t_high

# 20-23. oomlens set on v2 (the actions issue).
SET=vmt/set
mkcg $SET || diag "set-up of /$SET: $WHY"
setfiles() {
	for f in memory.max memory.swap.max memory.low memory.high memory.min memory.oom.group memory.swap.high; do
		printf '%s=%s ' "$f" "$(cat "$CG/$SET/$f" 2>/dev/null)"
	done
}

t_set() {
	timeout 60 oomlens set --cgroup "/$SET" --memory 64m --memory-swap 96m --memory-reservation 16m \
		--memory-high 48m --memory-min 8m --yes >"$T/set.out" 2>"$T/set.err"
	rc=$?
	[ "$rc" = 0 ] || because "oomlens set exited $rc: $(head -c 300 "$T/set.err")"
	eq "memory.max (--memory 64m)" "$(cat "$CG/$SET/memory.max")" 67108864
	eq "memory.swap.max (--memory-swap 96m - --memory 64m)" "$(cat "$CG/$SET/memory.swap.max")" 33554432
	eq "memory.low (--memory-reservation 16m)" "$(cat "$CG/$SET/memory.low")" 16777216
	eq "memory.high (--memory-high 48m)" "$(cat "$CG/$SET/memory.high")" 50331648
	eq "memory.min (--memory-min 8m)" "$(cat "$CG/$SET/memory.min")" 8388608
	snap "$T/s7.json" && eq "swap_limit_bytes read back" \
		"$(j "$T/s7.json" "cgroups[path=/$SET].swap_limit_bytes")" 100663296
	pass
}
check "oomlens set on v2: --memory, --memory-swap, --memory-reservation, --memory-high, --memory-min write the v2 files" t_set

# t_refuse FLAG...: refused as not available on cgroup v2, exit 1, nothing written.
t_refuse() {
	before=$(setfiles)
	timeout 60 oomlens set --cgroup "/$SET" "$@" --yes >"$T/refuse.out" 2>"$T/refuse.err"
	rc=$?
	after=$(setfiles)
	eq "exit status of oomlens set $*" "$rc" 1
	grep -q "not available on cgroup v2" "$T/refuse.err" ||
		because "stderr does not say 'not available on cgroup v2': $(head -c 200 "$T/refuse.err")"
	[ "$before" = "$after" ] || because "the cgroup's files changed: before: $before after: $after"
	pass
}
check "oomlens set --memory-swappiness 60 is refused on v2, nothing written" t_refuse --memory-swappiness 60
check "oomlens set --kernel-memory 64m is refused on v2, nothing written" t_refuse --kernel-memory 64m
check "oomlens set --oom-kill-disable is refused on v2, nothing written" t_refuse --oom-kill-disable
rmcg $SET

# 24. The UI in the guest's terminal: the container view shows the v2 cgroup
# and its memory.max.
UI=uitest42
mkcg $UI memory.max=40M || diag "set-up of /$UI: $WHY"
spawn $UI 4 0 uihog
ready uihog "$SPAWNED" 60 || diag "uihog did not get ready"

t_ui() {
	ptyrun -g 160x50 -o "$T/ui.raw" -w 6 -k c -w 6 -p -k q -w 3 -- oomlens -d 1 \
		>"$T/ui.screen" 2>"$T/ui.err"
	rc=$?
	[ "$rc" = 0 ] || {
		because "ptyrun exited $rc: $(head -c 200 "$T/ui.err")"
		return 1
	}
	# The screen after 'c', up to the final one.
	sed -n '/^=== screen after step/,/^=== final screen/p' "$T/ui.screen" >"$T/ui.view"
	grep -q "$UI" "$T/ui.view" || because "the container view does not show $UI"
	grep -E "$UI.*[^0-9.]40(\.0)? ?(M|MiB|MB)([^A-Za-z]|\$)|$UI.*41943040" "$T/ui.view" >/dev/null ||
		because "no row of the container view shows $UI with its limit 40M"
	if [ -z "$WHY" ]; then
		diag "container view row: $(grep "$UI" "$T/ui.view" | head -n 1 | sed 's/  */ /g')"
	else
		diag "the screen after 'c' ($(tr '\n' ' ' <"$T/ui.err")):"
		diag_file "$T/ui.view" 50
	fi
	pass
}
check "the UI under a pseudo-terminal (TERM=linux): the container view (c) shows the v2 cgroup with its limit" t_ui
rmcg $UI
reap

for p in $ALL_PIDS; do
	alive "$p" && kill -9 "$p" 2>/dev/null
done
[ -s "$T/hog.err" ] && {
	diag "hog messages:"
	diag_file "$T/hog.err" 10
}
echo "vm: $PASS passed, $FAIL failed"
