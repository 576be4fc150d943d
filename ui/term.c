/*
 * term.c - the terminal under the monitor: curses set up with the keys
 * terminals send for Home and End whatever TERM says, the mouse and the
 * colours; given back exactly once whichever way the program ends (the
 * loop's end, a quit signal, a crash, a fatal error); and the escape
 * sequences of terminals curses does not know, read and dropped rather
 * than taken for Esc.  It owns the signal handlers; it draws nothing.
 */
#include "config.h"

#include "term.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "mouse.h"
#include "theme.h"
#include "util.h"

static volatile sig_atomic_t quit_signal;
static bool curses_on;
static SCREEN *screen;

static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
static struct sigaction crash_old[ARRAY_SIZE(crash_signals)];

/* Give the terminal back: idempotent, for every way out. */
static void
restore_terminal(void)
{
	if (!curses_on)
		return;
	curses_on = false;
	endwin();
}

static void
on_quit_signal(int sig)
{
	quit_signal = sig;
}

/* A crash: restore the terminal, then let the previous handler (or the default) act. */
static void
on_crash_signal(int sig)
{
	restore_terminal();
	for (size_t i = 0; i < ARRAY_SIZE(crash_signals); i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &crash_old[i], NULL);
	raise(sig);
}

static void
install_signals(void)
{
	static const int quit[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal; /* no SA_RESTART: a waiting read returns at once */
	for (size_t i = 0; i < ARRAY_SIZE(quit); i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = on_crash_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < ARRAY_SIZE(crash_signals); i++)
		sigaction(crash_signals[i], &sa, &crash_old[i]);
}

static void
uninstall_signals(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(crash_signals); i++)
		sigaction(crash_signals[i], &crash_old[i], NULL);
}

void
term_guard(void)
{
	install_signals();
	util_set_fatal_hook(restore_terminal);
	atexit(restore_terminal);
}

void
term_unguard(void)
{
	util_set_fatal_hook(NULL);
	uninstall_signals();
}

int
term_quit_signal(void)
{
	return quit_signal;
}

/*
 * Home and End as terminals send them whatever TERM says (tmux sends
 * \e[1~ and \e[4~ under any TERM, xterm \eOH and \eOF, rxvt \e[7~ and \e[8~).
 */
static void
define_extra_keys(void)
{
	static const struct {
		const char *seq;
		int key;
	} extra[] = {
	    {"\033[1~", KEY_HOME}, {"\033[4~", KEY_END}, {"\033[7~", KEY_HOME},
	    {"\033[8~", KEY_END},  {"\033[H", KEY_HOME}, {"\033[F", KEY_END},
	    {"\033OH", KEY_HOME},  {"\033OF", KEY_END},
	};

	for (size_t i = 0; i < ARRAY_SIZE(extra); i++)
		if (key_defined(extra[i].seq) == 0)
			define_key(extra[i].seq, extra[i].key);
}

/* Whether the terminal can address the cursor (terminfo's cup). */
static bool
cursor_can_move(void)
{
	char *cup = tigetstr("cup");

	return cup && cup != (char *)-1 && *cup;
}

bool
term_start(bool want_color)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "oomlens: the monitor needs a terminal; use -b for batch output\n");
		return false;
	}
	screen = newterm(NULL, stdout, stdin);
	/* A terminal that cannot move the cursor (dumb) would show a blank screen. */
	if (screen && !cursor_can_move()) {
		endwin();
		delscreen(screen);
		screen = NULL;
	}
	if (!screen) {
		fprintf(stderr,
			"oomlens: cannot use the terminal \"%s\"; use -b for batch output\n",
			term ? term : "(TERM unset)");
		return false;
	}
	curses_on = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	define_extra_keys();
	mouse_init();
	set_escdelay(25);
	curs_set(0);
	theme_init(want_color);
	return true;
}

void
term_stop(void)
{
	restore_terminal();
	if (screen)
		delscreen(screen);
	screen = NULL;
}

/*
 * After an Esc: if "[" or "O" follows at once, this is a function key of
 * some terminal curses does not know (CSI or SS3), not the Esc key: read
 * the rest of it (parameters, then a final byte from @ to ~) and say so.
 * Anything else after the Esc is given back to be read as a key.
 */
bool
term_unknown_sequence(void)
{
	wint_t wc;
	int r;

	timeout(0);
	r = get_wch(&wc);
	if (r == ERR)
		return false;
	if (r != OK || (wc != '[' && wc != 'O')) {
		if (r == KEY_CODE_YES)
			ungetch((int)wc);
		else
			unget_wch((wchar_t)wc);
		return false;
	}
	for (int n = 0; n < 32; n++) {
		r = get_wch(&wc);
		if (r == ERR || (r == OK && wc >= 0x40 && wc <= 0x7e))
			break;
	}
	return true;
}
