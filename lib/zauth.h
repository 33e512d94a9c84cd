/*
 * Keystone token validation for zone-api (auth_strategy = keystone).
 *
 * zauth_check() answers "who is this token?" from a cache when it can
 * and asks Keystone v3 (GET /v3/auth/tokens, the caller's token in
 * X-Subject-Token, our own service token in X-Auth-Token) when it must.
 * The cache is a hash table keyed by the token, under one mutex, with at
 * most ZAUTH_CACHE_MAX entries (the oldest goes first).  A valid token
 * is kept for api.token_cache_s and never past its expires_at; a refused
 * one for ZAUTH_NEG_TTL seconds.  When Keystone does not answer within
 * api.keystone_timeout_ms, a token seen valid before keeps working (up
 * to its expiry) and an unknown one is refused (-ETIMEDOUT ...); for
 * ZAUTH_DOWN_S seconds after such a failure unknown tokens are refused at
 * once instead of waiting for the timeout again.
 *
 * The service token comes from password auth (POST /v3/auth/tokens) as
 * api.auth_user in api.auth_project, both in api.auth_domain, with the
 * password read from api.auth_password_file; it is renewed a minute
 * before it expires and whenever Keystone answers 401 to it.
 *
 * Thread-safe after zauth_init(); curl_global_init() must have run
 * before any thread (zauth_init does it: call it before threads start).
 */
#ifndef ZAUTH_H
#define ZAUTH_H

#include <pthread.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "zapi.h"
#include "zcfg.h"
#include "zfault.h"

#define ZAUTH_IDMAX	256	/* project or user id, NUL included */
#define ZAUTH_ROLESMAX	512	/* role names, comma-separated */
#define ZAUTH_TOKENMAX	8192	/* longer tokens are refused unseen */
#define ZAUTH_CACHE_MAX	10000	/* entries */
#define ZAUTH_NEG_TTL	5	/* seconds a refused token stays refused */
#define ZAUTH_DOWN_S	1	/* fail fast this long after a failure */

/* Who a token belongs to. */
struct zauth_ident {
	char	 project[ZAUTH_IDMAX];	/* "" for a token without project */
	char	 user[ZAUTH_IDMAX];
	char	 roles[ZAUTH_ROLESMAX];	/* "admin,member,reader" */
	int	 admin;			/* roles hold "admin" */
	time_t	 expires;		/* expires_at, seconds since epoch */
};

struct zauth_entry;

struct zauth {
	char		 url[512];	/* Keystone, ending in /v3 */
	char		 user[256];
	char		 project[256];
	char		 domain[256];
	char		*password;
	long		 timeout_ms;
	long		 ttl_s;		/* positive answers */
	size_t		 max;		/* entries */

	pthread_mutex_t	 mu;		/* the cache and down_until */
	pthread_cond_t	 cv;		/* an answer came in */
	struct zauth_entry **tab;
	size_t		 nbuckets;
	size_t		 n;
	struct zauth_entry *oldest, *newest;
	unsigned long long seed;
	time_t		 down_until;	/* monotonic seconds */

	pthread_mutex_t	 smu;		/* the service token */
	char		*stoken;
	time_t		 sexpires;

	unsigned long	 hits, misses, refused, failures;	/* atomics */
	int		 inited;
};

/*
 * Read the [api] keys and the password file.  0, or ZE_CONFIG with
 * `err' set.  Makes no network call.
 */
int		 zauth_init(struct zauth *, const struct zcfg *, char *err,
		    size_t errlen);
void		 zauth_release(struct zauth *);

/*
 * Who is `token'?  0 with *id filled in; -EACCES when Keystone does not
 * know it or it has expired; else Keystone cannot be asked: -ETIMEDOUT
 * (slow), -ECONNREFUSED (down), -EIO, -EPROTO (an error or a bad
 * answer), -EPERM (it refuses our own credentials), -EAGAIN (it failed
 * a moment ago), -ENOMEM.
 */
int		 zauth_check(struct zauth *, const char *token,
		    struct zauth_ident *id);

/*
 * Does Keystone know project `id'?  1 yes, 0 no, or an error of
 * zauth_check when it cannot be asked.  Not cached.
 */
int		 zauth_project_exists(struct zauth *, const char *id);

/*
 * GET `url' (another service's, e.g. Neutron's) with the service token
 * when zauth_init has run (auth_strategy = keystone), with no token
 * otherwise (then set a->timeout_ms first).  0 with *status and *out (the
 * JSON answer, or NULL when there is no JSON body), or an error of
 * zauth_check when there is no answer; -EPROTO for a 5xx or a 2xx that
 * is not JSON.
 */
int		 zauth_fetch(struct zauth *, const char *url, long *status,
		    json_t **out);

/* Ask Keystone for a service token now (start-up check); 0, or an
 * error of zauth_check with `err' set. */
int		 zauth_ping(struct zauth *, char *err, size_t errlen);

/* Drop every cached answer (SIGHUP). */
void		 zauth_flush(struct zauth *);

/*
 * The request side, for zone-api.  zauth_public: the path needs no
 * token (GET /, /healthcheck).  zauth_identity_header: a header that
 * only a token may set (X-Auth-Project-ID, X-Auth-User-ID, X-Roles);
 * drop these from the request before zauth_request.
 *
 * zauth_request checks the X-Auth-Token of `req' and the default policy
 * for the special headers (all-projects, sudo, edit-managed-records and
 * hard-delete are for admins only), then appends the token's project,
 * user and roles to `hdrs' (req->hdrs, with room for three more; their
 * values point into *who).  0, or ZE_FAULT with `f' set: 401
 * unauthorized, 401 missing_project_id, 503 service_unavailable, or a
 * bare 403 (f->type empty: no body, as keystonemiddleware's callers
 * answer).
 */
int		 zauth_public(const char *path);
int		 zauth_identity_header(const char *name);
int		 zauth_denied(const struct zapi_request *,
		    const struct zauth_ident *);
int		 zauth_request(struct zauth *, struct zapi_request *req,
		    struct zapi_header *hdrs, struct zauth_ident *who,
		    struct zfault *f);

#endif
