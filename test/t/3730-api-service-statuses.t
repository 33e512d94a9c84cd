#!/bin/sh
# 3730: service statuses (api-v2.md 10.7, services.md 5): every daemon
# copy heartbeats into the zone_services bucket; GET /v2/service_statuses
# lists them (admins only) with paging, filters and sorts; a copy killed
# with -9 goes DOWN within [nats] heartbeat_down_s, a copy stopped with
# TERM says STOPPED.
. "${0%/*}/../lib.sh"

t_plan 25

ZONE_NATS_HEARTBEAT_S=1
ZONE_NATS_HEARTBEAT_DOWN_S=3
export ZONE_NATS_HEARTBEAT_S ZONE_NATS_HEARTBEAT_DOWN_S
t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"
t_start c2 zone-central || t_abort 'a second zone-central'
t_start c3 zone-central || t_abort 'a third zone-central'
M='X-Roles: member'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90
SS=/v2/service_statuses

# count FILTER: "<status> <count of central rows>" lines as one string
centrals() {
	t_req GET "$SS?service_name=central&limit=max" >/dev/null
	t_json '[.service_statuses[].status] | group_by(.) | map("\(.[0]):\(length)") | join(" ")'
}

t_is 'GET /v2/service_statuses is 200' "$(t_req GET "$SS")" 200
t_is 'three central copies and one api are UP' \
    "$(t_json '[.service_statuses[] | "\(.service_name):\(.status)"] | sort | join(" ")')" \
    'api:UP central:UP central:UP central:UP'
t_is 'a row has the keys Designate shows' \
    "$(t_json '.service_statuses[0] | [keys[]] | join(",")')" \
    'capabilities,created_at,heartbeated_at,hostname,id,links,service_name,stats,status,updated_at'
ID=$(t_json '.service_statuses[0].id')
t_is 'its hostname is this host, its id a UUID, its times the API form' \
    "$(t_json '.service_statuses[0] | "\(.hostname) \(.id | test("^[0-9a-f-]{36}$")) \(.heartbeated_at | test("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}$"))"')" \
    "$(hostname) true true"
t_is 'links.self and metadata' "$(t_json '"\(.service_statuses[0].links.self) \(.metadata.total_count) \(.links.self)"')" \
    "$ZONE_URL$SS/$ID 4 $ZONE_URL$SS"
t_is 'GET one' "$(t_req GET "$SS/$ID"; t_json '" \(.id) \(.links.self)"')" "200 $ID $ZONE_URL$SS/$ID"
t_is 'the alias path /v2/service_status' "$(t_req GET /v2/service_status; t_json '" \(.metadata.total_count)"')" '200 4'
t_is 'filter service_name=api' "$(t_req GET "$SS?service_name=api"; t_json '" \([.service_statuses[].service_name] | join(","))"')" '200 api'
t_is 'filter hostname' "$(t_req GET "$SS?hostname=$(hostname)"; t_json '" \(.metadata.total_count)"')" '200 4'
t_is 'filter status=DOWN' "$(t_req GET "$SS?status=DOWN"; t_json '" \(.metadata.total_count)"')" '200 0'
t_is 'limit=2 has a next link' "$(t_req GET "$SS?limit=2"; t_json '" \(.service_statuses | length) \(.links.next != null)"')" '200 2 true'
t_is 'the next page has the other two' "$(t_req GET "$(t_json .links.next)"; t_json '" \(.service_statuses | length)"')" '200 2'
t_is 'sort_key=service_name' "$(t_req GET "$SS?sort_key=service_name"; t_json '" \([.service_statuses[].service_name] | join(","))"')" '200 api,central,central,central'
t_err 400 invalid_sort_key 'sort_key=stats' GET "$SS?sort_key=stats"
t_err 400 bad_request 'an unknown filter' GET "$SS?pid=1"
t_err 400 invalid_limit 'limit=-1' GET "$SS?limit=-1"
t_err 404 service_status_not_found 'an unknown id' GET "$SS/$NIL"
t_err 400 invalid_uuid 'an id that is not a UUID' GET "$SS/abc"
t_err 403 forbidden 'a member cannot list' -H "$M" GET "$SS"
t_err 403 forbidden 'a member cannot show' -H "$M" GET "$SS/$ID"
t_err 405 method_not_allowed 'POST is 405' POST "$SS" '{}'

# ----------------------------------------------------------- DOWN and STOPPED

C2=$(t_pid c2)
kill -9 "$C2"
i=0
while [ "$(centrals)" != 'DOWN:1 UP:2' ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
t_is 'the copy killed with -9 goes DOWN within the window' "$(centrals)" 'DOWN:1 UP:2'
t_is 'the DOWN row is that copy' \
    "$(t_req GET "$SS?status=DOWN" >/dev/null; t_json '.service_statuses[0].stats.pid')" "$C2"
t_stop c3
t_is 'the copy stopped with TERM says STOPPED' "$(centrals)" 'DOWN:1 STOPPED:1 UP:1'

t_ok 'every zone-central and zone-api is still running' t_stack_alive

t_done
