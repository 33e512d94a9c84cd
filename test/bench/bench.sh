#!/bin/sh
# test/bench/bench.sh: throughput and latency of the API (run by `make bench`).
#
# Starts its own stack as the tests do (test/lib.sh: nats-server, two
# zone-central copies sharing one view, two zone-api copies, quotas off),
# then drives it with wrk (keep-alive), ~5 s a run:
#
#	recordset creates	c=1 and c=8
#	zone creates		c=1 and c=8
#	GET of one zone		c=8 (through central; from the host's view;
#				and from the view behind Keystone, with a
#				cached token: BENCH_KEYSTONE=0 skips that)
#
# c=8 runs two wrk at once, one per zone-api, 4 connections each; their
# rates are added and the worse of their p50/p99 is shown.  c=1 uses api1.
# Also shows the RSS (VmRSS) of each daemon idle and after the load.
#
# Then, with that stack stopped, test/bench/dns.sh: how fast changes
# reach real DNS servers (BIND 9, Knot, NSD), with a stack of its own.
#
# Environment: BENCH_SECS (5), BENCH_KEEP=1 keeps the stack's directory,
# BENCH_DNS=0 skips dns.sh (its own knobs: see there).  Last,
# test/bench/import.sh: a 10,000-record zone file import to ACTIVE on
# BIND 9, beside named-compilezone (BENCH_IMPORT=0 skips it).

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
export BENCH_DIR
PATH=$ROOT/bin:$PATH
export PATH
SECS=${BENCH_SECS:-5}
[ -n "${BENCH_KEEP:-}" ] && T_KEEP=1 && export T_KEEP

for p in wrk nats-server zone-central zone-api jq; do
	command -v "$p" >/dev/null 2>&1 || { echo "bench: $p not found" >&2; exit 69; }
done

. "$ROOT/test/lib.sh"

BENCH_PROJECT=bench-$$
export BENCH_PROJECT
PROJ=$BENCH_PROJECT
ZONE_CENTRAL_QUOTA_ZONES=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS=-1
ZONE_CENTRAL_QUOTA_ZONE_RECORDS=-1
ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS=-1
export ZONE_CENTRAL_QUOTA_ZONES ZONE_CENTRAL_QUOTA_ZONE_RECORDSETS \
    ZONE_CENTRAL_QUOTA_ZONE_RECORDS ZONE_CENTRAL_QUOTA_RECORDSET_RECORDS

echo "bench: starting nats-server, 2 zone-central, 2 zone-api in $T" >&2
t_stack 2 2 || { echo "bench: the stack did not start" >&2; exit 1; }

DAEMONS='central1 central2 api1 api2 nats'

# rss NAME: VmRSS of NAME in MB (one decimal).
rss() {
	awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$(t_pid "$1")/status" 2>/dev/null
}

# mkzone NAME: create a zone, print its id.
mkzone() {
	_s=$(t_req POST /v2/zones "{\"name\":\"$1\",\"email\":\"hostmaster@bench.test\"}")
	if [ "$_s" != 202 ]; then
		echo "bench: creating zone $1: $_s $(cat "$T/body")" >&2
		exit 1
	fi
	t_json .id
}

# run LABEL CONNS SCRIPT PATH [ARGS...]: one measurement.  CONNS 1: one
# wrk on api1; otherwise two wrk (CONNS/2 connections each), one per api.
# Appends a row to $T/rows.
run() {
	_label=$1 _c=$2 _s=$3 _p=$4
	shift 4
	echo "bench: $_label, c=$_c, ${SECS} s" >&2
	if [ "$_c" -eq 1 ]; then
		wrk -t1 -c1 -d"${SECS}s" --latency --timeout 10s -s "$BENCH_DIR/$_s" \
		    "$ZONE_URL$_p" -- a "$@" >"$T/wrk.a" 2>&1
		: >"$T/wrk.b"
	else
		_h=$((_c / 2))
		wrk -t1 -c"$_h" -d"${SECS}s" --latency --timeout 10s -s "$BENCH_DIR/$_s" \
		    "$ZONE_URL$_p" -- a "$@" >"$T/wrk.a" 2>&1 &
		_wa=$!
		wrk -t1 -c"$_h" -d"${SECS}s" --latency --timeout 10s -s "$BENCH_DIR/$_s" \
		    "$ZONE_URL2$_p" -- b "$@" >"$T/wrk.b" 2>&1 &
		_wb=$!
		wait "$_wa" "$_wb"
	fi
	cat "$T/wrk.a" "$T/wrk.b" >>"$T/wrk.log"
	if ! grep -q '^RESULT' "$T/wrk.a"; then
		echo "bench: wrk failed:" >&2
		cat "$T/wrk.a" >&2
		exit 1
	fi
	grep -h '^RESULT' "$T/wrk.a" "$T/wrk.b" | awk -v l="$_label" -v c="$_c" '
	    {
		for (i = 2; i <= NF; i++) {
			split($i, kv, "="); v[kv[1]] = kv[2]
		}
		rate += v["requests"] / (v["duration_us"] / 1e6)
		n += v["requests"]; bad += v["non2xx"]; sock += v["sockerr"]
		if (v["p50_us"] > p50) p50 = v["p50_us"]
		if (v["p99_us"] > p99) p99 = v["p99_us"]
	    }
	    END {
		printf "| %-22s | %5d | %9.0f | %8d | %7.2f | %7.2f | %8d |\n",
		    l, c, rate, n, p50 / 1000, p99 / 1000, bad + sock
	    }' >>"$T/rows"
}

sleep 1
for d in $DAEMONS; do
	eval "idle_$d=\$(rss $d)"
done

Z1=rs1-$$.bench.test.
Z8=rs8-$$.bench.test.
ZID1=$(mkzone "$Z1") || exit 1
ZID8=$(mkzone "$Z8") || exit 1
ZGET=$(mkzone "get-$$.bench.test.") || exit 1
: >"$T/rows"

run 'recordset create' 1 rs-create.lua "/v2/zones/$ZID1/recordsets" "$ZID1" "$Z1"
run 'recordset create' 8 rs-create.lua "/v2/zones/$ZID8/recordsets" "$ZID8" "$Z8"
run 'zone create' 1 zone-create.lua /v2/zones z1
run 'zone create' 8 zone-create.lua /v2/zones z8
run 'GET one zone' 8 get.lua "/v2/zones/$ZGET"

sleep 1
for d in $DAEMONS; do
	eval "after_$d=\$(rss $d)"
done
t_stack_alive || echo "bench: a daemon died under load" >&2

# The one-host read path: two zone-api with api.local_reads reading the
# view the centrals write (central.read_barrier off: one shared view),
# the RPC apis stopped so that they take no CPU.
t_stop api1
t_stop api2
_p1=$(t_port)
_p2=$(t_port)
ZONE_API_LOCAL_READS=true ZONE_CENTRAL_READ_BARRIER=false \
    t_start lapi1 zone-api -l "127.0.0.1:$_p1" || exit 1
ZONE_API_LOCAL_READS=true ZONE_CENTRAL_READ_BARRIER=false \
    t_start lapi2 zone-api -l "127.0.0.1:$_p2" || exit 1
ZONE_URL=http://127.0.0.1:$_p1
ZONE_URL2=http://127.0.0.1:$_p2
run 'GET one zone, local' 8 get.lua "/v2/zones/$ZGET"

# The same behind Keystone (auth_strategy = keystone): every request
# carries one project-scoped token, validated once, then from the cache.
KS=$T/ks
KS_SH=$ROOT/share/zone/keystone.sh
if [ "${BENCH_KEYSTONE:-1}" != 0 ] && command -v keystone-manage >/dev/null 2>&1 &&
    command -v uwsgi >/dev/null 2>&1 && command -v mariadbd >/dev/null 2>&1; then
	echo "bench: starting a private Keystone in $KS" >&2
	mkdir -p "$KS"
	if sh "$KS_SH" start "$KS" >"$T/ks.out" 2>&1 &&
	    sh "$KS_SH" user "$KS" benchu benchp member >>"$T/ks.out" 2>&1; then
		( . "$KS/keystone.env"
		t_stop lapi1
		t_stop lapi2
		export ZONE_API_KEYSTONE_URL ZONE_API_AUTH_USER ZONE_API_AUTH_PROJECT \
		    ZONE_API_AUTH_PASSWORD_FILE
		ZONE_API_AUTH_STRATEGY=keystone ZONE_API_LOCAL_READS=true \
		    ZONE_CENTRAL_READ_BARRIER=false \
		    t_start kapi1 zone-api -l "127.0.0.1:$_p1" || exit 1
		ZONE_API_AUTH_STRATEGY=keystone ZONE_API_LOCAL_READS=true \
		    ZONE_CENTRAL_READ_BARRIER=false \
		    t_start kapi2 zone-api -l "127.0.0.1:$_p2" || exit 1
		BENCH_TOKEN=$(t_token "$KS" benchu benchp)
		export BENCH_TOKEN
		ZK=$(PROJ= t_req -H "X-Auth-Token: $BENCH_TOKEN" POST /v2/zones \
		    "{\"name\":\"ks-$$.bench.test.\",\"email\":\"hostmaster@bench.test\"}")
		[ "$ZK" = 202 ] || { echo "bench: zone create with a token: $ZK $(cat "$T/body")" >&2; exit 1; }
		ZKID=$(t_json .id)
		# both apis wait for the zone, and have the token in their cache
		for u in "$ZONE_URL" "$ZONE_URL2"; do
			i=0
			while [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Auth-Token: $BENCH_TOKEN" \
			    "$u/v2/zones/$ZKID")" != 200 ] && [ $i -lt 50 ]; do
				sleep 0.1
				i=$((i + 1))
			done
		done
		run 'GET one zone, keystone' 8 get.lua "/v2/zones/$ZKID"
		t_stop kapi1
		t_stop kapi2 ) || echo "bench: the keystone run failed" >&2
	else
		echo "bench: Keystone did not start (see $T/ks.out); no keystone row" >&2
	fi
	sh "$KS_SH" stop "$KS" >/dev/null 2>&1
fi

t_req GET "/v2/zones/$ZID8" >/dev/null
RS8=$(t_req GET "/v2/zones/$ZID8/recordsets?limit=1" >/dev/null; t_json .metadata.total_count)
for d in central1 central2; do
	kill -USR1 "$(t_pid "$d")"
done
sleep 0.3

echo
echo "zone bench: $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%M:%SZ), ${SECS} s per run," \
    "2 zone-central + 2 zone-api, wrk keep-alive"
echo
echo '| what                   | conns |     req/s | requests |  p50 ms |  p99 ms | failures |'
echo '|------------------------|------:|----------:|---------:|--------:|--------:|---------:|'
cat "$T/rows"
echo
echo '| daemon                 | RSS idle MB | RSS after MB |'
echo '|------------------------|------------:|-------------:|'
for d in $DAEMONS; do
	case $d in
	central*) n="zone-central ${d#central}" ;;
	api*) n="zone-api ${d#api}" ;;
	nats) n=nats-server ;;
	esac
	eval "printf '| %-22s | %11s | %12s |\n' \"\$n\" \"\$idle_$d\" \"\$after_$d\""
done
echo
echo "failures = non-2xx answers + socket errors; c=8 adds the rates of the" \
    "two wrk and shows the worse p50/p99."
echo "GET one zone, local: two zone-api with api.local_reads=true answer reads" \
    "from the host's view (central.read_barrier=false: one shared view)."
echo "GET one zone, keystone: the same two zone-api with auth_strategy=keystone;" \
    "every request carries one token, checked once with Keystone, then cached."
echo "the c=8 recordset zone holds $RS8 recordsets after the run."
grep -h 'event=stats' "$T"/central*.log | sed 's/^/central /'

# The DNS benchmarks start a stack of their own: stop this one first.
[ "${BENCH_DNS:-1}" = 0 ] && exit 0
for d in api1 api2 central1 central2; do
	t_stop "$d"
done
t_stop nats INT
echo
sh "$BENCH_DIR/dns.sh"
[ "${BENCH_IMPORT:-1}" = 0 ] && exit 0
sh "$BENCH_DIR/import.sh"
