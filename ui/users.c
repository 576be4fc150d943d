/*
 * users.c - a small uid -> name cache over getpwuid_r().  Names are kept as
 * the password database has them; the screens escape them like any other
 * text they did not make.
 */
#include "config.h"

#include "users.h"

#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct user_entry {
	int64_t uid;
	char *name;
};

static struct user_entry *users;
static size_t n_users, cap_users;

const char *
user_name(struct val uid)
{
	struct passwd pw, *res = NULL;
	char buf[1024], num[24];

	if (!val_is_ok(uid))
		return "-";
	for (size_t i = 0; i < n_users; i++)
		if (users[i].uid == uid.v)
			return users[i].name;
	if (n_users == cap_users) {
		cap_users = cap_users ? cap_users * 2 : 16;
		users = xrealloc(users, cap_users * sizeof(*users));
	}
	users[n_users].uid = uid.v;
	if (getpwuid_r((uid_t)uid.v, &pw, buf, sizeof(buf), &res) == 0 && res && res->pw_name) {
		users[n_users].name = xstrdup(res->pw_name);
	} else {
		snprintf(num, sizeof(num), "%" PRId64, uid.v);
		users[n_users].name = xstrdup(num);
	}
	return users[n_users++].name;
}

void
users_free(void)
{
	for (size_t i = 0; i < n_users; i++)
		free(users[i].name);
	free(users);
	users = NULL;
	n_users = cap_users = 0;
}
