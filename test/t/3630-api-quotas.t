#!/bin/sh
# 3630: per-project quotas (api-v2.md 10.5): PATCH sets some of the five
# (admins only), GET and /v2/limits show the effective set, central
# enforces a project's own values (zones, zone_recordsets,
# recordset_records) and not another's, DELETE resets to the defaults;
# bad values are 400 invalid_object.  Then the view rebuilt from the
# journal equals the one that applied it live (the objs and onames DBs).
. "${0%/*}/../lib.sh"

t_plan 58

t_stack 2 2 || t_abort "start nats-server, 2 zone-central and 2 zone-api"
DB=$ZONE_DB_PATH
MEMBER='X-Roles: member'
P1=pq1-$$
P2=pq2-$$
DEFAULTS='{"zones":10,"zone_recordsets":500,"zone_records":500,"recordset_records":20,"api_export_size":1000}'

zone() {
	t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"$1\",\"email\":\"h@example.test\"}"
}

# ----------------------------------------------------------- defaults, 403

t_is 'GET /v2/quotas/P1 gives the defaults' "$(t_req GET "/v2/quotas/$P1") $(jq -cS . "$T/body")" \
    "200 $(echo "$DEFAULTS" | jq -cS .)"
PROJ=$P1
t_err 403 forbidden 'a member cannot set quotas' -H "$MEMBER" PATCH "/v2/quotas/$P1" '{"zones":100}'
t_err 403 forbidden 'a member cannot reset quotas' -H "$MEMBER" DELETE "/v2/quotas/$P1"
t_err 403 forbidden "a member cannot read another project's quotas" -H "$MEMBER" GET "/v2/quotas/$P2"
PROJ=admin-$$

# ----------------------------------------------------------- the admin API

# Designate's /admin/quotas/{project}: the same quotas in {"quota": {...}}.
P3=pq3-$$
t_is 'GET /admin/quotas/P3 wraps the defaults in "quota"' \
    "$(t_req GET "/admin/quotas/$P3") $(jq -cS . "$T/body")" \
    "200 $(echo "$DEFAULTS" | jq -cS '{quota: .}')"
t_is 'PATCH /admin/quotas/P3 {"quota": {"zones": 7}} answers the full set' \
    "$(t_req PATCH "/admin/quotas/$P3" '{"quota":{"zones":7}}') $(jq -cS . "$T/body")" \
    "200 $(echo "$DEFAULTS" | jq -cS '{quota: (.zones = 7)}')"
t_is 'the v2 API sees it' "$(t_req GET "/v2/quotas/$P3"; t_json '" \(.zones)"')" '200 7'
t_err 400 invalid_object 'PATCH /admin/quotas without the "quota" wrapper' PATCH "/admin/quotas/$P3" '{"zones":7}'
t_err 400 invalid_object 'PATCH /admin/quotas with a bad value inside it' PATCH "/admin/quotas/$P3" '{"quota":{"zones":"x"}}'
t_err 403 forbidden 'a member cannot set quotas through the admin API' -H "$MEMBER" PATCH "/admin/quotas/$P3" '{"quota":{"zones":1}}'
t_is 'DELETE /admin/quotas/P3: 204, back to the defaults' \
    "$(t_req DELETE "/admin/quotas/$P3") $(t_req GET "/v2/quotas/$P3"; t_json '" \(.zones)"')" '204 200 10'

# ----------------------------------------------------------- set

t_is 'PATCH zones=1 for P1 is 200 with the full set' \
    "$(t_req PATCH "/v2/quotas/$P1" '{"zones":1}') $(jq -cS . "$T/body")" \
    "200 $(echo "$DEFAULTS" | jq -cS '.zones = 1')"
t_is 'GET shows it' "$(t_req GET "/v2/quotas/$P1"; t_json '" \(.zones) \(.zone_records)"')" '200 1 500'
t_is "another project keeps the defaults" "$(t_req GET "/v2/quotas/$P2"; t_json '" \(.zones)"')" '200 10'
PROJ=$P1
t_is 'P1 reads its own quotas' "$(t_req -H "$MEMBER" GET /v2/quotas; t_json '" \(.zones)"')" '200 1'
t_is "P1's /v2/limits shows max_zones 1" "$(t_req -H "$MEMBER" GET /v2/limits; t_json '" \(.max_zones) \(.max_zone_recordsets)"')" '200 1 500'

t_is 'P1 creates one zone' "$(zone "a-$$.example.test.")" 202
Z1=$(t_json .id)
t_err 413 over_quota 'P1 cannot create a second zone' -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"b-$$.example.test.\",\"email\":\"h@example.test\"}"
t_is 'the message names the quota' "$(t_json .message)" 'Quota exceeded for zones'
PROJ=$P2
t_is 'P2 creates a first zone' "$(zone "c-$$.example.test.")" 202
t_is 'and a second: its quota is the default' "$(zone "d-$$.example.test.")" 202
PROJ=admin-$$

t_is 'PATCH two more keys keeps zones=1' \
    "$(t_req PATCH "/v2/quotas/$P1" '{"zone_recordsets":3,"recordset_records":2}'; t_json '" \(.zones) \(.zone_recordsets) \(.recordset_records)"')" \
    '200 1 3 2'
PROJ=$P1
t_err 413 over_quota 'a recordset of 3 records is over recordset_records=2' -H "$MEMBER" \
    POST "/v2/zones/$Z1/recordsets" "{\"name\":\"w.a-$$.example.test.\",\"type\":\"A\",\"records\":[\"192.0.2.1\",\"192.0.2.2\",\"192.0.2.3\"]}"
t_is 'a recordset of 2 records goes' "$(t_req -H "$MEMBER" POST "/v2/zones/$Z1/recordsets" \
    "{\"name\":\"w.a-$$.example.test.\",\"type\":\"A\",\"records\":[\"192.0.2.1\",\"192.0.2.2\"]}")" 202
t_err 413 over_quota 'a fourth recordset (with SOA and NS) is over zone_recordsets=3' -H "$MEMBER" \
    POST "/v2/zones/$Z1/recordsets" "{\"name\":\"x.a-$$.example.test.\",\"type\":\"A\",\"records\":[\"192.0.2.1\"]}"
PROJ=$P2
Z2=$(t_req -H "$MEMBER" GET "/v2/zones?name=c-$$.example.test." >/dev/null; t_json '.zones[0].id')
t_is "P2's zones are not limited by P1's quotas" "$(t_req -H "$MEMBER" POST "/v2/zones/$Z2/recordsets" \
    "{\"name\":\"w.c-$$.example.test.\",\"type\":\"A\",\"records\":[\"192.0.2.1\",\"192.0.2.2\",\"192.0.2.3\"]}")" 202
PROJ=admin-$$

t_is 'PATCH zones=-1 (unlimited)' "$(t_req PATCH "/v2/quotas/$P1" '{"zones":-1}'; t_json '" \(.zones)"')" '200 -1'
PROJ=$P1
t_is 'P1 may now create a second zone' "$(zone "b-$$.example.test.")" 202
PROJ=admin-$$
t_is 'PATCH with an empty body changes nothing' "$(t_req PATCH "/v2/quotas/$P1" '{}'; t_json '" \(.zones) \(.zone_recordsets)"')" '200 -1 3'
t_is 'PATCH the largest value' "$(t_req PATCH "/v2/quotas/$P2" '{"api_export_size":2147483647}'; t_json '" \(.api_export_size)"')" '200 2147483647'

# ----------------------------------------------------------- bad bodies

t_err 400 invalid_object 'an unknown quota' PATCH "/v2/quotas/$P1" '{"domains":5}'
t_err 400 invalid_object 'a string value' PATCH "/v2/quotas/$P1" '{"zones":"5"}'
t_err 400 invalid_object 'a value below -1' PATCH "/v2/quotas/$P1" '{"zones":-2}'
t_err 400 invalid_object 'a value above 2147483647' PATCH "/v2/quotas/$P1" '{"zones":2147483648}'
t_err 400 invalid_object 'a fraction' PATCH "/v2/quotas/$P1" '{"zone_records":1.5}'
t_err 400 invalid_object 'a boolean' PATCH "/v2/quotas/$P1" '{"recordset_records":true}'
t_err 400 invalid_object 'null' PATCH "/v2/quotas/$P1" '{"zone_recordsets":null}'
t_err 400 invalid_object 'an object' PATCH "/v2/quotas/$P1" '{"zones":{}}'
t_err 400 invalid_object 'a list body' PATCH "/v2/quotas/$P1" '[1]'
t_err 400 invalid_json 'a body that is not JSON' PATCH "/v2/quotas/$P1" '{zones:1}'
t_err 415 unsupported_content_type 'a form body' -H 'Content-Type: application/x-www-form-urlencoded' \
    PATCH "/v2/quotas/$P1" 'zones=1'
t_is 'the bad bodies changed nothing' "$(t_req GET "/v2/quotas/$P1"; t_json '" \(.zones) \(.zone_recordsets)"')" '200 -1 3'
t_err 405 method_not_allowed 'PATCH /v2/quotas without a project' PATCH /v2/quotas '{"zones":1}'

# The first quotas of a project, set by 8 concurrent PATCHes of two keys
# through two copies: both keys keep a value (no write is lost).
P3=pq3-$$
i=1
: >"$T/jobs"
while [ "$i" -le 8 ]; do
	if [ $((i % 2)) -eq 0 ]; then u=$ZONE_URL2 k=zones; else u=$ZONE_URL k=zone_records; fi
	printf '%s/v2/quotas/%s\n{"%s":%s}\n' "$u" "$P3" "$k" "$((100 + i))" >>"$T/jobs"
	i=$((i + 1))
done
xargs -d '\n' -n 2 -P 8 sh -c 'curl -s -g -m 30 -o /dev/null -w "%{http_code}\n" \
    -X PATCH -H "Content-Type: application/json" --data-binary "$1" "$0"' \
    <"$T/jobs" >"$T/race"
t_is 'the 8 concurrent first sets are all 200' "$(sort -u "$T/race")" 200
t_is 'both keys hold a value set' \
    "$(t_req GET "/v2/quotas/$P3"; t_json '" \(.zones > 100) \(.zone_records > 100)"')" '200 true true'

# ----------------------------------------------------------- reset

t_is 'DELETE is 204' "$(t_req DELETE "/v2/quotas/$P1")" 204
t_is 'P1 has the defaults again' "$(t_req GET "/v2/quotas/$P1") $(jq -cS . "$T/body")" \
    "200 $(echo "$DEFAULTS" | jq -cS .)"
t_is 'DELETE of quotas never set is 204 too' "$(t_req DELETE "/v2/quotas/none-$$")" 204
t_is 'quotas can be set again after a reset' "$(t_req PATCH "/v2/quotas/$P1" '{"zones":2}'; t_json '" \(.zones)"')" '200 2'
PROJ=$P1
t_err 413 over_quota 'P1 with zones=2 and two zones cannot make a third' -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"e-$$.example.test.\",\"email\":\"h@example.test\"}"
PROJ=admin-$$
t_ok 'every zone-central and zone-api is still running' t_stack_alive

# ----------------------------------------------------------- view rebuild

t_ok 'stop zone-central 1' t_stop central1
t_ok 'stop zone-central 2' t_stop central2
zone-manage view dump >"$T/a" 2>"$T/dump.err"
t_ok 'the dump holds the quota objects' grep -q '^quota/' "$T/a"
t_ok 'zone-manage view rebuild' sh -c 'zone-manage view rebuild 2>"$1/rebuild.err"' sh "$T"
zone-manage view dump >"$T/b" 2>"$T/dump.err"
t_cmp "$T/a" "$T/b" 'the rebuilt view equals the live one'
t_start central1 zone-central
t_is 'the quotas are read from the rebuilt view' "$(t_req GET "/v2/quotas/$P1"; t_json '" \(.zones)"')" '200 2'
t_ok 'every zone-central and zone-api is running at the end' t_stack_alive

t_done
