/*
 * The REST front of zone-api (api-v2.md 1-4, 10.1-10.6): routing,
 * the HTTP shape checks, the request context sent to central, links
 * and the rendering of central's results.  No I/O here but getrandom(2)
 * for request ids: bin/zone-api.c hands in requests read by civetweb and
 * an RPC callback, and writes the one buffer zapi_response_wire() makes.
 *
 * jansson: a function returning json_t * returns a new reference;
 * json_t parameters are borrowed.
 */
#ifndef ZAPI_H
#define ZAPI_H

#include <stddef.h>

#include <jansson.h>

#include "zcfg.h"
#include "zfault.h"

#define ZAPI_UUIDLEN	37		/* 36 characters and the NUL */
#define ZAPI_REQIDLEN	41		/* "req-" + uuid + NUL */
#define ZAPI_PATHMAX	1024
#define ZAPI_BASEMAX	512

/* How a route's answer is made. */
enum zapi_kind {
	ZAPI_VERSIONS,		/* GET /, answered here */
	ZAPI_HEALTH,		/* GET /healthcheck, answered here */
	ZAPI_ZONE,		/* one zone, links added */
	ZAPI_ZONES,		/* a zone list */
	ZAPI_RRSET,		/* one recordset, links added */
	ZAPI_RRSETS,		/* a recordset list */
	ZAPI_REDIRECT,		/* 301 to the recordset's own URL */
	ZAPI_POOL,		/* one pool, links added */
	ZAPI_POOLS,		/* a pool list */
	ZAPI_OBJ,		/* one tld, blacklist or tsigkey, links added */
	ZAPI_OBJS,		/* a list of them, named after the path */
	ZAPI_REL,		/* one object whose links central made
				 * relative ("/v2/..."): the base is put
				 * in front (shares, transfers, statuses) */
	ZAPI_RELS,		/* a list of them, named by result.name */
	ZAPI_TASK,		/* one zone import or export, links added */
	ZAPI_TASKS,		/* a list of them */
	ZAPI_TEXT,		/* central's result.text as text/dns */
	ZAPI_RAW		/* central's result as is */
};

#define ZAPI_F_BODY	0x01	/* needs a JSON object body */
#define ZAPI_F_QUERY	0x02	/* the query goes to central */
#define ZAPI_F_LOCATION	0x04	/* Location: links.self */
#define ZAPI_F_ZONE	0x08	/* params carry zone_id */
#define ZAPI_F_RRSET	0x10	/* params carry recordset_id */
#define ZAPI_F_PROJECT	0x20	/* params carry project_id (or null) */
#define ZAPI_F_POOL	0x40	/* params carry pool_id */
#define ZAPI_F_OBJ	0x80	/* params carry id (tld, blacklist, tsigkey) */
#define ZAPI_F_TEXT	0x200	/* a text/dns body: params carry zonefile */
#define ZAPI_F_NOBODY	0x400	/* success has an empty body */
#define ZAPI_F_OPTBODY	0x100	/* a JSON object body, or none ({}) */
#define ZAPI_F_ANYJSON	0x800	/* with F_BODY: any JSON value; central
				 * checks it after its own rules */
#define ZAPI_F_QUOTA	0x1000	/* the admin API's {"quota": {...}} body
				 * and answer around a v2 quota */

struct zapi_route {
	const char	*method;	/* "GET", "POST" ... */
	const char	*pattern;	/* "/v2/zones/{zone_id}" */
	const char	*rpc;		/* central's method; NULL: local */
	enum zapi_kind	 kind;
	int		 flags;
	int		 status;	/* success status */
	int		 pending;	/* status when result.status is
					 * "PENDING"; 0: same as status */
};

/* What zapi_route() found. */
struct zapi_match {
	const struct zapi_route	*route;
	char	 path[ZAPI_PATHMAX];	/* without the trailing slash */
	char	 zone_id[ZAPI_UUIDLEN];
	char	 recordset_id[ZAPI_UUIDLEN];
	char	 pool_id[ZAPI_UUIDLEN];
	char	 obj_id[ZAPI_UUIDLEN];	/* {tld_id}, {blacklist_id} ... */
	char	 project_id[256];	/* GET /v2/quotas/{project_id} */
	char	 fip[160];		/* {fip_key}: "<region>:<uuid>" */
	int	 has_project;
	char	 allow[64];		/* methods of the path, for 405 */
};

/* Settings from [api]. */
struct zapi_conf {
	char	 base[ZAPI_BASEMAX];	/* api_base_uri, no trailing slash */
	int	 host_header;
	int	 proxy_headers;
	size_t	 max_body;
};

struct zapi_header {
	const char	*name;
	const char	*value;
};

/* One HTTP request as civetweb saw it. */
struct zapi_request {
	const char			*method;
	const char			*path;		/* decoded, no query */
	const char			*query;		/* raw; NULL if none */
	const struct zapi_header	*hdrs;
	int				 nhdrs;
	const char			*body;
	size_t				 body_len;
	int				 too_large;	/* over max_body */
};

/* What to write back. */
struct zapi_response {
	int		 status;
	const char	*ctype;
	char		 request_id[ZAPI_REQIDLEN];
	char		*location;		/* NULL: no header */
	char		 allow[64];		/* "": no header */
	char		*body;
	size_t		 body_len;
	int		 head;			/* HEAD: no body on the wire */
	int		 close;			/* close the connection after */
	int		 rpc_done;		/* central was called */
	char		 fault_type[48];	/* error type, "" on success */
};

/*
 * The RPC to central: 0 with *result a new reference, or ZE_FAULT with
 * `f' filled in.  params and ctx are borrowed.
 */
typedef int	(*zapi_rpc_fn)(void *arg, const char *method, json_t *params,
		    json_t *ctx, json_t **result, struct zfault *f);

/* [api] into `c'; 0, or ZE_CONFIG with `err' set. */
int		 zapi_conf_load(struct zapi_conf *c, const struct zcfg *cfg,
		    char *err, size_t errlen);

/*
 * Find the route of `method' `path'.  0 with `m' filled in, or ZE_FAULT:
 * 404 not_found, 405 method_not_allowed (m->allow set), 400
 * invalid_uuid.  HEAD is routed as GET.
 */
int		 zapi_route(const char *method, const char *path,
		    struct zapi_match *m, struct zfault *f);
const struct zapi_route *zapi_routes(size_t *n);


/*
 * Parse a raw query string into {"key":"value",...} with %XX and '+'
 * decoded.  0, or ZE_FAULT 400 bad_request when a key comes twice.
 */
int		 zapi_query_parse(const char *qs, json_t **out,
		    struct zfault *f);
/* The raw query with marker=<id> replaced or appended; malloc'd. */
char		*zapi_query_marker(const char *qs, const char *marker);

/* Case-insensitive header lookup; NULL when absent. */
const char	*zapi_header(const struct zapi_request *, const char *name);

/*
 * The RPC context (zrpc.h) from headers and query (noauth).  Removes
 * all_projects, all_tenants and edit_managed_records from `query' (may
 * be NULL).  0 with *ctx new, or ZE_FAULT 400 bad_request for a bad
 * boolean.
 */
int		 zapi_context(const struct zapi_request *, json_t *query,
		    const char *request_id, json_t **ctx, struct zfault *f);

/* scheme://host[:port] or api_base_uri; 0 or -ENOBUFS. */
int		 zapi_base(const struct zapi_conf *,
		    const struct zapi_request *, char *buf, size_t len);

/* Check Content-Type and parse the body: 0 with *body new, or ZE_FAULT
 * 415 / 400 empty_request_body / invalid_json / invalid_object. */
int		 zapi_body(const struct zapi_request *, json_t **body,
		    struct zfault *f);

/* Add "links":{"self":...} to a zone or recordset; 0 or ZE_BADMSG. */
int		 zapi_link_zone(json_t *zone, const char *base);
int		 zapi_link_rrset(json_t *rrset, const char *base);

/* Put `base' in front of every relative ("/...") link of obj.links. */
int		 zapi_link_rel(json_t *obj, const char *base);

/*
 * Add links to a zone import (imports != 0) or export: self, and "zone"
 * once an import has its zone, "export" once an export is COMPLETE.
 */
int		 zapi_link_task(json_t *task, const char *base, int imports);

/* Check Content-Type (text/dns, or application/json with "zonefile")
 * and read a zone file body: 0 with *body = {"zonefile": text} new, or
 * ZE_FAULT 415 / 400 empty_request_body / invalid_json / bad_request. */
int		 zapi_text_body(const struct zapi_request *, json_t **body,
		    struct zfault *f);

/* Add "links":{"self":"<base>/v2/<coll>/<id>"} to an admin object. */
int		 zapi_link_obj(json_t *obj, const char *base, const char *coll);

/*
 * Render central's list result {"items","total_count","limit"} as
 * {"<name>":[...],"links":{...},"metadata":{...}}; NULL when malformed.
 * Items of kind ZAPI_OBJ link to <base><path>/<id>.
 */
json_t		*zapi_render_list(json_t *result, const char *name,
		    enum zapi_kind item, const char *base, const char *path,
		    const char *query);
/* The version document of GET /. */
json_t		*zapi_versions(const char *base);
/* The success status of `r' for `result'. */
int		 zapi_status(const struct zapi_route *r, json_t *result);

/* A fresh "req-<uuid4>". */
void		 zapi_request_id(char buf[ZAPI_REQIDLEN]);

/*
 * Answer one request: route, check, call central once through `rpc',
 * render.  Always fills `res' (release it with zapi_response_release).
 */
void		 zapi_handle(const struct zapi_conf *,
		    const struct zapi_request *, zapi_rpc_fn rpc, void *arg,
		    struct zapi_response *res);
/* Status line, headers and body in one malloc'd buffer. */
char		*zapi_response_wire(const struct zapi_response *,
		    size_t *len);
void		 zapi_response_release(struct zapi_response *);
const char	*zapi_reason(int status);

#endif
