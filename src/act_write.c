/*
 * act_write.c - open and write a kernel file under a pinned directory fd
 * (act_write.h).  Under --root or on a kernel that lets someone swap a file
 * for a symlink, a plain openat() would follow it to any file on the
 * system, as root; so the kernel is asked to refuse symlinks and escapes
 * itself (openat2), and the file system the fd landed on is checked.
 */
#include "config.h"

#include "act_write.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* Whether fd is on procfs, cgroupfs (v1) or cgroup2. */
static int
on_kernel_fs(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return -errno;
	switch ((unsigned long)sf.f_type) {
	case PROC_SUPER_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
		return 0;
	default:
		return -EXDEV;
	}
}

int
act_open_write(int dirfd, const char *name)
{
	const int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW;
	struct open_how how;
	int fd, r;

	if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)flags;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	do
		fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
	while (fd < 0 && errno == EINTR);
	if (fd < 0 && (errno == ENOSYS || errno == E2BIG)) {
		do
			fd = openat(dirfd, name, flags);
		while (fd < 0 && errno == EINTR);
	}
	if (fd < 0)
		return -errno;
	r = on_kernel_fs(fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int
act_write_text(int dirfd, const char *name, const char *text)
{
	size_t len = strlen(text);
	ssize_t w;
	int fd, e;

	fd = act_open_write(dirfd, name);
	if (fd < 0)
		return fd;
	do
		w = write(fd, text, len);
	while (w < 0 && errno == EINTR);
	e = w < 0 ? errno : (size_t)w != len ? EIO : 0;
	if (close(fd) < 0 && e == 0 && errno != EINTR)
		e = errno;
	return -e;
}
