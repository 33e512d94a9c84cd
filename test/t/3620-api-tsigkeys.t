#!/bin/sh
# 3620: TSIG keys (api-v2.md 10.3): create with all five fields, list with
# paging and the name/algorithm/scope filters, show (with the secret),
# update, delete, admins only, 404 tsigkey_not_found, 409
# duplicate_tsigkey, 400 invalid_tsigkey for a resource that is not there,
# and bad names, algorithms, secrets, scopes and resource ids.  Names and
# secrets are free text as in Designate (the tempest suite sends "Example
# tsigkey" and "SomeSecretKey"), and a key's resource may be a zone or a
# pool whatever its scope (tempest picks the scope at random).
. "${0%/*}/../lib.sh"

t_plan 64

t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"
MEMBER='X-Roles: member'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90
PROJ=pk-$$

t_is 'a zone for ZONE-scoped keys' \
    "$(t_req POST /v2/zones "{\"name\":\"k-$$.example.test.\",\"email\":\"h@example.test\"}")" 202
ZID=$(t_json .id)
POOL=$(t_json .pool_id)

# key NAME ALGORITHM SECRET SCOPE RESOURCE: a body
key() {
	printf '{"name":"%s","algorithm":"%s","secret":"%s","scope":"%s","resource_id":"%s"}' \
	    "$1" "$2" "$3" "$4" "$5"
}

# ----------------------------------------------------------- create and show

t_is 'POST a POOL key is 201' \
    "$(t_req POST /v2/tsigkeys "$(key pool-key hmac-sha256 c2VjcmV0LXBvb2w= POOL "$POOL")")" 201
PK=$(t_json .id)
t_is 'the key shows every field, the secret too' \
    "$(t_json '"\(.name) \(.algorithm) \(.secret) \(.scope) \(.resource_id) \(.updated_at) \([keys[]] | join(","))"')" \
    "pool-key hmac-sha256 c2VjcmV0LXBvb2w= POOL $POOL null algorithm,created_at,id,links,name,resource_id,scope,secret,updated_at"
t_is 'Location and links.self are <base>/v2/tsigkeys/<id>' \
    "$(t_hdr Location) $(t_json .links.self)" "$ZONE_URL/v2/tsigkeys/$PK $ZONE_URL/v2/tsigkeys/$PK"
t_is 'POST a ZONE key is 201' \
    "$(t_req POST /v2/tsigkeys "$(key zone-key.example. hmac-sha512 em9uZQ== ZONE "$ZID")")" 201
ZK=$(t_json .id)
for a in hmac-md5 hmac-sha1 hmac-sha224 hmac-sha384; do
	t_req POST /v2/tsigkeys "$(key "k-$a" "$a" YWJjZA== POOL "$POOL")" >"$T/st"
	[ "$(cat "$T/st")" = 201 ] || t_diag "create $a: $(cat "$T/st") $(cat "$T/body")"
done
t_is 'every algorithm is taken (six keys)' \
    "$(t_req GET /v2/tsigkeys; t_json '" \(.metadata.total_count) \([.tsigkeys[].algorithm] | sort | join(","))"')" \
    '200 6 hmac-md5,hmac-sha1,hmac-sha224,hmac-sha256,hmac-sha384,hmac-sha512'
t_is 'GET one' "$(t_req GET "/v2/tsigkeys/$ZK"; t_json '" \(.name) \(.scope) \(.resource_id)"')" "200 zone-key.example. ZONE $ZID"

t_err 409 duplicate_tsigkey 'the same name again is 409' POST /v2/tsigkeys "$(key pool-key hmac-sha1 YWJjZA== POOL "$POOL")"
t_err 409 duplicate_tsigkey 'names are compared without case' POST /v2/tsigkeys "$(key POOL-KEY hmac-sha1 YWJjZA== POOL "$POOL")"
t_err 400 invalid_tsigkey 'a ZONE key for a zone that is not there' POST /v2/tsigkeys "$(key k2 hmac-sha1 YWJjZA== ZONE "$NIL")"
t_err 400 invalid_tsigkey 'a POOL key for a pool that is not there' POST /v2/tsigkeys "$(key k2 hmac-sha1 YWJjZA== POOL "$NIL")"
t_is 'a key named and keyed as tempest does, POOL scope for a zone' \
    "$(t_req POST /v2/tsigkeys "$(key 'Example tsigkey' hmac-sha256 SomeSecretKey POOL "$ZID")"; t_json '" \(.name) \(.secret)"')" \
    '201 Example tsigkey SomeSecretKey'
t_req DELETE "/v2/tsigkeys/$(t_json .id)" >/dev/null

# ----------------------------------------------------------- list

t_req GET '/v2/tsigkeys?limit=4' >/dev/null
t_is 'limit=4: 4 of 6 and a next link' \
    "$(t_json '"\(.tsigkeys | length) \(.metadata.total_count) \(.links.next != null)"')" '4 6 true'
t_req GET "$(t_json .links.next)" >/dev/null
t_is 'the next page has 2, without a next link' "$(t_json '"\(.tsigkeys | length) \(.links.next == null)"')" '2 true'
t_is 'filter scope=ZONE' \
    "$(t_req GET '/v2/tsigkeys?scope=ZONE'; t_json '" \([.tsigkeys[].name] | join(","))"')" '200 zone-key.example.'
t_is 'filter algorithm=hmac-sha2*' \
    "$(t_req GET '/v2/tsigkeys?algorithm=hmac-sha2*'; t_json '" \([.tsigkeys[].algorithm] | sort | join(","))"')" '200 hmac-sha224,hmac-sha256'
t_is 'filter name=pool-key' \
    "$(t_req GET '/v2/tsigkeys?name=pool-key'; t_json '" \(.metadata.total_count) \(.tsigkeys[0].id)"')" "200 1 $PK"
t_is 'sort_key=name&sort_dir=desc' \
    "$(t_req GET '/v2/tsigkeys?sort_key=name&sort_dir=desc&limit=1'; t_json '" \(.tsigkeys[0].name)"')" '200 zone-key.example.'
t_err 400 bad_request 'filter secret is refused' GET '/v2/tsigkeys?secret=YWJjZA=='
t_err 400 invalid_sort_key 'sort_key=secret is refused' GET '/v2/tsigkeys?sort_key=secret'

# ----------------------------------------------------------- update

t_is 'PATCH the secret and algorithm' \
    "$(t_req PATCH "/v2/tsigkeys/$PK" '{"secret":"bmV3LXNlY3JldA==","algorithm":"hmac-sha384"}'; t_json '" \(.secret) \(.algorithm) \(.updated_at != null)"')" \
    '200 bmV3LXNlY3JldA== hmac-sha384 true'
t_is 'PATCH the name' "$(t_req PATCH "/v2/tsigkeys/$PK" '{"name":"pool-key-2"}'; t_json '" \(.name)"')" '200 pool-key-2'
t_err 409 duplicate_tsigkey 'PATCH onto another key name is 409' PATCH "/v2/tsigkeys/$PK" '{"name":"zone-key.example."}'
t_is 'PATCH scope and resource to a zone' \
    "$(t_req PATCH "/v2/tsigkeys/$PK" "{\"scope\":\"ZONE\",\"resource_id\":\"$ZID\"}"; t_json '" \(.scope)"')" '200 ZONE'
t_err 400 invalid_tsigkey 'PATCH a resource that is not there' PATCH "/v2/tsigkeys/$PK" "{\"resource_id\":\"$NIL\"}"
t_err 400 invalid_object 'PATCH a bad algorithm' PATCH "/v2/tsigkeys/$PK" '{"algorithm":"hmac-sha3"}'
t_err 400 invalid_object 'PATCH an empty secret' PATCH "/v2/tsigkeys/$PK" '{"secret":""}'
t_err 400 invalid_object 'PATCH an unknown key' PATCH "/v2/tsigkeys/$PK" '{"key":"x"}'

# ----------------------------------------------------------- 404, 403

t_err 404 tsigkey_not_found 'GET an unknown key' GET "/v2/tsigkeys/$NIL"
t_err 404 tsigkey_not_found 'PATCH an unknown key' PATCH "/v2/tsigkeys/$NIL" '{"secret":"YWJjZA=="}'
t_err 404 tsigkey_not_found 'DELETE an unknown key' DELETE "/v2/tsigkeys/$NIL"
t_err 400 invalid_uuid 'an id that is not a UUID' GET /v2/tsigkeys/pool-key
t_err 403 forbidden 'a member cannot create a key' -H "$MEMBER" POST /v2/tsigkeys "$(key m hmac-sha1 YWJjZA== POOL "$POOL")"
t_err 403 forbidden 'a member cannot list keys' -H "$MEMBER" GET /v2/tsigkeys
t_err 403 forbidden 'a member cannot show a key (nor its secret)' -H "$MEMBER" GET "/v2/tsigkeys/$ZK"
t_err 403 forbidden 'a member cannot update a key' -H "$MEMBER" PATCH "/v2/tsigkeys/$ZK" '{"secret":"YWJjZA=="}'
t_err 403 forbidden 'a member cannot delete a key' -H "$MEMBER" DELETE "/v2/tsigkeys/$ZK"

# ----------------------------------------------------------- bad bodies

NAME161=$(printf 'n%.0s' $(seq 161))
SECRET164=$(printf 'YWJj%.0s' $(seq 41))
t_err 400 invalid_object 'an unknown algorithm' POST /v2/tsigkeys "$(key b1 hmac-sha3 YWJjZA== POOL "$POOL")"
t_err 400 invalid_object 'an algorithm in capitals' POST /v2/tsigkeys "$(key b1 HMAC-MD5 YWJjZA== POOL "$POOL")"
t_err 400 invalid_object 'gss-tsig is not offered' POST /v2/tsigkeys "$(key b1 gss-tsig YWJjZA== POOL "$POOL")"
t_err 400 invalid_object 'a secret with a newline' POST /v2/tsigkeys "$(key b1 hmac-sha1 'YW\nJj' POOL "$POOL")"
t_err 400 invalid_object 'a secret with a tab' POST /v2/tsigkeys "$(key b1 hmac-sha1 'YW\tJj' POOL "$POOL")"
t_err 400 invalid_object 'a null secret' POST /v2/tsigkeys \
    "{\"name\":\"b1\",\"algorithm\":\"hmac-sha1\",\"secret\":null,\"scope\":\"POOL\",\"resource_id\":\"$POOL\"}"
t_err 400 invalid_object 'an empty secret' POST /v2/tsigkeys "$(key b1 hmac-sha1 '' POOL "$POOL")"
t_err 400 invalid_object 'a secret over 160 characters' POST /v2/tsigkeys "$(key b1 hmac-sha1 "$SECRET164" POOL "$POOL")"
t_err 400 invalid_object 'an unknown scope' POST /v2/tsigkeys "$(key b1 hmac-sha1 YWJjZA== GLOBAL "$POOL")"
t_err 400 invalid_object 'a scope in lower case' POST /v2/tsigkeys "$(key b1 hmac-sha1 YWJjZA== pool "$POOL")"
t_err 400 invalid_object 'a resource_id that is not a UUID' POST /v2/tsigkeys "$(key b1 hmac-sha1 YWJjZA== POOL default)"
t_err 400 invalid_object 'a name with a newline' POST /v2/tsigkeys "$(key 'a\nb' hmac-sha1 YWJjZA== POOL "$POOL")"
t_err 400 invalid_object 'a list for a name' POST /v2/tsigkeys \
    "{\"name\":[\"b1\"],\"algorithm\":\"hmac-sha1\",\"secret\":\"YWJjZA==\",\"scope\":\"POOL\",\"resource_id\":\"$POOL\"}"
t_err 400 invalid_object 'a number for an algorithm' POST /v2/tsigkeys \
    "{\"name\":\"b1\",\"algorithm\":256,\"secret\":\"YWJjZA==\",\"scope\":\"POOL\",\"resource_id\":\"$POOL\"}"
t_err 400 invalid_object 'a name of 161 characters' POST /v2/tsigkeys "$(key "$NAME161" hmac-sha1 YWJjZA== POOL "$POOL")"
t_err 400 invalid_object 'an empty name' POST /v2/tsigkeys "$(key '' hmac-sha1 YWJjZA== POOL "$POOL")"
t_err 400 invalid_object 'a number for a secret' POST /v2/tsigkeys \
    "{\"name\":\"b1\",\"algorithm\":\"hmac-sha1\",\"secret\":1234,\"scope\":\"POOL\",\"resource_id\":\"$POOL\"}"
t_err 400 invalid_object 'no secret' POST /v2/tsigkeys \
    "{\"name\":\"b1\",\"algorithm\":\"hmac-sha1\",\"scope\":\"POOL\",\"resource_id\":\"$POOL\"}"
t_err 400 invalid_object 'no algorithm' POST /v2/tsigkeys \
    "{\"name\":\"b1\",\"secret\":\"YWJjZA==\",\"scope\":\"POOL\",\"resource_id\":\"$POOL\"}"
t_err 400 invalid_object 'no scope' POST /v2/tsigkeys \
    "{\"name\":\"b1\",\"algorithm\":\"hmac-sha1\",\"secret\":\"YWJjZA==\",\"resource_id\":\"$POOL\"}"
t_err 400 invalid_object 'no resource_id' POST /v2/tsigkeys \
    '{"name":"b1","algorithm":"hmac-sha1","secret":"YWJjZA==","scope":"POOL"}'
t_err 400 invalid_object 'a description is not a tsigkey field' POST /v2/tsigkeys \
    "{\"name\":\"b1\",\"algorithm\":\"hmac-sha1\",\"secret\":\"YWJjZA==\",\"scope\":\"POOL\",\"resource_id\":\"$POOL\",\"description\":\"x\"}"

# ----------------------------------------------------------- delete

t_is 'DELETE is 204' "$(t_req DELETE "/v2/tsigkeys/$ZK")" 204
t_err 404 tsigkey_not_found 'the deleted key is gone' GET "/v2/tsigkeys/$ZK"
t_is 'its name may be used again' \
    "$(t_req POST /v2/tsigkeys "$(key zone-key.example. hmac-sha512 em9uZQ== ZONE "$ZID")")" 201
t_is 'five keys are left, and one new' "$(t_req GET /v2/tsigkeys; t_json '" \(.metadata.total_count)"')" '200 6'

t_ok 'every zone-central and zone-api is still running' t_stack_alive

t_done
