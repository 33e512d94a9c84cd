/*
 * Backends: how a zone is put on and taken off one pool target
 * (zpool.h "targets").  One function set per target type:
 *
 *   catalog  nothing per zone: the server follows zone-xfr's catalog zone
 *   bind9    rndc addzone / delzone
 *   knot     knotc conf-begin, conf-set 'zone[NAME]' ..., conf-commit
 *   nsd      nsd-control addzone NAME PATTERN / delzone NAME
 *   pdns     PowerDNS HTTP API (libcurl)
 *
 * "Already there" counts as success for create, "not there" for delete,
 * so every call is idempotent.  The command lines are built by
 * zbackend_argv() (pure, tested) and run without a shell.
 */
#ifndef ZBACKEND_H
#define ZBACKEND_H

#include <stddef.h>

#include <jansson.h>

enum zbackend_op { ZB_CREATE, ZB_DELETE };

#define ZB_MAXARGV	32
#define ZB_MAXCMDS	4

/* Command lines for one operation: cmds[i] is a NULL-terminated argv
 * whose strings live in buf. */
struct zbackend_cmds {
	int	 n;
	char	*argv[ZB_MAXCMDS][ZB_MAXARGV];
	char	 buf[4096];
	size_t	 used;
};

/* Call once before any thread starts (libcurl). */
void	zbackend_global_init(void);
/* Known target type: 1 or 0. */
int	zbackend_known(const char *type);
/* 1 when the type keeps per-zone state on the server (not catalog). */
int	zbackend_per_zone(const char *type);

/*
 * Build the command lines of `op' on `target' (borrowed) for `zone'
 * (absolute name).  0 with cmds->n == 0 when the type runs no command
 * (catalog, pdns); ZE_CONFIG with err filled in for a bad target.
 */
int	zbackend_argv(const json_t *target, enum zbackend_op, const char *zone,
	    struct zbackend_cmds *, char *err, size_t errlen);

/*
 * Do `op' for `zone' on `target'.  0 on success (already present on
 * create, already absent on delete count as success), else a negative
 * code with err holding the server's words.
 */
int	zbackend_apply(const json_t *target, enum zbackend_op, const char *zone,
	    char *err, size_t errlen);

/*
 * The same for several zones: rcs[i] is zone i's result; the return is
 * 0 or the last failure.  Knot targets get one transaction for all,
 * NSD targets one addzones/delzones call.
 */
int	zbackend_apply_many(const json_t *target, enum zbackend_op,
	    const char *const *zones, size_t n, int *rcs, char *err,
	    size_t errlen);

/* Is this output of a failed command "already exists" (create) or "not
 * found" (delete)?  Pure. */
int	zbackend_benign(const char *type, enum zbackend_op, const char *out);

#endif
