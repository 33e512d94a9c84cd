#!/bin/sh
# 3700: shared zones (api-v2.md 5, services.md 2.7): share, list with
# paging and filters, show, unshare; what the target project may do (see
# the zone with shared: true, list every recordset, create recordsets it
# owns, change only its own) and may not (change, delete, share or
# transfer the zone: 403); unshare refused while the target owns
# recordsets; deleting a shared zone needs delete_shares.
. "${0%/*}/../lib.sh"

t_plan 66

t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"
M='X-Roles: member'
P2='X-Auth-Project-ID: sp2'
P3='X-Auth-Project-ID: sp3'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90
PROJ=sp1
Z=share-$$.example.org.

t_is 'the owner creates a zone' "$(t_req -H "$M" POST /v2/zones "{\"name\":\"$Z\",\"email\":\"h@example.org\"}")" 202
ZID=$(t_json .id)
t_is 'a new zone is not shared' "$(t_json .shared)" false

# ----------------------------------------------------------- share

t_is 'POST /v2/zones/{id}/shares is 201' \
    "$(t_req -H "$M" POST "/v2/zones/$ZID/shares" '{"target_project_id":"sp2"}')" 201
SH=$(t_json .id)
t_is 'the share has its fields' \
    "$(t_json '"\(.zone_id) \(.project_id) \(.target_project_id) \(.id | test("^[0-9a-f-]{36}$")) \(.created_at | test("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}$")) \(.updated_at)"')" \
    "$ZID sp1 sp2 true true null"
t_is 'the share shows only its keys' "$(t_json '[keys[]] | join(",")')" \
    'created_at,id,links,project_id,target_project_id,updated_at,zone_id'
t_is 'links.self and links.zone' "$(t_json '"\(.links.self) \(.links.zone)"')" \
    "$ZONE_URL/v2/zones/$ZID/shares/$SH $ZONE_URL/v2/zones/$ZID"
t_is 'Location is links.self' "$(t_hdr Location)" "$ZONE_URL/v2/zones/$ZID/shares/$SH"
t_is 'a second share, with sp3' \
    "$(t_req -H "$M" POST "/v2/zones/$ZID/shares" '{"target_project_id":"sp3"}')" 201
SH3=$(t_json .id)
t_err 409 duplicate_shared_zone 'sharing twice with one project is 409' \
    -H "$M" POST "/v2/zones/$ZID/shares" '{"target_project_id":"sp2"}'
t_err 400 bad_request 'sharing with the owner is 400' \
    -H "$M" POST "/v2/zones/$ZID/shares" '{"target_project_id":"sp1"}'
t_err 400 invalid_object 'an unknown key' -H "$M" POST "/v2/zones/$ZID/shares" '{"target_project_id":"x","foo":1}'
t_err 400 invalid_object 'a number for target_project_id' -H "$M" POST "/v2/zones/$ZID/shares" '{"target_project_id":5}'
t_err 400 invalid_object 'no target_project_id' -H "$M" POST "/v2/zones/$ZID/shares" '{}'
t_err 400 invalid_object 'a target_project_id of 37 characters' -H "$M" POST "/v2/zones/$ZID/shares" \
    '{"target_project_id":"0123456789012345678901234567890123456"}'
t_err 400 empty_request_body 'an empty body' -H "$M" POST "/v2/zones/$ZID/shares" ''
t_err 400 invalid_json 'a body that is not JSON' -H "$M" POST "/v2/zones/$ZID/shares" '{'
t_err 404 zone_not_found 'sharing an unknown zone' -H "$M" POST "/v2/zones/$NIL/shares" '{"target_project_id":"sp2"}'
t_err 400 invalid_uuid 'a zone id that is not a UUID' -H "$M" POST /v2/zones/abc/shares '{"target_project_id":"sp2"}'

# ----------------------------------------------------------- list and show

t_is 'the owner lists two shares' \
    "$(t_req -H "$M" GET "/v2/zones/$ZID/shares"; t_json '" \(.shared_zones | length) \(.metadata.total_count) \(.links.self)"')" \
    "200 2 2 $ZONE_URL/v2/zones/$ZID/shares"
t_is 'limit=1 gives one and a next link' \
    "$(t_req -H "$M" GET "/v2/zones/$ZID/shares?limit=1"; t_json '" \(.shared_zones | length) \(.links.next)"')" \
    "200 1 $ZONE_URL/v2/zones/$ZID/shares?limit=1&marker=$SH"
t_is 'the next page has the other' \
    "$(t_req -H "$M" GET "/v2/zones/$ZID/shares?limit=1&marker=$SH"; t_json '" \(.shared_zones[0].id)"')" "200 $SH3"
t_is 'filter target_project_id' \
    "$(t_req -H "$M" GET "/v2/zones/$ZID/shares?target_project_id=sp3"; t_json '" \([.shared_zones[].id] | join(","))"')" "200 $SH3"
t_is 'sort_dir=desc' \
    "$(t_req -H "$M" GET "/v2/zones/$ZID/shares?sort_dir=desc"; t_json '" \([.shared_zones[].target_project_id] | join(","))"')" "200 sp3,sp2"
t_err 400 bad_request 'an unknown filter' -H "$M" GET "/v2/zones/$ZID/shares?project_id=x"
t_err 400 invalid_sort_key 'sort_key=target_project_id' -H "$M" GET "/v2/zones/$ZID/shares?sort_key=target_project_id"
t_err 400 marker_not_found 'a marker no share has' -H "$M" GET "/v2/zones/$ZID/shares?marker=$NIL"
t_is 'GET one share' "$(t_req -H "$M" GET "/v2/zones/$ZID/shares/$SH"; t_json '" \(.target_project_id)"')" '200 sp2'
t_err 404 shared_zone_not_found 'GET an unknown share' -H "$M" GET "/v2/zones/$ZID/shares/$NIL"
t_err 400 invalid_uuid 'a share id that is not a UUID' -H "$M" GET "/v2/zones/$ZID/shares/abc"
t_is 'the target lists its own share only' \
    "$(t_req -H "$P2" -H "$M" GET "/v2/zones/$ZID/shares"; t_json '" \([.shared_zones[].target_project_id] | join(","))"')" '200 sp2'

# ----------------------------------------------------------- the target's view

t_is 'the owner sees shared: true' "$(t_req -H "$M" GET "/v2/zones/$ZID"; t_json '" \(.shared)"')" '200 true'
t_is 'the target sees the zone, shared: true' \
    "$(t_req -H "$P2" -H "$M" GET "/v2/zones/$ZID"; t_json '" \(.shared) \(.project_id)"')" '200 true sp1'
t_is 'the target lists the zone' \
    "$(t_req -H "$P2" -H "$M" GET /v2/zones; t_json '" \([.zones[].id] | join(",")) \(.metadata.total_count)"')" "200 $ZID 1"
t_err 404 zone_not_found 'another project does not see it' -H 'X-Auth-Project-ID: sp4' -H "$M" GET "/v2/zones/$ZID"
t_is 'the owner makes a recordset' \
    "$(t_req -H "$M" POST "/v2/zones/$ZID/recordsets" "{\"name\":\"own.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.1\"]}")" 202
OWN=$(t_json .id)
t_is 'the target makes a recordset it owns' \
    "$(t_req -H "$P2" -H "$M" POST "/v2/zones/$ZID/recordsets" "{\"name\":\"t.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.2\"]}"; t_json '" \(.project_id)"')" '202 sp2'
TRS=$(t_json .id)
t_is 'the target lists every recordset of the zone' \
    "$(t_req -H "$P2" -H "$M" GET "/v2/zones/$ZID/recordsets"; t_json '" \(.metadata.total_count)"')" '200 4'
t_is 'the target updates its own recordset' \
    "$(t_req -H "$P2" -H "$M" PUT "/v2/zones/$ZID/recordsets/$TRS" '{"records":["192.0.2.3"]}')" 202
t_err 403 forbidden "the target cannot update the owner's recordset" \
    -H "$P2" -H "$M" PUT "/v2/zones/$ZID/recordsets/$OWN" '{"records":["192.0.2.3"]}'
t_err 403 forbidden "the target cannot delete the owner's recordset" \
    -H "$P2" -H "$M" DELETE "/v2/zones/$ZID/recordsets/$OWN"
t_err 403 forbidden 'the target cannot update the zone' -H "$P2" -H "$M" PATCH "/v2/zones/$ZID" '{"ttl":600}'
t_err 403 forbidden 'the target cannot delete the zone' -H "$P2" -H "$M" DELETE "/v2/zones/$ZID"
t_err 403 forbidden 'the target cannot share the zone' -H "$P2" -H "$M" POST "/v2/zones/$ZID/shares" '{"target_project_id":"sp5"}'
t_err 403 forbidden 'the target cannot unshare' -H "$P2" -H "$M" DELETE "/v2/zones/$ZID/shares/$SH"
t_err 403 forbidden 'the target cannot ask to transfer the zone' -H "$P2" -H "$M" POST "/v2/zones/$ZID/tasks/transfer_requests" ''

# ----------------------------------------------------------- unshare

t_err 400 shared_zone_has_recordsets 'unshare while the target owns a recordset' \
    -H "$M" DELETE "/v2/zones/$ZID/shares/$SH"
t_is "the target lists the zone's recordsets in GET /v2/recordsets" \
    "$(t_req -H "$P2" -H "$M" GET "/v2/recordsets?type=A"; t_json '" \([.recordsets[].name] | sort | join(","))"')" \
    "200 own.$Z,t.$Z"
t_is 'the target creates a zone below the shared zone' \
    "$(t_req -H "$P2" -H "$M" POST /v2/zones "{\"name\":\"sub.$Z\",\"email\":\"h@example.org\"}")" 202
SUB=$(t_json .id)
t_err 403 illegal_child 'a project it is not shared with cannot' \
    -H 'X-Auth-Project-ID: sp4' -H "$M" POST /v2/zones "{\"name\":\"sub2.$Z\",\"email\":\"h@example.org\"}"
t_is 'the owner deletes the recordset of the target' \
    "$(t_req -H "$M" DELETE "/v2/zones/$ZID/recordsets/$TRS")" 202
t_err 400 shared_zone_has_sub_zone 'unshare while the target owns a zone below' \
    -H "$M" DELETE "/v2/zones/$ZID/shares/$SH"
t_is 'an admin of the target abandons the zone below' \
    "$(t_req -H "$P2" POST "/v2/zones/$SUB/tasks/abandon")" 204
t_is 'then unshare is 204 with no body' \
    "$(t_req -H "$M" DELETE "/v2/zones/$ZID/shares/$SH") $(wc -c <"$T/body" | tr -d ' ')" '204 0'
t_err 404 shared_zone_not_found 'the share is gone' -H "$M" GET "/v2/zones/$ZID/shares/$SH"
t_err 404 shared_zone_not_found 'unsharing again is 404' -H "$M" DELETE "/v2/zones/$ZID/shares/$SH"
t_err 404 zone_not_found 'the old target no longer sees the zone' -H "$P2" -H "$M" GET "/v2/zones/$ZID"
t_is 'nor lists it' "$(t_req -H "$P2" -H "$M" GET /v2/zones; t_json '" \(.metadata.total_count)"')" '200 0'
t_is 'still shared with sp3' "$(t_req -H "$M" GET "/v2/zones/$ZID"; t_json '" \(.shared)"')" '200 true'
t_is 'sp3 sees the zone' "$(t_req -H "$P3" -H "$M" GET "/v2/zones/$ZID")" 200

# ----------------------------------------------------------- delete a shared zone

t_err 400 zone_is_shared 'deleting a shared zone without delete_shares' -H "$M" DELETE "/v2/zones/$ZID"
t_err 400 bad_request 'delete_shares=maybe' -H "$M" DELETE "/v2/zones/$ZID?delete_shares=maybe"
t_is 'with delete_shares=true it is 202 DELETE' \
    "$(t_req -H "$M" DELETE "/v2/zones/$ZID?delete_shares=true"; t_json '" \(.action) \(.shared)"')" '202 DELETE false'
t_err 404 zone_not_found 'sp3 no longer sees it' -H "$P3" -H "$M" GET "/v2/zones/$ZID"
t_is 'a second zone deleted with X-Designate-Delete-Shares' \
    "$(t_req -H "$M" POST /v2/zones "{\"name\":\"s2-$Z\",\"email\":\"h@example.org\"}" >/dev/null
      Z2=$(t_json .id); t_req -H "$M" POST "/v2/zones/$Z2/shares" '{"target_project_id":"sp2"}' >/dev/null
      t_req -H "$M" -H 'X-Designate-Delete-Shares: true' DELETE "/v2/zones/$Z2")" 202
t_is 'the events dns.zone.share and dns.zone.unshare were journaled' \
    "$(zonectl watch --idle 2 --since 0 | jq -r .event_type | grep 'share$' | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
    'dns.zone.share:3 dns.zone.unshare:3 '

t_ok 'every zone-central and zone-api is still running' t_stack_alive

t_done
