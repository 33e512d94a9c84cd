#include <errno.h>
#include <stdio.h>
#include <string.h>


#include "zerr.h"
#include "znats.h"

int
znats_err(natsStatus s)
{
	switch (s) {
	case NATS_OK:
		return 0;
	case NATS_TIMEOUT:
		return ZE_TIMEOUT;
	case NATS_NO_RESPONDERS:
		return ZE_NORESP;
	case NATS_NOT_FOUND:
		return ZE_NOTFOUND;
	case NATS_NO_MEMORY:
		return -ENOMEM;
	default:
		return ZE_NATS;
	}
}

static void
znats_seterr(struct znats *z, natsStatus s)
{
	const char	*t = nats_GetLastError(NULL);

	snprintf(z->err, sizeof(z->err), "%s", t != NULL && *t != '\0' ? t :
	    natsStatus_GetText(s));
}

int
znats_connect(struct znats *z, const struct zcfg *cfg, const char *name)
{
	natsOptions	*o = NULL;
	natsStatus	 s;
	char		 urls[1024], *p, *save = NULL;
	const char	*servers[16];
	const char	*creds;
	int		 n = 0;

	/*
	 * No spinning on nats.c's locks: on a small machine the spinner
	 * steals the core the lock holder needs.
	 */
	nats_Open(0);
	z->timeout_ms = (int)zcfg_int(cfg, "nats", "timeout_ms");
	strlcpy(urls, zcfg_get(cfg, "nats", "url"), sizeof(urls));
	for (p = strtok_r(urls, ", ", &save); p != NULL && n < 16;
	    p = strtok_r(NULL, ", ", &save))
		servers[n++] = p;
	if (n == 0) {
		strlcpy(z->err, "nats.url is empty", sizeof(z->err));
		return ZE_CONFIG;
	}
	if ((s = natsOptions_Create(&o)) != NATS_OK)
		goto out;
	if ((s = natsOptions_SetServers(o, servers, n)) != NATS_OK ||
	    (s = natsOptions_SetName(o, name)) != NATS_OK ||
	    (s = natsOptions_SetSendAsap(o, true)) != NATS_OK ||
	    (s = natsOptions_SetMaxReconnect(o, -1)) != NATS_OK ||
	    (s = natsOptions_SetReconnectWait(o, 100)) != NATS_OK ||
	    (s = natsOptions_SetReconnectJitter(o, 50, 200)) != NATS_OK ||
	    (s = natsOptions_SetReconnectBufSize(o, 8 * 1024 * 1024)) != NATS_OK ||
	    (s = natsOptions_SetTimeout(o, 2000)) != NATS_OK)
		goto out;
	creds = zcfg_get(cfg, "nats", "creds");
	if (creds != NULL && *creds != '\0' &&
	    (s = natsOptions_SetUserCredentialsFromFiles(o, creds, NULL)) != NATS_OK)
		goto out;
	if ((s = natsConnection_Connect(&z->nc, o)) != NATS_OK)
		goto out;
	s = natsConnection_JetStream(&z->js, z->nc, NULL);
out:
	if (s != NATS_OK) {
		znats_seterr(z, s);
		natsConnection_Destroy(z->nc);
		z->nc = NULL;
	}
	natsOptions_Destroy(o);
	return s == NATS_OK ? 0 : ZE_NATS;
}

int
znats_flush(struct znats *z, int timeout_ms)
{
	natsStatus	s;

	s = natsConnection_FlushTimeout(z->nc, timeout_ms);
	if (s != NATS_OK)
		znats_seterr(z, s);
	return znats_err(s);
}

void
znats_close(struct znats *z)
{
	if (z->nc != NULL) {
		natsConnection_Drain(z->nc);
		natsConnection_Close(z->nc);
	}
	jsCtx_Destroy(z->js);
	natsConnection_Destroy(z->nc);
	z->js = NULL;
	z->nc = NULL;
}
