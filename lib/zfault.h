/*
 * An API fault: the HTTP status, the Designate error type and a message,
 * as api-v2.md 1.7 renders them.  Central fills one in when it refuses a
 * request; the RPC carries it; zone-api writes it as the error body.
 */
#ifndef ZFAULT_H
#define ZFAULT_H

#include <jansson.h>

struct zfault {
	int	 status;	/* 400, 404, 409, 413, 500, 503, 504 ... */
	char	 type[48];	/* "invalid_object", "zone_not_found" ... */
	char	 message[256];	/* empty: no "message" key */
	json_t	*errors;	/* optional jsonschema-style list; owned */
};

#define ZFAULT_INIT	{ 0, "", "", NULL }

/* Fill in a fault; returns ZE_FAULT so callers can `return zfault_set(..)'. */
int	 zfault_set(struct zfault *, int status, const char *type,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Like zfault_set for invalid_object, with one errors[] entry. */
int	 zfault_schema(struct zfault *, const char *validator,
	    json_t *path_new, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
void	 zfault_release(struct zfault *);
/* {"code":..,"type":..,"message":..,"errors":..}: a new reference. */
json_t	*zfault_json(const struct zfault *);
/* Read back what zfault_json wrote; returns 0 or ZE_BADMSG. */
int	 zfault_from_json(struct zfault *, const json_t *);

#endif
