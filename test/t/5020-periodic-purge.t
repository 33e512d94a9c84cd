#!/bin/sh
# 5020: zone-periodic's purge task (every 1 s, retention 3 s, two copies).
# A zone whose delete the servers confirmed waits in the view's graves for
# the retention, then is removed for good; a live zone, and a zone whose
# delete is still PENDING, are never purged.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 14

ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
PROJ=p5020
RET=3

t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'

# in_view ID: the view holds a zone (or grave) with this id.
in_view() {
	zone-manage view dump | grep -q "^$1	"
}

LIVE=$(t_zone_create "live-$$.example.test.")
GONE=$(t_zone_create "gone-$$.example.test.")
HALF=$(t_zone_create "half-$$.example.test.")
t_ok 'three zones' test -n "$LIVE" -a -n "$GONE" -a -n "$HALF"
t_is 'DELETE two of them' \
    "$(t_req DELETE "/v2/zones/$GONE") $(t_req DELETE "/v2/zones/$HALF")" \
    '202 202'
periodic() {
	t_start "$1" env ZONE_PERIODIC_PURGE_INTERVAL_S=1 \
	    ZONE_PERIODIC_PURGE_RETENTION_S=$RET ZONE_PERIODIC_MEMBER_TTL_S=3 \
	    ZONE_PERIODIC_TASKS=purge zone-periodic
}
periodic per1 && periodic per2 || t_abort 'start zone-periodic'
t_ok 'two zone-periodic copies run' t_running per1 per2
sleep 2
t_ok 'a zone whose delete is not confirmed is not purged' in_view "$HALF"

TD=$(date +%s)
t_ok 'the servers confirm one delete' zone-manage zone status "$GONE" ACTIVE
t_is 'that zone is gone from the API' "$(t_req GET "/v2/zones/$GONE")" 404
t_ok 'its grave is in the view' in_view "$GONE"
sleep 1.5
t_ok 'within the retention the grave stays' in_view "$GONE"
w=0
while in_view "$GONE" && [ "$w" -lt 100 ]; do
	sleep 0.1
	w=$((w + 1))
done
TP=$(date +%s)
t_ok 'after the retention it is purged' sh -c "! zone-manage view dump | grep -q '^$GONE	'"
t_diag "purged $((TP - TD)) s after the confirmed delete (retention $RET s)"
t_ok "... not before the retention (${RET} s)" test $((TP - TD)) -ge "$RET"
t_ok "a zone-periodic log has task.done task=purge n=1" \
    sh -c "grep -h 'event=task.done task=purge' '$T/per1.log' '$T/per2.log' | grep -q ' n=1 '"
sleep 2
t_is 'the live zone stays' "$(t_zone_status "$LIVE" | cut -d' ' -f2)" CREATE
t_is 'the zone whose delete is PENDING stays' \
    "$(t_zone_status "$HALF" | cut -d' ' -f1,2)" 'PENDING DELETE'
t_ok 'both are still in the view' sh -c "zone-manage view dump >'$T/dump' &&
    grep -q '^$LIVE	' '$T/dump' && grep -q '^$HALF	' '$T/dump'"
t_done
