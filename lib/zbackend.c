#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "zbackend.h"
#include "zerr.h"

extern char	**environ;

#define ZB_CMD_TIMEOUT_MS	10000
#define ZB_KNOT_BUSY_TRIES	100	/* 20 ms apart: 2 s */

/* Knot allows one configuration transaction at a time. */
static pthread_mutex_t	zb_knot_mu = PTHREAD_MUTEX_INITIALIZER;

void
zbackend_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
zbackend_known(const char *type)
{
	return type != NULL && (strcmp(type, "catalog") == 0 ||
	    strcmp(type, "bind9") == 0 || strcmp(type, "knot") == 0 ||
	    strcmp(type, "nsd") == 0 || strcmp(type, "pdns") == 0);
}

int
zbackend_per_zone(const char *type)
{
	return zbackend_known(type) && strcmp(type, "catalog") != 0;
}

static const char *
zb_opt(const json_t *target, const char *key, const char *def)
{
	const char	*v;

	v = json_string_value(json_object_get(json_object_get(target,
	    "options"), key));
	return v != NULL && *v != '\0' ? v : def;
}

/* Append one argument to command `c'; -ENOBUFS when full. */
static int
zb_arg(struct zbackend_cmds *cmds, int c, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 room;
	int	 i, len;

	for (i = 0; cmds->argv[c][i] != NULL; i++)
		;
	if (i + 1 >= ZB_MAXARGV)
		return -ENOBUFS;
	room = sizeof(cmds->buf) - cmds->used;
	va_start(ap, fmt);
	len = vsnprintf(cmds->buf + cmds->used, room, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= room)
		return -ENOBUFS;
	cmds->argv[c][i] = cmds->buf + cmds->used;
	cmds->argv[c][i + 1] = NULL;
	cmds->used += (size_t)len + 1;
	if (c >= cmds->n)
		cmds->n = c + 1;
	return 0;
}

/* "example.org." -> "example.org" for file names. */
static void
zb_bare(const char *zone, char *out, size_t len)
{
	size_t	n;

	strlcpy(out, zone, len);
	n = strlen(out);
	if (n > 1 && out[n - 1] == '.')
		out[n - 1] = '\0';
}

/* The primaries clause of a bind9 addzone: "H port P [key K]; ...". */
static int
zb_bind_primaries(const json_t *target, char *out, size_t len)
{
	const json_t	*m;
	const char	*key;
	size_t		 i, used = 0;
	int		 n;

	key = json_string_value(json_object_get(json_object_get(target,
	    "tsig"), "name"));
	out[0] = '\0';
	json_array_foreach(json_object_get(target, "masters"), i, m) {
		const char *h = json_string_value(json_object_get(m, "host"));

		if (h == NULL)
			continue;
		if (key != NULL)
			n = snprintf(out + used, len - used,
			    "%s port %lld key \"%s\"; ", h,
			    (long long)json_integer_value(json_object_get(m,
			    "port")), key);
		else
			n = snprintf(out + used, len - used, "%s port %lld; ",
			    h, (long long)json_integer_value(json_object_get(m,
			    "port")));
		if (n < 0 || (size_t)n >= len - used)
			return -ENOBUFS;
		used += (size_t)n;
	}
	return used > 0 ? 0 : ZE_CONFIG;
}

static int
zb_bind9(const json_t *t, enum zbackend_op op, const char *zone,
    struct zbackend_cmds *c, char *err, size_t errlen)
{
	const char	*view = zb_opt(t, "view", NULL), *conf;
	char		 prim[1024], bare[256];
	int		 rc = 0;

	rc |= zb_arg(c, 0, "%s", zb_opt(t, "rndc_bin_path", "rndc"));
	if ((conf = zb_opt(t, "rndc_config_file", NULL)) != NULL) {
		rc |= zb_arg(c, 0, "-c");
		rc |= zb_arg(c, 0, "%s", conf);
	}
	rc |= zb_arg(c, 0, "-s");
	rc |= zb_arg(c, 0, "%s", zb_opt(t, "rndc_host", "127.0.0.1"));
	rc |= zb_arg(c, 0, "-p");
	rc |= zb_arg(c, 0, "%s", zb_opt(t, "rndc_port", "953"));
	if ((conf = zb_opt(t, "rndc_key_file", NULL)) != NULL) {
		rc |= zb_arg(c, 0, "-k");
		rc |= zb_arg(c, 0, "%s", conf);
	}
	if (op == ZB_CREATE) {
		if (zb_bind_primaries(t, prim, sizeof(prim)) < 0) {
			snprintf(err, errlen, "bind9 target without masters");
			return ZE_CONFIG;
		}
		zb_bare(zone, bare, sizeof(bare));
		rc |= zb_arg(c, 0, "addzone");
		rc |= zb_arg(c, 0, "%s", zone);
		if (view != NULL) {
			rc |= zb_arg(c, 0, "in");
			rc |= zb_arg(c, 0, "%s", view);
		}
		rc |= zb_arg(c, 0, "{ type secondary; primaries { %s}; "
		    "file \"%s.db\"; };", prim, bare);
	} else {
		rc |= zb_arg(c, 0, "delzone");
		if (strcmp(zb_opt(t, "clean_zonefile", "false"), "true") == 0)
			rc |= zb_arg(c, 0, "-clean");
		rc |= zb_arg(c, 0, "%s", zone);
		if (view != NULL) {
			rc |= zb_arg(c, 0, "in");
			rc |= zb_arg(c, 0, "%s", view);
		}
	}
	return rc != 0 ? -ENOBUFS : 0;
}

static int
zb_knotc(const json_t *t, struct zbackend_cmds *c, int i)
{
	const char	*sock;
	int		 rc = 0;

	sock = zb_opt(t, "knotc_socket", zb_opt(t, "socket", NULL));
	rc |= zb_arg(c, i, "%s", zb_opt(t, "knotc_bin_path", "knotc"));
	if (sock != NULL) {
		rc |= zb_arg(c, i, "-s");
		rc |= zb_arg(c, i, "%s", sock);
	}
	return rc;
}

static int
zb_knot(const json_t *t, enum zbackend_op op, const char *zone,
    struct zbackend_cmds *c)
{
	char		 rem[256], *p, *save = NULL;
	const char	*tmpl = zb_opt(t, "template", NULL);
	int		 rc = 0, i = 0;

	rc |= zb_knotc(t, c, i);
	rc |= zb_arg(c, i++, "conf-begin");
	rc |= zb_knotc(t, c, i);
	if (op == ZB_CREATE) {
		rc |= zb_arg(c, i, "conf-set");
		rc |= zb_arg(c, i++, "zone[%s]", zone);
		rc |= zb_knotc(t, c, i);
		if (tmpl != NULL) {
			rc |= zb_arg(c, i, "conf-set");
			rc |= zb_arg(c, i, "zone[%s].template", zone);
			rc |= zb_arg(c, i++, "%s", tmpl);
		} else {
			rc |= zb_arg(c, i, "conf-set");
			rc |= zb_arg(c, i, "zone[%s].master", zone);
			strlcpy(rem, zb_opt(t, "remote", "zone-xfr"),
			    sizeof(rem));
			for (p = strtok_r(rem, ", ", &save); p != NULL;
			    p = strtok_r(NULL, ", ", &save))
				rc |= zb_arg(c, i, "%s", p);
			i++;
		}
	} else {
		rc |= zb_arg(c, i, "conf-unset");
		rc |= zb_arg(c, i++, "zone[%s]", zone);
	}
	rc |= zb_knotc(t, c, i);
	rc |= zb_arg(c, i, "conf-commit");
	return rc != 0 ? -ENOBUFS : 0;
}

static int
zb_nsd(const json_t *t, enum zbackend_op op, const char *zone,
    struct zbackend_cmds *c)
{
	const char	*conf = zb_opt(t, "nsd_conf", NULL);
	int		 rc = 0;

	rc |= zb_arg(c, 0, "%s", zb_opt(t, "nsd_control_bin_path",
	    "nsd-control"));
	if (conf != NULL) {
		rc |= zb_arg(c, 0, "-c");
		rc |= zb_arg(c, 0, "%s", conf);
	}
	rc |= zb_arg(c, 0, op == ZB_CREATE ? "addzone" : "delzone");
	rc |= zb_arg(c, 0, "%s", zone);
	if (op == ZB_CREATE)
		rc |= zb_arg(c, 0, "%s", zb_opt(t, "pattern", "zone-xfr"));
	return rc != 0 ? -ENOBUFS : 0;
}

int
zbackend_argv(const json_t *target, enum zbackend_op op, const char *zone,
    struct zbackend_cmds *cmds, char *err, size_t errlen)
{
	const char	*type;

	type = json_string_value(json_object_get(target, "type"));
	memset(cmds, 0, sizeof(*cmds));
	err[0] = '\0';
	if (!zbackend_known(type)) {
		snprintf(err, errlen, "unknown target type %s",
		    type != NULL ? type : "(none)");
		return ZE_CONFIG;
	}
	if (strcmp(type, "bind9") == 0)
		return zb_bind9(target, op, zone, cmds, err, errlen);
	if (strcmp(type, "knot") == 0)
		return zb_knot(target, op, zone, cmds);
	if (strcmp(type, "nsd") == 0)
		return zb_nsd(target, op, zone, cmds);
	return 0;		/* catalog, pdns: no command */
}

int
zbackend_benign(const char *type, enum zbackend_op op, const char *out)
{
	if (type == NULL || out == NULL)
		return 0;
	if (strcmp(type, "bind9") == 0)
		return strstr(out, op == ZB_CREATE ? "already exists" :
		    "not found") != NULL;
	if (strcmp(type, "knot") == 0)
		return strstr(out, op == ZB_CREATE ? "duplicate identifier" :
		    "invalid identifier") != NULL;
	if (strcmp(type, "nsd") == 0)
		return strstr(out, op == ZB_CREATE ? "already exists" :
		    "not present") != NULL;
	return 0;
}

static int64_t
zb_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Run argv without a shell, with `in' (or nothing) on its stdin; its
 * stdout and stderr (trimmed) land in out.  Returns the exit status
 * (0..255), or a negative code.
 */
static int
zb_run_in(char *const argv[], const char *in, char *out, size_t outlen)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 sa;
	sigset_t			 none, def;
	struct pollfd			 pfd;
	pid_t				 pid;
	size_t				 used = 0;
	ssize_t				 r;
	int64_t				 deadline;
	char				 sink[512];
	int				 p[2], ip[2] = { -1, -1 };
	int				 status, rc, killed = 0;

	out[0] = '\0';
	if (pipe2(p, O_CLOEXEC) == -1)
		return -errno;
	if (in != NULL && pipe2(ip, O_CLOEXEC) == -1) {
		rc = -errno;
		close(p[0]);
		close(p[1]);
		return rc;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	if (in != NULL)
		posix_spawn_file_actions_adddup2(&fa, ip[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	posix_spawnattr_init(&sa);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGHUP);
	posix_spawnattr_setsigmask(&sa, &none);
	posix_spawnattr_setsigdefault(&sa, &def);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&pid, argv[0], &fa, &sa, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	close(p[1]);
	if (in != NULL) {
		close(ip[0]);
		if (rc == 0)	/* scripts are small: the pipe holds them */
			(void)write(ip[1], in, strlen(in));
		close(ip[1]);
	}
	if (rc != 0) {
		close(p[0]);
		snprintf(out, outlen, "%s: %s", argv[0], strerror(rc));
		return -rc;
	}
	deadline = zb_now_ms() + ZB_CMD_TIMEOUT_MS;
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		int wait = (int)(deadline - zb_now_ms());

		if (wait <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		if (poll(&pfd, 1, wait) <= 0)
			continue;
		if (used + 1 < outlen)
			r = read(p[0], out + used, outlen - used - 1);
		else
			r = read(p[0], sink, sizeof(sink));
		if (r <= 0)
			break;
		if (used + 1 < outlen)
			used += (size_t)r;
	}
	out[used] = '\0';
	while (used > 0 && (out[used - 1] == '\n' || out[used - 1] == ' '))
		out[--used] = '\0';
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -errno;
	if (killed) {
		snprintf(out, outlen, "%s: timed out", argv[0]);
		return ZE_TIMEOUT;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static int
zb_run(char *const argv[], char *out, size_t outlen)
{
	return zb_run_in(argv, NULL, out, outlen);
}

/* One command: 0 when it worked or failed benignly. */
static int
zb_run_one(const char *type, enum zbackend_op op, char *const argv[],
    char *err, size_t errlen)
{
	char	out[1024];
	int	rc;

	rc = zb_run(argv, out, sizeof(out));
	if (rc < 0) {
		snprintf(err, errlen, "%s", out);
		return rc;
	}
	/* nsd-control says "error ..." with status 0 for some failures */
	if (zbackend_benign(type, op, out))
		return 0;
	if (rc == 0 && strncmp(out, "error", 5) != 0)
		return 0;
	snprintf(err, errlen, "%s: %s", argv[0], out[0] != '\0' ? out :
	    "failed");
	return -EIO;
}

/* argv of command `i' with its verb (the last word) replaced. */
static void
zb_knot_verb(const struct zbackend_cmds *c, int i, const char *verb,
    char *argv[ZB_MAXARGV])
{
	int	k;

	for (k = 0; c->argv[i][k] != NULL; k++)
		argv[k] = c->argv[i][k];
	argv[k - 1] = (char *)(uintptr_t)verb;
	argv[k] = NULL;
}

static int
zb_knot_apply(const json_t *t, enum zbackend_op op,
    struct zbackend_cmds *c, char *err, size_t errlen)
{
	struct timespec	 ts = { 0, 20 * 1000000L };
	char		 out[1024];
	char		*abort_argv[ZB_MAXARGV];
	int		 i, rc, tries, aborted = 0;

	(void)t;
	zb_knot_verb(c, 0, "conf-abort", abort_argv);
	pthread_mutex_lock(&zb_knot_mu);
	for (tries = 0;; tries++) {
		rc = zb_run(c->argv[0], out, sizeof(out));
		if (rc == 0)
			break;
		if (rc > 0 && strstr(out, "too many transactions") != NULL) {
			if (tries < ZB_KNOT_BUSY_TRIES) {
				/* another copy's transaction: wait for it */
				nanosleep(&ts, NULL);
				continue;
			}
			if (!aborted) {
				/*
				 * Open for 2 s: left by a copy that died
				 * between conf-begin and conf-commit.
				 */
				(void)zb_run(abort_argv, out, sizeof(out));
				aborted = 1;
				tries = ZB_KNOT_BUSY_TRIES - 10;
				continue;
			}
		}
		snprintf(err, errlen, "knotc conf-begin: %s", out);
		pthread_mutex_unlock(&zb_knot_mu);
		return rc < 0 ? rc : -EIO;
	}
	for (i = 1; i < c->n - 1; i++)
		if ((rc = zb_run_one("knot", op, c->argv[i], err, errlen)) < 0)
			break;
	if (rc < 0 || (rc = zb_run_one("knot", op, c->argv[c->n - 1], err,
	    errlen)) < 0)
		(void)zb_run(abort_argv, out, sizeof(out));
	pthread_mutex_unlock(&zb_knot_mu);
	return rc;
}

/*
 * Several zones in one Knot transaction: one knotc reads the conf-begin
 * and every conf-set on its stdin, a second commits.  When any zone's
 * command fails for real, the transaction is aborted and each zone is
 * done in a transaction of its own, so one bad zone does not hold back
 * the others.
 */
static int
zb_knot_many(const json_t *t, enum zbackend_op op, const char *const *zones,
    size_t n, int *rcs, char *err, size_t errlen)
{
	struct timespec		 ts = { 0, 20 * 1000000L };
	struct zbackend_cmds	*c, *c0;
	char			*base[ZB_MAXARGV], *commit[ZB_MAXARGV];
	char			*abort_argv[ZB_MAXARGV];
	char			*script = NULL, *out = NULL, *line, *save = NULL;
	size_t			*first = NULL, *count = NULL, len, cap;
	size_t			 i, l, k, a, nb;
	int			 rc = 0, tries, aborted = 0, bad = 0, w;

	cap = 256 + n * 512;
	c = malloc(sizeof(*c));
	c0 = malloc(sizeof(*c0));
	script = malloc(cap);
	out = malloc(32768);
	first = calloc(n, sizeof(*first));
	count = calloc(n, sizeof(*count));
	if (c == NULL || c0 == NULL || script == NULL || out == NULL ||
	    first == NULL || count == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	/* c0: the knotc words before the verb, and the verbs we need */
	if ((rc = zbackend_argv(t, op, zones[0], c0, err, errlen)) < 0)
		goto out;
	zb_knot_verb(c0, 0, "conf-abort", abort_argv);
	zb_knot_verb(c0, 0, "conf-commit", commit);
	for (nb = 0; c0->argv[0][nb] != NULL; nb++)
		base[nb] = c0->argv[0][nb];
	base[--nb] = NULL;
	len = strlcpy(script, "conf-begin\n", cap);
	for (i = 0, l = 1; i < n; i++) {
		if ((rc = zbackend_argv(t, op, zones[i], c, err, errlen)) < 0)
			goto out;
		first[i] = l;
		for (k = 1; k + 1 < (size_t)c->n; k++, l++) {
			for (a = nb; c->argv[k][a] != NULL; a++) {
				w = snprintf(script + len, cap - len, "%s%s",
				    c->argv[k][a], c->argv[k][a + 1] != NULL ?
				    " " : "\n");
				if (w < 0 || (size_t)w >= cap - len) {
					rc = -ENOBUFS;
					goto out;
				}
				len += (size_t)w;
			}
			count[i]++;
		}
	}

	pthread_mutex_lock(&zb_knot_mu);
	for (tries = 0;; tries++) {
		rc = zb_run_in(base, script, out, 32768);
		if (rc < 0)
			break;
		line = out;
		if (strncmp(out, "OK", 2) == 0) {
			rc = 0;
			break;
		}
		if (strstr(out, "too many transactions") != NULL) {
			if (tries < ZB_KNOT_BUSY_TRIES) {
				nanosleep(&ts, NULL);
				continue;
			}
			if (!aborted) {
				(void)zb_run(abort_argv, out, 32768);
				aborted = 1;
				tries = ZB_KNOT_BUSY_TRIES - 10;
				continue;
			}
		}
		rc = -EIO;
		break;
	}
	if (rc < 0) {
		pthread_mutex_unlock(&zb_knot_mu);
		snprintf(err, errlen, "knotc conf-begin: %.400s", out);
		for (i = 0; i < n; i++)
			rcs[i] = rc;
		goto out;
	}
	/* one output line per command, in order */
	for (l = 0, line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), l++)
		for (i = 0; i < n; i++)
			if (l >= first[i] && l < first[i] + count[i] &&
			    strncmp(line, "OK", 2) != 0 &&
			    !zbackend_benign("knot", op, line)) {
				bad = 1;
				snprintf(err, errlen, "knotc: %.400s", line);
			}
	if (bad || zb_run_one("knot", op, commit, err, errlen) < 0) {
		(void)zb_run(abort_argv, out, 32768);
		pthread_mutex_unlock(&zb_knot_mu);
		/* one at a time, to find the culprit */
		rc = 0;
		for (i = 0; i < n; i++)
			if ((rcs[i] = zbackend_apply(t, op, zones[i], err,
			    errlen)) < 0)
				rc = rcs[i];
		goto out;
	}
	pthread_mutex_unlock(&zb_knot_mu);
	for (i = 0; i < n; i++)
		rcs[i] = 0;
	rc = 0;
out:
	free(c0);
	free(c);
	free(script);
	free(out);
	free(first);
	free(count);
	return rc;
}

static size_t
zb_curl_sink(char *ptr, size_t size, size_t nmemb, void *arg)
{
	char	*buf = arg;
	size_t	 n = size * nmemb, have = strlen(buf);

	if (have + 1 < 512)
		snprintf(buf + have, 512 - have, "%.*s", (int)n, ptr);
	return n;
}

static int
zb_pdns(const json_t *t, enum zbackend_op op, const char *zone, char *err,
    size_t errlen)
{
	CURL			*cu;
	struct curl_slist	*hdr = NULL;
	json_t			*body = NULL, *masters, *m;
	const char		*ep = zb_opt(t, "api_endpoint", NULL);
	const char		*key = zb_opt(t, "api_key",
				    zb_opt(t, "api_token", ""));
	const char		*server = zb_opt(t, "server_id", "localhost");
	const char		*tk;
	char			 url[1024], h[512], resp[512] = "";
	char			*data = NULL;
	long			 code = 0;
	size_t			 i;
	CURLcode		 cc;
	int			 rc = 0;

	if (ep == NULL) {
		snprintf(err, errlen, "pdns target without api_endpoint");
		return ZE_CONFIG;
	}
	if ((cu = curl_easy_init()) == NULL)
		return -ENOMEM;
	snprintf(h, sizeof(h), "X-API-Key: %s", key);
	hdr = curl_slist_append(hdr, h);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	if (op == ZB_CREATE) {
		snprintf(url, sizeof(url), "%s/api/v1/servers/%s/zones", ep,
		    server);
		masters = json_array();
		json_array_foreach(json_object_get(t, "masters"), i, m) {
			snprintf(h, sizeof(h), "%s:%lld",
			    json_string_value(json_object_get(m, "host")),
			    (long long)json_integer_value(json_object_get(m,
			    "port")));
			json_array_append_new(masters, json_string(h));
		}
		body = json_pack("{s:s,s:s,s:o}", "name", zone, "kind",
		    "Slave", "masters", masters);
		/* the key PowerDNS signs its transfers with (it must know
		 * it by that name) */
		tk = zb_opt(t, "tsigkey_name", json_string_value(
		    json_object_get(json_object_get(t, "tsig"), "name")));
		if (tk != NULL)
			json_object_set_new(body, "master_tsig_key_ids",
			    json_pack("[s]", tk));
		data = json_dumps(body, JSON_COMPACT);
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, data);
	} else {
		snprintf(url, sizeof(url), "%s/api/v1/servers/%s/zones/%s", ep,
		    server, zone);
		curl_easy_setopt(cu, CURLOPT_CUSTOMREQUEST, "DELETE");
	}
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT_MS, (long)ZB_CMD_TIMEOUT_MS);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, zb_curl_sink);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, resp);
	if ((cc = curl_easy_perform(cu)) != CURLE_OK) {
		snprintf(err, errlen, "pdns %s: %s", url,
		    curl_easy_strerror(cc));
		rc = -EIO;
	} else {
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 200 && code < 300)
			rc = 0;
		else if (op == ZB_CREATE && code == 409)
			rc = 0;		/* already there */
		else if (op == ZB_DELETE && (code == 404 || code == 422))
			rc = 0;		/* already gone */
		else {
			snprintf(err, errlen, "pdns %s: HTTP %ld %s", url,
			    code, resp);
			rc = -EIO;
		}
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(cu);
	free(data);
	json_decref(body);
	return rc;
}

/*
 * NSD takes many zones in one call: `nsd-control addzones' (or delzones)
 * reads "NAME PATTERN" (or "NAME") lines on its standard input.  When the
 * call fails, or says anything but benign errors, each zone is done on
 * its own so that every zone gets its own result.
 */
static int
zb_nsd_many(const json_t *target, enum zbackend_op op,
    const char *const *zones, size_t n, int *rcs, char *err, size_t errlen)
{
	struct zbackend_cmds	*c;
	char			*in = NULL, *out = NULL, *line, *save = NULL;
	char			*argv[ZB_MAXARGV];
	const char		*pattern = zb_opt(target, "pattern", "zone-xfr");
	size_t			 i, len = 0, cap = 0, need;
	int			 k, rc, ok = 1;

	if ((c = malloc(sizeof(*c))) == NULL || (out = malloc(32768)) == NULL)
		goto single;
	if (zbackend_argv(target, op, zones[0], c, err, errlen) < 0)
		goto single;
	/* the argv up to the verb, then the plural verb */
	for (k = 0; c->argv[0][k] != NULL && k < ZB_MAXARGV - 2; k++) {
		if (strcmp(c->argv[0][k], "addzone") == 0 ||
		    strcmp(c->argv[0][k], "delzone") == 0)
			break;
		argv[k] = c->argv[0][k];
	}
	argv[k++] = op == ZB_CREATE ? "addzones" : "delzones";
	argv[k] = NULL;
	for (i = 0; i < n; i++) {
		need = strlen(zones[i]) + strlen(pattern) + 3;
		if (len + need + 1 > cap) {
			char *ni;

			cap = (len + need + 1) * 2;
			if ((ni = realloc(in, cap)) == NULL)
				goto single;
			in = ni;
		}
		len += (size_t)snprintf(in + len, cap - len, "%s%s%s\n", zones[i],
		    op == ZB_CREATE ? " " : "", op == ZB_CREATE ? pattern : "");
	}
	if (in == NULL || (rc = zb_run_in(argv, in, out, 32768)) != 0)
		goto single;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "error", 5) == 0 &&
		    !zbackend_benign("nsd", op, line))
			ok = 0;
	if (!ok)
		goto single;
	for (i = 0; i < n; i++)
		rcs[i] = 0;
	free(c);
	free(in);
	free(out);
	return 0;
single:
	free(c);
	free(in);
	free(out);
	rc = 0;
	for (i = 0; i < n; i++)
		if ((rcs[i] = zbackend_apply(target, op, zones[i], err,
		    errlen)) < 0)
			rc = rcs[i];
	return rc;
}

int
zbackend_apply_many(const json_t *target, enum zbackend_op op,
    const char *const *zones, size_t n, int *rcs, char *err, size_t errlen)
{
	const char	*type;
	size_t		 i;
	int		 rc = 0;

	type = json_string_value(json_object_get(target, "type"));
	if (type != NULL && strcmp(type, "knot") == 0 && n > 1)
		return zb_knot_many(target, op, zones, n, rcs, err, errlen);
	if (type != NULL && strcmp(type, "nsd") == 0 && n > 1)
		return zb_nsd_many(target, op, zones, n, rcs, err, errlen);
	for (i = 0; i < n; i++)
		if ((rcs[i] = zbackend_apply(target, op, zones[i], err,
		    errlen)) < 0)
			rc = rcs[i];
	return rc;
}

int
zbackend_apply(const json_t *target, enum zbackend_op op, const char *zone,
    char *err, size_t errlen)
{
	struct zbackend_cmds	*c;
	const char		*type;
	int			 i, rc;

	type = json_string_value(json_object_get(target, "type"));
	if (type != NULL && strcmp(type, "pdns") == 0)
		return zb_pdns(target, op, zone, err, errlen);
	if ((c = malloc(sizeof(*c))) == NULL)
		return -ENOMEM;
	if ((rc = zbackend_argv(target, op, zone, c, err, errlen)) < 0)
		goto out;
	if (strcmp(type, "knot") == 0)
		rc = zb_knot_apply(target, op, c, err, errlen);
	else
		for (i = 0; i < c->n && rc == 0; i++)
			rc = zb_run_one(type, op, c->argv[i], err, errlen);
out:
	free(c);
	return rc;
}
