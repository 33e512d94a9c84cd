/*
 * Keystone token validation and its cache: see zauth.h.
 */

#include <sys/random.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "zapi.h"
#include "zauth.h"
#include "ztime.h"
#include "zfault.h"
#include "zerr.h"

#define ZAUTH_BODYMAX	(1024 * 1024)	/* Keystone answers, at most */
#define ZAUTH_RENEW_S	60		/* renew the service token this
					 * long before it expires */

struct zauth_entry {
	struct zauth_entry	*next;		/* in its bucket */
	struct zauth_entry	*older, *newer;	/* age list */
	unsigned long long	 hash;
	int			 answered;	/* ok is Keystone's answer */
	int			 ok;		/* 0: a refused token */
	int			 pending;	/* a thread is asking Keystone */
	time_t			 fresh_until;	/* monotonic */
	struct zauth_ident	 id;
	char			 token[];
};

/* One HTTP exchange with Keystone. */
struct zauth_http {
	long	 status;
	char	*body;
	size_t	 len;
	int	 too_big;
	char	*subject;	/* X-Subject-Token of the answer */
};

static time_t
zauth_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* FNV-1a over the token, seeded per process. */
static unsigned long long
zauth_hash(const struct zauth *a, const char *s)
{
	unsigned long long	h = 0xcbf29ce484222325ULL ^ a->seed;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* --- configuration --- */

static int
zauth_copy(char *dst, size_t len, const struct zcfg *cfg, const char *key,
    char *err, size_t errlen)
{
	const char	*v = zcfg_get(cfg, "api", key);

	if (v == NULL || *v == '\0' || strlcpy(dst, v, len) >= len) {
		snprintf(err, errlen, "api.%s: bad value \"%s\"", key,
		    v != NULL ? v : "");
		return ZE_CONFIG;
	}
	return 0;
}

static int
zauth_read_password(struct zauth *a, const char *path, char *err,
    size_t errlen)
{
	char	 buf[1024];
	ssize_t	 n;
	size_t	 len;
	int	 fd;

	if (path == NULL || *path == '\0') {
		snprintf(err, errlen, "api.auth_password_file: not set "
		    "(auth_strategy keystone needs it)");
		return ZE_CONFIG;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "api.auth_password_file: %s: %s", path,
		    strerror(errno));
		return ZE_CONFIG;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "api.auth_password_file: %s: %s", path,
		    strerror(errno));
		return ZE_CONFIG;
	}
	len = (size_t)n;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	if (len == 0 || len == sizeof(buf) - 1) {
		snprintf(err, errlen, "api.auth_password_file: %s: %s", path,
		    len == 0 ? "empty" : "too long");
		return ZE_CONFIG;
	}
	a->password = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return a->password != NULL ? 0 : -ENOMEM;
}

int
zauth_init(struct zauth *a, const struct zcfg *cfg, char *err, size_t errlen)
{
	pthread_condattr_t ca;
	const char	*u;
	size_t		 n;
	int		 rc;

	memset(a, 0, sizeof(*a));
	u = zcfg_get(cfg, "api", "keystone_url");
	if (u == NULL || (strncmp(u, "http://", 7) != 0 &&
	    strncmp(u, "https://", 8) != 0) ||
	    strlcpy(a->url, u, sizeof(a->url) - 4) >= sizeof(a->url) - 4) {
		snprintf(err, errlen, "api.keystone_url: bad value \"%s\"",
		    u != NULL ? u : "");
		return ZE_CONFIG;
	}
	n = strlen(a->url);
	while (n > 0 && a->url[n - 1] == '/')
		a->url[--n] = '\0';
	if (n < 3 || strcmp(a->url + n - 3, "/v3") != 0)
		strlcat(a->url, "/v3", sizeof(a->url));
	if ((rc = zauth_copy(a->user, sizeof(a->user), cfg, "auth_user", err,
	    errlen)) != 0 ||
	    (rc = zauth_copy(a->project, sizeof(a->project), cfg,
	    "auth_project", err, errlen)) != 0 ||
	    (rc = zauth_copy(a->domain, sizeof(a->domain), cfg, "auth_domain",
	    err, errlen)) != 0)
		return rc;
	a->timeout_ms = zcfg_int(cfg, "api", "keystone_timeout_ms");
	if (a->timeout_ms < 1 || a->timeout_ms > 60000) {
		snprintf(err, errlen, "api.keystone_timeout_ms: out of range "
		    "1..60000");
		return ZE_CONFIG;
	}
	a->ttl_s = zcfg_int(cfg, "api", "token_cache_s");
	if (a->ttl_s < 0 || a->ttl_s > 86400) {
		snprintf(err, errlen, "api.token_cache_s: out of range "
		    "0..86400");
		return ZE_CONFIG;
	}
	if ((rc = zauth_read_password(a, zcfg_get(cfg, "api",
	    "auth_password_file"), err, errlen)) != 0)
		return rc;
	a->max = ZAUTH_CACHE_MAX;
	for (a->nbuckets = 1; a->nbuckets < a->max; a->nbuckets <<= 1)
		;
	a->nbuckets <<= 1;
	if ((a->tab = calloc(a->nbuckets, sizeof(*a->tab))) == NULL) {
		free(a->password);
		a->password = NULL;
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (getrandom(&a->seed, sizeof(a->seed), 0) != sizeof(a->seed))
		a->seed = (unsigned long long)time(NULL) ^
		    ((unsigned long long)getpid() << 32);
	pthread_mutex_init(&a->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&a->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&a->smu, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	a->inited = 1;
	return 0;
}

void
zauth_flush(struct zauth *a)
{
	struct zauth_entry	*e, *next;

	pthread_mutex_lock(&a->mu);
	for (e = a->oldest; e != NULL; e = next) {
		next = e->newer;
		explicit_bzero(e->token, strlen(e->token));
		free(e);
	}
	memset(a->tab, 0, a->nbuckets * sizeof(*a->tab));
	a->oldest = a->newest = NULL;
	a->n = 0;
	pthread_mutex_unlock(&a->mu);
}

void
zauth_release(struct zauth *a)
{
	if (!a->inited)
		return;
	zauth_flush(a);
	free(a->tab);
	if (a->password != NULL)
		explicit_bzero(a->password, strlen(a->password));
	free(a->password);
	free(a->stoken);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->smu);
	curl_global_cleanup();
	memset(a, 0, sizeof(*a));
}

/* --- the cache (a->mu held) --- */

static struct zauth_entry *
zauth_find(struct zauth *a, const char *token, unsigned long long h)
{
	struct zauth_entry	*e;

	for (e = a->tab[h & (a->nbuckets - 1)]; e != NULL; e = e->next)
		if (e->hash == h && strcmp(e->token, token) == 0)
			return e;
	return NULL;
}

static void
zauth_unlink(struct zauth *a, struct zauth_entry *e)
{
	struct zauth_entry	**pp;

	for (pp = &a->tab[e->hash & (a->nbuckets - 1)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		a->oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		a->newest = e->older;
	a->n--;
	explicit_bzero(e->token, strlen(e->token));
	free(e);
}

/* A new entry for `token', the newest; NULL when out of memory. */
static struct zauth_entry *
zauth_add(struct zauth *a, const char *token, unsigned long long h)
{
	struct zauth_entry	*e;
	size_t			 len = strlen(token);
	size_t			 b;

	while (a->n >= a->max && a->oldest != NULL)
		zauth_unlink(a, a->oldest);
	if ((e = malloc(sizeof(*e) + len + 1)) == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	memcpy(e->token, token, len + 1);
	e->hash = h;
	b = h & (a->nbuckets - 1);
	e->next = a->tab[b];
	a->tab[b] = e;
	e->older = a->newest;
	if (a->newest != NULL)
		a->newest->newer = e;
	else
		a->oldest = e;
	a->newest = e;
	a->n++;
	return e;
}

/* --- HTTP --- */

static size_t
zauth_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct zauth_http	*h = arg;
	size_t			 n = size * nmemb;
	char			*nb;

	if (h->len + n > ZAUTH_BODYMAX) {
		h->too_big = 1;
		return 0;
	}
	if ((nb = realloc(h->body, h->len + n + 1)) == NULL)
		return 0;
	h->body = nb;
	memcpy(h->body + h->len, ptr, n);
	h->len += n;
	h->body[h->len] = '\0';
	return n;
}

static size_t
zauth_header_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	static const char	 name[] = "x-subject-token:";
	struct zauth_http	*h = arg;
	size_t			 n = size * nitems, k = sizeof(name) - 1;
	char			*v, *e;

	if (n > k && strncasecmp(buf, name, k) == 0) {
		v = buf + k;
		e = buf + n;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && isspace((unsigned char)e[-1]))
			e--;
		free(h->subject);
		h->subject = strndup(v, (size_t)(e - v));
	}
	return n;
}

static void
zauth_http_release(struct zauth_http *h)
{
	free(h->body);
	free(h->subject);
	memset(h, 0, sizeof(*h));
}

/*
 * One request to Keystone at a->url + `path'.  0 with h->status set
 * (any status), or -ETIMEDOUT, -ECONNREFUSED, -EIO when there is no
 * answer.
 */
static int
zauth_http(struct zauth *a, const char *method, const char *path,
    const char *token, const char *subject, const char *body,
    struct zauth_http *h)
{
	struct curl_slist	*hl = NULL, *t;
	CURL			*c;
	char			 url[1024], *hv = NULL;
	size_t			 hvlen;
	CURLcode		 cc;
	int			 rc = -ENOMEM, i;
	const char		*names[2] = { "X-Auth-Token", "X-Subject-Token" };
	const char		*vals[2] = { token, subject };

	memset(h, 0, sizeof(*h));
	/* a path of Keystone's, or the whole URL of another service */
	if ((size_t)snprintf(url, sizeof(url), "%s%s",
	    strncmp(path, "http://", 7) == 0 ||
	    strncmp(path, "https://", 8) == 0 ? "" : a->url, path) >=
	    sizeof(url))
		return -ENAMETOOLONG;
	if ((c = curl_easy_init()) == NULL)
		return -ENOMEM;
	if ((t = curl_slist_append(hl, "Accept: application/json")) == NULL)
		goto out;
	hl = t;
	if (body != NULL) {
		if ((t = curl_slist_append(hl,
		    "Content-Type: application/json")) == NULL)
			goto out;
		hl = t;
	}
	for (i = 0; i < 2; i++) {
		if (vals[i] == NULL)
			continue;
		hvlen = strlen(names[i]) + strlen(vals[i]) + 3;
		if ((hv = malloc(hvlen)) == NULL)
			goto out;
		snprintf(hv, hvlen, "%s: %s", names[i], vals[i]);
		t = curl_slist_append(hl, hv);
		explicit_bzero(hv, hvlen);
		free(hv);
		if (t == NULL)
			goto out;
		hl = t;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, a->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, a->timeout_ms);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, zauth_write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, zauth_header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		zauth_http_release(h);
		rc = cc == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT :
		    cc == CURLE_COULDNT_CONNECT ? -ECONNREFUSED : -EIO;
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
	rc = 0;
out:
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	return rc;
}


/* --- the service token --- */

static int
zauth_login(struct zauth *a)
{
	struct zauth_http	 h;
	json_t			*req, *res = NULL;
	char			*body;
	time_t			 exp;
	int			 rc;

	req = json_pack("{s:{s:{s:[s],s:{s:{s:s,s:{s:s},s:s}}},"
	    "s:{s:{s:s,s:{s:s}}}}}",
	    "auth", "identity", "methods", "password", "password", "user",
	    "name", a->user, "domain", "name", a->domain,
	    "password", a->password,
	    "scope", "project", "name", a->project, "domain", "name",
	    a->domain);
	if (req == NULL)
		return -ENOMEM;
	body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (body == NULL)
		return -ENOMEM;
	rc = zauth_http(a, "POST", "/auth/tokens?nocatalog", NULL, NULL, body,
	    &h);
	explicit_bzero(body, strlen(body));
	free(body);
	if (rc != 0)
		return rc;
	/* 401: Keystone refuses our own credentials */
	rc = h.status == 401 ? -EPERM : -EPROTO;
	if (h.status != 201 || h.subject == NULL || h.body == NULL ||
	    (res = json_loads(h.body, 0, NULL)) == NULL)
		goto out;
	exp = ztime_parse(json_string_value(json_object_get(
	    json_object_get(res, "token"), "expires_at")));
	if (exp == 0)
		goto out;
	if (a->stoken != NULL)
		explicit_bzero(a->stoken, strlen(a->stoken));
	free(a->stoken);
	a->stoken = h.subject;
	h.subject = NULL;
	a->sexpires = exp;
	rc = 0;
out:
	json_decref(res);
	zauth_http_release(&h);
	return rc;
}

/*
 * A copy of the service token, logging in when there is none, when it is
 * about to expire, or when `stale' (the one that Keystone refused) is
 * still the current one.  0 with *tok malloc'd, or an error of
 * zauth_http, or -EPERM, -EPROTO.
 */
static int
zauth_service_token(struct zauth *a, const char *stale, char **tok)
{
	int	rc = 0;

	*tok = NULL;
	pthread_mutex_lock(&a->smu);
	if (a->stoken == NULL || time(NULL) + ZAUTH_RENEW_S >= a->sexpires ||
	    (stale != NULL && strcmp(stale, a->stoken) == 0))
		rc = zauth_login(a);
	if (rc == 0 && (*tok = strdup(a->stoken)) == NULL)
		rc = -ENOMEM;
	pthread_mutex_unlock(&a->smu);
	return rc;
}

int
zauth_ping(struct zauth *a, char *err, size_t errlen)
{
	char	*tok;
	int	 rc;

	if ((rc = zauth_service_token(a, NULL, &tok)) != 0)
		snprintf(err, errlen, "cannot log in to %s as %s in project "
		    "%s: %s", a->url, a->user, a->project, strerror(-rc));
	free(tok);
	return rc;
}

/*
 * A GET with the service token, renewed and tried once more on a 401.
 * 0 with `h' filled in, or the errors of zauth_http, zauth_login, or
 * -EPROTO for a 5xx.
 */
static int
zauth_get(struct zauth *a, const char *path, const char *subject,
    struct zauth_http *h)
{
	char	*tok = NULL, *bad;
	int	 rc, tries;

	for (tries = 0; tries < 2; tries++) {
		bad = tok;
		rc = zauth_service_token(a, bad, &tok);
		if (bad != NULL)
			explicit_bzero(bad, strlen(bad));
		free(bad);
		if (rc != 0)
			break;
		if ((rc = zauth_http(a, "GET", path, tok, subject, NULL,
		    h)) != 0)
			break;
		if (h->status != 401)
			break;
		/* our token went bad (Keystone restarted, keys rotated):
		 * log in again and ask once more */
		zauth_http_release(h);
		rc = -EPERM;
	}
	if (tok != NULL)
		explicit_bzero(tok, strlen(tok));
	free(tok);
	if (rc == 0 && h->status >= 500) {
		zauth_http_release(h);
		rc = -EPROTO;
	}
	return rc;
}

/* --- validation --- */

/* Keystone could not be asked (as opposed to: it refused the token). */
static int
zauth_failed(int rc)
{
	return rc < 0 && rc != -EACCES;
}

static int
zauth_parse(const char *body, struct zauth_ident *id)
{
	json_t		*res, *tok, *roles, *r;
	const char	*s;
	size_t		 i, n = 0;
	int		 rc = -EPROTO;

	memset(id, 0, sizeof(*id));
	if ((res = json_loads(body, 0, NULL)) == NULL)
		return -EPROTO;
	tok = json_object_get(res, "token");
	s = json_string_value(json_object_get(json_object_get(tok, "user"),
	    "id"));
	if (s == NULL || strlcpy(id->user, s, sizeof(id->user)) >=
	    sizeof(id->user))
		goto out;
	s = json_string_value(json_object_get(json_object_get(tok, "project"),
	    "id"));
	if (s != NULL && strlcpy(id->project, s, sizeof(id->project)) >=
	    sizeof(id->project))
		goto out;
	if ((id->expires = ztime_parse(json_string_value(json_object_get(tok,
	    "expires_at")))) == 0)
		goto out;
	roles = json_object_get(tok, "roles");
	json_array_foreach(roles, i, r) {
		s = json_string_value(json_object_get(r, "name"));
		if (s == NULL || *s == '\0' || strchr(s, ',') != NULL)
			continue;
		if (n + strlen(s) + 2 > sizeof(id->roles))
			break;
		if (n > 0)
			id->roles[n++] = ',';
		n += strlcpy(id->roles + n, s, sizeof(id->roles) - n);
		if (strcasecmp(s, "admin") == 0)
			id->admin = 1;
	}
	rc = 0;
out:
	json_decref(res);
	return rc;
}

/*
 * Ask Keystone about `token'.  0 with *id set, -EACCES for a token that
 * Keystone refused, another negative errno when it did not answer.
 */
static int
zauth_validate(struct zauth *a, const char *token, struct zauth_ident *id)
{
	struct zauth_http	 h;
	int			 rc;

	if ((rc = zauth_get(a, "/auth/tokens?nocatalog", token, &h)) != 0)
		return rc;
	if (h.status == 404 || h.status == 401 || h.status == 403)
		rc = -EACCES;		/* unknown, expired or revoked */
	else if (h.status != 200 || h.body == NULL ||
	    zauth_parse(h.body, id) != 0)
		rc = -EPROTO;
	else if (time(NULL) >= id->expires)
		rc = -EACCES;
	zauth_http_release(&h);
	return rc;
}

/* An absolute CLOCK_MONOTONIC time `ms' from now. */
static void
zauth_deadline(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/*
 * The cache side of zauth_check (a->mu held).  1 with the answer in *rc
 * (and *id), or 0 when this thread must ask Keystone: the token's entry
 * is then marked pending, and *stale holds what Keystone said before.
 */
static int
zauth_lookup(struct zauth *a, const char *token, unsigned long long hv,
    struct zauth_ident *id, struct zauth_ident *stale, int *have_stale,
    int *rc)
{
	struct zauth_entry	*e;
	struct timespec		 dl;
	time_t			 mono, now;
	int			 waited = 0;

	zauth_deadline(&dl, a->timeout_ms * 2 + 1000);
	for (;;) {
		mono = zauth_mono();
		now = time(NULL);
		if ((e = zauth_find(a, token, hv)) == NULL)
			break;
		if (e->answered && e->ok && now >= e->id.expires) {
			if (!e->pending)
				zauth_unlink(a, e);
			*rc = -EACCES;
			return 1;
		}
		if (e->answered && (mono < e->fresh_until ||
		    (e->pending && e->ok))) {
			/* fresh, or being checked again by another thread
			 * (the last answer stands meanwhile) */
			if ((*rc = e->ok ? 0 : -EACCES) == 0)
				*id = e->id;
			return 1;
		}
		if (!e->pending) {
			if (e->answered && mono < a->down_until) {
				/* Keystone just failed: the last answer
				 * stands */
				if ((*rc = e->ok ? 0 : -EACCES) == 0)
					*id = e->id;
				return 1;
			}
			if (e->answered && e->ok) {
				*stale = e->id;
				*have_stale = 1;
			}
			e->pending = 1;
			return 0;
		}
		/* another thread is asking about this token: wait for it */
		if (waited || pthread_cond_timedwait(&a->cv, &a->mu, &dl) ==
		    ETIMEDOUT) {
			if (waited) {
				*rc = -ETIMEDOUT;
				return 1;
			}
			waited = 1;
		}
	}
	if (zauth_mono() < a->down_until) {
		*rc = -EAGAIN;
		return 1;
	}
	if ((e = zauth_add(a, token, hv)) == NULL) {
		*rc = -ENOMEM;
		return 1;
	}
	e->pending = 1;
	return 0;
}

int
zauth_check(struct zauth *a, const char *token, struct zauth_ident *id)
{
	struct zauth_entry	*e;
	struct zauth_ident	 stale;
	unsigned long long	 hv;
	time_t			 mono, now;
	int			 rc, have_stale = 0;
	const char		*p;

	if (token == NULL || *token == '\0' ||
	    strnlen(token, ZAUTH_TOKENMAX + 1) > ZAUTH_TOKENMAX)
		return -EACCES;
	for (p = token; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return -EACCES;
	hv = zauth_hash(a, token);

	pthread_mutex_lock(&a->mu);
	if (zauth_lookup(a, token, hv, id, &stale, &have_stale, &rc)) {
		pthread_mutex_unlock(&a->mu);
		__atomic_add_fetch(zauth_failed(rc) ? &a->failures :
		    rc == 0 ? &a->hits : &a->refused, 1, __ATOMIC_RELAXED);
		return rc;
	}
	pthread_mutex_unlock(&a->mu);
	__atomic_add_fetch(&a->misses, 1, __ATOMIC_RELAXED);

	rc = zauth_validate(a, token, id);

	mono = zauth_mono();
	now = time(NULL);
	pthread_mutex_lock(&a->mu);
	if ((e = zauth_find(a, token, hv)) == NULL && !zauth_failed(rc))
		e = zauth_add(a, token, hv);	/* evicted meanwhile */
	if (e != NULL) {
		e->pending = 0;
		if (rc == 0) {
			e->answered = e->ok = 1;
			e->id = *id;
			e->fresh_until = mono + (id->expires - now < a->ttl_s ?
			    id->expires - now : a->ttl_s);
		} else if (rc == -EACCES) {
			e->answered = 1;
			e->ok = 0;
			e->fresh_until = mono + ZAUTH_NEG_TTL;
		} else if (!e->answered)
			zauth_unlink(a, e);	/* cache no failure */
	}
	if (zauth_failed(rc))
		a->down_until = mono + ZAUTH_DOWN_S;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);

	if (rc == -EACCES)
		__atomic_add_fetch(&a->refused, 1, __ATOMIC_RELAXED);
	if (zauth_failed(rc)) {
		__atomic_add_fetch(&a->failures, 1, __ATOMIC_RELAXED);
		/* Keystone did not answer: a token that it said was good
		 * keeps working until it expires */
		if (have_stale && now < stale.expires) {
			*id = stale;
			rc = 0;
		}
	}
	return rc;
}

int
zauth_project_exists(struct zauth *a, const char *pid)
{
	struct zauth_http	 h;
	char			 path[ZAUTH_IDMAX + 16];
	const char		*p;
	int			 rc;

	for (p = pid; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	if (*pid == '\0' || (size_t)snprintf(path, sizeof(path),
	    "/projects/%s", pid) >= sizeof(path))
		return 0;
	if ((rc = zauth_get(a, path, NULL, &h)) != 0)
		return rc;
	rc = h.status == 200 ? 1 : h.status == 404 ? 0 : -EPROTO;
	zauth_http_release(&h);
	return rc;
}

int
zauth_fetch(struct zauth *a, const char *url, long *status, json_t **out)
{
	struct zauth_http	 h;
	int			 rc;

	*out = NULL;
	*status = 0;
	rc = a->inited ? zauth_get(a, url, NULL, &h) :
	    zauth_http(a, "GET", url, NULL, NULL, NULL, &h);
	if (rc != 0)
		return rc;
	*status = h.status;
	if (h.body != NULL && (*out = json_loads(h.body, 0, NULL)) == NULL &&
	    h.status >= 200 && h.status < 300)
		rc = -EPROTO;
	zauth_http_release(&h);
	return rc;
}

/* --- the request side (zone-api) --- */

/* Headers that only a token may set (keystone). */
int
zauth_identity_header(const char *name)
{
	return strcasecmp(name, "X-Auth-Project-ID") == 0 ||
	    strcasecmp(name, "X-Auth-User-ID") == 0 ||
	    strcasecmp(name, "X-Roles") == 0;
}

/* The version document and the health check need no token. */
int
zauth_public(const char *path)
{
	return strcmp(path, "/") == 0 || strcmp(path, "") == 0 ||
	    strcmp(path, "/healthcheck") == 0 ||
	    strcmp(path, "/healthcheck/") == 0;
}

/* Header `h', else query key k1 or k2, says true (as zapi_context reads
 * them). */
static int
zauth_true(const struct zapi_request *req, json_t *q, const char *h,
    const char *k1, const char *k2)
{
	const char	*v = zapi_header(req, h);

	if ((v == NULL || *v == '\0') && k1 != NULL)
		v = json_string_value(json_object_get(q, k1));
	if ((v == NULL || *v == '\0') && k2 != NULL)
		v = json_string_value(json_object_get(q, k2));
	return v != NULL && zcfg_parse_bool(v) == 1;
}

/*
 * The default policy for the special headers (api-v2.md 1.6):
 * all-projects, sudo, edit-managed-records and hard-delete are for
 * admins only.  1 when `who' may not use what the request asks.
 */
int
zauth_denied(const struct zapi_request *req, const struct zauth_ident *who)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*q = NULL;
	const char	*v;
	int		 deny;

	if (who->admin)
		return 0;
	if (zapi_query_parse(req->query, &q, &f) != 0)
		q = NULL;		/* zapi_handle answers a bad query */
	zfault_release(&f);
	deny = zauth_true(req, q, "X-Auth-All-Projects", "all_projects",
	    "all_tenants") ||
	    zauth_true(req, q, "X-Designate-Edit-Managed-Records",
	    "edit_managed_records", NULL) ||
	    zauth_true(req, q, "X-Designate-Hard-Delete", NULL, NULL) ||
	    ((v = zapi_header(req, "X-Auth-Sudo-Project-ID")) != NULL &&
	    *v != '\0') ||
	    ((v = zapi_header(req, "X-Auth-Sudo-Tenant-ID")) != NULL &&
	    *v != '\0');
	json_decref(q);
	return deny;
}

/*
 * auth_strategy keystone: check the token and the special headers, then
 * append the token's project, user and roles to `hdrs' (which has room
 * for three more).  0, or ZE_FAULT with `f' set (a bare 403 has no type).
 */
int
zauth_request(struct zauth *a, struct zapi_request *req,
    struct zapi_header *hdrs, struct zauth_ident *who, struct zfault *f)
{
	const char	*tok = zapi_header(req, "X-Auth-Token");
	int		 rc;

	if (tok == NULL || *tok == '\0')
		return zfault_set(f, 401, "unauthorized",
		    "Authentication required");
	if ((rc = zauth_check(a, tok, who)) == -EACCES)
		return zfault_set(f, 401, "unauthorized",
		    "Authentication required");
	if (rc != 0)
		return zfault_set(f, 503, "service_unavailable",
		    "The identity service is not available (%s); try again "
		    "later", strerror(-rc));
	if (who->project[0] == '\0')
		return zfault_set(f, 401, "missing_project_id",
		    "A project ID must be provided: use a project-scoped "
		    "token");
	if (zauth_denied(req, who)) {
		f->status = 403;
		f->type[0] = '\0';
		return ZE_FAULT;
	}
	hdrs[req->nhdrs].name = "X-Auth-Project-ID";
	hdrs[req->nhdrs++].value = who->project;
	hdrs[req->nhdrs].name = "X-Auth-User-ID";
	hdrs[req->nhdrs++].value = who->user;
	hdrs[req->nhdrs].name = "X-Roles";
	hdrs[req->nhdrs++].value = who->roles;
	return 0;
}

