#!/bin/sh
# 0001: the test harness itself (test/lib.sh).
. "${0%/*}/../lib.sh"

LIB=$(cd "${0%/*}/.." && pwd)/lib.sh

t_plan 28

t_ok 't_ok passes on exit 0' true
t_fails_with 1 't_fails_with 1 passes on exit 1' false
t_fails_with 3 't_fails_with passes on the given exit code' sh -c 'exit 3'
t_is 't_is compares strings' "$(printf 'a b')" 'a b'
t_ok '$T is a fresh, empty directory' sh -c '[ -d "$1" ] && [ "$(ls -A "$1" | grep -Ev "^(zone.conf|t_cmd.out)$")" = "" ]' sh "$T"

printf 'one\ntwo\n' >"$T/expect"
printf 'one\ntwo\n' >"$T/actual"
t_cmp "$T/expect" "$T/actual" 't_cmp passes on equal files'

# A failing script: t_done exits non-zero, TAP says "not ok", $T is removed.
cat >"$T/sub-fail.t" <<EOF
. "$LIB"
echo "\$T" >"$T/sub-fail.dir"
t_plan 3
t_ok 'good' true
t_ok 'bad' false
t_is 'bad too' x y
t_done
EOF
sh "$T/sub-fail.t" >"$T/sub-fail.out" 2>"$T/sub-fail.err"
t_is 'a failing script exits 1' "$?" 1
t_is 'its TAP has the right lines' "$(cat "$T/sub-fail.out")" "$(printf '1..3\nok 1 - good\nnot ok 2 - bad\nnot ok 3 - bad too')"
t_ok 'its diagnostics show got and expected' grep -q "^#      got: 'x'" "$T/sub-fail.err"
t_ok 'its $T was removed by the trap' test ! -e "$(cat "$T/sub-fail.dir")"

# Fewer tests than planned is a failure.
cat >"$T/sub-plan.t" <<EOF
. "$LIB"
t_plan 2
t_ok 'only one' true
t_done
EOF
t_fails_with 1 'a plan mismatch makes t_done exit 1' \
	sh -c 'sh "$1" >/dev/null 2>&1' sh "$T/sub-plan.t"

# t_port
p=$(t_port)
t_ok "t_port gives a port number ($p)" sh -c '[ "$1" -ge 1024 ] && [ "$1" -le 65535 ]' sh "$p"
t_ok 'nothing listens on it' sh -c '! ss -Htln "sport = :$1" | grep -q .' sh "$p"

# A fake daemon that reports readiness on the -d descriptor.
cat >"$T/fake" <<'EOF'
#!/bin/sh
case $1 in
-d) [ "$3" = die ] && exit 7
    eval "echo >&$2" ;;
esac
trap 'exit 0' TERM
while :; do sleep 0.1; done
EOF
chmod +x "$T/fake"

t_ok 't_start waits for the readiness line' t_start fake "$T/fake"
t_ok 'the recorded pid is alive' t_alive "$(t_pid fake)"
fpid=$(t_pid fake)
t_ok 't_stop stops it with SIGTERM' t_stop fake
t_ok 'and it is gone' sh -c '! kill -0 "$1" 2>/dev/null' sh "$fpid"
t_is 'its exit status was recorded' "$(cat "$T/fake.rc")" 0
t_start fake2 "$T/fake"
fpid=$(t_pid fake2)
t_ok 't_kill9 kills it' t_kill9 fake2
t_is 'and records 128+9' "$(cat "$T/fake2.rc")" 137
t_ok 'and its pid file is gone' test ! -e "$T/fake2.pid"

cat >"$T/dies" <<'EOF'
#!/bin/sh
echo "dies: fatal: cannot start" >&2
exit 78
EOF
chmod +x "$T/dies"
t_start dies "$T/dies" 2>"$T/dies.diag"
t_is 't_start fails for a daemon that exits before readiness' "$?" 1
t_ok 'and shows its log as diagnostics' grep -q '^# dies: fatal: cannot start' "$T/dies.diag"

# The trap kills what a script started.
cat >"$T/sub-trap.t" <<EOF
. "$LIB"
t_start fake "$T/fake" || exit 1
t_pid fake >"$T/sub-trap.pid"
exit 0
EOF
sh "$T/sub-trap.t" >/dev/null 2>&1
t_ok 'the EXIT trap killed the started daemon' sh -c '[ -s "$1" ] && ! kill -0 "$(cat "$1")" 2>/dev/null' sh "$T/sub-trap.pid"

# nats-server
t_ok 't_nats starts nats-server with JetStream' t_nats
t_ok 'a TCP connect to it works' t_tcp_ok "$NATS_PORT"
t_is 'ZONE_NATS_URL is exported' "$(sh -c 'echo "$ZONE_NATS_URL"')" "nats://127.0.0.1:$NATS_PORT"

# t_shape
printf '%s' '{"a":1,"b":[{"c":"x"},{"c":"y"}],"updated_at":null,"d":{"e":true},"f":[]}' >"$T/doc.json"
t_shape "$T/doc.json" >"$T/shape.actual"
cat >"$T/shape.expect" <<'EOF'
.a:number
.b:array
.b[].c:string
.b[]:object
.d.e:boolean
.d:object
.f:array
.updated_at:nullable
:object
EOF
t_cmp "$T/shape.expect" "$T/shape.actual" 't_shape maps a document to sorted path:type lines'

t_done
