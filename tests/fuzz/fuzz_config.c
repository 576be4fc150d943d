/*
 * fuzz_config.c - libFuzzer target for the config file (config_file.h):
 * config_parse() on any bytes (no NUL needed), then config_render() of what
 * it understood over the same text, which must parse back to the same
 * values for every key that was set.
 */
#include "config.h"

#include <math.h>

#include "config_file.h"
#include "fuzz.h"

/* Count the bad lines reported, and check each report. */
static void
count_report(void *arg, unsigned line, const char *reason)
{
	FUZZ_CHECK(line > 0);
	FUZZ_CHECK(reason != NULL && reason[0] != '\0');
	(*(int *)arg)++;
}

/* Every fixed string terminated, every number in range. */
static void
check_cfg(const struct config *c)
{
	FUZZ_CHECK(c->n_columns <= CONFIG_MAX_COLUMNS);
	for (size_t i = 0; i < c->n_columns; i++)
		FUZZ_CHECK(memchr(c->columns[i], '\0', CONFIG_COLUMN_LEN) != NULL);
	FUZZ_CHECK(memchr(c->audit_file, '\0', sizeof(c->audit_file)) != NULL);
	FUZZ_CHECK(memchr(c->docker_socket, '\0', sizeof(c->docker_socket)) != NULL);
	if (c->set & CFG_DELAY)
		FUZZ_CHECK(c->delay >= 0 && c->delay <= CONFIG_MAX_DELAY);
	if (c->set & CFG_SORT)
		FUZZ_CHECK((unsigned)c->sort < SORT__COUNT);
	if (c->set & CFG_VIEW)
		FUZZ_CHECK(c->view == CONFIG_VIEW_PROCESSES || c->view == CONFIG_VIEW_CONTAINERS);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *raw = malloc(size ? size : 1);
	char *old = fuzz_cstr(data, size);
	struct config *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	int reported = 0, bad;
	char *text;

	if (!raw || !a || !b)
		abort();
	if (size)
		memcpy(raw, data, size);
	bad = config_parse((const char *)raw, size, a, count_report, &reported);
	FUZZ_CHECK(bad == reported);
	check_cfg(a);

	text = config_render(old, strlen(old), a);
	FUZZ_CHECK(text != NULL);
	config_parse(text, strlen(text), b, NULL, NULL);
	check_cfg(b);
	FUZZ_CHECK((b->set & a->set) == a->set);
	if (a->set & CFG_VIEW)
		FUZZ_CHECK(a->view == b->view);
	if (a->set & CFG_SORT)
		FUZZ_CHECK(a->sort == b->sort);
	/* The writer prints the delay with %g: six significant digits survive. */
	if (a->set & CFG_DELAY)
		FUZZ_CHECK(fabs(a->delay - b->delay) <= a->delay * 1e-5);
	if (a->set & CFG_COLOR)
		FUZZ_CHECK(a->color == b->color);
	if (a->set & CFG_READ_ONLY)
		FUZZ_CHECK(a->read_only == b->read_only);
	if (a->set & CFG_PROTECT)
		FUZZ_CHECK(a->protect == b->protect);
	if (a->set & CFG_AUDIT_FILE)
		FUZZ_CHECK(strcmp(a->audit_file, b->audit_file) == 0);
	if (a->set & CFG_DOCKER_SOCKET)
		FUZZ_CHECK(strcmp(a->docker_socket, b->docker_socket) == 0);
	if (a->set & CFG_COLUMNS) {
		FUZZ_CHECK(a->n_columns == b->n_columns);
		for (size_t i = 0; i < a->n_columns && i < b->n_columns; i++)
			FUZZ_CHECK(strcmp(a->columns[i], b->columns[i]) == 0);
	}
	free(text);
	free(b);
	free(a);
	free(old);
	free(raw);
	return 0;
}
