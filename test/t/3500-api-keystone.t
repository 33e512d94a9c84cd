#!/bin/sh
# 3500: zone-api behind a real Keystone (auth_strategy = keystone, spec
# 1.6, 1.8): tokens decide project, user and roles; no token, a bad token
# or headers alone are 401; reader reads but cannot write; all-projects
# and sudo are for admins (bare 403 for others); the openstack CLI works
# through the catalog's dns endpoint; a Keystone outage keeps cached
# tokens working and answers 503 for new ones, and its return needs no
# restart; cached tokens cost Keystone nothing.
. "${0%/*}/../lib.sh"

t_plan 48
for c in keystone-manage uwsgi mariadbd openstack jq; do
	command -v "$c" >/dev/null 2>&1 ||
	    t_abort "no $c: make deps installs python3-keystone, uwsgi, mariadb-server, python3-openstackclient"
done
for v in $(env | sed -n 's/^\(OS_[A-Za-z_]*\)=.*/\1/p'); do
	unset "$v"
done
KS_SH=${0%/*}/../../share/zone/keystone.sh
KS=$T/ks
mkdir -p "$KS"
# stop Keystone and MariaDB (by their recorded PIDs) before lib.sh's trap
# (by the PIDs kept here too, should $KS have gone)
KS_PIDS=
trap '_rc0=$?; sh "$KS_SH" stop "$KS" 2>/dev/null || kill $KS_PIDS 2>/dev/null;
    (exit $_rc0); _t_cleanup' EXIT

t_ok 'a private Keystone over MariaDB starts' sh "$KS_SH" start "$KS" ||
    { tail -n 20 "$KS"/*.log >&2; t_abort 'keystone.sh start'; }
. "$KS/keystone.env"
KS_PIDS="$(cat "$KS/keystone.pid" "$KS/mariadb.pid.own")"

ZONE_API_AUTH_STRATEGY=keystone
ZONE_API_QUOTAS_VERIFY_PROJECT_ID=true
export ZONE_API_AUTH_STRATEGY ZONE_API_QUOTAS_VERIFY_PROJECT_ID
t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api (keystone)"
API_PID=$(t_pid api1)

t_ok 'the dns endpoint is in the catalog' sh "$KS_SH" endpoint "$KS" "$ZONE_URL"
t_ok 'users: alice (member), rita (reader) of one project, carl (member) of another' \
    sh -c "sh '$KS_SH' user '$KS' alice proj-a member &&
	sh '$KS_SH' user '$KS' rita proj-a reader &&
	sh '$KS_SH' user '$KS' carl proj-c member"

# token USER PROJECT: a project-scoped token (t_token)
token() {
	t_token "$KS" "$1" "$2"
}
# project_id NAME
project_id() {
	openstack project show -f value -c id "$1" 2>/dev/null
}

TA=$(token alice proj-a)
TR=$(token rita proj-a)
TC=$(token carl proj-c)
TADM=$(token admin admin)
PA=$(project_id proj-a)
t_ok 'tokens for alice, rita, carl and admin' test -n "$TA" -a -n "$TR" -a -n "$TC" -a -n "$TADM" -a -n "$PA"
ZN="ks-$$.example.test."

# ----------------------------------------------------------- 401

t_is 'GET / needs no token' "$(PROJ= t_req GET /)" 200
t_is 'GET /healthcheck needs no token' "$(PROJ= t_req GET /healthcheck)" 200
t_err 401 unauthorized 'no token: 401' GET /v2/zones
t_ok '401 has a request id and a message' \
    jq -e '.code == 401 and (.request_id | startswith("req-")) and (.message | length > 0)' "$T/body"
t_err 401 unauthorized 'a token Keystone does not know: 401' \
    -H 'X-Auth-Token: gAAAAABnot-a-real-token' GET /v2/zones
t_err 401 unauthorized 'noauth headers alone are not enough' \
    -H 'X-Roles: admin' -H 'X-Auth-User-ID: u' GET /v2/zones
t_err 401 unauthorized 'a POST without a token is refused before its body is looked at' \
    POST /v2/zones '{"name":"x.example.test.","email":"a@example.test"}'

# ----------------------------------------------------------- project and roles

t_is 'alice creates a zone' "$(t_req -H "X-Auth-Token: $TA" -H 'X-Roles: admin' \
    POST /v2/zones "{\"name\":\"$ZN\",\"email\":\"hostmaster@example.test\"}")" 202
ZID=$(t_json .id)
t_is "the zone is in alice's project from the token, not X-Auth-Project-ID" \
    "$(t_json .project_id)" "$PA"
t_is 'alice adds a recordset' "$(t_req -H "X-Auth-Token: $TA" \
    POST "/v2/zones/$ZID/recordsets" "{\"name\":\"www.$ZN\",\"type\":\"A\",\"records\":[\"192.0.2.1\"]}")" 202
RID=$(t_json .id)
t_is 'rita (reader) lists the zones of the project' \
    "$(t_req -H "X-Auth-Token: $TR" GET /v2/zones; t_json '" \(.zones | map(.id) | join(","))"')" "200 $ZID"
t_is 'rita reads the recordset' \
    "$(t_req -H "X-Auth-Token: $TR" GET "/v2/zones/$ZID/recordsets/$RID")" 200
t_err 403 forbidden 'rita cannot create a zone' -H "X-Auth-Token: $TR" \
    POST /v2/zones '{"name":"r.example.test.","email":"hostmaster@example.test"}'
t_err 403 forbidden 'rita cannot update the zone' -H "X-Auth-Token: $TR" \
    PATCH "/v2/zones/$ZID" '{"ttl":600}'
t_err 403 forbidden 'rita cannot add a recordset' -H "X-Auth-Token: $TR" \
    POST "/v2/zones/$ZID/recordsets" "{\"name\":\"r.$ZN\",\"type\":\"A\",\"records\":[\"192.0.2.2\"]}"
t_err 403 forbidden 'rita cannot delete the zone, even sending X-Roles: admin' \
    -H "X-Auth-Token: $TR" -H 'X-Roles: admin' DELETE "/v2/zones/$ZID"
t_err 404 zone_not_found "carl (another project) does not see alice's zone" \
    -H "X-Auth-Token: $TC" GET "/v2/zones/$ZID"

# ----------------------------------------------------------- admin-only headers

t_is 'alice with X-Auth-All-Projects: bare 403' \
    "$(t_req -H "X-Auth-Token: $TA" -H 'X-Auth-All-Projects: true' GET /v2/zones) $(wc -c <"$T/body")" '403 0'
t_is 'alice with all_projects=1 in the query: bare 403' \
    "$(t_req -H "X-Auth-Token: $TA" GET '/v2/zones?all_projects=1') $(wc -c <"$T/body")" '403 0'
t_is 'carl with X-Auth-Sudo-Project-ID: bare 403' \
    "$(t_req -H "X-Auth-Token: $TC" -H "X-Auth-Sudo-Project-ID: $PA" GET /v2/zones) $(wc -c <"$T/body")" '403 0'
t_is 'alice with X-Designate-Edit-Managed-Records: bare 403' \
    "$(t_req -H "X-Auth-Token: $TA" -H 'X-Designate-Edit-Managed-Records: true' GET /v2/zones) $(wc -c <"$T/body")" '403 0'
t_is 'alice with X-Auth-All-Projects: false is fine' \
    "$(t_req -H "X-Auth-Token: $TA" -H 'X-Auth-All-Projects: false' GET /v2/zones)" 200
t_is "admin with all-projects sees alice's zone" \
    "$(t_req -H "X-Auth-Token: $TADM" -H 'X-Auth-All-Projects: true' GET "/v2/zones?name=$ZN"; t_json '" \(.zones[0].id)"')" "200 $ZID"
t_is "admin with sudo to alice's project sees her zone" \
    "$(t_req -H "X-Auth-Token: $TADM" -H "X-Auth-Sudo-Project-ID: $PA" GET "/v2/zones/$ZID")" 200

# ----------------------------------------------------------- quotas_verify_project_id

t_err 400 invalid_project 'quota set for a project Keystone does not know: 400' \
    -H "X-Auth-Token: $TADM" PATCH /v2/quotas/0123456789abcdef0123456789abcdef '{"zones":5}'
t_is "quota set for alice's project (Keystone knows it)" \
    "$(t_req -H "X-Auth-Token: $TADM" PATCH "/v2/quotas/$PA" '{"zones":50}')" 200

# ----------------------------------------------------------- the openstack CLI

# cli ARGS...: openstack as alice, through the catalog; stdout in $T/out
cli() {
	env OS_AUTH_URL="$KEYSTONE_URL" OS_IDENTITY_API_VERSION=3 \
	    OS_USERNAME=alice OS_PASSWORD="$(cat "$KS/alice.pw")" \
	    OS_PROJECT_NAME=proj-a OS_USER_DOMAIN_NAME=Default \
	    OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=RegionOne \
	    OS_INTERFACE=public \
	    openstack "$@" >"$T/out" 2>"$T/err" </dev/null && return 0
	_rc=$?
	t_diag "openstack $* exited $_rc"
	tail -n 15 "$T/err" | sed 's/^/# /' >&2
	return "$_rc"
}
out() {
	jq -r "$1" "$T/out" 2>/dev/null
}
ZC="cli-$$.example.test."
t_ok 'openstack zone create (password auth, dns endpoint from the catalog)' \
    cli zone create --email hostmaster@example.test "$ZC" -f json
t_is 'zone create: in alice'"'"'s project' "$(out .project_id)" "$PA"
t_ok 'openstack zone list' cli zone list -f json
t_is 'zone list: both zones of the project' \
    "$(out '[.[].name] | sort | join(" ")')" "$ZC $ZN"
t_ok 'openstack recordset create' \
    cli recordset create --type A --record 192.0.2.44 "$ZC" www -f json
t_ok 'openstack recordset list' cli recordset list "$ZC" -f json
t_is 'recordset list: SOA, NS and the A' "$(out '[.[].type] | sort | join(" ")')" 'A NS SOA'
t_ok 'openstack zone show' cli zone show "$ZC" -f json
t_ok 'openstack zone delete' cli zone delete "$ZC" -f json

# ----------------------------------------------------------- cached tokens are free

stat_misses() {
	kill -USR1 "$API_PID"
	sleep 0.3
	sed -n 's/.*event=stats .*token_misses=\([0-9]*\).*/\1/p' "$T/api1.log" | tail -n 1
}
M0=$(stat_misses)
i=0
while [ $i -lt 100 ]; do
	curl -s -o /dev/null -H "X-Auth-Token: $TA" "$ZONE_URL/v2/zones/$ZID"
	i=$((i + 1))
done
t_is '100 GETs with a cached token: no call to Keystone' "$(stat_misses)" "$M0"

# ----------------------------------------------------------- Keystone outage

TNEW=$(token carl proj-c)	# issued, never shown to zone-api
t_ok 'Keystone stops' sh "$KS_SH" down "$KS"
t_is 'a cached token keeps working' \
    "$(t_req -H "X-Auth-Token: $TA" GET "/v2/zones/$ZID")" 200
t_is 'a cached token can still write' "$(t_req -H "X-Auth-Token: $TA" \
    POST "/v2/zones/$ZID/recordsets" "{\"name\":\"out.$ZN\",\"type\":\"A\",\"records\":[\"192.0.2.3\"]}")" 202
S0=$(date +%s)
t_err 503 service_unavailable 'a new token: 503 with an error body' \
    -H "X-Auth-Token: $TNEW" GET /v2/zones
t_ok '... at once (no hang)' test $(($(date +%s) - S0)) -le 3
t_ok 'Keystone starts again' sh "$KS_SH" up "$KS"
t_is 'the new token works now, with no restart of zone-api' \
    "$(t_req -H "X-Auth-Token: $TNEW" GET /v2/zones) $(t_pid api1)" "200 $API_PID"

t_ok 'zone-api is still up' t_stack_alive
t_done
