#!/bin/sh
# 5000: zone-periodic's exists events, sharded among its copies.  Three
# copies (member ttl 3 s, exists every 3 s) split the 4096 shards; every
# zone gets exactly one dns.zone.exists and one dns.domain.exists per
# period, counted from the ZONE_EVENTS stream (zonectl watch).  kill -9 of
# one copy: the two others take its shards over within the ttl plus one
# interval, and the periods after that are complete again.  A fourth copy
# joins: the slices change, no zone is missed and none is counted twice.
# A copy stopped with TERM leaves at once (exit 0) and the rest rebalance.
# Pages of 7 zones, so each slice takes several calls to zone-central.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 26

N=50
IV=3
TTL=3
PROJ=p5000
ZONE_CENTRAL_QUOTA_ZONES=-1
export ZONE_CENTRAL_QUOTA_ZONES
t_stack 2 1 || t_abort 'start nats-server, two zone-central, zone-api'

# ----------------------------------------------------------- the zones

i=1
: >"$T/jobs"
while [ "$i" -le "$N" ]; do
	printf '%s/v2/zones\t{"name":"z%d-%d.example.test.","email":"h@example.test","ttl":300}\tz%d\n' \
	    "$ZONE_URL" "$i" "$$" "$i" >>"$T/jobs"
	i=$((i + 1))
done
t_par_post "$T/jobs" >"$T/post.out"
t_is "$N zones created" "$(grep -c '^202 ' "$T/post.out")" "$N"
cat "$T"/out/z* | jq -r .id | sort >"$T/ids"
t_is 'each has an id' "$(sort -u "$T/ids" | grep -c .)" "$N"

# ----------------------------------------------------------- helpers

periodic() {
	t_start "$1" env ZONE_PERIODIC_EXISTS_INTERVAL_S=$IV \
	    ZONE_PERIODIC_MEMBER_TTL_S=$TTL ZONE_PERIODIC_RECOVERY_INTERVAL_S=3600 \
	    ZONE_PERIODIC_PURGE_INTERVAL_S=3600 \
	    ZONE_PERIODIC_DELAYED_NOTIFY_INTERVAL_S=3600 ZONE_PERIODIC_PER_PAGE=7 \
	    zone-periodic
}

# slices NAME...: each copy's last shards.changed line as "first last
# members", sorted by first.
slices() {
	for _s in "$@"; do
		grep 'event=shards.changed' "$T/$_s.log" | tail -n 1 |
		    sed 's/.* first=\([^ ]*\) last=\([^ ]*\) members=\([0-9]*\).*/\1 \2 \3/'
	done | sort -n
}

# partition NAME...: the copies' slices are contiguous, cover 0..4095,
# and each copy counts exactly as many members as there are NAMEs.
partition() {
	slices "$@" | awk -v n=$# '
	    $1 != next_ || $3 != n { bad = 1 }
	    { next_ = $2 + 1; k++ }
	    END { exit !(bad == 0 && k == n && next_ == 4096) }'
}

# wait_partition SECS NAME...: until partition holds; prints the seconds
# it took (tenths) on success.
wait_partition() {
	_wmax=$(($1 * 10))
	shift
	_w=0
	while ! partition "$@"; do
		if [ "$_w" -ge "$_wmax" ]; then
			t_diag "slices of $*:" "$(slices "$@")"
			return 1
		fi
		sleep 0.1
		_w=$((_w + 1))
	done
	echo "$_w"
}

# sleep_until EPOCH
sleep_until() {
	while [ "$(date +%s)" -lt "$1" ]; do
		sleep 0.2
	done
}

# ----------------------------------------------------------- three copies

periodic p1 && periodic p2 && periodic p3 ||
    t_abort 'start three zone-periodic copies'
T0=$(date +%s)
t_ok 'three copies run' t_running p1 p2 p3
t_ok 'their slices partition 0..4095 among 3 members' \
    wait_partition 5 p1 p2 p3
t_diag "slices:" "$(slices p1 p2 p3)"
sleep_until $((T0 + 4 * IV + 1))

# ----------------------------------------------------------- kill -9 one

TK=$(date +%s)
t_kill9 p2
if w=$(wait_partition $((TTL + IV + 2)) p1 p3); then
	t_diag "shards of the killed copy taken over after $((w / 10)).$((w % 10)) s"
	t_ok "taken over within the member ttl plus one interval ($((TTL + IV)) s)" \
	    test "$w" -le $(((TTL + IV) * 10))
else
	t_fail 'the two others take the killed copy'"'"'s shards over'
fi
t_diag "slices:" "$(slices p1 p3)"
sleep_until $((TK + TTL + IV + 3 * IV + 1))

# ----------------------------------------------------------- a fourth joins

TJ=$(date +%s)
t_ok 'a fourth copy starts' periodic p4
t_ok 'the slices rebalance among the 3 live copies' \
    wait_partition 3 p1 p3 p4
t_diag "slices:" "$(slices p1 p3 p4)"
sleep_until $((TJ + 3 * IV + 1))

# ----------------------------------------------------------- a clean stop

TS=$(date +%s)
t_ok 'TERM: the copy stops' t_stop p4
t_is '... with exit 0' "$(cat "$T/p4.rc")" 0
t_ok "... and leaves: the others rebalance at once, before its ttl" \
    wait_partition $((TTL - 1)) p1 p3
t_ok 'its log ends with event=stopped' \
    sh -c 'tail -n 1 "$1" | grep -q "event=stopped"' sh "$T/p4.log"
sleep_until $((TS + 2 * IV + 1))
TE=$(date +%s)
t_ok 'the copies still run' t_running p1 p3
t_stop p1
t_stop p3

# ----------------------------------------------------------- count

zonectl watch --since 0 --idle 2 >"$T/events"
jq -r 'select(.event_type == "dns.zone.exists" or
    .event_type == "dns.domain.exists") |
    [.event_type, .payload.id,
     (.payload.audit_period_ending | strptime("%Y-%m-%d %H:%M:%S") | mktime),
     (.payload.audit_period_beginning | strptime("%Y-%m-%d %H:%M:%S") | mktime)]
    | @tsv' "$T/events" >"$T/exists"
t_ok 'exists events were published' test -s "$T/exists"
t_is 'each covers one interval (ending - beginning)' \
    "$(awk '{ print $3 - $4 }' "$T/exists" | sort -u)" "$IV"
t_is 'the periods are aligned to the wall clock' \
    "$(awk -v iv=$IV '{ print $3 % iv }' "$T/exists" | sort -u)" 0
t_is 'only our zones' \
    "$(cut -f 2 "$T/exists" | sort -u | comm -23 - "$T/ids" | wc -l)" 0
t_is 'no (event, zone, period) twice, through kill, join and stop' \
    "$(cut -f 1-3 "$T/exists" | sort | uniq -d | wc -l)" 0
t_is 'both event types for every (zone, period)' \
    "$(awk '{ k = $2 " " $3; n[k]++ } END { for (k in n) if (n[k] != 2) b++; print b + 0 }' \
    "$T/exists")" 0

# Expected complete: periods that began after the three copies were up and
# ended before the kill, and those after the ttl plus one interval from the
# kill up to the end (through the join and the clean stop).
cut -f 3 "$T/exists" | sort -un >"$T/periods"
awk -v t0="$T0" -v tk="$TK" -v te="$TE" -v iv="$IV" -v ttl="$TTL" '
    BEGIN {
	for (e = t0 - t0 % iv + iv; e + 2 <= tk; e += iv) print e
	for (e = tk - tk % iv + iv; e < tk + ttl + iv; e += iv) ;
	for (; e + 2 <= te; e += iv) print e
    }' >"$T/want"
t_diag "$(wc -l <"$T/want") periods expected complete; per period: zones seen" \
    "$(awk '$1 == "dns.zone.exists" { n[$3]++ } END { for (e in n) print e, n[e] }' \
    "$T/exists" | sort -n | tr '\n' ' ')"
t_ok 'at least 8 periods are checked' test "$(wc -l <"$T/want")" -ge 8
t_is 'every expected period was published' \
    "$(comm -23 "$T/want" "$T/periods" | wc -l)" 0
t_is "... with exactly one dns.zone.exists for each of the $N zones" \
    "$(awk -v n="$N" 'NR == FNR { w[$1] = 1; next }
	$1 == "dns.zone.exists" && ($3 in w) { c[$3]++ }
	END { for (e in w) if (c[e] != n) b++; print b + 0 }' "$T/want" "$T/exists")" 0
t_is "... and one dns.domain.exists for each" \
    "$(awk -v n="$N" 'NR == FNR { w[$1] = 1; next }
	$1 == "dns.domain.exists" && ($3 in w) { c[$3]++ }
	END { for (e in w) if (c[e] != n) b++; print b + 0 }' "$T/want" "$T/exists")" 0
t_is 'the payload is the zone plus the audit period' \
    "$(jq -r 'select(.event_type == "dns.zone.exists") | .payload |
    [(.name | endswith(".example.test.")), .tenant_id, (.shard | type),
     (.audit_period_ending | length)] | @tsv' "$T/events" | sort -u)" \
    "$(printf 'true\t%s\tnumber\t19' "$PROJ")"
t_is 'the publisher is periodic.<host>' \
    "$(jq -r 'select(.event_type == "dns.zone.exists") | .publisher_id |
    startswith("periodic.")' "$T/events" | sort -u)" true

# The stream's message ids make a repeat harmless; the slices are what keep
# the copies from doing the work twice.  In the steady periods (wholly
# before the kill, or after the takeover and wholly before the join) the
# copies together offered each zone once.
cat "$T"/p[1-4].log | grep 'event=task.done task=exists' |
    sed 's/.* n=\([0-9]*\) .* period=\([0-9]*\) dup=\([0-9]*\).*/\2 \1 \3/' |
    awk '{ n[$1] += $2; d[$1] += $3 } END { for (e in n) print e, n[e], d[e] }' |
    sort -n >"$T/offered"
t_diag "per period: zones offered by all copies, repeats dropped by the stream" \
    "$(tr '\n' ' ' <"$T/offered")"
awk -v t0="$T0" -v tk="$TK" -v tj="$TJ" -v iv="$IV" -v ttl="$TTL" '
    BEGIN {
	for (e = t0 - t0 % iv + iv; e + iv <= tk; e += iv) if (e >= t0 + 2) print e
	for (e = tk - tk % iv + iv; e + iv <= tj; e += iv)
		if (e > tk + ttl + iv) print e
    }' >"$T/steady"
t_is "in $(wc -l <"$T/steady" | tr -d ' ') steady periods each zone was offered once, no repeat" \
    "$(awk -v n="$N" 'NR == FNR { w[$1] = 1; next }
	($1 in w) { seen[$1] = 1; if ($2 != n || $3 != 0) b++ }
	END { for (e in w) if (!(e in seen)) b++; print b + 0 }' \
    "$T/steady" "$T/offered")" 0
t_ok 'zone-central copies still run' t_stack_alive
t_done
