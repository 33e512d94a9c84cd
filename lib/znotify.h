/*
 * zone-notify's job logic: the journal is the work queue.
 *
 * Every copy binds the durable pull consumer "notify" on ZONE_JOURNAL
 * (filter zone.journal.zone.>), so each journal message goes to one copy,
 * and a copy that dies mid-job has its message redelivered after
 * ack_wait_ms.  A message whose zone is PENDING is a job:
 *
 *   1. skip it (ack) when the zone's subject has a newer message, which
 *      carries a newer state: a burst of changes is pushed once or twice;
 *   2. wait (briefly) until the first target's master (zone-xfr) serves
 *      the serial;
 *   3. put the zone on each target (zbackend) and NOTIFY it there, on the
 *      also-notifies, and (catalog targets, create and delete) NOTIFY the
 *      pool's catalog zone;
 *   4. poll the SOA at every pool nameserver until threshold percent have
 *      the serial (or, for DELETE, no longer have the zone), backing off
 *      from poll_interval_ms to poll_interval_max_ms and NOTIFYing again;
 *   5. report ACTIVE, or ERROR once max_retry_s have passed, to central
 *      (zone.set_status), then ack.
 *
 * Each worker thread holds up to ZNOTIFY_BATCH jobs at once and runs the
 * DNS side of all of them together (zdns_exchange), so thousands of
 * zones can be in flight on a handful of threads.  This module never
 * logs above debug: outcomes go to the caller's znotify_log_fn.
 */
#ifndef ZNOTIFY_H
#define ZNOTIFY_H

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>

#include "zcfg.h"
#include "zdns.h"
#include "zjournal.h"
#include "znats.h"
#include "zview.h"

#define ZNOTIFY_CONSUMER	"notify"
#define ZNOTIFY_FILTER		"zone.journal.zone.>"
#define ZNOTIFY_BATCH		128	/* jobs held by one worker */
#define ZNOTIFY_MAXWORKERS	256
#define ZNOTIFY_MAXT		16	/* targets per pool */
#define ZNOTIFY_MAXD		64	/* NOTIFY or poll destinations */

struct znotify_conf {
	int	workers;
	int	ack_wait_ms;
	int	poll_delay_ms;
	int	poll_interval_ms;
	int	poll_interval_max_ms;
	int	poll_timeout_ms;
	int	max_retry_s;
	int	threshold;
};

/* What the caller is told (and logs). */
enum znotify_ev {
	ZN_EV_ACTIVE,		/* reported ACTIVE */
	ZN_EV_ERROR,		/* reported ERROR: err, target say why */
	ZN_EV_SKIPPED,		/* not a job, or superseded (debug) */
	ZN_EV_NOPOOL,		/* the zone's pool is not in the view */
	ZN_EV_TARGET,		/* a backend call failed (will retry) */
	ZN_EV_REPORT,		/* central could not be told (will retry) */
	ZN_EV_BADMSG		/* unreadable journal message */
};

struct znotify_event {
	enum znotify_ev	 ev;
	const char	*zone_id;
	const char	*zone;		/* name, may be NULL */
	const char	*action;
	const char	*pool_id;
	const char	*target;	/* "type host:port", may be NULL */
	const char	*err;
	uint32_t	 serial;
	int		 attempts;
	int64_t		 ms;		/* since the job started */
};

typedef void	(*znotify_log_fn)(const struct znotify_event *, void *);

/* One destination of a NOTIFY or SOA poll. */
struct znotify_dest {
	char			 host[128];
	int			 port;
	const char		*zone;
	const struct zdns_tsig	*tsig;
	int			 target;	/* index, -1 for none */
};

/* The work for one zone on one pool (znotify_plan). */
struct znotify_plan {
	int			 del;		/* action DELETE */
	size_t			 ntargets;
	const json_t		*targets[ZNOTIFY_MAXT];
	struct zdns_tsig	 tsig[ZNOTIFY_MAXT];
	size_t			 nnotify;
	struct znotify_dest	 notify[ZNOTIFY_MAXD];
	size_t			 npoll;
	struct znotify_dest	 poll[ZNOTIFY_MAXD];
	int			 has_master;
	struct znotify_dest	 master;
};

struct znotify {
	struct znotify_conf	 conf;
	struct znats		*nats;
	struct zview		*view;
	struct zjournal		*journal;
	znotify_log_fn		 log;
	void			*log_arg;
	natsSubscription	*subs[ZNOTIFY_MAXWORKERS];
	pthread_t		 threads[ZNOTIFY_MAXWORKERS];
	int			 nthreads;
	int			 stopping;
	/* counters (atomic) */
	uint64_t		 njobs, nskipped, nactive, nerror, nretries;
};

/* Read and check [notify]; ZE_CONFIG with err filled in. */
int	znotify_conf_load(struct znotify_conf *, const struct zcfg *,
	    char *err, size_t errlen);
void	znotify_init(struct znotify *, const struct znotify_conf *,
	    struct znats *, struct zview *, struct zjournal *,
	    znotify_log_fn, void *);
/* Create the durable consumer when missing and bind every worker to it. */
int	znotify_bind(struct znotify *);
int	znotify_start(struct znotify *);
/* Stop fetching, nak what is held, join the workers. */
void	znotify_stop(struct znotify *);
void	znotify_release(struct znotify *);

/* Pure steps (unit tested). */
/* Wait before retry `attempt' (0-based): interval doubling up to max. */
int	znotify_backoff(const struct znotify_conf *, int attempt);
/* threshold percent of total reached by positive (total 0: met). */
int	znotify_threshold_met(int positive, int total, int threshold);
/*
 * Decode a journal message: 1 with *zone (new reference) when it is a
 * job (a PENDING zone), 0 when there is nothing to do, ZE_BADMSG.
 */
int	znotify_parse(const char *data, size_t len, json_t **zone);
/* Plan the work for `zone' on `pool' (both borrowed, kept by the plan's
 * pointers).  ZE_CONFIG when the pool has no usable target. */
int	znotify_plan(const json_t *zone, const json_t *pool,
	    struct znotify_plan *);
/* Is a poll answer positive for the job? */
int	znotify_positive(int del, enum zdns_state, uint32_t got,
	    uint32_t want);

#endif
