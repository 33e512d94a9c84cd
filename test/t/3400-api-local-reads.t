#!/bin/sh
# 3400: api.local_reads: zone-api answers reads from the host's view with
# central's own code.  Reads through it equal reads through an api that
# asks central; a write through one api is read at once through the
# other, also when the local-reads api has a view of its own (another
# "host": the read barrier holds); errors are the same.
. "${0%/*}/../lib.sh"

t_plan 9

t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
RPC=$ZONE_URL
lp=$(t_port)
ZONE_API_LOCAL_READS=true t_start local zone-api -l "127.0.0.1:$lp" ||
    t_abort 'start a local-reads zone-api'
LOCAL=http://127.0.0.1:$lp
hp=$(t_port)
ZONE_API_LOCAL_READS=true ZONE_DB_PATH=$T/db2 \
    t_start host2 zone-api -l "127.0.0.1:$hp" ||
    t_abort 'start a local-reads zone-api with its own view'
HOST2=http://127.0.0.1:$hp

req() {	# URL METHOD PATH [BODY]: the body on stdout
	curl -s -X "$2" -H 'Content-Type: application/json' \
	    -H 'X-Auth-Project-ID: p3400' "$1$3" ${4:+-d "$4"}
}

ZID=$(req "$RPC" POST /v2/zones \
    '{"name":"local.example.test.","email":"hostmaster@example.test"}' |
    jq -r .id)
t_ok 'a zone created through the rpc api' test -n "$ZID" -a "$ZID" != null

strip='del(.links) | del(.request_id)'
t_is 'GET zone: the same through both apis' \
    "$(req "$LOCAL" GET "/v2/zones/$ZID" | jq -cS "$strip")" \
    "$(req "$RPC" GET "/v2/zones/$ZID" | jq -cS "$strip")"

bad=0
i=1
while [ $i -le 30 ]; do
	rid=$(req "$RPC" POST "/v2/zones/$ZID/recordsets" \
	    "{\"name\":\"r$i.local.example.test.\",\"type\":\"A\",\"records\":[\"192.0.2.$i\"]}" |
	    jq -r .id)
	s1=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Project-ID: p3400' \
	    "$LOCAL/v2/zones/$ZID/recordsets/$rid")
	s2=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Project-ID: p3400' \
	    "$HOST2/v2/zones/$ZID/recordsets/$rid")
	[ "$s1 $s2" = "200 200" ] || bad=$((bad + 1))
	i=$((i + 1))
done
t_is 'every write is read at once through both local-reads apis' "$bad" 0

t_is 'recordset list: the same through both apis' \
    "$(req "$LOCAL" GET "/v2/zones/$ZID/recordsets?limit=max" | jq -cS '[.recordsets[] | del(.links)] | sort_by(.id)')" \
    "$(req "$RPC" GET "/v2/zones/$ZID/recordsets?limit=max" | jq -cS '[.recordsets[] | del(.links)] | sort_by(.id)')"
t_is 'paging metadata: the same' \
    "$(req "$LOCAL" GET "/v2/zones?limit=1" | jq -c .metadata)" \
    "$(req "$RPC" GET "/v2/zones?limit=1" | jq -c .metadata)"
t_is 'another project gets 404 zone_not_found' \
    "$(curl -s -H 'X-Auth-Project-ID: other' "$LOCAL/v2/zones/$ZID" | jq -r .type)" \
    zone_not_found
t_is 'a bad sort key is 400 invalid_sort_key' \
    "$(req "$LOCAL" GET '/v2/zones?sort_key=bogus' | jq -r .type)" \
    invalid_sort_key
t_is 'writes still go to central (201/202 through the local api)' \
    "$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	-H 'Content-Type: application/json' -H 'X-Auth-Project-ID: p3400' \
	"$LOCAL/v2/zones" -d '{"name":"w.example.test.","email":"a@b.test"}')" 202
t_ok 'every daemon is still running' t_stack_alive

t_done
