/*
 * Pools: Designate's pools.yaml (services.md 8), read by
 * `zone-manage pool update FILE' and journaled on zone.journal.pool.<id>
 * as {"pool": {...}}; the view keeps them (zview_pool).
 *
 * The normalized pool object that every daemon reads:
 *   {"id": uuid, "name": str, "description": str|null,
 *    "attributes": {str: str},
 *    "ns_records":   [{"hostname": fqdn, "priority": int}],
 *    "nameservers":  [{"host": str, "port": int}],    polled for serials
 *    "targets": [{"type": "catalog"|"bind9"|"knot"|"nsd"|"pdns",
 *                 "description": str|null,
 *                 "masters": [{"host": str, "port": int}],  zone-xfr copies
 *                 "options": {str: str},         backend options, strings
 *                 "tsig": {"name","algorithm","secret"}|null}],
 *    "also_notifies": [{"host": str, "port": int}],
 *    "catalog_zone": {"fqdn": fqdn, "refresh": int,
 *                     "tsig": {"name","algorithm","secret"}|null}|null,
 *    "tsig_keys": [{"name","algorithm","secret"}]   every key of the pool
 *   }
 * In the YAML a target's key is written as
 *     tsigkey: {name: xfr-key, algorithm: hmac-sha256, secret: <base64>}
 * (an extension: Designate refers to API tsigkeys by id instead), and the
 * catalog zone's as catalog_zone_tsig_key_name / _algorithm / _secret.
 * When a pool has any TSIG key, zone-xfr serves its zones' transfers only
 * to requests signed with one of them.
 */
#ifndef ZPOOL_H
#define ZPOOL_H

#include <stdio.h>

#include <jansson.h>

/* Parse a pools.yaml stream into a JSON array of normalized pools (new
 * reference), or NULL with err filled in ("line 12: ...").  A pool given
 * without an id gets `default_id' when it is named "default", else a
 * UUID made from its name (the same on every run). */
json_t	*zpool_parse_yaml(FILE *, const char *default_id, char *err,
	    size_t errlen);

#endif
