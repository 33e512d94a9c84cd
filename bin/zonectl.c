/*
 * zonectl: the command-line client of the zone DNS API (Designate v2).
 *
 * `zonectl noun verb ...', like git: a command table, one function per
 * command.  Output is one compact JSON object per line on stdout, flushed
 * (-f json), or aligned columns for people (-f table).  A failure is one
 * line on stderr, "zonectl: error: <type>: <message>", and a sysexits(3)
 * status; zonectl(1) lists them.
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#ifndef LIBBSD_OVERLAY		/* strlcpy, strlcat, strtonum */
#include <bsd/stdlib.h>
#include <bsd/string.h>
#endif
#include <curl/curl.h>
#include <jansson.h>

#include "zcfg.h"
#include "zerr.h"
#include "zevents.h"
#include "zlog.h"
#include "znats.h"
#include "zuuid.h"

#define USAGE	"zonectl [-hvw] [-f json|table] [-p project] [-r roles] " \
		"[-t seconds] [-u url] noun verb [argument ...]"
#define URLSZ		4096
#define MAXBODY		(64 * 1024 * 1024)
#define EX_NOTFOUND	1

enum fmt { FMT_JSON, FMT_TABLE };

static struct {
	CURL			*curl;
	struct curl_slist	*hdrs;
	char			 base[1024];	/* -u, no trailing slash */
	char			 errbuf[CURL_ERROR_SIZE];
	const char		*project, *roles;
	enum fmt		 fmt;
	int			 wait, timeout, verbose;
	json_t			*rows;		/* -f table: items to print */
	const struct cmd	*cmd;		/* the command running */
} g;

/* What the options and operands of one command gave. */
struct args {
	const char	*pos[2];
	int		 npos;
	const char	*email, *desc, *name, *status, *type;
	long long	 ttl, limit;		/* -1: not given */
	json_t		*records;		/* --record ..., or NULL */
};

struct cmd {
	const char	*noun, *verb;
	int		 npos;			/* operands required */
	const char	*opts;			/* option codes allowed */
	int		(*fn)(struct args *);
	const char	*usage;
};

/* A zone named on the command line: its id (URL-encoded) and name. */
struct zref {
	char	id[512];
	char	name[256];
};

static const char *const zone_cols[] = {
	"id", "name", "type", "serial", "status", "action", NULL
};
static const char *const rs_cols[] = {
	"id", "name", "type", "records", "status", "action", NULL
};
static const char *const field_cols[] = { "field", "value", NULL };

static int	zone_create(struct args *);
static int	zone_list(struct args *);
static int	zone_show(struct args *);
static int	zone_set(struct args *);
static int	zone_delete(struct args *);
static int	rs_create(struct args *);
static int	rs_list(struct args *);
static int	rs_show(struct args *);
static int	rs_set(struct args *);
static int	rs_delete(struct args *);

static const struct cmd cmds[] = {
	{ "zone", "create", 1, "eLdwt", zone_create,
	    "zone create NAME --email E [--ttl N] [--description D]" },
	{ "zone", "list", 0, "nsl", zone_list,
	    "zone list [--name N] [--status S] [--limit N]" },
	{ "zone", "show", 1, "", zone_show,
	    "zone show ID|NAME" },
	{ "zone", "set", 1, "eLdwt", zone_set,
	    "zone set ID|NAME [--email E] [--ttl N] [--description D]" },
	{ "zone", "delete", 1, "wt", zone_delete,
	    "zone delete ID|NAME" },
	{ "recordset", "create", 2, "yRLdwt", rs_create,
	    "recordset create ZONE NAME --type T --record R [--record R ...] "
	    "[--ttl N] [--description D]" },
	{ "recordset", "list", 1, "nyl", rs_list,
	    "recordset list ZONE [--name N] [--type T] [--limit N]" },
	{ "recordset", "show", 2, "y", rs_show,
	    "recordset show ZONE ID|NAME [--type T]" },
	{ "recordset", "set", 2, "RLdwt", rs_set,
	    "recordset set ZONE ID|NAME [--record R ...] [--ttl N] "
	    "[--description D]" },
	{ "recordset", "delete", 2, "wt", rs_delete,
	    "recordset delete ZONE ID|NAME" },
};

static const struct option cmd_opts[] = {
	{ "description",	required_argument,	NULL, 'd' },
	{ "email",		required_argument,	NULL, 'e' },
	{ "limit",		required_argument,	NULL, 'l' },
	{ "name",		required_argument,	NULL, 'n' },
	{ "record",		required_argument,	NULL, 'R' },
	{ "status",		required_argument,	NULL, 's' },
	{ "timeout",		required_argument,	NULL, 't' },
	{ "ttl",		required_argument,	NULL, 'L' },
	{ "type",		required_argument,	NULL, 'y' },
	{ "wait",		no_argument,		NULL, 'w' },
	{ NULL,			0,			NULL, 0 }
};

static const struct option global_opts[] = {
	{ "format",	required_argument,	NULL, 'f' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "project",	required_argument,	NULL, 'p' },
	{ "roles",	required_argument,	NULL, 'r' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ "url",	required_argument,	NULL, 'u' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "wait",	no_argument,		NULL, 'w' },
	{ NULL,		0,			NULL, 0 }
};

/*
 * Print "zonectl: error: <type>: <message>" on one line: control
 * characters in the message become spaces.
 */
static void __attribute__((format(printf, 2, 3)))
errmsg(const char *type, const char *fmt, ...)
{
	char	 msg[1024], *p;
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);	/* may truncate */
	va_end(ap);
	for (p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	fprintf(stderr, "zonectl: error: %s: %s\n", type, msg);
}

static void __attribute__((noreturn))
usage(const struct cmd *c, FILE *fp, int status)
{
	size_t	i;

	if (c != NULL) {
		fprintf(fp, "usage: zonectl [options] %s\n", c->usage);
		exit(status);
	}
	fprintf(fp, "usage: %s\ncommands:\n", USAGE);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(fp, "    %s\n", cmds[i].usage);
	fprintf(fp, "    watch [--since SEQ] [--count N] [--idle SECONDS]\n");
	exit(status);
}

static void __attribute__((noreturn))
oom(void)
{
	errmsg("internal", "out of memory");
	exit(EX_OSERR);
}

static long long
number(const char *opt, const char *s, long long min, long long max)
{
	const char	*e;
	long long	 n;

	n = strtonum(s, min, max, &e);
	if (e != NULL) {
		errmsg("usage", "--%s %s: %s", opt, s, e);
		exit(EX_USAGE);
	}
	return n;
}

/* A JSON string, or null for "" (to clear a description). */
static json_t *
jstr(const char *s)
{
	json_t	*j;

	if (*s == '\0')
		return json_null();
	if ((j = json_string(s)) == NULL) {
		errmsg("usage", "not UTF-8: %s", s);
		exit(EX_USAGE);
	}
	return j;
}

/* Percent-encode `s' into `buf' (RFC 3986 unreserved characters kept). */
static const char *
pct(char *buf, size_t len, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 o = 0;
	unsigned char		 c;

	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (o + 4 > len)
			goto toolong;
		if (isalnum(c) || strchr("-._~", c) != NULL)
			buf[o++] = (char)c;
		else {
			buf[o++] = '%';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	if (o >= len)
		goto toolong;
	buf[o] = '\0';
	return buf;
toolong:
	errmsg("usage", "argument too long: %.40s...", s);
	exit(EX_USAGE);
}

/* `buf' = base URL + the formatted path. */
static void __attribute__((format(printf, 3, 4)))
mkurl(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;
	size_t	n;
	int	w;

	n = strlcpy(buf, g.base, len);
	va_start(ap, fmt);
	w = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= len - n) {
		errmsg("usage", "URL too long");
		exit(EX_USAGE);
	}
}

/* Add key=value to a query string. */
static void
qadd(char *q, size_t len, const char *key, const char *val)
{
	char	e[1024];

	if (val == NULL)
		return;
	pct(e, sizeof(e), val);
	if ((*q != '\0' && strlcat(q, "&", len) >= len) ||
	    strlcat(q, key, len) >= len || strlcat(q, "=", len) >= len ||
	    strlcat(q, e, len) >= len) {
		errmsg("usage", "query too long");
		exit(EX_USAGE);
	}
}

static int
endsdot(const char *s)
{
	size_t	n = strlen(s);

	return n > 0 && s[n - 1] == '.';
}

static const char *
upper(char *buf, size_t len, const char *s)
{
	char	*p;

	if (s == NULL)
		return NULL;
	if (strlcpy(buf, s, len) >= len) {
		errmsg("usage", "type too long: %s", s);
		exit(EX_USAGE);
	}
	for (p = buf; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	return buf;
}

/*
 * A recordset name as the API wants it: "@" is the zone apex, a name
 * ending in '.' is absolute, anything else is relative to the zone.
 */
static void
fqdn(char *buf, size_t len, const char *name, const char *zone)
{
	int	w;

	if (strcmp(name, "@") == 0)
		w = snprintf(buf, len, "%s", zone);
	else if (endsdot(name))
		w = snprintf(buf, len, "%s", name);
	else
		w = snprintf(buf, len, "%s.%s", name, zone);
	if (w < 0 || (size_t)w >= len) {
		errmsg("usage", "name too long: %s", name);
		exit(EX_USAGE);
	}
}

/* --- HTTP ------------------------------------------------------------ */

struct buf {
	char	*p;
	size_t	 len;
};

static size_t
on_data(char *ptr, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;
	char		*p;

	n *= size;
	if (b->len + n > MAXBODY ||
	    (p = realloc(b->p, b->len + n + 1)) == NULL)
		return 0;
	memcpy(p + b->len, ptr, n);
	b->p = p;
	b->len += n;
	p[b->len] = '\0';
	return n;
}

/*
 * Send one request; `body' is borrowed and may be NULL.  When a response
 * came back, returns 0 with its status in *status and its JSON body in
 * *resp (a new reference; NULL when empty or not JSON).  Otherwise prints
 * why and returns the exit status.
 */
static int
http(const char *method, const char *url, const json_t *body, long *status,
    json_t **resp)
{
	struct buf	 b = { NULL, 0 };
	struct timespec	 t0, t1;
	char		*data = NULL, st[16], ms[16];
	CURLcode	 cc;
	int		 rc = 0;

	*resp = NULL;
	*status = 0;
	g.errbuf[0] = '\0';
	curl_easy_setopt(g.curl, CURLOPT_URL, url);
	curl_easy_setopt(g.curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(g.curl, CURLOPT_CUSTOMREQUEST,
	    strcmp(method, "GET") == 0 || strcmp(method, "POST") == 0 ?
	    NULL : method);
	if (body != NULL) {
		if ((data = json_dumps(body, JSON_COMPACT)) == NULL)
			oom();
		curl_easy_setopt(g.curl, CURLOPT_POSTFIELDS, data);
		curl_easy_setopt(g.curl, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(data));
	}
	curl_easy_setopt(g.curl, CURLOPT_WRITEDATA, &b);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cc = curl_easy_perform(g.curl);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	curl_easy_getinfo(g.curl, CURLINFO_RESPONSE_CODE, status);
	snprintf(st, sizeof(st), "%ld", *status);
	snprintf(ms, sizeof(ms), "%ld", (long)((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000));
	zlog(ZLOG_DEBUG, "http.request", "method", method, "url", url,
	    "status", st, "ms", ms, data != NULL ? "body" : NULL, data, NULL);

	if (cc != CURLE_OK) {
		if (cc == CURLE_OPERATION_TIMEDOUT)
			rc = EX_TEMPFAIL;
		else if (cc == CURLE_URL_MALFORMAT ||
		    cc == CURLE_UNSUPPORTED_PROTOCOL)
			rc = EX_USAGE;
		else
			rc = EX_UNAVAILABLE;
		errmsg(rc == EX_TEMPFAIL ? "timeout" : rc == EX_USAGE ?
		    "bad_url" : "unreachable", "%s %s: %s", method, url,
		    g.errbuf[0] != '\0' ? g.errbuf : curl_easy_strerror(cc));
		goto out;
	}
	if (b.len > 0)
		*resp = json_loadb(b.p, b.len, 0, NULL);
	if (*resp == NULL && b.len > 0 && *status >= 200 && *status < 300) {
		errmsg("bad_response", "%s %s: the body is not JSON",
		    method, url);
		rc = EX_SOFTWARE;
	}
out:
	curl_easy_setopt(g.curl, CURLOPT_POSTFIELDS, NULL);
	free(data);
	free(b.p);
	return rc;
}

/* The exit status for an HTTP status; for an error, print the API's. */
static int
check(long status, const json_t *resp)
{
	const char	*type, *msg;
	json_t		*e;
	char		 t[32], m[32];

	if (status >= 200 && status < 300)
		return 0;
	type = json_string_value(json_object_get(resp, "type"));
	msg = json_string_value(json_object_get(resp, "message"));
	if (msg == NULL) {	/* schema errors: {"errors":{"errors":[..]}} */
		e = json_array_get(json_object_get(json_object_get(resp,
		    "errors"), "errors"), 0);
		msg = json_string_value(json_object_get(e, "message"));
	}
	if (type == NULL) {
		snprintf(t, sizeof(t), "http_%ld", status);
		type = t;
	}
	if (msg == NULL) {
		snprintf(m, sizeof(m), "HTTP status %ld", status);
		msg = m;
	}
	errmsg(type, "%s", msg);
	switch (status) {
	case 404:
		return EX_NOTFOUND;
	case 400: case 409: case 413: case 415:
		return EX_DATAERR;
	case 401: case 403:
		return EX_NOPERM;
	case 503:
		return EX_UNAVAILABLE;
	case 504:
		return EX_TEMPFAIL;
	}
	return EX_SOFTWARE;
}

/* http() and check(): 0 and *resp (a new reference), or the exit status. */
static int
api(const char *method, const char *url, const json_t *body, json_t **resp)
{
	long	status;
	int	rc;

	if ((rc = http(method, url, body, &status, resp)) != 0)
		return rc;
	if ((rc = check(status, *resp)) != 0) {
		json_decref(*resp);
		*resp = NULL;
	}
	return rc;
}

/*
 * -w: poll `url' every 100 ms until its status is ACTIVE (then *obj is
 * the last object seen) or, with `gone', until it is 404.
 */
static int
wait_for(const char *url, int gone, json_t **obj)
{
	const struct timespec	 nap = { 0, 100 * 1000 * 1000 };
	struct timespec		 now, end;
	const char		*st;
	json_t			*resp;
	long			 status;
	int			 rc;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += g.timeout;
	for (;;) {
		if ((rc = http("GET", url, NULL, &status, &resp)) != 0)
			return rc;
		if (gone && status == 404) {
			json_decref(resp);
			return 0;
		}
		if ((rc = check(status, resp)) != 0) {
			json_decref(resp);
			return rc;
		}
		st = json_string_value(json_object_get(resp, "status"));
		if (!gone && st != NULL && strcmp(st, "ACTIVE") == 0) {
			json_decref(*obj);
			*obj = resp;
			return 0;
		}
		if (!gone && st != NULL && strcmp(st, "ERROR") == 0) {
			errmsg("status_error", "%s is in status ERROR", url);
			json_decref(*obj);
			*obj = resp;
			return EX_SOFTWARE;
		}
		json_decref(resp);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec &&
		    now.tv_nsec >= end.tv_nsec)) {
			errmsg("timeout", "%s is not %s after %d s", url,
			    gone ? "gone" : "ACTIVE", g.timeout);
			return EX_TEMPFAIL;
		}
		nanosleep(&nap, NULL);
	}
}

/* --- output ---------------------------------------------------------- */

/* Text of one table cell: strings bare, lists joined by ", ". */
static char *
cell(const json_t *v)
{
	const json_t	*it;
	char		*s = NULL, *t;
	size_t		 i, len = 0;
	FILE		*fp;

	if (v == NULL || json_is_null(v))
		return strdup("");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (!json_is_array(v))
		return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if ((fp = open_memstream(&s, &len)) == NULL)
		return NULL;
	json_array_foreach(v, i, it) {
		if ((t = cell(it)) == NULL)
			break;
		fprintf(fp, "%s%s", i > 0 ? ", " : "", t);
		free(t);
	}
	fclose(fp);
	return s;
}

/* Print g.rows as columns `cols', with a header line. */
static int
table(const char *const *cols)
{
	const json_t	*row;
	const char	*p;
	size_t		 i, c, w[8] = { 0 };
	char		*s;

	for (c = 0; cols[c] != NULL; c++) {
		w[c] = strlen(cols[c]);
		json_array_foreach(g.rows, i, row) {
			if ((s = cell(json_object_get(row, cols[c]))) == NULL)
				oom();
			if (strlen(s) > w[c])
				w[c] = strlen(s);
			free(s);
		}
	}
	for (c = 0; cols[c] != NULL; c++) {
		for (p = cols[c]; *p != '\0'; p++)
			putchar(toupper((unsigned char)*p));
		printf("%*s", cols[c + 1] != NULL ?
		    (int)(w[c] - strlen(cols[c]) + 2) : 0, "");
	}
	putchar('\n');
	json_array_foreach(g.rows, i, row) {
		for (c = 0; cols[c] != NULL; c++) {
			if ((s = cell(json_object_get(row, cols[c]))) == NULL)
				oom();
			if (cols[c + 1] != NULL)
				printf("%-*s  ", (int)w[c], s);
			else
				printf("%s\n", s);
			free(s);
		}
	}
	json_array_clear(g.rows);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		errmsg("write", "stdout: %s", strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

/* One item: a JSON line now, or a table row for later. */
static int
emit(json_t *obj)
{
	if (g.fmt == FMT_TABLE) {
		if (json_array_append(g.rows, obj) != 0)
			oom();
		return 0;
	}
	if (json_dumpf(obj, stdout, JSON_COMPACT) != 0 ||
	    putchar('\n') == EOF || fflush(stdout) != 0) {
		errmsg("write", "stdout: %s", strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

/* One object: a JSON line, or a field/value table. */
static int
show(json_t *obj)
{
	const char	*k;
	json_t		*v;

	if (obj == NULL)
		return 0;
	if (g.fmt == FMT_JSON)
		return emit(obj);
	json_object_foreach(obj, k, v) {
		if (strcmp(k, "links") != 0 && json_array_append_new(g.rows,
		    json_pack("{sssO}", "field", k, "value", v)) != 0)
			oom();
	}
	return table(field_cols);
}

/*
 * GET `path'?`query' and emit every item of the list `key', following
 * links.next to the last page when `all' is set.  Only the query of
 * links.next is used, so paging works behind proxies too.
 */
static int
list(const char *path, const char *query, const char *key, int all,
    const char *const *cols)
{
	char		 url[URLSZ], q[URLSZ];
	const char	*next, *p;
	json_t		*resp, *items, *it;
	size_t		 i;
	int		 rc;

	strlcpy(q, query, sizeof(q));
	for (;;) {
		mkurl(url, sizeof(url), "%s%s%s", path, *q != '\0' ? "?" : "",
		    q);
		if ((rc = api("GET", url, NULL, &resp)) != 0)
			return rc;
		if (!json_is_array(items = json_object_get(resp, key))) {
			errmsg("bad_response", "GET %s: no \"%s\" list", url,
			    key);
			json_decref(resp);
			return EX_SOFTWARE;
		}
		json_array_foreach(items, i, it)
			if ((rc = emit(it)) != 0) {
				json_decref(resp);
				return rc;
			}
		next = json_string_value(json_object_get(json_object_get(resp,
		    "links"), "next"));
		if (!all || next == NULL || json_array_size(items) == 0 ||
		    (p = strchr(next, '?')) == NULL || strcmp(p + 1, q) == 0 ||
		    strlcpy(q, p + 1, sizeof(q)) >= sizeof(q)) {
			json_decref(resp);
			break;
		}
		json_decref(resp);
	}
	return g.fmt == FMT_TABLE ? table(cols) : 0;
}

/*
 * After a change: wait for it with -w, then print the object.  For
 * `gone' the object printed is the API's answer to the DELETE.
 */
static int
done(json_t *obj, const char *url, int gone)
{
	int	rc = 0;

	if (g.wait)
		rc = wait_for(url, gone, &obj);
	if (show(obj) != 0 && rc == 0)
		rc = EX_IOERR;
	json_decref(obj);
	return rc;
}

/* --- references ------------------------------------------------------ */

/*
 * A zone by id, or by name when it ends in '.'.  With `needname' a zone
 * given by id is fetched to learn its name.
 */
static int
zone_ref(const char *arg, int needname, struct zref *z)
{
	char		 url[URLSZ], e[1024];
	json_t		*resp, *zone;
	const char	*id, *name;
	int		 rc;

	z->name[0] = '\0';
	if (!endsdot(arg)) {
		pct(z->id, sizeof(z->id), arg);
		if (!needname)
			return 0;
		mkurl(url, sizeof(url), "/v2/zones/%s", z->id);
		if ((rc = api("GET", url, NULL, &resp)) != 0)
			return rc;
		zone = resp;
	} else {
		mkurl(url, sizeof(url), "/v2/zones?name=%s",
		    pct(e, sizeof(e), arg));
		if ((rc = api("GET", url, NULL, &resp)) != 0)
			return rc;
		zone = json_array_get(json_object_get(resp, "zones"), 0);
		if (zone == NULL) {
			errmsg("zone_not_found", "no zone named %s", arg);
			json_decref(resp);
			return EX_NOTFOUND;
		}
	}
	id = json_string_value(json_object_get(zone, "id"));
	name = json_string_value(json_object_get(zone, "name"));
	rc = 0;
	if (id == NULL || name == NULL) {
		errmsg("bad_response", "GET %s: zone without id or name", url);
		rc = EX_SOFTWARE;
	} else {
		pct(z->id, sizeof(z->id), id);
		strlcpy(z->name, name, sizeof(z->name));
	}
	json_decref(resp);
	return rc;
}

/*
 * A recordset of zone `z' by id, or by name (relative to the zone unless
 * it ends in '.') and optional type; the id goes to `id'.
 */
static int
rs_ref(struct zref *z, const char *arg, const char *type, char *id,
    size_t idlen)
{
	char		 url[URLSZ], q[URLSZ], name[512];
	const char	*s;
	json_t		*resp, *items;
	int		 rc = 0;

	if (zuuid_valid(arg)) {
		strlcpy(id, arg, idlen);
		return 0;
	}
	fqdn(name, sizeof(name), arg, z->name);
	q[0] = '\0';
	qadd(q, sizeof(q), "name", name);
	qadd(q, sizeof(q), "type", type);
	mkurl(url, sizeof(url), "/v2/zones/%s/recordsets?%s", z->id, q);
	if ((rc = api("GET", url, NULL, &resp)) != 0)
		return rc;
	items = json_object_get(resp, "recordsets");
	if (json_array_size(items) == 0) {
		errmsg("recordset_not_found", "no recordset named %s%s%s",
		    name, type != NULL ? " of type " : "",
		    type != NULL ? type : "");
		rc = EX_NOTFOUND;
	} else if (json_array_size(items) > 1) {
		errmsg("ambiguous", "%zu recordsets named %s, give --type",
		    json_array_size(items), name);
		rc = EX_DATAERR;
	} else if ((s = json_string_value(json_object_get(json_array_get(items,
	    0), "id"))) == NULL || strlcpy(id, s, idlen) >= idlen) {
		errmsg("bad_response", "GET %s: recordset without id", url);
		rc = EX_SOFTWARE;
	}
	json_decref(resp);
	return rc;
}

/* --- commands -------------------------------------------------------- */

/* Body of a create or set: the fields given as options. */
static json_t *
body_new(const struct args *a)
{
	json_t	*b;

	if ((b = json_object()) == NULL)
		oom();
	if (a->email != NULL)
		json_object_set_new(b, "email", jstr(a->email));
	if (a->records != NULL)
		json_object_set(b, "records", a->records);
	if (a->ttl >= 0)
		json_object_set_new(b, "ttl", json_integer(a->ttl));
	if (a->desc != NULL)
		json_object_set_new(b, "description", jstr(a->desc));
	return b;
}

/* GET `url' and print the object. */
static int
get_show(const char *url)
{
	json_t	*resp;
	int	 rc;

	if ((rc = api("GET", url, NULL, &resp)) != 0)
		return rc;
	rc = show(resp);
	json_decref(resp);
	return rc;
}

static int
zone_create(struct args *a)
{
	char		 url[URLSZ], e[512];
	const char	*id;
	json_t		*body, *resp;
	int		 rc;

	if (a->email == NULL)
		usage(g.cmd, stderr, EX_USAGE);
	body = body_new(a);
	json_object_set_new(body, "name", jstr(a->pos[0]));
	mkurl(url, sizeof(url), "/v2/zones");
	rc = api("POST", url, body, &resp);
	json_decref(body);
	if (rc != 0)
		return rc;
	if ((id = json_string_value(json_object_get(resp, "id"))) == NULL)
		id = "";
	mkurl(url, sizeof(url), "/v2/zones/%s", pct(e, sizeof(e), id));
	return done(resp, url, 0);
}

static int
zone_list(struct args *a)
{
	char	q[URLSZ] = "", n[32];

	qadd(q, sizeof(q), "name", a->name);
	qadd(q, sizeof(q), "status", a->status);
	if (a->limit > 0) {
		snprintf(n, sizeof(n), "%lld", a->limit);
		qadd(q, sizeof(q), "limit", n);
	}
	return list("/v2/zones", q, "zones", a->limit <= 0, zone_cols);
}

static int
zone_show(struct args *a)
{
	struct zref	 z;
	char		 url[URLSZ];
	int		 rc;

	if ((rc = zone_ref(a->pos[0], 0, &z)) != 0)
		return rc;
	mkurl(url, sizeof(url), "/v2/zones/%s", z.id);
	return get_show(url);
}

static int
zone_set(struct args *a)
{
	struct zref	 z;
	char		 url[URLSZ];
	json_t		*body, *resp;
	int		 rc;

	if (a->email == NULL && a->ttl < 0 && a->desc == NULL)
		usage(g.cmd, stderr, EX_USAGE);
	if ((rc = zone_ref(a->pos[0], 0, &z)) != 0)
		return rc;
	mkurl(url, sizeof(url), "/v2/zones/%s", z.id);
	body = body_new(a);
	rc = api("PATCH", url, body, &resp);
	json_decref(body);
	return rc != 0 ? rc : done(resp, url, 0);
}

static int
zone_delete(struct args *a)
{
	struct zref	 z;
	char		 url[URLSZ];
	json_t		*resp;
	int		 rc;

	if ((rc = zone_ref(a->pos[0], 0, &z)) != 0)
		return rc;
	mkurl(url, sizeof(url), "/v2/zones/%s", z.id);
	if ((rc = api("DELETE", url, NULL, &resp)) != 0)
		return rc;
	return done(resp, url, 1);
}

static int
rs_create(struct args *a)
{
	struct zref	 z;
	char		 url[URLSZ], name[512], type[32], e[512];
	const char	*id;
	json_t		*body, *resp;
	int		 rc;

	if (a->type == NULL || a->records == NULL)
		usage(g.cmd, stderr, EX_USAGE);
	if ((rc = zone_ref(a->pos[0], !endsdot(a->pos[1]), &z)) != 0)
		return rc;
	fqdn(name, sizeof(name), a->pos[1], z.name);
	body = body_new(a);
	json_object_set_new(body, "name", jstr(name));
	json_object_set_new(body, "type",
	    jstr(upper(type, sizeof(type), a->type)));
	mkurl(url, sizeof(url), "/v2/zones/%s/recordsets", z.id);
	rc = api("POST", url, body, &resp);
	json_decref(body);
	if (rc != 0)
		return rc;
	if ((id = json_string_value(json_object_get(resp, "id"))) == NULL)
		id = "";
	mkurl(url, sizeof(url), "/v2/zones/%s/recordsets/%s", z.id,
	    pct(e, sizeof(e), id));
	return done(resp, url, 0);
}

static int
rs_list(struct args *a)
{
	struct zref	 z;
	char		 path[URLSZ], q[URLSZ] = "", type[32], n[32];
	int		 rc;

	if ((rc = zone_ref(a->pos[0], 0, &z)) != 0)
		return rc;
	qadd(q, sizeof(q), "name", a->name);
	qadd(q, sizeof(q), "type", upper(type, sizeof(type), a->type));
	if (a->limit > 0) {
		snprintf(n, sizeof(n), "%lld", a->limit);
		qadd(q, sizeof(q), "limit", n);
	}
	if (snprintf(path, sizeof(path), "/v2/zones/%s/recordsets", z.id) >=
	    (int)sizeof(path))
		return EX_USAGE;
	return list(path, q, "recordsets", a->limit <= 0, rs_cols);
}

/*
 * The zone and recordset of the two operands; a recordset named relative
 * to its zone needs the zone's name.
 */
static int
rs_refs(struct args *a, struct zref *z, char *id, size_t idlen)
{
	char	type[32];
	int	rc, needname;

	needname = !zuuid_valid(a->pos[1]) && !endsdot(a->pos[1]);
	if ((rc = zone_ref(a->pos[0], needname, z)) != 0)
		return rc;
	return rs_ref(z, a->pos[1], upper(type, sizeof(type), a->type), id,
	    idlen);
}

static int
rs_show(struct args *a)
{
	struct zref	 z;
	char		 url[URLSZ], id[64];
	int		 rc;

	if ((rc = rs_refs(a, &z, id, sizeof(id))) != 0)
		return rc;
	mkurl(url, sizeof(url), "/v2/zones/%s/recordsets/%s", z.id, id);
	return get_show(url);
}

static int
rs_set(struct args *a)
{
	struct zref	 z;
	char		 url[URLSZ], id[64];
	json_t		*body, *resp;
	int		 rc;

	if (a->records == NULL && a->ttl < 0 && a->desc == NULL)
		usage(g.cmd, stderr, EX_USAGE);
	if ((rc = rs_refs(a, &z, id, sizeof(id))) != 0)
		return rc;
	mkurl(url, sizeof(url), "/v2/zones/%s/recordsets/%s", z.id, id);
	body = body_new(a);
	rc = api("PUT", url, body, &resp);
	json_decref(body);
	return rc != 0 ? rc : done(resp, url, 0);
}

/*
 * The API drops a recordset at once, so -w also waits for its zone to
 * be ACTIVE again: the change has then reached the name servers.
 */
static int
rs_delete(struct args *a)
{
	struct zref	 z;
	char		 url[URLSZ], id[64];
	json_t		*resp, *zone = NULL;
	int		 rc;

	if ((rc = rs_refs(a, &z, id, sizeof(id))) != 0)
		return rc;
	mkurl(url, sizeof(url), "/v2/zones/%s/recordsets/%s", z.id, id);
	if ((rc = api("DELETE", url, NULL, &resp)) != 0)
		return rc;
	if ((rc = done(resp, url, 1)) != 0 || !g.wait)
		return rc;
	mkurl(url, sizeof(url), "/v2/zones/%s", z.id);
	rc = wait_for(url, 0, &zone);
	json_decref(zone);
	return rc;
}

/* --- main ------------------------------------------------------------ */

static void
parse_global(int argc, char *argv[])
{
	static char	 prog[] = "zonectl";
	const char	*s;
	int		 ch;
	size_t		 n;

	argv[0] = prog;			/* for getopt's messages */
	g.fmt = FMT_JSON;
	g.timeout = 60;
	g.project = getenv("ZONE_PROJECT");
	g.roles = getenv("ZONE_ROLES");
	if ((s = getenv("ZONE_URL")) == NULL || *s == '\0')
		s = "http://127.0.0.1:9001";
	strlcpy(g.base, s, sizeof(g.base));
	while ((ch = getopt_long(argc, argv, "+f:hp:r:t:u:vw", global_opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") == 0)
				g.fmt = FMT_JSON;
			else if (strcmp(optarg, "table") == 0)
				g.fmt = FMT_TABLE;
			else
				usage(NULL, stderr, EX_USAGE);
			break;
		case 'h':
			usage(NULL, stdout, EX_OK);
		case 'p':
			g.project = optarg;
			break;
		case 'r':
			g.roles = optarg;
			break;
		case 't':
			g.timeout = (int)number("timeout", optarg, 1, 86400);
			break;
		case 'u':
			if (strlcpy(g.base, optarg, sizeof(g.base)) >=
			    sizeof(g.base))
				usage(NULL, stderr, EX_USAGE);
			break;
		case 'v':
			g.verbose++;
			zlog_verbose();
			break;
		case 'w':
			g.wait = 1;
			break;
		default:
			usage(NULL, stderr, EX_USAGE);
		}
	}
	while ((n = strlen(g.base)) > 0 && g.base[n - 1] == '/')
		g.base[n - 1] = '\0';
}

/*
 * Options and operands of command `c'; argv[0] is the verb.  Options may
 * follow operands, as in "zone create example.org. --email e".
 */
static void
parse_cmd(const struct cmd *c, int argc, char *argv[], struct args *a)
{
	static char	 prog[] = "zonectl";
	int		 ch, li;

	memset(a, 0, sizeof(*a));
	a->ttl = a->limit = -1;
	argv[0] = prog;			/* for getopt's messages */
	optind = 0;			/* glibc: start afresh */
	while ((ch = getopt_long(argc, argv, "-t:w", cmd_opts, &li)) != -1) {
		if (ch == 1) {
			if (a->npos == c->npos)
				usage(c, stderr, EX_USAGE);
			a->pos[a->npos++] = optarg;
			continue;
		}
		if (ch == '?' || ch == ':' || strchr(c->opts, ch) == NULL)
			usage(c, stderr, EX_USAGE);
		switch (ch) {
		case 'd': a->desc = optarg; break;
		case 'e': a->email = optarg; break;
		case 'l': a->limit = number("limit", optarg, 1, 1000); break;
		case 'n': a->name = optarg; break;
		case 's': a->status = optarg; break;
		case 'L': a->ttl = number("ttl", optarg, 0, 2147483647); break;
		case 'y': a->type = optarg; break;
		case 'w': g.wait = 1; break;
		case 't':
			g.timeout = (int)number("timeout", optarg, 1, 86400);
			break;
		case 'R':
			if (a->records == NULL && (a->records = json_array()) ==
			    NULL)
				oom();
			json_array_append_new(a->records, jstr(optarg));
			break;
		}
	}
	for (; optind < argc; optind++) {	/* after "--" */
		if (a->npos == c->npos)
			usage(c, stderr, EX_USAGE);
		a->pos[a->npos++] = argv[optind];
	}
	if (a->npos != c->npos)
		usage(c, stderr, EX_USAGE);
}

static int
http_init(void)
{
	char	h[1024];
	int	w;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (g.curl = curl_easy_init()) == NULL)
		oom();
	g.hdrs = curl_slist_append(g.hdrs, "Content-Type: application/json");
	g.hdrs = curl_slist_append(g.hdrs, "Accept: application/json");
	g.hdrs = curl_slist_append(g.hdrs, "Expect:");
	if (g.project != NULL && *g.project != '\0') {
		w = snprintf(h, sizeof(h), "X-Auth-Project-ID: %s", g.project);
		if (w < 0 || (size_t)w >= sizeof(h) || strpbrk(g.project,
		    "\r\n") != NULL)
			return EX_USAGE;
		g.hdrs = curl_slist_append(g.hdrs, h);
	}
	if (g.roles != NULL && *g.roles != '\0') {
		w = snprintf(h, sizeof(h), "X-Roles: %s", g.roles);
		if (w < 0 || (size_t)w >= sizeof(h) || strpbrk(g.roles,
		    "\r\n") != NULL)
			return EX_USAGE;
		g.hdrs = curl_slist_append(g.hdrs, h);
	}
	if (g.hdrs == NULL)
		oom();
	curl_easy_setopt(g.curl, CURLOPT_HTTPHEADER, g.hdrs);
	curl_easy_setopt(g.curl, CURLOPT_USERAGENT, "zonectl");
	curl_easy_setopt(g.curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(g.curl, CURLOPT_ERRORBUFFER, g.errbuf);
	curl_easy_setopt(g.curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(g.curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(g.curl, CURLOPT_TIMEOUT, (long)g.timeout);
	curl_easy_setopt(g.curl, CURLOPT_CONNECTTIMEOUT,
	    (long)(g.timeout < 10 ? g.timeout : 10));
	curl_easy_setopt(g.curl, CURLOPT_VERBOSE, g.verbose > 1 ? 1L : 0L);
	return 0;
}

/*
 * zonectl watch [--since SEQ] [--count N] [--idle SECONDS]: the
 * notifications (zone-events(7)) as JSON lines, each with its stream
 * sequence "seq"; --since SEQ resumes right after SEQ (0: from the
 * start), without it only new events.  Reads NATS ([nats] url of
 * zone.conf, ZONE_NATS_URL or NATS_URL), not the API.
 */
struct watch {
	long long	count, seen;
};

static int
watch_print(json_t *ev, uint64_t seq, void *arg)
{
	struct watch	*w = arg;

	(void)seq;
	if (json_dumpf(ev, stdout, JSON_COMPACT) != 0 || fputc('\n', stdout) ==
	    EOF || fflush(stdout) != 0)
		return -EIO;
	w->seen++;
	return w->count > 0 && w->seen >= w->count ? 1 : 0;
}

static int
watch_main(int argc, char *argv[])
{
	static const struct option	 opts[] = {
		{ "count",	required_argument,	NULL, 'n' },
		{ "idle",	required_argument,	NULL, 'i' },
		{ "since",	required_argument,	NULL, 's' },
		{ NULL,		0,			NULL, 0 }
	};
	static char	 prog[] = "zonectl";
	struct zcfg	 cfg = ZCFG_INIT;
	struct znats	 z = ZNATS_INIT;
	struct watch	 w = { 0, 0 };
	long long	 since = -1, idle = 0;
	int		 ch, rc;

	argv[0] = prog;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			w.count = number("count", optarg, 1, LLONG_MAX);
			break;
		case 'i':
			idle = number("idle", optarg, 1, 86400);
			break;
		case 's':
			since = number("since", optarg, 0, LLONG_MAX);
			break;
		default:
			fprintf(stderr, "usage: zonectl watch [--since SEQ] "
			    "[--count N] [--idle SECONDS]\n");
			exit(EX_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: zonectl watch [--since SEQ] "
		    "[--count N] [--idle SECONDS]\n");
		exit(EX_USAGE);
	}
	if ((rc = zcfg_load(&cfg)) < 0) {
		errmsg("config", "%s", cfg.err);
		return zerr_exit(rc);
	}
	if (znats_connect(&z, &cfg, "zonectl") < 0) {
		errmsg("communication_failure", "NATS at %s: %s",
		    zcfg_get(&cfg, "nats", "url"), z.err);
		zcfg_release(&cfg);
		return EX_UNAVAILABLE;
	}
	rc = zevents_follow(&z, since, (int)idle * 1000, watch_print, &w);
	if (rc < 0)
		errmsg("communication_failure", "events: %s", zerr_str(rc));
	znats_close(&z);
	zcfg_release(&cfg);
	nats_Close();
	return rc < 0 ? EX_UNAVAILABLE : EX_OK;
}

int
main(int argc, char *argv[])

{
	const struct cmd	*c = NULL;
	struct args		 a;
	size_t			 i;
	int			 rc;

	zlog_init("zonectl");
	parse_global(argc, argv);
	argc -= optind;
	argv += optind;
	if (argc >= 1 && strcmp(argv[0], "watch") == 0)
		return watch_main(argc, argv);
	if (argc < 2)
		usage(NULL, stderr, EX_USAGE);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[0], cmds[i].noun) == 0 &&
		    strcmp(argv[1], cmds[i].verb) == 0)
			c = &cmds[i];
	if (c == NULL)
		usage(NULL, stderr, EX_USAGE);
	g.cmd = c;
	parse_cmd(c, argc - 1, argv + 1, &a);
	if ((g.rows = json_array()) == NULL)
		oom();
	if ((rc = http_init()) != 0) {
		errmsg("usage", "bad -p or -r value");
		return rc;
	}
	rc = c->fn(&a);

	json_decref(a.records);
	json_decref(g.rows);
	curl_slist_free_all(g.hdrs);
	curl_easy_cleanup(g.curl);
	curl_global_cleanup();
	return rc;
}
