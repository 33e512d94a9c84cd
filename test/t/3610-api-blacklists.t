#!/bin/sh
# 3610: blacklists (api-v2.md 10.2): create, list with paging and the
# pattern filter, show, update, delete, admins only, 404
# blacklist_not_found, 409 duplicate_blacklist, patterns that are not
# POSIX extended regular expressions (400 invalid_object); a zone whose
# name a pattern finds is refused to members (400 invalid_zone_name) and
# allowed to admins.
. "${0%/*}/../lib.sh"

t_plan 58

t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"
MEMBER='X-Roles: member'
NIL=6ef3b7f2-df39-43ef-9f37-ce2bc424ab90
PROJ=pb-$$

# ----------------------------------------------------------- create and show

t_is 'POST /v2/blacklists is 201' \
    "$(t_req POST /v2/blacklists '{"pattern":"^evil\\.","description":"no evil"}')" 201
EVIL=$(t_json .id)
t_is 'the blacklist has its pattern, description and times' \
    "$(t_json '"\(.pattern) \(.description) \(.updated_at) \([keys[]] | join(","))"')" \
    '^evil\. no evil null created_at,description,id,links,pattern,updated_at'
t_is 'Location and links.self are <base>/v2/blacklists/<id>' \
    "$(t_hdr Location) $(t_json .links.self)" "$ZONE_URL/v2/blacklists/$EVIL $ZONE_URL/v2/blacklists/$EVIL"
t_is 'GET it' "$(t_req GET "/v2/blacklists/$EVIL"; t_json '" \(.pattern)"')" '200 ^evil\.'
for p in 'bad[0-9]+\\.test\\.$' '^spam' '.*\\.porn\\.$'; do
	t_req POST /v2/blacklists "{\"pattern\":\"$p\"}" >"$T/st"
	[ "$(cat "$T/st")" = 201 ] || t_diag "create $p: $(cat "$T/st") $(cat "$T/body")"
done
t_is 'three more are made' "$(t_req GET /v2/blacklists; t_json '" \(.metadata.total_count)"')" '200 4'
t_err 409 duplicate_blacklist 'the same pattern again is 409' POST /v2/blacklists '{"pattern":"^evil\\."}'
t_is 'a pattern differing only in case is another pattern' \
    "$(t_req POST /v2/blacklists '{"pattern":"^EVIL\\."}')" 201
UPPER=$(t_json .id)

# ----------------------------------------------------------- list

t_req GET '/v2/blacklists?limit=3' >/dev/null
t_is 'limit=3: 3 of 5 and a next link' \
    "$(t_json '"\(.blacklists | length) \(.metadata.total_count) \(.links.next | test("limit=3&marker="))"')" '3 5 true'
t_req GET "$(t_json .links.next)" >/dev/null
t_is 'the next page has the other 2 and no next link' \
    "$(t_json '"\(.blacklists | length) \(.links.next == null)"')" '2 true'
t_is 'filter pattern=^spam' \
    "$(t_req GET '/v2/blacklists?pattern=%5Espam'; t_json '" \([.blacklists[].pattern] | join(","))"')" '200 ^spam'
t_is 'filter pattern=*evil* (wildcard, without case)' \
    "$(t_req GET '/v2/blacklists?pattern=*evil*'; t_json '" \(.metadata.total_count)"')" '200 2'
t_is 'sort_key=pattern' \
    "$(t_req GET '/v2/blacklists?sort_key=pattern'; t_json '" \(.blacklists[0].pattern)"')" '200 .*\.porn\.$'
t_err 400 invalid_sort_key 'sort_key=name is not a blacklist key' GET '/v2/blacklists?sort_key=name'
t_err 400 bad_request 'filter name is not a blacklist filter' GET '/v2/blacklists?name=x'
t_err 400 invalid_limit 'limit=-1' GET '/v2/blacklists?limit=-1'
t_err 400 marker_not_found 'an unknown marker' GET "/v2/blacklists?marker=$NIL"

# ----------------------------------------------------------- zones

t_err 400 invalid_zone_name 'a member cannot create a blacklisted zone' \
    -H "$MEMBER" POST /v2/zones "{\"name\":\"evil.z$$.example.test.\",\"email\":\"h@example.test\"}"
t_is 'the message says why' "$(t_json .message)" 'Blacklisted zone name'
t_err 400 invalid_zone_name 'another pattern refuses another name' \
    -H "$MEMBER" POST /v2/zones "{\"name\":\"bad42.test.\",\"email\":\"h@example.test\"}"
t_err 400 invalid_zone_name 'names are matched also in lower case' \
    -H "$MEMBER" POST /v2/zones "{\"name\":\"SPAM-$$.example.test.\",\"email\":\"h@example.test\"}"
t_is 'a name no pattern finds is made' \
    "$(t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"good-$$.example.test.\",\"email\":\"h@example.test\"}")" 202
t_is 'an admin may create a blacklisted zone' \
    "$(t_req POST /v2/zones "{\"name\":\"evil.z$$.example.test.\",\"email\":\"h@example.test\"}")" 202

# ----------------------------------------------------------- update

t_is 'PATCH the pattern' \
    "$(t_req PATCH "/v2/blacklists/$UPPER" '{"pattern":"^wicked\\."}'; t_json '" \(.pattern) \(.updated_at != null)"')" '200 ^wicked\. true'
t_err 400 invalid_zone_name 'the new pattern applies at once' \
    -H "$MEMBER" POST /v2/zones "{\"name\":\"wicked.example-$$.test.\",\"email\":\"h@example.test\"}"
t_err 409 duplicate_blacklist 'renaming onto an existing pattern is 409' \
    PATCH "/v2/blacklists/$UPPER" '{"pattern":"^spam"}'
t_is 'PATCH the description' \
    "$(t_req PATCH "/v2/blacklists/$UPPER" '{"description":null}'; t_json '" \(.description)"')" '200 null'
t_err 400 invalid_object 'PATCH a bad regex' PATCH "/v2/blacklists/$UPPER" '{"pattern":"("}'

# ----------------------------------------------------------- 404, 403

t_err 404 blacklist_not_found 'GET an unknown blacklist' GET "/v2/blacklists/$NIL"
t_err 404 blacklist_not_found 'PATCH an unknown blacklist' PATCH "/v2/blacklists/$NIL" '{"pattern":"x"}'
t_err 404 blacklist_not_found 'DELETE an unknown blacklist' DELETE "/v2/blacklists/$NIL"
t_err 400 invalid_uuid 'an id that is not a UUID' DELETE /v2/blacklists/12
t_err 405 method_not_allowed 'PUT is not a blacklist method' PUT "/v2/blacklists/$EVIL" '{"pattern":"x"}'
t_err 403 forbidden 'a member cannot create a blacklist' -H "$MEMBER" POST /v2/blacklists '{"pattern":"x"}'
t_err 403 forbidden 'a member cannot list blacklists' -H "$MEMBER" GET /v2/blacklists
t_err 403 forbidden 'a member cannot show a blacklist' -H "$MEMBER" GET "/v2/blacklists/$EVIL"
t_err 403 forbidden 'a member cannot update a blacklist' -H "$MEMBER" PATCH "/v2/blacklists/$EVIL" '{"pattern":"x"}'
t_err 403 forbidden 'a member cannot delete a blacklist' -H "$MEMBER" DELETE "/v2/blacklists/$EVIL"

# ----------------------------------------------------------- bad patterns and bodies

LONG256=$(printf 'p%.0s' $(seq 256))
t_err 400 invalid_object 'an unclosed group' POST /v2/blacklists '{"pattern":"("}'
t_err 400 invalid_object 'an unclosed bracket' POST /v2/blacklists '{"pattern":"[a-"}'
t_err 400 invalid_object 'a repeat with min > max' POST /v2/blacklists '{"pattern":"a{2,1}"}'
t_err 400 invalid_object 'a leading *' POST /v2/blacklists '{"pattern":"*abc"}'
t_err 400 invalid_object 'a leading +' POST /v2/blacklists '{"pattern":"+abc"}'
t_err 400 invalid_object 'Python (?i) syntax' POST /v2/blacklists '{"pattern":"(?i)evil"}'
t_err 400 invalid_object 'a trailing backslash' POST /v2/blacklists '{"pattern":"\\"}'
t_err 400 invalid_object 'an unknown character class' POST /v2/blacklists '{"pattern":"[[:foo:]]"}'
t_err 400 invalid_object 'a repeat count too large' POST /v2/blacklists '{"pattern":"x{99999}"}'
t_err 400 invalid_object 'an empty pattern' POST /v2/blacklists '{"pattern":""}'
t_err 400 invalid_object 'a pattern of 256 characters' POST /v2/blacklists "{\"pattern\":\"$LONG256\"}"
t_err 400 invalid_object 'a number for a pattern' POST /v2/blacklists '{"pattern":42}'
t_err 400 invalid_object 'a list for a pattern' POST /v2/blacklists '{"pattern":["a"]}'
t_err 400 invalid_object 'no pattern' POST /v2/blacklists '{"description":"x"}'
t_err 400 invalid_object 'an unknown key' POST /v2/blacklists '{"pattern":"x","name":"y"}'
t_err 400 invalid_object 'a bad description' POST /v2/blacklists '{"pattern":"x","description":true}'

# ----------------------------------------------------------- delete

t_is 'DELETE is 204' "$(t_req DELETE "/v2/blacklists/$EVIL")" 204
t_err 404 blacklist_not_found 'the deleted blacklist is gone' GET "/v2/blacklists/$EVIL"
t_is 'a member may now create the name it refused' \
    "$(t_req -H "$MEMBER" POST /v2/zones "{\"name\":\"evil.w$$.example.test.\",\"email\":\"h@example.test\"}")" 202
t_is 'the pattern may be made again' "$(t_req POST /v2/blacklists '{"pattern":"^evil\\."}')" 201

t_ok 'every zone-central and zone-api is still running' t_stack_alive

t_done
