#!/bin/sh
# Install the Debian packages zone needs to build, test and run.
# As root it runs apt-get; otherwise it prints the one line to run.
pkgs="build-essential pkg-config libnats-dev nats-server liblmdb-dev lmdb-utils
libldns-dev ldnsutils libjansson-dev libbsd-dev libcivetweb-dev libcmocka-dev
libcurl4-openssl-dev libyaml-dev jq curl mandoc perl bind9-dnsutils wrk
bind9 bind9-utils knot knot-dnsutils nsd pdns-server pdns-backend-sqlite3 ldnsutils
clang libclang-rt-14-dev sqlite3 s6 iproute2 python3 findutils
python3-openstackclient python3-designateclient
python3-keystone mariadb-server uwsgi-core uwsgi-plugin-python3 python3-pymysql
tempest designate-tempest-plugin python3-stestr python3-subunit python3-neutron"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || exit 1
	apt-get install -y -qq --no-install-recommends $missing >&2 || exit 1
else
	echo "deps: missing packages; run as root:" >&2
	echo "apt-get install -y$missing"
	exit 1
fi
