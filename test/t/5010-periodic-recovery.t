#!/bin/sh
# 5010: zone-periodic's recovery task.  A zone created while its BIND 9
# target is down goes ERROR (zone-notify gives up after 3 s); BIND comes
# back, and the zone stays ERROR until zone-periodic's recovery hands it
# to zone-notify again: then it goes ACTIVE by itself and BIND serves it.
# A second time with zone-periodic running all along (two copies, each
# with its own slice of the shards).
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 16

ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
PROJ=p5010

periodic() {
	t_start "$1" env ZONE_PERIODIC_RECOVERY_INTERVAL_S=2 \
	    ZONE_PERIODIC_MEMBER_TTL_S=3 ZONE_PERIODIC_TASKS=recovery \
	    zone-periodic
}

X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" || t_abort 'start named'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1 ZONE_NOTIFY_MAX_RETRY_S=3
t_ok 'zone-xfr and zone-notify (max_retry_s 3) run' t_running xfr1 notify1 ||
    t_abort 'zone-xfr, zone-notify'

# --- ERROR while BIND is down; nothing recovers it without zone-periodic
t_dns_stop bind1
Z1="rec1-$$.example.test."
ZID1=$(t_zone_create "$Z1")
t_ok 'zone created while BIND is down' test -n "$ZID1"
t_ok 'it becomes ERROR' t_zone_wait "$ZID1" ERROR 25
t_ok 'BIND back on the same ports' t_dns_restart bind1
sleep 4
t_is 'without zone-periodic it stays ERROR' \
    "$(t_zone_status "$ZID1" | cut -d' ' -f1)" ERROR

# --- zone-periodic's recovery task hands it over again
periodic per1 || t_abort 'start zone-periodic'
t_ok 'with zone-periodic (recovery every 2 s) it goes ACTIVE by itself' \
    t_zone_wait "$ZID1" ACTIVE 20
t_ok 'BIND serves it' t_wait_serial "$bind1_PORT" "$Z1" "$(t_zone_serial "$ZID1")" 10
t_ok "zone-periodic's log has the recovery" \
    grep -q 'event=task.done task=recovery n=1 ' "$T/per1.log"

# --- again, with two copies running all along
n1=$(wc -l <"$T/per1.log")
periodic per2 || t_abort 'start a second zone-periodic'
t_dns_stop bind1
Z2="rec2-$$.example.test."
ZID2=$(t_zone_create "$Z2")
t_ok 'second zone created while BIND is down' test -n "$ZID2"
t_ok 'it becomes ERROR (zone-periodic only hands it over again)' \
    t_zone_wait "$ZID2" ERROR 25
t_ok 'BIND back' t_dns_restart bind1
t_ok 'the zone goes ACTIVE by itself' t_zone_wait "$ZID2" ACTIVE 20
t_ok 'BIND serves it' t_wait_serial "$bind1_PORT" "$Z2" "$(t_zone_serial "$ZID2")" 10
shard=$(printf '%d' "0x$(echo "$ZID2" | cut -c1-3)")
owner=
other=
for p in per1 per2; do
	grep 'event=shards.changed' "$T/$p.log" | tail -n 1 |
	    sed 's/.* first=\([0-9]*\) last=\([0-9]*\) .*/\1 \2/' >"$T/slice"
	read -r a b <"$T/slice" || continue
	if [ "$shard" -ge "$a" ] && [ "$shard" -le "$b" ]; then
		owner=$p
	else
		other=$p
	fi
done
t_diag "the zone's shard $shard is in ${owner:-no}'s slice"
new_lines() {
	if [ "$1" = per1 ]; then tail -n +"$((n1 + 1))" "$T/per1.log"; else cat "$T/$1.log"; fi
}
t_ok "only the copy whose slice holds the zone's shard recovered it" \
    sh -c '[ -n "$1" ] && [ -n "$2" ] &&
	printf "%s\n" "$3" | grep -q "event=task.done task=recovery" &&
	! printf "%s\n" "$4" | grep -q "event=task.done task=recovery"' sh \
    "$owner" "$other" "$(new_lines "$owner")" "$(new_lines "$other")"
t_ok 'everything still runs' t_running xfr1 notify1 per1 per2
t_done
