#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>

#include "zdaemon.h"
#include "zevents.h"
#include "zerr.h"
#include "zlog.h"
#include "zready.h"

void
zdaemon_flags(int argc, char *argv[], const char *usage, struct zdaemon *d,
    struct zcfg *cfg)
{
	int	ch, rc;

	d->readyfd = -1;
	d->checkonly = d->verbose = 0;
	while ((ch = getopt(argc, argv, "d:f:nv")) != -1) {
		switch (ch) {
		case 'd':
			if ((d->readyfd = zready_parse(optarg)) < 0)
				zdie(EX_USAGE, "usage.bad_fd", "fd", optarg, NULL);
			break;
		case 'f':
			cfg->path = optarg;
			break;
		case 'n':
			d->checkonly = 1;
			break;
		case 'v':
			zlog_verbose();
			d->verbose = 1;
			break;
		default:
			zdie_usage(usage);
		}
	}
	if (optind != argc)
		zdie_usage(usage);
	if ((rc = zcfg_load(cfg)) < 0)
		zdie(zerr_exit(rc), "config.invalid", "err", cfg->err, NULL);
}

int
zdaemon_checked(const struct zdaemon *d, const struct zcfg *cfg)
{
	if (d->checkonly) {
		zcfg_print(cfg, stdout);
		return 1;
	}
	if (!d->verbose)
		zlog_set_level(zcfg_log_level(cfg));
	return 0;
}

void
zdaemon_follow(const struct zcfg *cfg, const char *name, struct zview *v,
    struct znats *z, struct zjournal *j)
{
	const char	*path = zcfg_get(cfg, "db", "path");
	int		 rc;

	if ((rc = zview_open(v, path, (size_t)zcfg_int(cfg, "db",
	    "map_size_mb"))) < 0)
		zdie(EX_CANTCREAT, "db.open_failed", "path", path, "err",
		    zerr_str(rc), NULL);
	if ((rc = znats_connect(z, cfg, name)) < 0)
		zdie(rc == ZE_CONFIG ? EX_CONFIG : EX_UNAVAILABLE,
		    "nats.unavailable", "url", zcfg_get(cfg, "nats", "url"),
		    "err", z->err, NULL);
	if ((rc = zjournal_ensure(z, (int)zcfg_int(cfg, "nats",
	    "replicas"))) < 0 || (rc = zevents_ensure(z, cfg)) < 0)
		zdie(EX_UNAVAILABLE, "journal.unavailable", "err", zerr_str(rc),
		    NULL);
	if ((rc = zjournal_start(j, z, v)) < 0)
		zdie(EX_UNAVAILABLE, "journal.follow_failed", "err",
		    zerr_str(rc), NULL);
}
