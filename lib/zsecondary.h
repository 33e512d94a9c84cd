/*
 * SECONDARY zones in zone-xfr (services.md 4): pull a zone from its
 * masters and hand it to central, which journals it (zone.xfr_apply);
 * zone-xfr then serves it from the view like any zone, and zone-notify
 * pushes it to the pool's targets.
 *
 * A pull asks the masters in their order for the SOA; when a master has
 * a serial newer than the zone's (RFC 1982), or the zone never had a
 * transfer, it takes an AXFR from that master and calls central once
 * with every record.  Pulls run on one thread per zone-xfr copy, fed by
 * zsec_kick (a NOTIFY from a master, zone.cmd.xfr from central: the xfr
 * task and new zones) and by a timer that checks each secondary zone
 * every `refresh' seconds (the zone's SOA refresh), and every check_s
 * seconds until its first transfer.  Copies on several hosts may pull
 * the same serial: central writes it once.
 *
 * This module never logs above debug: outcomes go to the log callback.
 */
#ifndef ZSECONDARY_H
#define ZSECONDARY_H

#include <sys/types.h>
#include <sys/socket.h>

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>

#include "znats.h"
#include "zview.h"

/* event: "xfr.pulled", "xfr.current", "xfr.failed"; err may be NULL. */
typedef void	(*zsec_log_fn)(void *arg, const char *event, const char *zone,
		    const char *master, uint32_t serial, const char *err);

struct zsec {
	struct zview	*view;
	struct znats	*nats;
	int		 check_s;
	int		 timeout_ms;	/* DNS and RPC */
	zsec_log_fn	 log;
	void		*log_arg;
	pthread_t	 th;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	json_t		*queue;		/* zone_id -> force (bool) */
	json_t		*last;		/* zone_id -> unix time of last check */
	int		 running, stopping;
	natsSubscription *sub;		/* zone.cmd.xfr, queue group xfr */
	unsigned long	 npulled, nfailed;
};

/* Start the pull thread and subscribe to zone.cmd.xfr. */
int	zsec_start(struct zsec *, struct zview *, struct znats *, int check_s,
	    zsec_log_fn, void *);
void	zsec_stop(struct zsec *);
/* Queue a check of one zone (force: pull even at the same serial). */
void	zsec_kick(struct zsec *, const char *zone_id, int force);
/* For zxfr.on_notify: -EPERM unless `from' is one of the zone's
 * masters (address only), else queue a check and return 0. */
int	zsec_on_notify(void *zsec, const json_t *zone,
	    const struct sockaddr *from);
/* One pull, now, on the caller's thread; 0, 1 (already current) or a
 * negative code. */
int	zsec_pull(struct zsec *, const char *zone_id, int force);
/* "192.0.2.1", "192.0.2.1:5353", "[2001:db8::1]:53" into an address
 * and a port; 0 or -EINVAL. */
int	zsec_master_parse(const char *, char *host, size_t hostlen,
	    uint16_t *port);

#endif
