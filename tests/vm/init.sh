#!/bin/sh
# init.sh - /init of the VM tests' initramfs (busybox sh): mount the kernel's
# file systems (cgroup v2 among them), run the checks of /tests/guest.sh on
# the serial console, and power off.  Setting up the memory controller and
# the zram swap is itself a check, done by guest.sh, so that a failure shows
# as a result line rather than a silent hang.
export PATH=/bin HOME=/root TERM=linux LANG=C
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 none /sys/fs/cgroup
# Keep the kernel's messages (the OOM reports above all) off the console.
dmesg -n 1
echo "vm: guest up, kernel $(uname -r)"
sh /tests/guest.sh </dev/null
echo "vm: guest done"
sync
poweroff -f
