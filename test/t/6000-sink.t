#!/bin/sh
# 6000: zone-sink turns Nova and Neutron notifications published on NATS
# into managed records that the API lists and BIND answers; delete events
# remove them, a replayed event changes nothing, users cannot edit the
# records without X-Designate-Edit-Managed-Records, two copies share the
# events (each handled once), a malformed event is logged and skipped,
# and zone-sink -p ends with exit 65 after a bad line.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 57

D=${0%.t}.d
PROJ=p6000
N=20		# events for the two copies to share

# t_pub SUBJECT FILE: publish each line of FILE as one NATS message (the
# raw client protocol; a PING/PONG round trip makes sure the server has
# them all).
t_pub() {
	python3 - "$NATS_PORT" "$1" "$2" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rb")
if not f.readline().startswith(b"INFO"):
    sys.exit(1)
s.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\n')
subject = sys.argv[2].encode()
with open(sys.argv[3], "rb") as fp:
    for line in fp:
        line = line.rstrip(b"\r\n")
        if line:
            s.sendall(b"PUB %s %d\r\n%s\r\n" % (subject, len(line), line))
s.sendall(b"PING\r\n")
while True:
    l = f.readline()
    if not l or l.startswith(b"-ERR"):
        sys.exit(1)
    if l.startswith(b"PONG"):
        break
EOF
}

# handled: event=sink.handled lines in both copies' logs.
handled() {
	cat "$T/sink1.log" "$T/sink2.log" 2>/dev/null |
	    grep -c 'event=sink.handled'
}

# wait_handled N: until there are N (10 s).
wait_handled() {
	_h=0
	while [ "$(handled)" -lt "$1" ]; do
		[ "$_h" -ge 100 ] && { t_diag "handled $(handled), wanted $1"; return 1; }
		sleep 0.1
		_h=$((_h + 1))
	done
}

# wait_dig NAME TYPE WANT: until BIND answers WANT ("" = nothing) (20 s).
wait_dig() {
	_w=0
	while [ "$(t_dig "$bind1_PORT" "$1" "$2")" != "$3" ]; do
		if [ "$_w" -ge 200 ]; then
			t_diag "BIND: $1 $2 is '$(t_dig "$bind1_PORT" "$1" "$2")', wanted '$3'"
			return 1
		fi
		sleep 0.1
		_w=$((_w + 1))
	done
}

# rrset NAME TYPE FILTER: jq FILTER on the API's recordset NAME TYPE
# ("none" when there is none).
rrset() {
	t_req GET "/v2/zones/$ZID/recordsets?name=$1&type=$2" >/dev/null
	t_json "if (.recordsets | length) == 0 then \"none\" else .recordsets[0] | $3 end"
}

X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" || t_abort 'start named'
t_stack 2 1 || t_abort 'start nats-server, 2 zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_notify notify1
t_ok 'zone-xfr and zone-notify run' t_running xfr1 notify1 ||
    t_abort 'zone-xfr, zone-notify'

Z="sink-$$.example.test."
ZID=$(t_zone_create "$Z")
t_ok 'zone created' test -n "$ZID" || t_abort 'zone create'
t_ok 'the zone goes ACTIVE' t_zone_wait "$ZID" ACTIVE 30

# ----------------------------------------------------------- start-up
ZONE_SINK_NOVA_FIXED_ZONE_ID=$ZID
ZONE_SINK_NEUTRON_FLOATINGIP_ZONE_ID=$ZID
ZONE_SINK_SUBJECTS='notifications.nova notifications.neutron'
export ZONE_SINK_NOVA_FIXED_ZONE_ID ZONE_SINK_NEUTRON_FLOATINGIP_ZONE_ID \
    ZONE_SINK_SUBJECTS
t_ok 'zone-sink -n prints the [sink] keys' sh -c \
    "zone-sink -n | grep -qx 'sink.nova_fixed_zone_id=$ZID'"
t_fails_with 78 'a bad name format is exit 78' sh -c \
    "ZONE_SINK_NOVA_FIXED_FORMATV4='%(hostname)d.%(zone)s' zone-sink -n 2>&1"
t_fails_with 64 'an unknown flag is exit 64' sh -c 'zone-sink -x 2>&1'
t_start sink1 zone-sink && t_start sink2 zone-sink
t_ok 'two zone-sink copies run' t_running sink1 sink2 || t_abort 'zone-sink'

# ----------------------------------------------------------- nova
t_ok 'publish compute.instance.create.end' \
    t_pub notifications.nova "$D/nova-create.json"
t_ok 'BIND answers web1 A' wait_dig "web1.$Z" A 10.0.0.5
t_ok 'BIND answers web1 AAAA' wait_dig "web1.$Z" AAAA 2001:db8::5
t_is 'the API lists web1 A' "$(rrset "web1.$Z" A '.records | join(",")')" \
    10.0.0.5
t_is 'the API lists web1 AAAA' "$(rrset "web1.$Z" AAAA '.records | join(",")')" \
    2001:db8::5
t_is 'the recordset belongs to the zone project' \
    "$(rrset "web1.$Z" A .project_id)" "$PROJ"
t_ok 'a sink.handled line names zone, event type, name and action' \
    grep -q "event=sink.handled zone=$Z event_type=compute.instance.create.end handler=nova_fixed action=set name=web1.$Z type=A" \
    "$T/sink1.log" "$T/sink2.log"

# replayed: nothing changes
t_ok 'the zone is ACTIVE again' t_zone_wait "$ZID" ACTIVE 30
S1=$(t_zone_serial "$ZID")
V1=$(rrset "web1.$Z" A .version)
H0=$(handled)
t_ok 'publish the same event again' \
    t_pub notifications.nova "$D/nova-create.json"
t_ok 'it is handled' wait_handled $((H0 + 2))
sleep 1
t_is 'the zone serial did not change' "$(t_zone_serial "$ZID")" "$S1"
t_is 'the recordset version did not change' "$(rrset "web1.$Z" A .version)" "$V1"

# managed: 400 for users, allowed with the header (admin)
RID=$(rrset "web1.$Z" A .id)
t_err 400 bad_request 'PUT of a managed recordset without the header is 400' \
    PUT "/v2/zones/$ZID/recordsets/$RID" '{"records":["10.9.9.9"]}'
t_err 400 bad_request 'DELETE of a managed recordset without the header is 400' \
    DELETE "/v2/zones/$ZID/recordsets/$RID"
t_err 403 forbidden 'the header is for admins only' \
    -H 'X-Roles: member' -H 'X-Designate-Edit-Managed-Records: true' \
    PUT "/v2/zones/$ZID/recordsets/$RID" '{"ttl":600}'
t_is 'an admin with the header may change it' "$(t_req \
    -H 'X-Designate-Edit-Managed-Records: true' \
    PUT "/v2/zones/$ZID/recordsets/$RID" '{"ttl":600}')" 202

# deleted
t_ok 'publish compute.instance.delete.start' \
    t_pub notifications.nova "$D/nova-delete.json"
t_ok 'BIND no longer answers web1 A' wait_dig "web1.$Z" A ''
t_ok 'nor web1 AAAA' wait_dig "web1.$Z" AAAA ''
t_is 'the API lists neither' \
    "$(rrset "web1.$Z" A .id) $(rrset "web1.$Z" AAAA .id)" 'none none'

# ----------------------------------------------------------- neutron
FIP="203-0-113-7.$Z"
t_ok 'publish floatingip.update.end (associate, oslo 2.0 envelope)' \
    t_pub notifications.neutron "$D/fip-associate.json"
t_ok 'BIND answers the floating IP name' wait_dig "$FIP" A 203.0.113.7
t_is 'the API lists it' "$(rrset "$FIP" A '.records | join(",")')" 203.0.113.7
t_ok 'publish floatingip.update.end (disassociate)' \
    t_pub notifications.neutron "$D/fip-disassociate.json"
t_ok 'the name is gone from BIND' wait_dig "$FIP" A ''
t_ok 'associated again' t_pub notifications.neutron "$D/fip-associate.json"
t_ok 'BIND answers it again' wait_dig "$FIP" A 203.0.113.7
t_ok 'publish floatingip.delete.end' \
    t_pub notifications.neutron "$D/fip-delete.json"
t_ok 'the name is gone again' wait_dig "$FIP" A ''
t_is 'and the API lists nothing' "$(rrset "$FIP" A .id)" none

# ----------------------------------------------------------- two copies
i=1
while [ "$i" -le "$N" ]; do
	printf '{"event_type":"compute.instance.create.end","message_id":"m-%d","payload":{"instance_id":"inst-%d","hostname":"host%d","tenant_id":"p6000","fixed_ips":[{"address":"10.1.0.%d","version":4,"label":"private"}]}}\n' \
	    "$i" "$i" "$i" "$i"
	i=$((i + 1))
done >"$T/many.jsonl"
H0=$(handled)
H1=$(grep -c event=sink.handled "$T/sink1.log")
H2=$(grep -c event=sink.handled "$T/sink2.log")
t_ok "publish $N events" t_pub notifications.nova "$T/many.jsonl"
wait_handled $((H0 + N))
sleep 1
t_is "each of the $N events is handled once" "$(handled)" $((H0 + N))
t_ok 'both copies handled some' test \
    "$(grep -c event=sink.handled "$T/sink1.log")" -gt "$H1" -a \
    "$(grep -c event=sink.handled "$T/sink2.log")" -gt "$H2"
t_list_all "/v2/zones/$ZID/recordsets?type=A" "$T/all.jsonl"
t_is "the API lists $N host records" \
    "$(jq -r 'select(.name | startswith("host")) | .name' "$T/all.jsonl" | sort -u | wc -l)" "$N"
t_ok 'BIND answers one of them' wait_dig "host$N.$Z" A "10.1.0.$N"

# ----------------------------------------------------------- malformed
t_ok 'publish a truncated event and one with a bad hostname' \
    t_pub notifications.nova "$D/bad.jsonl"
t_ok 'publish a good event after them' t_pub notifications.nova "$D/nova-create.json"
t_ok 'the good event still takes effect' wait_dig "web1.$Z" A 10.0.0.5
t_ok 'the truncated event is logged and skipped' grep -q \
    'event=sink.skip reason="not JSON' "$T/sink1.log" "$T/sink2.log"
t_ok 'the bad name is logged and skipped' grep -q \
    "event=sink.skip reason=\"'bad name!.$Z' is not a valid DNS name\" event_type=compute.instance.create.end" \
    "$T/sink1.log" "$T/sink2.log"
t_ok 'both copies still run' t_running sink1 sink2

# ----------------------------------------------------------- -p
t_fails_with 65 'zone-sink -p with a bad line ends with exit 65' \
    sh -c 'zone-sink -p <"$1" >"$2" 2>"$3"' sh "$D/pipe.jsonl" \
    "$T/pipe.out" "$T/pipe.err"
t_ok 'it names the bad line' grep -q 'event=sink.skip line=2 reason="not JSON' \
    "$T/pipe.err"
t_is 'the good lines took effect' \
    "$(rrset "app1.$Z" A '.records | join(",")') $(rrset "203-0-113-8.$Z" A '.records | join(",")')" \
    '10.0.1.1 203.0.113.8'
t_is 'one result line per change on stdout' \
    "$(jq -r '.params.name' "$T/pipe.out" | tr '\n' ' ')" \
    "app1.$Z 203-0-113-8.$Z "
event=$(cat "$D/nova-delete.json")
t_ok 'the README pipeline (printf | zone-sink -p) exits 0' \
    sh -c 'printf "%s\n" "$1" | zone-sink -p >/dev/null 2>&1' sh "$event"
t_ok 'the instance is gone from BIND' wait_dig "web1.$Z" A ''
t_fails_with 69 'zone-sink -p without NATS is exit 69' \
    sh -c 'ZONE_NATS_URL=nats://127.0.0.1:1 zone-sink -p </dev/null 2>/dev/null'

t_stop sink1
t_stop sink2
t_is 'both copies stop cleanly on TERM' "$(cat "$T/sink1.rc") $(cat "$T/sink2.rc")" '0 0'
t_done
