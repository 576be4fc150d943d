/*
 * act_write.h - the one way the actions module opens a file to write it:
 * relative to a pinned directory fd (a /proc/PID directory or a cgroup's
 * directory), never through a symlink or out of that directory, and only
 * on procfs or cgroupfs.  It knows nothing of plans or values.
 */
#ifndef OOMLENS_ACT_WRITE_H
#define OOMLENS_ACT_WRITE_H

/*
 * Open name (one path component) under dirfd for writing: openat2() with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS where the kernel has it, else
 * openat() with O_NOFOLLOW; then fstatfs() must say procfs, cgroupfs or
 * cgroup2.  An fd, or -errno (-EXDEV: another file system, -ELOOP: a
 * symlink, -EINVAL: not a single component).
 */
int act_open_write(int dirfd, const char *name);

/* Write text to name under dirfd with act_open_write() and one write(2); 0 or -errno. */
int act_write_text(int dirfd, const char *name, const char *text);

#endif
