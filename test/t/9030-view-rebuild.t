#!/bin/sh
# 9030: the LMDB view is only a view of the journal.  After some writes
# (creates, updates, deletes, through two central copies), removing the
# view files and starting central rebuilds the same view, and so does
# `zone-manage view rebuild`.
. "${0%/*}/../lib.sh"

t_plan 18

ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
t_stack 2 1 || t_abort "start nats-server, 2 zone-central, zone-api"
DB=$ZONE_DB_PATH
PROJ=p-$$

# ---------------------------------------------------------------- writes

bad=0
ok() {
	[ "$1" = "$2" ] && return 0
	bad=$((bad + 1))
	t_diag "$3: got $1, expected $2 $(head -c 200 "$T/body")"
}
z=1
while [ "$z" -le 5 ]; do
	name="rb$z-$$.example.test."
	ok "$(t_req POST /v2/zones "{\"name\":\"$name\",\"email\":\"h@example.test\"}")" 202 "zone $z"
	zid=$(t_json .id)
	echo "$zid" >>"$T/zids"
	r=1
	while [ "$r" -le 20 ]; do
		ok "$(t_req POST "/v2/zones/$zid/recordsets" \
		    "{\"name\":\"r$r.$name\",\"type\":\"A\",\"records\":[\"192.0.2.$r\",\"192.0.2.$((r + 100))\"]}")" \
		    202 "zone $z recordset $r"
		rid=$(t_json .id)
		case $r in
		3 | 7)	ok "$(t_req PUT "/v2/zones/$zid/recordsets/$rid" \
			    '{"records":["198.51.100.1"],"ttl":300}')" 202 "update $z/$r" ;;
		5)	ok "$(t_req DELETE "/v2/zones/$zid/recordsets/$rid")" 202 "delete $z/$r" ;;
		esac
		r=$((r + 1))
	done
	ok "$(t_req PATCH "/v2/zones/$zid" '{"ttl":1800,"description":"x"}')" 202 "zone $z update"
	z=$((z + 1))
done
ok "$(t_req DELETE "/v2/zones/$(sed -n 5p "$T/zids")")" 202 'zone 5 delete'
t_is 'creates, updates and deletes on 5 zones succeed' "$bad" 0
ZID=$(sed -n 1p "$T/zids")
t_req GET "/v2/zones/$ZID" >/dev/null
SERIAL=$(t_json .serial)

# ------------------------------------------------------- the view as it is

t_ok 'stop zone-central 1' t_stop central1
t_ok 'stop zone-central 2' t_stop central2
t_is 'both stopped cleanly' "$(cat "$T/central1.rc") $(cat "$T/central2.rc")" '0 0'
t_ok 'zone-manage view dump' sh -c 'zone-manage view dump >"$1/a" 2>"$1/dump.err"' sh "$T"
t_ok 'the dump holds the zones and recordsets' \
    test "$(grep -c "^$ZID/" "$T/a")" -ge 40

# ---------------------------------------- delete the view, central rebuilds

t_ok 'remove the view files' sh -c 'ls "$1"/*.mdb >/dev/null && rm -f "$1"/*.mdb' sh "$DB"
t_ok 'zone-central starts on the empty view' t_start central1 zone-central
zone-manage view dump >"$T/b" 2>"$T/dump.err"
t_cmp "$T/a" "$T/b" 'the view central rebuilt from the journal equals the old one'
t_is 'the API answers from the rebuilt view' \
    "$(t_req GET "/v2/zones/$ZID"; t_json '" \(.serial)"')" "200 $SERIAL"

# -------------------------------------------------- zone-manage view rebuild

t_ok 'stop zone-central 1 again' t_stop central1
t_ok 'zone-manage view rebuild' sh -c 'zone-manage view rebuild 2>"$1/rebuild.err"' sh "$T"
zone-manage view dump >"$T/c" 2>"$T/dump.err"
t_cmp "$T/a" "$T/c" 'the view rebuilt by zone-manage equals the old one'

rm -f "$DB"/*.mdb
t_ok 'zone-manage view sync on an empty view' sh -c 'zone-manage view sync 2>"$1/sync.err"' sh "$T"
zone-manage view dump >"$T/d" 2>"$T/dump.err"
t_cmp "$T/a" "$T/d" 'the view synced by zone-manage equals the old one'

# ----------------------------------------------- and the service goes on

t_start central1 zone-central
t_start central2 zone-central
t_is 'a new recordset after the rebuild' \
    "$(t_req POST "/v2/zones/$ZID/recordsets" \
	"{\"name\":\"after.rb1-$$.example.test.\",\"type\":\"A\",\"records\":[\"192.0.2.9\"]}")" 202
t_req GET "/v2/zones/$ZID" >/dev/null
t_ok "the serial continues from the journal ($SERIAL -> $(t_json .serial))" \
    test "$(t_json .serial)" -gt "$SERIAL"
t_ok 'every daemon is running' t_stack_alive
t_done
