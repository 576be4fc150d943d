/*
 * fuzz_container.c - libFuzzer target for container identity: the cgroup
 * path forms (container_parse_path), the runtimes' metadata (Docker's
 * config.v2.json and Engine API list, Podman's containers.json, an OCI
 * config.json).  The first input line is the container id the lists are
 * searched for; the whole input is also a cgroup path.
 */
#include "config.h"

#include <errno.h>

#include "container.h"
#include "fuzz.h"

/* Every fixed field terminated, the runtime one of the enum. */
static void
check_id(const struct container_id *c)
{
	const char *label;

	FUZZ_CHECK(c->runtime >= CT_NONE && c->runtime <= CT_UNKNOWN);
	FUZZ_CHECK(memchr(c->id, '\0', sizeof(c->id)) != NULL);
	FUZZ_CHECK(memchr(c->name, '\0', sizeof(c->name)) != NULL);
	FUZZ_CHECK(memchr(c->pod, '\0', sizeof(c->pod)) != NULL);
	FUZZ_CHECK(memchr(c->ns, '\0', sizeof(c->ns)) != NULL);
	label = container_label(c);
	FUZZ_CHECK(label != NULL && strlen(label) < 128);
	FUZZ_CHECK((c->runtime == CT_NONE) == (container_runtime_name(c->runtime) == NULL));
}

/* The path parser with a pod uid buffer of exactly uidsz bytes. */
static void
path_once(const char *path, size_t uidsz)
{
	struct container_id c;
	char *uid = uidsz ? malloc(uidsz) : NULL;
	int r;

	r = container_parse_path(path, &c, uid, uidsz);
	FUZZ_CHECK(r == 0 || r == -ENOENT);
	check_id(&c);
	FUZZ_CHECK(r == 0 || c.runtime == CT_NONE);
	if (uid)
		FUZZ_CHECK(memchr(uid, '\0', uidsz) != NULL);
	free(uid);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *whole = fuzz_cstr(data, size);
	char *id;
	char *json = fuzz_split(data, size, &id);
	struct container_id c;
	char uid[128];
	int r;

	path_once(whole, 0);
	path_once(whole, 1);
	path_once(whole, 37);
	path_once(whole, 128);
	path_once(NULL, 0);

	for (int which = 0; which < 4; which++) {
		memset(&c, 0, sizeof(c));
		c.runtime = CT_DOCKER;
		snprintf(c.id, sizeof(c.id), "%s", id);
		switch (which) {
		case 0:
			r = container_parse_docker_config(json, &c);
			break;
		case 1:
			r = container_parse_docker_list(json, &c);
			break;
		case 2:
			r = container_parse_podman_list(json, &c);
			break;
		default:
			r = container_parse_oci_config(json, &c, uid, sizeof(uid));
			if (r == 0)
				FUZZ_CHECK(memchr(uid, '\0', sizeof(uid)) != NULL);
			break;
		}
		FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EINVAL);
		check_id(&c);
	}

	free(json);
	free(id);
	free(whole);
	return 0;
}
