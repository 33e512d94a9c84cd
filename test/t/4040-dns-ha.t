#!/bin/sh
# 4040: HA of the DNS side.  Two zone-xfr copies (both masters of every
# target) and two zone-notify copies; a BIND 9 (bind9 backend) and a Knot
# (knot backend) target.  200 zones are created by 8 clients; one
# zone-notify is killed -9 while they are being created.  All 200 end
# ACTIVE and are served by both targets; the other copies keep running.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 8

N=${T_4040_ZONES:-200}
# notify.ack_wait_ms stays at its default (10 s): the killed copy's work
# comes back after it.  (A short ack wait, e.g. 3 s, made zone-notify redo
# work still queued: 886 rndc addzone and 849 knotc transactions for 200
# zones, ACTIVE after 37 s instead of 13 s.)
ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
PROJ=p4040

X1=$(t_port)
X2=$(t_port)
XFR_PORTS="$X1 $X2"
t_named bind1 "$X1,$X2" && t_knot knot1 "$X1,$X2" || t_abort 'start named, knotd'
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
t_pools "$T/pools.yaml" pool=default bind9=bind1 knot=knot1
t_ok 'zone-manage pool update' t_pool_update "$T/pools.yaml"
t_xfr xfr1 "$X1"
t_xfr xfr2 "$X2"
t_notify notify1
t_notify notify2
t_ok 'two zone-xfr and two zone-notify copies run' \
    t_running xfr1 xfr2 notify1 notify2 || t_abort 'zone-xfr, zone-notify'

i=0
while [ "$i" -lt "$N" ]; do
	printf '{"name": "ha%d-%d.example.test.", "email": "h@example.test", "ttl": 300}\n' "$i" "$$"
	i=$((i + 1))
done >"$T/bodies"
start=$(date +%s)
xargs -d '\n' -n 1 -P 8 curl -s -g -m 30 -o /dev/null -w '%{http_code}\n' \
    -X POST -H "X-Auth-Project-ID: $PROJ" -H 'Content-Type: application/json' \
    "$ZONE_URL/v2/zones" -d <"$T/bodies" >"$T/codes" &
creator=$!
# Kill notify1 once it has work in hand (some zones created).
w=0
while [ "$(grep -c . "$T/codes")" -lt $((N / 4)) ] && [ "$w" -lt 100 ]; do
	sleep 0.05
	w=$((w + 1))
done
t_diag "killing notify1 after $(grep -c . "$T/codes") creates"
t_ok 'kill -9 of zone-notify 1 during the creates' t_kill9 notify1
wait "$creator"
t_is "$N creates accepted" "$(grep -c '^202$' "$T/codes")" "$N"

count() {
	t_req GET "/v2/zones?status=$1&limit=1" >/dev/null
	t_json '.metadata.total_count'
}
w=0
while [ "$(count ACTIVE)" != "$N" ] && [ "$w" -lt 60 ]; do
	sleep 1
	w=$((w + 1))
done
t_is "all $N zones ACTIVE" "$(count ACTIVE)" "$N"
t_diag "ACTIVE after $(( $(date +%s) - start )) s; ERROR: $(count ERROR), PENDING: $(count PENDING)"

served() {
	_bad=0
	for z in $(sed 's/.*"name": "\([^"]*\)".*/\1/' "$T/bodies"); do
		[ -n "$(t_soa_serial "$1" "$z")" ] || {
			t_wait_serial "$1" "$z" '' 5 >/dev/null 2>&1 || {
				_bad=$((_bad + 1))
				[ "$_bad" -le 3 ] && t_diag "port $1 does not serve $z"
			}
		}
	done
	[ "$_bad" -eq 0 ] || { t_diag "$_bad zones missing on port $1"; return 1; }
}
t_ok "BIND serves all $N" served "$bind1_PORT"
t_ok "Knot serves all $N" served "$knot1_PORT"
t_diag "rndc addzone calls: $(grep -c "command 'addzone" "$T/bind1.log"), knotc conf-begin: $(grep -c "command 'conf-begin'" "$T/knot1.log")"
t_ok 'the other copies still run' t_running xfr1 xfr2 notify2
t_done
