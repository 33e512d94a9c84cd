/*
 * zauth: configuration checks and the request side (public paths,
 * identity headers, the admin-only headers); the cache and the calls to
 * Keystone are covered by test/t/3510 against a fake Keystone.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "zapi.h"
#include "zauth.h"
#include "zcfg.h"
#include "zerr.h"

static char pwpath[] = "/tmp/zauth-tXXXXXX";
static char confpath[] = "/tmp/zauth-cXXXXXX";

static int
setup(void **state)
{
	int	fd;

	(void)state;
	if ((fd = mkstemp(pwpath)) < 0)
		return -1;
	if (write(fd, "secret\n", 7) != 7)
		return -1;
	close(fd);
	if ((fd = mkstemp(confpath)) < 0)
		return -1;
	close(fd);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(pwpath);
	unlink(confpath);
	return 0;
}

static void
load(struct zcfg *cfg)
{
	cfg->path = confpath;
	assert_int_equal(zcfg_load(cfg), 0);
	assert_int_equal(zcfg_set(cfg, "api.auth_password_file", pwpath), 0);
}

static void
init_reads_the_password_and_adds_v3(void **state)
{
	struct zcfg	 cfg = ZCFG_INIT;
	struct zauth	 a;
	char		 err[256];

	(void)state;
	load(&cfg);
	assert_int_equal(zcfg_set(&cfg, "api.keystone_url",
	    "http://127.0.0.1:5000/"), 0);
	assert_int_equal(zauth_init(&a, &cfg, err, sizeof(err)), 0);
	assert_string_equal(a.url, "http://127.0.0.1:5000/v3");
	assert_string_equal(a.password, "secret");
	assert_string_equal(a.user, "zone");
	assert_string_equal(a.project, "service");
	assert_int_equal(a.ttl_s, 300);
	zauth_release(&a);
	zcfg_release(&cfg);
}

static void
init_refuses_bad_settings(void **state)
{
	struct zcfg	 cfg = ZCFG_INIT;
	struct zauth	 a;
	char		 err[256];

	(void)state;
	load(&cfg);
	assert_int_equal(zcfg_set(&cfg, "api.keystone_url", "ftp://x"), 0);
	assert_int_equal(zauth_init(&a, &cfg, err, sizeof(err)), ZE_CONFIG);
	assert_non_null(strstr(err, "api.keystone_url"));
	zcfg_release(&cfg);

	load(&cfg);
	assert_int_equal(zcfg_set(&cfg, "api.auth_password_file",
	    "/nonexistent/pw"), 0);
	assert_int_equal(zauth_init(&a, &cfg, err, sizeof(err)), ZE_CONFIG);
	assert_non_null(strstr(err, "api.auth_password_file"));
	zcfg_release(&cfg);

	load(&cfg);
	assert_int_equal(zcfg_set(&cfg, "api.keystone_timeout_ms", "0"), 0);
	assert_int_equal(zauth_init(&a, &cfg, err, sizeof(err)), ZE_CONFIG);
	zcfg_release(&cfg);
}

static void
public_paths_and_identity_headers(void **state)
{
	(void)state;
	assert_true(zauth_public("/"));
	assert_true(zauth_public("/healthcheck"));
	assert_false(zauth_public("/v2"));
	assert_false(zauth_public("/v2/zones"));
	assert_true(zauth_identity_header("x-auth-project-id"));
	assert_true(zauth_identity_header("X-Roles"));
	assert_true(zauth_identity_header("X-Auth-User-ID"));
	assert_false(zauth_identity_header("X-Auth-Token"));
}

/* A request with one header (or none) and a query. */
static int
denied(const char *name, const char *value, const char *query, int admin)
{
	struct zapi_header	h = { name, value };
	struct zapi_request	r;
	struct zauth_ident	who;

	memset(&r, 0, sizeof(r));
	memset(&who, 0, sizeof(who));
	r.method = "GET";
	r.path = "/v2/zones";
	r.query = query;
	r.hdrs = &h;
	r.nhdrs = name != NULL ? 1 : 0;
	who.admin = admin;
	return zauth_denied(&r, &who);
}

static void
admin_only_headers(void **state)
{
	(void)state;
	assert_false(denied(NULL, NULL, NULL, 0));
	assert_true(denied("X-Auth-All-Projects", "true", NULL, 0));
	assert_true(denied("x-auth-all-projects", "1", NULL, 0));
	assert_false(denied("X-Auth-All-Projects", "false", NULL, 0));
	assert_false(denied("X-Auth-All-Projects", "true", NULL, 1));
	assert_true(denied(NULL, NULL, "all_projects=yes", 0));
	assert_true(denied(NULL, NULL, "limit=1&all_tenants=on", 0));
	assert_false(denied(NULL, NULL, "all_projects=no", 0));
	assert_true(denied("X-Auth-Sudo-Project-ID", "p2", NULL, 0));
	assert_true(denied("X-Auth-Sudo-Tenant-ID", "p2", NULL, 0));
	assert_false(denied("X-Auth-Sudo-Project-ID", "p2", NULL, 1));
	assert_true(denied("X-Designate-Edit-Managed-Records", "true", NULL,
	    0));
	assert_true(denied(NULL, NULL, "edit_managed_records=true", 0));
	assert_true(denied("X-Designate-Hard-Delete", "true", NULL, 0));
	assert_false(denied("OpenStack-DNS-Hide-Counts", "true", NULL, 0));
}

static void
no_token_is_401(void **state)
{
	struct zcfg		 cfg = ZCFG_INIT;
	struct zauth		 a;
	struct zapi_header	 hdrs[4];
	struct zapi_request	 r;
	struct zauth_ident	 who;
	struct zfault		 f = ZFAULT_INIT;
	char			 err[256];

	(void)state;
	load(&cfg);
	assert_int_equal(zauth_init(&a, &cfg, err, sizeof(err)), 0);
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.path = "/v2/zones";
	r.hdrs = hdrs;
	assert_int_equal(zauth_request(&a, &r, hdrs, &who, &f), ZE_FAULT);
	assert_int_equal(f.status, 401);
	assert_string_equal(f.type, "unauthorized");
	/* a token with a space never reaches Keystone */
	assert_int_equal(zauth_check(&a, "a b", &who), -EACCES);
	assert_int_equal(zauth_check(&a, "", &who), -EACCES);
	zfault_release(&f);
	zauth_release(&a);
	zcfg_release(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_reads_the_password_and_adds_v3),
		cmocka_unit_test(init_refuses_bad_settings),
		cmocka_unit_test(public_paths_and_identity_headers),
		cmocka_unit_test(admin_only_headers),
		cmocka_unit_test(no_token_is_401),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zauth", tests, setup, teardown);
}
