#!/bin/sh
# test/bench/import.sh: a zone file import of IMPORT_N (10,000) records
# through the API, to ACTIVE on a real BIND 9 target (run by `make
# bench` after dns.sh, or on its own: sh test/bench/import.sh), beside
# named-compilezone loading the same file.
#
# One stack as test 4070 starts it: nats-server, zone-central, zone-api
# (api.max_body 4 MB), zone-xfr, zone-notify, quotas off, and one BIND 9
# target.  IMPORT_RUNS (3) imports, each of a new zone; best and median.
#
# Columns: POST = the import's 202 (the zone and its recordsets are in
# the journal and the view then); ACTIVE = from the POST until the API
# shows the zone ACTIVE (BIND serves its serial); served = until BIND
# answers the last record.

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
PATH=$ROOT/bin:$PATH
export PATH
[ -n "${BENCH_KEEP:-}" ] && T_KEEP=1 && export T_KEEP
N=${IMPORT_N:-10000}
RUNS=${IMPORT_RUNS:-3}

for p in nats-server zone-central zone-api zone-xfr zone-notify zone-manage \
    named named-compilezone dig jq; do
	command -v "$p" >/dev/null 2>&1 || { echo "bench: $p not found" >&2; exit 69; }
done

. "$ROOT/test/lib.sh"
. "$ROOT/test/dns.sh"

PROJ=bench-import-$$
for q in ZONES ZONE_RECORDSETS ZONE_RECORDS RECORDSET_RECORDS; do
	eval "ZONE_CENTRAL_QUOTA_$q=-1; export ZONE_CENTRAL_QUOTA_$q"
done
ZONE_API_MAX_BODY=4194304
ZONE_NATS_TIMEOUT_MS=60000
export ZONE_API_MAX_BODY ZONE_NATS_TIMEOUT_MS

X1=$(t_port)
XFR_PORTS=$X1
echo "bench: starting BIND 9, nats-server, zone-central, zone-api, zone-xfr, zone-notify in $T" >&2
t_named bind1 "$X1" || { echo "bench: named did not start" >&2; exit 1; }
t_stack 1 1 || { echo "bench: the stack did not start" >&2; exit 1; }
t_pools "$T/pools.yaml" pool=default bind9=bind1
t_pool_update "$T/pools.yaml" || exit 1
t_xfr xfr1 "$X1" || exit 1
t_notify notify1 || exit 1

# zonefile ZONE: the file of N records (3 A to 1 TXT), relative names.
zonefile() {
	printf '$ORIGIN %s\n$TTL 300\n' "$1"
	printf '@ IN SOA ns1.%s hostmaster.%s 1 3600 600 86400 300\n' "$1" "$1"
	printf '@ IN NS ns1.%s\n' "$1"
	awk -v n="$N" 'BEGIN {
		for (i = 0; i < n; i++)
			if (i % 4 == 3)
				printf "t%d IN TXT \"record %d\"\n", i, i
			else
				printf "h%d IN A 10.%d.%d.%d\n", i,
				    int(i / 65536), int(i / 256) % 256, i % 256
	}'
}

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
best() { sort -n | head -1; }

: >"$T/post" ; : >"$T/active" ; : >"$T/served" ; : >"$T/compile"
last=h$((N - 2))
r=1
while [ "$r" -le "$RUNS" ]; do
	Z=imp$r-$$.bench.test.
	zonefile "$Z" >"$T/z$r.zone"
	t0=$(date +%s%N)
	named-compilezone -q -o /dev/null "$Z" "$T/z$r.zone" >/dev/null 2>&1
	ms "$t0" >>"$T/compile"
	t0=$(date +%s%N)
	s=$(t_req -H 'Content-Type: text/dns' POST /v2/zones/tasks/imports "@$T/z$r.zone")
	ms "$t0" >>"$T/post"
	[ "$s" = 202 ] || { echo "bench: import: $s $(head -c 300 "$T/body")" >&2; exit 1; }
	t_req GET "/v2/zones/tasks/imports/$(t_json .id)" >/dev/null
	zid=$(t_json .zone_id)
	[ "$(t_json .status)" = COMPLETE ] || { echo "bench: import: $(cat "$T/body")" >&2; exit 1; }
	while [ "$(t_zone_status "$zid" | cut -d' ' -f1)" != ACTIVE ]; do
		sleep 0.05
	done
	ms "$t0" >>"$T/active"
	while [ -z "$(t_dig "$bind1_PORT" "$last.$Z" A)" ]; do
		sleep 0.01
	done
	ms "$t0" >>"$T/served"
	r=$((r + 1))
done

bytes=$(wc -c <"$T/z1.zone")
echo
echo "5. Zone file import of $N records ($bytes bytes) to a BIND 9 target ($RUNS runs)"
echo
echo '| what                                   | best ms | median ms |'
echo '|----------------------------------------|--------:|----------:|'
printf '| named-compilezone of the file          | %7s | %9s |\n' "$(best <"$T/compile")" "$(med <"$T/compile")"
printf '| import POST -> 202 (journal and view)  | %7s | %9s |\n' "$(best <"$T/post")" "$(med <"$T/post")"
printf '| import POST -> zone ACTIVE (API)       | %7s | %9s |\n' "$(best <"$T/active")" "$(med <"$T/active")"
printf '| import POST -> BIND answers the last   | %7s | %9s |\n' "$(best <"$T/served")" "$(med <"$T/served")"
