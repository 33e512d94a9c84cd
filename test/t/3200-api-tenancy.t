#!/bin/sh
# 3200: projects are isolated (spec 1.6, 1.8): another project's zones and
# recordsets are 404, members cannot use all-projects or sudo (403), an admin
# with all-projects sees everything; the zones quota gives 413 over_quota.
. "${0%/*}/../lib.sh"

t_plan 36

ZONE_CENTRAL_QUOTA_ZONES=2
export ZONE_CENTRAL_QUOTA_ZONES
# Two centrals and two APIs: project A talks to the first API, project B
# to the second, so every check also reads through another copy.
t_stack 2 2 || t_abort "start nats-server, 2 zone-central and 2 zone-api"
URL1=$ZONE_URL

A=pa-$$
B=pb-$$
ZA="a-$$.example.test."
ZB="b-$$.example.test."
MEMBER='X-Roles: member'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90

# t_404 DESC [-H h].. METHOD PATH [BODY]: 404 with zone_not_found or
# recordset_not_found (either is the spec's answer for a recordset of an
# invisible zone).
t_404() {
	_d=$1
	shift
	_s=$(t_req "$@")
	_ty=$(t_json .type)
	case "$_s $_ty" in
	'404 zone_not_found' | '404 recordset_not_found')
		t_pass "$_d" ;;
	*)
		t_fail "$_d"
		t_diag "request: $*" "     got: $_s $_ty" \
		    "expected: 404 zone_not_found or 404 recordset_not_found" ;;
	esac
}

# ----------------------------------------------------------- project A's data

PROJ=$A
t_is 'A (member) creates its zone' \
    "$(t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"$ZA\",\"email\":\"hostmaster@example.test\"}")" 202
ZAID=$(t_json .id)
t_is 'A creates a recordset in it' \
    "$(t_req -H "$MEMBER" POST "/v2/zones/$ZAID/recordsets" "{\"name\":\"www.$ZA\",\"type\":\"A\",\"records\":[\"192.0.2.1\"]}")" 202
RAID=$(t_json .id)

# ----------------------------------------------------------- project B, member

PROJ=$B
ZONE_URL=$ZONE_URL2
t_is "B's zone list is empty" \
    "$(t_req -H "$MEMBER" GET /v2/zones; t_json '" \(.zones | length) \(.metadata.total_count)"')" '200 0 0'
t_is "B's global recordset list is empty" \
    "$(t_req -H "$MEMBER" GET /v2/recordsets; t_json '" \(.recordsets | length)"')" '200 0'
t_is "B's zone list filtered by A's zone name is empty" \
    "$(t_req -H "$MEMBER" GET "/v2/zones?name=$ZA"; t_json '" \(.zones | length)"')" '200 0'
t_err 404 zone_not_found "B cannot GET A's zone" -H "$MEMBER" GET "/v2/zones/$ZAID"
t_err 404 zone_not_found "B cannot PATCH A's zone" -H "$MEMBER" PATCH "/v2/zones/$ZAID" '{"ttl":600}'
t_err 404 zone_not_found "B cannot DELETE A's zone" -H "$MEMBER" DELETE "/v2/zones/$ZAID"
t_err 404 zone_not_found "B cannot list A's zone's recordsets" -H "$MEMBER" GET "/v2/zones/$ZAID/recordsets"
t_err 404 zone_not_found "B cannot create a recordset in A's zone" -H "$MEMBER" \
    POST "/v2/zones/$ZAID/recordsets" "{\"name\":\"evil.$ZA\",\"type\":\"A\",\"records\":[\"192.0.2.66\"]}"
t_404 "B cannot GET A's recordset" -H "$MEMBER" GET "/v2/zones/$ZAID/recordsets/$RAID"
t_404 "B cannot PUT A's recordset" -H "$MEMBER" PUT "/v2/zones/$ZAID/recordsets/$RAID" '{"records":["192.0.2.66"]}'
t_404 "B cannot DELETE A's recordset" -H "$MEMBER" DELETE "/v2/zones/$ZAID/recordsets/$RAID"
t_err 409 duplicate_zone "B cannot create a zone of the same name" -H "$MEMBER" \
    POST /v2/zones "{\"name\":\"$ZA\",\"email\":\"hostmaster@example.test\"}"

# An admin of B without all-projects is still scoped to B.
t_err 404 zone_not_found "B as admin, without all-projects, cannot GET A's zone" GET "/v2/zones/$ZAID"

# Members may not use all-projects or sudo.
t_err 403 forbidden 'a member with X-Auth-All-Projects: true is refused' \
    -H "$MEMBER" -H 'X-Auth-All-Projects: true' GET /v2/zones
t_err 403 forbidden 'a member with all_projects=true in the query is refused' \
    -H "$MEMBER" GET '/v2/zones?all_projects=true'
t_err 403 forbidden 'a member with X-Auth-Sudo-Project-ID is refused' \
    -H "$MEMBER" -H "X-Auth-Sudo-Project-ID: $A" GET /v2/zones
t_err 403 forbidden 'a member sudo-creating a zone is refused' \
    -H "$MEMBER" -H "X-Auth-Sudo-Project-ID: $A" POST /v2/zones \
    "{\"name\":\"sudo.$ZA\",\"email\":\"hostmaster@example.test\"}"

t_is 'B (member) creates its own zone' \
    "$(t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"$ZB\",\"email\":\"hostmaster@example.test\"}")" 202
ZBID=$(t_json .id)

# ----------------------------------------------------------- A is untouched

PROJ=$A
ZONE_URL=$URL1
t_is "A's zone is still there, unchanged" \
    "$(t_req -H "$MEMBER" GET "/v2/zones/$ZAID"; t_json '" \(.name) \(.ttl) \(.action != "DELETE")"')" "200 $ZA 3600 true"
t_is "A's recordset is still there, unchanged" \
    "$(t_req -H "$MEMBER" GET "/v2/zones/$ZAID/recordsets/$RAID"; t_json '" \(.records | join(","))"')" '200 192.0.2.1'
t_is "A's list has only A's zone" \
    "$(t_req -H "$MEMBER" GET /v2/zones; t_json '" \([.zones[].name] | join(","))"')" "200 $ZA"
t_err 404 zone_not_found "A cannot GET B's zone either" -H "$MEMBER" GET "/v2/zones/$ZBID"

# ----------------------------------------------------------- admins

PROJ=admin-$$
ZONE_URL=$ZONE_URL2
t_is 'an admin with X-Auth-All-Projects: true sees both zones' \
    "$(t_req -H 'X-Auth-All-Projects: true' GET /v2/zones
       t_json '" \([.zones[] | "\(.name)@\(.project_id)"] | sort | join(","))"')" \
    "200 $(printf '%s\n' "$ZA@$A" "$ZB@$B" | LC_ALL=C sort | paste -sd, -)"
t_is 'an admin with all_projects=true in the query sees both zones' \
    "$(t_req GET '/v2/zones?all_projects=true'; t_json '" \(.zones | length)"')" '200 2'
t_is "an admin with all-projects can GET A's zone" \
    "$(t_req -H 'X-Auth-All-Projects: true' GET "/v2/zones/$ZAID"; t_json '" \(.project_id)"')" "200 $A"
t_is "an admin with all-projects sees A's recordsets" \
    "$(t_req -H 'X-Auth-All-Projects: true' GET "/v2/zones/$ZAID/recordsets?type=A"
       t_json '" \([.recordsets[].name] | join(","))"')" "200 www.$ZA"
t_is "an admin with X-Auth-Sudo-Project-ID: A sees only A's zone" \
    "$(t_req -H "X-Auth-Sudo-Project-ID: $A" GET /v2/zones; t_json '" \([.zones[].name] | join(","))"')" "200 $ZA"
t_is 'an admin without all-projects sees none of them' \
    "$(t_req GET /v2/zones; t_json '" \(.zones | length)"')" '200 0'
t_err 404 zone_not_found 'an unknown zone is 404 even with all-projects' \
    -H 'X-Auth-All-Projects: true' GET "/v2/zones/$NIL"

# ----------------------------------------------------------- quota (zones = 2)

PROJ=$A
ZONE_URL=$URL1
t_is 'A creates a second zone (quota 2)' \
    "$(t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"two.$ZA\",\"email\":\"hostmaster@example.test\"}")" 202
t_err 413 over_quota "A's third zone is over quota" -H "$MEMBER" \
    POST /v2/zones "{\"name\":\"three.$ZA\",\"email\":\"hostmaster@example.test\"}"
t_err 413 over_quota "an admin sudo-creating a third zone for A is over quota too" \
    -H "X-Auth-Sudo-Project-ID: $A" POST /v2/zones \
    "{\"name\":\"sudo3.$ZA\",\"email\":\"hostmaster@example.test\"}"
PROJ=$B
ZONE_URL=$ZONE_URL2
t_is "B's quota is its own: a second zone is accepted" \
    "$(t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"two.$ZB\",\"email\":\"hostmaster@example.test\"}")" 202

t_ok 'both zone-central and both zone-api copies are still running' t_stack_alive

t_done
