/*
 * Client-side DNS for zone-notify: NOTIFY and SOA serial queries over
 * UDP, optionally signed with TSIG, many at once on one pair of sockets
 * (zdns_exchange), and the classification of an SOA answer.
 */
#ifndef ZDNS_H
#define ZDNS_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

/* What an SOA query learned about a zone on one server. */
enum zdns_state {
	ZDNS_PENDING,		/* not answered yet */
	ZDNS_SERIAL,		/* authoritative: serial filled in */
	ZDNS_NOZONE,		/* REFUSED, NOTAUTH, NXDOMAIN, or no SOA */
	ZDNS_SERVFAIL,		/* configured but not loaded (or broken) */
	ZDNS_TIMEOUT,		/* no answer in time */
	ZDNS_BAD,		/* unusable answer, bad TSIG, send failed */
	ZDNS_ACKED		/* a NOTIFY was answered with NOERROR */
};

struct zdns_tsig {
	const char	*name;
	const char	*algorithm;	/* "hmac-sha256" ... */
	const char	*secret;	/* base64 */
};

/* One query of an exchange: fill host, port, zone, notify, tsig. */
struct zdns_query {
	const char		*host;		/* numeric address or name */
	int			 port;
	const char		*zone;
	int			 notify;	/* NOTIFY instead of SOA query */
	uint32_t		 serial_hint;	/* NOTIFY: the zone's new serial,
						 * sent as an SOA in the answer
						 * (RFC 1996 3.7); 0: none */
	const struct zdns_tsig	*tsig;		/* NULL: unsigned */
	/* results */
	enum zdns_state		 state;
	int			 rcode;
	uint32_t		 serial;
	/* private */
	uint16_t		 id;
	ldns_rdf		*mac;
	int			 family;
	struct sockaddr_storage	 addr;
	socklen_t		 addrlen;
};

/*
 * Send every query and wait up to timeout_ms for the answers.  Each
 * query's state is set (ZDNS_TIMEOUT when unanswered; a NOTIFY that is
 * answered with NOERROR is ZDNS_ACKED).  Returns as soon as every query
 * is answered: 0, or a negative code when no socket could be made.
 */
int	zdns_exchange(struct zdns_query *, size_t n, int timeout_ms);

/* One SOA query: the state, with *serial when ZDNS_SERIAL. */
enum zdns_state	zdns_soa(const char *host, int port, const char *zone,
		    const struct zdns_tsig *, int timeout_ms, uint32_t *serial);
/* One NOTIFY, waiting for its answer: ZDNS_ACKED or the failure. */
enum zdns_state	zdns_notify(const char *host, int port, const char *zone,
		    const struct zdns_tsig *, int timeout_ms);

/* Classify an answer to an SOA query for `zone' (pure). */
enum zdns_state	zdns_classify(const ldns_pkt *, const char *zone,
		    uint32_t *serial);
/* Serial arithmetic (RFC 1982): a >= b. */
int		zdns_serial_ge(uint32_t a, uint32_t b);
const char	*zdns_state_str(enum zdns_state);

#endif
