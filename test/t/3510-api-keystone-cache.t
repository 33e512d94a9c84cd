#!/bin/sh
# 3510: zone-api's token cache against a fake Keystone that counts its
# calls (3510-*.d/fake-keystone.py): one call per token however many
# requests share it, refused tokens remembered, nothing past expires_at,
# the TTL, the service token renewed when Keystone refuses it, 503 at once
# (never a hang) when Keystone is slow or failing while cached tokens keep
# working, SIGHUP forgets, Connection: close is echoed; -n checks the
# password file.
. "${0%/*}/../lib.sh"

t_plan 28
D=${0%/*}/3510-api-keystone-cache.d
PY=/usr/bin/python3

/usr/bin/python3 "$D/fake-keystone.py" "$T/ks.port" </dev/null >>"$T/ks.log" 2>&1 &
echo $! >"$T/ks.pid"
i=0
while [ ! -s "$T/ks.port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
KS=http://127.0.0.1:$(cat "$T/ks.port")
t_ok 'the fake Keystone runs' curl -sf -o /dev/null "$KS/ctl"

printf 'secret\n' >"$T/pw"
ZONE_API_AUTH_STRATEGY=keystone
ZONE_API_KEYSTONE_URL=$KS
ZONE_API_AUTH_PASSWORD_FILE=$T/pw
ZONE_API_KEYSTONE_TIMEOUT_MS=500
ZONE_API_TOKEN_CACHE_S=30
export ZONE_API_AUTH_STRATEGY ZONE_API_KEYSTONE_URL ZONE_API_AUTH_PASSWORD_FILE
export ZONE_API_KEYSTONE_TIMEOUT_MS ZONE_API_TOKEN_CACHE_S

t_fails_with 78 'zone-api -n: keystone without a readable password file is exit 78' \
    env ZONE_API_AUTH_PASSWORD_FILE="$T/nope" zone-api -n
t_ok 'zone-api -n: keystone with its keys is fine' zone-api -n

t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api (keystone)'
API_PID=$(t_pid api1)
P2=$(t_port)
t_start api2 env ZONE_API_TOKEN_CACHE_S=1 zone-api -l "127.0.0.1:$P2" ||
    t_abort 'start a second zone-api with token_cache_s = 1'
URL2=http://127.0.0.1:$P2

# checks TOKEN: how many times Keystone was asked about TOKEN
checks() {
	curl -s "$KS/ctl" | jq -r --arg t "$1" '.checks[$t] // 0'
}
logins() {
	curl -s "$KS/ctl" | jq -r .logins
}
# get TOKEN [URL]: the status of GET /v2/zones with TOKEN
get() {
	curl -s -o "$T/body" -w '%{http_code}' -H "X-Auth-Token: $1" \
	    "${2:-$ZONE_URL}/v2/zones"
}
mode() {
	curl -sf -o /dev/null "$KS/ctl?mode=$1"
}

t_is 'a token Keystone knows: 200' "$(get tok-a)" 200
t_is 'a zone it creates is in the token'"'"'s project' "$(t_req -H 'X-Auth-Token: tok-a' \
    POST /v2/zones '{"name":"fake-ks.example.test.","email":"h@example.test"}') $(t_json .project_id)" '202 p-a'
i=0
while [ $i -lt 50 ]; do get tok-a >/dev/null; i=$((i + 1)); done
t_is '52 requests with it: Keystone was asked once' "$(checks tok-a)" 1

i=0
while [ $i -lt 40 ]; do echo "$ZONE_URL/v2/zones/"; i=$((i + 1)); done >"$T/urls"
xargs -n 1 -P 16 curl -s -o /dev/null -w '%{http_code}\n' \
    -H 'X-Auth-Token: tok-b' <"$T/urls" >"$T/codes"
t_is '40 concurrent requests with a new token all pass' "$(grep -c '^200$' "$T/codes")" 40
t_is '... with one call to Keystone between them' "$(checks tok-b)" 1

t_is 'an unknown token: 401' "$(get bogus-1)" 401
t_is 'again: 401' "$(get bogus-1)" 401
t_is 'a refused token is remembered (one call)' "$(checks bogus-1)" 1

t_is 'a token that expires in 2 s works' "$(get tok-short-2)" 200
sleep 2.5
t_is 'after its expires_at: 401, though the cache TTL is 30 s' "$(get tok-short-2)" 401
t_is '... decided without asking Keystone' "$(checks tok-short-2)" 1

t_is 'token_cache_s = 1: first request' "$(get tok-c "$URL2")" 200
sleep 1.5
t_is 'after the TTL: still 200' "$(get tok-c "$URL2")" 200
t_is '... after asking Keystone again' "$(checks tok-c)" 2

L0=$(logins)
curl -sf -o /dev/null "$KS/ctl?revoke=1"
t_is 'Keystone forgets the service token: a new token still works' "$(get tok-d)" 200
t_is '... zone-api logged in again' "$(logins)" $((L0 + 1))

mode slow
S0=$(date +%s)
t_is 'Keystone slower than keystone_timeout_ms: a new token is 503' "$(get tok-e)" 503
t_ok '... with an error body that says why' \
    jq -e '.code == 503 and .type == "service_unavailable" and (.message | test("timed out"))' "$T/body"
t_ok '... within 2 s' test $(($(date +%s) - S0)) -le 2
t_is 'a cached token keeps working' "$(get tok-a)" 200
sleep 1.2
t_is 'a token past its TTL is still served while Keystone fails' "$(get tok-c "$URL2")" 200
mode error
sleep 1.2
t_is 'Keystone answers 500: a new token is 503' "$(get tok-f)" 503
mode ok
sleep 1.2
t_is 'Keystone is fine again: the new token works, no restart' \
    "$(get tok-f) $(t_pid api1)" "200 $API_PID"

kill -HUP "$API_PID"
sleep 0.5
get tok-a >/dev/null
t_is 'SIGHUP forgets the cached tokens' "$(checks tok-a)" 2

t_is 'Connection: close is answered with Connection: close' \
    "$(curl -s -D - -o /dev/null -H 'Connection: close' -H 'X-Auth-Token: tok-a' \
	"$ZONE_URL/v2/zones" | tr -d '\r' | grep -ci '^connection: close$')" 1
t_done
