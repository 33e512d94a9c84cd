#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "zhealth.h"

static void
service_names_are_designates(void **state)
{
	(void)state;
	assert_string_equal(zhealth_service("zone-api"), "api");
	assert_string_equal(zhealth_service("zone-central"), "central");
	assert_string_equal(zhealth_service("zone-xfr"), "mdns");
	assert_string_equal(zhealth_service("zone-notify"), "worker");
	assert_string_equal(zhealth_service("zone-periodic"), "producer");
	assert_string_equal(zhealth_service("zone-sink"), "sink");
	assert_string_equal(zhealth_service("other"), "other");
}

static void
stop_without_start_is_harmless(void **state)
{
	struct zhealth	h = { 0 };

	(void)state;
	zhealth_stop(&h);
	zhealth_stop(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(service_names_are_designates),
		cmocka_unit_test(stop_without_start_is_harmless),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zhealth", tests, NULL, NULL);
}
