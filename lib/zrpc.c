#include <sys/time.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zerr.h"
#include "zrpc.h"

int64_t
zrpc_now_ms(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int
zrpc_expired(const json_t *req)
{
	const json_t	*d = json_object_get(req, "deadline");

	return json_is_integer(d) && json_integer_value(d) < zrpc_now_ms();
}

int
zrpc_call(struct znats *z, const char *subject, const char *method,
    json_t *params, json_t *ctx, int timeout_ms, json_t **result,
    struct zfault *f)
{
	json_t		*req = NULL, *rep = NULL, *v;
	natsMsg		*msg = NULL;
	natsStatus	 s;
	json_error_t	 jerr;
	char		*body = NULL;
	int		 rc;

	*result = NULL;
	/*
	 * While reconnecting, nats.c would buffer the request and send it
	 * once the server is back, long after we answered the caller: fail
	 * at once instead.  The deadline covers the rest of the window.
	 */
	if (natsConnection_Status(z->nc) != NATS_CONN_STATUS_CONNECTED)
		return zfault_set(f, 503, "communication_failure",
		    "the message bus is not reachable");
	req = json_pack("{s:s,s:O,s:O,s:I}", "method", method,
	    "params", params != NULL ? params : json_null(),
	    "context", ctx != NULL ? ctx : json_null(),
	    "deadline", (json_int_t)(zrpc_now_ms() + timeout_ms));
	if (req == NULL || (body = json_dumps(req, JSON_COMPACT)) == NULL) {
		rc = zfault_set(f, 500, "unknown", "out of memory");
		goto out;
	}
	s = natsConnection_Request(&msg, z->nc, subject, body,
	    (int)strlen(body), timeout_ms);
	if (s == NATS_TIMEOUT) {
		rc = zfault_set(f, 504, "timeout", NULL);
		goto out;
	}
	if (s != NATS_OK) {
		rc = zfault_set(f, 503, "communication_failure",
		    "the central service is not reachable (%s)",
		    natsStatus_GetText(s));
		goto out;
	}
	rep = json_loadb(natsMsg_GetData(msg), natsMsg_GetDataLength(msg), 0,
	    &jerr);
	if (rep == NULL) {
		rc = zfault_set(f, 500, "unknown", "malformed reply");
		goto out;
	}
	if ((v = json_object_get(rep, "error")) != NULL) {
		if (zfault_from_json(f, v) != 0)
			zfault_set(f, 500, "unknown", "malformed error reply");
		rc = ZE_FAULT;
		goto out;
	}
	if ((v = json_object_get(rep, "result")) == NULL) {
		rc = zfault_set(f, 500, "unknown", "reply without result");
		goto out;
	}
	*result = json_incref(v);
	rc = 0;
out:
	natsMsg_Destroy(msg);
	json_decref(req);
	json_decref(rep);
	free(body);
	return rc;
}

int
zrpc_parse(const char *data, int len, json_t **req)
{
	json_t		*r;
	json_error_t	 jerr;

	*req = NULL;
	if ((r = json_loadb(data, (size_t)len, 0, &jerr)) == NULL)
		return ZE_BADMSG;
	if (!json_is_object(r) || !json_is_string(json_object_get(r, "method"))) {
		json_decref(r);
		return ZE_BADMSG;
	}
	*req = r;
	return 0;
}

char *
zrpc_result(json_t *result)
{
	json_t	*r;
	char	*s;

	if ((r = json_pack("{s:O}", "result", result)) == NULL)
		return NULL;
	s = json_dumps(r, JSON_COMPACT);
	json_decref(r);
	return s;
}

char *
zrpc_fault(const struct zfault *f)
{
	json_t	*r;
	char	*s;

	if ((r = json_pack("{s:o}", "error", zfault_json(f))) == NULL)
		return NULL;
	s = json_dumps(r, JSON_COMPACT);
	json_decref(r);
	return s;
}
