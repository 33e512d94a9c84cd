#!/bin/sh
# 2100: managed records (what zone-sink writes) through zone-central's
# recordset.managed_set / managed_unset, called with `zone-manage rpc':
# records are tagged by resource, a repeat changes nothing, records of
# other resources stay, unset removes only the resource's records and
# drops an emptied recordset, and users cannot edit them without the
# edit-managed header.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 16
PROJ=p2100
t_stack 2 1 || t_abort 'start nats-server, two zone-central, zone-api'
ZID=$(t_zone_create "managed-$$.example.test.")
t_ok 'zone created' test -n "$ZID"
N="vm1.managed-$$.example.test."
set_vm() {	# RESOURCE-ID ADDRESS...
	_id=$1
	shift
	_recs=$(printf '"%s",' "$@")
	zone-manage rpc recordset.managed_set "{\"zone_id\": \"$ZID\",
	    \"name\": \"$N\", \"type\": \"A\", \"ttl\": null,
	    \"records\": [${_recs%,}], \"resource\": {\"plugin\": \"nova_fixed\",
	    \"type\": \"instance\", \"id\": \"$_id\"}}"
}
unset_vm() {
	zone-manage rpc recordset.managed_unset "{\"zone_id\": \"$ZID\",
	    \"resource\": {\"plugin\": \"nova_fixed\", \"type\": \"instance\",
	    \"id\": \"$1\"}}"
}
records() {
	t_req GET "/v2/zones/$ZID/recordsets?name=$N&type=A" >/dev/null
	t_json '[.recordsets[].records[]] | sort | join(" ")'
}

t_ok 'managed_set makes the recordset' set_vm i-1 192.0.2.1
t_is 'it holds the record' "$(records)" 192.0.2.1
s1=$(t_zone_serial "$ZID")
t_ok 'the same call again' set_vm i-1 192.0.2.1
t_is '... changes nothing (serial)' "$(t_zone_serial "$ZID")" "$s1"
t_ok 'a second resource adds its record' set_vm i-2 192.0.2.2
t_is 'both records there' "$(records)" '192.0.2.1 192.0.2.2'
t_ok 'the first resource moves address' set_vm i-1 192.0.2.3
t_is "the second's record stays" "$(records)" '192.0.2.2 192.0.2.3'

RID=$(t_req GET "/v2/zones/$ZID/recordsets?name=$N&type=A" >/dev/null;
    t_json '.recordsets[0].id')
t_err 400 bad_request 'a user cannot change a managed recordset' \
    PUT "/v2/zones/$ZID/recordsets/$RID" '{"records": ["192.0.2.9"]}'

t_is 'unset of the first resource' "$(unset_vm i-1)" '{"removed":1}'
t_is "... leaves the second's record" "$(records)" 192.0.2.2
t_is 'unset again removes nothing' "$(unset_vm i-1)" '{"removed":0}'
t_is 'unset of the last resource' "$(unset_vm i-2)" '{"removed":1}'
t_is 'the empty recordset is gone' \
    "$(t_req GET "/v2/zones/$ZID/recordsets/$RID")" 404
t_ok 'zone-central copies and zone-api still run' t_stack_alive
t_done
