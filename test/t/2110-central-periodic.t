#!/bin/sh
# 2110: zone-central's periodic.* methods (what zone-periodic calls), with
# `zone-manage rpc': a confirmed zone delete leaves a grave that the purge
# removes only after the retention and never a live zone; exists pages a
# shard range; recover hands ERROR zones to zone-notify again (PENDING);
# the methods are for admins only and check the shard range.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 16
PROJ=p2110
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
rpc() { zone-manage rpc "$@"; }
all='"shard_first": 0, "shard_last": 4095'

LIVE=$(t_zone_create "live-$$.example.test.")
GONE=$(t_zone_create "gone-$$.example.test.")
t_ok 'two zones' test -n "$LIVE" -a -n "$GONE"
t_is 'DELETE one' "$(t_req DELETE "/v2/zones/$GONE")" 202
t_ok 'the servers confirm the delete' zone-manage zone status "$GONE" ACTIVE
t_is 'the zone is gone from the API' "$(t_req GET "/v2/zones/$GONE")" 404
zone-manage view dump >"$T/dump1"
t_ok 'its grave is in the view' grep -q "^$GONE	.*\"deleted\": *true" "$T/dump1"

t_is 'purge with a long retention purges nothing' \
    "$(rpc periodic.purge "{$all, \"older_than_s\": 3600}")" \
    '{"purged":0,"more":false}'
sleep 1.1
t_is 'purge past the retention removes the grave' \
    "$(rpc periodic.purge "{$all, \"older_than_s\": 0}")" \
    '{"purged":1,"more":false}'
zone-manage view dump >"$T/dump2"
t_ok 'the grave is gone' sh -c "! grep -q '^$GONE	' '$T/dump2'"
t_is 'the live zone stays' "$(t_req GET "/v2/zones/$LIVE")" 200

# exists: every live zone once, in pages
for i in 1 2 3 4; do t_zone_create "e$i-$$.example.test." >/dev/null; done
got=$(rpc periodic.exists "{$all, \"limit\": 2}")
t_is 'exists pages by limit' "$(echo "$got" | jq '.zones | length')" 2
next=$(echo "$got" | jq -r .next)
rest=$(rpc periodic.exists "{$all, \"limit\": 100, \"marker\": \"$next\"}")
t_is '... and the marker goes on from there' \
    "$(echo "$got $rest" | jq -s '[.[].zones[].id] | unique | length')" 5
t_is 'payloads carry tenant_id and shard' \
    "$(echo "$got" | jq -r '.zones[0] | (.tenant_id != null and (.shard | type) == "number")')" \
    true
one=$(echo "$got" | jq -r '.zones[0].shard')
t_is 'a one-shard range holds only that shard' \
    "$(rpc periodic.exists "{\"shard_first\": $one, \"shard_last\": $one}" |
    jq --argjson s "$one" '[.zones[].shard | select(. != $s)] | length')" 0

# recover: an ERROR zone goes PENDING again
zone-manage zone status "$LIVE" ERROR >/dev/null
t_is 'recover hands over the ERROR zone' \
    "$(rpc periodic.recover "{$all, \"pending_s\": 3600}" | jq .recovered)" 1
t_is 'it is PENDING again' "$(t_zone_status "$LIVE" | cut -d' ' -f1)" PENDING

t_fails_with 65 'a bad shard range is refused' \
    zone-manage rpc periodic.exists '{"shard_first": 5, "shard_last": 4096}'
t_done
