#!/bin/sh
# 4030: TSIG.  A pool whose targets have a tsigkey (hmac-sha256): BIND 9
# (bind9 backend; the key is defined in named.conf, zone-notify's addzone
# names it in the primaries), Knot (knot backend; the zone-xfr remote has
# the key) and a BIND catalog consumer whose default-primaries carry the
# key (the catalog zone has the same key).  zone-xfr refuses a transfer
# without the key or with a wrong one; with it (dig -y) it works; every
# target gets the zone.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 14

ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
PROJ=p4030
CAT=catalog.tsig.test.
TSIG_NAME=xfr-key
TSIG_ALG=hmac-sha256
TSIG_SECRET=$(head -c 32 /dev/urandom | base64)
export TSIG_NAME TSIG_ALG TSIG_SECRET
KEY=$TSIG_NAME:$TSIG_ALG:$TSIG_SECRET
DIGKEY=$TSIG_ALG:$TSIG_NAME:$TSIG_SECRET
WRONG=$TSIG_ALG:$TSIG_NAME:$(head -c 32 /dev/urandom | base64)

X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" && t_knot knot1 "$X1" &&
    t_named bcat "$X1" catalog "$CAT" || t_abort 'start named, knotd'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default "tsig=$KEY" "catalog=$CAT" \
    bind9=bind1 knot=knot1 catalog-target=bcat
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1
t_ok 'zone-xfr and zone-notify run' t_running xfr1 notify1 ||
    t_abort 'zone-xfr, zone-notify'

Z="tsig-$$.example.test."
ZID=$(t_zone_create "$Z")
t_rrset_create "$ZID" "www.$Z" A 192.0.2.7 >/dev/null
t_ok 'zone ACTIVE' t_zone_wait "$ZID" 'ACTIVE NONE' 20
S=$(t_zone_serial "$ZID")

# axfr ZONE [-y KEY]: "RCODE SOA-COUNT" of an AXFR from zone-xfr.
axfr() {
	_z=$1
	shift
	dig -p "$X1" @127.0.0.1 +tries=1 +time=2 "$@" "$_z" AXFR >"$T/axfr" 2>&1
	_n=$(awk '!/^;/ && $4 == "SOA"' "$T/axfr" | wc -l)
	if [ "$_n" -ge 2 ]; then
		echo "ok $_n"
	else
		_r=$(sed -n 's/.*Transfer failed.*/failed/p; s/.*status: \([A-Z]*\),.*/\1/p' "$T/axfr" | head -n 1)
		echo "${_r:-failed} $_n"
	fi
}
a=$(axfr "$Z")
case $a in
ok*) ok=1 ;;
*) ok=0 ;;
esac
t_is "AXFR without the key is refused ($a)" "$ok" 0
a=$(axfr "$Z" -y "$WRONG")
case $a in
ok*) ok=1 ;;
*) ok=0 ;;
esac
t_is "AXFR with a wrong secret is refused ($a)" "$ok" 0
t_is 'AXFR with the key works' "$(axfr "$Z" -y "$DIGKEY")" 'ok 2'
t_ok 'the signed AXFR carries the record' grep -q '192.0.2.7' "$T/axfr"
a=$(axfr "$CAT")
case $a in
ok*) ok=1 ;;
*) ok=0 ;;
esac
t_is "catalog AXFR without the key is refused ($a)" "$ok" 0
t_is 'catalog AXFR with the key works' "$(axfr "$CAT" -y "$DIGKEY")" 'ok 2'

t_ok "BIND (addzone, key in primaries) serves serial $S" \
    t_wait_serial "$bind1_PORT" "$Z" "$S" 20
t_ok "Knot (remote with key) serves serial $S" \
    t_wait_serial "$knot1_PORT" "$Z" "$S" 20
t_ok "BIND catalog consumer (key in default-primaries) serves serial $S" \
    t_wait_serial "$bcat_PORT" "$Z" "$S" 20
t_is 'and the record' "$(t_dig "$bcat_PORT" "www.$Z" A)" 192.0.2.7
t_ok 'zone-xfr and zone-notify still run' t_running xfr1 notify1
t_done
