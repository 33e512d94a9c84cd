#!/bin/sh
# neutron.sh: a private Neutron API server (ML2, flat networks, the L3
# router plugin for floating IPs, no agents at all) over the MariaDB and
# Keystone of keystone.sh, for tests that need real floating IPs.
# Everything lives in DIR; nothing binds beyond 127.0.0.1.
#
#   neutron.sh start KSDIR DIR [PORT]
#                     database `neutron' in KSDIR's MariaDB, DIR/neutron.conf,
#                     DIR/ml2_conf.ini, DIR/api-paste.ini, the migrations,
#                     neutron-server on 127.0.0.1:PORT (free if not given),
#                     a `neutron' service user (password in KSDIR/neutron.pw),
#                     the network service and its endpoints in RegionOne,
#                     and an external flat network `public' with the IPv4
#                     subnet 198.51.100.0/24 (no DHCP); writes DIR/neutron.env
#   neutron.sh stop DIR
#                     stop neutron-server and its workers (by PID)
#
# DIR/neutron.env (sh syntax) holds NEUTRON_URL, NEUTRON_PORT and
# NEUTRON_PUBLIC_NETWORK_ID (and _SUBNET_ID).  Log: DIR/neutron.log (and
# DIR/neutron-manage.log for the migrations).  No RabbitMQ: oslo.messaging's
# in-process fake driver, no notifications, no Nova, no DHCP agent.
# neutron-server forks one API worker, one RPC worker (Neutron's minimum)
# and one periodic worker (the L3 janitor); the parent's PID is in
# DIR/neutron.pid, and stop also waits for (or kills) those workers.
#
# Neutron runs under Debian's python3 (/usr/bin/python3) whatever python3
# comes first in PATH: only that one has python3-neutron.
set -u

die() {
	echo "neutron.sh: $*" >&2
	exit 1
}

PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)

[ $# -ge 2 ] || die "usage: neutron.sh start KSDIR DIR [PORT] | stop DIR"
cmd=$1
case $cmd in
start)
	[ $# -ge 3 ] || die "usage: neutron.sh start KSDIR DIR [PORT]"
	KS=$(cd "$2" 2>/dev/null && pwd) || die "no directory $2"
	[ -f "$KS/keystone.env" ] || die "no $KS/keystone.env: keystone.sh start first"
	mkdir -p "$3" || die "cannot make $3"
	D=$(cd "$3" && pwd)
	shift 3
	;;
*)
	D=$(cd "$2" 2>/dev/null && pwd) || die "no directory $2"
	shift 2
	;;
esac

# free_port, alive
. "$here/procs.sh"

# kids PID: the PIDs whose parent is PID (from /proc/*/stat, without ps)
kids() {
	for f in /proc/[0-9]*/stat; do
		read -r s 2>/dev/null <"$f" || continue
		s=${s##*") "}	# after "PID (comm) ": state ppid ...
		s=${s#* }	# ppid ...
		[ "${s%% *}" = "$1" ] && { q=${f#/proc/}; echo "${q%/stat}"; }
	done
}

# stop_tree FILE: TERM the PID in FILE (the workers' parent: it stops its
# workers) and wait up to 10 s for it and its workers, then KILL them.
stop_tree() {
	[ -f "$1" ] || return 0
	p=$(cat "$1")
	if alive "$p"; then
		ks=$(kids "$p")
		kill -TERM "$p" 2>/dev/null
		i=0
		while [ $i -lt 100 ]; do
			left=
			for k in $p $ks; do
				alive "$k" && left="$left $k"
			done
			[ -z "$left" ] && break
			sleep 0.1
			i=$((i + 1))
		done
		for k in $p $ks; do
			alive "$k" && kill -KILL "$k" 2>/dev/null
		done
	fi
	rm -f "$1"
}

# sql STATEMENT: run it in KSDIR's MariaDB as root (over its socket)
sql() {
	mariadb --no-defaults -S "$KS/mysql.sock" -u root -e "$1"
}

neutron_conf() {
	mkdir -p "$D/state" "$D/lock"
	# the pipeline of Neutron's etc/api-paste.ini (neutron-common ships it
	# in /etc/neutron, which need not be there)
	cat >"$D/api-paste.ini" <<'EOF'
[composite:neutron]
use = egg:Paste#urlmap
/: neutronversions_composite
/v2.0: neutronapi_v2_0

[composite:neutronapi_v2_0]
use = call:neutron.auth:pipeline_factory
noauth = cors http_proxy_to_wsgi request_id catch_errors extensions neutronapiapp_v2_0
keystone = cors http_proxy_to_wsgi request_id catch_errors authtoken keystonecontext extensions neutronapiapp_v2_0

[composite:neutronversions_composite]
use = call:neutron.auth:pipeline_factory
noauth = cors http_proxy_to_wsgi neutronversions
keystone = cors http_proxy_to_wsgi neutronversions

[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory

[filter:catch_errors]
paste.filter_factory = oslo_middleware:CatchErrors.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = neutron

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory

[filter:keystonecontext]
paste.filter_factory = neutron.auth:NeutronKeystoneContext.factory

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory

[filter:extensions]
paste.filter_factory = neutron.api.extensions:plugin_aware_extension_middleware_factory

[app:neutronversions]
paste.app_factory = neutron.pecan_wsgi.app:versions_factory

[app:neutronapiapp_v2_0]
paste.app_factory = neutron.api.v2.router:APIRouter.factory
EOF
	# it holds the neutron user's password
	(umask 077; : >"$D/neutron.conf")
	cat >"$D/neutron.conf" <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $port
api_paste_config = $D/api-paste.ini
state_path = $D/state
log_file = $D/neutron.log
debug = false
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
# no broker: oslo.messaging's in-process driver; nobody listens anyway
transport_url = fake:/
# one API worker; Neutron keeps one RPC worker whatever rpc_workers says
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0
# no agents, no Nova
dhcp_agent_notification = false
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
[database]
connection = mysql+pymysql://root@localhost/neutron?unix_socket=$KS/mysql.sock&charset=utf8
max_pool_size = 10
max_overflow = 20
[keystone_authtoken]
www_authenticate_uri = $KEYSTONE_URL
auth_url = $KEYSTONE_URL
auth_type = password
username = neutron
password = $npw
user_domain_name = Default
project_name = service
project_domain_name = Default
region_name = RegionOne
service_token_roles_required = true
[oslo_messaging_notifications]
driver = noop
[oslo_concurrency]
lock_path = $D/lock
[oslo_policy]
enforce_scope = false
enforce_new_defaults = false
EOF
	cat >"$D/ml2_conf.ini" <<'EOF'
[ml2]
type_drivers = flat
tenant_network_types =
mechanism_drivers =
extension_drivers =
[ml2_type_flat]
flat_networks = public
EOF
}

# the migrations: neutron-db-manage upgrade heads, from Debian's module
migrate() {
	$PY -c 'import sys
from neutron.db.migration.cli import main
sys.argv[0] = "neutron-db-manage"
sys.exit(main())' --config-file "$D/neutron.conf" \
	    --config-file "$D/ml2_conf.ini" upgrade heads \
	    >>"$D/neutron-manage.log" 2>&1 ||
		die "neutron-db-manage upgrade heads failed; see $D/neutron-manage.log"
}

neutron_up() {
	# neutron-server is neutron.cmd.eventlet.server:main (its package
	# monkey-patches for eventlet on import).  SQLAlchemy sets up the
	# backrefs (Port.port_forwardings...) on the first query; the periodic
	# worker's L3 janitor reads one before any query and dies of it, so
	# the parent sets them all up before it forks its workers.
	$PY -c 'import sys
from neutron.cmd.eventlet.server import main
from neutron_lib.callbacks import events, registry, resources
from sqlalchemy import orm
def configure_mappers(resource, event, trigger, payload=None):
    orm.configure_mappers()
registry.subscribe(configure_mappers, resources.PROCESS, events.BEFORE_SPAWN)
sys.argv[0] = "neutron-server"
sys.exit(main())' --config-file "$D/neutron.conf" \
	    --config-file "$D/ml2_conf.ini" \
	    </dev/null >>"$D/neutron.log" 2>&1 &
	echo $! >"$D/neutron.pid"
	i=0
	until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
		i=$((i + 1))
		alive "$(cat "$D/neutron.pid")" && [ $i -lt 600 ] ||
			die "neutron-server did not start; see $D/neutron.log"
		sleep 0.1
	done
}

# the admin's project-scoped token, from KSDIR/keystone.env
admin_token() {
	tok=$(curl -sf -D - -o /dev/null -H 'Content-Type: application/json' \
	    --data-binary "{\"auth\":{\"identity\":{\"methods\":[\"password\"],
	    \"password\":{\"user\":{\"name\":\"$OS_USERNAME\",\"domain\":{\"id\":\"default\"},
	    \"password\":\"$OS_PASSWORD\"}}},\"scope\":{\"project\":
	    {\"name\":\"$OS_PROJECT_NAME\",\"domain\":{\"id\":\"default\"}}}}}" \
	    "$KEYSTONE_URL/auth/tokens?nocatalog" |
	    tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
	[ -n "$tok" ] || die "cannot get an admin token"
}

# api URL METHOD PATH [BODY]: one call with the admin's token; body on stdout
api() {
	if [ $# -ge 4 ]; then
		curl -sf -X "$2" -H "X-Auth-Token: $tok" \
		    -H 'Content-Type: application/json' --data-binary "$4" "$1$3"
	else
		curl -sf -X "$2" -H "X-Auth-Token: $tok" "$1$3"
	fi
}

# the network service, its three endpoints at $url (old ones replaced)
register() {
	s=$(api "$KEYSTONE_URL" GET "/services?type=network" |
	    jq -r '.services[0].id // empty')
	[ -n "$s" ] || s=$(api "$KEYSTONE_URL" POST /services \
	    '{"service":{"type":"network","name":"neutron","description":"neutron.sh"}}' |
	    jq -r .service.id)
	[ -n "$s" ] || die "cannot make the network service"
	for e in $(api "$KEYSTONE_URL" GET "/endpoints?service_id=$s" |
	    jq -r '.endpoints[].id'); do
		api "$KEYSTONE_URL" DELETE "/endpoints/$e" >/dev/null
	done
	for i in public internal admin; do
		api "$KEYSTONE_URL" POST /endpoints "{\"endpoint\":{\"service_id\":\"$s\",
		    \"interface\":\"$i\",\"url\":\"$url\",\"region_id\":\"RegionOne\"}}" \
		    >/dev/null || die "cannot add the $i endpoint"
	done
}

# the external flat network `public' and its subnet (kept if there)
public_net() {
	net=$(api "$url" GET "/v2.0/networks?name=public" |
	    jq -r '.networks[0].id // empty')
	[ -n "$net" ] || net=$(api "$url" POST /v2.0/networks \
	    '{"network":{"name":"public","router:external":true,"shared":false,
	    "provider:network_type":"flat","provider:physical_network":"public"}}' |
	    jq -r .network.id)
	[ -n "$net" ] || die "cannot make the network public; see $D/neutron.log"
	sub=$(api "$url" GET "/v2.0/subnets?network_id=$net" |
	    jq -r '.subnets[0].id // empty')
	[ -n "$sub" ] || sub=$(api "$url" POST /v2.0/subnets \
	    "{\"subnet\":{\"name\":\"public-v4\",\"network_id\":\"$net\",
	    \"ip_version\":4,\"cidr\":\"198.51.100.0/24\",
	    \"gateway_ip\":\"198.51.100.1\",\"enable_dhcp\":false}}" |
	    jq -r .subnet.id)
	[ -n "$sub" ] || die "cannot make the subnet of public; see $D/neutron.log"
}

case $cmd in
start)
	. "$KS/keystone.env"
	port=${1:-$(free_port)}
	url=http://127.0.0.1:$port
	# the service user (keystone.sh keeps its password in KSDIR/neutron.pw)
	sh "$here/keystone.sh" user "$KS" neutron service admin service ||
		die "cannot make the neutron user"
	npw=$(cat "$KS/neutron.pw")
	sql 'create database if not exists neutron' ||
		die "cannot create the neutron database"
	neutron_conf
	migrate
	neutron_up
	admin_token
	register
	public_net
	cat >"$D/neutron.env" <<EOF
NEUTRON_URL=$url
NEUTRON_PORT=$port
NEUTRON_PUBLIC_NETWORK_ID=$net
NEUTRON_PUBLIC_SUBNET_ID=$sub
export NEUTRON_URL NEUTRON_PORT NEUTRON_PUBLIC_NETWORK_ID NEUTRON_PUBLIC_SUBNET_ID
EOF
	;;
stop)
	stop_tree "$D/neutron.pid"
	;;
*)
	die "unknown command $cmd"
	;;
esac
