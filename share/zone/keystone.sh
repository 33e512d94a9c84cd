#!/bin/sh
# keystone.sh: a private Keystone (uwsgi) over a private MariaDB, for tests
# and `make conformance'.  Everything lives in DIR; nothing binds beyond
# 127.0.0.1 (MariaDB has no TCP port at all, only DIR/mysql.sock).
#
#   keystone.sh start DIR [PORT]   MariaDB, db_sync, fernet keys, bootstrap,
#                                  Keystone on 127.0.0.1:PORT (free if not
#                                  given), a `zone' service user; writes
#                                  DIR/keystone.env
#
# uwsgi's http-socket closes every connection after its answer; it says
# so (Connection: close), else clients that pool connections (urllib3 in
# tempest) race the close and lose POSTs.
#   keystone.sh stop DIR           stop Keystone, then MariaDB (by PID)
#   keystone.sh down DIR           stop only Keystone (outage tests)
#   keystone.sh up DIR             start Keystone again on the same port
#   keystone.sh endpoint DIR URL   register the dns service at URL
#   keystone.sh user DIR NAME PROJECT ROLE...
#                                  a user (password in DIR/NAME.pw) with
#                                  roles on a project (made if missing)
#
# DIR/keystone.env (sh syntax) holds KEYSTONE_URL (ending in /v3),
# KEYSTONE_PORT, the admin's OS_* variables and ZONE_API_* settings for
# zone-api (keystone_url, auth_user, auth_project, auth_password_file).
# Passwords are files in DIR (mode 600).  Logs: DIR/mariadb.log,
# DIR/keystone.log.  One uwsgi process with KEYSTONE_THREADS (4) threads.
set -u

die() {
	echo "keystone.sh: $*" >&2
	exit 1
}

[ $# -ge 2 ] || die "usage: keystone.sh start|stop|down|up|endpoint|user DIR ..."
cmd=$1
D=$(cd "$2" 2>/dev/null && pwd) || die "no directory $2"
shift 2

# free_port, alive
. "$(cd "$(dirname "$0")" && pwd)/procs.sh"

# stop_pid FILE SIG: signal the PID in FILE, wait up to 10 s, then KILL.
stop_pid() {
	[ -f "$1" ] || return 0
	p=$(cat "$1")
	if alive "$p"; then
		kill -"$2" "$p" 2>/dev/null
		i=0
		while alive "$p" && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		alive "$p" && kill -KILL "$p" 2>/dev/null
	fi
	rm -f "$1"
}

pw() {
	[ -s "$D/$1.pw" ] ||
		(umask 077; od -An -N12 -tx1 /dev/urandom | tr -d ' \n' >"$D/$1.pw")
	cat "$D/$1.pw"
}

mariadb_start() {
	me=$(id -un)
	if [ ! -d "$D/mysql/mysql" ]; then
		mariadb-install-db --no-defaults --datadir="$D/mysql" \
		    --user="$me" --auth-root-authentication-method=normal \
		    --skip-test-db >>"$D/mariadb.log" 2>&1 ||
			die "mariadb-install-db failed; see $D/mariadb.log"
	fi
	# a test database: speed over durability
	mariadbd --no-defaults --user="$me" --datadir="$D/mysql" \
	    --socket="$D/mysql.sock" --pid-file="$D/mariadb.pid" \
	    --skip-networking --skip-name-resolve --skip-log-bin \
	    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
	    --innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
	    --sync-binlog=0 --max-connections=500 \
	    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
	    --log-error="$D/mariadb.log" </dev/null >/dev/null 2>&1 &
	echo $! >"$D/mariadb.pid.own"
	i=0
	until mariadb --no-defaults -S "$D/mysql.sock" -u root -e 'select 1' \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		alive "$(cat "$D/mariadb.pid.own")" && [ $i -lt 300 ] ||
			die "mariadb did not start; see $D/mariadb.log"
		sleep 0.1
	done
	mariadb --no-defaults -S "$D/mysql.sock" -u root -e \
	    'create database if not exists keystone' ||
		die "cannot create the keystone database"
}

keystone_conf() {
	mkdir -p "$D/fernet-keys" "$D/credential-keys"
	chmod 700 "$D/fernet-keys" "$D/credential-keys"
	cat >"$D/keystone.conf" <<EOF
[DEFAULT]
log_file = $D/keystone.log
debug = false
max_param_size = 64
[database]
connection = mysql+pymysql://root@localhost/keystone?unix_socket=$D/mysql.sock&charset=utf8
max_pool_size = 10
max_overflow = 20
[token]
provider = fernet
expiration = 86400
[fernet_tokens]
key_repository = $D/fernet-keys
[fernet_receipts]
key_repository = $D/fernet-keys
[credential]
key_repository = $D/credential-keys
[identity]
password_hash_rounds = 4
[cache]
# one uwsgi process (see keystone_up): its memory cache stays coherent,
# and without it a token check costs Keystone ~500 SQL queries
enabled = true
backend = dogpile.cache.memory
expiration_time = 600
[oslo_policy]
enforce_scope = false
enforce_new_defaults = false
EOF
}

kmanage() {
	keystone-manage --config-file "$D/keystone.conf" "$@" \
	    >>"$D/keystone-manage.log" 2>&1 ||
		die "keystone-manage $1 failed; see $D/keystone-manage.log"
}

keystone_up() {
	port=$(cat "$D/keystone.port")
	OS_KEYSTONE_CONFIG_FILES=$D/keystone.conf \
	    uwsgi --plugin python3 --http-socket "127.0.0.1:$port" \
	    --wsgi-file /usr/bin/keystone-wsgi-public \
	    --processes 1 --threads "${KEYSTONE_THREADS:-4}" --master \
	    --die-on-term --lazy-apps --need-app --buffer-size 65535 \
	    --add-header 'Connection: close' \
	    --pidfile "$D/uwsgi.pid" --logto "$D/uwsgi.log" \
	    --disable-logging </dev/null >/dev/null 2>&1 &
	echo $! >"$D/keystone.pid"
	i=0
	until curl -sf -o /dev/null "http://127.0.0.1:$port/v3"; do
		i=$((i + 1))
		alive "$(cat "$D/keystone.pid")" && [ $i -lt 600 ] ||
			die "keystone did not start; see $D/uwsgi.log $D/keystone.log"
		sleep 0.1
	done
}

# api METHOD PATH [BODY]: one call with the admin's token; body on stdout
api() {
	if [ $# -ge 3 ]; then
		curl -sf -X "$1" -H "X-Auth-Token: $tok" \
		    -H 'Content-Type: application/json' --data-binary "$3" \
		    "$KEYSTONE_URL$2"
	else
		curl -sf -X "$1" -H "X-Auth-Token: $tok" "$KEYSTONE_URL$2"
	fi
}

admin_token() {
	. "$D/keystone.env"
	tok=$(curl -sf -D - -o /dev/null -H 'Content-Type: application/json' \
	    --data-binary "{\"auth\":{\"identity\":{\"methods\":[\"password\"],
	    \"password\":{\"user\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"},
	    \"password\":\"$(cat "$D/admin.pw")\"}}},\"scope\":{\"project\":
	    {\"name\":\"admin\",\"domain\":{\"id\":\"default\"}}}}}" \
	    "$KEYSTONE_URL/auth/tokens?nocatalog" |
	    tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
	[ -n "$tok" ] || die "cannot get an admin token"
}

# id_of KIND NAME: the id of the role/project/user/service called NAME
id_of() {
	api GET "/$1s?name=$2" | jq -r ".$1s[0].id // empty"
}

ensure_project() {
	p=$(id_of project "$1")
	[ -n "$p" ] || p=$(api POST /projects \
	    "{\"project\":{\"name\":\"$1\",\"domain_id\":\"default\"}}" |
	    jq -r .project.id)
	[ -n "$p" ] || die "cannot make project $1"
	echo "$p"
}

ensure_role() {
	r=$(id_of role "$1")
	[ -n "$r" ] || r=$(api POST /roles "{\"role\":{\"name\":\"$1\"}}" |
	    jq -r .role.id)
	[ -n "$r" ] || die "cannot make role $1"
	echo "$r"
}

# make_user NAME PROJECT ROLE...
make_user() {
	name=$1
	proj=$(ensure_project "$2")
	shift 2
	u=$(id_of user "$name")
	[ -n "$u" ] || u=$(api POST /users "{\"user\":{\"name\":\"$name\",
	    \"domain_id\":\"default\",\"password\":\"$(pw "$name")\",
	    \"default_project_id\":\"$proj\"}}" | jq -r .user.id)
	[ -n "$u" ] || die "cannot make user $name"
	for role in "$@"; do
		r=$(ensure_role "$role")
		api PUT "/projects/$proj/users/$u/roles/$r" >/dev/null ||
			die "cannot give $name role $role"
	done
}

case $cmd in
start)
	port=${1:-$(free_port)}
	echo "$port" >"$D/keystone.port"
	mariadb_start
	keystone_conf
	kmanage db_sync
	me=$(id -un)
	grp=$(id -gn)
	kmanage fernet_setup --keystone-user "$me" --keystone-group "$grp"
	kmanage credential_setup --keystone-user "$me" --keystone-group "$grp"
	url=http://127.0.0.1:$port/v3
	kmanage bootstrap --bootstrap-password "$(pw admin)" \
	    --bootstrap-admin-url "$url" --bootstrap-public-url "$url" \
	    --bootstrap-internal-url "$url" --bootstrap-region-id RegionOne
	cat >"$D/keystone.env" <<EOF
KEYSTONE_URL=$url
KEYSTONE_PORT=$port
OS_AUTH_URL=$url
OS_IDENTITY_API_VERSION=3
OS_USERNAME=admin
OS_PASSWORD=$(pw admin)
OS_PROJECT_NAME=admin
OS_USER_DOMAIN_NAME=Default
OS_PROJECT_DOMAIN_NAME=Default
OS_REGION_NAME=RegionOne
OS_INTERFACE=public
ZONE_API_KEYSTONE_URL=$url
ZONE_API_AUTH_USER=zone
ZONE_API_AUTH_PROJECT=service
ZONE_API_AUTH_PASSWORD_FILE=$D/zone.pw
export KEYSTONE_URL KEYSTONE_PORT OS_AUTH_URL OS_IDENTITY_API_VERSION
export OS_USERNAME OS_PASSWORD OS_PROJECT_NAME OS_USER_DOMAIN_NAME
export OS_PROJECT_DOMAIN_NAME OS_REGION_NAME OS_INTERFACE
export ZONE_API_KEYSTONE_URL ZONE_API_AUTH_USER ZONE_API_AUTH_PROJECT
export ZONE_API_AUTH_PASSWORD_FILE
EOF
	keystone_up
	admin_token
	# bootstrap made admin, member and reader; tempest wants service too
	ensure_role service >/dev/null
	make_user zone service admin service
	;;
stop)
	stop_pid "$D/keystone.pid" TERM
	if [ -f "$D/mariadb.pid.own" ]; then
		stop_pid "$D/mariadb.pid.own" TERM
	fi
	;;
down)
	stop_pid "$D/keystone.pid" TERM
	;;
up)
	[ -f "$D/keystone.port" ] || die "not started: $D"
	keystone_up
	;;
endpoint)
	[ $# -eq 1 ] || die "usage: keystone.sh endpoint DIR URL"
	admin_token
	s=$(api GET "/services?type=dns" | jq -r '.services[0].id // empty')
	[ -n "$s" ] || s=$(api POST /services \
	    '{"service":{"type":"dns","name":"designate","description":"zone"}}' |
	    jq -r .service.id)
	[ -n "$s" ] || die "cannot make the dns service"
	for e in $(api GET "/endpoints?service_id=$s" | jq -r '.endpoints[].id'); do
		api DELETE "/endpoints/$e" >/dev/null
	done
	for i in public internal admin; do
		api POST /endpoints "{\"endpoint\":{\"service_id\":\"$s\",
		    \"interface\":\"$i\",\"url\":\"$1\",\"region_id\":\"RegionOne\"}}" \
		    >/dev/null || die "cannot add the $i endpoint"
	done
	;;
user)
	[ $# -ge 2 ] || die "usage: keystone.sh user DIR NAME PROJECT ROLE..."
	admin_token
	make_user "$@"
	;;
*)
	die "unknown command $cmd"
	;;
esac
