#!/bin/bash
# The IKE lab (tests/lab/lab.sh) against itself: it comes up and goes down cleanly, the
# AWS-like strongSwan responder accepts a matching initiator and carries traffic through
# kernel-libipsec, refuses a mismatched proposal, stays silent to a non-registered source,
# and answers ike-scan's IKEv1 Main Mode for an AWS transform but not for 3DES.
#
# Lab A: no NAT, AWS's full phase 1 list, IKEv1 and IKEv2.
# Lab B: --nat, --ike v2, responder proposals aes256-sha256-modp2048 only.
# Lab C: --default-thresholds: charon's own half-open limits (COOKIE from the 4th half-open
#        IKE_SA of one source), against lab A's raised ones (no COOKIE).

. "$(dirname "$0")/lib.sh"

LAB="$IT_ROOT/tests/lab/lab.sh"
AWS_IP=203.0.113.1

if ! why=$(it_unsupported); then
	skip "test_lab" "$why"
	it_finish
fi
CHARON=${CHARON:-/usr/lib/ipsec/charon}
export CHARON
for t in "$CHARON" swanctl; do
	if ! command -v "$t" >/dev/null; then
		skip "test_lab" "strongSwan not installed ($t missing; scripts/deps.sh test)"
		it_finish
	fi
done
if [ ! -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
	[ ! -e /usr/lib/ipsec/plugins/libstrongswan-openssl.so ]; then
	skip "test_lab" "strongSwan plugins missing (libcharon-extra-plugins, libstrongswan-standard-plugins)"
	it_finish
fi
[ -c /dev/net/tun ] || { skip "test_lab" "no /dev/net/tun for kernel-libipsec"; it_finish; }
HAVE_IKESCAN=1
command -v ike-scan >/dev/null || HAVE_IKESCAN=0

it_init
LABS=()
lab_cleanup() {
	local d
	for d in "${LABS[@]}"; do
		[ -f "$d/id" ] && LAB_DIR=$d "$LAB" down >/dev/null 2>&1
	done
	it_cleanup
}
trap lab_cleanup EXIT

# lab_up NAME ARGS...: brings a lab up in $IT_TMP/NAME, sets LAB_DIR
lab_up_named() {
	local name=$1; shift
	LAB_DIR="$IT_TMP/$name"
	LABS+=("$LAB_DIR")
	export LAB_DIR
	timeout 60 "$LAB" up "$@" >"$IT_TMP/$name.up" 2>&1
}
lx() { timeout "$IT_T" "$LAB" exec "$@"; }
# no IKE_SA/CHILD_SA output lines from swanctl's own plugin loading
sas() { lx cgw swanctl --list-sas "$@" 2>/dev/null; }
lab_ns() { ip netns list | grep -c "^vdt-lab-$(cat "$1/id")-"; }
charons_alive() {
	local n c=0
	for n in cgw aws; do
		[ -f "$1/$n/charon.pid" ] && kill -0 "$(cat "$1/$n/charon.pid")" 2>/dev/null && c=$((c + 1))
	done
	echo "$c"
}

# half_open_replies: five IKEv2 IKE_SA_INITs in a row (each left half-open); one word each:
# handshake, cookie or other
half_open_replies() {
	local _ o
	for _ in 1 2 3 4 5; do
		o=$(lx cgw ike-scan --sport=0 --ikev2 "$AWS_IP" 2>&1 | sed -n 2p)
		case "$o" in
		*"SA_INIT Handshake returned"*) printf 'handshake ' ;;
		*"(COOKIE)"*) printf 'cookie ' ;;
		*) printf 'other ' ;;
		esac
	done
}

# lab_down_clean NAME: down, then no namespace, charon or directory left
lab_down_clean() {
	local d=$LAB_DIR id pids=()
	id=$(cat "$d/id")
	local n
	for n in cgw aws; do [ -f "$d/$n/charon.pid" ] && pids+=("$(cat "$d/$n/charon.pid")"); done
	local t0=$SECONDS
	if ! timeout 30 "$LAB" down >/dev/null 2>&1; then
		fail "$1: down" "lab.sh down failed"; return
	fi
	local left p alive=0
	left=$(ip netns list | grep -c "^vdt-lab-$id-")
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
	if [ "$left" -eq 0 ] && [ "$alive" -eq 0 ] && [ ! -e "$d/id" ]; then
		ok "$1: down leaves no namespace, charon or state ($((SECONDS - t0)) s)"
	else
		fail "$1: down" "$left namespaces, $alive charons left, state ${d}"
	fi
}

# ---- lab A: no NAT, AWS defaults ----------------------------------------------------------
t0=$SECONDS
if ! lab_up_named a; then
	fail "A: up" "$(tail -n 5 "$IT_TMP/a.up" | tr '\n' ' ')"
	it_finish
fi
nns=$(lab_ns "$LAB_DIR") nch=$(charons_alive "$LAB_DIR")
if [ "$nns" -eq 3 ] && [ "$nch" -eq 2 ]; then
	ok "A: up: 3 namespaces, 2 charons ($((SECONDS - t0)) s)"
else
	fail "A: up" "$nns namespaces, $nch charons"
	it_finish
fi

# a matching initiator: IKE_SA and CHILD_SA up, ping from the customer LAN to the VPC host
out=$(lx cgw swanctl --initiate --child vpc 2>&1)
if printf '%s\n' "$out" | grep -q 'initiate completed successfully' &&
	sas --ike aws | grep -q '^aws: #[0-9]*, ESTABLISHED, IKEv2'; then
	ok "A: responder accepts the matching swanctl initiator (IKE_SA ESTABLISHED)"
else
	fail "A: matching initiator" "$(printf '%s\n' "$out" | grep -E 'IKE\]|error' | tail -n 3 | tr '\n' ' ')"
fi
if sas --ike aws | grep -q 'vpc: #[0-9]*, reqid [0-9]*, INSTALLED, TUNNEL-in-UDP'; then
	ok "A: CHILD_SA installed (kernel-libipsec, UDP-encapsulated)"
else
	fail "A: CHILD_SA" "not INSTALLED"
fi
if lx cgw busybox ping -c 2 -W 2 -q -I 10.99.0.1 10.0.0.10 >/dev/null 2>&1 &&
	sas --ike aws | grep -Eq '^ +out [0-9a-f]+, +[1-9][0-9]* bytes'; then
	ok "A: ping 10.99.0.1 -> 10.0.0.10 crosses the tunnel (ESP out counter > 0)"
else
	fail "A: ping across the tunnel" "no reply or counters zero"
fi
resp=$(timeout 10 swanctl --list-sas --uri "unix://$LAB_DIR/aws/run/charon.vici" 2>/dev/null)
if printf '%s\n' "$resp" | grep -q '^cgw: #[0-9]*, ESTABLISHED, IKEv2, [0-9a-f]*_i [0-9a-f]*_r\*'; then
	ok "A: the aws side holds the SA as responder"
else
	fail "A: aws side" "no responder IKE_SA"
fi

# the same through IKEv1 Main Mode (a second IKE_SA and CHILD_SA next to the IKEv2 ones)
out=$(lx cgw swanctl --initiate --child vpc1 2>&1)
if printf '%s\n' "$out" | grep -q 'initiate completed successfully' &&
	sas --ike aws1 | grep -q '^aws1: #[0-9]*, ESTABLISHED, IKEv1'; then
	ok "A: responder accepts an IKEv1 Main Mode initiator"
else
	fail "A: IKEv1 initiator" "$(printf '%s\n' "$out" | grep -E 'IKE\]|error' | tail -n 3 | tr '\n' ' ')"
fi

# a mismatched proposal (3DES): NO_PROPOSAL_CHOSEN, no SA
out=$(lx cgw swanctl --initiate --ike bad 2>&1)
if printf '%s\n' "$out" | grep -q 'received NO_PROPOSAL_CHOSEN notify error' &&
	! sas --ike bad | grep -q ESTABLISHED; then
	ok "A: responder refuses 3des-sha1-modp1024 (NO_PROPOSAL_CHOSEN)"
else
	fail "A: mismatched proposal" "$(printf '%s\n' "$out" | grep -E 'IKE\]' | tail -n 2 | tr '\n' ' ')"
fi

# ike-scan, IKEv1 Main Mode from an ephemeral port (charon holds 500)
if [ "$HAVE_IKESCAN" = 1 ]; then
	out=$(lx cgw ike-scan --sport=0 -M --trans=7/256,5,1,14 "$AWS_IP" 2>&1)
	if printf '%s\n' "$out" | grep -q 'Main Mode Handshake returned' &&
		printf '%s\n' "$out" | grep -q 'Enc=AES KeyLength=256 Hash=SHA2-384 Group=14:modp2048 Auth=PSK'; then
		ok "A: ike-scan IKEv1 AES256/SHA2-384/group 14/PSK accepted"
	else
		fail "A: ike-scan accepted" "$(printf '%s\n' "$out" | sed -n 2p)"
	fi
	out=$(lx cgw ike-scan --sport=0 -M --trans=5,2,1,2 "$AWS_IP" 2>&1)
	if printf '%s\n' "$out" | grep -q 'NO-PROPOSAL-CHOSEN'; then
		ok "A: ike-scan IKEv1 3DES/SHA1/group 2 refused (NO-PROPOSAL-CHOSEN)"
	else
		fail "A: ike-scan refused" "$(printf '%s\n' "$out" | sed -n 2p)"
	fi
	r=$(half_open_replies)
	if [ "$r" = "handshake handshake handshake handshake handshake " ]; then
		ok "A: raised thresholds: 5 half-open IKE_SAs from one source, no COOKIE"
	else
		fail "A: raised thresholds" "$r"
	fi
else
	skip "A: ike-scan" "ike-scan not installed"
fi
lab_down_clean A

# ---- lab B: behind NAT, one responder proposal, IKEv2 only ---------------------------------
t0=$SECONDS
if ! lab_up_named b --nat --ike v2 --responder-proposals aes256-sha256-modp2048; then
	fail "B: up" "$(tail -n 5 "$IT_TMP/b.up" | tr '\n' ' ')"
	it_finish
fi
nns=$(lab_ns "$LAB_DIR")
if [ "$nns" -eq 4 ]; then
	ok "B: up with the NAT router: 4 namespaces ($((SECONDS - t0)) s)"
else
	fail "B: up" "$nns namespaces"
fi

out=$(lx cgw swanctl --initiate --child vpc 2>&1)
if printf '%s\n' "$out" | grep -q 'initiate completed successfully' &&
	printf '%s\n' "$out" | grep -q 'local host is behind NAT' &&
	sas --ike aws | grep -q 'AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048'; then
	ok "B: through SNAT: established with aes256-sha256-modp2048, NAT detected"
else
	fail "B: through SNAT" "$(printf '%s\n' "$out" | grep -E 'IKE\]' | tail -n 3 | tr '\n' ' ')"
fi
if lx cgw busybox ping -c 2 -W 2 -q -I 10.99.0.1 10.0.0.10 >/dev/null 2>&1; then
	ok "B: ping across the tunnel behind NAT"
else
	fail "B: ping behind NAT" "no reply"
fi

if [ "$HAVE_IKESCAN" = 1 ]; then
	# registered source: the responder answers (NO_PROPOSAL_CHOSEN to ike-scan's fixed offer)
	out=$(lx cgw ike-scan --sport=0 --ikev2 "$AWS_IP" 2>&1)
	if printf '%s\n' "$out" | grep -Eq '1 returned (handshake|notify)|returned handshake; 1 returned notify'; then
		ok "B: IKEv2 from the registered CGW IP is answered"
	else
		fail "B: registered source" "$(printf '%s\n' "$out" | tail -n 1)"
	fi
	# SNAT to a non-registered address: silence
	lx nat ip addr add 198.51.100.20/24 dev out0 &&
		lx nat iptables -t nat -I POSTROUTING 1 -o out0 -j SNAT --to-source 198.51.100.20
	t1=$SECONDS
	out=$(lx cgw ike-scan --sport=0 --ikev2 "$AWS_IP" 2>&1)
	drops=$(lx aws iptables -vnxL INPUT 2>/dev/null | awk '/DROP/ && /multiport/ {print $1; exit}')
	if printf '%s\n' "$out" | grep -q '0 returned handshake; 0 returned notify' && [ "${drops:-0}" -gt 0 ]; then
		ok "B: IKE from non-registered 198.51.100.20 gets no answer ($drops packets dropped, $((SECONDS - t1)) s)"
	else
		fail "B: non-registered source" "$(printf '%s\n' "$out" | tail -n 1); drops=${drops:-?}"
	fi
else
	skip "B: registered/non-registered source" "ike-scan not installed"
fi
lab_down_clean B

# ---- lab C: charon's default half-open / cookie thresholds --------------------------------
if [ "$HAVE_IKESCAN" = 1 ]; then
	if lab_up_named c --default-thresholds; then
		r=$(half_open_replies)
		if [ "$r" = "handshake handshake handshake cookie cookie " ]; then
			ok "C: default thresholds: COOKIE from the 4th half-open IKE_SA of one source"
		else
			fail "C: default thresholds" "$r"
		fi
		lab_down_clean C
	else
		fail "C: up" "$(tail -n 5 "$IT_TMP/c.up" | tr '\n' ' ')"
	fi
else
	skip "C: default thresholds" "ike-scan not installed"
fi

it_finish
