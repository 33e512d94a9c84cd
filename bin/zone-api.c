/*
 * zone-api: the REST API, wire-compatible with Designate v2.  civetweb
 * threads read each request; lib/zapi.c checks its shape, turns it into
 * one RPC to central and renders the answer, which goes back in one
 * mg_write (headers and body together: see platform-facts.md).
 *
 * With auth_strategy = keystone, every request but GET / and
 * /healthcheck first shows an X-Auth-Token that lib/zauth checks; the
 * token's project, user and roles then replace the X-Auth-Project-ID,
 * X-Auth-User-ID and X-Roles headers that zapi_context() reads.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include <civetweb.h>
#include <jansson.h>

#include <curl/curl.h>

#include "zapi.h"
#include "zauth.h"
#include "zcfg.h"
#include "zerr.h"
#include "zhealth.h"
#include "zlog.h"
#include "znats.h"
#include "zcentral.h"
#include "zdaemon.h"
#include "zready.h"
#include "zptr.h"
#include "zrpc.h"
#include "zsig.h"

#define USAGE	"zone-api [-nv] [-d fd] [-f file] [-l addr:port]"

struct api {
	struct zapi_conf	 conf;
	struct znats		 nc;
	int			 local;		/* api.local_reads */
	struct zview		 view;
	struct zjournal		 journal;
	struct zcentral		 central;
	unsigned long		 nreq;		/* requests answered */
	unsigned long		 nfail;		/* of them, 5xx */
	int			 keystone;	/* auth_strategy keystone */
	int			 verify_project; /* quotas_verify_project_id */
	struct zauth		 auth;
	char			 neutron[512];	/* api.neutron_url */
	char			 region[101];	/* api.region */
};

/* Keys that a SIGHUP cannot change in a running process. */
static const char *const api_fixed[][2] = {
	{ "api", "listen" }, { "api", "threads" }, { "api", "api_base_uri" },
	{ "api", "enable_host_header" }, { "api", "proxy_headers" },
	{ "api", "auth_strategy" }, { "api", "max_body" },
	{ "nats", "url" }, { "nats", "timeout_ms" },
	{ "api", "keystone_url" }, { "api", "keystone_timeout_ms" },
	{ "api", "auth_user" }, { "api", "auth_project" },
	{ "api", "auth_domain" }, { "api", "auth_password_file" },
	{ "api", "token_cache_s" }, { "api", "quotas_verify_project_id" },
	{ "api", "neutron_url" }, { "api", "region" },
};

static int	verbose;

/*
 * ptr.list, ptr.get, ptr.set: add the caller's floating IPs from Neutron
 * (params.fips for a list, params.fip otherwise), then ask central.
 */
static int
api_ptr(struct api *a, const char *method, json_t *params, json_t *ctx,
    json_t **result, struct zfault *f)
{
	const char	*proj, *sudo;
	json_t		*fips = NULL;
	int		 all, rc;

	proj = json_string_value(json_object_get(ctx, "project_id"));
	sudo = json_string_value(json_object_get(ctx, "sudo_project_id"));
	if (sudo != NULL && *sudo != '\0')
		proj = sudo;
	all = json_is_true(json_object_get(ctx, "all_projects"));
	if (strcmp(method, "ptr.list") == 0) {
		if ((rc = zptr_list(&a->auth, a->neutron, a->region,
		    all ? NULL : proj, &fips, f)) != 0)
			return rc;
		json_object_set_new(params, "fips", fips);
	} else {
		if ((rc = zptr_get(&a->auth, a->neutron, a->region,
		    json_string_value(json_object_get(params, "id")),
		    all ? NULL : proj, &fips, f)) != 0)
			return rc;
		json_object_set_new(params, "fip", fips);
	}
	return zrpc_call(&a->nc, ZRPC_CENTRAL, method, params, ctx,
	    a->nc.timeout_ms, result, f);
}

static int
api_rpc(void *arg, const char *method, json_t *params, json_t *ctx,
    json_t **result, struct zfault *f)
{
	static const char *const reads[] = { "zone.get", "zone.list",
	    "zone.nameservers", "recordset.get", "recordset.list",
	    "recordset.list_all", "recordset.find", "quota.get", "limits.get",
	    "pool.list", "pool.get", NULL };
	struct api	*a = arg;
	json_t		*req;
	const char	*pid, *own;
	size_t		 i;
	int		 rc;

	/* api.quotas_verify_project_id: quotas are set only for projects
	 * that Keystone knows */
	if (a->verify_project && strcmp(method, "quota.set") == 0 &&
	    (pid = json_string_value(json_object_get(params, "project_id"))) !=
	    NULL && ((own = json_string_value(json_object_get(ctx,
	    "project_id"))) == NULL || strcmp(pid, own) != 0)) {
		if ((rc = zauth_project_exists(&a->auth, pid)) == 0)
			return zfault_set(f, 400, "invalid_project",
			    "%.64s is not a valid project ID.", pid);
		if (rc < 0)
			return zfault_set(f, 503, "service_unavailable",
			    "The identity service is not available (%s)",
			    strerror(-rc));
	}

	/* floating IP PTRs: the network service says which floating IPs
	 * the project holds, central keeps their PTRs */
	if (strncmp(method, "ptr.", 4) == 0)
		return api_ptr(a, method, params, ctx, result, f);

	/* api.local_reads: answer reads from this host's view, with the
	 * same code central runs, and skip the hop through NATS */
	for (i = 0; a->local && reads[i] != NULL; i++) {
		if (strcmp(method, reads[i]) != 0)
			continue;
		req = json_pack("{s:s,s:O,s:O}", "method", method, "params",
		    params, "context", ctx);
		if (req == NULL)
			return zfault_set(f, 500, "unknown", "out of memory");
		rc = zcentral_handle(&a->central, req, result, f);
		json_decref(req);
		return rc;
	}
	return zrpc_call(&a->nc, ZRPC_CENTRAL, method, params, ctx,
	    a->nc.timeout_ms, result, f);
}

/*
 * Read the request body, at most `max' bytes.  Sets *too_large (and
 * reads no further) when there is more; 0, or -ENOMEM.
 */
static int
api_body(struct mg_connection *conn, const struct mg_request_info *ri,
    size_t max, char **body, size_t *len, int *too_large)
{
	const char	*te;
	char		*buf = NULL, *nb;
	size_t		 cap = 0, n = 0;
	int		 r;

	*body = NULL;
	*len = 0;
	*too_large = 0;
	te = mg_get_header(conn, "Transfer-Encoding");
	if (ri->content_length <= 0 && te == NULL)
		return 0;
	if (ri->content_length > (long long)max) {
		*too_large = 1;
		return 0;
	}
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				*too_large = 1;
				break;
			}
			cap = ri->content_length > 0 ?
			    (size_t)ri->content_length + 1 :
			    (cap == 0 ? 4096 : cap * 2);
			if (cap > max + 1)
				cap = max + 1;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		if ((r = mg_read(conn, buf + n, cap - n)) <= 0)
			break;
		n += (size_t)r;
	}
	if (n > max)
		*too_large = 1;
	*body = buf;
	*len = n;
	return 0;
}

/* The answer to a request that auth refused. */
static void
api_refuse(const struct zapi_request *req, const struct zfault *f,
    struct zapi_response *res)
{
	json_t	*out;

	memset(res, 0, sizeof(*res));
	zapi_request_id(res->request_id);
	res->status = f->status;
	res->ctype = "application/json";
	res->head = strcmp(req->method, "HEAD") == 0;
	strlcpy(res->fault_type, f->type[0] != '\0' ? f->type : "forbidden",
	    sizeof(res->fault_type));
	if (f->type[0] == '\0' || (out = zfault_json(f)) == NULL)
		return;
	json_object_set_new(out, "request_id", json_string(res->request_id));
	if ((res->body = json_dumps(out, JSON_COMPACT)) != NULL)
		res->body_len = strlen(res->body);
	json_decref(out);
}

/*
 * The client will close after this answer (Connection: close, or
 * HTTP/1.0 without keep-alive): say so, or a client that pools
 * connections (urllib3 under tempest) may send its next request on a
 * connection that civetweb is closing.
 */
static int
api_client_closes(const struct mg_request_info *ri,
    const struct zapi_request *req)
{
	const char	*c = zapi_header(req, "Connection");

	if (c != NULL && strcasestr(c, "close") != NULL)
		return 1;
	return ri->http_version != NULL && strcmp(ri->http_version, "1.0") ==
	    0 && (c == NULL || strcasestr(c, "keep-alive") == NULL);
}

static int
api_request(struct mg_connection *conn)
{
	static const char	 oom[] = "HTTP/1.1 500 Internal Server Error\r\n"
	    "Content-Type: application/json\r\nContent-Length: 0\r\n\r\n";
	const struct mg_request_info *ri = mg_get_request_info(conn);
	struct api		*a = ri->user_data;
	struct zapi_header	 hdrs[MG_MAX_HEADERS + 3];
	struct zapi_request	 req;
	struct zapi_response	 res;
	struct zauth_ident	 who;
	struct zfault		 f = ZFAULT_INIT;
	char			*body = NULL, *wire, st[8];
	size_t			 len;
	int			 i, n;

	memset(&req, 0, sizeof(req));
	for (i = n = 0; i < ri->num_headers && i < MG_MAX_HEADERS; i++) {
		if (a->keystone && zauth_identity_header(ri->http_headers[i].name))
			continue;
		hdrs[n].name = ri->http_headers[i].name;
		hdrs[n++].value = ri->http_headers[i].value;
	}
	req.hdrs = hdrs;
	req.nhdrs = n;
	req.method = ri->request_method;
	req.path = ri->local_uri_raw != NULL ? ri->local_uri_raw :
	    ri->local_uri != NULL ? ri->local_uri : "/";
	req.query = ri->query_string;
	if (api_body(conn, ri, a->conf.max_body, &body, &req.body_len,
	    &req.too_large) != 0) {
		mg_write(conn, oom, sizeof(oom) - 1);
		return 500;
	}
	req.body = body;

	if (a->keystone && !zauth_public(req.path) &&
	    zauth_request(&a->auth, &req, hdrs, &who, &f) != 0)
		api_refuse(&req, &f, &res);
	else
		zapi_handle(&a->conf, &req, api_rpc, a, &res);
	zfault_release(&f);
	if (api_client_closes(ri, &req))
		res.close = 1;
	if (res.close)
		mg_disable_connection_keep_alive(conn);
	if ((wire = zapi_response_wire(&res, &len)) != NULL)
		mg_write(conn, wire, len);
	else
		mg_write(conn, oom, sizeof(oom) - 1);

	__atomic_add_fetch(&a->nreq, 1, __ATOMIC_RELAXED);
	snprintf(st, sizeof(st), "%d", res.status);
	if (res.status >= 500) {
		__atomic_add_fetch(&a->nfail, 1, __ATOMIC_RELAXED);
		zlog(ZLOG_WARN, "request.failed", "method", req.method,
		    "path", req.path, "status", st, "type", res.fault_type,
		    "request_id", res.request_id, NULL);
	} else if (zlog_enabled(ZLOG_DEBUG))
		zlog(ZLOG_DEBUG, "request", "method", req.method,
		    "path", req.path, "status", st,
		    "request_id", res.request_id, NULL);
	free(wire);
	free(body);
	zapi_response_release(&res);
	return res.status;
}

/* SIGUSR1 with keystone: the request counters and the token cache's. */
static void
api_auth_stats(struct api *a, const char *n1, const char *n2)
{
	char		 v[4][24];
	unsigned long	*c[4] = { &a->auth.hits, &a->auth.misses,
	    &a->auth.refused, &a->auth.failures };
	int		 i;

	for (i = 0; i < 4; i++)
		snprintf(v[i], sizeof(v[i]), "%lu", __atomic_load_n(c[i],
		    __ATOMIC_RELAXED));
	zlog(ZLOG_INFO, "stats", "requests", n1, "failed", n2,
	    "token_hits", v[0], "token_misses", v[1], "token_refused", v[2],
	    "keystone_failures", v[3], NULL);
}

/* civetweb's own messages, at debug level only. */
static int
api_civetweb_log(const struct mg_connection *conn, const char *msg)
{
	(void)conn;
	zlog(ZLOG_DEBUG, "civetweb", "msg", msg, NULL);
	return 1;
}

/* [log] level, then one step more for each -v. */
static int
api_loglevel(const struct zcfg *cfg)
{
	enum zlog_level	 l;
	int		 i;

	if (zlog_level_parse(zcfg_get(cfg, "log", "level"), &l) != 0)
		return ZE_CONFIG;
	zlog_set_level(l);
	for (i = 0; i < verbose; i++)
		zlog_verbose();
	return 0;
}

static void
api_reload(const struct zcfg *cur)
{
	struct zcfg	 cfg = ZCFG_INIT;
	const char	*o, *n;
	char		 key[64];
	size_t		 i;
	int		 rc;

	cfg.path = cur->path;
	if ((rc = zcfg_load(&cfg)) != 0 || api_loglevel(&cfg) != 0) {
		zlog(ZLOG_WARN, "reload.failed", "err",
		    rc != 0 ? cfg.err : "log.level: bad value", NULL);
		goto out;
	}
	for (i = 0; i < sizeof(api_fixed) / sizeof(api_fixed[0]); i++) {
		o = zcfg_get(cur, api_fixed[i][0], api_fixed[i][1]);
		n = zcfg_get(&cfg, api_fixed[i][0], api_fixed[i][1]);
		if (strcmp(o, n) != 0) {
			snprintf(key, sizeof(key), "%s.%s", api_fixed[i][0],
			    api_fixed[i][1]);
			zlog(ZLOG_WARN, "reload.ignored", "key", key, NULL);
		}
	}
	zlog(ZLOG_INFO, "reloaded", "file", cfg.path, NULL);
out:
	zcfg_release(&cfg);
}

static struct mg_context *
api_listen(struct api *a, const struct zcfg *cfg, char *err, size_t errlen)
{
	struct mg_callbacks	 cb;
	struct mg_init_data	 init;
	struct mg_error_data	 ed;
	unsigned		 code = 0;
	char			 threads[16];
	const char		*opts[] = {
		"listening_ports", zcfg_get(cfg, "api", "listen"),
		"num_threads", threads,
		"tcp_nodelay", "1",
		"enable_keep_alive", "yes",
		"keep_alive_timeout_ms", "5000",
		"request_timeout_ms", "30000",
		NULL
	};

	snprintf(threads, sizeof(threads), "%lld",
	    zcfg_int(cfg, "api", "threads"));
	memset(&cb, 0, sizeof(cb));
	cb.begin_request = api_request;
	cb.log_message = api_civetweb_log;
	init.callbacks = &cb;
	init.user_data = a;
	init.configuration_options = opts;
	err[0] = '\0';
	ed.code = &code;
	ed.text = err;
	ed.text_buffer_size = errlen;
	return mg_start2(&init, &ed);
}

struct api_stopper {
	struct mg_context	*mg;
	int			 done;
};

static void *
api_stopper(void *arg)
{
	struct api_stopper	*s = arg;

	mg_stop(s->mg);
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * mg_stop() finishes the requests in flight, but its accept loop only
 * sees the stop flag when its poll(2) ends, up to 2 s later: connect to
 * the listening port until it has seen it.
 */
static void
api_stop(struct mg_context *mg, const char *listen_addr)
{
	struct api_stopper	 s = { mg, 0 };
	struct mg_server_port	 sp;
	struct sockaddr_in	 sin;
	pthread_t		 t;
	char			 host[64];
	const char		*colon;
	int			 fd, i;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((colon = strrchr(listen_addr, ':')) != NULL &&
	    (size_t)(colon - listen_addr) < sizeof(host)) {
		memcpy(host, listen_addr, colon - listen_addr);
		host[colon - listen_addr] = '\0';
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1 ||
		    sin.sin_addr.s_addr == htonl(INADDR_ANY))
			sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	if (mg_get_server_ports(mg, 1, &sp) != 1 ||
	    pthread_create(&t, NULL, api_stopper, &s) != 0) {
		mg_stop(mg);
		return;
	}
	sin.sin_port = htons((unsigned short)sp.port);
	for (i = 0; i < 250 && !__atomic_load_n(&s.done, __ATOMIC_ACQUIRE);
	    i++) {
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0) {
			(void)connect(fd, (struct sockaddr *)&sin,
			    sizeof(sin));
			close(fd);
		}
		usleep(20000);
	}
	pthread_join(t, NULL);
}

int
main(int argc, char *argv[])
{
	struct zcfg		 cfg = ZCFG_INIT;
	struct api		 a;
	struct mg_context	*mg;
	struct zhealth		 hb;
	sigset_t		 sigs;
	const char		*laddr = NULL;
	char			 err[256], n1[24], n2[24];
	int			 ch, rc, sig, readyfd = -1, checkonly = 0;

	zlog_init("zone-api");
	while ((ch = getopt(argc, argv, "d:f:l:nv")) != -1) {
		switch (ch) {
		case 'd':
			if ((readyfd = zready_parse(optarg)) < 0)
				zdie(EX_USAGE, "usage", "err",
				    "bad readiness descriptor", "fd", optarg,
				    NULL);
			break;
		case 'f':
			cfg.path = optarg;
			break;
		case 'l':
			laddr = optarg;
			break;
		case 'n':
			checkonly = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			zdie_usage(USAGE);
		}
	}
	if (optind != argc)
		zdie_usage(USAGE);

	if ((rc = zcfg_load(&cfg)) != 0 ||
	    (laddr != NULL && (rc = zcfg_set(&cfg, "api.listen", laddr)) != 0))
		zdie(zerr_exit(rc), "config.invalid", "err", cfg.err, NULL);
	if (api_loglevel(&cfg) != 0)
		zdie(EX_CONFIG, "config.invalid", "err",
		    "log.level: bad value", NULL);
	memset(&a, 0, sizeof(a));
	a.nc = (struct znats)ZNATS_INIT;
	if (zapi_conf_load(&a.conf, &cfg, err, sizeof(err)) != 0)
		zdie(EX_CONFIG, "config.invalid", "err", err, NULL);
	a.keystone = strcmp(zcfg_get(&cfg, "api", "auth_strategy"),
	    "keystone") == 0;
	if (a.keystone && zauth_init(&a.auth, &cfg, err, sizeof(err)) != 0)
		zdie(EX_CONFIG, "config.invalid", "err", err, NULL);
	strlcpy(a.neutron, zcfg_get(&cfg, "api", "neutron_url"),
	    sizeof(a.neutron));
	while (*a.neutron != '\0' && a.neutron[strlen(a.neutron) - 1] == '/')
		a.neutron[strlen(a.neutron) - 1] = '\0';
	strlcpy(a.region, zcfg_get(&cfg, "api", "region"), sizeof(a.region));
	if (!a.keystone) {
		/* no token: Neutron without auth (zauth_fetch) */
		curl_global_init(CURL_GLOBAL_DEFAULT);
		a.auth.timeout_ms = zcfg_int(&cfg, "api", "keystone_timeout_ms");
	}
	a.verify_project = a.keystone &&
	    zcfg_bool(&cfg, "api", "quotas_verify_project_id");
	if (checkonly) {
		zcfg_print(&cfg, stdout);
		if (a.keystone)
			zauth_release(&a.auth);
		zcfg_release(&cfg);
		return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
	}

	zsig_block(&sigs);		/* before nats.c and civetweb threads */
	a.local = zcfg_bool(&cfg, "api", "local_reads");
	if (a.local) {
		zdaemon_follow(&cfg, "zone-api", &a.view, &a.nc, &a.journal);
		zcentral_init(&a.central, &cfg, &a.view, &a.journal);
	} else if (znats_connect(&a.nc, &cfg, "zone-api") != 0)
		zdie(EX_UNAVAILABLE, "nats.unavailable", "url",
		    zcfg_get(&cfg, "nats", "url"), "err", a.nc.err, NULL);
	mg_init_library(0);
	if ((mg = api_listen(&a, &cfg, err, sizeof(err))) == NULL)
		zdie(EX_OSERR, "listen.failed", "listen",
		    zcfg_get(&cfg, "api", "listen"), "err",
		    err[0] != '\0' ? err : "cannot start civetweb", NULL);

	if ((rc = zhealth_start(&hb, &a.nc, &cfg, "zone-api")) < 0)
		zlog(ZLOG_WARN, "heartbeat.unavailable", "err", zerr_str(rc),
		    NULL);
	zready_done(readyfd);
	zlog(ZLOG_INFO, "started", "listen", zcfg_get(&cfg, "api", "listen"),
	    "nats", zcfg_get(&cfg, "nats", "url"), NULL);
	/* Keystone may come up after us: a failed login is only a warning
	 * (and readiness does not wait for it) */
	if (a.keystone && zauth_ping(&a.auth, err, sizeof(err)) != 0)
		zlog(ZLOG_WARN, "keystone.unavailable", "url", a.auth.url,
		    "err", err, NULL);
	for (;;) {
		if ((sig = zsig_wait(&sigs, 1000)) == 0)
			continue;
		if (sig == SIGHUP) {
			api_reload(&cfg);
			if (a.keystone) {
				zauth_flush(&a.auth);
				zlog(ZLOG_INFO, "auth.cache_flushed", NULL);
			}
		} else if (sig == SIGUSR1) {
			snprintf(n1, sizeof(n1), "%lu", __atomic_load_n(&a.nreq,
			    __ATOMIC_RELAXED));
			snprintf(n2, sizeof(n2), "%lu", __atomic_load_n(&a.nfail,
			    __ATOMIC_RELAXED));
			if (a.keystone)
				api_auth_stats(&a, n1, n2);
			else
				zlog(ZLOG_INFO, "stats", "requests", n1,
				    "failed", n2, NULL);
		} else
			break;			/* TERM, INT */
	}
	api_stop(mg, zcfg_get(&cfg, "api", "listen"));
	mg_exit_library();
	if (a.local) {
		zjournal_stop(&a.journal);
		zcentral_release(&a.central);
	}
	if (a.keystone)
		zauth_release(&a.auth);
	zhealth_stop(&hb);
	znats_close(&a.nc);
	if (a.local)
		zview_close(&a.view);
	nats_Close();
	zcfg_release(&cfg);
	zlog(ZLOG_INFO, "stopped", "signal", sigabbrev_np(sig), NULL);
	return EX_OK;
}
