#!/bin/sh
# 3720: POST /v2/zones/{id}/tasks/abandon (api-v2.md 3.8, services.md
# 2.6): admins only, 204 with no body; the zone is soft-deleted at once
# (no DELETE/PENDING step), its recordsets go with it, its name is free
# again, its shares go too.
. "${0%/*}/../lib.sh"

t_plan 15

t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"
M='X-Roles: member'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90
PROJ=ap1
Z=abandon-$$.example.org.

t_req -H "$M" POST /v2/zones "{\"name\":\"$Z\",\"email\":\"h@example.org\"}" >/dev/null
ZID=$(t_json .id)
t_req -H "$M" POST "/v2/zones/$ZID/recordsets" "{\"name\":\"www.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.1\"]}" >/dev/null
RID=$(t_json .id)
t_req -H "$M" POST "/v2/zones/$ZID/shares" '{"target_project_id":"ap2"}' >/dev/null

t_err 403 forbidden 'a member cannot abandon' -H "$M" POST "/v2/zones/$ZID/tasks/abandon"
t_err 405 method_not_allowed 'GET on the abandon path is 405' GET "/v2/zones/$ZID/tasks/abandon"
t_err 404 zone_not_found 'abandon an unknown zone' POST "/v2/zones/$NIL/tasks/abandon"
t_err 400 invalid_uuid 'abandon a zone id that is not a UUID' POST /v2/zones/abc/tasks/abandon
t_err 404 zone_not_found "an admin of another project does not see the zone" \
    -H 'X-Auth-Project-ID: ap9' POST "/v2/zones/$ZID/tasks/abandon"
t_is 'an admin abandons: 204, no body' \
    "$(t_req POST "/v2/zones/$ZID/tasks/abandon") $(wc -c <"$T/body" | tr -d ' ')" '204 0'
t_err 404 zone_not_found 'the zone is gone at once' -H "$M" GET "/v2/zones/$ZID"
t_is 'and not listed' "$(t_req -H "$M" GET /v2/zones; t_json '" \(.metadata.total_count)"')" '200 0'
t_err 404 zone_not_found 'its recordsets are gone' -H "$M" GET "/v2/zones/$ZID/recordsets/$RID"
t_err 404 zone_not_found 'the project it was shared with does not see it' \
    -H 'X-Auth-Project-ID: ap2' -H "$M" GET "/v2/zones/$ZID"
t_err 404 zone_not_found 'abandoning again is 404' POST "/v2/zones/$ZID/tasks/abandon"
t_is 'the name is free again' \
    "$(t_req -H "$M" POST /v2/zones "{\"name\":\"$Z\",\"email\":\"h@example.org\"}")" 202
t_is 'a zone being deleted can be abandoned too' \
    "$(ZID2=$(t_json .id); t_req -H "$M" DELETE "/v2/zones/$ZID2" >/dev/null; t_req POST "/v2/zones/$ZID2/tasks/abandon")" 204
t_is 'the journal told dns.zone.delete and no zone went back to PENDING' \
    "$(zonectl watch --idle 2 --since 0 | jq -r 'select(.event_type == "dns.zone.delete") | .payload.status' | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
    'DELETED:2 PENDING:1 '

t_ok 'every zone-central and zone-api is still running' t_stack_alive

t_done
