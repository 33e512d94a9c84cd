#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "zerr.h"
#include "zkv.h"

/* KV and JetStream say "wrong last sequence" for a stale expectation. */
#define WRONG_SEQ	"wrong last sequence"
#define JS_WRONG_SEQ	10071

int64_t
zkv_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * KV calls report a stale revision as NATS_ERR with this text (the
 * JetStream code is not passed on): a conflict, not an outage.
 */
static int
zkv_err(natsStatus s, int conflict)
{
	const char	*t;

	if (s == NATS_OK)
		return 0;
	t = nats_GetLastError(NULL);
	if (s == NATS_ERR && t != NULL && strstr(t, WRONG_SEQ) != NULL)
		return conflict;
	return znats_err(s);
}

static int
zkv_ctx(struct znats *z, int wait_ms, jsCtx **js)
{
	jsOptions	o;

	jsOptions_Init(&o);
	o.Wait = wait_ms;
	return znats_err(natsConnection_JetStream(js, z->nc, &o));
}

/* KV call timeout: the configured one, but a quarter of the ttl at most
 * (and 250 ms at least), so that an outage cannot stall a beat loop
 * past the ttl. */
static int
zkv_wait(const struct zcfg *cfg, int64_t ttl_ms)
{
	int64_t	w = zcfg_int(cfg, "nats", "timeout_ms");

	if (w > ttl_ms / 4)
		w = ttl_ms / 4;
	if (w < 250)
		w = 250;
	return (int)w;
}

int
zkv_bucket(jsCtx *js, const char *bucket, int ttl_s, int replicas,
    kvStore **kv, int *ttl_s_found)
{
	kvConfig	 kc;
	kvStatus	*st = NULL;
	natsStatus	 s;

	*kv = NULL;
	s = js_KeyValue(kv, js, bucket);
	if (s == NATS_NOT_FOUND) {
		kvConfig_Init(&kc);
		kc.Bucket = bucket;
		kc.History = 1;
		kc.TTL = (int64_t)ttl_s * 1000000000;	/* nanoseconds */
		kc.StorageType = js_FileStorage;
		kc.Replicas = replicas > 0 ? replicas : 1;
		s = js_CreateKeyValue(kv, js, &kc);
		if (s != NATS_OK)	/* made by another copy meanwhile? */
			s = js_KeyValue(kv, js, bucket);
	}
	if (s == NATS_OK && ttl_s_found != NULL) {
		*ttl_s_found = ttl_s;
		if (kvStore_Status(&st, *kv) == NATS_OK)
			*ttl_s_found = (int)(kvStatus_TTL(st) / 1000000000);
		kvStatus_Destroy(st);
	}
	return znats_err(s);
}

/* ---------------------------------------------------------------- lock */

int
zkv_lock_open(struct zkv_lock *l, struct znats *z, const struct zcfg *cfg,
    const char *key, const char *owner)
{
	int	ttl_s, found, rc;

	memset(l, 0, sizeof(*l));
	if (!zkv_key_valid(key) ||
	    strlcpy(l->key, key, sizeof(l->key)) >= sizeof(l->key) ||
	    strlcpy(l->owner, owner, sizeof(l->owner)) >= sizeof(l->owner))
		return ZE_USAGE;
	ttl_s = (int)zcfg_int(cfg, "events", "lock_ttl_s");
	if (ttl_s < 1)
		return ZE_CONFIG;
	l->ttl_ms = (int64_t)ttl_s * 1000;
	l->wait_ms = zkv_wait(cfg, l->ttl_ms);
	if ((rc = zkv_ctx(z, l->wait_ms, &l->js)) < 0)
		return rc;
	rc = zkv_bucket(l->js, ZKV_LOCKS, ttl_s, (int)zcfg_int(cfg, "nats",
	    "replicas"), &l->kv, &found);
	if (rc < 0) {
		jsCtx_Destroy(l->js);
		l->js = NULL;
		return rc;
	}
	/* the bucket's own max age is what expires a dead holder */
	if (found > 0)
		l->ttl_ms = (int64_t)found * 1000;
	return 0;
}

/* The holder may work until `start' + ttl - margin: the key was written
 * after `start', so it cannot expire before start + ttl. */
static void
zkv_lock_ok(struct zkv_lock *l, int64_t start, uint64_t rev)
{
	int64_t	margin = l->ttl_ms / 10;

	if (margin < 200)
		margin = 200;
	l->rev = rev;
	l->until_ms = start + l->ttl_ms - margin;
	l->next_ms = start + l->ttl_ms / 3;
}

int
zkv_lock_take(struct zkv_lock *l)
{
	int64_t		start = zkv_now_ms();
	uint64_t	rev = 0;
	natsStatus	s;
	int		rc;

	s = kvStore_CreateString(&rev, l->kv, l->key, l->owner);
	if ((rc = zkv_err(s, ZE_EXISTS)) == 0)
		zkv_lock_ok(l, start, rev);
	return rc;
}

int
zkv_lock_renew(struct zkv_lock *l)
{
	int64_t		start = zkv_now_ms();
	uint64_t	rev = 0;
	natsStatus	s;
	int		rc;

	if (l->rev == 0)
		return ZE_CONFLICT;
	s = kvStore_UpdateString(&rev, l->kv, l->key, l->owner, l->rev);
	rc = zkv_err(s, ZE_CONFLICT);
	if (rc == 0)
		zkv_lock_ok(l, start, rev);
	else if (rc == ZE_CONFLICT)
		l->rev = 0;		/* expired, or taken by another */
	return rc;
}

int
zkv_lock_release(struct zkv_lock *l)
{
	natsMsg		*m = NULL;
	jsPubAck	*ack = NULL;
	jsPubOptions	 po;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	char		 subj[sizeof(ZKV_LOCKS) + ZKV_KEYLEN + 8];
	uint64_t	 rev = l->rev;

	l->rev = 0;
	l->until_ms = 0;
	if (rev == 0)
		return ZE_CONFLICT;
	snprintf(subj, sizeof(subj), "$KV.%s.%s", ZKV_LOCKS, l->key);
	if ((s = natsMsg_Create(&m, subj, NULL, NULL, 0)) != NATS_OK)
		return znats_err(s);
	if ((s = natsMsgHeader_Set(m, "KV-Operation", "DEL")) == NATS_OK) {
		jsPubOptions_Init(&po);
		po.ExpectLastSubjectSeq = rev;
		po.MaxWait = l->wait_ms;
		s = js_PublishMsg(&ack, l->js, m, &po, &jerr);
	}
	jsPubAck_Destroy(ack);
	natsMsg_Destroy(m);
	if (s == NATS_ERR && jerr == JS_WRONG_SEQ)
		return ZE_CONFLICT;
	return zkv_err(s, ZE_CONFLICT);
}

int
zkv_lock_held(const struct zkv_lock *l, int64_t now_ms)
{
	return l->rev != 0 && now_ms < l->until_ms;
}

int
zkv_lock_tick(struct zkv_lock *l, int64_t now_ms)
{
	if (l->rev != 0 && now_ms >= l->until_ms)
		l->rev = 0;	/* unreachable for too long: assume lost */
	if (l->rev == 0)
		(void)zkv_lock_take(l);
	else if (now_ms >= l->next_ms && zkv_lock_renew(l) < 0 && l->rev != 0)
		l->next_ms = now_ms + 250;	/* outage: retry soon */
	return zkv_lock_held(l, zkv_now_ms());
}

void
zkv_lock_close(struct zkv_lock *l)
{
	if (l->kv != NULL && l->rev != 0)
		(void)zkv_lock_release(l);
	kvStore_Destroy(l->kv);
	jsCtx_Destroy(l->js);
	l->kv = NULL;
	l->js = NULL;
}

/* ---------------------------------------------------------- membership */

int
zkv_member_join(struct zkv_member *m, struct znats *z, const struct zcfg *cfg,
    const char *host)
{
	json_t		*v;
	uint32_t	 rnd = 0;
	int		 ttl_s, found, rc;

	memset(m, 0, sizeof(*m));
	ttl_s = (int)zcfg_int(cfg, "periodic", "member_ttl_s");
	if (ttl_s < 1)
		return ZE_CONFIG;
	if (getrandom(&rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		rnd = (uint32_t)zkv_now_ms() ^ (uint32_t)getpid();
	if ((rc = zkv_member_key(m->key, sizeof(m->key), host, (long)getpid(),
	    rnd)) < 0)
		return rc;
	v = json_pack("{s:s,s:I,s:I}", "host", host, "pid",
	    (json_int_t)getpid(), "started", (json_int_t)time(NULL));
	m->value = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (m->value == NULL)
		return -ENOMEM;
	m->ttl_ms = (int64_t)ttl_s * 1000;
	m->wait_ms = zkv_wait(cfg, m->ttl_ms);
	if ((rc = zkv_ctx(z, m->wait_ms, &m->js)) < 0)
		return rc;
	if ((rc = zkv_bucket(m->js, ZKV_MEMBERS, ttl_s, (int)zcfg_int(cfg,
	    "nats", "replicas"), &m->kv, &found)) < 0)
		return rc;
	if (found > 0)
		m->ttl_ms = (int64_t)found * 1000;
	m->beat_ms = m->ttl_ms / 4;
	if (m->beat_ms < 1000)
		m->beat_ms = 1000;
	return zkv_member_beat(m);
}

int
zkv_member_beat(struct zkv_member *m)
{
	int64_t		start = zkv_now_ms();
	uint64_t	rev = 0;
	natsStatus	s;

	s = kvStore_PutString(&rev, m->kv, m->key, m->value);
	if (s == NATS_OK) {
		m->ok_ms = start;
		m->next_ms = start + m->beat_ms;
		return 0;
	}
	m->next_ms = zkv_now_ms() + 250;	/* retry soon */
	return zkv_err(s, ZE_CONFLICT);
}

int
zkv_member_tick(struct zkv_member *m, int64_t now_ms)
{
	if (now_ms < m->next_ms)
		return 0;
	return zkv_member_beat(m);
}

static int
zkv_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
zkv_free_keys(char **keys, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

/*
 * The member keys are the subjects of the bucket's stream, from the
 * stream leader's state (stream info with a subject filter): no
 * consumer is made, which an ordered consumer (kvStore_Keys) needs and
 * which times out often while a cluster is short of a server, and a
 * read is the leader's committed state.  Leaving purges the key's
 * subject, so no delete marker is left to filter out.
 */
int
zkv_member_list(struct zkv_member *m)
{
	jsOptions		 o;
	jsStreamInfo		*si = NULL;
	jsStreamStateSubjects	*ss;
	jsErrCode		 jerr = 0;
	natsStatus		 s;
	char			 filter[sizeof(ZKV_MEMBERS) + 8];
	char			**keys = NULL;
	size_t			 plen;
	int			 i, n = 0, rc = 0;

	snprintf(filter, sizeof(filter), "$KV.%s.>", ZKV_MEMBERS);
	plen = strlen(filter) - 1;
	jsOptions_Init(&o);
	o.Wait = m->wait_ms;
	o.Stream.Info.SubjectsFilter = filter;
	s = js_GetStreamInfo(&si, m->js, "KV_" ZKV_MEMBERS, &o, &jerr);
	if (s != NATS_OK)
		return zkv_err(s, ZE_NATS);
	ss = si->State.Subjects;
	if (ss != NULL && ss->Count > ZKV_MAXMEMBERS) {
		rc = ZE_BADMSG;
		goto out;
	}
	if (ss != NULL && ss->Count > 0 &&
	    (keys = calloc((size_t)ss->Count, sizeof(*keys))) == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; ss != NULL && i < ss->Count; i++) {
		if (strncmp(ss->List[i].Subject, filter, plen) != 0)
			continue;
		if ((keys[n] = strdup(ss->List[i].Subject + plen)) == NULL) {
			zkv_free_keys(keys, n);
			rc = -ENOMEM;
			goto out;
		}
		n++;
	}
	/*
	 * We put our key before reading: a list without it is a stale
	 * read (or our key expired, and then we work nothing anyway).
	 */
	if (zkv_index(keys, n, m->key) < 0) {
		zkv_free_keys(keys, n);
		rc = ZE_NOTFOUND;
		goto out;
	}
	qsort(keys, (size_t)n, sizeof(*keys), zkv_cmp);
	zkv_free_keys(m->keys, m->nkeys);
	m->keys = keys;
	m->nkeys = n;
	m->list_ms = zkv_now_ms();
out:
	jsStreamInfo_Destroy(si);
	return rc;
}

int
zkv_member_index(const struct zkv_member *m, int *index, int *n)
{
	int	i;

	if ((i = zkv_index(m->keys, m->nkeys, m->key)) >= 0) {
		*index = i;
		*n = m->nkeys;
		return 0;
	}
	/* not in the list we read: we beat since, count ourselves in */
	for (i = 0; i < m->nkeys && strcmp(m->keys[i], m->key) < 0; i++)
		;
	*index = i;
	*n = m->nkeys + 1;
	return 0;
}

int
zkv_member_alive(const struct zkv_member *m, int64_t now_ms)
{
	return m->ok_ms != 0 && now_ms - m->ok_ms < m->ttl_ms;
}

int
zkv_member_leave(struct zkv_member *m)
{
	jsOptions	o;
	jsErrCode	jerr = 0;
	char		subj[sizeof(ZKV_MEMBERS) + ZKV_KEYLEN + 8];

	m->ok_ms = 0;
	if (m->js == NULL)
		return 0;
	snprintf(subj, sizeof(subj), "$KV.%s.%s", ZKV_MEMBERS, m->key);
	jsOptions_Init(&o);
	o.Wait = m->wait_ms;
	o.Stream.Purge.Subject = subj;
	return zkv_err(js_PurgeStream(m->js, "KV_" ZKV_MEMBERS, &o, &jerr),
	    ZE_CONFLICT);
}

void
zkv_member_close(struct zkv_member *m)
{
	kvStore_Destroy(m->kv);
	jsCtx_Destroy(m->js);
	zkv_free_keys(m->keys, m->nkeys);
	free(m->value);
	m->kv = NULL;
	m->js = NULL;
	m->keys = NULL;
	m->nkeys = 0;
	m->value = NULL;
}

/* ---------------------------------------------------------------- pure */

static int
zkv_keychar(int c)
{
	return isascii(c) && (isalnum(c) || c == '-' || c == '/' ||
	    c == '_' || c == '=' || c == '.');
}

int
zkv_key_valid(const char *k)
{
	size_t	i, len;

	if (k == NULL || (len = strlen(k)) == 0 || len >= ZKV_KEYLEN ||
	    k[0] == '.' || k[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (!zkv_keychar((unsigned char)k[i]))
			return 0;
	return 1;
}

int
zkv_member_key(char *buf, size_t len, const char *host, long pid,
    uint32_t rnd)
{
	char	h[64];
	size_t	i;
	int	n;

	strlcpy(h, host != NULL && *host != '\0' ? host : "localhost",
	    sizeof(h));
	for (i = 0; h[i] != '\0'; i++)
		if (!isascii((unsigned char)h[i]) ||
		    !(isalnum((unsigned char)h[i]) || h[i] == '-' ||
		    h[i] == '_'))
			h[i] = '_';
	n = snprintf(buf, len, "%s-%ld-%08" PRIx32, h, pid, rnd);
	if (n < 0 || (size_t)n >= len)
		return -ENOBUFS;
	return 0;
}

static int
zkv_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
zkv_shard_of(const char *id)
{
	int	i, v, s = 0;

	if (id == NULL)
		return -1;
	for (i = 0; i < 3; i++) {
		if ((v = zkv_hexval((unsigned char)id[i])) < 0)
			return -1;
		s = s * 16 + v;
	}
	return s;
}

int
zkv_shards(int n, int i, int *first, int *last)
{
	int	size;

	if (n < 1 || i < 0 || i >= n)
		return ZE_NOTFOUND;
	size = (ZKV_NSHARDS + n - 1) / n;
	if ((long)i * size >= ZKV_NSHARDS)
		return ZE_NOTFOUND;
	*first = i * size;
	*last = *first + size - 1;
	if (*last >= ZKV_NSHARDS)
		*last = ZKV_NSHARDS - 1;
	return 0;
}

int
zkv_index(char *const *keys, int n, const char *key)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return i;
	return -1;
}

int64_t
zkv_period(int64_t now_s, int64_t interval_s)
{
	if (interval_s < 1)
		return now_s;
	if (now_s < 0)
		return -((-now_s + interval_s - 1) / interval_s) * interval_s;
	return now_s / interval_s * interval_s;
}

void
zkv_done_set(uint8_t *done, int a, int b)
{
	int	s;

	if (a < 0)
		a = 0;
	if (b >= ZKV_NSHARDS)
		b = ZKV_NSHARDS - 1;
	for (s = a; s <= b; s++)
		done[s / 8] |= (uint8_t)(1u << (s % 8));
}

int
zkv_done_get(const uint8_t *done, int s)
{
	if (s < 0 || s >= ZKV_NSHARDS)
		return 1;
	return (done[s / 8] >> (s % 8)) & 1;
}

int
zkv_todo(const uint8_t *done, int first, int last, int *a, int *b)
{
	int	s;

	if (first < 0)
		first = 0;
	if (last >= ZKV_NSHARDS)
		last = ZKV_NSHARDS - 1;
	for (s = first; s <= last && zkv_done_get(done, s); s++)
		;
	if (s > last)
		return ZE_NOTFOUND;
	*a = s;
	while (s <= last && !zkv_done_get(done, s))
		s++;
	*b = s - 1;
	return 0;
}

void
zkv_periods_init(struct zkv_periods *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->period = -1;
	ps->prev_first = ps->prev_last = -1;
}

int
zkv_periods_roll(struct zkv_periods *ps, int64_t p, int64_t iv, int first,
    int last)
{
	if (p == ps->period)
		return 0;
	ps->prev_first = ps->prev_last = -1;
	if (ps->period >= 0 && ps->period < p && first >= 0) {
		if (ps->period == p - iv)
			memcpy(ps->prev, ps->done, sizeof(ps->prev));
		else
			memset(ps->prev, 0, sizeof(ps->prev));
		ps->prev_first = first;
		ps->prev_last = last;
	}
	memset(ps->done, 0, sizeof(ps->done));
	ps->period = p;
	return 1;
}

int
zkv_periods_prev(const struct zkv_periods *ps, int first, int last, int *a,
    int *b)
{
	if (ps->prev_first < 0 || first < 0)
		return ZE_NOTFOUND;
	*a = ps->prev_first > first ? ps->prev_first : first;
	*b = ps->prev_last < last ? ps->prev_last : last;
	return *a <= *b ? 0 : ZE_NOTFOUND;
}
