#!/bin/sh
# 9020: kill -9 of a zone-central copy during a write burst loses no
# acknowledged write and leaves nothing half applied; the killed copy,
# restarted, catches its view up with the journal.
#
# Two "hosts" (own LMDB view each): central1+api1 on $T/db1, central2+api2
# on $T/db2; 8 clients x 100 recordset creates through both APIs; central2
# is killed -9 after ~1 s.  A request that central2 had taken when it died
# gets no answer (504 after nats.timeout_ms): its change may or may not be
# in the journal, so such names may appear in the list, but nothing else.
. "${0%/*}/../lib.sh"

t_plan 33

ZONE_CENTRAL_QUOTA_ZONES=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDS=-1
ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS=-1
ZONE_CENTRAL_NS_RECORDS='ns1.example.net.:1 ns2.example.net.:2'
export ZONE_CENTRAL_QUOTA_ZONES ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS \
    ZONE_CENTRAL_QUOTA_ZONE_RECORDS ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS \
    ZONE_CENTRAL_NS_RECORDS
unset ZONE_DB_PATH

start_central() {
	mkdir -p "$T/db$1"
	t_start "central$1" env ZONE_DB_PATH="$T/db$1" zone-central
}
start_api() {
	_p=$(t_port)
	t_start "api$1" zone-api -l "127.0.0.1:$_p" || return 1
	eval "URL$1=http://127.0.0.1:$_p"
}
t_nats && start_central 1 && start_central 2 && start_api 1 && start_api 2 ||
    t_abort 'start nats-server, two zone-central (own views), two zone-api'

PROJ=p-$$
N=800
Z="kill-$$.example.test."



# views_equal: host 1's and host 2's views have the same dump (5 s).
views_equal() {
	_w=0
	while :; do
		ZONE_DB_PATH=$T/db1 zone-manage view dump >"$T/dump1" 2>>"$T/dump.err" &&
		    ZONE_DB_PATH=$T/db2 zone-manage view dump >"$T/dump2" 2>>"$T/dump.err" &&
		    cmp -s "$T/dump1" "$T/dump2" && return 0
		[ "$_w" -ge 50 ] && break
		sleep 0.1
		_w=$((_w + 1))
	done
	diff -u "$T/dump1" "$T/dump2" | head -20 | sed 's/^/# /' >&2
	return 1
}

t_is 'create the zone' \
    "$(t_req POST "$URL1/v2/zones" "{\"name\":\"$Z\",\"email\":\"h@example.test\"}")" 202
ZID=$(t_json .id)

# round R VICTIM N: N creates by 8 clients through both APIs, VICTIM
# killed -9 after ~1 s.  Adds the tags answered 2xx to $T/tags.ok and the
# unanswered (504) ones to $T/tags.504.  5 tests.
round() {
	_i=1
	: >"$T/jobs"
	while [ "$_i" -le "$3" ]; do
		if [ $((_i % 2)) -eq 0 ]; then _u=$URL1; else _u=$URL2; fi
		printf '%s/v2/zones/%s/recordsets\t{"name":"k%dh%d.%s","type":"A","records":["192.0.2.%d"]}\tk%dh%d\n' \
		    "$_u" "$ZID" "$1" "$_i" "$Z" $((_i % 250 + 1)) "$1" "$_i" >>"$T/jobs"
		_i=$((_i + 1))
	done
	t_par_post "$T/jobs" >"$T/status$1" &
	_burst=$!
	sleep 0.9
	kill -USR1 "$(t_pid "$2")"
	sleep 0.1
	_before=$(wc -l <"$T/status$1" | tr -d ' ')
	t_kill9 "$2"
	wait "$_burst"
	_served=$(sed -n 's/.*event=stats requests=\([0-9]*\).*/\1/p' "$T/$2.log" | tail -1)
	t_ok "round $1: $2 was killed -9 during the burst ($_before of $3 answered, ${_served:-?} served by $2)" \
	    test "$_before" -gt 0 -a "$_before" -lt "$3" -a "${_served:-0}" -gt 0
	t_is "round $1: all $3 requests were answered" \
	    "$(wc -l <"$T/status$1" | tr -d ' ')" "$3"
	awk '$1 ~ /^2/ { print $2 }' "$T/status$1" >>"$T/tags.ok"
	awk '$1 == 504 { print $2 }' "$T/status$1" >>"$T/tags.504"
	_ok=$(awk '$1 ~ /^2/' "$T/status$1" | wc -l | tr -d ' ')
	t_diag "round $1: answers: $(cut -d' ' -f1 "$T/status$1" | sort | uniq -c | tr '\n' ' ')"
	t_is "round $1: every answer is 202, or 504 for a request $2 took with it" \
	    "$(awk '$1 != 202 && $1 != 504' "$T/status$1" | head -5)" '' ||
	    t_diag "a body: $(awk '$1 != 202 && $1 != 504 { print $2; exit }' "$T/status$1" |
		xargs -I{} cat "$T/out/{}" 2>/dev/null | head -c 300)"
	t_ok "round $1: most requests succeeded ($_ok 2xx)" test "$_ok" -ge $(($3 / 2))
	t_ok "round $1: the surviving central1 still answers" \
	    test "$(t_req GET "$URL1/v2/zones/$ZID")" = 200
}

# check_zone R: the zone holds every 2xx create, nothing but 2xx creates
# and unanswered ones, each whole, serial and version consistent.  8 tests.
check_zone() {
	sort -o "$T/tags.ok" "$T/tags.ok"
	sort -o "$T/tags.504" "$T/tags.504"
	nok=$(wc -l <"$T/tags.ok" | tr -d ' ')
	n504=$(wc -l <"$T/tags.504" | tr -d ' ')
	sed "s|^|$T/out/|" "$T/tags.ok" | xargs cat | jq -r .id | sort >"$T/ids.ok"
	t_ok "after round $1: list the recordsets" \
	    t_list_all "$URL1/v2/zones/$ZID/recordsets?limit=max" "$T/list"
	jq -r .id "$T/list" | sort >"$T/ids.list"
	t_is "after round $1: every id that got a 2xx is listed" \
	    "$(comm -23 "$T/ids.ok" "$T/ids.list" | head -5)" ''
	jq -r 'select(.type == "A") | .name | split(".")[0]' "$T/list" |
	    sort >"$T/tags.list"
	t_is "after round $1: nothing listed but 2xx and unanswered (504) creates" \
	    "$(sort -m "$T/tags.ok" "$T/tags.504" | comm -23 "$T/tags.list" - | head -5)" ''
	extra=$(comm -23 "$T/tags.list" "$T/tags.ok" | wc -l | tr -d ' ')
	t_diag "after round $1: $extra of the $n504 requests answered 504 were committed"
	t_is "after round $1: the list has the $nok 2xx creates + $extra committed 504s + SOA + NS" \
	    "$(wc -l <"$T/list" | tr -d ' ') $(t_json .metadata.total_count)" \
	    "$((nok + extra + 2)) $((nok + extra + 2))"
	t_is "after round $1: no duplicate name/type" \
	    "$(jq -r '"\(.name) \(.type)"' "$T/list" | sort | uniq -d | head -5)" ''
	t_is "after round $1: every listed recordset is whole (name, type, records)" \
	    "$(jq -c 'select((.records | length) == 0 or .name == null or .type == null)' "$T/list" | head -3)" ''
	t_req GET "$URL1/v2/zones/$ZID" >/dev/null
	_serial=$(t_json .serial)
	_version=$(t_json .version)
	t_is "after round $1: zone serial == the serial in the SOA recordset" \
	    "$(jq -r 'select(.type == "SOA") | .records[0] | split(" ")[2]' "$T/list")" \
	    "$_serial"
	t_is "after round $1: zone version == 1 + one per recordset created" \
	    "$_version" "$((1 + nok + extra))"
}

# rrsets_in FILE: the number of the zone's recordsets in a view dump.
rrsets_in() {
	awk -v z="$ZID/" '/^\[/ { s = $0; next }
	    s == "[rrsets]" && substr($0, 1, length(z)) == z { n++ }
	    END { print n + 0 }' "$1"
}

: >"$T/tags.ok"
: >"$T/tags.504"

# ------------------------------------ round 1: kill a central with its own view

round 1 central2 800
check_zone 1

t_ok 'restart central2 on its old view' start_central 2
t_ok "central2's view caught up: both views dump the same" views_equal
t_is "central2's view holds the zone's $((nok + extra + 2)) recordsets" \
    "$(rrsets_in "$T/dump2")" "$((nok + extra + 2))"

# ------------------------- round 2: kill a central that shares central1's view
#
# central3 writes into $T/db1 beside central1; killed -9 it may die inside
# an LMDB write transaction, which must not wedge central1.

t_ok "start central3 on central1's view" \
    t_start central3 env ZONE_DB_PATH="$T/db1" zone-central
round 2 central3 400
check_zone 2
t_ok 'both views still dump the same' views_equal
t_ok 'every daemon is running' t_stack_alive
t_done
