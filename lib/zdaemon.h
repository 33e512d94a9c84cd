/*
 * What every daemon's main() does first, in one place: the common flags
 * (-d fd, -f file, -n, -v), the configuration, and following the journal
 * into the host's view.  The only library module that exits: on failure
 * it logs the one line and exits with the documented status, on behalf
 * of main().
 */
#ifndef ZDAEMON_H
#define ZDAEMON_H

#include "zcfg.h"
#include "zjournal.h"
#include "znats.h"
#include "zview.h"

struct zdaemon {
	int	readyfd;	/* -d, or -1 */
	int	checkonly;	/* -n */
	int	verbose;	/* -v given */
};

/* Parse the flags (64 on bad usage) and load the configuration
 * (66 or 78). */
void	zdaemon_flags(int argc, char *argv[], const char *usage,
	    struct zdaemon *, struct zcfg *);
/* Once the daemon has checked its own keys: with -n print the
 * configuration and return 1 (main exits 0); else set the log level
 * from [log] level unless -v was given, and return 0. */
int	zdaemon_checked(const struct zdaemon *, const struct zcfg *);
/* Open the view (73), connect to NATS (69, or 78 for a bad url), make
 * sure of the journal (69) and follow it into the view (69). */
void	zdaemon_follow(const struct zcfg *, const char *name, struct zview *,
	    struct znats *, struct zjournal *);

#endif
