#!/bin/sh
# 4050: zone-notify retries a target that is down.  The BIND 9 target is
# stopped when a zone is created: with ZONE_NOTIFY_MAX_RETRY_S=30 the zone
# stays PENDING while zone-notify retries, and goes ACTIVE once BIND is
# back (same ports) within the window.  With ZONE_NOTIFY_MAX_RETRY_S=3 and
# BIND down past it, the zone becomes ERROR and zone-notify's log says why.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 12

ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
PROJ=p4050

X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" || t_abort 'start named'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1 ZONE_NOTIFY_MAX_RETRY_S=30
t_ok 'zone-xfr and zone-notify (max_retry_s 30) run' t_running xfr1 notify1 ||
    t_abort 'zone-xfr, zone-notify'

# --- down, then back within the window
t_dns_stop bind1
Z1="retry-$$.example.test."
ZID1=$(t_zone_create "$Z1")
t_ok 'zone created while BIND is down' test -n "$ZID1"
sleep 4
t_is 'after 4 s it is still PENDING' "$(t_zone_status "$ZID1" | cut -d' ' -f1)" PENDING
t_ok 'BIND back on the same ports' t_dns_restart bind1
t_ok 'the zone goes ACTIVE within the window' t_zone_wait "$ZID1" ACTIVE 30
t_ok 'BIND serves it' t_wait_serial "$bind1_PORT" "$Z1" "$(t_zone_serial "$ZID1")" 10

# --- down past a short window
t_stop notify1
t_notify notify1 ZONE_NOTIFY_MAX_RETRY_S=3
t_ok 'zone-notify restarted with max_retry_s 3' t_running notify1
t_dns_stop bind1
Z2="giveup-$$.example.test."
n0=$(wc -l <"$T/notify1.log")
ZID2=$(t_zone_create "$Z2")
t_ok 'second zone created while BIND is down' test -n "$ZID2"
t_ok 'it becomes ERROR' t_zone_wait "$ZID2" ERROR 25
tail -n +"$((n0 + 1))" "$T/notify1.log" >"$T/notify.new"
grep -E "$ZID2|${Z2%.}" "$T/notify.new" | tail -n 5 | sed 's/^/# /' >&2
t_ok "zone-notify's log names the zone and the reason" \
    grep -q -i -E "($ZID2|${Z2%.}).*(error|fail|refused|connect|timed? ?out|rndc|unreachable)" \
    "$T/notify.new"
t_ok 'zone-xfr and zone-notify still run' t_running xfr1 notify1
t_done
