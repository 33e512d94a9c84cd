/*
 * zone-sink: OpenStack notifications (Nova, Neutron) to managed A/AAAA
 * records.  Takes events from the [sink] subjects in queue group
 * sink.queue, so copies share them, or with -p as JSON lines on stdin
 * (one result line on stdout per change).  The logic is lib/zsink.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "zcfg.h"
#include "zerr.h"
#include "zhealth.h"
#include "zlog.h"
#include "znats.h"
#include "zready.h"
#include "zsig.h"
#include "zsink.h"

#define USAGE		"zone-sink [-npv] [-d fd] [-f file]"
#define MAXLINE		(1024 * 1024)

struct pipe_state {
	unsigned long	 line;		/* -p: input line, else 0 */
};

struct opts {
	int	readyfd;	/* -d, or -1 */
	int	check;		/* -n */
	int	pipe;		/* -p */
	int	verbose;	/* -v */
};

/* Comma-joined records of a set, for the log line. */
static void
records_text(const struct zsink_out *o, char *buf, size_t len)
{
	const json_t	*r;
	size_t		 i;

	buf[0] = '\0';
	json_array_foreach(json_object_get(json_object_get(o->op, "params"),
	    "records"), i, r) {
		if (i > 0)
			strlcat(buf, ",", len);
		strlcat(buf, json_string_value(r), len);
	}
}

/* -p: one JSON line per change on stdout. */
static void
print_change(const struct zsink_out *o)
{
	json_t	*j;
	char	*s;

	j = json_pack("{s:s,s:s?,s:s,s:s,s:O,s:O,s:O}", "event_type",
	    o->event_type, "message_id", o->message_id, "handler", o->handler,
	    "zone", o->zone, "method", json_object_get(o->op, "method"),
	    "params", json_object_get(o->op, "params"), "result", o->result);
	if (j == NULL || (s = json_dumps(j, JSON_COMPACT)) == NULL)
		zdie(EX_OSERR, "out.failed", "err", "out of memory", NULL);
	if (printf("%s\n", s) < 0 || fflush(stdout) != 0)
		zdie(EX_IOERR, "out.failed", "err", strerror(errno), NULL);
	free(s);
	json_decref(j);
}

/* One log line per outcome; the library only reports. */
static void
on_out(const struct zsink_out *o, void *arg)
{
	struct pipe_state	*ps = arg;
	char			 line[32], n[32], recs[1024];

	snprintf(line, sizeof(line), "%lu", ps != NULL ? ps->line : 0);
	switch (o->what) {
	case ZSINK_HANDLED:
		if (strcmp(o->action, "set") == 0) {
			records_text(o, recs, sizeof(recs));
			zlog(ZLOG_INFO, "sink.handled", "zone", o->zone,
			    "event_type", o->event_type, "handler", o->handler,
			    "action", o->action, "name", o->name, "type",
			    o->type, "records", recs, NULL);
		} else {
			/* nothing was tagged with the resource: no change */
			snprintf(n, sizeof(n), "%lld", o->removed);
			zlog(o->removed > 0 ? ZLOG_INFO : ZLOG_DEBUG,
			    o->removed > 0 ? "sink.handled" : "sink.unchanged",
			    "zone", o->zone, "event_type", o->event_type,
			    "handler", o->handler, "action", o->action,
			    "removed", n, NULL);
		}
		if (ps != NULL)
			print_change(o);
		break;
	case ZSINK_IGNORED:
		zlog(ZLOG_DEBUG, "sink.ignored", "event_type", o->event_type,
		    "reason", o->reason, NULL);
		break;
	case ZSINK_SKIPPED:
		if (ps != NULL)
			zlog(ZLOG_WARN, "sink.skip", "line", line, "reason",
			    o->reason, "event_type", o->event_type, NULL);
		else if (o->message_id != NULL)
			zlog(ZLOG_WARN, "sink.skip", "reason", o->reason,
			    "event_type", o->event_type, "message_id",
			    o->message_id, NULL);
		else
			zlog(ZLOG_WARN, "sink.skip", "reason", o->reason,
			    "event_type", o->event_type, NULL);
		break;
	}
}

static void
on_msg(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *arg)
{
	(void)nc;
	(void)sub;
	zsink_handle(arg, natsMsg_GetData(msg),
	    (size_t)natsMsg_GetDataLength(msg), on_out, NULL);
	natsMsg_Destroy(msg);
}

static void
stats(struct zsink *s)
{
	char	v[4][24];

	pthread_mutex_lock(&s->mu);
	snprintf(v[0], sizeof(v[0]), "%lu", s->nevents);
	snprintf(v[1], sizeof(v[1]), "%lu", s->nhandled);
	snprintf(v[2], sizeof(v[2]), "%lu", s->nignored);
	snprintf(v[3], sizeof(v[3]), "%lu", s->nskipped);
	pthread_mutex_unlock(&s->mu);
	zlog(ZLOG_INFO, "stats", "events", v[0], "changes", v[1], "ignored",
	    v[2], "skipped", v[3], NULL);
}

/* -p: JSON lines on stdin; 0, 65 when a line was bad, 69, 74. */
static int
run_pipe(struct zsink *s)
{
	struct pipe_state	 ps = { 0 };
	char			*buf = NULL, line[32];
	size_t			 cap = 0;
	ssize_t			 n;
	int			 bad = 0, rc;

	while ((n = getline(&buf, &cap, stdin)) != -1) {
		ps.line++;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if (strspn(buf, " \t") == (size_t)n)
			continue;
		if (n > MAXLINE) {
			snprintf(line, sizeof(line), "%lu", ps.line);
			zlog(ZLOG_WARN, "sink.skip", "line", line, "reason",
			    "line longer than 1 MiB", NULL);
			bad = 1;
			continue;
		}
		rc = zsink_handle(s, buf, (size_t)n, on_out, &ps);
		if (rc == ZE_NORESP)
			zdie(EX_UNAVAILABLE, "central.unavailable", NULL);
		if (rc < 0)
			bad = 1;
	}
	if (ferror(stdin))
		zdie(EX_IOERR, "in.failed", "err", strerror(errno), NULL);
	free(buf);
	stats(s);
	return bad ? EX_DATAERR : EX_OK;
}

/* The flags: -d fd, -f file, -n, -p, -v; then the configuration. */
static void
flags(int argc, char *argv[], struct zcfg *cfg, struct opts *o)
{
	int	ch, rc;

	memset(o, 0, sizeof(*o));
	o->readyfd = -1;
	while ((ch = getopt(argc, argv, "d:f:npv")) != -1) {
		switch (ch) {
		case 'd':
			if ((o->readyfd = zready_parse(optarg)) < 0)
				zdie(EX_USAGE, "usage.bad_fd", "fd", optarg,
				    NULL);
			break;
		case 'f':
			cfg->path = optarg;
			break;
		case 'n':
			o->check = 1;
			break;
		case 'p':
			o->pipe = 1;
			break;
		case 'v':
			zlog_verbose();
			o->verbose = 1;
			break;
		default:
			zdie_usage(USAGE);
		}
	}
	if (optind != argc)
		zdie_usage(USAGE);
	if ((rc = zcfg_load(cfg)) < 0)
		zdie(zerr_exit(rc), "config.invalid", "err", cfg->err, NULL);
}

/* One subscription per subject, in the queue group (if any). */
static void
subscribe(const struct zsink_conf *conf, struct znats *nats,
    struct zsink *sink, natsSubscription **subs)
{
	natsStatus	st;
	int		i;

	for (i = 0; i < conf->nsubjects; i++) {
		if (conf->queue[0] != '\0')
			st = natsConnection_QueueSubscribe(&subs[i], nats->nc,
			    conf->subjects[i], conf->queue, on_msg, sink);
		else
			st = natsConnection_Subscribe(&subs[i], nats->nc,
			    conf->subjects[i], on_msg, sink);
		if (st != NATS_OK)
			zdie(EX_UNAVAILABLE, "nats.subscribe_failed", "subject",
			    conf->subjects[i], "err", natsStatus_GetText(st),
			    NULL);
	}
	if (znats_flush(nats, 5000) < 0)
		zdie(EX_UNAVAILABLE, "nats.unavailable", "err", nats->err, NULL);
}

/* Stop taking events and finish the ones already delivered. */
static void
drain(natsSubscription **subs, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		natsSubscription_Drain(subs[i]);
	for (i = 0; i < n; i++) {
		natsSubscription_WaitForDrainCompletion(subs[i], 4000);
		natsSubscription_Destroy(subs[i]);
	}
}

int
main(int argc, char *argv[])
{
	struct zcfg		 cfg = ZCFG_INIT;
	struct opts		 o;
	struct zsink_conf	 conf;
	struct znats		 nats = ZNATS_INIT;
	struct zsink		 sink;
	natsSubscription	*subs[16] = { NULL };
	struct zhealth		 hb;
	sigset_t		 sigs;
	char			 err[256];
	int			 rc = EX_OK, sig, i;

	zlog_init("zone-sink");
	flags(argc, argv, &cfg, &o);
	if (zsink_conf_load(&conf, &cfg, err, sizeof(err)) < 0)
		zdie(EX_CONFIG, "config.invalid", "err", err, NULL);
	if (o.check) {
		zcfg_print(&cfg, stdout);
		zsink_conf_release(&conf);
		zcfg_release(&cfg);
		return EX_OK;
	}
	if (!o.verbose)
		zlog_set_level(zcfg_log_level(&cfg));

	/* -p keeps the default signals: TERM ends a pipeline at once */
	if (!o.pipe)
		zsig_block(&sigs);
	if ((rc = znats_connect(&nats, &cfg, "zone-sink")) < 0)
		zdie(rc == ZE_CONFIG ? EX_CONFIG : EX_UNAVAILABLE,
		    "nats.unavailable", "url", zcfg_get(&cfg, "nats", "url"),
		    "err", nats.err, NULL);
	zsink_init(&sink, &conf, &nats);
	for (i = 0; i < ZSINK_NKINDS; i++)
		if (conf.h[i].enabled && conf.h[i].zone_id[0] == '\0')
			zlog(ZLOG_WARN, "handler.idle", "handler",
			    conf.h[i].name, "reason", "no zone id: its events "
			    "are ignored", NULL);
	if (o.pipe)
		rc = run_pipe(&sink);
	else {
		subscribe(&conf, &nats, &sink, subs);
		if ((rc = zhealth_start(&hb, &nats, &cfg, "zone-sink")) < 0)
			zlog(ZLOG_WARN, "heartbeat.unavailable", "err", zerr_str(rc),
			    NULL);
		zready_done(o.readyfd);
		zlog(ZLOG_INFO, "started", "subjects", zcfg_get(&cfg, "sink",
		    "subjects"), "queue", conf.queue, NULL);
		while ((sig = zsig_wait(&sigs, 1000)) != SIGTERM &&
		    sig != SIGINT) {
			if (sig == SIGUSR1)
				stats(&sink);
			else if (sig == SIGHUP)
				zlog(ZLOG_WARN, "reload.ignored", "err",
				    "restart to apply configuration changes",
				    NULL);
		}
		zhealth_stop(&hb);
		drain(subs, conf.nsubjects);
		stats(&sink);
		rc = EX_OK;
	}
	zsink_release(&sink);
	znats_close(&nats);
	zsink_conf_release(&conf);
	zcfg_release(&cfg);
	nats_Close();
	if (!o.pipe)
		zlog(ZLOG_INFO, "stopped", NULL);
	return rc;
}
