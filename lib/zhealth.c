/*
 * Heartbeats: see zhealth.h.
 */

#include <sys/time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zerr.h"
#include "zhealth.h"
#include "ztime.h"
#include "zkv.h"
#include "zuuid.h"

static const struct {
	const char	*prog, *service;
} zhealth_names[] = {
	{ "zone-api", "api" },
	{ "zone-central", "central" },
	{ "zone-xfr", "mdns" },
	{ "zone-notify", "worker" },
	{ "zone-periodic", "producer" },
	{ "zone-sink", "sink" },
	{ NULL, NULL }
};

const char *
zhealth_service(const char *prog)
{
	size_t	i;

	for (i = 0; zhealth_names[i].prog != NULL; i++)
		if (strcmp(zhealth_names[i].prog, prog) == 0)
			return zhealth_names[i].service;
	return prog;
}


static int
zhealth_put(struct zhealth *h, const char *status)
{
	char		 now[40], *s;
	double		 t;
	json_t		*row;
	natsStatus	 ns;

	t = ztime_now(now, sizeof(now));
	row = json_pack("{s:s,s:s,s:s,s:s,s:{s:I,s:I,s:I},s:{},s:s,s:s,s:s,"
	    "s:f}", "id", h->id, "hostname", h->host, "service_name",
	    h->service, "status", status, "stats", "pid",
	    (json_int_t)getpid(), "beats", (json_int_t)h->nbeats,
	    "failed_beats", (json_int_t)h->nfailed, "capabilities",
	    "heartbeated_at", now, "created_at", h->created, "updated_at", now,
	    "beat_s", t);
	if (row == NULL || (s = json_dumps(row, JSON_COMPACT)) == NULL) {
		json_decref(row);
		return -ENOMEM;
	}
	json_decref(row);
	ns = kvStore_PutString(NULL, h->kv, h->id, s);
	free(s);
	if (ns != NATS_OK) {
		h->nfailed++;
		return znats_err(ns);
	}
	h->nbeats++;
	return 0;
}

static void *
zhealth_main(void *arg)
{
	struct zhealth	*h = arg;
	struct timespec	 ts;

	pthread_mutex_lock(&h->mu);
	while (!h->stop) {
		pthread_mutex_unlock(&h->mu);
		(void)zhealth_put(h, "UP");	/* a lost beat: the next one */
		pthread_mutex_lock(&h->mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += h->beat_s;
		while (!h->stop &&
		    pthread_cond_timedwait(&h->cv, &h->mu, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

int
zhealth_start(struct zhealth *h, struct znats *z, const struct zcfg *cfg,
    const char *prog)
{
	natsStatus	s;
	int		rc;

	memset(h, 0, sizeof(*h));
	zuuid_new(h->id);
	if (gethostname(h->host, sizeof(h->host)) != 0)
		strlcpy(h->host, "localhost", sizeof(h->host));
	h->host[sizeof(h->host) - 1] = '\0';
	strlcpy(h->service, zhealth_service(prog), sizeof(h->service));
	ztime_now(h->created, sizeof(h->created));
	h->beat_s = (int)zcfg_int(cfg, "nats", "heartbeat_s");
	if (h->beat_s < 1)
		h->beat_s = 1;
	if ((s = natsConnection_JetStream(&h->js, z->nc, NULL)) != NATS_OK)
		return znats_err(s);
	if ((rc = zkv_bucket(h->js, ZHEALTH_BUCKET, (int)zcfg_int(cfg, "nats",
	    "heartbeat_keep_s"), (int)zcfg_int(cfg, "nats", "replicas"),
	    &h->kv, NULL)) < 0) {
		jsCtx_Destroy(h->js);
		h->js = NULL;
		return rc;
	}
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	if (pthread_create(&h->thread, NULL, zhealth_main, h) != 0) {
		kvStore_Destroy(h->kv);
		jsCtx_Destroy(h->js);
		h->kv = NULL;
		h->js = NULL;
		return -EAGAIN;
	}
	h->running = 1;
	return 0;
}

void
zhealth_stop(struct zhealth *h)
{
	if (h == NULL || !h->running)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	(void)zhealth_put(h, "STOPPED");
	kvStore_Destroy(h->kv);
	jsCtx_Destroy(h->js);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	h->kv = NULL;
	h->js = NULL;
	h->running = 0;
}

int
zhealth_list(struct znats *z, int down_s, json_t **rows)
{
	kvWatchOptions	 wo;
	kvKeysList	 keys = { NULL, 0 };
	kvStore		*kv = NULL;
	kvEntry		*e;
	jsCtx		*js = NULL;
	json_t		*row;
	struct timeval	 tv;
	natsStatus	 s;
	int		 i, rc = 0;

	*rows = json_array();
	if ((s = natsConnection_JetStream(&js, z->nc, NULL)) != NATS_OK)
		return znats_err(s);
	s = js_KeyValue(&kv, js, ZHEALTH_BUCKET);
	if (s == NATS_NOT_FOUND)
		goto out;
	if (s != NATS_OK) {
		rc = znats_err(s);
		goto out;
	}
	kvWatchOptions_Init(&wo);
	wo.Timeout = z->timeout_ms;
	s = kvStore_Keys(&keys, kv, &wo);
	if (s == NATS_NOT_FOUND)	/* an empty bucket */
		goto out;
	if (s != NATS_OK) {
		rc = znats_err(s);
		goto out;
	}
	gettimeofday(&tv, NULL);
	for (i = 0; i < keys.Count; i++) {
		e = NULL;
		if (kvStore_Get(&e, kv, keys.Keys[i]) != NATS_OK)
			continue;	/* gone meanwhile */
		row = json_loads(kvEntry_ValueString(e), 0, NULL);
		kvEntry_Destroy(e);
		if (!json_is_object(row)) {
			json_decref(row);
			continue;
		}
		if (strcmp(json_string_value(json_object_get(row, "status")) ?
		    json_string_value(json_object_get(row, "status")) : "",
		    "UP") == 0 && (double)tv.tv_sec -
		    json_number_value(json_object_get(row, "beat_s")) >
		    (double)down_s)
			json_object_set_new(row, "status", json_string("DOWN"));
		json_array_append_new(*rows, row);
	}
out:
	kvKeysList_Destroy(&keys);
	kvStore_Destroy(kv);
	jsCtx_Destroy(js);
	return rc;
}
