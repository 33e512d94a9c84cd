#!/bin/sh
# 9000: two zone-central copies (one shared view) and two zone-api copies
# under concurrent load: 8 clients creating 2,000 recordsets in one zone
# through both APIs lose nothing and duplicate nothing; 8 clients racing to
# create the same zone name get exactly one 202 and seven 409s; a write
# through one API is seen at once through the other.
. "${0%/*}/../lib.sh"

t_plan 21

ZONE_CENTRAL_QUOTA_ZONES=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDS=-1
ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS=-1
export ZONE_CENTRAL_QUOTA_ZONES ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS \
    ZONE_CENTRAL_QUOTA_ZONE_RECORDS ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS
t_stack 2 2 || t_abort "start nats-server, 2 zone-central, 2 zone-api"

PROJ=p-$$
N=2000
Z="ha-$$.example.test."



# ---------------------------------------------------- (a) 2,000 recordsets

t_is 'create the zone' \
    "$(t_req POST /v2/zones "{\"name\":\"$Z\",\"email\":\"hostmaster@example.test\"}")" 202
ZID=$(t_json .id)
t_req GET "/v2/zones/$ZID" >/dev/null
SERIAL0=$(t_json .serial)
VERSION0=$(t_json .version)

i=1
: >"$T/jobs"
while [ "$i" -le "$N" ]; do
	if [ $((i % 2)) -eq 0 ]; then u=$ZONE_URL; else u=$ZONE_URL2; fi
	printf '%s/v2/zones/%s/recordsets\t{"name":"h%d.%s","type":"A","records":["192.0.2.%d"]}\th%d\n' \
	    "$u" "$ZID" "$i" "$Z" $((i % 250 + 1)) "$i" >>"$T/jobs"
	i=$((i + 1))
done
start=$(date +%s)
t_par_post "$T/jobs" >"$T/status"
t_diag "$N creates with 8 clients took $(($(date +%s) - start)) s"

t_is "all $N creates answered" "$(wc -l <"$T/status" | tr -d ' ')" "$N"
t_is "all $N creates got 202" \
    "$(awk '$1 == 202' "$T/status" | wc -l | tr -d ' ')" "$N" ||
    t_diag "statuses: $(cut -d' ' -f1 "$T/status" | sort | uniq -c | tr '\n' ' ')" \
	"a failed answer: $(awk '$1 != 202 { print $2; exit }' "$T/status" |
	    xargs -I{} cat "$T/out/{}" 2>/dev/null | head -c 300)"
t_is 'every 202 carries a distinct recordset id' \
    "$(cat "$T"/out/h* | jq -r '.id // empty' | sort -u | wc -l | tr -d ' ')" "$N"

t_ok 'list the recordsets, following the pages' \
    t_list_all "$ZONE_URL/v2/zones/$ZID/recordsets?limit=max" "$T/list"
t_is "the list has $N + 2 (SOA, NS) recordsets" \
    "$(wc -l <"$T/list" | tr -d ' ')" $((N + 2))
t_is 'metadata.total_count agrees' "$(t_json .metadata.total_count)" $((N + 2))
t_is 'no duplicate name/type in the list' \
    "$(jq -r '"\(.name) \(.type)"' "$T/list" | sort | uniq -d | head -5)" ''
t_is 'no duplicate id in the list' \
    "$(jq -r .id "$T/list" | sort | uniq -d | head -5)" ''
t_is 'every id answered 202 is in the list' \
    "$(cat "$T"/out/h* | jq -r '.id // empty' | sort >"$T/ids.want"
       jq -r .id "$T/list" | sort >"$T/ids.got"
       comm -23 "$T/ids.want" "$T/ids.got" | wc -l | tr -d ' ')" 0

t_req GET "/v2/zones/$ZID" >/dev/null
SERIAL1=$(t_json .serial)
VERSION1=$(t_json .version)
t_ok "the zone serial rose ($SERIAL0 -> $SERIAL1)" \
    test "$SERIAL1" -gt "$SERIAL0"
t_ok "the zone version rose by at least $N ($VERSION0 -> $VERSION1)" \
    test "$VERSION1" -ge $((VERSION0 + N))
t_is 'the SOA recordset carries the zone serial' \
    "$(jq -r 'select(.type == "SOA") | .records[0] | split(" ")[2]' "$T/list")" \
    "$SERIAL1"

# ---------------------------------------------------- (b) same name races

k=1
while [ "$k" -le 5 ]; do
	name="race$k-$$.example.test."
	: >"$T/jobs"
	c=1
	while [ "$c" -le 8 ]; do
		if [ $((c % 2)) -eq 0 ]; then u=$ZONE_URL; else u=$ZONE_URL2; fi
		printf '%s/v2/zones\t{"name":"%s","email":"hostmaster@example.test"}\tr%d-%d\n' \
		    "$u" "$name" "$k" "$c" >>"$T/jobs"
		c=$((c + 1))
	done
	t_par_post "$T/jobs" >"$T/status"
	got=$(for f in "$T"/out/r"$k"-*; do
		s=$(awk -v t="${f##*/}" '$2 == t { print $1 }' "$T/status")
		ty=$(jq -r 'if .code then .type else "zone" end' "$f" 2>/dev/null)
		echo "$s $ty"
	    done | sort | uniq -c | awk '{ printf "%s%s %s x%s", sep, $2, $3, $1; sep = ", " }')
	t_is "race $k: one 202, seven 409 duplicate_zone" "$got" \
	    '202 zone x1, 409 duplicate_zone x7'
	k=$((k + 1))
done
t_req GET "/v2/zones?name=race1-$$.example.test." >/dev/null
t_is 'the raced name exists once' "$(t_json '.zones | length')" 1

# ---------------------------------------------------- (c) read your writes

bad=0
i=1
while [ "$i" -le 50 ]; do
	n="ryw$i.$Z"
	s=$(t_req POST "$ZONE_URL/v2/zones/$ZID/recordsets" \
	    "{\"name\":\"$n\",\"type\":\"TXT\",\"records\":[\"\\\"v$i\\\"\"]}")
	rid=$(t_json .id)
	g=$(t_req GET "$ZONE_URL2/v2/zones/$ZID/recordsets/$rid")
	got="$s $g $(t_json .name)"
	if [ "$got" != "202 200 $n" ]; then
		bad=$((bad + 1))
		t_diag "round $i: got '$got', expected '202 200 $n'"
	fi
	i=$((i + 1))
done
t_is 'create via api1 then GET via api2: seen all 50 times' "$bad" 0

t_ok 'every daemon is still running' t_stack_alive
t_done
