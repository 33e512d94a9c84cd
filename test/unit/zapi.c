#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "zapi.h"
#include "zuuid.h"
#include "zerr.h"

#define ZID	"1895b53b-5a0b-4493-b581-d6571e273724"
#define RID	"93236183-92c6-4d32-b468-4b535fe52fa9"
#define BASE	"http://127.0.0.1:9001"

static const struct zapi_conf conf = { BASE, 0, 0, 1000 };

/* The last call the fake central saw, and what it answers. */
static char	 last_method[64];
static json_t	*last_params, *last_ctx, *answer;
static int	 answer_fault;

static int
fake_rpc(void *arg, const char *method, json_t *params, json_t *ctx,
    json_t **result, struct zfault *f)
{
	(void)arg;
	strlcpy(last_method, method, sizeof(last_method));
	json_decref(last_params);
	json_decref(last_ctx);
	last_params = json_deep_copy(params);
	last_ctx = json_deep_copy(ctx);
	*result = NULL;
	if (answer_fault)
		return zfault_set(f, 404, "zone_not_found",
		    "Could not find Zone");
	*result = json_incref(answer);
	return 0;
}

static int
reset(void **state)
{
	(void)state;
	last_method[0] = '\0';
	json_decref(last_params);
	json_decref(last_ctx);
	json_decref(answer);
	last_params = last_ctx = answer = NULL;
	answer_fault = 0;
	return 0;
}

static json_t *
body_of(const struct zapi_response *res)
{
	json_t	*j;

	j = json_loadb(res->body, res->body_len, 0, NULL);
	assert_non_null(j);
	return j;
}

static const char *
link_self(json_t *o)
{
	const char	*s;

	s = json_string_value(json_object_get(json_object_get(o, "links"),
	    "self"));
	assert_non_null(s);
	return s;
}

static void
route_every_table_entry(void **state)
{
	struct zapi_match	 m;
	struct zfault		 f = ZFAULT_INIT;
	const struct zapi_route	*r;
	char			 path[256], *p;
	size_t			 i, n;
	int			 k;

	(void)state;
	r = zapi_routes(&n);
	for (i = 0; i < n; i++) {
		strlcpy(path, r[i].pattern, sizeof(path));
		while ((p = strchr(path, '{')) != NULL) {
			char rest[256];

			strlcpy(rest, strchr(p, '}') + 1, sizeof(rest));
			/* a floating IP is <region>:<uuid> */
			k = strncmp(p, "{fip_key}", 9) == 0;
			*p = '\0';
			if (k)
				strlcat(path, "RegionOne:", sizeof(path));
			strlcat(path, ZID, sizeof(path));
			strlcat(path, rest, sizeof(path));
		}
		assert_int_equal(zapi_route(r[i].method, path, &m, &f), 0);
		assert_ptr_equal(m.route, &r[i]);
	}
}

static void
route_fip_keys(void **state)
{
	struct zapi_match	 m;
	struct zfault		 f = ZFAULT_INIT;
	char			 path[512], region[128];

	(void)state;
	assert_int_equal(zapi_route("GET",
	    "/v2/reverse/floatingips/RegionOne:" ZID, &m, &f), 0);
	assert_string_equal(m.fip, "RegionOne:" ZID);
	assert_int_equal(zapi_route("PATCH",
	    "/v2/reverse/floatingips/r.1-_x:" ZID, &m, &f), 0);
	assert_int_equal(zapi_route("GET", "/v2/reverse/floatingips/" ZID,
	    &m, &f), ZE_FAULT);
	assert_int_equal(f.status, 400);
	assert_string_equal(f.type, "invalid_object");
	zfault_release(&f);
	assert_int_equal(zapi_route("GET",
	    "/v2/reverse/floatingips/RegionOne:abc", &m, &f), ZE_FAULT);
	assert_int_equal(f.status, 400);
	zfault_release(&f);
	assert_int_equal(zapi_route("GET",
	    "/v2/reverse/floatingips/Region$One:" ZID, &m, &f), ZE_FAULT);
	assert_int_equal(f.status, 400);
	zfault_release(&f);
	memset(region, 'r', 101);
	region[101] = '\0';
	snprintf(path, sizeof(path), "/v2/reverse/floatingips/%s:%s", region,
	    ZID);
	assert_int_equal(zapi_route("GET", path, &m, &f), ZE_FAULT);
	assert_int_equal(f.status, 400);
	zfault_release(&f);
	region[100] = '\0';
	snprintf(path, sizeof(path), "/v2/reverse/floatingips/%s:%s", region,
	    ZID);
	assert_int_equal(zapi_route("GET", path, &m, &f), 0);
	assert_int_equal(zapi_route("DELETE",
	    "/v2/reverse/floatingips/RegionOne:" ZID, &m, &f), ZE_FAULT);
	assert_int_equal(f.status, 405);
	zfault_release(&f);
}

static void
route_ids_and_trailing_slash(void **state)
{
	struct zapi_match	m;
	struct zfault		f = ZFAULT_INIT;

	(void)state;
	assert_int_equal(zapi_route("GET", "/v2/zones/" ZID "/recordsets/"
	    RID "/", &m, &f), 0);
	assert_string_equal(m.route->rpc, "recordset.get");
	assert_string_equal(m.zone_id, ZID);
	assert_string_equal(m.recordset_id, RID);
	assert_string_equal(m.path, "/v2/zones/" ZID "/recordsets/" RID);

	assert_int_equal(zapi_route("GET", "/v2/zones/", &m, &f), 0);
	assert_string_equal(m.route->rpc, "zone.list");
	assert_string_equal(m.path, "/v2/zones");

	assert_int_equal(zapi_route("GET", "/v2/zones/1895B53B-5A0B-4493-"
	    "B581-D6571E273724", &m, &f), 0);
	assert_string_equal(m.zone_id, ZID);

	assert_int_equal(zapi_route("HEAD", "/healthcheck", &m, &f), 0);
	assert_int_equal(m.route->kind, ZAPI_HEALTH);

	assert_int_equal(zapi_route("GET", "/v2/quotas/some-project", &m, &f),
	    0);
	assert_true(m.has_project);
	assert_string_equal(m.project_id, "some-project");
	assert_int_equal(zapi_route("GET", "/v2/quotas", &m, &f), 0);
	assert_false(m.has_project);
}

static void
route_shares_and_tasks(void **state)
{
	struct zapi_match	m;
	struct zfault		f = ZFAULT_INIT;
	json_t			*o;

	(void)state;
	assert_int_equal(zapi_route("DELETE", "/v2/zones/" ZID "/shares/" RID,
	    &m, &f), 0);
	assert_string_equal(m.route->rpc, "share.delete");
	assert_string_equal(m.zone_id, ZID);
	assert_string_equal(m.obj_id, RID);
	assert_int_equal(zapi_route("GET", "/v2/zones/tasks/transfer_requests/"
	    RID, &m, &f), 0);
	assert_string_equal(m.route->rpc, "transfer_request.get");
	assert_string_equal(m.obj_id, RID);
	assert_int_equal(zapi_route("POST", "/v2/zones/" ZID
	    "/tasks/transfer_requests", &m, &f), 0);
	assert_string_equal(m.route->rpc, "transfer_request.create");
	assert_true(m.route->flags & ZAPI_F_OPTBODY);
	assert_int_equal(zapi_route("POST", "/v2/zones/" ZID "/tasks/abandon",
	    &m, &f), 0);
	assert_int_equal(m.route->status, 204);
	assert_int_equal(zapi_route("GET", "/v2/zones/" ZID "/tasks/abandon",
	    &m, &f), ZE_FAULT);
	assert_int_equal(f.status, 405);
	zfault_release(&f);
	assert_int_equal(zapi_route("GET", "/v2/service_status/" RID, &m, &f),
	    0);
	assert_string_equal(m.route->rpc, "service_status.get");

	o = json_pack("{s:{s:s,s:s,s:i}}", "links", "self", "/v2/x/1",
	    "zone", "http://other/v2/zones/1", "n", 1);
	assert_int_equal(zapi_link_rel(o, "http://h:1"), 0);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(o, "links"), "self")), "http://h:1/v2/x/1");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(o, "links"), "zone")), "http://other/v2/zones/1");
	json_decref(o);
}

static void
route_errors(void **state)
{
	struct zapi_match	m;
	struct zfault		f = ZFAULT_INIT;

	(void)state;
	assert_int_equal(zapi_route("GET", "/v2/zones.json", &m, &f),
	    ZE_FAULT);
	assert_int_equal(f.status, 404);
	assert_string_equal(f.type, "not_found");
	assert_string_equal(f.message, "resource not found");

	assert_int_equal(zapi_route("GET", "/v2/zones/" ZID ".json", &m, &f),
	    ZE_FAULT);
	assert_int_equal(f.status, 404);
	assert_int_equal(zapi_route("GET", "/v2/bogus", &m, &f), ZE_FAULT);
	assert_int_equal(f.status, 404);
	assert_int_equal(zapi_route("GET", "/v2//zones", &m, &f), ZE_FAULT);
	assert_int_equal(f.status, 404);

	assert_int_equal(zapi_route("GET", "/v2/zones/not-a-uuid", &m, &f),
	    ZE_FAULT);
	assert_int_equal(f.status, 400);
	assert_string_equal(f.type, "invalid_uuid");
	assert_string_equal(f.message, "Invalid UUID zone_id: not-a-uuid");

	assert_int_equal(zapi_route("DELETE", "/v2/zones/" ZID
	    "/recordsets/x", &m, &f), ZE_FAULT);
	assert_string_equal(f.message, "Invalid UUID recordset_id: x");

	assert_int_equal(zapi_route("PUT", "/v2/zones/" ZID, &m, &f),
	    ZE_FAULT);
	assert_int_equal(f.status, 405);
	assert_string_equal(f.type, "method_not_allowed");
	assert_string_equal(m.allow, "GET, PATCH, DELETE");

	assert_int_equal(zapi_route("GET", "/v2/zones/" ZID "/bogus", &m, &f),
	    ZE_FAULT);
	assert_int_equal(f.status, 404);
	assert_int_equal(zapi_route("POST", "/v2/zones/" ZID "/bogus", &m,
	    &f), ZE_FAULT);
	assert_int_equal(f.status, 405);
	zfault_release(&f);
}

static void
query_parse_decodes_and_refuses_duplicates(void **state)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*q;

	(void)state;
	assert_int_equal(zapi_query_parse("name=a%2Ab.&limit=2&x&&desc=a+b",
	    &q, &f), 0);
	assert_int_equal(json_object_size(q), 4);
	assert_string_equal(json_string_value(json_object_get(q, "name")),
	    "a*b.");
	assert_string_equal(json_string_value(json_object_get(q, "x")), "");
	assert_string_equal(json_string_value(json_object_get(q, "desc")),
	    "a b");
	json_decref(q);

	assert_int_equal(zapi_query_parse(NULL, &q, &f), 0);
	assert_int_equal(json_object_size(q), 0);
	json_decref(q);

	assert_int_equal(zapi_query_parse("name=a&name=b", &q, &f), ZE_FAULT);
	assert_null(q);
	assert_int_equal(f.status, 400);
	assert_string_equal(f.type, "bad_request");
	assert_int_equal(zapi_query_parse("a=%00", &q, &f), ZE_FAULT);
	zfault_release(&f);
}

static void
query_marker_is_replaced_or_added(void **state)
{
	char	*s;

	(void)state;
	s = zapi_query_marker("limit=2&marker=old&x=1", "new");
	assert_string_equal(s, "limit=2&marker=new&x=1");
	free(s);
	s = zapi_query_marker("limit=2", "a b");
	assert_string_equal(s, "limit=2&marker=a%20b");
	free(s);
	s = zapi_query_marker(NULL, ZID);
	assert_string_equal(s, "marker=" ZID);
	free(s);
}

static void
context_defaults(void **state)
{
	struct zapi_request	 r;
	struct zfault		 f = ZFAULT_INIT;
	json_t			*ctx, *want;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(zapi_context(&r, NULL, "req-1", &ctx, &f), 0);
	want = json_pack("{s:s,s:s,s:[s],s:b,s:n,s:b,s:b,s:s}",
	    "project_id", "noauth-project", "user_id", "noauth-user",
	    "roles", "admin", "all_projects", 0, "sudo_project_id",
	    "edit_managed", 0, "hide_counts", 0, "request_id", "req-1");
	assert_true(json_equal(ctx, want));
	json_decref(ctx);
	json_decref(want);
}

static void
context_from_headers_and_query(void **state)
{
	static const struct zapi_header h[] = {
		{ "x-auth-project-id", "p1" },
		{ "X-Auth-User-ID", "u1" },
		{ "X-Roles", " member , reader,," },
		{ "X-Auth-Sudo-Tenant-ID", "p2" },
		{ "OpenStack-DNS-Hide-Counts", "Yes" },
	};
	struct zapi_request	 r;
	struct zfault		 f = ZFAULT_INIT;
	json_t			*ctx, *q, *want;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.hdrs = h;
	r.nhdrs = 5;
	assert_int_equal(zapi_query_parse("all_tenants=on&name=x&"
	    "edit_managed_records=1", &q, &f), 0);
	assert_int_equal(zapi_context(&r, q, "req-2", &ctx, &f), 0);
	want = json_pack("{s:s,s:s,s:[s,s],s:b,s:s,s:b,s:b,s:s}",
	    "project_id", "p1", "user_id", "u1", "roles", "member", "reader",
	    "all_projects", 1, "sudo_project_id", "p2", "edit_managed", 1,
	    "hide_counts", 1, "request_id", "req-2");
	assert_true(json_equal(ctx, want));
	/* The special keys are gone, the filter stays. */
	assert_int_equal(json_object_size(q), 1);
	assert_non_null(json_object_get(q, "name"));
	json_decref(ctx);
	json_decref(want);
	json_decref(q);
}

static void
context_bad_boolean(void **state)
{
	static const struct zapi_header h[] = {
		{ "X-Auth-All-Projects", "maybe" },
	};
	struct zapi_request	 r;
	struct zfault		 f = ZFAULT_INIT;
	json_t			*ctx, *q;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.hdrs = h;
	r.nhdrs = 1;
	assert_int_equal(zapi_context(&r, NULL, "req-3", &ctx, &f), ZE_FAULT);
	assert_int_equal(f.status, 400);
	assert_string_equal(f.type, "bad_request");
	assert_null(ctx);

	r.nhdrs = 0;
	assert_int_equal(zapi_query_parse("all_projects=2", &q, &f), 0);
	assert_int_equal(zapi_context(&r, q, "req-3", &ctx, &f), ZE_FAULT);
	json_decref(q);
	zfault_release(&f);
}

static void
base_url(void **state)
{
	static const struct zapi_header h[] = {
		{ "Host", "dns.example:8080" },
		{ "X-Forwarded-Host", "api.example, inner" },
		{ "X-Forwarded-Proto", "HTTPS" },
	};
	struct zapi_conf	c = conf;
	struct zapi_request	r;
	char			buf[ZAPI_BASEMAX];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.hdrs = h;
	r.nhdrs = 3;
	assert_int_equal(zapi_base(&c, &r, buf, sizeof(buf)), 0);
	assert_string_equal(buf, BASE);
	c.host_header = 1;
	assert_int_equal(zapi_base(&c, &r, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "http://dns.example:8080");
	c.proxy_headers = 1;
	assert_int_equal(zapi_base(&c, &r, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "https://api.example");
	r.nhdrs = 0;
	assert_int_equal(zapi_base(&c, &r, buf, sizeof(buf)), 0);
	assert_string_equal(buf, BASE);
}

static void
base_url_refuses_odd_hosts(void **state)
{
	static const struct zapi_header h[] = {
		{ "Host", "evil/x y" },
	};
	struct zapi_conf	c = conf;
	struct zapi_request	r;
	char			buf[ZAPI_BASEMAX];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.hdrs = h;
	r.nhdrs = 1;
	c.host_header = 1;
	assert_int_equal(zapi_base(&c, &r, buf, sizeof(buf)), 0);
	assert_string_equal(buf, BASE);
}

static void
body_checks(void **state)
{
	struct zapi_header	 h[] = { { "Content-Type", "text/plain" } };
	struct zapi_request	 r;
	struct zfault		 f = ZFAULT_INIT;
	json_t			*b;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.hdrs = h;
	r.nhdrs = 1;
	r.body = "{}";
	r.body_len = 2;
	assert_int_equal(zapi_body(&r, &b, &f), ZE_FAULT);
	assert_int_equal(f.status, 415);
	assert_string_equal(f.type, "unsupported_content_type");
	r.nhdrs = 0;
	assert_int_equal(zapi_body(&r, &b, &f), ZE_FAULT);
	assert_int_equal(f.status, 415);

	h[0].value = "Application/JSON; charset=UTF-8";
	r.nhdrs = 1;
	assert_int_equal(zapi_body(&r, &b, &f), 0);
	assert_true(json_is_object(b));
	json_decref(b);

	r.body_len = 0;
	assert_int_equal(zapi_body(&r, &b, &f), ZE_FAULT);
	assert_string_equal(f.type, "empty_request_body");

	r.body = "{\"name\":";
	r.body_len = strlen(r.body);
	assert_int_equal(zapi_body(&r, &b, &f), ZE_FAULT);
	assert_int_equal(f.status, 400);
	assert_string_equal(f.type, "invalid_json");

	r.body = "[1]";
	r.body_len = 3;
	assert_int_equal(zapi_body(&r, &b, &f), ZE_FAULT);
	assert_string_equal(f.type, "invalid_object");
	zfault_release(&f);
}

static void
list_with_next_link(void **state)
{
	json_t	*res, *out;

	(void)state;
	res = json_pack("{s:[{s:s},{s:s}],s:i,s:i}", "items", "id", "a",
	    "id", ZID, "total_count", 4, "limit", 2);
	out = zapi_render_list(res, "zones", ZAPI_ZONE, BASE, "/v2/zones",
	    "limit=2&marker=x");
	assert_non_null(out);
	assert_string_equal(link_self(json_array_get(json_object_get(out,
	    "zones"), 1)), BASE "/v2/zones/" ZID);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    out, "links"), "self")), BASE "/v2/zones?limit=2&marker=x");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    out, "links"), "next")), BASE "/v2/zones?limit=2&marker=" ZID);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    out, "metadata"), "total_count")), 4);
	json_decref(out);
	json_decref(res);
}

static void
list_without_next_link(void **state)
{
	json_t	*res, *out, *links;

	(void)state;
	res = json_pack("{s:[{s:s,s:s}],s:n,s:i}", "items", "id", RID,
	    "zone_id", ZID, "total_count", "limit", 20);
	out = zapi_render_list(res, "recordsets", ZAPI_RRSET, BASE,
	    "/v2/recordsets", "");
	assert_non_null(out);
	links = json_object_get(out, "links");
	assert_string_equal(json_string_value(json_object_get(links, "self")),
	    BASE "/v2/recordsets");
	assert_null(json_object_get(links, "next"));
	assert_int_equal(json_object_size(json_object_get(out, "metadata")),
	    0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(out, "recordsets"), 0), "links"),
	    "self")), BASE "/v2/zones/" ZID "/recordsets/" RID);
	json_decref(out);
	json_decref(res);

	res = json_pack("{s:s}", "items", "nope");
	assert_null(zapi_render_list(res, "zones", ZAPI_ZONE, BASE,
	    "/v2/zones", NULL));
	json_decref(res);
}

static void
status_choice(void **state)
{
	struct zapi_match	 m;
	struct zfault		 f = ZFAULT_INIT;
	json_t			*pend, *act;

	(void)state;
	pend = json_pack("{s:s}", "status", "PENDING");
	act = json_pack("{s:s}", "status", "ACTIVE");
	zapi_route("POST", "/v2/zones/" ZID "/recordsets", &m, &f);
	assert_int_equal(zapi_status(m.route, pend), 202);
	assert_int_equal(zapi_status(m.route, act), 201);
	zapi_route("PATCH", "/v2/zones/" ZID, &m, &f);
	assert_int_equal(zapi_status(m.route, pend), 202);
	assert_int_equal(zapi_status(m.route, act), 200);
	zapi_route("POST", "/v2/zones", &m, &f);
	assert_int_equal(zapi_status(m.route, act), 202);
	zapi_route("DELETE", "/v2/zones/" ZID "/recordsets/" RID, &m, &f);
	assert_int_equal(zapi_status(m.route, act), 202);
	zapi_route("GET", "/v2/recordsets/" RID, &m, &f);
	assert_int_equal(zapi_status(m.route, act), 301);
	json_decref(pend);
	json_decref(act);
}

static void
request_id_is_uuid4(void **state)
{
	char	a[ZAPI_REQIDLEN], b[ZAPI_REQIDLEN];

	(void)state;
	zapi_request_id(a);
	zapi_request_id(b);
	assert_int_equal(strncmp(a, "req-", 4), 0);
	assert_true(zuuid_valid(a + 4));
	assert_int_equal(a[4 + 14], '4');
	assert_non_null(strchr("89ab", a[4 + 19]));
	assert_string_not_equal(a, b);
}

static void
handle_zone_create(void **state)
{
	static const struct zapi_header h[] = {
		{ "Content-Type", "application/json" },
	};
	struct zapi_request	 r;
	struct zapi_response	 res;
	json_t			*out;
	char			*wire;
	size_t			 len;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.path = "/v2/zones";
	r.hdrs = h;
	r.nhdrs = 1;
	r.body = "{\"name\":\"example.org.\"}";
	r.body_len = strlen(r.body);
	answer = json_pack("{s:s,s:s}", "id", ZID, "status", "PENDING");
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 202);
	assert_string_equal(last_method, "zone.create");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    last_params, "body"), "name")), "example.org.");
	assert_string_equal(json_string_value(json_object_get(last_ctx,
	    "request_id")), res.request_id);
	assert_string_equal(res.location, BASE "/v2/zones/" ZID);
	out = body_of(&res);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    out, "links"), "self")), BASE "/v2/zones/" ZID);
	json_decref(out);

	wire = zapi_response_wire(&res, &len);
	assert_non_null(wire);
	assert_int_equal(strncmp(wire, "HTTP/1.1 202 Accepted\r\n", 23), 0);
	assert_non_null(strstr(wire, "\r\nLocation: " BASE "/v2/zones/" ZID
	    "\r\n"));
	assert_non_null(strstr(wire, "\r\nX-Openstack-Request-Id: req-"));
	assert_non_null(strstr(wire, "\r\nContent-Type: application/json\r\n"));
	assert_int_equal(memcmp(wire + len - res.body_len, res.body,
	    res.body_len), 0);
	free(wire);
	zapi_response_release(&res);
}

static void
handle_fault_and_query(void **state)
{
	struct zapi_request	 r;
	struct zapi_response	 res;
	json_t			*out;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.path = "/v2/zones/" ZID "/recordsets";
	r.query = "name=www.*&all_projects=1";
	answer_fault = 1;
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 404);
	assert_string_equal(last_method, "recordset.list");
	assert_string_equal(json_string_value(json_object_get(last_params,
	    "zone_id")), ZID);
	assert_int_equal(json_object_size(json_object_get(last_params,
	    "query")), 1);
	assert_true(json_is_true(json_object_get(last_ctx, "all_projects")));
	out = body_of(&res);
	assert_int_equal(json_integer_value(json_object_get(out, "code")),
	    404);
	assert_string_equal(json_string_value(json_object_get(out, "type")),
	    "zone_not_found");
	assert_string_equal(json_string_value(json_object_get(out,
	    "request_id")), res.request_id);
	json_decref(out);
	zapi_response_release(&res);
}

static void
handle_local_and_early_errors(void **state)
{
	struct zapi_request	 r;
	struct zapi_response	 res;
	json_t			*out;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.path = "/healthcheck";
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.ctype, "text/plain");
	assert_int_equal(res.body_len, 2);
	assert_false(res.rpc_done);
	zapi_response_release(&res);

	r.path = "/";
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	out = body_of(&res);
	/* v2 SUPPORTED, then v2.0 CURRENT: tempest wants v2.0 last */
	assert_int_equal(json_array_size(json_object_get(out, "versions")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(out, "versions"), 0), "status")), "SUPPORTED");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(out, "versions"), 1), "id")), "v2.0");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(out, "versions"), 1), "status")), "CURRENT");
	json_decref(out);
	zapi_response_release(&res);

	r.path = "/v2/zones.json";
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 404);
	assert_false(res.rpc_done);
	zapi_response_release(&res);

	r.method = "POST";
	r.path = "/v2/zones/" ZID;
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 405);
	assert_string_equal(res.allow, "GET, PATCH, DELETE");
	zapi_response_release(&res);

	r.path = "/v2/zones";
	r.too_large = 1;
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 413);
	assert_string_equal(res.fault_type, "request_too_large");
	assert_true(res.close);
	assert_false(res.rpc_done);
	zapi_response_release(&res);

	r.too_large = 0;
	r.query = "a=1&a=2";
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 400);
	assert_false(res.rpc_done);
	zapi_response_release(&res);
}

static void
handle_redirect_and_malformed(void **state)
{
	struct zapi_request	 r;
	struct zapi_response	 res;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.path = "/v2/recordsets/" RID;
	answer = json_pack("{s:s,s:s}", "id", RID, "zone_id", ZID);
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 301);
	assert_string_equal(res.location, BASE "/v2/zones/" ZID
	    "/recordsets/" RID);
	zapi_response_release(&res);

	json_decref(answer);
	answer = json_pack("{s:s}", "name", "no id");
	r.path = "/v2/zones/" ZID;
	zapi_handle(&conf, &r, fake_rpc, NULL, &res);
	assert_int_equal(res.status, 500);
	assert_string_equal(res.fault_type, "unknown");
	zapi_response_release(&res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(route_every_table_entry),
		cmocka_unit_test(route_fip_keys),
		cmocka_unit_test(route_ids_and_trailing_slash),
		cmocka_unit_test(route_shares_and_tasks),
		cmocka_unit_test(route_errors),
		cmocka_unit_test(query_parse_decodes_and_refuses_duplicates),
		cmocka_unit_test(query_marker_is_replaced_or_added),
		cmocka_unit_test(context_defaults),
		cmocka_unit_test(context_from_headers_and_query),
		cmocka_unit_test(context_bad_boolean),
		cmocka_unit_test(base_url),
		cmocka_unit_test(base_url_refuses_odd_hosts),
		cmocka_unit_test(body_checks),
		cmocka_unit_test(list_with_next_link),
		cmocka_unit_test(list_without_next_link),
		cmocka_unit_test(status_choice),
		cmocka_unit_test(request_id_is_uuid4),
		cmocka_unit_test_setup_teardown(handle_zone_create, reset,
		    reset),
		cmocka_unit_test_setup_teardown(handle_fault_and_query, reset,
		    reset),
		cmocka_unit_test_setup_teardown(handle_local_and_early_errors,
		    reset, reset),
		cmocka_unit_test_setup_teardown(handle_redirect_and_malformed,
		    reset, reset),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("zapi", tests, NULL, NULL);
}
