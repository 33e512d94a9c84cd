#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "zbackend.h"
#include "zerr.h"
#include "znotify.h"
#include "zrpc.h"

#define ZN_MASTER_WAIT_MS	500	/* how long zone-xfr may lag */
#define ZN_MASTER_RETRY_MS	20	/* the longest; the first is 1 ms */
#define ZN_NOTIFY_WAIT_MS	250	/* NOTIFY answers are not needed */
#define ZN_FETCH_WAIT_MS	200
#define ZN_RPC_TIMEOUT_MS	5000

enum zn_state { J_MASTER, J_PUSH, J_POLL, J_REPORT };

struct zn_job {
	natsMsg			*msg;
	json_t			*zone;
	json_t			*pool;
	const char		*id, *name, *action, *pool_id;
	uint32_t		 serial;
	uint64_t		 seq;
	struct znotify_plan	 plan;
	enum zn_state		 state;
	int			 attempt;
	int			 master_tries;		/* SOA asks of zone-xfr */
	int			 done[ZNOTIFY_MAXT];	/* backend call made */
	int			 warned[ZNOTIFY_MAXT];
	int			 failed;		/* a backend failed */
	int64_t			 started, due, deadline, master_deadline;
	int64_t			 touched;		/* last ack/progress */
	const char		*report;		/* ACTIVE or ERROR */
	char			 err[512];
	char			 errtarget[192];
};

struct zn_worker {
	struct znotify		*n;
	natsSubscription	*sub;
	struct zn_job		*jobs[ZNOTIFY_BATCH];
	int			 njobs;
};

static int64_t
zn_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
zn_count(uint64_t *c)
{
	__atomic_add_fetch(c, 1, __ATOMIC_RELAXED);
}

/* --- pure steps --- */

int
znotify_backoff(const struct znotify_conf *c, int attempt)
{
	int64_t	ms = c->poll_interval_ms;

	if (ms < 1)
		ms = 1;
	while (attempt-- > 0 && ms < c->poll_interval_max_ms)
		ms *= 2;
	if (ms > c->poll_interval_max_ms && c->poll_interval_max_ms > 0)
		ms = c->poll_interval_max_ms;
	return (int)ms;
}

int
znotify_threshold_met(int positive, int total, int threshold)
{
	if (total <= 0)
		return 1;
	return (int64_t)positive * 100 >= (int64_t)threshold * total;
}

int
znotify_positive(int del, enum zdns_state st, uint32_t got, uint32_t want)
{
	if (del)
		return st == ZDNS_NOZONE;
	return st == ZDNS_SERIAL && zdns_serial_ge(got, want);
}

static const char *
zn_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int
znotify_parse(const char *data, size_t len, json_t **zone)
{
	json_t		*root, *z;
	const char	*status;
	int		 rc = 0;

	*zone = NULL;
	if ((root = json_loadb(data, len, 0, NULL)) == NULL ||
	    !json_is_object(root)) {
		json_decref(root);
		return ZE_BADMSG;
	}
	z = json_object_get(root, "zone");
	if (json_is_true(json_object_get(root, "purge")) ||
	    !json_is_object(z))
		goto out;		/* a purge, or not a zone message */
	if ((status = zn_str(z, "status")) == NULL) {
		rc = ZE_BADMSG;
		goto out;
	}
	if (strcmp(status, "PENDING") != 0 ||
	    json_is_true(json_object_get(z, "delayed_notify")))
		goto out;		/* central's own ACTIVE; zone-periodic
					 * hands delayed ones over later */
	if (zn_str(z, "id") == NULL || zn_str(z, "name") == NULL ||
	    zn_str(z, "action") == NULL || zn_str(z, "pool_id") == NULL ||
	    !json_is_integer(json_object_get(z, "serial"))) {
		rc = ZE_BADMSG;
		goto out;
	}
	*zone = json_incref(z);
	rc = 1;
out:
	json_decref(root);
	return rc;
}

/* A port given as a number or as a string (backend options are strings). */
static int
zn_port(const json_t *v, int def)
{
	long	p;

	if (json_is_integer(v))
		p = (long)json_integer_value(v);
	else if (json_is_string(v))
		p = strtol(json_string_value(v), NULL, 10);
	else
		return def;
	return p > 0 && p < 65536 ? (int)p : def;
}

static int
zn_dest(struct znotify_dest *d, size_t *n, const char *host, int port,
    const char *zone, const struct zdns_tsig *tsig, int target)
{
	if (*n >= ZNOTIFY_MAXD || host == NULL || *host == '\0')
		return 0;
	strlcpy(d[*n].host, host, sizeof(d[*n].host));
	d[*n].port = port;
	d[*n].zone = zone;
	d[*n].tsig = tsig;
	d[*n].target = target;
	(*n)++;
	return 1;
}

int
znotify_plan(const json_t *zone, const json_t *pool, struct znotify_plan *p)
{
	const json_t	*t, *opts, *tsig, *m, *ns;
	const char	*name = zn_str(zone, "name"), *action, *host, *cat;
	const struct zdns_tsig *tk;
	size_t		 i;
	int		 port, create, catalog;

	memset(p, 0, sizeof(*p));
	action = zn_str(zone, "action");
	p->del = action != NULL && strcmp(action, "DELETE") == 0;
	create = action != NULL && strcmp(action, "CREATE") == 0;
	cat = zn_str(json_object_get(pool, "catalog_zone"), "fqdn");
	json_array_foreach(json_object_get(pool, "targets"), i, t) {
		if (p->ntargets >= ZNOTIFY_MAXT)
			break;
		p->targets[p->ntargets] = t;
		tsig = json_object_get(t, "tsig");
		tk = NULL;
		if (json_is_object(tsig) && zn_str(tsig, "name") != NULL &&
		    zn_str(tsig, "secret") != NULL) {
			p->tsig[p->ntargets].name = zn_str(tsig, "name");
			p->tsig[p->ntargets].secret = zn_str(tsig, "secret");
			p->tsig[p->ntargets].algorithm =
			    zn_str(tsig, "algorithm") != NULL ?
			    zn_str(tsig, "algorithm") : "hmac-sha256";
			tk = &p->tsig[p->ntargets];
		}
		opts = json_object_get(t, "options");
		host = zn_str(opts, "host");
		port = zn_port(json_object_get(opts, "port"), 53);
		catalog = zn_str(t, "type") != NULL &&
		    strcmp(zn_str(t, "type"), "catalog") == 0;
		if (!p->del)
			zn_dest(p->notify, &p->nnotify, host, port, name, tk,
			    (int)p->ntargets);
		if (catalog && cat != NULL && (create || p->del))
			zn_dest(p->notify, &p->nnotify, host, port, cat, tk,
			    (int)p->ntargets);
		m = json_array_get(json_object_get(t, "masters"), 0);
		if (!p->has_master && m != NULL &&
		    zn_dest(&p->master, &(size_t){ 0 }, zn_str(m, "host"),
		    zn_port(json_object_get(m, "port"), 53), name, tk,
		    (int)p->ntargets))
			p->has_master = 1;
		p->ntargets++;
	}
	if (!p->del)
		json_array_foreach(json_object_get(pool, "also_notifies"), i,
		    ns)
			zn_dest(p->notify, &p->nnotify, zn_str(ns, "host"),
			    zn_port(json_object_get(ns, "port"), 53), name,
			    NULL, -1);
	json_array_foreach(json_object_get(pool, "nameservers"), i, ns)
		zn_dest(p->poll, &p->npoll, zn_str(ns, "host"),
		    zn_port(json_object_get(ns, "port"), 53), name, NULL, -1);
	if (p->npoll == 0)
		for (i = 0; i < p->ntargets; i++) {
			opts = json_object_get(p->targets[i], "options");
			zn_dest(p->poll, &p->npoll, zn_str(opts, "host"),
			    zn_port(json_object_get(opts, "port"), 53), name,
			    NULL, (int)i);
		}
	if (p->ntargets == 0)
		return ZE_CONFIG;
	return 0;
}

/* --- configuration --- */

static int
zn_range(const struct zcfg *cfg, const char *key, long long lo, long long hi,
    int *out, char *err, size_t errlen)
{
	long long	v = zcfg_int(cfg, "notify", key);

	if (v < lo || v > hi) {
		snprintf(err, errlen, "notify.%s must be %lld..%lld", key, lo,
		    hi);
		return ZE_CONFIG;
	}
	*out = (int)v;
	return 0;
}

int
znotify_conf_load(struct znotify_conf *c, const struct zcfg *cfg, char *err,
    size_t errlen)
{
	if (zn_range(cfg, "workers", 1, ZNOTIFY_MAXWORKERS, &c->workers, err,
	    errlen) < 0 ||
	    zn_range(cfg, "ack_wait_ms", 1000, 3600000, &c->ack_wait_ms, err,
	    errlen) < 0 ||
	    zn_range(cfg, "poll_delay_ms", 0, 600000, &c->poll_delay_ms, err,
	    errlen) < 0 ||
	    zn_range(cfg, "poll_interval_ms", 1, 600000, &c->poll_interval_ms,
	    err, errlen) < 0 ||
	    zn_range(cfg, "poll_interval_max_ms", 1, 3600000,
	    &c->poll_interval_max_ms, err, errlen) < 0 ||
	    zn_range(cfg, "poll_timeout_ms", 1, 60000, &c->poll_timeout_ms, err,
	    errlen) < 0 ||
	    zn_range(cfg, "max_retry_s", 0, 86400 * 7, &c->max_retry_s, err,
	    errlen) < 0 ||
	    zn_range(cfg, "threshold", 1, 100, &c->threshold, err, errlen) < 0)
		return ZE_CONFIG;
	if (c->poll_interval_max_ms < c->poll_interval_ms) {
		snprintf(err, errlen,
		    "notify.poll_interval_max_ms is below poll_interval_ms");
		return ZE_CONFIG;
	}
	return 0;
}

void
znotify_init(struct znotify *n, const struct znotify_conf *c,
    struct znats *nats, struct zview *view, struct zjournal *journal,
    znotify_log_fn log, void *arg)
{
	memset(n, 0, sizeof(*n));
	n->conf = *c;
	n->nats = nats;
	n->view = view;
	n->journal = journal;
	n->log = log;
	n->log_arg = arg;
	zbackend_global_init();
}

/* --- events --- */

static void
zn_emit(struct znotify *n, enum znotify_ev ev, const struct zn_job *j,
    const char *target, const char *err)
{
	struct znotify_event	e;

	if (n->log == NULL)
		return;
	memset(&e, 0, sizeof(e));
	e.ev = ev;
	if (j != NULL) {
		e.zone_id = j->id;
		e.zone = j->name;
		e.action = j->action;
		e.pool_id = j->pool_id;
		e.serial = j->serial;
		e.attempts = j->attempt + 1;
		e.ms = zn_now() - j->started;
	}
	e.target = target;
	e.err = err;
	n->log(&e, n->log_arg);
}

/* --- consumer --- */

int
znotify_bind(struct znotify *n)
{
	jsConsumerConfig	 cc;
	jsConsumerInfo		*ci = NULL;
	jsSubOptions		 so;
	jsErrCode		 jerr = 0;
	natsStatus		 s;
	int			 i;

	s = js_GetConsumerInfo(&ci, n->nats->js, ZJ_STREAM, ZNOTIFY_CONSUMER,
	    NULL, &jerr);
	if (s == NATS_NOT_FOUND) {
		/*
		 * First start: every zone's latest state once (the PENDING
		 * ones are jobs, the rest are acked at once), then new
		 * changes.  Never the whole history.
		 */
		jsConsumerConfig_Init(&cc);
		cc.Durable = ZNOTIFY_CONSUMER;
		cc.FilterSubject = ZNOTIFY_FILTER;
		cc.AckPolicy = js_AckExplicit;
		cc.AckWait = (int64_t)n->conf.ack_wait_ms * 1000000LL;
		cc.DeliverPolicy = js_DeliverLastPerSubject;
		cc.MaxAckPending = 65536;
		cc.MaxWaiting = 4096;
		s = js_AddConsumer(&ci, n->nats->js, ZJ_STREAM, &cc, NULL,
		    &jerr);
		if (s != NATS_OK && jerr == 10148)
			s = NATS_OK;	/* made by another copy */
	}
	jsConsumerInfo_Destroy(ci);
	if (s != NATS_OK)
		return znats_err(s);
	for (i = 0; i < n->conf.workers; i++) {
		jsSubOptions_Init(&so);
		so.Stream = ZJ_STREAM;
		so.Consumer = ZNOTIFY_CONSUMER;
		so.ManualAck = true;
		s = js_PullSubscribe(&n->subs[i], n->nats->js, ZNOTIFY_FILTER,
		    ZNOTIFY_CONSUMER, NULL, &so, &jerr);
		if (s != NATS_OK)
			return znats_err(s);
	}
	return 0;
}

/* The stream sequence of the newest message on this zone's subject. */
static int
zn_last_seq(struct znotify *n, const char *zone_id, uint64_t *seq)
{
	natsMsg		*m = NULL;
	natsStatus	 s;
	const char	*v = NULL;
	char		 req[128];
	int		 len, rc = 0;

	len = snprintf(req, sizeof(req),
	    "{\"last_by_subj\":\"zone.journal.zone.%s\"}", zone_id);
	if (len < 0 || len >= (int)sizeof(req))
		return -ENAMETOOLONG;
	s = natsConnection_Request(&m, n->nats->nc,
	    "$JS.API.DIRECT.GET." ZJ_STREAM, req, len, 2000);
	if (s != NATS_OK)
		return znats_err(s);
	if (natsMsgHeader_Get(m, "Nats-Sequence", &v) == NATS_OK)
		*seq = strtoull(v, NULL, 10);
	else
		rc = ZE_NOTFOUND;
	natsMsg_Destroy(m);
	return rc;
}

/* 1 when a newer message for this zone is in the journal. */
static int
zn_superseded(struct znotify *n, const struct zn_job *j)
{
	uint64_t	last = 0;

	if (zn_last_seq(n, j->id, &last) < 0)
		return 0;		/* cannot tell: do the work */
	return last > j->seq;
}

static int
zn_pool(struct znotify *n, const char *id, json_t **pool)
{
	MDB_txn	*txn;
	int	 rc;

	if ((rc = zview_rbegin(n->view, &txn)) < 0)
		return rc;
	rc = zview_pool(n->view, txn, id, pool);
	zview_rend(txn);
	return rc;
}

static void
zn_job_free(struct zn_job *j)
{
	if (j == NULL)
		return;
	if (j->msg != NULL)
		natsMsg_Destroy(j->msg);
	json_decref(j->zone);
	json_decref(j->pool);
	free(j);
}

static void
zn_ack(struct zn_job *j)
{
	natsMsg_Ack(j->msg, NULL);
}

/*
 * Take one fetched message: ack what is not a job, return the job
 * otherwise.  Takes ownership of msg.
 */
static struct zn_job *
zn_admit(struct znotify *n, natsMsg *msg)
{
	struct zn_job	*j;
	jsMsgMetaData	*meta = NULL;
	json_t		*zone = NULL, *pool = NULL;
	int		 rc;

	rc = znotify_parse(natsMsg_GetData(msg),
	    (size_t)natsMsg_GetDataLength(msg), &zone);
	if (rc == ZE_BADMSG) {
		struct znotify_event e = { .ev = ZN_EV_BADMSG,
		    .zone_id = natsMsg_GetSubject(msg),
		    .err = "malformed journal message" };

		if (n->log != NULL)
			n->log(&e, n->log_arg);
	}
	if (rc <= 0) {
		zn_count(&n->nskipped);
		natsMsg_Ack(msg, NULL);
		natsMsg_Destroy(msg);
		return NULL;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		json_decref(zone);
		natsMsg_Nak(msg, NULL);
		natsMsg_Destroy(msg);
		return NULL;
	}
	j->msg = msg;
	j->zone = zone;
	j->id = zn_str(zone, "id");
	j->name = zn_str(zone, "name");
	j->action = zn_str(zone, "action");
	j->pool_id = zn_str(zone, "pool_id");
	j->serial = (uint32_t)json_integer_value(json_object_get(zone,
	    "serial"));
	j->started = j->touched = zn_now();
	if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
		j->seq = meta->Sequence.Stream;
		jsMsgMetaData_Destroy(meta);
	}
	if (j->seq != 0 && zn_superseded(n, j)) {
		zn_count(&n->nskipped);
		zn_emit(n, ZN_EV_SKIPPED, j, NULL, "superseded");
		goto ack;
	}
	rc = zn_pool(n, j->pool_id, &pool);
	if (rc == ZE_NOTFOUND && n->journal != NULL &&
	    zjournal_sync(n->journal, 2000) == 0)
		rc = zn_pool(n, j->pool_id, &pool);
	if (rc < 0) {
		zn_count(&n->nskipped);
		zn_emit(n, ZN_EV_NOPOOL, j, NULL, zerr_str(rc));
		goto ack;
	}
	j->pool = pool;
	if (znotify_plan(zone, pool, &j->plan) < 0) {
		zn_count(&n->nskipped);
		zn_emit(n, ZN_EV_NOPOOL, j, NULL, "pool has no targets");
		goto ack;
	}
	zn_count(&n->njobs);
	j->deadline = j->started + (int64_t)n->conf.max_retry_s * 1000;
	j->master_deadline = j->started + ZN_MASTER_WAIT_MS;
	j->state = j->plan.has_master ? J_MASTER : J_PUSH;
	j->due = j->started;
	return j;
ack:
	zn_ack(j);
	zn_job_free(j);
	return NULL;
}

/* --- the rounds --- */

static void
zn_fill(struct zdns_query *q, const struct znotify_dest *d, int notify)
{
	memset(q, 0, sizeof(*q));
	q->host = d->host;
	q->port = d->port;
	q->zone = d->zone;
	q->tsig = d->tsig;
	q->notify = notify;
}

static void
zn_round_master(struct zn_worker *w, int64_t now)
{
	struct zdns_query	 qs[ZNOTIFY_BATCH];
	struct zn_job		*idx[ZNOTIFY_BATCH];
	struct zn_job		*j;
	size_t			 n = 0, i;
	int			 k;

	for (k = 0; k < w->njobs; k++) {
		j = w->jobs[k];
		if (j->state == J_MASTER && j->due <= now) {
			zn_fill(&qs[n], &j->plan.master, 0);
			idx[n++] = j;
		}
	}
	if (n == 0)
		return;
	zdns_exchange(qs, n, w->n->conf.poll_timeout_ms < ZN_MASTER_WAIT_MS ?
	    w->n->conf.poll_timeout_ms : ZN_MASTER_WAIT_MS);
	now = zn_now();
	for (i = 0; i < n; i++) {
		j = idx[i];
		/* the master serves the serial, or for a delete no longer
		 * serves the zone (so its catalog has dropped it) */
		if (znotify_positive(j->plan.del, qs[i].state, qs[i].serial,
		    j->serial) || now >= j->master_deadline) {
			j->state = J_PUSH;
			j->due = now;
		} else {
			/* zone-xfr is a moment behind: ask again soon */
			j->due = now + (j->master_tries < 5 ?
			    (1 << j->master_tries) : ZN_MASTER_RETRY_MS);
			j->master_tries++;
		}
	}
}

static void
zn_target_name(const struct zn_job *j, size_t t, char *buf, size_t len)
{
	const json_t	*opts;
	const char	*host;

	opts = json_object_get(j->plan.targets[t], "options");
	host = zn_str(opts, "host");
	snprintf(buf, len, "%s %s:%d", zn_str(j->plan.targets[t], "type"),
	    host != NULL ? host : "-",
	    zn_port(json_object_get(opts, "port"), 53));
}

/* Does this round call target t's backend for job j? */
static int
zn_needs_call(const struct zn_job *j, size_t t)
{
	int	update;

	update = !j->plan.del && strcmp(j->action, "CREATE") != 0;
	/* an update normally needs nothing; when the servers still lack
	 * it after a few rounds (~70 ms), make sure the zone is there at
	 * all (the first rounds only wait for the transfer) */
	return !j->done[t] &&
	    zbackend_per_zone(zn_str(j->plan.targets[t], "type")) &&
	    !(update && j->attempt < 3);
}

struct zn_call {
	struct zn_job	*j;
	size_t		 t;
	int		 taken;
};

static int
zn_same_target(const struct zn_call *a, const struct zn_call *b)
{
	json_t	*x, *y;

	x = (json_t *)(uintptr_t)a->j->plan.targets[a->t];
	y = (json_t *)(uintptr_t)b->j->plan.targets[b->t];
	return json_equal(x, y);
}

/*
 * The backend calls of a round, for all its jobs: calls to equal targets
 * with the same operation go together (one Knot transaction for all).
 * The NOTIFYs go out afterwards.
 */
static void
zn_push_backends(struct znotify *n, struct zn_job **jobs, int njobs)
{
	struct zn_call	*calls;
	const char	**zones;
	struct zn_job	*j;
	size_t		 nc = 0, a, b, ng, *grp, t;
	char		 err[512], tname[192];
	int		 k, *rcs;

	calls = calloc((size_t)njobs * ZNOTIFY_MAXT, sizeof(*calls));
	zones = calloc((size_t)njobs * ZNOTIFY_MAXT, sizeof(*zones));
	grp = calloc((size_t)njobs * ZNOTIFY_MAXT, sizeof(*grp));
	rcs = calloc((size_t)njobs * ZNOTIFY_MAXT, sizeof(*rcs));
	if (calls == NULL || zones == NULL || grp == NULL || rcs == NULL)
		goto out;
	for (k = 0; k < njobs; k++) {
		jobs[k]->failed = 0;
		for (t = 0; t < jobs[k]->plan.ntargets; t++)
			if (zn_needs_call(jobs[k], t)) {
				calls[nc].j = jobs[k];
				calls[nc++].t = t;
			}
	}
	for (a = 0; a < nc; a++) {
		if (calls[a].taken)
			continue;
		ng = 0;
		for (b = a; b < nc; b++) {
			if (calls[b].taken || calls[b].j->plan.del !=
			    calls[a].j->plan.del || (b != a &&
			    !zn_same_target(&calls[a], &calls[b])))
				continue;
			calls[b].taken = 1;
			zones[ng] = calls[b].j->name;
			grp[ng++] = b;
		}
		err[0] = '\0';
		zbackend_apply_many(calls[a].j->plan.targets[calls[a].t],
		    calls[a].j->plan.del ? ZB_DELETE : ZB_CREATE, zones, ng,
		    rcs, err, sizeof(err));
		for (b = 0; b < ng; b++) {
			j = calls[grp[b]].j;
			t = calls[grp[b]].t;
			if (rcs[b] == 0) {
				j->done[t] = 1;
				continue;
			}
			j->failed = 1;
			zn_target_name(j, t, tname, sizeof(tname));
			strlcpy(j->err, err, sizeof(j->err));
			strlcpy(j->errtarget, tname, sizeof(j->errtarget));
			if (!j->warned[t]) {
				j->warned[t] = 1;
				zn_emit(n, ZN_EV_TARGET, j, tname, err);
			}
		}
	}
out:
	free(calls);
	free(zones);
	free(grp);
	free(rcs);
}

/* One NOTIFY per server and zone in a round (the catalog zone is shared
 * by every job of the pool). */
static int
zn_seen(const struct zdns_query *qs, size_t n, const struct znotify_dest *d)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (qs[i].port == d->port && strcmp(qs[i].host, d->host) == 0 &&
		    strcasecmp(qs[i].zone, d->zone) == 0)
			return 1;
	return 0;
}

static void
zn_round_push(struct zn_worker *w, int64_t now)
{
	struct zdns_query	*qs = NULL;
	struct zn_job		*pushed[ZNOTIFY_BATCH], *j;
	size_t			 n = 0, i;
	int			 k, np = 0;

	for (k = 0; k < w->njobs; k++) {
		j = w->jobs[k];
		if (j->state != J_PUSH || j->due > now)
			continue;
		pushed[np++] = j;
		n += j->plan.nnotify;
	}
	if (np == 0)
		return;
	zn_push_backends(w->n, pushed, np);
	if (n > 0 && (qs = calloc(n, sizeof(*qs))) != NULL) {
		n = 0;
		for (k = 0; k < np; k++)
			for (i = 0; i < pushed[k]->plan.nnotify; i++)
				if (!zn_seen(qs, n, &pushed[k]->plan.notify[i])) {
					zn_fill(&qs[n], &pushed[k]->plan.notify[i],
					    1);
					if (!pushed[k]->plan.del &&
					    strcasecmp(qs[n].zone,
					    pushed[k]->name) == 0)
						qs[n].serial_hint =
						    pushed[k]->serial;
					n++;
				}
		zdns_exchange(qs, n, w->n->conf.poll_timeout_ms <
		    ZN_NOTIFY_WAIT_MS ? w->n->conf.poll_timeout_ms :
		    ZN_NOTIFY_WAIT_MS);
		free(qs);
	}
	now = zn_now();
	for (k = 0; k < np; k++) {
		j = pushed[k];
		j->state = J_POLL;
		j->due = now + (j->attempt == 0 ? w->n->conf.poll_delay_ms : 0);
	}
}

/* Judge one job's poll answers: set the report or schedule a retry. */
static void
zn_judge(struct zn_worker *w, struct zn_job *j, const struct zdns_query *qs,
    int64_t now)
{
	struct znotify	*n = w->n;
	size_t		 i;
	int		 pos = 0, bad = -1;

	for (i = 0; i < j->plan.npoll; i++) {
		if (znotify_positive(j->plan.del, qs[i].state, qs[i].serial,
		    j->serial))
			pos++;
		else if (bad < 0)
			bad = (int)i;
	}
	if (znotify_threshold_met(pos, (int)j->plan.npoll, n->conf.threshold)) {
		j->report = "ACTIVE";
		j->state = J_REPORT;
		j->due = now;
		return;
	}
	if (now >= j->deadline) {
		if (!j->failed && bad >= 0) {
			const struct znotify_dest *d = &j->plan.poll[bad];

			snprintf(j->errtarget, sizeof(j->errtarget), "%s:%d",
			    d->host, d->port);
			if (qs[bad].state == ZDNS_SERIAL)
				snprintf(j->err, sizeof(j->err),
				    "%d of %zu nameservers have serial %u; "
				    "this one has %u", pos, j->plan.npoll,
				    j->serial, qs[bad].serial);
			else
				snprintf(j->err, sizeof(j->err),
				    "%d of %zu nameservers %s; this one: %s",
				    pos, j->plan.npoll, j->plan.del ?
				    "dropped the zone" : "have the serial",
				    zdns_state_str(qs[bad].state));
		}
		j->report = "ERROR";
		j->state = J_REPORT;
		j->due = now;
		return;
	}
	/* a newer change makes this one moot */
	if (zn_superseded(n, j)) {
		zn_count(&n->nskipped);
		zn_emit(n, ZN_EV_SKIPPED, j, NULL, "superseded");
		j->report = NULL;
		j->state = J_REPORT;
		j->due = now;
		return;
	}
	zn_count(&n->nretries);
	j->due = now + znotify_backoff(&n->conf, j->attempt);
	j->attempt++;
	j->state = J_PUSH;
}

static void
zn_round_poll(struct zn_worker *w, int64_t now)
{
	struct zdns_query	*qs;
	struct zn_job		*j;
	size_t			 n = 0, i, off;
	int			 k;

	for (k = 0; k < w->njobs; k++) {
		j = w->jobs[k];
		if (j->state == J_POLL && j->due <= now)
			n += j->plan.npoll;
	}
	if (n == 0) {
		/* jobs with nothing to poll are done */
		for (k = 0; k < w->njobs; k++) {
			j = w->jobs[k];
			if (j->state == J_POLL && j->due <= now)
				zn_judge(w, j, NULL, now);
		}
		return;
	}
	if ((qs = calloc(n, sizeof(*qs))) == NULL)
		return;
	n = 0;
	for (k = 0; k < w->njobs; k++) {
		j = w->jobs[k];
		if (j->state != J_POLL || j->due > now)
			continue;
		for (i = 0; i < j->plan.npoll; i++)
			zn_fill(&qs[n++], &j->plan.poll[i], 0);
	}
	zdns_exchange(qs, n, w->n->conf.poll_timeout_ms);
	off = 0;
	for (k = 0; k < w->njobs; k++) {
		j = w->jobs[k];
		if (j->state != J_POLL || j->due > now)
			continue;
		zn_judge(w, j, qs + off, zn_now());
		off += j->plan.npoll;
	}
	free(qs);
}

/* Tell central; 1 when the job is finished (acked). */
static int
zn_report(struct znotify *n, struct zn_job *j)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*ctx, *params, *res = NULL;
	int		 rc;

	if (j->report == NULL) {	/* superseded */
		zn_ack(j);
		return 1;
	}
	ctx = json_pack("{s:s,s:[s],s:b}", "project_id", "", "roles", "admin",
	    "all_projects", 1);
	params = json_pack("{s:s,s:s,s:I,s:s}", "zone_id", j->id, "status",
	    j->report, "serial", (json_int_t)j->serial, "action", j->action);
	rc = zrpc_call(n->nats, ZRPC_CENTRAL, "zone.set_status", params, ctx,
	    ZN_RPC_TIMEOUT_MS, &res, &f);
	json_decref(ctx);
	json_decref(params);
	json_decref(res);
	if (rc < 0 && f.status >= 500) {
		/* central unreachable: try again, the job is still ours */
		zn_emit(n, ZN_EV_REPORT, j, NULL, f.message[0] != '\0' ?
		    f.message : zerr_str(rc));
		zfault_release(&f);
		j->due = zn_now() + znotify_backoff(&n->conf, j->attempt);
		return 0;
	}
	if (rc < 0)		/* the zone is gone, or a refusal: drop it */
		zn_emit(n, ZN_EV_REPORT, j, NULL, f.message[0] != '\0' ?
		    f.message : zerr_str(rc));
	else if (strcmp(j->report, "ACTIVE") == 0) {
		zn_count(&n->nactive);
		zn_emit(n, ZN_EV_ACTIVE, j, NULL, NULL);
	} else {
		zn_count(&n->nerror);
		zn_emit(n, ZN_EV_ERROR, j, j->errtarget[0] != '\0' ?
		    j->errtarget : NULL, j->err[0] != '\0' ? j->err :
		    "threshold not reached");
	}
	zfault_release(&f);
	zn_ack(j);
	return 1;
}

static void
zn_round_report(struct zn_worker *w, int64_t now)
{
	struct zn_job	*j;
	int		 k;

	for (k = 0; k < w->njobs; k++) {
		j = w->jobs[k];
		if (j->state != J_REPORT || j->due > now)
			continue;
		if (zn_report(w->n, j)) {
			zn_job_free(j);
			w->jobs[k] = w->jobs[--w->njobs];
			k--;
		}
	}
}

/* Keep held messages from being redelivered while they wait. */
static void
zn_touch(struct zn_worker *w, int64_t now)
{
	struct zn_job	*j;
	int		 k;

	for (k = 0; k < w->njobs; k++) {
		j = w->jobs[k];
		if (now - j->touched >= w->n->conf.ack_wait_ms / 3) {
			natsMsg_InProgress(j->msg, NULL);
			j->touched = now;
		}
	}
}

static int64_t
zn_next_due(const struct zn_worker *w)
{
	int64_t	due = INT64_MAX;
	int	k;

	for (k = 0; k < w->njobs; k++)
		if (w->jobs[k]->due < due)
			due = w->jobs[k]->due;
	return due;
}

static void
zn_fetch(struct zn_worker *w, int64_t wait)
{
	natsMsgList	 list = { NULL, 0 };
	struct zn_job	*j;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	int		 i, room = ZNOTIFY_BATCH - w->njobs;

	if (room <= 0) {
		struct timespec ts = { 0, (long)(wait > 0 ? wait : 1) *
		    1000000L };

		nanosleep(&ts, NULL);
		return;
	}
	if (wait < 1)
		wait = 1;
	s = natsSubscription_Fetch(&list, w->sub, room, wait, &jerr);
	if (s != NATS_OK && s != NATS_TIMEOUT) {
		/* NATS down or reconnecting: do not spin */
		struct timespec ts = { 0, 100 * 1000000L };

		nanosleep(&ts, NULL);
	}
	for (i = 0; i < list.Count; i++) {
		if (__atomic_load_n(&w->n->stopping, __ATOMIC_RELAXED)) {
			natsMsg_Nak(list.Msgs[i], NULL);
			natsMsg_Destroy(list.Msgs[i]);
			list.Msgs[i] = NULL;
			continue;
		}
		j = zn_admit(w->n, list.Msgs[i]);
		list.Msgs[i] = NULL;		/* owned by the job now */
		if (j != NULL)
			w->jobs[w->njobs++] = j;
	}
	natsMsgList_Destroy(&list);
}

static void *
zn_worker(void *arg)
{
	struct zn_worker	*w = arg;
	int64_t			 now, due;
	int			 k;

	while (!__atomic_load_n(&w->n->stopping, __ATOMIC_RELAXED)) {
		now = zn_now();
		due = zn_next_due(w);
		if (w->njobs == 0)
			zn_fetch(w, ZN_FETCH_WAIT_MS);
		else if (due > now)
			zn_fetch(w, due - now < ZN_FETCH_WAIT_MS ? due - now :
			    ZN_FETCH_WAIT_MS);
		now = zn_now();
		zn_round_master(w, now);
		zn_round_push(w, zn_now());
		zn_round_poll(w, zn_now());
		zn_round_report(w, zn_now());
		zn_touch(w, zn_now());
	}
	/* stopping: hand back what is not finished */
	for (k = 0; k < w->njobs; k++) {
		natsMsg_Nak(w->jobs[k]->msg, NULL);
		zn_job_free(w->jobs[k]);
	}
	w->njobs = 0;
	free(w);
	return NULL;
}

int
znotify_start(struct znotify *n)
{
	struct zn_worker	*w;
	int			 i;

	for (i = 0; i < n->conf.workers; i++) {
		if ((w = calloc(1, sizeof(*w))) == NULL)
			return -ENOMEM;
		w->n = n;
		w->sub = n->subs[i];
		if (pthread_create(&n->threads[i], NULL, zn_worker, w) != 0) {
			free(w);
			return -EAGAIN;
		}
		n->nthreads++;
	}
	return 0;
}

void
znotify_stop(struct znotify *n)
{
	int	i;

	__atomic_store_n(&n->stopping, 1, __ATOMIC_RELAXED);
	for (i = 0; i < n->nthreads; i++)
		pthread_join(n->threads[i], NULL);
	n->nthreads = 0;
}

void
znotify_release(struct znotify *n)
{
	int	i;

	for (i = 0; i < ZNOTIFY_MAXWORKERS; i++)
		if (n->subs[i] != NULL) {
			natsSubscription_Destroy(n->subs[i]);
			n->subs[i] = NULL;
		}
}
