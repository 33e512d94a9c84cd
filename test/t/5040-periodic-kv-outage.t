#!/bin/sh
# 5040: zone-periodic through a KV write outage.  A cluster of three
# nats-servers, every stream and bucket with 3 replicas; three
# zone-periodic copies (the default member ttl, 15 s; exists every 5 s).
# kill -9 of the server leading the zone_members bucket stops KV writes
# for several seconds while Raft elects.  The copies keep their slices
# (no shard changes hands, none is left unowned), and the exists events
# stay exactly one per zone per period, none missed: a period that the
# outage cut short is finished late, with its own audit period.
. "${0%/*}/../lib.sh"
. "${0%/*}/../dns.sh"

t_plan 14

N=30
IV=5
PROJ=p5040
ZONE_CENTRAL_QUOTA_ZONES=-1
ZONE_NATS_REPLICAS=3
export ZONE_CENTRAL_QUOTA_ZONES ZONE_NATS_REPLICAS

# ----------------------------------------------------------- the cluster

R1=$(t_port) R2=$(t_port) R3=$(t_port)
ROUTES=nats://127.0.0.1:$R1,nats://127.0.0.1:$R2,nats://127.0.0.1:$R3
P1=$(t_port) P2=$(t_port) P3=$(t_port)
M1=$(t_port) M2=$(t_port) M3=$(t_port)

# node I: start server nI (again, same ports and store).
node() {
	eval "_r=\$R$1 _p=\$P$1 _m=\$M$1"
	mkdir -p "$T/js$1"
	nats-server -a 127.0.0.1 -p "$_p" -m "$_m" -js -sd "$T/js$1" \
	    --server_name "n$1" --cluster_name z5040 \
	    --cluster "nats://127.0.0.1:$_r" --routes "$ROUTES" \
	    </dev/null >>"$T/n$1.log" 2>&1 &
	echo $! >"$T/n$1.pid"
}
node 1
node 2
node 3
URLS=nats://127.0.0.1:$P1,nats://127.0.0.1:$P2,nats://127.0.0.1:$P3
ZONE_NATS_URL=$URLS
export ZONE_NATS_URL

# leader STREAM: the server name leading STREAM, asked of any live server.
leader() {
	for _i in 1 2 3; do
		t_alive "$(t_pid "n$_i")" || continue
		eval "_m=\$M$_i"
		curl -s -m 2 "http://127.0.0.1:$_m/jsz?streams=true" |
		    jq -r --arg s "$1" '[.account_details[]?.stream_detail[]? |
			select(.name == $s) | .cluster.leader // empty][0] // empty' \
		    2>/dev/null | grep . && return 0
	done
	return 1
}

# current: on every live server, the streams it leads have 2 replicas,
# both current (so that one more server may go).
current() {
	for _i in 1 2 3; do
		t_alive "$(t_pid "n$_i")" || continue
		eval "_m=\$M$_i"
		curl -s -m 2 "http://127.0.0.1:$_m/jsz?streams=true" |
		    jq -e --arg me "n$_i" '[.account_details[]?.stream_detail[]? |
			select(.cluster.leader == $me) | .cluster.replicas // [] |
			length == 2 and all(.[]; .current)] | all' >/dev/null ||
		    return 1
	done
}

w=0
until zone-manage init >>"$T/init.log" 2>&1; do
	w=$((w + 1))
	[ "$w" -ge 100 ] && { t_log init; t_abort 'the cluster forms'; }
	sleep 0.2
done
t_pass 'a cluster of three nats-servers, zone-manage init with 3 replicas'

ZONE_DB_PATH=$T/db
export ZONE_DB_PATH
mkdir -p "$ZONE_DB_PATH"
t_start central1 zone-central && t_start central2 zone-central ||
    t_abort 'start zone-central'
AP=$(t_port)
t_start api1 zone-api -l "127.0.0.1:$AP" || t_abort 'start zone-api'
ZONE_URL=http://127.0.0.1:$AP
export ZONE_URL

i=1
: >"$T/jobs"
while [ "$i" -le "$N" ]; do
	printf '%s/v2/zones\t{"name":"o%d-%d.example.test.","email":"h@example.test"}\to%d\n' \
	    "$ZONE_URL" "$i" "$$" "$i" >>"$T/jobs"
	i=$((i + 1))
done
t_par_post "$T/jobs" >"$T/post.out"
t_is "$N zones" "$(grep -c '^202 ' "$T/post.out")" "$N"
cat "$T"/out/o* | jq -r .id | sort >"$T/ids"

for p in p1 p2 p3; do
	t_start "$p" env ZONE_PERIODIC_EXISTS_INTERVAL_S=$IV \
	    ZONE_PERIODIC_TASKS=exists zone-periodic || t_abort 'start zone-periodic'
done
sleep 3
T0=$(date +%s)
for p in p1 p2 p3; do
	grep 'event=shards.changed' "$T/$p.log" | tail -n 1
done | sed 's/.* first=\([^ ]*\) last=\([^ ]*\) members=\([0-9]*\).*/\1 \2 \3/' |
    sort -n >"$T/slices0"
t_diag "slices:" "$(cat "$T/slices0")"
t_is 'three copies share the shards' \
    "$(awk '$1 != n || $3 != 3 { b = 1 } { n = $2 + 1 } END { print (b ? "no" : n) }' \
    "$T/slices0")" 4096
sleep 1
for p in p1 p2 p3; do
	eval "L_$p=\$(wc -l <\"\$T/\$p.log\")"
done

# ----------------------------------------------------------- the outages

# outage STREAM: kill -9 the server leading STREAM; wait for a new leader.
outage() {
	_kl=$(leader "$1")
	[ -n "$_kl" ] || return 1
	t_kill9 "$_kl"
	_w=0
	while :; do
		_nl=$(leader "$1")
		[ -n "$_nl" ] && [ "$_nl" != "$_kl" ] && break
		[ "$_w" -ge 300 ] && return 1
		sleep 0.1
		_w=$((_w + 1))
	done
	t_diag "$1: killed its leader $_kl; $_nl leads after about $((_w / 10)).$((_w % 10)) s"
	KILLED=${_kl#n}
}

sleep $((IV + 1))
TK=$(date +%s)
t_ok 'kill -9 the leader of the zone_members bucket: a new one is elected' \
    outage KV_zone_members
sleep $((2 * IV))
node "$KILLED"
sleep 3
w=30
until current || [ "$w" -ge 300 ]; do
	sleep 0.1
	w=$((w + 1))
done
t_diag "n$KILLED is back; every stream's replicas current after $((w / 10)) s"
sleep 2
TK2=$(date +%s)
t_ok 'it is back; kill -9 the leader of ZONE_EVENTS: a new one is elected' \
    outage ZONE_EVENTS
sleep $((3 * IV))
TE=$(date +%s)
t_ok 'the copies still run' t_running p1 p2 p3
grep -h 'event=member\.\|event=task\.' "$T/p1.log" "$T/p2.log" "$T/p3.log" |
    grep -v task.done | sed 's/^/# /' >&2

t_is 'no copy changed its slice through the outages' \
    "$(for p in p1 p2 p3; do
	eval "tail -n +\$((L_$p + 1)) \"\$T/\$p.log\""
    done | grep -c 'event=shards.changed')" 0
# what each copy had done before they stop: a stop hands the stopped
# copy's shards to the others, which then finish the current period for
# them (the stream drops the repeats), so later lines are not the outage's
for p in p1 p2 p3; do
	eval "E_$p=\$(wc -l <\"\$T/\$p.log\")"
done
t_stop p1
t_stop p2
t_stop p3
# the whole cluster again before reading the stream (a consumer is made)
node "$KILLED"
sleep 3
w=0
until current || [ "$w" -ge 300 ]; do
	sleep 0.1
	w=$((w + 1))
done

# ----------------------------------------------------------- count

zonectl watch --since 0 --idle 3 >"$T/events"
jq -r 'select(.event_type == "dns.zone.exists") | [.payload.id,
    (.payload.audit_period_ending | strptime("%Y-%m-%d %H:%M:%S") | mktime)]
    | @tsv' "$T/events" >"$T/exists"
t_ok 'exists events were published' test -s "$T/exists"
t_is 'no (zone, period) twice' "$(sort "$T/exists" | uniq -d | wc -l)" 0
awk -v t0="$T0" -v te="$TE" -v iv="$IV" 'BEGIN {
	for (e = t0 - t0 % iv + iv; e + 2 <= te; e += iv) print e }' >"$T/want"
t_diag "per period: zones" "$(cut -f 2 "$T/exists" | sort -n | uniq -c |
    awk '{ printf "%s:%s ", $2, $1 }')" "outages from $TK and $TK2"
t_ok 'the periods span both outages' \
    awk -v tk="$TK" -v tk2="$TK2" '{ if (NR == 1) f = $1; l = $1 }
	END { exit !(f < tk && l > tk2 + 10) }' "$T/want"
t_is "every period from before to after the outages has all $N zones" \
    "$(awk -v n="$N" 'NR == FNR { w[$1] = 1; next }
	($2 in w) { c[$2]++ } END { for (e in w) if (c[e] != n) b++; print b + 0 }' \
    "$T/want" "$T/exists")" 0
# Publishes that failed in an outage are tried again (and one whose ack
# was lost is dropped by the stream), so a copy may offer a zone twice;
# what must not happen is two copies working the same shard in a period.
for p in p1 p2 p3; do
	eval "head -n \$E_$p \"\$T/\$p.log\"" | grep 'event=task.done task=exists' |
	    sed "s/.* first=\([0-9]*\) last=\([0-9]*\) period=\([0-9]*\).*/\3 \1 \2 $p/"
done | sort -n -k1,1 -k2,2 >"$T/ranges"
t_is 'no two copies worked the same shard in the same period' \
    "$(awk 'NR == FNR { w[$1] = 1; next } !($1 in w) { next }
	$1 != e { e = $1; hi = -1; who = "" }
	$2 <= hi && $4 != who { b++ }
	$3 > hi { hi = $3; who = $4 }
	END { print b + 0 }' "$T/want" "$T/ranges")" 0
t_is 'zone-central copies still run' \
    "$(t_running central1 central2 && echo yes)" yes
t_is 'zone-api still answers' "$(t_req GET /v2/zones)" 200
t_done
