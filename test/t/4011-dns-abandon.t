#!/bin/sh
# 4011: an abandoned zone leaves the API but stays on the name servers
# (api-v2.md 3.8: "the zone is left on the servers").  One pool with a
# catalog zone and a BIND 9 catalog consumer, two zone-central, two
# zone-api, two zone-xfr: abandon keeps the zone a catalog member served
# by zone-xfr; a new zone of the same name takes the name over on the
# servers; `zone-manage zone forget' takes an abandoned zone off them.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 16

CAT=catalog.pool.test.
Z=abandon-$$.example.test.
X1=$(t_port)
X2=$(t_port)
XFR_PORTS="$X1 $X2"
t_named bind1 "$X1" catalog "$CAT" || t_abort 'start named as a catalog consumer'
t_stack 2 2 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default "catalog=$CAT" catalog-target=bind1
t_pool_update "$T/pools.yaml" || t_abort 'zone-manage pool update'
t_xfr xfr1 "$X1"
t_xfr xfr2 "$X2"
t_notify notify1
t_notify notify2
t_running xfr1 xfr2 notify1 notify2 || t_abort 'zone-xfr, zone-notify'

ZID=$(t_zone_create "$Z") || t_abort "create $Z"
RID=$(t_rrset_create "$ZID" "www.$Z" A 192.0.2.1) || t_abort 'create www'
t_ok 'the zone goes ACTIVE' t_zone_wait "$ZID" ACTIVE 30
t_ok 'BIND serves it' t_wait_serial "$bind1_PORT" "$Z" "$(t_zone_serial "$ZID")" 20
t_is 'with its record' "$(t_dig "$bind1_PORT" "www.$Z" A)" 192.0.2.1
cat1=$(t_soa_serial "$X1" "$CAT")

t_is 'an admin abandons it: 204' "$(t_req POST "/v2/zones/$ZID/tasks/abandon")" 204
t_is 'the API has it no more: 404' "$(t_req GET "/v2/zones/$ZID")" 404
t_is 'nor its recordsets' "$(t_req GET "/v2/zones/$ZID/recordsets/$RID")" 404
# The catalog does not change, so BIND has no reason to drop the zone;
# give it a few NOTIFY rounds anyway.
sleep 3
t_is 'the catalog at zone-xfr is unchanged (same serial)' \
    "$(t_soa_serial "$X1" "$CAT")" "$cat1"
t_is 'both zone-xfr copies still serve the zone' \
    "$(t_dig "$X1" "www.$Z" A) $(t_dig "$X2" "www.$Z" A)" '192.0.2.1 192.0.2.1'
t_is 'BIND still serves it, with its record' "$(t_dig "$bind1_PORT" "www.$Z" A)" 192.0.2.1

# The name is free: a new zone of the same name replaces it everywhere.
ZID2=$(t_zone_create "$Z") || t_abort "create $Z again"
t_rrset_create "$ZID2" "www.$Z" A 192.0.2.2 >/dev/null || t_abort 'create www again'
t_ok 'the new zone goes ACTIVE' t_zone_wait "$ZID2" ACTIVE 30
w=0
while [ "$(t_dig "$bind1_PORT" "www.$Z" A)" != 192.0.2.2 ] && [ "$w" -lt 100 ]; do
	sleep 0.2
	w=$((w + 1))
done
t_is 'BIND serves the new zone, not the abandoned one' \
    "$(t_dig "$bind1_PORT" "www.$Z" A)" 192.0.2.2
t_is 'the catalog lists the name once' \
    "$(dig -p "$X1" @127.0.0.1 +tries=1 "$CAT" AXFR | awk -v z="$Z" '$4 == "PTR" && $5 == z' | wc -l | tr -d ' ')" 1

# forget: only abandoned zones, then the servers let it go.
t_is 'zone-manage zone forget refuses a live zone (exit 1, 404)' \
    "$(zone-manage zone forget "$ZID2" >/dev/null 2>&1; echo $?)" 1
t_req POST "/v2/zones/$ZID2/tasks/abandon" >/dev/null
t_is 'zone-manage zone forget takes the abandoned zone' \
    "$(zone-manage zone forget "$ZID2" | jq -r .name)" "$Z"
t_ok 'BIND no longer serves it' t_wait_gone "$bind1_PORT" "$Z" 30
t_ok 'every daemon still runs' t_running xfr1 xfr2 notify1 notify2 central1 central2 api1 api2
t_done
