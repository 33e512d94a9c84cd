#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "zcfg.h"
#include "zerr.h"
#include "zlog.h"

enum zcfg_kind { ZK_STR, ZK_INT, ZK_BOOL };

struct zcfg_key {
	const char	*section;
	const char	*key;
	enum zcfg_kind	 kind;
	const char	*def;
};

/* Sorted by section then key: zcfg_print relies on it. */
static const struct zcfg_key zcfg_keys[] = {
	{ "api", "api_base_uri", ZK_STR, "http://127.0.0.1:9001" },
	{ "api", "auth_domain", ZK_STR, "Default" },
	{ "api", "auth_password_file", ZK_STR, "" },
	{ "api", "auth_project", ZK_STR, "service" },
	{ "api", "auth_strategy", ZK_STR, "noauth" },
	{ "api", "auth_user", ZK_STR, "zone" },
	{ "api", "default_limit", ZK_INT, "20" },
	{ "api", "enable_host_header", ZK_BOOL, "true" },
	{ "api", "keystone_timeout_ms", ZK_INT, "2000" },
	{ "api", "keystone_url", ZK_STR, "http://127.0.0.1:5000/v3" },
	{ "api", "listen", ZK_STR, "127.0.0.1:9001" },
	{ "api", "local_reads", ZK_BOOL, "false" },
	{ "api", "max_body", ZK_INT, "1048576" },
	{ "api", "max_limit", ZK_INT, "1000" },
	{ "api", "neutron_url", ZK_STR, "" },
	{ "api", "proxy_headers", ZK_BOOL, "false" },
	{ "api", "quotas_verify_project_id", ZK_BOOL, "false" },
	{ "api", "region", ZK_STR, "RegionOne" },
	{ "api", "threads", ZK_INT, "16" },
	{ "api", "token_cache_s", ZK_INT, "300" },
	{ "central", "default_pool_id", ZK_STR,
	    "794ccc2c-d751-44fe-b57f-8894c9f5c842" },
	{ "central", "default_ttl", ZK_INT, "3600" },
	{ "central", "delayed_notify", ZK_BOOL, "false" },
	{ "central", "managed_resource_email", ZK_STR,
	    "hostmaster@example.com" },
	{ "central", "managed_resource_tenant_id", ZK_STR,
	    "00000000-0000-0000-0000-000000000000" },
	{ "central", "max_recordset_name_len", ZK_INT, "255" },
	{ "central", "max_zone_name_len", ZK_INT, "255" },
	{ "central", "min_ttl", ZK_INT, "0" },
	{ "central", "ns_records", ZK_STR, "ns1.example.net.:1" },
	{ "central", "quota_api_export_size", ZK_INT, "1000" },
	{ "central", "quota_recordset_records", ZK_INT, "20" },
	{ "central", "quota_zone_records", ZK_INT, "500" },
	{ "central", "quota_zone_recordsets", ZK_INT, "500" },
	{ "central", "quota_zones", ZK_INT, "10" },
	{ "central", "read_barrier", ZK_BOOL, "true" },
	{ "central", "soa_expire", ZK_INT, "86400" },
	{ "central", "soa_minimum", ZK_INT, "3600" },
	{ "central", "soa_refresh_max", ZK_INT, "3600" },
	{ "central", "soa_refresh_min", ZK_INT, "3500" },
	{ "central", "soa_retry", ZK_INT, "600" },
	{ "central", "workers", ZK_INT, "16" },
	{ "db", "map_size_mb", ZK_INT, "4096" },
	{ "db", "path", ZK_STR, "var/db" },
	{ "events", "duplicate_window_s", ZK_INT, "3900" },
	{ "events", "enabled", ZK_BOOL, "true" },
	{ "events", "lock_ttl_s", ZK_INT, "10" },
	{ "events", "max_age_s", ZK_INT, "604800" },
	{ "log", "level", ZK_STR, "info" },
	{ "nats", "creds", ZK_STR, "" },
	{ "nats", "heartbeat_down_s", ZK_INT, "30" },
	{ "nats", "heartbeat_keep_s", ZK_INT, "604800" },
	{ "nats", "heartbeat_s", ZK_INT, "5" },
	{ "nats", "replicas", ZK_INT, "1" },
	{ "nats", "timeout_ms", ZK_INT, "5000" },
	{ "nats", "url", ZK_STR, "nats://127.0.0.1:4222" },
	{ "notify", "ack_wait_ms", ZK_INT, "10000" },
	{ "notify", "max_retry_s", ZK_INT, "60" },
	{ "notify", "poll_delay_ms", ZK_INT, "0" },
	{ "notify", "poll_interval_max_ms", ZK_INT, "5000" },
	{ "notify", "poll_interval_ms", ZK_INT, "10" },
	{ "notify", "poll_timeout_ms", ZK_INT, "1000" },
	{ "notify", "threshold", ZK_INT, "100" },
	{ "notify", "workers", ZK_INT, "32" },
	{ "periodic", "delayed_notify_interval_s", ZK_INT, "5" },
	{ "periodic", "exists_interval_s", ZK_INT, "3600" },
	{ "periodic", "member_ttl_s", ZK_INT, "15" },
	{ "periodic", "per_page", ZK_INT, "100" },
	{ "periodic", "purge_interval_s", ZK_INT, "3600" },
	{ "periodic", "purge_retention_s", ZK_INT, "604800" },
	{ "periodic", "recovery_interval_s", ZK_INT, "120" },
	{ "periodic", "recovery_pending_s", ZK_INT, "300" },
	{ "periodic", "tasks", ZK_STR,
	    "recovery purge delayed_notify exists" },
	{ "sink", "handlers", ZK_STR, "nova_fixed neutron_floatingip" },
	{ "sink", "neutron_floatingip_formatv4", ZK_STR,
	    "%(octet0)s-%(octet1)s-%(octet2)s-%(octet3)s.%(zone)s" },
	{ "sink", "neutron_floatingip_formatv6", ZK_STR,
	    "%(ip_address)s.%(zone)s" },
	{ "sink", "neutron_floatingip_zone_id", ZK_STR, "" },
	{ "sink", "nova_fixed_formatv4", ZK_STR, "%(hostname)s.%(zone)s" },
	{ "sink", "nova_fixed_formatv6", ZK_STR, "%(hostname)s.%(zone)s" },
	{ "sink", "nova_fixed_zone_id", ZK_STR, "" },
	{ "sink", "queue", ZK_STR, "zone-sink" },
	{ "sink", "subjects", ZK_STR, "notifications.>" },
	{ "sink", "ttl", ZK_INT, "0" },
	{ "xfr", "allow", ZK_STR, "127.0.0.0/8 ::1/128" },
	{ "xfr", "listen", ZK_STR, "127.0.0.1:5354" },
	{ "xfr", "max_message", ZK_INT, "65535" },
	{ "xfr", "secondary_check_s", ZK_INT, "10" },
	{ "xfr", "tcp_timeout_ms", ZK_INT, "5000" },
	{ "xfr", "threads", ZK_INT, "4" },
};
#define NKEYS	(sizeof(zcfg_keys) / sizeof(zcfg_keys[0]))

static int
zcfg_find(const char *section, const char *key)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(zcfg_keys[i].section, section) == 0 &&
		    strcmp(zcfg_keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

static int
zcfg_section_known(const char *section)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(zcfg_keys[i].section, section) == 0)
			return 1;
	return 0;
}

static int
zcfg_put(struct zcfg *cfg, int i, const char *val)
{
	char	*v;

	if ((v = strdup(val)) == NULL)
		return -ENOMEM;
	free(cfg->vals[i]);
	cfg->vals[i] = v;
	return 0;
}

static char *
zcfg_trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
zcfg_file(struct zcfg *cfg, const char *path)
{
	FILE	*fp;
	char	 line[1024], section[64] = "", *p, *eq, *k, *v;
	int	 lineno = 0, i, rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !cfg->path_given)
			return 0;
		snprintf(cfg->err, sizeof(cfg->err), "%s: %s", path,
		    strerror(errno));
		return ZE_NOINPUT;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		p = zcfg_trim(line);
		if (*p == '\0')
			continue;
		if (*p == '[') {
			if ((eq = strchr(p, ']')) == NULL || eq[1] != '\0') {
				snprintf(cfg->err, sizeof(cfg->err),
				    "%s:%d: bad section line", path, lineno);
				rc = ZE_CONFIG;
				break;
			}
			*eq = '\0';
			strlcpy(section, zcfg_trim(p + 1), sizeof(section));
			if (!zcfg_section_known(section)) {
				snprintf(cfg->err, sizeof(cfg->err),
				    "%s:%d: unknown section [%s]", path,
				    lineno, section);
				rc = ZE_CONFIG;
				break;
			}
			continue;
		}
		if ((eq = strchr(p, '=')) == NULL || section[0] == '\0') {
			snprintf(cfg->err, sizeof(cfg->err),
			    "%s:%d: expected key = value in a section", path,
			    lineno);
			rc = ZE_CONFIG;
			break;
		}
		*eq = '\0';
		k = zcfg_trim(p);
		v = zcfg_trim(eq + 1);
		if ((i = zcfg_find(section, k)) < 0) {
			snprintf(cfg->err, sizeof(cfg->err),
			    "%s:%d: unknown key %s.%s", path, lineno,
			    section, k);
			rc = ZE_CONFIG;
			break;
		}
		if ((rc = zcfg_put(cfg, i, v)) < 0)
			break;
	}
	fclose(fp);
	return rc;
}

int
zcfg_load(struct zcfg *cfg)
{
	char		 name[128], *p;
	const char	*path, *v;
	size_t		 i;
	int		 rc;

	if (cfg->vals == NULL &&
	    (cfg->vals = calloc(NKEYS, sizeof(char *))) == NULL)
		return -ENOMEM;
	for (i = 0; i < NKEYS; i++)
		if ((rc = zcfg_put(cfg, (int)i, zcfg_keys[i].def)) < 0)
			return rc;
	path = cfg->path;
	if (path != NULL)
		cfg->path_given = 1;
	else if ((path = getenv("ZONE_CONF")) != NULL)
		cfg->path_given = 1;
	else
		path = SYSCONFDIR "/zone/zone.conf";
	cfg->path = path;
	if ((rc = zcfg_file(cfg, path)) < 0)
		return rc;
	if ((v = getenv("NATS_URL")) != NULL && *v != '\0')
		zcfg_put(cfg, zcfg_find("nats", "url"), v);
	for (i = 0; i < NKEYS; i++) {
		snprintf(name, sizeof(name), "ZONE_%s_%s", zcfg_keys[i].section,
		    zcfg_keys[i].key);
		for (p = name; *p != '\0'; p++)
			*p = toupper((unsigned char)*p);
		if ((v = getenv(name)) != NULL &&
		    (rc = zcfg_put(cfg, (int)i, v)) < 0)
			return rc;
	}
	return zcfg_check(cfg);
}

int
zcfg_set(struct zcfg *cfg, const char *dotkey, const char *val)
{
	char		 sec[64];
	const char	*dot;
	int		 i;

	if ((dot = strchr(dotkey, '.')) == NULL ||
	    (size_t)(dot - dotkey) >= sizeof(sec))
		goto bad;
	memcpy(sec, dotkey, dot - dotkey);
	sec[dot - dotkey] = '\0';
	if ((i = zcfg_find(sec, dot + 1)) < 0)
		goto bad;
	return zcfg_put(cfg, i, val);
bad:
	snprintf(cfg->err, sizeof(cfg->err), "unknown key %s", dotkey);
	return ZE_CONFIG;
}

int
zcfg_parse_bool(const char *s)
{
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
	    strcmp(s, "1") == 0 || strcasecmp(s, "on") == 0)
		return 1;
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 ||
	    strcmp(s, "0") == 0 || strcasecmp(s, "off") == 0)
		return 0;
	return -1;
}

int
zcfg_check(struct zcfg *cfg)
{
	enum zlog_level	 level;
	size_t		 i;
	char		*end;

	for (i = 0; i < NKEYS; i++) {
		const char *v = cfg->vals[i];

		if (zcfg_keys[i].kind == ZK_INT) {
			errno = 0;
			(void)strtoll(v, &end, 10);
			if (*v == '\0' || *end != '\0' || errno != 0)
				goto bad;
		} else if (zcfg_keys[i].kind == ZK_BOOL &&
		    zcfg_parse_bool(v) < 0)
			goto bad;
		else if (strcmp(zcfg_keys[i].section, "log") == 0 &&
		    strcmp(zcfg_keys[i].key, "level") == 0 &&
		    zlog_level_parse(v, &level) < 0)
			goto bad;
		continue;
bad:
		snprintf(cfg->err, sizeof(cfg->err), "%s.%s: bad value \"%s\"",
		    zcfg_keys[i].section, zcfg_keys[i].key, v);
		return ZE_CONFIG;
	}
	return 0;
}

const char *
zcfg_get(const struct zcfg *cfg, const char *section, const char *key)
{
	int	i;

	i = zcfg_find(section, key);
	if (i < 0 || cfg->vals == NULL)
		return NULL;
	return cfg->vals[i];
}

long long
zcfg_int(const struct zcfg *cfg, const char *section, const char *key)
{
	const char	*v = zcfg_get(cfg, section, key);

	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

int
zcfg_bool(const struct zcfg *cfg, const char *section, const char *key)
{
	const char	*v = zcfg_get(cfg, section, key);

	return v != NULL && zcfg_parse_bool(v) == 1;
}

void
zcfg_print(const struct zcfg *cfg, FILE *fp)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		fprintf(fp, "%s.%s=%s\n", zcfg_keys[i].section,
		    zcfg_keys[i].key, cfg->vals[i]);
}

void
zcfg_release(struct zcfg *cfg)
{
	size_t	i;

	if (cfg->vals == NULL)
		return;
	for (i = 0; i < NKEYS; i++)
		free(cfg->vals[i]);
	free(cfg->vals);
	cfg->vals = NULL;
}

enum zlog_level
zcfg_log_level(const struct zcfg *cfg)
{
	enum zlog_level	l = ZLOG_INFO;

	(void)zlog_level_parse(zcfg_get(cfg, "log", "level"), &l);
	return l;
}
