#!/bin/sh
# 0200: the s6 service directory of share/zone/sv runs zone-central under
# s6-svscan: readiness through notification-fd (s6-svwait -U returns),
# settings from env/, and a configuration error (exit 78) leaves the
# service down instead of restarting it.
. "${0%/*}/../lib.sh"

t_plan 5

t_nats || t_abort 'start nats-server'
mkdir -p "$T/scan" "$T/log"
cp -R "${0%/*}/../../share/zone/sv/zone-central" "$T/scan/central"
rm -rf "$T/scan/central/log"		# logs to our stderr file instead
echo "$ZONE_NATS_URL" >"$T/scan/central/env/ZONE_NATS_URL"
echo "$T/db" >"$T/scan/central/env/ZONE_DB_PATH"
echo "$T/zone.conf" >"$T/scan/central/env/ZONE_CONF"
s6-svscan "$T/scan" >"$T/svscan.log" 2>&1 &
echo $! >"$T/svscan.pid"
# s6-svwait needs the supervisor's control pipe: wait until it is there
i=0
while [ ! -d "$T/scan/central/event" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done

t_ok 'zone-central is up and ready under s6' \
    timeout 15 s6-svwait -U -t 10000 "$T/scan/central"
t_ok 's6-svstat says up and ready' \
    sh -c 's6-svstat "$1" | grep -q "^up .*ready"' sh "$T/scan/central"
t_ok 'it answers RPCs (the api would get an answer)' \
    sh -c 'zone-manage zone status 00000000-0000-4000-8000-000000000000 \
	ACTIVE >/dev/null 2>&1; test $? -eq 1'

# a bad setting: exit 78, and finish keeps the service down
echo many >"$T/scan/central/env/ZONE_CENTRAL_WORKERS"
s6-svc -r "$T/scan/central"
sleep 3
t_ok 'after a configuration error the service stays down' \
    sh -c 's6-svstat "$1" | grep -q "^down (exitcode 78)"' sh "$T/scan/central"
t_ok 'the reason is one line in the log' \
    grep -q 'event=config.invalid.*central.workers' "$T/svscan.log"

s6-svscanctl -t "$T/scan"
t_done
