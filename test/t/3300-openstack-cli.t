#!/bin/sh
# 3300: the Debian openstack CLI (python3-openstackclient with
# python3-designateclient) works against zone-api without Keystone, as in
# shared/spec/examples/designate-15/cli.txt: auth type none, endpoint .../v2,
# --sudo-project-id (noauth default role is admin).
. "${0%/*}/../lib.sh"

t_plan 27
command -v openstack >/dev/null 2>&1 ||
    t_abort 'no openstack CLI: make deps installs python3-openstackclient'
for v in $(env | sed -n 's/^\(OS_[A-Za-z_]*\)=.*/\1/p'); do
	unset "$v"
done

t_stack 1 1 || t_abort "start nats-server, zone-central and zone-api"

P=cli-$$
ZN="cli-$$.example.test."

# cli ARGS...: openstack against our API; stdout in $T/out, stderr shown
# as diagnostics on failure.
cli() {
	openstack --os-auth-type none --os-endpoint "$ZONE_URL/v2" "$@" \
	    >"$T/out" 2>"$T/err" </dev/null && return 0
	_rc=$?
	t_diag "openstack $* exited $_rc"
	sed 's/^/# /' "$T/err" | tail -n 15 >&2
	return "$_rc"
}

# out FILTER: jq -r FILTER on the last CLI output.
out() {
	jq -r "$1" "$T/out" 2>/dev/null
}

ZONE_KEYS='["action","attributes","created_at","description","email","id","masters","name","pool_id","project_id","serial","status","transferred_at","ttl","type","updated_at","version"]'
RS_KEYS='["action","created_at","description","id","name","project_id","records","status","ttl","type","updated_at","version","zone_id","zone_name"]'

# ----------------------------------------------------------- zones

t_ok 'zone create' cli zone create --email hostmaster@example.test --sudo-project-id "$P" "$ZN" -f json
t_ok 'zone create: every field of cli.txt is there' \
    jq -e --argjson k "$ZONE_KEYS" '. as $d | $k | all(. as $f | $d | has($f))' "$T/out"
ZID=$(out .id)
t_is 'zone create: name, email, project, ttl, type' \
    "$(out '[.name, .email, .project_id, .ttl, .type] | join(" ")')" \
    "$ZN hostmaster@example.test $P 3600 PRIMARY"
t_is 'zone create: PENDING CREATE, version 1' "$(out '"\(.status) \(.action) \(.version)"')" 'PENDING CREATE 1'
t_ok 'zone create: serial is a positive integer, pool_id and id are uuids' \
    jq -e '(.serial | type == "number" and . > 0)
	and ([.id, .pool_id] | all(test("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")))' "$T/out"

t_ok 'zone list --sudo-project-id' cli zone list --sudo-project-id "$P" -f json
t_is 'zone list: the zone, with the list columns' \
    "$(out '[.[] | "\(.id) \(.name) \(.type) \(.status) \(.action) \(.serial | type)"] | join(";")')" \
    "$ZID $ZN PRIMARY PENDING CREATE number"

t_ok 'zone show by name' cli zone show --sudo-project-id "$P" "$ZN" -f json
t_is 'zone show: same id and name' "$(out '"\(.id) \(.name)"')" "$ZID $ZN"

t_ok 'zone set --ttl --description' \
    cli zone set --sudo-project-id "$P" --ttl 7200 --description 'set by cli' "$ZN" -f json
t_is 'zone set: new ttl and description, PENDING UPDATE' \
    "$(out '"\(.ttl)|\(.description)|\(.status)|\(.action)"')" '7200|set by cli|PENDING|UPDATE'

# ----------------------------------------------------------- recordsets

t_ok 'recordset create' \
    cli recordset create --sudo-project-id "$P" --type A --record 192.0.2.30 "$ZN" www -f json
t_ok 'recordset create: every field of cli.txt is there' \
    jq -e --argjson k "$RS_KEYS" '. as $d | $k | all(. as $f | $d | has($f))' "$T/out"
RID=$(out .id)
t_is 'recordset create: name, type, records, zone, PENDING CREATE' \
    "$(out '[.name, .type, .records, .zone_id, .zone_name, .project_id, .status, .action] | join(" ")')" \
    "www.$ZN A 192.0.2.30 $ZID $ZN $P PENDING CREATE"

t_ok 'recordset list' cli recordset list --sudo-project-id "$P" "$ZN" -f json
t_is 'recordset list: SOA, NS and the A' "$(out '[.[].type] | sort | join(" ")')" 'A NS SOA'

t_ok 'recordset show by name' cli recordset show --sudo-project-id "$P" "$ZN" "www.$ZN" -f json
t_is 'recordset show: same id' "$(out '"\(.id) \(.name)"')" "$RID www.$ZN"

t_ok 'recordset set --record --ttl' \
    cli recordset set --sudo-project-id "$P" --record 192.0.2.31 --ttl 600 "$ZN" "www.$ZN" -f json
t_is 'recordset set: new record and ttl, PENDING UPDATE' \
    "$(out '"\(.records) \(.ttl) \(.status) \(.action)"')" '192.0.2.31 600 PENDING UPDATE'

t_ok 'recordset delete' cli recordset delete --sudo-project-id "$P" "$ZN" "www.$ZN"
t_ok 'recordset list after delete: SOA and NS only' \
    sh -c 'openstack --os-auth-type none --os-endpoint "$1/v2" recordset list --sudo-project-id "$2" "$3" -f json |
	jq -e "[.[].type] | sort == [\"NS\", \"SOA\"]"' sh "$ZONE_URL" "$P" "$ZN"

# ----------------------------------------------------------- projects, delete

t_ok 'zone list without a project (noauth-project) is empty' \
    sh -c 'openstack --os-auth-type none --os-endpoint "$1/v2" zone list -f json | jq -e "length == 0"' sh "$ZONE_URL"
t_ok 'zone list --all-projects shows the zone and its project' \
    sh -c 'openstack --os-auth-type none --os-endpoint "$1/v2" zone list --all-projects -f json |
	jq -e --arg n "$2" --arg p "$3" "any(.[]; .name == \$n and .project_id == \$p)"' sh "$ZONE_URL" "$ZN" "$P"

t_ok 'zone delete' cli zone delete --sudo-project-id "$P" "$ZN"
t_is 'zone show after delete: action DELETE' \
    "$(t_req -H "X-Auth-Sudo-Project-ID: $P" GET "/v2/zones/$ZID"; t_json '" \(.action)"')" '200 DELETE'

t_ok 'zone-central and zone-api are still running' t_stack_alive

t_done
