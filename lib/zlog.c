#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "zlog.h"

static const char	*zlog_prog = "zone";
static enum zlog_level	 zlog_cur = ZLOG_INFO;
static int		 zlog_ts;

static const char *const zlog_names[] = { "error", "warn", "info", "debug" };

void
zlog_init(const char *prog)
{
	const char	*s;
	enum zlog_level	 l;

	zlog_prog = prog;
	if ((s = getenv("ZONE_LOG_LEVEL")) != NULL &&
	    zlog_level_parse(s, &l) == 0)
		zlog_cur = l;
	if ((s = getenv("ZONE_LOG_TS")) != NULL && strcmp(s, "1") == 0)
		zlog_ts = 1;
}

void
zlog_verbose(void)
{
	if (zlog_cur < ZLOG_DEBUG)
		zlog_cur++;
}

void
zlog_set_level(enum zlog_level l)
{
	zlog_cur = l;
}

int
zlog_level_parse(const char *s, enum zlog_level *l)
{
	size_t	i;

	for (i = 0; i < sizeof(zlog_names) / sizeof(zlog_names[0]); i++)
		if (strcasecmp(s, zlog_names[i]) == 0) {
			*l = (enum zlog_level)i;
			return 0;
		}
	return -EINVAL;
}

int
zlog_enabled(enum zlog_level l)
{
	return l <= zlog_cur;
}

int
zlog_quote(char *buf, size_t len, const char *val)
{
	const char	*p;
	size_t		 o = 0;
	int		 quote = 0;

	if (len == 0)
		return -ENOBUFS;
	if (*val == '\0')
		quote = 1;
	for (p = val; *p != '\0'; p++)
		if (*p == ' ' || *p == '"' || *p == '=' || *p == '\\' ||
		    (unsigned char)*p < 0x20)
			quote = 1;
#define PUT(c) do { if (o + 1 >= len) return -ENOBUFS; buf[o++] = (c); } while (0)
	if (quote)
		PUT('"');
	for (p = val; *p != '\0'; p++) {
		switch (*p) {
		case '"':  PUT('\\'); PUT('"'); break;
		case '\\': PUT('\\'); PUT('\\'); break;
		case '\n': PUT('\\'); PUT('n'); break;
		case '\r': PUT('\\'); PUT('r'); break;
		case '\t': PUT('\\'); PUT('t'); break;
		default:
			PUT((unsigned char)*p < 0x20 ? '?' : *p);
		}
	}
	if (quote)
		PUT('"');
#undef PUT
	buf[o] = '\0';
	return 0;
}

static void
zlog_write(enum zlog_level level, const char *event, va_list ap)
{
	char		 line[4096], q[1024];
	const char	*k, *v;
	size_t		 n = 0;
	int		 w;
	struct timespec	 ts;
	struct tm	 tm;

	if (zlog_ts) {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		n = strftime(line, sizeof(line), "ts=%Y-%m-%dT%H:%M:%SZ ", &tm);
	}
	w = snprintf(line + n, sizeof(line) - n, "level=%s prog=%s event=%s",
	    zlog_names[level], zlog_prog, event);
	if (w < 0 || (size_t)w >= sizeof(line) - n)
		return;
	n += w;
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (zlog_quote(q, sizeof(q), v != NULL ? v : "") != 0)
			strcpy(q, "\"(too long)\"");	/* fits: fixed text */
		w = snprintf(line + n, sizeof(line) - n, " %s=%s", k, q);
		if (w < 0 || (size_t)w >= sizeof(line) - n - 1)
			break;
		n += w;
	}
	line[n++] = '\n';
	(void)write(STDERR_FILENO, line, n);
}

void
zlog(enum zlog_level level, const char *event, ...)
{
	va_list	ap;

	if (level > zlog_cur)
		return;
	va_start(ap, event);
	zlog_write(level, event, ap);
	va_end(ap);
}

void
zdie(int status, const char *event, ...)
{
	va_list	ap;

	va_start(ap, event);
	zlog_write(ZLOG_ERROR, event, ap);
	va_end(ap);
	exit(status);
}

void
zdie_usage(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	exit(EX_USAGE);
}
