#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zerr.h"
#include "zjournal.h"

#define ZJ_BATCH	1024
#define JS_WRONG_LAST_SEQ	10071

int
zjournal_ensure(struct znats *z, int replicas)
{
	jsStreamConfig	 sc;
	jsStreamInfo	*si = NULL;
	jsErrCode	 jerr = 0;
	kvConfig	 kc;
	kvStore		*kv = NULL;
	natsStatus	 s;
	const char	*subjects[] = { ZJ_SUBJECTS };

	s = js_GetStreamInfo(&si, z->js, ZJ_STREAM, NULL, &jerr);
	if (s == NATS_NOT_FOUND) {
		jsStreamConfig_Init(&sc);
		sc.Name = ZJ_STREAM;
		sc.Subjects = subjects;
		sc.SubjectsLen = 1;
		sc.Storage = js_FileStorage;
		sc.Replicas = replicas;
		sc.Duplicates = 2LL * 60 * 1000000000LL;
		sc.AllowDirect = true;		/* zjournal_sync reads the tail */
		s = js_AddStream(&si, z->js, &sc, NULL, &jerr);
		if (s == NATS_ERR && jerr == 10058)	/* made by another copy */
			s = NATS_OK;
	} else if (s == NATS_OK && !si->Config->AllowDirect) {
		/* a journal made before direct gets were used */
		si->Config->AllowDirect = true;
		s = js_UpdateStream(NULL, z->js, si->Config, NULL, &jerr);
	}
	jsStreamInfo_Destroy(si);
	if (s != NATS_OK)
		return znats_err(s);
	s = js_KeyValue(&kv, z->js, ZJ_NAMES);
	if (s == NATS_NOT_FOUND) {
		kvConfig_Init(&kc);
		kc.Bucket = ZJ_NAMES;
		kc.History = 1;
		kc.StorageType = js_FileStorage;
		kc.Replicas = replicas;
		s = js_CreateKeyValue(&kv, z->js, &kc);
	}
	kvStore_Destroy(kv);
	return znats_err(s);
}

/* The subscription's callback: queue the message for the applier. */
static void
zjournal_onmsg(natsConnection *nc, natsSubscription *sub, natsMsg *msg,
    void *arg)
{
	struct zjournal	*j = arg;
	natsMsg		**nq;

	(void)nc;
	(void)sub;
	pthread_mutex_lock(&j->mu);
	if (j->qlen == j->qcap) {
		j->qcap = j->qcap ? j->qcap * 2 : 256;
		nq = realloc(j->queue, j->qcap * sizeof(*nq));
		if (nq == NULL) {
			j->failed = 1;
			pthread_mutex_unlock(&j->mu);
			natsMsg_Destroy(msg);
			return;
		}
		j->queue = nq;
	}
	j->queue[j->qlen++] = msg;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

static void *
zjournal_applier(void *arg)
{
	struct zjournal		*j = arg;
	struct zview_msg	*batch;
	natsMsg			**take;
	jsMsgMetaData		*meta;
	uint64_t		 applied;
	size_t			 n, i, k;
	int			 rc;

	batch = calloc(ZJ_BATCH, sizeof(*batch));
	take = calloc(ZJ_BATCH, sizeof(*take));
	if (batch == NULL || take == NULL) {
		j->failed = 1;
		goto out;
	}
	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (j->qlen == 0 && j->running)
			pthread_cond_wait(&j->cv, &j->mu);
		if (!j->running)
			break;
		n = j->qlen < ZJ_BATCH ? j->qlen : ZJ_BATCH;
		memcpy(take, j->queue, n * sizeof(*take));
		memmove(j->queue, j->queue + n, (j->qlen - n) * sizeof(*take));
		j->qlen -= n;
		pthread_mutex_unlock(&j->mu);

		for (i = k = 0; i < n; i++) {
			meta = NULL;
			if (natsMsg_GetMetaData(&meta, take[i]) != NATS_OK)
				continue;
			batch[k].seq = meta->Sequence.Stream;
			batch[k].data = natsMsg_GetData(take[i]);
			batch[k].len = (size_t)natsMsg_GetDataLength(take[i]);
			k++;
			jsMsgMetaData_Destroy(meta);
		}
		rc = zview_apply(j->view, batch, k, &applied);
		for (i = 0; i < n; i++)
			natsMsg_Destroy(take[i]);

		pthread_mutex_lock(&j->mu);
		if (rc < 0)
			j->failed = 1;
		else if (applied > j->applied)
			j->applied = applied;
		j->napplied += k;
		j->nbatches++;
		pthread_cond_broadcast(&j->cv);
	}
	pthread_mutex_unlock(&j->mu);
out:
	free(batch);
	free(take);
	return NULL;
}

int
zjournal_start(struct zjournal *j, struct znats *z, struct zview *v)
{
	jsSubOptions	 so;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	int		 rc;

	memset(j, 0, sizeof(*j));
	j->nats = z;
	j->view = v;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	if ((rc = zview_applied(v, &j->applied)) < 0)
		return rc;
	if ((s = js_KeyValue(&j->names, z->js, ZJ_NAMES)) != NATS_OK)
		return znats_err(s);
	j->running = 1;
	if (pthread_create(&j->applier, NULL, zjournal_applier, j) != 0) {
		j->running = 0;
		return -EAGAIN;
	}
	jsSubOptions_Init(&so);
	so.Stream = ZJ_STREAM;
	so.Ordered = true;
	so.Config.DeliverPolicy = js_DeliverByStartSequence;
	so.Config.OptStartSeq = j->applied + 1;
	so.Config.Heartbeat = 1000000000LL;	/* notice a lost consumer in ~2 s */
	s = js_Subscribe(&j->sub, z->js, ZJ_SUBJECTS, zjournal_onmsg, j,
	    NULL, &so, &jerr);
	if (s == NATS_OK)
		s = natsSubscription_SetPendingLimits(j->sub, -1, -1);
	if (s != NATS_OK) {
		zjournal_stop(j);
		return znats_err(s);
	}
	return 0;
}

void
zjournal_stop(struct zjournal *j)
{
	size_t	i;

	if (j->sub != NULL) {
		natsSubscription_Unsubscribe(j->sub);
		natsSubscription_Destroy(j->sub);
		j->sub = NULL;
	}
	pthread_mutex_lock(&j->mu);
	if (j->running) {
		j->running = 0;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
		pthread_join(j->applier, NULL);
	} else
		pthread_mutex_unlock(&j->mu);
	for (i = 0; i < j->qlen; i++)
		natsMsg_Destroy(j->queue[i]);
	free(j->queue);
	j->queue = NULL;
	j->qlen = j->qcap = 0;
	kvStore_Destroy(j->names);
	j->names = NULL;
}

int
zjournal_publish(struct zjournal *j, const char *kind, const char *id,
    const json_t *msg, uint64_t expect, uint64_t *seq)
{
	jsPubOptions	 po;
	jsPubAck	*ack = NULL;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	char		 subj[256], *body;
	int		 rc;

	if (snprintf(subj, sizeof(subj), "zone.journal.%s.%s", kind, id) >=
	    (int)sizeof(subj))
		return -ENAMETOOLONG;
	if ((body = json_dumps(msg, JSON_COMPACT)) == NULL)
		return -ENOMEM;
	jsPubOptions_Init(&po);
	po.ExpectLastSubjectSeq = expect;
	po.MaxWait = j->nats->timeout_ms;
	s = js_Publish(&ack, j->nats->js, subj, body, (int)strlen(body), &po,
	    &jerr);
	free(body);
	if (s == NATS_OK) {
		*seq = ack->Sequence;
		rc = 0;
	} else if (jerr == JS_WRONG_LAST_SEQ)
		rc = ZE_CONFLICT;
	else
		rc = znats_err(s);
	jsPubAck_Destroy(ack);
	return rc;
}

static void
zdeadline(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int
zjournal_wait(struct zjournal *j, uint64_t seq, int timeout_ms)
{
	struct timespec	ts;
	int		rc = 0;

	zdeadline(&ts, timeout_ms);
	pthread_mutex_lock(&j->mu);
	while (j->applied < seq && !j->failed) {
		if (pthread_cond_timedwait(&j->cv, &j->mu, &ts) == ETIMEDOUT) {
			rc = ZE_TIMEOUT;
			break;
		}
	}
	if (j->applied < seq && j->failed)
		rc = ZE_DB;
	pthread_mutex_unlock(&j->mu);
	return rc;
}

/*
 * Ask the server for the stream's last sequence.  Callers that arrive
 * while a request is in flight wait for the next one to start after
 * them, so one round trip serves every caller that queued behind it.
 */
/*
 * The stream's last sequence, from a direct get of its last message: the
 * stream answers this itself, without the JetStream API's round through
 * the meta layer (a stream info costs ten times more).
 */
static int
zjournal_tail(struct zjournal *j, int timeout_ms, uint64_t *last)
{
	static const char	 req[] = "{\"last_by_subj\":\"" ZJ_SUBJECTS "\"}";
	natsMsg			*m = NULL;
	natsStatus		 s;
	const char		*v = NULL;
	int			 rc = 0;

	*last = 0;
	s = natsConnection_Request(&m, j->nats->nc,
	    "$JS.API.DIRECT.GET." ZJ_STREAM, req, (int)sizeof(req) - 1,
	    timeout_ms);
	if (s != NATS_OK)
		return znats_err(s);
	if (natsMsgHeader_Get(m, "Nats-Sequence", &v) == NATS_OK)
		*last = strtoull(v, NULL, 10);
	else if (natsMsgHeader_Get(m, "Status", &v) == NATS_OK &&
	    strcmp(v, "404") == 0)
		*last = 0;		/* an empty journal */
	else
		rc = ZE_NATS;
	natsMsg_Destroy(m);
	return rc;
}

int
zjournal_sync(struct zjournal *j, int timeout_ms)
{
	uint64_t	 target, last;
	int		 rc;

	pthread_mutex_lock(&j->mu);
	target = j->started + 1;
	while (j->completed < target) {
		if (j->inflight) {
			pthread_cond_wait(&j->cv, &j->mu);
			continue;
		}
		j->inflight = 1;
		j->started++;
		pthread_mutex_unlock(&j->mu);

		rc = zjournal_tail(j, timeout_ms, &last);

		pthread_mutex_lock(&j->mu);
		j->last = last;
		j->last_rc = rc;
		j->completed = j->started;
		j->inflight = 0;
		pthread_cond_broadcast(&j->cv);
	}
	last = j->last;
	rc = j->last_rc;
	pthread_mutex_unlock(&j->mu);
	if (rc < 0)
		return rc;
	return zjournal_wait(j, last, timeout_ms);
}

static int
zname_key(const char *name, char *out, size_t len)
{
	size_t	i, n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n + 1 > len)
		return -EINVAL;
	for (i = 0; i < n; i++)
		out[i] = tolower((unsigned char)name[i]);
	out[n] = '\0';
	return 0;
}

int
zjournal_name_reserve(struct zjournal *j, const char *name,
    const char *zone_id, char *holder, int64_t *age_s, uint64_t *rev)
{
	kvEntry		*e = NULL;
	natsStatus	 s;
	char		 key[300];
	int		 rc;

	if ((rc = zname_key(name, key, sizeof(key))) < 0)
		return rc;
	s = kvStore_CreateString(rev, j->names, key, zone_id);
	if (s == NATS_OK)
		return 0;
	/* "wrong last sequence" means the key is there: see who holds it */
	if ((s = kvStore_Get(&e, j->names, key)) != NATS_OK)
		return s == NATS_NOT_FOUND ? ZE_CONFLICT : znats_err(s);
	snprintf(holder, 37, "%s", kvEntry_ValueString(e));
	*rev = kvEntry_Revision(e);
	*age_s = (int64_t)time(NULL) - kvEntry_Created(e) / 1000000000LL;
	kvEntry_Destroy(e);
	return ZE_EXISTS;
}

int
zjournal_name_takeover(struct zjournal *j, const char *name,
    const char *zone_id, uint64_t rev)
{
	natsStatus	s;
	uint64_t	nrev;
	char		key[300];
	int		rc;

	if ((rc = zname_key(name, key, sizeof(key))) < 0)
		return rc;
	s = kvStore_UpdateString(&nrev, j->names, key, zone_id, rev);
	return s == NATS_OK ? 0 : ZE_CONFLICT;
}

int
zjournal_name_release(struct zjournal *j, const char *name,
    const char *zone_id)
{
	kvEntry		*e = NULL;
	char		 key[300];
	int		 rc;

	if ((rc = zname_key(name, key, sizeof(key))) < 0)
		return rc;
	if (kvStore_Get(&e, j->names, key) != NATS_OK)
		return 0;
	if (strcmp(kvEntry_ValueString(e), zone_id) == 0)
		kvStore_Purge(j->names, key, NULL);
	kvEntry_Destroy(e);
	return 0;
}
