#!/bin/sh
# 5050: zone-periodic while the only nats-server is frozen (SIGSTOP) for
# 7 s, longer than two exists intervals (3 s) but shorter than the member
# ttl (15 s, the default): the three copies keep their slices, and once
# the server is back every period has its exists events, once per zone:
# the current period at once, the one the pause swallowed late.  Then the
# server is frozen for 18 s, past the member ttl: each copy stops working
# its shards while it cannot beat, and they share them out again after.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 11

N=20
IV=3
PROJ=p5050
ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
t_stack 1 1 || t_abort 'start nats-server, zone-central, zone-api'
NP=$(t_pid nats)

i=1
: >"$T/jobs"
while [ "$i" -le "$N" ]; do
	printf '%s/v2/zones\t{"name":"s%d-%d.example.test.","email":"h@example.test"}\ts%d\n' \
	    "$ZONE_URL" "$i" "$$" "$i" >>"$T/jobs"
	i=$((i + 1))
done
t_par_post "$T/jobs" >"$T/post.out"
t_is "$N zones" "$(grep -c '^202 ' "$T/post.out")" "$N"

periodic() {
	_pn=$1
	shift
	t_start "$_pn" env ZONE_PERIODIC_EXISTS_INTERVAL_S=$IV \
	    ZONE_PERIODIC_TASKS=exists "$@" zone-periodic
}
for p in p1 p2 p3; do
	periodic "$p" || t_abort 'start zone-periodic'
done
sleep 2
T0=$(date +%s)
for p in p1 p2 p3; do
	eval "L_$p=\$(wc -l <\"\$T/\$p.log\")"
done

# --- a 7 s pause, within the member ttl
sleep_to_mid() {	# half a second into a period
	while [ $(( $(date +%s) % IV )) -ne 0 ]; do sleep 0.1; done
	sleep 0.5
}
sleep_to_mid
sleep $IV
TS=$(date +%s)
kill -STOP "$NP"
sleep 7
kill -CONT "$NP"
t_diag "nats-server frozen from $TS for 7 s"
sleep $((3 * IV))
TE=$(date +%s)
t_ok 'the copies still run' t_running p1 p2 p3
t_is 'no copy changed its slice' \
    "$(for p in p1 p2 p3; do
	eval "tail -n +\$((L_$p + 1)) \"\$T/\$p.log\""
    done | grep -c 'event=shards.changed')" 0
t_stop p1
t_stop p2
t_stop p3

zonectl watch --since 0 --idle 2 >"$T/events"
jq -r 'select(.event_type == "dns.zone.exists") | [.payload.id,
    (.payload.audit_period_ending | strptime("%Y-%m-%d %H:%M:%S") | mktime),
    (.timestamp[0:19] | strptime("%Y-%m-%d %H:%M:%S") | mktime)]
    | @tsv' "$T/events" >"$T/exists"
awk -v t0="$T0" -v te="$TE" -v iv="$IV" 'BEGIN {
	for (e = t0 - t0 % iv + iv; e + 2 <= te; e += iv) print e }' >"$T/want"
t_diag "per period: zones" "$(cut -f 2 "$T/exists" | sort -n | uniq -c |
    awk '{ printf "%s:%s ", $2, $1 }')"
t_is 'no (zone, period) twice' "$(cut -f 1,2 "$T/exists" | sort | uniq -d | wc -l)" 0
t_ok 'two periods began during the pause' \
    test "$(awk -v ts="$TS" '$1 > ts && $1 < ts + 7' "$T/want" | wc -l)" -eq 2
t_is "every period has all $N zones, those of the pause too" \
    "$(awk -v n="$N" 'NR == FNR { w[$1] = 1; next }
	($2 in w) { c[$2]++ } END { for (e in w) if (c[e] != n) b++; print b + 0 }' \
    "$T/want" "$T/exists")" 0
first=$(awk -v ts="$TS" '$1 > ts' "$T/want" | head -n 1)
late=$(awk -v e="$first" '$2 == e { print $3 }' "$T/exists" | sort -n | head -n 1)
t_diag "period $first published from $late"
t_ok 'the period the pause swallowed was published late, after it' \
    test "${late:-0}" -ge $((first + IV))

# --- a pause past the member ttl (the bucket's: 15 s)
for p in q1 q2; do
	periodic "$p" || t_abort 'start zone-periodic'
done
sleep 2
L1=$(wc -l <"$T/q1.log")
L2=$(wc -l <"$T/q2.log")
kill -STOP "$NP"
sleep 18
kill -CONT "$NP"
sleep 4
t_ok 'frozen past the ttl, each copy stopped working its shards' \
    sh -c 'for f; do grep -q "event=shards.changed first=none last=none" "$f" || exit 1; done' \
    sh "$T/q1.log" "$T/q2.log"
t_ok 'then beat again and took them back' \
    sh -c 'for f; do grep "event=shards.changed" "$f" | tail -n 1 |
	grep -q "members=2" || exit 1; done' sh "$T/q1.log" "$T/q2.log"
tail -n +"$((L1 + 1))" "$T/q1.log" | sed 's/^/# q1: /' >&2
tail -n +"$((L2 + 1))" "$T/q2.log" | sed 's/^/# q2: /' >&2
t_ok 'the copies still run' t_running q1 q2
t_ok 'zone-central still runs' t_stack_alive
t_done
