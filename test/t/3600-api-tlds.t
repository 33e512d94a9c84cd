#!/bin/sh
# 3600: TLDs (api-v2.md 10.1): create, list with paging, filters and sorts,
# show, update, delete, admins only (403 for a member), 404 tld_not_found,
# 409 duplicate_tld (also for concurrent creates through two copies), bad
# bodies; and zone creates must end in a registered TLD while any exists.
. "${0%/*}/../lib.sh"

t_plan 75

t_stack 2 2 || t_abort "start nats-server, 2 zone-central and 2 zone-api"
URL1=$ZONE_URL
MEMBER='X-Roles: member'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90
PROJ=pt-$$

# ----------------------------------------------------------- create and show

t_is 'POST /v2/tlds is 201' "$(t_req POST /v2/tlds '{"name":"test","description":"for tests"}')" 201
TEST=$(t_json .id)
t_is 'the TLD has id, name, description, created_at, updated_at null, links.self' \
    "$(t_json '"\(.name) \(.description) \(.id | test("^[0-9a-f-]{36}$")) \(.created_at | test("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}$")) \(.updated_at)"')" \
    'test for tests true true null'
t_is 'links.self is <base>/v2/tlds/<id>' "$(t_json .links.self)" "$URL1/v2/tlds/$TEST"
t_is 'Location equals links.self' "$(t_hdr Location)" "$URL1/v2/tlds/$TEST"
t_is 'the TLD shows only its own keys' "$(t_json '[keys[]] | join(",")')" \
    'created_at,description,id,links,name,updated_at'
for n in co.uk com org example; do
	t_req POST /v2/tlds "{\"name\":\"$n\"}" >"$T/st"
	[ "$(cat "$T/st")" = 201 ] || t_diag "create $n: $(cat "$T/st") $(cat "$T/body")"
done
t_is 'four more TLDs are made (five in all)' \
    "$(t_req GET '/v2/tlds?limit=max'; t_json '" \(.tlds | length) \(.metadata.total_count)"')" '200 5 5'
t_is 'GET one TLD through the other API copy' \
    "$(t_req GET "$ZONE_URL2/v2/tlds/$TEST"; t_json '" \(.name) \(.links.self)"')" \
    "200 test $ZONE_URL2/v2/tlds/$TEST"

t_err 409 duplicate_tld 'the same name again is 409' POST /v2/tlds '{"name":"test"}'
t_err 409 duplicate_tld 'names are compared without case' POST /v2/tlds '{"name":"CO.UK"}'

# ----------------------------------------------------------- list, paging, filters

t_req GET '/v2/tlds?limit=2' >/dev/null
t_is 'limit=2 gives 2 of 5 and a next link' \
    "$(t_json '"\(.tlds | length) \(.metadata.total_count) \(.links.next != null)"')" '2 5 true'
t_is 'links.self is the URL as asked' "$(t_json .links.self)" "$URL1/v2/tlds?limit=2"
NEXT=$(t_json .links.next)
LAST=$(t_json '.tlds[1].id')
t_is 'links.next carries the marker of the last item' "$NEXT" "$URL1/v2/tlds?limit=2&marker=$LAST"
t_req GET "$NEXT" >/dev/null
t_is 'the second page has the next 2' "$(t_json '"\(.tlds | length) \(.links.next != null)"')" '2 true'
t_req GET "$(t_json .links.next)" >/dev/null
t_is 'the third page has the last one and no next link' \
    "$(t_json '"\(.tlds | length) \(.links.next == null)"')" '1 true'
t_is 'the pages hold the five, in creation order' \
    "$(t_req GET /v2/tlds; t_json '" \([.tlds[].name] | join(" "))"')" '200 test co.uk com org example'
t_is 'filter name=co.uk' \
    "$(t_req GET '/v2/tlds?name=co.uk'; t_json '" \([.tlds[].name] | join(",")) \(.metadata.total_count)"')" '200 co.uk 1'
t_is 'filter name=c* (wildcard)' \
    "$(t_req GET '/v2/tlds?name=c*'; t_json '" \([.tlds[].name] | join(","))"')" '200 co.uk,com'
t_is 'sort_key=name' \
    "$(t_req GET '/v2/tlds?sort_key=name'; t_json '" \([.tlds[].name] | join(","))"')" '200 co.uk,com,example,org,test'
t_is 'sort_key=name&sort_dir=desc' \
    "$(t_req GET '/v2/tlds?sort_key=name&sort_dir=desc'; t_json '" \([.tlds[].name] | join(","))"')" '200 test,org,example,com,co.uk'
t_err 400 invalid_limit 'limit=0' GET '/v2/tlds?limit=0'
t_err 400 invalid_limit 'limit=x' GET '/v2/tlds?limit=x'
t_err 400 invalid_marker 'a marker that is not a UUID' GET '/v2/tlds?marker=abc'
t_err 400 marker_not_found 'a marker no TLD has' GET "/v2/tlds?marker=$NIL"
t_err 400 invalid_sort_key 'sort_key=description' GET '/v2/tlds?sort_key=description'
t_err 400 invalid_sort_dir 'sort_dir=up' GET '/v2/tlds?sort_dir=up'
t_err 400 bad_request 'an unknown filter' GET '/v2/tlds?description=x'

# ----------------------------------------------------------- update

t_is 'PATCH description is 200' \
    "$(t_req PATCH "/v2/tlds/$TEST" '{"description":"changed"}'; t_json '" \(.description) \(.updated_at != null) \(.links.self)"')" \
    "200 changed true $URL1/v2/tlds/$TEST"
EX=$(t_req GET '/v2/tlds?name=example' >/dev/null; t_json '.tlds[0].id')
t_is 'PATCH name renames' \
    "$(t_req PATCH "/v2/tlds/$EX" '{"name":"net"}'; t_json '" \(.name)"')" '200 net'
t_is 'the old name is free again' "$(t_req POST /v2/tlds '{"name":"example"}')" 201
t_req DELETE "/v2/tlds/$(t_json .id)" >/dev/null
t_err 409 duplicate_tld 'renaming onto an existing name is 409' PATCH "/v2/tlds/$EX" '{"name":"com"}'
t_is 'PATCH with its own name is fine' "$(t_req PATCH "/v2/tlds/$EX" '{"name":"net"}')" 200
t_err 400 invalid_object 'PATCH a different id' PATCH "/v2/tlds/$EX" "{\"id\":\"$NIL\"}"
t_is 'PATCH its own id is tolerated' "$(t_req PATCH "/v2/tlds/$EX" "{\"id\":\"$EX\"}")" 200

# ----------------------------------------------------------- not found

t_err 404 tld_not_found 'GET an unknown TLD' GET "/v2/tlds/$NIL"
t_err 404 tld_not_found 'PATCH an unknown TLD' PATCH "/v2/tlds/$NIL" '{"description":"x"}'
t_err 404 tld_not_found 'DELETE an unknown TLD' DELETE "/v2/tlds/$NIL"
t_err 400 invalid_uuid 'a TLD id that is not a UUID' GET /v2/tlds/com
t_err 404 not_found 'a path below a TLD' GET "/v2/tlds/$TEST/bogus"

# ----------------------------------------------------------- members: 403

t_err 403 forbidden 'a member cannot create a TLD' -H "$MEMBER" POST /v2/tlds '{"name":"member"}'
t_err 403 forbidden 'a member cannot list TLDs' -H "$MEMBER" GET /v2/tlds
t_err 403 forbidden 'a member cannot show a TLD' -H "$MEMBER" GET "/v2/tlds/$TEST"
t_err 403 forbidden 'a member cannot update a TLD' -H "$MEMBER" PATCH "/v2/tlds/$TEST" '{"description":"x"}'
t_err 403 forbidden 'a member cannot delete a TLD' -H "$MEMBER" DELETE "/v2/tlds/$TEST"
t_err 403 forbidden 'a reader cannot list TLDs' -H 'X-Roles: reader' GET /v2/tlds

# ----------------------------------------------------------- bad bodies

LONG64=$(printf 'a%.0s' $(seq 64))
DESC161=$(printf 'd%.0s' $(seq 161))
t_err 400 invalid_object 'a name with a final dot' POST /v2/tlds '{"name":"com."}'
t_err 400 invalid_object 'an empty name' POST /v2/tlds '{"name":""}'
t_err 400 invalid_object 'a label starting with -' POST /v2/tlds '{"name":"-bad"}'
t_err 400 invalid_object 'a label ending with -' POST /v2/tlds '{"name":"bad-"}'
t_err 400 invalid_object 'an empty label' POST /v2/tlds '{"name":"a..b"}'
t_err 400 invalid_object 'a label of 64 characters' POST /v2/tlds "{\"name\":\"$LONG64\"}"
t_err 400 invalid_object 'a space in the name' POST /v2/tlds '{"name":"a b"}'
t_err 400 invalid_object 'a * in the name' POST /v2/tlds '{"name":"*"}'
t_err 400 invalid_object 'a number for a name' POST /v2/tlds '{"name":123}'
t_err 400 invalid_object 'no name' POST /v2/tlds '{"description":"x"}'
t_err 400 invalid_object 'an unknown key' POST /v2/tlds '{"name":"x","foo":1}'
t_err 400 invalid_object 'a description of 161 characters' POST /v2/tlds "{\"name\":\"x\",\"description\":\"$DESC161\"}"
t_err 400 invalid_object 'a number for a description' POST /v2/tlds '{"name":"x","description":5}'
t_err 400 invalid_object 'a body that is a list' POST /v2/tlds '["x"]'
t_err 400 invalid_json 'a body that is not JSON' POST /v2/tlds '{"name":'
t_err 400 empty_request_body 'an empty body' POST /v2/tlds ''
t_err 415 unsupported_content_type 'a body that is not application/json' -H 'Content-Type: text/plain' POST /v2/tlds '{"name":"x"}'
t_err 400 invalid_object 'PATCH a bad name' PATCH "/v2/tlds/$TEST" '{"name":"a_b."}'
t_err 400 invalid_object 'PATCH a read-only created_at' PATCH "/v2/tlds/$TEST" '{"created_at":"2020-01-01T00:00:00.000000"}'

# ----------------------------------------------------------- zones and TLDs

t_err 400 invalid_zone_name 'a zone under an unregistered TLD is refused' \
    -H "$MEMBER" POST /v2/zones "{\"name\":\"z-$$.bogus.\",\"email\":\"h@example.test\"}"
t_is 'a zone under a registered TLD of two labels is made' \
    "$(t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"z-$$.co.uk.\",\"email\":\"h@example.test\"}")" 202
t_err 400 invalid_zone_name 'a zone named like a TLD is refused' \
    -H "$MEMBER" POST /v2/zones '{"name":"co.uk.","email":"h@example.test"}'

# ----------------------------------------------------------- concurrent creates

: >"$T/jobs"
i=1
while [ "$i" -le 8 ]; do
	u=$URL1
	[ $((i % 2)) -eq 0 ] && u=$ZONE_URL2
	printf '%s/v2/tlds\t{"name":"race"}\t%s\n' "$u" "$i" >>"$T/jobs"
	i=$((i + 1))
done
t_par_post "$T/jobs" >"$T/race"
t_is 'of 8 concurrent creates of one name through 2 copies, one is 201, seven 409' \
    "$(cut -d' ' -f1 "$T/race" | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" '201:1 409:7 '
t_is 'the list holds the name once' \
    "$(t_req GET '/v2/tlds?name=race'; t_json '" \(.metadata.total_count)"')" '200 1'

# 16 concurrent PATCHes of one TLD through two copies: every one succeeds
# (a refused publish is read and validated again).
RACE=$(t_req GET '/v2/tlds?name=race' >/dev/null; t_json '.tlds[0].id')
i=1
: >"$T/jobs"
while [ "$i" -le 16 ]; do
	u=$URL1
	[ $((i % 2)) -eq 0 ] && u=$ZONE_URL2
	printf '%s/v2/tlds/%s\n{"description":"d%s"}\n' "$u" "$RACE" "$i" >>"$T/jobs"
	i=$((i + 1))
done
xargs -d '\n' -n 2 -P 8 sh -c 'curl -s -g -m 30 -o /dev/null -w "%{http_code}\n" \
    -X PATCH -H "Content-Type: application/json" --data-binary "$1" "$0"' \
    <"$T/jobs" >"$T/race2"
t_is 'of 16 concurrent updates of one TLD through 2 copies, all are 200' \
    "$(sort "$T/race2" | uniq -c | awk '{printf "%s:%s ", $2, $1}')" '200:16 '

# ----------------------------------------------------------- delete

t_is 'DELETE is 204 with no body' "$(t_req DELETE "/v2/tlds/$TEST") $(wc -c <"$T/body" | tr -d ' ')" '204 0'
t_err 404 tld_not_found 'the deleted TLD is gone' GET "/v2/tlds/$TEST"
t_is 'its name is free again' "$(t_req POST /v2/tlds '{"name":"test"}')" 201
for id in $(t_req GET '/v2/tlds?limit=max' >/dev/null; t_json '.tlds[].id'); do
	t_req DELETE "/v2/tlds/$id" >/dev/null
done
t_is 'every TLD deleted' "$(t_req GET /v2/tlds; t_json '" \(.metadata.total_count)"')" '200 0'
t_is 'with no TLD, any zone name goes again' \
    "$(t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"z-$$.bogus.\",\"email\":\"h@example.test\"}")" 202

t_ok 'every zone-central and zone-api is still running' t_stack_alive

t_done
