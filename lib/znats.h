/*
 * NATS connection: options tuned for request/reply (SendAsap), endless
 * reconnects once connected, a JetStream context.  nats.c statuses are
 * mapped to zerr codes in znats_err() and nowhere else.
 */
#ifndef ZNATS_H
#define ZNATS_H

#include <nats/nats.h>

#include "zcfg.h"

struct znats {
	natsConnection	*nc;
	jsCtx		*js;
	int		 timeout_ms;
	char		 err[256];	/* last error text from nats.c */
};

#define ZNATS_INIT	{ NULL, NULL, 5000, "" }

/* Connect to [nats] url (comma-separated list allowed); fails at once
 * (ZE_NATS) when no server answers. */
int	znats_connect(struct znats *, const struct zcfg *, const char *name);
void	znats_close(struct znats *);
int	znats_err(natsStatus);
/* Round trip to the server: subscriptions are known to it after this. */
int	znats_flush(struct znats *, int timeout_ms);

#endif
