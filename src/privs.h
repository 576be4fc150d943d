/*
 * privs.h - least privilege: what --read-only gives up before oomlens reads
 * anything.  Nothing here knows about the model, the outputs or curses.
 */
#ifndef OOMLENS_PRIVS_H
#define OOMLENS_PRIVS_H

#include <stdbool.h>

/*
 * Set no_new_privs, empty the bounding set (when CAP_SETPCAP allows it) and
 * the ambient set, then clear the effective, permitted and inheritable
 * sets.  0, or -errno of the first step that failed; the caller must not
 * go on reading as if the capabilities were gone.
 */
int privs_drop_all(void);

/*
 * Whether the environment asks for read-only mode (OOMLENS_READ_ONLY=1,
 * through secure_getenv()).  The one rule for every front end: read-only
 * from the command line, this variable or read_only = yes in the config
 * file, whichever says so first, drops everything with privs_drop_all()
 * before the system is read.
 */
bool privs_read_only_env(void);

#endif
