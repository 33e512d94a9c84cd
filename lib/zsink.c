#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "zerr.h"
#include "zfault.h"
#include "zrpc.h"
#include "zsink.h"
#include "zuuid.h"
#include "zvalid.h"

static const char *const zsink_names[ZSINK_NKINDS] = {
	"nova_fixed",
	"neutron_floatingip",
};

/* event type -> handler and what it does */
enum zsink_act { ZA_NOVA_SET, ZA_NOVA_UNSET, ZA_FIP_UPDATE, ZA_FIP_UNSET };

static const struct {
	const char	*event_type;
	int		 kind;
	enum zsink_act	 act;
} zsink_events[] = {
	{ "compute.instance.create.end", ZSINK_NOVA_FIXED, ZA_NOVA_SET },
	{ "compute.instance.delete.start", ZSINK_NOVA_FIXED, ZA_NOVA_UNSET },
	{ "floatingip.update.end", ZSINK_NEUTRON_FLOATINGIP, ZA_FIP_UPDATE },
	{ "floatingip.delete.start", ZSINK_NEUTRON_FLOATINGIP, ZA_FIP_UNSET },
	{ "floatingip.delete.end", ZSINK_NEUTRON_FLOATINGIP, ZA_FIP_UNSET },
};
#define NEVENTS	(sizeof(zsink_events) / sizeof(zsink_events[0]))

/* A string member, or NULL. */
static const char *
zsink_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* --- configuration --- */

/* Split `s' at any of `sep' into malloc'd words; ZE_CONFIG past max. */
static int
zsink_split(const char *s, const char *sep, char **words, int max, int *n)
{
	char	*copy, *p, *save = NULL;
	int	 rc = 0;

	*n = 0;
	if ((copy = strdup(s)) == NULL)
		return -ENOMEM;
	for (p = strtok_r(copy, sep, &save); p != NULL;
	    p = strtok_r(NULL, sep, &save)) {
		if (*n == max) {
			rc = ZE_CONFIG;
			break;
		}
		if ((words[*n] = strdup(p)) == NULL) {
			rc = -ENOMEM;
			break;
		}
		(*n)++;
	}
	free(copy);
	return rc;
}

/* Comma-separated formats, each trimmed and checked. */
static int
zsink_formats(struct zsink_handler *h, int v6, const char *key,
    const char *val, char *err, size_t errlen)
{
	char	 ferr[128], *f, *e;
	int	 i, rc;

	rc = zsink_split(val, ",", h->fmt[v6], ZSINK_MAXFMT, &h->nfmt[v6]);
	if (rc == ZE_CONFIG)
		snprintf(err, errlen, "sink.%s: more than %d formats", key,
		    ZSINK_MAXFMT);
	if (rc < 0)
		return rc;
	for (i = 0; i < h->nfmt[v6]; i++) {
		for (f = h->fmt[v6][i]; *f == ' ' || *f == '\t'; f++)
			;
		memmove(h->fmt[v6][i], f, strlen(f) + 1);
		f = h->fmt[v6][i];
		for (e = f + strlen(f); e > f && (e[-1] == ' ' ||
		    e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (*f == '\0' || zsink_format_check(f, ferr,
		    sizeof(ferr)) < 0) {
			snprintf(err, errlen, "sink.%s: %s", key, *f == '\0' ?
			    "empty format" : ferr);
			return ZE_CONFIG;
		}
	}
	return 0;
}

int
zsink_conf_load(struct zsink_conf *c, const struct zcfg *cfg, char *err,
    size_t errlen)
{
	struct zsink_handler	*h;
	char			*words[8], key[64];
	const char		*v;
	int			 i, k, n, rc;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < ZSINK_NKINDS; k++)
		c->h[k].name = zsink_names[k];
	rc = zsink_split(zcfg_get(cfg, "sink", "handlers"), " ,\t", words, 8,
	    &n);
	if (rc == ZE_CONFIG)
		snprintf(err, errlen, "sink.handlers: too many handlers");
	for (i = 0; i < n; i++) {
		if ((k = zsink_route_name(words[i])) >= 0)
			c->h[k].enabled = 1;
		else if (rc == 0) {
			snprintf(err, errlen, "sink.handlers: unknown handler "
			    "'%s'", words[i]);
			rc = ZE_CONFIG;
		}
		free(words[i]);
	}
	if (rc < 0)
		goto out;
	for (k = 0; k < ZSINK_NKINDS; k++) {
		h = &c->h[k];
		snprintf(key, sizeof(key), "%s_zone_id", h->name);
		v = zcfg_get(cfg, "sink", key);
		if (*v != '\0' && !zuuid_valid(v)) {
			snprintf(err, errlen, "sink.%s: '%s' is not a zone id",
			    key, v);
			rc = ZE_CONFIG;
			goto out;
		}
		strlcpy(h->zone_id, v, sizeof(h->zone_id));
		snprintf(key, sizeof(key), "%s_formatv4", h->name);
		if ((rc = zsink_formats(h, 0, key, zcfg_get(cfg, "sink", key),
		    err, errlen)) < 0)
			goto out;
		snprintf(key, sizeof(key), "%s_formatv6", h->name);
		if ((rc = zsink_formats(h, 1, key, zcfg_get(cfg, "sink", key),
		    err, errlen)) < 0)
			goto out;
	}
	c->ttl = zcfg_int(cfg, "sink", "ttl");
	if (c->ttl < 0 || c->ttl > 2147483647) {
		snprintf(err, errlen, "sink.ttl: must be 0..2147483647");
		rc = ZE_CONFIG;
		goto out;
	}
	rc = zsink_split(zcfg_get(cfg, "sink", "subjects"), " ,\t",
	    c->subjects, 16, &c->nsubjects);
	if (rc == ZE_CONFIG)
		snprintf(err, errlen, "sink.subjects: more than 16 subjects");
	if (rc < 0)
		goto out;
	if (c->nsubjects == 0) {
		snprintf(err, errlen, "sink.subjects: no subject");
		rc = ZE_CONFIG;
		goto out;
	}
	v = zcfg_get(cfg, "sink", "queue");
	if (strlcpy(c->queue, v, sizeof(c->queue)) >= sizeof(c->queue) ||
	    strpbrk(v, " \t\r\n") != NULL) {
		snprintf(err, errlen, "sink.queue: not a queue group name");
		rc = ZE_CONFIG;
	}
out:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	return rc;
}

void
zsink_conf_release(struct zsink_conf *c)
{
	int	i, j, k;

	for (k = 0; k < ZSINK_NKINDS; k++)
		for (j = 0; j < 2; j++)
			for (i = 0; i < c->h[k].nfmt[j]; i++)
				free(c->h[k].fmt[j][i]);
	for (i = 0; i < c->nsubjects; i++)
		free(c->subjects[i]);
	memset(c, 0, sizeof(*c));
}

/* --- pure steps --- */

int
zsink_event_parse(const char *data, size_t len, json_t **ev, char *err,
    size_t errlen)
{
	json_error_t	 jerr;
	json_t		*j, *inner;
	const char	*s, *et;

	*ev = NULL;
	if ((j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		snprintf(err, errlen, "not JSON: %s", jerr.text);
		return ZE_BADMSG;
	}
	if (!json_is_object(j)) {
		snprintf(err, errlen, "not a JSON object");
		goto bad;
	}
	/* oslo messaging 2.0 wraps the notification in a string */
	if ((s = zsink_str(j, "oslo.message")) != NULL) {
		inner = json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
		if (inner == NULL || !json_is_object(inner)) {
			snprintf(err, errlen, "oslo.message is not a JSON "
			    "object");
			json_decref(inner);
			goto bad;
		}
		json_decref(j);
		j = inner;
	} else if (json_object_get(j, "oslo.message") != NULL) {
		snprintf(err, errlen, "oslo.message is not a string");
		goto bad;
	}
	if ((et = zsink_str(j, "event_type")) == NULL || *et == '\0') {
		snprintf(err, errlen, "no event_type");
		goto bad;
	}
	if (!json_is_object(json_object_get(j, "payload"))) {
		snprintf(err, errlen, "payload is not an object");
		goto bad;
	}
	*ev = j;
	return 0;
bad:
	json_decref(j);
	return ZE_BADMSG;
}

static int
zsink_event(const char *event_type)
{
	size_t	i;

	if (event_type == NULL)
		return -1;
	for (i = 0; i < NEVENTS; i++)
		if (strcmp(zsink_events[i].event_type, event_type) == 0)
			return (int)i;
	return -1;
}

int
zsink_route(const char *event_type)
{
	int	i = zsink_event(event_type);

	return i < 0 ? -1 : zsink_events[i].kind;
}

int
zsink_route_name(const char *handler)
{
	int	k;

	for (k = 0; k < ZSINK_NKINDS; k++)
		if (strcmp(handler, zsink_names[k]) == 0)
			return k;
	return -1;
}

/*
 * Walk a format: literal runs and "%(key)s" conversions.  With data ==
 * NULL only the syntax is checked.
 */
static int
zsink_subst(const char *fmt, const json_t *data, char *out, size_t outlen,
    char *err, size_t errlen)
{
	const char	*p = fmt, *k, *e;
	const json_t	*v;
	char		 key[128], num[64];
	const char	*piece;
	size_t		 n = 0, plen;

	if (outlen > 0)
		out[0] = '\0';
	while (*p != '\0') {
		if (*p != '%') {
			piece = p;
			plen = 1;
			p++;
		} else if (p[1] == '%') {
			piece = "%";
			plen = 1;
			p += 2;
		} else if (p[1] == '(') {
			k = p + 2;
			if ((e = strchr(k, ')')) == NULL) {
				snprintf(err, errlen, "bad format '%s': no ')'",
				    fmt);
				return ZE_BADMSG;
			}
			if (e == k || (size_t)(e - k) >= sizeof(key)) {
				snprintf(err, errlen, "bad format '%s': bad "
				    "key", fmt);
				return ZE_BADMSG;
			}
			if (e[1] != 's') {
				snprintf(err, errlen, "bad format '%s': only "
				    "%%(key)s conversions", fmt);
				return ZE_BADMSG;
			}
			memcpy(key, k, e - k);
			key[e - k] = '\0';
			p = e + 2;
			if (data == NULL)
				continue;
			if ((v = json_object_get(data, key)) == NULL) {
				snprintf(err, errlen, "unknown template key "
				    "'%s'", key);
				return ZE_BADMSG;
			}
			/* what Python's str() makes of it */
			switch (json_typeof(v)) {
			case JSON_STRING:
				piece = json_string_value(v);
				break;
			case JSON_INTEGER:
				snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				    json_integer_value(v));
				piece = num;
				break;
			case JSON_REAL:
				snprintf(num, sizeof(num), "%.15g",
				    json_real_value(v));
				piece = num;
				break;
			case JSON_TRUE:
				piece = "True";
				break;
			case JSON_FALSE:
				piece = "False";
				break;
			case JSON_NULL:
				piece = "None";
				break;
			default:
				snprintf(err, errlen, "template key '%s' is "
				    "not a scalar", key);
				return ZE_BADMSG;
			}
			plen = strlen(piece);
		} else {
			snprintf(err, errlen, "bad format '%s': '%%' must "
			    "start %%(key)s or %%%%", fmt);
			return ZE_BADMSG;
		}
		if (data == NULL)
			continue;
		if (n + plen >= outlen) {
			snprintf(err, errlen, "name too long");
			return -ENOBUFS;
		}
		memcpy(out + n, piece, plen);
		n += plen;
		out[n] = '\0';
	}
	return 0;
}

int
zsink_format(const char *fmt, const json_t *data, char *out, size_t outlen,
    char *err, size_t errlen)
{
	if (data == NULL || !json_is_object(data)) {
		snprintf(err, errlen, "no template data");
		return ZE_BADMSG;
	}
	return zsink_subst(fmt, data, out, outlen, err, errlen);
}

int
zsink_format_check(const char *fmt, char *err, size_t errlen)
{
	return zsink_subst(fmt, NULL, NULL, 0, err, errlen);
}

int
zsink_addr_fields(const char *addr, json_t *data)
{
	unsigned char	 bin[16];
	char		 buf[64], key[16], *p, *q;
	int		 v, i;

	if (addr == NULL || strlen(addr) >= sizeof(buf))
		return ZE_BADMSG;
	if (inet_pton(AF_INET, addr, bin) == 1)
		v = 4;
	else if (inet_pton(AF_INET6, addr, bin) == 1)
		v = 6;
	else
		return ZE_BADMSG;
	strlcpy(buf, addr, sizeof(buf));
	for (p = buf; *p != '\0'; p++)
		if (*p == '.' || *p == ':')
			*p = '-';
	json_object_set_new(data, "ip_version", json_integer(v));
	json_object_set_new(data, "ip_address", json_string(buf));
	/* octets; for IPv6 the groups, split at "::" or ":" as Designate */
	strlcpy(buf, addr, sizeof(buf));
	for (i = 0, p = buf; p != NULL; i++) {
		q = strchr(p, v == 4 ? '.' : ':');
		if (q != NULL) {
			*q++ = '\0';
			if (v == 6 && *q == ':')
				q++;
		}
		snprintf(key, sizeof(key), "octet%d", i);
		json_object_set_new(data, key, json_string(p));
		p = q;
	}
	return v;
}

/* The template data: the scalars of `src', project, zone. */
static json_t *
zsink_data(const json_t *ev, json_t *src, const char *zone)
{
	const json_t	*payload = json_object_get(ev, "payload");
	const char	*k, *project;
	json_t		*d, *v;

	if ((d = json_object()) == NULL)
		return NULL;
	json_object_foreach(src, k, v)
		if (!json_is_object(v) && !json_is_array(v))
			json_object_set(d, k, v);
	if ((project = zsink_str(ev, "_context_project_name")) == NULL &&
	    (project = zsink_str(payload, "project_name")) == NULL &&
	    (project = zsink_str(src, "tenant_id")) == NULL &&
	    (project = zsink_str(src, "project_id")) == NULL &&
	    (project = zsink_str(payload, "tenant_id")) == NULL)
		project = zsink_str(payload, "project_id");
	if (project != NULL)
		json_object_set_new(d, "project", json_string(project));
	json_object_set_new(d, "zone", json_string(zone));
	return d;
}

/* One name from one format: lower case, absolute, valid, in the zone. */
static int
zsink_name(const char *fmt, const json_t *data, const char *zone,
    char *name, size_t len, char *err, size_t errlen)
{
	struct zfault	 f = ZFAULT_INIT;
	size_t		 n, zl;
	char		*p;
	int		 rc;

	if ((rc = zsink_format(fmt, data, name, len - 1, err, errlen)) < 0)
		return rc == -ENOBUFS ? ZE_BADMSG : rc;
	for (p = name; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	n = strlen(name);
	if (n > 0 && name[n - 1] != '.') {
		name[n++] = '.';
		name[n] = '\0';
	}
	if (name[0] == '*' || zvalid_rrset_name(name, &f) < 0) {
		snprintf(err, errlen, "'%s' is not a valid DNS name", name);
		zfault_release(&f);
		return ZE_BADMSG;
	}
	zl = strlen(zone);
	if (strcasecmp(name, zone) != 0 && (n <= zl ||
	    strcasecmp(name + n - zl, zone) != 0 || name[n - zl - 1] != '.')) {
		snprintf(err, errlen, "'%s' is not in zone %s", name, zone);
		return ZE_BADMSG;
	}
	return 0;
}

/* Add `addr' to the group (name, type) of `groups', keeping order. */
static void
zsink_group(json_t *groups, const char *name, const char *type,
    const char *addr)
{
	json_t	*g, *recs, *r;
	size_t	 i, j;

	json_array_foreach(groups, i, g)
		if (strcmp(zsink_str(g, "name"), name) == 0 &&
		    strcmp(zsink_str(g, "type"), type) == 0) {
			recs = json_object_get(g, "records");
			json_array_foreach(recs, j, r)
				if (strcmp(json_string_value(r), addr) == 0)
					return;
			json_array_append_new(recs, json_string(addr));
			return;
		}
	json_array_append_new(groups, json_pack("{s:s,s:s,s:[s]}", "name",
	    name, "type", type, "records", addr));
}

/* Every format of the family of `addr' for one address. */
static int
zsink_addr_names(const struct zsink_handler *h, json_t *data,
    const char *addr, const char *zone, json_t *groups, char *err,
    size_t errlen)
{
	char	name[ZSINK_NAMELEN];
	int	v, i, rc;

	if ((v = zsink_addr_fields(addr, data)) < 0) {
		snprintf(err, errlen, "'%s' is not an IP address", addr);
		return ZE_BADMSG;
	}
	for (i = 0; i < h->nfmt[v == 6]; i++) {
		if ((rc = zsink_name(h->fmt[v == 6][i], data, zone, name,
		    sizeof(name), err, errlen)) < 0)
			return rc;
		zsink_group(groups, name, v == 6 ? "AAAA" : "A", addr);
	}
	return 0;
}

static json_t *
zsink_resource(const char *plugin, const char *type, const char *id)
{
	return json_pack("{s:s,s:s,s:s}", "plugin", plugin, "type", type,
	    "id", id);
}

int
zsink_plan(const struct zsink_conf *c, int kind, const json_t *ev,
    const char *zone, json_t **ops, char *err, size_t errlen)
{
	const struct zsink_handler	*h;
	const json_t	*fixed;
	const char	*id = NULL, *addr, *rtype, *zone_id;
	json_t		*payload, *src, *ips, *ip;
	json_t		*groups = NULL, *data = NULL, *d, *g, *res = NULL;
	size_t		 i;
	int		 e, rc = ZE_BADMSG;

	*ops = NULL;
	if (kind < 0 || kind >= ZSINK_NKINDS ||
	    (e = zsink_event(zsink_str(ev, "event_type"))) < 0 ||
	    zsink_events[e].kind != kind) {
		snprintf(err, errlen, "not an event of this handler");
		return ZE_BADMSG;
	}
	h = &c->h[kind];
	zone_id = h->zone_id;
	payload = json_object_get(ev, "payload");
	src = payload;
	rtype = kind == ZSINK_NOVA_FIXED ? "instance" : "floatingip";
	if ((*ops = json_array()) == NULL || (groups = json_array()) == NULL)
		goto nomem;

	switch (zsink_events[e].act) {
	case ZA_NOVA_SET:
	case ZA_NOVA_UNSET:
		if ((id = zsink_str(payload, "instance_id")) == NULL ||
		    *id == '\0') {
			snprintf(err, errlen, "payload has no instance_id");
			goto out;
		}
		if (zsink_events[e].act == ZA_NOVA_UNSET)
			goto unset;
		ips = json_object_get(payload, "fixed_ips");
		if (!json_is_array(ips)) {
			snprintf(err, errlen, "payload has no fixed_ips list");
			goto out;
		}
		if ((data = zsink_data(ev, payload, zone)) == NULL)
			goto nomem;
		json_array_foreach(ips, i, ip) {
			if ((addr = zsink_str(ip, "address")) == NULL) {
				snprintf(err, errlen, "fixed_ips[%zu] has no "
				    "address", i);
				goto out;
			}
			if ((d = json_deep_copy(data)) == NULL)
				goto nomem;
			if (json_is_string(json_object_get(ip, "label")))
				json_object_set(d, "label",
				    json_object_get(ip, "label"));
			rc = zsink_addr_names(h, d, addr, zone, groups, err,
			    errlen);
			json_decref(d);
			if (rc < 0)
				goto out;
		}
		break;
	case ZA_FIP_UPDATE:
	case ZA_FIP_UNSET:
		src = json_object_get(payload, "floatingip");
		if ((id = zsink_str(src, "id")) == NULL)
			id = zsink_str(payload, "floatingip_id");
		if (id == NULL || *id == '\0') {
			snprintf(err, errlen, "payload has no floating IP id");
			goto out;
		}
		if (zsink_events[e].act == ZA_FIP_UNSET)
			goto unset;
		fixed = json_object_get(src, "fixed_ip_address");
		if (fixed == NULL || json_is_null(fixed))
			goto unset;	/* disassociated */
		if (!json_is_string(fixed)) {
			snprintf(err, errlen, "fixed_ip_address is not a "
			    "string");
			goto out;
		}
		if ((addr = zsink_str(src, "floating_ip_address")) == NULL) {
			snprintf(err, errlen, "floatingip has no "
			    "floating_ip_address");
			goto out;
		}
		if ((data = zsink_data(ev, src, zone)) == NULL)
			goto nomem;
		if ((rc = zsink_addr_names(h, data, addr, zone, groups, err,
		    errlen)) < 0)
			goto out;
		break;
	}

	json_array_foreach(groups, i, g) {
		if ((res = zsink_resource(h->name, rtype, id)) == NULL)
			goto nomem;
		if (json_array_append_new(*ops, json_pack("{s:s,s:{s:s,s:O,"
		    "s:O,s:o,s:O,s:o}}", "method", "recordset.managed_set",
		    "params", "zone_id", zone_id, "name",
		    json_object_get(g, "name"), "type",
		    json_object_get(g, "type"), "ttl", c->ttl > 0 ?
		    json_integer(c->ttl) : json_null(), "records",
		    json_object_get(g, "records"), "resource", res)) < 0)
			goto nomem;
	}
	rc = 0;
	goto out;
unset:
	if ((res = zsink_resource(h->name, rtype, id)) == NULL ||
	    json_array_append_new(*ops, json_pack("{s:s,s:{s:s,s:o}}",
	    "method", "recordset.managed_unset", "params", "zone_id", zone_id,
	    "resource", res)) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	snprintf(err, errlen, "out of memory");
	rc = -ENOMEM;
out:
	json_decref(groups);
	json_decref(data);
	if (rc < 0) {
		json_decref(*ops);
		*ops = NULL;
	}
	return rc;
}

/* --- handling, with central --- */

void
zsink_init(struct zsink *s, const struct zsink_conf *c, struct znats *n)
{
	memset(s, 0, sizeof(*s));
	s->conf = c;
	s->nats = n;
	s->timeout_ms = n != NULL ? n->timeout_ms : 5000;
	s->retries = 3;
	pthread_mutex_init(&s->mu, NULL);
}

void
zsink_release(struct zsink *s)
{
	pthread_mutex_destroy(&s->mu);
}

/* An RPC to central, tried again while central does not answer. */
static int
zsink_call(struct zsink *s, const char *method, json_t *params,
    const char *project, const char *request_id, json_t **result,
    struct zfault *f)
{
	struct timespec	 ts;
	json_t		*ctx;
	int		 i, rc;

	ctx = json_pack("{s:s,s:[s],s:b,s:b,s:s?}", "project_id", project,
	    "roles", "admin", "all_projects", 1, "edit_managed", 1,
	    "request_id", request_id);
	if (ctx == NULL)
		return zfault_set(f, 500, "unknown", "out of memory");
	for (i = 0;; i++) {
		zfault_release(f);
		memset(f, 0, sizeof(*f));
		rc = zrpc_call(s->nats, ZRPC_CENTRAL, method, params, ctx,
		    s->timeout_ms, result, f);
		if (rc == 0 || (f->status != 503 && f->status != 504) ||
		    i >= s->retries)
			break;
		ts.tv_sec = 0;
		ts.tv_nsec = (200L << i) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec = ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
		}
		nanosleep(&ts, NULL);
	}
	json_decref(ctx);
	return rc;
}

/* Tell `fn' about a skipped event; returns ZE_BADMSG or ZE_NORESP. */
static int
zsink_skip(struct zsink *s, struct zsink_out *o, const char *reason,
    int unavailable, zsink_fn *fn, void *arg)
{
	o->what = ZSINK_SKIPPED;
	o->reason = reason;
	o->unavailable = unavailable;
	s->nskipped++;
	fn(o, arg);
	return unavailable ? ZE_NORESP : ZE_BADMSG;
}

/* The fault as a reason: "type: message". */
static void
zsink_fault_text(const struct zfault *f, const char *what, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s: %s%s%s", what, f->type[0] != '\0' ? f->type :
	    "error", f->message[0] != '\0' ? ": " : "", f->message);
}

/* The zone's name and project, asked once. */
static int
zsink_zone(struct zsink *s, int kind, const char *request_id, char *reason,
    size_t len)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*params, *zone = NULL;
	const char	*name, *project;
	int		 rc;

	if (s->zone[kind][0] != '\0')
		return 0;
	params = json_pack("{s:s}", "zone_id", s->conf->h[kind].zone_id);
	rc = zsink_call(s, "zone.get", params, "zone-sink", request_id, &zone,
	    &f);
	json_decref(params);
	if (rc < 0) {
		zsink_fault_text(&f, "zone.get", reason, len);
		rc = f.status == 503 || f.status == 504 ? ZE_NORESP :
		    ZE_BADMSG;
		goto out;
	}
	name = zsink_str(zone, "name");
	project = zsink_str(zone, "project_id");
	if (name == NULL || strlen(name) >= sizeof(s->zone[kind]) ||
	    project == NULL) {
		snprintf(reason, len, "zone.get: no zone name");
		rc = ZE_BADMSG;
		goto out;
	}
	strlcpy(s->zone[kind], name, sizeof(s->zone[kind]));
	strlcpy(s->project[kind], project, sizeof(s->project[kind]));
out:
	zfault_release(&f);
	json_decref(zone);
	return rc;
}

static int
zsink_handle_locked(struct zsink *s, const char *data, size_t len,
    zsink_fn *fn, void *arg)
{
	struct zsink_out	 o;
	struct zfault		 f = ZFAULT_INIT;
	const struct zsink_handler *h;
	json_t			*ev = NULL, *ops = NULL, *op, *params, *res;
	char			 err[512];
	size_t			 i;
	int			 kind, rc;

	memset(&o, 0, sizeof(o));
	o.event_type = "";
	s->nevents++;
	if (zsink_event_parse(data, len, &ev, err, sizeof(err)) < 0) {
		/* name what we can of a malformed event */
		json_t *j = json_loadb(data, len, 0, NULL);

		if (zsink_str(j, "event_type") != NULL)
			o.event_type = zsink_str(j, "event_type");
		o.message_id = zsink_str(j, "message_id");
		rc = zsink_skip(s, &o, err, 0, fn, arg);
		json_decref(j);
		return rc;
	}
	o.event_type = zsink_str(ev, "event_type");
	o.message_id = zsink_str(ev, "message_id");
	if ((kind = zsink_route(o.event_type)) < 0) {
		o.what = ZSINK_IGNORED;
		o.reason = "no handler for the event type";
		goto ignored;
	}
	h = &s->conf->h[kind];
	o.handler = h->name;
	if (!h->enabled) {
		o.what = ZSINK_IGNORED;
		o.reason = "handler not enabled";
		goto ignored;
	}
	if (h->zone_id[0] == '\0') {
		o.what = ZSINK_IGNORED;
		o.reason = "handler has no zone id";
		goto ignored;
	}
	if ((rc = zsink_zone(s, kind, o.message_id, err, sizeof(err))) < 0) {
		rc = zsink_skip(s, &o, err, rc == ZE_NORESP, fn, arg);
		goto out;
	}
	o.zone = s->zone[kind];
	if (zsink_plan(s->conf, kind, ev, o.zone, &ops, err,
	    sizeof(err)) < 0) {
		rc = zsink_skip(s, &o, err, 0, fn, arg);
		goto out;
	}
	rc = 0;
	json_array_foreach(ops, i, op) {
		params = json_object_get(op, "params");
		o.op = op;
		o.action = strcmp(zsink_str(op, "method"),
		    "recordset.managed_set") == 0 ? "set" : "unset";
		o.name = zsink_str(params, "name");
		o.type = zsink_str(params, "type");
		res = NULL;
		if (zsink_call(s, zsink_str(op, "method"), params,
		    s->project[kind], o.message_id, &res, &f) < 0) {
			zsink_fault_text(&f, zsink_str(op, "method"), err,
			    sizeof(err));
			/* the zone may be gone: ask again next time */
			if (f.status == 404)
				s->zone[kind][0] = '\0';
			rc = zsink_skip(s, &o, err, f.status == 503 ||
			    f.status == 504, fn, arg);
			zfault_release(&f);
			goto out;
		}
		o.what = ZSINK_HANDLED;
		o.result = res;
		o.removed = json_integer_value(json_object_get(res, "removed"));
		s->nhandled++;
		fn(&o, arg);
		o.result = NULL;
		json_decref(res);
	}
	goto out;
ignored:
	s->nignored++;
	fn(&o, arg);
	rc = 0;
out:
	json_decref(ops);
	json_decref(ev);
	return rc;
}

int
zsink_handle(struct zsink *s, const char *data, size_t len, zsink_fn *fn,
    void *arg)
{
	int	rc;

	pthread_mutex_lock(&s->mu);
	rc = zsink_handle_locked(s, data, len, fn, arg);
	pthread_mutex_unlock(&s->mu);
	return rc;
}
