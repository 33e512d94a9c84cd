#!/bin/sh
# 3000: zone-api answers the requests captured from Designate 15
# (shared/spec/examples/designate-15/requests.sh) with the same status, the
# same body shape (path:type of every key), the same error type, an
# X-Openstack-Request-Id header, and Location == links.self on creates.
# Ids, timestamps and serials are not compared; status/action values are.
. "${0%/*}/../lib.sh"

D=${0%/*}/3000-api-examples.d

t_plan 147

t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"

PROJ=e2e-$$
ZN="e2e-$$.example.test."
RID_RE='req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

# Our zone objects may carry "shared" (API >= 2.1, spec 3.1); the captures
# are API 2.0.  Error bodies carry "message" or "errors" (spec 1.7).
shape_of() {
	t_shape "$1" 2>/dev/null | grep -v -e '\.shared:boolean$' |
	    if [ "$2" = err ]; then
		grep -v -e '^\.message:' -e '^\.errors[.:[]'
	    else
		cat
	    fi
}

# op NAME[=FIXTURE] KIND WANT_STATUS [-H h].. METHOD PATH [BODY]: send the request;
# test the status, the shape against $D/NAME.json, the request-id header.
# KIND is "ok", "err" or "noid" (no request-id check, as for GET /).
op() {
	_name=${1%%=*}		# label[=fixture]
	_fix=${1#*=}
	_kind=$2
	_want=$3
	shift 3
	_got=$(t_req "$@")
	cp "$T/body" "$T/$_name.body"
	cp "$T/hdr" "$T/$_name.hdr"
	t_is "$_name: status $_want" "$_got" "$_want" ||
	    t_diag "body: $(head -c 400 "$T/body")"
	shape_of "$D/$_fix.json" "$_kind" >"$T/$_name.expect"
	shape_of "$T/body" "$_kind" >"$T/$_name.actual"
	t_cmp "$T/$_name.expect" "$T/$_name.actual" "$_name: body has the captured shape"
	if [ "$_kind" != noid ]; then
		_rid=$(t_hdr X-Openstack-Request-Id)
		t_ok "$_name: X-Openstack-Request-Id is req-<uuid> ($_rid)" \
		    sh -c 'printf "%s\n" "$1" | grep -Eqx "$2"' sh "$_rid" "$RID_RE"
	fi
}

# err NAME WANT_STATUS WANT_TYPE [-H h].. METHOD PATH [BODY]
err() {
	_en=$1
	_es=$2
	_et=$3
	shift 3
	op "$_en" err "$_es" "$@"
	t_is "$_en: code and type" "$(t_json '"\(.code) \(.type)"')" "$_es $_et"
	t_ok "$_en: request_id in the body equals the header, and message or errors is present" \
	    jq -e --arg r "$(t_hdr X-Openstack-Request-Id)" \
	    '.request_id == $r and (has("message") or has("errors"))' "$T/body"
}

# sa WANT: "status action" of the last body.
sa() {
	t_json '"\(.status) \(.action)"'
}

# ------------------------------------------------------------- versions

op versions noid 200 GET /
t_ok 'versions: exactly one CURRENT version' \
    jq -e '[.versions[] | select(.status == "CURRENT")] | length == 1' "$T/body"
t_ok 'versions: every self link is <base>/v2 (host header)' \
    jq -e --arg u "$ZONE_URL/v2" \
    '[.versions[].links[] | select(.rel == "self") | .href] | length > 0 and all(. == $u)' "$T/body"

# ------------------------------------------------------------- zone create/get

op zone-create ok 202 POST /v2/zones \
    "{\"name\":\"$ZN\",\"email\":\"hostmaster@example.test\",\"ttl\":3600,\"description\":\"e2e\"}"
ZID=$(t_json .id)
t_is 'zone-create: PENDING CREATE' "$(sa)" 'PENDING CREATE'
t_is 'zone-create: name, email, ttl, description, type, project as given' \
    "$(t_json '[.name, .email, .ttl, .description, .type, .project_id, .version] | @tsv')" \
    "$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$ZN" hostmaster@example.test 3600 e2e PRIMARY "$PROJ" 1)"
t_is 'zone-create: links.self is <base>/v2/zones/<id>' "$(t_json .links.self)" "$ZONE_URL/v2/zones/$ZID"
t_is 'zone-create: Location equals links.self' "$(t_hdr Location)" "$(t_json .links.self)"
t_ok 'zone-create: id is a lowercase uuid, created_at has 6 fractional digits, updated_at null' \
    jq -e '(.id | test("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))
	and (.created_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}$"))
	and .updated_at == null' "$T/body"

op zone-get ok 200 GET "/v2/zones/$ZID"
t_is 'zone-get: same zone' "$(t_json '[.id, .name] | @tsv')" "$(printf '%s\t%s' "$ZID" "$ZN")"

# ------------------------------------------------------------- recordsets

op rs-create ok 202 POST "/v2/zones/$ZID/recordsets" \
    "{\"name\":\"www.$ZN\",\"type\":\"A\",\"ttl\":300,\"records\":[\"192.0.2.10\",\"192.0.2.11\"]}"
RID=$(t_json .id)
t_is 'rs-create: PENDING CREATE' "$(sa)" 'PENDING CREATE'
t_is 'rs-create: name, type, ttl, records, zone' \
    "$(t_json '[.name, .type, .ttl, (.records | sort | join(",")), .zone_id, .zone_name] | @tsv')" \
    "$(printf '%s\t%s\t%s\t%s\t%s\t%s' "www.$ZN" A 300 192.0.2.10,192.0.2.11 "$ZID" "$ZN")"
t_is 'rs-create: links.self is <base>/v2/zones/<zid>/recordsets/<id>' \
    "$(t_json .links.self)" "$ZONE_URL/v2/zones/$ZID/recordsets/$RID"
t_is 'rs-create: Location equals links.self' "$(t_hdr Location)" "$(t_json .links.self)"

op rs-get ok 200 GET "/v2/zones/$ZID/recordsets/$RID"
t_is 'rs-get: same recordset' "$(t_json '[.id, .name, .type] | @tsv')" "$(printf '%s\t%s\tA' "$RID" "www.$ZN")"

op rs-list ok 200 GET "/v2/zones/$ZID/recordsets?limit=2"
t_is 'rs-list: 2 items, total_count 3 (SOA, NS, www A)' \
    "$(t_json '"\(.recordsets | length) \(.metadata.total_count)"')" '2 3'
t_is 'rs-list: links.self is the request URL' "$(t_json .links.self)" \
    "$ZONE_URL/v2/zones/$ZID/recordsets?limit=2"
t_is 'rs-list: links.next has marker=<last id>' "$(t_json .links.next)" \
    "$ZONE_URL/v2/zones/$ZID/recordsets?limit=2&marker=$(t_json '.recordsets[-1].id')"
t_is 'rs-list: all recordsets listed are SOA, NS and A' \
    "$(t_req GET "/v2/zones/$ZID/recordsets" >/dev/null; t_json '[.recordsets[].type] | sort | join(" ")')" 'A NS SOA'

op rs-list-global ok 200 GET "/v2/recordsets?limit=1"
t_is 'rs-list-global: 1 item, total_count 3' \
    "$(t_json '"\(.recordsets | length) \(.metadata.total_count)"')" '1 3'
t_ok 'rs-list-global: item links.self points under its zone' \
    jq -e --arg b "$ZONE_URL/v2/zones/$ZID/recordsets/" \
    '.recordsets[0] | .links.self == $b + .id' "$T/body"
t_is 'rs-list-global: links.next has marker=<last id>' "$(t_json .links.next)" \
    "$ZONE_URL/v2/recordsets?limit=1&marker=$(t_json '.recordsets[-1].id')"

# ------------------------------------------------------------- zone lists

SUBS=
for k in 1 2 3; do
	t_req POST /v2/zones "{\"name\":\"z$k.$ZN\",\"email\":\"hostmaster@example.test\"}" >"$T/st"
	echo "$(cat "$T/st") $(t_json .id)" >>"$T/subs"
done
t_is 'three sub-zones created (202 each)' "$(awk '{print $1}' "$T/subs" | tr '\n' ' ')" '202 202 202 '
SUBS=$(awk '{print $2}' "$T/subs")

op zone-list ok 200 GET "/v2/zones?limit=2"
t_is 'zone-list: 2 items, total_count 4' \
    "$(t_json '"\(.zones | length) \(.metadata.total_count)"')" '2 4'
t_is 'zone-list: links.self is the request URL' "$(t_json .links.self)" "$ZONE_URL/v2/zones?limit=2"
NEXT=$(t_json '.links.next // empty')
t_is 'zone-list: links.next has marker=<last id>' "$NEXT" \
    "$ZONE_URL/v2/zones?limit=2&marker=$(t_json '.zones[-1].id')"
t_json '.zones[].id' >"$T/page1.ids"

op zone-list-page2 ok 200 GET "$NEXT"
t_is 'zone-list-page2: 2 items, total_count 4' \
    "$(t_json '"\(.zones | length) \(.metadata.total_count)"')" '2 4'
t_is 'zone-list-page2: links.self is the next URL' "$(t_json .links.self)" "$NEXT"
t_json '.zones[].id' >"$T/page2.ids"
t_is 'zone-list-page2: the two pages hold the four zones, once each' \
    "$(cat "$T/page1.ids" "$T/page2.ids" | sort -u | wc -l)" 4
t_ok 'zone-list-page2: links.next present on a full page (upstream quirk)' \
    jq -e '.links.next | type == "string"' "$T/body"

op zone-list-filter ok 200 GET "/v2/zones?name=$ZN"
t_is 'zone-list-filter: only the zone, total_count 1' \
    "$(t_json '"\(.zones | length) \(.metadata.total_count) \(.zones[0].id)"')" "1 1 $ZID"
t_is 'zone-list-filter: links has self only' "$(t_json '.links | keys | join(",")')" self
t_is 'zone-list-filter: links.self is the request URL' "$(t_json .links.self)" "$ZONE_URL/v2/zones?name=$ZN"

# ------------------------------------------------------------- errors

err err-409-dup-zone 409 duplicate_zone POST /v2/zones \
    "{\"name\":\"$ZN\",\"email\":\"hostmaster@example.test\"}"
err err-400-bad-name 400 invalid_object POST /v2/zones \
    '{"name":"not a zone","email":"hostmaster@example.test"}'
err err-400-no-email 400 invalid_object POST /v2/zones "{\"name\":\"noemail.$ZN\"}"
err err-400-bad-json 400 invalid_json POST /v2/zones '{"name":'
err err-400-bad-a 400 invalid_object POST "/v2/zones/$ZID/recordsets" \
    "{\"name\":\"bad.$ZN\",\"type\":\"A\",\"records\":[\"999.1.1.1\"]}"
err err-409-dup-rs 409 duplicate_recordset POST "/v2/zones/$ZID/recordsets" \
    "{\"name\":\"www.$ZN\",\"type\":\"A\",\"records\":[\"192.0.2.12\"]}"
err err-400-rs-outside-zone 400 invalid_recordset_location POST "/v2/zones/$ZID/recordsets" \
    '{"name":"www.other.test.","type":"A","records":["192.0.2.12"]}'
err err-404-zone 404 zone_not_found GET /v2/zones/00000000-0000-0000-0000-000000000000
err err-404-badid 400 invalid_uuid GET /v2/zones/not-a-uuid

# ------------------------------------------------------------- updates

op rs-update ok 202 PUT "/v2/zones/$ZID/recordsets/$RID" '{"records":["192.0.2.20"],"ttl":600}'
t_is 'rs-update: PENDING UPDATE' "$(sa)" 'PENDING UPDATE'
t_is 'rs-update: records and ttl replaced, name kept' \
    "$(t_json '[(.records | join(",")), .ttl, .name, .id] | @tsv')" \
    "$(printf '192.0.2.20\t600\t%s\t%s' "www.$ZN" "$RID")"
t_ok 'rs-update: version went up, updated_at set' \
    jq -e '.version > 1 and (.updated_at | type == "string")' "$T/body"

op zone-update ok 202 PATCH "/v2/zones/$ZID" '{"ttl":7200,"description":"patched"}'
t_is 'zone-update: PENDING UPDATE' "$(sa)" 'PENDING UPDATE'
t_is 'zone-update: ttl and description changed, name kept' \
    "$(t_json '[.ttl, .description, .name, .id] | @tsv')" \
    "$(printf '7200\tpatched\t%s\t%s' "$ZN" "$ZID")"
t_ok 'zone-update: version went up, updated_at set' \
    jq -e '.version > 1 and (.updated_at | type == "string")' "$T/body"

op rs-delete ok 202 DELETE "/v2/zones/$ZID/recordsets/$RID"
t_is 'rs-delete: PENDING DELETE' "$(sa)" 'PENDING DELETE'
t_is 'rs-delete: the body is the recordset as it was' \
    "$(t_json '[.id, (.records | join(",")), .ttl] | @tsv')" "$(printf '%s\t192.0.2.20\t600' "$RID")"
t_err 404 recordset_not_found 'rs-delete: the recordset is gone at once' \
    GET "/v2/zones/$ZID/recordsets/$RID"

# The capture: deleting a zone that still has sub-zones.
err zone-delete 400 zone_has_sub_zone DELETE "/v2/zones/$ZID"
t_is 'zone-delete refused: the zone is still there and not deleting' \
    "$(t_req GET "/v2/zones/$ZID"; echo " $(t_json '.action != "DELETE"')")" '200 true'

op err-no-project-header-list ok 200 GET /v2/zones
t_is 'zone list of the project: the four zones' "$(t_json '"\(.zones | length) \(.metadata.total_count)"')" '4 4'
t_is 'zone list without a project header: the noauth default project has none' \
    "$(PROJ=; t_req GET /v2/zones; echo " $(t_json '.zones | length')")" '200 0'

# Deleting the sub-zones: 202, the zone with action DELETE.
n=0
for z in $SUBS; do
	n=$((n + 1))
	op "sub-zone-$n-delete=zone-create" ok 202 DELETE "/v2/zones/$z"
	t_is "sub-zone $n delete: PENDING DELETE" "$(sa)" 'PENDING DELETE'
done

t_ok 'zone-central and zone-api are still running' t_stack_alive

t_done
