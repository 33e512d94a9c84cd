#!/bin/sh
# 3520: the Debian openstack CLI (python3-designateclient 5.0) through a
# real Keystone: password auth, the dns endpoint from the catalog, against
# two zone-central and two zone-api (auth_strategy = keystone).  A member
# drives zones, recordsets, exports, imports and transfer requests; the
# admin drives TLDs, TSIG keys, quotas and service statuses; a member of
# another project accepts the transfer.  (The 5.0 client has no "zone
# share" commands: shares are covered by the API tests 3700 and tempest.)
. "${0%/*}/../lib.sh"

t_plan 50
for c in keystone-manage uwsgi mariadbd openstack jq; do
	command -v "$c" >/dev/null 2>&1 ||
	    t_abort "no $c: make deps installs python3-keystone, uwsgi, mariadb-server, python3-openstackclient"
done
for v in $(env | sed -n 's/^\(OS_[A-Za-z_]*\)=.*/\1/p'); do
	unset "$v"
done
KS_SH=${0%/*}/../../share/zone/keystone.sh
D=${0%/*}/3800-api-import-export.d
KS=$T/ks
mkdir -p "$KS"
KS_PIDS=
trap '_rc0=$?; sh "$KS_SH" stop "$KS" 2>/dev/null || kill $KS_PIDS 2>/dev/null;
    (exit $_rc0); _t_cleanup' EXIT

sh "$KS_SH" start "$KS" >"$T/ks.out" 2>&1 ||
    { tail -n 20 "$T/ks.out" "$KS"/*.log >&2; t_abort 'keystone.sh start'; }
KS_PIDS="$(cat "$KS/keystone.pid" "$KS/mariadb.pid.own")"
# the admin's OS_* stay in keystone.env: only what zone-api needs here
eval "$(grep -E '^(KEYSTONE_URL|ZONE_API_[A-Z_]*)=' "$KS/keystone.env" | sed 's/^/export /')"

ZONE_API_AUTH_STRATEGY=keystone
ZONE_API_QUOTAS_VERIFY_PROJECT_ID=true
export ZONE_API_AUTH_STRATEGY ZONE_API_QUOTAS_VERIFY_PROJECT_ID
t_stack 2 2 || t_abort 'start nats-server, 2 zone-central and 2 zone-api (keystone)'
sh "$KS_SH" endpoint "$KS" "$ZONE_URL" >/dev/null 2>&1 || t_abort 'register the dns endpoint'
sh "$KS_SH" user "$KS" alice cli-a member >/dev/null 2>&1 &&
    sh "$KS_SH" user "$KS" carl cli-c member >/dev/null 2>&1 || t_abort 'users alice and carl'

# as USER ARGS...: openstack as USER (alice, carl: members of cli-a,
# cli-c; admin: the admin project); stdout in $T/out, -f json added last
# unless ARGS say -f themselves.
as() {
	_u=$1
	shift
	(
		. "$KS/keystone.env"
		if [ "$_u" != admin ]; then
			OS_USERNAME=$_u
			OS_PASSWORD=$(cat "$KS/$_u.pw")
			OS_PROJECT_NAME=$(sed -n "s/^$_u //p" "$T/projects")
		fi
		exec openstack "$@"
	) >"$T/out" 2>"$T/err" </dev/null && return 0
	_rc=$?
	t_diag "openstack ($_u) $* exited $_rc"
	tail -n 15 "$T/err" | sed 's/^/# /' >&2
	return "$_rc"
}
out() { jq -r "$1" "$T/out" 2>/dev/null; }
# refused USER PATTERN ARGS...: openstack as USER fails, its error
# matching PATTERN (grep -i).
refused() {
	_ru=$1
	_rp=$2
	shift 2
	if as "$_ru" "$@" 2>/dev/null; then
		t_diag "openstack ($_ru) $* succeeded"
		return 1
	fi
	grep -qi -e "$_rp" "$T/err" && return 0
	t_diag "openstack ($_ru) $*: no '$_rp' in:"
	tail -n 5 "$T/err" | sed 's/^/# /' >&2
	return 1
}
printf 'alice cli-a\ncarl cli-c\n' >"$T/projects"

t_ok 'openstack project list (admin)' as admin project list -f json
PA=$(out '.[] | select(.Name == "cli-a") | .ID')
PC=$(out '.[] | select(.Name == "cli-c") | .ID')

# ----------------------------------------------------------- member: zones, recordsets

Z=cli-$$.example.test.
t_ok 'zone create' as alice zone create --email hostmaster@example.test "$Z" -f json
ZID=$(out .id)
t_is 'in the caller'"'"'s project, CREATE PENDING' "$(out '"\(.project_id) \(.action) \(.status)"')" \
    "$PA CREATE PENDING"
t_ok 'zone set --description --ttl' as alice zone set "$Z" --description 'from the cli' --ttl 600 -f json
t_is 'the new description and ttl' "$(out '"\(.description) \(.ttl)"')" 'from the cli 600'
t_ok 'zone list' as alice zone list -f json
t_is 'zone list: the zone' "$(out '[.[].name] | join(" ")')" "$Z"
t_ok 'recordset create' as alice recordset create --type A --record 192.0.2.7 --record 192.0.2.8 "$Z" www -f json
RID=$(out .id)
t_ok 'recordset set --record --ttl' as alice recordset set "$Z" "$RID" --record 192.0.2.9 --ttl 120 -f json
t_ok 'recordset show' as alice recordset show "$Z" "$RID" -f json
t_is 'recordset show: the new record and ttl' "$(out '"\(.records) \(.ttl)"')" '192.0.2.9 120'
t_ok 'recordset list' as alice recordset list "$Z" -f json
t_is 'recordset list: SOA, NS, A' "$(out '[.[].type] | sort | join(" ")')" 'A NS SOA'
t_ok 'zone show' as alice zone show "$Z" -f json

# ----------------------------------------------------------- exports, imports

t_ok 'zone export create' as alice zone export create "$Z" -f json
EID=$(out .id)
w=0
while as alice zone export show "$EID" -f json && [ "$(out .status)" = PENDING ] && [ $w -lt 20 ]; do
	sleep 0.5
	w=$((w + 1))
done
t_is 'zone export show: COMPLETE' "$(out .status)" COMPLETE
t_ok 'zone export showfile' as alice zone export showfile "$EID" -f value
t_is 'the file has the A record' "$(grep -c '192.0.2.9' "$T/out")" 1
t_ok 'zone import create' as alice zone import create "$D/example.zone" -f json
IID=$(out .id)
w=0
while as alice zone import show "$IID" -f json && [ "$(out .status)" = PENDING ] && [ $w -lt 20 ]; do
	sleep 0.5
	w=$((w + 1))
done
t_is 'zone import show: COMPLETE, in the caller'"'"'s project' \
    "$(out .status) $(as alice zone show "$(out .zone_id)" -f json && out .project_id)" "COMPLETE $PA"
lists() {
	as alice zone import list -f json && [ "$(out length)" = 1 ] &&
	    as alice zone export list -f json && [ "$(out length)" = 1 ]
}
t_ok 'zone import list and zone export list: one each' lists

# ----------------------------------------------------------- transfers

t_ok 'zone transfer request create --target-project-id' \
    as alice zone transfer request create "$Z" --target-project-id "$PC" --description t1 -f json
TR=$(out .id)
KEY=$(out .key)
t_is 'the request names the zone and the target' "$(out '"\(.zone_name) \(.target_project_id)"')" "$Z $PC"
t_ok 'zone transfer request set --description' as alice zone transfer request set "$TR" --description t2 -f json
t_ok 'zone transfer request list' as alice zone transfer request list -f json
t_is 'zone transfer request list: the request, ACTIVE' "$(out '[.[] | "\(.id) \(.status)"] | join(" ")')" "$TR ACTIVE"
t_ok 'zone transfer request show (target project)' as carl zone transfer request show "$TR" -f json
t_ok 'a wrong key is refused' refused carl 'does not match' \
    zone transfer accept request --transfer-id "$TR" --key WRONGKEY1234
t_ok 'zone transfer accept request --transfer-id --key' \
    as carl zone transfer accept request --transfer-id "$TR" --key "$KEY" -f json
TA=$(out .id)
t_ok 'zone transfer accept show' as carl zone transfer accept show "$TA" -f json
t_is 'the accept is COMPLETE' "$(out .status)" COMPLETE
t_is 'the zone is carl'"'"'s now' "$(as carl zone show "$Z" -f json && out .project_id)" "$PC"
t_ok 'zone transfer accept list' as carl zone transfer accept list -f json

# ----------------------------------------------------------- admin: tlds, tsigkeys, quotas

t_ok 'tld create' as admin tld create --name "cli$$" --description first -f json
TLD=$(out .id)
tlds() {
	as admin tld set "$TLD" --description second -f json &&
	    as admin tld show "$TLD" -f json && [ "$(out .description)" = second ] &&
	    as admin tld list -f json && out '.[].name' | grep -qx "cli$$"
}
t_ok 'tld set, show, list' tlds
t_ok 'a member cannot create a tld' refused alice 'not authorized' tld create --name "nope$$"
t_ok 'tld delete' as admin tld delete "$TLD"
POOL=$(as admin zone show "$Z" --all-projects -f json && out .pool_id)
t_ok 'tsigkey create (pool scope)' as admin tsigkey create --name "k$$" --algorithm hmac-sha256 \
    --secret c2VjcmV0LWtleS1mb3ItY2xp --scope POOL --resource-id "$POOL" -f json
KID=$(out .id)
tsigkeys() {
	as admin tsigkey set "$KID" --name "k$$b" -f json &&
	    as admin tsigkey show "$KID" -f json && [ "$(out .name)" = "k$$b" ] &&
	    as admin tsigkey list -f json && out '.[].name' | grep -qx "k$$b"
}
t_ok 'tsigkey set, show, list' tsigkeys
t_ok 'a bad algorithm is refused' refused admin 'is not one of' tsigkey create \
    --name "bad$$" --algorithm hmac-nope --secret c2VjcmV0 --scope POOL --resource-id "$POOL"
t_ok 'tsigkey delete' as admin tsigkey delete "$KID"
t_ok 'dns quota set --project-id --zones' as admin dns quota set --project-id "$PA" --zones 3 -f json
t_ok 'dns quota list --project-id' as admin dns quota list --project-id "$PA" -f json
t_is 'the project has zones=3' "$(out .zones)" 3
t_ok 'dns quota reset' as admin dns quota reset --project-id "$PA"
t_is 'back to the default' "$(as admin dns quota list --project-id "$PA" -f json && out .zones)" 10
t_ok 'dns service list' as admin dns service list -f json
t_is 'both zone-central and both zone-api are UP' \
    "$(out '[.[] | select(.status == "UP") | .service_name] | map(select(. == "central" or . == "api")) | length')" 4
t_ok 'zone delete (the new owner)' as carl zone delete "$Z" -f json
t_ok 'every zone-central and zone-api still runs' t_stack_alive
t_done
