/*
 * Unit tests for lib/zimport.c: zone files in (the parse of an import)
 * and out (the text of an export).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "zerr.h"
#include "zfault.h"
#include "zimport.h"

static const char good[] =
    "$ORIGIN Example.test.\n"
    "$TTL 600\n"
    "@ IN SOA ns1 host\\.master.example.test. ( 1 2 3 4 5 )\n"
    "  IN NS ns1\n"
    "  IN MX 10 mail\n"
    "  IN CAA 0 issue \"ca.example\"\n"
    "www 300 IN A 192.0.2.1\n"
    "www 60 IN A 192.0.2.2\n"
    "mail IN A 192.0.2.25\n"
    "t IN TXT \"a b\" \"c\"\n"
    "sub IN NS ns.sub\n";

static json_t *
parse_ok(const char *text)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*out = NULL;

	assert_int_equal(zimport_parse(text, strlen(text), &out, &f), 0);
	assert_non_null(out);
	zfault_release(&f);
	return out;
}

static void
parse_fails(const char *text, size_t len, const char *msg)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*out = NULL;

	if (len == (size_t)-1)
		len = strlen(text);
	assert_int_equal(zimport_parse(text, len, &out, &f), ZE_FAULT);
	assert_null(out);
	assert_int_equal(f.status, 400);
	if (strncmp(f.message, msg, strlen(msg)) != 0)
		print_error("message '%s', wanted '%s...'\n", f.message, msg);
	assert_int_equal(strncmp(f.message, msg, strlen(msg)), 0);
	zfault_release(&f);
}

static void
zone_from_soa(void **state)
{
	json_t	*z = parse_ok(good);

	(void)state;
	assert_string_equal(json_string_value(json_object_get(z, "name")),
	    "Example.test.");
	/* an escaped dot stays in the local part */
	assert_string_equal(json_string_value(json_object_get(z, "email")),
	    "host.master@example.test");
	assert_int_equal(json_integer_value(json_object_get(z, "ttl")), 600);
	json_decref(z);
}

static void
rrsets_grouped(void **state)
{
	json_t		*z = parse_ok(good), *rs, *www = NULL;
	size_t		 i;
	char		 types[128] = "";

	(void)state;
	json_array_foreach(json_object_get(z, "rrsets"), i, rs) {
		strlcat(types, json_string_value(json_object_get(rs, "type")),
		    sizeof(types));
		strlcat(types, " ", sizeof(types));
		if (strcmp(json_string_value(json_object_get(rs, "name")),
		    "www.Example.test.") == 0)
			www = rs;
	}
	/* SOA and apex NS out, order of first appearance */
	assert_string_equal(types, "MX CAA A A TXT NS ");
	assert_non_null(www);
	assert_int_equal(json_array_size(json_object_get(www, "records")), 2);
	/* one ttl per rrset: the least */
	assert_int_equal(json_integer_value(json_object_get(www, "ttl")), 60);
	json_decref(z);
}

static void
data_in_api_form(void **state)
{
	json_t		*z = parse_ok(good), *rs;
	size_t		 i;
	const char	*t, *d;

	(void)state;
	json_array_foreach(json_object_get(z, "rrsets"), i, rs) {
		t = json_string_value(json_object_get(rs, "type"));
		d = json_string_value(json_array_get(json_object_get(rs,
		    "records"), 0));
		if (strcmp(t, "MX") == 0)
			assert_string_equal(d, "10 mail.Example.test.");
		else if (strcmp(t, "CAA") == 0)
			assert_string_equal(d, "0 issue ca.example");
		else if (strcmp(t, "TXT") == 0)
			assert_string_equal(d, "\"a b\" \"c\"");
		/* the zone ttl is inherited: no ttl */
		if (strcmp(t, "MX") == 0)
			assert_null(json_object_get(rs, "ttl"));
	}
	json_decref(z);
}

static void
bad_files(void **state)
{
	(void)state;
	parse_fails("", 0, "Malformed zonefile.");
	parse_fails("a\0b", 3, "Malformed zonefile. (binary data)");
	parse_fails("x. IN SOA a. b. 1 2 3 4 5\n", (size_t)-1,
	    "An $ORIGIN statement is required.");
	parse_fails("$ORIGIN x.\nw IN A 192.0.2.1\n", (size_t)-1,
	    "A SOA record is required.");
	parse_fails("$ORIGIN x.\n@ IN SOA a. b. 1 2 3 4 5\n@ IN SOA a. b. 2 2 3 4 5\n",
	    (size_t)-1, "More than one SOA record.");
	parse_fails("$ORIGIN x.\n@ IN SOA a. b. 1 2 3 4 5\nw.y. IN A 192.0.2.1\n",
	    (size_t)-1, "w.y. is outside the zone x.");
	parse_fails("$ORIGIN x.\n@ IN SOA a. b. 1 2 3 4 5\nw IN A 1.2.3\n",
	    (size_t)-1, "Malformed zonefile. (line 3");
	parse_fails("$ORIGIN x.\n@ IN SOA a. b. 1 2 3 4 5\n$INCLUDE /etc/passwd\n",
	    (size_t)-1, "Malformed zonefile.");
}

static void
render(void **state)
{
	json_t	*zone, *rrsets;
	char	*s;

	(void)state;
	zone = json_pack("{s:s,s:i}", "name", "x.test.", "ttl", 300);
	rrsets = json_pack("[{s:s,s:s,s:n,s:[s]},{s:s,s:s,s:i,s:[s,s]},"
	    "{s:s,s:s,s:n,s:[s]}]",
	    "name", "x.test.", "type", "SOA", "ttl", "records",
	    "a. b. 1 2 3 4 5",
	    "name", "w.x.test.", "type", "A", "ttl", 60, "records",
	    "192.0.2.1", "192.0.2.2",
	    "name", "x.test.", "type", "CAA", "ttl", "records",
	    "0 issue ca.example");
	s = zimport_render(zone, rrsets);
	assert_non_null(s);
	assert_string_equal(s, "$ORIGIN x.test.\n$TTL 300\n\n"
	    "x.test.  IN SOA a. b. 1 2 3 4 5\n"
	    "w.x.test. 60 IN A 192.0.2.1\n"
	    "w.x.test. 60 IN A 192.0.2.2\n"
	    "x.test.  IN CAA 0 issue \"ca.example\"\n");
	free(s);
	json_decref(zone);
	json_decref(rrsets);
}

static void
round_trip(void **state)
{
	json_t	*z = parse_ok(good), *zone, *z2;
	char	*s, *head;
	size_t	 n;

	(void)state;
	zone = json_pack("{s:O,s:O}", "name", json_object_get(z, "name"),
	    "ttl", json_object_get(z, "ttl"));
	s = zimport_render(zone, json_object_get(z, "rrsets"));
	assert_non_null(s);
	/* an SOA for the parse, as an export has one */
	head = "@ IN SOA ns1 host\\.master.example.test. 1 2 3 4 5\n";
	n = strlen(s) + strlen(head) + 1;
	s = realloc(s, n);
	strlcat(s, head, n);
	z2 = parse_ok(s);
	assert_true(json_equal(json_object_get(z, "rrsets"),
	    json_object_get(z2, "rrsets")));
	free(s);
	json_decref(z);
	json_decref(z2);
	json_decref(zone);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zone_from_soa),
		cmocka_unit_test(rrsets_grouped),
		cmocka_unit_test(data_in_api_form),
		cmocka_unit_test(bad_files),
		cmocka_unit_test(render),
		cmocka_unit_test(round_trip),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zimport", tests, NULL, NULL);
}
