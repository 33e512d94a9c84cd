/*
 * zone-central: the business rules.  Answers RPCs from zone-api (and the
 * other daemons) on zone.rpc.central in queue group "central", writes
 * the journal, reads its host's LMDB view.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "zcentral.h"
#include "zcfg.h"
#include "zdaemon.h"
#include "zerr.h"
#include "zhealth.h"
#include "zevents.h"
#include "zjournal.h"
#include "zlog.h"
#include "znats.h"
#include "zready.h"
#include "zrpc.h"
#include "zsig.h"
#include "zview.h"

#define USAGE	"zone-central [-nv] [-d fd] [-f file]"
#define MAXWORKERS	64

static struct zcentral	 central;
static struct znats	 nats = ZNATS_INIT;

static void
on_request(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *arg)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*req = NULL, *result = NULL;
	const char	*reply = natsMsg_GetReply(msg);
	char		*out = NULL;
	int		 rc;

	(void)sub;
	(void)arg;
	if (reply == NULL)
		goto done;
	rc = zrpc_parse(natsMsg_GetData(msg), natsMsg_GetDataLength(msg), &req);
	if (rc < 0) {
		zlog(ZLOG_WARN, "msg.bad", "subject", natsMsg_GetSubject(msg),
		    "err", zerr_str(rc), NULL);
		zfault_set(&f, 400, "bad_request", "malformed request");
		out = zrpc_fault(&f);
	} else if (zrpc_expired(req)) {
		/* the caller gave up (a request replayed after an outage) */
		zlog(ZLOG_WARN, "request.expired", "method",
		    json_string_value(json_object_get(req, "method")), NULL);
		goto done;
	} else if (zcentral_handle(&central, req, &result, &f) == 0)
		out = zrpc_result(result);
	else {
		if (f.status >= 500)
			zlog(ZLOG_WARN, "request.failed", "method",
			    json_string_value(json_object_get(req, "method")),
			    "type", f.type, "err", f.message, NULL);
		out = zrpc_fault(&f);
	}
	if (out != NULL)
		natsConnection_PublishString(nc, reply, out);
done:
	free(out);
	zfault_release(&f);
	json_decref(req);
	json_decref(result);
	natsMsg_Destroy(msg);
}

int
main(int argc, char *argv[])
{
	struct zcfg		 cfg = ZCFG_INIT;
	struct zdaemon		 dm;
	struct zview		 view;
	struct zjournal		 journal;
	natsSubscription	*subs[MAXWORKERS] = { NULL };
	struct zevents_relay	*relay = NULL;
	struct zhealth		 hb;
	sigset_t		 sigs;
	const char		*dbpath;
	char			 nreq[32], nconf[32], nfault[32], napp[32];
	char			 nbatch[32], nbatched[32], nev[32];
	char			 host[200], owner[256];
	int			 rc, sig, i, workers;

	zlog_init("zone-central");
	zdaemon_flags(argc, argv, USAGE, &dm, &cfg);
	workers = (int)zcfg_int(&cfg, "central", "workers");
	if (workers < 1 || workers > MAXWORKERS)
		zdie(EX_CONFIG, "config.invalid", "err",
		    "central.workers must be 1..64", NULL);
	if (zdaemon_checked(&dm, &cfg))
		return EX_OK;

	zsig_block(&sigs);
	dbpath = zcfg_get(&cfg, "db", "path");
	zdaemon_follow(&cfg, "zone-central", &view, &nats, &journal);
	zcentral_init(&central, &cfg, &view, &journal);
	/* catch up before answering anything */
	if ((rc = zjournal_sync(&journal, 60000)) < 0)
		zdie(EX_TEMPFAIL, "journal.catchup_failed", "err", zerr_str(rc),
		    NULL);
	for (i = 0; i < workers; i++) {
		if (natsConnection_QueueSubscribe(&subs[i], nats.nc,
		    ZRPC_CENTRAL, "central", on_request, NULL) != NATS_OK)
			zdie(EX_UNAVAILABLE, "nats.subscribe_failed", "subject",
			    ZRPC_CENTRAL, NULL);
		natsSubscription_SetPendingLimits(subs[i], 65536, 256 << 20);
	}
	if (zcfg_bool(&cfg, "events", "enabled")) {
		if (gethostname(host, sizeof(host)) != 0)
			strlcpy(host, "localhost", sizeof(host));
		host[sizeof(host) - 1] = '\0';
		for (i = 0; host[i] != '\0'; i++)
			if (!isalnum((unsigned char)host[i]) && host[i] != '-')
				host[i] = '_';
		snprintf(owner, sizeof(owner), "%s-%ld", host, (long)getpid());
		if ((rc = zevents_relay_start(&relay, &nats, &cfg, owner)) < 0)
			zdie(EX_UNAVAILABLE, "events.unavailable", "err",
			    zerr_str(rc), NULL);
	}
	if ((rc = znats_flush(&nats, 5000)) < 0)
		zdie(EX_UNAVAILABLE, "nats.unavailable", "err", nats.err, NULL);
	if ((rc = zhealth_start(&hb, &nats, &cfg, "zone-central")) < 0)
		zlog(ZLOG_WARN, "heartbeat.unavailable", "err", zerr_str(rc),
		    NULL);
	zready_done(dm.readyfd);
	zlog(ZLOG_INFO, "started", "db", dbpath, "workers",
	    zcfg_get(&cfg, "central", "workers"), NULL);

	for (;;) {
		sig = zsig_wait(&sigs, 1000);
		if (sig == SIGUSR1) {
			snprintf(nreq, sizeof(nreq), "%lu", central.nreq);
			snprintf(nconf, sizeof(nconf), "%lu", central.nconflict);
			snprintf(nfault, sizeof(nfault), "%lu", central.nfault);
			snprintf(napp, sizeof(napp), "%llu",
			    (unsigned long long)journal.applied);
			snprintf(nbatch, sizeof(nbatch), "%lu", central.nbatch);
			snprintf(nbatched, sizeof(nbatched), "%lu",
			    central.nbatched);
			snprintf(nev, sizeof(nev), "%lu",
			    zevents_relay_count(relay));
			zlog(ZLOG_INFO, "stats", "requests", nreq, "conflicts",
			    nconf, "faults", nfault, "commits", nbatch, "changes",
			    nbatched, "applied", napp, "events", nev, NULL);
		} else if (sig == SIGHUP)
			zlog(ZLOG_WARN, "reload.ignored", "err",
			    "restart to apply configuration changes", NULL);
		else if (sig == SIGTERM || sig == SIGINT)
			break;
		if (journal.failed)
			zdie(EX_SOFTWARE, "journal.apply_failed", NULL);
	}
	for (i = 0; i < workers; i++)
		natsSubscription_Drain(subs[i]);
	for (i = 0; i < workers; i++) {
		natsSubscription_WaitForDrainCompletion(subs[i], 4000);
		natsSubscription_Destroy(subs[i]);
	}
	zhealth_stop(&hb);
	zevents_relay_stop(relay);
	zjournal_stop(&journal);
	znats_close(&nats);
	zview_close(&view);
	zcentral_release(&central);
	zcfg_release(&cfg);
	nats_Close();
	zlog(ZLOG_INFO, "stopped", NULL);
	return EX_OK;
}
