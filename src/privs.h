/*
 * privs.h - least privilege: what --read-only gives up before oomlens reads
 * anything.  Nothing here knows about the model, the outputs or curses.
 */
#ifndef OOMLENS_PRIVS_H
#define OOMLENS_PRIVS_H

/*
 * Set no_new_privs, empty the bounding set (when CAP_SETPCAP allows it) and
 * the ambient set, then clear the effective, permitted and inheritable
 * sets.  0, or -errno of the first step that failed; the caller must not
 * go on reading as if the capabilities were gone.
 */
int privs_drop_all(void);

#endif
