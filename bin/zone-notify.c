/*
 * zone-notify: makes every committed zone change live on the pool's DNS
 * servers (backend calls, NOTIFY, SOA polls) and reports ACTIVE or ERROR
 * to central.  The work comes from the journal through the durable pull
 * consumer "notify" (znotify.h); any number of copies share it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "zcfg.h"
#include "zdaemon.h"
#include "zerr.h"
#include "zhealth.h"
#include "zjournal.h"
#include "zlog.h"
#include "znats.h"
#include "znotify.h"
#include "zready.h"
#include "zsig.h"
#include "zview.h"

#define USAGE	"zone-notify [-nv] [-d fd] [-f file]"

static pthread_mutex_t	 pool_mu = PTHREAD_MUTEX_INITIALIZER;
static char		 pool_warned[64];

/* One log line per outcome; the library only reports. */
static void
on_event(const struct znotify_event *e, void *arg)
{
	char	serial[16], ms[24], att[16];
	int	once;

	(void)arg;
	snprintf(serial, sizeof(serial), "%u", e->serial);
	snprintf(ms, sizeof(ms), "%lld", (long long)e->ms);
	snprintf(att, sizeof(att), "%d", e->attempts);
	switch (e->ev) {
	case ZN_EV_ACTIVE:
		zlog(ZLOG_INFO, "zone.active", "zone", e->zone, "id",
		    e->zone_id, "action", e->action, "serial", serial,
		    "attempts", att, "ms", ms, NULL);
		break;
	case ZN_EV_ERROR:
		zlog(ZLOG_ERROR, "zone.error", "zone", e->zone, "id",
		    e->zone_id, "action", e->action, "serial", serial,
		    "target", e->target != NULL ? e->target : "-", "err",
		    e->err, "ms", ms, NULL);
		break;
	case ZN_EV_SKIPPED:
		zlog(ZLOG_DEBUG, "zone.skipped", "zone", e->zone, "id",
		    e->zone_id, "serial", serial, "why", e->err, NULL);
		break;
	case ZN_EV_NOPOOL:
		/* the zone stays PENDING: say so once per pool */
		pthread_mutex_lock(&pool_mu);
		once = strcmp(pool_warned, e->pool_id) != 0;
		if (once)
			strlcpy(pool_warned, e->pool_id, sizeof(pool_warned));
		pthread_mutex_unlock(&pool_mu);
		zlog(once ? ZLOG_WARN : ZLOG_DEBUG, "pool.missing", "zone",
		    e->zone, "id", e->zone_id, "pool", e->pool_id, "err",
		    e->err, NULL);
		break;
	case ZN_EV_TARGET:
		zlog(ZLOG_WARN, "target.failed", "zone", e->zone, "id",
		    e->zone_id, "action", e->action, "target", e->target,
		    "err", e->err, NULL);
		break;
	case ZN_EV_REPORT:
		zlog(ZLOG_WARN, "report.failed", "zone", e->zone, "id",
		    e->zone_id, "err", e->err, NULL);
		break;
	case ZN_EV_BADMSG:
		zlog(ZLOG_WARN, "msg.bad", "subject", e->zone_id, "err",
		    e->err, NULL);
		break;
	}
}

static void
stats(const struct znotify *n)
{
	char	v[5][24];

	snprintf(v[0], sizeof(v[0]), "%llu", (unsigned long long)
	    __atomic_load_n(&n->njobs, __ATOMIC_RELAXED));
	snprintf(v[1], sizeof(v[1]), "%llu", (unsigned long long)
	    __atomic_load_n(&n->nskipped, __ATOMIC_RELAXED));
	snprintf(v[2], sizeof(v[2]), "%llu", (unsigned long long)
	    __atomic_load_n(&n->nactive, __ATOMIC_RELAXED));
	snprintf(v[3], sizeof(v[3]), "%llu", (unsigned long long)
	    __atomic_load_n(&n->nerror, __ATOMIC_RELAXED));
	snprintf(v[4], sizeof(v[4]), "%llu", (unsigned long long)
	    __atomic_load_n(&n->nretries, __ATOMIC_RELAXED));
	zlog(ZLOG_INFO, "stats", "jobs", v[0], "skipped", v[1], "active",
	    v[2], "error", v[3], "retries", v[4], NULL);
}

int
main(int argc, char *argv[])
{
	struct zcfg		 cfg = ZCFG_INIT;
	struct zdaemon		 dm;
	struct znotify_conf	 conf;
	struct znats		 nats = ZNATS_INIT;
	struct zview		 view;
	struct zjournal		 journal;
	struct znotify		 notify;
	struct zhealth		 hb;
	sigset_t		 sigs;
	const char		*dbpath;
	char			 err[256];
	int			 rc, sig;

	zlog_init("zone-notify");
	zdaemon_flags(argc, argv, USAGE, &dm, &cfg);
	if (znotify_conf_load(&conf, &cfg, err, sizeof(err)) < 0)
		zdie(EX_CONFIG, "config.invalid", "err", err, NULL);
	if (zdaemon_checked(&dm, &cfg))
		return EX_OK;

	zsig_block(&sigs);
	dbpath = zcfg_get(&cfg, "db", "path");
	zdaemon_follow(&cfg, "zone-notify", &view, &nats, &journal);
	znotify_init(&notify, &conf, &nats, &view, &journal, on_event, NULL);
	if ((rc = znotify_bind(&notify)) < 0)
		zdie(EX_UNAVAILABLE, "consumer.bind_failed", "consumer",
		    ZNOTIFY_CONSUMER, "err", zerr_str(rc), NULL);
	if ((rc = znotify_start(&notify)) < 0)
		zdie(EX_OSERR, "workers.failed", "err", zerr_str(rc), NULL);
	if ((rc = zhealth_start(&hb, &nats, &cfg, "zone-notify")) < 0)
		zlog(ZLOG_WARN, "heartbeat.unavailable", "err", zerr_str(rc),
		    NULL);
	zready_done(dm.readyfd);
	zlog(ZLOG_INFO, "started", "db", dbpath, "workers",
	    zcfg_get(&cfg, "notify", "workers"), NULL);

	for (;;) {
		sig = zsig_wait(&sigs, 1000);
		if (sig == SIGUSR1)
			stats(&notify);
		else if (sig == SIGHUP)
			zlog(ZLOG_WARN, "reload.ignored", "err",
			    "restart to apply configuration changes", NULL);
		else if (sig == SIGTERM || sig == SIGINT)
			break;
		if (journal.failed)
			zdie(EX_SOFTWARE, "journal.apply_failed", NULL);
	}
	znotify_stop(&notify);
	stats(&notify);
	znotify_release(&notify);
	zjournal_stop(&journal);
	zhealth_stop(&hb);
	znats_close(&nats);
	zview_close(&view);
	zcfg_release(&cfg);
	nats_Close();
	zlog(ZLOG_INFO, "stopped", NULL);
	return EX_OK;
}
