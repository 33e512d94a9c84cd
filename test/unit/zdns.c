/*
 * zdns against a loopback responder in a thread: SOA serials, refusals,
 * timeouts, answers that are not ours, NOTIFY, TSIG both ways, and many
 * queries in one exchange.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <ldns/ldns.h>

#include "zdns.h"

#define KEYNAME	"k."
#define SECRET	"vIPywJxoElRRspngA8DSE8YKrMTSyLF6W0QO7/L8BHA="

enum mode { M_SERIAL, M_REFUSED, M_DROP, M_BADID, M_SIGNED, M_SERVFAIL };

static int		 fd = -1, port;
static volatile int	 mode;
static pthread_t	 thr;

static void *
responder(void *arg)
{
	struct sockaddr_in	 from;
	socklen_t		 flen;
	uint8_t			 buf[4096], *wire;
	size_t			 wlen;
	ssize_t			 r;
	ldns_pkt		*q, *a;
	ldns_rr			*soa, *t;
	ldns_rdf		*mac;
	char			 text[256], *qname;

	(void)arg;
	for (;;) {
		flen = sizeof(from);
		r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &flen);
		if (r <= 0)
			break;
		if (mode == M_DROP ||
		    ldns_wire2pkt(&q, buf, (size_t)r) != LDNS_STATUS_OK)
			continue;
		a = ldns_pkt_clone(q);
		ldns_pkt_set_qr(a, 1);
		ldns_pkt_set_aa(a, 1);
		ldns_pkt_set_tsig(a, NULL);
		qname = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(
		    ldns_pkt_question(q), 0)));
		if (mode == M_REFUSED)
			ldns_pkt_set_rcode(a, LDNS_RCODE_REFUSED);
		else if (mode == M_SERVFAIL)
			ldns_pkt_set_rcode(a, LDNS_RCODE_SERVFAIL);
		else if (ldns_pkt_get_opcode(q) == LDNS_PACKET_QUERY) {
			snprintf(text, sizeof(text),
			    "%s 300 IN SOA ns. h. 42 1 1 1 1", qname);
			ldns_rr_new_frm_str(&soa, text, 0, NULL, NULL);
			ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER, soa);
		}
		free(qname);
		if (mode == M_BADID)
			ldns_pkt_set_id(a, (uint16_t)(ldns_pkt_id(q) + 1));
		if (mode == M_SIGNED && (t = ldns_pkt_tsig(q)) != NULL) {
			mac = ldns_rr_rdf(t, 3);
			if (!ldns_pkt_tsig_verify(q, buf, (size_t)r, KEYNAME,
			    SECRET, NULL))
				ldns_pkt_set_rcode(a, LDNS_RCODE_NOTAUTH);
			else
				ldns_pkt_tsig_sign(a, KEYNAME, SECRET, 300,
				    "hmac-sha256.", mac);
		}
		if (ldns_pkt2wire(&wire, a, &wlen) == LDNS_STATUS_OK) {
			sendto(fd, wire, wlen, 0, (struct sockaddr *)&from,
			    flen);
			free(wire);
		}
		ldns_pkt_free(q);
		ldns_pkt_free(a);
	}
	return NULL;
}

static int
setup(void **state)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	port = ntohs(sin.sin_port);
	return pthread_create(&thr, NULL, responder, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	shutdown(fd, SHUT_RDWR);
	close(fd);
	pthread_join(thr, NULL);
	return 0;
}

static void
soa_serial(void **state)
{
	uint32_t	s = 0;

	(void)state;
	mode = M_SERIAL;
	assert_int_equal(zdns_soa("127.0.0.1", port, "a.example.", NULL, 1000,
	    &s), ZDNS_SERIAL);
	assert_int_equal(s, 42);
}

static void
refused_and_servfail(void **state)
{
	uint32_t	s;

	(void)state;
	mode = M_REFUSED;
	assert_int_equal(zdns_soa("127.0.0.1", port, "a.example.", NULL, 1000,
	    &s), ZDNS_NOZONE);
	mode = M_SERVFAIL;
	assert_int_equal(zdns_soa("127.0.0.1", port, "a.example.", NULL, 1000,
	    &s), ZDNS_SERVFAIL);
}

static void
silence_and_strangers_time_out(void **state)
{
	uint32_t	s;

	(void)state;
	mode = M_DROP;
	assert_int_equal(zdns_soa("127.0.0.1", port, "a.example.", NULL, 100,
	    &s), ZDNS_TIMEOUT);
	mode = M_BADID;
	assert_int_equal(zdns_soa("127.0.0.1", port, "a.example.", NULL, 100,
	    &s), ZDNS_TIMEOUT);
}

static void
notify_is_acked(void **state)
{
	(void)state;
	mode = M_SERIAL;
	assert_int_equal(zdns_notify("127.0.0.1", port, "a.example.", NULL,
	    1000), ZDNS_ACKED);
	mode = M_REFUSED;
	assert_int_equal(zdns_notify("127.0.0.1", port, "a.example.", NULL,
	    1000), ZDNS_NOZONE);
}

static void
tsig_both_ways(void **state)
{
	struct zdns_tsig	good = { KEYNAME, "hmac-sha256", SECRET };
	struct zdns_tsig	bad = { KEYNAME, "hmac-sha256",
				    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" };
	uint32_t		s = 0;

	(void)state;
	mode = M_SIGNED;
	assert_int_equal(zdns_soa("127.0.0.1", port, "a.example.", &good,
	    1000, &s), ZDNS_SERIAL);
	assert_int_equal(s, 42);
	assert_int_equal(zdns_notify("127.0.0.1", port, "a.example.", &good,
	    1000), ZDNS_ACKED);
	/* the responder cannot verify it: NOTAUTH, unsigned */
	assert_int_equal(zdns_soa("127.0.0.1", port, "a.example.", &bad, 1000,
	    &s), ZDNS_NOZONE);
	/* an unsigned answer to a signed query is not believed */
	mode = M_SERIAL;
	assert_int_equal(zdns_soa("127.0.0.1", port, "a.example.", &good,
	    1000, &s), ZDNS_BAD);
}

static void
many_at_once(void **state)
{
	struct zdns_query	q[50];
	char			names[50][32];
	int			i;

	(void)state;
	mode = M_SERIAL;
	memset(q, 0, sizeof(q));
	for (i = 0; i < 50; i++) {
		snprintf(names[i], sizeof(names[i]), "z%d.example.", i);
		q[i].host = "127.0.0.1";
		q[i].port = port;
		q[i].zone = names[i];
	}
	q[49].host = "not an address!";
	assert_int_equal(zdns_exchange(q, 50, 1000), 0);
	for (i = 0; i < 49; i++) {
		assert_int_equal(q[i].state, ZDNS_SERIAL);
		assert_int_equal(q[i].serial, 42);
	}
	assert_int_equal(q[49].state, ZDNS_BAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(soa_serial),
		cmocka_unit_test(refused_and_servfail),
		cmocka_unit_test(silence_and_strangers_time_out),
		cmocka_unit_test(notify_is_acked),
		cmocka_unit_test(tsig_both_ways),
		cmocka_unit_test(many_at_once),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zdns", tests, setup, teardown);
}
