/*
 * zone-manage: operator tasks.
 *   init           create the journal stream and the KV buckets
 *   view rebuild   drop this host's LMDB view and build it again from
 *                  the journal
 *   view sync      bring the view up to the journal's end, then exit
 *   view dump      print every key of the view, sorted (for comparing)
 *   pool update FILE
 *                  journal the pools of a pools.yaml file
 *   pool list      print the pools of this host's view, one JSON per line
 *   zone status ID ACTIVE|ERROR
 *                  report a zone's propagation by hand, as zone-notify
 *                  does (for stacks without pool targets)
 *   zone forget ID take an abandoned zone off the name servers too
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "zcfg.h"
#include "zerr.h"
#include "zevents.h"
#include "zjournal.h"
#include "zlog.h"
#include "znats.h"
#include "zpool.h"
#include "zrpc.h"
#include "zview.h"

#define USAGE	"zone-manage [-v] [-f file] init | view rebuild | view sync | view dump | pool update FILE | pool list | zone status ID ACTIVE|ERROR | zone forget ID | rpc METHOD [PARAMS]"

static int
manage_connect(struct zcfg *cfg, struct znats *z)
{
	if (znats_connect(z, cfg, "zone-manage") < 0)
		zdie(EX_UNAVAILABLE, "nats.unavailable", "url",
		    zcfg_get(cfg, "nats", "url"), "err", z->err, NULL);
	return 0;
}

static int
manage_init(struct zcfg *cfg)
{
	struct znats	z = ZNATS_INIT;
	int		rc;

	manage_connect(cfg, &z);
	rc = zjournal_ensure(&z, (int)zcfg_int(cfg, "nats", "replicas"));
	if (rc == 0)
		rc = zevents_ensure(&z, cfg);
	znats_close(&z);
	if (rc < 0)
		zdie(zerr_exit(rc), "init.failed", "err", zerr_str(rc), NULL);
	zlog(ZLOG_INFO, "init.done", "stream", ZJ_STREAM, "bucket", ZJ_NAMES,
	    NULL);
	return EX_OK;
}

static int
manage_view(struct zcfg *cfg, const char *verb)
{
	struct znats	 z = ZNATS_INIT;
	struct zview	 v;
	struct zjournal	 j;
	const char	*path = zcfg_get(cfg, "db", "path");
	size_t		 map = (size_t)zcfg_int(cfg, "db", "map_size_mb");
	char		 seq[32];
	int		 rc;

	if (strcmp(verb, "dump") == 0) {
		if ((rc = zview_open(&v, path, map)) < 0)
			zdie(EX_CANTCREAT, "db.open_failed", "path", path, "err",
			    zerr_str(rc), NULL);
		rc = zview_dump(&v, stdout);
		zview_close(&v);
		return rc < 0 ? EX_IOERR : EX_OK;
	}
	if (strcmp(verb, "rebuild") == 0 && (rc = zview_destroy(path)) < 0)
		zdie(EX_CANTCREAT, "db.remove_failed", "path", path, "err",
		    zerr_str(rc), NULL);
	if ((rc = zview_open(&v, path, map)) < 0)
		zdie(EX_CANTCREAT, "db.open_failed", "path", path, "err",
		    zerr_str(rc), NULL);
	manage_connect(cfg, &z);
	if ((rc = zjournal_start(&j, &z, &v)) < 0 ||
	    (rc = zjournal_sync(&j, 600000)) < 0)
		zdie(zerr_exit(rc), "view.sync_failed", "err", zerr_str(rc),
		    NULL);
	snprintf(seq, sizeof(seq), "%llu", (unsigned long long)j.applied);
	zjournal_stop(&j);
	znats_close(&z);
	zview_close(&v);
	zlog(ZLOG_INFO, "view.done", "path", path, "applied", seq, NULL);
	return EX_OK;
}

static int
manage_pool_update(struct zcfg *cfg, const char *file)
{
	struct znats	 z = ZNATS_INIT;
	struct zjournal	 j;
	json_t		*pools, *p, *msg;
	FILE		*fp;
	char		 err[256], now[40];
	time_t		 t = time(NULL);
	struct tm	 tm;
	uint64_t	 seq;
	size_t		 i;
	int		 rc = 0;

	if ((fp = fopen(file, "r")) == NULL)
		zdie(EX_NOINPUT, "pool.file_missing", "file", file, "err",
		    strerror(errno), NULL);
	pools = zpool_parse_yaml(fp, zcfg_get(cfg, "central",
	    "default_pool_id"), err, sizeof(err));
	fclose(fp);
	if (pools == NULL)
		zdie(EX_DATAERR, "pool.file_bad", "file", file, "err", err, NULL);
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%S.000000", &tm);
	manage_connect(cfg, &z);
	if ((rc = zjournal_ensure(&z, (int)zcfg_int(cfg, "nats",
	    "replicas"))) < 0)
		zdie(zerr_exit(rc), "init.failed", "err", zerr_str(rc), NULL);
	memset(&j, 0, sizeof(j));
	j.nats = &z;
	json_array_foreach(pools, i, p) {
		json_object_set_new(p, "created_at", json_string(now));
		json_object_set_new(p, "updated_at", json_null());
		msg = json_pack("{s:O}", "pool", p);
		rc = zjournal_publish(&j, "pool", json_string_value(
		    json_object_get(p, "id")), msg, 0, &seq);
		json_decref(msg);
		if (rc < 0)
			zdie(zerr_exit(rc), "pool.publish_failed", "pool",
			    json_string_value(json_object_get(p, "name")), "err",
			    zerr_str(rc), NULL);
		zlog(ZLOG_INFO, "pool.updated", "pool", json_string_value(
		    json_object_get(p, "name")), "id", json_string_value(
		    json_object_get(p, "id")), NULL);
	}
	json_decref(pools);
	znats_close(&z);
	return EX_OK;
}

static int
manage_pool_print(json_t *p, void *arg)
{
	(void)arg;
	json_dumpf(p, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	return 0;
}

static int
manage_pool_list(struct zcfg *cfg)
{
	struct zview	 v;
	MDB_txn		*txn;
	const char	*path = zcfg_get(cfg, "db", "path");
	int		 rc;

	if ((rc = zview_open(&v, path, (size_t)zcfg_int(cfg, "db",
	    "map_size_mb"))) < 0)
		zdie(EX_CANTCREAT, "db.open_failed", "path", path, "err",
		    zerr_str(rc), NULL);
	if ((rc = zview_rbegin(&v, &txn)) == 0) {
		rc = zview_pools_each(&v, txn, manage_pool_print, NULL);
		zview_rend(txn);
	}
	zview_close(&v);
	return rc < 0 ? EX_IOERR : EX_OK;
}

static int
manage_zone_status(struct zcfg *cfg, const char *id, const char *status)
{
	struct znats	 z = ZNATS_INIT;
	struct zfault	 f = ZFAULT_INIT;
	json_t		*ctx, *params, *zone = NULL, *res = NULL;
	int		 rc;

	if (strcmp(status, "ACTIVE") != 0 && strcmp(status, "ERROR") != 0)
		zdie_usage(USAGE);
	manage_connect(cfg, &z);
	ctx = json_pack("{s:s,s:[s],s:b}", "project_id", "", "roles", "admin",
	    "all_projects", 1);
	params = json_pack("{s:s}", "zone_id", id);
	rc = zrpc_call(&z, ZRPC_CENTRAL, "zone.get", params, ctx, z.timeout_ms,
	    &zone, &f);
	if (rc == 0) {
		json_object_set_new(params, "status", json_string(status));
		json_object_set(params, "serial", json_object_get(zone, "serial"));
		json_object_set(params, "action", json_object_get(zone, "action"));
		rc = zrpc_call(&z, ZRPC_CENTRAL, "zone.set_status", params, ctx,
		    z.timeout_ms, &res, &f);
	}
	if (rc == 0) {
		json_dumpf(res, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else
		zlog(ZLOG_ERROR, "zone.status_failed", "zone", id, "type",
		    f.type, "err", f.message, NULL);
	json_decref(ctx);
	json_decref(params);
	json_decref(zone);
	json_decref(res);
	zfault_release(&f);
	znats_close(&z);
	if (rc == 0)
		return EX_OK;
	return f.status == 404 ? 1 : f.status >= 500 ? EX_UNAVAILABLE :
	    EX_DATAERR;
}

/* One call to zone-central as an admin of every project (edit_managed
 * too), `params' taken; the result on standard output. */
static int
manage_call(struct zcfg *cfg, const char *method, json_t *params)
{
	struct znats	 z = ZNATS_INIT;
	struct zfault	 f = ZFAULT_INIT;
	json_t		*ctx, *res = NULL;
	int		 rc;

	manage_connect(cfg, &z);
	ctx = json_pack("{s:s,s:[s],s:b,s:b}", "project_id", "zone-manage",
	    "roles", "admin", "all_projects", 1, "edit_managed", 1);
	rc = zrpc_call(&z, ZRPC_CENTRAL, method, params, ctx, z.timeout_ms,
	    &res, &f);
	if (rc == 0) {
		json_dumpf(res, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else
		zlog(ZLOG_ERROR, "rpc.failed", "method", method, "status",
		    f.status >= 500 ? "unavailable" : "refused", "type", f.type,
		    "err", f.message, NULL);
	json_decref(ctx);
	json_decref(params);
	json_decref(res);
	znats_close(&z);
	rc = rc == 0 ? EX_OK : f.status == 404 ? 1 : f.status >= 500 ?
	    EX_UNAVAILABLE : EX_DATAERR;
	zfault_release(&f);
	return rc;
}

/* rpc METHOD [PARAMS]: PARAMS a JSON object (default {}). */
static int
manage_rpc(struct zcfg *cfg, const char *method, const char *arg)
{
	json_error_t	 jerr;
	json_t		*params;

	if ((params = json_loads(arg != NULL ? arg : "{}", 0, &jerr)) == NULL ||
	    !json_is_object(params))
		zdie(EX_DATAERR, "rpc.bad_params", "err", params == NULL ?
		    jerr.text : "params must be a JSON object", NULL);
	return manage_call(cfg, method, params);
}

int
main(int argc, char *argv[])
{
	struct zcfg	cfg = ZCFG_INIT;
	int		ch, rc, verbose = 0;

	zlog_init("zone-manage");
	while ((ch = getopt(argc, argv, "f:v")) != -1) {
		switch (ch) {
		case 'f':
			cfg.path = optarg;
			break;
		case 'v':
			zlog_verbose();
			verbose = 1;
			break;
		default:
			zdie_usage(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if ((rc = zcfg_load(&cfg)) < 0)
		zdie(zerr_exit(rc), "config.invalid", "err", cfg.err, NULL);
	if (!verbose)
		zlog_set_level(zcfg_log_level(&cfg));
	if (argc == 1 && strcmp(argv[0], "init") == 0)
		rc = manage_init(&cfg);
	else if (argc == 2 && strcmp(argv[0], "view") == 0 &&
	    (strcmp(argv[1], "rebuild") == 0 || strcmp(argv[1], "sync") == 0 ||
	    strcmp(argv[1], "dump") == 0))
		rc = manage_view(&cfg, argv[1]);
	else if (argc == 3 && strcmp(argv[0], "pool") == 0 &&
	    strcmp(argv[1], "update") == 0)
		rc = manage_pool_update(&cfg, argv[2]);
	else if (argc == 2 && strcmp(argv[0], "pool") == 0 &&
	    strcmp(argv[1], "list") == 0)
		rc = manage_pool_list(&cfg);
	else if (argc == 4 && strcmp(argv[0], "zone") == 0 &&
	    strcmp(argv[1], "status") == 0)
		rc = manage_zone_status(&cfg, argv[2], argv[3]);
	else if (argc == 3 && strcmp(argv[0], "zone") == 0 &&
	    strcmp(argv[1], "forget") == 0)
		rc = manage_call(&cfg, "zone.forget",
		    json_pack("{s:s}", "zone_id", argv[2]));
	else if ((argc == 2 || argc == 3) && strcmp(argv[0], "rpc") == 0)
		rc = manage_rpc(&cfg, argv[1], argc == 3 ? argv[2] : NULL);
	else
		zdie_usage(USAGE);
	zcfg_release(&cfg);
	nats_Close();
	return rc;
}
