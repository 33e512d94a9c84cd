# test/dns.sh: real DNS servers for the integration tests (test/t/4*.t).
#
# Sourced after test/lib.sh:
#
#	. "${0%/*}/../lib.sh"
#	. "${0%/*}/../dns.sh"
#
# POSIX sh.  Each helper starts one server on free loopback ports with all
# of its files under $T/NAME/, writes its PID to $T/NAME.pid (so lib.sh's
# trap sends it SIGTERM and waits for it) and returns once it answers.
# NAME must be a shell identifier: the helpers export NAME_PORT etc.
# Every server runs in the foreground (named -g, knotd, nsd -d) as a child
# of the test, so the recorded PID is the process to stop; NSD's own
# children go with it.
#
# The servers are secondaries of "the master": 127.0.0.1@MASTER_PORT, which
# is zone-xfr in the tests (or another server in 4001); MASTER_PORT may be
# a comma-separated list (one zone-xfr copy on each port).  A TSIG key is used
# when TSIG_NAME, TSIG_ALG and TSIG_SECRET are set (for the transfers and
# for the NOTIFYs the server accepts).
#
#   t_named NAME MASTER_PORT [catalog FQDN]    BIND 9.18, rndc on a free port
#	exports NAME_PORT NAME_RNDC_PORT NAME_RNDC_KEY (key file)
#   t_knot NAME MASTER_PORT [catalog FQDN]     Knot 3.2 from a confdb
#	exports NAME_PORT NAME_SOCKET (knotc -s)
#   t_nsd NAME MASTER_PORT                     NSD 4.6, unix control socket
#	exports NAME_PORT NAME_CONF (nsd-control -c)
#   t_pdns NAME                                PowerDNS 4.7, gsqlite3, API
#	exports NAME_PORT NAME_API_PORT NAME_API_KEY
#   t_dns_stop NAME                            stop one of them (and wait)
#   t_dns_restart NAME                         start it again, same ports
#   t_soa_serial PORT ZONE                     the serial it serves, or ""
#   t_wait_serial PORT ZONE SERIAL [SECS]      until it serves >= SERIAL
#   t_wait_gone PORT ZONE [SECS]               until it no longer serves it
#   t_pools FILE WORD...                       write a pools.yaml
#
# Extra configuration can be appended with T_NAMED_EXTRA (named.conf
# text), T_KNOT_EXTRA (knot.conf YAML) and T_NSD_EXTRA (nsd.conf text).

# _t_dns_wait NAME TENTHS CMD...: wait until CMD succeeds while NAME's
# recorded process lives.
_t_dns_wait() {
	_dn=$1
	_dt=$2
	shift 2
	_dw=0
	while ! "$@" >/dev/null 2>&1; do
		if ! t_alive "$(t_pid "$_dn")"; then
			t_diag "$_dn exited during start-up"
			t_log "$_dn" 30
			return 1
		fi
		if [ "$_dw" -ge "$_dt" ]; then
			t_diag "$_dn did not answer within $((_dt / 10)) s: $*"
			t_log "$_dn" 30
			return 1
		fi
		sleep 0.1
		_dw=$((_dw + 1))
	done
	return 0
}

# _t_dns_export NAME VAR VALUE: export NAME_VAR=VALUE.
_t_dns_export() {
	eval "$1_$2=\$3; export $1_$2"
}

# _t_tsig: true when a TSIG key is configured in the environment.
_t_tsig() {
	[ -n "${TSIG_NAME:-}" ] && [ -n "${TSIG_SECRET:-}" ]
}

# t_soa_serial PORT ZONE: the SOA serial 127.0.0.1@PORT answers with
# authority (empty when it does not serve ZONE).
t_soa_serial() {
	dig -p "$1" @127.0.0.1 +norec +time=1 +tries=1 "$2" SOA 2>/dev/null |
	    awk '/^;; flags:/ { aa = ($0 ~ / aa[ ;]/) }
		$4 == "SOA" && aa { print $7; exit }'
}

# t_wait_serial PORT ZONE SERIAL [SECS]: wait (20 s) until 127.0.0.1@PORT
# serves ZONE with a serial >= SERIAL (an empty SERIAL: any).
t_wait_serial() {
	_ws=0
	_wmax=$(( ${4:-20} * 10 ))
	while :; do
		_wg=$(t_soa_serial "$1" "$2")
		if [ -n "$_wg" ] && { [ -z "$3" ] || [ "$_wg" -ge "$3" ]; }; then
			return 0
		fi
		[ "$_ws" -ge "$_wmax" ] && break
		sleep 0.1
		_ws=$((_ws + 1))
	done
	t_diag "port $1: $2 serial '${_wg}', wanted >= '$3'"
	return 1
}

# t_rcode PORT ZONE [TYPE]: the rcode of an SOA (or TYPE) query.
t_rcode() {
	dig -p "$1" @127.0.0.1 +norec +time=1 +tries=1 "$2" "${3:-SOA}" 2>/dev/null |
	    sed -n 's/.*status: \([A-Z]*\),.*/\1/p'
}

# t_wait_gone PORT ZONE [SECS]: wait (20 s) until 127.0.0.1@PORT no longer
# serves ZONE (REFUSED, NOTAUTH, SERVFAIL or an answer without aa).
t_wait_gone() {
	_ws=0
	_wmax=$(( ${3:-20} * 10 ))
	while [ -n "$(t_soa_serial "$1" "$2")" ]; do
		if [ "$_ws" -ge "$_wmax" ]; then
			t_diag "port $1 still serves $2"
			return 1
		fi
		sleep 0.1
		_ws=$((_ws + 1))
	done
	return 0
}

# t_dns_stop NAME: SIGTERM NAME's recorded PID and wait for it (t_stop).
t_dns_stop() {
	t_stop "$1"
}

# t_dns_restart NAME: start a server stopped with t_dns_stop again, with
# the same configuration, ports and state.
t_dns_restart() {
	_dn=$1
	_dd=$T/$_dn
	if [ -f "$_dd/named.conf" ]; then
		named -g -c "$_dd/named.conf" </dev/null >>"$T/$_dn.log" 2>&1 &
		echo $! >"$T/$_dn.pid"
		_t_dns_wait "$_dn" 150 rndc -s 127.0.0.1 \
		    -p "$(eval "echo \$${_dn}_RNDC_PORT")" -k "$_dd/rndc.key" status
	elif [ -d "$_dd/confdb" ]; then
		knotd -C "$_dd/confdb" </dev/null >>"$T/$_dn.log" 2>&1 &
		echo $! >"$T/$_dn.pid"
		_t_dns_wait "$_dn" 100 knotc -s "$_dd/knot.sock" status
	elif [ -f "$_dd/nsd.conf" ]; then
		nsd -d -c "$_dd/nsd.conf" </dev/null >>"$T/$_dn.log" 2>&1 &
		echo $! >"$T/$_dn.pid"
		_t_dns_wait "$_dn" 100 nsd-control -c "$_dd/nsd.conf" status
	elif [ -f "$_dd/pdns.conf" ]; then
		pdns_server --config-dir="$_dd" </dev/null >>"$T/$_dn.log" 2>&1 &
		echo $! >"$T/$_dn.pid"
		_t_dns_wait "$_dn" 100 dig -p "$(eval "echo \$${_dn}_PORT")" \
		    @127.0.0.1 +time=1 +tries=1 id.server CH TXT
	else
		t_diag "t_dns_restart: no server $_dn"
		return 1
	fi
}

# ---------------------------------------------------------------- BIND 9

# t_named NAME MASTER_PORT [catalog FQDN]
t_named() {
	_nn=$1
	_nm=$2
	_nd=$T/$_nn
	mkdir -p "$_nd/cat" || return 1
	_np=$(t_port)
	_nr=$(t_port)
	rndc-confgen -a -k "$_nn-rndc" -c "$_nd/rndc.key" -A hmac-sha256 \
	    >/dev/null 2>&1 || { t_diag "rndc-confgen failed"; return 1; }
	_nk=
	if _t_tsig; then
		_nk=" key \"$TSIG_NAME\""
	fi
	_nprim=
	for _x in $(echo "$_nm" | tr ',' ' '); do
		_nprim="$_nprim 127.0.0.1 port $_x$_nk;"
	done
	{
		cat <<EOF
include "$_nd/rndc.key";
controls {
	inet 127.0.0.1 port $_nr allow { 127.0.0.1; } keys { "$_nn-rndc"; };
};
EOF
		if _t_tsig; then
			cat <<EOF
key "$TSIG_NAME" {
	algorithm ${TSIG_ALG:-hmac-sha256};
	secret "$TSIG_SECRET";
};
EOF
		fi
		cat <<EOF
options {
	directory "$_nd";
	pid-file "$_nd/named.pid";
	session-keyfile "$_nd/session.key";
	managed-keys-directory "$_nd";
	listen-on port $_np { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
	notify no;
	allow-new-zones yes;
	allow-notify { 127.0.0.1; };
	allow-transfer { 127.0.0.1; };
	transfers-in 100;
	serial-query-rate 10000;
	min-refresh-time 1;
	min-retry-time 1;
	max-retry-time 5;
EOF
		if [ "${3:-}" = catalog ]; then
			cat <<EOF
	catalog-zones {
		zone "$4"
		    default-primaries {$_nprim }
		    zone-directory "cat"
		    in-memory no
		    min-update-interval 1;
	};
EOF
		fi
		echo '};'
		if [ "${3:-}" = catalog ]; then
			cat <<EOF
zone "$4" {
	type secondary;
	primaries {$_nprim };
	file "catalog.db";
};
EOF
		fi
		printf '%s\n' "${T_NAMED_EXTRA:-}"
	} >"$_nd/named.conf"
	named-checkconf "$_nd/named.conf" >"$T/t_cmd.out" 2>&1 || {
		t_diag "named-checkconf $_nd/named.conf failed"
		_t_out
		return 1
	}
	named -g -c "$_nd/named.conf" </dev/null >>"$T/$_nn.log" 2>&1 &
	echo $! >"$T/$_nn.pid"
	_t_dns_export "$_nn" PORT "$_np"
	_t_dns_export "$_nn" RNDC_PORT "$_nr"
	_t_dns_export "$_nn" RNDC_KEY "$_nd/rndc.key"
	_t_dns_wait "$_nn" 150 rndc -s 127.0.0.1 -p "$_nr" -k "$_nd/rndc.key" \
	    status || return 1
	_t_dns_wait "$_nn" 50 dig -p "$_np" @127.0.0.1 +time=1 +tries=1 \
	    version.bind CH TXT
}

# t_named_primary NAME ZONE FILE NOTIFY_PORT...: a BIND 9 primary (t_named
# NAME) that serves ZONE from FILE, allows transfers to 127.0.0.1 and
# sends NOTIFY for it (notify-delay 0) to 127.0.0.1 on each NOTIFY_PORT.
# Change the zone by rewriting FILE and `t_rndc NAME reload ZONE'.
t_named_primary() {
	_pn=$1
	_pz=$2
	_pf=$3
	shift 3
	_pa=
	for _x in "$@"; do
		_pa="$_pa 127.0.0.1 port $_x;"
	done
	_pextra=${T_NAMED_EXTRA:-}
	T_NAMED_EXTRA="zone \"$_pz\" { type primary; file \"$_pf\"; notify explicit; notify-delay 0; also-notify {$_pa }; };"
	t_named "$_pn" "$1"
	_prc=$?
	T_NAMED_EXTRA=$_pextra
	return $_prc
}

# t_rndc NAME ARG...: rndc against t_named NAME.
t_rndc() {
	_rn=$1
	shift
	eval "rndc -s 127.0.0.1 -p \"\$${_rn}_RNDC_PORT\" -k \"\$${_rn}_RNDC_KEY\" \"\$@\""
}

# ---------------------------------------------------------------- Knot 3.2

# t_knot NAME MASTER_PORT [catalog FQDN]
t_knot() {
	_kn=$1
	_km=$2
	_kd=$T/$_kn
	mkdir -p "$_kd/zones" || return 1
	_kp=$(t_port)
	_kk=
	_kacl='local-notify'
	{
		cat <<EOF
server:
    rundir: "$_kd"
    pidfile: "$_kd/knot.pid"
    listen: 127.0.0.1@$_kp
    udp-workers: 2
    tcp-workers: 2
    background-workers: 2

control:
    listen: "$_kd/knot.sock"

log:
  - target: stderr
    any: info

database:
    storage: "$_kd"

EOF
		if _t_tsig; then
			_kk="
    key: $TSIG_NAME"
			_kacl='local-notify, local-notify-key'
			cat <<EOF
key:
  - id: $TSIG_NAME
    algorithm: ${TSIG_ALG:-hmac-sha256}
    secret: $TSIG_SECRET

EOF
		fi
		cat <<EOF
remote:
  - id: zone-xfr
    address: [ $(echo "$_km" | sed 's/\([0-9][0-9]*\)/127.0.0.1@\1/g; s/,/, /g') ]$_kk

acl:
  - id: local-notify
    address: 127.0.0.1
    action: notify
EOF
		if _t_tsig; then
			cat <<EOF
  - id: local-notify-key
    address: 127.0.0.1
    key: $TSIG_NAME
    action: notify
EOF
		fi
		cat <<EOF

template:
  - id: default
    storage: "$_kd/zones"
    master: zone-xfr
    acl: [ $_kacl ]
    zonefile-sync: -1
    zonefile-load: none
    journal-content: changes
    semantic-checks: off
EOF
		if [ "${3:-}" = catalog ]; then
			cat <<EOF

zone:
  - domain: "$4"
    master: zone-xfr
    acl: [ $_kacl ]
    catalog-role: interpret
    catalog-template: default
EOF
		fi
		printf '%s\n' "${T_KNOT_EXTRA:-}"
	} >"$_kd/knot.conf"
	rm -rf "$_kd/confdb"
	knotc -C "$_kd/confdb" conf-import "$_kd/knot.conf" \
	    >"$T/t_cmd.out" 2>&1 || {
		t_diag "knotc conf-import $_kd/knot.conf failed"
		_t_out
		return 1
	}
	knotd -C "$_kd/confdb" </dev/null >>"$T/$_kn.log" 2>&1 &
	echo $! >"$T/$_kn.pid"
	_t_dns_export "$_kn" PORT "$_kp"
	_t_dns_export "$_kn" SOCKET "$_kd/knot.sock"
	_t_dns_wait "$_kn" 100 knotc -s "$_kd/knot.sock" status || return 1
	_t_dns_wait "$_kn" 50 kdig -p "$_kp" @127.0.0.1 +time=1 +retry=0 \
	    id.server CH TXT
}

# t_knotc NAME ARG...: knotc against t_knot NAME.
t_knotc() {
	_kcn=$1
	shift
	eval "knotc -s \"\$${_kcn}_SOCKET\" \"\$@\""
}

# ---------------------------------------------------------------- NSD 4.6

# t_nsd NAME MASTER_PORT
t_nsd() {
	_sn=$1
	_sm=$2
	_sd=$T/$_sn
	mkdir -p "$_sd" || return 1
	_sp=$(t_port)
	_sk=NOKEY
	{
		cat <<EOF
server:
	ip-address: 127.0.0.1@$_sp
	port: $_sp
	do-ip6: no
	username: ""
	chroot: ""
	database: ""
	zonesdir: "$_sd"
	zonelistfile: "$_sd/zone.list"
	xfrdfile: "$_sd/xfrd.state"
	xfrdir: "$_sd"
	pidfile: "$_sd/nsd.pid"
	server-count: 1
	verbosity: 1
	zonefiles-check: no
	zonefiles-write: 0
	xfrd-reload-timeout: 0
	tcp-count: 200

remote-control:
	control-enable: yes
	control-interface: "$_sd/nsd.sock"

EOF
		if _t_tsig; then
			_sk=$TSIG_NAME
			cat <<EOF
key:
	name: "$TSIG_NAME"
	algorithm: ${TSIG_ALG:-hmac-sha256}
	secret: "$TSIG_SECRET"

EOF
		fi
		cat <<EOF
pattern:
	name: "zone-xfr"
	allow-notify: 127.0.0.1 NOKEY
EOF
		for _x in $(echo "$_sm" | tr ',' ' '); do
			echo "	request-xfr: 127.0.0.1@$_x $_sk"
		done
		_t_tsig && echo "	allow-notify: 127.0.0.1 $TSIG_NAME"
		printf '%s\n' "${T_NSD_EXTRA:-}"
	} >"$_sd/nsd.conf"
	nsd-checkconf "$_sd/nsd.conf" >"$T/t_cmd.out" 2>&1 || {
		t_diag "nsd-checkconf $_sd/nsd.conf failed"
		_t_out
		return 1
	}
	nsd -d -c "$_sd/nsd.conf" </dev/null >>"$T/$_sn.log" 2>&1 &
	echo $! >"$T/$_sn.pid"
	_t_dns_export "$_sn" PORT "$_sp"
	_t_dns_export "$_sn" CONF "$_sd/nsd.conf"
	_t_dns_wait "$_sn" 100 nsd-control -c "$_sd/nsd.conf" status || return 1
	_t_dns_wait "$_sn" 50 dig -p "$_sp" @127.0.0.1 +time=1 +tries=1 \
	    id.server CH TXT
}

# t_nsdc NAME ARG...: nsd-control against t_nsd NAME.
t_nsdc() {
	_scn=$1
	shift
	eval "nsd-control -c \"\$${_scn}_CONF\" \"\$@\""
}

# ---------------------------------------------------------------- PowerDNS

# t_pdns NAME: PowerDNS 4.7 authoritative, gsqlite3 backend, secondary
# enabled, HTTP API on a free port (key "test-key").  No master is
# configured in the server: the API names the masters of each zone it
# creates.  Exports NAME_PORT NAME_API_PORT NAME_API_KEY.
t_pdns() {
	_pdn=$1
	_pdd=$T/$_pdn
	mkdir -p "$_pdd" || return 1
	_pdp=$(t_port)
	_pda=$(t_port)
	rm -f "$_pdd/pdns.sqlite3"
	sqlite3 "$_pdd/pdns.sqlite3" \
	    </usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql || {
		t_diag "cannot create $_pdd/pdns.sqlite3"
		return 1
	}
	cat >"$_pdd/pdns.conf" <<EOF
launch=gsqlite3
gsqlite3-database=$_pdd/pdns.sqlite3
local-address=127.0.0.1
local-port=$_pdp
socket-dir=$_pdd
setuid=
setgid=
daemon=no
guardian=no
security-poll-suffix=
disable-syslog=yes
loglevel=4
secondary=yes
xfr-cycle-interval=1
allow-notify-from=127.0.0.0/8
api=yes
api-key=test-key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$_pda
webserver-allow-from=127.0.0.0/8
${T_PDNS_EXTRA:-}
EOF
	pdns_server --config-dir="$_pdd" </dev/null >>"$T/$_pdn.log" 2>&1 &
	echo $! >"$T/$_pdn.pid"
	_t_dns_export "$_pdn" PORT "$_pdp"
	_t_dns_export "$_pdn" API_PORT "$_pda"
	_t_dns_export "$_pdn" API_KEY test-key
	_t_dns_wait "$_pdn" 100 curl -sf -m 1 -H 'X-API-Key: test-key' \
	    "http://127.0.0.1:$_pda/api/v1/servers/localhost" || return 1
	_t_dns_wait "$_pdn" 50 dig -p "$_pdp" @127.0.0.1 +time=1 +tries=1 \
	    id.server CH TXT
}

# t_pdns_api NAME METHOD PATH [BODY]: one API request to t_pdns NAME (PATH
# under /api/v1/servers/localhost); prints the status, body in $T/pdns.body.
t_pdns_api() {
	eval "_pdu=http://127.0.0.1:\$${1}_API_PORT/api/v1/servers/localhost\$3"
	if [ $# -ge 4 ]; then
		curl -s -m 10 -X "$2" -H 'X-API-Key: test-key' \
		    -H 'Content-Type: application/json' -o "$T/pdns.body" \
		    -w '%{http_code}' --data-binary "$4" "$_pdu"
	else
		curl -s -m 10 -X "$2" -H 'X-API-Key: test-key' \
		    -o "$T/pdns.body" -w '%{http_code}' "$_pdu"
	fi
}

# ---------------------------------------------------------------- the zone daemons

# t_xfr NAME PORT [ENV=VALUE...]: zone-xfr on 127.0.0.1:PORT (t_start, so
# its log is $T/NAME.log).  Exports NAME_PORT.
t_xfr() {
	_xn=$1
	_xp=$2
	shift 2
	_t_dns_export "$_xn" PORT "$_xp"
	t_start "$_xn" env ZONE_XFR_LISTEN="127.0.0.1:$_xp" "$@" zone-xfr
}

# t_notify NAME [ENV=VALUE...]: zone-notify (t_start).
t_notify() {
	_wn=$1
	shift
	t_start "$_wn" env "$@" zone-notify
}

# t_pool_update FILE: zone-manage pool update FILE (output in
# $T/pool-update.log).
t_pool_update() {
	zone-manage pool update "$1" >>"$T/pool-update.log" 2>&1 || {
		t_diag "zone-manage pool update $1 failed"
		tail -n 5 "$T/pool-update.log" | sed 's/^/# /' >&2
		return 1
	}
}

# t_zone_create NAME: POST /v2/zones; prints the zone's id (nothing on
# failure, with the answer as diagnostics).
t_zone_create() {
	_zs=$(t_req POST /v2/zones \
	    "{\"name\": \"$1\", \"email\": \"hostmaster@example.test\", \"ttl\": 300}")
	if [ "$_zs" != 202 ] && [ "$_zs" != 201 ]; then
		t_diag "POST /v2/zones $1: $_zs $(head -c 300 "$T/body")"
		return 1
	fi
	t_json .id
}

# t_zone_status ID: "STATUS ACTION SERIAL" of the zone, or the HTTP status
# when it is not 200.
t_zone_status() {
	_zs=$(t_req GET "/v2/zones/$1")
	if [ "$_zs" = 200 ]; then
		t_json '"\(.status) \(.action) \(.serial)"'
	else
		echo "$_zs"
	fi
}

# t_zone_wait ID STATUS [SECS]: poll GET /v2/zones/ID (every 0.2 s, up to
# SECS, 20) until its status is STATUS ("404": until it is gone).
t_zone_wait() {
	_zw=0
	_zmax=$(( ${3:-20} * 5 ))
	while :; do
		_zg=$(t_zone_status "$1")
		case $_zg in
		"$2" | "$2 "*) return 0 ;;
		esac
		[ "$_zw" -ge "$_zmax" ] && break
		sleep 0.2
		_zw=$((_zw + 1))
	done
	t_diag "zone $1: '$_zg' after ${3:-20} s, wanted $2"
	return 1
}

# t_zone_serial ID: the zone's serial from the API.
t_zone_serial() {
	t_req GET "/v2/zones/$1" >/dev/null
	t_json .serial
}

# t_rrset_create ZID NAME TYPE RECORD...: prints the recordset id.
t_rrset_create() {
	_rz=$1
	_rn=$2
	_rt=$3
	shift 3
	_rr=$(printf '"%s",' "$@")
	_rs=$(t_req POST "/v2/zones/$_rz/recordsets" \
	    "{\"name\": \"$_rn\", \"type\": \"$_rt\", \"records\": [${_rr%,}]}")
	if [ "$_rs" != 202 ] && [ "$_rs" != 201 ]; then
		t_diag "POST recordset $_rn: $_rs $(head -c 300 "$T/body")"
		return 1
	fi
	t_json .id
}

# t_rrset_update ZID RID RECORD...: PUT new records.
t_rrset_update() {
	_rz=$1
	_ri=$2
	shift 2
	_rr=$(printf '"%s",' "$@")
	_rs=$(t_req PUT "/v2/zones/$_rz/recordsets/$_ri" "{\"records\": [${_rr%,}]}")
	if [ "$_rs" != 202 ] && [ "$_rs" != 200 ]; then
		t_diag "PUT recordset $_ri: $_rs $(head -c 300 "$T/body")"
		return 1
	fi
}

# t_dig PORT NAME TYPE: the sorted short answer of 127.0.0.1@PORT.
t_dig() {
	dig -p "$1" @127.0.0.1 +norec +short +time=1 +tries=2 "$2" "$3" 2>/dev/null |
	    sort | tr '\n' ' ' | sed 's/ $//'
}

# ---------------------------------------------------------------- pools.yaml

# t_pools FILE WORD...: write a pools.yaml from words read left to right.
#
#   pool=NAME           start a pool (its id: id=UUID, else a fixed one per
#                       NAME; the first pool gets the default pool's id)
#   id=UUID             the current pool's id
#   attr=KEY:VALUE      a pool attribute
#   masters=PORT,...    masters of the targets that follow (default:
#                       $XFR_PORTS, ports of zone-xfr copies on 127.0.0.1)
#   tsig=NAME:ALG:SECRET  key of the targets that follow ("tsig=" for none)
#   catalog=FQDN        the pool's catalog zone (with tsig= given before it,
#                       its key too)
#   bind9=NAME knot=NAME nsd=NAME   a target of that backend for the server
#                       started by t_named / t_knot / t_nsd NAME
#   catalog-target=NAME a "catalog" target: a consumer of the catalog zone
#                       (NOTIFY only, nothing per zone)
#   pdns=NAME:PORT:API_PORT:KEY    a PowerDNS target (API)
#   ns=NAME             also poll server NAME (added for every target)
#
# Every target's server also becomes a polled nameserver.  The pool's
# ns_records are $ZONE_CENTRAL_NS_RECORDS (hostname:priority ...).
t_pools() {
	_pf=$1
	shift
	: >"$_pf.tmp" || return 1
	_pn=0
	_pm=$(echo "${XFR_PORTS:-5354}" | tr ' ' ',')
	_ptsig=
	for _w in "$@"; do
		case $_w in
		pool=*)
			[ "$_pn" -gt 0 ] && _t_pool_end >>"$_pf.tmp"
			_pn=$((_pn + 1))
			_pname=${_w#pool=}
			if [ "$_pn" -eq 1 ]; then
				_pid=794ccc2c-d751-44fe-b57f-8894c9f5c842
			else
				_pid=$(printf '%08d-0000-4000-8000-%012d' "$_pn" "$_pn")
			fi
			_pattr=
			_ptargets=
			_pnsrv=
			_pcat=
			_ptsig=
			;;
		id=*) _pid=${_w#id=} ;;
		attr=*) _pattr="$_pattr ${_w#attr=}" ;;
		masters=*) _pm=${_w#masters=} ;;
		tsig=*) _ptsig=${_w#tsig=} ;;
		catalog=*) _pcat="${_w#catalog=}|$_ptsig" ;;
		ns=*) _t_pool_ns "${_w#ns=}" ;;
		bind9=* | knot=* | nsd=* | catalog-target=* | pdns=*)
			_ptargets="$_ptargets ${_w%%=*}|${_w#*=}|$_ptsig|$_pm"
			case $_w in
			pdns=*) _t_pool_ns_port "$(echo "${_w#pdns=}" | cut -d: -f2)" ;;
			*) _t_pool_ns "${_w#*=}" ;;
			esac
			;;
		*)
			t_diag "t_pools: unknown word '$_w'"
			return 1
			;;
		esac
	done
	[ "$_pn" -gt 0 ] && _t_pool_end >>"$_pf.tmp"
	mv "$_pf.tmp" "$_pf"
}

_t_pool_ns() {
	eval "_t_pool_ns_port \"\$$1_PORT\""
}

_t_pool_ns_port() {
	case " $_pnsrv " in
	*" $1 "*) ;;
	*) _pnsrv="$_pnsrv $1" ;;
	esac
}

# _t_pool_key INDENT NAME:ALG:SECRET: a tsigkey mapping.
_t_pool_key() {
	_kname=${2%%:*}
	_krest=${2#*:}
	printf '%stsigkey: {name: %s, algorithm: %s, secret: "%s"}\n' \
	    "$1" "$_kname" "${_krest%%:*}" "${_krest#*:}"
}

_t_pool_end() {
	echo "- name: $_pname"
	echo "  id: $_pid"
	echo "  description: test pool $_pname"
	if [ -n "$_pattr" ]; then
		echo "  attributes:"
		for _a in $_pattr; do
			echo "    ${_a%%:*}: \"${_a#*:}\""
		done
	else
		echo "  attributes: {}"
	fi
	echo "  ns_records:"
	for _r in ${ZONE_CENTRAL_NS_RECORDS:-ns1.example.net.:1}; do
		echo "    - hostname: ${_r%:*}"
		echo "      priority: ${_r##*:}"
	done
	echo "  nameservers:"
	for _p in $_pnsrv; do
		echo "    - host: 127.0.0.1"
		echo "      port: $_p"
	done
	echo "  targets:"
	for _t in $_ptargets; do
		_ttype=${_t%%|*}
		_tr=${_t#*|}
		_tname=${_tr%%|*}
		_tr=${_tr#*|}
		_tkey=${_tr%%|*}
		_tmasters=${_tr#*|}
		case $_ttype in
		bind9 | knot | nsd | catalog-target)
			eval "_tport=\$${_tname}_PORT" ;;
		pdns)
			_tport=$(echo "$_tname" | cut -d: -f2) ;;
		esac
		[ "$_ttype" = catalog-target ] && _ttype=catalog
		echo "    - type: $_ttype"
		echo "      description: $_ttype target ${_tname%%:*}"
		[ -n "$_tkey" ] && _t_pool_key '      ' "$_tkey"
		echo "      masters:"
		for _m in $(echo "$_tmasters" | tr ',' ' '); do
			echo "        - host: 127.0.0.1"
			echo "          port: $_m"
		done
		echo "      options:"
		echo "        host: 127.0.0.1"
		echo "        port: \"$_tport\""
		case $_ttype in
		bind9)
			eval "echo \"        rndc_host: 127.0.0.1\"
			echo \"        rndc_port: \\\"\$${_tname}_RNDC_PORT\\\"\"
			echo \"        rndc_key_file: \$${_tname}_RNDC_KEY\""
			;;
		knot)
			eval "echo \"        knotc_socket: \$${_tname}_SOCKET\""
			echo "        remote: zone-xfr"
			;;
		nsd)
			eval "echo \"        nsd_conf: \$${_tname}_CONF\""
			echo "        pattern: zone-xfr"
			;;
		pdns)
			echo "        api_endpoint: http://127.0.0.1:$(echo "$_tname" | cut -d: -f3)"
			echo "        api_key: $(echo "$_tname" | cut -d: -f4)"
			;;
		esac
	done
	echo "  also_notifies: []"
	if [ -n "$_pcat" ]; then
		echo "  catalog_zone:"
		echo "    catalog_zone_fqdn: ${_pcat%%|*}"
		echo "    catalog_zone_refresh: 60"
		_ck=${_pcat#*|}
		if [ -n "$_ck" ]; then
			_ckn=${_ck%%:*}
			_ckr=${_ck#*:}
			echo "    catalog_zone_tsig_key_name: $_ckn"
			echo "    catalog_zone_tsig_algorithm: ${_ckr%%:*}"
			echo "    catalog_zone_tsig_key_secret: \"${_ckr#*:}\""
		fi
	fi
}

# t_running NAME...: every NAME's recorded process runs (else its log).
t_running() {
	_ru=0
	for _rn in "$@"; do
		if ! t_alive "$(t_pid "$_rn")"; then
			t_diag "$_rn is not running"
			t_log "$_rn" 30
			_ru=1
		fi
	done
	return $_ru
}
