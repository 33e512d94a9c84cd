/*
 * zone-notify's pure steps: backoff, threshold, message decoding, job
 * planning, answer classification, backend command lines.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "zbackend.h"
#include "zdns.h"
#include "zerr.h"
#include "znotify.h"

static const struct znotify_conf conf = {
	.workers = 32, .ack_wait_ms = 10000, .poll_delay_ms = 0,
	.poll_interval_ms = 200, .poll_interval_max_ms = 5000,
	.poll_timeout_ms = 1000, .max_retry_s = 60, .threshold = 100
};

static const char pool_text[] =
    "{\"id\":\"p1\",\"name\":\"default\","
    "\"nameservers\":[{\"host\":\"127.0.0.1\",\"port\":5301},"
    "{\"host\":\"127.0.0.1\",\"port\":5302}],"
    "\"targets\":["
    "{\"type\":\"bind9\",\"masters\":[{\"host\":\"127.0.0.1\",\"port\":5354},"
    "{\"host\":\"127.0.0.2\",\"port\":5355}],"
    "\"options\":{\"host\":\"127.0.0.1\",\"port\":\"5301\","
    "\"rndc_port\":\"5953\",\"rndc_key_file\":\"/k\"},"
    "\"tsig\":{\"name\":\"xk\",\"algorithm\":\"hmac-sha256\",\"secret\":\"AAAA\"}},"
    "{\"type\":\"catalog\",\"masters\":[{\"host\":\"127.0.0.1\",\"port\":5354}],"
    "\"options\":{\"host\":\"127.0.0.1\",\"port\":\"5302\"},\"tsig\":null}],"
    "\"also_notifies\":[{\"host\":\"192.0.2.4\",\"port\":53}],"
    "\"catalog_zone\":{\"fqdn\":\"cat.example.\",\"refresh\":60,\"tsig\":null}}";

static json_t *
load(const char *text)
{
	json_t	*j = json_loads(text, 0, NULL);

	assert_non_null(j);
	return j;
}

static void
backoff_doubles_up_to_the_max(void **state)
{
	(void)state;
	assert_int_equal(znotify_backoff(&conf, 0), 200);
	assert_int_equal(znotify_backoff(&conf, 1), 400);
	assert_int_equal(znotify_backoff(&conf, 2), 800);
	assert_int_equal(znotify_backoff(&conf, 4), 3200);
	assert_int_equal(znotify_backoff(&conf, 5), 5000);
	assert_int_equal(znotify_backoff(&conf, 60), 5000);
}

static void
threshold_is_a_percentage(void **state)
{
	(void)state;
	assert_true(znotify_threshold_met(2, 2, 100));
	assert_false(znotify_threshold_met(1, 2, 100));
	assert_true(znotify_threshold_met(1, 2, 50));
	assert_false(znotify_threshold_met(1, 3, 50));
	assert_true(znotify_threshold_met(2, 3, 66));
	assert_false(znotify_threshold_met(0, 1, 1));
	assert_true(znotify_threshold_met(0, 0, 100));	/* nothing to poll */
}

static void
positive_answers(void **state)
{
	(void)state;
	assert_true(znotify_positive(0, ZDNS_SERIAL, 10, 10));
	assert_true(znotify_positive(0, ZDNS_SERIAL, 11, 10));
	assert_false(znotify_positive(0, ZDNS_SERIAL, 9, 10));
	/* serial arithmetic: a wrapped serial is newer */
	assert_true(znotify_positive(0, ZDNS_SERIAL, 5, 0xfffffff0u));
	assert_false(znotify_positive(0, ZDNS_NOZONE, 0, 10));
	assert_false(znotify_positive(0, ZDNS_TIMEOUT, 0, 10));
	assert_true(znotify_positive(1, ZDNS_NOZONE, 0, 10));
	assert_false(znotify_positive(1, ZDNS_SERIAL, 10, 10));
	assert_false(znotify_positive(1, ZDNS_SERVFAIL, 0, 10));
	assert_false(znotify_positive(1, ZDNS_TIMEOUT, 0, 10));
}

static void
parse_takes_pending_zones_only(void **state)
{
	static const char pending[] = "{\"zone_id\":\"z1\",\"zone\":{\"id\":\"z1\","
	    "\"name\":\"a.example.\",\"serial\":7,\"status\":\"PENDING\","
	    "\"action\":\"CREATE\",\"pool_id\":\"p1\"}}";
	static const char active[] = "{\"zone_id\":\"z1\",\"zone\":{\"id\":\"z1\","
	    "\"name\":\"a.example.\",\"serial\":7,\"status\":\"ACTIVE\","
	    "\"action\":\"NONE\",\"pool_id\":\"p1\"}}";
	static const char purge[] = "{\"zone_id\":\"z1\",\"purge\":true,"
	    "\"zone\":{\"id\":\"z1\",\"status\":\"DELETED\"}}";
	static const char pool[] = "{\"pool\":{\"id\":\"p1\"}}";
	static const char nofields[] = "{\"zone\":{\"status\":\"PENDING\"}}";
	json_t	*z;

	(void)state;
	assert_int_equal(znotify_parse(pending, sizeof(pending) - 1, &z), 1);
	assert_string_equal(json_string_value(json_object_get(z, "name")),
	    "a.example.");
	json_decref(z);
	assert_int_equal(znotify_parse(active, sizeof(active) - 1, &z), 0);
	assert_null(z);
	assert_int_equal(znotify_parse(purge, sizeof(purge) - 1, &z), 0);
	assert_int_equal(znotify_parse(pool, sizeof(pool) - 1, &z), 0);
	assert_int_equal(znotify_parse(nofields, sizeof(nofields) - 1, &z),
	    ZE_BADMSG);
	assert_int_equal(znotify_parse("{", 1, &z), ZE_BADMSG);
}

static void
plan_create(void **state)
{
	struct znotify_plan	 p;
	json_t			*pool = load(pool_text);
	json_t			*zone = load("{\"name\":\"a.example.\","
				    "\"action\":\"CREATE\",\"serial\":7}");

	(void)state;
	assert_int_equal(znotify_plan(zone, pool, &p), 0);
	assert_false(p.del);
	assert_int_equal(p.ntargets, 2);
	/* zone at bind9, zone and catalog at the catalog target, also-notify */
	assert_int_equal(p.nnotify, 4);
	assert_string_equal(p.notify[0].host, "127.0.0.1");
	assert_int_equal(p.notify[0].port, 5301);
	assert_string_equal(p.notify[0].zone, "a.example.");
	assert_non_null(p.notify[0].tsig);
	assert_string_equal(p.notify[0].tsig->name, "xk");
	assert_int_equal(p.notify[1].port, 5302);
	assert_string_equal(p.notify[1].zone, "a.example.");
	assert_null(p.notify[1].tsig);
	assert_string_equal(p.notify[2].zone, "cat.example.");
	assert_string_equal(p.notify[3].host, "192.0.2.4");
	assert_int_equal(p.notify[3].port, 53);
	/* polls go to the pool's nameservers */
	assert_int_equal(p.npoll, 2);
	assert_int_equal(p.poll[1].port, 5302);
	/* the first master of the first target, with its key */
	assert_true(p.has_master);
	assert_int_equal(p.master.port, 5354);
	assert_non_null(p.master.tsig);
	json_decref(zone);
	json_decref(pool);
}

static void
plan_update_and_delete(void **state)
{
	struct znotify_plan	 p;
	json_t			*pool = load(pool_text);
	json_t			*upd = load("{\"name\":\"a.example.\","
				    "\"action\":\"UPDATE\",\"serial\":8}");
	json_t			*del = load("{\"name\":\"a.example.\","
				    "\"action\":\"DELETE\",\"serial\":8}");

	(void)state;
	assert_int_equal(znotify_plan(upd, pool, &p), 0);
	assert_int_equal(p.nnotify, 3);		/* no catalog NOTIFY */
	assert_int_equal(znotify_plan(del, pool, &p), 0);
	assert_true(p.del);
	assert_int_equal(p.nnotify, 1);		/* the catalog zone only */
	assert_string_equal(p.notify[0].zone, "cat.example.");
	assert_int_equal(p.npoll, 2);
	json_decref(upd);
	json_decref(del);
	json_decref(pool);
}

static void
plan_polls_targets_without_nameservers(void **state)
{
	struct znotify_plan	 p;
	json_t			*pool = load(pool_text);
	json_t			*zone = load("{\"name\":\"a.example.\","
				    "\"action\":\"UPDATE\",\"serial\":8}");
	json_t			*empty = load("{\"targets\":[]}");

	(void)state;
	json_object_set_new(pool, "nameservers", json_array());
	assert_int_equal(znotify_plan(zone, pool, &p), 0);
	assert_int_equal(p.npoll, 2);
	assert_int_equal(p.poll[0].port, 5301);
	assert_int_equal(p.poll[1].port, 5302);
	assert_int_equal(znotify_plan(zone, empty, &p), ZE_CONFIG);
	json_decref(zone);
	json_decref(pool);
	json_decref(empty);
}

static ldns_pkt *
answer(const char *zone, ldns_pkt_rcode rc, const char *rr)
{
	ldns_pkt	*p;
	ldns_rr		*r = NULL;

	p = ldns_pkt_query_new(ldns_dname_new_frm_str(zone), LDNS_RR_TYPE_SOA,
	    LDNS_RR_CLASS_IN, LDNS_QR | LDNS_AA);
	assert_non_null(p);
	ldns_pkt_set_rcode(p, (uint8_t)rc);
	if (rr != NULL) {
		assert_int_equal(ldns_rr_new_frm_str(&r, rr, 0, NULL, NULL),
		    LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, r);
	}
	return p;
}

static void
classify_answers(void **state)
{
	ldns_pkt	*p;
	uint32_t	 serial = 0;

	(void)state;
	p = answer("a.example.", LDNS_RCODE_NOERROR,
	    "A.Example. 300 IN SOA ns1.example. h.example. 42 1 1 1 1");
	assert_int_equal(zdns_classify(p, "a.example.", &serial), ZDNS_SERIAL);
	assert_int_equal(serial, 42);
	ldns_pkt_free(p);
	/* an SOA of another zone (the parent's, in a referral) */
	p = answer("a.example.", LDNS_RCODE_NOERROR,
	    "example. 300 IN SOA ns1.example. h.example. 42 1 1 1 1");
	assert_int_equal(zdns_classify(p, "a.example", &serial), ZDNS_NOZONE);
	ldns_pkt_free(p);
	p = answer("a.example.", LDNS_RCODE_REFUSED, NULL);
	assert_int_equal(zdns_classify(p, "a.example.", &serial), ZDNS_NOZONE);
	ldns_pkt_free(p);
	p = answer("a.example.", LDNS_RCODE_NOTAUTH, NULL);
	assert_int_equal(zdns_classify(p, "a.example.", &serial), ZDNS_NOZONE);
	ldns_pkt_free(p);
	p = answer("a.example.", LDNS_RCODE_NXDOMAIN, NULL);
	assert_int_equal(zdns_classify(p, "a.example.", &serial), ZDNS_NOZONE);
	ldns_pkt_free(p);
	p = answer("a.example.", LDNS_RCODE_SERVFAIL, NULL);
	assert_int_equal(zdns_classify(p, "a.example.", &serial),
	    ZDNS_SERVFAIL);
	ldns_pkt_free(p);
	p = answer("a.example.", LDNS_RCODE_FORMERR, NULL);
	assert_int_equal(zdns_classify(p, "a.example.", &serial), ZDNS_BAD);
	ldns_pkt_free(p);
}

static void
serial_arithmetic(void **state)
{
	(void)state;
	assert_true(zdns_serial_ge(1, 1));
	assert_true(zdns_serial_ge(2, 1));
	assert_false(zdns_serial_ge(1, 2));
	assert_true(zdns_serial_ge(0, 0xffffffffu));
	assert_false(zdns_serial_ge(0xffffffffu, 0));
}

/* The argv of command i as one string, words joined by '|'. */
static const char *
joined(const struct zbackend_cmds *c, int i)
{
	static char	buf[2048];
	int		k;

	buf[0] = '\0';
	for (k = 0; c->argv[i][k] != NULL; k++) {
		if (k > 0)
			strlcat(buf, "|", sizeof(buf));
		strlcat(buf, c->argv[i][k], sizeof(buf));
	}
	return buf;
}

static void
bind9_command_lines(void **state)
{
	struct zbackend_cmds	 c;
	json_t			*pool = load(pool_text);
	json_t			*t = json_array_get(json_object_get(pool,
				    "targets"), 0);
	char			 err[128];

	(void)state;
	assert_int_equal(zbackend_argv(t, ZB_CREATE, "a.example.", &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(joined(&c, 0), "rndc|-s|127.0.0.1|-p|5953|-k|/k|"
	    "addzone|a.example.|{ type secondary; primaries { 127.0.0.1 port "
	    "5354 key \"xk\"; 127.0.0.2 port 5355 key \"xk\"; }; "
	    "file \"a.example.db\"; };");
	assert_int_equal(zbackend_argv(t, ZB_DELETE, "a.example.", &c, err,
	    sizeof(err)), 0);
	assert_string_equal(joined(&c, 0),
	    "rndc|-s|127.0.0.1|-p|5953|-k|/k|delzone|a.example.");
	json_object_set_new(json_object_get(t, "options"), "clean_zonefile",
	    json_string("true"));
	json_object_set_new(json_object_get(t, "options"), "view",
	    json_string("ext"));
	assert_int_equal(zbackend_argv(t, ZB_DELETE, "a.example.", &c, err,
	    sizeof(err)), 0);
	assert_string_equal(joined(&c, 0),
	    "rndc|-s|127.0.0.1|-p|5953|-k|/k|delzone|-clean|a.example.|in|ext");
	json_object_set_new(t, "masters", json_array());
	assert_int_equal(zbackend_argv(t, ZB_CREATE, "a.example.", &c, err,
	    sizeof(err)), ZE_CONFIG);
	json_decref(pool);
}

static void
knot_and_nsd_command_lines(void **state)
{
	struct zbackend_cmds	 c;
	json_t			*knot = load("{\"type\":\"knot\",\"options\":"
				    "{\"knotc_socket\":\"/s\"}}");
	json_t			*nsd = load("{\"type\":\"nsd\",\"options\":"
				    "{\"nsd_conf\":\"/n.conf\"}}");
	char			 err[128];

	(void)state;
	assert_int_equal(zbackend_argv(knot, ZB_CREATE, "a.example.", &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(joined(&c, 0), "knotc|-s|/s|conf-begin");
	assert_string_equal(joined(&c, 1), "knotc|-s|/s|conf-set|zone[a.example.]");
	assert_string_equal(joined(&c, 2),
	    "knotc|-s|/s|conf-set|zone[a.example.].master|zone-xfr");
	assert_string_equal(joined(&c, 3), "knotc|-s|/s|conf-commit");
	assert_int_equal(zbackend_argv(knot, ZB_DELETE, "a.example.", &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(joined(&c, 1),
	    "knotc|-s|/s|conf-unset|zone[a.example.]");
	assert_int_equal(zbackend_argv(nsd, ZB_CREATE, "a.example.", &c, err,
	    sizeof(err)), 0);
	assert_string_equal(joined(&c, 0),
	    "nsd-control|-c|/n.conf|addzone|a.example.|zone-xfr");
	assert_int_equal(zbackend_argv(nsd, ZB_DELETE, "a.example.", &c, err,
	    sizeof(err)), 0);
	assert_string_equal(joined(&c, 0),
	    "nsd-control|-c|/n.conf|delzone|a.example.");
	json_decref(knot);
	json_decref(nsd);
}

static void
catalog_pdns_and_unknown(void **state)
{
	struct zbackend_cmds	 c;
	json_t			*cat = load("{\"type\":\"catalog\"}");
	json_t			*pdns = load("{\"type\":\"pdns\"}");
	json_t			*bad = load("{\"type\":\"djbdns\"}");
	char			 err[128];

	(void)state;
	assert_int_equal(zbackend_argv(cat, ZB_CREATE, "a.", &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(zbackend_argv(pdns, ZB_CREATE, "a.", &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(zbackend_argv(bad, ZB_CREATE, "a.", &c, err,
	    sizeof(err)), ZE_CONFIG);
	assert_non_null(strstr(err, "djbdns"));
	assert_false(zbackend_per_zone("catalog"));
	assert_true(zbackend_per_zone("bind9"));
	json_decref(cat);
	json_decref(pdns);
	json_decref(bad);
}

static void
benign_failures(void **state)
{
	(void)state;
	assert_true(zbackend_benign("bind9", ZB_CREATE,
	    "rndc: 'addzone' failed: already exists"));
	assert_false(zbackend_benign("bind9", ZB_CREATE,
	    "rndc: connect failed: 127.0.0.1#953: connection refused"));
	assert_true(zbackend_benign("bind9", ZB_DELETE,
	    "rndc: 'delzone' failed: not found"));
	assert_true(zbackend_benign("knot", ZB_CREATE,
	    "error: (duplicate identifier) zone[a.]"));
	assert_true(zbackend_benign("knot", ZB_DELETE,
	    "error: (invalid identifier) zone[a.]"));
	assert_true(zbackend_benign("nsd", ZB_CREATE,
	    "zone a. already exists"));
	assert_true(zbackend_benign("nsd", ZB_DELETE,
	    "warning zone a. not present"));
	assert_false(zbackend_benign("nsd", ZB_CREATE,
	    "error pattern x does not exist"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backoff_doubles_up_to_the_max),
		cmocka_unit_test(threshold_is_a_percentage),
		cmocka_unit_test(positive_answers),
		cmocka_unit_test(parse_takes_pending_zones_only),
		cmocka_unit_test(plan_create),
		cmocka_unit_test(plan_update_and_delete),
		cmocka_unit_test(plan_polls_targets_without_nameservers),
		cmocka_unit_test(classify_answers),
		cmocka_unit_test(serial_arithmetic),
		cmocka_unit_test(bind9_command_lines),
		cmocka_unit_test(knot_and_nsd_command_lines),
		cmocka_unit_test(catalog_pdns_and_unknown),
		cmocka_unit_test(benign_failures),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("znotify", tests, NULL, NULL);
}
