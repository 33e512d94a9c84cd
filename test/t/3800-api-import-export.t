#!/bin/sh
# 3800: zone imports and exports (api-v2.md 7, 8).  A zone file with
# $ORIGIN, $TTL, relative names and many record types is imported (202
# PENDING, then COMPLETE with its zone), exported (202, COMPLETE, the
# file as text/dns), and the export imported again under another name
# gives the same records back.  Lists, GET, DELETE, links, 404s, the
# api_export_size quota (413), and bad zone files: each refused with
# its status and type, or ending as an ERROR import with its reason.
. "${0%/*}/../lib.sh"

t_plan 69

D=${0%.t}.d
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
MEMBER='X-Roles: member'
PROJ=p3800-$$
CT='Content-Type: text/dns'

# import FILE: POST it as text/dns; prints the status.
import() {
	t_req -H "$MEMBER" -H "$CT" POST /v2/zones/tasks/imports "@$1"
}

# import_end FILE: import FILE and print "STATUS|MESSAGE" of the import.
import_end() {
	_s=$(import "$1")
	[ "$_s" = 202 ] || { echo "http $_s $(head -c 200 "$T/body")"; return; }
	t_req -H "$MEMBER" GET "/v2/zones/tasks/imports/$(t_json .id)" >/dev/null
	t_json '"\(.status)|\(.message)"'
}

# records FILE ZONE: the records of zone file FILE, canonical (named-
# compilezone), without the SOA and the apex NS, sorted.
records() {
	named-compilezone -q -i none -o - "$2" "$1" 2>/dev/null |
	    awk -v z="$2" '$4 == "SOA" { next } $4 == "NS" && $1 == z { next }
		{ $1 = $1; print }' | sort
}

# ----------------------------------------------------------- import

t_is 'POST an import (text/dns) is 202' "$(import "$D/example.zone")" 202
IID=$(t_json .id)
t_is 'the import is PENDING, without a zone yet' "$(t_json '"\(.status) \(.zone_id) \(.project_id)"')" \
    "PENDING null $PROJ"
t_is 'Location is links.self' "$(t_hdr Location)" "$ZONE_URL/v2/zones/tasks/imports/$IID"
t_is 'links.self' "$(t_json .links.self)" "$ZONE_URL/v2/zones/tasks/imports/$IID"
t_is 'GET the import: COMPLETE' "$(t_req -H "$MEMBER" GET "/v2/zones/tasks/imports/$IID"; t_json '" \(.status) \(.message)"')" \
    '200 COMPLETE example-import.test. imported'
ZID=$(t_json .zone_id)
t_ok 'it names its zone' test -n "$ZID" -a "$ZID" != null
t_is 'links.zone' "$(t_json .links.zone)" "$ZONE_URL/v2/zones/$ZID"
t_is 'the zone: name, email from the SOA rname, ttl from the SOA ttl' \
    "$(t_req -H "$MEMBER" GET "/v2/zones/$ZID"; t_json '" \(.name) \(.email) \(.ttl) \(.type)"')" \
    '200 example-import.test. hostmaster@example-import.test 3600 PRIMARY'
t_req -H "$MEMBER" GET "/v2/zones/$ZID/recordsets?limit=1000" >/dev/null
t_is 'SOA, NS and 15 recordsets from the file' "$(t_json '.recordsets | length')" 17
t_is 'the SOA and the apex NS are the service own' \
    "$(t_json '[.recordsets[] | select(.type == "NS" and .name == "example-import.test.") | .records[]] | sort | join(" ")')" \
    'ns1.example.net. ns2.example.net.'
t_is 'relative names and record data in API form' \
    "$(t_json '[.recordsets[] | select(.name | test("^(ftp|www|_sip|example)")) | "\(.name) \(.type) \(.ttl) \(.records | sort | join(","))"] | sort | join(";")')" \
    '_sip._tcp.example-import.test. SRV null 10 60 5060 sip.example-import.test.;example-import.test. CAA null 0 issue letsencrypt.org;example-import.test. MX null 10 mail.example-import.test.;example-import.test. NS null ns1.example.net.,ns2.example.net.;example-import.test. SOA null '"$(t_json '.recordsets[] | select(.type == "SOA") | .records[0]')"';example-import.test. TXT null "v=spf1 mx -all";ftp.example-import.test. CNAME null www.example-import.test.;www.example-import.test. A 600 192.0.2.1,192.0.2.2;www.example-import.test. AAAA null 2001:db8::1'
t_is 'the import list shows it' \
    "$(t_req -H "$MEMBER" GET /v2/zones/tasks/imports; t_json '" \(.imports | length) \(.imports[0].id == "'"$IID"'") \(.links.self)"')" \
    "200 1 true $ZONE_URL/v2/zones/tasks/imports"
t_is 'filter status=ERROR: none' "$(t_req -H "$MEMBER" GET '/v2/zones/tasks/imports?status=ERROR'; t_json '" \(.imports | length)"')" '200 0'
PROJ=other-$$
t_err 404 zone_import_not_found "another project does not see the import" -H "$MEMBER" GET "/v2/zones/tasks/imports/$IID"
t_is "nor lists it" "$(t_req -H "$MEMBER" GET /v2/zones/tasks/imports; t_json '" \(.imports | length)"')" '200 0'
PROJ=p3800-$$

# ----------------------------------------------------------- export

t_is 'POST tasks/export is 202' "$(t_req -H "$MEMBER" POST "/v2/zones/$ZID/tasks/export")" 202
EID=$(t_json .id)
t_is 'the export is PENDING for the zone' "$(t_json '"\(.status) \(.zone_id) \(.location)"')" "PENDING $ZID null"
t_is 'Location is links.self' "$(t_hdr Location)" "$ZONE_URL/v2/zones/tasks/exports/$EID"
t_is 'GET the export: COMPLETE with its location' \
    "$(t_req -H "$MEMBER" GET "/v2/zones/tasks/exports/$EID"; t_json '" \(.status) \(.location)"')" \
    "200 COMPLETE designate://v2/zones/tasks/exports/$EID/export"
t_is 'links.export' "$(t_json .links.export)" "$ZONE_URL/v2/zones/tasks/exports/$EID/export"
t_is 'GET .../export is 200' "$(t_req -H "$MEMBER" GET "/v2/zones/tasks/exports/$EID/export")" 200
cp "$T/body" "$T/export.zone"
t_err 406 not_acceptable 'an Accept without text/dns is 406' -H "$MEMBER" \
    -H 'Accept: image/jpeg' GET "/v2/zones/tasks/exports/$EID/export"
t_is 'Accept: text/*, and */* with parameters, are fine' \
    "$(t_req -H "$MEMBER" -H 'Accept: text/*' GET "/v2/zones/tasks/exports/$EID/export") $(t_req -H "$MEMBER" -H 'Accept: application/json;q=0.9, */*;q=0.1' GET "/v2/zones/tasks/exports/$EID/export")" \
    '200 200'
t_is 'as text/dns' "$(t_hdr Content-Type)" text/dns
t_is 'it starts with $ORIGIN, $TTL and a blank line' "$(head -3 "$T/export.zone" | tr '\n' '|')" \
    '$ORIGIN example-import.test.|$TTL 3600||'
t_is 'then the SOA' "$(sed -n 4p "$T/export.zone" | awk '{print $1, $2, $3}')" 'example-import.test. IN SOA'
t_ok 'named-compilezone loads the export' named-compilezone -q -i local -o /dev/null example-import.test. "$T/export.zone"
records "$D/example.zone" example-import.test. >"$T/expect"
records "$T/export.zone" example-import.test. >"$T/actual"
t_cmp "$T/expect" "$T/actual" 'the export holds the records of the imported file'
t_is 'the export list' "$(t_req -H "$MEMBER" GET "/v2/zones/tasks/exports?zone_id=$ZID"; t_json '" \(.exports | length) \(.exports[0].links.self)"')" \
    "200 1 $ZONE_URL/v2/zones/tasks/exports/$EID"

# the export imported again (under another name) exports the same records
sed 's/example-import\.test\./copy-import.test./g' "$T/export.zone" >"$T/copy.zone"
t_is 'the export imports again (as copy-import.test.)' "$(import_end "$T/copy.zone")" \
    'COMPLETE|copy-import.test. imported'
ZID2=$(t_json .zone_id)
t_req -H "$MEMBER" POST "/v2/zones/$ZID2/tasks/export" >/dev/null
t_req -H "$MEMBER" GET "/v2/zones/tasks/exports/$(t_json .id)/export" >/dev/null
cp "$T/body" "$T/export2.zone"
records "$T/export.zone" example-import.test. | sed 's/example-import\.test\./copy-import.test./g' >"$T/expect"
records "$T/export2.zone" copy-import.test. >"$T/actual"
t_cmp "$T/expect" "$T/actual" 'round trip: its export has the same records'

t_err 404 zone_not_found 'export of an unknown zone' -H "$MEMBER" POST /v2/zones/00000000-0000-4000-8000-000000000000/tasks/export
t_err 400 invalid_uuid 'export of a bad zone id' -H "$MEMBER" POST /v2/zones/nope/tasks/export
t_err 404 zone_export_not_found 'GET an unknown export' -H "$MEMBER" GET /v2/zones/tasks/exports/00000000-0000-4000-8000-000000000000
t_err 405 method_not_allowed 'PUT on an export' -H "$MEMBER" PUT "/v2/zones/tasks/exports/$EID" '{}'
PROJ=other-$$
t_err 404 zone_not_found "another project cannot export the zone" -H "$MEMBER" POST "/v2/zones/$ZID/tasks/export"
t_err 404 zone_export_not_found "nor read the export" -H "$MEMBER" GET "/v2/zones/tasks/exports/$EID/export"
PROJ=admin-$$
t_is 'an admin sets api_export_size=5 for the project' \
    "$(t_req PATCH "/v2/quotas/p3800-$$" '{"api_export_size":5}'; t_json '" \(.api_export_size)"')" '200 5'
PROJ=p3800-$$
t_err 413 over_quota 'a zone of 17 recordsets is over api_export_size=5' -H "$MEMBER" POST "/v2/zones/$ZID/tasks/export"
t_is 'DELETE the export is 204' "$(t_req -H "$MEMBER" DELETE "/v2/zones/tasks/exports/$EID")" 204
t_err 404 zone_export_not_found 'it is gone' -H "$MEMBER" GET "/v2/zones/tasks/exports/$EID"
t_is 'DELETE the import is 204' "$(t_req -H "$MEMBER" DELETE "/v2/zones/tasks/imports/$IID")" 204
t_is 'its zone stays' "$(t_req -H "$MEMBER" GET "/v2/zones/$ZID")" 200

# a file without $TTL: the zone ttl is the SOA's, records without a ttl inherit
printf '$ORIGIN nottl-%s.test.\n@ 600 IN SOA ns1 h 1 2 3 4 5\nw IN A 192.0.2.1\nv 60 IN A 192.0.2.2\n' "$$" >"$T/nottl.zone"
t_is 'a file without $TTL imports' "$(import_end "$T/nottl.zone")" "COMPLETE|nottl-$$.test. imported"
t_is 'zone ttl 600, w inherits, v keeps 60' \
    "$(t_req -H "$MEMBER" GET "/v2/zones/$(t_json .zone_id)/recordsets?type=A"; t_json '" \([.recordsets[] | "\(.name | split(".")[0])=\(.ttl)"] | sort | join(","))"')" \
    '200 v=60,w=null'

# ----------------------------------------------------------- bad imports

mk() { cat >"$T/$1.zone"; }
SOA='@ IN SOA ns1.bad.test. hostmaster.bad.test. 1 7200 900 1209600 300'
printf '$TTL 300\nbad.test. IN SOA ns1.bad.test. h.bad.test. 1 2 3 4 5\nwww.bad.test. IN A 192.0.2.1\n' | mk noorigin
printf '$ORIGIN bad.test.\n%s\n%s\n' "$SOA" "$SOA" | mk twosoa
printf '$ORIGIN bad.test.\nwww IN A 192.0.2.1\n' | mk nosoa
printf '$ORIGIN bad.test.\n%s\nwww IN A 300.1.2.3\n' "$SOA" | mk badrdata
printf '$ORIGIN bad.test.\n%s\nwww.elsewhere.test. IN A 192.0.2.1\n' "$SOA" | mk outside
printf '$ORIGIN bad.test.\n%s\n@ IN CNAME www.example.test.\n' "$SOA" | mk apexcname
printf '$ORIGIN bad.test.\n%s\nw IN CNAME x.example.test.\nw IN A 192.0.2.1\n' "$SOA" | mk cnameother
printf '$ORIGIN bad.test.\n%s\n$INCLUDE /etc/passwd\n' "$SOA" | mk include
printf '$ORIGIN bad.test.\n%s\nw IN FOO 1 2 3\n' "$SOA" | mk badtype
printf '$ORIGIN bad.test.\n%s\nw IN\0A 192.0.2.1\n' "$SOA" | mk nul
printf '$ORIGIN bad.test.\n@ IN SOA ns1.bad.test. nodot. 1 7200 900 1209600 300\n' | mk bademail
printf '$ORIGIN bad.test.\n%s\nw IN MX 10\n' "$SOA" | mk shortmx
printf '$ORIGIN com.\n@ IN SOA ns1.com. h.example.test. 1 2 3 4 5\n' | mk tld
{ printf '$ORIGIN bad.test.\n%s\n' "$SOA"; i=0; while [ $i -lt 600 ]; do echo "h$i IN A 192.0.2.1"; i=$((i + 1)); done; } | mk quota

t_is 'no $ORIGIN: ERROR' "$(import_end "$T/noorigin.zone")" 'ERROR|An $ORIGIN statement is required.'
t_is 'two SOA records: ERROR' "$(import_end "$T/twosoa.zone")" 'ERROR|More than one SOA record.'
t_is 'no SOA record: ERROR' "$(import_end "$T/nosoa.zone")" 'ERROR|A SOA record is required.'
t_like() { case $2 in $3) t_pass "$1" ;; *) t_fail "$1"; t_diag "got '$2', wanted $3"; return 1 ;; esac; }
t_like 'bad record data: ERROR, malformed' "$(import_end "$T/badrdata.zone")" 'ERROR|Malformed zonefile. (line 3*'
t_is 'a name outside the origin: ERROR' "$(import_end "$T/outside.zone")" \
    'ERROR|www.elsewhere.test. is outside the zone bad.test.'
t_is 'a CNAME at the apex: ERROR' "$(import_end "$T/apexcname.zone")" \
    'ERROR|CNAME recordsets may not be created at the zone apex'
t_like 'a CNAME beside other data: ERROR' "$(import_end "$T/cnameother.zone")" \
    'ERROR|w.bad.test.: CNAME recordsets may not share*'
t_like '$INCLUDE: ERROR' "$(import_end "$T/include.zone")" 'ERROR|Malformed zonefile.*INCLUDE*'
t_like 'an unknown type: ERROR' "$(import_end "$T/badtype.zone")" 'ERROR|Malformed zonefile.*'
t_like 'an SOA rname that is not an email: ERROR' "$(import_end "$T/bademail.zone")" 'ERROR|*'
t_like 'an MX without its name: ERROR' "$(import_end "$T/shortmx.zone")" 'ERROR|Malformed zonefile.*'
t_like 'a TLD alone: ERROR' "$(import_end "$T/tld.zone")" 'ERROR|More than one label*'
t_is 'over zone_recordsets (500): ERROR' "$(import_end "$T/quota.zone")" 'ERROR|Quota exceeded for zone_recordsets'
t_is 'the same zone again: ERROR, duplicate' "$(import_end "$D/example.zone")" 'ERROR|Duplicate zone.'
t_is 'the failed imports made no zone' "$(t_req -H "$MEMBER" GET '/v2/zones?name=*bad.test.'; t_json '" \(.zones | length)"')" '200 0'
t_is 'the list filters ERROR imports' "$(t_req -H "$MEMBER" GET '/v2/zones/tasks/imports?status=ERROR'; t_json '" \(.imports | length)"')" '200 14'

printf '\377\376 junk \201\n' >"$T/junk.zone"
t_err 400 bad_request 'binary junk (not UTF-8) is 400' -H "$MEMBER" -H "$CT" POST /v2/zones/tasks/imports "@$T/junk.zone"
t_err 400 bad_request 'a NUL byte is 400' -H "$MEMBER" -H "$CT" POST /v2/zones/tasks/imports "@$T/nul.zone"
t_err 415 unsupported_content_type 'another content type is 415' -H "$MEMBER" -H 'Content-Type: application/xml' \
    POST /v2/zones/tasks/imports "@$D/example.zone"
t_err 400 empty_request_body 'an empty body is 400' -H "$MEMBER" -H "$CT" POST /v2/zones/tasks/imports ''
t_err 400 invalid_object 'JSON without zonefile is 400' -H "$MEMBER" POST /v2/zones/tasks/imports '{"x":1}'
t_is 'JSON {"zonefile": ...} (API 2.4) is 202' \
    "$(t_req -H "$MEMBER" POST /v2/zones/tasks/imports "$(jq -Rs '{zonefile: (. | sub("example-import"; "json-import"; "g"))}' "$D/example.zone")")" 202
t_err 403 forbidden 'a reader cannot import' -H 'X-Roles: reader' -H "$CT" POST /v2/zones/tasks/imports "@$D/example.zone"

t_ok 'zone-central and zone-api are still up' t_stack_alive
t_done
