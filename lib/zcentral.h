/*
 * Central's business rules (services.md 2): zones and recordsets, their
 * validation against the view, quotas, serials, ownership, and the
 * optimistic write to the journal.  zone-central is a thin NATS shell
 * around zcentral_handle().
 */
#ifndef ZCENTRAL_H
#define ZCENTRAL_H

#include <pthread.h>

#include <jansson.h>

#include "zcfg.h"
#include "zfault.h"
#include "zjournal.h"
#include "zview.h"

#define ZC_STRIPES	64

struct zc_item;

/*
 * Writes to zones that hash to one stripe queue here; one thread at a
 * time (the leader) takes the queue's head zone and commits every
 * queued change of that zone as one journal message (group commit).
 */
struct zc_stripe {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct zc_item	*head, *tail;
	int		 busy;
};

struct zcentral {
	const struct zcfg	*cfg;
	struct zview		*view;
	struct zjournal		*journal;
	struct zc_stripe	 stripes[ZC_STRIPES];
	json_t			*ns_records;	/* [{hostname, priority}] */
	int			 timeout_ms;
	int			 read_barrier;	/* central.read_barrier */
	/* counters for SIGUSR1 */
	unsigned long		 nreq, nconflict, nfault, nbatch, nbatched;
};

int	zcentral_init(struct zcentral *, const struct zcfg *, struct zview *,
	    struct zjournal *);
void	zcentral_release(struct zcentral *);
/* Parse "ns1.example.net.:1 ns2.example.net.:2" into [{hostname,priority}]. */
json_t	*zcentral_ns_records(const char *);
/*
 * Handle one RPC request {method, params, context} (borrowed).  Returns
 * 0 with *result a new reference, or ZE_FAULT with `f' filled in.
 */
int	zcentral_handle(struct zcentral *, const json_t *req, json_t **result,
	    struct zfault *f);

/* A zone in notification form (zone-events(7)); a new reference. */
json_t	*zcentral_zone_payload(const json_t *zone);

/* Exposed for unit tests. */
uint32_t zcentral_next_serial(uint32_t old, uint32_t now);
int	 zcentral_rname(const char *email, char *out, size_t len);
int	 zcentral_match(const char *pattern, const char *value);

#endif
