/*
 * ptyrun.c - run a full-screen program under a pseudo-terminal, type keys
 * into it on a schedule, and print the screen it left, for the VM tests
 * (the guest has no tmux and busybox has no `script`).
 *
 *   ptyrun [-g COLSxROWS] [-o RAW_FILE] STEP... -- COMMAND [ARG...]
 *
 * STEPs run in order once COMMAND has started: -w SECONDS pumps the
 * program's output for that long (fractions allowed), -k KEYS writes KEYS
 * to the terminal (escapes: \n \r \t \e \\ \xNN), -p prints the screen as
 * it is now.  After the last step a program still running gets SIGTERM
 * and, a second later, SIGKILL.  Then the final screen is printed.  Each
 * screen printed starts with a line "=== screen after step N ===" (or
 * "=== final screen ==="), then one line a row with trailing blanks
 * removed.  "ptyrun: exit N" or "ptyrun: signal N" goes to stderr.
 *
 * The screen is kept by a small emulator of the Linux console's control
 * sequences, as far as ncurses uses them with TERM=linux: cursor
 * addressing and motion, erasing, inserting and deleting characters and
 * lines, scrolling regions, saved cursors, deferred wrap.  Attributes and
 * colours are ignored; every character is one cell wide.  RAW_FILE, if
 * given, receives everything the program wrote, for debugging.
 *
 * Exit status: 0 the screen was printed, 1 the program could not be run,
 * 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROWS   200
#define MAX_COLS   400
#define MAX_STEPS  64
#define MAX_PARAMS 16

struct cell {
	char ch[5]; /* one UTF-8 character, NUL-terminated; "" is blank */
};

struct term {
	int rows, cols;
	int r, c;	   /* cursor */
	bool wrap_pending; /* the last column was written: wrap before the next */
	int top, bot;	   /* scrolling region, inclusive */
	int saved_r, saved_c;
	struct cell *cells;
	char last[5]; /* the last character printed, for REP */

	/* Parser state. */
	enum { S_GROUND, S_ESC, S_ESC_SKIP, S_CSI, S_OSC, S_OSC_ESC } state;
	int params[MAX_PARAMS];
	int nparams;
	bool param_started;
	char priv; /* '?' or '>' after CSI, else 0 */
	char utf8[5];
	int utf8_len, utf8_need;
};

struct step {
	char kind; /* 'w', 'k' or 'p' */
	double seconds;
	char *keys;
	size_t keys_len;
};

static struct cell *
cell_at(struct term *t, int r, int c)
{
	return &t->cells[r * t->cols + c];
}

static void
blank_cells(struct term *t, int r, int c0, int c1)
{
	if (c0 < 0)
		c0 = 0;
	if (c1 > t->cols)
		c1 = t->cols;
	for (int c = c0; c < c1; c++)
		cell_at(t, r, c)->ch[0] = '\0';
}

static void
blank_rows(struct term *t, int r0, int r1)
{
	for (int r = r0; r < r1; r++)
		blank_cells(t, r, 0, t->cols);
}

/* Scroll rows top..bot up by n: the top n go, n blank rows come in at bot. */
static void
scroll_up(struct term *t, int top, int bot, int n)
{
	int h = bot - top + 1;

	if (n > h)
		n = h;
	memmove(cell_at(t, top, 0), cell_at(t, top + n, 0),
		(size_t)(h - n) * (size_t)t->cols * sizeof(struct cell));
	blank_rows(t, bot - n + 1, bot + 1);
}

/* Scroll rows top..bot down by n: n blank rows come in at top. */
static void
scroll_down(struct term *t, int top, int bot, int n)
{
	int h = bot - top + 1;

	if (n > h)
		n = h;
	memmove(cell_at(t, top + n, 0), cell_at(t, top, 0),
		(size_t)(h - n) * (size_t)t->cols * sizeof(struct cell));
	blank_rows(t, top, top + n);
}

static void
clamp_cursor(struct term *t)
{
	if (t->r < 0)
		t->r = 0;
	if (t->r >= t->rows)
		t->r = t->rows - 1;
	if (t->c < 0)
		t->c = 0;
	if (t->c >= t->cols)
		t->c = t->cols - 1;
	t->wrap_pending = false;
}

static void
line_feed(struct term *t)
{
	if (t->r == t->bot)
		scroll_up(t, t->top, t->bot, 1);
	else if (t->r < t->rows - 1)
		t->r++;
}

static void
reverse_index(struct term *t)
{
	if (t->r == t->top)
		scroll_down(t, t->top, t->bot, 1);
	else if (t->r > 0)
		t->r--;
}

static void
put_char(struct term *t, const char *ch)
{
	if (t->wrap_pending) {
		t->c = 0;
		line_feed(t);
		t->wrap_pending = false;
	}
	snprintf(cell_at(t, t->r, t->c)->ch, sizeof(t->cells[0].ch), "%s", ch);
	snprintf(t->last, sizeof(t->last), "%s", ch);
	if (t->c == t->cols - 1)
		t->wrap_pending = true;
	else
		t->c++;
}

static void
term_reset(struct term *t)
{
	blank_rows(t, 0, t->rows);
	t->r = t->c = 0;
	t->wrap_pending = false;
	t->top = 0;
	t->bot = t->rows - 1;
	t->saved_r = t->saved_c = 0;
	t->state = S_GROUND;
}

/* The n-th parameter, or def when it is absent or 0. */
static int
param(const struct term *t, int i, int def)
{
	if (i >= t->nparams || t->params[i] == 0)
		return def;
	return t->params[i];
}

static void
csi_dispatch(struct term *t, char final)
{
	int n = param(t, 0, 1);

	if (t->priv) /* private modes (cursor visibility and the like) */
		return;
	switch (final) {
	case 'A':
		t->r -= n;
		clamp_cursor(t);
		break;
	case 'B':
	case 'e':
		t->r += n;
		clamp_cursor(t);
		break;
	case 'C':
	case 'a':
		t->c += n;
		clamp_cursor(t);
		break;
	case 'D':
		t->c -= n;
		clamp_cursor(t);
		break;
	case 'E':
		t->r += n;
		t->c = 0;
		clamp_cursor(t);
		break;
	case 'F':
		t->r -= n;
		t->c = 0;
		clamp_cursor(t);
		break;
	case 'G':
	case '`':
		t->c = n - 1;
		clamp_cursor(t);
		break;
	case 'd':
		t->r = n - 1;
		clamp_cursor(t);
		break;
	case 'H':
	case 'f':
		t->r = param(t, 0, 1) - 1;
		t->c = param(t, 1, 1) - 1;
		clamp_cursor(t);
		break;
	case 'J':
		switch (t->nparams ? t->params[0] : 0) {
		case 0:
			blank_cells(t, t->r, t->c, t->cols);
			blank_rows(t, t->r + 1, t->rows);
			break;
		case 1:
			blank_rows(t, 0, t->r);
			blank_cells(t, t->r, 0, t->c + 1);
			break;
		default:
			blank_rows(t, 0, t->rows);
			break;
		}
		break;
	case 'K':
		switch (t->nparams ? t->params[0] : 0) {
		case 0:
			blank_cells(t, t->r, t->c, t->cols);
			break;
		case 1:
			blank_cells(t, t->r, 0, t->c + 1);
			break;
		default:
			blank_cells(t, t->r, 0, t->cols);
			break;
		}
		break;
	case '@':
		if (n > t->cols - t->c)
			n = t->cols - t->c;
		memmove(cell_at(t, t->r, t->c + n), cell_at(t, t->r, t->c),
			(size_t)(t->cols - t->c - n) * sizeof(struct cell));
		blank_cells(t, t->r, t->c, t->c + n);
		break;
	case 'P':
		if (n > t->cols - t->c)
			n = t->cols - t->c;
		memmove(cell_at(t, t->r, t->c), cell_at(t, t->r, t->c + n),
			(size_t)(t->cols - t->c - n) * sizeof(struct cell));
		blank_cells(t, t->r, t->cols - n, t->cols);
		break;
	case 'X':
		blank_cells(t, t->r, t->c, t->c + n);
		break;
	case 'L':
		if (t->r >= t->top && t->r <= t->bot)
			scroll_down(t, t->r, t->bot, n);
		break;
	case 'M':
		if (t->r >= t->top && t->r <= t->bot)
			scroll_up(t, t->r, t->bot, n);
		break;
	case 'S':
		scroll_up(t, t->top, t->bot, n);
		break;
	case 'T':
		scroll_down(t, t->top, t->bot, n);
		break;
	case 'b':
		for (int i = 0; i < n && t->last[0]; i++)
			put_char(t, t->last);
		break;
	case 'r':
		t->top = param(t, 0, 1) - 1;
		t->bot = param(t, 1, t->rows) - 1;
		if (t->top < 0 || t->bot >= t->rows || t->top >= t->bot) {
			t->top = 0;
			t->bot = t->rows - 1;
		}
		t->r = t->c = 0;
		t->wrap_pending = false;
		break;
	case 's':
		t->saved_r = t->r;
		t->saved_c = t->c;
		break;
	case 'u':
		t->r = t->saved_r;
		t->c = t->saved_c;
		clamp_cursor(t);
		break;
	default: /* m (attributes), h/l (modes), c, n, q and the rest: no effect on text */
		break;
	}
}

static void
esc_dispatch(struct term *t, unsigned char b)
{
	t->state = S_GROUND;
	switch (b) {
	case '[':
		t->state = S_CSI;
		t->nparams = 0;
		t->param_started = false;
		t->priv = 0;
		memset(t->params, 0, sizeof(t->params));
		break;
	case ']':
		t->state = S_OSC;
		break;
	case '(':
	case ')':
	case '*':
	case '+':
	case '#':
	case '%':
		t->state = S_ESC_SKIP; /* character set designation: one more byte */
		break;
	case '7':
		t->saved_r = t->r;
		t->saved_c = t->c;
		break;
	case '8':
		t->r = t->saved_r;
		t->c = t->saved_c;
		clamp_cursor(t);
		break;
	case 'D':
		line_feed(t);
		break;
	case 'E':
		t->c = 0;
		line_feed(t);
		break;
	case 'M':
		reverse_index(t);
		break;
	case 'c':
		term_reset(t);
		break;
	default: /* = > H and the rest */
		break;
	}
}

static void
feed_byte(struct term *t, unsigned char b)
{
	switch (t->state) {
	case S_ESC:
		esc_dispatch(t, b);
		return;
	case S_ESC_SKIP:
		t->state = S_GROUND;
		return;
	case S_OSC:
		if (b == 0x07)
			t->state = S_GROUND;
		else if (b == 0x1b)
			t->state = S_OSC_ESC;
		return;
	case S_OSC_ESC:
		t->state = b == '\\' ? S_GROUND : S_OSC;
		return;
	case S_CSI:
		if (b >= '0' && b <= '9') {
			if (t->nparams == 0)
				t->nparams = 1;
			if (t->params[t->nparams - 1] < 100000)
				t->params[t->nparams - 1] =
				    t->params[t->nparams - 1] * 10 + (b - '0');
		} else if (b == ';') {
			if (t->nparams == 0)
				t->nparams = 1;
			if (t->nparams < MAX_PARAMS)
				t->nparams++;
		} else if (b == '?' || b == '>' || b == '=') {
			t->priv = (char)b;
		} else if (b >= 0x40 && b <= 0x7e) {
			t->state = S_GROUND;
			csi_dispatch(t, (char)b);
		} else if (b == 0x1b) {
			t->state = S_ESC;
		} else if (b < 0x20) {
			/* C0 controls act even inside a sequence; ignore them here */
		}
		return;
	case S_GROUND:
		break;
	}

	if (t->utf8_need) {
		if ((b & 0xc0) == 0x80) {
			t->utf8[t->utf8_len++] = (char)b;
			if (--t->utf8_need == 0) {
				t->utf8[t->utf8_len] = '\0';
				put_char(t, t->utf8);
			}
			return;
		}
		t->utf8_need = 0; /* broken sequence: drop it, handle b afresh */
	}
	switch (b) {
	case 0x1b:
		t->state = S_ESC;
		return;
	case '\r':
		t->c = 0;
		t->wrap_pending = false;
		return;
	case '\n':
	case 0x0b:
	case 0x0c:
		line_feed(t);
		t->wrap_pending = false;
		return;
	case '\b':
		if (t->c > 0)
			t->c--;
		t->wrap_pending = false;
		return;
	case '\t':
		t->c = (t->c / 8 + 1) * 8;
		clamp_cursor(t);
		return;
	default:
		break;
	}
	if (b < 0x20 || b == 0x7f)
		return; /* BEL, SO, SI and other controls */
	if (b >= 0xc0 && b < 0xf8) {
		t->utf8[0] = (char)b;
		t->utf8_len = 1;
		t->utf8_need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
		return;
	}
	if (b >= 0x80) {
		put_char(t, "?");
		return;
	}
	{
		char s[2] = {(char)b, '\0'};

		put_char(t, s);
	}
}

static void
print_screen(struct term *t, int step)
{
	if (step > 0)
		printf("=== screen after step %d ===\n", step);
	else
		printf("=== final screen ===\n");
	for (int r = 0; r < t->rows; r++) {
		int end = t->cols;

		while (end > 0 && cell_at(t, r, end - 1)->ch[0] == '\0')
			end--;
		for (int c = 0; c < end; c++) {
			const char *ch = cell_at(t, r, c)->ch;

			fputs(ch[0] ? ch : " ", stdout);
		}
		putchar('\n');
	}
}

/* Decode \n \r \t \e \\ \xNN in place; returns the length. */
static size_t
unescape(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (*p != '\\' || !p[1]) {
			*o++ = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'e':
			*o++ = 0x1b;
			break;
		case 'x': {
			char hex[3] = {0, 0, 0};

			if (p[1] && p[2]) {
				hex[0] = p[1];
				hex[1] = p[2];
				*o++ = (char)strtol(hex, NULL, 16);
				p += 2;
			}
			break;
		}
		default:
			*o++ = *p;
			break;
		}
	}
	return (size_t)(o - s);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read what the program writes for `seconds` (or until it closes the terminal). */
static void
pump(int master, bool *open, struct term *t, FILE *raw, double seconds)
{
	double end = now_s() + seconds;

	for (;;) {
		double left = end - now_s();
		struct pollfd pfd = {.fd = master, .events = POLLIN};
		unsigned char buf[4096];
		ssize_t n;
		int r;

		if (left <= 0)
			return;
		if (!*open) {
			struct timespec ts = {(time_t)left,
					      (long)((left - (double)(time_t)left) * 1e9)};

			nanosleep(&ts, NULL);
			return;
		}
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) { /* EIO: every slave descriptor is closed */
			*open = false;
			continue;
		}
		if (raw)
			fwrite(buf, 1, (size_t)n, raw);
		for (ssize_t i = 0; i < n; i++)
			feed_byte(t, buf[i]);
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: ptyrun [-g COLSxROWS] [-o RAW_FILE] [-w SECONDS | -k KEYS | -p]... "
			"-- COMMAND [ARG...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct step steps[MAX_STEPS];
	struct winsize ws = {.ws_row = 40, .ws_col = 132};
	struct term t;
	const char *raw_path = NULL;
	FILE *raw = NULL;
	int nsteps = 0, master, status = 0, opt;
	bool open_ = true, exited = false;
	pid_t pid;
	char *slave;

	while ((opt = getopt(argc, argv, "+g:o:w:k:p")) != -1) {
		switch (opt) {
		case 'g': {
			unsigned cols, rows;

			if (sscanf(optarg, "%ux%u", &cols, &rows) != 2 || cols < 10 || rows < 5 ||
			    cols > MAX_COLS || rows > MAX_ROWS) {
				fprintf(stderr, "ptyrun: bad geometry '%s'\n", optarg);
				return 2;
			}
			ws.ws_col = (unsigned short)cols;
			ws.ws_row = (unsigned short)rows;
			break;
		}
		case 'o':
			raw_path = optarg;
			break;
		case 'w':
		case 'k':
		case 'p':
			if (nsteps == MAX_STEPS) {
				fprintf(stderr, "ptyrun: too many steps\n");
				return 2;
			}
			steps[nsteps].kind = (char)opt;
			if (opt == 'w') {
				char *end;

				steps[nsteps].seconds = strtod(optarg, &end);
				if (*end || steps[nsteps].seconds < 0 ||
				    steps[nsteps].seconds > 3600) {
					fprintf(stderr, "ptyrun: bad wait '%s'\n", optarg);
					return 2;
				}
			} else if (opt == 'k') {
				steps[nsteps].keys = optarg;
				steps[nsteps].keys_len = unescape(optarg);
			}
			nsteps++;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();

	memset(&t, 0, sizeof(t));
	t.rows = ws.ws_row;
	t.cols = ws.ws_col;
	t.cells = calloc((size_t)t.rows * (size_t)t.cols, sizeof(struct cell));
	if (!t.cells) {
		fprintf(stderr, "ptyrun: out of memory\n");
		return 1;
	}
	term_reset(&t);
	if (raw_path) {
		raw = fopen(raw_path, "w");
		if (!raw) {
			fprintf(stderr, "ptyrun: cannot create %s: %s\n", raw_path,
				strerror(errno));
			return 1;
		}
	}

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    !(slave = ptsname(master))) {
		fprintf(stderr, "ptyrun: cannot open a pseudo-terminal: %s\n", strerror(errno));
		return 1;
	}
	if (ioctl(master, TIOCSWINSZ, &ws) < 0) {
		fprintf(stderr, "ptyrun: cannot set the window size: %s\n", strerror(errno));
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "ptyrun: cannot fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		int fd;

		setsid();
		fd = open(slave, O_RDWR);
		if (fd < 0) {
			fprintf(stderr, "ptyrun: cannot open %s: %s\n", slave, strerror(errno));
			_exit(127);
		}
		ioctl(fd, TIOCSCTTY, 0);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "ptyrun: cannot run %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}

	for (int i = 0; i < nsteps; i++) {
		if (steps[i].kind == 'w') {
			pump(master, &open_, &t, raw, steps[i].seconds);
		} else if (steps[i].kind == 'p') {
			print_screen(&t, i + 1);
		} else if (open_) {
			ssize_t n = write(master, steps[i].keys, steps[i].keys_len);

			if (n != (ssize_t)steps[i].keys_len)
				fprintf(stderr, "ptyrun: could not type the keys of step %d\n",
					i + 1);
		}
	}
	if (waitpid(pid, &status, WNOHANG) == pid) {
		exited = true;
	} else {
		kill(pid, SIGTERM);
		pump(master, &open_, &t, raw, 1.0);
		if (waitpid(pid, &status, WNOHANG) == pid) {
			exited = true;
		} else {
			kill(pid, SIGKILL);
			exited = waitpid(pid, &status, 0) == pid;
		}
	}
	pump(master, &open_, &t, raw, 0.05);
	if (raw)
		fclose(raw);
	print_screen(&t, 0);
	if (exited && WIFEXITED(status))
		fprintf(stderr, "ptyrun: exit %d\n", WEXITSTATUS(status));
	else if (exited && WIFSIGNALED(status))
		fprintf(stderr, "ptyrun: signal %d\n", WTERMSIG(status));
	free(t.cells);
	return fflush(stdout) == 0 ? 0 : 1;
}
