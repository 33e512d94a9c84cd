/*
 * Zone files in and out: see zimport.h.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "zerr.h"
#include "zimport.h"

#define MALFORMED	"Malformed zonefile."

/* "hostmaster.example.org." -> "hostmaster@example.org" */
static int
zimport_email(const char *rname, char *out, size_t len)
{
	size_t	 o = 0;
	int	 at = 0;

	for (; *rname != '\0'; rname++) {
		if (o + 2 >= len)
			return -1;
		if (*rname == '\\' && rname[1] != '\0') {
			out[o++] = *++rname;
			continue;
		}
		if (*rname == '.' && !at) {
			out[o++] = '@';
			at = 1;
			continue;
		}
		out[o++] = *rname;
	}
	if (o > 0 && out[o - 1] == '.')
		o--;
	out[o] = '\0';
	return at ? 0 : -1;
}

char *
zimport_rr_data(const ldns_rr *rr)
{
	char	*s, *out = NULL;
	size_t	 i, n, len = 0;

	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		if ((s = ldns_rdf2str(ldns_rr_rdf(rr, i))) == NULL)
			goto fail;
		n = strlen(s);
		/* CAA: the API takes the value without its quotes */
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CAA && i == 2 &&
		    n >= 2 && s[0] == '"' && s[n - 1] == '"') {
			memmove(s, s + 1, n - 2);
			s[n -= 2] = '\0';
		}
		if ((out = realloc(out, len + n + 2)) == NULL) {
			free(s);
			return NULL;
		}
		if (len > 0)
			out[len++] = ' ';
		memcpy(out + len, s, n + 1);
		len += n;
		free(s);
	}
	return out != NULL ? out : strdup("");
fail:
	free(out);
	return NULL;
}

static int
zimport_fault(struct zfault *f, int line, const char *why)
{
	if (line > 0)
		return zfault_set(f, 400, "bad_request", "%s (line %d: %s)",
		    MALFORMED, line, why);
	return zfault_set(f, 400, "bad_request", "%s", why);
}

/* keep: a transfer's text (zimport_parse_xfr), else an import's. */
static int
zimport_parse_mode(const char *text, size_t len, json_t **out,
    struct zfault *f, int keep)
{
	FILE		*fp = NULL;
	ldns_rr		*rr = NULL, *soa = NULL;
	ldns_rdf	*origin = NULL, *prev = NULL, *zname = NULL;
	ldns_status	 st;
	json_t		*rrsets = NULL, *index = NULL, *rs, *idx;
	uint32_t	 dttl = 0, zttl;
	char		*owner = NULL, *type = NULL, *data = NULL, *zstr = NULL;
	char		 key[600], email[600], *p;
	int		 line = 0, rc, has_origin = 0, has_ttl = 0, nsoa = 0;

	*out = NULL;
	if (text == NULL || len == 0)
		return zimport_fault(f, 0, MALFORMED);
	if (strnlen(text, len) != len)
		return zimport_fault(f, 0, MALFORMED " (binary data)");
	if ((fp = fmemopen((void *)(uintptr_t)text, len, "r")) == NULL)
		return zfault_set(f, 500, "unknown", "out of memory");
	rrsets = json_array();
	index = json_object();
	/* first pass: the records, checking each */
	for (;;) {
		ldns_rr_free(rr);
		rr = NULL;
		if (feof(fp))
			break;
		st = ldns_rr_new_frm_fp_l(&rr, fp, &dttl, &origin, &prev,
		    &line);
		if (st == LDNS_STATUS_SYNTAX_ORIGIN) {
			has_origin = 1;
			continue;
		}
		if (st == LDNS_STATUS_SYNTAX_EMPTY && feof(fp))
			break;
		if (st == LDNS_STATUS_SYNTAX_TTL)
			has_ttl = 1;
		if (st == LDNS_STATUS_SYNTAX_TTL ||
		    st == LDNS_STATUS_SYNTAX_EMPTY)
			continue;
		if (st == LDNS_STATUS_SYNTAX_INCLUDE) {
			rc = zimport_fault(f, line, "$INCLUDE is not allowed");
			goto out;
		}
		if (st != LDNS_STATUS_OK) {
			rc = zimport_fault(f, line, ldns_get_errorstr_by_id(st));
			goto out;
		}
		if (!has_origin) {
			rc = zimport_fault(f, 0,
			    "An $ORIGIN statement is required.");
			goto out;
		}
		if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
			rc = zimport_fault(f, line, "class is not IN");
			goto out;
		}
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA) {
			if (nsoa++ > 0) {
				rc = zimport_fault(f, 0,
				    "More than one SOA record.");
				goto out;
			}
			/* no $TTL: records without a ttl take the SOA's */
			if (!has_ttl)
				dttl = ldns_rr_ttl(rr);
			if (!keep) {
				soa = rr;
				rr = NULL;
				continue;
			}
			if ((soa = ldns_rr_clone(rr)) == NULL) {
				rc = zfault_set(f, 500, "unknown",
				    "out of memory");
				goto out;
			}
		}
		free(owner);
		free(type);
		free(data);
		owner = ldns_rdf2str(ldns_rr_owner(rr));
		type = ldns_rr_type2str(ldns_rr_get_type(rr));
		data = zimport_rr_data(rr);
		if (owner == NULL || type == NULL || data == NULL) {
			rc = zfault_set(f, 500, "unknown", "out of memory");
			goto out;
		}
		snprintf(key, sizeof(key), "%s/%s", owner, type);
		for (p = key; *p != '\0'; p++)
			*p = tolower((unsigned char)*p);
		if ((idx = json_object_get(index, key)) != NULL) {
			rs = json_array_get(rrsets, json_integer_value(idx));
			if (json_integer_value(json_object_get(rs, "_ttl")) !=
			    ldns_rr_ttl(rr)) {
				/* RFC 2181 5.2: one ttl per rrset, the least */
				if (ldns_rr_ttl(rr) < json_integer_value(
				    json_object_get(rs, "_ttl")))
					json_object_set_new(rs, "_ttl",
					    json_integer(ldns_rr_ttl(rr)));
			}
			json_array_append_new(json_object_get(rs, "records"),
			    json_string(data));
			json_object_set_new(rs, "_line", json_integer(line));
			continue;
		}
		json_object_set_new(index, key,
		    json_integer((json_int_t)json_array_size(rrsets)));
		/* the owner is kept (as a pointer) for the zone check */
		json_array_append_new(rrsets, json_pack("{s:s,s:s,s:[s],s:I,"
		    "s:i,s:I}", "name", owner, "type", type, "records", data,
		    "_ttl", (json_int_t)ldns_rr_ttl(rr), "_line", line,
		    "_rr", (json_int_t)(uintptr_t)ldns_rdf_clone(
		    ldns_rr_owner(rr))));
	}
	if (!has_origin) {
		rc = zimport_fault(f, 0, "An $ORIGIN statement is required.");
		goto out;
	}
	if (soa == NULL) {
		rc = zimport_fault(f, 0, "A SOA record is required.");
		goto out;
	}
	zname = ldns_rdf_clone(ldns_rr_owner(soa));
	ldns_dname2canonical(zname);
	zttl = ldns_rr_ttl(soa);
	if ((zstr = ldns_rdf2str(ldns_rr_owner(soa))) == NULL ||
	    ldns_rr_rd_count(soa) < 2) {
		rc = zimport_fault(f, 0, MALFORMED);
		goto out;
	}
	free(data);
	data = ldns_rdf2str(ldns_rr_rdf(soa, 1));
	if (keep && (data == NULL || zimport_email(data, email,
	    sizeof(email)) < 0))
		strlcpy(email, "", sizeof(email));
	else if (data == NULL || zimport_email(data, email,
	    sizeof(email)) < 0) {
		rc = zimport_fault(f, 0, "The SOA rname is not an email.");
		goto out;
	}
	rc = 0;
	/* second pass: every name in the zone; drop the apex NS */
	for (size_t i = 0; i < json_array_size(rrsets); ) {
		ldns_rdf	*o;

		rs = json_array_get(rrsets, i);
		o = (ldns_rdf *)(uintptr_t)json_integer_value(
		    json_object_get(rs, "_rr"));
		ldns_dname2canonical(o);
		if (rc == 0 && ldns_dname_compare(o, zname) != 0 &&
		    !ldns_dname_is_subdomain(o, zname))
			rc = zfault_set(f, 400, "bad_request",
			    "%s is outside the zone %s",
			    json_string_value(json_object_get(rs, "name")),
			    zstr);
		if (!keep && ldns_dname_compare(o, zname) == 0 && strcmp(
		    json_string_value(json_object_get(rs, "type")), "NS") ==
		    0) {
			ldns_rdf_deep_free(o);
			json_array_remove(rrsets, i);
			continue;
		}
		ldns_rdf_deep_free(o);
		json_object_del(rs, "_rr");
		json_object_del(rs, "_line");
		/* the zone's ttl, or 0 (services.md 2.9): inherit */
		if (keep || ((uint32_t)json_integer_value(json_object_get(rs,
		    "_ttl")) != zttl && json_integer_value(json_object_get(rs,
		    "_ttl")) != 0))
			json_object_set(rs, "ttl", json_object_get(rs, "_ttl"));
		json_object_del(rs, "_ttl");
		i++;
	}
	if (rc < 0)
		goto out;
	*out = json_pack("{s:s,s:s,s:I,s:O}", "name", zstr, "email", email,
	    "ttl", (json_int_t)zttl, "rrsets", rrsets);
	if (*out == NULL)
		rc = zfault_set(f, 500, "unknown", "out of memory");
out:
	/* owners not yet freed on an early exit */
	if (rc < 0) {
		size_t	 i;
		json_t	*o;

		json_array_foreach(rrsets, i, rs)
			if ((o = json_object_get(rs, "_rr")) != NULL &&
			    json_integer_value(o) != 0)
				ldns_rdf_deep_free((ldns_rdf *)(uintptr_t)
				    json_integer_value(o));
	}
	ldns_rr_free(rr);
	ldns_rr_free(soa);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	ldns_rdf_deep_free(zname);
	json_decref(rrsets);
	json_decref(index);
	free(owner);
	free(type);
	free(data);
	free(zstr);
	if (fp != NULL)
		fclose(fp);
	return rc;
}

int
zimport_parse(const char *text, size_t len, json_t **out, struct zfault *f)
{
	return zimport_parse_mode(text, len, out, f, 0);
}

int
zimport_parse_xfr(const char *text, size_t len, json_t **out,
    struct zfault *f)
{
	return zimport_parse_mode(text, len, out, f, 1);
}

struct zbuf {
	char	*p;
	size_t	 len, cap;
	int	 err;
};

static void
zbuf_add(struct zbuf *b, const char *s)
{
	size_t	n = strlen(s);
	char	*q;

	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap + n + 1) * 2;

		if ((q = realloc(b->p, cap)) == NULL) {
			b->err = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* Record data as a zone file takes it: the CAA value quoted. */
static void
zimport_data(struct zbuf *b, const char *type, const char *data)
{
	const char	*p = data;
	int		 i;

	if (type == NULL || data == NULL || strcmp(type, "CAA") != 0) {
		zbuf_add(b, data != NULL ? data : "");
		return;
	}
	for (i = 0; i < 2 && p != NULL; i++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL || *p == '"') {
		zbuf_add(b, data);
		return;
	}
	{
		char	head[512];
		size_t	n = (size_t)(p - data);

		if (n >= sizeof(head)) {
			zbuf_add(b, data);
			return;
		}
		memcpy(head, data, n);
		head[n] = '\0';
		zbuf_add(b, head);
		zbuf_add(b, "\"");
		for (; *p != '\0'; p++) {
			char c[3] = { '\\', *p, '\0' };

			zbuf_add(b, *p == '"' || *p == '\\' ? c : c + 1);
		}
		zbuf_add(b, "\"");
	}
}

char *
zimport_render(const json_t *zone, const json_t *rrsets)
{
	struct zbuf	 b = { NULL, 0, 0, 0 };
	const json_t	*rs, *r, *ttl;
	size_t		 i, j;
	char		 num[32];

	zbuf_add(&b, "$ORIGIN ");
	zbuf_add(&b, json_string_value(json_object_get(zone, "name")));
	zbuf_add(&b, "\n$TTL ");
	snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(zone, "ttl")));
	zbuf_add(&b, num);
	zbuf_add(&b, "\n\n");
	json_array_foreach(rrsets, i, rs) {
		ttl = json_object_get(rs, "ttl");
		if (json_is_integer(ttl))
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(ttl));
		else
			num[0] = '\0';
		json_array_foreach(json_object_get(rs, "records"), j, r) {
			zbuf_add(&b, json_string_value(json_object_get(rs,
			    "name")));
			zbuf_add(&b, " ");
			zbuf_add(&b, num);
			zbuf_add(&b, " IN ");
			zbuf_add(&b, json_string_value(json_object_get(rs,
			    "type")));
			zbuf_add(&b, " ");
			zimport_data(&b, json_string_value(json_object_get(rs,
			    "type")), json_string_value(r));
			zbuf_add(&b, "\n");
		}
	}
	if (b.err || b.p == NULL) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
