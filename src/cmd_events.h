/*
 * cmd_events.h - the `oomlens events` and `oomlens fits` subcommands.
 * Each takes its own argv (argv[0] is the subcommand's name) and returns
 * the process's exit status; neither calls exit().
 */
#ifndef OOMLENS_CMD_EVENTS_H
#define OOMLENS_CMD_EVENTS_H

/* oomlens events [--format text|json] [--follow] [--root DIR]: 0, 1 unreadable, 2 usage. */
int cmd_events(int argc, char **argv);

/*
 * oomlens fits SIZE [--cgroup PATH|NAME] [--format text|json] [--root DIR]:
 * 0 fits, 3 fits only after reclaim, 4 does not fit, 1 unknown, 2 usage.
 */
int cmd_fits(int argc, char **argv);

#endif
