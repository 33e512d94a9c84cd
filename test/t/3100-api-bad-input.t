#!/bin/sh
# 3100: zone-api and zone-central refuse bad input with the status and error
# type of the spec (shared/spec/api-v2.md 1.1-1.7, 3.2, 3.5, 4.2, 4.5, 4.7),
# and survive all of it.
. "${0%/*}/../lib.sh"

t_plan 131

t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"

PROJ=bad-$$
ZN="bad-$$.example.test."
EM=hostmaster@example.test

# rep CHAR N: CHAR repeated N times.
rep() {
	printf "%${2}s" '' | tr ' ' "$1"
}

# zb FILTER: a zone body made by jq (with $zn and $e).
zb() {
	jq -cn --arg zn "$ZN" --arg e "$EM" "$1"
}

# rs TYPE NAME RECORD...: a recordset body.
rs() {
	_t=$1
	_n=$2
	shift 2
	jq -cn --arg t "$_t" --arg n "$_n" '{name: $n, type: $t, records: $ARGS.positional}' --args "$@"
}

# bad_rs DESC TYPE NAME RECORD...: creating it is 400 invalid_object.
bad_rs() {
	_d=$1
	shift
	t_err 400 invalid_object "record data: $_d" POST "/v2/zones/$ZID/recordsets" "$(rs "$@")"
}

# ----------------------------------------------------------- the zone used below

t_is 'control: a good zone is created' \
    "$(t_req POST /v2/zones "$(zb '{name: $zn, email: $e}')")" 202 ||
    t_abort "cannot create the zone the other tests use"
ZID=$(t_json .id)

# ----------------------------------------------------------- zone names

t_err 400 invalid_object 'zone name without a trailing dot' \
    POST /v2/zones "$(zb '{name: "nodot.example.test", email: $e}')"
t_err 400 invalid_object 'zone name with an empty label' \
    POST /v2/zones "$(zb '{name: ("a.." + $zn), email: $e}')"
t_err 400 invalid_object 'zone name with a label of 64 chars' \
    POST /v2/zones "$(zb "{name: (\"$(rep a 64)\" + \".\" + \$zn), email: \$e}")"
L63=$(rep b 63)
t_err 400 invalid_object 'zone name of 256 chars' \
    POST /v2/zones "$(zb "{name: \"$L63.$L63.$L63.$L63.\", email: \$e}")"
t_err 400 invalid_object 'zone name with a leading hyphen' \
    POST /v2/zones "$(zb '{name: ("-lead." + $zn), email: $e}')"
t_err 400 invalid_object 'zone name with a label ending in a hyphen' \
    POST /v2/zones "$(zb '{name: ("trail-." + $zn), email: $e}')"
t_err 400 invalid_object 'zone name with "*"' \
    POST /v2/zones "$(zb '{name: ("*." + $zn), email: $e}')"
t_err 400 invalid_object 'zone name with a space' \
    POST /v2/zones "$(zb '{name: "a b.example.test.", email: $e}')"
t_err 400 invalid_zone_name 'zone name of one label ("com.")' \
    POST /v2/zones "$(zb '{name: "com.", email: $e}')"
t_err 400 invalid_object 'zone name that is a number' \
    POST /v2/zones "$(zb '{name: 42, email: $e}')"
t_err 400 invalid_object 'zone without a name' \
    POST /v2/zones "$(zb '{email: $e}')"

# ----------------------------------------------------------- emails

t_err 400 invalid_object 'email without @' \
    POST /v2/zones "$(zb '{name: ("e1." + $zn), email: "hostmaster.example.test"}')"
t_err 400 invalid_object 'email with two @' \
    POST /v2/zones "$(zb '{name: ("e2." + $zn), email: "a@b@example.test"}')"
t_err 400 invalid_object 'email missing' \
    POST /v2/zones "$(zb '{name: ("e3." + $zn)}')"
t_err 400 invalid_object 'email empty' \
    POST /v2/zones "$(zb '{name: ("e4." + $zn), email: ""}')"

# ----------------------------------------------------------- ttl, description, keys

t_err 400 invalid_object 'zone ttl -1' \
    POST /v2/zones "$(zb '{name: ("t1." + $zn), email: $e, ttl: -1}')"
t_err 400 invalid_object 'zone ttl 2147483648' \
    POST /v2/zones "$(zb '{name: ("t2." + $zn), email: $e, ttl: 2147483648}')"
t_err 400 invalid_object 'zone ttl "300" (a string)' \
    POST /v2/zones "$(zb '{name: ("t3." + $zn), email: $e, ttl: "300"}')"
t_err 400 invalid_object 'zone ttl 1.5' \
    POST /v2/zones "$(zb '{name: ("t4." + $zn), email: $e, ttl: 1.5}')"
t_err 400 invalid_object 'zone description of 161 chars' \
    POST /v2/zones "$(zb "{name: (\"d1.\" + \$zn), email: \$e, description: \"$(rep x 161)\"}")"
t_err 400 invalid_object 'zone body with an unknown key' \
    POST /v2/zones "$(zb '{name: ("k1." + $zn), email: $e, bogus: 1}')"
t_err 400 invalid_object 'zone create with a read-only id' \
    POST /v2/zones "$(zb '{name: ("k2." + $zn), email: $e, id: "6ef3b7f2-df39-43ef-9f37-ce2bc424ab90"}')"
t_err 400 invalid_object 'zone create with a read-only status' \
    POST /v2/zones "$(zb '{name: ("k3." + $zn), email: $e, status: "ACTIVE"}')"
t_err 400 invalid_object 'PRIMARY zone with masters' \
    POST /v2/zones "$(zb '{name: ("k4." + $zn), email: $e, masters: ["192.0.2.1"]}')"

# ----------------------------------------------------------- zone PATCH

t_err 400 invalid_object 'PATCH zone: name change (immutable)' \
    PATCH "/v2/zones/$ZID" '{"name":"other.example.test."}'
t_err 400 invalid_object 'PATCH zone: type change (immutable)' \
    PATCH "/v2/zones/$ZID" '{"type":"SECONDARY"}'
t_err 400 invalid_object 'PATCH zone: id to a different value' \
    PATCH "/v2/zones/$ZID" '{"id":"6ef3b7f2-df39-43ef-9f37-ce2bc424ab90"}'
t_err 400 invalid_object 'PATCH zone: status to a different value' \
    PATCH "/v2/zones/$ZID" '{"status":"ERROR"}'
t_err 400 invalid_object 'PATCH zone: serial to a different value' \
    PATCH "/v2/zones/$ZID" '{"serial":1}'
t_err 400 invalid_object 'PATCH zone: ttl -1' \
    PATCH "/v2/zones/$ZID" '{"ttl":-1}'
t_err 400 invalid_object 'PATCH zone: bad email' \
    PATCH "/v2/zones/$ZID" '{"email":"nope"}'
t_err 400 invalid_object 'PATCH zone: unknown key' \
    PATCH "/v2/zones/$ZID" '{"bogus":true}'
t_err 400 empty_request_body 'PATCH zone: empty body' \
    PATCH "/v2/zones/$ZID" ''

# ----------------------------------------------------------- record data

bad_rs 'A 999.1.1.1' A "a1.$ZN" 999.1.1.1
bad_rs 'A 1.2.3' A "a2.$ZN" 1.2.3
bad_rs 'A 1.2.3.04x' A "a3.$ZN" 1.2.3.04x
bad_rs 'AAAA ::g' AAAA "aaaa.$ZN" ::g
bad_rs 'AAAA 192.0.2.1' AAAA "aaaa2.$ZN" 192.0.2.1
bad_rs 'CNAME "not a name"' CNAME "c1.$ZN" 'not a name'
bad_rs 'MX "10" (no exchange)' MX "mx1.$ZN" 10
bad_rs 'MX "-1 mx.example."' MX "mx2.$ZN" '-1 mx.example.'
bad_rs 'MX "01 mx.example." (not canonical)' MX "mx3.$ZN" '01 mx.example.'
bad_rs 'MX "-0 mx.example." (tempest)' MX "mx4.$ZN" '-0 mx.example.'
bad_rs 'MX " mx.example." (empty preference, tempest)' MX "mx5.$ZN" ' mx.example.'
bad_rs 'MX "65536 mx.example."' MX "mx6.$ZN" '65536 mx.example.'
bad_rs 'SRV with a field missing' SRV "_sip._tcp.$ZN" '10 60 sip.example.test.'
bad_rs 'SRV port 65536' SRV "_sip._udp.$ZN" '10 60 65536 sip.example.test.'
bad_rs 'TXT with an unbalanced quote' TXT "txt1.$ZN" '"abc'
bad_rs 'TXT single string of 256 chars' TXT "txt2.$ZN" "\"$(rep t 256)\""
bad_rs 'TXT unquoted with a space' TXT "txt3.$ZN" 'two words'
bad_rs 'TXT "\" (trailing slash, tempest)' TXT "txt4.$ZN" '\'
bad_rs 'TXT "\\" (trailing double slash, tempest)' TXT "txt5.$ZN" '\\'
bad_rs 'TXT "testtext\" (tempest)' TXT "txt6.$ZN" 'testtext\'
FP=$(rep a 40)
bad_rs 'SSHFP bad fingerprint' SSHFP "ssh1.$ZN" '1 1 xyz'
bad_rs 'SSHFP algorithm -0 (tempest)' SSHFP "ssh2.$ZN" "-0 1 $FP"
bad_rs 'SSHFP fp_type -0 (tempest)' SSHFP "ssh3.$ZN" "1 -0 $FP"
bad_rs 'SSHFP algorithm -1 (tempest)' SSHFP "ssh4.$ZN" "-1 1 $FP"
bad_rs 'SSHFP fp_type -1 (tempest)' SSHFP "ssh5.$ZN" "1 -1 $FP"
bad_rs 'CAA bad tag' CAA "caa1.$ZN" '0 bogus example.test'
bad_rs 'CAA flags 2' CAA "caa2.$ZN" '2 issue example.test'
bad_rs 'NAPTR bad flags' NAPTR "naptr1.$ZN" \
    '100 10 "X" "SIP+D2U" "!^.*$!sip:info@example.test!" _sip._udp.example.test.'
bad_rs 'NAPTR with five fields' NAPTR "naptr2.$ZN" '100 10 "S" "SIP+D2U" _sip._udp.example.test.'
bad_rs 'CERT bad type' CERT "cert1.$ZN" 'BOGUS 0 RSASHA256 dGVzdA=='
bad_rs 'CERT bad base64' CERT "cert2.$ZN" 'PKIX 0 RSASHA256 !!!'
bad_rs 'PTR "not a name"' PTR "ptr1.$ZN" 'not a name'
bad_rs 'NS "bad name"' NS "ns1.$ZN" 'bad name'
bad_rs 'SPF unquoted with a space' SPF "spf1.$ZN" 'v=spf1 -all'
bad_rs 'unknown record type' BOGUS "bogus.$ZN" 'x'
t_err 400 invalid_object 'recordset: records not a list' \
    POST "/v2/zones/$ZID/recordsets" "{\"name\":\"nl.$ZN\",\"type\":\"A\",\"records\":\"192.0.2.1\"}"
t_err 400 invalid_object 'recordset: ttl -1' \
    POST "/v2/zones/$ZID/recordsets" "{\"name\":\"ttl.$ZN\",\"type\":\"A\",\"ttl\":-1,\"records\":[\"192.0.2.1\"]}"
t_err 400 invalid_object 'recordset: description of 161 chars' \
    POST "/v2/zones/$ZID/recordsets" "{\"name\":\"desc.$ZN\",\"type\":\"A\",\"description\":\"$(rep y 161)\",\"records\":[\"192.0.2.1\"]}"
t_err 400 invalid_object 'recordset: unknown key' \
    POST "/v2/zones/$ZID/recordsets" "{\"name\":\"key.$ZN\",\"type\":\"A\",\"bogus\":1,\"records\":[\"192.0.2.1\"]}"

# ----------------------------------------------------------- recordset rules

t_err 400 bad_request 'SOA recordset create' \
    POST "/v2/zones/$ZID/recordsets" "$(rs SOA "$ZN" "ns1.example.net. hostmaster.example.test. 1 3600 600 86400 3600")"
t_err 400 invalid_recordset_location 'CNAME at the zone apex (tempest)' \
    POST "/v2/zones/$ZID/recordsets" "$(rs CNAME "$ZN" target1.example.org.)"
t_is 'control: www A created' \
    "$(t_req POST "/v2/zones/$ZID/recordsets" "$(rs A "www.$ZN" 192.0.2.1)")" 202
WID=$(t_json .id)
t_err 400 invalid_recordset_location 'CNAME beside an A' \
    POST "/v2/zones/$ZID/recordsets" "$(rs CNAME "www.$ZN" target1.example.org.)"
t_is 'control: alias CNAME created' \
    "$(t_req POST "/v2/zones/$ZID/recordsets" "$(rs CNAME "alias.$ZN" target1.example.org.)")" 202
t_err 400 invalid_recordset_location 'TXT beside a CNAME' \
    POST "/v2/zones/$ZID/recordsets" "$(rs TXT "alias.$ZN" '"hello"')"
t_err 400 bad_request 'CNAME with 2 records (tempest)' \
    POST "/v2/zones/$ZID/recordsets" "$(rs CNAME "multi.$ZN" target1.example.org. target2.example.org.)"
t_err 400 invalid_recordset_location 'recordset outside its zone' \
    POST "/v2/zones/$ZID/recordsets" "$(rs A www.other.test. 192.0.2.1)"
t_err 409 duplicate_recordset 'duplicate recordset' \
    POST "/v2/zones/$ZID/recordsets" "$(rs A "www.$ZN" 192.0.2.2)"
t_err 400 invalid_object 'PUT recordset: name change' \
    PUT "/v2/zones/$ZID/recordsets/$WID" "{\"name\":\"www2.$ZN\"}"
t_err 400 invalid_object 'PUT recordset: type change' \
    PUT "/v2/zones/$ZID/recordsets/$WID" '{"type":"AAAA"}'
t_err 400 invalid_object 'PUT recordset: bad A record' \
    PUT "/v2/zones/$ZID/recordsets/$WID" '{"records":["300.0.0.1"]}'

# Managed recordsets (spec 4.5, 4.6, 1.6).
t_req GET "/v2/zones/$ZID/recordsets?type=SOA" >/dev/null
SOAID=$(t_json '.recordsets[0].id')
t_req GET "/v2/zones/$ZID/recordsets?type=NS&name=$ZN" >/dev/null
NSID=$(t_json '.recordsets[0].id')
t_err 400 bad_request 'PUT the SOA recordset' \
    PUT "/v2/zones/$ZID/recordsets/$SOAID" '{"ttl":600}'
t_err 400 bad_request 'DELETE the SOA recordset' \
    DELETE "/v2/zones/$ZID/recordsets/$SOAID"
t_err 400 bad_request 'PUT the apex NS recordset' \
    PUT "/v2/zones/$ZID/recordsets/$NSID" '{"records":["ns9.example.net."]}'
t_err 400 bad_request 'DELETE the apex NS recordset without edit-managed' \
    DELETE "/v2/zones/$ZID/recordsets/$NSID"
t_err 403 forbidden 'a member sending X-Designate-Edit-Managed-Records' \
    -H 'X-Roles: member' -H 'X-Designate-Edit-Managed-Records: true' \
    DELETE "/v2/zones/$ZID/recordsets/$NSID"

# A zone being deleted (no worker here, so it stays PENDING DELETE).
t_is 'control: a second zone is created and deleted' \
    "$(t_req POST /v2/zones "$(zb '{name: ("gone." + $zn), email: $e}')")$(
       t_req DELETE "/v2/zones/$(t_json .id)"; t_json '" \(.action)"')" '202202 DELETE'
GID=$(t_json .id)
t_err 400 bad_request 'PATCH a zone that is being deleted' \
    PATCH "/v2/zones/$GID" '{"ttl":600}'
t_err 400 bad_request 'create a recordset in a zone that is being deleted' \
    POST "/v2/zones/$GID/recordsets" "$(rs A "www.gone.$ZN" 192.0.2.1)"

# ----------------------------------------------------------- bodies

t_err 400 invalid_json 'invalid JSON' POST /v2/zones '{"name":'
t_err 400 invalid_json 'invalid JSON (trailing comma)' POST /v2/zones '{"name":"x.example.test.",}'
t_err 400 empty_request_body 'empty body on zone create' POST /v2/zones ''
t_err 415 unsupported_content_type 'Content-Type text/plain' \
    -H 'Content-Type: text/plain' POST /v2/zones "$(zb '{name: ("ct." + $zn), email: $e}')"
t_err 415 unsupported_content_type 'Content-Type application/x-www-form-urlencoded' \
    -H 'Content-Type: application/x-www-form-urlencoded' POST /v2/zones "$(zb '{name: ("ct2." + $zn), email: $e}')"

# Designate's 114688-byte limit is not ours (api.max_body, 1 MiB): a
# 120,000-character description is refused for what it is.
jq -cn --arg zn "big.$ZN" --arg d "$(rep z 120000)" '{name: $zn, email: "a@example.test", description: $d}' >"$T/big.json"
t_err 400 invalid_object 'a 120,000-character description: 400, not 413' POST /v2/zones "@$T/big.json"
# A body over 1 MiB: 413, a JSON error with code 413.
{ printf '{"name": "big.%s", "email": "a@example.test", "description": "' "$ZN"; rep z 1100000; printf '"}'; } >"$T/big.json"
st=$(t_req POST /v2/zones "@$T/big.json")
t_is 'body over 1 MiB: 413 and a JSON error body with code 413 and a type' \
    "$st $(t_json 'if (.type | type) == "string" then .code else "no type" end')" '413 413'

# ----------------------------------------------------------- ids in paths

t_err 400 invalid_uuid 'GET zone with a bad uuid' GET /v2/zones/not-a-uuid
t_err 400 invalid_uuid 'PATCH zone with a bad uuid' PATCH /v2/zones/1234 '{"ttl":300}'
t_err 400 invalid_uuid 'DELETE zone with a bad uuid' DELETE /v2/zones/6ef3b7f2-df39-43ef-9f37-ce2bc424ab9
t_err 400 invalid_uuid 'recordsets of a zone with a bad uuid' GET /v2/zones/xyz/recordsets
t_err 400 invalid_uuid 'recordset with a bad uuid' GET "/v2/zones/$ZID/recordsets/bogus"
t_err 404 zone_not_found 'recordsets of an unknown zone' GET /v2/zones/6ef3b7f2-df39-43ef-9f37-ce2bc424ab90/recordsets
t_err 404 recordset_not_found 'unknown recordset' GET "/v2/zones/$ZID/recordsets/6ef3b7f2-df39-43ef-9f37-ce2bc424ab90"

# ----------------------------------------------------------- paging, sorting, filters

t_err 400 invalid_limit 'limit=0' GET '/v2/zones?limit=0'
t_err 400 invalid_limit 'limit=-1' GET '/v2/zones?limit=-1'
t_err 400 invalid_limit 'limit=abc' GET '/v2/zones?limit=abc'
t_err 400 invalid_limit 'recordsets limit=0' GET "/v2/zones/$ZID/recordsets?limit=0"
t_err 400 invalid_sort_key 'sort_key=bogus' GET '/v2/zones?sort_key=bogus'
t_err 400 invalid_sort_key 'recordsets sort_key=email' GET "/v2/zones/$ZID/recordsets?sort_key=email"
t_err 400 invalid_sort_dir 'sort_dir=up' GET '/v2/zones?sort_dir=up'
t_err 400 marker_not_found 'marker of an unknown uuid' GET '/v2/zones?marker=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90'
t_err 400 invalid_marker 'malformed marker' GET '/v2/zones?marker=abc'
t_err 400 bad_request 'unknown filter' GET '/v2/zones?bogus=1'
t_err 400 bad_request 'unknown recordset filter' GET "/v2/zones/$ZID/recordsets?email=x"

# ----------------------------------------------------------- paths and methods

t_err 404 not_found 'unknown path' GET /v2/bogus
t_err 404 not_found 'format suffix is not special' GET /v2/zones.json
t_err 404 not_found 'extra segment after a zone id' GET "/v2/zones/$ZID/bogus"
t_err 405 method_not_allowed 'PUT on the zones collection' PUT /v2/zones '{}'
t_err 405 method_not_allowed 'DELETE on the zones collection' DELETE /v2/zones
t_err 405 method_not_allowed 'POST on a zone' POST "/v2/zones/$ZID" '{}'
t_err 405 method_not_allowed 'PATCH on a recordset' PATCH "/v2/zones/$ZID/recordsets/$WID" '{"ttl":300}'

# a body that is not an object: the SOA/NS rules come first, as Designate
SOA=$(t_req GET "/v2/zones/$ZID/recordsets?type=SOA" >/dev/null; t_json '.recordsets[0].id')
t_err 400 bad_request 'PUT of the SOA recordset with a list body' \
    -H 'X-Designate-Edit-Managed-Records: true' \
    PUT "/v2/zones/$ZID/recordsets/$SOA" '[{"hostname": "ns0.example.test.", "priority": 1}]'
t_err 400 invalid_object 'PUT of a recordset with a list body' \
    PUT "/v2/zones/$ZID/recordsets/$WID" '["192.0.2.1"]'
t_err 400 invalid_object 'PUT of a recordset with a number body' \
    PUT "/v2/zones/$ZID/recordsets/$WID" '7'

# ----------------------------------------------------------- afterwards

t_is 'control: the zone is unchanged by the bad PATCHes' \
    "$(t_req GET "/v2/zones/$ZID"; t_json '" \(.name) \(.ttl) \(.email)"')" "200 $ZN 3600 $EM"
t_is 'control: no zone was created by the bad creates' \
    "$(t_req GET /v2/zones; t_json '" \([.zones[].name] | sort | join(","))"')" "200 $ZN,gone.$ZN"
t_ok 'every zone-central and zone-api is still running' t_stack_alive

t_done
