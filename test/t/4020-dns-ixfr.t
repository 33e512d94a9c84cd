#!/bin/sh
# 4020: updates travel as IXFR.  A pool with a BIND 9 and a Knot target;
# after a zone is ACTIVE, three recordset updates each reach both targets;
# Knot logs them as incoming IXFR, zone-xfr counts IXFR in its SIGUSR1
# stats line, and `dig IXFR=SERIAL' at zone-xfr returns only the
# difference (SOA framing, the old record deleted, the new one added, no
# unchanged records); IXFR at the current serial is one SOA.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 18

ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
PROJ=p4020

X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" && t_knot knot1 "$X1" || t_abort 'start named, knotd'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1 knot=knot1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1
t_ok 'zone-xfr and zone-notify run' t_running xfr1 notify1 ||
    t_abort 'zone-xfr, zone-notify'

Z="ixfr-$$.example.test."
ZID=$(t_zone_create "$Z")
RID=$(t_rrset_create "$ZID" "www.$Z" A 192.0.2.1)
t_ok 'zone ACTIVE' t_zone_wait "$ZID" 'ACTIVE NONE' 20
S=$(t_zone_serial "$ZID")
t_ok 'BIND has it' t_wait_serial "$bind1_PORT" "$Z" "$S" 20
t_ok 'Knot has it' t_wait_serial "$knot1_PORT" "$Z" "$S" 20

prev=$S
for a in 2 3 4; do
	prev=$(t_zone_serial "$ZID")
	t_rrset_update "$ZID" "$RID" "192.0.2.$a" &&
	    t_zone_wait "$ZID" 'ACTIVE NONE' 20
	new=$(t_zone_serial "$ZID")
	ok=0
	t_wait_serial "$bind1_PORT" "$Z" "$new" 20 &&
	    t_wait_serial "$knot1_PORT" "$Z" "$new" 20 &&
	    [ "$(t_dig "$bind1_PORT" "www.$Z" A)" = "192.0.2.$a" ] &&
	    [ "$(t_dig "$knot1_PORT" "www.$Z" A)" = "192.0.2.$a" ] || ok=1
	t_is "update $a (serial $prev -> $new) served by BIND and Knot" "$ok" 0
done

t_ok 'Knot took the updates as IXFR' \
    test "$(grep -c "\[$Z\] IXFR, incoming.*finished" "$T/knot1.log")" -ge 3
grep -E "\[$Z\] (AXFR|IXFR), incoming" "$T/knot1.log" | tail -n 6 | sed 's/^/# /' >&2
t_ok 'Knot never fell back to AXFR after the first transfer' \
    test "$(grep -c "\[$Z\] AXFR, incoming.*finished" "$T/knot1.log")" -le 1
# BIND 9.18 does not name the transfer type at level info; its last
# transfer has 6 records: SOA new, SOA old, A old, SOA new, A new, SOA new
# (an AXFR of this zone has 5: SOA, 2 NS, A, SOA).
t_ok 'BIND took the last update as IXFR (6 records, not the 5 of an AXFR)' \
    sh -c 'grep "transfer of .${1%.}/IN.*Transfer completed" "$2" | tail -n 1 |
	grep -q " 6 records"' sh "$Z" "$T/bind1.log"
grep -E "transfer of '${Z%.}" "$T/bind1.log" | tail -n 4 | sed 's/^/# /' >&2

# zone-xfr's stats line on SIGUSR1: an IXFR counter above 0.
n0=$(wc -l <"$T/xfr1.log")
kill -USR1 "$(t_pid xfr1)"
sleep 0.5
tail -n +"$((n0 + 1))" "$T/xfr1.log" >"$T/stats"
sed 's/^/# /' "$T/stats" >&2
ixfr=$(grep -o -i -E 'ixfr[a-z_]*[=:" ]+[0-9]+' "$T/stats" | head -n 1 |
    grep -o -E '[0-9]+$')
t_ok "zone-xfr's USR1 stats count IXFR answers (${ixfr:-none})" \
    test "${ixfr:-0}" -ge 3

# dig IXFR=prev: only the last change.
dig -p "$X1" @127.0.0.1 +tries=1 +nocmd +nocomments +nostats \
    "$Z" "IXFR=$prev" >"$T/ixfr" 2>&1
sed 's/^/# /' "$T/ixfr" >&2
awk '!/^;/ && NF >= 5 { print $4, ($4 == "SOA" ? $7 : $5) }' "$T/ixfr" >"$T/ixfr.rr"
t_is 'IXFR starts and ends with the new SOA' \
    "$(head -n 1 "$T/ixfr.rr") $(tail -n 1 "$T/ixfr.rr")" "SOA $new SOA $new"
t_is 'IXFR holds the old SOA, the old record, the new SOA, the new record' \
    "$(sed '1d;$d' "$T/ixfr.rr" | tr '\n' ' ')" \
    "SOA $prev A 192.0.2.3 SOA $new A 192.0.2.4 "
t_is 'IXFR holds no unchanged record (NS)' "$(grep -c '^NS ' "$T/ixfr.rr")" 0

dig -p "$X1" @127.0.0.1 +tries=1 +nocmd +nocomments +nostats \
    "$Z" "IXFR=$new" >"$T/ixfr2" 2>&1
t_is 'IXFR at the current serial: one SOA' \
    "$(awk '!/^;/ && NF >= 5 { print $4, $7 }' "$T/ixfr2" | tr '\n' ' ')" "SOA $new "

S0=$S
dig -p "$X1" @127.0.0.1 +tries=1 +nocmd +nocomments +nostats \
    "$Z" "IXFR=$S0" >"$T/ixfr3" 2>&1
a3=$(awk '!/^;/ && NF >= 5 && $4 == "A" { print $5 }' "$T/ixfr3" | sort -u | tr '\n' ' ')
case $a3 in
"192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4 " | "192.0.2.1 192.0.2.4 ") ok=0 ;;
*) ok=1 ;;
esac
t_is "IXFR from the first serial: the changes since, each or condensed ($a3)" "$ok" 0
t_ok 'zone-xfr and zone-notify still run' t_running xfr1 notify1
t_done
