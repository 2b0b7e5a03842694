#!/bin/bash
# vpn-policy in the lab (issue 8, must-show 1): a strongSwan customer gateway with two
# subnet pairs (10.99.0.0/25 and 10.99.0.128/25, both to 10.0.0.0/16) on one IKE SA against
# the AWS-like responder is found to make several SA pairs
#   - from its configuration (vpn-policy --config),
#   - from the wire: the lab's charon uses kernel-libipsec, ESP in UDP 4500; a capture in
#     the aws namespace while both pairs carry pings at once shows 4 SPIs instead of 2
#     (--pcap on a dumpcap file, and --capture live), and one CREATE_CHILD_SA; the lab's
#     own one-pair connection, captured the same way, shows 2 SPIs (one pair, pass),
#   - from XFRM: a second charon with kernel-netlink (no libipsec) in a namespace of its
#     own, where `swanctl --install` puts in the trap policies: one in/out/fwd set per pair
#     (vpn-policy --xfrm, recorded with --xfrm-record and decoded again with --xfrm-file);
# and a one-pair 0.0.0.0/0 setup is route-based (configuration and XFRM).
# POLICY_KEEP=DIR keeps the capture and the XFRM dumps (how testdata/policy/ and
# testdata/xfrm/ were made). Skips cleanly without root, namespaces or strongSwan.

. "$(dirname "$0")/lib.sh"

LAB="$IT_ROOT/tests/lab/lab.sh"
AWS_IP=203.0.113.1
CGW_IP=198.51.100.10
if [ -n "${VPN_POLICY:-}" ]; then
	POL=("$VPN_POLICY")
elif [ -x "$IT_ROOT/bin/vpn-policy" ]; then
	POL=("$IT_ROOT/bin/vpn-policy")
else
	POL=("$IT_ROOT/bin/vpn-doctor" policy)
fi

if ! why=$(it_unsupported); then
	skip "test_policy_lab" "$why"
	it_finish
fi
CHARON=${CHARON:-/usr/lib/ipsec/charon}
export CHARON
for t in "$CHARON" swanctl dumpcap unshare; do
	if ! command -v "$t" >/dev/null; then
		skip "test_policy_lab" "$t missing (scripts/deps.sh test)"
		it_finish
	fi
done
if [ ! -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
	[ ! -e /usr/lib/ipsec/plugins/libstrongswan-kernel-netlink.so ]; then
	skip "test_policy_lab" "strongSwan plugins missing (libcharon-extra-plugins)"
	it_finish
fi
[ -c /dev/net/tun ] || { skip "test_policy_lab" "no /dev/net/tun for kernel-libipsec"; it_finish; }
"${POL[@]}" --version >/dev/null 2>&1 || { skip "test_policy_lab" "${POL[*]} not built (make)"; it_finish; }

it_init
LAB_DIR="$IT_TMP/lab"
export LAB_DIR
CAP_PID="" LIVE_PID="" XPID="" XNS="${IT_PFX}xfrm" XD="$IT_TMP/xfrm"
lab_cleanup() {
	local p
	for p in $LIVE_PID $CAP_PID; do
		for q in $(pgrep -P "$p") "$p"; do kill -INT "$q" 2>/dev/null; done
	done
	[ -n "$XPID" ] && kill "$XPID" 2>/dev/null
	[ -f "$LAB_DIR/id" ] && "$LAB" down >/dev/null 2>&1
	it_cleanup
}
trap lab_cleanup EXIT

# pol NAME ARGS...: runs vpn-policy, output in $IT_TMP/NAME, status in RC
pol() {
	local name=$1; shift
	timeout "$IT_T" "${POL[@]}" "$@" >"$IT_TMP/$name" 2>&1
	RC=$?
}
# expect NAME RC REGEX... : every REGEX (grep -E) is in the output and the status is RC
expect() {
	local name=$1 want=$2 re miss=""
	shift 2
	for re in "$@"; do grep -Eq -- "$re" "$IT_TMP/$name" || miss="$miss [$re]"; done
	if [ "$RC" -eq "$want" ] && [ -z "$miss" ]; then
		ok "$name"
	else
		fail "$name" "exit $RC (want $want), missing:$miss; output: $(head -c 1500 "$IT_TMP/$name" | tr '\n' ' ')"
	fi
}

# The customer gateway's policy-based connection: one IKE SA, two children.
write_pairs() { # FILE START_ACTION LOCAL_TS1 [LOCAL_TS2]
	{
		echo "# vpn-policy lab: one IKE SA to the AWS-like responder, one child per subnet pair"
		echo "connections {"
		echo "	pol {"
		echo "		version = 2"
		echo "		local_addrs = $CGW_IP"
		echo "		remote_addrs = $AWS_IP"
		echo "		proposals = aes128-sha256-modp2048"
		echo "		encap = yes"
		echo "		mobike = no"
		echo "		local {"
		echo "			auth = psk"
		echo "			id = $CGW_IP"
		echo "		}"
		echo "		remote {"
		echo "			auth = psk"
		echo "			id = $AWS_IP"
		echo "		}"
		echo "		children {"
		local i=1 ts
		for ts in "${@:3}"; do
			echo "			net$i {"
			echo "				local_ts = $ts"
			if [ "$ts" = 0.0.0.0/0 ]; then
				echo "				remote_ts = 0.0.0.0/0"
			else
				echo "				remote_ts = 10.0.0.0/16"
			fi
			echo "				esp_proposals = aes128-sha256-modp2048"
			echo "				start_action = $2"
			echo "			}"
			i=$((i + 1))
		done
		echo "		}"
		echo "	}"
		echo "}"
	} >"$1"
}

t0=$SECONDS
# ---- configuration ------------------------------------------------------------------
write_pairs "$IT_TMP/two-pairs.conf" none 10.99.0.0/25 10.99.0.128/25
write_pairs "$IT_TMP/route-based.conf" none 0.0.0.0/0
pol config-two-pairs --config "$IT_TMP/two-pairs.conf"
expect config-two-pairs 2 'policy-based with 2 SA pairs' '10\.99\.0\.0/25 <-> 10\.0\.0\.0/16' \
	'10\.99\.0\.128/25 <-> 10\.0\.0\.0/16' 'consolidate into one pair: 10\.99\.0\.0/24 <-> 10\.0\.0\.0/16'
pol config-route-based --config "$IT_TMP/route-based.conf"
expect config-route-based 0 'route-based \(0\.0\.0\.0/0 selectors\)'

# ---- the wire (the lab's charon: kernel-libipsec) -----------------------------------
if ! timeout 60 "$LAB" up --ike v2 >"$IT_TMP/up" 2>&1; then
	fail "lab up" "$(tail -n 5 "$IT_TMP/up" | tr '\n' ' ')"
	it_finish
fi
# the lab's own connections and secret, plus ours (its PSK never leaves its file)
printf 'include %s\ninclude %s\n' "$LAB_DIR/cgw/swanctl.conf" "$IT_TMP/two-pairs.conf" \
	>"$IT_TMP/load.conf"
if ! "$LAB" exec cgw swanctl --load-all --file "$IT_TMP/load.conf" >"$IT_TMP/load" 2>&1; then
	fail "load two-pairs" "$(tail -n 3 "$IT_TMP/load" | tr '\n' ' ')"
	it_finish
fi
# a second customer address, in the second pair
"$LAB" exec cgw ip addr add 10.99.0.129/32 dev lo

PCAP="$IT_TMP/two-pairs.pcap"
: >"$IT_TMP/dumpcap.err"
timeout 120 "$LAB" exec aws dumpcap -q -P -i eth0 -f 'udp port 500 or udp port 4500 or ip proto 50' \
	-w "$PCAP" 2>"$IT_TMP/dumpcap.err" &
CAP_PID=$!
if ! wait_for 10 grep -q "Capturing on" "$IT_TMP/dumpcap.err"; then
	fail "dumpcap" "$(cat "$IT_TMP/dumpcap.err")"
	it_finish
fi
timeout 60 "$LAB" exec aws "${POL[@]}" --capture eth0 --duration 8 >"$IT_TMP/live" 2>&1 &
LIVE_PID=$!
sleep 1
for c in net1 net2; do
	if ! timeout 20 "$LAB" exec cgw swanctl --initiate --child "$c" >"$IT_TMP/init-$c" 2>&1; then
		fail "initiate $c" "$(tail -n 3 "$IT_TMP/init-$c" | tr '\n' ' ')"
	fi
done
# both pairs carry traffic at once
timeout 20 "$LAB" exec cgw busybox ping -c 4 -i 0.3 -I 10.99.0.1 10.0.0.10 >"$IT_TMP/ping1" 2>&1 &
p1=$!
timeout 20 "$LAB" exec cgw busybox ping -c 4 -i 0.3 -I 10.99.0.129 10.0.0.10 >"$IT_TMP/ping2" 2>&1
wait "$p1"
if grep -q " 0% packet loss" "$IT_TMP/ping1" && grep -q " 0% packet loss" "$IT_TMP/ping2"; then
	ok "pings across both pairs"
else
	fail "pings across both pairs" "$(cat "$IT_TMP/ping1" "$IT_TMP/ping2" | tr '\n' ' ')"
fi
wait "$LIVE_PID"
RC=$?
LIVE_PID=""
expect live 2 '^capture [0-9.]+ <-> [0-9.]+: 2 SA pairs' 'ESP SPIs out 2' 'ESP SPIs in 2' \
	'CREATE_CHILD_SA 1' '\[FAIL\] policy.selectors .*2 ESP SPIs out and 2 in'
sleep 0.5
for q in $(pgrep -P "$CAP_PID") "$CAP_PID"; do kill -INT "$q" 2>/dev/null; done
wait "$CAP_PID"
CAP_PID=""
pol pcap-two-pairs --pcap "$PCAP"
expect pcap-two-pairs 2 "^capture $CGW_IP <-> $AWS_IP: 2 SA pairs" 'ESP SPIs out 2' 'ESP SPIs in 2' \
	'IKE SAs 1, CREATE_CHILD_SA 1' 'policy-based: 2 ESP SPIs out and 2 in, 2 in use at once'
# the SPIs the capture names are the ones charon installed
spis=$("$LAB" exec cgw swanctl --list-sas 2>/dev/null | awk '$1 == "in" || $1 == "out" {print $2}' | tr -d ,)
miss=""
for s in $spis; do grep -q "0x$s" "$IT_TMP/pcap-two-pairs" || miss="$miss $s"; done
spis=$(tr '\n' ' ' <<<"$spis")
spis=${spis% }
if [ -n "$spis" ] && [ -z "$miss" ] && [ "$(echo "$spis" | wc -w)" -eq 4 ]; then
	ok "capture SPIs = charon's 4 SPIs ($spis)"
else
	fail "capture SPIs = charon's" "charon: $spis, missing:$miss"
fi
# the contrast: the lab's own one-pair connection ("aws", child "vpc": 10.99.0.0/24 <->
# 10.0.0.0/16) makes 2 SPIs, one SA pair
"$LAB" exec cgw swanctl --terminate --ike pol >/dev/null 2>&1
timeout 60 "$LAB" exec aws "${POL[@]}" --capture eth0 --duration 5 >"$IT_TMP/live-one-pair" 2>&1 &
LIVE_PID=$!
sleep 1
timeout 20 "$LAB" exec cgw swanctl --initiate --child vpc >"$IT_TMP/init-vpc" 2>&1 ||
	fail "initiate vpc" "$(tail -n 3 "$IT_TMP/init-vpc" | tr '\n' ' ')"
timeout 20 "$LAB" exec cgw busybox ping -c 3 -i 0.3 -I 10.99.0.1 10.0.0.10 >/dev/null 2>&1
wait "$LIVE_PID"
RC=$?
LIVE_PID=""
expect live-one-pair 0 '^capture [0-9.]+ <-> [0-9.]+: 1 SA pair' 'ESP SPIs out 1' 'ESP SPIs in 1' \
	'\[PASS\] policy.selectors .*one SA pair \(SPI'
"$LAB" down >/dev/null 2>&1

# ---- XFRM (a charon with kernel-netlink: trap policies only) ------------------------
xfrm_charon() {
	ns_add "$XNS" || return 1
	ip link add v0 netns "$XNS" type veth peer name v1 netns "$XNS" || return 1
	ip -n "$XNS" link set v0 up && ip -n "$XNS" link set v1 up
	ip -n "$XNS" addr add "$CGW_IP/24" dev v0
	ip -n "$XNS" route add 203.0.113.0/24 dev v0
	mkdir -p "$XD/run"
	cat >"$XD/strongswan.conf" <<-EOF
	charon {
		load = random nonce openssl pem pkcs1 x509 pubkey kdf kernel-netlink socket-default vici
		install_routes = no
		filelog {
			x {
				path = $XD/charon.log
				default = 1
				flush_line = yes
			}
		}
	}
	EOF
	# shellcheck disable=SC2016 # $1/$2 are the inner sh's arguments
	STRONGSWAN_CONF="$XD/strongswan.conf" setsid ip netns exec "$XNS" \
		unshare -m --propagation private sh -c 'mount --bind "$1" /run && exec "$2"' \
		sh "$XD/run" "$CHARON" </dev/null >"$XD/charon.out" 2>&1 &
	XPID=$!
	wait_for 10 test -S "$XD/run/charon.vici" || return 1
	wait_for 10 xswan --stats || return 1
	[ -s "$XD/run/charon.pid" ] && XPID=$(cat "$XD/run/charon.pid")
	[ "$(readlink "/proc/$XPID/ns/net")" = "$(ip netns exec "$XNS" readlink /proc/self/ns/net)" ]
}
xswan() {
	STRONGSWAN_CONF="$XD/strongswan.conf" timeout 20 swanctl "$@" \
		--uri "unix://$XD/run/charon.vici" >/dev/null 2>&1
}
# xinstall CONF CHILD...: replaces the loaded connections with CONF's, installs the traps
xinstall() {
	local conf=$1 c
	shift
	xswan --load-conns --file "$conf" || return 1
	for c in "$@"; do xswan --install --child "$c" || return 1; done
}

if ! xfrm_charon; then
	fail "kernel-netlink charon" "$(tail -n 5 "$XD/charon.out" "$XD/charon.log" 2>/dev/null | tr '\n' ' ')"
	it_finish
fi
if xinstall "$IT_TMP/two-pairs.conf" net1 net2; then
	timeout "$IT_T" ip netns exec "$XNS" "${POL[@]}" --xfrm --xfrm-record "$IT_TMP/two-pairs.xfrm" \
		>"$IT_TMP/xfrm-two-pairs" 2>&1
	RC=$?
	expect xfrm-two-pairs 2 "^xfrm $CGW_IP <-> $AWS_IP: 2 SA pairs" \
		'10\.99\.0\.0/25 <-> 10\.0\.0\.0/16 .*\[out in fwd\]' \
		'10\.99\.0\.128/25 <-> 10\.0\.0\.0/16 .*\[out in fwd\]' 'policy-based with 2 SA pairs'
	ip netns exec "$XNS" ip xfrm policy >"$IT_TMP/ip-xfrm" 2>&1
	n=$(grep -c "tmpl src" "$IT_TMP/ip-xfrm")
	if [ "$n" -eq 6 ]; then
		ok "ip xfrm policy agrees: 6 tunnel policies"
	else
		fail "ip xfrm policy agrees" "$n tunnel policies: $(tr '\n' ' ' <"$IT_TMP/ip-xfrm")"
	fi
	pol xfrm-file-two-pairs --xfrm-file "$IT_TMP/two-pairs.xfrm"
	if diff -q "$IT_TMP/xfrm-two-pairs" "$IT_TMP/xfrm-file-two-pairs" >/dev/null; then
		ok "--xfrm-file decodes the recording as --xfrm read the kernel"
	else
		fail "--xfrm-file = --xfrm" "$(diff "$IT_TMP/xfrm-two-pairs" "$IT_TMP/xfrm-file-two-pairs" | head -20 | tr '\n' ' ')"
	fi
else
	fail "swanctl --install two pairs" "$(tail -n 5 "$XD/charon.log" | tr '\n' ' ')"
fi
xswan --uninstall --child net1
xswan --uninstall --child net2
if xinstall "$IT_TMP/route-based.conf" net1; then
	timeout "$IT_T" ip netns exec "$XNS" "${POL[@]}" --xfrm --xfrm-record "$IT_TMP/route-based.xfrm" \
		>"$IT_TMP/xfrm-route-based" 2>&1
	RC=$?
	expect xfrm-route-based 0 "^xfrm $CGW_IP <-> $AWS_IP: 1 SA pair" \
		'0\.0\.0\.0/0 <-> 0\.0\.0\.0/0 .*\[out in fwd\]' 'route-based \(0\.0\.0\.0/0 selectors\)'
else
	fail "swanctl --install 0.0.0.0/0" "$(tail -n 5 "$XD/charon.log" | tr '\n' ' ')"
fi

if [ -n "${POLICY_KEEP:-}" ]; then
	mkdir -p "$POLICY_KEEP"
	cp "$PCAP" "$IT_TMP"/*.xfrm "$IT_TMP/two-pairs.conf" "$IT_TMP/route-based.conf" "$POLICY_KEEP/" 2>/dev/null
	note "kept in $POLICY_KEEP"
fi
note "$((SECONDS - t0)) s"
it_finish
