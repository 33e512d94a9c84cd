/*
 * The RPC envelope over core NATS request/reply (zone-messages(7)):
 *   request  {"method":"zone.create","params":{...},"context":{...},
 *             "deadline":<unix ms after which the caller has given up>}
 *   reply    {"result":...}  or  {"error":{"code":400,"type":..,"message":..}}
 * Central listens on ZRPC_CENTRAL with queue group "central".
 *
 * Context keys: project_id, user_id, roles (list of strings),
 * all_projects (bool), sudo_project_id (string or null), edit_managed
 * (bool), hide_counts (bool), request_id.
 */
#ifndef ZRPC_H
#define ZRPC_H

#include <stdint.h>

#include <jansson.h>

#include "zfault.h"
#include "znats.h"

#define ZRPC_CENTRAL	"zone.rpc.central"

/*
 * Call `method'.  Returns 0 with *result a new reference, or ZE_FAULT
 * with `f' filled in: the callee's fault, 503 communication_failure when
 * no copy answers or NATS is down, 504 timeout when the call times out.
 * params and ctx are borrowed.
 */
int	 zrpc_call(struct znats *, const char *subject, const char *method,
	    json_t *params, json_t *ctx, int timeout_ms, json_t **result,
	    struct zfault *f);
/* Milliseconds since the epoch. */
int64_t	 zrpc_now_ms(void);
/* 1 when the request's deadline has passed: drop it, nobody waits. */
int	 zrpc_expired(const json_t *req);
/* Parse a request; *req is a new reference with a string "method". */
int	 zrpc_parse(const char *data, int len, json_t **req);
/* Compact JSON of a reply; malloc'd string. */
char	*zrpc_result(json_t *result);
char	*zrpc_fault(const struct zfault *);

#endif
