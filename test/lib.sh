# test/lib.sh: TAP helpers for the integration tests in test/t/.
#
# Sourced by every test as
#
#	. "${0%/*}/../lib.sh"
#
# POSIX sh.  Only TAP goes to standard output; diagnostics are "# ..." lines
# on standard error.  Each script gets a fresh directory $T that the EXIT
# trap removes, after it has stopped every process started with t_start or
# t_nats (by recorded PID only).  Run the helpers that start processes in the
# main shell, not in $(...) or a pipeline, so that the processes stay children
# of the test and can be waited for.

T=$(mktemp -d "${TMPDIR:-/tmp}/zone-test.XXXXXX") || exit 1
export T

t_n=0		# tests run
t_failed=0	# tests failed
t_planned=	# from t_plan

# A private, empty config file so that no host config leaks into the tests.
: >"$T/zone.conf"
ZONE_CONF=$T/zone.conf
export ZONE_CONF

# ---------------------------------------------------------------- TAP

t_plan() {
	t_planned=$1
	echo "1..$1"
}

t_diag() {
	printf '%s\n' "$@" | sed 's/^/# /' >&2
}

# t_pass DESC / t_fail DESC: record one result.
t_pass() {
	t_n=$((t_n + 1))
	echo "ok $t_n - $1"
}

t_fail() {
	t_n=$((t_n + 1))
	t_failed=$((t_failed + 1))
	echo "not ok $t_n - $1"
}

# _t_out: show the captured output of a failed command as diagnostics.
_t_out() {
	[ -s "$T/t_cmd.out" ] || return 0
	t_diag "--- its output:"
	head -c 2000 "$T/t_cmd.out" | sed 's/^/# /' >&2
	echo >&2
}

# t_ok DESC CMD...: passes when CMD exits 0.  CMD's stdout is kept out of
# the TAP stream and shown only when the test fails.
t_ok() {
	_d=$1
	shift
	if "$@" >"$T/t_cmd.out"; then
		t_pass "$_d"
	else
		_rc=$?
		t_fail "$_d"
		t_diag "command failed with exit $_rc: $*"
		_t_out
		return 1
	fi
}

# t_fails_with CODE DESC CMD...: passes when CMD exits with status CODE.
t_fails_with() {
	_want=$1
	_d=$2
	shift 2
	"$@" >"$T/t_cmd.out"
	_rc=$?
	if [ "$_rc" -eq "$_want" ]; then
		t_pass "$_d"
	else
		t_fail "$_d"
		t_diag "expected exit $_want, got $_rc: $*"
		_t_out
		return 1
	fi
}

# t_is DESC GOT EXPECTED
t_is() {
	if [ "$2" = "$3" ]; then
		t_pass "$1"
	else
		t_fail "$1"
		t_diag "     got: '$2'" "expected: '$3'"
		return 1
	fi
}

# t_cmp EXPECT ACTUAL [DESC]: files equal (diff -u in the diagnostics).
t_cmp() {
	if diff -u "$1" "$2" >"$T/t_cmp.diff" 2>&1; then
		t_pass "${3:-$2 matches $1}"
	else
		t_fail "${3:-$2 matches $1}"
		sed 's/^/# /' "$T/t_cmp.diff" >&2
		return 1
	fi
}

# t_abort REASON: one failed test, then end this script (exit 1).
t_abort() {
	t_fail "$*"
	t_diag "aborting: $*"
	exit 1
}

# t_bail REASON: stop the whole run (prove reports it).
t_bail() {
	echo "Bail out! $*"
	exit 255
}

# t_done: exit 0 only if every test passed and the count matches the plan.
t_done() {
	if [ -n "$t_planned" ] && [ "$t_n" -ne "$t_planned" ]; then
		t_diag "planned $t_planned tests but ran $t_n"
		exit 1
	fi
	if [ "$t_failed" -gt 0 ]; then
		t_diag "failed $t_failed of $t_n tests"
		exit 1
	fi
	exit 0
}

# ---------------------------------------------------------------- processes

# t_alive PID: the process exists and is not a zombie.
t_alive() {
	kill -0 "$1" 2>/dev/null || return 1
	_st=$(sed -n 's/.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$_st" ] && [ "$_st" != Z ] && [ "$_st" != X ]
}

# _t_waitgone PID TENTHS: wait up to TENTHS tenths of a second for PID to go.
_t_waitgone() {
	_w=0
	while t_alive "$1"; do
		[ "$_w" -ge "$2" ] && return 1
		sleep 0.1
		_w=$((_w + 1))
	done
	return 0
}

# t_pid NAME: the recorded PID of NAME.
t_pid() {
	cat "$T/$1.pid" 2>/dev/null
}

# t_log NAME [N]: the last N (20) lines of NAME's log as diagnostics.
t_log() {
	[ -f "$T/$1.log" ] || return 0
	t_diag "--- last lines of $1.log:"
	tail -n "${2:-20}" "$T/$1.log" | sed 's/^/# /' >&2
}

# t_start NAME CMD...: start a daemon with readiness on fd 3 (a FIFO), log
# on $T/NAME.log, PID in $T/NAME.pid; wait (10 s) for its readiness line.
t_start() {
	_name=$1
	shift
	rm -f "$T/$_name.rdy"
	mkfifo "$T/$_name.rdy" || return 1
	"$@" -d 3 3>"$T/$_name.rdy" </dev/null >>"$T/$_name.log" 2>&1 &
	_pid=$!
	echo "$_pid" >"$T/$_name.pid"
	if ! timeout 10 sh -c 'read -r _ <"$1"' sh "$T/$_name.rdy"; then
		t_diag "$_name (pid $_pid) did not report readiness: $*"
		t_log "$_name"
		return 1
	fi
	if ! t_alive "$_pid"; then
		t_diag "$_name (pid $_pid) exited after readiness: $*"
		t_log "$_name"
		return 1
	fi
	return 0
}

# t_stop NAME [SIG]: SIGTERM (or SIG), wait up to 5 s, then SIGKILL.
# Returns 0 when it went by itself; its exit status is in $T/NAME.rc.
t_stop() {
	_pid=$(t_pid "$1")
	[ -n "$_pid" ] || return 1
	kill -"${2:-TERM}" "$_pid" 2>/dev/null
	if _t_waitgone "$_pid" 50; then
		wait "$_pid" 2>/dev/null
		echo $? >"$T/$1.rc"
		rm -f "$T/$1.pid"
		return 0
	fi
	t_diag "$1 (pid $_pid) ignored SIG${2:-TERM} for 5 s; killing it"
	kill -KILL "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
	echo $? >"$T/$1.rc"
	rm -f "$T/$1.pid"
	return 1
}

# t_kill9 NAME: SIGKILL and reap.
t_kill9() {
	_pid=$(t_pid "$1")
	[ -n "$_pid" ] || return 1
	kill -KILL "$_pid" 2>/dev/null
	wait "$_pid" 2>/dev/null
	echo $? >"$T/$1.rc"
	rm -f "$T/$1.pid"
	return 0
}

# The trap: stop the daemons (TERM), then nats-server (INT), kill -9 what is
# left after 5 s, and remove $T.  Keeps the script's exit status.
_t_cleanup() {
	_rc=$?
	trap - EXIT
	for _f in "$T"/*.pid; do
		[ -f "$_f" ] || continue
		_name=${_f##*/}
		_name=${_name%.pid}
		[ "$_name" = nats ] && continue
		[ "$_name" = nats-server ] && continue
		_p=$(cat "$_f")
		[ -n "$_p" ] && kill -TERM "$_p" 2>/dev/null
	done
	for _f in "$T"/*.pid; do
		[ -f "$_f" ] || continue
		_name=${_f##*/}
		_name=${_name%.pid}
		[ "$_name" = nats ] && continue
		[ "$_name" = nats-server ] && continue
		_p=$(cat "$_f")
		[ -n "$_p" ] || continue
		_t_waitgone "$_p" 50 || kill -KILL "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	if [ -f "$T/nats.pid" ]; then
		_p=$(cat "$T/nats.pid")
		if [ -n "$_p" ]; then
			kill -INT "$_p" 2>/dev/null
			_t_waitgone "$_p" 50 || kill -KILL "$_p" 2>/dev/null
			wait "$_p" 2>/dev/null
		fi
	fi
	if [ -n "${T_KEEP:-}" ]; then
		echo "# T_KEEP: leaving $T" >&2
	else
		rm -rf "$T"
	fi
	exit "$_rc"
}
trap _t_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- network

# t_port: a TCP port on 127.0.0.1 that is free right now.
t_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' && return 0
	fi
	while :; do
		_p=$(( $(od -An -N2 -tu2 /dev/urandom) % 40000 + 20000 ))
		ss -Htln "sport = :$_p" | grep -q . || { echo "$_p"; return 0; }
	done
}

# t_tcp_ok PORT: something accepts TCP connections on 127.0.0.1:PORT.
t_tcp_ok() {
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.close()' "$1" 2>/dev/null
}

# t_nats_ok PORT: a NATS server answers on PORT with its INFO line.
t_nats_ok() {
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
sys.exit(0 if s.recv(4).startswith(b"INFO") else 1)' "$1" 2>/dev/null
}

# t_nats: nats-server with JetStream on a free port, store in $T/js.
# Exports NATS_PORT and ZONE_NATS_URL.
t_nats() {
	NATS_PORT=$(t_port)
	export NATS_PORT
	ZONE_NATS_URL=nats://127.0.0.1:$NATS_PORT
	export ZONE_NATS_URL
	mkdir -p "$T/js"
	nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$T/js" \
	    -P "$T/nats-server.pid" </dev/null >>"$T/nats.log" 2>&1 &
	echo $! >"$T/nats.pid"
	_w=0
	while ! t_nats_ok "$NATS_PORT"; do
		if ! t_alive "$(t_pid nats)" || [ "$_w" -ge 100 ]; then
			t_diag "nats-server did not start on port $NATS_PORT"
			t_log nats
			return 1
		fi
		sleep 0.1
		_w=$((_w + 1))
	done
	return 0
}

# t_stack [NCENTRAL [NAPI]]: nats-server, NCENTRAL (1) zone-central copies
# sharing ZONE_DB_PATH=$T/db, NAPI (1) zone-api copies on free ports.
# Exports ZONE_URL (first api), ZONE_URL2 (second api, if any), API_PORTS.
# Central copies are named central1.., api copies api1.. (see t_pid, t_stop).
t_stack() {
	_nc=${1:-1}
	_na=${2:-1}
	t_nats || return 1
	ZONE_DB_PATH=$T/db
	export ZONE_DB_PATH
	mkdir -p "$ZONE_DB_PATH"
	: "${ZONE_CENTRAL_NS_RECORDS:=ns1.example.net.:1 ns2.example.net.:2}"
	export ZONE_CENTRAL_NS_RECORDS
	_i=1
	while [ "$_i" -le "$_nc" ]; do
		t_start "central$_i" zone-central || return 1
		_i=$((_i + 1))
	done
	API_PORTS=
	ZONE_URL=
	ZONE_URL2=
	_i=1
	while [ "$_i" -le "$_na" ]; do
		_p=$(t_port)
		t_start "api$_i" zone-api -l "127.0.0.1:$_p" || return 1
		API_PORTS="${API_PORTS:+$API_PORTS }$_p"
		if [ "$_i" -eq 1 ]; then
			ZONE_URL=http://127.0.0.1:$_p
		elif [ "$_i" -eq 2 ]; then
			ZONE_URL2=http://127.0.0.1:$_p
		fi
		_i=$((_i + 1))
	done
	export API_PORTS ZONE_URL ZONE_URL2
	return 0
}

# t_stack_alive: every recorded central*/api* PID is still running.
t_stack_alive() {
	_ok=0
	for _f in "$T"/central*.pid "$T"/api*.pid; do
		[ -f "$_f" ] || continue
		_p=$(cat "$_f")
		if ! t_alive "$_p"; then
			_name=${_f##*/}
			t_diag "${_name%.pid} (pid $_p) is gone"
			t_log "${_name%.pid}" 40
			_ok=1
		fi
	done
	return $_ok
}

# ---------------------------------------------------------------- HTTP

# t_req [-H 'Header: value']... METHOD PATH [BODY]
#
# Sends one request to $ZONE_URL (or to PATH itself when it is a full URL)
# with X-Auth-Project-ID: $PROJ (default p1; PROJ= sends none) and
# Content-Type: application/json (override with -H 'Content-Type: x', drop
# with -H 'Content-Type:').  A BODY (even an empty one) is sent as is;
# "@file" sends the file.  Prints the status code; the body is in $T/body,
# the response headers in $T/hdr.
t_req() {
	_ct='Content-Type: application/json'
	_proj=${PROJ-p1}
	: >"$T/req.hdr"
	while [ $# -gt 0 ]; do
		case $1 in
		-H)
			case $2 in
			[Cc][Oo][Nn][Tt][Ee][Nn][Tt]-[Tt][Yy][Pp][Ee]:*)
				_ct=$2 ;;
			*)
				printf '%s\n' "$2" >>"$T/req.hdr" ;;
			esac
			shift 2 ;;
		*)
			break ;;
		esac
	done
	[ -n "$_proj" ] && printf 'X-Auth-Project-ID: %s\n' "$_proj" >>"$T/req.hdr"
	printf '%s\n' "$_ct" >>"$T/req.hdr"
	_m=$1
	case $2 in
	http://* | https://*) _u=$2 ;;
	*) _u=$ZONE_URL$2 ;;
	esac
	: >"$T/body"
	: >"$T/hdr"
	if [ $# -ge 3 ]; then
		curl -s -g -m 30 -X "$_m" -H @"$T/req.hdr" -D "$T/hdr" \
		    -o "$T/body" -w '%{http_code}' --data-binary "$3" "$_u"
	else
		curl -s -g -m 30 -X "$_m" -H @"$T/req.hdr" -D "$T/hdr" \
		    -o "$T/body" -w '%{http_code}' "$_u"
	fi
}
t_api() {
	t_req "$@"
}

# t_hdr NAME: the value of response header NAME of the last t_req.
t_hdr() {
	tr -d '\r' <"$T/hdr" | awk -v n="$1" '
	    BEGIN { n = tolower(n) ":" }
	    tolower(substr($0, 1, length(n))) == n {
		v = substr($0, length(n) + 1); sub(/^[ \t]+/, "", v); print v; exit
	    }'
}

# t_json FILTER: jq -r FILTER on the last body (empty on a non-JSON body).
t_json() {
	jq -r "$1" "$T/body" 2>/dev/null
}

# t_err STATUS TYPE DESC [-H h]... METHOD PATH [BODY]: one test that the
# request fails with STATUS and error type TYPE (jq .type).
t_err() {
	_ws=$1
	_wt=$2
	_wd=$3
	shift 3
	_gs=$(t_req "$@")
	_gt=$(jq -r 'if type == "object" then .type // "(no type)" else "(not an object)" end' \
	    "$T/body" 2>/dev/null || echo '(not JSON)')
	if [ "$_gs $_gt" = "$_ws $_wt" ]; then
		t_pass "$_wd"
	else
		t_fail "$_wd"
		t_diag "request: $*" "     got: $_gs $_gt" "expected: $_ws $_wt" \
		    "    body: $(head -c 400 "$T/body")"
		return 1
	fi
}

# A jq filter giving the "shape" of a document as sorted "path:type" lines,
# recursing into objects and arrays (arrays by the union of their items).
# Keys whose value may be null or a scalar depending on state (updated_at,
# description, transferred_at, ttl) are typed "nullable".
T_SHAPE='def shp($p):
  if type == "object" then
    ($p + ":object"),
    (to_entries[] | .key as $k | .value |
      if ($k | IN("updated_at", "description", "transferred_at", "ttl"))
         and (type | IN("null", "string", "number"))
      then $p + "." + $k + ":nullable"
      else shp($p + "." + $k) end)
  elif type == "array" then ($p + ":array"), (.[] | shp($p + "[]"))
  else $p + ":" + type end;
[shp("")] | unique | .[]'

# t_shape FILE: print FILE's shape.
t_shape() {
	jq -r "$T_SHAPE" "$1"
}

# t_par_post JOBS: run the POSTs listed in the file JOBS (lines
# "URL<TAB>BODY<TAB>TAG") with 8 parallel curl clients, as project $PROJ.
# Prints "STATUS TAG" per request; the body of each answer is $T/out/TAG.
t_par_post() {
	mkdir -p "$T/out"
	awk -F '\t' -v d="$T/out" '{
		print $1; print "-d" $2; print "-o" d "/" $3
		print "-w%{http_code} " $3 "\\n"
	}' "$1" |
	    xargs -d '\n' -n 4 -P 8 curl -s -g -m 30 -X POST \
		-H "X-Auth-Project-ID: $PROJ" -H 'Content-Type: application/json'
}

# t_list_all URL OUT: every item of a paginated zone or recordset list
# (following links.next) into OUT, one JSON object a line.
t_list_all() {
	_u=$1
	: >"$2"
	while [ -n "$_u" ] && [ "$_u" != null ]; do
		_s=$(t_req GET "$_u")
		if [ "$_s" != 200 ]; then
			t_diag "GET $_u: $_s $(head -c 300 "$T/body")"
			return 1
		fi
		jq -c '.recordsets // .zones | .[]' "$T/body" >>"$2"
		_u=$(t_json '.links.next // empty')
	done
}

# ---------------------------------------------------------------- Keystone

# t_token KSDIR USER PROJECT: a project-scoped token for USER of the
# Keystone that share/zone/keystone.sh started in KSDIR (the password in
# KSDIR/USER.pw, both in the Default domain); empty when refused.
t_token() {
	_tku=$(sed -n 's/^KEYSTONE_URL=//p' "$1/keystone.env")
	_tkp=$(cat "$1/$2.pw")
	curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	    --data-binary "{\"auth\":{\"identity\":{\"methods\":[\"password\"],
	    \"password\":{\"user\":{\"name\":\"$2\",\"domain\":{\"id\":\"default\"},
	    \"password\":\"$_tkp\"}}},\"scope\":{\"project\":{\"name\":\"$3\",
	    \"domain\":{\"id\":\"default\"}}}}}" "$_tku/auth/tokens?nocatalog" |
	    tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p'
}
