#!/bin/sh
# 0100: zonectl against a real stack (nats-server, zone-central, zone-api):
# zones and recordsets end to end, paging, output formats, exit statuses.
# Propagation to DNS servers is not part of this stack yet: a background
# loop stands in for zone-notify and reports every PENDING zone live with
# `zone-manage zone status', so that -w has something to wait for.
. "${0%/*}/../lib.sh"

t_plan 32

# out FILE CMD...: run CMD with its stdout in FILE (t_ok's own output
# must not be redirected).  both OUT ERR CMD...: stdout and stderr.
out() { _o=$1; shift; "$@" >"$_o"; }
both() { _o=$1 _e=$2; shift 2; "$@" >"$_o" 2>"$_e"; }

ZONE_CENTRAL_QUOTA_ZONES=-1; export ZONE_CENTRAL_QUOTA_ZONES
t_stack || t_abort "start nats-server, zone-central and zone-api"
export ZONE_PROJECT=t0100

propagate() {
	while :; do
		curl -s -H 'X-Auth-All-Projects: true' \
		    "$ZONE_URL/v2/zones?status=PENDING&limit=max" |
		    jq -r '.zones[].id' 2>/dev/null |
		    while read -r zid; do
			zone-manage zone status "$zid" ACTIVE >/dev/null 2>&1
		    done
		sleep 0.2
	done
}
propagate &
echo $! >"$T/propagator.pid"
Z=example.test.

# --- zones --------------------------------------------------------------

t_ok 'zone create -w waits until the zone is ACTIVE' \
	out "$T/create.json" zonectl -t 20 -w zone create "$Z" \
	--email hostmaster@example.test --ttl 600 --description 'first zone'
t_ok 'the created zone is printed once, ACTIVE, with its fields' \
	out /dev/null jq -se 'length == 1 and .[0].status == "ACTIVE" and
	    .[0].name == "example.test." and .[0].ttl == 600' "$T/create.json"
id=$(jq -r .id "$T/create.json")

t_fails_with 65 'a duplicate zone is refused with exit 65' \
	both "$T/dup.out" "$T/dup.err" \
	zonectl zone create "$Z" --email hostmaster@example.test
t_ok 'the refusal is one error line on stderr and nothing on stdout' \
	sh -c 'test ! -s "$1" && test "$(wc -l <"$2")" -eq 1 &&
	    grep -q "^zonectl: error: duplicate_zone: " "$2"' sh \
	"$T/dup.out" "$T/dup.err"
t_fails_with 64 'zone create without --email is a usage error' \
	zonectl zone create other.test.
t_fails_with 65 'a bad zone name is refused (400)' \
	zonectl zone create 'bad..name.' --email hostmaster@example.test

zonectl zone show "$Z" >"$T/show-name.json"
zonectl zone show "$id" >"$T/show-id.json"
t_ok 'zone show by name and by id give the same zone' \
	sh -c 'test "$(jq -r .id "$1")" = "$2" && test "$(jq -r .id "$3")" = "$2"' \
	sh "$T/show-name.json" "$id" "$T/show-id.json"
t_fails_with 1 'an unknown zone name is exit 1' \
	zonectl zone show nosuch.example.test.
t_fails_with 65 'a malformed zone id is refused (invalid_uuid)' \
	zonectl zone show not-a-uuid
t_fails_with 1 'another project does not see the zone' \
	zonectl -p t0100-other zone show "$id"

t_ok 'zone set -w changes the ttl and waits' \
	out "$T/set.json" \
	zonectl -w zone set "$Z" --ttl 7200 --description patched
t_ok 'the zone shows the new ttl and description' \
	out /dev/null jq -e '.ttl == 7200 and .description == "patched" and
	    .status == "ACTIVE"' "$T/set.json"
t_fails_with 64 'zone set with nothing to set is a usage error' \
	zonectl zone set "$Z"

# --- paging (the API's default page is 20 zones) --------------------------

i=1
while [ "$i" -le 21 ]; do
	zonectl zone create "z$i.paging.test." \
	    --email hostmaster@example.test >/dev/null || break
	i=$((i + 1))
done
zonectl zone list >"$T/list.json"
t_ok 'zone list follows links.next and prints all 22 zones' \
	test "$(jq -r .id "$T/list.json" | sort -u | wc -l)" -eq 22
t_ok 'zone list --limit 5 prints one page of 5' \
	sh -c 'test "$(zonectl zone list --limit 5 | wc -l)" -eq 5'
t_ok 'zone list --name filters' \
	sh -c 'test "$(zonectl zone list --name z7.paging.test. |
	    jq -r .name)" = z7.paging.test.'
zonectl -f table zone list >"$T/table.txt"
t_ok '-f table prints a header and one row per zone' \
	sh -c 'head -1 "$1" | grep -q "^ID  *NAME  *TYPE  *SERIAL  *STATUS  *ACTION$" &&
	    test "$(wc -l <"$1")" -eq 23' sh "$T/table.txt"

# --- recordsets -----------------------------------------------------------

t_ok 'recordset create with a relative name, -w' \
	out "$T/rs.json" zonectl -w recordset create "$Z" www --type a \
	--record 192.0.2.1 --record 192.0.2.2 --ttl 300
t_ok 'the recordset is www in the zone, type A, ACTIVE' \
	out /dev/null jq -e '.name == "www.example.test." and .type == "A" and
	    .status == "ACTIVE" and (.records | sort) ==
	    ["192.0.2.1", "192.0.2.2"]' "$T/rs.json"
rs=$(jq -r .id "$T/rs.json")
t_ok 'recordset show by relative name and type finds it' \
	sh -c 'test "$(zonectl recordset show "$1" www --type A | jq -r .id)" = "$2"' \
	sh "$Z" "$rs"
t_fails_with 65 'a recordset outside its zone is refused' \
	zonectl recordset create "$Z" www.elsewhere.test. --type A \
	--record 192.0.2.9
t_fails_with 65 'bad A data is refused (invalid_object)' \
	zonectl recordset create "$Z" bad --type A --record 192.0.2.300
t_fails_with 65 'a duplicate recordset is refused (409)' \
	zonectl recordset create "$Z" www --type A --record 192.0.2.9
t_ok 'recordset set -w replaces the records' \
	sh -c 'zonectl -w recordset set "$1" "$2" --record 192.0.2.3 |
	    jq -e ".records == [\"192.0.2.3\"] and .status == \"ACTIVE\"" >/dev/null' \
	sh "$Z" "$rs"
t_ok 'recordset list --type A lists only www' \
	sh -c 'test "$(zonectl recordset list "$1" --type A | jq -r .name)" = \
	    www.example.test.' sh "$Z"
t_ok 'recordset list includes the SOA and NS recordsets' \
	sh -c 'zonectl recordset list "$1" | jq -r .type | sort -u |
	    tr "\n" " " | grep -q "^A NS SOA $"' sh "$Z"
t_ok 'recordset delete -w waits until it is gone' \
	out /dev/null zonectl -w recordset delete "$Z" "$rs"
t_fails_with 1 'the deleted recordset is not found' \
	zonectl recordset show "$Z" "$rs"

# --- access and transport -------------------------------------------------

t_fails_with 77 'a reader cannot create a zone (403)' \
	zonectl -r reader zone create reader.test. \
	--email hostmaster@example.test
t_fails_with 69 'an API that does not listen is exit 69' \
	zonectl -u "http://127.0.0.1:$(t_port)" zone list

t_ok 'zone delete -w waits until the zone is gone' \
	out /dev/null zonectl -w zone delete "$Z"
t_fails_with 1 'the deleted zone is not found' \
	zonectl zone show "$id"

t_done
