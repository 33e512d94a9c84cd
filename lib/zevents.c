#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "zerr.h"
#include "zevents.h"
#include "zjournal.h"
#include "zkv.h"
#include "zlog.h"
#include "zuuid.h"

#define NS	1000000000LL

int
zevents_ensure(struct znats *z, const struct zcfg *cfg)
{
	jsStreamConfig	 sc;
	jsStreamInfo	*si = NULL;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	const char	*subjects[] = { ZEV_SUBJECTS };

	s = js_GetStreamInfo(&si, z->js, ZEV_STREAM, NULL, &jerr);
	if (s == NATS_NOT_FOUND) {
		jsStreamConfig_Init(&sc);
		sc.Name = ZEV_STREAM;
		sc.Subjects = subjects;
		sc.SubjectsLen = 1;
		sc.Storage = js_FileStorage;
		sc.Replicas = (int)zcfg_int(cfg, "nats", "replicas");
		sc.MaxAge = zcfg_int(cfg, "events", "max_age_s") * NS;
		sc.Duplicates = zcfg_int(cfg, "events", "duplicate_window_s") *
		    NS;
		if (sc.MaxAge > 0 && sc.Duplicates > sc.MaxAge)
			sc.Duplicates = sc.MaxAge;
		sc.AllowDirect = true;
		s = js_AddStream(&si, z->js, &sc, NULL, &jerr);
		if (s == NATS_ERR && jerr == 10058)	/* made by another copy */
			s = NATS_OK;
	}
	jsStreamInfo_Destroy(si);
	return znats_err(s);
}

/* "central.<host>", made once: events are made on every change. */
static char		zev_publisher[300];
static pthread_once_t	zev_once = PTHREAD_ONCE_INIT;

static void
zevents_publisher_init(void)
{
	char	host[256];

	if (gethostname(host, sizeof(host)) != 0)
		strlcpy(host, "localhost", sizeof(host));
	host[sizeof(host) - 1] = '\0';
	snprintf(zev_publisher, sizeof(zev_publisher), "central.%s", host);
}

json_t *
zevents_new(const char *event_type, json_t *payload, const char *publisher)
{
	struct timeval	tv;
	struct tm	tm;
	char		ts[64], id[ZUUID_LEN + 1];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02d %02d:%02d:%02d.%06ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
	zuuid_new(id);
	if (publisher == NULL) {
		pthread_once(&zev_once, zevents_publisher_init);
		publisher = zev_publisher;
	}
	return json_pack("{s:s,s:o,s:s,s:s,s:s,s:s}", "event_type", event_type,
	    "payload", payload != NULL ? payload : json_object(),
	    "priority", "INFO", "publisher_id", publisher, "timestamp", ts,
	    "message_id", id);
}

int
zevents_publish(struct znats *z, const json_t *ev, const char *msgid,
    uint64_t *seq)
{
	const char	*type = json_string_value(json_object_get(ev,
			    "event_type"));
	char		 subj[256], *data;
	natsMsg		*m = NULL;
	jsPubAck	*ack = NULL;
	jsPubOptions	 po;
	jsErrCode	 jerr = 0;
	natsStatus	 s;

	if (seq != NULL)
		*seq = 0;
	if (type == NULL || *type == '\0' ||
	    (size_t)snprintf(subj, sizeof(subj), "%s%s", ZEV_PREFIX, type) >=
	    sizeof(subj))
		return ZE_BADMSG;
	if ((data = json_dumps(ev, JSON_COMPACT)) == NULL)
		return -ENOMEM;
	s = natsMsg_Create(&m, subj, NULL, data, (int)strlen(data));
	free(data);
	if (s != NATS_OK)
		return znats_err(s);
	jsPubOptions_Init(&po);
	po.MsgId = msgid;
	po.MaxWait = z->timeout_ms;
	s = js_PublishMsg(&ack, z->js, m, &po, &jerr);
	if (s == NATS_OK && seq != NULL && !ack->Duplicate)
		*seq = ack->Sequence;
	jsPubAck_Destroy(ack);
	natsMsg_Destroy(m);
	return znats_err(s);
}

/* --- the relay --- */

#define RELAY_KEY	"events-relay"
#define STATE_BUCKET	"zone_state"
#define SAVE_MS		1000

struct zevents_relay {
	struct znats		*nats;
	const struct zcfg	*cfg;
	struct zkv_lock		 lock;
	kvStore			*state;
	natsSubscription	*sub;
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	int			 running;
	uint64_t		 pos, saved;
	int64_t			 saved_ms;
	unsigned long		 count;
};

static void
relay_save(struct zevents_relay *r)
{
	char	buf[32];

	if (r->pos == r->saved || r->state == NULL)
		return;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->pos);
	if (kvStore_PutString(NULL, r->state, RELAY_KEY, buf) == NATS_OK) {
		r->saved = r->pos;
		r->saved_ms = zkv_now_ms();
	}
}

static int
relay_load(struct zevents_relay *r)
{
	kvEntry		*e = NULL;
	natsStatus	 s;

	s = kvStore_Get(&e, r->state, RELAY_KEY);
	if (s == NATS_NOT_FOUND) {
		r->pos = r->saved = 0;
		return 0;
	}
	if (s != NATS_OK)
		return znats_err(s);
	r->pos = r->saved = strtoull(kvEntry_ValueString(e), NULL, 10);
	kvEntry_Destroy(e);
	return 0;
}

static void
relay_unsubscribe(struct zevents_relay *r)
{
	if (r->sub == NULL)
		return;
	natsSubscription_Unsubscribe(r->sub);
	natsSubscription_Destroy(r->sub);
	r->sub = NULL;
}

static int
relay_subscribe(struct zevents_relay *r)
{
	jsSubOptions	 so;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	char		 buf[32];
	int		 rc;

	if ((rc = relay_load(r)) < 0)
		return rc;
	jsSubOptions_Init(&so);
	so.Stream = ZJ_STREAM;
	so.Ordered = true;
	so.Config.DeliverPolicy = js_DeliverByStartSequence;
	so.Config.OptStartSeq = r->pos + 1;
	so.Config.Heartbeat = 1000000000LL;
	s = js_SubscribeSync(&r->sub, r->nats->js, ZJ_SUBJECTS, NULL, &so,
	    &jerr);
	if (s == NATS_OK)
		s = natsSubscription_SetPendingLimits(r->sub, -1, -1);
	if (s != NATS_OK) {
		relay_unsubscribe(r);
		return znats_err(s);
	}
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->pos);
	zlog(ZLOG_INFO, "events.relay_resumed", "after_seq", buf, NULL);
	return 0;
}

/* Publish the events of journal message `m' (sequence seq). */
static int
relay_one(struct zevents_relay *r, natsMsg *m, uint64_t seq)
{
	json_t		*root, *ev;
	char		 id[64];
	size_t		 i;
	int		 rc = 0;

	root = json_loadb(natsMsg_GetData(m), (size_t)natsMsg_GetDataLength(m),
	    0, NULL);
	json_array_foreach(json_object_get(root, "events"), i, ev) {
		snprintf(id, sizeof(id), "j%llu.%zu", (unsigned long long)seq,
		    i);
		if ((rc = zevents_publish(r->nats, ev, id, NULL)) < 0)
			break;
		r->count++;
	}
	json_decref(root);
	return rc;
}

static void *
relay_main(void *arg)
{
	struct zevents_relay	*r = arg;
	jsMsgMetaData		*meta;
	natsMsg			*m;
	natsStatus		 s;
	uint64_t		 seq;
	int64_t			 now;
	int			 rc, held = 0;

	for (;;) {
		pthread_mutex_lock(&r->mu);
		if (!r->running) {
			pthread_mutex_unlock(&r->mu);
			break;
		}
		pthread_mutex_unlock(&r->mu);
		now = zkv_now_ms();
		if (!zkv_lock_tick(&r->lock, now)) {
			if (held)
				zlog(ZLOG_WARN, "events.relay_lost", NULL);
			held = 0;
			relay_unsubscribe(r);
			usleep(250000);
			continue;
		}
		if (!held) {
			held = 1;
			if ((rc = relay_subscribe(r)) < 0) {
				zlog(ZLOG_WARN, "events.relay_failed", "err",
				    zerr_str(rc), NULL);
				held = 0;
				usleep(500000);
				continue;
			}
		}
		m = NULL;
		s = natsSubscription_NextMsg(&m, r->sub, 200);
		if (s == NATS_TIMEOUT) {
			relay_save(r);
			continue;
		}
		if (s != NATS_OK) {
			held = 0;
			relay_unsubscribe(r);
			continue;
		}
		seq = 0;
		if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
			seq = meta->Sequence.Stream;
			jsMsgMetaData_Destroy(meta);
		}
		if (seq > r->pos) {
			if (!zkv_lock_held(&r->lock, zkv_now_ms()) ||
			    (rc = relay_one(r, m, seq)) < 0) {
				/* start again from the last position */
				natsMsg_Destroy(m);
				held = 0;
				relay_unsubscribe(r);
				usleep(200000);
				continue;
			}
			r->pos = seq;
		}
		natsMsg_Destroy(m);
		if (zkv_now_ms() - r->saved_ms >= SAVE_MS)
			relay_save(r);
	}
	relay_save(r);
	relay_unsubscribe(r);
	return NULL;
}

int
zevents_relay_start(struct zevents_relay **out, struct znats *z,
    const struct zcfg *cfg, const char *owner)
{
	struct zevents_relay	*r;
	int			 rc;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -ENOMEM;
	r->nats = z;
	r->cfg = cfg;
	pthread_mutex_init(&r->mu, NULL);
	if ((rc = zkv_bucket(z->js, STATE_BUCKET, 0, (int)zcfg_int(cfg, "nats",
	    "replicas"), &r->state, NULL)) < 0 ||
	    (rc = zkv_lock_open(&r->lock, z, cfg, RELAY_KEY, owner)) < 0) {
		kvStore_Destroy(r->state);
		free(r);
		return rc;
	}
	r->running = 1;
	if (pthread_create(&r->thread, NULL, relay_main, r) != 0) {
		zkv_lock_close(&r->lock);
		kvStore_Destroy(r->state);
		free(r);
		return -EAGAIN;
	}
	*out = r;
	return 0;
}

void
zevents_relay_stop(struct zevents_relay *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	r->running = 0;
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	zkv_lock_close(&r->lock);
	kvStore_Destroy(r->state);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

unsigned long
zevents_relay_count(const struct zevents_relay *r)
{
	return r != NULL ? r->count : 0;
}

/* --- following the stream --- */

int
zevents_follow(struct znats *z, int64_t since, int idle_ms, zevents_fn fn,
    void *arg)
{
	natsSubscription	*sub = NULL;
	jsSubOptions		 so;
	jsMsgMetaData		*meta;
	jsErrCode		 jerr = 0;
	natsMsg			*m;
	natsStatus		 s;
	json_t			*ev;
	uint64_t		 seq;
	int			 rc = 0;

	jsSubOptions_Init(&so);
	so.Stream = ZEV_STREAM;
	so.Ordered = true;
	if (since < 0)
		so.Config.DeliverPolicy = js_DeliverNew;
	else {
		so.Config.DeliverPolicy = js_DeliverByStartSequence;
		so.Config.OptStartSeq = (uint64_t)since + 1;
	}
	so.Config.Heartbeat = 1000000000LL;
	s = js_SubscribeSync(&sub, z->js, ZEV_SUBJECTS, NULL, &so, &jerr);
	if (s != NATS_OK)
		return znats_err(s);
	for (;;) {
		m = NULL;
		s = natsSubscription_NextMsg(&m, sub, idle_ms > 0 ? idle_ms :
		    60000);
		if (s == NATS_TIMEOUT) {
			if (idle_ms > 0)
				break;
			continue;
		}
		if (s != NATS_OK) {
			rc = znats_err(s);
			break;
		}
		seq = 0;
		if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
			seq = meta->Sequence.Stream;
			jsMsgMetaData_Destroy(meta);
		}
		ev = json_loadb(natsMsg_GetData(m),
		    (size_t)natsMsg_GetDataLength(m), 0, NULL);
		natsMsg_Destroy(m);
		if (!json_is_object(ev)) {
			json_decref(ev);
			continue;
		}
		json_object_set_new(ev, "seq", json_integer((json_int_t)seq));
		rc = fn(ev, seq, arg);
		json_decref(ev);
		if (rc != 0)
			break;
	}
	natsSubscription_Unsubscribe(sub);
	natsSubscription_Destroy(sub);
	return rc < 0 ? rc : 0;
}
