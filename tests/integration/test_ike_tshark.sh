#!/bin/bash
# vpn-ike decode against tshark, on traffic the lab really carried (issue 4, must-show 2).
# dumpcap captures inside the lab's aws namespace, on its veth towards the customer gateway,
# while the cgw sends:
#   vpn-ike probe IKEv2: accepted, no_proposal_chosen, invalid_ke + the retry
#   vpn-ike probe IKEv1: accepted and refused
#   a real `swanctl --initiate` by the cgw charon (IKE_SA_INIT, encrypted IKE_AUTH) and a
#   ping across the tunnel (UDP-encapsulated ESP)
# in a second lab with --nat, a probe on port 4500 (NAT-T, non-ESP marker), and in a third
# with charon's default half-open thresholds, probes until one is answered with a COOKIE.
# Then `vpn-ike decode --pcap --json` and `tshark -T json` dissect both captures and
# tests/integration/tshark_compare.py compares every field both have; it fails on any
# disagreement or when no packet was compared.
# TSHARK_KEEP=DIR keeps the two captures (how testdata/ike/strongswan/ was made).
# Skips cleanly without root, namespaces, strongSwan or tshark.

. "$(dirname "$0")/lib.sh"

LAB="$IT_ROOT/tests/lab/lab.sh"
AWS_IP=203.0.113.1
VPN_IKE=${VPN_IKE:-$IT_ROOT/bin/vpn-ike}
CMP="$IT_ROOT/tests/integration/tshark_compare.py"

if ! why=$(it_unsupported); then
	skip "test_ike_tshark" "$why"
	it_finish
fi
CHARON=${CHARON:-/usr/lib/ipsec/charon}
export CHARON
for t in "$CHARON" swanctl tshark dumpcap python3; do
	if ! command -v "$t" >/dev/null; then
		skip "test_ike_tshark" "$t missing (scripts/deps.sh test)"
		it_finish
	fi
done
if [ ! -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
	[ ! -e /usr/lib/ipsec/plugins/libstrongswan-openssl.so ]; then
	skip "test_ike_tshark" "strongSwan plugins missing (libcharon-extra-plugins, libstrongswan-standard-plugins)"
	it_finish
fi
[ -c /dev/net/tun ] || { skip "test_ike_tshark" "no /dev/net/tun for kernel-libipsec"; it_finish; }
[ -x "$VPN_IKE" ] || { skip "test_ike_tshark" "$VPN_IKE not built (make)"; it_finish; }

it_init
LABS=()
CAP_PID=""
lab_cleanup() {
	local d
	[ -n "$CAP_PID" ] && kill "$CAP_PID" 2>/dev/null
	for d in "${LABS[@]}"; do
		[ -f "$d/id" ] && LAB_DIR=$d "$LAB" down >/dev/null 2>&1
	done
	it_cleanup
}
trap lab_cleanup EXIT

# capture_start FILE: dumpcap on aws's eth0 (the veth towards the cgw or the NAT router),
# UDP 500/4500 and ESP; returns once dumpcap says it is capturing.
capture_start() {
	: >"$IT_TMP/dumpcap.err"
	timeout 300 "$LAB" exec aws dumpcap -q -P -i eth0 -f 'udp port 500 or udp port 4500 or ip proto 50' \
		-w "$1" 2>"$IT_TMP/dumpcap.err" &
	CAP_PID=$!
	wait_for 10 grep -q "Capturing on" "$IT_TMP/dumpcap.err"
}
# capture_stop: SIGINT lets dumpcap flush; bounded.
capture_stop() {
	local p
	[ -n "$CAP_PID" ] || return 0
	sleep 0.5
	# the pid is timeout's; its child is dumpcap (via ip netns exec / nsenter exec)
	for p in $(pgrep -P "$CAP_PID") "$CAP_PID"; do kill -INT "$p" 2>/dev/null; done
	for _ in $(seq 50); do kill -0 "$CAP_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=""
}

ike() {
	local name=$1; shift
	timeout "$IT_T" "$LAB" exec cgw "$VPN_IKE" probe "$AWS_IP" "$@" >"$IT_TMP/$name" 2>&1
	RC=$?
}
expect() {
	if [ "$RC" -eq "$2" ] && grep -Eq "$3" "$IT_TMP/$1"; then
		ok "$4"
	else
		fail "$4" "exit $RC, output: $(tr '\n' ' ' <"$IT_TMP/$1")"
	fi
}

# compare CAPTURE NAME: vpn-ike decode vs tshark over every IKE packet of CAPTURE
compare() {
	local cap=$1 name=$2
	"$VPN_IKE" decode --pcap --json "$cap" >"$IT_TMP/$name.ours" 2>"$IT_TMP/$name.ours.err"
	local drc=$?
	tshark -r "$cap" -T json >"$IT_TMP/$name.tshark" 2>"$IT_TMP/$name.tshark.err"
	if [ "$drc" -ne 0 ]; then
		fail "$name: vpn-ike decode --pcap" "exit $drc: $(head -c 300 "$IT_TMP/$name.ours.err")"
		return
	fi
	if out=$(python3 "$CMP" "$IT_TMP/$name.ours" "$IT_TMP/$name.tshark" 2>&1); then
		ok "$name: $(printf '%s\n' "$out" | tail -n 1)"
	else
		fail "$name: decode vs tshark" "$(printf '%s\n' "$out" | head -n 20 | tr '\n' ' ')"
	fi
}

# ---- lab 1: direct path ---------------------------------------------------------------
LAB_DIR="$IT_TMP/lab"
LABS+=("$LAB_DIR")
export LAB_DIR
t0=$SECONDS
if ! timeout 60 "$LAB" up --responder-proposals aes128-sha1-modp1024,aes256-sha256-ecp256 \
	>"$IT_TMP/up" 2>&1; then
	fail "lab up" "$(tail -n 5 "$IT_TMP/up" | tr '\n' ' ')"
	it_finish
fi
CAP1="$IT_TMP/direct.pcap"
if ! capture_start "$CAP1"; then
	fail "dumpcap" "$(tr '\n' ' ' <"$IT_TMP/dumpcap.err")"
	it_finish
fi

ike v2ok --ikev2 --proposal aes128-sha1-modp1024
expect v2ok 0 'accepted' "captured: IKEv2 accepted"
ike v2no --ikev2 --proposal 3des-sha1-modp1024
expect v2no 1 'no_proposal_chosen' "captured: IKEv2 no_proposal_chosen"
ike v2ke --ikev2 --proposal aes128-sha1-modp2048-modp1024
expect v2ke 0 'invalid_ke.*retry: accepted' "captured: IKEv2 invalid_ke and the retry"
ike v1ok --ikev1 --proposal aes128-sha1-modp1024
expect v1ok 0 'accepted' "captured: IKEv1 accepted"
ike v1no --ikev1 --proposal 3des-sha1-modp1024
expect v1no 1 'no_proposal_chosen' "captured: IKEv1 refused"
if timeout "$IT_T" "$LAB" exec cgw swanctl --initiate --child vpc >"$IT_TMP/init" 2>&1; then
	ok "captured: swanctl --initiate (charon's IKE_SA_INIT and IKE_AUTH)"
	timeout "$IT_T" "$LAB" exec cgw busybox ping -c 2 -W 2 -I 10.99.0.1 10.0.0.10 >/dev/null 2>&1 &&
		ok "captured: ping across the tunnel (ESP in UDP 4500)" ||
		fail "ping across the tunnel" "no answer"
else
	fail "swanctl --initiate" "$(tail -n 5 "$IT_TMP/init" | tr '\n' ' ')"
fi
capture_stop
compare "$CAP1" direct
timeout 30 "$LAB" down >/dev/null 2>&1 || fail "lab down" "lab.sh down failed"

# ---- lab 2: behind the NAT router, port 4500 ---------------------------------------------
LAB_DIR="$IT_TMP/natlab"
LABS+=("$LAB_DIR")
if ! timeout 60 "$LAB" up --nat --ike v2 >"$IT_TMP/up2" 2>&1; then
	fail "nat lab up" "$(tail -n 5 "$IT_TMP/up2" | tr '\n' ' ')"
	it_finish
fi
CAP2="$IT_TMP/natt.pcap"
if ! capture_start "$CAP2"; then
	fail "dumpcap (nat lab)" "$(tr '\n' ' ' <"$IT_TMP/dumpcap.err")"
	it_finish
fi
ike nat4500 --proposal aes256-sha256-modp2048 --port 4500
expect nat4500 0 'accepted .*nat=detected' "captured: NAT-T port 4500, NAT detected"
capture_stop
compare "$CAP2" natt

timeout 30 "$LAB" down >/dev/null 2>&1 || fail "nat lab down" "lab.sh down failed"

# ---- lab 3: charon's default thresholds, so half-open IKE_SAs earn a COOKIE ----------------
LAB_DIR="$IT_TMP/cookielab"
LABS+=("$LAB_DIR")
if ! timeout 60 "$LAB" up --ike v2 --default-thresholds \
	--responder-proposals aes128-sha256-modp2048 >"$IT_TMP/up3" 2>&1; then
	fail "cookie lab up" "$(tail -n 5 "$IT_TMP/up3" | tr '\n' ' ')"
	it_finish
fi
CAP3="$IT_TMP/cookie.pcap"
if ! capture_start "$CAP3"; then
	fail "dumpcap (cookie lab)" "$(tr '\n' ' ' <"$IT_TMP/dumpcap.err")"
	it_finish
fi
# each accepted probe leaves a half-open IKE_SA behind; strongSwan asks for a COOKIE once
# there are enough of them from one source (cookie_threshold_ip)
cookie=no
for i in 1 2 3 4 5; do
	ike "cookie$i" --proposal aes128-sha256-modp2048 --json
	grep -q '"cookie_honoured":true' "$IT_TMP/cookie$i" && { cookie=yes; break; }
done
capture_stop
if [ "$cookie" = yes ]; then
	ok "captured: a COOKIE answer (probe $i) and the request echoing it"
else
	fail "COOKIE" "no probe was asked for a COOKIE: $(tr '\n' ' ' <"$IT_TMP/cookie5" | head -c 300)"
fi
compare "$CAP3" cookie

if [ -n "${TSHARK_KEEP:-}" ]; then
	mkdir -p "$TSHARK_KEEP" && cp "$CAP1" "$CAP2" "$CAP3" "$TSHARK_KEEP/" &&
		note "captures kept in $TSHARK_KEEP"
fi
note "total $((SECONDS - t0)) s"
it_finish
