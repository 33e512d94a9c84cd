#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>
#include <yaml.h>

#include "zpool.h"
#include "zuuid.h"

/* A YAML node as JSON: mappings and sequences as they are, scalars as
 * strings (the normalizer below types the fields it knows). */
static json_t *
zpool_node(yaml_document_t *doc, yaml_node_t *n, int depth)
{
	yaml_node_pair_t	*p;
	yaml_node_item_t	*it;
	yaml_node_t		*k, *val;
	json_t			*o;

	if (n == NULL || depth > 16)
		return NULL;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    (n->data.scalar.length == 0 ||
		    strcmp((char *)n->data.scalar.value, "~") == 0 ||
		    strcmp((char *)n->data.scalar.value, "null") == 0))
			return json_null();
		return json_stringn((char *)n->data.scalar.value,
		    n->data.scalar.length);
	case YAML_SEQUENCE_NODE:
		o = json_array();
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++)
			json_array_append_new(o, zpool_node(doc,
			    yaml_document_get_node(doc, *it), depth + 1));
		return o;
	case YAML_MAPPING_NODE:
		o = json_object();
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			k = yaml_document_get_node(doc, p->key);
			val = yaml_document_get_node(doc, p->value);
			if (k == NULL || k->type != YAML_SCALAR_NODE)
				continue;
			json_object_set_new(o, (char *)k->data.scalar.value,
			    zpool_node(doc, val, depth + 1));
		}
		return o;
	default:
		return json_null();
	}
}

static const char *
zs(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* An integer field that YAML gave as a string; `def' when absent. */
static int
zint(const json_t *o, const char *k, long def, long min, long max, long *out)
{
	const json_t	*v = json_object_get(o, k);
	char		*end;
	long		 n;

	if (v == NULL || json_is_null(v)) {
		*out = def;
		return 0;
	}
	if (json_is_integer(v))
		n = (long)json_integer_value(v);
	else if (json_is_string(v)) {
		n = strtol(json_string_value(v), &end, 10);
		if (*json_string_value(v) == '\0' || *end != '\0')
			return -EINVAL;
	} else
		return -EINVAL;
	if (n < min || n > max)
		return -ERANGE;
	*out = n;
	return 0;
}

/* [{host, port}] with a default port. */
static json_t *
zhosts(const json_t *list, long defport, const char *what, char *err,
    size_t errlen)
{
	json_t	*out = json_array(), *h;
	size_t	 i;
	long	 port;

	json_array_foreach(list, i, h) {
		if (*zs(h, "host") == '\0' ||
		    zint(h, "port", defport, 1, 65535, &port) < 0) {
			snprintf(err, errlen, "%s %zu: needs host and a port "
			    "1..65535", what, i + 1);
			json_decref(out);
			return NULL;
		}
		json_array_append_new(out, json_pack("{s:s,s:i}", "host",
		    zs(h, "host"), "port", (int)port));
	}
	return out;
}

static json_t *
ztsig(const json_t *t)
{
	if (!json_is_object(t) || *zs(t, "name") == '\0' ||
	    *zs(t, "secret") == '\0')
		return json_null();
	return json_pack("{s:s,s:s,s:s}", "name", zs(t, "name"),
	    "algorithm", *zs(t, "algorithm") ? zs(t, "algorithm") :
	    "hmac-sha256", "secret", zs(t, "secret"));
}

/* A stable id for a pool named without one: a UUID made from its name. */
static void
zpool_id(const char *name, char out[37])
{
	unsigned char	 d[32];
	static const char hex[] = "0123456789abcdef";
	int		 i, o = 0;

	ldns_sha256((unsigned char *)(uintptr_t)name, (unsigned)strlen(name), d);
	d[6] = (d[6] & 0x0f) | 0x50;
	d[8] = (d[8] & 0x3f) | 0x80;
	for (i = 0; i < 16; i++) {
		if (o == 8 || o == 13 || o == 18 || o == 23)
			out[o++] = '-';
		out[o++] = hex[d[i] >> 4];
		out[o++] = hex[d[i] & 15];
	}
	out[o] = '\0';
}

static json_t *
zpool_norm(const json_t *in, size_t idx, const char *default_id, char *err,
    size_t errlen)
{
	json_t		*p = NULL, *ns, *t, *targets, *keys, *cz, *opts, *v;
	json_t		*nsr = NULL, *tmasters;
	const char	*name = zs(in, "name"), *k;
	char		 id[37], where[64];
	size_t		 i;
	long		 prio, refresh;

	if (!json_is_object(in) || *name == '\0' || strlen(name) > 50) {
		snprintf(err, errlen, "pool %zu: needs a name of 1..50 "
		    "characters", idx + 1);
		return NULL;
	}
	if (*zs(in, "id") != '\0') {
		if (!zuuid_valid(zs(in, "id"))) {
			snprintf(err, errlen, "pool %s: id is not a UUID", name);
			return NULL;
		}
		snprintf(id, sizeof(id), "%s", zs(in, "id"));
	} else if (strcmp(name, "default") == 0 && default_id != NULL)
		snprintf(id, sizeof(id), "%s", default_id);
	else
		zpool_id(name, id);
	nsr = json_array();
	json_array_foreach(json_object_get(in, "ns_records"), i, ns) {
		if (*zs(ns, "hostname") == '\0' ||
		    zs(ns, "hostname")[strlen(zs(ns, "hostname")) - 1] != '.' ||
		    zint(ns, "priority", (long)i + 1, 1, 10000, &prio) < 0) {
			snprintf(err, errlen, "pool %s: ns_records %zu needs a "
			    "hostname ending in a dot and a priority 1..10000",
			    name, i + 1);
			goto fail;
		}
		json_array_append_new(nsr, json_pack("{s:s,s:i}", "hostname",
		    zs(ns, "hostname"), "priority", (int)prio));
	}
	if (json_array_size(nsr) == 0) {
		snprintf(err, errlen, "pool %s: ns_records is empty", name);
		goto fail;
	}
	p = json_pack("{s:s,s:n,s:s,s:O,s:O,s:o}", "id", id, "project_id", "name", name,
	    "description", json_object_get(in, "description") ?
	    json_object_get(in, "description") : json_null(),
	    "attributes", json_is_object(json_object_get(in, "attributes")) ?
	    json_object_get(in, "attributes") : json_object(),
	    "ns_records", nsr);
	nsr = NULL;
	if ((v = zhosts(json_object_get(in, "nameservers"), 53, "nameservers",
	    err, errlen)) == NULL)
		goto fail;
	json_object_set_new(p, "nameservers", v);
	if ((v = zhosts(json_object_get(in, "also_notifies"), 53,
	    "also_notifies", err, errlen)) == NULL)
		goto fail;
	json_object_set_new(p, "also_notifies", v);
	targets = json_array();
	keys = json_array();
	json_object_set_new(p, "targets", targets);
	json_object_set_new(p, "tsig_keys", keys);
	json_array_foreach(json_object_get(in, "targets"), i, t) {
		static const char *const types[] = { "catalog", "bind9", "knot",
		    "nsd", "pdns", NULL };
		const char	*type = zs(t, "type");
		size_t		 j;
		int		 ok = 0;

		if (strcmp(type, "knot2") == 0)
			type = "knot";
		else if (strcmp(type, "nsd4") == 0)
			type = "nsd";
		else if (strcmp(type, "pdns4") == 0)
			type = "pdns";
		for (j = 0; types[j] != NULL; j++)
			if (strcmp(types[j], type) == 0)
				ok = 1;
		if (!ok) {
			snprintf(err, errlen, "pool %s: target %zu: type \"%s\" "
			    "is not catalog, bind9, knot, nsd or pdns", name,
			    i + 1, type);
			goto fail;
		}
		snprintf(where, sizeof(where), "pool %s: target %zu masters",
		    name, i + 1);
		if ((tmasters = zhosts(json_object_get(t, "masters"), 5354,
		    where, err, errlen)) == NULL)
			goto fail;
		opts = json_object();
		json_object_foreach(json_object_get(t, "options"), k, v)
			if (json_is_string(v))
				json_object_set(opts, k, v);
		v = ztsig(json_object_get(t, "tsigkey"));
		if (!json_is_null(v))
			json_array_append(keys, v);
		json_array_append_new(targets, json_pack("{s:s,s:O,s:o,s:o,s:o}",
		    "type", type, "description", json_object_get(t,
		    "description") ? json_object_get(t, "description") :
		    json_null(), "masters", tmasters, "options", opts,
		    "tsig", v));
	}
	cz = json_object_get(in, "catalog_zone");
	if (json_is_object(cz) && *zs(cz, "catalog_zone_fqdn") != '\0') {
		json_t *key = json_null();

		if (zint(cz, "catalog_zone_refresh", 60, 1, 86400,
		    &refresh) < 0) {
			snprintf(err, errlen, "pool %s: catalog_zone_refresh "
			    "must be 1..86400", name);
			goto fail;
		}
		if (*zs(cz, "catalog_zone_tsig_key_name") != '\0')
			key = json_pack("{s:s,s:s,s:s}", "name",
			    zs(cz, "catalog_zone_tsig_key_name"), "algorithm",
			    *zs(cz, "catalog_zone_tsig_algorithm") ?
			    zs(cz, "catalog_zone_tsig_algorithm") : "hmac-sha256",
			    "secret", *zs(cz, "catalog_zone_tsig_key_secret") ?
			    zs(cz, "catalog_zone_tsig_key_secret") :
			    zs(cz, "catalog_zone_tsig_key"));
		if (!json_is_null(key))
			json_array_append(keys, key);
		json_object_set_new(p, "catalog_zone", json_pack("{s:s,s:i,s:o}",
		    "fqdn", zs(cz, "catalog_zone_fqdn"), "refresh",
		    (int)refresh, "tsig", key));
	} else
		json_object_set_new(p, "catalog_zone", json_null());
	return p;
fail:
	json_decref(nsr);
	json_decref(p);
	return NULL;
}

json_t *
zpool_parse_yaml(FILE *fp, const char *default_id, char *err, size_t errlen)
{
	yaml_parser_t	 parser;
	yaml_document_t	 doc;
	json_t		*raw = NULL, *out = NULL, *pool, *p;
	size_t		 i;

	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "line %zu: %s",
		    parser.problem_mark.line + 1,
		    parser.problem != NULL ? parser.problem : "bad YAML");
		yaml_parser_delete(&parser);
		return NULL;
	}
	raw = zpool_node(&doc, yaml_document_get_root_node(&doc), 0);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (!json_is_array(raw) || json_array_size(raw) == 0) {
		snprintf(err, errlen, "the file must be a non-empty list of "
		    "pools");
		goto out;
	}
	out = json_array();
	json_array_foreach(raw, i, pool) {
		if ((p = zpool_norm(pool, i, default_id, err, errlen)) == NULL) {
			json_decref(out);
			out = NULL;
			goto out;
		}
		json_array_append_new(out, p);
	}
out:
	json_decref(raw);
	return out;
}
