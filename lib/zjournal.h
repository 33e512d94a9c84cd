/*
 * The journal: a JetStream stream (ZONE_JOURNAL, subjects zone.journal.>)
 * that holds every committed change, and the follower that applies it to
 * this host's view.
 *
 * Writes are optimistic: zjournal_publish() states the sequence the
 * writer read (the subject's last sequence, stamped as "_seq" on the
 * zone by the view); JetStream refuses it with ZE_CONFLICT when another
 * writer got there first.  Reads call zjournal_sync() first, which waits
 * until the view has applied everything the stream held when it was
 * called (so a write acknowledged through any copy is seen).
 */
#ifndef ZJOURNAL_H
#define ZJOURNAL_H

#include <pthread.h>
#include <stdint.h>

#include "znats.h"
#include "zview.h"

#define ZJ_STREAM	"ZONE_JOURNAL"
#define ZJ_SUBJECTS	"zone.journal.>"
#define ZJ_NAMES	"zone_names"

struct zjournal {
	struct znats		*nats;
	struct zview		*view;
	kvStore			*names;
	natsSubscription	*sub;
	pthread_t		 applier;
	int			 running;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;		/* applied moved; queue grew */
	natsMsg			**queue;
	size_t			 qlen, qcap;
	uint64_t		 applied;
	int			 failed;	/* the applier hit an error */
	/* coalesced reads of the stream's last sequence */
	uint64_t		 started, completed, last;
	int			 inflight;
	int			 last_rc;
	uint64_t		 napplied, nbatches;	/* counters */
};

/* Create the stream and buckets when missing (idempotent). */
int	zjournal_ensure(struct znats *, int replicas);
/* Start following the journal into `view' from its applied sequence. */
int	zjournal_start(struct zjournal *, struct znats *, struct zview *);
void	zjournal_stop(struct zjournal *);
/* Publish `msg' (borrowed) on zone.journal.<kind>.<id> expecting the
 * subject's last sequence `expect' (0: no check).  *seq gets the stream
 * sequence.  ZE_CONFLICT when the expectation is stale. */
int	zjournal_publish(struct zjournal *, const char *kind, const char *id,
	    const json_t *msg, uint64_t expect, uint64_t *seq);
/* Wait until the view has applied `seq'. */
int	zjournal_wait(struct zjournal *, uint64_t seq, int timeout_ms);
/* Wait until the view has applied the stream's current last sequence. */
int	zjournal_sync(struct zjournal *, int timeout_ms);

/* Zone name reservations in KV bucket zone_names, key = lower-case name
 * without the final dot, value = zone id.  reserve: 0, or ZE_EXISTS with
 * holder (37 bytes) and *age_s of the reservation filled in. */
int	zjournal_name_reserve(struct zjournal *, const char *name,
	    const char *zone_id, char *holder, int64_t *age_s,
	    uint64_t *rev);
/* Take over a stale reservation at revision `rev'. */
int	zjournal_name_takeover(struct zjournal *, const char *name,
	    const char *zone_id, uint64_t rev);
int	zjournal_name_release(struct zjournal *, const char *name,
	    const char *zone_id);

#endif
