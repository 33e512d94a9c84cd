/*
 * zone-sink's logic: OpenStack notifications in, managed A/AAAA records
 * out (services.md 6).
 *
 * An event is the oslo notification envelope
 *   {"event_type": "compute.instance.create.end", "payload": {...},
 *    "message_id": "<uuid>", "timestamp": ..., "publisher_id": ...,
 *    "priority": "INFO"}
 * or the same wrapped as {"oslo.version": "2.0", "oslo.message": "<json>"}.
 *
 * Handlers:
 *   nova_fixed          compute.instance.create.end   set   (fixed_ips)
 *                       compute.instance.delete.start unset (instance_id)
 *   neutron_floatingip  floatingip.update.end         set with a fixed
 *                                                     address, else unset
 *                       floatingip.delete.start|end   unset
 *
 * The pure steps (parse, route, format, plan) need no I/O and are what
 * the unit tests call.  zsink_handle() runs them and the RPCs to central
 * (recordset.managed_set, recordset.managed_unset), both idempotent, so
 * an event handled twice changes nothing.  Nothing here logs above debug:
 * outcomes go to the caller's zsink_fn.
 *
 * jansson: returned json_t * are new references; parameters are borrowed.
 */
#ifndef ZSINK_H
#define ZSINK_H

#include <pthread.h>
#include <stddef.h>

#include <jansson.h>

#include "zcfg.h"
#include "znats.h"

enum zsink_kind {
	ZSINK_NOVA_FIXED,
	ZSINK_NEUTRON_FLOATINGIP,
	ZSINK_NKINDS
};

#define ZSINK_MAXFMT	8	/* formats per address family */
#define ZSINK_NAMELEN	256	/* a DNS name in text, with its NUL */

struct zsink_handler {
	const char	*name;			/* "nova_fixed" */
	int		 enabled;		/* listed in sink.handlers */
	char		 zone_id[64];		/* "": events are ignored */
	char		*fmt[2][ZSINK_MAXFMT];	/* [0] v4, [1] v6; owned */
	int		 nfmt[2];
};

struct zsink_conf {
	struct zsink_handler	 h[ZSINK_NKINDS];
	long long		 ttl;		/* 0: null, the zone's */
	char			*subjects[16];	/* owned */
	int			 nsubjects;
	char			 queue[128];
};

/* Read [sink]; 0, or ZE_CONFIG with a message in err. */
int	zsink_conf_load(struct zsink_conf *, const struct zcfg *, char *err,
	    size_t errlen);
void	zsink_conf_release(struct zsink_conf *);

/* --- pure steps --- */

/*
 * One notification (also oslo-wrapped) into *ev: an object with a string
 * "event_type" and an object "payload" (a new reference).  ZE_BADMSG with
 * the reason in err.
 */
int	zsink_event_parse(const char *data, size_t len, json_t **ev,
	    char *err, size_t errlen);
/* The handler of an event type, or -1 when no handler takes it. */
int	zsink_route(const char *event_type);
/* The handler of a name ("nova_fixed"), or -1. */
int	zsink_route_name(const char *handler);
/*
 * Python-style "%(key)s" substitution from the scalar members of `data'
 * ("%%" is a "%").  ZE_BADMSG with err for an unknown key, a value that
 * is not a scalar, or a bad format; -ENOBUFS when out is too small.
 */
int	zsink_format(const char *fmt, const json_t *data, char *out,
	    size_t outlen, char *err, size_t errlen);
/* Check a format's syntax only (for the configuration). */
int	zsink_format_check(const char *fmt, char *err, size_t errlen);
/*
 * Add the address keys of `addr' to `data': ip_version, ip_address
 * (dots or colons as dashes), octet0..octet3 for IPv4 (for IPv6 the
 * groups as written, split at "::" or ":").  Returns 4 or 6, or
 * ZE_BADMSG when addr is not an IP address.
 */
int	zsink_addr_fields(const char *addr, json_t *data);
/*
 * The RPCs for one event of handler `kind' whose zone is named `zone':
 * *ops is an array of {"method": "recordset.managed_set" or
 * "recordset.managed_unset", "params": {...}} (maybe empty).  Names are
 * lower case and absolute, inside the zone.  ZE_BADMSG with err for a
 * payload that lacks what the handler needs, an unknown template key or
 * a name that is not a valid DNS name.
 */
int	zsink_plan(const struct zsink_conf *, int kind, const json_t *ev,
	    const char *zone, json_t **ops, char *err, size_t errlen);

/* --- handling, with central --- */

enum zsink_what {
	ZSINK_HANDLED,		/* one RPC applied (set or unset) */
	ZSINK_IGNORED,		/* not for us: no handler, disabled, no zone */
	ZSINK_SKIPPED		/* malformed or refused: reason says why */
};

struct zsink_out {
	enum zsink_what	 what;
	const char	*event_type;	/* "" when the message had none */
	const char	*message_id;	/* NULL when none */
	const char	*handler;	/* NULL when none */
	const char	*zone;		/* NULL when not known */
	const char	*action;	/* "set" or "unset" (HANDLED) */
	const char	*name;		/* set: the recordset name */
	const char	*type;		/* set: "A" or "AAAA" */
	long long	 removed;	/* unset: records removed */
	const char	*reason;	/* IGNORED, SKIPPED */
	int		 unavailable;	/* SKIPPED: central did not answer */
	const json_t	*op;		/* HANDLED: {method, params} */
	const json_t	*result;	/* HANDLED: central's answer */
};

typedef void	zsink_fn(const struct zsink_out *, void *arg);

struct zsink {
	const struct zsink_conf	*conf;
	struct znats		*nats;
	int			 timeout_ms;	/* per RPC */
	int			 retries;	/* more tries when unavailable */
	pthread_mutex_t		 mu;		/* one event at a time */
	char			 zone[ZSINK_NKINDS][ZSINK_NAMELEN];
	char			 project[ZSINK_NKINDS][256];
	unsigned long		 nevents, nhandled, nignored, nskipped;
};

void	zsink_init(struct zsink *, const struct zsink_conf *, struct znats *);
void	zsink_release(struct zsink *);
/*
 * Handle one message: parse, route, learn the zone's name (zone.get,
 * cached), plan, and run each RPC (a call central does not answer is
 * tried `retries' more times).  `fn' is told every outcome.  Returns 0
 * when handled or ignored, ZE_BADMSG when malformed or refused, ZE_NORESP
 * when central was unavailable.
 */
int	zsink_handle(struct zsink *, const char *data, size_t len,
	    zsink_fn *fn, void *arg);

#endif
