/* zxfr: SOA, AXFR, IXFR, TSIG, catalog and refusals over a temp view. */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

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
#include <ldns/ldns.h>

#include "zerr.h"
#include "zview.h"
#include "zxfr.h"

#define P1 "aaaaaaaa-1111-4111-8111-111111111111"
#define P2 "bbbbbbbb-2222-4222-8222-222222222222"
#define Z1 "11111111-1111-4111-8111-111111111111"
#define Z2 "22222222-2222-4222-8222-222222222222"
#define Z3 "33333333-3333-4333-8333-333333333333"
#define Z4 "44444444-4444-4444-8444-444444444444"
#define Z5 "55555555-5555-4555-8555-555555555555"
#define SECRET "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="

#define SOA(zone, id, serial) "{\"id\":\"" id "\",\"zone_id\":\"" zone "\"," \
	"\"name\":\"%s\",\"type\":\"SOA\",\"ttl\":null,\"records\":[" \
	"\"ns1.example.net. hostmaster.example.net. " serial \
	" 3600 600 86400 3600\"]}"

static struct zview	 view;
static struct zxfr	 xfr;
static char		 dir[] = "/tmp/zxfr-tXXXXXX";

static const char *msgs[] = {
	"{\"pool\":{\"id\":\"" P1 "\",\"name\":\"default\",\"ns_records\":"
	    "[{\"hostname\":\"ns1.example.net.\",\"priority\":1}],"
	    "\"catalog_zone\":{\"fqdn\":\"cat.test.\",\"refresh\":30},"
	    "\"tsig_keys\":[]}}",
	"{\"pool\":{\"id\":\"" P2 "\",\"name\":\"secure\",\"tsig_keys\":"
	    "[{\"name\":\"xfr-key\",\"algorithm\":\"hmac-sha256\",\"secret\":\""
	    SECRET "\"}]}}",
	/* example.test. serial 1 */
	"{\"zone_id\":\"" Z1 "\",\"zone\":{\"id\":\"" Z1 "\",\"name\":\"example.test.\","
	    "\"pool_id\":\"" P1 "\",\"project_id\":\"p1\",\"ttl\":3600,\"serial\":1,"
	    "\"action\":\"CREATE\"},\"rrsets_put\":["
	    "{\"id\":\"r0\",\"zone_id\":\"" Z1 "\",\"name\":\"example.test.\",\"type\":"
	    "\"SOA\",\"ttl\":null,\"records\":[\"ns1.example.net. hostmaster.example.net."
	    " 1 3600 600 86400 3600\"]},"
	    "{\"id\":\"r1\",\"zone_id\":\"" Z1 "\",\"name\":\"example.test.\",\"type\":"
	    "\"NS\",\"ttl\":null,\"records\":[\"ns1.example.net.\"]},"
	    "{\"id\":\"r2\",\"zone_id\":\"" Z1 "\",\"name\":\"www.example.test.\",\"type\":"
	    "\"A\",\"ttl\":300,\"records\":[\"192.0.2.1\",\"192.0.2.2\"]},"
	    "{\"id\":\"r3\",\"zone_id\":\"" Z1 "\",\"name\":\"example.test.\",\"type\":"
	    "\"MX\",\"ttl\":null,\"records\":[\"10 mail.example.test.\"]}]}",
	/* serial 2: add ftp */
	"{\"zone_id\":\"" Z1 "\",\"zone\":{\"id\":\"" Z1 "\",\"name\":\"example.test.\","
	    "\"pool_id\":\"" P1 "\",\"project_id\":\"p1\",\"ttl\":3600,\"serial\":2,"
	    "\"action\":\"UPDATE\"},\"rrsets_put\":["
	    "{\"id\":\"r0\",\"zone_id\":\"" Z1 "\",\"name\":\"example.test.\",\"type\":"
	    "\"SOA\",\"ttl\":null,\"records\":[\"ns1.example.net. hostmaster.example.net."
	    " 2 3600 600 86400 3600\"]},"
	    "{\"id\":\"r4\",\"zone_id\":\"" Z1 "\",\"name\":\"ftp.example.test.\",\"type\":"
	    "\"A\",\"ttl\":null,\"records\":[\"192.0.2.9\"]}]}",
	/* serial 3: drop www */
	"{\"zone_id\":\"" Z1 "\",\"zone\":{\"id\":\"" Z1 "\",\"name\":\"example.test.\","
	    "\"pool_id\":\"" P1 "\",\"project_id\":\"p1\",\"ttl\":3600,\"serial\":3,"
	    "\"action\":\"UPDATE\"},\"rrsets_put\":["
	    "{\"id\":\"r0\",\"zone_id\":\"" Z1 "\",\"name\":\"example.test.\",\"type\":"
	    "\"SOA\",\"ttl\":null,\"records\":[\"ns1.example.net. hostmaster.example.net."
	    " 3 3600 600 86400 3600\"]}],\"rrsets_del\":[\"r2\"]}",
	/* secure.test. in the pool with a key */
	"{\"zone_id\":\"" Z2 "\",\"zone\":{\"id\":\"" Z2 "\",\"name\":\"secure.test.\","
	    "\"pool_id\":\"" P2 "\",\"project_id\":\"p1\",\"ttl\":3600,\"serial\":10,"
	    "\"action\":\"NONE\"},\"rrsets_put\":["
	    "{\"id\":\"s0\",\"zone_id\":\"" Z2 "\",\"name\":\"secure.test.\",\"type\":"
	    "\"SOA\",\"ttl\":null,\"records\":[\"ns1.example.net. hostmaster.example.net."
	    " 10 3600 600 86400 3600\"]},"
	    "{\"id\":\"s1\",\"zone_id\":\"" Z2 "\",\"name\":\"a.secure.test.\",\"type\":"
	    "\"A\",\"ttl\":null,\"records\":[\"192.0.2.10\"]}]}",
	/* gone.test. is being deleted */
	"{\"zone_id\":\"" Z3 "\",\"zone\":{\"id\":\"" Z3 "\",\"name\":\"gone.test.\","
	    "\"pool_id\":\"" P1 "\",\"project_id\":\"p1\",\"ttl\":3600,\"serial\":5,"
	    "\"action\":\"DELETE\"},\"rrsets_put\":["
	    "{\"id\":\"g0\",\"zone_id\":\"" Z3 "\",\"name\":\"gone.test.\",\"type\":"
	    "\"SOA\",\"ttl\":null,\"records\":[\"ns1.example.net. hostmaster.example.net."
	    " 5 3600 600 86400 3600\"]}]}",
};
#define NMSG	(sizeof(msgs) / sizeof(msgs[0]))

/* big.test.: SOA and 300 A records */
static char *
big_zone(const char *id, const char *name, const char *pool)
{
	char	*buf, *p;
	size_t	 cap = 64 * 1024;
	int	 i;

	buf = malloc(cap);
	assert_non_null(buf);
	p = buf + snprintf(buf, cap,
	    "{\"zone_id\":\"%s\",\"zone\":{\"id\":\"%s\",\"name\":"
	    "\"%s\",\"pool_id\":\"%s\",\"project_id\":\"p1\","
	    "\"ttl\":3600,\"serial\":7,\"action\":\"NONE\"},\"rrsets_put\":["
	    "{\"id\":\"b0\",\"zone_id\":\"%s\",\"name\":\"%s\","
	    "\"type\":\"SOA\",\"ttl\":null,\"records\":[\"ns1.example.net. "
	    "hostmaster.example.net. 7 3600 600 86400 3600\"]}", id, id, name,
	    pool, id, name);
	for (i = 0; i < 300; i++)
		p += snprintf(p, cap - (size_t)(p - buf),
		    ",{\"id\":\"b%d\",\"zone_id\":\"%s\",\"name\":"
		    "\"host%d.%s\",\"type\":\"A\",\"ttl\":null,"
		    "\"records\":[\"10.0.%d.%d\"]}", i + 1, id, i, name,
		    i / 256, i % 256);
	snprintf(p, cap - (size_t)(p - buf), "]}");
	return buf;
}

static int
setup(void **state)
{
	struct zview_msg	 m[NMSG + 2];
	uint64_t		 applied;
	char			*big, *big2;
	size_t			 i;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	if (zview_open(&view, dir, 64) < 0)
		return -1;
	big = big_zone(Z4, "big.test.", P1);
	big2 = big_zone(Z5, "bigsec.test.", P2);
	for (i = 0; i < NMSG; i++) {
		m[i].seq = i + 1;
		m[i].data = msgs[i];
		m[i].len = strlen(msgs[i]);
	}
	m[NMSG].seq = NMSG + 1;
	m[NMSG].data = big;
	m[NMSG].len = strlen(big);
	m[NMSG + 1].seq = NMSG + 2;
	m[NMSG + 1].data = big2;
	m[NMSG + 1].len = strlen(big2);
	if (zview_apply(&view, m, NMSG + 2, &applied) < 0)
		return -1;
	free(big);
	free(big2);
	return zxfr_init(&xfr, &view, "127.0.0.0/8 ::1/128", 65535);
}

static int
teardown(void **state)
{
	(void)state;
	zxfr_release(&xfr);
	zview_close(&view);
	zview_destroy(dir);
	rmdir(dir);
	return 0;
}

static ldns_pkt *
query(const char *name, ldns_rr_type type)
{
	ldns_pkt	*p;

	assert_int_equal(ldns_pkt_query_new_frm_str(&p, name, type,
	    LDNS_RR_CLASS_IN, 0), LDNS_STATUS_OK);
	ldns_pkt_set_id(p, 4242);
	return p;
}

static void
wire(ldns_pkt *p, uint8_t **w, size_t *wl)
{
	assert_int_equal(ldns_pkt2wire(w, p, wl), LDNS_STATUS_OK);
}

/* Send p from `src' (NULL: allowed); the answers, one packet each. */
static size_t
ask(ldns_pkt *p, int tcp, const char *src, ldns_pkt **ans, size_t max)
{
	struct zxfr_out		 out = ZXFR_OUT_INIT;
	struct sockaddr_in	 sin;
	uint8_t			*w;
	size_t			 wl, i = 0, n = 0;

	wire(p, &w, &wl);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (src != NULL)
		assert_int_equal(inet_pton(AF_INET, src, &sin.sin_addr), 1);
	assert_int_equal(zxfr_answer(&xfr, w, wl, tcp,
	    src != NULL ? (struct sockaddr *)&sin : NULL, &out), 0);
	while (i + 2 <= out.len && n < max) {
		wl = (size_t)out.buf[i] << 8 | out.buf[i + 1];
		assert_true(i + 2 + wl <= out.len);
		if (!tcp)
			assert_true(wl <= 512);
		assert_int_equal(ldns_wire2pkt(&ans[n], out.buf + i + 2, wl),
		    LDNS_STATUS_OK);
		i += 2 + wl;
		n++;
	}
	assert_int_equal(n, out.nmsg);
	free(w);
	zxfr_out_release(&out);
	return n;
}

static ldns_pkt *
ask1(ldns_pkt *p, int tcp)
{
	ldns_pkt	*a[2];

	assert_int_equal(ask(p, tcp, NULL, a, 2), 1);
	ldns_pkt_free(p);
	return a[0];
}

static uint32_t
serial_of(const ldns_rr *rr)
{
	assert_int_equal(ldns_rr_get_type(rr), LDNS_RR_TYPE_SOA);
	return ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
}

static void
free_all(ldns_pkt **a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		ldns_pkt_free(a[i]);
}

/* All answer records of a multi-message answer, in order. */
static ldns_rr_list *
answers(ldns_pkt **a, size_t n)
{
	ldns_rr_list	*l = ldns_rr_list_new();
	size_t		 i, j;

	for (i = 0; i < n; i++) {
		assert_int_equal(ldns_pkt_get_rcode(a[i]), LDNS_RCODE_NOERROR);
		for (j = 0; j < ldns_pkt_ancount(a[i]); j++)
			ldns_rr_list_push_rr(l, ldns_rr_clone(
			    ldns_rr_list_rr(ldns_pkt_answer(a[i]), j)));
	}
	return l;
}

static void
soa_is_answered(void **state)
{
	ldns_pkt	*a;

	(void)state;
	a = ask1(query("EXAMPLE.test.", LDNS_RR_TYPE_SOA), 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_NOERROR);
	assert_true(ldns_pkt_aa(a));
	assert_true(ldns_pkt_qr(a));
	assert_int_equal(ldns_pkt_id(a), 4242);
	assert_int_equal(ldns_pkt_ancount(a), 1);
	assert_int_equal(serial_of(ldns_rr_list_rr(ldns_pkt_answer(a), 0)), 3);
	ldns_pkt_free(a);
}

static void
records_and_nodata(void **state)
{
	ldns_pkt	*a;

	(void)state;
	a = ask1(query("ftp.example.test.", LDNS_RR_TYPE_A), 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(a), 1);
	ldns_pkt_free(a);
	a = ask1(query("example.test.", LDNS_RR_TYPE_MX), 1);
	assert_int_equal(ldns_pkt_ancount(a), 1);
	ldns_pkt_free(a);
	/* www was deleted at serial 3 */
	a = ask1(query("www.example.test.", LDNS_RR_TYPE_A), 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(a), 0);
	assert_int_equal(ldns_pkt_nscount(a), 1);
	assert_int_equal(serial_of(ldns_rr_list_rr(ldns_pkt_authority(a), 0)),
	    3);
	ldns_pkt_free(a);
	/* SOA below the apex: NODATA too */
	a = ask1(query("ftp.example.test.", LDNS_RR_TYPE_SOA), 0);
	assert_int_equal(ldns_pkt_ancount(a), 0);
	assert_int_equal(ldns_pkt_nscount(a), 1);
	ldns_pkt_free(a);
}

static void
refusals(void **state)
{
	ldns_pkt	*a, *q;

	(void)state;
	a = ask1(query("nowhere.invalid.", LDNS_RR_TYPE_SOA), 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_REFUSED);
	ldns_pkt_free(a);
	/* a zone being deleted is refused */
	a = ask1(query("gone.test.", LDNS_RR_TYPE_SOA), 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_REFUSED);
	ldns_pkt_free(a);
	/* AXFR over UDP */
	a = ask1(query("example.test.", LDNS_RR_TYPE_AXFR), 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_REFUSED);
	ldns_pkt_free(a);
	/* class CH */
	assert_int_equal(ldns_pkt_query_new_frm_str(&q, "example.test.",
	    LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_CH, 0), LDNS_STATUS_OK);
	a = ask1(q, 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_REFUSED);
	ldns_pkt_free(a);
	/* UPDATE */
	q = query("example.test.", LDNS_RR_TYPE_SOA);
	ldns_pkt_set_opcode(q, LDNS_PACKET_UPDATE);
	a = ask1(q, 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_NOTIMPL);
	ldns_pkt_free(a);
}

static void
source_not_allowed(void **state)
{
	ldns_pkt	*a[4], *q;

	(void)state;
	q = query("example.test.", LDNS_RR_TYPE_AXFR);
	assert_int_equal(ask(q, 1, "192.0.2.1", a, 4), 1);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_REFUSED);
	ldns_pkt_free(a[0]);
	assert_int_equal(ask(q, 1, "127.0.0.2", a, 4), 1);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_NOERROR);
	ldns_pkt_free(a[0]);
	ldns_pkt_free(q);
	/* SOA from anywhere */
	q = query("example.test.", LDNS_RR_TYPE_SOA);
	assert_int_equal(ask(q, 0, "192.0.2.1", a, 4), 1);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_NOERROR);
	ldns_pkt_free(a[0]);
	ldns_pkt_free(q);
}

static void
axfr_soa_first_and_last(void **state)
{
	ldns_pkt	*a[8], *q;
	ldns_rr_list	*l;
	size_t		 n, i, nsoa = 0;

	(void)state;
	q = query("example.test.", LDNS_RR_TYPE_AXFR);
	n = ask(q, 1, NULL, a, 8);
	ldns_pkt_free(q);
	assert_int_equal(n, 1);
	assert_true(ldns_pkt_aa(a[0]));
	l = answers(a, n);
	/* SOA, NS, MX, ftp A, SOA */
	assert_int_equal(ldns_rr_list_rr_count(l), 5);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 0)), 3);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 4)), 3);
	for (i = 0; i < 5; i++)
		nsoa += ldns_rr_get_type(ldns_rr_list_rr(l, i)) ==
		    LDNS_RR_TYPE_SOA;
	assert_int_equal(nsoa, 2);
	ldns_rr_list_deep_free(l);
	free_all(a, n);
}

static void
axfr_splits_messages(void **state)
{
	ldns_pkt	*a[64], *q;
	ldns_rr_list	*l;
	size_t		 n, saved = xfr.max_message;

	(void)state;
	xfr.max_message = 512;
	q = query("big.test.", LDNS_RR_TYPE_AXFR);
	n = ask(q, 1, NULL, a, 64);
	ldns_pkt_free(q);
	xfr.max_message = saved;
	assert_true(n > 5);
	/* only the first message carries the question */
	assert_int_equal(ldns_pkt_qdcount(a[0]), 1);
	assert_int_equal(ldns_pkt_qdcount(a[1]), 0);
	l = answers(a, n);
	assert_int_equal(ldns_rr_list_rr_count(l), 302);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 0)), 7);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 301)), 7);
	ldns_rr_list_deep_free(l);
	free_all(a, n);
}

static ldns_pkt *
ixfr_query(const char *zone, uint32_t serial)
{
	ldns_pkt	*q = query(zone, LDNS_RR_TYPE_IXFR);
	ldns_rr		*soa;
	char		 buf[256];

	snprintf(buf, sizeof(buf), "%s 0 IN SOA . . %u 0 0 0 0", zone, serial);
	assert_int_equal(ldns_rr_new_frm_str(&soa, buf, 0, NULL, NULL),
	    LDNS_STATUS_OK);
	ldns_pkt_push_rr(q, LDNS_SECTION_AUTHORITY, soa);
	return q;
}

static void
ixfr_chains_deltas(void **state)
{
	ldns_pkt	*a[8], *q;
	ldns_rr_list	*l;
	size_t		 n;
	unsigned long	 fb = atomic_load(&xfr.nfallback);

	(void)state;
	q = ixfr_query("example.test.", 1);
	n = ask(q, 1, NULL, a, 8);
	ldns_pkt_free(q);
	l = answers(a, n);
	/* SOA3, SOA1 www-A www-A SOA2 ftp, SOA2 SOA3 (www gone at 3), SOA3 */
	assert_int_equal(ldns_rr_list_rr_count(l), 9);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 0)), 3);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 1)), 1);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 2)), 2);
	assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(l, 3)),
	    LDNS_RR_TYPE_A);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 4)), 2);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 7)), 3);
	assert_int_equal(serial_of(ldns_rr_list_rr(l, 8)), 3);
	ldns_rr_list_deep_free(l);
	free_all(a, n);
	assert_int_equal(atomic_load(&xfr.nfallback), fb);

	/* up to date: one SOA */
	q = ixfr_query("example.test.", 3);
	n = ask(q, 0, NULL, a, 8);
	ldns_pkt_free(q);
	assert_int_equal(n, 1);
	assert_int_equal(ldns_pkt_ancount(a[0]), 1);
	free_all(a, n);

	/* history missing: the whole zone, counted */
	q = ixfr_query("example.test.", 0);
	n = ask(q, 1, NULL, a, 8);
	ldns_pkt_free(q);
	l = answers(a, n);
	assert_int_equal(ldns_rr_list_rr_count(l), 5);
	ldns_rr_list_deep_free(l);
	free_all(a, n);
	assert_int_equal(atomic_load(&xfr.nfallback), fb + 1);

	/* over UDP, too big: only the SOA */
	q = ixfr_query("big.test.", 1);
	n = ask(q, 0, NULL, a, 8);
	ldns_pkt_free(q);
	assert_int_equal(n, 1);
	assert_int_equal(ldns_pkt_ancount(a[0]), 1);
	free_all(a, n);
}

static ldns_pkt *
signed_query(const char *zone, ldns_rr_type type, const char *key,
    const char *secret)
{
	ldns_pkt	*q = query(zone, type);

	assert_int_equal(ldns_pkt_tsig_sign(q, key, secret, 300,
	    "hmac-sha256.", NULL), LDNS_STATUS_OK);
	return q;
}

static void
tsig_required_and_signed(void **state)
{
	struct zxfr_out	 out = ZXFR_OUT_INIT;
	ldns_pkt	*a[8], *q;
	ldns_rdf	*mac;
	uint8_t		*w;
	size_t		 n, wl;

	(void)state;
	/* unsigned: refused */
	q = query("secure.test.", LDNS_RR_TYPE_AXFR);
	n = ask(q, 1, NULL, a, 8);
	ldns_pkt_free(q);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_REFUSED);
	free_all(a, n);

	/* signed: answered and signed */
	q = signed_query("secure.test.", LDNS_RR_TYPE_AXFR, "xfr-key", SECRET);
	wire(q, &w, &wl);
	assert_int_equal(zxfr_answer(&xfr, w, wl, 1, NULL, &out), 0);
	free(w);
	assert_int_equal(out.nmsg, 1);
	wl = (size_t)out.buf[0] << 8 | out.buf[1];
	assert_int_equal(ldns_wire2pkt(&a[0], out.buf + 2, wl), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(a[0]), 3);
	assert_non_null(ldns_pkt_tsig(a[0]));
	mac = ldns_rr_rdf(ldns_pkt_tsig(q), 3);
	assert_true(ldns_pkt_tsig_verify(a[0], out.buf + 2, wl, "xfr-key",
	    SECRET, mac));
	ldns_pkt_free(a[0]);
	ldns_pkt_free(q);

	/* wrong secret: NOTAUTH, BADSIG */
	q = signed_query("secure.test.", LDNS_RR_TYPE_AXFR, "xfr-key",
	    "d3Jvbmctc2VjcmV0");
	n = ask(q, 1, NULL, a, 8);
	ldns_pkt_free(q);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_NOTAUTH);
	assert_non_null(ldns_pkt_tsig(a[0]));
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(ldns_pkt_tsig(a[0]),
	    5)), 16);
	free_all(a, n);

	/* unknown key: BADKEY */
	q = signed_query("secure.test.", LDNS_RR_TYPE_AXFR, "other-key",
	    SECRET);
	n = ask(q, 1, NULL, a, 8);
	ldns_pkt_free(q);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_NOTAUTH);
	assert_int_equal(ldns_rdf2native_int16(ldns_rr_rdf(ldns_pkt_tsig(a[0]),
	    5)), 17);
	free_all(a, n);

	/* SOA needs no key */
	a[0] = ask1(query("secure.test.", LDNS_RR_TYPE_SOA), 0);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_NOERROR);
	ldns_pkt_free(a[0]);
	zxfr_out_release(&out);
}

static void
tsig_multi_message(void **state)
{
	struct zxfr_out	 out = ZXFR_OUT_INIT;
	ldns_pkt	*q, *a;
	ldns_rdf	*mac;
	uint8_t		*w;
	size_t		 wl, i = 0, n = 0, nrr = 0, saved = xfr.max_message;

	(void)state;
	xfr.max_message = 2048;
	q = signed_query("bigsec.test.", LDNS_RR_TYPE_AXFR, "xfr-key", SECRET);
	wire(q, &w, &wl);
	assert_int_equal(zxfr_answer(&xfr, w, wl, 1, NULL, &out), 0);
	free(w);
	xfr.max_message = saved;
	mac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(q), 3));
	while (i + 2 <= out.len) {
		wl = (size_t)out.buf[i] << 8 | out.buf[i + 1];
		assert_int_equal(ldns_wire2pkt(&a, out.buf + i + 2, wl),
		    LDNS_STATUS_OK);
		assert_true(ldns_pkt_tsig_verify_next(a, out.buf + i + 2, wl,
		    "xfr-key", SECRET, mac, n > 0));
		ldns_rdf_deep_free(mac);
		mac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(a), 3));
		nrr += ldns_pkt_ancount(a);
		ldns_pkt_free(a);
		i += 2 + wl;
		n++;
	}
	assert_true(n > 3);
	assert_int_equal(nrr, 302);
	ldns_rdf_deep_free(mac);
	ldns_pkt_free(q);
	zxfr_out_release(&out);
}

static void
catalog_zone(void **state)
{
	ldns_pkt	*a[8], *q;
	ldns_rr_list	*l;
	ldns_rr		*rr;
	size_t		 n, i, nptr = 0, ntxt = 0;
	char		*s;

	(void)state;
	a[0] = ask1(query("cat.test.", LDNS_RR_TYPE_SOA), 0);
	assert_int_equal(ldns_pkt_get_rcode(a[0]), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_ancount(a[0]), 1);
	assert_true(serial_of(ldns_rr_list_rr(ldns_pkt_answer(a[0]), 0)) > 0);
	ldns_pkt_free(a[0]);

	q = query("cat.test.", LDNS_RR_TYPE_AXFR);
	n = ask(q, 1, NULL, a, 8);
	ldns_pkt_free(q);
	l = answers(a, n);
	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_PTR) {
			s = ldns_rdf2str(ldns_rr_rdf(rr, 0));
			/* members: example.test., big.test.; not gone.test. */
			assert_true(strcmp(s, "example.test.") == 0 ||
			    strcmp(s, "big.test.") == 0);
			free(s);
			nptr++;
		}
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_TXT)
			ntxt++;
	}
	assert_int_equal(nptr, 2);
	assert_int_equal(ntxt, 1);
	assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(l, 0)),
	    LDNS_RR_TYPE_SOA);
	ldns_rr_list_deep_free(l);
	free_all(a, n);

	a[0] = ask1(query("version.cat.test.", LDNS_RR_TYPE_TXT), 0);
	assert_int_equal(ldns_pkt_ancount(a[0]), 1);
	ldns_pkt_free(a[0]);
}

static void
notify_and_garbage(void **state)
{
	struct zxfr_out	 out = ZXFR_OUT_INIT;
	ldns_pkt	*q, *a;
	uint8_t		 junk[12] = { 1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0 };
	uint8_t		 resp[12] = { 1, 2, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0 };

	(void)state;
	q = query("example.test.", LDNS_RR_TYPE_SOA);
	ldns_pkt_set_opcode(q, LDNS_PACKET_NOTIFY);
	ldns_pkt_set_aa(q, 1);
	a = ask1(q, 0);
	assert_int_equal(ldns_pkt_get_rcode(a), LDNS_RCODE_NOERROR);
	assert_int_equal(ldns_pkt_get_opcode(a), LDNS_PACKET_NOTIFY);
	assert_true(ldns_pkt_aa(a));
	ldns_pkt_free(a);
	/* two questions promised, none there */
	assert_int_equal(zxfr_answer(&xfr, junk, sizeof(junk), 0, NULL, &out),
	    0);
	assert_int_equal(out.nmsg, 1);
	assert_int_equal(out.buf[2 + 3] & 0x0f, LDNS_RCODE_FORMERR);
	/* responses are not answered */
	assert_int_equal(zxfr_answer(&xfr, resp, sizeof(resp), 0, NULL, &out),
	    0);
	assert_int_equal(out.nmsg, 0);
	zxfr_out_release(&out);
}

static void
allow_list_parses(void **state)
{
	struct zxfr		 x;
	struct sockaddr_in6	 s6;

	(void)state;
	assert_int_equal(zxfr_init(&x, &view, "10.0.0.0/8 2001:db8::/32", 512),
	    0);
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &s6.sin6_addr);
	assert_int_equal(zxfr_allowed(&x, (struct sockaddr *)&s6), 1);
	inet_pton(AF_INET6, "::ffff:10.1.2.3", &s6.sin6_addr);
	assert_int_equal(zxfr_allowed(&x, (struct sockaddr *)&s6), 1);
	inet_pton(AF_INET6, "2001:db9::1", &s6.sin6_addr);
	assert_int_equal(zxfr_allowed(&x, (struct sockaddr *)&s6), 0);
	zxfr_release(&x);
	assert_int_equal(zxfr_init(&x, &view, "10.0.0.0/33", 512), ZE_CONFIG);
	assert_int_equal(zxfr_init(&x, &view, "nonsense", 512), ZE_CONFIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(soa_is_answered),
		cmocka_unit_test(records_and_nodata),
		cmocka_unit_test(refusals),
		cmocka_unit_test(source_not_allowed),
		cmocka_unit_test(axfr_soa_first_and_last),
		cmocka_unit_test(axfr_splits_messages),
		cmocka_unit_test(ixfr_chains_deltas),
		cmocka_unit_test(tsig_required_and_signed),
		cmocka_unit_test(tsig_multi_message),
		cmocka_unit_test(catalog_zone),
		cmocka_unit_test(notify_and_garbage),
		cmocka_unit_test(allow_list_parses),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zxfr", tests, setup, teardown);
}
