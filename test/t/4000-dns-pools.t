#!/bin/sh
# 4000: zones reach real DNS servers.  Pool "default": a BIND 9 target
# (bind9 backend, rndc addzone) and a Knot target (knot backend, knotc);
# pool "second": an NSD target (nsd backend, nsd-control).  Two zone-xfr
# copies (two ports, both masters of every target) and two zone-notify
# copies.  A zone created through the API goes ACTIVE, every target of its
# pool serves its serial and records, an updated recordset reaches every
# target, and a deleted zone is dropped by every target and gives 404.
# Zones go to central.default_pool_id, so the second pool is reached by
# restarting zone-central with ZONE_CENTRAL_DEFAULT_POOL_ID set to it.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 31

ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
PROJ=p4000
POOL2=00000002-0000-4000-8000-000000000002

X1=$(t_port)
X2=$(t_port)
XFR_PORTS="$X1 $X2"
t_named bind1 "$X1,$X2" && t_knot knot1 "$X1,$X2" && t_nsd nsd1 "$X1,$X2" ||
    t_abort 'start named, knotd, nsd'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1 knot=knot1 \
    pool=second "id=$POOL2" nsd=nsd1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_xfr xfr2 "$X2"
t_notify notify1
t_notify notify2
t_ok 'two zone-xfr and two zone-notify copies run' \
    t_running xfr1 xfr2 notify1 notify2 || t_abort 'zone-xfr, zone-notify'

# check_served PORT ZONE SERIAL WANT_A: SOA serial >= SERIAL and www A.
check_served() {
	t_wait_serial "$1" "$2" "$3" 20 || return 1
	_got=$(t_dig "$1" "www.$2" A)
	[ "$_got" = "$4" ] || { t_diag "port $1 www.$2: '$_got', wanted '$4'"; return 1; }
}

# --- pool default: BIND and Knot
Z1="pools-$$.example.test."
ZID1=$(t_zone_create "$Z1")
t_ok 'zone created (default pool)' test -n "$ZID1"
RID1=$(t_rrset_create "$ZID1" "www.$Z1" A 192.0.2.1)
t_ok 'recordset created' test -n "$RID1"
t_ok 'zone goes ACTIVE within 20 s' t_zone_wait "$ZID1" ACTIVE 20
S1=$(t_zone_serial "$ZID1")
t_ok 'zone-xfr 1 serves the zone' check_served "$X1" "$Z1" "$S1" 192.0.2.1
t_ok 'zone-xfr 2 serves the zone' check_served "$X2" "$Z1" "$S1" 192.0.2.1
t_ok "BIND serves serial $S1 and the record" check_served "$bind1_PORT" "$Z1" "$S1" 192.0.2.1
t_ok "Knot serves serial $S1 and the record" check_served "$knot1_PORT" "$Z1" "$S1" 192.0.2.1
t_is 'NSD (other pool) does not serve it' "$(t_soa_serial "$nsd1_PORT" "$Z1")" ''
t_is 'BIND serves the NS records' "$(t_dig "$bind1_PORT" "$Z1" NS)" \
    'ns1.example.net. ns2.example.net.'

t_ok 'recordset updated' t_rrset_update "$ZID1" "$RID1" 192.0.2.2 192.0.2.3
t_ok 'zone ACTIVE again' t_zone_wait "$ZID1" 'ACTIVE NONE' 20
S1b=$(t_zone_serial "$ZID1")
t_ok "serial went up ($S1 -> $S1b)" test "$S1b" -gt "$S1"
t_ok 'BIND serves the update' check_served "$bind1_PORT" "$Z1" "$S1b" '192.0.2.2 192.0.2.3'
t_ok 'Knot serves the update' check_served "$knot1_PORT" "$Z1" "$S1b" '192.0.2.2 192.0.2.3'

# --- pool second: NSD
t_stop central1
t_ok 'zone-central restarted with the second pool as default' \
    t_start central1 env ZONE_CENTRAL_DEFAULT_POOL_ID=$POOL2 zone-central
Z2="second-$$.example.test."
ZID2=$(t_zone_create "$Z2")
RID2=$(t_rrset_create "$ZID2" "www.$Z2" A 192.0.2.9)
t_is 'zone of the second pool' "$(t_req GET "/v2/zones/$ZID2" >/dev/null; t_json .pool_id)" "$POOL2"
t_ok 'it goes ACTIVE' t_zone_wait "$ZID2" ACTIVE 20
S2=$(t_zone_serial "$ZID2")
t_ok "NSD serves serial $S2 and the record" check_served "$nsd1_PORT" "$Z2" "$S2" 192.0.2.9
t_is 'BIND (other pool) does not serve it' "$(t_soa_serial "$bind1_PORT" "$Z2")" ''
t_ok 'recordset updated' t_rrset_update "$ZID2" "$RID2" 192.0.2.10
t_ok 'ACTIVE again' t_zone_wait "$ZID2" 'ACTIVE NONE' 20
t_ok 'NSD serves the update' check_served "$nsd1_PORT" "$Z2" "$(t_zone_serial "$ZID2")" 192.0.2.10

# --- deletes
t_is 'delete zone 1' "$(t_req DELETE "/v2/zones/$ZID1")" 202
t_is 'delete zone 2' "$(t_req DELETE "/v2/zones/$ZID2")" 202
t_ok 'zone 1 gives 404' t_zone_wait "$ZID1" 404 20
t_ok 'zone 2 gives 404' t_zone_wait "$ZID2" 404 20
gone() {
	t_wait_gone "$1" "$2" 10 || return 1
	case $(t_rcode "$1" "$2") in
	REFUSED | NOTAUTH) return 0 ;;
	*) t_diag "port $1 $2: $(t_rcode "$1" "$2")"; return 1 ;;
	esac
}
t_ok 'BIND: REFUSED or NOTAUTH' gone "$bind1_PORT" "$Z1"
t_ok 'Knot: REFUSED or NOTAUTH' gone "$knot1_PORT" "$Z1"
t_ok 'NSD: REFUSED or NOTAUTH' gone "$nsd1_PORT" "$Z2"

t_running xfr1 xfr2 notify1 notify2 || true
t_done
