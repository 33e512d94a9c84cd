/*
 * logfmt lines on stderr, one write(2) per line:
 *   level=info prog=zone-central event=zone.created zone=example.org. id=...
 * zlog(level, event, key, value, ..., NULL): values are quoted and escaped
 * here, never by callers.
 */
#ifndef ZLOG_H
#define ZLOG_H

#include <stddef.h>

enum zlog_level { ZLOG_ERROR, ZLOG_WARN, ZLOG_INFO, ZLOG_DEBUG };

void	zlog_init(const char *prog);
void	zlog_verbose(void);
void	zlog_set_level(enum zlog_level);
int	zlog_level_parse(const char *, enum zlog_level *);
int	zlog_enabled(enum zlog_level);
void	zlog(enum zlog_level, const char *event, ...)
	    __attribute__((sentinel));
/* Quote a value for logfmt; 0, or -ENOBUFS when it does not fit. */
int	zlog_quote(char *buf, size_t len, const char *val);
/* Log at error level and exit with `status'. */
void	zdie(int status, const char *event, ...)
	    __attribute__((sentinel, noreturn));
void	zdie_usage(const char *usage) __attribute__((noreturn));

#endif
