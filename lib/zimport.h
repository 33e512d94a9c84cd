/*
 * Zone files in and out (api-v2.md 7 and 8, services.md 2.9): the
 * parse of an imported zone file into a zone body and its recordsets,
 * and the text of an export.  Pure functions, no I/O but fmemopen(3).
 *
 * jansson: a function returning json_t * returns a new reference;
 * json_t parameters are borrowed.
 */
#ifndef ZIMPORT_H
#define ZIMPORT_H

#include <stddef.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "zfault.h"

/*
 * Parse a zone file (RFC 1035 master file, as ldns reads it: $ORIGIN,
 * $TTL, relative names, parentheses, comments).  It must hold a $ORIGIN
 * directive and exactly one SOA, at the origin; every name must be at
 * or below it.  0 with *out = {"name", "email", "ttl", "rrsets": [{"name",
 * "type", "records": [...], "ttl"?}]}: email from the SOA rname (first
 * unescaped dot -> '@'), ttl from the SOA ttl, the SOA and the apex NS
 * left out, the other records grouped by name and type in the order of
 * their first appearance, a recordset ttl left out when it equals the
 * zone ttl or is 0 (it inherits; in a file without $TTL, records after
 * the SOA without a ttl take the SOA's).  Record data is in the API's form (zvalid).
 * Else ZE_FAULT with `f' 400 and a short reason: "bad_request" with
 * "Malformed zonefile." (or the line), "An $ORIGIN statement is
 * required.", "A SOA record is required.", "More than one SOA record.",
 * "<name> is outside the zone <zone>".
 */
int	 zimport_parse(const char *text, size_t len, json_t **out,
	    struct zfault *f);

/*
 * The same for the text of a zone transfer (zone-xfr to central, one
 * line a record as ldns_rr2str writes it, after a $ORIGIN): the SOA and
 * the apex NS are kept as recordsets, every recordset has its ttl, and
 * "email" is the SOA rname as an email ("" when it is not one).
 */
int	 zimport_parse_xfr(const char *text, size_t len, json_t **out,
	    struct zfault *f);

/* The data of one record in the API's form (zvalid): its rdata fields
 * as ldns prints them, the CAA value unquoted; malloc'd or NULL. */
char	*zimport_rr_data(const ldns_rr *);

/*
 * The zone file of an export: "$ORIGIN <zone>", "$TTL <ttl>", a blank
 * line, then "<name> <ttl or nothing> IN <type> <data>" for each record
 * of `rrsets' in the order given.  malloc'd; NULL when out of memory.
 */
char	*zimport_render(const json_t *zone, const json_t *rrsets);

#endif
