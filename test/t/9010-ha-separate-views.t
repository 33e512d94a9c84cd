#!/bin/sh
# 9010: two "hosts": two zone-central copies, each with its own LMDB view
# (separate ZONE_DB_PATH), one zone-api each, one nats-server.  A write
# through one API is seen at once through the other; 300 recordsets
# written by 8 clients through both APIs are all present through both,
# and both views end up the same.
. "${0%/*}/../lib.sh"

t_plan 17

ZONE_CENTRAL_QUOTA_ZONES=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDS=-1
ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS=-1
ZONE_CENTRAL_NS_RECORDS='ns1.example.net.:1 ns2.example.net.:2'
export ZONE_CENTRAL_QUOTA_ZONES ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS \
    ZONE_CENTRAL_QUOTA_ZONE_RECORDS ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS \
    ZONE_CENTRAL_NS_RECORDS
unset ZONE_DB_PATH

# host H: its view $T/dbH, its central centralH, its api apiH.
start_host() {
	mkdir -p "$T/db$1"
	t_start "central$1" env ZONE_DB_PATH="$T/db$1" zone-central || return 1
	_p=$(t_port)
	t_start "api$1" env ZONE_DB_PATH="$T/db$1" zone-api \
	    -l "127.0.0.1:$_p" || return 1
	eval "URL$1=http://127.0.0.1:$_p"
}
t_nats && start_host 1 && start_host 2 ||
    t_abort 'start nats-server and two hosts (zone-central + zone-api each)'

PROJ=p-$$
N=300
Z="views-$$.example.test."



# dump H: host H's view, as zone-manage prints it.
dump() {
	ZONE_DB_PATH=$T/db$1 zone-manage view dump
}

# views_equal: both views have the same dump (wait up to 5 s: the view of
# the host that did not answer a write applies it in the background).
views_equal() {
	_w=0
	while :; do
		dump 1 >"$T/dump1" 2>>"$T/dump.err" &&
		    dump 2 >"$T/dump2" 2>>"$T/dump.err" &&
		    cmp -s "$T/dump1" "$T/dump2" && return 0
		[ "$_w" -ge 50 ] && break
		sleep 0.1
		_w=$((_w + 1))
	done
	diff -u "$T/dump1" "$T/dump2" | head -20 | sed 's/^/# /' >&2
	return 1
}

# ------------------------------------------ write on one, read on the other

bad=0
i=1
while [ "$i" -le 20 ]; do
	if [ $((i % 2)) -eq 1 ]; then w=$URL1 r=$URL2; else w=$URL2 r=$URL1; fi
	n="z$i-$$.example.test."
	s=$(t_req POST "$w/v2/zones" "{\"name\":\"$n\",\"email\":\"h@example.test\"}")
	id=$(t_json .id)
	g=$(t_req GET "$r/v2/zones/$id")
	got="$s $g $(t_json .name)"
	if [ "$got" != "202 200 $n" ]; then
		bad=$((bad + 1))
		t_diag "zone $i: got '$got', expected '202 200 $n'"
	fi
	i=$((i + 1))
done
t_is 'zone created on one host is seen on the other at once (20 times)' "$bad" 0

t_is 'create the zone for the recordsets' \
    "$(t_req POST "$URL1/v2/zones" "{\"name\":\"$Z\",\"email\":\"h@example.test\"}")" 202
ZID=$(t_json .id)

bad=0
i=1
while [ "$i" -le 20 ]; do
	if [ $((i % 2)) -eq 1 ]; then w=$URL1 r=$URL2; else w=$URL2 r=$URL1; fi
	n="ryw$i.$Z"
	s=$(t_req POST "$w/v2/zones/$ZID/recordsets" \
	    "{\"name\":\"$n\",\"type\":\"A\",\"records\":[\"192.0.2.$i\"]}")
	id=$(t_json .id)
	g=$(t_req GET "$r/v2/zones/$ZID/recordsets/$id")
	got="$s $g $(t_json .name)"
	if [ "$got" != "202 200 $n" ]; then
		bad=$((bad + 1))
		t_diag "recordset $i: got '$got', expected '202 200 $n'"
	fi
	i=$((i + 1))
done
t_is 'recordset created on one host is seen on the other at once (20 times)' "$bad" 0

# Change then read: the other host shows the new records, not the old.
s=$(t_req PUT "$URL1/v2/zones/$ZID/recordsets/$id" '{"records":["198.51.100.7"]}')
t_is 'update on host 1, read on host 2 shows the new value' \
    "$s $(t_req GET "$URL2/v2/zones/$ZID/recordsets/$id"; t_json '" \(.records | join(","))"')" \
    '202 200 198.51.100.7'

# ---------------------------------------------- 8 writers on both hosts

i=1
: >"$T/jobs"
while [ "$i" -le "$N" ]; do
	if [ $((i % 2)) -eq 0 ]; then u=$URL1; else u=$URL2; fi
	printf '%s/v2/zones/%s/recordsets\t{"name":"h%d.%s","type":"A","records":["192.0.2.%d"]}\th%d\n' \
	    "$u" "$ZID" "$i" "$Z" $((i % 250 + 1)) "$i" >>"$T/jobs"
	i=$((i + 1))
done
t_par_post "$T/jobs" >"$T/status"
t_is "all $N creates got 202" \
    "$(awk '$1 == 202' "$T/status" | wc -l | tr -d ' ')" "$N" ||
    t_diag "statuses: $(cut -d' ' -f1 "$T/status" | sort | uniq -c | tr '\n' ' ')"
cat "$T"/out/h* | jq -r '.id // empty' | sort >"$T/ids.want"
t_is 'each has a distinct id' "$(wc -l <"$T/ids.want" | tr -d ' ')" "$N"

want=$((N + 20 + 2))
for h in 1 2; do
	eval "u=\$URL$h"
	t_ok "list through host $h" \
	    t_list_all "$u/v2/zones/$ZID/recordsets?limit=max" "$T/list$h"
	t_is "host $h lists $N + 20 + 2 recordsets" \
	    "$(wc -l <"$T/list$h" | tr -d ' ')" "$want"
	jq -r .id "$T/list$h" | sort >"$T/ids$h"
	t_is "host $h lists every id that got a 202" \
	    "$(comm -23 "$T/ids.want" "$T/ids$h" | wc -l | tr -d ' ')" 0
done
t_cmp "$T/ids1" "$T/ids2" 'both hosts list the same ids'
t_is 'no duplicate name/type' \
    "$(jq -r '"\(.name) \(.type)"' "$T/list1" | sort | uniq -d | head -5)" ''

t_ok 'the two views hold the same data (zone-manage view dump)' views_equal
# rrsets_in H: the number of recordsets of the zone in host H's dump.
rrsets_in() {
	awk -v z="$ZID/" '/^\[/ { s = $0; next }
	    s == "[rrsets]" && substr($0, 1, length(z)) == z { n++ }
	    END { print n + 0 }' "$T/dump$1"
}
t_is 'each view holds the zone with all its recordsets' \
    "$(rrsets_in 1) $(rrsets_in 2)" "$want $want"

t_ok 'every daemon is still running' t_stack_alive
t_done
