#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zerr.h"
#include "zrpc.h"

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
	req = json_pack("{s:s,s:O,s:O}", "method", method,
	    "params", params != NULL ? params : json_null(),
	    "context", ctx != NULL ? ctx : json_null());
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
