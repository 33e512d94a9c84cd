/*
 * Configuration: built-in defaults < ini file < environment < flags.
 * Every key is declared in one table (zcfg.c) with its default; an
 * unknown section or key in the file is an error that names the line.
 * The environment spells a key ZONE_<SECTION>_<KEY> (upper case);
 * plain NATS_URL is honoured below ZONE_NATS_URL.
 */
#ifndef ZCFG_H
#define ZCFG_H

#include <stdio.h>

#include "zlog.h"

struct zcfg {
	const char	*path;		/* -f file, or NULL for the default */
	int		 path_given;	/* a missing -f file is an error */
	char		**vals;		/* one per key of the table */
	char		 err[256];	/* why the last call failed */
};

#define ZCFG_INIT	{ NULL, 0, NULL, "" }

/* Load defaults, the file, then the environment.  0, ZE_CONFIG or
 * ZE_NOINPUT with cfg->err set. */
int		 zcfg_load(struct zcfg *);
/* Set "section.key" from a flag; ZE_CONFIG for an unknown key. */
int		 zcfg_set(struct zcfg *, const char *dotkey, const char *val);
const char	*zcfg_get(const struct zcfg *, const char *section,
		    const char *key);
long long	 zcfg_int(const struct zcfg *, const char *section,
		    const char *key);
int		 zcfg_bool(const struct zcfg *, const char *section,
		    const char *key);
/* Check values that must be numbers or booleans. */
int		 zcfg_check(struct zcfg *);
/* Sorted section.key=value lines. */
void		 zcfg_print(const struct zcfg *, FILE *);
void		 zcfg_release(struct zcfg *);
/* [log] level as a zlog level (checked by zcfg_check). */
enum zlog_level	 zcfg_log_level(const struct zcfg *);
/* "true/yes/1/on" -> 1, "false/no/0/off" -> 0, else -1. */
int		 zcfg_parse_bool(const char *);

#endif
