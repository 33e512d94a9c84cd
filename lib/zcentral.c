#include <sys/random.h>
#include <sys/time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "zcentral.h"
#include "zerr.h"
#include "zevents.h"
#include "zhealth.h"
#include "zimport.h"
#include "zkv.h"
#include "zptr.h"
#include "ztime.h"
#include "zuuid.h"
#include "zvalid.h"

#define RETRIES	50
#define ZC_SHARDS	ZKV_NSHARDS
#define ZC_NOCHANGE	1	/* a mutation found nothing to change */

struct zctx {
	const char	*project;	/* effective: sudo project or own */
	int		 admin, writer, all, edit_managed, hide_counts;
	int		 delete_shares;
	int		 service;	/* central's own work (PTR zones): no
					 * quota; never set from a request */
};

static const char *const zone_keys[] = { "id", "pool_id", "project_id",
    "name", "email", "description", "ttl", "serial", "status", "action",
    "version", "attributes", "type", "masters", "created_at", "updated_at",
    "transferred_at", "shared", NULL };
static const char *const rrset_keys[] = { "id", "zone_id", "project_id",
    "name", "zone_name", "type", "records", "description", "ttl", "status",
    "action", "version", "created_at", "updated_at", NULL };

/* --- small helpers --- */

static const char *
zs(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static json_int_t
zi(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}


uint32_t
zcentral_next_serial(uint32_t old, uint32_t now)
{
	return now > old ? now : old + 1;
}

int
zcentral_rname(const char *email, char *out, size_t len)
{
	const char	*at = strchr(email, '@'), *p;
	size_t		 o = 0;

	if (at == NULL)
		return -EINVAL;
	for (p = email; p < at; p++) {
		if (*p == '.' && o + 1 < len)
			out[o++] = '\\';
		if (o + 1 >= len)
			return -ENAMETOOLONG;
		out[o++] = *p;
	}
	if (snprintf(out + o, len - o, ".%s%s", at + 1,
	    at[strlen(at) - 1] == '.' ? "" : ".") >= (int)(len - o))
		return -ENAMETOOLONG;
	return 0;
}

/* SQL LIKE with '*' for any run of characters; case-insensitive. */
int
zcentral_match(const char *pat, const char *s)
{
	const char	*star = NULL, *ss = s;

	while (*s != '\0') {
		if (*pat == '*') {
			star = pat++;
			ss = s;
		} else if (tolower((unsigned char)*pat) ==
		    tolower((unsigned char)*s)) {
			pat++;
			s++;
		} else if (star != NULL) {
			pat = star + 1;
			s = ++ss;
		} else
			return 0;
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static json_t *
zc_render(const json_t *o, const char *const *keys)
{
	json_t	*r, *v;
	size_t	 i;

	if (keys == NULL)
		return json_deep_copy(o);
	r = json_object();
	for (i = 0; keys[i] != NULL; i++)
		if ((v = json_object_get(o, keys[i])) != NULL)
			json_object_set(r, keys[i], v);
	if (keys == zone_keys && json_object_get(r, "shared") == NULL)
		json_object_set_new(r, "shared", json_false());
	return r;
}

static int
zc_stripe(const char *id)
{
	unsigned	h = 5381;

	while (*id != '\0')
		h = h * 33 + (unsigned char)*id++;
	return (int)(h % ZC_STRIPES);
}

static int
zc_unavailable(struct zfault *f, int rc)
{
	if (rc == ZE_TIMEOUT)
		return zfault_set(f, 504, "timeout", NULL);
	if (rc == ZE_FAULT)
		return rc;
	return zfault_set(f, 503, "service_unavailable",
	    "the journal is not available (%s)", zerr_str(rc));
}

/* --- context and policy --- */

static int
zc_context(const json_t *j, struct zctx *x, struct zfault *f)
{
	const json_t	*roles, *r;
	const char	*sudo;
	size_t		 i;

	memset(x, 0, sizeof(*x));
	roles = json_object_get(j, "roles");
	json_array_foreach(roles, i, r) {
		if (strcasecmp(json_string_value(r) ? json_string_value(r) : "",
		    "admin") == 0)
			x->admin = x->writer = 1;
		if (strcasecmp(json_string_value(r) ? json_string_value(r) : "",
		    "member") == 0)
			x->writer = 1;
	}
	x->project = zs(j, "project_id");
	x->all = json_is_true(json_object_get(j, "all_projects"));
	x->edit_managed = json_is_true(json_object_get(j, "edit_managed"));
	x->hide_counts = json_is_true(json_object_get(j, "hide_counts"));
	x->delete_shares = json_is_true(json_object_get(j, "delete_shares"));
	sudo = json_string_value(json_object_get(j, "sudo_project_id"));
	if ((x->all || (sudo != NULL && *sudo != '\0') || x->edit_managed) &&
	    !x->admin)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	if (sudo != NULL && *sudo != '\0')
		x->project = sudo;
	return 0;
}

/* Is `zone' shared with the caller's project (services.md 2.7)? */
static int
zc_shared_with(const struct zctx *x, const json_t *zone)
{
	const json_t	*s;
	size_t		 i;

	json_array_foreach(json_object_get(zone, "shares"), i, s)
		if (strcmp(zs(s, "target_project_id"), x->project) == 0)
			return 1;
	return 0;
}

static int
zc_visible(const struct zctx *x, const json_t *zone)
{
	if (zone == NULL || json_is_true(json_object_get(zone, "deleted")))
		return 0;
	return x->all || strcmp(zs(zone, "project_id"), x->project) == 0 ||
	    zc_shared_with(x, zone);
}

/* The caller owns `zone' (or acts for all projects). */
static int
zc_owner(const struct zctx *x, const json_t *zone)
{
	return x->all || strcmp(zs(zone, "project_id"), x->project) == 0;
}

static int
zc_need_writer(const struct zctx *x, struct zfault *f)
{
	if (!x->writer)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	return 0;
}

/* --- init --- */

json_t *
zcentral_ns_records(const char *spec)
{
	json_t	*a = json_array();
	char	*dup, *tok, *save = NULL, *colon;
	long	 prio;
	size_t	 i, j;

	if ((dup = strdup(spec)) == NULL)
		return a;
	for (tok = strtok_r(dup, " ,", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,", &save)) {
		prio = (long)json_array_size(a) + 1;
		if ((colon = strrchr(tok, ':')) != NULL) {
			*colon = '\0';
			prio = strtol(colon + 1, NULL, 10);
		}
		json_array_append_new(a, json_pack("{s:s,s:i}", "hostname", tok,
		    "priority", (int)prio));
	}
	free(dup);
	/* sort by priority (insertion sort: the list is short) */
	for (i = 1; i < json_array_size(a); i++)
		for (j = i; j > 0 && zi(json_array_get(a, j - 1), "priority") >
		    zi(json_array_get(a, j), "priority"); j--) {
			json_t *t = json_incref(json_array_get(a, j));
			json_array_set(a, j, json_array_get(a, j - 1));
			json_array_set_new(a, j - 1, t);
		}
	return a;
}

int
zcentral_init(struct zcentral *c, const struct zcfg *cfg, struct zview *v,
    struct zjournal *j)
{
	int	i;

	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->view = v;
	c->journal = j;
	c->timeout_ms = (int)zcfg_int(cfg, "nats", "timeout_ms");
	c->read_barrier = zcfg_bool(cfg, "central", "read_barrier");
	for (i = 0; i < ZC_STRIPES; i++) {
		pthread_mutex_init(&c->stripes[i].mu, NULL);
		pthread_cond_init(&c->stripes[i].cv, NULL);
	}
	c->ns_records = zcentral_ns_records(zcfg_get(cfg, "central",
	    "ns_records"));
	return 0;
}

void
zcentral_release(struct zcentral *c)
{
	json_decref(c->ns_records);
	c->ns_records = NULL;
}

static long long
zc_cfg(const struct zcentral *c, const char *key)
{
	return zcfg_int(c->cfg, "central", key);
}

/* --- pools --- */

/*
 * The ns_records of a pool: the pool's own when pools are loaded, else
 * central.ns_records (a stack without a pools file).  A new reference.
 */
static json_t *
zc_pool_ns(struct zcentral *c, MDB_txn *txn, const char *pool_id)
{
	json_t	*pool = NULL, *ns;

	if (zview_pool(c->view, txn, pool_id, &pool) == 0) {
		ns = json_incref(json_object_get(pool, "ns_records"));
		json_decref(pool);
		return ns != NULL ? ns : json_array();
	}
	return json_incref(c->ns_records);
}

struct zc_pick {
	const json_t	*attrs;
	char		 id[40];
	int		 n;
};

static int
zc_pick_cb(json_t *pool, void *arg)
{
	struct zc_pick	*p = arg;
	const char	*k;
	json_t		*v, *pa = json_object_get(pool, "attributes");

	json_object_foreach((json_t *)(uintptr_t)p->attrs, k, v)
		if (!json_equal(json_object_get(pa, k), v))
			return 0;
	if (p->n++ == 0)
		snprintf(p->id, sizeof(p->id), "%s", zs(pool, "id"));
	return 0;
}

/*
 * The scheduler: attribute pool_id picks that pool (admins only); other
 * attributes pick the first pool whose attributes hold them all; else
 * the default pool.
 */
static int
zc_pick_pool(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    const json_t *attrs, char *out, size_t len, struct zfault *f)
{
	struct zc_pick	 p;
	json_t		*pool = NULL, *rest;
	const char	*want = zs(attrs, "pool_id");

	if (*want != '\0') {
		if (!x->admin)
			return zfault_set(f, 403, "forbidden",
			    "Only admins may choose a pool");
		if (zview_pool(c->view, txn, want, &pool) < 0)
			return zfault_set(f, 400, "invalid_object",
			    "Pool %s does not exist", want);
		json_decref(pool);
		snprintf(out, len, "%s", want);
		return 0;
	}
	snprintf(out, len, "%s", zcfg_get(c->cfg, "central", "default_pool_id"));
	if (json_object_size(attrs) == 0)
		return 0;
	memset(&p, 0, sizeof(p));
	rest = json_deep_copy(attrs);
	p.attrs = rest;
	(void)zview_pools_each(c->view, txn, zc_pick_cb, &p);
	json_decref(rest);
	if (p.n > 0)
		snprintf(out, len, "%s", p.id);
	return 0;
}

static const char *const pool_keys[] = { "id", "project_id", "name",
    "description", "attributes", "ns_records", "created_at", "updated_at",
    NULL };

/* --- the SOA and NS recordsets --- */

static json_t *
zc_soa_text(const struct zcentral *c, const json_t *zone)
{
	char	rname[600], buf[1024];

	if (zcentral_rname(zs(zone, "email"), rname, sizeof(rname)) < 0)
		rname[0] = '\0';
	snprintf(buf, sizeof(buf), "%s %s %" JSON_INTEGER_FORMAT " %"
	    JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %"
	    JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT,
	    *zs(zone, "mname") != '\0' ? zs(zone, "mname") :
	    zs(json_array_get(c->ns_records, 0), "hostname"), rname,
	    zi(zone, "serial"), zi(zone, "refresh"), zi(zone, "retry"),
	    zi(zone, "expire"), zi(zone, "minimum"));
	return json_string(buf);
}

static json_t *
zc_new_rrset(const json_t *zone, const char *name, const char *type,
    json_t *records_new, json_t *ttl_new, const char *project,
    const char *now)
{
	char	id[37];

	zuuid_new(id);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:n,s:o,s:s,s:s,s:i,"
	    "s:s,s:n}",
	    "id", id, "zone_id", zs(zone, "id"), "project_id", project,
	    "name", name, "zone_name", zs(zone, "name"), "type", type,
	    "records", records_new, "description", "ttl", ttl_new,
	    "status", "PENDING", "action", "CREATE", "version", 1,
	    "created_at", now, "updated_at");
}

/*
 * A change that DNS servers must learn: bump the serial, mark the zone
 * PENDING/UPDATE and rewrite the SOA recordset (added to `msg').
 */
static int
zc_bump(struct zcentral *c, MDB_txn *txn, json_t *zone, json_t *msg,
    const char *now)
{
	json_t		*soa = NULL, *puts;
	uint32_t	 serial;
	int		 rc;

	serial = zcentral_next_serial((uint32_t)zi(zone, "serial"),
	    (uint32_t)time(NULL));
	json_object_set_new(zone, "serial", json_integer(serial));
	json_object_set_new(zone, "status", json_string("PENDING"));
	if (strcmp(zs(zone, "action"), "DELETE") != 0)
		json_object_set_new(zone, "action", json_string("UPDATE"));
	if (zcfg_bool(c->cfg, "central", "delayed_notify"))
		json_object_set_new(zone, "delayed_notify", json_true());
	json_object_set_new(zone, "version", json_integer(zi(zone, "version") + 1));
	json_object_set_new(zone, "updated_at", json_string(now));
	rc = zview_rrset_by_name(c->view, txn, zs(zone, "id"), zs(zone, "name"),
	    "SOA", &soa);
	if (rc < 0)
		return rc == ZE_NOTFOUND ? 0 : rc;
	json_object_set_new(soa, "records", json_pack("[o]",
	    zc_soa_text(c, zone)));
	json_object_set_new(soa, "version", json_integer(zi(soa, "version") + 1));
	json_object_set_new(soa, "updated_at", json_string(now));
	json_object_set_new(soa, "status", json_string("PENDING"));
	json_object_set_new(soa, "action", json_string("UPDATE"));
	if ((puts = json_object_get(msg, "rrsets_put")) == NULL) {
		puts = json_array();
		json_object_set_new(msg, "rrsets_put", puts);
	}
	json_array_append_new(puts, soa);
	return 0;
}

/* --- notifications (zone-events(7)): ride the journal message --- */

static const char *const zone_payload_keys[] = { "id", "name", "email",
    "ttl", "serial", "refresh", "retry", "expire", "minimum", "status",
    "action", "type", "pool_id", "parent_zone_id", "description", "masters",
    "attributes", "transferred_at", "delayed_notify", "increment_serial",
    "deleted", "deleted_at", "version", "created_at", "updated_at", NULL };

/* A zone as Designate's notifications show it: flat, tenant_id. */
json_t *
zcentral_zone_payload(const json_t *zone)
{
	json_t	*p = json_object(), *v;
	size_t	 i;

	for (i = 0; zone_payload_keys[i] != NULL; i++) {
		v = json_object_get(zone, zone_payload_keys[i]);
		json_object_set_new(p, zone_payload_keys[i],
		    v != NULL ? json_deep_copy(v) : json_null());
	}
	if (!json_is_boolean(json_object_get(p, "delayed_notify")))
		json_object_set_new(p, "delayed_notify", json_false());
	if (!json_is_boolean(json_object_get(p, "increment_serial")))
		json_object_set_new(p, "increment_serial", json_false());
	if (!json_is_boolean(json_object_get(p, "deleted")))
		json_object_set_new(p, "deleted", json_false());
	json_object_set(p, "tenant_id", json_object_get(zone, "project_id"));
	json_object_set_new(p, "shard", json_integer(zkv_shard_of(zs(zone,
	    "id"))));
	return p;
}

static json_t *
zc_rrset_payload(const json_t *rs)
{
	json_t		*p = zc_render(rs, rrset_keys), *recs = json_array(), *r;
	const json_t	*tags = json_object_get(rs, "managed_by");
	size_t		 i;

	json_object_set(p, "tenant_id", json_object_get(rs, "project_id"));
	json_object_del(p, "project_id");
	json_array_foreach(json_object_get(rs, "records"), i, r)
		json_array_append_new(recs, json_pack("{s:O,s:O,s:O,s:O,s:b}",
		    "data", r, "status", json_object_get(p, "status"),
		    "action", json_object_get(p, "action"),
		    "serial", json_object_get(rs, "serial") ?
		    json_object_get(rs, "serial") : json_null(),
		    "managed", json_object_get(tags, json_string_value(r)) !=
		    NULL));
	json_object_set_new(p, "records", recs);
	return p;
}

/* Queue event `type' (payload stolen) on journal message `msg'. */
static void
zc_event(json_t *msg, const char *type, json_t *payload)
{
	json_t	*evs = json_object_get(msg, "events");

	if (evs == NULL) {
		evs = json_array();
		json_object_set_new(msg, "events", evs);
	}
	json_array_append_new(evs, zevents_new(type, payload, NULL));
}

/* dns.zone.<what> and its legacy twin dns.domain.<what>. */
static void
zc_zone_event(json_t *msg, const char *what, const json_t *zone)
{
	char	t[64];

	snprintf(t, sizeof(t), "dns.zone.%s", what);
	zc_event(msg, t, zcentral_zone_payload(zone));
	snprintf(t, sizeof(t), "dns.domain.%s", what);
	zc_event(msg, t, zcentral_zone_payload(zone));
}

/*
 * Reads first wait until the view holds everything the journal held when
 * the read began, so that a write acknowledged through any copy is seen.
 * Where every central shares one view (one host) the writer's own wait
 * already guarantees it, and central.read_barrier = false skips the
 * round trip.
 */
static int
zc_barrier(struct zcentral *c)
{
	if (!c->read_barrier)
		return 0;
	return zjournal_sync(c->journal, c->timeout_ms);
}

/* --- objects that ride a zone's journal message ("objs") --- */

/* Put `obj' (borrowed) of `kind' with the zone message `msg'. */
static void
zc_msg_obj(json_t *msg, const char *kind, const json_t *obj)
{
	json_t	*a = json_object_get(msg, "objs"), *o;

	if (a == NULL) {
		a = json_array();
		json_object_set_new(msg, "objs", a);
	}
	o = json_deep_copy(obj);
	json_object_del(o, "_seq");
	json_array_append_new(a, json_pack("{s:s,s:o}", "kind", kind, "obj", o));
}

/* Remove object `id' of `kind' with the zone message `msg'. */
static void
zc_msg_obj_del(json_t *msg, const char *kind, const char *id)
{
	json_t	*a = json_object_get(msg, "objs");

	if (a == NULL) {
		a = json_array();
		json_object_set_new(msg, "objs", a);
	}
	json_array_append_new(a, json_pack("{s:s,s:s}", "kind", kind,
	    "obj_del", id));
}

static const char *const share_keys[] = { "id", "zone_id", "project_id",
    "target_project_id", "created_at", "updated_at", NULL };

/* A share as the API shows it, links relative to the base. */
static json_t *
zc_share_render(const json_t *s)
{
	json_t	*r = zc_render(s, share_keys);
	char	 self[128], zone[96];

	snprintf(zone, sizeof(zone), "/v2/zones/%s", zs(s, "zone_id"));
	snprintf(self, sizeof(self), "%s/shares/%s", zone, zs(s, "id"));
	json_object_set_new(r, "links", json_pack("{s:s,s:s}", "self", self,
	    "zone", zone));
	return r;
}

/* Drop every share of `zone' (dns.zone.unshare for each). */
static void
zc_unshare_all(json_t *zone, json_t *msg)
{
	const json_t	*s;
	size_t		 i;

	json_array_foreach(json_object_get(zone, "shares"), i, s) {
		zc_msg_obj_del(msg, "share", zs(s, "id"));
		zc_event(msg, "dns.zone.unshare", zc_render(s, share_keys));
	}
	json_object_set_new(zone, "shares", json_array());
	json_object_set_new(zone, "shared", json_false());
}

struct zc_sharewalk {
	struct zcentral		*c;
	MDB_txn			*txn;
	const struct zctx	*x;
	zview_cb		 cb;
	void			*arg;
};

static int
zc_sharewalk_cb(json_t *s, void *arg)
{
	struct zc_sharewalk	*w = arg;
	json_t			*z = NULL;
	int			 rc;

	if (strcmp(zs(s, "target_project_id"), w->x->project) != 0)
		return 0;
	if (zview_zone(w->c->view, w->txn, zs(s, "zone_id"), &z) < 0)
		return 0;
	rc = zc_visible(w->x, z) ? w->cb(z, w->arg) : 0;
	json_decref(z);
	return rc;
}

/* The zones shared with the caller's project, each given to `cb'. */
static int
zc_shared_zones(struct zcentral *c, MDB_txn *txn, const struct zctx *x,
    zview_cb cb, void *arg)
{
	struct zc_sharewalk	w = { c, txn, x, cb, arg };

	return zview_objs_each(c->view, txn, "share", zc_sharewalk_cb, &w);
}

/* --- listing --- */

struct zlist {
	const struct zctx	*ctx;
	const json_t		*filters;	/* name -> pattern */
	json_t			*items;
	int			 rrsets;
	const json_t		*zone;		/* of the recordsets walked */
};

/*
 * A recordset's status follows its zone's propagation: every recordset
 * stores the zone serial it was written with ("serial"), the zone the
 * last serial the servers confirmed ("active_serial"), so a report of
 * the servers is one small write however many recordsets the zone has.
 */
static void
zc_rrset_status(const json_t *zone, json_t *rs)
{
	if (zone == NULL || strcmp(zs(rs, "status"), "PENDING") != 0)
		return;
	if (zi(rs, "serial") <= zi(zone, "active_serial") &&
	    strcmp(zs(rs, "action"), "DELETE") != 0) {
		json_object_set_new(rs, "status", json_string("ACTIVE"));
		json_object_set_new(rs, "action", json_string("NONE"));
	} else if (strcmp(zs(zone, "status"), "ERROR") == 0)
		json_object_set_new(rs, "status", json_string("ERROR"));
}

static int
zc_filter_one(const json_t *o, const char *key, const char *pat, int rrsets)
{
	const json_t	*v, *r;
	char		 buf[32];
	size_t		 i;

	if (rrsets && strcmp(key, "data") == 0) {
		json_array_foreach(json_object_get(o, "records"), i, r)
			if (zcentral_match(pat, json_string_value(r)))
				return 1;
		return 0;
	}
	v = json_object_get(o, key);
	if (json_is_string(v))
		return zcentral_match(pat, json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return zcentral_match(pat, buf);
	}
	return json_is_null(v) && (strcmp(pat, "None") == 0 ||
	    strcmp(pat, "null") == 0);
}

static int
zc_filter(const json_t *o, const json_t *filters, int rrsets)
{
	const char	*k;
	json_t		*v;

	json_object_foreach((json_t *)(uintptr_t)filters, k, v)
		if (!zc_filter_one(o, k, json_string_value(v), rrsets))
			return 0;
	return 1;
}

static int
zc_collect_zone(json_t *z, void *arg)
{
	struct zlist	*l = arg;

	if (zc_visible(l->ctx, z) && zc_filter(z, l->filters, 0))
		json_array_append(l->items, z);
	return 0;
}

static int
zc_collect_rrset(json_t *r, void *arg)
{
	struct zlist	*l = arg;

	zc_rrset_status(l->zone, r);
	if (zc_filter(r, l->filters, 1))
		json_array_append(l->items, r);
	return 0;
}

static const char	*zc_sort_key;
static int		 zc_sort_desc;

static int
zc_cmp_value(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);
		return x < y ? -1 : x > y;
	}
	if (json_is_string(a) && json_is_string(b))
		return strcmp(json_string_value(a), json_string_value(b));
	if (json_is_array(a) && json_is_array(b))
		return zc_cmp_value(json_array_get(a, 0), json_array_get(b, 0));
	/* null sorts first */
	return (a != NULL && !json_is_null(a)) - (b != NULL && !json_is_null(b));
}

static int
zc_cmp(const void *pa, const void *pb)
{
	const json_t	*a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	int		 r;

	r = zc_cmp_value(json_object_get(a, zc_sort_key),
	    json_object_get(b, zc_sort_key));
	if (r == 0 && strcmp(zc_sort_key, "created_at") == 0)
		r = strcmp(zs(a, "id"), zs(b, "id"));
	if (r == 0)
		r = strcmp(zs(a, "id"), zs(b, "id"));
	return zc_sort_desc ? -r : r;
}

static pthread_mutex_t zc_sort_mu = PTHREAD_MUTEX_INITIALIZER;

/*
 * Split a query into filters and paging, check it against the allowed
 * filter names and sort keys, then sort, page and render `items'.
 */
static int
zc_page(struct zcentral *c, const struct zctx *x, const json_t *query,
    const char *const *filters_ok, const char *const *sort_ok, int rrsets,
    json_t **filters_out, json_t *items, json_t **result, struct zfault *f)
{
	const char	*k, *limit_s = NULL, *marker = NULL;
	const char	*sort_key = "created_at", *sort_dir = "asc";
	json_t		*v, *page, *filters;
	char		 bad[512] = "";
	long long	 limit, maxl;
	char		*end;
	size_t		 i, n, start = 0;
	int		 ok;

	filters = json_object();
	json_object_foreach((json_t *)(uintptr_t)query, k, v) {
		const char *s = json_string_value(v);
		if (s == NULL)
			continue;
		if (strcmp(k, "limit") == 0)
			limit_s = s;
		else if (strcmp(k, "marker") == 0)
			marker = s;
		else if (strcmp(k, "sort_key") == 0)
			sort_key = s;
		else if (strcmp(k, "sort_dir") == 0)
			sort_dir = s;
		else {
			for (ok = 0, i = 0; filters_ok[i] != NULL; i++)
				if (strcmp(filters_ok[i], k) == 0)
					ok = 1;
			if (ok)
				json_object_set(filters, k, v);
			else {
				if (bad[0] != '\0')
					strlcat(bad, ", ", sizeof(bad));
				strlcat(bad, k, sizeof(bad));
			}
		}
	}
	if (bad[0] != '\0') {
		json_decref(filters);
		return zfault_set(f, 400, "bad_request",
		    "Invalid filters %s", bad);
	}
	maxl = zcfg_int(c->cfg, "api", "max_limit");
	limit = zcfg_int(c->cfg, "api", "default_limit");
	if (limit_s != NULL) {
		if (strcmp(limit_s, "max") == 0)
			limit = maxl;
		else {
			errno = 0;
			limit = strtoll(limit_s, &end, 10);
			if (*limit_s == '\0' || *end != '\0' || errno != 0 ||
			    limit <= 0) {
				json_decref(filters);
				return zfault_set(f, 400, "invalid_limit",
				    "limit must be an integer > 0");
			}
		}
	}
	if (limit > maxl)
		limit = maxl;
	for (ok = 0, i = 0; sort_ok[i] != NULL; i++)
		if (strcmp(sort_ok[i], sort_key) == 0)
			ok = 1;
	if (!ok) {
		json_decref(filters);
		return zfault_set(f, 400, "invalid_sort_key",
		    "sort key must be one of %s", "the allowed keys");
	}
	if (strcmp(sort_key, "tenant_id") == 0)
		sort_key = x->all ? "project_id" : "created_at";
	if (strcmp(sort_dir, "asc") != 0 && strcmp(sort_dir, "desc") != 0) {
		json_decref(filters);
		return zfault_set(f, 400, "invalid_sort_dir",
		    "sort direction must be asc or desc");
	}
	if (marker != NULL && !zuuid_valid(marker)) {
		json_decref(filters);
		return zfault_set(f, 400, "invalid_marker",
		    "marker must be a UUID");
	}
	if (filters_out != NULL) {	/* the caller collects, then calls again */
		*filters_out = filters;
		return 0;
	}
	json_decref(filters);
	(void)rrsets;

	n = json_array_size(items);
	{
		json_t	**arr = calloc(n + 1, sizeof(*arr));

		if (arr == NULL)
			return zfault_set(f, 500, "unknown", "out of memory");
		for (i = 0; i < n; i++)
			arr[i] = json_array_get(items, i);
		pthread_mutex_lock(&zc_sort_mu);
		zc_sort_key = sort_key;
		zc_sort_desc = strcmp(sort_dir, "desc") == 0;
		qsort(arr, n, sizeof(*arr), zc_cmp);
		pthread_mutex_unlock(&zc_sort_mu);
		if (marker != NULL) {
			for (i = 0; i < n; i++)
				if (strcmp(zs(arr[i], "id"), marker) == 0)
					break;
			if (i == n) {
				free(arr);
				return zfault_set(f, 400, "marker_not_found",
				    "Marker %s could not be found", marker);
			}
			start = i + 1;
		}
		page = json_array();
		for (i = start; i < n && (long long)(i - start) < limit; i++)
			json_array_append_new(page, zc_render(arr[i],
			    rrsets == 3 ? NULL : rrsets == 2 ? pool_keys :
			    rrsets ? rrset_keys :
			    zone_keys));
		free(arr);
	}
	*result = json_pack("{s:o,s:I,s:I}", "items", page,
	    "total_count", (json_int_t)n, "limit", (json_int_t)limit);
	if (rrsets == 1 && x->hide_counts)
		json_object_set_new(*result, "total_count", json_null());
	return 0;
}

static const char *const zone_filters[] = { "name", "type", "email",
    "status", "description", "ttl", NULL };
static const char *const zone_sorts[] = { "created_at", "id", "updated_at",
    "name", "tenant_id", "serial", "ttl", "status", NULL };
static const char *const rrset_filters[] = { "name", "type", "ttl", "data",
    "status", "description", NULL };
static const char *const rrset_sorts[] = { "created_at", "id", "updated_at",
    "zone_id", "tenant_id", "name", "type", "ttl", "records", NULL };
static const char *const rrset_all_sorts[] = { "created_at", "id",
    "updated_at", "zone_id", "tenant_id", "name", "type", "ttl", NULL };

static int
zc_list(struct zcentral *c, const struct zctx *x, const json_t *query,
    const char *zone_id, int rrsets, int all_zones, json_t **result,
    struct zfault *f)
{
	struct zlist	 l;
	json_t		*filters = NULL, *zone = NULL, *zones = NULL, *z;
	MDB_txn		*txn = NULL;
	size_t		 i;
	int		 rc;

	if (query == NULL || !json_is_object(query))
		query = json_object();
	else
		json_incref((json_t *)(uintptr_t)query);
	rc = zc_page(c, x, query, rrsets ? rrset_filters : zone_filters,
	    rrsets ? (all_zones ? rrset_all_sorts : rrset_sorts) : zone_sorts,
	    rrsets, &filters, NULL, NULL, f);
	if (rc < 0)
		goto out;
	if ((rc = zc_barrier(c)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	if ((rc = zview_rbegin(c->view, &txn)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	memset(&l, 0, sizeof(l));
	l.ctx = x;
	l.filters = filters;
	l.items = json_array();
	l.rrsets = rrsets;
	if (!rrsets) {
		rc = zview_zones_each(c->view, txn, x->all ? NULL : x->project,
		    zc_collect_zone, &l);
		if (rc == 0 && !x->all)
			rc = zc_shared_zones(c, txn, x, zc_collect_zone, &l);
	} else if (!all_zones) {
		if (zview_zone(c->view, txn, zone_id, &zone) < 0 ||
		    !zc_visible(x, zone)) {
			json_decref(l.items);
			rc = zfault_set(f, 404, "zone_not_found",
			    "Could not find Zone");
			goto out;
		}
		l.zone = zone;
		rc = zview_rrsets_each(c->view, txn, zone_id, zc_collect_rrset,
		    &l);
	} else {
		struct zlist zl = { x, json_object(), json_array(), 0, NULL };

		rc = zview_zones_each(c->view, txn, x->all ? NULL : x->project,
		    zc_collect_zone, &zl);
		if (rc == 0 && !x->all)		/* and the zones shared with us */
			rc = zc_shared_zones(c, txn, x, zc_collect_zone, &zl);
		zones = zl.items;
		json_decref((json_t *)(uintptr_t)zl.filters);
		json_array_foreach(zones, i, z) {
			l.zone = z;
			if (rc == 0)
				rc = zview_rrsets_each(c->view, txn, zs(z, "id"),
				    zc_collect_rrset, &l);
		}
	}
	zview_rend(txn);
	txn = NULL;
	if (rc < 0) {
		json_decref(l.items);
		rc = zc_unavailable(f, rc);
		goto out;
	}
	rc = zc_page(c, x, query, rrsets ? rrset_filters : zone_filters,
	    rrsets ? (all_zones ? rrset_all_sorts : rrset_sorts) : zone_sorts,
	    rrsets, NULL, l.items, result, f);
	json_decref(l.items);
out:
	zview_rend(txn);
	json_decref(filters);
	json_decref(zone);
	json_decref(zones);
	json_decref((json_t *)(uintptr_t)query);
	return rc;
}

/* --- reads --- */

static int
zc_zone_get(struct zcentral *c, const struct zctx *x, const char *id,
    MDB_txn *txn, json_t **zone, struct zfault *f)
{
	int	rc;

	rc = zview_zone(c->view, txn, id, zone);
	if (rc == ZE_NOTFOUND || (rc == 0 && !zc_visible(x, *zone))) {
		json_decref(*zone);
		*zone = NULL;
		return zfault_set(f, 404, "zone_not_found", "Could not find Zone");
	}
	if (rc < 0)
		return zc_unavailable(f, rc);
	return 0;
}

static int
zc_read(struct zcentral *c, const struct zctx *x, const char *method,
    const json_t *params, json_t **result, struct zfault *f)
{
	const char	*zid = zs(params, "zone_id"), *rid = zs(params, "recordset_id");
	json_t		*zone = NULL, *rs = NULL;
	MDB_txn		*txn = NULL;
	char		 zbuf[37];
	int		 rc;

	if ((rc = zc_barrier(c)) < 0)
		return zc_unavailable(f, rc);
	if ((rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	if (strcmp(method, "recordset.find") == 0) {
		if (zview_rrset_zone(c->view, txn, rid, zbuf) < 0) {
			rc = zfault_set(f, 404, "recordset_not_found",
			    "Could not find RecordSet");
			goto out;
		}
		zid = zbuf;
	}
	if ((rc = zc_zone_get(c, x, zid, txn, &zone, f)) < 0) {
		if (strcmp(method, "recordset.find") == 0)
			rc = zfault_set(f, 404, "recordset_not_found",
			    "Could not find RecordSet");
		goto out;
	}
	if (strcmp(method, "zone.get") == 0) {
		*result = zc_render(zone, zone_keys);
	} else if (strcmp(method, "zone.nameservers") == 0) {
		*result = json_pack("{s:o}", "nameservers",
		    zc_pool_ns(c, txn, zs(zone, "pool_id")));
	} else {
		if (zview_rrset(c->view, txn, zid, rid, &rs) < 0) {
			rc = zfault_set(f, 404, "recordset_not_found",
			    "Could not find RecordSet");
			goto out;
		}
		zc_rrset_status(zone, rs);
		*result = zc_render(rs, rrset_keys);
	}
	rc = 0;
out:
	zview_rend(txn);
	json_decref(zone);
	json_decref(rs);
	return rc;
}

/* --- writes --- */

/*
 * A mutation of one existing zone: called with a read transaction on a
 * view that is at least as new as the zone's journal subject the last
 * time we looked, and a private copy of the zone to change.  It fills
 * in `msg' (rrsets_put, rrsets_del) and *result.
 */
typedef int	(*zc_mut_fn)(struct zcentral *, const struct zctx *, MDB_txn *,
		    json_t *zone, json_t *msg, const json_t *params,
		    json_t **result, struct zfault *);

enum zc_kind {
	ZC_SOLO,	/* a change of the zone itself: committed alone */
	ZC_CREATE,	/* a new recordset: params.body.name */
	ZC_BYID,	/* a change of recordset params.recordset_id */
};

struct zc_item {
	const struct zctx	*x;
	const json_t		*params;
	zc_mut_fn		 fn;
	enum zc_kind		 kind;
	const char		*zone_id;
	json_t			*result;
	struct zfault		*f;
	int			 rc, done, deferred;
	struct zc_item		*next;
};

static void
zc_item_fault(struct zc_item *it, int rc)
{
	json_decref(it->result);
	it->result = NULL;
	it->rc = rc;
}

/* Append `src's rrsets_put/rrsets_del/purge to `dst'. */
static void
zc_msg_merge(json_t *dst, json_t *src)
{
	static const char *const keys[] = { "rrsets_put", "rrsets_del",
	    "events", "objs" };
	json_t	*a, *d;
	size_t	 k;

	for (k = 0; k < 4; k++) {
		if ((a = json_object_get(src, keys[k])) == NULL)
			continue;
		if ((d = json_object_get(dst, keys[k])) == NULL) {
			d = json_array();
			json_object_set_new(dst, keys[k], d);
		}
		json_array_extend(d, a);
	}
	if (json_is_true(json_object_get(src, "purge")))
		json_object_set_new(dst, "purge", json_true());
}

/* Keep the last put of each recordset (the SOA is put by every change). */
static void
zc_msg_dedupe(json_t *msg)
{
	json_t	*puts = json_object_get(msg, "rrsets_put"), *out, *seen, *rs;
	size_t	 i;

	if (puts == NULL || json_array_size(puts) < 2)
		return;
	out = json_array();
	seen = json_object();
	for (i = json_array_size(puts); i-- > 0;) {
		rs = json_array_get(puts, i);
		if (json_object_get(seen, zs(rs, "id")) != NULL)
			continue;
		json_object_set_new(seen, zs(rs, "id"), json_true());
		json_array_insert(out, 0, rs);
	}
	json_object_set_new(msg, "rrsets_put", out);
	json_decref(seen);
}

static void
zc_lower(const char *in, char *out, size_t len)
{
	size_t	i;

	for (i = 0; in[i] != '\0' && i + 1 < len; i++)
		out[i] = tolower((unsigned char)in[i]);
	out[i] = '\0';
}

static int	zc_reachable(const struct zc_item *, const json_t *);

/*
 * Run a batch of changes to one zone against one read of the view and
 * commit them as one journal message.  A change that touches a name or
 * a recordset an earlier change of the batch touched is deferred to the
 * next batch, so that every change is validated against what precedes
 * it.  On a refused publish the whole batch runs again on a fresh view.
 */
static void
zc_run_batch(struct zcentral *c, struct zc_item **items, size_t n)
{
	const char	*zid = items[0]->zone_id;
	json_t		*zone = NULL, *msg = NULL, *sub, *names, *ids, *res;
	MDB_txn		*txn = NULL;
	uint64_t	 expect, seq;
	char		 lname[300];
	size_t		 i, nchanged;
	int		 rc, attempt, synced = 0;

	for (attempt = 0; attempt < RETRIES; attempt++) {
		for (i = 0; i < n; i++) {
			items[i]->rc = 0;
			items[i]->deferred = 0;
			json_decref(items[i]->result);
			items[i]->result = NULL;
		}
		if ((rc = zview_rbegin(c->view, &txn)) < 0)
			goto fail;
		rc = zview_zone(c->view, txn, zid, &zone);
		if (rc == ZE_NOTFOUND && !synced) {
			/* maybe made through another copy a moment ago */
			zview_rend(txn);
			txn = NULL;
			if ((rc = zjournal_sync(c->journal, c->timeout_ms)) < 0)
				goto fail;
			synced = 1;
			continue;
		}
		if (rc < 0 && rc != ZE_NOTFOUND)
			goto fail;
		expect = zone != NULL ? (uint64_t)zi(zone, "_seq") : 0;
		json_object_del(zone, "_seq");
		msg = json_pack("{s:s}", "zone_id", zid);
		names = json_object();
		ids = json_object();
		nchanged = 0;
		for (i = 0; i < n; i++) {
			struct zc_item *it = items[i];

			if (!zc_reachable(it, zone)) {
				it->rc = zfault_set(it->f, 404, "zone_not_found",
				    "Could not find Zone");
				continue;
			}
			if (it->kind == ZC_SOLO && !zc_owner(it->x, zone)) {
				/* a project the zone is shared with */
				it->rc = zfault_set(it->f, 403, "forbidden",
				    "You are not authorized to perform this "
				    "action");
				continue;
			}
			if (it->kind == ZC_CREATE) {
				zc_lower(zs(json_object_get(it->params, "body"),
				    "name"), lname, sizeof(lname));
				if (json_object_get(names, lname) != NULL) {
					it->deferred = 1;
					continue;
				}
			} else if (it->kind == ZC_BYID && json_object_get(ids,
			    zs(it->params, "recordset_id")) != NULL) {
				it->deferred = 1;
				continue;
			}
			sub = json_object();
			res = NULL;
			rc = it->fn(c, it->x, txn, zone, sub, it->params, &res,
			    it->f);
			if (rc < 0 || rc == ZC_NOCHANGE) {
				it->rc = rc < 0 ? rc : 0;
				it->result = rc < 0 ? (json_decref(res), NULL) : res;
				json_decref(sub);
				continue;
			}
			zc_msg_merge(msg, sub);
			json_decref(sub);
			zc_lower(zs(res, "name"), lname, sizeof(lname));
			json_object_set_new(names, lname, json_true());
			json_object_set_new(ids, zs(res, "id"), json_true());
			it->result = res;
			it->rc = 0;
			nchanged++;
		}
		json_decref(names);
		json_decref(ids);
		zview_rend(txn);
		txn = NULL;
		if (nchanged == 0)
			goto out;
		zc_msg_dedupe(msg);
		json_array_foreach(json_object_get(msg, "rrsets_put"), i, res)
			json_object_set(res, "serial",
			    json_object_get(zone, "serial"));
		json_object_set(msg, "zone", zone);
		rc = zjournal_publish(c->journal, "zone", zid, msg, expect, &seq);
		json_decref(zone);
		json_decref(msg);
		zone = msg = NULL;
		if (rc == ZE_CONFLICT) {
			__atomic_add_fetch(&c->nconflict, 1, __ATOMIC_RELAXED);
			if ((rc = zjournal_sync(c->journal, c->timeout_ms)) < 0)
				goto fail;
			synced = 1;
			continue;
		}
		if (rc < 0 || (rc = zjournal_wait(c->journal, seq,
		    c->timeout_ms)) < 0)
			goto fail;
		__atomic_add_fetch(&c->nbatch, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&c->nbatched, nchanged, __ATOMIC_RELAXED);
		goto out;
	}
	rc = ZE_CONFLICT;
fail:
	for (i = 0; i < n; i++) {
		if (items[i]->deferred || (items[i]->rc < 0 &&
		    items[i]->result == NULL && items[i]->f->status != 0 &&
		    items[i]->f->status < 500))
			continue;	/* a refusal of its own stands */
		zc_item_fault(items[i], rc == ZE_CONFLICT ?
		    zfault_set(items[i]->f, 503, "service_unavailable",
		    "too many concurrent changes to this zone, try again") :
		    zc_unavailable(items[i]->f, rc));
	}
out:
	zview_rend(txn);
	json_decref(zone);
	json_decref(msg);
}

#define ZC_BATCH	128

static int
zc_mutate(struct zcentral *c, const struct zctx *x, const json_t *params,
    zc_mut_fn fn, enum zc_kind kind, json_t **result, struct zfault *f)
{
	struct zc_item		 me, *batch[ZC_BATCH], *it, **pp, *keep, **kp;
	struct zc_stripe	*st;
	size_t			 n, i;
	int			 rc;

	*result = NULL;
	if ((rc = zc_need_writer(x, f)) < 0)
		return rc;
	memset(&me, 0, sizeof(me));
	me.x = x;
	me.params = params;
	me.fn = fn;
	me.kind = kind;
	me.zone_id = zs(params, "zone_id");
	me.f = f;
	st = &c->stripes[zc_stripe(me.zone_id)];

	pthread_mutex_lock(&st->mu);
	if (st->tail != NULL)
		st->tail->next = &me;
	else
		st->head = &me;
	st->tail = &me;
	while (!me.done) {
		if (st->busy) {
			pthread_cond_wait(&st->cv, &st->mu);
			continue;
		}
		/* lead: take the head's zone, in order, up to a solo change */
		st->busy = 1;
		n = 0;
		keep = NULL;
		kp = &keep;
		for (pp = &st->head; (it = *pp) != NULL;) {
			*pp = it->next;
			it->next = NULL;
			if (n < ZC_BATCH && strcmp(it->zone_id,
			    (n > 0 ? batch[0] : it)->zone_id) == 0 &&
			    (n == 0 || (it->kind != ZC_SOLO &&
			    batch[0]->kind != ZC_SOLO))) {
				batch[n++] = it;
			} else {
				*kp = it;
				kp = &it->next;
			}
		}
		st->head = keep;
		st->tail = keep != NULL ? (struct zc_item *)((char *)kp -
		    offsetof(struct zc_item, next)) : NULL;
		pthread_mutex_unlock(&st->mu);

		zc_run_batch(c, batch, n);

		pthread_mutex_lock(&st->mu);
		/* deferred changes go back to the front, in order */
		for (i = n; i-- > 0;) {
			if (!batch[i]->deferred) {
				batch[i]->done = 1;
				continue;
			}
			batch[i]->next = st->head;
			st->head = batch[i];
			if (st->tail == NULL)
				st->tail = batch[i];
		}
		st->busy = 0;
		pthread_cond_broadcast(&st->cv);
	}
	pthread_mutex_unlock(&st->mu);
	*result = me.result;
	return me.rc;
}

static json_t	*zc_masters(const json_t *, struct zfault *);
static void	zc_xfr_kick(struct zcentral *, const char *);

static int
zc_zone_update(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	const json_t	*body = json_object_get(params, "body");
	json_t		*cur, *v;
	char		 now[40];
	int		 rc;

	cur = zc_render(zone, zone_keys);
	rc = zvalid_zone_body(body, cur, f);
	json_decref(cur);
	if (rc < 0)
		return rc;
	if (strcmp(zs(zone, "action"), "DELETE") == 0)
		return zfault_set(f, 400, "bad_request",
		    "Can not update a deleting zone");
	if ((v = json_object_get(body, "ttl")) != NULL && json_is_integer(v) &&
	    json_integer_value(v) < zc_cfg(c, "min_ttl") && !x->admin)
		return zfault_set(f, 400, "invalid_ttl",
		    "TTL is below the minimum: %lld", zc_cfg(c, "min_ttl"));
	if (strcmp(zs(zone, "type"), "SECONDARY") == 0) {
		/* masters, description: the records stay the masters' */
		if ((v = json_object_get(body, "masters")) != NULL) {
			if ((cur = zc_masters(v, f)) == NULL)
				return ZE_FAULT;
			json_object_set_new(zone, "masters", cur);
		}
		if ((v = json_object_get(body, "description")) != NULL)
			json_object_set(zone, "description", v);
		(void)ztime_now(now, sizeof(now));
		json_object_set_new(zone, "version",
		    json_integer(zi(zone, "version") + 1));
		json_object_set_new(zone, "updated_at", json_string(now));
		zc_zone_event(msg, "update", zone);
		*result = zc_render(zone, zone_keys);
		return 0;
	}
	if ((v = json_object_get(body, "email")) != NULL)
		json_object_set(zone, "email", v);
	if ((v = json_object_get(body, "ttl")) != NULL)
		json_object_set(zone, "ttl", v);
	if ((v = json_object_get(body, "description")) != NULL)
		json_object_set(zone, "description", v);
	(void)ztime_now(now, sizeof(now));
	if ((rc = zc_bump(c, txn, zone, msg, now)) < 0)
		return zc_unavailable(f, rc);
	zc_zone_event(msg, "update", zone);
	*result = zc_render(zone, zone_keys);
	return 0;
}

struct zc_below {
	const char	*self;
	const char	*project;
	int		 found, foreign;
};

static int
zc_below_cb(json_t *z, void *arg)
{
	struct zc_below	*b = arg;

	if (strcmp(zs(z, "id"), b->self) == 0 ||
	    json_is_true(json_object_get(z, "deleted")))
		return 0;
	b->found++;
	if (b->project != NULL && strcmp(zs(z, "project_id"), b->project) != 0)
		b->foreign++;
	return 0;
}

static int
zc_zone_delete(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	struct zc_below	 b = { NULL, NULL, 0, 0 };
	char		 now[40];
	int		 rc;

	(void)params;
	b.self = zs(zone, "id");
	if ((rc = zview_zones_below(c->view, txn, zs(zone, "name"), zc_below_cb,
	    &b)) < 0)
		return zc_unavailable(f, rc);
	if (b.found > 0)
		return zfault_set(f, 400, "zone_has_sub_zone",
		    "Please delete any subzones before deleting this zone");
	if (json_array_size(json_object_get(zone, "shares")) > 0) {
		if (!x->delete_shares)
			return zfault_set(f, 400, "zone_is_shared",
			    "This zone is shared with other projects, set "
			    "delete_shares to delete it");
		zc_unshare_all(zone, msg);
	}
	(void)ztime_now(now, sizeof(now));
	json_object_set_new(zone, "action", json_string("DELETE"));
	json_object_set_new(zone, "status", json_string("PENDING"));
	json_object_set_new(zone, "version", json_integer(zi(zone, "version") + 1));
	json_object_set_new(zone, "updated_at", json_string(now));
	zc_zone_event(msg, "delete", zone);
	*result = zc_render(zone, zone_keys);
	return 0;
}

/* Records of a body, duplicates collapsed, order kept. */
static json_t *
zc_records(const json_t *list)
{
	json_t	*out = json_array(), *r, *o;
	size_t	 i, j;
	int	 dup;

	json_array_foreach(list, i, r) {
		dup = 0;
		json_array_foreach(out, j, o)
			if (json_equal(o, r))
				dup = 1;
		if (!dup)
			json_array_append(out, r);
	}
	return out;
}

static int
zc_name_under(const char *name, const char *zone)
{
	size_t	n = strlen(name), z = strlen(zone);

	if (n == z)
		return strcasecmp(name, zone) == 0;
	return n > z && name[n - z - 1] == '.' &&
	    strcasecmp(name + n - z, zone) == 0;
}

struct zc_at {
	const char	*self_id;
	int		 cname, other, same_type;
	const char	*type;
};

static int
zc_at_cb(json_t *rs, void *arg)
{
	struct zc_at	*a = arg;

	if (a->self_id != NULL && strcmp(zs(rs, "id"), a->self_id) == 0)
		return 0;
	if (strcmp(zs(rs, "type"), "CNAME") == 0)
		a->cname++;
	else
		a->other++;
	if (strcmp(zs(rs, "type"), a->type) == 0)
		a->same_type++;
	return 0;
}

/* Is `name' inside a zone below `zone' (a delegated child)? */
static int
zc_in_child(struct zcentral *c, MDB_txn *txn, const char *name,
    const json_t *zone)
{
	const char	*p = name;
	size_t		 zl = strlen(zs(zone, "name"));
	json_t		*z;

	while (p != NULL && strlen(p) > zl) {
		if (zview_zone_by_name(c->view, txn, p, &z) == 0) {
			int live = !json_is_true(json_object_get(z, "deleted"));
			json_decref(z);
			if (live)
				return 1;
		}
		p = strchr(p, '.');
		if (p != NULL)
			p++;
	}
	return 0;
}

/*
 * A project's quota `key' ("zones", "zone_records" ...): the value set
 * for it with quota.set, else central.quota_<key>.
 */
static long long
zc_quota_value(struct zcentral *c, MDB_txn *txn, const char *project,
    const char *key)
{
	json_t		*q = NULL, *v;
	char		 ck[64];
	long long	 n;

	if (zview_obj_by_name(c->view, txn, "quota", project, &q) == 0 &&
	    json_is_integer(v = json_object_get(q, key))) {
		n = (long long)json_integer_value(v);
		json_decref(q);
		return n;
	}
	json_decref(q);
	snprintf(ck, sizeof(ck), "quota_%s", key);
	return zc_cfg(c, ck);
}

static int
zc_quota(struct zcentral *c, MDB_txn *txn, const char *project,
    const char *key, long long have, long long add, struct zfault *f)
{
	long long	q = zc_quota_value(c, txn, project, key);

	if (q >= 0 && have + add > q)
		return zfault_set(f, 413, "over_quota",
		    "Quota exceeded for %s", key);
	return 0;
}

static int
zc_rrset_create(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	const json_t	*body = json_object_get(params, "body");
	const char	*name, *type;
	struct zc_at	 at = { NULL, 0, 0, 0, NULL };
	json_t		*records, *ttl, *rs, *desc;
	char		 now[40];
	long long	 nrec;
	int		 rc;

	if ((rc = zvalid_rrset_body(body, NULL, f)) < 0)
		return rc;
	name = zs(body, "name");
	type = zs(body, "type");
	if (strcmp(zs(zone, "action"), "DELETE") == 0)
		return zfault_set(f, 400, "bad_request",
		    "Can not update a deleting zone");
	if (strcmp(zs(zone, "type"), "SECONDARY") == 0 && !x->admin)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	if ((rc = zc_quota(c, txn, zs(zone, "project_id"),
	    "zone_recordsets", zi(zone, "n_rrsets"), 1,
	    f)) < 0)
		return rc;
	ttl = json_object_get(body, "ttl");
	if (json_is_integer(ttl) && json_integer_value(ttl) <
	    zc_cfg(c, "min_ttl") && !x->admin)
		return zfault_set(f, 400, "invalid_ttl",
		    "TTL is below the minimum: %lld", zc_cfg(c, "min_ttl"));
	if ((long long)strlen(name) > zc_cfg(c, "max_recordset_name_len"))
		return zfault_set(f, 400, "invalid_recordset_name",
		    "Name too long");
	if (!zc_name_under(name, zs(zone, "name")))
		return zfault_set(f, 400, "invalid_recordset_location",
		    "RecordSet is not contained within it's parent zone");
	if (strcmp(type, "CNAME") == 0 && strcasecmp(name, zs(zone, "name")) == 0)
		return zfault_set(f, 400, "invalid_recordset_location",
		    "CNAME recordsets may not be created at the zone apex");
	at.type = type;
	if ((rc = zview_rrsets_at(c->view, txn, zs(zone, "id"), name, zc_at_cb,
	    &at)) < 0)
		return zc_unavailable(f, rc);
	if ((strcmp(type, "CNAME") == 0 && (at.other > 0 || at.cname > 0) &&
	    at.same_type == 0) || (strcmp(type, "CNAME") != 0 && at.cname > 0))
		return zfault_set(f, 400, "invalid_recordset_location",
		    "CNAME recordsets may not share a name with any other "
		    "records");
	if (zc_in_child(c, txn, name, zone))
		return zfault_set(f, 400, "invalid_recordset_location",
		    "RecordSet belongs in a child zone");
	records = zc_records(json_object_get(body, "records"));
	nrec = (long long)json_array_size(records);
	if ((rc = zc_quota(c, txn, zs(zone, "project_id"), "zone_records",
	    zi(zone, "n_records"), nrec, f)) < 0 ||
	    (rc = zc_quota(c, txn, zs(zone, "project_id"), "recordset_records",
	    0, nrec, f)) < 0) {
		json_decref(records);
		return rc;
	}
	if (at.same_type > 0) {
		json_decref(records);
		return zfault_set(f, 409, "duplicate_recordset",
		    "Duplicate RecordSet");
	}
	(void)ztime_now(now, sizeof(now));
	rs = zc_new_rrset(zone, name, type, records,
	    json_is_integer(ttl) ? json_incref(ttl) : json_null(), x->project,
	    now);
	desc = json_object_get(body, "description");
	if (json_is_string(desc))
		json_object_set(rs, "description", desc);
	if (nrec == 0) {
		json_object_set_new(rs, "status", json_string("ACTIVE"));
		json_object_set_new(rs, "action", json_string("NONE"));
	}
	json_object_set_new(zone, "n_rrsets", json_integer(zi(zone, "n_rrsets") + 1));
	json_object_set_new(zone, "n_records",
	    json_integer(zi(zone, "n_records") + nrec));
	json_object_set_new(msg, "rrsets_put", json_pack("[O]", rs));
	if ((rc = zc_bump(c, txn, zone, msg, now)) < 0) {
		json_decref(rs);
		return zc_unavailable(f, rc);
	}
	json_object_set(rs, "serial", json_object_get(zone, "serial"));
	zc_event(msg, "dns.recordset.create", zc_rrset_payload(rs));
	*result = zc_render(rs, rrset_keys);
	json_decref(rs);
	return 0;
}

/* The recordset named by params, checked for managed-record rules. */
static int
zc_rrset_target(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    const json_t *zone, const json_t *params, json_t **rs, struct zfault *f)
{
	const char	*type;

	if (zview_rrset(c->view, txn, zs(zone, "id"),
	    zs(params, "recordset_id"), rs) < 0)
		return zfault_set(f, 404, "recordset_not_found",
		    "Could not find RecordSet");
	type = zs(*rs, "type");
	if (!zc_owner(x, zone) && strcmp(zs(*rs, "project_id"),
	    x->project) != 0)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	if (strcmp(zs(zone, "action"), "DELETE") == 0)
		return zfault_set(f, 400, "bad_request",
		    "Can not update a deleting zone");
	if (strcmp(type, "SOA") == 0)
		return zfault_set(f, 400, "bad_request",
		    "Updating or deleting a SOA record is not allowed");
	if (strcmp(type, "NS") == 0 &&
	    strcasecmp(zs(*rs, "name"), zs(zone, "name")) == 0)
		return zfault_set(f, 400, "bad_request",
		    "Updating or deleting a root zone NS record is not "
		    "allowed");
	if (json_is_true(json_object_get(*rs, "managed")) && !x->edit_managed)
		return zfault_set(f, 400, "bad_request",
		    "Managed records may not be updated");
	return 0;
}

static int
zc_rrset_update(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	const json_t	*body = json_object_get(params, "body");
	json_t		*rs = NULL, *cur, *v, *records = NULL;
	char		 now[40];
	long long	 oldn, newn;
	int		 rc;

	if ((rc = zc_rrset_target(c, x, txn, zone, params, &rs, f)) < 0)
		goto out;
	/* after the SOA, NS and managed rules, as Designate */
	if (!json_is_object(body)) {
		rc = zfault_set(f, 400, "invalid_object",
		    "The request body must be a JSON object");
		goto out;
	}
	cur = zc_render(rs, rrset_keys);
	rc = zvalid_rrset_body(body, cur, f);
	json_decref(cur);
	if (rc < 0)
		goto out;
	v = json_object_get(body, "ttl");
	if (json_is_integer(v) && json_integer_value(v) < zc_cfg(c, "min_ttl") &&
	    !x->admin) {
		rc = zfault_set(f, 400, "invalid_ttl",
		    "TTL is below the minimum: %lld", zc_cfg(c, "min_ttl"));
		goto out;
	}
	oldn = (long long)json_array_size(json_object_get(rs, "records"));
	newn = oldn;
	if ((v = json_object_get(body, "records")) != NULL) {
		records = zc_records(v);
		newn = (long long)json_array_size(records);
		if ((rc = zc_quota(c, txn, zs(zone, "project_id"),
		    "zone_records",
		    zi(zone, "n_records") - oldn, newn, f)) < 0 ||
		    (rc = zc_quota(c, txn, zs(zone, "project_id"),
		    "recordset_records", 0, newn, f)) < 0)
			goto out;
		json_object_set(rs, "records", records);
	}
	if ((v = json_object_get(body, "ttl")) != NULL)
		json_object_set(rs, "ttl", v);
	if ((v = json_object_get(body, "description")) != NULL)
		json_object_set(rs, "description", v);
	(void)ztime_now(now, sizeof(now));
	json_object_set_new(rs, "version", json_integer(zi(rs, "version") + 1));
	json_object_set_new(rs, "updated_at", json_string(now));
	json_object_set_new(rs, "status", json_string(newn > 0 ? "PENDING" :
	    "ACTIVE"));
	json_object_set_new(rs, "action", json_string(newn > 0 ? "UPDATE" :
	    "NONE"));
	json_object_set_new(zone, "n_records",
	    json_integer(zi(zone, "n_records") - oldn + newn));
	json_object_set_new(msg, "rrsets_put", json_pack("[O]", rs));
	if ((rc = zc_bump(c, txn, zone, msg, now)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	json_object_set(rs, "serial", json_object_get(zone, "serial"));
	zc_event(msg, "dns.recordset.update", zc_rrset_payload(rs));
	*result = zc_render(rs, rrset_keys);
	rc = 0;
out:
	json_decref(rs);
	json_decref(records);
	return rc;
}

static int
zc_rrset_delete(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	json_t		*rs = NULL;
	char		 now[40];
	long long	 n;
	int		 rc;

	if ((rc = zc_rrset_target(c, x, txn, zone, params, &rs, f)) < 0)
		goto out;
	n = (long long)json_array_size(json_object_get(rs, "records"));
	json_object_set_new(msg, "rrsets_del", json_pack("[s]", zs(rs, "id")));
	json_object_set_new(zone, "n_rrsets", json_integer(zi(zone, "n_rrsets") - 1));
	json_object_set_new(zone, "n_records",
	    json_integer(zi(zone, "n_records") - n));
	(void)ztime_now(now, sizeof(now));
	if ((rc = zc_bump(c, txn, zone, msg, now)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	json_object_set_new(rs, "status", json_string("PENDING"));
	json_object_set_new(rs, "action", json_string("DELETE"));
	json_object_set(rs, "serial", json_object_get(zone, "serial"));
	zc_event(msg, "dns.recordset.delete", zc_rrset_payload(rs));
	*result = zc_render(rs, rrset_keys);
	rc = 0;
out:
	json_decref(rs);
	return rc;
}

/* --- managed records (zone-sink) --- */

/* "<plugin>:<type>:<id>" of params.resource, or NULL. */
static char *
zc_resource_key(const json_t *params, struct zfault *f)
{
	const json_t	*r = json_object_get(params, "resource");
	const char	*p = zs(r, "plugin"), *t = zs(r, "type"), *id = zs(r, "id");
	char		*key;

	if (!json_is_object(r) || *p == '\0' || *t == '\0' || *id == '\0' ||
	    strlen(p) + strlen(t) + strlen(id) > 300) {
		zfault_set(f, 400, "invalid_object",
		    "resource needs plugin, type and id");
		return NULL;
	}
	if (asprintf(&key, "%s:%s:%s", p, t, id) < 0)
		return NULL;
	return key;
}

struct zc_find {
	const char	*type;
	json_t		*rs;
};

static int
zc_find_cb(json_t *rs, void *arg)
{
	struct zc_find	*fd = arg;

	if (fd->rs == NULL && strcmp(zs(rs, "type"), fd->type) == 0)
		fd->rs = json_incref(rs);
	return 0;
}

/* Run a recordset mutation `fn' on `params' and merge its change into
 * `msg'; the changed recordset (in msg) gets the managed tags `tags'. */
static int
zc_managed_apply(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, json_t *params, zc_mut_fn fn, json_t *tags,
    json_t **result, struct zfault *f)
{
	json_t	*sub = json_object(), *res = NULL, *rs;
	size_t	 i;
	int	 rc;

	rc = fn(c, x, txn, zone, sub, params, &res, f);
	if (rc == 0) {
		json_array_foreach(json_object_get(sub, "rrsets_put"), i, rs) {
			if (strcmp(zs(rs, "id"), zs(res, "id")) != 0)
				continue;
			json_object_set_new(rs, "managed", json_true());
			json_object_set(rs, "managed_by", tags);
		}
		zc_msg_merge(msg, sub);
	}
	json_decref(sub);
	if (result != NULL && rc == 0) {
		json_decref(*result);
		*result = res;
	} else
		json_decref(res);
	return rc;
}

/* The same records, in any order (both lists hold each record once). */
static int
zc_same_records(const json_t *a, const json_t *b)
{
	json_t	*r;
	size_t	 i, j;

	if (json_array_size(a) != json_array_size(b))
		return 0;
	json_array_foreach(b, i, r) {
		for (j = 0; j < json_array_size(a) &&
		    !json_equal(json_array_get(a, j), r); j++)
			;
		if (j == json_array_size(a))
			return 0;
	}
	return 1;
}

/*
 * recordset.managed_set: the records of params.resource in the recordset
 * (name, type) become params.records; other records there stay.  The
 * recordset is made when missing.  Nothing is written when nothing changes.
 */
static int
zc_managed_set(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	const char	*name = zs(params, "name"), *type = zs(params, "type");
	const json_t	*want = json_object_get(params, "records"), *ttl;
	struct zc_find	 fd = { type, NULL };
	json_t		*tags = NULL, *records = NULL, *r, *p = NULL, *body;
	char		*key;
	size_t		 i;
	int		 rc;

	if ((key = zc_resource_key(params, f)) == NULL)
		return f->status != 0 ? ZE_FAULT : -ENOMEM;
	if (!x->edit_managed || !x->admin) {
		rc = zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
		goto out;
	}
	if (strcmp(type, "A") != 0 && strcmp(type, "AAAA") != 0) {
		rc = zfault_set(f, 400, "invalid_object",
		    "managed records are A or AAAA");
		goto out;
	}
	if (!json_is_array(want) || json_array_size(want) == 0) {
		rc = zfault_set(f, 400, "invalid_object",
		    "records must be a non-empty list");
		goto out;
	}
	if ((rc = zview_rrsets_at(c->view, txn, zs(zone, "id"), name,
	    zc_find_cb, &fd)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	tags = fd.rs != NULL ? json_deep_copy(json_object_get(fd.rs,
	    "managed_by")) : NULL;
	if (!json_is_object(tags)) {
		json_decref(tags);
		tags = json_object();
	}
	records = json_array();
	if (fd.rs != NULL)	/* what stays: records of others */
		json_array_foreach(json_object_get(fd.rs, "records"), i, r) {
			const char *d = json_string_value(r);

			if (d != NULL && strcmp(zs(tags, d), key) == 0)
				json_object_del(tags, d);
			else
				json_array_append(records, r);
		}
	json_array_foreach(want, i, r) {
		if (!json_is_string(r)) {
			rc = zfault_set(f, 400, "invalid_object",
			    "records must be strings");
			goto out;
		}
		json_array_append(records, r);
		json_object_set_new(tags, json_string_value(r),
		    json_string(key));
	}
	ttl = json_object_get(params, "ttl");
	if (fd.rs != NULL && json_is_true(json_object_get(fd.rs, "managed")) &&
	    json_equal(json_object_get(fd.rs, "managed_by"), tags) &&
	    zc_same_records(json_object_get(fd.rs, "records"), records)) {
		zc_rrset_status(zone, fd.rs);
		*result = zc_render(fd.rs, rrset_keys);
		rc = ZC_NOCHANGE;
		goto out;
	}
	body = json_pack("{s:s,s:s,s:O}", "name", name, "type", type,
	    "records", records);
	if (fd.rs == NULL && (json_is_integer(ttl) || json_is_null(ttl)))
		json_object_set_new(body, "ttl", json_deep_copy(ttl));
	p = json_pack("{s:s,s:o}", "zone_id", zs(zone, "id"), "body", body);
	if (fd.rs != NULL) {
		json_object_del(body, "name");
		json_object_del(body, "type");
		json_object_set_new(p, "recordset_id", json_string(zs(fd.rs,
		    "id")));
		rc = zc_managed_apply(c, x, txn, zone, msg, p, zc_rrset_update,
		    tags, result, f);
	} else
		rc = zc_managed_apply(c, x, txn, zone, msg, p, zc_rrset_create,
		    tags, result, f);
out:
	free(key);
	json_decref(fd.rs);
	json_decref(tags);
	json_decref(records);
	json_decref(p);
	return rc;
}

struct zc_tagged {
	const char	*key;
	json_t		*list;
};

static int
zc_tagged_cb(json_t *rs, void *arg)
{
	struct zc_tagged	*t = arg;
	const char		*k;
	json_t			*v;

	json_object_foreach(json_object_get(rs, "managed_by"), k, v)
		if (strcmp(json_string_value(v) ? json_string_value(v) : "",
		    t->key) == 0) {
			json_array_append(t->list, rs);
			break;
		}
	return 0;
}

/* recordset.managed_unset: remove every record of params.resource from
 * the zone; recordsets left empty go. */
static int
zc_managed_unset(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	struct zc_tagged	 t;
	json_t			*rs, *tags, *records, *r, *p;
	char			*key;
	size_t			 i, j;
	long long		 removed = 0;
	int			 rc = 0;

	if ((key = zc_resource_key(params, f)) == NULL)
		return f->status != 0 ? ZE_FAULT : -ENOMEM;
	if (!x->edit_managed || !x->admin) {
		free(key);
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	}
	t.key = key;
	t.list = json_array();
	if ((rc = zview_rrsets_each(c->view, txn, zs(zone, "id"),
	    zc_tagged_cb, &t)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	json_array_foreach(t.list, i, rs) {
		tags = json_deep_copy(json_object_get(rs, "managed_by"));
		records = json_array();
		json_array_foreach(json_object_get(rs, "records"), j, r) {
			const char *d = json_string_value(r);

			if (d != NULL && strcmp(zs(tags, d), key) == 0) {
				json_object_del(tags, d);
				removed++;
			} else
				json_array_append(records, r);
		}
		p = json_pack("{s:s,s:s,s:{s:O}}", "zone_id", zs(zone, "id"),
		    "recordset_id", zs(rs, "id"), "body", "records", records);
		rc = zc_managed_apply(c, x, txn, zone, msg, p,
		    json_array_size(records) > 0 ? zc_rrset_update :
		    zc_rrset_delete, tags, NULL, f);
		json_decref(p);
		json_decref(tags);
		json_decref(records);
		if (rc < 0)
			goto out;
	}
	*result = json_pack("{s:I}", "removed", (json_int_t)removed);
	rc = removed > 0 ? 0 : ZC_NOCHANGE;
out:
	free(key);
	json_decref(t.list);
	return rc;
}

/*
 * A report from the propagation worker: {zone_id, status: ACTIVE|ERROR,
 * serial, action}.  Applied only when the action still matches; a
 * success for an older serial does not make a newer change ACTIVE.
 */
static int
zc_zone_status(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	const char	*status = zs(params, "status"), *action = zs(params, "action");
	json_int_t	 serial = zi(params, "serial");
	char		 now[40];

	(void)c;
	(void)txn;
	if (!x->admin)
		return zfault_set(f, 403, "forbidden", "admin only");
	if (strcmp(status, "ACTIVE") != 0 && strcmp(status, "ERROR") != 0)
		return zfault_set(f, 400, "bad_request",
		    "status must be ACTIVE or ERROR");
	if (strcmp(zs(zone, "action"), action) != 0 ||
	    (strcmp(status, "ACTIVE") == 0 && serial < zi(zone, "serial"))) {
		*result = zc_render(zone, zone_keys);
		return ZC_NOCHANGE;	/* a stale report */
	}
	if (strcmp(status, "ACTIVE") == 0 && strcmp(action, "DELETE") == 0) {
		json_object_set_new(zone, "status", json_string("DELETED"));
		json_object_set_new(zone, "action", json_string("NONE"));
		json_object_set_new(zone, "deleted", json_true());
		(void)ztime_now(now, sizeof(now));
		json_object_set_new(zone, "deleted_at", json_string(now));
		json_object_set_new(msg, "purge", json_true());
		zc_zone_event(msg, "update", zone);
		*result = zc_render(zone, zone_keys);
		return 0;
	}
	json_object_set_new(zone, "status", json_string(status));
	if (strcmp(status, "ACTIVE") == 0) {
		json_object_set_new(zone, "action", json_string("NONE"));
		json_object_set_new(zone, "active_serial", json_integer(serial));
	}
	zc_zone_event(msg, "update", zone);
	*result = zc_render(zone, zone_keys);
	return 0;
}

/* --- zone create --- */

struct zc_tree {
	const char	*project;
	int		 foreign;
};

static int
zc_tree_cb(json_t *z, void *arg)
{
	struct zc_tree	*t = arg;

	if (!json_is_true(json_object_get(z, "deleted")) &&
	    strcmp(zs(z, "project_id"), t->project) != 0)
		t->foreign++;
	return 0;
}

static int
zc_labels(const char *name)
{
	int	n = 0;

	for (; *name != '\0'; name++)
		if (*name == '.' && name[1] != '\0')
			n++;
	return n + 1;
}

/* --- admin objects: TLDs, blacklists, TSIG keys (api-v2.md 10.1-10.3) --- */

typedef int	(*zc_valid_fn)(const json_t *, const json_t *, struct zfault *);

/*
 * One kind of admin object.  The three kinds share one code path: the
 * object is journaled whole on zone.journal.<kind>.<id> as
 * {"kind":..,"obj":{..}} or {"kind":..,"obj_del":"<id>"}, written with
 * the expected last subject sequence ("_seq" in the view), and its
 * unique member is reserved in zone_names under "<kind>=<sha256>".
 */
struct zc_okind {
	const char		*kind;		/* view kind, journal subject */
	const char		*key;		/* the unique member */
	const char		*title;		/* for messages */
	const char *const	*fields;	/* members a body sets */
	const char *const	*keys;		/* members a result shows */
	const char *const	*filters;
	const char *const	*sorts;
	zc_valid_fn		 valid;
};

static const char *const tld_fields[] = { "name", "description", NULL };
static const char *const tld_keys[] = { "id", "name", "description",
    "created_at", "updated_at", NULL };
static const char *const tld_filters[] = { "name", NULL };
static const char *const blacklist_fields[] = { "pattern", "description",
    NULL };
static const char *const blacklist_keys[] = { "id", "pattern",
    "description", "created_at", "updated_at", NULL };
static const char *const blacklist_filters[] = { "pattern", NULL };
static const char *const blacklist_sorts[] = { "created_at", "id",
    "updated_at", "pattern", NULL };
static const char *const tsigkey_fields[] = { "name", "algorithm",
    "secret", "scope", "resource_id", NULL };
static const char *const tsigkey_keys[] = { "id", "name", "algorithm",
    "secret", "scope", "resource_id", "created_at", "updated_at", NULL };
static const char *const tsigkey_filters[] = { "name", "algorithm",
    "scope", NULL };
static const char *const name_sorts[] = { "created_at", "id", "updated_at",
    "name", NULL };

static const struct zc_okind zc_okinds[] = {
	{ "tld", "name", "Tld", tld_fields, tld_keys, tld_filters,
	    name_sorts, zvalid_tld_body },
	{ "blacklist", "pattern", "Blacklist", blacklist_fields,
	    blacklist_keys, blacklist_filters, blacklist_sorts,
	    zvalid_blacklist_body },
	{ "tsigkey", "name", "TsigKey", tsigkey_fields, tsigkey_keys,
	    tsigkey_filters, name_sorts, zvalid_tsigkey_body },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};

/* The kind of method "<kind>.<verb>", with *verb set; NULL if none. */
static const struct zc_okind *
zc_okind_of(const char *method, const char **verb)
{
	const char	*dot = strchr(method, '.');
	size_t		 i;

	if (dot == NULL)
		return NULL;
	for (i = 0; zc_okinds[i].kind != NULL; i++)
		if (strlen(zc_okinds[i].kind) == (size_t)(dot - method) &&
		    strncmp(zc_okinds[i].kind, method, dot - method) == 0) {
			*verb = dot + 1;
			return &zc_okinds[i];
		}
	return NULL;
}

static int
zc_need_admin(const struct zctx *x, struct zfault *f)
{
	if (!x->admin)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	return 0;
}

static int
zc_obj_notfound(const struct zc_okind *k, struct zfault *f)
{
	char	type[48];

	snprintf(type, sizeof(type), "%s_not_found", k->kind);
	return zfault_set(f, 404, type, "Could not find %s", k->title);
}

static int
zc_obj_duplicate(const struct zc_okind *k, struct zfault *f)
{
	char	type[48];

	snprintf(type, sizeof(type), "duplicate_%s", k->kind);
	return zfault_set(f, 409, type, "Duplicate %s", k->title);
}

/* The SHA-256 of `s' in hex: out[65]. */
static void
zc_sha_hex(const char *s, char *out)
{
	unsigned char	d[32];
	size_t		i;

	ldns_sha256((const unsigned char *)s, (unsigned)strlen(s), d);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/*
 * The key in zone_names of an object's unique value: "<kind>=<sha256 of
 * the value as the view indexes it>".  A zone name never has '=', so
 * zone and object reservations never meet.
 */
static int
zc_obj_rkey(const char *kind, const char *value, char *out, size_t len)
{
	char	norm[600], hex[65];
	int	n;

	if (zview_obj_norm(kind, value, norm, sizeof(norm)) < 0)
		return -EINVAL;
	zc_sha_hex(norm, hex);
	n = snprintf(out, len, "%s=%s", kind, hex);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/*
 * Reserve the unique value of a new or renamed object.  A key already
 * held is a duplicate when its holder is in the view with that value,
 * or was taken less than a minute ago (a write in flight on another
 * copy); else its holder died, or was renamed or deleted without
 * releasing it, and the key is taken over.
 */
static int
zc_obj_reserve(struct zcentral *c, const struct zc_okind *k,
    const char *value, const char *id, struct zfault *f)
{
	char		 rkey[128], holder[40], a[600], b[600];
	json_t		*o = NULL;
	MDB_txn		*txn;
	int64_t		 age = 0;
	uint64_t	 rev = 0;
	int		 rc, same = 0;

	if (zc_obj_rkey(k->kind, value, rkey, sizeof(rkey)) < 0)
		return zfault_set(f, 400, "invalid_object", "Invalid %s",
		    k->key);
	rc = zjournal_name_reserve(c->journal, rkey, id, holder, &age, &rev);
	if (rc == 0)
		return 0;
	if (rc != ZE_EXISTS)
		return zc_unavailable(f, rc);
	if (strcmp(holder, id) == 0)
		return 0;
	if ((rc = zjournal_sync(c->journal, c->timeout_ms)) < 0 ||
	    (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	if (zview_obj(c->view, txn, k->kind, holder, &o) == 0 &&
	    zview_obj_norm(k->kind, zs(o, k->key), a, sizeof(a)) == 0 &&
	    zview_obj_norm(k->kind, value, b, sizeof(b)) == 0 &&
	    strcmp(a, b) == 0)
		same = 1;
	zview_rend(txn);
	json_decref(o);
	if (same || age < 60 ||
	    zjournal_name_takeover(c->journal, rkey, id, rev) < 0)
		return zc_obj_duplicate(k, f);
	return 0;
}

static void
zc_obj_release(struct zcentral *c, const struct zc_okind *k,
    const char *value, const char *id)
{
	char	rkey[128];

	if (zc_obj_rkey(k->kind, value, rkey, sizeof(rkey)) == 0)
		zjournal_name_release(c->journal, rkey, id);
}

/* dns.<kind>.<what>, the object as the API shows it. */
static void
zc_obj_event(json_t *msg, const struct zc_okind *k, const char *what,
    const json_t *obj)
{
	char	t[64];

	snprintf(t, sizeof(t), "dns.%s.%s", k->kind, what);
	zc_event(msg, t, zc_render(obj, k->keys));
}

/*
 * A TSIG key's resource_id names a live zone or a pool (a loaded one, or
 * central.default_pool_id).  Either kind does for either scope: the
 * tempest suite makes keys with a random scope for a zone or a pool (and
 * its test of a mismatch is skipped upstream, bug 1934120).
 */
static int
zc_tsig_resource(struct zcentral *c, MDB_txn *txn, const json_t *key,
    struct zfault *f)
{
	const char	*rid = zs(key, "resource_id");
	const char	*def = zcfg_get(c->cfg, "central", "default_pool_id");
	json_t		*o = NULL;
	int		 ok = 0;

	if (zview_zone(c->view, txn, rid, &o) == 0 &&
	    !json_is_true(json_object_get(o, "deleted")))
		ok = 1;
	json_decref(o);
	o = NULL;
	if (!ok && zview_pool(c->view, txn, rid, &o) == 0)
		ok = 1;
	json_decref(o);
	if (!ok && def != NULL && strcasecmp(def, rid) == 0)
		ok = 1;
	if (!ok)
		return zfault_set(f, 400, "invalid_tsigkey",
		    "No zone or pool %s exists for the %s scope", rid,
		    zs(key, "scope"));
	return 0;
}

static int
zc_obj_create(struct zcentral *c, const struct zctx *x,
    const struct zc_okind *k, const json_t *params, json_t **result,
    struct zfault *f)
{
	const json_t	*body = json_object_get(params, "body");
	json_t		*obj = NULL, *msg = NULL, *o = NULL, *v;
	MDB_txn		*txn = NULL;
	const char	*value;
	char		 id[37], now[40];
	uint64_t	 seq;
	size_t		 i;
	int		 rc, reserved = 0;

	if ((rc = k->valid(body, NULL, f)) < 0)
		return rc;
	if ((rc = zc_need_admin(x, f)) < 0)
		return rc;
	value = zs(body, k->key);
	zuuid_new(id);
	(void)ztime_now(now, sizeof(now));
	obj = json_pack("{s:s,s:s,s:n,s:i}", "id", id, "created_at", now,
	    "updated_at", "version", 1);
	if (obj == NULL)
		return zfault_set(f, 500, "unknown", "out of memory");
	if (strcmp(k->kind, "tsigkey") != 0)
		json_object_set_new(obj, "description", json_null());
	for (i = 0; k->fields[i] != NULL; i++)
		if ((v = json_object_get(body, k->fields[i])) != NULL)
			json_object_set(obj, k->fields[i], v);
	if ((rc = zc_barrier(c)) < 0 ||
	    (rc = zview_rbegin(c->view, &txn)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	if (zview_obj_by_name(c->view, txn, k->kind, value, &o) == 0)
		rc = zc_obj_duplicate(k, f);
	else if (strcmp(k->kind, "tsigkey") == 0)
		rc = zc_tsig_resource(c, txn, obj, f);
	zview_rend(txn);
	txn = NULL;
	if (rc < 0 || (rc = zc_obj_reserve(c, k, value, id, f)) < 0)
		goto out;
	reserved = 1;
	msg = json_pack("{s:s,s:O}", "kind", k->kind, "obj", obj);
	zc_obj_event(msg, k, "create", obj);
	if ((rc = zjournal_publish(c->journal, k->kind, id, msg, 0,
	    &seq)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	reserved = 0;		/* the journal holds it now */
	if ((rc = zjournal_wait(c->journal, seq, c->timeout_ms)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	*result = zc_render(obj, k->keys);
out:
	if (reserved)
		zc_obj_release(c, k, value, id);
	json_decref(o);
	json_decref(obj);
	json_decref(msg);
	return rc;
}

/*
 * Update (body given) or delete one object: read it and its "_seq",
 * publish expecting that sequence, and on a refused publish read again.
 */
static int
zc_obj_change(struct zcentral *c, const struct zctx *x,
    const struct zc_okind *k, const json_t *params, int del,
    json_t **result, struct zfault *f)
{
	const json_t	*body = json_object_get(params, "body");
	const char	*id = zs(params, "id");
	json_t		*obj = NULL, *cur = NULL, *msg = NULL, *o = NULL, *v;
	MDB_txn		*txn = NULL;
	char		 now[40], oldraw[600], oldv[600], newv[600];
	uint64_t	 expect, seq;
	size_t		 i;
	int		 rc, attempt, renamed = 0, reserved = 0;

	if ((rc = zc_need_admin(x, f)) < 0)
		return rc;
	if ((rc = zc_barrier(c)) < 0)
		return zc_unavailable(f, rc);
	for (attempt = 0; attempt < RETRIES; attempt++) {
		json_decref(obj);
		json_decref(cur);
		json_decref(msg);
		json_decref(o);
		obj = cur = msg = o = NULL;
		if ((rc = zview_rbegin(c->view, &txn)) < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		if (zview_obj(c->view, txn, k->kind, id, &obj) < 0) {
			rc = zc_obj_notfound(k, f);
			goto out;
		}
		expect = (uint64_t)zi(obj, "_seq");
		json_object_del(obj, "_seq");
		strlcpy(oldraw, zs(obj, k->key), sizeof(oldraw));
		cur = zc_render(obj, k->keys);
		if (!del) {
			if ((rc = k->valid(body, cur, f)) < 0)
				goto out;
			for (i = 0; k->fields[i] != NULL; i++)
				if ((v = json_object_get(body,
				    k->fields[i])) != NULL)
					json_object_set(obj, k->fields[i], v);
			zview_obj_norm(k->kind, oldraw, oldv, sizeof(oldv));
			zview_obj_norm(k->kind, zs(obj, k->key), newv,
			    sizeof(newv));
			renamed = strcmp(oldv, newv) != 0;
			if (renamed && zview_obj_by_name(c->view, txn, k->kind,
			    zs(obj, k->key), &o) == 0 &&
			    strcmp(zs(o, "id"), id) != 0) {
				rc = zc_obj_duplicate(k, f);
				goto out;
			}
			if (strcmp(k->kind, "tsigkey") == 0 &&
			    !json_equal(json_object_get(obj, "resource_id"),
			    json_object_get(cur, "resource_id")) &&
			    (rc = zc_tsig_resource(c, txn, obj, f)) < 0)
				goto out;
		}
		zview_rend(txn);
		txn = NULL;
		if (renamed) {
			if ((rc = zc_obj_reserve(c, k, zs(obj, k->key), id,
			    f)) < 0)
				goto out;
			reserved = 1;
		}
		if (del) {
			msg = json_pack("{s:s,s:s}", "kind", k->kind, "obj_del",
			    id);
			zc_obj_event(msg, k, "delete", obj);
		} else {
			(void)ztime_now(now, sizeof(now));
			json_object_set_new(obj, "updated_at",
			    json_string(now));
			json_object_set_new(obj, "version",
			    json_integer(zi(obj, "version") + 1));
			msg = json_pack("{s:s,s:O}", "kind", k->kind, "obj",
			    obj);
			zc_obj_event(msg, k, "update", obj);
		}
		rc = zjournal_publish(c->journal, k->kind, id, msg, expect,
		    &seq);
		if (rc == ZE_CONFLICT) {
			__atomic_add_fetch(&c->nconflict, 1, __ATOMIC_RELAXED);
			if (reserved)
				zc_obj_release(c, k, zs(obj, k->key), id);
			reserved = 0;
			if ((rc = zjournal_sync(c->journal,
			    c->timeout_ms)) < 0) {
				rc = zc_unavailable(f, rc);
				goto out;
			}
			continue;
		}
		if (rc < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		reserved = 0;
		if ((rc = zjournal_wait(c->journal, seq, c->timeout_ms)) < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		if (del || renamed)
			zc_obj_release(c, k, oldraw, id);
		*result = zc_render(obj, k->keys);
		rc = 0;
		goto out;
	}
	rc = zfault_set(f, 503, "service_unavailable",
	    "too many concurrent changes to this %s, try again", k->kind);
out:
	zview_rend(txn);
	if (reserved)
		zc_obj_release(c, k, zs(obj, k->key), id);
	json_decref(obj);
	json_decref(cur);
	json_decref(msg);
	json_decref(o);
	return rc;
}

static int
zc_collect_obj(json_t *o, void *arg)
{
	struct zlist	*l = arg;

	if (zc_filter(o, l->filters, 0))
		json_array_append(l->items, o);
	return 0;
}

static int
zc_obj_read(struct zcentral *c, const struct zctx *x,
    const struct zc_okind *k, int list, const json_t *params,
    json_t **result, struct zfault *f)
{
	struct zlist	 l;
	json_t		*obj = NULL, *filters = NULL, *query, *items;
	MDB_txn		*txn = NULL;
	size_t		 i;
	int		 rc;

	if ((rc = zc_need_admin(x, f)) < 0)
		return rc;
	query = json_object_get(params, "query");
	query = json_is_object(query) ? json_incref(query) : json_object();
	if (list && (rc = zc_page(c, x, query, k->filters, k->sorts, 3,
	    &filters, NULL, NULL, f)) < 0)
		goto out;
	if ((rc = zc_barrier(c)) < 0 ||
	    (rc = zview_rbegin(c->view, &txn)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	if (!list) {
		if (zview_obj(c->view, txn, k->kind, zs(params, "id"),
		    &obj) < 0)
			rc = zc_obj_notfound(k, f);
		else
			*result = zc_render(obj, k->keys);
		goto out;
	}
	memset(&l, 0, sizeof(l));
	l.ctx = x;
	l.filters = filters;
	l.items = json_array();
	rc = zview_objs_each(c->view, txn, k->kind, zc_collect_obj, &l);
	zview_rend(txn);
	txn = NULL;
	items = json_array();
	json_array_foreach(l.items, i, obj)
		json_array_append_new(items, zc_render(obj, k->keys));
	json_decref(l.items);
	obj = NULL;
	if (rc < 0)
		rc = zc_unavailable(f, rc);
	else
		rc = zc_page(c, x, query, k->filters, k->sorts, 3, NULL,
		    items, result, f);
	json_decref(items);
out:
	zview_rend(txn);
	json_decref(obj);
	json_decref(filters);
	json_decref(query);
	return rc;
}

static int
zc_obj(struct zcentral *c, const struct zctx *x, const struct zc_okind *k,
    const char *verb, const json_t *params, json_t **result,
    struct zfault *f)
{
	if (strcmp(verb, "create") == 0)
		return zc_obj_create(c, x, k, params, result, f);
	if (strcmp(verb, "get") == 0)
		return zc_obj_read(c, x, k, 0, params, result, f);
	if (strcmp(verb, "list") == 0)
		return zc_obj_read(c, x, k, 1, params, result, f);
	if (strcmp(verb, "update") == 0)
		return zc_obj_change(c, x, k, params, 0, result, f);
	if (strcmp(verb, "delete") == 0)
		return zc_obj_change(c, x, k, params, 1, result, f);
	return zfault_set(f, 404, "not_found", "unknown method %s.%s",
	    k->kind, verb);
}

/* --- zone names against the TLDs and the blacklists (services.md 2.1) --- */

static int
zc_any_cb(json_t *o, void *arg)
{
	(void)o;
	(void)arg;
	return 1;
}

/*
 * With any TLD registered, some suffix of the name (from the last label
 * up) must be one, and the name itself must not be one.
 */
static int
zc_tld_check(struct zcentral *c, MDB_txn *txn, const char *name,
    struct zfault *f)
{
	char		 buf[300];
	const char	*p;
	json_t		*o = NULL;
	size_t		 n;
	int		 rc;

	if ((rc = zview_objs_each(c->view, txn, "tld", zc_any_cb, NULL)) < 0)
		return zc_unavailable(f, rc);
	if (rc == 0)
		return 0;		/* no TLDs: any name */
	zc_lower(name, buf, sizeof(buf));
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '.')
		buf[n - 1] = '\0';
	if (zview_obj_by_name(c->view, txn, "tld", buf, &o) == 0) {
		json_decref(o);
		return zfault_set(f, 400, "invalid_zone_name",
		    "Zone name cannot be the same as a TLD");
	}
	for (p = strchr(buf, '.'); p != NULL; p = strchr(p + 1, '.'))
		if (zview_obj_by_name(c->view, txn, "tld", p + 1, &o) == 0) {
			json_decref(o);
			return 0;
		}
	return zfault_set(f, 400, "invalid_zone_name", "Invalid TLD");
}

struct zc_bl {
	const char	*name, *lname;
	int		 hit;
};

static int
zc_bl_cb(json_t *o, void *arg)
{
	struct zc_bl	*b = arg;
	regex_t		 re;

	if (regcomp(&re, zs(o, "pattern"), REG_EXTENDED | REG_NOSUB) != 0)
		return 0;
	if (regexec(&re, b->name, 0, NULL, 0) == 0 ||
	    regexec(&re, b->lname, 0, NULL, 0) == 0)
		b->hit = 1;
	regfree(&re);
	return b->hit;
}

/* A name that any blacklist pattern finds (as given or in lower case). */
static int
zc_blacklist_check(struct zcentral *c, MDB_txn *txn, const char *name,
    struct zfault *f)
{
	struct zc_bl	 b;
	char		 lname[300];
	int		 rc;

	zc_lower(name, lname, sizeof(lname));
	b.name = name;
	b.lname = lname;
	b.hit = 0;
	rc = zview_objs_each(c->view, txn, "blacklist", zc_bl_cb, &b);
	if (rc < 0)
		return zc_unavailable(f, rc);
	if (b.hit)
		return zfault_set(f, 400, "invalid_zone_name",
		    "Blacklisted zone name");
	return 0;
}

/* --- quotas (api-v2.md 10.5) --- */

/* A project's effective quotas. */
static json_t *
zc_quotas(struct zcentral *c, MDB_txn *txn, const char *project)
{
	json_t	*q = json_object();
	size_t	 i;

	for (i = 0; zvalid_quota_keys[i] != NULL; i++)
		json_object_set_new(q, zvalid_quota_keys[i],
		    json_integer((json_int_t)zc_quota_value(c, txn, project,
		    zvalid_quota_keys[i])));
	return q;
}

static int
zc_quota_get(struct zcentral *c, const struct zctx *x, const json_t *p,
    json_t **result, struct zfault *f)
{
	const char	*proj;
	MDB_txn		*txn;
	int		 rc;

	proj = json_string_value(json_object_get(p, "project_id"));
	if (proj != NULL && strcmp(proj, x->project) != 0 && !x->admin &&
	    !x->all)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	if (proj == NULL)
		proj = x->project;
	if ((rc = zc_barrier(c)) < 0 || (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	*result = zc_quotas(c, txn, proj);
	zview_rend(txn);
	return 0;
}

static int
zc_limits(struct zcentral *c, const struct zctx *x, json_t **result,
    struct zfault *f)
{
	MDB_txn	*txn;
	int	 rc;

	if ((rc = zc_barrier(c)) < 0 || (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	*result = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
	    "max_zones", (json_int_t)zc_quota_value(c, txn, x->project,
	    "zones"),
	    "max_zone_recordsets", (json_int_t)zc_quota_value(c, txn,
	    x->project, "zone_recordsets"),
	    "max_zone_records", (json_int_t)zc_quota_value(c, txn, x->project,
	    "zone_records"),
	    "max_recordset_records", (json_int_t)zc_quota_value(c, txn,
	    x->project, "recordset_records"),
	    "min_ttl", (json_int_t)zc_cfg(c, "min_ttl"),
	    "max_zone_name_length", (json_int_t)zc_cfg(c, "max_zone_name_len"),
	    "max_recordset_name_length",
	    (json_int_t)zc_cfg(c, "max_recordset_name_len"),
	    "max_page_limit", (json_int_t)zcfg_int(c->cfg, "api", "max_limit"));
	zview_rend(txn);
	return 0;
}

/*
 * The first write of a project's quotas has no sequence to expect: it
 * claims "quota=<id>" in zone_names first (the key stays), so that of
 * two first writes one waits for the other and then expects its
 * sequence.  0: go on; 1: another write holds the claim, wait for the
 * view and read again; else a fault.  A claim older than a minute
 * whose object the synced view still lacks was left by a copy that
 * died before its write.
 */
static int
zc_quota_claim(struct zcentral *c, const char *id, const char *token,
    int synced, struct zfault *f)
{
	char		 rkey[80], holder[40];
	int64_t		 age = 0;
	uint64_t	 rev = 0;
	int		 rc;

	snprintf(rkey, sizeof(rkey), "quota=%s", id);
	rc = zjournal_name_reserve(c->journal, rkey, token, holder, &age, &rev);
	if (rc == 0)
		return 0;
	if (rc != ZE_EXISTS)
		return zc_unavailable(f, rc);
	if (strcmp(holder, token) == 0 || (synced && age >= 60))
		return 0;
	return 1;
}

/*
 * quota.set (reset 0: the body's values) and quota.reset (reset 1: back
 * to the defaults).  A project's quotas are one object of kind "quota",
 * id the SHA-256 of the project id, that a reset empties but keeps, so
 * that every later write has a sequence to expect.
 */
static int
zc_quota_set(struct zcentral *c, const struct zctx *x, const json_t *p,
    int reset, json_t **result, struct zfault *f)
{
	const json_t	*body = json_object_get(p, "body");
	const char	*proj, *key;
	json_t		*q = NULL, *msg = NULL, *v;
	MDB_txn		*txn = NULL;
	char		 id[65], now[40], token[37];
	uint64_t	 expect, seq;
	size_t		 i;
	int		 rc, attempt, changed, claimed = 0, synced = 0;

	if ((rc = zc_need_admin(x, f)) < 0)
		return rc;
	zuuid_new(token);
	proj = json_string_value(json_object_get(p, "project_id"));
	if (proj == NULL)
		proj = x->project;
	if (*proj == '\0')
		return zfault_set(f, 401, "missing_project_id",
		    "A project ID must be supplied");
	if (!reset && (rc = zvalid_quota_body(body, f)) < 0)
		return rc;
	zc_sha_hex(proj, id);
	if ((rc = zc_barrier(c)) < 0)
		return zc_unavailable(f, rc);
	for (attempt = 0; attempt < RETRIES; attempt++) {
		json_decref(q);
		json_decref(msg);
		q = msg = NULL;
		if ((rc = zview_rbegin(c->view, &txn)) < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		rc = zview_obj(c->view, txn, "quota", id, &q);
		zview_rend(txn);
		txn = NULL;
		if (rc < 0 && rc != ZE_NOTFOUND) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		(void)ztime_now(now, sizeof(now));
		if (q == NULL)
			q = json_pack("{s:s,s:s,s:s,s:n}", "id", id,
			    "project_id", proj, "created_at", now,
			    "updated_at");
		expect = (uint64_t)zi(q, "_seq");
		json_object_del(q, "_seq");
		changed = 0;
		if (reset) {
			for (i = 0; zvalid_quota_keys[i] != NULL; i++)
				if (json_object_del(q,
				    zvalid_quota_keys[i]) == 0)
					changed = 1;
		} else
			json_object_foreach((json_t *)(uintptr_t)body, key,
			    v) {
				if (json_equal(json_object_get(q, key), v))
					continue;
				json_object_set(q, key, v);
				changed = 1;
			}
		if (!changed)
			break;
		if (expect == 0 && !claimed) {
			if ((rc = zc_quota_claim(c, id, token, synced, f)) < 0)
				goto out;
			if (rc == 1) {
				if ((rc = zjournal_sync(c->journal,
				    c->timeout_ms)) < 0) {
					rc = zc_unavailable(f, rc);
					goto out;
				}
				if (synced)
					usleep(20000);
				synced = 1;
				continue;
			}
			claimed = 1;
		}
		json_object_set_new(q, "updated_at", json_string(now));
		msg = json_pack("{s:s,s:O}", "kind", "quota", "obj", q);
		rc = zjournal_publish(c->journal, "quota", id, msg, expect,
		    &seq);
		if (rc == ZE_CONFLICT) {
			__atomic_add_fetch(&c->nconflict, 1, __ATOMIC_RELAXED);
			if ((rc = zjournal_sync(c->journal,
			    c->timeout_ms)) < 0) {
				rc = zc_unavailable(f, rc);
				goto out;
			}
			synced = 1;
			continue;
		}
		if (rc < 0 || (rc = zjournal_wait(c->journal, seq,
		    c->timeout_ms)) < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		break;
	}
	if (attempt == RETRIES) {
		rc = zfault_set(f, 503, "service_unavailable",
		    "too many concurrent changes to these quotas, try again");
		goto out;
	}
	if ((rc = zview_rbegin(c->view, &txn)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	*result = zc_quotas(c, txn, proj);
	rc = 0;
out:
	zview_rend(txn);
	json_decref(q);
	json_decref(msg);
	return rc;
}

/* Checks against the view: quota, name rules, ownership. */
static int
zc_zone_check(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    const char *name, const json_t *body, struct zfault *f)
{
	struct zc_tree	 t = { x->project, 0 };
	json_t		*z = NULL, *ttl;
	const char	*p;
	uint64_t	 count = 0;
	int		 rc;

	if ((rc = zview_zones_count(c->view, txn, x->project, &count)) < 0)
		return zc_unavailable(f, rc);
	if (!x->service && (rc = zc_quota(c, txn, x->project, "zones",
	    (long long)count, 1, f)) < 0)
		return rc;
	if ((long long)strlen(name) > zc_cfg(c, "max_zone_name_len"))
		return zfault_set(f, 400, "invalid_zone_name",
		    "Zone name is too long");
	if (zc_labels(name) < 2)
		return zfault_set(f, 400, "invalid_zone_name",
		    "More than one label is required");
	if ((rc = zc_tld_check(c, txn, name, f)) < 0)
		return rc;
	if (!x->admin && (rc = zc_blacklist_check(c, txn, name, f)) < 0)
		return rc;
	ttl = json_object_get(body, "ttl");
	if (json_is_integer(ttl) && json_integer_value(ttl) <
	    zc_cfg(c, "min_ttl") && !x->admin)
		return zfault_set(f, 400, "invalid_ttl",
		    "TTL is below the minimum: %lld", zc_cfg(c, "min_ttl"));
	if (zview_zone_by_name(c->view, txn, name, &z) == 0) {
		json_decref(z);
		return zfault_set(f, 409, "duplicate_zone", "Duplicate Zone");
	}
	/* the nearest ancestor held by another project */
	for (p = strchr(name, '.'); p != NULL && p[1] != '\0';
	    p = strchr(p + 1, '.')) {
		if (zview_zone_by_name(c->view, txn, p + 1, &z) == 0) {
			/* a zone shared with us takes our children */
			int other = strcmp(zs(z, "project_id"), x->project) !=
			    0 && !zc_shared_with(x, z);
			json_decref(z);
			if (other)
				return zfault_set(f, 403, "illegal_child",
				    "Unable to create subzone in another "
				    "tenants zone");
			break;
		}
	}
	if ((rc = zview_zones_below(c->view, txn, name, zc_tree_cb, &t)) < 0)
		return zc_unavailable(f, rc);
	if (t.foreign > 0)
		return zfault_set(f, 403, "illegal_parent",
		    "Unable to create zone because another tenant owns a "
		    "subzone of the zone");
	return 0;
}

/*
 * The name is reserved already: by a live zone (409), by a create in
 * flight on another copy (409), or by a copy that died between its
 * reservation and its journal write (older than a minute: take it over).
 */
static int
zc_name_held(struct zcentral *c, const char *name, const char *id,
    const char *holder, int64_t age, uint64_t rev, struct zfault *f)
{
	MDB_txn	*txn;
	json_t	*z = NULL;
	int	 rc, gone;

	if ((rc = zjournal_sync(c->journal, c->timeout_ms)) < 0 ||
	    (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	rc = zview_zone(c->view, txn, holder, &z);
	zview_rend(txn);
	/* an abandoned zone is deleted at once: its name is free */
	gone = rc == 0 && json_is_true(json_object_get(z, "deleted"));
	json_decref(z);
	if ((!gone && (rc == 0 || age < 60)) ||
	    zjournal_name_takeover(c->journal, name, id, rev) < 0)
		return zfault_set(f, 409, "duplicate_zone", "Duplicate Zone");
	return 0;
}

static int	zc_extra_check(struct zcentral *, const struct zctx *,
		    MDB_txn *, const json_t *, struct zfault *);
static int	zc_zone_publish(struct zcentral *, json_t *, json_t *,
		    const json_t *, const struct zctx *, const char *,
		    uint64_t *, struct zfault *);

/*
 * Create a zone from `body' (a POST /v2/zones body), with `extra'
 * (NULL or [{name, type, records, ttl?}], checked by the caller with
 * zvalid) as its first recordsets: zone imports.
 */
static int
zc_zone_new(struct zcentral *c, const struct zctx *x, const json_t *body,
    const json_t *extra, json_t **result, struct zfault *f)
{
	const char	*name;
	json_t		*zone = NULL, *msg = NULL, *rrsets, *ns, *n;
	json_t		*nsrec = NULL, *masters = NULL;
	MDB_txn		*txn = NULL;
	char		 id[37], holder[40], now[40], pool_id[40];
	int64_t		 age;
	uint64_t	 rev, seq;
	uint32_t	 refresh, rmin, rmax, r;
	size_t		 i;
	int		 rc, reserved = 0;

	if ((rc = zvalid_zone_body(body, NULL, f)) < 0)
		return rc;
	if ((rc = zc_need_writer(x, f)) < 0)
		return rc;
	if (*x->project == '\0')
		return zfault_set(f, 401, "missing_project_id",
		    "A project ID must be supplied");
	if (strcmp(zs(body, "type"), "SECONDARY") == 0 &&
	    (masters = zc_masters(json_object_get(body, "masters"), f)) ==
	    NULL)
		return ZE_FAULT;
	name = zs(body, "name");
	if ((rc = zc_barrier(c)) < 0)
		return zc_unavailable(f, rc);
	if ((rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	rc = zc_zone_check(c, x, txn, name, body, f);
	if (rc == 0 && extra != NULL)
		rc = zc_extra_check(c, x, txn, extra, f);
	if (rc == 0)
		rc = zc_pick_pool(c, x, txn, json_object_get(body, "attributes"),
		    pool_id, sizeof(pool_id), f);
	if (rc == 0) {
		nsrec = zc_pool_ns(c, txn, pool_id);
		if (json_array_size(nsrec) == 0)
			rc = zfault_set(f, 500, "no_servers_configured",
			    "No nameservers are configured for the pool");
	}
	zview_rend(txn);
	txn = NULL;
	if (rc < 0)
		goto out;

	zuuid_new(id);
	rc = zjournal_name_reserve(c->journal, name, id, holder, &age, &rev);
	if (rc == ZE_EXISTS)
		rc = zc_name_held(c, name, id, holder, age, rev, f);
	else if (rc < 0)
		rc = zc_unavailable(f, rc);
	if (rc < 0)
		goto out;
	reserved = 1;

	(void)ztime_now(now, sizeof(now));
	rmin = (uint32_t)zc_cfg(c, "soa_refresh_min");
	rmax = (uint32_t)zc_cfg(c, "soa_refresh_max");
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (uint32_t)random();
	refresh = rmax > rmin ? rmin + r % (rmax - rmin + 1) : rmin;
	zone = json_pack("{s:s,s:s,s:s,s:s,s:s,s:O,s:I,s:I,s:s,s:s,s:i,"
	    "s:o,s:s,s:[],s:s,s:n,s:n,s:I,s:I,s:I,s:I,s:i,s:i}",
	    "id", id, "pool_id", pool_id,
	    "project_id", x->project, "name", name, "email", zs(body, "email"),
	    "description", json_object_get(body, "description") ?
	    json_object_get(body, "description") : json_null(),
	    "ttl", json_is_integer(json_object_get(body, "ttl")) ?
	    zi(body, "ttl") : (json_int_t)zc_cfg(c, "default_ttl"),
	    "serial", (json_int_t)time(NULL),
	    "status", "PENDING", "action", "CREATE", "version", 1,
	    "attributes", json_object_get(body, "attributes") ?
	    json_deep_copy(json_object_get(body, "attributes")) : json_object(),
	    "type", "PRIMARY", "masters",
	    "created_at", now, "updated_at", "transferred_at",
	    "refresh", (json_int_t)refresh,
	    "retry", (json_int_t)zc_cfg(c, "soa_retry"),
	    "expire", (json_int_t)zc_cfg(c, "soa_expire"),
	    "minimum", (json_int_t)zc_cfg(c, "soa_minimum"),
	    "n_rrsets", 2, "n_records", 0);
	if (zone != NULL)
		json_object_set(zone, "mname", json_object_get(
		    json_array_get(nsrec, 0), "hostname"));
	if (zone != NULL && masters != NULL) {
		/* its records come from the masters (zone.xfr_apply) */
		json_object_set_new(zone, "type", json_string("SECONDARY"));
		json_object_set(zone, "masters", masters);
		json_object_set_new(zone, "email", json_string(zcfg_get(c->cfg,
		    "central", "managed_resource_email")));
		json_object_set_new(zone, "serial", json_integer(1));
	}
	if (zone == NULL) {
		rc = zfault_set(f, 500, "unknown", "out of memory");
		goto out;
	}
	ns = json_array();
	json_array_foreach(nsrec, i, n)
		json_array_append(ns, json_object_get(n, "hostname"));
	rrsets = json_array();
	json_array_append_new(rrsets, zc_new_rrset(zone, name, "SOA",
	    json_pack("[o]", zc_soa_text(c, zone)), json_null(), x->project,
	    now));
	json_array_append_new(rrsets, zc_new_rrset(zone, name, "NS", ns,
	    json_null(), x->project, now));
	json_array_foreach(rrsets, i, n) {
		json_object_set_new(n, "managed", json_true());
		json_object_set(n, "serial", json_object_get(zone, "serial"));
	}
	msg = json_pack("{s:s,s:O,s:o}", "zone_id", id, "zone", zone,
	    "rrsets_put", rrsets);
	zc_zone_event(msg, "create", zone);
	if (extra != NULL)
		rc = zc_zone_publish(c, zone, msg, extra, x, now, &seq, f);
	else if ((rc = zjournal_publish(c->journal, "zone", id, msg, 0,
	    &seq)) < 0)
		rc = zc_unavailable(f, rc);
	if (rc < 0)
		goto out;
	reserved = 0;	/* the journal holds it now */
	if ((rc = zjournal_wait(c->journal, seq, c->timeout_ms)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	*result = zc_render(zone, zone_keys);
	rc = 0;
	if (masters != NULL)
		zc_xfr_kick(c, id);
out:
	json_decref(nsrec);
	json_decref(masters);
	if (reserved)
		zjournal_name_release(c->journal, name, id);
	json_decref(zone);
	json_decref(msg);
	return rc;
}

static int
zc_zone_create(struct zcentral *c, const struct zctx *x, const json_t *params,
    json_t **result, struct zfault *f)
{
	return zc_zone_new(c, x, json_object_get(params, "body"), NULL,
	    result, f);
}

/* --- pools (read only: pools.yaml is the source) --- */

static int
zc_collect_pool(json_t *p, void *arg)
{
	struct zlist	*l = arg;

	if (zc_filter(p, l->filters, 0))
		json_array_append(l->items, p);
	return 0;
}

static const char *const pool_filters[] = { "name", NULL };
static const char *const pool_sorts[] = { "created_at", "id", "updated_at",
    "name", NULL };

static int
zc_pools(struct zcentral *c, const struct zctx *x, const char *method,
    const json_t *params, json_t **result, struct zfault *f)
{
	struct zlist	 l;
	json_t		*pool = NULL, *filters = NULL, *query, *items;
	MDB_txn		*txn = NULL;
	size_t		 i;
	int		 rc;

	if (!x->admin)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	query = json_object_get(params, "query");
	query = json_is_object(query) ? json_incref(query) : json_object();
	if (strcmp(method, "pool.list") == 0 && (rc = zc_page(c, x, query,
	    pool_filters, pool_sorts, 2, &filters, NULL, NULL, f)) < 0) {
		json_decref(query);
		return rc;
	}
	if ((rc = zc_barrier(c)) < 0 || (rc = zview_rbegin(c->view, &txn)) < 0) {
		json_decref(filters);
		json_decref(query);
		return zc_unavailable(f, rc);
	}
	if (strcmp(method, "pool.get") == 0) {
		json_decref(query);
		if (zview_pool(c->view, txn, zs(params, "pool_id"), &pool) < 0)
			rc = zfault_set(f, 404, "pool_not_found",
			    "Could not find Pool");
		else
			*result = zc_render(pool, pool_keys);
		zview_rend(txn);
		json_decref(pool);
		return rc;
	}
	memset(&l, 0, sizeof(l));
	l.ctx = x;
	l.filters = filters;
	l.items = json_array();
	rc = zview_pools_each(c->view, txn, zc_collect_pool, &l);
	zview_rend(txn);
	json_decref(filters);
	items = json_array();
	json_array_foreach(l.items, i, pool)
		json_array_append_new(items, zc_render(pool, pool_keys));
	json_decref(l.items);
	if (rc < 0)
		rc = zc_unavailable(f, rc);
	else
		rc = zc_page(c, x, query, pool_filters, pool_sorts, 2, NULL,
		    items, result, f);
	json_decref(items);
	json_decref(query);
	return rc;
}

/* pool.create, pool.update, pool.delete: the API's deprecated pool
 * writes.  Pools from the API have no targets until a pools file gives
 * them some; `zone-manage pool update' overwrites pools of its names. */
static int
zc_pool_body(const json_t *body, int create, struct zfault *f)
{
	static const char *const keys[] = { "name", "description",
	    "attributes", "ns_records", "project_id", "id", "links",
	    "created_at", "updated_at", NULL };
	const char	*k;
	json_t		*v, *ns;
	size_t		 i, j;

	json_object_foreach((json_t *)(uintptr_t)body, k, v) {
		for (j = 0; keys[j] != NULL && strcmp(keys[j], k) != 0; j++)
			;
		if (keys[j] == NULL)
			return zfault_set(f, 400, "invalid_object",
			    "Provided object does not match schema: "
			    "'%s' is not a valid key", k);
	}
	v = json_object_get(body, "name");
	if ((create && v == NULL) || (v != NULL && (!json_is_string(v) ||
	    json_string_length(v) < 1 || json_string_length(v) > 50)))
		return zfault_set(f, 400, "invalid_object",
		    "name must be a string of 1 to 50 characters");
	v = json_object_get(body, "description");
	if (v != NULL && !json_is_null(v) && (!json_is_string(v) ||
	    json_string_length(v) > 160))
		return zfault_set(f, 400, "invalid_object",
		    "description must be a string of at most 160 characters");
	v = json_object_get(body, "attributes");
	if (v != NULL && !json_is_object(v))
		return zfault_set(f, 400, "invalid_object",
		    "attributes must be an object");
	v = json_object_get(body, "project_id");
	if (v != NULL && !json_is_null(v) && !json_is_string(v))
		return zfault_set(f, 400, "invalid_object",
		    "project_id must be a string");
	if ((ns = json_object_get(body, "ns_records")) == NULL)
		return 0;
	if (!json_is_array(ns) || (create && json_array_size(ns) == 0))
		return zfault_set(f, 400, "invalid_object",
		    "ns_records must be a list of {hostname, priority}");
	json_array_foreach(ns, i, v) {
		struct zfault	 f2 = ZFAULT_INIT;
		const json_t	*p = json_object_get(v, "priority");
		int		 bad;

		if (!json_is_object(v) || !json_is_string(json_object_get(v,
		    "hostname")) || !json_is_integer(p) ||
		    json_integer_value(p) < 1 || json_integer_value(p) > 10000 ||
		    json_object_size(v) != 2)
			return zfault_set(f, 400, "invalid_object",
			    "ns_records[%zu]: hostname and a priority of 1 to "
			    "10000", i);
		bad = zvalid_zone_name(zs(v, "hostname"), &f2) < 0;
		zfault_release(&f2);
		if (bad)
			return zfault_set(f, 400, "invalid_object",
			    "ns_records[%zu]: %s is not a valid hostname", i,
			    zs(v, "hostname"));
	}
	return 0;
}

struct zc_pool_name {
	const char	*name, *self;
	int		 found;
};

static int
zc_pool_name_cb(json_t *p, void *arg)
{
	struct zc_pool_name	*n = arg;

	if (strcmp(zs(p, "id"), n->self) != 0 &&
	    strcasecmp(zs(p, "name"), n->name) == 0)
		n->found = 1;
	return 0;
}

static int
zc_pool_used_cb(json_t *z, void *arg)
{
	struct zc_pool_name	*n = arg;

	if (strcmp(zs(z, "pool_id"), n->self) == 0)
		n->found = 1;
	return n->found;
}

static int
zc_pool_write(struct zcentral *c, const struct zctx *x, const char *method,
    const json_t *params, json_t **result, struct zfault *f)
{
	const json_t		*body = json_object_get(params, "body");
	struct zc_pool_name	 n;
	json_t			*pool = NULL, *msg = NULL, *v;
	MDB_txn			*txn = NULL;
	const char		*k;
	char			 id[37], now[40];
	uint64_t		 seq;
	int			 create = strcmp(method, "pool.create") == 0;
	int			 del = strcmp(method, "pool.delete") == 0, rc;

	if (!x->admin)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	if (!del && (rc = zc_pool_body(body, create, f)) < 0)
		return rc;
	if ((rc = zc_barrier(c)) < 0 || (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	if (create) {
		zuuid_new(id);
		pool = json_pack("{s:s,s:n,s:o,s:o,s:[],s:[],s:[]}", "id", id,
		    "description", "attributes", json_object(), "ns_records",
		    json_array(), "targets", "also_notifies", "masters");
		json_object_set_new(pool, "project_id", json_string(x->project));
	} else if (zview_pool(c->view, txn, zs(params, "pool_id"), &pool) < 0) {
		rc = zfault_set(f, 404, "pool_not_found", "Could not find Pool");
		goto out;
	}
	n.self = zs(pool, "id");
	n.found = 0;
	if (del) {
		if ((rc = zview_zones_each(c->view, txn, NULL, zc_pool_used_cb,
		    &n)) < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		if (n.found) {
			rc = zfault_set(f, 400, "invalid_operation",
			    "pool is in use by zones");
			goto out;
		}
		msg = json_pack("{s:s}", "pool_del", zs(pool, "id"));
	} else {
		json_object_foreach((json_t *)(uintptr_t)body, k, v)
			if (strcmp(k, "id") != 0 && strcmp(k, "links") != 0 &&
			    strcmp(k, "created_at") != 0 &&
			    strcmp(k, "updated_at") != 0)
				json_object_set(pool, k, v);
		n.name = zs(pool, "name");
		if ((rc = zview_pools_each(c->view, txn, zc_pool_name_cb,
		    &n)) < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		if (n.found) {
			rc = zfault_set(f, 409, "duplicate_pool",
			    "Duplicate Pool");
			goto out;
		}
		(void)ztime_now(now, sizeof(now));
		json_object_set_new(pool, create ? "created_at" : "updated_at",
		    json_string(now));
		if (create)
			json_object_set_new(pool, "updated_at", json_null());
		msg = json_pack("{s:O}", "pool", pool);
	}
	zview_rend(txn);
	txn = NULL;
	if ((rc = zjournal_publish(c->journal, "pool", zs(pool, "id"), msg, 0,
	    &seq)) < 0 || (rc = zjournal_wait(c->journal, seq,
	    c->timeout_ms)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	*result = zc_render(pool, pool_keys);
	rc = 0;
out:
	zview_rend(txn);
	json_decref(pool);
	json_decref(msg);
	return rc;
}

/* --- periodic work (zone-periodic(8)): shard ranges of zones --- */


struct zc_scan {
	int		 first, last;
	const char	*marker;	/* exclusive */
	size_t		 limit;
	int		 (*want)(const struct zc_scan *, const json_t *);
	time_t		 before;
	json_t		*out;
	int		 more;
};

static int
zc_scan_cb(json_t *z, void *arg)
{
	struct zc_scan	*s = arg;
	int		 shard = zkv_shard_of(zs(z, "id"));

	if (shard > s->last)
		return 1;
	if (shard < s->first || (s->marker != NULL &&
	    strcmp(zs(z, "id"), s->marker) <= 0) || !s->want(s, z))
		return 0;
	if (json_array_size(s->out) == s->limit) {
		s->more = 1;
		return 1;
	}
	json_array_append(s->out, z);
	return 0;
}

static int
zc_want_live(const struct zc_scan *s, const json_t *z)
{
	(void)s;
	return !json_is_true(json_object_get(z, "deleted"));
}

static int
zc_want_stuck(const struct zc_scan *s, const json_t *z)
{
	const char	*st = zs(z, "status");

	return strcmp(st, "ERROR") == 0 || (strcmp(st, "PENDING") == 0 &&
	    !json_is_true(json_object_get(z, "delayed_notify")) &&
	    ztime_parse(json_is_string(json_object_get(z, "updated_at")) ?
	    zs(z, "updated_at") : zs(z, "created_at")) < s->before);
}

static int
zc_want_delayed(const struct zc_scan *s, const json_t *z)
{
	(void)s;
	return json_is_true(json_object_get(z, "delayed_notify"));
}

static int
zc_want_old_grave(const struct zc_scan *s, const json_t *z)
{
	return ztime_parse(zs(z, "deleted_at")) < s->before;
}

/* Collect the zones (or graves) of the shard range that `want'. */
static int
zc_scan(struct zcentral *c, const json_t *p, int graves, struct zc_scan *s,
    struct zfault *f)
{
	MDB_txn	*txn = NULL;
	char	 from[8];
	int	 rc;

	s->first = (int)zi(p, "shard_first");
	s->last = json_is_integer(json_object_get(p, "shard_last")) ?
	    (int)zi(p, "shard_last") : ZC_SHARDS - 1;
	s->marker = json_string_value(json_object_get(p, "marker"));
	s->limit = zi(p, "limit") > 0 ? (size_t)zi(p, "limit") : 100;
	s->out = json_array();
	s->more = 0;
	if (s->first < 0 || s->last >= ZC_SHARDS || s->first > s->last)
		return zfault_set(f, 400, "invalid_object",
		    "shard range must be within 0..%d", ZC_SHARDS - 1);
	if ((rc = zc_barrier(c)) < 0 || (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	snprintf(from, sizeof(from), "%03x", s->first);
	rc = zview_zones_from(c->view, txn, graves, s->marker != NULL &&
	    strcmp(s->marker, from) > 0 ? s->marker : from, zc_scan_cb, s);
	zview_rend(txn);
	return rc < 0 ? zc_unavailable(f, rc) : 0;
}

/* A zone handed to zone-notify again: PENDING with a fresh message. */
static int
zc_zone_recover(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	struct zc_scan	 s;
	char		 now[40];

	(void)c;
	(void)x;
	(void)txn;
	(void)msg;
	(void)f;
	s.before = (time_t)zi(params, "before");
	if (!zc_want_stuck(&s, zone)) {
		*result = zc_render(zone, zone_keys);
		return ZC_NOCHANGE;	/* it moved on meanwhile */
	}
	(void)ztime_now(now, sizeof(now));
	json_object_set_new(zone, "status", json_string("PENDING"));
	json_object_set_new(zone, "recovered_at", json_string(now));
	*result = zc_render(zone, zone_keys);
	return 0;
}

/* A delayed NOTIFY is due: clear the flag, which hands it over. */
static int
zc_zone_notify_now(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	(void)c;
	(void)x;
	(void)txn;
	(void)msg;
	(void)params;
	(void)f;
	*result = zc_render(zone, zone_keys);
	if (!json_is_true(json_object_get(zone, "delayed_notify")))
		return ZC_NOCHANGE;
	json_object_del(zone, "delayed_notify");
	if (strcmp(zs(zone, "action"), "DELETE") != 0)
		json_object_set_new(zone, "status", json_string("PENDING"));
	return 0;
}

static int
zc_periodic(struct zcentral *c, const struct zctx *x, const char *m,
    const json_t *p, json_t **result, struct zfault *f)
{
	struct zc_scan	 s;
	struct zfault	 f2 = ZFAULT_INIT;
	json_t		*z, *q, *r, *list;
	uint64_t	 seq, last = 0;
	size_t		 i, n = 0;
	int		 rc;

	memset(&s, 0, sizeof(s));
	if (!x->admin)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	if (strcmp(m, "periodic.exists") == 0) {
		s.want = zc_want_live;
		if ((rc = zc_scan(c, p, 0, &s, f)) < 0)
			goto out;
		list = json_array();
		json_array_foreach(s.out, i, z)
			json_array_append_new(list, zcentral_zone_payload(z));
		z = json_array_get(s.out, json_array_size(s.out) - 1);
		*result = json_pack("{s:o,s:o}", "zones", list, "next",
		    s.more && z != NULL ? json_string(zs(z, "id")) : json_null());
		rc = 0;
		goto out;
	}
	if (strcmp(m, "periodic.purge") == 0) {
		s.want = zc_want_old_grave;
		s.before = time(NULL) - (time_t)zi(p, "older_than_s");
		if ((rc = zc_scan(c, p, 1, &s, f)) < 0)
			goto out;
		json_array_foreach(s.out, i, z) {
			q = json_pack("{s:s,s:b,s:b}", "zone_id", zs(z, "id"),
			    "purge", 1, "hard", 1);
			rc = zjournal_publish(c->journal, "zone", zs(z, "id"), q,
			    (uint64_t)zi(z, "_seq"), &seq);
			json_decref(q);
			if (rc == 0) {
				n++;
				last = seq;
			} else if (rc != ZE_CONFLICT) {
				rc = zc_unavailable(f, rc);
				goto out;
			}
		}
		if (last > 0 && (rc = zjournal_wait(c->journal, last,
		    c->timeout_ms)) < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		*result = json_pack("{s:I,s:b}", "purged", (json_int_t)n,
		    "more", s.more);
		rc = 0;
		goto out;
	}
	if (strcmp(m, "periodic.recover") == 0) {
		s.want = zc_want_stuck;
		s.before = time(NULL) - (time_t)zi(p, "pending_s");
	} else if (strcmp(m, "periodic.delayed_notify") == 0)
		s.want = zc_want_delayed;
	else {
		rc = zfault_set(f, 404, "not_found", "unknown method %s", m);
		goto out;
	}
	if ((rc = zc_scan(c, p, 0, &s, f)) < 0)
		goto out;
	json_array_foreach(s.out, i, z) {
		q = json_pack("{s:s,s:I}", "zone_id", zs(z, "id"), "before",
		    (json_int_t)s.before);
		r = NULL;
		rc = zc_mutate(c, x, q, s.want == zc_want_stuck ?
		    zc_zone_recover : zc_zone_notify_now, ZC_SOLO, &r, &f2);
		json_decref(q);
		json_decref(r);
		if (rc == 0)
			n++;
		else if (f2.status >= 500) {
			rc = zfault_set(f, f2.status, f2.type, "%s", f2.message);
			zfault_release(&f2);
			goto out;
		}
		zfault_release(&f2);
	}
	*result = json_pack("{s:I,s:b}", s.want == zc_want_stuck ? "recovered" :
	    "notified", (json_int_t)n, "more", s.more);
	rc = 0;
out:
	json_decref(s.out);
	return rc;
}

/* --- shared zones (api-v2.md 5, services.md 2.7) --- */

/* Unknown keys of a body: 400 invalid_object. */
static int
zc_body_keys(const json_t *body, const char *const *ok, struct zfault *f)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	if (!json_is_object(body))
		return zfault_set(f, 400, "invalid_object",
		    "The request body must be a JSON object");
	json_object_foreach((json_t *)(uintptr_t)body, k, v) {
		for (i = 0; ok[i] != NULL; i++)
			if (strcmp(ok[i], k) == 0)
				break;
		if (ok[i] == NULL)
			return zfault_set(f, 400, "invalid_object",
			    "Additional properties are not allowed ('%s' was "
			    "unexpected)", k);
	}
	return 0;
}

/* A string member of at most `max' characters (null when `nullok'). */
static int
zc_body_str(const json_t *body, const char *key, size_t max, int required,
    int nullok, struct zfault *f)
{
	const json_t	*v = json_object_get(body, key);

	if (v == NULL) {
		if (required)
			return zfault_set(f, 400, "invalid_object",
			    "'%s' is a required property", key);
		return 0;
	}
	if (json_is_null(v) && nullok)
		return 0;
	if (!json_is_string(v))
		return zfault_set(f, 400, "invalid_object",
		    "%s: not a string", key);
	if (strlen(json_string_value(v)) > max)
		return zfault_set(f, 400, "invalid_object",
		    "%s: longer than %zu characters", key, max);
	return 0;
}

static int
zc_share_create(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	static const char *const ok[] = { "target_project_id", NULL };
	const json_t	*body = json_object_get(params, "body"), *s;
	const char	*target;
	json_t		*share;
	char		 id[37], now[40];
	size_t		 i;
	int		 rc;

	(void)c;
	(void)txn;
	if ((rc = zc_body_keys(body, ok, f)) < 0 ||
	    (rc = zc_body_str(body, "target_project_id", 36, 1, 0, f)) < 0)
		return rc;
	target = zs(body, "target_project_id");
	if (*target == '\0')
		return zfault_set(f, 400, "invalid_object",
		    "target_project_id: must not be empty");
	if (strcmp(zs(zone, "action"), "DELETE") == 0)
		return zfault_set(f, 400, "bad_request",
		    "Can not share a deleting zone");
	if (strcmp(target, zs(zone, "project_id")) == 0)
		return zfault_set(f, 400, "bad_request",
		    "Cannot share the zone with the project that owns it");
	json_array_foreach(json_object_get(zone, "shares"), i, s)
		if (strcmp(zs(s, "target_project_id"), target) == 0)
			return zfault_set(f, 409, "duplicate_shared_zone",
			    "Duplicate Shared Zone");
	zuuid_new(id);
	(void)ztime_now(now, sizeof(now));
	share = json_pack("{s:s,s:s,s:s,s:s,s:s,s:n}", "id", id, "zone_id",
	    zs(zone, "id"), "project_id", x->project, "target_project_id",
	    target, "created_at", now, "updated_at");
	if (!json_is_array(json_object_get(zone, "shares")))
		json_object_set_new(zone, "shares", json_array());
	json_array_append(json_object_get(zone, "shares"), share);
	json_object_set_new(zone, "shared", json_true());
	zc_msg_obj(msg, "share", share);
	zc_event(msg, "dns.zone.share", zc_render(share, share_keys));
	*result = zc_share_render(share);
	json_decref(share);
	return 0;
}

struct zc_owns {
	const char	*project;
	const char	*self;
	int		 n;
};

static int
zc_owns_cb(json_t *o, void *arg)
{
	struct zc_owns	*w = arg;

	if (w->self != NULL && strcmp(zs(o, "id"), w->self) == 0)
		return 0;
	if (!json_is_true(json_object_get(o, "deleted")) &&
	    strcmp(zs(o, "project_id"), w->project) == 0)
		w->n++;
	return 0;
}

static int
zc_share_delete(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	json_t		*shares = json_object_get(zone, "shares"), *s = NULL;
	struct zc_owns	 w;
	size_t		 i;
	int		 rc;

	(void)x;
	json_array_foreach(shares, i, s)
		if (strcmp(zs(s, "id"), zs(params, "id")) == 0)
			break;
	if (i >= json_array_size(shares))
		return zfault_set(f, 404, "shared_zone_not_found",
		    "Could not find SharedZone");
	memset(&w, 0, sizeof(w));
	w.project = zs(s, "target_project_id");
	if ((rc = zview_rrsets_each(c->view, txn, zs(zone, "id"), zc_owns_cb,
	    &w)) < 0)
		return zc_unavailable(f, rc);
	if (w.n > 0)
		return zfault_set(f, 400, "shared_zone_has_recordsets",
		    "The project the zone is shared with still owns "
		    "recordsets in it");
	w.self = zs(zone, "id");
	if ((rc = zview_zones_below(c->view, txn, zs(zone, "name"),
	    zc_owns_cb, &w)) < 0)
		return zc_unavailable(f, rc);
	if (w.n > 0)
		return zfault_set(f, 400, "shared_zone_has_sub_zone",
		    "The project the zone is shared with still owns zones "
		    "below it");
	*result = zc_share_render(s);
	zc_msg_obj_del(msg, "share", zs(s, "id"));
	zc_event(msg, "dns.zone.unshare", zc_render(s, share_keys));
	json_array_remove(shares, i);
	json_object_set_new(zone, "shared",
	    json_boolean(json_array_size(shares) > 0));
	return 0;
}

static const char *const share_filters[] = { "target_project_id", NULL };
static const char *const share_sorts[] = { "created_at", "updated_at",
    "id", NULL };

/* Page `items' (rendered, borrowed) by `query' as list `name'. */
static int
zc_page_items(struct zcentral *c, const struct zctx *x, const json_t *query,
    const char *const *filters_ok, const char *const *sorts, json_t *items,
    const char *name, json_t **result, struct zfault *f)
{
	json_t	*filters = NULL, *keep, *o, *q;
	size_t	 i;
	int	 rc;

	q = json_is_object(query) ? json_incref((json_t *)(uintptr_t)query) :
	    json_object();
	if ((rc = zc_page(c, x, q, filters_ok, sorts, 3, &filters, NULL, NULL,
	    f)) < 0) {
		json_decref(q);
		return rc;
	}
	keep = json_array();
	json_array_foreach(items, i, o)
		if (zc_filter(o, filters, 0))
			json_array_append(keep, o);
	rc = zc_page(c, x, q, filters_ok, sorts, 3, NULL, keep, result, f);
	if (rc == 0)
		json_object_set_new(*result, "name", json_string(name));
	json_decref(keep);
	json_decref(filters);
	json_decref(q);
	return rc;
}

static int
zc_share_read(struct zcentral *c, const struct zctx *x, int list,
    const json_t *params, json_t **result, struct zfault *f)
{
	json_t		*zone = NULL, *items = NULL, *s;
	MDB_txn		*txn = NULL;
	size_t		 i;
	int		 rc;

	if ((rc = zc_barrier(c)) < 0 ||
	    (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	if ((rc = zc_zone_get(c, x, zs(params, "zone_id"), txn, &zone,
	    f)) < 0)
		goto out;
	zview_rend(txn);
	txn = NULL;
	items = json_array();
	json_array_foreach(json_object_get(zone, "shares"), i, s) {
		/* the target sees its own share only */
		if (!zc_owner(x, zone) && strcmp(zs(s, "target_project_id"),
		    x->project) != 0)
			continue;
		if (!list && strcmp(zs(s, "id"), zs(params, "id")) != 0)
			continue;
		json_array_append_new(items, zc_share_render(s));
	}
	if (!list) {
		if (json_array_size(items) == 0)
			rc = zfault_set(f, 404, "shared_zone_not_found",
			    "Could not find SharedZone");
		else {
			*result = json_incref(json_array_get(items, 0));
			rc = 0;
		}
		goto out;
	}
	rc = zc_page_items(c, x, json_object_get(params, "query"),
	    share_filters, share_sorts, items, "shared_zones", result, f);
out:
	zview_rend(txn);
	json_decref(zone);
	json_decref(items);
	return rc;
}

/* --- zone ownership transfers (api-v2.md 6, services.md 2.8) --- */

static const char *const tr_keys[] = { "id", "zone_id", "zone_name",
    "project_id", "target_project_id", "key", "status", "description",
    "created_at", "updated_at", NULL };
static const char *const tr_public_keys[] = { "id", "zone_id", "zone_name",
    "description", "status", NULL };
static const char *const ta_keys[] = { "id", "zone_transfer_request_id",
    "zone_id", "project_id", "key", "status", "created_at", "updated_at",
    NULL };
static const char *const tr_filters[] = { "status", NULL };
static const char *const tr_sorts[] = { "created_at", "id", "updated_at",
    NULL };

static int
zc_tr_visible(const struct zctx *x, const json_t *tr)
{
	const char	*t = zs(tr, "target_project_id");

	return x->all || x->admin ||
	    strcmp(zs(tr, "project_id"), x->project) == 0 ||
	    *t == '\0' || strcmp(t, x->project) == 0;
}

static json_t *
zc_tr_render(const struct zctx *x, const json_t *tr)
{
	json_t	*r;
	char	 self[128];

	r = zc_render(tr, x->all || strcmp(zs(tr, "project_id"),
	    x->project) == 0 ? tr_keys : tr_public_keys);
	if (json_object_get(r, "target_project_id") == NULL &&
	    json_object_get(r, "key") != NULL)
		json_object_set_new(r, "target_project_id", json_null());
	snprintf(self, sizeof(self), "/v2/zones/tasks/transfer_requests/%s",
	    zs(tr, "id"));
	json_object_set_new(r, "links", json_pack("{s:s}", "self", self));
	return r;
}

static json_t *
zc_ta_render(const json_t *ta)
{
	json_t	*r = zc_render(ta, ta_keys);
	char	 self[128], zone[96];

	snprintf(self, sizeof(self), "/v2/zones/tasks/transfer_accepts/%s",
	    zs(ta, "id"));
	snprintf(zone, sizeof(zone), "/v2/zones/%s", zs(ta, "zone_id"));
	json_object_set_new(r, "links", json_pack("{s:s,s:s}", "self", self,
	    "zone", zone));
	return r;
}

struct zc_trfind {
	const char	*zone_id;
	int		 active;
};

static int
zc_trfind_cb(json_t *o, void *arg)
{
	struct zc_trfind	*w = arg;

	if (strcmp(zs(o, "zone_id"), w->zone_id) == 0 &&
	    strcmp(zs(o, "status"), "ACTIVE") == 0)
		w->active++;
	return 0;
}

static int
zc_tr_create(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	static const char *const ok[] = { "target_project_id", "description",
	    NULL };
	static const char	 alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const json_t	*body = json_object_get(params, "body");
	struct zc_trfind w = { NULL, 0 };
	unsigned char	 rnd[8];
	json_t		*tr;
	char		 id[37], now[40], key[9];
	size_t		 i;
	int		 rc;

	if ((rc = zc_body_keys(body, ok, f)) < 0 ||
	    (rc = zc_body_str(body, "target_project_id", 36, 0, 1, f)) < 0 ||
	    (rc = zc_body_str(body, "description", 160, 0, 1, f)) < 0)
		return rc;
	if (strcmp(zs(zone, "action"), "DELETE") == 0)
		return zfault_set(f, 400, "bad_request",
		    "Can not transfer a deleting zone");
	w.zone_id = zs(zone, "id");
	if ((rc = zview_objs_each(c->view, txn, "transfer_request",
	    zc_trfind_cb, &w)) < 0)
		return zc_unavailable(f, rc);
	if (w.active > 0)
		return zfault_set(f, 409, "duplicate_zone_transfer_request",
		    "The zone already has an active transfer request");
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return zfault_set(f, 500, "unknown", "no random bytes");
	for (i = 0; i < 8; i++)
		key[i] = alpha[rnd[i] % (sizeof(alpha) - 1)];
	key[8] = '\0';
	zuuid_new(id);
	(void)ztime_now(now, sizeof(now));
	tr = json_pack("{s:s,s:s,s:s,s:s,s:O,s:s,s:s,s:O,s:s,s:n}",
	    "id", id, "zone_id", zs(zone, "id"), "zone_name", zs(zone, "name"),
	    "project_id", zs(zone, "project_id"), "target_project_id",
	    json_is_string(json_object_get(body, "target_project_id")) ?
	    json_object_get(body, "target_project_id") : json_null(),
	    "key", key, "status", "ACTIVE", "description",
	    json_is_string(json_object_get(body, "description")) ?
	    json_object_get(body, "description") : json_null(),
	    "created_at", now, "updated_at");
	zc_msg_obj(msg, "transfer_request", tr);
	zc_event(msg, "dns.zone_transfer_request.create", zc_render(tr,
	    tr_keys));
	*result = zc_tr_render(x, tr);
	json_decref(tr);
	return 0;
}

static int
zc_tr_change(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	static const char *const ok[] = { "target_project_id", "description",
	    "id", "zone_id", "zone_name", "project_id", "key", "status",
	    "created_at", "updated_at", "links", NULL };
	const json_t	*body = json_object_get(params, "body");
	const char	*k;
	json_t		*tr = NULL, *v;
	char		 now[40];
	int		 rc;

	(void)zone;
	if (zview_obj(c->view, txn, "transfer_request", zs(params, "id"),
	    &tr) < 0 || !zc_tr_visible(x, tr)) {
		rc = zfault_set(f, 404, "zone_transfer_request_not_found",
		    "Could not find ZoneTransferRequest");
		goto out;
	}
	if (json_is_true(json_object_get(params, "delete"))) {
		zc_msg_obj_del(msg, "transfer_request", zs(tr, "id"));
		zc_event(msg, "dns.zone_transfer_request.delete",
		    zc_render(tr, tr_keys));
		*result = zc_tr_render(x, tr);
		rc = 0;
		goto out;
	}
	if ((rc = zc_body_keys(body, ok, f)) < 0 ||
	    (rc = zc_body_str(body, "target_project_id", 36, 0, 1, f)) < 0 ||
	    (rc = zc_body_str(body, "description", 160, 0, 1, f)) < 0)
		goto out;
	if ((v = json_object_get(body, "zone_id")) != NULL &&
	    !json_equal(v, json_object_get(tr, "zone_id"))) {
		rc = zfault_set(f, 400, "invalid_operation",
		    "zone_id of a transfer request can not be changed");
		goto out;
	}
	json_object_foreach((json_t *)(uintptr_t)body, k, v) {
		if (strcmp(k, "target_project_id") == 0 ||
		    strcmp(k, "description") == 0 || strcmp(k, "links") == 0)
			continue;
		if (!json_equal(v, json_object_get(tr, k))) {
			rc = zfault_set(f, 400, "invalid_object",
			    "%s is read only", k);
			goto out;
		}
	}
	if ((v = json_object_get(body, "target_project_id")) != NULL)
		json_object_set(tr, "target_project_id", v);
	if ((v = json_object_get(body, "description")) != NULL)
		json_object_set(tr, "description", v);
	(void)ztime_now(now, sizeof(now));
	json_object_set_new(tr, "updated_at", json_string(now));
	zc_msg_obj(msg, "transfer_request", tr);
	zc_event(msg, "dns.zone_transfer_request.update", zc_render(tr,
	    tr_keys));
	*result = zc_tr_render(x, tr);
	rc = 0;
out:
	json_decref(tr);
	return rc;
}

struct zc_move {
	const char	*project;
	const char	*now;
	json_t		*puts;
};

static int
zc_move_cb(json_t *rs, void *arg)
{
	struct zc_move	*m = arg;
	json_t		*r = json_deep_copy(rs);

	json_object_set_new(r, "project_id", json_string(m->project));
	json_object_set_new(r, "version", json_integer(zi(r, "version") + 1));
	json_object_set_new(r, "updated_at", json_string(m->now));
	json_array_append_new(m->puts, r);
	return 0;
}

/* Accept: params {zone_id, request_id, key, accept_id, project}. */
static int
zc_tr_accept(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	const char	*project = zs(params, "project");
	struct zc_move	 m;
	json_t		*tr = NULL, *ta = NULL;
	uint64_t	 have = 0;
	char		 now[40];
	int		 rc;

	(void)x;
	if (zview_obj(c->view, txn, "transfer_request",
	    zs(params, "request_id"), &tr) < 0) {
		rc = zfault_set(f, 404, "zone_transfer_request_not_found",
		    "Could not find ZoneTransferRequest");
		goto out;
	}
	if (strcmp(zs(tr, "status"), "ACTIVE") != 0 ||
	    strcmp(zs(zone, "project_id"), zs(tr, "project_id")) != 0) {
		rc = zfault_set(f, 400, "invalid_zone_transfer_request",
		    "Zone Transfer Request has been used");
		goto out;
	}
	if (strcmp(zs(tr, "key"), zs(params, "key")) != 0) {
		rc = zfault_set(f, 403, "invalid_key",
		    "Key does not match stored key for request");
		goto out;
	}
	if (strcmp(zs(zone, "action"), "DELETE") == 0) {
		rc = zfault_set(f, 400, "bad_request",
		    "Can not transfer a deleting zone");
		goto out;
	}
	if ((rc = zview_zones_count(c->view, txn, project, &have)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	if ((rc = zc_quota(c, txn, project, "zones", (long long)have, 1,
	    f)) < 0)
		goto out;
	(void)ztime_now(now, sizeof(now));
	m.project = project;
	m.now = now;
	m.puts = json_array();
	json_object_set_new(msg, "rrsets_put", m.puts);
	if ((rc = zview_rrsets_each(c->view, txn, zs(zone, "id"), zc_move_cb,
	    &m)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	zc_unshare_all(zone, msg);
	json_object_set_new(zone, "project_id", json_string(project));
	json_object_set_new(zone, "version", json_integer(zi(zone, "version") +
	    1));
	json_object_set_new(zone, "updated_at", json_string(now));
	json_object_set_new(tr, "status", json_string("COMPLETE"));
	json_object_set_new(tr, "updated_at", json_string(now));
	ta = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:n}",
	    "id", zs(params, "accept_id"), "zone_transfer_request_id",
	    zs(tr, "id"), "zone_id", zs(zone, "id"), "project_id", project,
	    "key", zs(params, "key"), "status", "COMPLETE", "created_at", now,
	    "updated_at");
	zc_msg_obj(msg, "transfer_request", tr);
	zc_msg_obj(msg, "transfer_accept", ta);
	zc_zone_event(msg, "update", zone);
	zc_event(msg, "dns.zone_transfer_accept.create", zc_render(ta,
	    ta_keys));
	*result = zc_ta_render(ta);
	rc = 0;
out:
	json_decref(tr);
	json_decref(ta);
	return rc;
}

/* transfer_request.{create,list,get,update,delete},
 * transfer_accept.{create,list,get} */
static int
zc_transfer(struct zcentral *c, const struct zctx *x, const char *m,
    const json_t *params, json_t **result, struct zfault *f)
{
	static const char *const aok[] = { "zone_transfer_request_id", "key",
	    NULL };
	int		 accept = strncmp(m, "transfer_accept.", 16) == 0;
	const char	*verb = strchr(m, '.') + 1, *kind;
	struct zctx	 x2;
	struct zlist	 l;
	json_t		*obj = NULL, *items = NULL, *p = NULL, *o;
	const json_t	*body = NULL;
	MDB_txn		*txn = NULL;
	char		 aid[37];
	size_t		 i;
	int		 rc;

	kind = accept ? "transfer_accept" : "transfer_request";
	if (!accept && strcmp(verb, "create") == 0)
		return zc_mutate(c, x, params, zc_tr_create, ZC_SOLO, result,
		    f);
	if (accept && strcmp(verb, "create") == 0) {
		body = json_object_get(params, "body");
		if ((rc = zc_need_writer(x, f)) < 0 ||
		    (rc = zc_body_keys(body, aok, f)) < 0 ||
		    (rc = zc_body_str(body, "zone_transfer_request_id", 36, 1,
		    0, f)) < 0 ||
		    (rc = zc_body_str(body, "key", 160, 1, 0, f)) < 0)
			return rc;
		if (!zuuid_valid(zs(body, "zone_transfer_request_id")))
			return zfault_set(f, 400, "invalid_object",
			    "zone_transfer_request_id: not a UUID");
	}
	if ((rc = zc_barrier(c)) < 0 ||
	    (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	if (strcmp(verb, "list") == 0) {
		memset(&l, 0, sizeof(l));
		l.filters = json_object();
		l.items = json_array();
		rc = zview_objs_each(c->view, txn, kind, zc_collect_obj, &l);
		json_decref((json_t *)(uintptr_t)l.filters);
		zview_rend(txn);
		txn = NULL;
		items = json_array();
		json_array_foreach(l.items, i, o) {
			if (accept && (x->all || strcmp(zs(o, "project_id"),
			    x->project) == 0))
				json_array_append_new(items, zc_ta_render(o));
			else if (!accept && (x->all || strcmp(zs(o,
			    "project_id"), x->project) == 0 || strcmp(zs(o,
			    "target_project_id"), x->project) == 0))
				json_array_append_new(items,
				    zc_tr_render(x, o));
		}
		json_decref(l.items);
		if (rc < 0) {
			rc = zc_unavailable(f, rc);
			goto out;
		}
		rc = zc_page_items(c, x, json_object_get(params, "query"),
		    tr_filters, tr_sorts, items, accept ? "transfer_accepts" :
		    "transfer_requests", result, f);
		goto out;
	}
	if (accept && strcmp(verb, "get") == 0) {
		if (zview_obj(c->view, txn, kind, zs(params, "id"), &obj) < 0 ||
		    !(x->all || strcmp(zs(obj, "project_id"), x->project) ==
		    0))
			rc = zfault_set(f, 404, "zone_transfer_accept_not_found",
			    "Could not find ZoneTransferAccept");
		else {
			*result = zc_ta_render(obj);
			rc = 0;
		}
		goto out;
	}
	if (accept && strcmp(verb, "create") != 0) {
		rc = zfault_set(f, 404, "not_found", "unknown method %s", m);
		goto out;
	}
	/* the request itself: get, update, delete, accept */
	if (zview_obj(c->view, txn, "transfer_request", accept ?
	    zs(body, "zone_transfer_request_id") : zs(params, "id"),
	    &obj) < 0 || (!accept && !zc_tr_visible(x, obj))) {
		rc = zfault_set(f, 404, "zone_transfer_request_not_found",
		    "Could not find ZoneTransferRequest");
		goto out;
	}
	zview_rend(txn);
	txn = NULL;
	if (strcmp(verb, "get") == 0) {
		*result = zc_tr_render(x, obj);
		rc = 0;
		goto out;
	}
	if (accept) {
		if (*zs(obj, "target_project_id") != '\0' && !x->all &&
		    strcmp(zs(obj, "target_project_id"), x->project) != 0 &&
		    strcmp(zs(obj, "project_id"), x->project) != 0) {
			rc = zfault_set(f, 403, "forbidden",
			    "You are not authorized to perform this action");
			goto out;
		}
		/* the zone is not the caller's yet: the checks are zc_tr_accept's */
		x2 = *x;
		x2.all = 1;
		zuuid_new(aid);
		p = json_pack("{s:s,s:s,s:s,s:s,s:s}", "zone_id",
		    zs(obj, "zone_id"), "request_id", zs(obj, "id"), "key",
		    zs(body, "key"), "accept_id", aid, "project", x->project);
		rc = zc_mutate(c, &x2, p, zc_tr_accept, ZC_SOLO, result, f);
		goto out;
	}
	if (!x->all && strcmp(zs(obj, "project_id"), x->project) != 0) {
		rc = zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
		goto out;
	}
	p = json_deep_copy(params);
	json_object_set(p, "zone_id", json_object_get(obj, "zone_id"));
	if (strcmp(verb, "delete") == 0)
		json_object_set_new(p, "delete", json_true());
	x2 = *x;
	x2.all = 1;		/* the owner of the request, checked above */
	rc = zc_mutate(c, &x2, p, zc_tr_change, ZC_SOLO, result, f);
	if (rc == ZE_FAULT && f->status == 404 &&
	    strcmp(f->type, "zone_not_found") == 0) {
		zfault_release(f);
		rc = zfault_set(f, 404, "zone_transfer_request_not_found",
		    "Could not find ZoneTransferRequest");
	}
out:
	zview_rend(txn);
	json_decref(obj);
	json_decref(items);
	json_decref(p);
	return rc;
}

/* --- abandon (api-v2.md 3.8): soft delete now, servers untouched --- */

static int
zc_zone_abandon(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	json_t	*o;
	char	 now[40];
	int	 dying = strcmp(zs(zone, "action"), "DELETE") == 0;

	(void)c;
	(void)x;
	(void)txn;
	(void)params;
	(void)f;
	zc_unshare_all(zone, msg);
	(void)ztime_now(now, sizeof(now));
	json_object_set_new(zone, "status", json_string("DELETED"));
	json_object_set_new(zone, "action", json_string("NONE"));
	json_object_set_new(zone, "deleted", json_true());
	json_object_set_new(zone, "deleted_at", json_string(now));
	json_object_set_new(zone, "version", json_integer(zi(zone, "version") +
	    1));
	json_object_set_new(zone, "updated_at", json_string(now));
	if (dying) {
		/* on its way off the servers already: let it go */
		json_object_set_new(msg, "purge", json_true());
	} else {
		/*
		 * The row stays, deleted for the API but still a catalog
		 * member served by zone-xfr, so the servers keep the zone;
		 * the view drops it when a new zone takes the name.
		 */
		json_object_set_new(zone, "abandoned", json_true());
		o = json_pack("{s:s,s:s,s:s}", "id", zs(zone, "id"), "name",
		    zs(zone, "name"), "pool_id", zs(zone, "pool_id"));
		zc_msg_obj(msg, "abandoned", o);
		json_decref(o);
	}
	zc_zone_event(msg, "delete", zone);
	*result = zc_render(zone, zone_keys);
	return 0;
}

/*
 * zone.forget {zone_id}: an abandoned zone leaves the servers too.  It
 * becomes a deletion in flight (action DELETE, PENDING, still hidden
 * from the API): zone-notify takes it off the pool's servers and reports,
 * then it is purged like any deleted zone.  Operators only.
 */
static int
zc_zone_forget(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	char	now[40];

	(void)c;
	(void)txn;
	(void)msg;
	(void)params;
	if (!x->admin)
		return zfault_set(f, 403, "forbidden", "admin only");
	if (!json_is_true(json_object_get(zone, "abandoned")))
		return zfault_set(f, 404, "zone_not_found",
		    "Could not find an abandoned zone");
	(void)ztime_now(now, sizeof(now));
	json_object_del(zone, "abandoned");
	json_object_set_new(zone, "forgetting", json_true());
	json_object_set_new(zone, "action", json_string("DELETE"));
	json_object_set_new(zone, "status", json_string("PENDING"));
	json_object_set_new(zone, "version", json_integer(zi(zone, "version") +
	    1));
	json_object_set_new(zone, "updated_at", json_string(now));
	*result = json_pack("{s:s,s:s,s:s,s:s}", "id", zs(zone, "id"), "name",
	    zs(zone, "name"), "action", "DELETE", "status", "PENDING");
	return 0;
}

/*
 * Whether change `it' may touch `zone': the zone is visible to its
 * context, or it is an abandoned zone an operator forgets (and the
 * reports and recovery of that deletion).
 */
static int
zc_reachable(const struct zc_item *it, const json_t *zone)
{
	if (zc_visible(it->x, zone))
		return 1;
	if (zone == NULL || !it->x->admin)
		return 0;
	if (it->fn == zc_zone_forget)
		return json_is_true(json_object_get(zone, "abandoned"));
	return json_is_true(json_object_get(zone, "forgetting")) &&
	    (it->fn == zc_zone_status || it->fn == zc_zone_recover);
}

/* --- floating IP PTRs (api-v2.md 9, services.md 2.10, zptr.h) --- */

/*
 * zone-api hands over each floating IP as {id, region, address,
 * project_id} (params.fip, or params.fips for a list), straight from the
 * network service.  A PTR is a managed PTR recordset at the address's
 * reverse name, its record tagged "ptr:floatingip:<region>:<id>", in the
 * /24 reverse zone owned by central.managed_resource_tenant_id.
 */

/* The context of central's own PTR zones. */
static void
zc_ptr_ctx(struct zcentral *c, struct zctx *x)
{
	memset(x, 0, sizeof(*x));
	x->project = zcfg_get(c->cfg, "central", "managed_resource_tenant_id");
	x->admin = x->writer = x->all = x->edit_managed = 1;
	x->service = 1;
}

/* The API id of `fip' ("<region>:<id>") and the tag of its record. */
static void
zc_ptr_names(const json_t *fip, char *key, size_t klen, char *tag,
    size_t tlen)
{
	snprintf(key, klen, "%s:%s", zs(fip, "region"), zs(fip, "id"));
	snprintf(tag, tlen, "ptr:floatingip:%s", key);
}

/* `rs' (the PTR recordset of a reverse name, or NULL) holds the PTR of
 * the floating IP whose tag is `tag'. */
static int
zc_ptr_tagged(const json_t *rs, const char *tag)
{
	const char	*d;

	d = json_string_value(json_array_get(json_object_get(rs, "records"),
	    0));
	return d != NULL && strcmp(zs(json_object_get(rs, "managed_by"), d),
	    tag) == 0;
}

/* The API object of `fip', with its PTR from the view (if any). */
static json_t *
zc_ptr_render(struct zcentral *c, MDB_txn *txn, const json_t *fip)
{
	struct zc_find	 fd = { "PTR", NULL };
	json_t		*zone = NULL, *o;
	char		 zn[64], rn[64], key[ZPTR_KEYMAX], tag[ZPTR_KEYMAX + 20];
	char		 self[ZPTR_KEYMAX + 32];

	zc_ptr_names(fip, key, sizeof(key), tag, sizeof(tag));
	snprintf(self, sizeof(self), "/v2/reverse/floatingips/%s", key);
	if (zptr_reverse(zs(fip, "address"), zn, sizeof(zn), rn,
	    sizeof(rn)) == 0 && zview_zone_by_name(c->view, txn, zn,
	    &zone) == 0 && !json_is_true(json_object_get(zone, "deleted")))
		(void)zview_rrsets_at(c->view, txn, zs(zone, "id"), rn,
		    zc_find_cb, &fd);
	if (zc_ptr_tagged(fd.rs, tag)) {
		zc_rrset_status(zone, fd.rs);
		o = json_pack("{s:s,s:O,s:O,s:O,s:s,s:s,s:s,s:{s:s}}",
		    "id", key, "ptrdname",
		    json_array_get(json_object_get(fd.rs, "records"), 0),
		    "description", json_object_get(fd.rs, "description") ?
		    json_object_get(fd.rs, "description") : json_null(),
		    "ttl", json_object_get(fd.rs, "ttl") ?
		    json_object_get(fd.rs, "ttl") : json_null(),
		    "address", zs(fip, "address"),
		    "action", zs(fd.rs, "action"), "status", zs(fd.rs, "status"),
		    "links", "self", self);
	} else
		o = json_pack("{s:s,s:n,s:n,s:n,s:s,s:s,s:s,s:{s:s}}",
		    "id", key, "ptrdname", "description", "ttl",
		    "address", zs(fip, "address"), "action", "NONE",
		    "status", "INACTIVE", "links", "self", self);
	json_decref(fd.rs);
	json_decref(zone);
	return o;
}

static int
zc_ptr_read(struct zcentral *c, int list, const json_t *params,
    json_t **result, struct zfault *f)
{
	MDB_txn		*txn;
	json_t		*items;
	const json_t	*fip;
	size_t		 i;
	int		 rc;

	if ((rc = zc_barrier(c)) < 0 ||
	    (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	if (!list) {
		if (!json_is_object(json_object_get(params, "fip")))
			rc = zfault_set(f, 404, "not_found",
			    "Could not find the floating IP");
		else
			*result = zc_ptr_render(c, txn,
			    json_object_get(params, "fip"));
		zview_rend(txn);
		return rc;
	}
	items = json_array();
	json_array_foreach(json_object_get(params, "fips"), i, fip)
		json_array_append_new(items, zc_ptr_render(c, txn, fip));
	zview_rend(txn);
	*result = json_pack("{s:s,s:o}", "name", "floatingips", "items",
	    items);
	return 0;
}

/*
 * Put or drop (params.unset) the PTR of params.fip at params.name, the
 * reverse name of its address.
 */
static int
zc_ptr_write(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	json_t		*body = json_object_get(params, "body"), *v;
	struct zc_find	 fd = { "PTR", NULL };
	json_t		*p = NULL, *b, *tags;
	char		 key[ZPTR_KEYMAX], tag[ZPTR_KEYMAX + 20];
	const char	*ptrdname = zs(body, "ptrdname"), *rn = zs(params, "name");
	int		 rc;

	zc_ptr_names(json_object_get(params, "fip"), key, sizeof(key), tag,
	    sizeof(tag));
	if ((rc = zview_rrsets_at(c->view, txn, zs(zone, "id"), rn,
	    zc_find_cb, &fd)) < 0)
		return zc_unavailable(f, rc);
	if (json_is_true(json_object_get(params, "unset"))) {
		rc = ZC_NOCHANGE;
		*result = json_object();
		if (!zc_ptr_tagged(fd.rs, tag))
			goto out;
		p = json_pack("{s:s,s:s}", "zone_id", zs(zone, "id"),
		    "recordset_id", zs(fd.rs, "id"));
		rc = zc_managed_apply(c, x, txn, zone, msg, p, zc_rrset_delete,
		    NULL, NULL, f);
		goto out;
	}
	b = json_pack("{s:[s]}", "records", ptrdname);
	if ((v = json_object_get(body, "ttl")) != NULL)
		json_object_set(b, "ttl", v);
	if ((v = json_object_get(body, "description")) != NULL)
		json_object_set(b, "description", v);
	tags = json_pack("{s:s}", ptrdname, tag);
	if (fd.rs != NULL) {	/* this address's PTR, whoever set it */
		p = json_pack("{s:s,s:s,s:o}", "zone_id", zs(zone, "id"),
		    "recordset_id", zs(fd.rs, "id"), "body", b);
		rc = zc_managed_apply(c, x, txn, zone, msg, p, zc_rrset_update,
		    tags, result, f);
	} else {
		json_object_set_new(b, "name", json_string(rn));
		json_object_set_new(b, "type", json_string("PTR"));
		p = json_pack("{s:s,s:o}", "zone_id", zs(zone, "id"), "body",
		    b);
		rc = zc_managed_apply(c, x, txn, zone, msg, p, zc_rrset_create,
		    tags, result, f);
	}
	json_decref(tags);
out:
	json_decref(fd.rs);
	json_decref(p);
	return rc;
}

/* ptr.set {id, fip, body: {ptrdname, ttl?, description?}} */
static int
zc_ptr_set(struct zcentral *c, const struct zctx *x, const json_t *params,
    json_t **result, struct zfault *f)
{
	const json_t	*fip = json_object_get(params, "fip");
	json_t		*body = json_object_get(params, "body"), *v;
	const char	*k;
	struct zctx	 sx;
	MDB_txn		*txn;
	json_t		*zone = NULL, *q = NULL, *res = NULL, *zb;
	char		 zn[64], rn[64];
	int		 rc, unset, tries;

	if (!x->writer)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	if (!json_is_object(fip) || zptr_reverse(zs(fip, "address"), zn,
	    sizeof(zn), rn, sizeof(rn)) != 0)
		return zfault_set(f, 404, "not_found",
		    "Could not find the floating IP");
	if (!json_is_object(body))
		return zfault_set(f, 400, "invalid_object",
		    "the body must be an object");
	json_object_foreach(body, k, v)
		if (strcmp(k, "ptrdname") != 0 && strcmp(k, "ttl") != 0 &&
		    strcmp(k, "description") != 0)
			return zfault_set(f, 400, "invalid_object",
			    "'%.40s' is not a floating IP attribute", k);
	v = json_object_get(body, "ptrdname");
	unset = v == NULL || json_is_null(v);
	if (!unset && (!json_is_string(v) || zvalid_record("PTR",
	    json_string_value(v), 0, f) < 0))
		return f->status != 0 ? ZE_FAULT : zfault_set(f, 400,
		    "invalid_object", "ptrdname must be a domain name");
	v = json_object_get(body, "ttl");
	if (v != NULL && !json_is_null(v) && (!json_is_integer(v) ||
	    json_integer_value(v) < 0 || json_integer_value(v) > 2147483647))
		return zfault_set(f, 400, "invalid_object",
		    "ttl must be an integer from 0 to 2147483647");
	v = json_object_get(body, "description");
	if (v != NULL && !json_is_null(v) && (!json_is_string(v) ||
	    strlen(json_string_value(v)) > 160))
		return zfault_set(f, 400, "invalid_object",
		    "description must be a string of at most 160 characters");

	zc_ptr_ctx(c, &sx);
	for (tries = 0; tries < 3; tries++) {
		if ((rc = zc_barrier(c)) < 0 ||
		    (rc = zview_rbegin(c->view, &txn)) < 0)
			return zc_unavailable(f, rc);
		rc = zview_zone_by_name(c->view, txn, zn, &zone);
		zview_rend(txn);
		if (rc == 0 && json_is_true(json_object_get(zone, "deleted"))) {
			json_decref(zone);
			zone = NULL;
			rc = ZE_NOTFOUND;
		}
		if (rc != ZE_NOTFOUND || unset)
			break;
		/* the reverse zone, owned by the managed-resource project */
		zb = json_pack("{s:s,s:s}", "name", zn, "email",
		    zcfg_get(c->cfg, "central", "managed_resource_email"));
		rc = zc_zone_new(c, &sx, zb, NULL, &res, f);
		json_decref(zb);
		json_decref(res);
		res = NULL;
		if (rc < 0 && f->status != 409)
			return rc;
		zfault_release(f);	/* made, here or by another copy */
		memset(f, 0, sizeof(*f));
		if ((rc = zjournal_sync(c->journal, c->timeout_ms)) < 0)
			return zc_unavailable(f, rc);
	}
	if (zone == NULL) {
		if (unset) {
			*result = json_object();
			return 0;
		}
		return rc < 0 && rc != ZE_NOTFOUND ? zc_unavailable(f, rc) :
		    zfault_set(f, 503, "service_unavailable",
		    "could not make the reverse zone %s", zn);
	}
	q = json_pack("{s:s,s:O,s:O,s:s,s:b}", "zone_id", zs(zone, "id"),
	    "fip", fip, "body", body, "name", rn, "unset", unset);
	rc = zc_mutate(c, &sx, q, zc_ptr_write, ZC_SOLO, &res, f);
	json_decref(q);
	json_decref(zone);
	if (rc < 0) {
		json_decref(res);
		return rc;
	}
	json_decref(res);
	if (unset) {
		*result = json_object();
		return 0;
	}
	/* as the API shows it: from the view the change reached */
	return zc_ptr_read(c, 0, params, result, f);
}

/* --- service statuses (api-v2.md 10.7, zhealth.h) --- */

static const char *const svc_keys[] = { "id", "hostname", "service_name",
    "status", "stats", "capabilities", "heartbeated_at", "created_at",
    "updated_at", NULL };
static const char *const svc_filters[] = { "hostname", "service_name",
    "status", NULL };
static const char *const svc_sorts[] = { "created_at", "id", "updated_at",
    "hostname", "service_name", "status", NULL };

static int
zc_service_status(struct zcentral *c, const struct zctx *x, int list,
    const json_t *params, json_t **result, struct zfault *f)
{
	json_t	*rows = NULL, *items, *r, *o;
	char	 self[96];
	size_t	 i;
	int	 rc;

	if ((rc = zc_need_admin(x, f)) < 0)
		return rc;
	if ((rc = zhealth_list(c->journal->nats, (int)zcfg_int(c->cfg,
	    "nats", "heartbeat_down_s"), &rows)) < 0) {
		json_decref(rows);
		return zc_unavailable(f, rc);
	}
	items = json_array();
	json_array_foreach(rows, i, o) {
		if (!list && strcmp(zs(o, "id"), zs(params, "id")) != 0)
			continue;
		r = zc_render(o, svc_keys);
		snprintf(self, sizeof(self), "/v2/service_statuses/%s",
		    zs(o, "id"));
		json_object_set_new(r, "links", json_pack("{s:s}", "self",
		    self));
		json_array_append_new(items, r);
	}
	json_decref(rows);
	if (!list) {
		if (json_array_size(items) == 0)
			rc = zfault_set(f, 404, "service_status_not_found",
			    "Could not find ServiceStatus");
		else
			*result = json_incref(json_array_get(items, 0));
	} else
		rc = zc_page_items(c, x, json_object_get(params, "query"),
		    svc_filters, svc_sorts, items, "service_statuses", result,
		    f);
	json_decref(items);
	return rc;
}

/* --- quotas and limits --- */

/* --- dispatch --- */

/* --- zone imports and exports (api-v2.md 7, 8; services.md 2.9) --- */

/*
 * Import and export tasks are objects of the view (kinds "import" and
 * "export", journaled on zone.journal.<kind>.<id> like the admin
 * objects), owned by a project.  Both run at once inside the RPC that
 * creates them: the object is journaled PENDING, the work is done, and
 * the object is journaled again COMPLETE or ERROR; the reply is the
 * PENDING object, as Designate's API shows it.
 */
static const char *const export_keys[] = { "id", "status", "message",
    "location", "zone_id", "project_id", "version", "created_at",
    "updated_at", NULL };
static const char *const import_keys[] = { "id", "status", "message",
    "zone_id", "project_id", "version", "created_at", "updated_at", NULL };
static const char *const task_filters[] = { "status", "message", "zone_id",
    NULL };
static const char *const task_sorts[] = { "created_at", "id", "updated_at",
    NULL };

#define ZC_CHUNK	(512 * 1024)	/* journal message budget (1 MB max) */

/* Quotas of a zone's first recordsets (zone imports). */
static int
zc_extra_check(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    const json_t *extra, struct zfault *f)
{
	const json_t	*rs;
	long long	 nrec = 0, n;
	size_t		 i;
	int		 rc;

	if ((rc = zc_quota(c, txn, x->project, "zone_recordsets", 2,
	    (long long)json_array_size(extra), f)) < 0)
		return rc;
	json_array_foreach(extra, i, rs) {
		n = (long long)json_array_size(json_object_get(rs, "records"));
		if ((rc = zc_quota(c, txn, x->project, "recordset_records", 0,
		    n, f)) < 0)
			return rc;
		if (json_is_integer(json_object_get(rs, "ttl")) &&
		    zi(rs, "ttl") < zc_cfg(c, "min_ttl") && !x->admin)
			return zfault_set(f, 400, "invalid_ttl",
			    "TTL is below the minimum: %lld",
			    zc_cfg(c, "min_ttl"));
		nrec += n;
	}
	return zc_quota(c, txn, x->project, "zone_records", 0, nrec, f);
}

/*
 * Journal a new zone with its first recordsets: one message when it
 * fits in ZC_CHUNK, else several on the zone's subject, each expecting
 * the one before and each a consistent state of the zone with its own
 * serial (so the IXFR deltas of the view stay right).
 */
static int
zc_zone_publish(struct zcentral *c, json_t *zone, json_t *msg,
    const json_t *extra, const struct zctx *x, const char *now,
    uint64_t *seq, struct zfault *f)
{
	json_t		*puts = json_object_get(msg, "rrsets_put");
	json_t		*soa = json_array_get(puts, 0), *all, *rs, *e, *m;
	json_int_t	 serial = zi(zone, "serial");
	long long	 nrec = 0;
	size_t		 i, next, size;
	char		*s;
	int		 rc = 0, first = 1;

	all = json_array();
	json_array_foreach(extra, i, e) {
		rs = zc_new_rrset(zone, zs(e, "name"), zs(e, "type"),
		    json_deep_copy(json_object_get(e, "records")),
		    json_is_integer(json_object_get(e, "ttl")) ?
		    json_incref(json_object_get(e, "ttl")) : json_null(),
		    x->project, now);
		if (rs == NULL) {
			json_decref(all);
			return zfault_set(f, 500, "unknown", "out of memory");
		}
		nrec += (long long)json_array_size(json_object_get(rs,
		    "records"));
		json_array_append_new(all, rs);
	}
	json_object_set_new(zone, "n_rrsets",
	    json_integer(2 + (json_int_t)json_array_size(all)));
	json_object_set_new(zone, "n_records", json_integer(nrec));
	*seq = 0;
	for (next = 0; first || next < json_array_size(all); first = 0) {
		if (!first) {
			serial++;
			json_object_set_new(zone, "serial",
			    json_integer(serial));
			json_object_set_new(soa, "records",
			    json_pack("[o]", zc_soa_text(c, zone)));
			json_object_set_new(soa, "serial",
			    json_integer(serial));
			m = json_pack("{s:s,s:O,s:[O]}", "zone_id",
			    zs(zone, "id"), "zone", zone, "rrsets_put", soa);
		} else
			m = json_incref(msg);
		puts = json_object_get(m, "rrsets_put");
		for (size = 0; next < json_array_size(all) &&
		    size < ZC_CHUNK; next++) {
			rs = json_array_get(all, next);
			json_object_set_new(rs, "serial",
			    json_integer(serial));
			if ((s = json_dumps(rs, JSON_COMPACT)) != NULL)
				size += strlen(s);
			free(s);
			json_array_append(puts, rs);
		}
		rc = zjournal_publish(c->journal, "zone", zs(zone, "id"), m,
		    *seq, seq);
		json_decref(m);
		if (rc < 0) {
			rc = rc == ZE_CONFLICT ? zfault_set(f, 409,
			    "conflict", "the zone changed during its import") :
			    zc_unavailable(f, rc);
			break;
		}
	}
	json_decref(all);
	return rc;
}

static const char *const *
zc_task_keys(const char *kind)
{
	return strcmp(kind, "export") == 0 ? export_keys : import_keys;
}

static int
zc_task_notfound(const char *kind, struct zfault *f)
{
	return strcmp(kind, "export") == 0 ?
	    zfault_set(f, 404, "zone_export_not_found",
	    "Could not find ZoneExport") :
	    zfault_set(f, 404, "zone_import_not_found",
	    "Could not find ZoneImport");
}

/* Journal a task object (expecting `expect') and wait for the view. */
static int
zc_task_put(struct zcentral *c, const char *kind, json_t *obj,
    uint64_t expect, uint64_t *seq, struct zfault *f)
{
	json_t	*msg;
	int	 rc;

	msg = json_pack("{s:s,s:O}", "kind", kind, "obj", obj);
	if (msg == NULL)
		return zfault_set(f, 500, "unknown", "out of memory");
	rc = zjournal_publish(c->journal, kind, zs(obj, "id"), msg, expect,
	    seq);
	json_decref(msg);
	if (rc == 0)
		rc = zjournal_wait(c->journal, *seq, c->timeout_ms);
	return rc < 0 ? zc_unavailable(f, rc) : 0;
}

static json_t *
zc_task_new(const char *kind, const char *project, const char *zone_id)
{
	json_t	*o;
	char	 id[37], now[40];

	zuuid_new(id);
	(void)ztime_now(now, sizeof(now));
	o = json_pack("{s:s,s:s,s:n,s:s,s:i,s:s,s:n}", "id", id, "status",
	    "PENDING", "message", "project_id", project, "version", 1,
	    "created_at", now, "updated_at");
	if (o != NULL)
		json_object_set_new(o, "zone_id", zone_id != NULL ?
		    json_string(zone_id) : json_null());
	if (o != NULL && strcmp(kind, "export") == 0)
		json_object_set_new(o, "location", json_null());
	return o;
}

/* The task's end: COMPLETE or ERROR with `message'. */
static void
zc_task_end(json_t *o, int ok, const char *message)
{
	char	now[40];

	(void)ztime_now(now, sizeof(now));
	json_object_set_new(o, "status", json_string(ok ? "COMPLETE" :
	    "ERROR"));
	json_object_set_new(o, "message", message != NULL ?
	    json_string(message) : json_null());
	json_object_set_new(o, "updated_at", json_string(now));
	json_object_set_new(o, "version", json_integer(zi(o, "version") + 1));
}

static int
zc_export_create(struct zcentral *c, const struct zctx *x, const json_t *p,
    json_t **result, struct zfault *f)
{
	MDB_txn		*txn = NULL;
	json_t		*zone = NULL, *obj = NULL;
	char		 loc[128];
	long long	 q;
	uint64_t	 seq;
	int		 rc;

	if ((rc = zc_need_writer(x, f)) < 0)
		return rc;
	if ((rc = zc_barrier(c)) < 0 || (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	if (zview_zone(c->view, txn, zs(p, "zone_id"), &zone) < 0 ||
	    !zc_visible(x, zone))
		rc = zfault_set(f, 404, "zone_not_found", "Could not find Zone");
	else if ((q = zc_quota_value(c, txn, zs(zone, "project_id"),
	    "api_export_size")) >= 0 && zi(zone, "n_rrsets") > q)
		rc = zfault_set(f, 413, "over_quota",
		    "Zone is too large to export");
	zview_rend(txn);
	if (rc < 0)
		goto out;
	if ((obj = zc_task_new("export", zs(zone, "project_id"),
	    zs(zone, "id"))) == NULL) {
		rc = zfault_set(f, 500, "unknown", "out of memory");
		goto out;
	}
	if ((rc = zc_task_put(c, "export", obj, 0, &seq, f)) < 0)
		goto out;
	*result = zc_render(obj, export_keys);
	/* synchronous export (Designate's default): the file is rendered
	 * from the view when it is fetched */
	snprintf(loc, sizeof(loc), "designate://v2/zones/tasks/exports/%s/"
	    "export", zs(obj, "id"));
	json_object_set_new(obj, "location", json_string(loc));
	zc_task_end(obj, 1, NULL);
	if ((rc = zc_task_put(c, "export", obj, seq, &seq, f)) < 0) {
		json_decref(*result);
		*result = NULL;
	}
out:
	json_decref(zone);
	json_decref(obj);
	return rc;
}

/* A short reason for an import's ERROR (services.md 2.9). */
static void
zc_import_reason(const struct zfault *fi, char *buf, size_t len)
{
	if (strcmp(fi->type, "duplicate_zone") == 0)
		strlcpy(buf, "Duplicate zone.", len);
	else
		snprintf(buf, len, "%.130s", fi->message[0] != '\0' ?
		    fi->message : fi->type);
}

/* The recordsets of an import against the API's rules. */
static int
zc_import_check(struct zcentral *c, const json_t *parsed, struct zfault *f)
{
	const json_t	*rs;
	json_t		*cname, *other, *body;
	const char	*zname = zs(parsed, "name"), *name;
	char		 low[300];
	size_t		 i;
	int		 rc = 0;

	cname = json_object();
	other = json_object();
	json_array_foreach(json_object_get(parsed, "rrsets"), i, rs) {
		name = zs(rs, "name");
		body = json_pack("{s:s,s:s,s:O}", "name", name, "type",
		    zs(rs, "type"), "records", json_object_get(rs, "records"));
		if (json_object_get(rs, "ttl") != NULL)
			json_object_set(body, "ttl", json_object_get(rs, "ttl"));
		rc = zvalid_rrset_body(body, NULL, f);
		json_decref(body);
		if (rc < 0) {
			if (f->errors != NULL && json_array_size(f->errors) > 0)
				snprintf(f->message, sizeof(f->message),
				    "%s %s: %s", name, zs(rs, "type"),
				    zs(json_array_get(f->errors, 0),
				    "message"));
			break;
		}
		if ((long long)strlen(name) >
		    zc_cfg(c, "max_recordset_name_len")) {
			rc = zfault_set(f, 400, "invalid_recordset_name",
			    "%s: name too long", name);
			break;
		}
		zc_lower(name, low, sizeof(low));
		if (strcmp(zs(rs, "type"), "CNAME") == 0) {
			if (strcasecmp(name, zname) == 0) {
				rc = zfault_set(f, 400,
				    "invalid_recordset_location",
				    "CNAME recordsets may not be created at "
				    "the zone apex");
				break;
			}
			json_object_set_new(cname, low, json_true());
		} else
			json_object_set_new(other, low, json_true());
		if (json_object_get(cname, low) != NULL &&
		    json_object_get(other, low) != NULL) {
			rc = zfault_set(f, 400, "invalid_recordset_location",
			    "%s: CNAME recordsets may not share a name with "
			    "any other records", name);
			break;
		}
	}
	json_decref(cname);
	json_decref(other);
	return rc;
}

static int
zc_import_create(struct zcentral *c, const struct zctx *x, const json_t *p,
    json_t **result, struct zfault *f)
{
	struct zfault	 fi = ZFAULT_INIT;
	const json_t	*text = json_object_get(p, "zonefile");
	json_t		*obj = NULL, *parsed = NULL, *body = NULL, *zone = NULL;
	char		 msg[300];
	uint64_t	 seq;
	int		 rc, ok;

	if ((rc = zc_need_writer(x, f)) < 0)
		return rc;
	if (*x->project == '\0')
		return zfault_set(f, 401, "missing_project_id",
		    "A project ID must be supplied");
	if (!json_is_string(text))
		return zfault_set(f, 400, "invalid_object",
		    "'zonefile' is a required property");
	if ((obj = zc_task_new("import", x->project, NULL)) == NULL)
		return zfault_set(f, 500, "unknown", "out of memory");
	if ((rc = zc_task_put(c, "import", obj, 0, &seq, f)) < 0)
		goto out;
	*result = zc_render(obj, import_keys);

	rc = zimport_parse(json_string_value(text), json_string_length(text),
	    &parsed, &fi);
	if (rc == 0)
		rc = zc_import_check(c, parsed, &fi);
	if (rc == 0) {
		body = json_pack("{s:O,s:O,s:O}", "name",
		    json_object_get(parsed, "name"), "email",
		    json_object_get(parsed, "email"), "ttl",
		    json_object_get(parsed, "ttl"));
		rc = zvalid_zone_body(body, NULL, &fi);
	}
	if (rc == 0)
		rc = zc_zone_new(c, x, body, json_object_get(parsed, "rrsets"),
		    &zone, &fi);
	ok = rc == 0;
	if (ok) {
		snprintf(msg, sizeof(msg), "%s imported", zs(zone, "name"));
		json_object_set(obj, "zone_id", json_object_get(zone, "id"));
	} else
		zc_import_reason(&fi, msg, sizeof(msg));
	zc_task_end(obj, ok, msg);
	if ((rc = zc_task_put(c, "import", obj, seq, &seq, f)) < 0) {
		json_decref(*result);
		*result = NULL;
	}
out:
	zfault_release(&fi);
	json_decref(obj);
	json_decref(parsed);
	json_decref(body);
	json_decref(zone);
	return rc;
}

static int
zc_task_visible(const struct zctx *x, const json_t *o)
{
	return x->all || strcmp(zs(o, "project_id"), x->project) == 0;
}

struct zc_tasks {
	const struct zctx	*ctx;
	const json_t		*filters;
	const char *const	*keys;
	json_t			*items;
};

static int
zc_collect_task(json_t *o, void *arg)
{
	struct zc_tasks	*l = arg;

	if (zc_task_visible(l->ctx, o) && zc_filter(o, l->filters, 0))
		json_array_append_new(l->items, zc_render(o, l->keys));
	return 0;
}

/* SOA first, then the apex NS, then by creation, name and type. */
static int
zc_export_cmp(const void *pa, const void *pb)
{
	const json_t	*a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	int		 ra, rb, d;

	ra = strcmp(zs(a, "type"), "SOA") == 0 ? 0 :
	    json_is_true(json_object_get(a, "managed")) ? 1 : 2;
	rb = strcmp(zs(b, "type"), "SOA") == 0 ? 0 :
	    json_is_true(json_object_get(b, "managed")) ? 1 : 2;
	if (ra != rb)
		return ra - rb;
	if ((d = strcmp(zs(a, "created_at"), zs(b, "created_at"))) != 0)
		return d;
	if ((d = strcasecmp(zs(a, "name"), zs(b, "name"))) != 0)
		return d;
	return strcmp(zs(a, "type"), zs(b, "type"));
}

static int
zc_collect_all(json_t *rs, void *arg)
{
	json_array_append(arg, rs);
	return 0;
}

/* The zone file of a complete export, rendered from the view now. */
static int
zc_export_file(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    const json_t *obj, json_t **result, struct zfault *f)
{
	json_t	*zone = NULL, *all = NULL, *sorted = NULL, **v = NULL;
	char	*text;
	size_t	 i, n;
	int	 rc;

	if (strcmp(zs(obj, "status"), "COMPLETE") != 0)
		return zfault_set(f, 400, "bad_request",
		    "Zone export is not complete");
	if (zview_zone(c->view, txn, zs(obj, "zone_id"), &zone) < 0 ||
	    !zc_visible(x, zone)) {
		json_decref(zone);
		return zfault_set(f, 404, "zone_not_found",
		    "Could not find Zone");
	}
	all = json_array();
	if ((rc = zview_rrsets_each(c->view, txn, zs(zone, "id"),
	    zc_collect_all, all)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	n = json_array_size(all);
	if ((v = calloc(n + 1, sizeof(*v))) == NULL) {
		rc = zfault_set(f, 500, "unknown", "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		v[i] = json_array_get(all, i);
	qsort(v, n, sizeof(*v), zc_export_cmp);
	sorted = json_array();
	for (i = 0; i < n; i++)
		if (strcmp(zs(v[i], "action"), "DELETE") != 0)
			json_array_append(sorted, v[i]);
	if ((text = zimport_render(zone, sorted)) == NULL) {
		rc = zfault_set(f, 500, "unknown", "out of memory");
		goto out;
	}
	*result = json_pack("{s:s}", "text", text);
	free(text);
	rc = 0;
out:
	free(v);
	json_decref(zone);
	json_decref(all);
	json_decref(sorted);
	return rc;
}

/* get, list, delete and (exports) the file. */
static int
zc_task(struct zcentral *c, const struct zctx *x, const char *kind,
    const char *verb, const json_t *p, json_t **result, struct zfault *f)
{
	struct zc_tasks	 l;
	MDB_txn		*txn = NULL;
	json_t		*obj = NULL, *filters = NULL, *query = NULL, *msg;
	uint64_t	 seq;
	int		 rc = 0, del = strcmp(verb, "delete") == 0;

	if (del && (rc = zc_need_writer(x, f)) < 0)
		return rc;
	if (strcmp(verb, "list") == 0) {
		query = json_object_get(p, "query");
		query = json_is_object(query) ? json_incref(query) :
		    json_object();
		if ((rc = zc_page(c, x, query, task_filters, task_sorts, 3,
		    &filters, NULL, NULL, f)) < 0)
			goto out;
	}
	if ((rc = zc_barrier(c)) < 0 ||
	    (rc = zview_rbegin(c->view, &txn)) < 0) {
		rc = zc_unavailable(f, rc);
		goto out;
	}
	if (query != NULL) {
		l.ctx = x;
		l.filters = filters;
		l.keys = zc_task_keys(kind);
		l.items = json_array();
		rc = zview_objs_each(c->view, txn, kind, zc_collect_task, &l);
		zview_rend(txn);
		txn = NULL;
		if (rc < 0)
			rc = zc_unavailable(f, rc);
		else
			rc = zc_page(c, x, query, task_filters, task_sorts, 3,
			    NULL, l.items, result, f);
		json_decref(l.items);
		goto out;
	}
	if (zview_obj(c->view, txn, kind, zs(p, "id"), &obj) < 0 ||
	    !zc_task_visible(x, obj)) {
		rc = zc_task_notfound(kind, f);
		goto out;
	}
	if (strcmp(verb, "file") == 0) {
		rc = zc_export_file(c, x, txn, obj, result, f);
		goto out;
	}
	if (!del) {
		*result = zc_render(obj, zc_task_keys(kind));
		goto out;
	}
	zview_rend(txn);
	txn = NULL;
	msg = json_pack("{s:s,s:s}", "kind", kind, "obj_del", zs(obj, "id"));
	rc = zjournal_publish(c->journal, kind, zs(obj, "id"), msg,
	    (uint64_t)zi(obj, "_seq"), &seq);
	json_decref(msg);
	if (rc == ZE_CONFLICT)
		rc = zc_task_notfound(kind, f);
	else if (rc < 0 || (rc = zjournal_wait(c->journal, seq,
	    c->timeout_ms)) < 0)
		rc = zc_unavailable(f, rc);
	else
		*result = json_object();
out:
	zview_rend(txn);
	json_decref(obj);
	json_decref(filters);
	json_decref(query);
	return rc;
}

static int
zc_tasks(struct zcentral *c, const struct zctx *x, const char *m,
    const json_t *p, json_t **result, struct zfault *f)
{
	if (strcmp(m, "export.create") == 0)
		return zc_export_create(c, x, p, result, f);
	if (strcmp(m, "import.create") == 0)
		return zc_import_create(c, x, p, result, f);
	if (strncmp(m, "export.", 7) == 0 && (strcmp(m + 7, "get") == 0 ||
	    strcmp(m + 7, "list") == 0 || strcmp(m + 7, "delete") == 0 ||
	    strcmp(m + 7, "file") == 0))
		return zc_task(c, x, "export", m + 7, p, result, f);
	if (strncmp(m, "import.", 7) == 0 && (strcmp(m + 7, "get") == 0 ||
	    strcmp(m + 7, "list") == 0 || strcmp(m + 7, "delete") == 0))
		return zc_task(c, x, "import", m + 7, p, result, f);
	return zfault_set(f, 404, "not_found", "unknown method %s", m);
}

/* --- SECONDARY zones (api-v2.md 3.2, 3.8; services.md 4) --- */

/* A host name as a master: letters, digits, '-' and '.', with a dot,
 * no empty label but the root's. */
static int
zc_hostname(const char *h)
{
	size_t	i, n = strlen(h), label = 0;
	int	dot = 0;

	if (n == 0 || n > 253 || h[0] == '.' || h[0] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		if (h[i] == '.') {
			if (label == 0 || h[i - 1] == '-')
				return 0;
			dot = 1;
			label = 0;
		} else if (isalnum((unsigned char)h[i]) || h[i] == '-') {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return dot && !isdigit((unsigned char)h[n - 1 - (h[n - 1] == '.')]);
}

/*
 * The masters of a SECONDARY zone: each an IP address or a host name
 * (Designate takes both; zone-xfr pulls from addresses) with an optional
 * port ("192.0.2.1", "192.0.2.1:5353", "[2001:db8::1]:53",
 * "ns1.example.net."), stored without ":53".  A new reference, or NULL
 * with `f' 400 invalid_object.
 */
static json_t *
zc_masters(const json_t *list, struct zfault *f)
{
	const json_t	*m;
	json_t		*out;
	struct in6_addr	 a6;
	struct in_addr	 a4;
	char		 host[INET6_ADDRSTRLEN + 8], buf[80], *p, *end;
	const char	*s;
	long		 port;
	size_t		 i;
	int		 v6;

	if (json_array_size(list) == 0) {
		zfault_set(f, 400, "invalid_object",
		    "'masters' must not be empty for SECONDARY zones");
		return NULL;
	}
	out = json_array();
	json_array_foreach(list, i, m) {
		s = json_string_value(m);
		port = 53;
		v6 = 0;
		if (s == NULL || strlen(s) >= sizeof(host))
			goto bad;
		strlcpy(host, s, sizeof(host));
		if (host[0] == '[') {
			if ((p = strchr(host, ']')) == NULL)
				goto bad;
			*p++ = '\0';
			memmove(host, host + 1, strlen(host + 1) + 1);
			p = *p == ':' ? p + 1 : (*p == '\0' ? NULL : host);
			if (p == host)
				goto bad;
			v6 = 1;
		} else if ((p = strchr(host, ':')) != NULL &&
		    strchr(p + 1, ':') == NULL)
			*p++ = '\0';
		else if (p != NULL) {
			p = NULL;		/* a bare IPv6 address */
			v6 = 1;
		}
		if (p != NULL) {
			errno = 0;
			port = strtol(p, &end, 10);
			if (*p == '\0' || *end != '\0' || errno != 0 ||
			    port < 1 || port > 65535)
				goto bad;
		}
		if (v6 ? inet_pton(AF_INET6, host, &a6) != 1 :
		    inet_pton(AF_INET, host, &a4) != 1 && !zc_hostname(host))
			goto bad;
		if (port == 53)
			snprintf(buf, sizeof(buf), v6 ? "[%s]" : "%s", host);
		else
			snprintf(buf, sizeof(buf), v6 ? "[%s]:%ld" : "%s:%ld",
			    host, port);
		json_array_append_new(out, json_string(buf));
	}
	return out;
bad:
	json_decref(out);
	zfault_schema(f, "format", json_pack("[s,i]", "masters", (int)i),
	    "'%s' is not an IP address or host name with an optional port",
	    s != NULL ? s : "");
	return NULL;
}

/*
 * Ask the zone-xfr copies to check a SECONDARY zone's masters now
 * (subject zone.cmd.xfr, queue group "xfr").  Best effort: zone-xfr
 * also checks every secondary zone on its own timer.
 */
static void
zc_xfr_kick(struct zcentral *c, const char *zone_id)
{
	char	buf[80];
	int	n;

	n = snprintf(buf, sizeof(buf), "{\"zone_id\":\"%s\"}", zone_id);
	if (c->journal == NULL || c->journal->nats == NULL ||
	    c->journal->nats->nc == NULL || n < 0 || (size_t)n >= sizeof(buf))
		return;
	(void)natsConnection_Publish(c->journal->nats->nc, "zone.cmd.xfr",
	    buf, n);
}

struct zc_xfr_old {
	json_t	*by_key;	/* "<lower name>/<type>" -> recordset */
};

static int
zc_xfr_collect(json_t *rs, void *arg)
{
	struct zc_xfr_old	*o = arg;
	char			 key[600];

	zc_lower(zs(rs, "name"), key, sizeof(key) - 16);
	strlcat(key, "/", sizeof(key));
	strlcat(key, zs(rs, "type"), sizeof(key));
	json_object_set(o->by_key, key, rs);
	return 0;
}

/*
 * zone.xfr_apply (zone-xfr, admin only): params {zone_id, serial,
 * master, rrsets: [{name, type, ttl, records}]} are the zone as a master
 * sent it (SOA included).  The zone's recordsets become exactly those
 * (same ids for the same name and type), its serial the master's, and
 * it goes PENDING for the pool's targets.  Nothing is written when the
 * zone has that serial from a transfer already, so two copies pulling
 * the same serial write once (the second finds it under the journal's
 * optimistic lock).
 */
static int
zc_zone_xfr_apply(struct zcentral *c, const struct zctx *x, MDB_txn *txn,
    json_t *zone, json_t *msg, const json_t *params, json_t **result,
    struct zfault *f)
{
	struct zc_xfr_old	 old = { NULL };
	const json_t		*e, *list;
	json_t			*parsed = NULL;
	const char		*soatext = NULL;
	unsigned long		 tv[5];
	char			 mn[300], rn[300];
	json_t			*puts, *dels, *rs, *prev;
	const char		*k;
	char			 now[40], key[600];
	json_int_t		 nrec = 0;
	size_t			 i;
	size_t			 nkept = 0;
	int			 rc, soa = 0;

	if (!x->admin)
		return zfault_set(f, 403, "forbidden",
		    "You are not authorized to perform this action");
	if (strcmp(zs(zone, "type"), "SECONDARY") != 0)
		return zfault_set(f, 400, "bad_request",
		    "the zone is not a SECONDARY zone");
	if (strcmp(zs(zone, "action"), "DELETE") == 0)
		return zfault_set(f, 400, "bad_request",
		    "Can not update a deleting zone");
	if (json_is_string(json_object_get(zone, "transferred_at")) &&
	    zi(zone, "serial") == zi(params, "serial")) {
		*result = zc_render(zone, zone_keys);
		return ZC_NOCHANGE;
	}
	/* the records: a transfer's text, or (older callers) rrsets */
	if (json_is_string(json_object_get(params, "zonefile"))) {
		if ((rc = zimport_parse_xfr(zs(params, "zonefile"),
		    json_string_length(json_object_get(params, "zonefile")),
		    &parsed, f)) < 0)
			return rc;
		list = json_object_get(parsed, "rrsets");
	} else
		list = json_object_get(params, "rrsets");
	json_array_foreach(list, i, e)
		if (strcmp(zs(e, "type"), "SOA") == 0 &&
		    strcasecmp(zs(e, "name"), zs(zone, "name")) == 0) {
			soa++;
			soatext = json_string_value(json_array_get(
			    json_object_get(e, "records"), 0));
		}
	if (soa != 1) {
		json_decref(parsed);
		return zfault_set(f, 400, "bad_request",
		    "the transfer has no SOA at the zone apex");
	}
	/* the master's timers are the zone's (zone-xfr checks every
	 * refresh seconds) */
	if (soatext != NULL && sscanf(soatext, "%299s %299s %lu %lu %lu %lu "
	    "%lu", mn, rn, &tv[0], &tv[1], &tv[2], &tv[3], &tv[4]) == 7) {
		json_object_set_new(zone, "refresh",
		    json_integer((json_int_t)tv[1]));
		json_object_set_new(zone, "retry",
		    json_integer((json_int_t)tv[2]));
		json_object_set_new(zone, "expire",
		    json_integer((json_int_t)tv[3]));
		json_object_set_new(zone, "minimum",
		    json_integer((json_int_t)tv[4]));
	}
	old.by_key = json_object();
	if ((rc = zview_rrsets_each(c->view, txn, zs(zone, "id"),
	    zc_xfr_collect, &old)) < 0) {
		json_decref(old.by_key);
		json_decref(parsed);
		return zc_unavailable(f, rc);
	}
	(void)ztime_now(now, sizeof(now));
	puts = json_array();
	dels = json_array();
	json_array_foreach(list, i, e) {
		zc_lower(zs(e, "name"), key, sizeof(key) - 16);
		strlcat(key, "/", sizeof(key));
		strlcat(key, zs(e, "type"), sizeof(key));
		if ((prev = json_object_get(old.by_key, key)) != NULL &&
		    json_equal(json_object_get(prev, "records"),
		    json_object_get(e, "records")) &&
		    json_equal(json_object_get(prev, "ttl"),
		    json_object_get(e, "ttl")) &&
		    strcmp(zs(e, "type"), "SOA") != 0) {
			/* unchanged: not written again */
			nrec += (json_int_t)json_array_size(
			    json_object_get(e, "records"));
			nkept++;
			json_object_del(old.by_key, key);
			continue;
		}
		if (prev != NULL) {
			rs = json_deep_copy(prev);
			json_object_set(rs, "records",
			    json_object_get(e, "records"));
			json_object_set(rs, "ttl", json_object_get(e, "ttl"));
			json_object_set_new(rs, "version",
			    json_integer(zi(rs, "version") + 1));
			json_object_set_new(rs, "updated_at", json_string(now));
			json_object_set_new(rs, "status",
			    json_string("PENDING"));
			json_object_set_new(rs, "action", json_string("UPDATE"));
			json_object_del(old.by_key, key);
		} else
			rs = zc_new_rrset(zone, zs(e, "name"), zs(e, "type"),
			    json_deep_copy(json_object_get(e, "records")),
			    json_is_integer(json_object_get(e, "ttl")) ?
			    json_incref(json_object_get(e, "ttl")) :
			    json_null(), zs(zone, "project_id"), now);
		if (rs == NULL)
			continue;
		/* the master's SOA and apex NS stay out of users' hands */
		if (strcasecmp(zs(e, "name"), zs(zone, "name")) == 0 &&
		    (strcmp(zs(e, "type"), "SOA") == 0 ||
		    strcmp(zs(e, "type"), "NS") == 0))
			json_object_set_new(rs, "managed", json_true());
		if (strcmp(zs(e, "type"), "SOA") != 0)
			nrec += (json_int_t)json_array_size(
			    json_object_get(e, "records"));
		json_array_append_new(puts, rs);
	}
	json_object_foreach(old.by_key, k, prev)
		json_array_append_new(dels, json_string(zs(prev, "id")));
	json_decref(old.by_key);
	json_object_set_new(zone, "serial", json_integer(zi(params,
	    "serial")));
	json_object_set_new(zone, "status", json_string("PENDING"));
	json_object_set_new(zone, "action", json_string(
	    json_is_string(json_object_get(zone, "transferred_at")) ?
	    "UPDATE" : "CREATE"));
	json_object_set_new(zone, "transferred_at", json_string(now));
	json_object_set_new(zone, "updated_at", json_string(now));
	json_object_set_new(zone, "version", json_integer(zi(zone, "version") +
	    1));
	json_object_set_new(zone, "n_rrsets",
	    json_integer((json_int_t)(json_array_size(puts) + nkept)));
	json_object_set_new(zone, "n_records", json_integer(nrec));
	json_object_set_new(msg, "rrsets_put", puts);
	if (json_array_size(dels) > 0)
		json_object_set_new(msg, "rrsets_del", dels);
	else
		json_decref(dels);
	zc_zone_event(msg, "update", zone);
	*result = zc_render(zone, zone_keys);
	json_decref(parsed);
	return 0;
}

/* The SOA text `soa' with serial `serial'; a new reference. */
static json_t *
zc_soa_serial(const char *soa, uint32_t serial)
{
	char		 m[300], r[300], buf[700];
	unsigned long	 v[5];

	if (soa == NULL || sscanf(soa, "%299s %299s %lu %lu %lu %lu %lu", m,
	    r, &v[0], &v[1], &v[2], &v[3], &v[4]) != 7)
		return NULL;
	snprintf(buf, sizeof(buf), "%s %s %u %lu %lu %lu %lu", m, r, serial,
	    v[1], v[2], v[3], v[4]);
	return json_string(buf);
}

/*
 * zone.xfr_apply: the change is made by zc_zone_xfr_apply against the
 * view, then journaled in one message, or, when its recordsets pass
 * ZC_CHUNK, in several on the zone's subject, each expecting the one
 * before: every message but the last has a serial of its own between
 * the old and the master's (the SOA record rewritten to it), so each
 * state the view holds is whole and its IXFR deltas chain; the last has
 * the master's serial and SOA.  A change larger than the serial step
 * allows is refused (500).  A write that loses the race at the first
 * message is made again against the new state.
 */
static int
zc_zone_xfr_commit(struct zcentral *c, const struct zctx *x, const json_t *p,
    json_t **result, struct zfault *f)
{
	MDB_txn		*txn;
	json_t		*zone = NULL, *msg = NULL, *all = NULL, *soa = NULL;
	json_t		*m, *z2, *s2, *rs, *v, *puts;
	const char	*k;
	char		*d;
	uint64_t	 expect, seq = 0;
	uint32_t	 s_old, s_new, serial;
	size_t		 i, n, next, size, total, nchunks, ck;
	int		 rc, attempt, conflict;

	*result = NULL;
	if ((rc = zc_need_writer(x, f)) < 0)
		return rc;
	for (attempt = 0; attempt < RETRIES; attempt++) {
		json_decref(zone);
		json_decref(msg);
		json_decref(all);
		json_decref(soa);
		json_decref(*result);
		zone = msg = all = soa = *result = NULL;
		if ((rc = zc_barrier(c)) < 0 ||
		    (rc = zview_rbegin(c->view, &txn)) < 0)
			return zc_unavailable(f, rc);
		if (zview_zone(c->view, txn, zs(p, "zone_id"), &zone) < 0 ||
		    !zc_visible(x, zone)) {
			zview_rend(txn);
			rc = zfault_set(f, 404, "zone_not_found",
			    "Could not find Zone");
			goto out;
		}
		expect = (uint64_t)zi(zone, "_seq");
		json_object_del(zone, "_seq");
		s_old = (uint32_t)zi(zone, "serial");
		msg = json_pack("{s:s}", "zone_id", zs(zone, "id"));
		rc = zc_zone_xfr_apply(c, x, txn, zone, msg, p, result, f);
		zview_rend(txn);
		if (rc < 0)
			goto out;
		if (rc == ZC_NOCHANGE) {
			rc = 0;
			goto out;
		}
		s_new = (uint32_t)zi(zone, "serial");
		/* the apex SOA apart, the others in chunks */
		all = json_array();
		total = 0;
		json_array_foreach(json_object_get(msg, "rrsets_put"), i, rs) {
			if (soa == NULL && strcmp(zs(rs, "type"), "SOA") == 0 &&
			    strcasecmp(zs(rs, "name"), zs(zone, "name")) == 0) {
				soa = json_incref(rs);
				continue;
			}
			if ((d = json_dumps(rs, JSON_COMPACT)) != NULL)
				total += strlen(d);
			free(d);
			json_array_append(all, rs);
		}
		if (soa == NULL) {
			rc = zfault_set(f, 500, "unknown", "no SOA recordset");
			goto out;
		}
		nchunks = total / ZC_CHUNK + 1;
		if (nchunks > 1 && ((uint32_t)(s_new - s_old) < nchunks ||
		    (uint32_t)(s_new - s_old) >= 0x80000000u)) {
			rc = zfault_set(f, 500, "unknown", "the change from "
			    "serial %u to %u is too large for its serial step",
			    s_old, s_new);
			goto out;
		}
		n = json_array_size(all);
		conflict = 0;
		for (ck = 0, next = 0; ck < nchunks; ck++) {
			serial = ck == nchunks - 1 ? s_new :
			    s_old + (uint32_t)ck + 1;
			z2 = json_deep_copy(zone);
			json_object_set_new(z2, "serial", json_integer(serial));
			s2 = json_deep_copy(soa);
			if (ck < nchunks - 1 && (v = zc_soa_serial(
			    json_string_value(json_array_get(json_object_get(
			    soa, "records"), 0)), serial)) != NULL)
				json_object_set_new(s2, "records",
				    json_pack("[o]", v));
			json_object_set_new(s2, "serial", json_integer(serial));
			m = json_pack("{s:s,s:o,s:[o]}", "zone_id", zs(zone, "id"),
			    "zone", z2, "rrsets_put", s2);
			puts = json_object_get(m, "rrsets_put");
			for (size = 0; next < n && (size < ZC_CHUNK ||
			    ck == nchunks - 1); next++) {
				rs = json_array_get(all, next);
				json_object_set_new(rs, "serial",
				    json_integer(serial));
				if ((d = json_dumps(rs, JSON_COMPACT)) != NULL)
					size += strlen(d);
				free(d);
				json_array_append(puts, rs);
			}
			if (ck == 0 && (v = json_object_get(msg, "rrsets_del")) !=
			    NULL)
				json_object_set(m, "rrsets_del", v);
			if (ck == nchunks - 1)
				json_object_foreach(msg, k, v)
					if (json_object_get(m, k) == NULL &&
					    strcmp(k, "rrsets_del") != 0)
						json_object_set(m, k, v);
			rc = zjournal_publish(c->journal, "zone", zs(zone, "id"),
			    m, ck == 0 ? expect : seq, &seq);
			json_decref(m);
			if (rc == ZE_CONFLICT && ck == 0) {
				conflict = 1;
				break;
			}
			if (rc < 0) {
				rc = rc == ZE_CONFLICT ? zfault_set(f, 409,
				    "conflict", "the zone changed during its "
				    "transfer") : zc_unavailable(f, rc);
				goto out;
			}
		}
		if (conflict) {
			__atomic_add_fetch(&c->nconflict, 1, __ATOMIC_RELAXED);
			if ((rc = zjournal_sync(c->journal, c->timeout_ms)) < 0) {
				rc = zc_unavailable(f, rc);
				goto out;
			}
			continue;
		}
		if ((rc = zjournal_wait(c->journal, seq, c->timeout_ms)) < 0)
			rc = zc_unavailable(f, rc);
		goto out;
	}
	rc = zfault_set(f, 503, "service_unavailable",
	    "too many concurrent changes to this zone, try again");
out:
	if (rc < 0) {
		json_decref(*result);
		*result = NULL;
	}
	json_decref(zone);
	json_decref(msg);
	json_decref(all);
	json_decref(soa);
	return rc;
}

/* POST /v2/zones/{zone_id}/tasks/xfr: 202 and a check of the masters. */
static int
zc_zone_xfr(struct zcentral *c, const struct zctx *x, const json_t *p,
    json_t **result, struct zfault *f)
{
	MDB_txn	*txn;
	json_t	*zone = NULL;
	int	 rc;

	if ((rc = zc_need_writer(x, f)) < 0)
		return rc;
	if ((rc = zc_barrier(c)) < 0 || (rc = zview_rbegin(c->view, &txn)) < 0)
		return zc_unavailable(f, rc);
	rc = zview_zone(c->view, txn, zs(p, "zone_id"), &zone);
	zview_rend(txn);
	if (rc < 0 || !zc_visible(x, zone))
		rc = zfault_set(f, 404, "zone_not_found", "Could not find Zone");
	else if (strcmp(zs(zone, "type"), "SECONDARY") != 0)
		rc = zfault_set(f, 400, "bad_request",
		    "Zone is not a SECONDARY zone");
	else {
		zc_xfr_kick(c, zs(zone, "id"));
		*result = json_object();
		rc = 0;
	}
	json_decref(zone);
	return rc;
}

int
zcentral_handle(struct zcentral *c, const json_t *req, json_t **result,
    struct zfault *f)
{
	const char	*m = zs(req, "method");
	const json_t	*p = json_object_get(req, "params");
	const struct zc_okind	*k;
	const char		*verb;
	struct zctx		 x;
	int			 rc;

	*result = NULL;
	__atomic_add_fetch(&c->nreq, 1, __ATOMIC_RELAXED);
	if ((rc = zc_context(json_object_get(req, "context"), &x, f)) < 0)
		goto out;
	if (strcmp(m, "zone.create") == 0)
		rc = zc_zone_create(c, &x, p, result, f);
	else if (strcmp(m, "zone.get") == 0 || strcmp(m, "zone.nameservers") == 0 ||
	    strcmp(m, "recordset.get") == 0 || strcmp(m, "recordset.find") == 0)
		rc = zc_read(c, &x, m, p, result, f);
	else if (strcmp(m, "zone.list") == 0)
		rc = zc_list(c, &x, json_object_get(p, "query"), NULL, 0, 0,
		    result, f);
	else if (strcmp(m, "zone.update") == 0) {
		rc = zc_mutate(c, &x, p, zc_zone_update, ZC_SOLO, result, f);
		/* new masters of a SECONDARY zone: check them now */
		if (rc == 0 && strcmp(zs(*result, "type"), "SECONDARY") == 0)
			zc_xfr_kick(c, zs(*result, "id"));
	}
	else if (strcmp(m, "zone.delete") == 0)
		rc = zc_mutate(c, &x, p, zc_zone_delete, ZC_SOLO, result, f);
	else if (strcmp(m, "zone.set_status") == 0) {
		rc = zc_mutate(c, &x, p, zc_zone_status, ZC_SOLO, result, f);
		/* a zone gone from the servers frees its name */
		if (rc == 0 && strcmp(zs(*result, "status"), "DELETED") == 0)
			zjournal_name_release(c->journal, zs(*result, "name"),
			    zs(*result, "id"));
	}
	else if (strcmp(m, "zone.abandon") == 0) {
		if ((rc = zc_need_admin(&x, f)) == 0)
			rc = zc_mutate(c, &x, p, zc_zone_abandon, ZC_SOLO,
			    result, f);
		if (rc == 0)
			zjournal_name_release(c->journal, zs(*result, "name"),
			    zs(*result, "id"));
	} else if (strcmp(m, "ptr.list") == 0 || strcmp(m, "ptr.get") == 0)
		rc = zc_ptr_read(c, strcmp(m, "ptr.list") == 0, p, result, f);
	else if (strcmp(m, "ptr.set") == 0)
		rc = zc_ptr_set(c, &x, p, result, f);
	else if (strcmp(m, "zone.forget") == 0) {
		if ((rc = zc_need_admin(&x, f)) == 0)
			rc = zc_mutate(c, &x, p, zc_zone_forget, ZC_SOLO,
			    result, f);
	} else if (strcmp(m, "share.create") == 0)
		rc = zc_mutate(c, &x, p, zc_share_create, ZC_SOLO, result, f);
	else if (strcmp(m, "share.delete") == 0)
		rc = zc_mutate(c, &x, p, zc_share_delete, ZC_SOLO, result, f);
	else if (strcmp(m, "share.get") == 0 || strcmp(m, "share.list") == 0)
		rc = zc_share_read(c, &x, strcmp(m, "share.list") == 0, p,
		    result, f);
	else if (strcmp(m, "service_status.list") == 0 ||
	    strcmp(m, "service_status.get") == 0)
		rc = zc_service_status(c, &x, strcmp(m, "service_status.list") ==
		    0, p, result, f);
	else if (strncmp(m, "transfer_request.", 17) == 0 ||
	    strncmp(m, "transfer_accept.", 16) == 0)
		rc = zc_transfer(c, &x, m, p, result, f);
	else if (strcmp(m, "recordset.create") == 0)
		rc = zc_mutate(c, &x, p, zc_rrset_create, ZC_CREATE, result, f);
	else if (strcmp(m, "recordset.update") == 0)
		rc = zc_mutate(c, &x, p, zc_rrset_update, ZC_BYID, result, f);
	else if (strcmp(m, "recordset.delete") == 0)
		rc = zc_mutate(c, &x, p, zc_rrset_delete, ZC_BYID, result, f);
	else if (strcmp(m, "recordset.managed_set") == 0)
		rc = zc_mutate(c, &x, p, zc_managed_set, ZC_SOLO, result, f);
	else if (strcmp(m, "recordset.managed_unset") == 0)
		rc = zc_mutate(c, &x, p, zc_managed_unset, ZC_SOLO, result, f);
	else if (strcmp(m, "recordset.list") == 0)
		rc = zc_list(c, &x, json_object_get(p, "query"), zs(p, "zone_id"),
		    1, 0, result, f);
	else if (strcmp(m, "recordset.list_all") == 0)
		rc = zc_list(c, &x, json_object_get(p, "query"), NULL, 1, 1,
		    result, f);
	else if (strcmp(m, "quota.get") == 0)
		rc = zc_quota_get(c, &x, p, result, f);
	else if (strcmp(m, "quota.set") == 0)
		rc = zc_quota_set(c, &x, p, 0, result, f);
	else if (strcmp(m, "quota.reset") == 0)
		rc = zc_quota_set(c, &x, p, 1, result, f);
	else if (strcmp(m, "limits.get") == 0)
		rc = zc_limits(c, &x, result, f);
	else if (strcmp(m, "zone.xfr_apply") == 0)
		rc = zc_zone_xfr_commit(c, &x, p, result, f);
	else if (strcmp(m, "zone.xfr") == 0)
		rc = zc_zone_xfr(c, &x, p, result, f);
	else if (strncmp(m, "export.", 7) == 0 || strncmp(m, "import.", 7) == 0)
		rc = zc_tasks(c, &x, m, p, result, f);
	else if ((k = zc_okind_of(m, &verb)) != NULL)
		rc = zc_obj(c, &x, k, verb, p, result, f);
	else if (strcmp(m, "pool.list") == 0 || strcmp(m, "pool.get") == 0)
		rc = zc_pools(c, &x, m, p, result, f);
	else if (strcmp(m, "pool.create") == 0 || strcmp(m, "pool.update") == 0 ||
	    strcmp(m, "pool.delete") == 0)
		rc = zc_pool_write(c, &x, m, p, result, f);
	else if (strncmp(m, "periodic.", 9) == 0)
		rc = zc_periodic(c, &x, m, p, result, f);
	else if (strcmp(m, "health") == 0) {
		*result = json_pack("{s:s}", "status", "UP");
		rc = 0;
	} else
		rc = zfault_set(f, 404, "not_found", "unknown method %s", m);
out:
	if (rc < 0)
		__atomic_add_fetch(&c->nfault, 1, __ATOMIC_RELAXED);
	return rc;
}
