#!/bin/sh
# 4001: the DNS server helpers of test/dns.sh on their own, without any
# zone daemon: an NSD primary serves two zones and a catalog zone (RFC 9432
# v2); BIND, Knot, NSD and PowerDNS secondaries started by t_named, t_knot,
# t_nsd and t_pdns take a zone the way zone-notify adds it (rndc addzone,
# knotc conf-set, nsd-control addzone, the PowerDNS API), follow a NOTIFY
# to a new serial, drop it again;
# BIND and Knot in catalog mode serve the catalog's members; with a TSIG
# key the primary refuses unsigned transfers and the secondaries use it.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 35

Z=helper.test.
CAT=cat.helper.test.

# zone_file NAME SERIAL ADDR: a small zone.
zone_file() {
	cat <<EOF
\$TTL 300
$1 IN SOA ns1.example.net. hostmaster.example.net. $2 60 30 3600 60
$1 IN NS ns1.example.net.
www.$1 IN A $3
EOF
}

# catalog_file SERIAL MEMBER...: an RFC 9432 version 2 catalog zone.
catalog_file() {
	_s=$1
	shift
	cat <<EOF
\$TTL 0
$CAT IN SOA invalid. invalid. $_s 60 30 3600 0
$CAT IN NS invalid.
version.$CAT IN TXT "2"
EOF
	_i=0
	for _m in "$@"; do
		_i=$((_i + 1))
		echo "m$_i.zones.$CAT IN PTR $_m"
	done
}

mkdir -p "$T/zones"
zone_file "$Z" 1 192.0.2.1 >"$T/zones/helper.zone"
zone_file "m1.helper.test." 7 192.0.2.11 >"$T/zones/m1.zone"
zone_file "m2.helper.test." 8 192.0.2.12 >"$T/zones/m2.zone"
catalog_file 1 m1.helper.test. m2.helper.test. >"$T/zones/cat.zone"

T_NSD_EXTRA="
pattern:
	name: primary
	provide-xfr: 127.0.0.1 NOKEY
zone:
	name: $Z
	zonefile: $T/zones/helper.zone
	include-pattern: primary
zone:
	name: m1.helper.test.
	zonefile: $T/zones/m1.zone
	include-pattern: primary
zone:
	name: m2.helper.test.
	zonefile: $T/zones/m2.zone
	include-pattern: primary
zone:
	name: $CAT
	zonefile: $T/zones/cat.zone
	include-pattern: primary
"
t_ok 'NSD primary (t_nsd) serves the test zones' t_nsd prim 9 ||
    t_abort 'no primary'
T_NSD_EXTRA=
t_ok 'primary answers with the zone' t_wait_serial "$prim_PORT" "$Z" 1 5

t_ok 't_named starts BIND' t_named bind1 "$prim_PORT" || t_abort 'no named'
t_ok 't_knot starts Knot' t_knot knot1 "$prim_PORT" || t_abort 'no knotd'
t_ok 't_nsd starts NSD (two masters)' t_nsd nsd1 "$prim_PORT,$(t_port)" || t_abort 'no nsd'
t_ok 't_pdns starts PowerDNS' t_pdns pdns1 || t_abort 'no pdns_server'

# The way zone-notify adds a secondary zone to each backend.
t_ok 'rndc addzone' t_rndc bind1 addzone "$Z" \
    "{ type secondary; primaries { 127.0.0.1 port $prim_PORT; }; file \"helper.db\"; };"
t_ok 'knotc conf-set zone' sh -c '
	knotc -s "$1" conf-begin &&
	knotc -s "$1" conf-set "zone[$2]" &&
	knotc -s "$1" conf-set "zone[$2].master" zone-xfr &&
	knotc -s "$1" conf-commit' sh "$knot1_SOCKET" "$Z"
t_ok 'nsd-control addzone' t_nsdc nsd1 addzone "$Z" zone-xfr
t_is 'PowerDNS API creates a Slave zone' "$(t_pdns_api pdns1 POST /zones \
    "{\"name\": \"$Z\", \"kind\": \"Slave\", \"masters\": [\"127.0.0.1:$prim_PORT\"]}")" 201
for s in bind1 knot1 nsd1 pdns1; do
	eval "p=\$${s}_PORT"
	t_ok "$s serves $Z serial 1" t_wait_serial "$p" "$Z" 1 10
done

# A new serial on the primary, then a NOTIFY from 127.0.0.1 (as zone-notify
# sends it) to each secondary.
zone_file "$Z" 2 192.0.2.2 >"$T/zones/helper.zone"
t_nsdc prim reload "$Z" >/dev/null
t_wait_serial "$prim_PORT" "$Z" 2 5
for s in bind1 knot1 nsd1 pdns1; do
	eval "p=\$${s}_PORT"
	dig -p "$p" @127.0.0.1 +opcode=notify +norec +time=1 +tries=2 \
	    "$Z" SOA >/dev/null 2>&1
	t_ok "$s follows a NOTIFY to serial 2" t_wait_serial "$p" "$Z" 2 10
	t_is "$s serves the new record" \
	    "$(dig -p "$p" @127.0.0.1 +short "www.$Z" A)" 192.0.2.2
done

# Removal, the way zone-notify deletes.
t_rndc bind1 delzone "$Z" >/dev/null
sh -c 'knotc -s "$1" conf-begin && knotc -s "$1" conf-unset "zone[$2]" &&
    knotc -s "$1" conf-commit' sh "$knot1_SOCKET" "$Z" >/dev/null
t_nsdc nsd1 delzone "$Z" >/dev/null
t_pdns_api pdns1 DELETE "/zones/$Z" >/dev/null
for s in bind1 knot1 nsd1 pdns1; do
	eval "p=\$${s}_PORT"
	t_ok "$s no longer serves $Z ($(t_rcode "$p" "$Z"))" t_wait_gone "$p" "$Z" 10
done

# Stop and restart, same ports and state (the zone added again first).
t_rndc bind1 addzone "$Z" \
    "{ type secondary; primaries { 127.0.0.1 port $prim_PORT; }; file \"helper2.db\"; };" >/dev/null
t_wait_serial "$bind1_PORT" "$Z" 2 10
t_dns_stop bind1
t_ok 't_dns_stop / t_dns_restart of BIND' t_dns_restart bind1
t_ok 'BIND serves the rndc-added zone after the restart' \
    t_wait_serial "$bind1_PORT" "$Z" 2 10

# Catalog consumers.
dead=$(t_port)
t_ok 't_named in catalog mode (two masters)' t_named bcat "$prim_PORT,$dead" catalog "$CAT"
t_ok 't_knot in catalog mode (two masters)' t_knot kcat "$prim_PORT,$dead" catalog "$CAT"
ok=0
for s in bcat kcat; do
	eval "p=\$${s}_PORT"
	t_wait_serial "$p" m1.helper.test. 7 15 &&
	    t_wait_serial "$p" m2.helper.test. 8 15 || ok=1
done
t_is 'both consumers serve both catalog members' "$ok" 0

# TSIG: a primary that provides only to the key.
TSIG_NAME=xfr-key
TSIG_ALG=hmac-sha256
TSIG_SECRET=$(head -c 32 /dev/urandom | base64)
export TSIG_NAME TSIG_ALG TSIG_SECRET
T_NSD_EXTRA="
zone:
	name: $Z
	zonefile: $T/zones/helper.zone
	provide-xfr: 127.0.0.1 $TSIG_NAME
"
t_ok 'NSD primary with a TSIG key' t_nsd kprim 9 || t_abort 'no primary'
T_NSD_EXTRA=
t_is 'unsigned AXFR is refused' \
    "$(dig -p "$kprim_PORT" @127.0.0.1 +tries=1 "$Z" AXFR | grep -c 'IN	SOA')" 0
t_is 'signed AXFR works' \
    "$(dig -p "$kprim_PORT" @127.0.0.1 +tries=1 \
	-y "$TSIG_ALG:$TSIG_NAME:$TSIG_SECRET" "$Z" AXFR | grep -c 'IN	SOA')" 2
t_named bkey "$kprim_PORT" catalog "$CAT" || t_abort 'no named with key'
t_knot kkey "$kprim_PORT" || t_abort 'no knotd with key'
t_rndc bkey addzone "$Z" \
    "{ type secondary; primaries { 127.0.0.1 port $kprim_PORT key \"$TSIG_NAME\"; }; file \"helper.db\"; };" \
    >/dev/null
sh -c 'knotc -s "$1" conf-begin && knotc -s "$1" conf-set "zone[$2]" &&
    knotc -s "$1" conf-commit' sh "$kkey_SOCKET" "$Z" >/dev/null
ok=0
t_wait_serial "$bkey_PORT" "$Z" 2 10 || ok=1
t_wait_serial "$kkey_PORT" "$Z" 2 10 || ok=1
t_is 'BIND and Knot transfer with the key' "$ok" 0

t_done
