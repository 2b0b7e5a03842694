#!/bin/bash
# vpn-doctor mtu (the tunnel.mtu check) in a three-namespace lab (lib.sh "router"):
#   client 192.0.2.2 -> router 192.0.2.1 | 198.51.100.1 -> server 198.51.100.10
# with the router's far link (r1 <-> s0) at MTU 1400, the near one at 1500. The server
# runs a UDP echo on 7777; 33434 is closed (port unreachable answers); it answers ICMP echo.
#   UDP echo, UDP closed port, ICMP (ping socket), ICMP (raw), IPv6 UDP
#                                   -> path MTU 1400, first lost 1401 by ICMP
#                                      "fragmentation needed"; clamp 1360 (1400 - 40, below
#                                      every AWS table row); exit 1 (warn)
#   the router drops the "fragmentation needed" it sends (iptables OUTPUT)
#                                   -> path MTU 1400 named a black hole, status fail,
#                                      exit 2, clamp 1360
#   far link back at 1500, AES256/SHA2-512/NAT-T -> the AWS table's 1406/1366, exit 0
# Every wait is bounded (--wait 150 ms, 2 tries, a 20 s budget per run); the whole test
# runs in a few seconds. Skips without root, namespaces or the tools it needs.
# VPN_MTU="CMD" overrides how the tool is started (default: bin/vpn-doctor mtu).

. "$(dirname "$0")/lib.sh"

FAST=(--wait 150 --tries 2 --budget 20)

if ! why=$(it_unsupported); then
	skip "test_mtu" "$why"
	it_finish
fi
for t in ncat iptables jq busybox ss; do
	command -v "$t" >/dev/null || { skip "test_mtu" "$t not installed"; it_finish; }
done
if [ -n "${VPN_MTU:-}" ]; then
	read -r -a MTU_CMD <<<"$VPN_MTU"
else
	MTU_CMD=("$IT_ROOT/bin/vpn-doctor" mtu)
fi
if ! "${MTU_CMD[@]}" --help >/dev/null 2>&1; then
	skip "test_mtu" "${MTU_CMD[*]} does not run (make; is mtu wired into cmd/main.c?)"
	it_finish
fi

it_init
lab_up router || { fail "lab" "could not build the namespace lab"; it_finish; }
ip -n "$NS_R" link set r1 mtu 1400 && ip -n "$NS_S" link set s0 mtu 1400 ||
	{ fail "lab" "could not set the far link's MTU"; it_finish; }
listen_udp_echo "$NS_S" 7777 || { fail "lab" "no UDP echo on 7777"; it_finish; }

OUT="$IT_TMP/out.json"

# mtu NAME EXPECTED_EXIT ARGS...: runs the tool in the client namespace (bounded), JSON out.
mtu() {
	local name=$1 want=$2 rc; shift 2
	timeout "$IT_T" ip netns exec "$NS_C" "${MTU_CMD[@]}" --json "${FAST[@]}" "$@" >"$OUT" 2>"$IT_TMP/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit $rc, want $want: $(head -c 300 "$IT_TMP/err") $(head -c 600 "$OUT")"
		return 1
	fi
	jq -e . "$OUT" >/dev/null 2>&1 || { fail "$name" "output is not JSON"; return 1; }
}

# path_ev KEY / mss_ev KEY: evidence of the measurement and of the clamp finding.
path_ev() { jq -r --arg k "$1" '[.findings[] | select(.check == "tunnel.mtu" and .subject != "TCP MSS")][0].evidence[$k] | tostring' "$OUT"; }
path_field() { jq -r --arg k "$1" '[.findings[] | select(.check == "tunnel.mtu" and .subject != "TCP MSS")][0][$k] | tostring' "$OUT"; }
mss_ev() { jq -r --arg k "$1" '[.findings[] | select(.subject == "TCP MSS")][0].evidence[$k] | tostring' "$OUT"; }

# expect NAME WHAT GOT WANT
expect() {
	if [ "$3" != "$4" ]; then
		fail "$1" "$2 is '$3', want '$4'"
		return 1
	fi
}

# found_1400 NAME METHOD RAW: the common checks of a PMTUD-working case.
found_1400() {
	local n=$1
	expect "$n" method "$(path_ev method)" "$2" &&
	expect "$n" raw_socket "$(path_ev raw_socket)" "$3" &&
	expect "$n" path_mtu "$(path_ev path_mtu)" 1400 &&
	expect "$n" first_lost "$(path_ev first_lost)" 1401 &&
	expect "$n" first_lost_by "$(path_ev first_lost_by)" too-big-icmp &&
	expect "$n" icmp_next_hop_mtu "$(path_ev icmp_next_hop_mtu)" 1400 &&
	expect "$n" black_hole "$(path_ev black_hole)" false &&
	expect "$n" status "$(path_field status)" pass &&
	expect "$n" mss_ipv4 "$(mss_ev mss_ipv4)" 1360 &&
	expect "$n" mss_ipv6 "$(mss_ev mss_ipv6)" 1340 &&
	ok "$n (1400 in $(path_ev probes) probes, ICMP from $(path_ev icmp_from))"
}

start=$SECONDS
mtu "udp echo" 1 "$SRV4" --udp --port 7777 && found_1400 "udp echo" udp false
mtu "udp closed port" 1 "$SRV4" --udp && found_1400 "udp closed port" udp false &&
	expect "udp closed port" port "$(path_ev port)" 33434

in_c sysctl -qw net.ipv4.ping_group_range="0 2147483647"
mtu "icmp ping socket" 1 "$SRV4" --icmp && found_1400 "icmp ping socket" icmp false
in_c sysctl -qw net.ipv4.ping_group_range="1 0"
mtu "icmp raw socket" 1 "$SRV4" --icmp && found_1400 "icmp raw socket" icmp true

mtu "ipv6 udp closed port" 1 "$SRV6" --udp &&
	expect "ipv6 udp closed port" path_mtu "$(path_ev path_mtu)" 1400 &&
	expect "ipv6 udp closed port" first_lost_by "$(path_ev first_lost_by)" too-big-icmp &&
	ok "ipv6 udp closed port (packet too big from $(path_ev icmp_from))"

# The black hole: the router still drops what does not fit, but says nothing.
in_r iptables -A OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP
t0=$SECONDS
if mtu "black hole udp" 2 "$SRV4" --udp --port 7777; then
	n="black hole udp"
	expect "$n" path_mtu "$(path_ev path_mtu)" 1400 &&
	expect "$n" first_lost "$(path_ev first_lost)" 1401 &&
	expect "$n" first_lost_by "$(path_ev first_lost_by)" silent &&
	expect "$n" black_hole "$(path_ev black_hole)" true &&
	expect "$n" status "$(path_field status)" fail &&
	expect "$n" "summary names it" "$(path_field summary | grep -c 'black hole')" 1 &&
	expect "$n" "summary says ping works, HTTPS hangs" \
		"$(path_field summary | grep -c 'ping works, HTTPS hangs')" 1 &&
	expect "$n" mss_ipv4 "$(mss_ev mss_ipv4)" 1360 &&
	ok "$n (named a black hole in $((SECONDS - t0)) s, clamp 1360)"
fi
in_c sysctl -qw net.ipv4.ping_group_range="0 2147483647"
if mtu "black hole icmp, AWS algorithms" 2 "$SRV4" --icmp --encryption AES128 --integrity SHA1 --no-nat-t; then
	n="black hole icmp, AWS algorithms"
	expect "$n" path_mtu "$(path_ev path_mtu)" 1400 &&
	expect "$n" black_hole "$(path_ev black_hole)" true &&
	expect "$n" aws_table_mtu "$(mss_ev aws_table_mtu)" 1438 &&
	expect "$n" aws_table_row "$(mss_ev aws_table_row)" exact &&
	expect "$n" "clamp below AWS's 1398" "$(mss_ev mss_ipv4)" 1360 &&
	ok "$n (AES128/SHA1 without NAT-T: AWS's 1438/1398 is too large for this path; 1360)"
fi
in_r iptables -D OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP

# The far link back at 1500: the AWS table is the limit.
ip -n "$NS_R" link set r1 mtu 1500 && ip -n "$NS_S" link set s0 mtu 1500
if mtu "aws table" 0 "$SRV4" --udp --port 7777 --encryption AES256 --integrity SHA2-512 --nat-t; then
	n="aws table"
	expect "$n" outcome "$(path_ev outcome)" above-max &&
	expect "$n" tunnel_mtu "$(mss_ev tunnel_mtu)" 1406 &&
	expect "$n" mss_ipv4 "$(mss_ev mss_ipv4)" 1366 &&
	expect "$n" mss_ipv6 "$(mss_ev mss_ipv6)" 1346 &&
	ok "$n (AES256/SHA2-512 with NAT-T: clamp 1366, AWS's table)"
fi

# Bad input: one line, exit 64, nothing sent.
"${MTU_CMD[@]}" not-an-address >/dev/null 2>"$IT_TMP/err"
rc=$?
if [ "$rc" = 64 ] && [ "$(wc -l <"$IT_TMP/err")" = 1 ]; then ok "usage: not an address"
else fail "usage: not an address" "exit $rc: $(cat "$IT_TMP/err")"; fi
"${MTU_CMD[@]}" "$SRV4" --encryption 3DES >/dev/null 2>"$IT_TMP/err"
rc=$?
if [ "$rc" = 64 ] && grep -q 3DES "$IT_TMP/err"; then ok "usage: 3DES is not in AWS's table"
else fail "usage: 3DES" "exit $rc: $(cat "$IT_TMP/err")"; fi

note "test_mtu took $((SECONDS - start)) s"
[ $((SECONDS - start)) -le 30 ] && ok "under 30 s" || fail "time" "$((SECONDS - start)) s"
it_finish
