#!/bin/sh
# 4070: a zone file of 10,000 records imported through the API reaches a
# real BIND 9 target: the import completes, the zone goes ACTIVE, BIND
# serves every record (AXFR count and spot checks), and zone-xfr serves
# the same.  The zone and its recordsets go into the journal as a few
# large messages (not one RPC per record); the time from POST to ACTIVE
# is printed as a diagnostic.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 14

N=10000
PROJ=p4070-$$
MEMBER='X-Roles: member'
# a 10,000-record file is ~300 KB: over the default body limit
ZONE_API_MAX_BODY=4194304
ZONE_NATS_TIMEOUT_MS=30000
export ZONE_API_MAX_BODY ZONE_NATS_TIMEOUT_MS

X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" || t_abort 'start named'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1
t_ok 'zone-xfr and zone-notify run' t_running xfr1 notify1 || t_abort 'zone-xfr, zone-notify'

Z=big-$$.example.test.
{
	printf '$ORIGIN %s\n$TTL 300\n' "$Z"
	printf '@ IN SOA ns1.%s hostmaster.%s 1 3600 600 86400 300\n' "$Z" "$Z"
	printf '@ IN NS ns1.%s\n' "$Z"
	awk -v n="$N" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i % 4 == 3)
				printf "t%d IN TXT \"record %d\"\n", i, i
			else
				printf "h%d IN A 10.%d.%d.%d\n", i, int(i / 65536),
				    int(i / 256) % 256, i % 256
		}
	}'
} >"$T/big.zone"
t_diag "zone file: $(wc -l <"$T/big.zone") lines, $(wc -c <"$T/big.zone") bytes"

PROJ=admin-$$
t_is 'an admin raises the quotas of the project' \
    "$(t_req PATCH "/v2/quotas/p4070-$$" '{"zone_recordsets":20000,"zone_records":20000}'; t_json '" \(.zone_recordsets)"')" '200 20000'
PROJ=p4070-$$

t0=$(date +%s%N)
t_is 'POST the import: 202' \
    "$(t_req -H "$MEMBER" -H 'Content-Type: text/dns' POST /v2/zones/tasks/imports "@$T/big.zone")" 202
IID=$(t_json .id)
t1=$(date +%s%N)
t_is 'the import is COMPLETE' \
    "$(t_req -H "$MEMBER" GET "/v2/zones/tasks/imports/$IID"; t_json '" \(.status) \(.message)"')" \
    "200 COMPLETE $Z imported"
ZID=$(t_json .zone_id)
t_ok 'the zone goes ACTIVE within 60 s' t_zone_wait "$ZID" ACTIVE 60
t2=$(date +%s%N)
t_diag "import of $N records: POST answered in $(( (t1 - t0) / 1000000 )) ms, ACTIVE on BIND after $(( (t2 - t0) / 1000000 )) ms"
t_is 'the zone holds N + 2 recordsets' \
    "$(t_req -H "$MEMBER" GET "/v2/zones/$ZID/recordsets?limit=1"; t_json '" \(.metadata.total_count)"')" "200 $((N + 2))"

S=$(t_zone_serial "$ZID")
t_ok "BIND serves serial $S" t_wait_serial "$bind1_PORT" "$Z" "$S" 20
AX=$(dig -p "$bind1_PORT" @127.0.0.1 +time=5 axfr "$Z" | grep -v '^;' | grep -c -v '^$')
t_is 'an AXFR from BIND has N + SOA twice + 2 NS records' "$AX" $((N + 4))
t_is 'BIND answers h0' "$(t_dig "$bind1_PORT" "h0.$Z" A)" 10.0.0.0
t_is 'BIND answers h9998' "$(t_dig "$bind1_PORT" "h9998.$Z" A)" 10.0.39.14
t_is 'BIND answers t9999' "$(t_dig "$bind1_PORT" "t9999.$Z" TXT)" '"record 9999"'
AX=$(dig -p "$X1" @127.0.0.1 +time=5 axfr "$Z" | grep -v '^;' | grep -c -v '^$')
t_is 'zone-xfr serves the same count' "$AX" $((N + 4))

t_ok 'zone-central and zone-api are still up' t_stack_alive
t_done
