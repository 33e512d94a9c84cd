/* zcentral: serials, SOA rname, filter matching, ns_records parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "zcentral.h"

static void
serial_takes_time_when_newer(void **state)
{
	(void)state;
	assert_int_equal(zcentral_next_serial(100, 200), 200);
}

static void
serial_always_rises(void **state)
{
	(void)state;
	/* several changes in one second, or a clock that went back */
	assert_int_equal(zcentral_next_serial(200, 200), 201);
	assert_int_equal(zcentral_next_serial(500, 200), 501);
}

static void
rname_escapes_dots_in_local_part(void **state)
{
	char	b[64];

	(void)state;
	assert_int_equal(zcentral_rname("hostmaster@example.test", b, sizeof(b)), 0);
	assert_string_equal(b, "hostmaster.example.test.");
	assert_int_equal(zcentral_rname("john.doe@example.test.", b, sizeof(b)), 0);
	assert_string_equal(b, "john\\.doe.example.test.");
	assert_int_equal(zcentral_rname("no-at-sign", b, sizeof(b)), -EINVAL);
	assert_int_equal(zcentral_rname("hostmaster@example.test", b, 8),
	    -ENAMETOOLONG);
}

static void
match_is_like_with_star(void **state)
{
	(void)state;
	assert_true(zcentral_match("example.org.", "example.org."));
	assert_true(zcentral_match("EXAMPLE.org.", "example.ORG."));
	assert_true(zcentral_match("*.org.", "www.example.org."));
	assert_true(zcentral_match("*", ""));
	assert_true(zcentral_match("w*e*.org.", "www.example.org."));
	assert_false(zcentral_match("example.org", "example.org."));
	assert_false(zcentral_match("*.net.", "www.example.org."));
	assert_false(zcentral_match("a", ""));
}

static void
ns_records_sorted_by_priority(void **state)
{
	json_t	*a;

	(void)state;
	a = zcentral_ns_records("ns2.example.net.:2 ns1.example.net.:1,ns3.example.net.");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "hostname")), "ns1.example.net.");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(a, 1), "priority")), 2);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(a, 2), "priority")), 3);
	json_decref(a);
	a = zcentral_ns_records("");
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(serial_takes_time_when_newer),
		cmocka_unit_test(serial_always_rises),
		cmocka_unit_test(rname_escapes_dots_in_local_part),
		cmocka_unit_test(match_is_like_with_star),
		cmocka_unit_test(ns_records_sorted_by_priority),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zcentral", tests, NULL, NULL);
}
