#!/bin/sh
# 4060: a zone changed a hundred times in a burst is pushed to the targets
# far fewer times, and the last push carries the newest serial: every
# change is a journal message, but zone-notify skips a message when the
# zone's subject already holds a newer one (so pushes follow the pace of
# the targets, not of the changes).
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 6

ZONE_CENTRAL_QUOTA_ZONES=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDS=-1
export ZONE_CENTRAL_QUOTA_ZONES ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS \
    ZONE_CENTRAL_QUOTA_ZONE_RECORDS
PROJ=p4060

X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" || t_abort 'start named'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1
t_running xfr1 notify1 || t_abort 'zone-xfr, zone-notify'

Z="burst-$$.example.test."
ZID=$(t_zone_create "$Z")
t_ok 'zone ACTIVE' t_zone_wait "$ZID" 'ACTIVE NONE' 20
n0=$(grep -c "event=zone.active.*id=$ZID" "$T/notify1.log")

# 100 creates from 8 clients, as fast as the API takes them
seq 1 100 | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
    -H 'Content-Type: application/json' -H "X-Auth-Project-ID: $PROJ" \
    -X POST "$ZONE_URL/v2/zones/$ZID/recordsets" \
    -d "{\"name\":\"r{}.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.1\"]}" \
    >"$T/codes"
t_is 'all 100 creates accepted' "$(grep -c '^202$' "$T/codes")" 100
t_ok 'zone ACTIVE again' t_zone_wait "$ZID" 'ACTIVE NONE' 30
S=$(t_zone_serial "$ZID")
t_ok "BIND serves the newest serial $S" t_wait_serial "$bind1_PORT" "$Z" "$S" 20
pushes=$(( $(grep -c "event=zone.active.*id=$ZID" "$T/notify1.log") - n0 ))
t_diag "100 changes became $pushes pushes"
t_ok "100 changes were pushed fewer than 50 times ($pushes)" \
    test "$pushes" -ge 1 -a "$pushes" -lt 50

t_done
