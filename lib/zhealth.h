/*
 * Heartbeats (services.md 5, api-v2.md 10.7): every daemon copy puts
 * its row in the NATS KV bucket zone_services every [nats] heartbeat_s
 * seconds, from a thread of its own, under a key that is the copy's
 * service-status id.  A clean stop writes the row once more with status
 * STOPPED.  A copy that stops beating (kill -9, lost host) keeps its
 * last row, which readers show as DOWN once it is older than [nats]
 * heartbeat_down_s; the bucket's max age ([nats] heartbeat_keep_s)
 * removes it in the end.
 *
 * A row: {"id", "hostname", "service_name" (Designate's names: api,
 * central, mdns, worker, producer, sink), "status", "stats" {"pid",
 * "beats", "failed_beats"}, "capabilities" {}, "heartbeated_at",
 * "created_at", "updated_at", "beat_s" (unix time of the beat)}.
 *
 * jansson: returned json_t * are new references.
 */
#ifndef ZHEALTH_H
#define ZHEALTH_H

#include <pthread.h>

#include <jansson.h>
#include <nats/nats.h>

#include "zcfg.h"
#include "znats.h"

#define ZHEALTH_BUCKET	"zone_services"

struct zhealth {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 running, stop;
	jsCtx		*js;
	kvStore		*kv;
	char		 id[37];
	char		 host[256];
	char		 service[32];
	char		 created[40];
	int		 beat_s;
	unsigned long	 nbeats, nfailed;
};

/* Designate's service name of program `prog' ("zone-xfr" -> "mdns"). */
const char	*zhealth_service(const char *prog);

/*
 * Start beating for program `prog' (one beat at once, then one every
 * heartbeat_s seconds).  0, or a negative zerr code (the bucket could
 * not be made): the daemon runs on, without a row.
 */
int		 zhealth_start(struct zhealth *, struct znats *,
		    const struct zcfg *, const char *prog);
/* Write the row once more as STOPPED, end the thread.  NULL-safe. */
void		 zhealth_stop(struct zhealth *);

/*
 * Every row of the bucket, with status DOWN for an UP row whose last
 * beat is older than down_s seconds.  0 with *rows a new array (empty
 * when the bucket does not exist yet), or a negative zerr code.
 */
int		 zhealth_list(struct znats *, int down_s, json_t **rows);

#endif
