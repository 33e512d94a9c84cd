#!/bin/sh
# 5030: the KV lock of lib/zkv (bucket zone_locks, max age
# events.lock_ttl_s = 3 s), driven by a small C program built here from
# lib/libzone.a.  Take is create-if-absent; a holder that renews on its
# revision keeps the lock past the ttl; a crashed holder's lock expires
# and another takes it; a release only deletes our own revision (a stale
# holder's release or renew is refused and the new holder keeps it); a
# short server outage does not lose the lock, one longer than the ttl does.
. "${0%/*}/../lib.sh"

t_plan 17

R=$(cd "${0%/*}/../.." && pwd)
ZONE_EVENTS_LOCK_TTL_S=3
export ZONE_EVENTS_LOCK_TTL_S

# test/tools/zlockctl.c, built by make units with the same flags as the
# library (sanitizers in CI)
[ -x "$R/test/tools/zlockctl" ] || t_abort 'no test/tools/zlockctl: make units'
lk() { "$R/test/tools/zlockctl" "$@"; }

t_nats || t_abort 'start nats-server'

# --- take, exists, a crash expires it
t_is 'A takes k1' "$(lk k1 A take get)" "$(printf 'take ok\nget A')"
t_is 'B cannot: held by someone else' "$(lk k1 B take get)" \
    "$(printf 'take exists\nget A')"
out=$(lk k1 B waittake:6000)
t_diag "B: $out"
t_ok 'A never renews (it is gone): B takes k1 once the ttl has passed' \
    sh -c 'case $1 in "waittake ok "*) exit 0;; esac; exit 1' sh "$out"
t_ok '... not long after the 3 s ttl' test "${out##* }" -le 4500

# --- renewal keeps it past the ttl; release lets the next one in at once
lk k2 A take hold:6000 release >"$T/a2" &
apid=$!
sleep 1
t_is 'A holds k2' "$(lk k2 B take)" 'take exists'
sleep 3.5
t_is 'past the ttl A still holds k2: it renews on its revision' \
    "$(lk k2 B take)" 'take exists'
out=$(lk k2 B waittake:6000 get)
wait "$apid"
t_is "A's lines" "$(cat "$T/a2")" "$(printf 'take ok\nhold held\nrelease ok')"
t_diag "B: $out"
t_ok 'B takes k2 right after the release, long before the ttl' \
    sh -c 'set -- $1; [ "$1 $2" = "waittake ok" ] && [ "$3" -ge 500 ] &&
	[ "$3" -le 2500 ] && [ "$5" = B ]' sh "$out"

# --- a stale holder can neither release nor renew the new holder's lock
lk k3 A take sleep:4500 release >"$T/a3" &
apid=$!
lk k3 B sleep:300 waittake:6000 hold:4000 >"$T/b3"
wait "$apid"
t_is "A's lock expired: its release is refused" "$(cat "$T/a3")" \
    "$(printf 'take ok\nrelease conflict')"
t_is 'B took it and held it all along' "$(cut -d' ' -f1,2 "$T/b3")" \
    "$(printf 'waittake ok\nhold held')"
t_is 'the value is still B' "$(lk k3 C get)" 'get B'
lk k4 A take sleep:4500 renew release >"$T/a4" &
apid=$!
lk k4 B sleep:300 waittake:6000 >/dev/null
wait "$apid"
t_is "a stale renew is refused too" "$(cat "$T/a4")" \
    "$(printf 'take ok\nrenew conflict\nrelease conflict')"
t_is '... and B keeps k4' "$(lk k4 C get)" 'get B'

# --- outages: shorter than the ttl is fine, longer loses the lock
NP=$(t_pid nats)
lk k5 A take hold:5000 >"$T/a5" &
apid=$!
sleep 1.2
kill -STOP "$NP"
sleep 1
kill -CONT "$NP"
wait "$apid"
t_is 'a 1 s server outage: A still holds k5' "$(cat "$T/a5")" \
    "$(printf 'take ok\nhold held')"
lk k6 A take hold:8000 >"$T/a6" &
apid=$!
sleep 1
kill -STOP "$NP"
sleep 5
kill -CONT "$NP"
wait "$apid"
t_diag "A: $(tr '\n' ' ' <"$T/a6")"
# its last renew was at most 1 s (ttl / 3) into the hold, so its last
# "held" must come before 1 s + ttl - margin (3.7 s), while the key cannot
# expire before 1 s + ttl on the server
t_ok 'a 5 s outage (ttl 3 s): A stops holding within the ttl of its last renew' \
    sh -c 'set -- $(sed -n 2p "$1"); [ "$1 $2" = "hold lost" ] &&
	[ "$3" -le 3700 ]' sh "$T/a6"
t_is 'lock keys must be KV keys' "$(lk 'a b' A take; echo $?)" 69
t_ok 'nats-server still runs' t_alive "$NP"
t_done
