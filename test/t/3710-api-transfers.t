#!/bin/sh
# 3710: zone ownership transfers (api-v2.md 6, services.md 2.8): a
# request with an 8-character key, ACTIVE, visible to its owner and its
# target (everybody when it has none), listed, shown, updated, deleted;
# an accept checks the key (403), the target (403), the request's state
# (400) and the accepting project's zone quota (413), then moves the zone
# and its recordsets: listed by the new project, gone from the old one.
. "${0%/*}/../lib.sh"

t_plan 65

t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"
M='X-Roles: member'
P2='X-Auth-Project-ID: tp2'
P3='X-Auth-Project-ID: tp3'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90
PROJ=tp1
TR=/v2/zones/tasks/transfer_requests
TA=/v2/zones/tasks/transfer_accepts
Z=xfer-$$.example.org.

t_req -H "$M" POST /v2/zones "{\"name\":\"$Z\",\"email\":\"h@example.org\"}" >/dev/null
ZID=$(t_json .id)
t_is 'a recordset in the zone' \
    "$(t_req -H "$M" POST "/v2/zones/$ZID/recordsets" "{\"name\":\"www.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.1\"]}")" 202
RID=$(t_json .id)

# ----------------------------------------------------------- requests

t_is 'POST a transfer request with no body is 201' \
    "$(t_req -H "$M" -H 'Content-Type:' POST "/v2/zones/$ZID/tasks/transfer_requests")" 201
R0=$(t_json .id)
t_is 'it is ACTIVE, for anyone, with an 8-character key of A-Z0-9' \
    "$(t_json '"\(.status) \(.target_project_id) \(.key | test("^[A-Z0-9]{8}$")) \(.zone_id) \(.zone_name) \(.project_id)"')" \
    "ACTIVE null true $ZID $Z tp1"
t_is 'the request shows its keys' "$(t_json '[keys[]] | join(",")')" \
    'created_at,description,id,key,links,project_id,status,target_project_id,updated_at,zone_id,zone_name'
t_is 'links.self and Location' "$(t_json .links.self) $(t_hdr Location)" \
    "$ZONE_URL$TR/$R0 $ZONE_URL$TR/$R0"
t_is 'anyone sees a request without a target, but not its key' \
    "$(t_req -H "$P3" -H "$M" GET "$TR/$R0"; t_json '" \([keys[]] | join(","))"')" \
    '200 description,id,links,status,zone_id,zone_name'
t_err 409 duplicate_zone_transfer_request 'a second active request for the zone is 409' \
    -H "$M" POST "/v2/zones/$ZID/tasks/transfer_requests" '{}'
t_is 'an admin of another project sees it' \
    "$(t_req -H "$P3" GET "$TR/$R0"; t_json '" \(.id)"')" "200 $R0"
t_is 'DELETE the request is 204' "$(t_req -H "$M" DELETE "$TR/$R0") $(wc -c <"$T/body" | tr -d ' ')" '204 0'
t_is 'a JSON null body is no body (201)' \
    "$(t_req -H "$M" POST "/v2/zones/$ZID/tasks/transfer_requests" 'null')" 201
t_is '... and that request goes too' "$(t_req -H "$M" DELETE "$TR/$(t_json .id)")" 204
t_err 404 zone_transfer_request_not_found 'it is gone' -H "$M" GET "$TR/$R0"
t_err 404 zone_transfer_request_not_found 'deleting it again is 404' -H "$M" DELETE "$TR/$R0"

t_is 'a request for tp2, with a description' \
    "$(t_req -H "$M" POST "/v2/zones/$ZID/tasks/transfer_requests" '{"target_project_id":"tp2","description":"to tp2"}'; t_json '" \(.target_project_id) \(.description)"')" \
    '201 tp2 to tp2'
R1=$(t_json .id)
KEY=$(t_json .key)
t_is 'the target sees it, without the key' \
    "$(t_req -H "$P2" -H "$M" GET "$TR/$R1"; t_json '" \(.key) \(.status)"')" '200 null ACTIVE'
t_err 404 zone_transfer_request_not_found 'another project does not' -H "$P3" -H "$M" GET "$TR/$R1"
t_is 'the owner lists it' \
    "$(t_req -H "$M" GET "$TR"; t_json '" \([.transfer_requests[].id] | join(",")) \(.metadata.total_count) \(.links.self)"')" \
    "200 $R1 1 $ZONE_URL$TR"
t_is 'the target lists it' "$(t_req -H "$P2" -H "$M" GET "$TR"; t_json '" \(.metadata.total_count)"')" '200 1'
t_is 'another project lists nothing' "$(t_req -H "$P3" -H "$M" GET "$TR"; t_json '" \(.metadata.total_count)"')" '200 0'
t_is 'filter status=ACTIVE' "$(t_req -H "$M" GET "$TR?status=ACTIVE"; t_json '" \(.metadata.total_count)"')" '200 1'
t_is 'filter status=COMPLETE' "$(t_req -H "$M" GET "$TR?status=COMPLETE"; t_json '" \(.metadata.total_count)"')" '200 0'
t_err 400 bad_request 'an unknown filter' -H "$M" GET "$TR?zone_id=$ZID"
t_err 400 invalid_limit 'limit=0' -H "$M" GET "$TR?limit=0"
t_err 400 invalid_sort_key 'sort_key=key' -H "$M" GET "$TR?sort_key=key"

# ----------------------------------------------------------- update

t_is 'PATCH the description is 200' \
    "$(t_req -H "$M" PATCH "$TR/$R1" '{"description":"changed"}'; t_json '" \(.description) \(.updated_at != null)"')" '200 changed true'
t_is 'PATCH with the same zone_id is fine' "$(t_req -H "$M" PATCH "$TR/$R1" "{\"zone_id\":\"$ZID\"}")" 200
t_err 400 invalid_operation 'PATCH a different zone_id' -H "$M" PATCH "$TR/$R1" "{\"zone_id\":\"$NIL\"}"
t_err 400 invalid_object 'PATCH the key' -H "$M" PATCH "$TR/$R1" '{"key":"AAAAAAAA"}'
t_err 400 invalid_object 'PATCH an unknown key' -H "$M" PATCH "$TR/$R1" '{"foo":1}'
t_err 400 invalid_object 'PATCH a number for description' -H "$M" PATCH "$TR/$R1" '{"description":1}'
t_err 403 forbidden 'the target cannot PATCH it' -H "$P2" -H "$M" PATCH "$TR/$R1" '{"description":"x"}'
t_err 403 forbidden 'the target cannot DELETE it' -H "$P2" -H "$M" DELETE "$TR/$R1"
t_err 404 zone_transfer_request_not_found 'PATCH an unknown request' -H "$M" PATCH "$TR/$NIL" '{"description":"x"}'
t_err 400 invalid_uuid 'a request id that is not a UUID' -H "$M" GET "$TR/abc"

# ----------------------------------------------------------- bad creates

t_err 400 invalid_object 'a create with an unknown key' -H "$M" POST "/v2/zones/$ZID/tasks/transfer_requests" '{"foo":1}'
t_err 400 invalid_object 'a create with a number for target' -H "$M" POST "/v2/zones/$ZID/tasks/transfer_requests" '{"target_project_id":1}'
t_err 404 zone_not_found 'a request for an unknown zone' -H "$M" POST "/v2/zones/$NIL/tasks/transfer_requests" '{}'
t_err 404 zone_not_found "a request for another project's zone" -H "$P3" -H "$M" POST "/v2/zones/$ZID/tasks/transfer_requests" '{}'
t_err 405 method_not_allowed 'GET on the create path' -H "$M" GET "/v2/zones/$ZID/tasks/transfer_requests"

# ----------------------------------------------------------- accept

t_err 403 invalid_key 'a key that does not match is 403' \
    -H "$P2" -H "$M" POST "$TA" "{\"zone_transfer_request_id\":\"$R1\",\"key\":\"WRONGKEY\"}"
t_err 403 forbidden 'a project that is not the target is 403' \
    -H "$P3" -H "$M" POST "$TA" "{\"zone_transfer_request_id\":\"$R1\",\"key\":\"$KEY\"}"
t_err 404 zone_transfer_request_not_found 'an unknown request' \
    -H "$P2" -H "$M" POST "$TA" "{\"zone_transfer_request_id\":\"$NIL\",\"key\":\"$KEY\"}"
t_err 400 invalid_object 'no key' -H "$P2" -H "$M" POST "$TA" "{\"zone_transfer_request_id\":\"$R1\"}"
t_err 400 invalid_object 'a request id that is not a UUID' -H "$P2" -H "$M" POST "$TA" '{"zone_transfer_request_id":"abc","key":"x"}'
t_err 400 invalid_object 'an unknown key in the accept' -H "$P2" -H "$M" POST "$TA" "{\"zone_transfer_request_id\":\"$R1\",\"key\":\"$KEY\",\"x\":1}"
t_is 'an admin sets the zone quota of tp2 to 0' "$(t_req PATCH /v2/quotas/tp2 '{"zones":0}')" 200
t_err 413 over_quota "the accepting project's zone quota is checked" \
    -H "$P2" -H "$M" POST "$TA" "{\"zone_transfer_request_id\":\"$R1\",\"key\":\"$KEY\"}"
t_is 'the quota is reset' "$(t_req DELETE /v2/quotas/tp2)" 204
t_is 'accept is 201 and COMPLETE' \
    "$(t_req -H "$P2" -H "$M" POST "$TA" "{\"zone_transfer_request_id\":\"$R1\",\"key\":\"$KEY\"}"; t_json '" \(.status) \(.zone_id) \(.project_id) \(.zone_transfer_request_id)"')" \
    "201 COMPLETE $ZID tp2 $R1"
A1=$(t_json .id)
t_is 'accept links and Location' "$(t_json '"\(.links.self) \(.links.zone)"') $(t_hdr Location)" \
    "$ZONE_URL$TA/$A1 $ZONE_URL/v2/zones/$ZID $ZONE_URL$TA/$A1"
t_is 'the request is COMPLETE' "$(t_req -H "$M" GET "$TR/$R1"; t_json '" \(.status)"')" '200 COMPLETE'
t_err 400 invalid_zone_transfer_request 'accepting it again is 400' \
    -H "$P2" -H "$M" POST "$TA" "{\"zone_transfer_request_id\":\"$R1\",\"key\":\"$KEY\"}"
t_is 'the new project lists the zone' \
    "$(t_req -H "$P2" -H "$M" GET /v2/zones; t_json '" \([.zones[].id] | join(",")) \(.zones[0].project_id)"')" "200 $ZID tp2"
t_is 'with its recordsets, now its own' \
    "$(t_req -H "$P2" -H "$M" GET "/v2/zones/$ZID/recordsets"; t_json '" \(.metadata.total_count) \([.recordsets[].project_id] | unique | join(","))"')" '200 3 tp2'
t_is 'the new project changes the recordset' \
    "$(t_req -H "$P2" -H "$M" PUT "/v2/zones/$ZID/recordsets/$RID" '{"records":["192.0.2.9"]}')" 202
t_is 'the old project no longer lists it' "$(t_req -H "$M" GET /v2/zones; t_json '" \(.metadata.total_count)"')" '200 0'
t_err 404 zone_not_found 'nor sees it' -H "$M" GET "/v2/zones/$ZID"
t_is 'the accepting project lists its accept' \
    "$(t_req -H "$P2" -H "$M" GET "$TA"; t_json '" \([.transfer_accepts[].id] | join(",")) \(.metadata.total_count)"')" "200 $A1 1"
t_is 'filter status=COMPLETE' "$(t_req -H "$P2" -H "$M" GET "$TA?status=COMPLETE"; t_json '" \(.metadata.total_count)"')" '200 1'
t_is 'GET the accept' "$(t_req -H "$P2" -H "$M" GET "$TA/$A1"; t_json '" \(.status)"')" '200 COMPLETE'
t_err 404 zone_transfer_accept_not_found 'another project does not see the accept' -H "$P3" -H "$M" GET "$TA/$A1"
t_err 404 zone_transfer_accept_not_found 'an unknown accept' -H "$P2" -H "$M" GET "$TA/$NIL"
t_err 405 method_not_allowed 'DELETE an accept' -H "$P2" -H "$M" DELETE "$TA/$A1"
t_is 'the zone count moved: tp2 may create up to its quota' \
    "$(t_req -H "$P2" -H "$M" GET /v2/quotas >/dev/null; t_req -H "$P2" -H "$M" GET /v2/zones; t_json '" \(.metadata.total_count)"')" '200 1'

t_ok 'every zone-central and zone-api is still running' t_stack_alive

t_done
