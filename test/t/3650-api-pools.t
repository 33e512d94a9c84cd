#!/bin/sh
# 3650: pool writes through the API (api-v2.md 10.4, deprecated in favour
# of pools.yaml but used by clients and the tempest suite): create (201),
# show, list with the name filter, update (202), delete (204), admins
# only, 404 pool_not_found, 409 duplicate_pool, 400 for a pool in use and
# for bad bodies; the daemons keep running.
. "${0%/*}/../lib.sh"

t_plan 26
t_stack 2 1 || t_abort 'start nats-server, two zone-central, zone-api'
MEMBER='X-Roles: member'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90
NS='[{"hostname": "ns1.example.org.", "priority": 1}]'

t_is 'POST /v2/pools is 201' "$(t_req POST /v2/pools \
    "{\"name\": \"Example Pool\", \"project_id\": \"1\", \"ns_records\": $NS}")" 201
P=$(t_json .id)
t_is 'it has its name, project, ns_records and no updated_at' \
    "$(t_json '"\(.name)|\(.project_id)|\(.ns_records[0].hostname)|\(.updated_at)"')" \
    'Example Pool|1|ns1.example.org.|null'
t_is 'Location is links.self' "$(t_hdr Location)" "$ZONE_URL/v2/pools/$P"
t_is 'GET it' "$(t_req GET "/v2/pools/$P"; t_json '" \(.name)"')" '200 Example Pool'
t_is 'the list filtered by name finds it' \
    "$(t_req GET '/v2/pools?name=Example*'; t_json '" \([.pools[].id] | join(","))"')" "200 $P"
t_is 'PATCH renames it (202)' \
    "$(t_req PATCH "/v2/pools/$P" '{"name": "foo"}'; t_json '" \(.name) \(.updated_at != null)"')" \
    '202 foo true'
t_is '... and GET shows the new name' "$(t_req GET "/v2/pools/$P" >/dev/null; t_json .name)" foo

t_err 409 duplicate_pool 'a second pool of that name' POST /v2/pools \
    "{\"name\": \"FOO\", \"ns_records\": $NS}"
t_err 403 forbidden 'a member cannot create' -H "$MEMBER" POST /v2/pools \
    "{\"name\": \"m\", \"ns_records\": $NS}"
t_err 403 forbidden 'a member cannot update' -H "$MEMBER" PATCH "/v2/pools/$P" '{"name": "m"}'
t_err 403 forbidden 'a member cannot delete' -H "$MEMBER" DELETE "/v2/pools/$P"
t_err 404 pool_not_found 'update of an unknown pool' PATCH "/v2/pools/$NIL" '{"name": "x"}'
t_err 404 pool_not_found 'delete of an unknown pool' DELETE "/v2/pools/$NIL"
t_err 400 invalid_uuid 'a pool id that is not a UUID' PATCH /v2/pools/foo '{"name": "x"}'

# bad bodies
long=$(printf '%060d' 0)
t_err 400 invalid_object 'a name over 50 characters' POST /v2/pools \
    "{\"name\": \"$long\", \"ns_records\": $NS}"
t_err 400 invalid_object 'no name' POST /v2/pools "{\"ns_records\": $NS}"
t_err 400 invalid_object 'a hostname that is not one' POST /v2/pools \
    '{"name": "b1", "ns_records": [{"hostname": "ns1_example_org_", "priority": 1}]}'
t_err 400 invalid_object 'a priority of -1' POST /v2/pools \
    '{"name": "b2", "ns_records": [{"hostname": "ns1.example.org.", "priority": -1}]}'
t_err 400 invalid_object 'a priority that is a string' PATCH "/v2/pools/$P" \
    '{"ns_records": [{"hostname": "ns1.example.org.", "priority": "1"}]}'
t_err 400 invalid_object 'ns_records not a list' PATCH "/v2/pools/$P" '{"ns_records": "x"}'
t_err 400 invalid_object 'an unknown key' POST /v2/pools \
    "{\"name\": \"b3\", \"ns_records\": $NS, \"targets\": []}"
t_err 400 invalid_object 'attributes not an object' PATCH "/v2/pools/$P" '{"attributes": [1]}'

t_is 'DELETE /v2/pools/<id> is 204' "$(t_req DELETE "/v2/pools/$P")" 204
t_err 404 pool_not_found 'then GET is 404' GET "/v2/pools/$P"
# in use: the default pool, from a pools file, holding a zone
cat >"$T/pools.yaml" <<EOT
- name: default
  ns_records:
    - hostname: ns1.example.org.
      priority: 1
EOT
zone-manage pool update "$T/pools.yaml" 2>/dev/null
t_req POST /v2/zones "{\"name\": \"inpool-$$.example.test.\",
    \"email\": \"h@example.test\"}" >/dev/null
t_err 400 invalid_operation 'a pool its zones use cannot go' \
    DELETE /v2/pools/794ccc2c-d751-44fe-b57f-8894c9f5c842
t_ok 'zone-central copies and zone-api still run' t_stack_alive
t_done
