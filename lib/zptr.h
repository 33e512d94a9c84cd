/*
 * Floating IP PTRs (api-v2.md 9, services.md 2.10).  zone-api asks the
 * network service (Neutron) which floating IPs a project holds and hands
 * them to zone-central as {id, region, address, project_id}; central
 * keeps each PTR as a managed recordset in the reverse zone of the
 * address (the /24 "c.b.a.in-addr.arpa." zone for IPv4).
 */
#ifndef ZPTR_H
#define ZPTR_H

#include <stddef.h>

#include <jansson.h>

#include "zauth.h"
#include "zfault.h"

#define ZPTR_KEYMAX	160	/* "<region>:<uuid>", NUL included */

/*
 * The reverse zone and record names of an IPv4 address:
 * "192.0.2.7" -> zone "2.0.192.in-addr.arpa.", name
 * "7.2.0.192.in-addr.arpa.".  0, or -EINVAL for anything but a dotted
 * IPv4 address.
 */
int	 zptr_reverse(const char *address, char *zone, size_t zlen, char *name,
	    size_t nlen);

/*
 * Split "<region>:<uuid>" into its parts: a region of 1..100 letters,
 * digits, ".", "-" and "_", and a UUID.  0, or -EINVAL.
 */
int	 zptr_key(const char *key, char *region, size_t rlen, char *uuid,
	    size_t ulen);

/*
 * A Neutron floating IP object as central wants it: {id, region, address,
 * project_id}; NULL when `fip' lacks an id or an IPv4 address.
 */
json_t	*zptr_fip(const json_t *fip, const char *region);

/*
 * The floating IPs of `project' (every project's when NULL), from
 * Neutron at `url' (its root, e.g. http://127.0.0.1:9696) with the
 * service token of `a'.  0 with *out an array of zptr_fip objects, or
 * ZE_FAULT with `f' set (503 service_unavailable).
 */
int	 zptr_list(struct zauth *a, const char *url, const char *region,
	    const char *project, json_t **out, struct zfault *f);

/*
 * Floating IP `key' ("<region>:<uuid>") if `project' holds it (any
 * project's when NULL).  0 with *out, or ZE_FAULT with `f' set: 404
 * not_found (another region, unknown, another project's), 503.
 */
int	 zptr_get(struct zauth *a, const char *url, const char *region,
	    const char *key, const char *project, json_t **out,
	    struct zfault *f);

#endif
