#!/bin/sh
# 4002: the example configurations in share/zone/examples work.  Each is
# copied with its paths moved under $T and its ports (53, 953, 8081, and
# zone-xfr's 5354) replaced by free ones; "zone-xfr" is an NSD primary
# serving a zone and a catalog zone named as in the examples.  named.conf
# and knot.conf run with their catalog blocks uncommented and serve the
# catalog's member; nsd.conf takes `nsd-control addzone NAME zone-xfr';
# pdns.conf takes a Slave zone through its API; pools.yaml is accepted by
# zone-manage pool update.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

EX=${0%/*}/../../share/zone/examples
t_plan 12

Z=member.example.test.
CAT=catalog.example.net.
E=$T/ex
mkdir -p "$E/zones" "$E/bind" "$E/knot/zones" "$E/nsd" "$E/run" "$E/pdns"
cat >"$E/zones/member.zone" <<ZF
\$TTL 300
$Z IN SOA ns1.example.net. hostmaster.example.net. 3 60 30 3600 60
$Z IN NS ns1.example.net.
www.$Z IN A 192.0.2.33
ZF
cat >"$E/zones/cat.zone" <<ZF
\$TTL 0
$CAT IN SOA invalid. invalid. 1 60 30 3600 0
$CAT IN NS invalid.
version.$CAT IN TXT "2"
m1.zones.$CAT IN PTR $Z
ZF
T_NSD_EXTRA="
zone:
	name: $Z
	zonefile: $E/zones/member.zone
	provide-xfr: 127.0.0.1 NOKEY
zone:
	name: $CAT
	zonefile: $E/zones/cat.zone
	provide-xfr: 127.0.0.1 NOKEY
"
t_nsd xfr 9 || t_abort 'start the NSD primary standing in for zone-xfr'
T_NSD_EXTRA=
M=$xfr_PORT

# --- named.conf
P=$(t_port)
R=$(t_port)
rndc-confgen -a -k zone-rndc -c "$E/zone-rndc.key" -A hmac-sha256 >/dev/null 2>&1
sed -e "s|/etc/bind/zone-rndc.key|$E/zone-rndc.key|" \
    -e "s|\"/var/cache/bind\";|\"$E/bind\"; pid-file \"$E/bind/named.pid\"; session-keyfile \"$E/bind/session.key\";|" \
    -e "s|port 953|port $R|" -e "s|port 53 { any; }|port $P { 127.0.0.1; }|" \
    -e "s|port 5354|port $M|g" \
    -e '/\/\/ catalog-zones {/,/\/\/ };/s|^\([ \t]*\)// \{0,1\}|\1|' \
    -e '/\/\/ zone "catalog.example.net." {/,/\/\/ };/s|^\([ \t]*\)// \{0,1\}|\1|' \
    "$EX/named.conf" >"$E/named.conf"
t_ok 'named.conf passes named-checkconf' named-checkconf "$E/named.conf"
named -g -c "$E/named.conf" </dev/null >>"$T/named.log" 2>&1 &
echo $! >"$T/named.pid"
t_ok 'named runs from it (rndc status)' _t_dns_wait named 150 \
    rndc -s 127.0.0.1 -p "$R" -k "$E/zone-rndc.key" status
t_ok 'named serves the catalog member' t_wait_serial "$P" "$Z" 3 15

# --- knot.conf
KP=$(t_port)
sed -e "s|/run/knot|$E/run|g" -e "s|/var/lib/knot|$E/knot|g" \
    -e "s|0.0.0.0@53|127.0.0.1@$KP|" -e "s|@5354|@$M|g" \
    -e "s|target: syslog|target: stderr|" \
    -e '/^# zone:/,$s|^# \{0,1\}||' \
    "$EX/knot.conf" >"$E/knot.conf"
t_ok 'knot.conf passes knotc conf-check' knotc -c "$E/knot.conf" conf-check
knotc -C "$E/knot/confdb" conf-import "$E/knot.conf" >/dev/null 2>&1
knotd -C "$E/knot/confdb" </dev/null >>"$T/knotd.log" 2>&1 &
echo $! >"$T/knotd.pid"
t_ok 'knotd runs from its confdb' _t_dns_wait knotd 100 knotc -s "$E/run/knot.sock" status
t_ok 'Knot serves the catalog member' t_wait_serial "$KP" "$Z" 3 15

# --- nsd.conf
NP=$(t_port)
sed -e "s|/var/lib/nsd|$E/nsd|g" -e "s|/run/nsd|$E/run|g" \
    -e "s|ip-address: 0.0.0.0|ip-address: 127.0.0.1\n\tusername: \"\"\n\tpidfile: \"$E/run/nsd.pid\"|" \
    -e "s|port: 53|port: $NP|" -e "s|@5354|@$M|g" \
    "$EX/nsd.conf" >"$E/nsd.conf"
t_ok 'nsd.conf passes nsd-checkconf' nsd-checkconf "$E/nsd.conf"
nsd -d -c "$E/nsd.conf" </dev/null >>"$T/nsd.log" 2>&1 &
echo $! >"$T/nsd.pid"
_t_dns_wait nsd 100 nsd-control -c "$E/nsd.conf" status
t_ok 'nsd-control addzone NAME zone-xfr' nsd-control -c "$E/nsd.conf" addzone "$Z" zone-xfr
t_ok 'NSD serves the zone' t_wait_serial "$NP" "$Z" 3 10

# --- pdns.conf
DP=$(t_port)
AP=$(t_port)
sqlite3 "$E/pdns/pdns.sqlite3" </usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql
sed -e "s|/var/lib/powerdns|$E/pdns|g" -e "s|local-address=0.0.0.0|local-address=127.0.0.1|" \
    -e "s|local-port=53|local-port=$DP|" -e "s|webserver-port=8081|webserver-port=$AP|" \
    "$EX/pdns.conf" >"$E/pdns/pdns.conf"
printf 'socket-dir=%s\nsetuid=\nsetgid=\ndaemon=no\nguardian=no\n' "$E/pdns" >>"$E/pdns/pdns.conf"
pdns_server --config-dir="$E/pdns" </dev/null >>"$T/pdns.log" 2>&1 &
echo $! >"$T/pdns.pid"
_t_dns_wait pdns 100 curl -sf -m 1 -H 'X-API-Key: change-me' \
    "http://127.0.0.1:$AP/api/v1/servers/localhost"
t_is 'PowerDNS API creates the Slave zone' "$(curl -s -m 10 -o /dev/null -w '%{http_code}' \
    -X POST -H 'X-API-Key: change-me' -H 'Content-Type: application/json' \
    --data-binary "{\"name\": \"$Z\", \"kind\": \"Slave\", \"masters\": [\"127.0.0.1:$M\"]}" \
    "http://127.0.0.1:$AP/api/v1/servers/localhost/zones")" 201
t_ok 'PowerDNS serves the zone' t_wait_serial "$DP" "$Z" 3 15

# --- pools.yaml
t_nats || t_abort 'start nats-server'
ZONE_DB_PATH=$T/db
export ZONE_DB_PATH
mkdir -p "$ZONE_DB_PATH"
zone-manage init >/dev/null 2>&1
t_ok 'zone-manage pool update takes pools.yaml' t_pool_update "$EX/pools.yaml"
t_done
