/*
 * Floating IP PTRs: names, keys and the questions to Neutron (zptr.h).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "zerr.h"
#include "zptr.h"
#include "zuuid.h"

int
zptr_reverse(const char *address, char *zone, size_t zlen, char *name,
    size_t nlen)
{
	struct in_addr	 in;
	unsigned char	*b = (unsigned char *)&in.s_addr;

	if (address == NULL || inet_pton(AF_INET, address, &in) != 1)
		return -EINVAL;
	if ((size_t)snprintf(zone, zlen, "%u.%u.%u.in-addr.arpa.", b[2], b[1],
	    b[0]) >= zlen ||
	    (size_t)snprintf(name, nlen, "%u.%u.%u.%u.in-addr.arpa.", b[3],
	    b[2], b[1], b[0]) >= nlen)
		return -EINVAL;
	return 0;
}

int
zptr_key(const char *key, char *region, size_t rlen, char *uuid,
    size_t ulen)
{
	const char	*c = key != NULL ? strchr(key, ':') : NULL, *p;
	size_t		 n;

	if (c == NULL || c == key || (n = (size_t)(c - key)) >= rlen ||
	    n > 100 || !zuuid_valid(c + 1) ||
	    strlcpy(uuid, c + 1, ulen) >= ulen)
		return -EINVAL;
	for (p = key; p < c; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' &&
		    *p != '_')
			return -EINVAL;
	memcpy(region, key, n);
	region[n] = '\0';
	return 0;
}

json_t *
zptr_fip(const json_t *fip, const char *region)
{
	const char	*id, *addr, *proj;
	struct in_addr	 in;

	id = json_string_value(json_object_get(fip, "id"));
	addr = json_string_value(json_object_get(fip, "floating_ip_address"));
	proj = json_string_value(json_object_get(fip, "project_id"));
	if (proj == NULL)
		proj = json_string_value(json_object_get(fip, "tenant_id"));
	if (id == NULL || addr == NULL || proj == NULL ||
	    inet_pton(AF_INET, addr, &in) != 1)
		return NULL;
	return json_pack("{s:s,s:s,s:s,s:s}", "id", id, "region", region,
	    "address", addr, "project_id", proj);
}

static int
zptr_unavailable(struct zfault *f, int rc, long status)
{
	if (rc < 0)
		return zfault_set(f, 503, "service_unavailable",
		    "The network service is not available (%s)",
		    strerror(-rc));
	return zfault_set(f, 503, "service_unavailable",
	    "The network service answered %ld", status);
}

int
zptr_list(struct zauth *a, const char *url, const char *region,
    const char *project, json_t **out, struct zfault *f)
{
	json_t	*res = NULL, *fip, *o;
	char	 u[1024];
	long	 st;
	size_t	 i;
	int	 rc;

	*out = NULL;
	if (*url == '\0') {		/* no network service: no floating IPs */
		*out = json_array();
		return 0;
	}
	if (project != NULL && (strchr(project, '&') != NULL ||
	    strchr(project, '#') != NULL || strchr(project, ' ') != NULL))
		return zfault_set(f, 400, "invalid_project", "bad project id");
	if ((size_t)snprintf(u, sizeof(u), "%s/v2.0/floatingips%s%s", url,
	    project != NULL ? "?project_id=" : "", project != NULL ? project :
	    "") >= sizeof(u))
		return zfault_set(f, 400, "invalid_project", "bad project id");
	if ((rc = zauth_fetch(a, u, &st, &res)) != 0 || st != 200 ||
	    !json_is_array(json_object_get(res, "floatingips"))) {
		json_decref(res);
		return zptr_unavailable(f, rc, st);
	}
	*out = json_array();
	json_array_foreach(json_object_get(res, "floatingips"), i, fip)
		if ((o = zptr_fip(fip, region)) != NULL)
			json_array_append_new(*out, o);
	json_decref(res);
	return 0;
}

int
zptr_get(struct zauth *a, const char *url, const char *region,
    const char *key, const char *project, json_t **out, struct zfault *f)
{
	json_t		*res = NULL, *o;
	char		 u[1024], reg[ZPTR_KEYMAX], id[64];
	const char	*owner;
	long		 st;
	int		 rc;

	*out = NULL;
	if (zptr_key(key, reg, sizeof(reg), id, sizeof(id)) != 0)
		return zfault_set(f, 400, "invalid_object",
		    "A floating IP is <region>:<uuid>");
	if (strcmp(reg, region) != 0 || *url == '\0')
		return zfault_set(f, 404, "not_found",
		    "Could not find floating IP %s", key);
	if ((size_t)snprintf(u, sizeof(u), "%s/v2.0/floatingips/%s", url,
	    id) >= sizeof(u))
		return zfault_set(f, 404, "not_found", "no such floating IP");
	if ((rc = zauth_fetch(a, u, &st, &res)) != 0 ||
	    (st != 200 && st != 404)) {
		json_decref(res);
		return zptr_unavailable(f, rc, st);
	}
	o = st == 200 ? zptr_fip(json_object_get(res, "floatingip"), region) :
	    NULL;
	json_decref(res);
	owner = json_string_value(json_object_get(o, "project_id"));
	if (o == NULL || (project != NULL && strcmp(owner, project) != 0)) {
		json_decref(o);
		return zfault_set(f, 404, "not_found",
		    "Could not find floating IP %s", key);
	}
	*out = o;
	return 0;
}
