/* zcfg: defaults < file < environment < flags; errors name the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "zcfg.h"
#include "zerr.h"

static char path[] = "/tmp/zcfg-tXXXXXX";

static void
write_conf(const char *text)
{
	FILE	*fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
layers_in_order(void **state)
{
	struct zcfg	cfg = ZCFG_INIT;

	(void)state;
	write_conf("# comment\n[api]\nlisten = 127.0.0.1:1\nthreads = 3\n"
	    "[nats]\nurl = nats://file:1\n");
	setenv("ZONE_API_THREADS", "7", 1);
	cfg.path = path;
	assert_int_equal(zcfg_load(&cfg), 0);
	assert_string_equal(zcfg_get(&cfg, "api", "listen"), "127.0.0.1:1");
	assert_int_equal(zcfg_int(&cfg, "api", "threads"), 7);
	assert_string_equal(zcfg_get(&cfg, "db", "path"), "var/db");
	assert_int_equal(zcfg_set(&cfg, "api.threads", "9"), 0);
	assert_int_equal(zcfg_int(&cfg, "api", "threads"), 9);
	assert_int_equal(zcfg_set(&cfg, "api.nope", "9"), ZE_CONFIG);
	unsetenv("ZONE_API_THREADS");
	zcfg_release(&cfg);
}

static void
nats_url_below_zone_nats_url(void **state)
{
	struct zcfg	cfg = ZCFG_INIT;

	(void)state;
	write_conf("");
	cfg.path = path;
	setenv("NATS_URL", "nats://plain:1", 1);
	assert_int_equal(zcfg_load(&cfg), 0);
	assert_string_equal(zcfg_get(&cfg, "nats", "url"), "nats://plain:1");
	setenv("ZONE_NATS_URL", "nats://zone:1", 1);
	assert_int_equal(zcfg_load(&cfg), 0);
	assert_string_equal(zcfg_get(&cfg, "nats", "url"), "nats://zone:1");
	unsetenv("NATS_URL");
	unsetenv("ZONE_NATS_URL");
	zcfg_release(&cfg);
}

static void
unknown_key_names_the_line(void **state)
{
	struct zcfg	cfg = ZCFG_INIT;

	(void)state;
	write_conf("[api]\nlisten = x\nbogus = 1\n");
	cfg.path = path;
	assert_int_equal(zcfg_load(&cfg), ZE_CONFIG);
	assert_non_null(strstr(cfg.err, ":3: unknown key api.bogus"));
	zcfg_release(&cfg);
}

static void
unknown_section_and_bad_values(void **state)
{
	struct zcfg	cfg = ZCFG_INIT;

	(void)state;
	write_conf("[nope]\n");
	cfg.path = path;
	assert_int_equal(zcfg_load(&cfg), ZE_CONFIG);
	assert_non_null(strstr(cfg.err, "unknown section"));
	write_conf("[api]\nthreads = many\n");
	assert_int_equal(zcfg_load(&cfg), ZE_CONFIG);
	assert_non_null(strstr(cfg.err, "api.threads"));
	write_conf("[api]\nproxy_headers = maybe\n");
	assert_int_equal(zcfg_load(&cfg), ZE_CONFIG);
	zcfg_release(&cfg);
}

static void
missing_given_file_is_noinput(void **state)
{
	struct zcfg	cfg = ZCFG_INIT;

	(void)state;
	cfg.path = "/nonexistent/zone.conf";
	assert_int_equal(zcfg_load(&cfg), ZE_NOINPUT);
	zcfg_release(&cfg);
}

static void
booleans(void **state)
{
	(void)state;
	assert_int_equal(zcfg_parse_bool("Yes"), 1);
	assert_int_equal(zcfg_parse_bool("on"), 1);
	assert_int_equal(zcfg_parse_bool("0"), 0);
	assert_int_equal(zcfg_parse_bool("FALSE"), 0);
	assert_int_equal(zcfg_parse_bool("2"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layers_in_order),
		cmocka_unit_test(nats_url_below_zone_nats_url),
		cmocka_unit_test(unknown_key_names_the_line),
		cmocka_unit_test(unknown_section_and_bad_values),
		cmocka_unit_test(missing_given_file_is_noinput),
		cmocka_unit_test(booleans),
	};
	int	rc, fd;

	if ((fd = mkstemp(path)) >= 0)
		close(fd);
	unsetenv("ZONE_CONF");
	cmocka_set_message_output(CM_OUTPUT_TAP);
	rc = cmocka_run_group_tests_name("zcfg", tests, NULL, NULL);
	unlink(path);
	return rc;
}
