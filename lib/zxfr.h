/*
 * zone-xfr's protocol logic: answer one DNS query (SOA, other types,
 * AXFR, IXFR, NOTIFY) from the view, without sockets.
 *
 * Zones served: every zone of the view that is not deleted and whose
 * action is not DELETE (a zone being deleted is REFUSED, so targets drop
 * it), plus one catalog zone (RFC 9432, version 2) per pool that has a
 * "catalog_zone".  Records are copied from their wire form in the view
 * into messages with owner-name compression (rdata is copied as stored,
 * uncompressed).
 *
 * Answers (documented in zone-xfr(8)):
 *   - names in no served zone, other classes than IN, AXFR over UDP,
 *     transfers from outside the allow list or unsigned when the zone's
 *     pool has TSIG keys: REFUSED;
 *   - a name and type that exist: the records, AA; otherwise NOERROR
 *     with the zone's SOA in the authority section (no NXDOMAIN);
 *   - opcodes other than QUERY and NOTIFY: NOTIMP; not one question:
 *     FORMERR; NOTIFY: NOERROR, AA;
 *   - a bad TSIG: NOTAUTH with a TSIG record that carries BADKEY,
 *     BADSIG or BADTIME.
 * Responses (QR set) are never answered.
 */
#ifndef ZXFR_H
#define ZXFR_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "zview.h"

struct zxfr_net {
	int		 af;		/* AF_INET or AF_INET6 */
	uint8_t		 addr[16];
	int		 plen;
};

struct zxfr {
	struct zview	*view;
	size_t		 max_message;	/* bytes per TCP message */
	struct zxfr_net	*allow;
	size_t		 nallow;
	int		 fudge;		/* TSIG time fudge, seconds */
	/*
	 * Optional: a NOTIFY for a SECONDARY zone (services.md 4) is handed
	 * to on_notify with the zone (borrowed) and the sender; it returns
	 * 0 when it takes it, -EPERM when the sender is not one of the
	 * zone's masters (the NOTIFY is then REFUSED).  It must not block.
	 */
	int		(*on_notify)(void *, const json_t *zone,
			    const struct sockaddr *from);
	void		*notify_arg;
	/* counters for the stats line */
	atomic_ulong	 nqueries, naxfr, nixfr, nfallback, nrefused;
	atomic_ulong	 ntsigbad;
};

/*
 * An answer: zero (drop the query) or more DNS messages, each preceded
 * by its 2-byte big-endian length (TCP framing; over UDP send the one
 * message without it).  Reuse one per thread: zxfr_answer resets it.
 */
struct zxfr_out {
	uint8_t		*buf;
	size_t		 len, cap;
	size_t		 nmsg;		/* messages made, flushed ones too */
	/*
	 * Optional: an unsigned transfer hands complete messages to flush
	 * (TCP framing) as it goes, so sending overlaps encoding; what it
	 * took is no longer in buf.  Non-zero from flush aborts the answer.
	 */
	int		(*flush)(const uint8_t *, size_t, void *);
	void		*flush_arg;
	void		*ct;		/* compression table, private */
	uint32_t	 gen;
};

#define ZXFR_OUT_INIT	{ NULL, 0, 0, 0, NULL, NULL, NULL, 0 }
/* Transfers fill messages up to this many bytes (or max_message if
 * smaller): receivers such as BIND parse large messages more slowly. */
#define ZXFR_XFR_FILL	16384

/* allow: networks separated by spaces ("127.0.0.0/8 ::1/128"); a bare
 * address is a host.  ZE_CONFIG when one does not parse. */
int	zxfr_init(struct zxfr *, struct zview *, const char *allow,
	    size_t max_message);
void	zxfr_release(struct zxfr *);
/* Is a source allowed to transfer?  1 or 0. */
int	zxfr_allowed(const struct zxfr *, const struct sockaddr *);

/*
 * Answer query `q' that came over TCP (tcp != 0) or UDP from `from'
 * (NULL: allowed).  0 with the messages in `out' (none: drop), or a
 * negative code (out then holds a SERVFAIL when one could be made).
 */
int	zxfr_answer(struct zxfr *, const uint8_t *q, size_t qlen, int tcp,
	    const struct sockaddr *from, struct zxfr_out *out);
void	zxfr_out_release(struct zxfr_out *);

/* "127.0.0.1:53", "[::1]:53", "*:53" (any IPv4), "[::]:53". */
int	zxfr_addr_parse(const char *, struct sockaddr_storage *,
	    socklen_t *);
/* Parse "a/n" into a network; ZE_CONFIG when it does not. */
int	zxfr_net_parse(const char *, struct zxfr_net *);

#endif
