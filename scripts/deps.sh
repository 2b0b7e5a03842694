#!/usr/bin/env bash
# Usage: scripts/deps.sh build|demo|test|static
# Installs the Debian 12 packages vpn-doctor needs to build (build) or to build and run
# every test (test). Quiet when all are present. As root it installs what is missing; as
# anyone else it prints the command to run and exits 1.
set -euo pipefail

build_pkgs=(build-essential pkg-config libcurl4-openssl-dev libssl-dev libnet1-dev
	libpcap-dev libcjson-dev libexpat1-dev zlib1g-dev)
# The demo builds two namespaces with a listener and firewall rules.
demo_pkgs=("${build_pkgs[@]}" ncat iptables iproute2)
# iptables on Debian 12 is the nft-backed build; the integration tests are fine with it.
test_pkgs=("${build_pkgs[@]}" libcmocka-dev clang libclang-rt-14-dev nmap ncat
	netcat-openbsd busybox iptables iproute2 mandoc procps time jq python3-botocore openssl
	strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins
	ike-scan tshark python3-jsonschema python3-markdown valgrind)

# make static and tests/static/run.sh: apt-get source (dpkg-dev) for libcurl and cJSON, the
# static archives (libc6-dev, libssl-dev, libpcap-dev and libdbus-1-dev, libnet1-dev,
# libexpat1-dev), a statically linked busybox for the test's chroot, the TLS stub, and
# zsh to check the generated completion (tests/static/install.sh).
static_pkgs=("${build_pkgs[@]}" dpkg-dev libc6-dev libdbus-1-dev busybox-static file binutils
	iproute2 openssl python3-botocore zsh)

case "${1:-}" in
build) want=("${build_pkgs[@]}") ;;
static) want=("${static_pkgs[@]}") ;;
demo) want=("${demo_pkgs[@]}") ;;
test) want=("${test_pkgs[@]}") ;;
*)
	echo "usage: scripts/deps.sh build|demo|test|static" >&2
	exit 64
	;;
esac

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

missing=()
for p in "${want[@]}"; do
	installed "$p" && continue
	# busybox-static provides the same applets; do not swap one for the other.
	[ "$p" = busybox ] && installed busybox-static && continue
	missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "sudo apt-get install -y --no-install-recommends ${missing[*]}"
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
