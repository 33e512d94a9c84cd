#!/bin/sh
# 9040: NATS outages.  Without nats-server, zone-central and zone-api exit
# 69 (EX_UNAVAILABLE) with one log line.  With a running stack, stopping
# nats-server makes requests fail with 503 or 504 and a JSON error body;
# restarting it on the same port and store, the daemons reconnect by
# themselves and every write from before is still there.
. "${0%/*}/../lib.sh"

t_plan 22

PROJ=p-$$
ZONE_CENTRAL_QUOTA_ZONES=-1
ZONE_CENTRAL_NS_RECORDS='ns1.example.net.:1 ns2.example.net.:2'
export ZONE_CENTRAL_QUOTA_ZONES ZONE_CENTRAL_NS_RECORDS

# ------------------------------------------------------ no nats-server at all

ZONE_NATS_URL=nats://127.0.0.1:$(t_port)
ZONE_DB_PATH=$T/db0
export ZONE_NATS_URL ZONE_DB_PATH
mkdir -p "$ZONE_DB_PATH"

# no_nats NAME CMD...: CMD exits 69 (within 20 s) with exactly one stderr
# line, carrying event=nats.unavailable, and nothing on stdout.  3 tests.
no_nats() {
	_n=$1
	shift
	timeout 20 "$@" >"$T/$_n.out" 2>"$T/$_n.err" </dev/null
	t_is "$_n without nats-server exits 69" "$?" 69
	t_is "$_n writes exactly one line to stderr" \
	    "$(wc -l <"$T/$_n.err" | tr -d ' ')" 1 ||
	    sed 's/^/# /' "$T/$_n.err" | head -5 >&2
	t_ok "$_n's line is event=nats.unavailable, with nothing on stdout" \
	    sh -c 'grep -q "event=nats.unavailable" "$1.err" && ! [ -s "$1.out" ]' \
	    sh "$T/$_n" || sed 's/^/# /' "$T/$_n.err" >&2
}
no_nats zone-central zone-central
no_nats zone-api zone-api -l "127.0.0.1:$(t_port)"

# -------------------------------------------------------------- a stack

unset ZONE_DB_PATH
t_stack 2 2 || t_abort "start nats-server, 2 zone-central, 2 zone-api"
t_is 'nats-server is running with JetStream' "$(t_nats_ok "$NATS_PORT" && echo up)" up

Z="out-$$.example.test."
bad=0
s=$(t_req POST /v2/zones "{\"name\":\"$Z\",\"email\":\"h@example.test\"}")
[ "$s" = 202 ] || bad=$((bad + 1))
ZID=$(t_json .id)
i=1
while [ "$i" -le 20 ]; do
	s=$(t_req POST "/v2/zones/$ZID/recordsets" \
	    "{\"name\":\"r$i.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.$i\"]}")
	[ "$s" = 202 ] || bad=$((bad + 1))
	i=$((i + 1))
done
t_is 'a zone and 20 recordsets before the outage' "$bad" 0
t_req GET "/v2/zones/$ZID/recordsets?limit=max" >/dev/null
jq -r '.recordsets[] | "\(.id) \(.name) \(.type) \(.records | join(","))"' \
    "$T/body" | sort >"$T/before"
t_req GET "/v2/zones/$ZID" >/dev/null
SERIAL=$(t_json .serial)

# ---------------------------------------------------------------- the gap

t_ok 'stop nats-server (SIGINT)' t_stop nats INT
t_is 'it exited cleanly' "$(cat "$T/nats.rc")" 0

# gap_req TAG URL METHOD PATH [BODY]: one request during the outage, in the
# background; status in $T/gap.TAG, body in $T/gap.TAG.body.
gap_req() {
	_tag=$1
	_url=$2
	shift 2
	curl -s -g -m 30 -X "$1" -H "X-Auth-Project-ID: $PROJ" \
	    -H 'Content-Type: application/json' -o "$T/gap.$_tag.body" \
	    -w '%{http_code}' ${3:+--data-binary "$3"} "$_url$2" \
	    >"$T/gap.$_tag" 2>/dev/null
}
gap_req get1 "$ZONE_URL" GET "/v2/zones/$ZID" &
g1=$!
gap_req get2 "$ZONE_URL2" GET "/v2/zones/$ZID/recordsets" &
g2=$!
gap_req list "$ZONE_URL" GET /v2/zones &
g3=$!
gap_req post1 "$ZONE_URL" POST "/v2/zones/$ZID/recordsets" \
    "{\"name\":\"gap1.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.99\"]}" &
g4=$!
gap_req post2 "$ZONE_URL2" POST "/v2/zones/$ZID/recordsets" \
    "{\"name\":\"gap2.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.99\"]}" &
g5=$!
wait "$g1" "$g2" "$g3" "$g4" "$g5"
GAPEND=$(date -u +%Y-%m-%dT%H:%M:%S.%N)

gapbad=0
for tag in get1 get2 list post1 post2; do
	s=$(cat "$T/gap.$tag")
	b=$(jq -r '"\(.code) \(.type)"' "$T/gap.$tag.body" 2>/dev/null)
	case "$s" in
	503 | 504)
		case "$b" in
		"$s "[a-z]*) continue ;;
		esac ;;
	esac
	gapbad=$((gapbad + 1))
	t_diag "$tag during the outage: $s $(head -c 200 "$T/gap.$tag.body")"
done
t_is 'requests during the outage get 503/504 with a JSON {code, type}' "$gapbad" 0
t_diag "during the outage: get1 $(cat "$T/gap.get1") get2 $(cat "$T/gap.get2")" \
    "list $(cat "$T/gap.list") post1 $(cat "$T/gap.post1") post2 $(cat "$T/gap.post2"):" \
    "$(head -c 200 "$T/gap.post1.body")"
t_ok 'the daemons are still running during the outage' t_stack_alive

# ---------------------------------------------- nats-server back, same port

# nats_again: nats-server on $NATS_PORT with the old store $T/js.
nats_again() {
	nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$T/js" \
	    -P "$T/nats-server.pid" </dev/null >>"$T/nats.log" 2>&1 &
	echo $! >"$T/nats.pid"
	_w=0
	while ! t_nats_ok "$NATS_PORT"; do
		t_alive "$(t_pid nats)" && [ "$_w" -lt 100 ] || return 1
		sleep 0.1
		_w=$((_w + 1))
	done
}
t_ok 'restart nats-server on the same port and store' nats_again
RESTART=$(date -u +%Y-%m-%dT%H:%M:%S.%N)

# until_202 URL: poll (15 s) until a recordset create through URL gets 202.
until_202() {
	_w=0
	while [ "$_w" -lt 150 ]; do
		_s=$(t_req POST "$1/v2/zones/$ZID/recordsets" \
		    "{\"name\":\"back$_w.${1##*:}.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.7\"]}")
		if [ "$_s" = 202 ]; then
			t_diag "create through $1 got 202 after $_w tries"
			return 0
		fi
		echo "$_s $(t_json .type)" >"$T/last.until"
		sleep 0.1
		_w=$((_w + 1))
	done
	t_diag "last answer: $(cat "$T/last.until")"
	return 1
}
start=$(date +%s)
t_ok 'api1 reconnects by itself: a create gets 202 within 15 s' until_202 "$ZONE_URL"
t_ok 'api2 reconnects by itself: a create gets 202 within 15 s' until_202 "$ZONE_URL2"
t_diag "back after $(($(date +%s) - start)) s"

t_req GET "/v2/zones/$ZID/recordsets?limit=max" >/dev/null
jq -r '.recordsets[] | "\(.id) \(.name) \(.type) \(.records | join(","))"' \
    "$T/body" | sort >"$T/after"
t_is 'every recordset written before the outage is still there' \
    "$(grep -v ' SOA ' "$T/before" | comm -23 - "$T/after" | head -5)" ''
t_ok "the zone serial went on ($SERIAL -> $(t_req GET "/v2/zones/$ZID" >/dev/null; t_json .serial))" \
    test "$(t_json .serial)" -gt "$SERIAL"
# Both centrals serve again: read-your-writes across the APIs, 10 times.
bad=0
i=1
while [ "$i" -le 10 ]; do
	s=$(t_req POST "$ZONE_URL/v2/zones/$ZID/recordsets" \
	    "{\"name\":\"post$i.$Z\",\"type\":\"A\",\"records\":[\"192.0.2.$i\"]}")
	id=$(t_json .id)
	g=$(t_req GET "$ZONE_URL2/v2/zones/$ZID/recordsets/$id")
	[ "$s $g" = '202 200' ] || { bad=$((bad + 1)); t_diag "round $i: $s $g"; }
	i=$((i + 1))
done
t_is 'after the outage, writes through api1 are read through api2 (10 times)' "$bad" 0
s=$(t_req POST /v2/zones "{\"name\":\"out2-$$.example.test.\",\"email\":\"h@example.test\"}")
t_is 'and a new zone can be created' "$s" 202

# applied N: the journal position central N reports on SIGUSR1.
applied() {
	kill -USR1 "$(t_pid "central$1")"
	sleep 0.3
	sed -n 's/.*event=stats .*applied=\([0-9]*\).*/\1/p' "$T/central$1.log" | tail -1
}
a1=$(applied 1)
a2=$(applied 2)
t_ok "both centrals' journal followers resumed (applied $a1 and $a2)" \
    test -n "$a1" -a "$a1" = "$a2" -a "${a1:-0}" -gt 30

# The creates sent while nats-server was down were answered 503 or 504:
# the client was told they failed, and may have given up or retried.
# zone-api must not keep them in its reconnect buffer and have central
# carry them out seconds (or minutes) later, once NATS is back.
# (oslo.messaging, under Designate, gives each RPC call message an
# expiration equal to its timeout for the same reason.)
sleep 1
t_req GET "/v2/zones/$ZID/recordsets?name=gap*" >/dev/null
t_is 'the creates refused during the outage were not carried out later' \
    "$(sed 's/^50[34]$/5xx/' "$T/gap.post1") $(sed 's/^50[34]$/5xx/' \
    "$T/gap.post2") $(t_json .metadata.total_count)" '5xx 5xx 0' ||
    t_diag "the 5xx were answered by $GAPEND, nats-server back at $RESTART;" \
	"yet: $(jq -c '.recordsets[] | {name, created_at}' "$T/body")"
t_ok 'every daemon is still running' t_stack_alive
t_done
