#!/bin/sh
# 3810: the Debian openstack CLI (python3-designateclient) drives zone
# imports, exports and SECONDARY zones against zone-api: zone import
# create/list/show/delete, zone export create/show/showfile/delete, zone
# create --type SECONDARY --masters.
. "${0%/*}/../lib.sh"

t_plan 13
command -v openstack >/dev/null 2>&1 ||
    t_abort 'no openstack CLI: make deps installs python3-openstackclient'
for v in $(env | sed -n 's/^\(OS_[A-Za-z_]*\)=.*/\1/p'); do
	unset "$v"
done
t_stack 1 1 || t_abort 'start nats-server, zone-central and zone-api'
P=cli-$$
D=${0%/*}/3800-api-import-export.d

# cli ARGS...: openstack against our API as project $P; stdout in $T/out.
cli() {
	openstack --os-auth-type none --os-endpoint "$ZONE_URL/v2" "$@" \
	    --sudo-project-id "$P" >"$T/out" 2>"$T/err" </dev/null && return 0
	_rc=$?
	t_diag "openstack $* exited $_rc"
	sed 's/^/# /' "$T/err" | tail -n 15 >&2
	return "$_rc"
}
out() { jq -r "$1" "$T/out" 2>/dev/null; }

t_ok 'zone import create' cli zone import create "$D/example.zone" -f json
IID=$(out .id)
t_is 'it is PENDING' "$(out .status)" PENDING
t_ok 'zone import show' cli zone import show "$IID" -f json
t_is 'COMPLETE with its message' "$(out '"\(.status) \(.message)"')" 'COMPLETE example-import.test. imported'
ZID=$(out .zone_id)
t_ok 'zone import list' cli zone import list -f json
t_is 'one import' "$(out 'length')" 1
t_ok 'zone export create' cli zone export create "$ZID" -f json
EID=$(out .id)
cli zone export show "$EID" -f json
t_is 'zone export show: COMPLETE' "$(out .status)" COMPLETE
t_ok 'zone export showfile' cli zone export showfile "$EID" -f value
t_is 'the file starts with $ORIGIN' "$(head -1 "$T/out")" '$ORIGIN example-import.test.'
t_ok 'zone export delete and zone import delete' sh -c '
	openstack --os-auth-type none --os-endpoint "$1/v2" zone export delete "$2" --sudo-project-id "$4" &&
	openstack --os-auth-type none --os-endpoint "$1/v2" zone import delete "$3" --sudo-project-id "$4"' \
    sh "$ZONE_URL" "$EID" "$IID" "$P"
t_ok 'zone create --type SECONDARY --masters' cli zone create "sec-$$.example.test." \
    --type SECONDARY -f json --masters 192.0.2.1:5353
t_is 'it is SECONDARY with its master' "$(out '"\(.type) \(.masters)"')" 'SECONDARY 192.0.2.1:5353'
t_done
