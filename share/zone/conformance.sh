#!/bin/sh
# make conformance: the upstream Designate tempest API suite
# (designate_tempest_plugin.tests.api) against zone behind a real
# Keystone, all from Debian packages, on free loopback ports.
#
# Starts a private MariaDB + Keystone (share/zone/keystone.sh), Neutron
# for floating IPs (share/zone/neutron.sh), BIND9 as
# the pool's catalog consumer, nats-server, zone-central, zone-xfr,
# zone-notify and zone-api (auth_strategy keystone), registers the dns
# endpoint, runs the suite with stestr at concurrency 2, prints a table
# of pass/fail/skip per test file and the totals, and stops everything it
# started (by PID).  Raw results: var/conformance/ (results.subunit,
# results.csv, table.txt, failures.txt, logs/).
#
# test/conformance.pass holds the pass count to keep: the run fails when
# it passes fewer tests.  RECORD=1 writes the new count there instead.
# CONFORMANCE_REGEX narrows the run (default ^designate_tempest_plugin.tests.api);
# CONFORMANCE_TIMEOUT (3600 s) bounds it.
set -u
top=$(pwd)
started=$(date +%s)
export PATH="$top/bin:$PATH"
PY=/usr/bin/python3		# Debian's, whatever python3 is first in PATH
OUT=$top/var/conformance
PASSFILE=$top/test/conformance.pass
REGEX=${CONFORMANCE_REGEX:-^designate_tempest_plugin.tests.api}
mkdir -p "$OUT"
rm -rf "$OUT/logs"
mkdir -p "$OUT/logs"

say() {
	echo "conformance: $*" >&2
}

# lib.sh: $T, t_start, t_stack, and a trap that stops what they started;
# $T under var/conformance, away from whoever cleans /tmp
TMPDIR=$OUT
export TMPDIR
. "$top/test/lib.sh"
. "$top/test/dns.sh"
KS=$T/ks
NE=$T/neutron
mkdir -p "$KS" "$NE"
# keep the logs, then stop Neutron, Keystone and MariaDB, then lib.sh's
# cleanup (by the PIDs kept here too, should $KS have gone)
KS_PIDS=
trap '_rc0=$?; cp "$T"/*.log "$KS"/*.log "$NE"/*.log "$OUT/logs/" 2>/dev/null;
    sh "$top/share/zone/neutron.sh" stop "$NE" 2>/dev/null;
    sh "$top/share/zone/keystone.sh" stop "$KS" 2>/dev/null ||
	kill $KS_PIDS 2>/dev/null; (exit $_rc0); _t_cleanup' EXIT

for c in keystone-manage uwsgi mariadbd named stestr tempest subunit2csv; do
	command -v "$c" >/dev/null 2>&1 ||
		{ say "no $c: run make deps"; exit 1; }
done

# ---------------------------------------------------------------- the plugin's data

# Debian's designate-tempest-plugin 0.14.0-1 lacks the data files of its
# data-driven tests: add the upstream ones where they are missing.
PLUGIN=$($PY -c 'import designate_tempest_plugin as p, os; print(os.path.dirname(p.__file__))') ||
	{ say "designate_tempest_plugin is not installed"; exit 1; }
DATA=
for d in "${ZONE_SHARED:-$top/../shared}/tempest/plugin-data" \
    /work/shared/tempest/plugin-data; do
	[ -d "$d" ] && { DATA=$d; break; }
done
if [ -n "$DATA" ]; then
	for f in "$DATA"/*.json; do
		[ -e "$PLUGIN/tests/api/v2/${f##*/}" ] ||
			cp "$f" "$PLUGIN/tests/api/v2/" ||
			say "cannot add ${f##*/} to $PLUGIN (run as root)"
	done
else
	say "no shared/tempest/plugin-data: the data-driven tests will fail"
fi

# ---------------------------------------------------------------- Keystone and the stack

say "starting MariaDB and Keystone"
sh "$top/share/zone/keystone.sh" start "$KS" ||
	{ say "Keystone did not start"; exit 1; }
. "$KS/keystone.env"
KS_PIDS="$(cat "$KS/keystone.pid" "$KS/mariadb.pid.own")"
# Neutron, for the floating IP PTR tests (share/zone/neutron.sh)
say "starting Neutron"
sh "$top/share/zone/neutron.sh" start "$KS" "$NE" >"$T/neutron-start.log" 2>&1 ||
	{ say "Neutron did not start"; tail -n 20 "$T/neutron-start.log" >&2; exit 1; }
. "$NE/neutron.env"
ZONE_API_NEUTRON_URL=$NEUTRON_URL
export ZONE_API_NEUTRON_URL

say "starting BIND9, nats-server, zone-central, zone-xfr, zone-notify, zone-api, zone-periodic, zone-sink"
CAT=catalog.zone.invalid.
X1=$(t_port)
XFR_PORTS=$X1
t_named bind1 "$X1" catalog "$CAT" || { say "named did not start"; exit 1; }
ZONE_API_AUTH_STRATEGY=keystone
ZONE_API_QUOTAS_VERIFY_PROJECT_ID=true
ZONE_CENTRAL_READ_BARRIER=false
# Keystone here is one uwsgi process on a small shared machine, and the
# suite creates users all the time: give it time
ZONE_API_KEYSTONE_TIMEOUT_MS=${ZONE_API_KEYSTONE_TIMEOUT_MS:-10000}
export ZONE_API_KEYSTONE_TIMEOUT_MS
export ZONE_API_AUTH_STRATEGY ZONE_API_QUOTAS_VERIFY_PROJECT_ID
export ZONE_CENTRAL_READ_BARRIER
t_stack 1 1 || { say "the zone stack did not start"; exit 1; }
t_pools "$T/pools.yaml" pool=default "catalog=$CAT" catalog-target=bind1 &&
    t_pool_update "$T/pools.yaml" && t_xfr xfr1 "$X1" && t_notify notify1 ||
	{ say "pool, zone-xfr or zone-notify failed"; exit 1; }
# the whole stack: service statuses list every kind of daemon
t_start periodic1 zone-periodic && t_start sink1 zone-sink ||
	{ say "zone-periodic or zone-sink failed"; exit 1; }
sh "$top/share/zone/keystone.sh" endpoint "$KS" "$ZONE_URL" ||
	{ say "cannot register the dns endpoint"; exit 1; }
say "Keystone $KEYSTONE_URL, zone-api $ZONE_URL, BIND9 127.0.0.1:$bind1_PORT"

# ---------------------------------------------------------------- tempest

W=$T/tempest
# (from $T: tempest writes a tempest.log where it runs)
(cd "$T" && tempest init --workspace-path "$T/workspace.yaml" "$W") >"$T/tempest-init.log" 2>&1 ||
	{ say "tempest init failed"; cat "$T/tempest-init.log" >&2; exit 1; }
cat >"$W/etc/tempest.conf" <<EOF
[DEFAULT]
log_file = $W/tempest.log
[oslo_concurrency]
lock_path = $W/locks
[auth]
use_dynamic_credentials = True
create_isolated_networks = False
admin_username = admin
admin_password = $OS_PASSWORD
admin_project_name = admin
admin_domain_name = Default
[identity]
auth_version = v3
uri_v3 = $KEYSTONE_URL
region = RegionOne
[identity-feature-enabled]
api_v2 = False
[service_available]
designate = True
neutron = True
nova = False
glance = False
cinder = False
swift = False
heat = False
[network]
public_network_id = $NEUTRON_PUBLIC_NETWORK_ID
floating_network_name = public
[validation]
run_validation = False
[dns]
catalog_type = dns
endpoint_type = publicURL
build_interval = 1
build_timeout = 120
min_ttl = 0
nameservers = 127.0.0.1:$bind1_PORT
[dns_feature_enabled]
api_v2 = True
api_admin = True
api_v2_root_recordsets = True
api_v2_quotas = True
api_v2_quotas_verify_project = True
bug_1573141_fixed = True
bug_1932026_fixed = True
enforce_new_defaults = False
[enforce_scope]
designate = False
EOF

say "running $REGEX at concurrency 2 (tempest log: var/conformance/logs/tempest.log)"
t0=$(date +%s)
(cd "$W" && timeout "${CONFORMANCE_TIMEOUT:-3600}" stestr run --concurrency 2 \
    "$REGEX") >"$OUT/stestr.log" 2>&1
src=$?
(cd "$W" && stestr last --subunit) >"$OUT/results.subunit" 2>/dev/null
cp "$W/tempest.log" "$OUT/logs/" 2>/dev/null
subunit2csv --no-passthrough <"$OUT/results.subunit" >"$OUT/results.csv" 2>/dev/null
run_s=$(($(date +%s) - t0))

# ---------------------------------------------------------------- the table

$PY - "$OUT/results.csv" "$OUT/failures.txt" >"$OUT/table.txt" <<'EOF'
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1])))
files, fails = {}, []
kind = {"success": "pass", "xfail": "pass", "fail": "fail",
        "uxsuccess": "fail", "skip": "skip"}
for r in rows:
    tid = r["test"]
    m = re.search(r"\(([^)]*)\)", tid)        # setUpClass (mod.Class)
    name = m.group(1) if m and not tid.startswith("designate") else tid
    name = re.sub(r"\[.*", "", name)
    parts = name.split(".")
    mods = [i for i, p in enumerate(parts) if p.startswith("test_")]
    f = "/".join(parts[2:mods[0] + 1]) + ".py" if mods and len(parts) > 3 \
        else name
    k = kind.get(r["status"], "fail")
    files.setdefault(f, {"pass": 0, "fail": 0, "skip": 0})[k] += 1
    if k == "fail":
        fails.append(tid)
w = max([len(f) for f in files] + [5])
print("%-*s %5s %5s %5s" % (w, "file", "pass", "fail", "skip"))
tot = {"pass": 0, "fail": 0, "skip": 0}
for f in sorted(files):
    c = files[f]
    print("%-*s %5d %5d %5d" % (w, f, c["pass"], c["fail"], c["skip"]))
    for k in tot:
        tot[k] += c[k]
print("%-*s %5d %5d %5d" % (w, "total %d" % sum(tot.values()), tot["pass"],
      tot["fail"], tot["skip"]))
open(sys.argv[2], "w").write("".join(t + "\n" for t in sorted(fails)))
EOF
cat "$OUT/table.txt"
read -r _ total pass fail skip <<EOF
$(tail -n 1 "$OUT/table.txt")
EOF
[ -n "${pass:-}" ] || pass=0
elapsed=$(($(date +%s) - started))
say "total $total: pass $pass, fail ${fail:-0}, skip ${skip:-0}; suite $run_s s, all $elapsed s (stestr exit $src)"
say "raw results in var/conformance/ (results.subunit, results.csv, failures.txt, logs/)"

# ---------------------------------------------------------------- the recorded count

if [ "${RECORD:-}" = 1 ]; then
	echo "$pass" >"$PASSFILE.tmp" && mv "$PASSFILE.tmp" "$PASSFILE"
	say "recorded $pass passes in test/conformance.pass"
	exit 0
fi
want=$(cat "$PASSFILE" 2>/dev/null || echo 0)
if [ "$pass" -lt "$want" ]; then
	say "FAIL: $pass passes, fewer than the $want recorded in test/conformance.pass"
	exit 1
fi
say "ok: $pass passes (recorded: $want)"
exit 0
