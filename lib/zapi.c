/*
 * The REST front of zone-api: see zapi.h.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "zapi.h"
#include "zptr.h"
#include "zuuid.h"
#include "zerr.h"

#define F_BODY		ZAPI_F_BODY
#define F_QUERY		ZAPI_F_QUERY
#define F_LOC		ZAPI_F_LOCATION
#define F_ZONE		ZAPI_F_ZONE
#define F_RRSET		ZAPI_F_RRSET
#define F_PROJECT	ZAPI_F_PROJECT
#define F_POOL		ZAPI_F_POOL
#define F_OBJ		ZAPI_F_OBJ
#define F_TEXT		ZAPI_F_TEXT
#define F_OPTBODY	ZAPI_F_OPTBODY

#define P_ZONE		"/v2/zones/{zone_id}"
#define P_RRSETS	P_ZONE "/recordsets"
#define P_RRSET		P_RRSETS "/{recordset_id}"
#define P_QUOTA		"/v2/quotas/{project_id}"
#define P_AQUOTA	"/admin/quotas/{project_id}"
#define P_EXPORTS	"/v2/zones/tasks/exports"
#define P_EXPORT	P_EXPORTS "/{export_id}"
#define P_IMPORTS	"/v2/zones/tasks/imports"
#define P_IMPORT	P_IMPORTS "/{import_id}"
#define P_SHARES	P_ZONE "/shares"
#define P_TREQS		"/v2/zones/tasks/transfer_requests"
#define P_TACCS		"/v2/zones/tasks/transfer_accepts"

/* The routes of an admin object collection (api-v2.md 10.1-10.3). */
#define ZAPI_OBJ_ROUTES(coll, id, kind)					\
	{ "GET", "/v2/" coll, kind ".list", ZAPI_OBJS, F_QUERY, 200, 0 },	\
	{ "POST", "/v2/" coll, kind ".create", ZAPI_OBJ, F_BODY | F_LOC,	\
	    201, 0 },							\
	{ "GET", "/v2/" coll "/{" id "}", kind ".get", ZAPI_OBJ, F_OBJ,	\
	    200, 0 },							\
	{ "PATCH", "/v2/" coll "/{" id "}", kind ".update", ZAPI_OBJ,	\
	    F_OBJ | F_BODY, 200, 0 },					\
	{ "DELETE", "/v2/" coll "/{" id "}", kind ".delete", ZAPI_OBJ,	\
	    F_OBJ, 204, 0 }

/* Entries of one pattern are next to each other. */
static const struct zapi_route zapi_table[] = {
	{ "GET", "/", NULL, ZAPI_VERSIONS, 0, 200, 0 },
	{ "GET", "/healthcheck", NULL, ZAPI_HEALTH, 0, 200, 0 },
	{ "GET", "/v2/zones", "zone.list", ZAPI_ZONES, F_QUERY, 200, 0 },
	{ "POST", "/v2/zones", "zone.create", ZAPI_ZONE, F_BODY | F_LOC,
	    202, 0 },
	{ "GET", P_ZONE, "zone.get", ZAPI_ZONE, F_ZONE, 200, 0 },
	{ "PATCH", P_ZONE, "zone.update", ZAPI_ZONE, F_ZONE | F_BODY,
	    200, 202 },
	{ "DELETE", P_ZONE, "zone.delete", ZAPI_ZONE, F_ZONE, 202, 0 },
	{ "GET", P_ZONE "/nameservers", "zone.nameservers", ZAPI_RAW,
	    F_ZONE, 200, 0 },
	{ "POST", P_ZONE "/tasks/xfr", "zone.xfr", ZAPI_RAW,
	    F_ZONE | ZAPI_F_NOBODY, 202, 0 },
	/* zone exports and imports (api-v2.md 7, 8) */
	{ "POST", P_ZONE "/tasks/export", "export.create", ZAPI_TASK,
	    F_ZONE | F_LOC, 202, 0 },
	{ "GET", P_EXPORTS, "export.list", ZAPI_TASKS, F_QUERY, 200, 0 },
	{ "GET", P_EXPORT, "export.get", ZAPI_TASK, F_OBJ, 200, 0 },
	{ "DELETE", P_EXPORT, "export.delete", ZAPI_TASK, F_OBJ, 204, 0 },
	{ "GET", P_EXPORT "/export", "export.file", ZAPI_TEXT, F_OBJ, 200, 0 },
	{ "GET", P_IMPORTS, "import.list", ZAPI_TASKS, F_QUERY, 200, 0 },
	{ "POST", P_IMPORTS, "import.create", ZAPI_TASK, F_TEXT | F_LOC,
	    202, 0 },
	{ "GET", P_IMPORT, "import.get", ZAPI_TASK, F_OBJ, 200, 0 },
	{ "DELETE", P_IMPORT, "import.delete", ZAPI_TASK, F_OBJ, 204, 0 },
	{ "GET", P_RRSETS, "recordset.list", ZAPI_RRSETS, F_ZONE | F_QUERY,
	    200, 0 },
	{ "POST", P_RRSETS, "recordset.create", ZAPI_RRSET,
	    F_ZONE | F_BODY | F_LOC, 201, 202 },
	{ "GET", P_RRSET, "recordset.get", ZAPI_RRSET, F_ZONE | F_RRSET,
	    200, 0 },
	{ "PUT", P_RRSET, "recordset.update", ZAPI_RRSET,
	    F_ZONE | F_RRSET | F_BODY | ZAPI_F_ANYJSON, 200, 202 },
	{ "DELETE", P_RRSET, "recordset.delete", ZAPI_RRSET,
	    F_ZONE | F_RRSET, 202, 0 },
	{ "GET", "/v2/recordsets", "recordset.list_all", ZAPI_RRSETS,
	    F_QUERY, 200, 0 },
	{ "GET", "/v2/recordsets/{recordset_id}", "recordset.find",
	    ZAPI_REDIRECT, F_RRSET, 301, 0 },
	{ "GET", "/v2/quotas", "quota.get", ZAPI_RAW, F_PROJECT, 200, 0 },
	{ "GET", P_QUOTA, "quota.get", ZAPI_RAW, F_PROJECT, 200, 0 },
	{ "PATCH", P_QUOTA, "quota.set", ZAPI_RAW, F_PROJECT | F_BODY, 200, 0 },
	{ "DELETE", P_QUOTA, "quota.reset", ZAPI_RAW, F_PROJECT, 204, 0 },
	{ "GET", "/v2/limits", "limits.get", ZAPI_RAW, 0, 200, 0 },
	/* floating IP PTRs (api-v2.md 9) */
	{ "GET", "/v2/reverse/floatingips", "ptr.list", ZAPI_RELS, 0, 200, 0 },
	{ "GET", "/v2/reverse/floatingips/{fip_key}", "ptr.get", ZAPI_REL,
	    F_OBJ, 200, 0 },
	{ "PATCH", "/v2/reverse/floatingips/{fip_key}", "ptr.set", ZAPI_REL,
	    F_OBJ | F_BODY, 202, 0 },
	/* the admin API's quotas (Designate's /admin extension) */
	{ "GET", P_AQUOTA, "quota.get", ZAPI_RAW, F_PROJECT | ZAPI_F_QUOTA,
	    200, 0 },
	{ "PATCH", P_AQUOTA, "quota.set", ZAPI_RAW,
	    F_PROJECT | F_BODY | ZAPI_F_QUOTA, 200, 0 },
	{ "DELETE", P_AQUOTA, "quota.reset", ZAPI_RAW, F_PROJECT, 204, 0 },
	{ "GET", "/v2/pools", "pool.list", ZAPI_POOLS, F_QUERY, 200, 0 },
	{ "POST", "/v2/pools", "pool.create", ZAPI_POOL, F_BODY | F_LOC,
	    201, 0 },
	{ "GET", "/v2/pools/{pool_id}", "pool.get", ZAPI_POOL, F_POOL, 200, 0 },
	{ "PATCH", "/v2/pools/{pool_id}", "pool.update", ZAPI_POOL,
	    F_POOL | F_BODY, 202, 0 },
	{ "DELETE", "/v2/pools/{pool_id}", "pool.delete", ZAPI_RAW, F_POOL,
	    204, 0 },
	ZAPI_OBJ_ROUTES("tlds", "tld_id", "tld"),
	ZAPI_OBJ_ROUTES("blacklists", "blacklist_id", "blacklist"),
	ZAPI_OBJ_ROUTES("tsigkeys", "tsigkey_id", "tsigkey"),
	/* shared zones (api-v2.md 5) */
	{ "GET", P_SHARES, "share.list", ZAPI_RELS, F_ZONE | F_QUERY, 200, 0 },
	{ "POST", P_SHARES, "share.create", ZAPI_REL, F_ZONE | F_BODY | F_LOC,
	    201, 0 },
	{ "GET", P_SHARES "/{share_id}", "share.get", ZAPI_REL, F_ZONE | F_OBJ,
	    200, 0 },
	{ "DELETE", P_SHARES "/{share_id}", "share.delete", ZAPI_REL,
	    F_ZONE | F_OBJ, 204, 0 },
	/* zone tasks (api-v2.md 3.8, 6) */
	{ "POST", P_ZONE "/tasks/abandon", "zone.abandon", ZAPI_RAW, F_ZONE,
	    204, 0 },
	{ "POST", P_ZONE "/tasks/transfer_requests", "transfer_request.create",
	    ZAPI_REL, F_ZONE | F_OPTBODY | F_LOC, 201, 0 },
	{ "GET", P_TREQS, "transfer_request.list", ZAPI_RELS, F_QUERY, 200, 0 },
	{ "GET", P_TREQS "/{transfer_request_id}", "transfer_request.get",
	    ZAPI_REL, F_OBJ, 200, 0 },
	{ "PATCH", P_TREQS "/{transfer_request_id}", "transfer_request.update",
	    ZAPI_REL, F_OBJ | F_BODY, 200, 0 },
	{ "DELETE", P_TREQS "/{transfer_request_id}", "transfer_request.delete",
	    ZAPI_REL, F_OBJ, 204, 0 },
	{ "GET", P_TACCS, "transfer_accept.list", ZAPI_RELS, F_QUERY, 200, 0 },
	{ "POST", P_TACCS, "transfer_accept.create", ZAPI_REL, F_BODY | F_LOC,
	    201, 0 },
	{ "GET", P_TACCS "/{transfer_accept_id}", "transfer_accept.get",
	    ZAPI_REL, F_OBJ, 200, 0 },
	/* service statuses (api-v2.md 10.7) */
	{ "GET", "/v2/service_statuses", "service_status.list", ZAPI_RELS,
	    F_QUERY, 200, 0 },
	{ "GET", "/v2/service_statuses/{service_status_id}",
	    "service_status.get", ZAPI_REL, F_OBJ, 200, 0 },
	{ "GET", "/v2/service_status", "service_status.list", ZAPI_RELS,
	    F_QUERY, 200, 0 },
	{ "GET", "/v2/service_status/{service_status_id}",
	    "service_status.get", ZAPI_REL, F_OBJ, 200, 0 },
};
#define NROUTES	(sizeof(zapi_table) / sizeof(zapi_table[0]))

#define MAXSEG	8

const struct zapi_route *
zapi_routes(size_t *n)
{
	*n = NROUTES;
	return zapi_table;
}

int
zapi_conf_load(struct zapi_conf *c, const struct zcfg *cfg, char *err,
    size_t errlen)
{
	const char	*v;
	size_t		 n;
	long long	 mb;

	memset(c, 0, sizeof(*c));
	/* keystone: bin/zone-api.c checks the token (lib/zauth) and puts
	 * its project, user and roles into the headers read here */
	v = zcfg_get(cfg, "api", "auth_strategy");
	if (v == NULL || (strcmp(v, "noauth") != 0 &&
	    strcmp(v, "keystone") != 0)) {
		snprintf(err, errlen, "api.auth_strategy: \"%s\" is not "
		    "supported (noauth or keystone)", v != NULL ? v : "");
		return ZE_CONFIG;
	}
	v = zcfg_get(cfg, "api", "api_base_uri");
	if (v == NULL || strlcpy(c->base, v, sizeof(c->base)) >=
	    sizeof(c->base) || (strncmp(v, "http://", 7) != 0 &&
	    strncmp(v, "https://", 8) != 0)) {
		snprintf(err, errlen, "api.api_base_uri: bad value \"%s\"",
		    v != NULL ? v : "");
		return ZE_CONFIG;
	}
	n = strlen(c->base);
	while (n > 0 && c->base[n - 1] == '/')
		c->base[--n] = '\0';
	c->host_header = zcfg_bool(cfg, "api", "enable_host_header");
	c->proxy_headers = zcfg_bool(cfg, "api", "proxy_headers");
	mb = zcfg_int(cfg, "api", "max_body");
	if (mb <= 0 || mb > 64 * 1024 * 1024) {
		snprintf(err, errlen, "api.max_body: %lld is out of range "
		    "1..67108864", mb);
		return ZE_CONFIG;
	}
	c->max_body = (size_t)mb;
	if (zcfg_int(cfg, "api", "threads") < 1 ||
	    zcfg_int(cfg, "api", "threads") > 1024) {
		snprintf(err, errlen, "api.threads: out of range 1..1024");
		return ZE_CONFIG;
	}
	return 0;
}

/* Split "/a/b/c" into segments (in place); -1 on an empty segment. */
static int
zapi_split(char *p, char *seg[MAXSEG])
{
	int	n = 0;

	if (*p++ != '/')
		return -1;
	if (*p == '\0')
		return 0;
	for (;;) {
		if (n == MAXSEG || *p == '/' || *p == '\0')
			return -1;
		seg[n++] = p;
		if ((p = strchr(p, '/')) == NULL)
			return n;
		*p++ = '\0';
	}
}

/* Does pattern `pat' match the first `n' segments of `seg'? */
static int
zapi_pat_match(const char *pat, char *const seg[], int nseg, int *npat)
{
	char	 buf[128], *ps[MAXSEG];
	int	 n, i;

	strlcpy(buf, pat, sizeof(buf));
	if ((n = zapi_split(buf, ps)) < 0 || n > nseg)
		return 0;
	for (i = 0; i < n; i++)
		if (ps[i][0] != '{' && strcmp(ps[i], seg[i]) != 0)
			return 0;
	*npat = n;
	return 1;
}

/* Fill the ids of `m' from a pattern's placeholders; 400 on a bad uuid. */
static int
zapi_ids(const char *pat, char *const seg[], struct zapi_match *m,
    struct zfault *f)
{
	char	 buf[128], *ps[MAXSEG], *p;
	int	 n, i;

	strlcpy(buf, pat, sizeof(buf));
	n = zapi_split(buf, ps);
	for (i = 0; i < n; i++) {
		if (ps[i][0] != '{')
			continue;
		if (strcmp(ps[i], "{project_id}") == 0) {
			if (strlcpy(m->project_id, seg[i],
			    sizeof(m->project_id)) >= sizeof(m->project_id))
				return zfault_set(f, 404, "not_found",
				    "resource not found");
			m->has_project = 1;
			continue;
		}
		if (strcmp(ps[i], "{fip_key}") == 0) {
			char reg[ZPTR_KEYMAX], id[ZAPI_UUIDLEN];

			if (zptr_key(seg[i], reg, sizeof(reg), id,
			    sizeof(id)) != 0)
				return zfault_set(f, 400, "invalid_object",
				    "A floating IP is <region>:<uuid>, not "
				    "%.80s", seg[i]);
			strlcpy(m->fip, seg[i], sizeof(m->fip));
			continue;
		}
		ps[i]++;				/* "{" */
		ps[i][strlen(ps[i]) - 1] = '\0';	/* "}" */
		if (!zuuid_valid(seg[i]))
			return zfault_set(f, 400, "invalid_uuid",
			    "Invalid UUID %s: %s", ps[i], seg[i]);
		p = strcmp(ps[i], "zone_id") == 0 ? m->zone_id :
		    strcmp(ps[i], "pool_id") == 0 ? m->pool_id :
		    strcmp(ps[i], "recordset_id") == 0 ? m->recordset_id :
		    m->obj_id;
		strlcpy(p, seg[i], ZAPI_UUIDLEN);
		for (; *p != '\0'; p++)
			*p = tolower((unsigned char)*p);
	}
	return 0;
}

int
zapi_route(const char *method, const char *path, struct zapi_match *m,
    struct zfault *f)
{
	char		 buf[ZAPI_PATHMAX], *seg[MAXSEG];
	const char	*pat = NULL, *meth;
	size_t		 i, len;
	int		 n, k, rc;

	memset(m, 0, sizeof(*m));
	meth = strcmp(method, "HEAD") == 0 ? "GET" : method;
	if ((len = strlcpy(m->path, path, sizeof(m->path))) >=
	    sizeof(m->path))
		goto notfound;
	while (len > 1 && m->path[len - 1] == '/')
		m->path[--len] = '\0';
	/* A format suffix is not special: an unknown resource. */
	if (len > 5 && strcmp(m->path + len - 5, ".json") == 0)
		goto notfound;
	strlcpy(buf, m->path, sizeof(buf));
	if ((n = zapi_split(buf, seg)) < 0)
		goto notfound;

	for (i = 0; i < NROUTES; i++)
		if (zapi_pat_match(zapi_table[i].pattern, seg, n, &k) &&
		    k == n) {
			pat = zapi_table[i].pattern;
			break;
		}
	if (pat == NULL) {
		/* /v2/zones/<uuid>/bogus: 404, but 405 for POST. */
		for (i = 0; i < NROUTES; i++) {
			len = strlen(zapi_table[i].pattern);
			if (zapi_table[i].pattern[len - 1] == '}' &&
			    zapi_pat_match(zapi_table[i].pattern, seg, n, &k) &&
			    k < n && strcmp(meth, "POST") == 0)
				return zfault_set(f, 405, "method_not_allowed",
				    "method not allowed");
		}
		goto notfound;
	}
	if ((rc = zapi_ids(pat, seg, m, f)) != 0)
		return rc;
	for (; i < NROUTES && strcmp(zapi_table[i].pattern, pat) == 0; i++) {
		if (strcmp(zapi_table[i].method, meth) == 0)
			m->route = &zapi_table[i];
		if (m->allow[0] != '\0')
			strlcat(m->allow, ", ", sizeof(m->allow));
		strlcat(m->allow, zapi_table[i].method, sizeof(m->allow));
	}
	if (m->route == NULL)
		return zfault_set(f, 405, "method_not_allowed",
		    "method not allowed");
	return 0;
notfound:
	return zfault_set(f, 404, "not_found", "resource not found");
}

static int
zapi_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode n bytes of a query component; NULL for %00 or no memory. */
static char *
zapi_unescape(const char *s, size_t n)
{
	char	*out, *o;
	size_t	 i;
	int	 hi, lo;

	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0, o = out; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%' && i + 2 < n &&
		    (hi = zapi_hex((unsigned char)s[i + 1])) >= 0 &&
		    (lo = zapi_hex((unsigned char)s[i + 2])) >= 0) {
			if ((*o++ = (char)(hi << 4 | lo)) == '\0') {
				free(out);
				return NULL;
			}
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Percent-encode `s' at `o' (room for 3 * strlen(s)); the new end. */
static char *
zapi_escape(char *o, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) || strchr("-._~", *s) != NULL)
			*o++ = *s;
		else {
			*o++ = '%';
			*o++ = hex[(unsigned char)*s >> 4];
			*o++ = hex[(unsigned char)*s & 15];
		}
	}
	return o;
}

int
zapi_query_parse(const char *qs, json_t **out, struct zfault *f)
{
	json_t		*q, *v;
	const char	*p, *amp, *eq;
	char		*k = NULL, *val = NULL;
	int		 rc = 0;

	if ((q = json_object()) == NULL)
		return zfault_set(f, 500, "unknown", "out of memory");
	for (p = qs != NULL ? qs : ""; *p != '\0';
	    p = *amp == '\0' ? amp : amp + 1) {
		amp = p + strcspn(p, "&");
		if (amp == p)
			continue;
		if ((eq = memchr(p, '=', amp - p)) == NULL)
			eq = amp;
		k = zapi_unescape(p, eq - p);
		val = eq < amp ? zapi_unescape(eq + 1, amp - eq - 1) :
		    strdup("");
		if (k == NULL || val == NULL ||
		    (v = json_string(val)) == NULL) {
			rc = zfault_set(f, 400, "bad_request",
			    "Invalid query string");
			goto out;
		}
		if (json_object_get(q, k) != NULL) {
			json_decref(v);
			rc = zfault_set(f, 400, "bad_request",
			    "Duplicate query parameter: %s", k);
			goto out;
		}
		if (json_object_set_new(q, k, v) != 0) {
			rc = zfault_set(f, 400, "bad_request",
			    "Invalid query string");
			goto out;
		}
		free(k);
		free(val);
		k = val = NULL;
	}
out:
	free(k);
	free(val);
	if (rc != 0) {
		json_decref(q);
		q = NULL;
	}
	*out = q;
	return rc;
}

char *
zapi_query_marker(const char *qs, const char *marker)
{
	const char	*p, *amp, *eq;
	char		*out, *o, *k;
	size_t		 cap;
	int		 done = 0, ism;

	if (qs == NULL)
		qs = "";
	cap = strlen(qs) + 3 * strlen(marker) + sizeof("&marker=");
	if ((out = malloc(cap)) == NULL)
		return NULL;
	o = out;
	for (p = qs; *p != '\0'; p = *amp == '\0' ? amp : amp + 1) {
		amp = p + strcspn(p, "&");
		if (amp == p)
			continue;
		if ((eq = memchr(p, '=', amp - p)) == NULL)
			eq = amp;
		k = zapi_unescape(p, eq - p);
		ism = k != NULL && strcmp(k, "marker") == 0;
		free(k);
		if (ism && done)
			continue;
		if (o != out)
			*o++ = '&';
		if (ism) {
			memcpy(o, "marker=", 7);
			o = zapi_escape(o + 7, marker);
			done = 1;
		} else {
			memcpy(o, p, amp - p);
			o += amp - p;
		}
	}
	if (!done) {
		if (o != out)
			*o++ = '&';
		memcpy(o, "marker=", 7);
		o = zapi_escape(o + 7, marker);
	}
	*o = '\0';
	return out;
}

const char *
zapi_header(const struct zapi_request *r, const char *name)
{
	int	i;

	for (i = 0; i < r->nhdrs; i++)
		if (strcasecmp(r->hdrs[i].name, name) == 0)
			return r->hdrs[i].value;
	return NULL;
}

/* A header with a value, or NULL. */
static const char *
zapi_hval(const struct zapi_request *r, const char *name)
{
	const char	*v = zapi_header(r, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/*
 * A boolean from header `h', else from the query keys q1, q2 (in that
 * order); the query keys are removed.  0 with *val set, or ZE_FAULT.
 */
static int
zapi_flag(const struct zapi_request *r, json_t *query, const char *h,
    const char *q1, const char *q2, int *val, struct zfault *f)
{
	const char	*v, *src = h;
	json_t		*qv;
	int		 b;

	v = h != NULL ? zapi_hval(r, h) : NULL;
	if (v == NULL && q1 != NULL &&
	    json_is_string(qv = json_object_get(query, q1))) {
		v = json_string_value(qv);
		src = q1;
	}
	if (v == NULL && q2 != NULL &&
	    json_is_string(qv = json_object_get(query, q2))) {
		v = json_string_value(qv);
		src = q2;
	}
	b = v != NULL ? zcfg_parse_bool(v) : 0;
	if (b < 0)
		zfault_set(f, 400, "bad_request",
		    "Invalid boolean value for %s: %s", src, v);
	if (q1 != NULL && query != NULL)
		json_object_del(query, q1);
	if (q2 != NULL && query != NULL)
		json_object_del(query, q2);
	if (b < 0)
		return ZE_FAULT;
	*val = b;
	return 0;
}

int
zapi_context(const struct zapi_request *r, json_t *query,
    const char *request_id, json_t **ctx, struct zfault *f)
{
	const char	*project, *user, *roles, *sudo, *p, *e;
	json_t		*rl, *s;
	int		 allp, edit, hide, delshares, rc;

	*ctx = NULL;
	if ((rc = zapi_flag(r, query, "X-Auth-All-Projects", "all_projects",
	    "all_tenants", &allp, f)) != 0 ||
	    (rc = zapi_flag(r, query, "X-Designate-Edit-Managed-Records",
	    "edit_managed_records", NULL, &edit, f)) != 0 ||
	    (rc = zapi_flag(r, query, "OpenStack-DNS-Hide-Counts", NULL, NULL,
	    &hide, f)) != 0 ||
	    (rc = zapi_flag(r, query, "X-Designate-Delete-Shares",
	    "delete_shares", NULL, &delshares, f)) != 0)
		return rc;
	if ((project = zapi_hval(r, "X-Auth-Project-ID")) == NULL)
		project = "noauth-project";
	if ((user = zapi_hval(r, "X-Auth-User-ID")) == NULL)
		user = "noauth-user";
	if ((sudo = zapi_hval(r, "X-Auth-Sudo-Project-ID")) == NULL)
		sudo = zapi_hval(r, "X-Auth-Sudo-Tenant-ID");
	if ((roles = zapi_header(r, "X-Roles")) == NULL)
		roles = "admin";
	if ((rl = json_array()) == NULL)
		return zfault_set(f, 500, "unknown", "out of memory");
	for (p = roles; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		while (*p == ' ' || *p == '\t')
			p++;
		for (e = p; *e != '\0' && *e != ','; e++)
			;
		s = NULL;
		if (e > p) {
			const char *t = e;

			while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
				t--;
			s = json_stringn(p, t - p);
			if (s == NULL || json_array_append_new(rl, s) != 0) {
				json_decref(rl);
				return zfault_set(f, 400, "bad_request",
				    "Invalid X-Roles header");
			}
		}
	}
	*ctx = json_pack("{s:s,s:s,s:o,s:b,s:s?,s:b,s:b,s:s}",
	    "project_id", project, "user_id", user, "roles", rl,
	    "all_projects", allp, "sudo_project_id", sudo,
	    "edit_managed", edit, "hide_counts", hide,
	    "request_id", request_id);
	if (*ctx != NULL && delshares)
		json_object_set_new(*ctx, "delete_shares", json_true());
	if (*ctx == NULL)
		return zfault_set(f, 400, "bad_request",
		    "Invalid authentication header");
	return 0;
}

/* The first element of a comma-separated header, trimmed, into buf. */
static int
zapi_first(const char *v, char *buf, size_t len)
{
	size_t	n;

	while (*v == ' ' || *v == '\t')
		v++;
	n = strcspn(v, ", \t");
	if (n == 0 || n >= len)
		return -1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return 0;
}

/* A host[:port] that is safe to put in a URL and a header. */
static int
zapi_host_ok(const char *h)
{
	if (*h == '\0')
		return 0;
	for (; *h != '\0'; h++)
		if (!isalnum((unsigned char)*h) && strchr(".-_:[]", *h) == NULL)
			return 0;
	return 1;
}

int
zapi_base(const struct zapi_conf *c, const struct zapi_request *r,
    char *buf, size_t len)
{
	char		 host[256], scheme[16] = "http";
	const char	*v;
	int		 n;

	if (!c->host_header)
		goto conf;
	v = NULL;
	if (c->proxy_headers && (v = zapi_hval(r, "X-Forwarded-Host")) != NULL)
		if (zapi_first(v, host, sizeof(host)) != 0)
			v = NULL;
	if (v == NULL && ((v = zapi_hval(r, "Host")) == NULL ||
	    strlcpy(host, v, sizeof(host)) >= sizeof(host)))
		goto conf;
	if (!zapi_host_ok(host))
		goto conf;
	if (c->proxy_headers &&
	    (v = zapi_hval(r, "X-Forwarded-Proto")) != NULL &&
	    zapi_first(v, scheme, sizeof(scheme)) == 0 &&
	    strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)
		strlcpy(scheme, "http", sizeof(scheme));
	for (n = 0; scheme[n] != '\0'; n++)
		scheme[n] = tolower((unsigned char)scheme[n]);
	n = snprintf(buf, len, "%s://%s", scheme, host);
	return n < 0 || (size_t)n >= len ? -ENOBUFS : 0;
conf:
	return strlcpy(buf, c->base, len) >= len ? -ENOBUFS : 0;
}

/* Content type `ct' is `type' (any case, parameters allowed). */
static int
zapi_is_type(const char *ct, const char *type)
{
	size_t	n = strlen(type);

	if (ct == NULL)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, type, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* An Accept header (absent: anything) allows `type' ("a/b"): some
 * member is a / b, a / *, or * / *. */
static int
zapi_accepts(const char *accept, const char *type)
{
	const char	*p = accept, *e, *slash = strchr(type, '/');
	size_t		 n, major = slash != NULL ? (size_t)(slash - type) : 0;

	if (accept == NULL || *accept == '\0')
		return 1;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		for (e = p; *e != '\0' && *e != ',' && *e != ';' &&
		    *e != ' '; e++)
			;
		n = (size_t)(e - p);
		if ((n == 3 && strncmp(p, "*/*", 3) == 0) ||
		    (n == strlen(type) && strncasecmp(p, type, n) == 0) ||
		    (major > 0 && n == major + 2 &&
		    strncasecmp(p, type, major + 1) == 0 && p[major + 1] == '*'))
			return 1;
		while (*e != '\0' && *e != ',')
			e++;
		p = e;
	}
	return 0;
}

static int	zapi_body_json(const struct zapi_request *, json_t **,
		    struct zfault *, int);

int
zapi_body(const struct zapi_request *r, json_t **body, struct zfault *f)
{
	return zapi_body_json(r, body, f, 0);
}

/* The JSON body; `any': not only an object. */
static int
zapi_body_json(const struct zapi_request *r, json_t **body, struct zfault *f,
    int any)
{
	json_error_t	 e;
	json_t		*b;

	*body = NULL;
	if (!zapi_is_type(zapi_header(r, "Content-Type"), "application/json"))
		return zfault_set(f, 415, "unsupported_content_type",
		    "Content-Type must be application/json");
	if (r->body == NULL || r->body_len == 0)
		return zfault_set(f, 400, "empty_request_body",
		    "Request Body is empty");
	if ((b = json_loadb(r->body, r->body_len, JSON_DECODE_ANY, &e)) ==
	    NULL)
		return zfault_set(f, 400, "invalid_json",
		    "%s: line %d column %d (char %d)", e.text, e.line,
		    e.column, e.position);
	if (!any && !json_is_object(b)) {
		json_decref(b);
		return zfault_set(f, 400, "invalid_object",
		    "The request body must be a JSON object");
	}
	*body = b;
	return 0;
}

int
zapi_text_body(const struct zapi_request *r, json_t **body, struct zfault *f)
{
	json_t	*t;
	int	 rc;

	*body = NULL;
	if (zapi_is_type(zapi_header(r, "Content-Type"), "application/json")) {
		/* API 2.4: {"zonefile": "<text>", "attributes": {...}} */
		if ((rc = zapi_body(r, &t, f)) != 0)
			return rc;
		if (!json_is_string(json_object_get(t, "zonefile"))) {
			json_decref(t);
			return zfault_set(f, 400, "invalid_object",
			    "'zonefile' is a required property");
		}
		*body = t;
		return 0;
	}
	if (!zapi_is_type(zapi_header(r, "Content-Type"), "text/dns"))
		return zfault_set(f, 415, "unsupported_content_type",
		    "Content-Type must be text/dns or application/json");
	if (r->body == NULL || r->body_len == 0)
		return zfault_set(f, 400, "empty_request_body",
		    "Request Body is empty");
	if (memchr(r->body, '\0', r->body_len) != NULL)
		return zfault_set(f, 400, "bad_request",
		    "Malformed zonefile: it holds binary data");
	if ((t = json_stringn(r->body, r->body_len)) == NULL)
		return zfault_set(f, 400, "bad_request",
		    "Malformed zonefile: it is not UTF-8 text");
	*body = json_pack("{s:o}", "zonefile", t);
	return *body != NULL ? 0 : zfault_set(f, 500, "unknown",
	    "out of memory");
}

static int
zapi_set_self(json_t *o, const char *fmt, const char *a, const char *b,
    const char *c)
{
	char	 url[ZAPI_BASEMAX + 128];
	int	 n;

	n = snprintf(url, sizeof(url), fmt, a, b, c);
	if (n < 0 || (size_t)n >= sizeof(url))
		return ZE_BADMSG;
	if (json_object_set_new(o, "links",
	    json_pack("{s:s}", "self", url)) != 0)
		return ZE_BADMSG;
	return 0;
}

int
zapi_link_zone(json_t *zone, const char *base)
{
	const char	*id;

	if ((id = json_string_value(json_object_get(zone, "id"))) == NULL ||
	    strlen(id) > 64)
		return ZE_BADMSG;
	return zapi_set_self(zone, "%s/v2/zones/%s%s", base, id, "");
}

static int
zapi_link_pool(json_t *pool, const char *base)
{
	const char	*id;

	if ((id = json_string_value(json_object_get(pool, "id"))) == NULL ||
	    strlen(id) > 64)
		return ZE_BADMSG;
	return zapi_set_self(pool, "%s/v2/pools/%s%s", base, id, "");
}

int
zapi_link_rel(json_t *obj, const char *base)
{
	json_t		*links = json_object_get(obj, "links"), *v;
	const char	*k, *p;
	char		 url[ZAPI_BASEMAX + 256];
	int		 n;

	if (!json_is_object(links))
		return ZE_BADMSG;
	json_object_foreach(links, k, v) {
		if ((p = json_string_value(v)) == NULL || *p != '/')
			continue;
		n = snprintf(url, sizeof(url), "%s%s", base, p);
		if (n < 0 || (size_t)n >= sizeof(url) ||
		    json_object_set_new(links, k, json_string(url)) != 0)
			return ZE_BADMSG;
	}
	return 0;
}

int
zapi_link_obj(json_t *obj, const char *base, const char *coll)
{
	const char	*id;

	if ((id = json_string_value(json_object_get(obj, "id"))) == NULL ||
	    strlen(id) > 64 || strlen(coll) > 64)
		return ZE_BADMSG;
	return zapi_set_self(obj, "%s/v2/%s/%s", base, coll, id);
}

int
zapi_link_task(json_t *task, const char *base, int imports)
{
	const char	*id, *zid, *st;
	char		 url[ZAPI_BASEMAX + 128];
	json_t		*links;
	int		 rc;

	if ((id = json_string_value(json_object_get(task, "id"))) == NULL ||
	    strlen(id) > 64)
		return ZE_BADMSG;
	if ((rc = zapi_set_self(task, "%s/v2/zones/tasks/%s/%s", base,
	    imports ? "imports" : "exports", id)) != 0)
		return rc;
	links = json_object_get(task, "links");
	zid = json_string_value(json_object_get(task, "zone_id"));
	st = json_string_value(json_object_get(task, "status"));
	if (imports && zid != NULL && strlen(zid) <= 64) {
		snprintf(url, sizeof(url), "%s/v2/zones/%s", base, zid);
		json_object_set_new(links, "zone", json_string(url));
	}
	if (!imports && st != NULL && strcmp(st, "COMPLETE") == 0) {
		snprintf(url, sizeof(url), "%s/v2/zones/tasks/exports/%s/"
		    "export", base, id);
		json_object_set_new(links, "export", json_string(url));
	}
	return 0;
}

/* The collection of a route: "tlds" of "/v2/tlds/{tld_id}". */
static void
zapi_coll(const char *pattern, char *buf, size_t len)
{
	const char	*p = pattern + strlen("/v2/");
	size_t		 n = strcspn(p, "/");

	if (strncmp(pattern, "/v2/", 4) != 0 || n >= len)
		n = 0;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

int
zapi_link_rrset(json_t *rrset, const char *base)
{
	const char	*id, *zid;

	if ((id = json_string_value(json_object_get(rrset, "id"))) == NULL ||
	    (zid = json_string_value(json_object_get(rrset, "zone_id"))) ==
	    NULL || strlen(id) > 64 || strlen(zid) > 64)
		return ZE_BADMSG;
	return zapi_set_self(rrset, "%s/v2/zones/%s/recordsets/%s", base, zid,
	    id);
}

json_t *
zapi_render_list(json_t *result, const char *name, enum zapi_kind item,
    const char *base, const char *path, const char *query)
{
	json_t		*items, *tc, *links = NULL, *meta = NULL, *it, *out;
	const char	*marker;
	char		*self = NULL, *next = NULL, *q = NULL;
	size_t		 i, n;
	json_int_t	 limit;

	items = json_object_get(result, "items");
	tc = json_object_get(result, "total_count");
	if (!json_is_array(items) || (tc != NULL && !json_is_integer(tc) &&
	    !json_is_null(tc)))
		return NULL;
	json_array_foreach(items, i, it)
		if ((item == ZAPI_ZONE ? zapi_link_zone(it, base) :
		    item == ZAPI_POOL ? zapi_link_pool(it, base) :
		    item == ZAPI_REL ? zapi_link_rel(it, base) :
		    item == ZAPI_TASK ? zapi_link_task(it, base,
		    strstr(path, "imports") != NULL) :
		    item == ZAPI_OBJ ? zapi_link_obj(it, base, path +
		    (strncmp(path, "/v2/", 4) == 0 ? 4 : 0)) :
		    zapi_link_rrset(it, base)) != 0)
			return NULL;
	if (query != NULL && *query == '\0')
		query = NULL;
	n = strlen(base) + strlen(path) + (query != NULL ? strlen(query) : 0);
	if ((self = malloc(n + 2)) == NULL)
		return NULL;
	snprintf(self, n + 2, "%s%s%s%s", base, path, query != NULL ? "?" : "",
	    query != NULL ? query : "");
	links = json_pack("{s:s}", "self", self);
	limit = json_integer_value(json_object_get(result, "limit"));
	n = json_array_size(items);
	if (links != NULL && n > 0 && (json_int_t)n == limit &&
	    (marker = json_string_value(json_object_get(
	    json_array_get(items, n - 1), "id"))) != NULL &&
	    (q = zapi_query_marker(query, marker)) != NULL) {
		n = strlen(base) + strlen(path) + strlen(q) + 2;
		if ((next = malloc(n)) != NULL) {
			snprintf(next, n, "%s%s?%s", base, path, q);
			json_object_set_new(links, "next", json_string(next));
		}
	}
	meta = json_is_integer(tc) ? json_pack("{s:O}", "total_count", tc) :
	    json_object();
	out = json_pack("{s:O,s:o,s:o}", name, items, "links", links,
	    "metadata", meta);
	/* floating IP PTRs: every one at once, no metadata (api-v2.md 9) */
	if (out != NULL && strcmp(name, "floatingips") == 0)
		json_object_del(out, "metadata");
	free(self);
	free(next);
	free(q);
	return out;
}

/*
 * The version document (api-v2.md 2) as Designate 15 writes it: v2 and
 * v2.0, v2.0 CURRENT.  Shared zones (2.1), SVCB/HTTPS (2.2) and TLSA
 * (2.3) work without any version header; the entries stay out because
 * Debian's tempest plugin (0.14) wants the last entry to be v2 or v2.0.
 */
json_t *
zapi_versions(const char *base)
{
	static const char *const v[][2] = {
		{ "v2", "2022-06-29T00:00:00Z" },
		{ "v2.0", "2022-06-29T00:00:00Z" },
	};
	const size_t	 n = sizeof(v) / sizeof(v[0]);
	char		 href[ZAPI_BASEMAX + 8];
	json_t		*list;
	size_t		 i;

	snprintf(href, sizeof(href), "%s/v2", base);
	if ((list = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:[{s:s,s:s},"
		    "{s:s,s:s}],s:s,s:s}", "id", v[i][0], "links", "href",
		    href, "rel", "self", "href",
		    "https://docs.openstack.org/api-ref/dns", "rel", "help",
		    "status", i + 1 == n ? "CURRENT" : "SUPPORTED", "updated",
		    v[i][1]));
	return json_pack("{s:o}", "versions", list);
}

int
zapi_status(const struct zapi_route *r, json_t *result)
{
	const char	*st;

	st = json_string_value(json_object_get(result, "status"));
	if (r->pending != 0 && st != NULL && strcmp(st, "PENDING") == 0)
		return r->pending;
	return r->status;
}

void
zapi_request_id(char buf[ZAPI_REQIDLEN])
{
	memcpy(buf, "req-", 4);
	zuuid_new(buf + 4);
}

static json_t *
zapi_params(const struct zapi_match *m, json_t *body, json_t *query)
{
	const struct zapi_route	*r = m->route;
	json_t			*p;

	if ((p = json_object()) == NULL)
		return NULL;
	if (r->flags & F_ZONE)
		json_object_set_new(p, "zone_id", json_string(m->zone_id));
	if (r->flags & F_RRSET)
		json_object_set_new(p, "recordset_id",
		    json_string(m->recordset_id));
	if (r->flags & F_POOL)
		json_object_set_new(p, "pool_id", json_string(m->pool_id));
	if (r->flags & F_OBJ)
		json_object_set_new(p, "id", json_string(m->fip[0] != '\0' ?
		    m->fip : m->obj_id));
	if (r->flags & F_PROJECT)
		json_object_set_new(p, "project_id", m->has_project ?
		    json_string(m->project_id) : json_null());
	if (r->flags & (F_BODY | F_OPTBODY))
		json_object_set(p, "body", body);
	if (r->flags & F_QUERY)
		json_object_set(p, "query", query);
	if (r->flags & F_TEXT)
		json_object_set(p, "zonefile", json_object_get(body,
		    "zonefile"));
	return p;
}

static int
zapi_malformed(struct zfault *f)
{
	return zfault_set(f, 500, "unknown",
	    "malformed result from the central service");
}

void
zapi_handle(const struct zapi_conf *c, const struct zapi_request *req,
    zapi_rpc_fn rpc, void *arg, struct zapi_response *res)
{
	struct zfault		 f = ZFAULT_INIT;
	struct zapi_match	 m;
	const struct zapi_route	*r;
	json_t			*query = NULL, *ctx = NULL, *body = NULL;
	json_t			*params = NULL, *result = NULL, *out = NULL;
	const char		*self;
	char			 base[ZAPI_BASEMAX], coll[64];

	memset(res, 0, sizeof(*res));
	zapi_request_id(res->request_id);
	res->ctype = "application/json";
	res->head = strcmp(req->method, "HEAD") == 0;
	if (req->too_large) {
		zfault_set(&f, 413, "request_too_large",
		    "Request is too large.");
		res->close = 1;
		goto fault;
	}
	if (zapi_route(req->method, req->path, &m, &f) != 0) {
		if (f.status == 405)
			strlcpy(res->allow, m.allow, sizeof(res->allow));
		goto fault;
	}
	r = m.route;
	if (zapi_base(c, req, base, sizeof(base)) != 0)
		strlcpy(base, c->base, sizeof(base));
	if (r->kind == ZAPI_HEALTH) {
		res->status = 200;
		res->ctype = "text/plain";
		if ((res->body = strdup("OK")) != NULL)
			res->body_len = 2;
		return;
	}
	if (r->kind == ZAPI_VERSIONS) {
		res->status = 200;
		out = zapi_versions(base);
		goto render;
	}
	if (zapi_query_parse(req->query, &query, &f) != 0 ||
	    zapi_context(req, query, res->request_id, &ctx, &f) != 0 ||
	    ((r->flags & F_BODY) && zapi_body_json(req, &body, &f,
	    (r->flags & ZAPI_F_ANYJSON) != 0) != 0) ||
	    ((r->flags & F_TEXT) && zapi_text_body(req, &body, &f) != 0))
		goto fault;
	/* the zone file is text/dns only */
	if (r->kind == ZAPI_TEXT && !zapi_accepts(zapi_header(req, "Accept"),
	    "text/dns")) {
		zfault_set(&f, 406, "not_acceptable",
		    "Accept must allow text/dns");
		goto fault;
	}
	/* none, or JSON null (what a client sends for "no data") */
	if ((r->flags & F_OPTBODY) && (req->body == NULL ||
	    req->body_len == 0 || (req->body_len == 4 &&
	    memcmp(req->body, "null", 4) == 0)) &&
	    (body = json_object()) == NULL) {
		zfault_set(&f, 500, "unknown", "out of memory");
		goto fault;
	}
	if ((r->flags & F_OPTBODY) && body == NULL &&
	    zapi_body(req, &body, &f) != 0)
		goto fault;
	if ((r->flags & ZAPI_F_QUOTA) && body != NULL) {
		json_t	*q = json_object_get(body, "quota");

		if (!json_is_object(q) || json_object_size(body) != 1) {
			zfault_set(&f, 400, "invalid_object",
			    "the body must be {\"quota\": {...}}");
			goto fault;
		}
		json_incref(q);
		json_decref(body);
		body = q;
	}
	if ((params = zapi_params(&m, body, query)) == NULL) {
		zfault_set(&f, 500, "unknown", "out of memory");
		goto fault;
	}
	res->rpc_done = 1;
	if (rpc(arg, r->rpc, params, ctx, &result, &f) != 0)
		goto fault;
	switch (r->kind) {
	case ZAPI_ZONE:
		if (!json_is_object(result) || zapi_link_zone(result, base))
			goto malformed;
		out = json_incref(result);
		break;
	case ZAPI_RRSET:
	case ZAPI_REDIRECT:
		if (!json_is_object(result) || zapi_link_rrset(result, base))
			goto malformed;
		out = json_incref(result);
		break;
	case ZAPI_POOL:
		if (!json_is_object(result) || zapi_link_pool(result, base))
			goto malformed;
		out = json_incref(result);
		break;
	case ZAPI_OBJ:
		zapi_coll(r->pattern, coll, sizeof(coll));
		if (!json_is_object(result) ||
		    zapi_link_obj(result, base, coll))
			goto malformed;
		out = json_incref(result);
		break;
	case ZAPI_REL:
		/* {} : nothing to show (a PTR unset) */
		if (json_is_object(result) && json_object_size(result) == 0) {
			res->status = zapi_status(r, result);
			goto done;
		}
		if (!json_is_object(result) || zapi_link_rel(result, base))
			goto malformed;
		out = json_incref(result);
		break;
	case ZAPI_RELS:
		if (json_string_value(json_object_get(result, "name")) ==
		    NULL || (out = zapi_render_list(result,
		    json_string_value(json_object_get(result, "name")),
		    ZAPI_REL, base, m.path, req->query)) == NULL)
			goto malformed;
		break;
	case ZAPI_OBJS:
		zapi_coll(r->pattern, coll, sizeof(coll));
		if ((out = zapi_render_list(result, coll, ZAPI_OBJ, base,
		    m.path, req->query)) == NULL)
			goto malformed;
		break;
	case ZAPI_TASK:
		if (r->status == 204) {
			out = json_object();
			break;
		}
		if (!json_is_object(result) || zapi_link_task(result, base,
		    strstr(r->pattern, "import") != NULL))
			goto malformed;
		out = json_incref(result);
		break;
	case ZAPI_TASKS:
		if ((out = zapi_render_list(result, strstr(r->pattern,
		    "import") != NULL ? "imports" : "exports", ZAPI_TASK, base,
		    m.path, req->query)) == NULL)
			goto malformed;
		break;
	case ZAPI_TEXT:
		self = json_string_value(json_object_get(result, "text"));
		if (self == NULL || (res->body = strdup(self)) == NULL)
			goto malformed;
		res->body_len = strlen(res->body);
		res->ctype = "text/dns";
		res->status = zapi_status(r, result);
		goto done;
	case ZAPI_ZONES:
	case ZAPI_RRSETS:
	case ZAPI_POOLS:
		out = zapi_render_list(result, r->kind == ZAPI_ZONES ?
		    "zones" : r->kind == ZAPI_POOLS ? "pools" : "recordsets",
		    r->kind == ZAPI_ZONES ? ZAPI_ZONE : r->kind == ZAPI_POOLS ?
		    ZAPI_POOL : ZAPI_RRSET, base, m.path, req->query);
		if (out == NULL)
			goto malformed;
		break;
	default:
		if (result == NULL)
			goto malformed;
		out = (r->flags & ZAPI_F_QUOTA) ? json_pack("{s:O}", "quota",
		    result) : json_incref(result);
		break;
	}
	res->status = zapi_status(r, result);
	if (((r->flags & F_LOC) || r->kind == ZAPI_REDIRECT) &&
	    (self = json_string_value(json_object_get(json_object_get(out,
	    "links"), "self"))) != NULL)
		res->location = strdup(self);
	if (r->flags & ZAPI_F_NOBODY) {
		json_decref(out);
		out = NULL;
		goto done;
	}
	goto render;
malformed:
	zapi_malformed(&f);
fault:
	json_decref(out);
	if (f.status < 400 || f.status > 599)
		f.status = 500;
	res->status = f.status;
	strlcpy(res->fault_type, f.type, sizeof(res->fault_type));
	if ((out = zfault_json(&f)) != NULL)
		json_object_set_new(out, "request_id",
		    json_string(res->request_id));
render:
	if (out != NULL &&
	    (res->body = json_dumps(out, JSON_COMPACT)) != NULL)
		res->body_len = strlen(res->body);
	else {
		res->status = 500;
		res->body = NULL;
		res->body_len = 0;
	}
done:
	zfault_release(&f);
	json_decref(out);
	json_decref(result);
	json_decref(params);
	json_decref(body);
	json_decref(ctx);
	json_decref(query);
}

const char *
zapi_reason(int status)
{
	switch (status) {
	case 200:	return "OK";
	case 201:	return "Created";
	case 202:	return "Accepted";
	case 204:	return "No Content";
	case 301:	return "Moved Permanently";
	case 400:	return "Bad Request";
	case 401:	return "Unauthorized";
	case 403:	return "Forbidden";
	case 404:	return "Not Found";
	case 405:	return "Method Not Allowed";
	case 406:	return "Not Acceptable";
	case 409:	return "Conflict";
	case 413:	return "Request Entity Too Large";
	case 415:	return "Unsupported Media Type";
	case 500:	return "Internal Server Error";
	case 501:	return "Not Implemented";
	case 503:	return "Service Unavailable";
	case 504:	return "Gateway Timeout";
	}
	return "Unknown";
}

char *
zapi_response_wire(const struct zapi_response *res, size_t *len)
{
	char	*buf;
	size_t	 cap, blen;
	int	 n, notype;

	blen = res->status == 204 ? 0 : res->body_len;
	notype = blen == 0;
	cap = 256 + sizeof(res->allow) + blen +
	    (res->location != NULL ? strlen(res->location) : 0);
	if ((buf = malloc(cap)) == NULL)
		return NULL;
	/* no body (204, a PTR unset), so no type: clients parse a JSON
	 * type */
	n = snprintf(buf, cap, "HTTP/1.1 %d %s\r\n"
	    "%s%s%s"
	    "Content-Length: %zu\r\n"
	    "X-Openstack-Request-Id: %s\r\n"
	    "%s%s%s"
	    "%s%s%s"
	    "%s"
	    "\r\n",
	    res->status, zapi_reason(res->status),
	    notype ? "" : "Content-Type: ", notype ? "" : res->ctype,
	    notype ? "" : "\r\n", blen,
	    res->request_id,
	    res->location != NULL ? "Location: " : "",
	    res->location != NULL ? res->location : "",
	    res->location != NULL ? "\r\n" : "",
	    res->allow[0] != '\0' ? "Allow: " : "", res->allow,
	    res->allow[0] != '\0' ? "\r\n" : "",
	    res->close ? "Connection: close\r\n" : "");
	if (n < 0 || (size_t)n + blen >= cap) {
		free(buf);
		return NULL;
	}
	if (!res->head && blen > 0) {
		memcpy(buf + n, res->body, blen);
		n += (int)blen;
	}
	*len = (size_t)n;
	return buf;
}

void
zapi_response_release(struct zapi_response *res)
{
	free(res->body);
	free(res->location);
	res->body = NULL;
	res->location = NULL;
}
