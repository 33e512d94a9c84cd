/*
 * Validation of what users send: zone and recordset bodies, names,
 * emails, TTLs and the record data of every type in api-v2.md 4.7.
 * Pure functions, no I/O.  Each returns 0 when the input is good, or
 * ZE_FAULT with `f' filled in (status 400 and the API error type; for
 * format errors "invalid_object" with a jsonschema-style errors[] entry
 * whose path uses API field names, e.g. ["records", 2]).
 * All json_t parameters are borrowed.
 */
#ifndef ZVALID_H
#define ZVALID_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "zfault.h"

/* Zone name: trailing dot, labels 1..63 of [A-Za-z0-9_-], no '-' at a
 * label edge, whole name < 255, no '*', no empty label. */
int	zvalid_zone_name(const char *, struct zfault *);
/* Recordset name: as a zone name, but a leading "*" label is allowed. */
int	zvalid_rrset_name(const char *, struct zfault *);
/* Email: one '@', and local.domain. must be a valid zone name. */
int	zvalid_email(const char *, struct zfault *);
/* Record type is known and supported (the default list of api-v2.md). */
int	zvalid_type(const char *, struct zfault *);
/* One record's data for `type'; `idx' is its index for errors[].path. */
int	zvalid_record(const char *type, const char *data, int idx,
	    struct zfault *);

/*
 * The body of POST /v2/zones (cur == NULL) or PATCH /v2/zones/{id}
 * (cur = the zone as the API shows it): unknown keys, read-only keys
 * changed, immutable keys changed, JSON types, formats, lengths, TTL
 * range, description length, PRIMARY/SECONDARY rules of api-v2.md 3.2.
 */
int	zvalid_zone_body(const json_t *body, const json_t *cur,
	    struct zfault *);
/*
 * The body of POST .../recordsets (cur == NULL) or PUT (cur = the
 * recordset as the API shows it): keys, types, name format, type known,
 * SOA refused (400 bad_request), TLSA/SRV name form, each record with
 * zvalid_record, ttl range, description length.
 */
int	zvalid_rrset_body(const json_t *body, const json_t *cur,
	    struct zfault *);

/*
 * Admin objects (api-v2.md 10.1-10.3, 10.5): the body of POST (cur ==
 * NULL) or PATCH (cur = the object as the API shows it).  Unknown keys,
 * read-only keys changed (id, created_at, updated_at, links), required
 * members on create, types, lengths and formats, all 400 invalid_object.
 *   tld: name (labels as a zone's, no final dot), description.
 *   blacklist: pattern (1..255, a POSIX extended regular expression that
 *     regcomp accepts), description.
 *   tsigkey: name (1..160), algorithm (hmac-md5 .. hmac-sha512), secret
 *     (1..160), both without control characters (Designate, and the
 *     tempest suite, take any string: "SomeSecretKey", "Patch tsigkey"),
 *     scope (POOL, ZONE), resource_id (a UUID).
 *   quota: any of zvalid_quota_keys, integers -1..2147483647.
 */
int	zvalid_tld_name(const char *, struct zfault *);
int	zvalid_tld_body(const json_t *body, const json_t *cur,
	    struct zfault *);
int	zvalid_regex(const char *pattern, struct zfault *);
int	zvalid_blacklist_body(const json_t *body, const json_t *cur,
	    struct zfault *);
int	zvalid_tsigkey_body(const json_t *body, const json_t *cur,
	    struct zfault *);
int	zvalid_quota_body(const json_t *body, struct zfault *);
extern const char *const zvalid_quota_keys[];	/* NULL-terminated */

/*
 * One record in wire form for the view: owner name, type, class IN and
 * rdata, as ldns_rr2wire writes it (owner in canonical lower case).
 * `*out' is malloc'd; returns 0, ZE_DNS when ldns cannot parse it, or
 * -ENOMEM.
 */
int	zvalid_rr_wire(const char *owner, const char *type, uint32_t ttl,
	    const char *data, uint8_t **out, size_t *outlen);

#endif
