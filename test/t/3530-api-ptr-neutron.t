#!/bin/sh
# 3530: floating IP PTRs (api-v2.md 9, services.md 2.10) against a real
# Neutron and a real Keystone (share/zone/neutron.sh, keystone.sh): two
# zone-central, two zone-api (auth_strategy keystone, api.neutron_url),
# zone-xfr and zone-notify with BIND 9 as the pool's catalog consumer.
# A member's floating IP gets a PTR that BIND answers, in a /24 reverse
# zone owned by the managed-resource project; only the project holding
# the floating IP sees it (admins through sudo); unset takes it off BIND;
# bad input is 400 with invalid_object.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 34
for c in keystone-manage uwsgi mariadbd named jq; do
	command -v "$c" >/dev/null 2>&1 ||
	    t_abort "no $c: make deps installs python3-keystone, uwsgi, mariadb-server, bind9"
done
/usr/bin/python3 -c 'import neutron' 2>/dev/null ||
    t_abort 'no python3-neutron: make deps installs it'
for v in $(env | sed -n 's/^\(OS_[A-Za-z_]*\)=.*/\1/p'); do
	unset "$v"
done
SH=${0%/*}/../../share/zone
KS=$T/ks
NE=$T/neutron
mkdir -p "$KS" "$NE"
KS_PIDS=
trap '_rc0=$?; sh "$SH/neutron.sh" stop "$NE" 2>/dev/null;
    sh "$SH/keystone.sh" stop "$KS" 2>/dev/null || kill $KS_PIDS 2>/dev/null;
    (exit $_rc0); _t_cleanup' EXIT

sh "$SH/keystone.sh" start "$KS" >"$T/ks.out" 2>&1 ||
    { tail -n 20 "$T/ks.out" >&2; t_abort 'keystone.sh start'; }
KS_PIDS="$(cat "$KS/keystone.pid" "$KS/mariadb.pid.own")"
sh "$SH/neutron.sh" start "$KS" "$NE" >"$T/neutron.out" 2>&1 ||
    { tail -n 30 "$T/neutron.out" "$NE/neutron.log" >&2; t_abort 'neutron.sh start'; }
. "$NE/neutron.env"
eval "$(grep -E '^(KEYSTONE_URL|ZONE_API_[A-Z_]*)=' "$KS/keystone.env" | sed 's/^/export /')"

CAT=catalog.ptr.test.
X1=$(t_port)
X2=$(t_port)
XFR_PORTS="$X1 $X2"
t_named bind1 "$X1" catalog "$CAT" || t_abort 'start named'
ZONE_API_AUTH_STRATEGY=keystone
ZONE_API_NEUTRON_URL=$NEUTRON_URL
ZONE_CENTRAL_MANAGED_RESOURCE_TENANT_ID=managed-$$
export ZONE_API_AUTH_STRATEGY ZONE_API_NEUTRON_URL ZONE_CENTRAL_MANAGED_RESOURCE_TENANT_ID
t_stack 2 2 || t_abort 'start nats-server, 2 zone-central, 2 zone-api'
t_pools "$T/pools.yaml" pool=default "catalog=$CAT" catalog-target=bind1
t_pool_update "$T/pools.yaml" || t_abort 'zone-manage pool update'
t_xfr xfr1 "$X1"
t_xfr xfr2 "$X2"
t_notify notify1
t_notify notify2
t_running xfr1 xfr2 notify1 notify2 || t_abort 'zone-xfr, zone-notify'
for u in "alice p-a member" "rita p-a reader" "carl p-c member"; do
	# shellcheck disable=SC2086
	sh "$SH/keystone.sh" user "$KS" $u >/dev/null 2>&1 || t_abort "user $u"
done

# token USER PROJECT: a project-scoped token (t_token)
token() {
	t_token "$KS" "$1" "$2"
}
TA=$(token alice p-a)
TR=$(token rita p-a)
TC=$(token carl p-c)
TADM=$(token admin admin)
A="X-Auth-Token: $TA"
PROJ=
FIPS=/v2/reverse/floatingips

t_is 'no floating IP yet: an empty list' \
    "$(t_req -H "$A" GET $FIPS; t_json '" \(.floatingips | length) \(has("metadata"))"')" '200 0 false'

# A floating IP of alice's project, made in Neutron with her token.
curl -s -o "$T/fip.json" -H "X-Auth-Token: $TA" -H 'Content-Type: application/json' \
    --data-binary "{\"floatingip\":{\"floating_network_id\":\"$NEUTRON_PUBLIC_NETWORK_ID\"}}" \
    "$NEUTRON_URL/v2.0/floatingips"
FID=$(jq -r .floatingip.id "$T/fip.json")
ADDR=$(jq -r .floatingip.floating_ip_address "$T/fip.json")
t_ok "Neutron made a floating IP ($ADDR)" test -n "$ADDR" -a "$ADDR" != null
K=RegionOne:$FID
REV=$(echo "$ADDR" | awk -F. '{ printf "%s.%s.%s.%s.in-addr.arpa.", $4, $3, $2, $1 }')
REVZ=${REV#*.}

t_is 'the list shows it with no PTR: INACTIVE, ptrdname null' \
    "$(t_req -H "$A" GET $FIPS; t_json '" \([.floatingips[] | "\(.id) \(.address) \(.ptrdname) \(.status)"] | join(","))"')" \
    "200 $K $ADDR null INACTIVE"
t_is 'show: the same, its links.self' \
    "$(t_req -H "$A" GET "$FIPS/$K"; t_json '" \(.status) \(.links.self | endswith("/v2/reverse/floatingips/'"$K"'"))"')" \
    '200 INACTIVE true'

# bad input: 400 invalid_object, and nothing set
t_err 400 invalid_object 'ttl -10' -H "$A" PATCH "$FIPS/$K" '{"ptrdname":"h.example.org.","ttl":-10}'
t_err 400 invalid_object 'ttl a string' -H "$A" PATCH "$FIPS/$K" '{"ptrdname":"h.example.org.","ttl":"300"}'
t_err 400 invalid_object 'a 5,000-character description' -H "$A" PATCH "$FIPS/$K" \
    "{\"ptrdname\":\"h.example.org.\",\"description\":\"$(printf '%5000s' '' | tr ' ' d)\"}"
t_err 400 invalid_object 'ptrdname "@!(*&"' -H "$A" PATCH "$FIPS/$K" '{"ptrdname":"@!(*&"}'
t_err 400 invalid_object 'ptrdname a number' -H "$A" PATCH "$FIPS/$K" '{"ptrdname":4564}'
t_err 400 invalid_object 'ptrdname empty' -H "$A" PATCH "$FIPS/$K" '{"ptrdname":""}'
t_err 400 invalid_object 'an unknown key' -H "$A" PATCH "$FIPS/$K" '{"ptrdname":"h.example.org.","address":"192.0.2.1"}'
t_err 400 invalid_object 'a key without its region' -H "$A" GET "$FIPS/$FID"
t_err 404 not_found 'another region' -H "$A" GET "$FIPS/RegionTwo:$FID"
t_err 404 not_found 'a floating IP Neutron does not know' -H "$A" PATCH \
    "$FIPS/RegionOne:5e8f0c1a-4a8e-4b5e-9f7e-0123456789ab" '{"ptrdname":"h.example.org."}'
t_err 404 not_found "another project's floating IP" -H "X-Auth-Token: $TC" GET "$FIPS/$K"
t_err 403 forbidden 'a reader cannot set a PTR' -H "X-Auth-Token: $TR" PATCH "$FIPS/$K" '{"ptrdname":"h.example.org."}'
t_is 'still INACTIVE after all that' "$(t_req -H "$A" GET "$FIPS/$K"; t_json '" \(.status)"')" '200 INACTIVE'

# set
PTR=host-$$.example.org.
t_is 'set: 202, CREATE PENDING, the name, ttl and description' \
    "$(t_req -H "$A" PATCH "$FIPS/$K" "{\"ptrdname\":\"$PTR\",\"ttl\":600,\"description\":\"d1\"}"; t_json '" \(.action) \(.status) \(.ptrdname) \(.ttl) \(.description) \(.address)"')" \
    "202 CREATE PENDING $PTR 600 d1 $ADDR"
w=0
while [ "$(t_req -H "$A" GET "$FIPS/$K" >/dev/null; t_json .status)" != ACTIVE ] && [ $w -lt 150 ]; do
	sleep 0.2
	w=$((w + 1))
done
t_is 'it goes ACTIVE' "$(t_json .status)" ACTIVE
t_is 'BIND answers the PTR' "$(t_dig "$bind1_PORT" "$REV" PTR)" "$PTR"
t_is 'both zone-xfr copies serve it' "$(t_dig "$X1" "$REV" PTR) $(t_dig "$X2" "$REV" PTR)" "$PTR $PTR"
t_is "the reverse zone $REVZ belongs to the managed-resource project" \
    "$(t_req -H "X-Auth-Token: $TADM" -H 'X-Auth-All-Projects: true' GET "/v2/zones?name=$REVZ"; t_json '" \([.zones[].project_id] | join(","))"')" \
    "200 managed-$$"
t_is 'alice does not own the reverse zone' \
    "$(t_req -H "$A" GET "/v2/zones?name=$REVZ"; t_json '" \(.zones | length)"')" '200 0'
t_err 404 not_found 'an admin without sudo does not see it' -H "X-Auth-Token: $TADM" GET "$FIPS/$K"
PAID=$(curl -s -H "X-Auth-Token: $TADM" "$KEYSTONE_URL/projects?name=p-a" | jq -r '.projects[0].id')
t_is 'an admin with sudo to the project sees it' \
    "$(t_req -H "X-Auth-Token: $TADM" -H "X-Auth-Sudo-Project-ID: $PAID" GET "$FIPS/$K"; t_json '" \(.ptrdname)"')" "200 $PTR"
t_is 'the list shows the PTR' \
    "$(t_req -H "$A" GET $FIPS; t_json '" \([.floatingips[] | "\(.ptrdname) \(.status)"] | join(","))"')" "200 $PTR ACTIVE"
t_is 'set again with a new name: 202, UPDATE' \
    "$(t_req -H "$A" PATCH "$FIPS/$K" "{\"ptrdname\":\"b-$PTR\"}"; t_json '" \(.action) \(.ptrdname)"')" "202 UPDATE b-$PTR"
w=0
while [ "$(t_dig "$bind1_PORT" "$REV" PTR)" != "b-$PTR" ] && [ $w -lt 100 ]; do
	sleep 0.2
	w=$((w + 1))
done
t_is 'BIND answers the new name' "$(t_dig "$bind1_PORT" "$REV" PTR)" "b-$PTR"

# unset
t_is 'unset: 202 and no body' \
    "$(t_req -H "$A" PATCH "$FIPS/$K" '{"ptrdname":null}') $(wc -c <"$T/body" | tr -d ' ')" '202 0'
t_is 'and no Content-Type (clients would parse an empty JSON body)' "$(t_hdr Content-Type)" ''
t_is 'INACTIVE again' "$(t_req -H "$A" GET "$FIPS/$K"; t_json '" \(.status) \(.ptrdname)"')" '200 INACTIVE null'
w=0
while [ -n "$(t_dig "$bind1_PORT" "$REV" PTR)" ] && [ $w -lt 100 ]; do
	sleep 0.2
	w=$((w + 1))
done
t_is 'BIND no longer answers the PTR' "$(t_dig "$bind1_PORT" "$REV" PTR)" ''
t_is 'unset twice is still 202' "$(t_req -H "$A" PATCH "$FIPS/$K" '{"ptrdname":null}')" 202
t_ok 'every daemon still runs' t_running central1 central2 api1 api2 xfr1 xfr2 notify1 notify2
t_done
