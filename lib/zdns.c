#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "zdns.h"
#include "zerr.h"

#define ZDNS_FUDGE	300

int
zdns_serial_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

const char *
zdns_state_str(enum zdns_state s)
{
	switch (s) {
	case ZDNS_PENDING:
		return "pending";
	case ZDNS_SERIAL:
		return "serial";
	case ZDNS_NOZONE:
		return "no zone";
	case ZDNS_SERVFAIL:
		return "servfail";
	case ZDNS_TIMEOUT:
		return "timeout";
	case ZDNS_BAD:
		return "bad answer";
	case ZDNS_ACKED:
		return "acked";
	}
	return "unknown";
}

/* Compare two names, case-insensitively, ignoring a final dot. */
static int
zdns_name_eq(const ldns_rdf *rdf, const char *zone)
{
	char	*s;
	size_t	 a, b;
	int	 eq;

	if ((s = ldns_rdf2str(rdf)) == NULL)
		return 0;
	a = strlen(s);
	b = strlen(zone);
	if (a > 0 && s[a - 1] == '.')
		a--;
	if (b > 0 && zone[b - 1] == '.')
		b--;
	eq = a == b && strncasecmp(s, zone, a) == 0;
	free(s);
	return eq;
}

enum zdns_state
zdns_classify(const ldns_pkt *p, const char *zone, uint32_t *serial)
{
	ldns_rr_list	*an;
	ldns_rr		*rr;
	size_t		 i;

	switch (ldns_pkt_get_rcode(p)) {
	case LDNS_RCODE_NOERROR:
		break;
	case LDNS_RCODE_NXDOMAIN:
	case LDNS_RCODE_REFUSED:
	case LDNS_RCODE_NOTAUTH:
		return ZDNS_NOZONE;
	case LDNS_RCODE_SERVFAIL:
		return ZDNS_SERVFAIL;
	default:
		return ZDNS_BAD;
	}
	an = ldns_pkt_answer(p);
	for (i = 0; an != NULL && i < ldns_rr_list_rr_count(an); i++) {
		rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) < 3 ||
		    !zdns_name_eq(ldns_rr_owner(rr), zone))
			continue;
		*serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
		return ZDNS_SERIAL;
	}
	/* NODATA or a referral: the server does not serve this zone */
	return ZDNS_NOZONE;
}

static int
zdns_resolve(struct zdns_query *q)
{
	struct addrinfo	 hints, *res = NULL;
	char		 port[16];

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", q->port);
	if (getaddrinfo(q->host, port, &hints, &res) != 0 || res == NULL)
		return ZE_DNS;
	memcpy(&q->addr, res->ai_addr, res->ai_addrlen);
	q->addrlen = res->ai_addrlen;
	q->family = res->ai_family;
	freeaddrinfo(res);
	return 0;
}

/* Build and sign the query; *wire is malloc'd. */
static int
zdns_build(struct zdns_query *q, uint8_t **wire, size_t *len)
{
	ldns_pkt	*p = NULL;
	ldns_rdf	*name;
	ldns_rr		*tsig;
	char		 alg[64];
	int		 rc = ZE_DNS;

	if ((name = ldns_dname_new_frm_str(q->zone)) == NULL)
		return ZE_DNS;
	p = ldns_pkt_query_new(name, LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_IN,
	    q->notify ? LDNS_AA : 0);
	if (p == NULL)
		return ZE_DNS;
	q->id = (uint16_t)arc4random_uniform(65536);
	ldns_pkt_set_id(p, q->id);
	if (q->notify) {
		ldns_pkt_set_opcode(p, LDNS_PACKET_NOTIFY);
		/*
		 * With the serial in the NOTIFY, a server that already has
		 * it does not start a refresh (BIND would, and then queue
		 * the next real change behind it).
		 */
		if (q->serial_hint != 0) {
			char	 soa[600];
			ldns_rr	*rr = NULL;

			snprintf(soa, sizeof(soa), "%s 0 IN SOA . . %u 0 0 0 0",
			    q->zone, q->serial_hint);
			if (ldns_rr_new_frm_str(&rr, soa, 0, NULL, NULL) ==
			    LDNS_STATUS_OK)
				ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
		}
	}
	if (q->tsig != NULL && q->tsig->name != NULL &&
	    q->tsig->secret != NULL) {
		snprintf(alg, sizeof(alg), "%s%s", q->tsig->algorithm,
		    q->tsig->algorithm[0] != '\0' &&
		    q->tsig->algorithm[strlen(q->tsig->algorithm) - 1] == '.' ?
		    "" : ".");
		if (ldns_pkt_tsig_sign(p, q->tsig->name, q->tsig->secret,
		    ZDNS_FUDGE, alg, NULL) != LDNS_STATUS_OK)
			goto out;
		if ((tsig = ldns_pkt_tsig(p)) != NULL &&
		    ldns_rr_rd_count(tsig) > 3)
			q->mac = ldns_rdf_clone(ldns_rr_rdf(tsig, 3));
	}
	if (ldns_pkt2wire(wire, p, len) == LDNS_STATUS_OK)
		rc = 0;
out:
	ldns_pkt_free(p);
	return rc;
}

static int64_t
zdns_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
zdns_same_addr(const struct zdns_query *q, const struct sockaddr_storage *a)
{
	const struct sockaddr_in	*x4, *y4;
	const struct sockaddr_in6	*x6, *y6;

	if (q->addr.ss_family != a->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		x4 = (const struct sockaddr_in *)&q->addr;
		y4 = (const struct sockaddr_in *)a;
		return x4->sin_port == y4->sin_port &&
		    x4->sin_addr.s_addr == y4->sin_addr.s_addr;
	}
	x6 = (const struct sockaddr_in6 *)&q->addr;
	y6 = (const struct sockaddr_in6 *)a;
	return x6->sin6_port == y6->sin6_port &&
	    memcmp(&x6->sin6_addr, &y6->sin6_addr, sizeof(y6->sin6_addr)) == 0;
}

/* One datagram arrived: find its query and settle it. */
static void
zdns_answer(struct zdns_query *qs, size_t n, const uint8_t *buf, size_t len,
    const struct sockaddr_storage *from)
{
	struct zdns_query	*q = NULL;
	ldns_pkt		*p = NULL;
	ldns_rr_list		*qd;
	uint16_t		 id;
	size_t			 i;

	if (len < 12)
		return;
	id = (uint16_t)(buf[0] << 8 | buf[1]);
	for (i = 0; i < n; i++)
		if (qs[i].state == ZDNS_PENDING && qs[i].id == id &&
		    zdns_same_addr(&qs[i], from)) {
			q = &qs[i];
			break;
		}
	if (q == NULL)
		return;
	if (ldns_wire2pkt(&p, buf, len) != LDNS_STATUS_OK)
		return;
	qd = ldns_pkt_question(p);
	if (!ldns_pkt_qr(p) || qd == NULL || ldns_rr_list_rr_count(qd) != 1 ||
	    !zdns_name_eq(ldns_rr_owner(ldns_rr_list_rr(qd, 0)), q->zone))
		goto out;		/* not ours: keep waiting */
	q->rcode = ldns_pkt_get_rcode(p);
	if (q->mac != NULL && q->rcode != LDNS_RCODE_NOTAUTH &&
	    !ldns_pkt_tsig_verify(p, buf, len, q->tsig->name, q->tsig->secret,
	    q->mac)) {
		q->state = ZDNS_BAD;
		goto out;
	}
	if (q->notify)
		q->state = q->rcode == LDNS_RCODE_NOERROR ? ZDNS_ACKED :
		    zdns_classify(p, q->zone, &q->serial);
	else
		q->state = zdns_classify(p, q->zone, &q->serial);
out:
	ldns_pkt_free(p);
}

int
zdns_exchange(struct zdns_query *qs, size_t n, int timeout_ms)
{
	struct pollfd		 pfd[2];
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	uint8_t			*wire, buf[65535];
	size_t			 i, len, left = 0;
	ssize_t			 r;
	int64_t			 deadline;
	int			 fd, k, wait;

	pfd[0].fd = pfd[1].fd = -1;
	pfd[0].events = pfd[1].events = POLLIN;
	for (i = 0; i < n; i++) {
		qs[i].state = ZDNS_PENDING;
		qs[i].rcode = -1;
		qs[i].mac = NULL;
		if (zdns_resolve(&qs[i]) < 0) {
			qs[i].state = ZDNS_BAD;
			continue;
		}
		k = qs[i].family == AF_INET6 ? 1 : 0;
		if (pfd[k].fd == -1 && (pfd[k].fd = socket(qs[i].family,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
			qs[i].state = ZDNS_BAD;
			continue;
		}
		wire = NULL;
		if (zdns_build(&qs[i], &wire, &len) < 0 ||
		    sendto(pfd[k].fd, wire, len, 0,
		    (struct sockaddr *)&qs[i].addr, qs[i].addrlen) == -1)
			qs[i].state = ZDNS_BAD;
		else
			left++;
		free(wire);
	}
	deadline = zdns_now_ms() + timeout_ms;
	while (left > 0) {
		wait = (int)(deadline - zdns_now_ms());
		if (wait <= 0)
			break;
		if ((k = poll(pfd, 2, wait)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (k = 0; k < 2; k++) {
			if (pfd[k].fd == -1 || (pfd[k].revents & POLLIN) == 0)
				continue;
			for (;;) {
				fromlen = sizeof(from);
				fd = pfd[k].fd;
				r = recvfrom(fd, buf, sizeof(buf), 0,
				    (struct sockaddr *)&from, &fromlen);
				if (r < 0)
					break;
				zdns_answer(qs, n, buf, (size_t)r, &from);
			}
		}
		for (left = 0, i = 0; i < n; i++)
			if (qs[i].state == ZDNS_PENDING)
				left++;
	}
	for (i = 0; i < n; i++) {
		if (qs[i].state == ZDNS_PENDING)
			qs[i].state = ZDNS_TIMEOUT;
		ldns_rdf_deep_free(qs[i].mac);
		qs[i].mac = NULL;
	}
	for (k = 0; k < 2; k++)
		if (pfd[k].fd != -1)
			close(pfd[k].fd);
	return 0;
}

enum zdns_state
zdns_soa(const char *host, int port, const char *zone,
    const struct zdns_tsig *tsig, int timeout_ms, uint32_t *serial)
{
	struct zdns_query	q;

	memset(&q, 0, sizeof(q));
	q.host = host;
	q.port = port;
	q.zone = zone;
	q.tsig = tsig;
	zdns_exchange(&q, 1, timeout_ms);
	*serial = q.serial;
	return q.state;
}

enum zdns_state
zdns_notify(const char *host, int port, const char *zone,
    const struct zdns_tsig *tsig, int timeout_ms)
{
	struct zdns_query	q;

	memset(&q, 0, sizeof(q));
	q.host = host;
	q.port = port;
	q.zone = zone;
	q.notify = 1;
	q.tsig = tsig;
	zdns_exchange(&q, 1, timeout_ms);
	return q.state;
}
