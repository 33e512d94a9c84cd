#!/bin/sh
# 2120: notifications.  Every committed change puts its Designate events
# on the ZONE_EVENTS stream exactly once, in order, whichever zone-central
# copy relays them; `zonectl watch --since N' resumes right after N; a
# kill -9 of the relaying copy in the middle of a burst loses and repeats
# nothing (the other copy takes the relay lock over).
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 15
PROJ=p2120
ZONE_EVENTS_LOCK_TTL_S=2
ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_EVENTS_LOCK_TTL_S ZONE_CENTRAL_QUOTA_ZONES
t_stack 2 1 || t_abort 'start nats-server, two zone-central, zone-api'
watch() { zonectl watch --idle 2 "$@"; }

Z="events-$$.example.test."
ZID=$(t_zone_create "$Z")
t_ok 'zone created' test -n "$ZID"
RID=$(t_rrset_create "$ZID" "www.$Z" A 192.0.2.1)
t_is 'recordset update' "$(t_req PUT "/v2/zones/$ZID/recordsets/$RID" \
    '{"records": ["192.0.2.2"]}')" 202
t_is 'recordset delete' "$(t_req DELETE "/v2/zones/$ZID/recordsets/$RID")" 202
t_is 'zone update' "$(t_req PATCH "/v2/zones/$ZID" '{"ttl": 600}')" 202
t_is 'zone delete' "$(t_req DELETE "/v2/zones/$ZID")" 202

watch --since 0 >"$T/all"
jq -r .event_type "$T/all" >"$T/types"
cat >"$T/want" <<EOT
dns.zone.create
dns.domain.create
dns.recordset.create
dns.recordset.update
dns.recordset.delete
dns.zone.update
dns.domain.update
dns.zone.delete
dns.domain.delete
EOT
t_cmp "$T/want" "$T/types" 'the events, in order, once each'
t_is 'payloads name the zone and its tenant' \
    "$(jq -r 'select(.event_type == "dns.zone.create") | .payload |
    "\(.name) \(.tenant_id) \(.status) \(.shard | type)"' "$T/all")" \
    "$Z p2120 PENDING number"
t_is 'a recordset payload carries its records' \
    "$(jq -r 'select(.event_type == "dns.recordset.update") |
    .payload | "\(.name) \(.records[0].data) \(.zone_id)"' "$T/all")" \
    "www.$Z 192.0.2.2 $ZID"
t_is 'the envelope is oslo-like' \
    "$(jq -r '[.priority, (.publisher_id | startswith("central.")),
    (.message_id | length), (.timestamp | length)] | @tsv' "$T/all" |
    sort -u)" "$(printf 'INFO\ttrue\t36\t26')"

n3=$(sed -n 3p "$T/all" | jq .seq)
watch --since "$n3" >"$T/rest"
t_is '--since N resumes right after N' "$(head -n 1 "$T/rest" | jq .seq)" \
    $((n3 + 1))
t_is '... and gives the rest' "$(jq -c .seq "$T/rest" | tr '\n' ' ')" \
    "$(tail -n +4 "$T/all" | jq -c .seq | tr '\n' ' ')"

# --- kill -9 of the relaying copy during a burst
holder=$(grep -l 'event=events.relay_resumed' "$T"/central1.log \
    "$T"/central2.log | head -n 1)
holder=${holder##*/}
holder=${holder%.log}
t_ok "a copy holds the relay ($holder)" test -n "$holder"
ZID2=$(t_zone_create "burst-$$.example.test.")
i=0
while [ $i -lt 60 ]; do
	t_req POST "/v2/zones/$ZID2/recordsets" \
	    "{\"name\": \"r$i.burst-$$.example.test.\", \"type\": \"A\",
	    \"records\": [\"192.0.2.$((i + 1))\"]}" >/dev/null
	[ $i = 20 ] && t_kill9 "$holder"
	i=$((i + 1))
done
t_list_all "/v2/zones/$ZID2/recordsets?type=A" "$T/made"
jq -r .id "$T/made" | sort >"$T/made.ids"
t_ok 'most creates went through' test "$(wc -l <"$T/made.ids")" -ge 50
for s in 1 2 3 4 5 6 7 8 9 10; do
	sleep 1
	watch --since 0 | jq -r 'select(.event_type ==
	    "dns.recordset.create" and .payload.zone_id == "'"$ZID2"'") |
	    .payload.id' | sort >"$T/ev.ids"
	cmp -s "$T/made.ids" "$T/ev.ids" && break
done
t_cmp "$T/made.ids" "$T/ev.ids" 'every recordset made has exactly one create event'
t_is 'and no event is there twice' \
    "$(watch --since 0 | jq -r .message_id | sort | uniq -d | wc -l)" 0
t_done
