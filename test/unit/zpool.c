/* zpool: pools.yaml parsing, normalization and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "zpool.h"

#define DEFID	"794ccc2c-d751-44fe-b57f-8894c9f5c842"

static json_t *
parse(const char *text, char *err, size_t len)
{
	FILE	*fp = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	json_t	*p;

	assert_non_null(fp);
	err[0] = '\0';
	p = zpool_parse_yaml(fp, DEFID, err, len);
	fclose(fp);
	return p;
}

static const char *
str(const json_t *o, const char *path)
{
	return json_string_value(json_object_get(o, path));
}

static void
full_pool_is_normalized(void **state)
{
	char	 err[256];
	json_t	*a, *p, *t;

	(void)state;
	a = parse(
	    "- name: default\n"
	    "  attributes: {tier: gold}\n"
	    "  ns_records:\n"
	    "    - hostname: ns2.example.net.\n"
	    "      priority: 2\n"
	    "    - {hostname: ns1.example.net., priority: 1}\n"
	    "  nameservers: [{host: 192.0.2.1}]\n"
	    "  targets:\n"
	    "    - type: bind9\n"
	    "      masters: [{host: 127.0.0.1}]\n"
	    "      options: {host: 192.0.2.1, port: '53', rndc_port: 953}\n"
	    "      tsigkey: {name: k1, secret: c2VjcmV0}\n"
	    "    - type: nsd4\n"
	    "  catalog_zone:\n"
	    "    catalog_zone_fqdn: cat.example.net.\n"
	    "    catalog_zone_tsig_key_name: k2\n"
	    "    catalog_zone_tsig_key_secret: c2VjcmV0Mg==\n", err, sizeof(err));
	assert_non_null(a);
	p = json_array_get(a, 0);
	assert_string_equal(str(p, "id"), DEFID);
	assert_string_equal(str(json_object_get(p, "attributes"), "tier"), "gold");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(p, "nameservers"), 0), "port")), 53);
	t = json_array_get(json_object_get(p, "targets"), 0);
	assert_string_equal(str(t, "type"), "bind9");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(t, "masters"), 0), "port")), 5354);
	assert_string_equal(str(json_object_get(t, "tsig"), "algorithm"),
	    "hmac-sha256");
	/* Designate's names are taken */
	assert_string_equal(str(json_array_get(json_object_get(p, "targets"), 1),
	    "type"), "nsd");
	/* every key of the pool is listed for zone-xfr */
	assert_int_equal(json_array_size(json_object_get(p, "tsig_keys")), 2);
	assert_string_equal(str(json_object_get(p, "catalog_zone"), "fqdn"),
	    "cat.example.net.");
	json_decref(a);
}

static void
id_from_name_is_stable(void **state)
{
	char	 err[256];
	json_t	*a, *b;
	const char *y = "- name: second\n  ns_records: [{hostname: ns1.example.net.}]\n";

	(void)state;
	a = parse(y, err, sizeof(err));
	b = parse(y, err, sizeof(err));
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(str(json_array_get(a, 0), "id"),
	    str(json_array_get(b, 0), "id"));
	assert_string_not_equal(str(json_array_get(a, 0), "id"), DEFID);
	json_decref(a);
	json_decref(b);
}

struct bad {
	const char	*yaml;
	const char	*err;
};

static const struct bad bads[] = {
	{ "", "non-empty list" },
	{ "name: x\n", "non-empty list" },
	{ "- name: x\n  ns_records: [\n", "line " },
	{ "- ns_records: [{hostname: a.b.}]\n", "needs a name" },
	{ "- name: x\n", "ns_records is empty" },
	{ "- name: x\n  ns_records: [{hostname: a.b}]\n", "ending in a dot" },
	{ "- name: x\n  ns_records: [{hostname: a.b., priority: 0}]\n",
	    "priority" },
	{ "- name: x\n  id: nope\n  ns_records: [{hostname: a.b.}]\n",
	    "not a UUID" },
	{ "- name: x\n  ns_records: [{hostname: a.b.}]\n"
	    "  targets: [{type: dynect}]\n", "type \"dynect\"" },
	{ "- name: x\n  ns_records: [{hostname: a.b.}]\n"
	    "  nameservers: [{host: h, port: 70000}]\n", "port" },
	{ "- name: x\n  ns_records: [{hostname: a.b.}]\n"
	    "  targets: [{type: bind9, masters: [{port: 53}]}]\n", "needs host" },
	{ "- name: x\n  ns_records: [{hostname: a.b.}]\n  catalog_zone:\n"
	    "    catalog_zone_fqdn: c.b.\n    catalog_zone_refresh: soon\n",
	    "catalog_zone_refresh" },
};

static void
bad_files_are_refused(void **state)
{
	char	err[256];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		assert_null(parse(bads[i].yaml, err, sizeof(err)));
		if (strstr(err, bads[i].err) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err,
			    bads[i].err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_pool_is_normalized),
		cmocka_unit_test(id_from_name_is_stable),
		cmocka_unit_test(bad_files_are_refused),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zpool", tests, NULL, NULL);
}
