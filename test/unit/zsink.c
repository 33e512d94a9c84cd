/* zsink: event parsing, templates, address fields and plans. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "zcfg.h"
#include "zerr.h"
#include "zsink.h"

#define ZONE_ID	"11111111-2222-4333-8444-555555555555"

static struct zsink_conf	conf;

/* The defaults of zcfg.c, both handlers pointed at ZONE_ID. */
static int
setup(void **state)
{
	struct zcfg	cfg = ZCFG_INIT;
	char		err[256];

	(void)state;
	setenv("ZONE_SINK_NOVA_FIXED_ZONE_ID", ZONE_ID, 1);
	setenv("ZONE_SINK_NEUTRON_FLOATINGIP_ZONE_ID", ZONE_ID, 1);
	if (zcfg_load(&cfg) < 0 || zsink_conf_load(&conf, &cfg, err,
	    sizeof(err)) < 0)
		return -1;
	zcfg_release(&cfg);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	zsink_conf_release(&conf);
	return 0;
}

static json_t *
parse_ok(const char *s)
{
	json_t	*ev;
	char	 err[256];

	assert_int_equal(zsink_event_parse(s, strlen(s), &ev, err,
	    sizeof(err)), 0);
	return ev;
}

static void
parse_err(const char *s, const char *want)
{
	json_t	*ev = (json_t *)1;
	char	 err[256];

	assert_int_equal(zsink_event_parse(s, strlen(s), &ev, err,
	    sizeof(err)), ZE_BADMSG);
	assert_null(ev);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' does not say '%s'", err, want);
}

/* plan: 0 and the ops as compact JSON, or the error text. */
static int
plan(const char *event, char *out, size_t len)
{
	json_t	*ev, *ops = NULL;
	char	*s;
	int	 rc;

	ev = parse_ok(event);
	rc = zsink_plan(&conf, zsink_route(json_string_value(
	    json_object_get(ev, "event_type"))), ev, "example.org.", &ops,
	    out, len);
	if (rc == 0) {
		s = json_dumps(ops, JSON_COMPACT | JSON_SORT_KEYS);
		strlcpy(out, s, len);
		free(s);
	} else
		assert_null(ops);
	json_decref(ops);
	json_decref(ev);
	return rc;
}

static void
envelope_plain_and_oslo(void **state)
{
	json_t	*ev;

	(void)state;
	ev = parse_ok("{\"event_type\":\"x.y\",\"payload\":{\"a\":1},"
	    "\"message_id\":\"m1\"}");
	assert_string_equal(json_string_value(json_object_get(ev,
	    "event_type")), "x.y");
	json_decref(ev);
	ev = parse_ok("{\"oslo.version\":\"2.0\",\"oslo.message\":"
	    "\"{\\\"event_type\\\":\\\"floatingip.delete.end\\\","
	    "\\\"payload\\\":{\\\"floatingip_id\\\":\\\"f1\\\"}}\"}");
	assert_string_equal(json_string_value(json_object_get(ev,
	    "event_type")), "floatingip.delete.end");
	json_decref(ev);
}

static void
malformed_envelopes(void **state)
{
	(void)state;
	parse_err("{\"event_type\":", "not JSON");
	parse_err("[1,2]", "not a JSON object");
	parse_err("{\"payload\":{}}", "no event_type");
	parse_err("{\"event_type\":\"\",\"payload\":{}}", "no event_type");
	parse_err("{\"event_type\":7,\"payload\":{}}", "no event_type");
	parse_err("{\"event_type\":\"a\"}", "payload is not an object");
	parse_err("{\"event_type\":\"a\",\"payload\":[]}",
	    "payload is not an object");
	parse_err("{\"oslo.version\":\"2.0\",\"oslo.message\":\"{oops\"}",
	    "oslo.message");
	parse_err("{\"oslo.version\":\"2.0\",\"oslo.message\":{}}",
	    "oslo.message is not a string");
}

static void
routes(void **state)
{
	(void)state;
	assert_int_equal(zsink_route("compute.instance.create.end"),
	    ZSINK_NOVA_FIXED);
	assert_int_equal(zsink_route("compute.instance.delete.start"),
	    ZSINK_NOVA_FIXED);
	assert_int_equal(zsink_route("floatingip.update.end"),
	    ZSINK_NEUTRON_FLOATINGIP);
	assert_int_equal(zsink_route("floatingip.delete.end"),
	    ZSINK_NEUTRON_FLOATINGIP);
	assert_int_equal(zsink_route("floatingip.delete.start"),
	    ZSINK_NEUTRON_FLOATINGIP);
	assert_int_equal(zsink_route("compute.instance.update"), -1);
	assert_int_equal(zsink_route(NULL), -1);
	assert_int_equal(zsink_route_name("neutron_floatingip"),
	    ZSINK_NEUTRON_FLOATINGIP);
	assert_int_equal(zsink_route_name("designate"), -1);
}

static void
templates(void **state)
{
	json_t	*d;
	char	 out[64], err[128];

	(void)state;
	d = json_pack("{s:s,s:s,s:i,s:b,s:n,s:f,s:[]}", "hostname", "web1",
	    "zone", "example.org.", "n", 42, "t", 1, "nil", "r", 1.5, "list");
	assert_int_equal(zsink_format("%(hostname)s.%(zone)s", d, out,
	    sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "web1.example.org.");
	assert_int_equal(zsink_format("%(n)s-%(t)s-%%-%(nil)s-%(r)s", d, out,
	    sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "42-True-%-None-1.5");
	assert_int_equal(zsink_format("plain", d, out, sizeof(out), err,
	    sizeof(err)), 0);
	assert_string_equal(out, "plain");

	assert_int_equal(zsink_format("%(nope)s.%(zone)s", d, out,
	    sizeof(out), err, sizeof(err)), ZE_BADMSG);
	assert_string_equal(err, "unknown template key 'nope'");
	assert_int_equal(zsink_format("%(list)s", d, out, sizeof(out), err,
	    sizeof(err)), ZE_BADMSG);
	assert_non_null(strstr(err, "not a scalar"));
	assert_int_equal(zsink_format("%(hostname)d", d, out, sizeof(out),
	    err, sizeof(err)), ZE_BADMSG);
	assert_int_equal(zsink_format("%(hostname", d, out, sizeof(out),
	    err, sizeof(err)), ZE_BADMSG);
	assert_int_equal(zsink_format("%()s", d, out, sizeof(out), err,
	    sizeof(err)), ZE_BADMSG);
	assert_int_equal(zsink_format("100%", d, out, sizeof(out), err,
	    sizeof(err)), ZE_BADMSG);
	assert_int_equal(zsink_format("%s.%(zone)s", d, out, sizeof(out),
	    err, sizeof(err)), ZE_BADMSG);
	assert_int_equal(zsink_format("%(zone)s%(zone)s%(zone)s%(zone)s"
	    "%(zone)s%(zone)s", d, out, sizeof(out), err, sizeof(err)),
	    -ENOBUFS);

	assert_int_equal(zsink_format_check("%(a)s-%%.%(zone)s", err,
	    sizeof(err)), 0);
	assert_int_equal(zsink_format_check("%(a)x", err, sizeof(err)),
	    ZE_BADMSG);
	json_decref(d);
}

static void
address_fields(void **state)
{
	json_t	*d = json_object();

	(void)state;
	assert_int_equal(zsink_addr_fields("192.0.2.5", d), 4);
	assert_string_equal(json_string_value(json_object_get(d,
	    "ip_address")), "192-0-2-5");
	assert_int_equal(json_integer_value(json_object_get(d,
	    "ip_version")), 4);
	assert_string_equal(json_string_value(json_object_get(d, "octet0")),
	    "192");
	assert_string_equal(json_string_value(json_object_get(d, "octet3")),
	    "5");
	json_object_clear(d);

	assert_int_equal(zsink_addr_fields("2001:db8::5", d), 6);
	assert_string_equal(json_string_value(json_object_get(d,
	    "ip_address")), "2001-db8--5");
	assert_string_equal(json_string_value(json_object_get(d, "octet1")),
	    "db8");
	assert_string_equal(json_string_value(json_object_get(d, "octet2")),
	    "5");
	assert_null(json_object_get(d, "octet3"));

	assert_int_equal(zsink_addr_fields("192.0.2", d), ZE_BADMSG);
	assert_int_equal(zsink_addr_fields("256.0.0.1", d), ZE_BADMSG);
	assert_int_equal(zsink_addr_fields("web1", d), ZE_BADMSG);
	assert_int_equal(zsink_addr_fields("fe80::1%eth0", d), ZE_BADMSG);
	assert_int_equal(zsink_addr_fields(NULL, d), ZE_BADMSG);
	json_decref(d);
}

static void
nova_create_groups_by_name(void **state)
{
	char	out[2048];

	(void)state;
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"payload\":{\"instance_id\":\"i-1\",\"hostname\":\"Web1\","
	    "\"tenant_id\":\"t1\",\"fixed_ips\":["
	    "{\"address\":\"10.0.0.5\",\"version\":4,\"label\":\"private\"},"
	    "{\"address\":\"10.0.0.6\",\"version\":4},"
	    "{\"address\":\"2001:db8::5\",\"version\":6}]}}", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "["
	    "{\"method\":\"recordset.managed_set\",\"params\":{"
	    "\"name\":\"web1.example.org.\",\"records\":[\"10.0.0.5\","
	    "\"10.0.0.6\"],\"resource\":{\"id\":\"i-1\",\"plugin\":"
	    "\"nova_fixed\",\"type\":\"instance\"},\"ttl\":null,\"type\":\"A\","
	    "\"zone_id\":\"" ZONE_ID "\"}},"
	    "{\"method\":\"recordset.managed_set\",\"params\":{"
	    "\"name\":\"web1.example.org.\",\"records\":[\"2001:db8::5\"],"
	    "\"resource\":{\"id\":\"i-1\",\"plugin\":\"nova_fixed\","
	    "\"type\":\"instance\"},\"ttl\":null,\"type\":\"AAAA\","
	    "\"zone_id\":\"" ZONE_ID "\"}}]");
}

static void
nova_delete_is_unset(void **state)
{
	char	out[1024];

	(void)state;
	assert_int_equal(plan("{\"event_type\":\"compute.instance.delete."
	    "start\",\"payload\":{\"instance_id\":\"i-1\"}}", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "[{\"method\":\"recordset.managed_unset\","
	    "\"params\":{\"resource\":{\"id\":\"i-1\",\"plugin\":"
	    "\"nova_fixed\",\"type\":\"instance\"},\"zone_id\":\"" ZONE_ID
	    "\"}}]");
}

static void
neutron_associate_disassociate_delete(void **state)
{
	char	out[1024];

	(void)state;
	assert_int_equal(plan("{\"event_type\":\"floatingip.update.end\","
	    "\"payload\":{\"floatingip\":{\"id\":\"f-1\","
	    "\"floating_ip_address\":\"203.0.113.7\",\"fixed_ip_address\":"
	    "\"10.0.0.5\",\"port_id\":\"p\",\"tenant_id\":\"t\"}}}", out,
	    sizeof(out)), 0);
	assert_non_null(strstr(out, "\"name\":\"203-0-113-7.example.org.\""));
	assert_non_null(strstr(out, "\"records\":[\"203.0.113.7\"]"));
	assert_non_null(strstr(out, "\"plugin\":\"neutron_floatingip\","
	    "\"type\":\"floatingip\""));

	assert_int_equal(plan("{\"event_type\":\"floatingip.update.end\","
	    "\"payload\":{\"floatingip\":{\"id\":\"f-2\","
	    "\"floating_ip_address\":\"2001:db8::7\",\"fixed_ip_address\":"
	    "\"10.0.0.5\"}}}", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "\"name\":\"2001-db8--7.example.org.\""));
	assert_non_null(strstr(out, "\"type\":\"AAAA\""));

	assert_int_equal(plan("{\"event_type\":\"floatingip.update.end\","
	    "\"payload\":{\"floatingip\":{\"id\":\"f-1\","
	    "\"floating_ip_address\":\"203.0.113.7\",\"fixed_ip_address\":"
	    "null}}}", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "recordset.managed_unset"));
	assert_non_null(strstr(out, "\"id\":\"f-1\""));

	assert_int_equal(plan("{\"event_type\":\"floatingip.delete.end\","
	    "\"payload\":{\"floatingip_id\":\"f-3\"}}", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "\"id\":\"f-3\""));
	assert_int_equal(plan("{\"event_type\":\"floatingip.delete.end\","
	    "\"payload\":{\"floatingip\":{\"id\":\"f-4\"}}}", out,
	    sizeof(out)), 0);
	assert_non_null(strstr(out, "\"id\":\"f-4\""));
}

static void
bad_payloads(void **state)
{
	char	out[1024];

	(void)state;
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"payload\":{\"hostname\":\"a\",\"fixed_ips\":[]}}", out,
	    sizeof(out)), ZE_BADMSG);
	assert_string_equal(out, "payload has no instance_id");
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"payload\":{\"instance_id\":\"i\",\"hostname\":\"a\"}}", out,
	    sizeof(out)), ZE_BADMSG);
	assert_string_equal(out, "payload has no fixed_ips list");
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"payload\":{\"instance_id\":\"i\",\"hostname\":\"a\","
	    "\"fixed_ips\":[{\"address\":\"10.0.0.300\"}]}}", out,
	    sizeof(out)), ZE_BADMSG);
	assert_string_equal(out, "'10.0.0.300' is not an IP address");
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"payload\":{\"instance_id\":\"i\",\"hostname\":\"bad name!\","
	    "\"fixed_ips\":[{\"address\":\"10.0.0.3\"}]}}", out,
	    sizeof(out)), ZE_BADMSG);
	assert_string_equal(out,
	    "'bad name!.example.org.' is not a valid DNS name");
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"payload\":{\"instance_id\":\"i\",\"fixed_ips\":"
	    "[{\"address\":\"10.0.0.3\"}]}}", out, sizeof(out)), ZE_BADMSG);
	assert_string_equal(out, "unknown template key 'hostname'");
	assert_int_equal(plan("{\"event_type\":\"compute.instance.delete."
	    "start\",\"payload\":{}}", out, sizeof(out)), ZE_BADMSG);
	assert_int_equal(plan("{\"event_type\":\"floatingip.update.end\","
	    "\"payload\":{\"floatingip\":{\"id\":\"f\",\"fixed_ip_address\":"
	    "\"10.0.0.1\"}}}", out, sizeof(out)), ZE_BADMSG);
	assert_string_equal(out, "floatingip has no floating_ip_address");
	assert_int_equal(plan("{\"event_type\":\"floatingip.delete.end\","
	    "\"payload\":{}}", out, sizeof(out)), ZE_BADMSG);
}

static void
names_outside_the_zone(void **state)
{
	char	*saved;
	char	 out[512];

	(void)state;
	/* a format without the zone, and one that is not absolute */
	saved = conf.h[ZSINK_NOVA_FIXED].fmt[0][0];
	conf.h[ZSINK_NOVA_FIXED].fmt[0][0] = "%(hostname)s.example.net.";
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"payload\":{\"instance_id\":\"i\",\"hostname\":\"a\","
	    "\"fixed_ips\":[{\"address\":\"10.0.0.3\"}]}}", out,
	    sizeof(out)), ZE_BADMSG);
	assert_string_equal(out, "'a.example.net.' is not in zone "
	    "example.org.");
	conf.h[ZSINK_NOVA_FIXED].fmt[0][0] = "%(hostname)s.%(project)s."
	    "Example.ORG";
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"payload\":{\"instance_id\":\"i\",\"hostname\":\"a\","
	    "\"tenant_id\":\"T1\",\"fixed_ips\":[{\"address\":\"10.0.0.3\"}]}}",
	    out, sizeof(out)), 0);
	assert_non_null(strstr(out, "\"name\":\"a.t1.example.org.\""));
	/* the oslo context's project name wins over tenant_id */
	assert_int_equal(plan("{\"event_type\":\"compute.instance.create.end\","
	    "\"_context_project_name\":\"Demo\",\"payload\":{\"instance_id\":"
	    "\"i\",\"hostname\":\"a\",\"tenant_id\":\"T1\",\"fixed_ips\":"
	    "[{\"address\":\"10.0.0.3\"}]}}", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "\"name\":\"a.demo.example.org.\""));
	conf.h[ZSINK_NOVA_FIXED].fmt[0][0] = saved;
}

static void
config_errors(void **state)
{
	struct zcfg		 cfg = ZCFG_INIT;
	struct zsink_conf	 c;
	char			 err[256];

	(void)state;
	assert_int_equal(conf.h[ZSINK_NEUTRON_FLOATINGIP].nfmt[0], 1);
	assert_int_equal(conf.nsubjects, 1);
	assert_string_equal(conf.subjects[0], "notifications.>");
	assert_string_equal(conf.queue, "zone-sink");

	setenv("ZONE_SINK_NOVA_FIXED_FORMATV4",
	    " %(hostname)s.%(zone)s , %(ip_address)s.%(zone)s ", 1);
	assert_int_equal(zcfg_load(&cfg), 0);
	assert_int_equal(zsink_conf_load(&c, &cfg, err, sizeof(err)), 0);
	assert_int_equal(c.h[ZSINK_NOVA_FIXED].nfmt[0], 2);
	assert_string_equal(c.h[ZSINK_NOVA_FIXED].fmt[0][1],
	    "%(ip_address)s.%(zone)s");
	zsink_conf_release(&c);
	zcfg_release(&cfg);
	cfg = (struct zcfg)ZCFG_INIT;

	setenv("ZONE_SINK_NOVA_FIXED_FORMATV4", "%(hostname)d", 1);
	assert_int_equal(zcfg_load(&cfg), 0);
	assert_int_equal(zsink_conf_load(&c, &cfg, err, sizeof(err)),
	    ZE_CONFIG);
	assert_non_null(strstr(err, "sink.nova_fixed_formatv4"));
	zsink_conf_release(&c);
	zcfg_release(&cfg);
	cfg = (struct zcfg)ZCFG_INIT;
	unsetenv("ZONE_SINK_NOVA_FIXED_FORMATV4");

	setenv("ZONE_SINK_HANDLERS", "nova_fixed designate", 1);
	assert_int_equal(zcfg_load(&cfg), 0);
	assert_int_equal(zsink_conf_load(&c, &cfg, err, sizeof(err)),
	    ZE_CONFIG);
	assert_string_equal(err, "sink.handlers: unknown handler 'designate'");
	zsink_conf_release(&c);
	zcfg_release(&cfg);
	cfg = (struct zcfg)ZCFG_INIT;
	unsetenv("ZONE_SINK_HANDLERS");

	setenv("ZONE_SINK_NOVA_FIXED_ZONE_ID", "example.org.", 1);
	assert_int_equal(zcfg_load(&cfg), 0);
	assert_int_equal(zsink_conf_load(&c, &cfg, err, sizeof(err)),
	    ZE_CONFIG);
	assert_non_null(strstr(err, "not a zone id"));
	zsink_conf_release(&c);
	zcfg_release(&cfg);
	cfg = (struct zcfg)ZCFG_INIT;
	setenv("ZONE_SINK_NOVA_FIXED_ZONE_ID", ZONE_ID, 1);

	setenv("ZONE_SINK_SUBJECTS", "  ", 1);
	assert_int_equal(zcfg_load(&cfg), 0);
	assert_int_equal(zsink_conf_load(&c, &cfg, err, sizeof(err)),
	    ZE_CONFIG);
	zsink_conf_release(&c);
	zcfg_release(&cfg);
	cfg = (struct zcfg)ZCFG_INIT;
	unsetenv("ZONE_SINK_SUBJECTS");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(envelope_plain_and_oslo),
		cmocka_unit_test(malformed_envelopes),
		cmocka_unit_test(routes),
		cmocka_unit_test(templates),
		cmocka_unit_test(address_fields),
		cmocka_unit_test(nova_create_groups_by_name),
		cmocka_unit_test(nova_delete_is_unset),
		cmocka_unit_test(neutron_associate_disassociate_delete),
		cmocka_unit_test(bad_payloads),
		cmocka_unit_test(names_outside_the_zone),
		cmocka_unit_test(config_errors),
	};

	unsetenv("ZONE_CONF");
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zsink", tests, setup, teardown);
}
