#!/bin/sh
# make run: a one-host zone stack in the foreground.  State lives under
# var/ and survives a restart; Ctrl-C stops everything.
set -u
top=$(pwd)
var=$top/var
mkdir -p "$var/js" "$var/db" "$var/log" "$var/run" "$var/named/zones"
export PATH="$top/bin:$PATH"
export ZONE_CONF="${ZONE_CONF:-$top/etc/zone.conf}"
NATS_PORT=${NATS_PORT:-4222}
NATS_MON=${NATS_MON:-8222}
API_LISTEN=${API_LISTEN:-127.0.0.1:9001}
XFR_PORT=${XFR_PORT:-5354}
BIND_PORT=${BIND_PORT:-5300}
export ZONE_NATS_URL="nats://127.0.0.1:$NATS_PORT"
export ZONE_DB_PATH="$var/db"
export ZONE_API_LISTEN="$API_LISTEN"
export ZONE_XFR_LISTEN="127.0.0.1:$XFR_PORT"
export ZONE_API_API_BASE_URI="http://$API_LISTEN"
# one host, one view: writes wait for it, so reads need no barrier
export ZONE_CENTRAL_READ_BARRIER="${ZONE_CENTRAL_READ_BARRIER:-false}"
# and zone-api answers reads from that view itself
export ZONE_API_LOCAL_READS="${ZONE_API_LOCAL_READS:-true}"
pids=

stop() {
	trap - INT TERM EXIT
	echo "run: stopping" >&2
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	[ -n "${named_pid:-}" ] && kill -TERM "$named_pid" 2>/dev/null &&
		wait "$named_pid" 2>/dev/null
	[ -n "${nats_pid:-}" ] && kill -INT "$nats_pid" 2>/dev/null &&
		wait "$nats_pid" 2>/dev/null
	exit 0
}
trap stop INT TERM EXIT

# start NAME cmd...: run a daemon, wait for its readiness line on fd 3
start() {
	name=$1; shift
	fifo=$var/run/$name.rdy
	rm -f "$fifo"; mkfifo "$fifo"
	"$@" -d 3 3>"$fifo" 2>>"$var/log/$name.log" &
	pid=$!
	pids="$pids $pid"
	if ! timeout 15 sh -c 'read -r _ <"$1"' sh "$fifo"; then
		echo "run: $name did not start; see $var/log/$name.log:" >&2
		tail -n 5 "$var/log/$name.log" >&2
		exit 1
	fi
	echo "run: $name ready (pid $pid, log var/log/$name.log)" >&2
}

nats-server -a 127.0.0.1 -p "$NATS_PORT" -m "$NATS_MON" -js -sd "$var/js" \
	2>>"$var/log/nats-server.log" &
nats_pid=$!
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$NATS_MON/healthz"; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "run: nats-server did not start" >&2; exit 1; }
	sleep 0.1
done
echo "run: nats-server ready on 127.0.0.1:$NATS_PORT (JetStream in var/js)" >&2

zone-manage init 2>>"$var/log/zone-manage.log" ||
	{ tail -n 3 "$var/log/zone-manage.log" >&2; exit 1; }
zone-manage pool update "${ZONE_POOLS:-$top/etc/pools.yaml}" \
	2>>"$var/log/zone-manage.log" ||
	{ tail -n 3 "$var/log/zone-manage.log" >&2; exit 1; }
start zone-central zone-central
start zone-xfr zone-xfr
start zone-notify zone-notify
start zone-api zone-api
start zone-periodic zone-periodic
# zone-sink takes OpenStack notifications from notifications.>; give a
# handler its zone with ZONE_SINK_NOVA_FIXED_ZONE_ID (or _NEUTRON_...)
start zone-sink zone-sink

# The local pool target: BIND9 on 127.0.0.1:$BIND_PORT, reading the pool's
# catalog zone from zone-xfr, so new zones need no call to it.
cat >"$var/named/named.conf" <<EOC
options {
	directory "$var/named";
	pid-file "$var/named/named.pid";
	session-keyfile "$var/named/session.key";
	listen-on port $BIND_PORT { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	notify no;
	allow-new-zones yes;
	serial-query-rate 10000;	// else a NOTIFY waits ~500 ms
	catalog-zones {
		zone "catalog.zone.invalid." default-primaries {
			127.0.0.1 port $XFR_PORT; } zone-directory "zones"
			min-update-interval 1;
	};
};
zone "catalog.zone.invalid." {
	type secondary;
	primaries { 127.0.0.1 port $XFR_PORT; };
	file "catalog.db";
};
EOC
named -g -c "$var/named/named.conf" 2>>"$var/log/named.log" &
named_pid=$!
i=0
until dig +short +time=1 +tries=1 -p "$BIND_PORT" @127.0.0.1 \
    catalog.zone.invalid. SOA | grep -q .; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "run: named did not start; see var/log/named.log" >&2; exit 1; }
	sleep 0.1
done
echo "run: named ready on 127.0.0.1:$BIND_PORT (a catalog consumer of zone-xfr)" >&2

cat <<EOT

zone is running: API http://$API_LISTEN (noauth), NATS 127.0.0.1:$NATS_PORT

  curl -s -X POST -H 'Content-Type: application/json' -H 'X-Auth-Project-ID: demo' \\
      http://$API_LISTEN/v2/zones -d '{"name":"example.test.","email":"hostmaster@example.test"}'

  export ZONE_URL=http://$API_LISTEN ZONE_PROJECT=demo
  zonectl zone create example.org. --email hostmaster@example.org
  zonectl recordset create example.org. www --type A --record 192.0.2.10
  zonectl -f table recordset list example.org.
  zonectl -w recordset create example.org. mail --type A --record 192.0.2.25
  dig @127.0.0.1 -p $BIND_PORT mail.example.org. A

  openstack --os-auth-type none --os-endpoint http://$API_LISTEN/v2 zone list --all-projects

  zonectl watch | jq -c '[.seq, .event_type, .payload.name]'   # notifications

Ctrl-C stops everything; state stays in var/.
EOT
wait
