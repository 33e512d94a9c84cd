/*
 * zone-xfr: the mini authoritative server that pool targets pull zones
 * from.  Follows the journal into this host's view, listens on UDP and
 * TCP (SO_REUSEPORT, so several copies share a port) and answers SOA,
 * AXFR, IXFR and NOTIFY with lib/zxfr.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
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
#include "zready.h"
#include "zsecondary.h"
#include "zsig.h"
#include "zview.h"
#include "zxfr.h"

#define USAGE		"zone-xfr [-nv] [-d fd] [-f file]"
#define MAXLISTEN	16
#define MAXTHREADS	64
#define MAXCONN		256

struct worker {
	pthread_t	 th;
	int		 udp[MAXLISTEN], tcp[MAXLISTEN];
	struct zxfr_out	 out;
};

static struct zxfr	 xfr;
static struct worker	 workers[MAXTHREADS];
static int		 nworkers, nlisten, tcp_timeout_ms;
static atomic_int	 stopping;
static pthread_mutex_t	 conn_mu = PTHREAD_MUTEX_INITIALIZER;
static int		 conns[MAXCONN];
static int		 nconns;

static int
conn_add(int fd)
{
	int	i, ok = 0;

	pthread_mutex_lock(&conn_mu);
	for (i = 0; i < MAXCONN && !ok; i++)
		if (conns[i] < 0) {
			conns[i] = fd;
			nconns++;
			ok = 1;
		}
	pthread_mutex_unlock(&conn_mu);
	return ok;
}

static void
conn_del(int fd)
{
	int	i;

	pthread_mutex_lock(&conn_mu);
	for (i = 0; i < MAXCONN; i++)
		if (conns[i] == fd) {
			conns[i] = -1;
			nconns--;
			break;
		}
	pthread_mutex_unlock(&conn_mu);
}

static int
readn(int fd, uint8_t *p, size_t n)
{
	ssize_t	r;

	while (n > 0) {
		if ((r = read(fd, p, n)) <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
writen(int fd, const uint8_t *p, size_t n)
{
	ssize_t	r;

	while (n > 0) {
		if ((r = write(fd, p, n)) <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
conn_flush(const uint8_t *p, size_t n, void *arg)
{
	return writen(*(int *)arg, p, n);
}

/* One TCP client: queries until it closes, times out or we stop. */
static void *
conn_main(void *arg)
{
	struct sockaddr_storage	 ss;
	struct zxfr_out		 out = ZXFR_OUT_INIT;
	socklen_t		 sl = sizeof(ss);
	uint8_t			 q[65536];
	size_t			 ql;
	int			 fd = (int)(intptr_t)arg, rc;

	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == -1)
		goto done;
	out.flush = conn_flush;
	out.flush_arg = &fd;
	while (!atomic_load(&stopping)) {
		if (readn(fd, q, 2) < 0)
			break;
		ql = (size_t)q[0] << 8 | q[1];
		if (ql == 0 || readn(fd, q, ql) < 0)
			break;
		rc = zxfr_answer(&xfr, q, ql, 1, (struct sockaddr *)&ss, &out);
		if (rc < 0 && rc != -EPIPE)
			zlog(ZLOG_WARN, "query.failed", "err", zerr_str(rc),
			    NULL);
		if (out.nmsg == 0 || rc == -EPIPE ||
		    writen(fd, out.buf, out.len) < 0)
			break;
	}
done:
	zxfr_out_release(&out);
	conn_del(fd);
	close(fd);
	return NULL;
}

static void
tcp_accept(int lfd)
{
	struct timeval	 tv;
	pthread_attr_t	 attr;
	pthread_t	 th;
	int		 fd, one = 1;

	if ((fd = accept(lfd, NULL, NULL)) < 0)
		return;
	tv.tv_sec = tcp_timeout_ms / 1000;
	tv.tv_usec = (tcp_timeout_ms % 1000) * 1000;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!conn_add(fd)) {
		zlog(ZLOG_WARN, "tcp.busy", NULL);
		close(fd);
		return;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, conn_main, (void *)(intptr_t)fd) != 0) {
		conn_del(fd);
		close(fd);
	}
	pthread_attr_destroy(&attr);
}

static void
udp_serve(struct worker *w, int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	uint8_t			 q[65536];
	ssize_t			 n;
	int			 rc, i;

	for (i = 0; i < 64; i++) {
		sl = sizeof(ss);
		n = recvfrom(fd, q, sizeof(q), MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &sl);
		if (n < 0)
			return;
		rc = zxfr_answer(&xfr, q, (size_t)n, 0, (struct sockaddr *)&ss,
		    &w->out);
		if (rc < 0)
			zlog(ZLOG_WARN, "query.failed", "err", zerr_str(rc),
			    NULL);
		if (w->out.nmsg > 0)
			(void)sendto(fd, w->out.buf + 2, w->out.len - 2, 0,
			    (struct sockaddr *)&ss, sl);
	}
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct pollfd	 pfd[2 * MAXLISTEN];
	int		 i;

	for (i = 0; i < nlisten; i++) {
		pfd[2 * i].fd = w->udp[i];
		pfd[2 * i + 1].fd = w->tcp[i];
		pfd[2 * i].events = pfd[2 * i + 1].events = POLLIN;
	}
	while (!atomic_load(&stopping)) {
		if (poll(pfd, (nfds_t)(2 * nlisten), 200) <= 0)
			continue;
		for (i = 0; i < nlisten; i++) {
			if (pfd[2 * i].revents & POLLIN)
				udp_serve(w, w->udp[i]);
			if (pfd[2 * i + 1].revents & POLLIN)
				tcp_accept(w->tcp[i]);
		}
	}
	return NULL;
}

static int
sock_open(const struct sockaddr_storage *ss, socklen_t sl, int type)
{
	int	fd, one = 1;

	if ((fd = socket(ss->ss_family, type | SOCK_CLOEXEC |
	    (type == SOCK_STREAM ? SOCK_NONBLOCK : 0), 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, sl) == -1 ||
	    (type == SOCK_STREAM && listen(fd, 128) == -1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Bind every listen address in every worker (SO_REUSEPORT). */
static void
bind_all(const char *listen_s)
{
	struct sockaddr_storage	 ss[MAXLISTEN];
	socklen_t		 sl[MAXLISTEN];
	char			*copy, *tok, *save = NULL, *addrs[MAXLISTEN];
	int			 i, j;

	if ((copy = strdup(listen_s)) == NULL)
		zdie(EX_OSERR, "oom", NULL);
	for (tok = strtok_r(copy, " \t,", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t,", &save)) {
		if (nlisten == MAXLISTEN ||
		    zxfr_addr_parse(tok, &ss[nlisten], &sl[nlisten]) < 0)
			zdie(EX_CONFIG, "config.invalid", "key", "xfr.listen",
			    "value", tok, NULL);
		addrs[nlisten++] = tok;
	}
	if (nlisten == 0)
		zdie(EX_CONFIG, "config.invalid", "key", "xfr.listen", NULL);
	for (j = 0; j < nworkers; j++)
		for (i = 0; i < nlisten; i++) {
			workers[j].udp[i] = sock_open(&ss[i], sl[i], SOCK_DGRAM);
			workers[j].tcp[i] = sock_open(&ss[i], sl[i],
			    SOCK_STREAM);
			if (workers[j].udp[i] < 0 || workers[j].tcp[i] < 0)
				zdie(EX_OSERR, "listen.failed", "addr",
				    addrs[i], "err", strerror(errno), NULL);
		}
	for (i = 0; i < nlisten; i++)
		zlog(ZLOG_INFO, "listening", "addr", addrs[i], NULL);
	free(copy);
}

/* Outcomes of SECONDARY zone pulls (lib/zsecondary). */
static void
sec_log(void *arg, const char *event, const char *zone, const char *master,
    uint32_t serial, const char *err)
{
	char	sb[16];

	(void)arg;
	snprintf(sb, sizeof(sb), "%u", serial);
	zlog(err != NULL ? ZLOG_WARN : ZLOG_INFO, event, "zone", zone,
	    "master", master, "serial", sb, err != NULL ? "err" : NULL, err,
	    NULL);
}

static void
stats(void)
{
	char	b[6][24];

	snprintf(b[0], sizeof(b[0]), "%lu", atomic_load(&xfr.nqueries));
	snprintf(b[1], sizeof(b[1]), "%lu", atomic_load(&xfr.naxfr));
	snprintf(b[2], sizeof(b[2]), "%lu", atomic_load(&xfr.nixfr));
	snprintf(b[3], sizeof(b[3]), "%lu", atomic_load(&xfr.nfallback));
	snprintf(b[4], sizeof(b[4]), "%lu", atomic_load(&xfr.nrefused));
	snprintf(b[5], sizeof(b[5]), "%lu", atomic_load(&xfr.ntsigbad));
	zlog(ZLOG_INFO, "stats", "queries", b[0], "axfr", b[1], "ixfr", b[2],
	    "ixfr_fallback_axfr", b[3], "refused", b[4], "tsig_bad", b[5],
	    NULL);
}

static void
stop(void)
{
	int	i, j;

	atomic_store(&stopping, 1);
	for (j = 0; j < nworkers; j++)
		pthread_join(workers[j].th, NULL);
	pthread_mutex_lock(&conn_mu);
	for (i = 0; i < MAXCONN; i++)
		if (conns[i] >= 0)
			shutdown(conns[i], SHUT_RDWR);
	pthread_mutex_unlock(&conn_mu);
	for (i = 0; i < 300 && nconns > 0; i++)
		usleep(10000);
	for (j = 0; j < nworkers; j++) {
		for (i = 0; i < nlisten; i++) {
			close(workers[j].udp[i]);
			close(workers[j].tcp[i]);
		}
		zxfr_out_release(&workers[j].out);
	}
}

int
main(int argc, char *argv[])
{
	struct zcfg	 cfg = ZCFG_INIT;
	struct zdaemon	 dm;
	struct znats	 nats = ZNATS_INIT;
	struct zview	 view;
	struct zjournal	 journal;
	struct zsec	 sec;
	struct zhealth	 hb;
	sigset_t	 sigs;
	const char	*dbpath;
	long long	 maxmsg;
	int		 rc, sig, i;

	zlog_init("zone-xfr");
	zdaemon_flags(argc, argv, USAGE, &dm, &cfg);
	nworkers = (int)zcfg_int(&cfg, "xfr", "threads");
	tcp_timeout_ms = (int)zcfg_int(&cfg, "xfr", "tcp_timeout_ms");
	maxmsg = zcfg_int(&cfg, "xfr", "max_message");
	if (nworkers < 1 || nworkers > MAXTHREADS)
		zdie(EX_CONFIG, "config.invalid", "err",
		    "xfr.threads must be 1..64", NULL);
	if (tcp_timeout_ms < 1)
		zdie(EX_CONFIG, "config.invalid", "err",
		    "xfr.tcp_timeout_ms must be positive", NULL);
	if (maxmsg < 512 || maxmsg > 65535)
		zdie(EX_CONFIG, "config.invalid", "err",
		    "xfr.max_message must be 512..65535", NULL);
	if (zxfr_init(&xfr, &view, zcfg_get(&cfg, "xfr", "allow"),
	    (size_t)maxmsg) < 0)
		zdie(EX_CONFIG, "config.invalid", "key", "xfr.allow", "value",
		    zcfg_get(&cfg, "xfr", "allow"), NULL);
	if (zdaemon_checked(&dm, &cfg))
		return EX_OK;
	for (i = 0; i < MAXCONN; i++)
		conns[i] = -1;

	zsig_block(&sigs);
	dbpath = zcfg_get(&cfg, "db", "path");
	zdaemon_follow(&cfg, "zone-xfr", &view, &nats, &journal);
	bind_all(zcfg_get(&cfg, "xfr", "listen"));
	if ((rc = zjournal_sync(&journal, 60000)) < 0)
		zdie(EX_TEMPFAIL, "journal.catchup_failed", "err",
		    zerr_str(rc), NULL);
	/* SECONDARY zones: NOTIFY from masters, zone.cmd.xfr, refresh */
	if ((rc = zsec_start(&sec, &view, &nats, (int)zcfg_int(&cfg, "xfr",
	    "secondary_check_s"), sec_log, NULL)) < 0)
		zdie(EX_UNAVAILABLE, "nats.unavailable", "err", zerr_str(rc),
		    NULL);
	xfr.notify_arg = &sec;
	xfr.on_notify = zsec_on_notify;
	for (i = 0; i < nworkers; i++)
		if (pthread_create(&workers[i].th, NULL, worker_main,
		    &workers[i]) != 0)
			zdie(EX_OSERR, "thread.failed", NULL);
	if ((rc = zhealth_start(&hb, &nats, &cfg, "zone-xfr")) < 0)
		zlog(ZLOG_WARN, "heartbeat.unavailable", "err", zerr_str(rc),
		    NULL);
	zready_done(dm.readyfd);
	zlog(ZLOG_INFO, "started", "db", dbpath, "threads",
	    zcfg_get(&cfg, "xfr", "threads"), NULL);

	for (;;) {
		sig = zsig_wait(&sigs, 1000);
		if (sig == SIGUSR1)
			stats();
		else if (sig == SIGHUP)
			zlog(ZLOG_WARN, "reload.ignored", "err",
			    "restart to apply configuration changes", NULL);
		else if (sig == SIGTERM || sig == SIGINT)
			break;
		if (journal.failed)
			zdie(EX_SOFTWARE, "journal.apply_failed", NULL);
	}
	stop();
	zsec_stop(&sec);
	zjournal_stop(&journal);
	zhealth_stop(&hb);
	znats_close(&nats);
	zview_close(&view);
	zxfr_release(&xfr);
	zcfg_release(&cfg);
	nats_Close();
	zlog(ZLOG_INFO, "stopped", NULL);
	return EX_OK;
}
