/* zview: journal apply is idempotent, batches equal singles, indexes follow. */
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

#include "zerr.h"
#include "zview.h"

#define Z1 "11111111-1111-4111-8111-111111111111"
#define R1 "22222222-2222-4222-8222-222222222222"
#define R2 "33333333-3333-4333-8333-333333333333"

static const char *msgs[] = {
	"{\"zone_id\":\"" Z1 "\",\"zone\":{\"id\":\"" Z1 "\",\"name\":\"Example.test.\","
	    "\"project_id\":\"p1\",\"ttl\":3600},\"rrsets_put\":[{\"id\":\"" R1 "\","
	    "\"zone_id\":\"" Z1 "\",\"name\":\"www.example.test.\",\"type\":\"A\","
	    "\"ttl\":null,\"records\":[\"192.0.2.1\",\"192.0.2.2\"]}]}",
	"{\"zone_id\":\"" Z1 "\",\"zone\":{\"id\":\"" Z1 "\",\"name\":\"Example.test.\","
	    "\"project_id\":\"p1\",\"ttl\":300},\"rrsets_put\":[{\"id\":\"" R2 "\","
	    "\"zone_id\":\"" Z1 "\",\"name\":\"mail.example.test.\",\"type\":\"MX\","
	    "\"ttl\":60,\"records\":[\"10 mx.example.test.\"]}]}",
	"{\"zone_id\":\"" Z1 "\",\"zone\":{\"id\":\"" Z1 "\",\"name\":\"Example.test.\","
	    "\"project_id\":\"p1\",\"ttl\":300},\"rrsets_del\":[\"" R1 "\"]}",
	"not json at all",
};
#define NMSG	(sizeof(msgs) / sizeof(msgs[0]))

static char *
view_dump(const char *dir, const struct zview_msg *m, size_t n, int one_by_one,
    int twice)
{
	struct zview	 v;
	FILE		*fp;
	char		*buf = NULL;
	size_t		 len = 0, i;
	uint64_t	 applied;
	int		 k;

	assert_int_equal(zview_open(&v, dir, 64), 0);
	for (k = 0; k < (twice ? 2 : 1); k++) {
		if (one_by_one)
			for (i = 0; i < n; i++)
				assert_int_equal(zview_apply(&v, &m[i], 1,
				    &applied), 0);
		else
			assert_int_equal(zview_apply(&v, m, n, &applied), 0);
		assert_int_equal(applied, m[n - 1].seq);
	}
	fp = open_memstream(&buf, &len);
	assert_int_equal(zview_dump(&v, fp), 0);
	fclose(fp);
	zview_close(&v);
	zview_destroy(dir);
	rmdir(dir);
	return buf;
}

static void
fill(struct zview_msg *m)
{
	size_t	i;

	for (i = 0; i < NMSG; i++) {
		m[i].seq = i + 1;
		m[i].data = msgs[i];
		m[i].len = strlen(msgs[i]);
	}
}

static void
replay_changes_nothing(void **state)
{
	struct zview_msg	 m[NMSG];
	char			 d1[] = "/tmp/zview-t1XXXXXX", d2[] = "/tmp/zview-t2XXXXXX";
	char			*a, *b;

	(void)state;
	fill(m);
	assert_non_null(mkdtemp(d1));
	assert_non_null(mkdtemp(d2));
	a = view_dump(d1, m, NMSG, 0, 0);
	b = view_dump(d2, m, NMSG, 0, 1);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void
batch_equals_singles(void **state)
{
	struct zview_msg	 m[NMSG];
	char			 d1[] = "/tmp/zview-t3XXXXXX", d2[] = "/tmp/zview-t4XXXXXX";
	char			*a, *b;

	(void)state;
	fill(m);
	assert_non_null(mkdtemp(d1));
	assert_non_null(mkdtemp(d2));
	a = view_dump(d1, m, NMSG, 0, 0);
	b = view_dump(d2, m, NMSG, 1, 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void
indexes_follow_changes(void **state)
{
	struct zview_msg	 m[NMSG];
	struct zview		 v;
	MDB_txn			*txn;
	json_t			*o;
	char			 d[] = "/tmp/zview-t5XXXXXX", zid[37];
	const void		*w;
	size_t			 wl;
	uint64_t		 applied;

	(void)state;
	fill(m);
	assert_non_null(mkdtemp(d));
	assert_int_equal(zview_open(&v, d, 64), 0);
	assert_int_equal(zview_apply(&v, m, 2, &applied), 0);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	/* names are found case-insensitively */
	assert_int_equal(zview_zone_by_name(&v, txn, "example.TEST.", &o), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "_seq")), 2);
	json_decref(o);
	assert_int_equal(zview_rrset_by_name(&v, txn, Z1, "WWW.example.test.",
	    "A", &o), 0);
	json_decref(o);
	assert_int_equal(zview_rrset_zone(&v, txn, R1, zid), 0);
	assert_string_equal(zid, Z1);
	/* two A records in wire form, each with a 2-byte length */
	assert_int_equal(zview_wire(&v, txn, Z1, R1, &w, &wl), 0);
	assert_true(wl > 2 * (2 + 4));
	zview_rend(txn);
	/* deleting the recordset removes every index */
	assert_int_equal(zview_apply(&v, m + 2, 2, &applied), 0);
	assert_int_equal(applied, 4);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	assert_int_equal(zview_rrset_by_name(&v, txn, Z1, "www.example.test.",
	    "A", &o), ZE_NOTFOUND);
	assert_int_equal(zview_rrset_zone(&v, txn, R1, zid), ZE_NOTFOUND);
	assert_int_equal(zview_wire(&v, txn, Z1, R1, &w, &wl), ZE_NOTFOUND);
	assert_int_equal(zview_rrset(&v, txn, Z1, R2, &o), 0);
	json_decref(o);
	zview_rend(txn);
	zview_close(&v);
	zview_destroy(d);
	rmdir(d);
}

static void
purge_drops_everything(void **state)
{
	struct zview_msg	 m[NMSG + 1];
	struct zview		 v;
	MDB_txn			*txn;
	json_t			*o;
	char			 d[] = "/tmp/zview-t6XXXXXX";
	const char		*purge = "{\"zone_id\":\"" Z1 "\",\"purge\":true}";
	uint64_t		 applied, n;

	(void)state;
	fill(m);
	m[NMSG].seq = NMSG + 1;
	m[NMSG].data = purge;
	m[NMSG].len = strlen(purge);
	assert_non_null(mkdtemp(d));
	assert_int_equal(zview_open(&v, d, 64), 0);
	assert_int_equal(zview_apply(&v, m, NMSG, &applied), 0);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	/* three puts of one zone count it once */
	assert_int_equal(zview_zones_count(&v, txn, "p1", &n), 0);
	assert_int_equal(n, 1);
	zview_rend(txn);
	assert_int_equal(zview_apply(&v, m, NMSG + 1, &applied), 0);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	assert_int_equal(zview_zones_count(&v, txn, "p1", &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(zview_zone(&v, txn, Z1, &o), ZE_NOTFOUND);
	assert_int_equal(zview_zone_by_name(&v, txn, "example.test.", &o),
	    ZE_NOTFOUND);
	assert_int_equal(zview_rrset(&v, txn, Z1, R2, &o), ZE_NOTFOUND);
	zview_rend(txn);
	zview_close(&v);
	zview_destroy(d);
	rmdir(d);
}

static void
revname_reverses_labels(void **state)
{
	char	b[64];

	(void)state;
	assert_int_equal(zview_revname("www.Example.org.", b, sizeof(b)), 0);
	assert_string_equal(b, "org.example.www.");
	assert_int_equal(zview_revname("org.", b, sizeof(b)), 0);
	assert_string_equal(b, "org.");
	assert_int_equal(zview_revname("a.b", b, sizeof(b)), 0);
	assert_string_equal(b, "b.a.");
	assert_int_equal(zview_revname("a.example.org.", b, 4), -ENAMETOOLONG);
}

#define SOA(n) "{\"id\":\"" R2 "\",\"zone_id\":\"" Z1 "\",\"name\":\"example.test.\"," \
	"\"type\":\"SOA\",\"ttl\":null,\"records\":[\"ns1.example.net. h.example.test. " #n " 3600 600 86400 3600\"]}"
#define ZONE(n, act) "{\"id\":\"" Z1 "\",\"name\":\"example.test.\",\"project_id\":\"p1\"," \
	"\"pool_id\":\"pool1\",\"action\":\"" act "\",\"ttl\":3600,\"serial\":" #n "}"

static size_t
count_rrs(const uint8_t *p, size_t len)
{
	size_t	o = 0, n = 0;

	while (o + 2 <= len) {
		o += 2 + (((size_t)p[o] << 8) | p[o + 1]);
		n++;
	}
	return n;
}

/* The SOA type of the first record of a run (owner example.test.). */
static int
first_is_soa(const uint8_t *p, size_t len)
{
	/* 2-byte length, owner \007example\004test\000 (14), type */
	return len > 18 && p[2 + 14] == 0 && p[2 + 15] == 6;
}

static void
deltas_hold_only_the_difference(void **state)
{
	const char *m[] = {
		"{\"zone_id\":\"" Z1 "\",\"zone\":" ZONE(1, "CREATE") ","
		    "\"rrsets_put\":[" SOA(1) ",{\"id\":\"" R1 "\",\"zone_id\":\"" Z1 "\","
		    "\"name\":\"www.example.test.\",\"type\":\"A\",\"ttl\":300,"
		    "\"records\":[\"192.0.2.1\",\"192.0.2.2\"]}]}",
		"{\"zone_id\":\"" Z1 "\",\"zone\":" ZONE(2, "UPDATE") ","
		    "\"rrsets_put\":[" SOA(2) ",{\"id\":\"" R1 "\",\"zone_id\":\"" Z1 "\","
		    "\"name\":\"www.example.test.\",\"type\":\"A\",\"ttl\":300,"
		    "\"records\":[\"192.0.2.2\",\"192.0.2.3\"]}]}",
		"{\"zone_id\":\"" Z1 "\",\"zone\":" ZONE(2, "DELETE") "}",
	};
	struct zview_msg	 msg[3];
	struct zview_delta	 d;
	struct zview		 v;
	MDB_txn			*txn;
	char			 dir[] = "/tmp/zview-t7XXXXXX";
	uint64_t		 applied;
	uint32_t		 cat1, cat2;
	size_t			 i;

	(void)state;
	for (i = 0; i < 3; i++) {
		msg[i].seq = i + 1;
		msg[i].data = m[i];
		msg[i].len = strlen(m[i]);
	}
	assert_non_null(mkdtemp(dir));
	assert_int_equal(zview_open(&v, dir, 64), 0);
	assert_int_equal(zview_apply(&v, msg, 2, &applied), 0);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	assert_int_equal(zview_delta(&v, txn, Z1, 1, &d), 0);
	assert_int_equal(d.from, 1);
	assert_int_equal(d.to, 2);
	/* SOA 1 and 192.0.2.1 out; SOA 2 and 192.0.2.3 in; .2 untouched */
	assert_int_equal(count_rrs(d.del, d.dellen), 2);
	assert_int_equal(count_rrs(d.add, d.addlen), 2);
	assert_true(first_is_soa(d.del, d.dellen));
	assert_true(first_is_soa(d.add, d.addlen));
	assert_int_equal(zview_delta(&v, txn, Z1, 2, &d), ZE_NOTFOUND);
	assert_int_equal(zview_catalog_serial(&v, txn, "pool1", &cat1), 0);
	assert_int_equal(cat1, 1);	/* joined the catalog at seq 1 */
	zview_rend(txn);
	/* a zone being deleted leaves the catalog */
	assert_int_equal(zview_apply(&v, msg + 2, 1, &applied), 0);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	assert_int_equal(zview_catalog_serial(&v, txn, "pool1", &cat2), 0);
	assert_int_equal(cat2, 3);
	zview_rend(txn);
	/* purging the zone drops its history too */
	msg[0].seq = 4;
	msg[0].data = "{\"zone_id\":\"" Z1 "\",\"purge\":true}";
	msg[0].len = strlen(msg[0].data);
	assert_int_equal(zview_apply(&v, msg, 1, &applied), 0);
	assert_int_equal(applied, 4);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	assert_int_equal(zview_delta(&v, txn, Z1, 1, &d), ZE_NOTFOUND);
	zview_rend(txn);
	zview_close(&v);
	zview_destroy(dir);
	rmdir(dir);
}


#define T1 "44444444-4444-4444-8444-444444444444"
#define T2 "55555555-5555-4555-8555-555555555555"

static int
count_cb(json_t *o, void *arg)
{
	(void)o;
	(*(int *)arg)++;
	return 0;
}

/* Admin objects: put, rename, delete; the name index follows, the
 * replay changes nothing, "_seq" is the writing message's sequence. */
static void
objects_and_their_names(void **state)
{
	static const char *om[] = {
		"{\"kind\":\"tld\",\"obj\":{\"id\":\"" T1 "\",\"name\":\"CO.uk\"}}",
		"{\"kind\":\"tld\",\"obj\":{\"id\":\"" T2 "\",\"name\":\"com\"}}",
		"{\"kind\":\"blacklist\",\"obj\":{\"id\":\"" T1 "\",\"pattern\":\"^Evil\"}}",
		"{\"kind\":\"tld\",\"obj\":{\"id\":\"" T1 "\",\"name\":\"org\"}}",
		"{\"kind\":\"tld\",\"obj_del\":\"" T2 "\"}",
		"{\"kind\":\"\",\"obj\":{\"id\":\"x\"}}",
	};
	struct zview_msg	 m[6];
	struct zview		 v;
	MDB_txn			*txn;
	json_t			*o;
	char			 d[] = "/tmp/zview-t9XXXXXX", *a, *b;
	char			 d2[] = "/tmp/zview-tAXXXXXX", nb[64];
	uint64_t		 applied;
	size_t			 i;
	int			 n;

	(void)state;
	for (i = 0; i < 6; i++) {
		m[i].seq = i + 1;
		m[i].data = om[i];
		m[i].len = strlen(om[i]);
	}
	assert_non_null(mkdtemp(d));
	assert_int_equal(zview_open(&v, d, 64), 0);
	assert_int_equal(zview_apply(&v, m, 3, &applied), 0);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	/* tld names without case, blacklist patterns with it */
	assert_int_equal(zview_obj_by_name(&v, txn, "tld", "co.UK", &o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "id")), T1);
	assert_int_equal(json_integer_value(json_object_get(o, "_seq")), 1);
	json_decref(o);
	assert_int_equal(zview_obj_by_name(&v, txn, "blacklist", "^Evil", &o),
	    0);
	json_decref(o);
	assert_int_equal(zview_obj_by_name(&v, txn, "blacklist", "^evil", &o),
	    ZE_NOTFOUND);
	n = 0;
	assert_int_equal(zview_objs_each(&v, txn, "tld", count_cb, &n), 0);
	assert_int_equal(n, 2);
	zview_rend(txn);
	/* a rename frees the old name; a delete removes object and name */
	assert_int_equal(zview_apply(&v, m + 3, 3, &applied), 0);
	assert_int_equal(applied, 6);
	assert_int_equal(zview_rbegin(&v, &txn), 0);
	assert_int_equal(zview_obj_by_name(&v, txn, "tld", "co.uk", &o),
	    ZE_NOTFOUND);
	assert_int_equal(zview_obj_by_name(&v, txn, "tld", "ORG", &o), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "_seq")), 4);
	json_decref(o);
	assert_int_equal(zview_obj(&v, txn, "tld", T2, &o), ZE_NOTFOUND);
	assert_int_equal(zview_obj_by_name(&v, txn, "tld", "com", &o),
	    ZE_NOTFOUND);
	assert_int_equal(zview_obj(&v, txn, "blacklist", T1, &o), 0);
	json_decref(o);
	n = 0;
	assert_int_equal(zview_objs_each(&v, txn, "tld", count_cb, &n), 0);
	assert_int_equal(n, 1);
	zview_rend(txn);
	zview_close(&v);
	assert_int_equal(zview_obj_norm("tsigkey", "Key.Example.", nb,
	    sizeof(nb)), 0);
	assert_string_equal(nb, "key.example.");
	assert_int_equal(zview_obj_norm("nosuch", "x", nb, sizeof(nb)),
	    -EINVAL);
	/* batch, singles and a replay all give the same view */
	assert_non_null(mkdtemp(d2));
	a = view_dump(d, m, 6, 0, 1);
	b = view_dump(d2, m, 6, 1, 0);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "[objs]\nblacklist/" T1));
	assert_non_null(strstr(a, "[onames]\nblacklist/^Evil\t" T1));
	free(a);
	free(b);
	zview_destroy(d);
	rmdir(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_changes_nothing),
		cmocka_unit_test(batch_equals_singles),
		cmocka_unit_test(indexes_follow_changes),
		cmocka_unit_test(purge_drops_everything),
		cmocka_unit_test(revname_reverses_labels),
		cmocka_unit_test(deltas_hold_only_the_difference),
		cmocka_unit_test(objects_and_their_names),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zview", tests, NULL, NULL);
}
