#!/bin/sh
# 4080: SECONDARY zones (api-v2.md 3.2, 3.8; services.md 4).  A real
# BIND 9 primary started here holds the zone; a SECONDARY zone created
# through the API with that primary as its master is pulled by zone-xfr
# (AXFR, journaled through central's zone.xfr_apply), served by zone-xfr
# and pushed to the pool's BIND 9 target.  A change on the primary (new
# zone file, rndc reload) reaches zone-xfr and the target through the
# primary's NOTIFY; POST tasks/xfr asks for a check.  Bad masters are
# 400, users cannot write recordsets of a SECONDARY zone.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 40

PROJ=p4080-$$
MEMBER='X-Roles: member'
X1=$(t_port)
X2=$(t_port)
XFR_PORTS=$X1
Z=sec-$$.example.test.

# primary_zone SERIAL WWW_A: the primary's zone file.
primary_zone() {
	{
		printf '$ORIGIN %s\n$TTL 300\n' "$Z"
		printf '@ IN SOA ns1.primary.test. hostmaster.primary.test. %s 3600 600 86400 300\n' "$1"
		printf '@ IN NS ns1.primary.test.\n@ IN MX 10 mail\n'
		printf 'www IN A %s\nmail IN A 192.0.2.25\n' "$2"
		printf 'txt IN TXT "from the primary"\n'
	} >"$T/primary.zone.tmp" && mv "$T/primary.zone.tmp" "$T/primary.zone"
}
primary_zone 100 192.0.2.1
t_named_primary prim "$Z" "$T/primary.zone" "$X1" "$X2" || t_abort 'start the BIND primary'
t_named bind1 "$X1" || t_abort 'start the BIND target'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_xfr xfr2 "$X2"
t_notify notify1
t_ok 'two zone-xfr copies and zone-notify run' t_running xfr1 xfr2 notify1 || t_abort 'zone-xfr, zone-notify'
t_is 'the primary serves serial 100' "$(t_soa_serial "$prim_PORT" "$Z")" 100

# --- bad masters
t_err 400 invalid_object 'masters: [] is 400' -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"$Z\",\"type\":\"SECONDARY\",\"masters\":[]}"
t_err 400 invalid_object 'no masters is 400' -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"$Z\",\"type\":\"SECONDARY\"}"
t_err 400 invalid_object 'a master that is neither an address nor a host name is 400' -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"$Z\",\"type\":\"SECONDARY\",\"masters\":[\"primary_example.test:53\"]}"
t_err 400 invalid_object 'a bad port is 400' -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"$Z\",\"type\":\"SECONDARY\",\"masters\":[\"127.0.0.1:99999\"]}"
t_err 400 invalid_object 'masters not a list is 400' -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"$Z\",\"type\":\"SECONDARY\",\"masters\":\"127.0.0.1\"}"
t_err 400 invalid_object 'an email for a SECONDARY zone is 400' -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"$Z\",\"type\":\"SECONDARY\",\"masters\":[\"127.0.0.1\"],\"email\":\"a@b.test\"}"

# --- create
t0=$(date +%s%N)
t_is 'POST a SECONDARY zone is 202' "$(t_req -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"$Z\",\"type\":\"SECONDARY\",\"masters\":[\"127.0.0.1:$prim_PORT\"]}")" 202
ZID=$(t_json .id)
t_is 'type, masters, managed email, serial 1, PENDING' \
    "$(t_json '"\(.type) \(.masters | join(",")) \(.email) \(.serial) \(.status)"')" \
    "SECONDARY 127.0.0.1:$prim_PORT hostmaster@example.com 1 PENDING"
t_ok 'the zone goes ACTIVE with the serial of the primary' t_zone_wait "$ZID" 'ACTIVE NONE 100' 30
t_diag "SECONDARY zone ACTIVE after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
t_is 'transferred_at is set' "$(t_req -H "$MEMBER" GET "/v2/zones/$ZID"; t_json '" \(.transferred_at != null)"')" '200 true'
t_is 'zone-xfr serves the records of the primary' "$(t_dig "$X1" "www.$Z" A)" 192.0.2.1
t_is 'zone-xfr serves serial 100' "$(t_soa_serial "$X1" "$Z")" 100
t_ok 'the BIND target serves serial 100' t_wait_serial "$bind1_PORT" "$Z" 100 20
t_is 'the BIND target serves www' "$(t_dig "$bind1_PORT" "www.$Z" A)" 192.0.2.1
t_is 'and the TXT' "$(t_dig "$bind1_PORT" "txt.$Z" TXT)" '"from the primary"'
t_is 'the recordsets show the records of the primary' \
    "$(t_req -H "$MEMBER" GET "/v2/zones/$ZID/recordsets?type=A"; t_json '" \([.recordsets[].name] | sort | join(","))"')" \
    "200 mail.$Z,www.$Z"

# --- a change on the primary reaches the target through its NOTIFY
t1=$(date +%s%N)
primary_zone 101 192.0.2.99
t_ok 'rndc reload on the primary' t_rndc prim reload "$Z"
t_ok 'zone-xfr serves serial 101 after the NOTIFY' t_wait_serial "$X1" "$Z" 101 20
t_ok 'the BIND target serves serial 101' t_wait_serial "$bind1_PORT" "$Z" 101 20
t_diag "primary change to target after $(( ($(date +%s%N) - t1) / 1000000 )) ms"
t_is 'the BIND target serves the new www' "$(t_dig "$bind1_PORT" "www.$Z" A)" 192.0.2.99
t_ok 'a zone-xfr copy logged the pull' grep -q 'event=xfr.pulled.*serial=101' "$T/xfr1.log" "$T/xfr2.log"
t_ok 'the other copy serves serial 101 too' t_wait_serial "$X2" "$Z" 101 20
t_diag "copies that pulled serial 101: $(grep -l 'event=xfr.pulled.*serial=101' "$T/xfr1.log" "$T/xfr2.log" | tr '\n' ' ')"
t_is 'both were NOTIFYed, the change was written once (www version 2)' \
    "$(t_req -H "$MEMBER" GET "/v2/zones/$ZID/recordsets?name=www.$Z"; t_json '" \(.recordsets[0].version)"')" '200 2'
t_ok 'the zone goes ACTIVE again' t_zone_wait "$ZID" 'ACTIVE NONE 101' 20

# --- new masters: the first one is dead, the second answers
DEAD=$(t_port)
t_is 'PATCH masters (a dead one first)' \
    "$(t_req -H "$MEMBER" PATCH "/v2/zones/$ZID" "{\"masters\":[\"127.0.0.1:$DEAD\",\"127.0.0.1:$prim_PORT\"],\"description\":\"two\"}" | cut -c1-2)$(t_json '" \(.masters | length) \(.description) \(.serial)"')" \
    '20 2 two 101'
t_err 400 invalid_object 'PATCH masters to a bad name is 400' -H "$MEMBER" PATCH "/v2/zones/$ZID" '{"masters":["ns..example.test"]}'
t_err 400 invalid_object 'PATCH email of a SECONDARY zone is 400' -H "$MEMBER" PATCH "/v2/zones/$ZID" '{"email":"a@b.test"}'
primary_zone 102 192.0.2.102
t_ok 'rndc reload on the primary' t_rndc prim reload "$Z"
t_ok 'the BIND target serves serial 102 (pulled from the second master)' t_wait_serial "$bind1_PORT" "$Z" 102 20
t_is 'and the new www' "$(t_dig "$bind1_PORT" "www.$Z" A)" 192.0.2.102
t_ok 'zone-xfr 2 serves serial 102' t_wait_serial "$X2" "$Z" 102 20
t_diag "copies that pulled serial 102: $(grep -l 'event=xfr.pulled.*serial=102' "$T/xfr1.log" "$T/xfr2.log" | tr '\n' ' ')"
t_is 'written once again (www version 3)' \
    "$(t_req -H "$MEMBER" GET "/v2/zones/$ZID/recordsets?name=www.$Z"; t_json '" \(.recordsets[0].version)"')" '200 3'

# --- tasks/xfr, writes refused
t_is 'POST tasks/xfr is 202 with an empty body' "$(t_req -H "$MEMBER" POST "/v2/zones/$ZID/tasks/xfr") $(wc -c <"$T/body")" '202 0'
PZ=$(t_zone_create "prim-$$.example.test.")
t_err 400 bad_request 'tasks/xfr of a PRIMARY zone is 400' -H "$MEMBER" POST "/v2/zones/$PZ/tasks/xfr"
t_err 404 zone_not_found 'tasks/xfr of an unknown zone is 404' -H "$MEMBER" \
    POST /v2/zones/00000000-0000-4000-8000-000000000000/tasks/xfr
t_err 403 forbidden 'a member cannot create a recordset in a SECONDARY zone' -H "$MEMBER" \
    POST "/v2/zones/$ZID/recordsets" "{\"name\":\"x.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.7\"]}"

t_ok 'zone-central and zone-api are still up' t_stack_alive
t_done
