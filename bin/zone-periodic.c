/*
 * zone-periodic: the periodic work over the zones (recovery, purge,
 * delayed NOTIFY, exists events), split among its copies by shard.
 * Each copy beats its key in the KV bucket zone_members; the live
 * members share the 4096 shards (zkv.h) and each copy asks zone-central
 * to do a task for its slice only.  Exists events carry a message id
 * per (zone, period), so the events stream keeps one per period even
 * when two copies overlap during a rebalance.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "zcfg.h"
#include "zdaemon.h"
#include "zerr.h"
#include "zhealth.h"
#include "zevents.h"
#include "zkv.h"
#include "zlog.h"
#include "znats.h"
#include "zready.h"
#include "zrpc.h"
#include "zsig.h"
#include "zuuid.h"

#define USAGE	"zone-periodic [-nv] [-d fd] [-f file]"
#define TICK_MS		250
#define LIST_MS		1000	/* member list re-read */
#define SETTLE_MS	2000	/* first run of a task after start */
#define RETRY_MS	5000	/* a failed task runs again after this at most */
#define MAXPAGES	1000	/* per run; the rest waits for the next run */

enum { T_RECOVERY, T_PURGE, T_DELAYED, T_EXISTS, NTASKS };

struct task {
	const char	*name;		/* word of periodic.tasks */
	const char	*key;		/* its interval key */
	const char	*method;	/* central's method */
	const char	*count;		/* result key: work done */
	int		 enabled;
	int64_t		 interval_s;
	int64_t		 next_ms;
	int		 failing;
	unsigned long	 runs, work, fails;
};

static struct task tasks[NTASKS] = {
	{ "recovery", "recovery_interval_s", "periodic.recover", "recovered",
	    0, 0, 0, 0, 0, 0, 0 },
	{ "purge", "purge_interval_s", "periodic.purge", "purged",
	    0, 0, 0, 0, 0, 0, 0 },
	{ "delayed_notify", "delayed_notify_interval_s",
	    "periodic.delayed_notify", "notified", 0, 0, 0, 0, 0, 0, 0 },
	{ "exists", "exists_interval_s", "periodic.exists", NULL,
	    0, 0, 0, 0, 0, 0, 0 },
};

static struct {
	struct zcfg		 cfg;
	struct znats		 nats;
	struct zkv_member	 mem;
	char			 pub[300];	/* publisher id */
	int64_t			 per_page, pending_s, retention_s;
	int64_t			 next_list_ms;
	int			 working, first, last, n;
	unsigned long		 gen;		/* bumped when the slice changes */
	int			 beat_bad, list_bad;
	struct zkv_periods	 ex;		/* exists: shards done */
} st = { .cfg = ZCFG_INIT, .nats = ZNATS_INIT };

/* Check the [periodic] keys of `cfg' and load them into the tables. */
static int
settings(const struct zcfg *cfg, int apply, char *err, size_t len)
{
	char		 words[256], *w, *save = NULL;
	int		 on[NTASKS] = { 0 }, i;
	int64_t		 iv[NTASKS];

	for (i = 0; i < NTASKS; i++)
		if ((iv[i] = zcfg_int(cfg, "periodic", tasks[i].key)) < 1)
			return snprintf(err, len, "periodic.%s must be >= 1",
			    tasks[i].key), -1;
	if (zcfg_int(cfg, "periodic", "per_page") < 1 ||
	    zcfg_int(cfg, "periodic", "per_page") > 1000)
		return snprintf(err, len, "periodic.per_page must be 1..1000"),
		    -1;
	if (zcfg_int(cfg, "periodic", "member_ttl_s") < 2)
		return snprintf(err, len, "periodic.member_ttl_s must be >= 2"),
		    -1;
	if (zcfg_int(cfg, "periodic", "purge_retention_s") < 0 ||
	    zcfg_int(cfg, "periodic", "recovery_pending_s") < 0)
		return snprintf(err, len, "periodic retention and pending "
		    "times must be >= 0"), -1;
	strlcpy(words, zcfg_get(cfg, "periodic", "tasks"), sizeof(words));
	for (w = strtok_r(words, " ,", &save); w != NULL;
	    w = strtok_r(NULL, " ,", &save)) {
		for (i = 0; i < NTASKS && strcmp(w, tasks[i].name) != 0; i++)
			;
		if (i == NTASKS)
			return snprintf(err, len, "periodic.tasks: unknown "
			    "task %s", w), -1;
		on[i] = 1;
	}
	if (!apply)
		return 0;
	for (i = 0; i < NTASKS; i++) {
		tasks[i].enabled = on[i];
		tasks[i].interval_s = iv[i];
	}
	st.per_page = zcfg_int(cfg, "periodic", "per_page");
	st.pending_s = zcfg_int(cfg, "periodic", "recovery_pending_s");
	st.retention_s = zcfg_int(cfg, "periodic", "purge_retention_s");
	return 0;
}

static void
fmt_int(char *buf, size_t len, long long v)
{
	snprintf(buf, len, "%lld", v);
}

/* Beat and read the member list when due; recompute the slice. */
static void
housekeep(void)
{
	int64_t	now = zkv_now_ms(), ok;
	int	rc, i, n, f = -1, l = -1, w;
	char	a[16], b[16], c[16];

	ok = st.mem.ok_ms;
	rc = zkv_member_tick(&st.mem, now);
	if (rc < 0 && !st.beat_bad) {
		zlog(ZLOG_WARN, "member.beat_failed", "member", st.mem.key,
		    "err", zerr_str(rc), NULL);
		st.beat_bad = 1;
	} else if (st.mem.ok_ms != ok && st.beat_bad) {
		zlog(ZLOG_INFO, "member.beat_ok", "member", st.mem.key, NULL);
		st.beat_bad = 0;
	}
	if (now >= st.next_list_ms) {
		st.next_list_ms = now + LIST_MS;
		rc = zkv_member_list(&st.mem);
		if (rc < 0 && !st.list_bad)
			zlog(ZLOG_WARN, "member.list_failed", "err",
			    zerr_str(rc), NULL);
		st.list_bad = rc < 0;
	}
	zkv_member_index(&st.mem, &i, &n);
	w = zkv_member_alive(&st.mem, zkv_now_ms()) &&
	    zkv_shards(n, i, &f, &l) == 0;
	if (!w)
		f = l = -1;
	if (w == st.working && f == st.first && l == st.last && n == st.n)
		return;
	st.working = w;
	st.first = f;
	st.last = l;
	st.n = n;
	st.gen++;
	fmt_int(a, sizeof(a), f);
	fmt_int(b, sizeof(b), l);
	fmt_int(c, sizeof(c), n);
	zlog(ZLOG_INFO, "shards.changed", "first", w ? a : "none", "last",
	    w ? b : "none", "members", c, "member", st.mem.key, NULL);
}

static json_t *
rpc_ctx(void)
{
	char	id[ZUUID_LEN + 1], rid[ZUUID_LEN + 8];

	zuuid_new(id);
	snprintf(rid, sizeof(rid), "req-%s", id);
	return json_pack("{s:s,s:[s],s:b,s:s}", "project_id", "zone-periodic",
	    "roles", "admin", "all_projects", 1, "request_id", rid);
}

/*
 * Time for one call: [nats] timeout_ms, but never past the moment our
 * membership may expire (the others own our shards from then on); 0
 * when it may have already.  Central drops a request past its deadline.
 */
static int
budget_ms(void)
{
	int64_t	left = st.mem.ok_ms + st.mem.ttl_ms - zkv_now_ms();
	int64_t	t = zcfg_int(&st.cfg, "nats", "timeout_ms");

	if (left < t)
		t = left;
	return t < 1 ? 0 : (int)t;
}

/* One call of a task's method; *res is a new reference. */
static int
call(struct task *t, json_t *params, json_t **res)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*ctx = rpc_ctx();
	int		 rc, ms = budget_ms();

	*res = NULL;
	if (ms == 0)
		rc = zfault_set(&f, 503, "not_member", "membership lapsed");
	else
		rc = zrpc_call(&st.nats, ZRPC_CENTRAL, t->method, params, ctx,
		    ms, res, &f);
	if (rc < 0 && !t->failing) {
		char	code[16];

		fmt_int(code, sizeof(code), f.status);
		zlog(ZLOG_WARN, "task.failed", "task", t->name, "method",
		    t->method, "status", code, "type", f.type, "err",
		    f.message, NULL);
		t->failing = 1;
	}
	if (rc < 0)
		t->fails++;
	json_decref(ctx);
	zfault_release(&f);
	return rc;
}

/* A run of `t' went through: say so once after failures. */
static void
task_ok(struct task *t)
{
	if (t->failing)
		zlog(ZLOG_INFO, "task.ok", "task", t->name, NULL);
	t->failing = 0;
}

/* period < 0: not the exists task (no period, no dup count). */
static void
log_done(const struct task *t, long long n, int a, int b, int64_t period,
    long long dups)
{
	char	sn[24], sa[16], sb[16], sp[24], sd[24];

	fmt_int(sn, sizeof(sn), n);
	fmt_int(sa, sizeof(sa), a);
	fmt_int(sb, sizeof(sb), b);
	fmt_int(sp, sizeof(sp), period);
	fmt_int(sd, sizeof(sd), dups);
	zlog(ZLOG_INFO, "task.done", "task", t->name, "n", sn, "first", sa,
	    "last", sb, period >= 0 ? "period" : NULL, sp, "dup", sd, NULL);
}

/* recovery, purge, delayed_notify: call while "more", over my slice. */
static int
run_counted(struct task *t)
{
	json_t		*params, *res = NULL;
	unsigned long	 gen = st.gen;
	long long	 n = 0, total = 0;
	int		 a = st.first, b = st.last, more = 0, pages = 0, rc = 0;

	do {
		params = json_pack("{s:i,s:i,s:I}", "shard_first", a,
		    "shard_last", b, "limit", (json_int_t)st.per_page);
		if (t == &tasks[T_RECOVERY])
			json_object_set_new(params, "pending_s",
			    json_integer(st.pending_s));
		else if (t == &tasks[T_PURGE])
			json_object_set_new(params, "older_than_s",
			    json_integer(st.retention_s));
		rc = call(t, params, &res);
		json_decref(params);
		if (rc < 0)
			break;
		n = json_integer_value(json_object_get(res, t->count));
		more = json_is_true(json_object_get(res, "more"));
		json_decref(res);
		res = NULL;
		total += n;
		housekeep();
	} while (more && n > 0 && st.working && st.gen == gen &&
	    ++pages < MAXPAGES);
	t->work += (unsigned long)total;
	if (total > 0)
		log_done(t, total, a, b, -1, 0);
	if (rc == 0)
		task_ok(t);
	return rc < 0 ? rc : st.gen == gen ? 0 : ZE_CONFLICT;
}

static void
iso(char *buf, size_t len, time_t t)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Both exists events of one zone for the period ending at `p'; *dups
 * counts the zones whose events the stream had already. */
static int
exists_zone(const json_t *zone, int64_t p, int64_t iv, long long *dups)
{
	static const char	*types[] = { "dns.zone.exists",
				    "dns.domain.exists" };
	const char		*id = json_string_value(json_object_get(zone,
				    "id"));
	json_t			*pl, *ev;
	char			 beg[32], end[32], msgid[160];
	uint64_t		 seq;
	size_t			 i;
	int			 rc, fresh = 0;

	if (id == NULL)
		return ZE_BADMSG;
	iso(beg, sizeof(beg), (time_t)(p - iv));
	iso(end, sizeof(end), (time_t)p);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if ((pl = json_deep_copy(zone)) == NULL)
			return -ENOMEM;
		json_object_set_new(pl, "audit_period_beginning",
		    json_string(beg));
		json_object_set_new(pl, "audit_period_ending",
		    json_string(end));
		if ((ev = zevents_new(types[i], pl, st.pub)) == NULL)
			return -ENOMEM;
		snprintf(msgid, sizeof(msgid), "%s.%s.%lld", types[i], id,
		    (long long)p);
		if ((st.nats.timeout_ms = budget_ms()) == 0)
			rc = ZE_TIMEOUT;
		else
			rc = zevents_publish(&st.nats, ev, msgid, &seq);
		json_decref(ev);
		if (rc < 0)
			return rc;
		fresh |= seq != 0;
	}
	if (!fresh)
		(*dups)++;	/* another copy did it this period */
	return 0;
}

/* Every live zone of shards a..b, page by page. */
static int
exists_range(int a, int b, int64_t p, long long *n, long long *dups)
{
	struct task	*t = &tasks[T_EXISTS];
	json_t		*params, *res = NULL, *zones, *z, *marker;
	const char	*next;
	char		 last[ZUUID_LEN + 1] = "";
	unsigned long	 gen = st.gen;
	size_t		 i;
	int		 rc = 0;

	marker = json_null();
	do {
		params = json_pack("{s:i,s:i,s:O,s:I}", "shard_first", a,
		    "shard_last", b, "marker", marker, "limit",
		    (json_int_t)st.per_page);
		json_decref(marker);
		marker = NULL;
		rc = call(t, params, &res);
		json_decref(params);
		if (rc < 0)
			break;
		zones = json_object_get(res, "zones");
		json_array_foreach(zones, i, z) {
			if ((rc = exists_zone(z, p, t->interval_s, dups)) < 0)
				break;
			(*n)++;
		}
		next = json_string_value(json_object_get(res, "next"));
		if (rc == 0 && next != NULL && last[0] != '\0' &&
		    strcmp(next, last) == 0)
			rc = ZE_BADMSG;		/* the marker must move on */
		else if (rc == 0 && next != NULL) {
			strlcpy(last, next, sizeof(last));
			marker = json_string(next);
		}
		json_decref(res);
		res = NULL;
		housekeep();
		if (rc == 0 && (!st.working || st.gen != gen))
			rc = ZE_CONFLICT;	/* slice changed: start over */
	} while (rc == 0 && marker != NULL);
	json_decref(marker);
	if (rc < 0 && rc != ZE_CONFLICT && !t->failing) {
		zlog(ZLOG_WARN, "task.failed", "task", t->name, "err",
		    zerr_str(rc), NULL);
		t->failing = 1;
	}
	return rc;
}

/* Exists events of period `p' for the undone shards of first..last. */
static int
exists_do(uint8_t *done, int first, int last, int64_t p)
{
	struct task	*t = &tasks[T_EXISTS];
	long long	 n = 0, dups = 0;
	int		 a, b, lo = -1, hi = -1, rc = 0;

	while (st.working && zkv_todo(done, first, last, &a, &b) == 0) {
		rc = exists_range(a, b, p, &n, &dups);
		if (zlog_enabled(ZLOG_DEBUG)) {
			char	sa[16], sb[16], sp[24];

			fmt_int(sa, sizeof(sa), a);
			fmt_int(sb, sizeof(sb), b);
			fmt_int(sp, sizeof(sp), p);
			zlog(ZLOG_DEBUG, "exists.range", "first", sa, "last", sb,
			    "period", sp, "err", rc < 0 ? zerr_str(rc) : "",
			    NULL);
		}
		if (rc < 0)
			break;
		zkv_done_set(done, a, b);
		lo = lo < 0 ? a : lo;
		hi = b;
		t->runs++;
	}
	t->work += (unsigned long)n;
	if (lo >= 0)
		log_done(t, n, lo, hi, p, dups);
	return rc;
}

/*
 * Exists: once per wall-clock period for every shard of my slice, and
 * for shards gained during the period.  When an outage cut the last
 * period short (or a stall skipped it), what is left of it in my slice
 * is done late, with its own period in the events and message ids.
 */
static void
exists_tick(int64_t now_ms)
{
	struct task	*t = &tasks[T_EXISTS];
	int64_t		 iv = t->interval_s;
	int64_t		 p = zkv_period((int64_t)time(NULL), iv);
	int		 a, b, rc;

	zkv_periods_roll(&st.ex, p, iv, st.first, st.last);
	if (now_ms < t->next_ms)
		return;
	rc = exists_do(st.ex.done, st.first, st.last, p);
	if (rc == 0 && zkv_periods_prev(&st.ex, st.first, st.last, &a,
	    &b) == 0)
		rc = exists_do(st.ex.prev, a, b, p - iv);
	if (rc == 0)
		task_ok(t);
	else if (rc != ZE_CONFLICT)	/* a slice change: at once */
		t->next_ms = zkv_now_ms() + 1000;
}

static void
run_tasks(void)
{
	int64_t	now = zkv_now_ms(), retry;
	int	i, rc;

	for (i = 0; i < T_EXISTS && st.working; i++) {
		if (!tasks[i].enabled || now < tasks[i].next_ms)
			continue;
		tasks[i].runs++;
		rc = run_counted(&tasks[i]);
		retry = tasks[i].interval_s * 1000;
		if (rc == ZE_CONFLICT)
			retry = 0;
		else if (rc < 0 && retry > RETRY_MS)
			retry = RETRY_MS;
		tasks[i].next_ms = zkv_now_ms() + retry;
		now = zkv_now_ms();
	}
	if (tasks[T_EXISTS].enabled && st.working)
		exists_tick(now);
}

static void
reload(void)
{
	struct zcfg	nc = ZCFG_INIT;
	char		err[256];

	nc.path = st.cfg.path;
	nc.path_given = st.cfg.path_given;
	if (zcfg_load(&nc) < 0 || zcfg_check(&nc) < 0 ||
	    settings(&nc, 0, err, sizeof(err)) < 0) {
		zlog(ZLOG_WARN, "reload.failed", "err", nc.err[0] != '\0' ?
		    nc.err : err, NULL);
		zcfg_release(&nc);
		return;
	}
	settings(&nc, 1, err, sizeof(err));
	zlog_set_level(zcfg_log_level(&nc));
	if (zcfg_int(&nc, "periodic", "member_ttl_s") !=
	    zcfg_int(&st.cfg, "periodic", "member_ttl_s"))
		zlog(ZLOG_WARN, "reload.ignored", "key", "periodic.member_ttl_s",
		    NULL);
	zcfg_release(&st.cfg);
	st.cfg = nc;
	zlog(ZLOG_INFO, "reloaded", NULL);
}

static void
stats(void)
{
	char	v[NTASKS][24], f[24], m[16];
	int	i;

	for (i = 0; i < NTASKS; i++)
		fmt_int(v[i], sizeof(v[i]), (long long)tasks[i].work);
	fmt_int(f, sizeof(f), (long long)(tasks[0].fails + tasks[1].fails +
	    tasks[2].fails + tasks[3].fails));
	fmt_int(m, sizeof(m), st.n);
	zlog(ZLOG_INFO, "stats", "members", m, "recovered", v[T_RECOVERY],
	    "purged", v[T_PURGE], "notified", v[T_DELAYED], "exists",
	    v[T_EXISTS], "failures", f, NULL);
}

int
main(int argc, char *argv[])
{
	struct zdaemon	 dm;
	struct zhealth	 hb;
	sigset_t	 sigs;
	char		 host[256], err[256];
	int		 rc, sig, i;

	zlog_init("zone-periodic");
	zdaemon_flags(argc, argv, USAGE, &dm, &st.cfg);
	if (settings(&st.cfg, 1, err, sizeof(err)) < 0)
		zdie(EX_CONFIG, "config.invalid", "err", err, NULL);
	if (zdaemon_checked(&dm, &st.cfg))
		return EX_OK;
	if (tasks[T_EXISTS].enabled && zcfg_int(&st.cfg, "events",
	    "duplicate_window_s") < tasks[T_EXISTS].interval_s)
		zlog(ZLOG_WARN, "config.risky", "err", "events.duplicate_"
		    "window_s is shorter than periodic.exists_interval_s: a "
		    "rebalance may repeat exists events", NULL);
	if (gethostname(host, sizeof(host)) != 0)
		strlcpy(host, "localhost", sizeof(host));
	host[sizeof(host) - 1] = '\0';
	snprintf(st.pub, sizeof(st.pub), "periodic.%s", host);

	zsig_block(&sigs);
	if ((rc = znats_connect(&st.nats, &st.cfg, "zone-periodic")) < 0)
		zdie(rc == ZE_CONFIG ? EX_CONFIG : EX_UNAVAILABLE,
		    "nats.unavailable", "url", zcfg_get(&st.cfg, "nats", "url"),
		    "err", st.nats.err, NULL);
	if ((rc = zevents_ensure(&st.nats, &st.cfg)) < 0)
		zdie(EX_UNAVAILABLE, "events.unavailable", "err", zerr_str(rc),
		    NULL);
	if ((rc = zkv_member_join(&st.mem, &st.nats, &st.cfg, host)) < 0)
		zdie(EX_UNAVAILABLE, "member.join_failed", "err", zerr_str(rc),
		    NULL);
	if (st.mem.ttl_ms != zcfg_int(&st.cfg, "periodic", "member_ttl_s") *
	    1000) {
		snprintf(err, sizeof(err), "%lld",
		    (long long)(st.mem.ttl_ms / 1000));
		zlog(ZLOG_WARN, "config.ignored", "key", "periodic.member_ttl_s",
		    "bucket", ZKV_MEMBERS, "max_age_s", err, NULL);
	}
	for (i = 0; i < T_EXISTS; i++)
		tasks[i].next_ms = zkv_now_ms() + (tasks[i].interval_s * 1000 <
		    SETTLE_MS ? tasks[i].interval_s * 1000 : SETTLE_MS);
	zkv_periods_init(&st.ex);
	st.working = -1;
	housekeep();
	if ((rc = zhealth_start(&hb, &st.nats, &st.cfg, "zone-periodic")) < 0)
		zlog(ZLOG_WARN, "heartbeat.unavailable", "err", zerr_str(rc),
		    NULL);
	zready_done(dm.readyfd);
	zlog(ZLOG_INFO, "started", "member", st.mem.key, "tasks",
	    zcfg_get(&st.cfg, "periodic", "tasks"), NULL);

	for (;;) {
		sig = zsig_wait(&sigs, TICK_MS);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig == SIGHUP)
			reload();
		else if (sig == SIGUSR1)
			stats();
		housekeep();
		run_tasks();
	}
	if ((rc = zkv_member_leave(&st.mem)) < 0)
		zlog(ZLOG_WARN, "member.leave_failed", "err", zerr_str(rc),
		    NULL);
	zkv_member_close(&st.mem);
	zhealth_stop(&hb);
	znats_close(&st.nats);
	zcfg_release(&st.cfg);
	nats_Close();
	zlog(ZLOG_INFO, "stopped", "member", st.mem.key, NULL);
	return EX_OK;
}
