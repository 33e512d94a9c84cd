#!/bin/sh
# test/bench/dns.sh: how fast changes reach real DNS servers (run by
# `make bench` after bench.sh, or on its own: sh test/bench/dns.sh).
#
# One stack as the tests start it (test/lib.sh, test/dns.sh): nats-server,
# zone-central, zone-api, zone-xfr, zone-notify, quotas off, and
#
#	pool "default": one BIND 9 target (bind9 backend, rndc addzone),
#	    nameservers = that BIND
#	pool "catalog": BIND 9 and Knot as consumers of the pool's catalog
#	    zone (catalog targets, nothing per zone)
#	NSD and Knot secondaries of zone-xfr for the big zone, added by hand
#
# and measures, with the C client dnsbench.c (built here with libcurl):
#
#  1. API 202 -> the record answered: DNS_CHANGES (200) recordset creates
#     in one zone, one client; each name is asked of zone-xfr and of BIND
#     every millisecond from the 202 on.  Three ways: the next create when
#     BIND answers ("wait"), 20 ms after the 202, and back to back.
#  2. AXFR of a zone of DNS_BIG (100,000) A records (DNS_BIG/100
#     recordsets of 100 records: BIND 9.18 refuses more than 100 records
#     of one type at a name, max-records-per-type) from zone-xfr, NSD,
#     Knot and BIND,
#     DNS_RUNS (5) rounds, servers interleaved; best and median.
#  3. DNS_ZONES (1,000) zone creates by 8 clients in the catalog pool:
#     from the first create until every zone's SOA is served by each
#     consumer (asked of all of them, not a sample).
#  4. The IXFR of a one-record change of the big zone vs its AXFR (bytes).
#
#     Then the same creates again with zone-notify stopped: the API alone.
#
# Environment: DNS_CHANGES, DNS_BIG, DNS_RUNS, DNS_ZONES; DNS_PARTS (the
# parts to run, "1 2 3 4"; 4 needs 2); BENCH_KEEP=1 keeps the directory;
# BENCH_NAMED_OPTIONS: text added to the options of the BIND of parts 1, 2
# and 4 (to try options; one given replaces t_named's setting of it, e.g.
# "serial-query-rate 20;"); BENCH_NOTIFY_ENV: VAR=VALUE words for
# zone-notify (e.g. ZONE_NOTIFY_POLL_DELAY_MS=10).

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
PATH=$ROOT/bin:$PATH
export PATH
[ -n "${BENCH_KEEP:-}" ] && T_KEEP=1 && export T_KEEP
CHANGES=${DNS_CHANGES:-200}
BIG=${DNS_BIG:-100000}
RUNS=${DNS_RUNS:-5}
NZONES=${DNS_ZONES:-1000}
PARTS=" ${DNS_PARTS:-1 2 3 4} "
case $PARTS in *' 4 '*) PARTS="$PARTS 2 " ;; esac
part() {
	case $PARTS in *" $1 "*) return 0 ;; esac
	return 1
}

for p in nats-server zone-central zone-api zone-xfr zone-notify zone-manage \
    named rndc knotd knotc nsd nsd-control dig kdig jq cc pkg-config; do
	command -v "$p" >/dev/null 2>&1 || { echo "bench: $p not found" >&2; exit 69; }
done

. "$ROOT/test/lib.sh"
. "$ROOT/test/dns.sh"

say() {
	echo "bench: $*" >&2
}
fail() {
	echo "bench: $*" >&2
	exit 1
}

cc -O2 -o "$T/dnsbench" "$BENCH_DIR/dnsbench.c" \
    $(pkg-config --cflags --libs libcurl) -lpthread ||
    fail 'cannot build dnsbench.c (libcurl4-openssl-dev?)'
DB=$T/dnsbench

PROJ=bench-dns-$$
ZONE_CENTRAL_QUOTA_ZONES=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDS=-1
ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS=-1
export ZONE_CENTRAL_QUOTA_ZONES ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS \
    ZONE_CENTRAL_QUOTA_ZONE_RECORDS ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS
POOL2=00000002-0000-4000-8000-000000000002
CAT=catalog.bench.test.

X1=$(t_port)
XFR_PORTS=$X1
say "starting BIND x2, Knot x2, NSD, nats-server, zone-central, zone-api," \
    "zone-xfr, zone-notify in $T"
t_named bind1 "$X1" || fail 'named'
if [ -n "${BENCH_NAMED_OPTIONS:-}" ]; then
	t_dns_stop bind1
	# an option given replaces t_named's own setting of it
	printf '%s\n' "$BENCH_NAMED_OPTIONS" | tr ';' '\n' |
	    awk 'NF { print $1 }' | while read -r kw; do
		sed -i "/^	$kw /d" "$T/bind1/named.conf"
	done
	printf '%s\n' "$BENCH_NAMED_OPTIONS" >"$T/named.options"
	sed -i "/^	notify no;/r $T/named.options" "$T/bind1/named.conf"
	named-checkconf "$T/bind1/named.conf" || fail 'BENCH_NAMED_OPTIONS'
	t_dns_restart bind1 || fail 'named with BENCH_NAMED_OPTIONS'
	say "BIND options added: $BENCH_NAMED_OPTIONS"
fi
t_named bind2 "$X1" catalog "$CAT" || fail 'named (catalog)'
t_knot knot1 "$X1" || fail 'knotd'
t_knot knot2 "$X1" catalog "$CAT" || fail 'knotd (catalog)'
T_NSD_EXTRA='	provide-xfr: 127.0.0.1 NOKEY' t_nsd nsd1 "$X1" || fail 'nsd'
t_stack 1 1 || fail 'the stack did not start'
t_pools "$T/pools.yaml" pool=default bind9=bind1 \
    pool=catalog "id=$POOL2" "catalog=$CAT" catalog-target=bind2 \
    catalog-target=knot2 || fail 't_pools'
t_pool_update "$T/pools.yaml" || fail 'zone-manage pool update'
t_xfr xfr1 "$X1" || fail 'zone-xfr'
# shellcheck disable=SC2086
t_notify notify1 ${BENCH_NOTIFY_ENV:-} || fail 'zone-notify'

ms() {
	date +%s%3N
}

# ------------------------------------------------------------ 1. propagation

: >"$T/rows1"
if part 1; then
ZP=prop-$$.bench.test.
ZPID=$(t_zone_create "$ZP") || fail "zone $ZP"
t_zone_wait "$ZPID" ACTIVE 20 || fail "zone $ZP not ACTIVE"
t_wait_serial "$bind1_PORT" "$ZP" '' 10 || fail "BIND does not serve $ZP"

# logged PATTERN: lines of BIND's log with PATTERN.
logged() {
	grep -c "$1" "$T/bind1.log"
}
for mode in wait 20 0; do
	case $mode in
	wait) label='next after BIND answers' ;;
	0) label='back to back' ;;
	*) label="$mode ms after each 202" ;;
	esac
	say "propagation: $CHANGES creates, $label"
	add0=$(logged "addzone $ZP")
	q0=$(logged "$ZP.*refresh in progress")
	"$DB" prop "$ZONE_URL" "$PROJ" "$ZPID" "$ZP" "$CHANGES" "$mode" \
	    "m$mode" "$X1" "$bind1_PORT" >"$T/prop.$mode" ||
	    fail "dnsbench prop $mode"
	sleep 0.5	# zone-notify's last rounds
	add=$(( $(logged "addzone $ZP") - add0 ))
	q=$(( $(logged "$ZP.*refresh in progress") - q0 ))
	grep '^RESULT' "$T/prop.$mode" | tr ' ' '\n' | sed -n 's/=/ /p' |
	    awk -v l="$label" -v add="$add" -v q="$q" '
		$1 == "port0" { p = "x" } $1 == "port1" { p = "b" }
		$1 ~ /^(p50|p99|max|lost)$/ { v[p $1] = $2; next }
		{ v[$1] = $2 }
		END {
			printf "| %-24s | %7d | %7.2f | %7.2f | %7.2f | %8.2f | %8.2f | %8.2f | %4d | %7d | %6d |\n",
			    l, v["n"], v["api_p50"], v["xp50"], v["xp99"],
			    v["bp50"], v["bp99"], v["bmax"], v["blost"] + v["failed"],
			    add, q
		}' >>"$T/rows1"
done
fi

# ------------------------------------------------------------ 2. big zone

: >"$T/rows2"
: >"$T/rows4"
if part 2; then
ZB=big-$$.bench.test.
ZBID=$(t_zone_create "$ZB") || fail "zone $ZB"
NRS=$((BIG / 100))
say "big zone: $NRS recordsets of 100 A records"
i=0
while [ "$i" -lt "$NRS" ]; do
	echo "$i"
	i=$((i + 1))
done | awk -v z="$ZB" '{
	i = $1
	printf "{\"name\":\"r%d.%s\",\"type\":\"A\",\"records\":[", i, z
	for (j = 0; j < 100; j++)
		printf "%s\"10.%d.%d.%d\"", j ? "," : "", int(i / 250), i % 250, j + 1
	printf "],\"ttl\":300}\n"
}' >"$T/big.bodies"
start=$(ms)
"$DB" post "$ZONE_URL/v2/zones/$ZBID/recordsets" "$PROJ" 4 <"$T/big.bodies" \
    >"$T/big.post" || fail "big zone: $(cat "$T/big.post")"
load_ms=$(( $(ms) - start ))
SB=$(t_zone_serial "$ZBID")
# Knot and NSD also serve AXFR of it to 127.0.0.1.
t_knotc knot1 conf-begin >/dev/null &&
    t_knotc knot1 conf-set 'acl[xfr-out]' >/dev/null &&
    t_knotc knot1 conf-set 'acl[xfr-out].address' 127.0.0.1 >/dev/null &&
    t_knotc knot1 conf-set 'acl[xfr-out].action' transfer >/dev/null &&
    t_knotc knot1 conf-set "zone[$ZB]" >/dev/null &&
    t_knotc knot1 conf-set "zone[$ZB].acl" local-notify xfr-out >/dev/null &&
    t_knotc knot1 conf-commit >/dev/null || fail "knotc: add $ZB"
t_nsdc nsd1 addzone "$ZB" zone-xfr >/dev/null || fail "nsd-control addzone $ZB"
for s in bind1 knot1 nsd1; do
	eval "p=\$${s}_PORT"
	t_wait_serial "$p" "$ZB" "$SB" 60 || fail "$s does not serve $ZB $SB"
done
served_ms=$(( $(ms) - start ))
say "big zone: loaded in $load_ms ms, on every server after $served_ms ms"

: >"$T/axfr"
r=0
while [ "$r" -lt "$RUNS" ]; do
	for s in xfr1 nsd1 knot1 bind1; do
		eval "p=\$${s}_PORT"
		"$DB" axfr "$p" "$ZB" >"$T/axfr.1" || fail "AXFR from $s"
		sed "s/^RESULT/$s/" "$T/axfr.1" >>"$T/axfr"
		a=$(date +%s%N)
		kdig -p "$p" @127.0.0.1 +noall +time=10 "$ZB" AXFR >/dev/null ||
		    fail "kdig AXFR from $s"
		b=$(date +%s%N)
		echo "$s kdig_ms=$(( (b - a) / 1000 ))" >>"$T/axfr"
	done
	r=$((r + 1))
done
for s in xfr1 nsd1 knot1 bind1; do
	case $s in
	xfr1) n=zone-xfr ;;
	nsd1) n='NSD 4.6' ;;
	knot1) n='Knot 3.2' ;;
	bind1) n='BIND 9.18' ;;
	esac
	grep "^$s ms=" "$T/axfr" | sed 's/[a-z]*=//g' | sort -k2 -n | awk -v n="$n" '
	    { t[NR] = $2; rr = $5; by = $3; msg = $4 }
	    END {
		printf "| %-10s | %7d | %9d | %8d | %7.1f | %9.1f |", n, rr, by, msg,
		    t[1], t[int((NR + 1) / 2)]
	    }' >>"$T/rows2"
	grep "^$s kdig_ms=" "$T/axfr" | sed 's/.*=//' | sort -n | awk '
	    { t[NR] = $1 } END { printf " %9.1f |\n", t[int((NR + 1) / 2)] / 1000 }' \
	    >>"$T/rows2"
done

# ------------------------------------------------------------ 4. one change

fi

if part 4; then
say 'one-record changes of the big zone: IXFR vs AXFR'
# xfrsize ARGS...: "records messages bytes" of a dig transfer.
xfrsize() {
	dig -p "$X1" @127.0.0.1 +tries=1 +time=10 +stats "$@" 2>/dev/null |
	    sed -n 's/^;; XFR size: \([0-9]*\) records (messages \([0-9]*\), bytes \([0-9]*\)).*/\1 \2 \3/p'
}
row4() {
	set -- $2 "$1"
	printf '| %-40s | %7s | %8s | %9s |\n' "$4" "$1" "$2" "$3" >>"$T/rows4"
}
row4 'AXFR (the whole zone)' "$(xfrsize "$ZB" AXFR)"
t_rrset_create "$ZBID" "one.$ZB" A 192.0.2.1 >/dev/null || fail 'one-record create'
S2=$(t_zone_serial "$ZBID")
t_wait_serial "$X1" "$ZB" "$S2" 10 || fail "zone-xfr serial $S2"
row4 'IXFR: a new recordset of one record' "$(xfrsize "$ZB" "IXFR=$SB")"
# One record of a 100-record recordset replaced.
RID=$(t_req GET "/v2/zones/$ZBID/recordsets?name=r0.$ZB" >/dev/null
    t_json '.recordsets[0].id')
awk 'BEGIN {
	printf "{\"records\":["
	for (j = 0; j < 100; j++)
		printf "%s\"10.0.0.%d\"", j ? "," : "", j == 0 ? 251 : j + 1
	printf "]}\n"
}' >"$T/put.body"
st=$(t_req PUT "/v2/zones/$ZBID/recordsets/$RID" "@$T/put.body")
[ "$st" = 202 ] || fail "PUT one record of r0: $st $(head -c 300 "$T/body")"
S3=$(t_zone_serial "$ZBID")
t_wait_serial "$X1" "$ZB" "$S3" 10 || fail "zone-xfr serial $S3"
row4 'IXFR: 1 of 100 records of a set replaced' "$(xfrsize "$ZB" "IXFR=$S2")"
t_wait_serial "$bind1_PORT" "$ZB" "$S3" 20 || fail "BIND serial $S3"
bind_in=$(grep "transfer of '${ZB%.}/IN'" "$T/bind1.log" |
    grep 'Transfer completed' | tail -n 2 |
    sed 's/.*Transfer completed: \([^,]*, [^,]*, [^,]*\),.*/\1;/' | tr '\n' ' ')
w=0
while [ "$w" -lt 50 ]; do
	big_status=$(t_zone_status "$ZBID")
	case $big_status in ACTIVE*) break ;; esac
	sleep 0.2
	w=$((w + 1))
done
fi

# ------------------------------------------------------------ 3. catalog

: >"$T/rows3"
members=
cpuline=
if part 3; then
say "catalog: $NZONES zone creates by 8 clients, until BIND and Knot serve all"
t_stop central1
t_start central1 env ZONE_CENTRAL_DEFAULT_POOL_ID=$POOL2 zone-central ||
    fail 'zone-central with the catalog pool'
CPUD='api1 central1 notify1 xfr1 bind2 knot2 nats'
# cpu NAME: user + system CPU time of NAME's process, in clock ticks.
cpu() {
	awk '{ print $14 + $15 }' "/proc/$(t_pid "$1")/stat" 2>/dev/null || echo 0
}
for d in $CPUD; do
	eval "cpu0_$d=\$(cpu $d)"
done
"$DB" zones "$ZONE_URL" "$PROJ" "$NZONES" 8 "c$$" "$bind2_PORT" "$knot2_PORT" \
    >"$T/zones" || fail 'dnsbench zones'
hz=$(getconf CLK_TCK)
cpuline=
for d in $CPUD; do
	eval "c=\$(( \$(cpu $d) - cpu0_$d ))"
	cpuline="$cpuline $d $(awk -v c="$c" -v h="$hz" 'BEGIN { printf "%.1f", c / h }'),"
done
members=$(dig -p "$bind2_PORT" @127.0.0.1 +tries=1 "$CAT" AXFR 2>/dev/null |
    awk '$4 == "PTR" && $1 ~ /\.zones\./' | wc -l)
say "the API alone: $NZONES zone creates by 8 clients, zone-notify stopped"
t_stop notify1
"$DB" zones "$ZONE_URL" "$PROJ" "$NZONES" 8 "a$$" >"$T/zones.api" ||
    fail 'dnsbench zones (API alone)'
sed 's/[a-z_0-9]*=//g' "$T/zones" | awk -v n="$NZONES" '
    function row(l, s, left) {
	if (s < 0)
		printf "| %-31s | %6d | %7s | %7s | %12s |\n", l, n, "-", "-", left " left"
	else if (l ~ /^API/)
		printf "| %-31s | %6d | %7.2f | %7.0f | %12s |\n", l, n, s, n / s, ""
	else
		printf "| %-31s | %6d | %7.2f | %7.0f | %12.2f |\n", l, n, s, n / s, s - api
    }
    {
	api = $4
	row("API: all 202s (8 clients)", $4, 0)
	row("BIND 9.18 serves every zone", $6, $7)
	row("Knot 3.2 serves every zone", $9, $10)
	fails = $3
    }
    END { if (fails) printf "| create failures: %d |\n", fails }' >>"$T/rows3"
sed 's/[a-z_0-9]*=//g' "$T/zones.api" | awk -v n="$NZONES" '{
	printf "| %-31s | %6d | %7.2f | %7.0f | %12s |\n", "API alone (zone-notify stopped)", n, $4, n / $4, ""
	if ($3) printf "| create failures: %d |\n", $3
}' >>"$T/rows3"
fi

t_running xfr1 central1 api1 bind1 bind2 knot1 knot2 nsd1 ||
    say 'a daemon died'
kill -USR1 "$(t_pid xfr1)" 2>/dev/null
sleep 0.2

# ------------------------------------------------------------ report

echo
echo "zone DNS bench: $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%M:%SZ)," \
    "1 zone-central, 1 zone-api, 1 zone-xfr, 1 zone-notify"
echo
echo "1. API 202 -> record answered ($CHANGES A recordset creates in one zone," \
    "one client, asked every 1 ms)"
echo
echo '| next create              | changes | API p50 | xfr p50 | xfr p99 | BIND p50 | BIND p99 | BIND max | lost | addzone | queued |'
echo '|--------------------------|--------:|--------:|--------:|--------:|---------:|---------:|---------:|-----:|--------:|-------:|'
cat "$T/rows1"
echo
echo "ms from the 202 (API: the POST itself); xfr = zone-xfr answers the name;" \
    "addzone = rndc addzone calls BIND got meanwhile (zone-notify's backend"
echo "after a poll round that missed); queued = BIND's 'refresh in progress," \
    "refresh check queued'."
echo "BIND: serial-query-rate $(sed -n 's/^	serial-query-rate \([0-9]*\);/\1/p' \
    "$T/bind1/named.conf") (a refresh waits for the next tick of BIND's" \
    "rate limiter, 10/rate s when rate > 10: the default 20 costs ~500 ms)."
[ -n "${BENCH_NAMED_OPTIONS:-}" ] && echo "BIND options added: $BENCH_NAMED_OPTIONS"
[ -n "${BENCH_NOTIFY_ENV:-}" ] && echo "zone-notify environment: $BENCH_NOTIFY_ENV"
echo
echo "2. AXFR of $BIG A records ($NRS recordsets of 100; loaded through the" \
    "API in $load_ms ms, on every server after $served_ms ms)"
echo
echo '| server     | records |     bytes | messages | best ms | median ms | kdig med. |'
echo '|------------|--------:|----------:|---------:|--------:|----------:|----------:|'
cat "$T/rows2"
echo
echo "$RUNS rounds, servers interleaved; dnsbench reads the stream over TCP" \
    "(record headers only); kdig +noall includes its process start."
echo
echo "3. New zones on catalog consumers ($NZONES creates, 8 clients, from the" \
    "first create)"
echo
echo '| what                            |  zones |       s | zones/s | s after 202s |'
echo '|---------------------------------|-------:|--------:|--------:|-------------:|'
cat "$T/rows3"
echo
echo "members of $CAT at BIND at the end: $members"
echo "CPU seconds spent meanwhile (2 CPUs):${cpuline%,}" \
    "(bind2/knot2: the consumers)"
echo
echo "4. Bytes on the wire for a change of the $BIG-record zone (from zone-xfr)"
echo
echo '| transfer                                 | records | messages |     bytes |'
echo '|------------------------------------------|--------:|---------:|----------:|'
cat "$T/rows4"
echo
echo "BIND's last two inbound transfers of the zone: $bind_in"
echo "the big zone's status at the end (API): $big_status"
grep -h 'event=stats' "$T/xfr1.log" | tail -n 1 | sed 's/^/zone-xfr /'
