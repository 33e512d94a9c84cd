#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "zptr.h"

static void
reverse_names_of_ipv4(void **state)
{
	char	z[64], n[64];

	(void)state;
	assert_int_equal(zptr_reverse("192.0.2.7", z, sizeof(z), n,
	    sizeof(n)), 0);
	assert_string_equal(z, "2.0.192.in-addr.arpa.");
	assert_string_equal(n, "7.2.0.192.in-addr.arpa.");
	assert_int_equal(zptr_reverse("10.0.0.255", z, sizeof(z), n,
	    sizeof(n)), 0);
	assert_string_equal(n, "255.0.0.10.in-addr.arpa.");
}

static void
reverse_refuses_the_rest(void **state)
{
	char	z[64], n[64];

	(void)state;
	assert_int_equal(zptr_reverse("2001:db8::1", z, sizeof(z), n,
	    sizeof(n)), -EINVAL);
	assert_int_equal(zptr_reverse("192.0.2", z, sizeof(z), n, sizeof(n)),
	    -EINVAL);
	assert_int_equal(zptr_reverse("192.0.2.256", z, sizeof(z), n,
	    sizeof(n)), -EINVAL);
	assert_int_equal(zptr_reverse("", z, sizeof(z), n, sizeof(n)),
	    -EINVAL);
	assert_int_equal(zptr_reverse(NULL, z, sizeof(z), n, sizeof(n)),
	    -EINVAL);
	/* too small for the name */
	assert_int_equal(zptr_reverse("192.0.2.7", z, sizeof(z), n, 10),
	    -EINVAL);
}

static void
keys_split(void **state)
{
	char	r[101], u[64];

	(void)state;
	assert_int_equal(zptr_key("RegionOne:5e8f0c1a-4a8e-4b5e-9f7e-0123456789ab",
	    r, sizeof(r), u, sizeof(u)), 0);
	assert_string_equal(r, "RegionOne");
	assert_string_equal(u, "5e8f0c1a-4a8e-4b5e-9f7e-0123456789ab");
	assert_int_equal(zptr_key("5e8f0c1a-4a8e-4b5e-9f7e-0123456789ab", r,
	    sizeof(r), u, sizeof(u)), -EINVAL);
	assert_int_equal(zptr_key(":5e8f0c1a-4a8e-4b5e-9f7e-0123456789ab", r,
	    sizeof(r), u, sizeof(u)), -EINVAL);
	assert_int_equal(zptr_key("RegionOne:not-a-uuid", r, sizeof(r), u,
	    sizeof(u)), -EINVAL);
	assert_int_equal(zptr_key("RegionOne:5e8f0c1a-4a8e-4b5e-9f7e-0123456789ab",
	    r, 4, u, sizeof(u)), -EINVAL);
	assert_int_equal(zptr_key(NULL, r, sizeof(r), u, sizeof(u)), -EINVAL);
}

static void
neutron_objects_become_fips(void **state)
{
	json_t	*in, *o;

	(void)state;
	in = json_pack("{s:s,s:s,s:s,s:s}", "id", "f1",
	    "floating_ip_address", "198.51.100.9", "project_id", "p1",
	    "status", "DOWN");
	o = zptr_fip(in, "RegionOne");
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "address")),
	    "198.51.100.9");
	assert_string_equal(json_string_value(json_object_get(o,
	    "project_id")), "p1");
	assert_string_equal(json_string_value(json_object_get(o, "region")),
	    "RegionOne");
	assert_int_equal(json_object_size(o), 4);
	json_decref(o);
	/* tenant_id alone (older Neutron) */
	json_object_del(in, "project_id");
	json_object_set_new(in, "tenant_id", json_string("p2"));
	o = zptr_fip(in, "R");
	assert_string_equal(json_string_value(json_object_get(o,
	    "project_id")), "p2");
	json_decref(o);
	/* no IPv4 address: not a PTR candidate */
	json_object_set_new(in, "floating_ip_address",
	    json_string("2001:db8::9"));
	assert_null(zptr_fip(in, "R"));
	json_object_del(in, "floating_ip_address");
	assert_null(zptr_fip(in, "R"));
	json_decref(in);
	assert_null(zptr_fip(NULL, "R"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reverse_names_of_ipv4),
		cmocka_unit_test(reverse_refuses_the_rest),
		cmocka_unit_test(keys_split),
		cmocka_unit_test(neutron_objects_become_fips),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zptr", tests, NULL, NULL);
}
