"""Finding the memory controller and the test's own memory cgroup, for the
Python system tests: mounts from /proc/self/mountinfo (never assumed), the
cgroup from /proc/self/cgroup.  Tests create their cgroups under that one."""
import os


def unescape(s):
    """mountinfo's octal escapes (\\040 for a space)."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 3 < len(s) and s[i + 1:i + 4].isdigit():
            out.append(chr(int(s[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def find_memory_mount():
    """(version, mount point, hierarchy root shown by the mount), or None."""
    v2 = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            if "-" not in fields[6:]:
                continue
            sep = fields.index("-", 6)
            fstype = fields[sep + 1]
            superopts = fields[sep + 3] if len(fields) > sep + 3 else ""
            root, mnt = unescape(fields[3]), unescape(fields[4])
            if fstype == "cgroup" and "memory" in superopts.split(","):
                return 1, mnt, root
            if fstype == "cgroup2":
                v2.append((mnt, root))
    for mnt, root in v2:
        try:
            with open(os.path.join(mnt, "cgroup.controllers")) as f:
                if "memory" in f.read().split():
                    return 2, mnt, root
        except OSError:
            pass
    return None


def own_cgroup(version):
    """This process's path in the memory hierarchy of that version, or None."""
    with open("/proc/self/cgroup") as f:
        for line in f:
            hid, ctl, path = line.rstrip("\n").split(":", 2)
            if version == 1 and "memory" in ctl.split(","):
                return path
            if version == 2 and hid == "0" and ctl == "":
                return path
    return None


def own_dir(mnt, mroot, own):
    """The directory of cgroup path own under a mount of hierarchy root mroot,
    or None when own lies outside the mounted part."""
    if mroot != "/" and not (own + "/").startswith(mroot.rstrip("/") + "/"):
        return None
    rel = own[len(mroot.rstrip("/")):] if mroot != "/" else own
    return os.path.join(mnt, rel.lstrip("/"))


def write(path, value):
    with open(path, "w") as f:
        f.write(str(value))
