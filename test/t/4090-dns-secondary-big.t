#!/bin/sh
# 4090: a SECONDARY zone of 10,000 records from a real BIND 9 primary:
# zone-xfr sends the transfer to central as zone file text (compact
# under NATS's 1 MB), central journals it in several messages with
# serials of their own, and the BIND 9 target serves every record.  A
# change of every record on the primary (serial + 100) goes the same
# way; a one-record change (serial + 1) is one message.  Times in the
# diagnostics.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 15

N=10000
PROJ=p4090-$$
MEMBER='X-Roles: member'
X1=$(t_port)
XFR_PORTS=$X1
Z=bigsec-$$.example.test.

# primary_zone SERIAL NET: N records h<i> A NET.x.y
primary_zone() {
	{
		printf '$ORIGIN %s\n$TTL 300\n' "$Z"
		printf '@ IN SOA ns1.primary.test. hostmaster.primary.test. %s 3600 600 86400 300\n' "$1"
		printf '@ IN NS ns1.primary.test.\n'
		awk -v n="$N" -v net="$2" 'BEGIN {
			for (i = 0; i < n; i++)
				printf "h%d IN A %d.%d.%d.%d\n", i, net,
				    int(i / 65536), int(i / 256) % 256, i % 256
		}'
		if [ -n "${3:-}" ]; then
			printf 'extra IN A 192.0.2.77\n'
		fi
	} >"$T/primary.zone.tmp" && mv "$T/primary.zone.tmp" "$T/primary.zone"
}
primary_zone 1000 10
t_named_primary prim "$Z" "$T/primary.zone" "$X1" || t_abort 'start the BIND primary'
t_named bind1 "$X1" || t_abort 'start the BIND target'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1
t_ok 'zone-xfr and zone-notify run' t_running xfr1 notify1 || t_abort 'zone-xfr, zone-notify'

axfr_count() {
	dig -p "$1" @127.0.0.1 +time=5 axfr "$Z" | grep -v '^;' | grep -c -v '^$'
}

t0=$(date +%s%N)
t_is 'POST the SECONDARY zone' "$(t_req -H "$MEMBER" POST /v2/zones \
    "{\"name\":\"$Z\",\"type\":\"SECONDARY\",\"masters\":[\"127.0.0.1:$prim_PORT\"]}")" 202
ZID=$(t_json .id)
t_ok 'it goes ACTIVE with serial 1000' t_zone_wait "$ZID" 'ACTIVE NONE 1000' 60
t_diag "$N-record SECONDARY zone ACTIVE after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
t_is 'zone-xfr serves every record' "$(axfr_count "$X1")" $((N + 3))
t_ok 'the BIND target serves serial 1000' t_wait_serial "$bind1_PORT" "$Z" 1000 20
t_is 'and every record' "$(axfr_count "$bind1_PORT")" $((N + 3))
t_is 'h9999 on the target' "$(t_dig "$bind1_PORT" "h9999.$Z" A)" 10.0.39.15

# every record changes
t1=$(date +%s%N)
primary_zone 1100 11
t_ok 'rndc reload on the primary' t_rndc prim reload "$Z"
t_ok 'the BIND target serves serial 1100' t_wait_serial "$bind1_PORT" "$Z" 1100 60
t_diag "$N changed records to the target after $(( ($(date +%s%N) - t1) / 1000000 )) ms"
t_is 'h9999 changed on the target' "$(t_dig "$bind1_PORT" "h9999.$Z" A)" 11.0.39.15
t_is 'zone-xfr serves every record' "$(axfr_count "$X1")" $((N + 3))

# one record more (a second later: BIND reloads a file by its mtime)
sleep 1
primary_zone 1101 11 extra
t_rndc prim reload "$Z" >/dev/null 2>&1
t_ok 'the BIND target serves serial 1101' t_wait_serial "$bind1_PORT" "$Z" 1101 30
t_is 'and the new record' "$(t_dig "$bind1_PORT" "extra.$Z" A)" 192.0.2.77

t_ok 'zone-central and zone-api are still up' t_stack_alive
t_done
