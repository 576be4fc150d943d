/*
 * users.h - user names for the USER column and the filter, looked up once
 * per uid and kept for the life of the monitor.
 */
#ifndef OOMLENS_UI_USERS_H
#define OOMLENS_UI_USERS_H

#include "model.h"

/* The name of the user in v, its number when it has none, "-" when v is unknown. */
const char *user_name(struct val uid);
/* Forget every name. */
void users_free(void);

#endif
