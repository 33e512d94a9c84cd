/*
 * SECONDARY zones in zone-xfr: see zsecondary.h.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <ldns/ldns.h>

#include "zerr.h"
#include "zrpc.h"
#include "zsecondary.h"

static const char *
jstr(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

int
zsec_master_parse(const char *m, char *host, size_t hostlen, uint16_t *port)
{
	const char	*p, *e;
	char		*end;
	long		 n;
	size_t		 len;

	*port = 53;
	if (*m == '[') {
		if ((e = strchr(m, ']')) == NULL)
			return -EINVAL;
		len = (size_t)(e - m - 1);
		p = e[1] == ':' ? e + 2 : NULL;
		m++;
	} else if ((e = strchr(m, ':')) != NULL && strchr(e + 1, ':') == NULL) {
		len = (size_t)(e - m);
		p = e + 1;
	} else {
		len = strlen(m);
		p = NULL;
	}
	if (len == 0 || len >= hostlen)
		return -EINVAL;
	memcpy(host, m, len);
	host[len] = '\0';
	if (p != NULL) {
		errno = 0;
		n = strtol(p, &end, 10);
		if (*p == '\0' || *end != '\0' || errno != 0 || n < 1 ||
		    n > 65535)
			return -EINVAL;
		*port = (uint16_t)n;
	}
	return 0;
}

/* A resolver asking one master. */
static ldns_resolver *
zsec_resolver(const char *host, uint16_t port, int timeout_ms)
{
	ldns_resolver	*r;
	ldns_rdf	*a;
	struct timeval	 tv;

	if ((a = ldns_rdf_new_frm_str(strchr(host, ':') != NULL ?
	    LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, host)) == NULL)
		return NULL;
	if ((r = ldns_resolver_new()) == NULL) {
		ldns_rdf_deep_free(a);
		return NULL;
	}
	ldns_resolver_push_nameserver(r, a);
	ldns_rdf_deep_free(a);
	ldns_resolver_set_port(r, port);
	ldns_resolver_set_recursive(r, false);
	ldns_resolver_set_retry(r, 1);
	ldns_resolver_set_retrans(r, 1);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	ldns_resolver_set_timeout(r, tv);
	return r;
}

/* The master's SOA serial; 0 or a negative code. */
static int
zsec_soa(ldns_resolver *r, const ldns_rdf *zname, uint32_t *serial)
{
	ldns_pkt	*p = NULL;
	ldns_rr_list	*l;
	int		 rc = ZE_DNS;

	if (ldns_resolver_send(&p, r, zname, LDNS_RR_TYPE_SOA,
	    LDNS_RR_CLASS_IN, 0) != LDNS_STATUS_OK || p == NULL)
		return -ETIMEDOUT;
	if (ldns_pkt_get_rcode(p) == LDNS_RCODE_NOERROR &&
	    ldns_pkt_aa(p) &&
	    (l = ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_SOA,
	    LDNS_SECTION_ANSWER)) != NULL) {
		if (ldns_rr_list_rr_count(l) > 0 &&
		    ldns_rr_rd_count(ldns_rr_list_rr(l, 0)) == 7) {
			*serial = ldns_rdf2native_int32(ldns_rr_rdf(
			    ldns_rr_list_rr(l, 0), 2));
			rc = 0;
		}
		ldns_rr_list_deep_free(l);
	}
	ldns_pkt_free(p);
	return rc;
}

/*
 * AXFR of `zname' as zone file text: "$ORIGIN <zone>", then one line a
 * record as ldns_rr2str writes it (absolute names), without the closing
 * SOA.  Compact on the wire to central (a NATS message is at most
 * 1 MB): about 50 bytes a record.
 */
static int
zsec_axfr(ldns_resolver *r, const ldns_rdf *zname, const char *zone,
    char **out)
{
	ldns_rr	*rr;
	char	*buf = NULL, *line, *q;
	size_t	 len = 0, cap = 0, n;
	int	 rc = 0, nrr = 0;

	*out = NULL;
	if (ldns_axfr_start(r, zname, LDNS_RR_CLASS_IN) != LDNS_STATUS_OK)
		return ZE_DNS;
	cap = 4096;
	if ((buf = malloc(cap)) == NULL)
		rc = -ENOMEM;
	else
		len = (size_t)snprintf(buf, cap, "$ORIGIN %s\n", zone);
	while ((rr = ldns_axfr_next(r)) != NULL) {
		if (rc == 0 && !(nrr > 0 &&
		    ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA)) {
			if ((line = ldns_rr2str(rr)) == NULL)
				rc = -ENOMEM;
			else {
				n = strlen(line);
				if (len + n + 1 > cap) {
					while (len + n + 1 > cap)
						cap *= 2;
					if ((q = realloc(buf, cap)) == NULL)
						rc = -ENOMEM;
					else
						buf = q;
				}
				if (rc == 0) {
					memcpy(buf + len, line, n + 1);
					len += n;
				}
				free(line);
			}
		}
		ldns_rr_free(rr);
		nrr++;
	}
	if (rc == 0 && (!ldns_axfr_complete(r) || nrr < 2))
		rc = ZE_DNS;
	if (rc == 0)
		*out = buf;
	else
		free(buf);
	return rc;
}

/* RFC 1982: is a newer than b? */
static int
zsec_newer(uint32_t a, uint32_t b)
{
	return a != b && (uint32_t)(a - b) < 0x80000000u;
}

int
zsec_pull(struct zsec *s, const char *zone_id, int force)
{
	struct zfault	 f = ZFAULT_INIT;
	MDB_txn		*txn;
	ldns_resolver	*r = NULL;
	ldns_rdf	*zname = NULL;
	json_t		*zone = NULL, *params = NULL, *ctx = NULL;
	json_t		*res = NULL, *m;
	const char	*master = "";
	char		*text = NULL;
	char		 host[INET6_ADDRSTRLEN + 1], err[600];
	uint32_t	 serial = 0;
	uint16_t	 port;
	size_t		 i;
	int		 rc;

	if ((rc = zview_rbegin(s->view, &txn)) < 0)
		return rc;
	rc = zview_zone(s->view, txn, zone_id, &zone);
	zview_rend(txn);
	if (rc < 0)
		return rc;
	if (strcmp(jstr(zone, "type"), "SECONDARY") != 0 ||
	    json_is_true(json_object_get(zone, "deleted")) ||
	    strcmp(jstr(zone, "action"), "DELETE") == 0) {
		rc = 1;
		goto out;
	}
	if ((zname = ldns_dname_new_frm_str(jstr(zone, "name"))) == NULL) {
		rc = ZE_BADMSG;
		goto out;
	}
	rc = ZE_DNS;
	snprintf(err, sizeof(err), "no master answered");
	json_array_foreach(json_object_get(zone, "masters"), i, m) {
		master = json_string_value(m) != NULL ?
		    json_string_value(m) : "";
		ldns_resolver_deep_free(r);
		r = NULL;
		if (zsec_master_parse(master, host, sizeof(host), &port) < 0 ||
		    (r = zsec_resolver(host, port, s->timeout_ms)) == NULL)
			continue;
		if ((rc = zsec_soa(r, zname, &serial)) < 0) {
			snprintf(err, sizeof(err), "SOA query: %s",
			    zerr_str(rc));
			continue;
		}
		if (!force && json_is_string(json_object_get(zone,
		    "transferred_at")) && !zsec_newer(serial,
		    (uint32_t)json_integer_value(json_object_get(zone,
		    "serial")))) {
			rc = 1;
			goto out;
		}
		free(text);
		text = NULL;
		if ((rc = zsec_axfr(r, zname, jstr(zone, "name"), &text)) < 0) {
			snprintf(err, sizeof(err), "AXFR failed");
			continue;
		}
		break;
	}
	if (rc < 0)
		goto fail;
	params = json_pack("{s:s,s:I,s:s,s:s}", "zone_id", zone_id,
	    "serial", (json_int_t)serial, "master", master, "zonefile", text);
	ctx = json_pack("{s:s,s:[s],s:b,s:s}", "project_id", "",
	    "roles", "admin", "all_projects", 1, "request_id", "zone-xfr");
	if (params == NULL || ctx == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if ((rc = zrpc_call(s->nats, ZRPC_CENTRAL, "zone.xfr_apply", params,
	    ctx, 10000, &res, &f)) < 0) {
		snprintf(err, sizeof(err), "zone.xfr_apply: %d %s %s",
		    f.status, f.type, f.message);
		goto fail;
	}
	__atomic_add_fetch(&s->npulled, 1, __ATOMIC_RELAXED);
	if (s->log != NULL)
		s->log(s->log_arg, "xfr.pulled", jstr(zone, "name"), master,
		    serial, NULL);
	rc = 0;
	goto out;
fail:
	__atomic_add_fetch(&s->nfailed, 1, __ATOMIC_RELAXED);
	if (s->log != NULL)
		s->log(s->log_arg, "xfr.failed", jstr(zone, "name"), master,
		    serial, err);
out:
	zfault_release(&f);
	ldns_resolver_deep_free(r);
	ldns_rdf_deep_free(zname);
	json_decref(zone);
	free(text);
	json_decref(params);
	json_decref(ctx);
	json_decref(res);
	return rc;
}

void
zsec_kick(struct zsec *s, const char *zone_id, int force)
{
	pthread_mutex_lock(&s->mu);
	if (json_object_get(s->queue, zone_id) == NULL || force)
		json_object_set_new(s->queue, zone_id, json_boolean(force));
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static int
zsec_same_addr(const char *host, const struct sockaddr *from)
{
	struct in6_addr	a6;
	struct in_addr	a4;

	if (from == NULL)
		return 0;
	if (from->sa_family == AF_INET && inet_pton(AF_INET, host, &a4) == 1)
		return memcmp(&((const struct sockaddr_in *)(const void *)
		    from)->sin_addr, &a4, sizeof(a4)) == 0;
	if (from->sa_family == AF_INET6 &&
	    inet_pton(AF_INET6, host, &a6) == 1)
		return memcmp(&((const struct sockaddr_in6 *)(const void *)
		    from)->sin6_addr, &a6, sizeof(a6)) == 0;
	return 0;
}

int
zsec_on_notify(void *arg, const json_t *zone, const struct sockaddr *from)
{
	struct zsec	*s = arg;
	const json_t	*m;
	char		 host[INET6_ADDRSTRLEN + 1];
	uint16_t	 port;
	size_t		 i;

	json_array_foreach(json_object_get(zone, "masters"), i, m)
		if (json_string_value(m) != NULL &&
		    zsec_master_parse(json_string_value(m), host,
		    sizeof(host), &port) == 0 && zsec_same_addr(host, from)) {
			zsec_kick(s, jstr(zone, "id"), 0);
			return 0;
		}
	return -EPERM;
}

struct zsec_scan {
	struct zsec	*s;
	time_t		 now;
	json_t		*due;
};

static int
zsec_scan_cb(json_t *z, void *arg)
{
	struct zsec_scan	*sc = arg;
	json_int_t		 last, every;

	if (strcmp(jstr(z, "type"), "SECONDARY") != 0 ||
	    strcmp(jstr(z, "action"), "DELETE") == 0)
		return 0;
	last = json_integer_value(json_object_get(sc->s->last, jstr(z,
	    "id")));
	every = json_is_string(json_object_get(z, "transferred_at")) ?
	    json_integer_value(json_object_get(z, "refresh")) :
	    sc->s->check_s;
	if (every < sc->s->check_s)
		every = sc->s->check_s;
	if (sc->now - last >= every)
		json_array_append_new(sc->due, json_string(jstr(z, "id")));
	return 0;
}

static void *
zsec_main(void *arg)
{
	struct zsec		*s = arg;
	struct zsec_scan	 sc;
	struct timespec		 ts;
	MDB_txn			*txn;
	json_t			*work, *v;
	const char		*id;
	time_t			 lastscan = 0;
	size_t			 i;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		if (json_object_size(s->queue) == 0 && !s->stopping) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&s->cv, &s->mu, &ts);
		}
		if (s->stopping) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		work = s->queue;
		s->queue = json_object();
		pthread_mutex_unlock(&s->mu);

		json_object_foreach(work, id, v) {
			if (__atomic_load_n(&s->stopping, __ATOMIC_RELAXED))
				break;
			json_object_set_new(s->last, id,
			    json_integer((json_int_t)time(NULL)));
			(void)zsec_pull(s, id, json_is_true(v));
		}
		json_decref(work);

		if (time(NULL) - lastscan < 1)
			continue;
		lastscan = time(NULL);
		sc.s = s;
		sc.now = lastscan;
		sc.due = json_array();
		if (zview_rbegin(s->view, &txn) == 0) {
			(void)zview_zones_each(s->view, txn, NULL,
			    zsec_scan_cb, &sc);
			zview_rend(txn);
		}
		json_array_foreach(sc.due, i, v) {
			if (__atomic_load_n(&s->stopping, __ATOMIC_RELAXED))
				break;
			json_object_set_new(s->last, json_string_value(v),
			    json_integer((json_int_t)time(NULL)));
			(void)zsec_pull(s, json_string_value(v), 0);
		}
		json_decref(sc.due);
	}
	return NULL;
}

static void
zsec_cmd(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *arg)
{
	struct zsec	*s = arg;
	json_t		*j;

	(void)nc;
	(void)sub;
	j = json_loadb(natsMsg_GetData(msg), (size_t)natsMsg_GetDataLength(msg),
	    0, NULL);
	if (json_is_string(json_object_get(j, "zone_id")))
		zsec_kick(s, jstr(j, "zone_id"), 0);
	json_decref(j);
	natsMsg_Destroy(msg);
}

int
zsec_start(struct zsec *s, struct zview *view, struct znats *nats,
    int check_s, zsec_log_fn log, void *log_arg)
{
	natsStatus	st;

	memset(s, 0, sizeof(*s));
	s->view = view;
	s->nats = nats;
	s->check_s = check_s > 0 ? check_s : 10;
	s->timeout_ms = 2000;
	s->log = log;
	s->log_arg = log_arg;
	s->queue = json_object();
	s->last = json_object();
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	st = natsConnection_QueueSubscribe(&s->sub, nats->nc, "zone.cmd.xfr",
	    "xfr", zsec_cmd, s);
	if (st != NATS_OK)
		return znats_err(st);
	if (pthread_create(&s->th, NULL, zsec_main, s) != 0) {
		natsSubscription_Destroy(s->sub);
		s->sub = NULL;
		return -EAGAIN;
	}
	s->running = 1;
	return 0;
}

void
zsec_stop(struct zsec *s)
{
	if (s->sub != NULL) {
		natsSubscription_Unsubscribe(s->sub);
		natsSubscription_Destroy(s->sub);
		s->sub = NULL;
	}
	if (s->running) {
		pthread_mutex_lock(&s->mu);
		s->stopping = 1;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->th, NULL);
		s->running = 0;
	}
	json_decref(s->queue);
	json_decref(s->last);
	s->queue = s->last = NULL;
}
