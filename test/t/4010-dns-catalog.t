#!/bin/sh
# 4010: catalog zones.  One pool with a catalog zone (RFC 9432 v2) served
# by zone-xfr, and two "catalog" targets: BIND 9 (catalog-zones) and Knot
# (catalog-role: interpret).  1,000 zones created by 8 parallel clients all
# go ACTIVE and are served by both consumers (a sample of 50, and the count
# of members in the catalog zone by AXFR from zone-xfr and from BIND), with
# no per-zone rndc or knotc call (zone-notify's and BIND's logs).
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 13

N=${T_4010_ZONES:-1000}
ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
PROJ=p4010
CAT=catalog.pool.test.

X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" catalog "$CAT" && t_knot knot1 "$X1" catalog "$CAT" ||
    t_abort 'start named and knotd as catalog consumers'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default "catalog=$CAT" \
    catalog-target=bind1 catalog-target=knot1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1
t_ok 'zone-xfr and zone-notify run' t_running xfr1 notify1 ||
    t_abort 'zone-xfr, zone-notify'

# The catalog zone itself, empty at first.
t_ok 'zone-xfr serves the catalog zone' t_wait_serial "$X1" "$CAT" '' 5

# Create N zones with 8 clients.
i=0
while [ "$i" -lt "$N" ]; do
	printf '{"name": "c%d-%d.example.test.", "email": "h@example.test", "ttl": 300}\n' "$i" "$$"
	i=$((i + 1))
done >"$T/bodies"
start=$(date +%s)
xargs -d '\n' -n 1 -P 8 curl -s -g -m 30 -o /dev/null -w '%{http_code}\n' \
    -X POST -H "X-Auth-Project-ID: $PROJ" -H 'Content-Type: application/json' \
    "$ZONE_URL/v2/zones" -d <"$T/bodies" >"$T/codes"
t_is "$N creates accepted" "$(grep -c '^202$' "$T/codes")" "$N"
t_diag "creates took $(( $(date +%s) - start )) s"

# count STATUS: zones of the project with that status.
count() {
	t_req GET "/v2/zones?status=$1&limit=1" >/dev/null
	t_json '.metadata.total_count'
}
w=0
while [ "$(count ACTIVE)" != "$N" ] && [ "$w" -lt 60 ]; do
	sleep 1
	w=$((w + 1))
done
t_is "all $N zones ACTIVE (after $w s)" "$(count ACTIVE)" "$N"
t_diag "ACTIVE after $(( $(date +%s) - start )) s from the first create"

# members PORT: member PTRs of the catalog AXFR from 127.0.0.1@PORT.
members() {
	dig -p "$1" @127.0.0.1 +tries=1 "$CAT" AXFR 2>/dev/null |
	    awk '$4 == "PTR" && $1 ~ /\.zones\./' | wc -l
}
t_is "catalog zone at zone-xfr has $N members" "$(members "$X1")" "$N"
w=0
while [ "$(members "$bind1_PORT")" != "$N" ] && [ "$w" -lt 30 ]; do
	sleep 1
	w=$((w + 1))
done
t_is "catalog zone at BIND has $N members" "$(members "$bind1_PORT")" "$N"

# A sample of 50 zones, each served by both consumers (30 s for all).
shuf -n 50 "$T/bodies" | sed 's/.*"name": "\([^"]*\)".*/\1/' >"$T/sample"
sample_ok() {
	_bad=0
	while read -r z; do
		t_wait_serial "$1" "$z" '' 30 >/dev/null 2>&1 || {
			_bad=$((_bad + 1))
			[ "$_bad" -le 3 ] && t_diag "port $1 does not serve $z"
		}
	done <"$T/sample"
	return "$_bad"
}
t_ok 'BIND serves a sample of 50 zones' sample_ok "$bind1_PORT"
t_ok 'Knot serves a sample of 50 zones' sample_ok "$knot1_PORT"
# Knot does not answer queries for a catalog zone it interprets (REFUSED):
# its serial comes from knotc zone-status.
kserial() {
	t_knotc knot1 zone-status "$CAT" 2>/dev/null |
	    sed -n 's/.*serial: \([0-9]*\).*/\1/p'
}
w=0
while [ "$(kserial)" != "$(t_soa_serial "$X1" "$CAT")" ] && [ "$w" -lt 50 ]; do
	sleep 0.2
	w=$((w + 1))
done
t_is 'Knot has the catalog zone at zone-xfr'"'"'s serial' "$(kserial)" \
    "$(t_soa_serial "$X1" "$CAT")"
t_is 'no rndc or knotc call in the zone-notify log' \
    "$(grep -c -i -E 'rndc|knotc|addzone|conf-set' "$T/notify1.log")" 0
t_is 'BIND got no addzone over rndc' \
    "$(grep -c "command 'addzone" "$T/bind1.log")" 0
t_ok 'zone-xfr and zone-notify still run' t_running xfr1 notify1
t_done
