#!/usr/bin/env bash
# The built-in demo scenario: a customer gateway and a "VPC" in two network namespaces
# that this script creates (never joined to the host's network), with a listener, a
# security-group-like DROP and a network-ACL-like REJECT, swept by vpn-probe the way a
# support engineer would. Without root (no namespaces) it sweeps loopback instead.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

# The AWS side and the tunnel logs, read from the fixtures a support case would attach.
aws_side() {
	say "vpn-aws --aws-dir testdata/aws/basic      # describe-* JSON, whatever the files are called"
	"$BIN/vpn-aws" --aws-dir testdata/aws/basic 2>&1 || true
	say "vpn-logs testdata/vpnlogs/catalogue.log   # what AWS's tunnel logs say, first findings"
	"$BIN/vpn-logs" testdata/vpnlogs/catalogue.log 2>&1 | head -n 12 || true
}

# The whole toolkit in one report, on the built-in scenario: no AWS access, nothing sent.
say "vpn-doctor --demo      # a NAT'ed gateway registered under the wrong address, propagation off"
"$BIN/vpn-doctor" --demo || true

if [ "$(id -u)" != 0 ] || ! ip netns list >/dev/null 2>&1; then
	echo "demo: not root (or no network namespaces): sweeping loopback only"
	say "vpn-probe -v --summary 127.0.0.1 1-1024"
	"$BIN/vpn-probe" -v --summary 127.0.0.1 1-1024 || true
	aws_side
	exit 0
fi

CGW=vdt-demo-$$-cgw
VPC=vdt-demo-$$-vpc
cleanup() {
	ip netns pids "$VPC" 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip netns del "$CGW" 2>/dev/null || true
	ip netns del "$VPC" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$CGW"
ip netns add "$VPC"
ip link add "vd$$c" type veth peer name "vd$$v"
ip link set "vd$$c" netns "$CGW"
ip link set "vd$$v" netns "$VPC"
ip -n "$CGW" addr add 192.0.2.10/24 dev "vd$$c"
ip -n "$VPC" addr add 192.0.2.1/24 dev "vd$$v"
for ns in "$CGW" "$VPC"; do ip -n "$ns" link set lo up; done
ip -n "$CGW" link set "vd$$c" up
ip -n "$VPC" link set "vd$$v" up
# The "VPC" answers for all of 198.51.100.0/28, as if the hosts sat across the tunnel.
ip -n "$VPC" route add local 198.51.100.0/28 dev lo
ip -n "$CGW" route add 198.51.100.0/24 via 192.0.2.1
ip netns exec "$VPC" sysctl -qw net.ipv4.icmp_ratelimit=0
# .4-.5 behave like a security group that drops; .7 like a network ACL that rejects.
ip netns exec "$VPC" iptables -A INPUT -d 198.51.100.4/31 -j DROP
ip netns exec "$VPC" iptables -A INPUT -d 198.51.100.7 -p tcp -j REJECT --reject-with icmp-admin-prohibited
ip netns exec "$VPC" timeout 60 ncat -l -k 0.0.0.0 443 >/dev/null 2>&1 &
sleep 0.3

in_cgw() { ip netns exec "$CGW" "$@"; }
say "vpn-probe -zvv 198.51.100.1 443            # the runbook's line, unchanged"
in_cgw "$BIN/vpn-probe" -zvv 198.51.100.1 443 2>&1 || true
say "vpn-probe -v -w 1 --summary 198.51.100.0/28 22,443"
in_cgw "$BIN/vpn-probe" -v -w 1 --summary 198.51.100.0/28 22,443 2>&1 || true
say "vpn-probe -w 1 --json 198.51.100.7 443      # which ICMP, from whom"
in_cgw "$BIN/vpn-probe" -w 1 --json 198.51.100.7 443 | head -1 || true
say "vpn-probe --keepalive 1 --count 2 -w 0.5 198.51.100.4-6 443   # the SLA monitor"
in_cgw "$BIN/vpn-probe" --keepalive 1 --count 2 -w 0.5 198.51.100.4-6 443 2>&1 || true
aws_side
