#!/bin/bash
# vpn-ike probe against the lab's AWS-like strongSwan responder (tests/lab/lab.sh), from the
# customer gateway namespace. One lab, responder proposals aes128-sha1-modp1024 only, both
# IKE versions:
#   IKEv2 aes128-sha1-modp1024          accepted, with the chosen transforms, no NAT
#   IKEv2 3des-sha1-modp1024            no_proposal_chosen (exit 1)
#   IKEv2 aes128-sha1-modp2048-modp1024 invalid_ke naming group 2, the retry accepted
#   IKEv1 aes128-sha1-modp1024          accepted; IKEv1 3des-sha1-modp1024 refused
#   --json                              the report shape, check id ike.probe
# A second lab with --nat: NAT between us is reported from the responder's NAT-D (ports 500
# and 4500), and a probe SNAT'ed to a non-registered source gets no_response (exit 1).
# Without a lab: --write-packet --fixed is byte for byte repeatable.
# Skips cleanly without root, namespaces or strongSwan.

. "$(dirname "$0")/lib.sh"

LAB="$IT_ROOT/tests/lab/lab.sh"
AWS_IP=203.0.113.1
VPN_IKE=${VPN_IKE:-$IT_ROOT/bin/vpn-ike}

if ! why=$(it_unsupported); then
	skip "test_ike_probe" "$why"
	it_finish
fi
CHARON=${CHARON:-/usr/lib/ipsec/charon}
export CHARON
for t in "$CHARON" swanctl; do
	if ! command -v "$t" >/dev/null; then
		skip "test_ike_probe" "strongSwan not installed ($t missing; scripts/deps.sh test)"
		it_finish
	fi
done
if [ ! -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
	[ ! -e /usr/lib/ipsec/plugins/libstrongswan-openssl.so ]; then
	skip "test_ike_probe" "strongSwan plugins missing (libcharon-extra-plugins, libstrongswan-standard-plugins)"
	it_finish
fi
[ -c /dev/net/tun ] || { skip "test_ike_probe" "no /dev/net/tun for kernel-libipsec"; it_finish; }
[ -x "$VPN_IKE" ] || { skip "test_ike_probe" "$VPN_IKE not built (make)"; it_finish; }

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

"$VPN_IKE" probe --write-packet "$IT_TMP/req1" --fixed --proposal aes128-sha1-modp2048
"$VPN_IKE" probe --write-packet "$IT_TMP/req2" --fixed --proposal aes128-sha1-modp2048
if cmp -s "$IT_TMP/req1" "$IT_TMP/req2" && [ -s "$IT_TMP/req1" ]; then
	ok "--write-packet --fixed is repeatable ($(stat -c %s "$IT_TMP/req1") bytes)"
else
	fail "--write-packet --fixed" "two runs differ or are empty"
fi

LAB_DIR="$IT_TMP/lab"
LABS+=("$LAB_DIR")
export LAB_DIR
t0=$SECONDS
if ! timeout 60 "$LAB" up --responder-proposals aes128-sha1-modp1024 >"$IT_TMP/up" 2>&1; then
	fail "lab up" "$(tail -n 5 "$IT_TMP/up" | tr '\n' ' ')"
	it_finish
fi
note "lab up in $((SECONDS - t0)) s"

# ike NAME ARGS...: runs vpn-ike probe from cgw; output in $IT_TMP/NAME, status in $RC
ike() {
	local name=$1; shift
	timeout "$IT_T" "$LAB" exec cgw "$VPN_IKE" probe "$AWS_IP" "$@" >"$IT_TMP/$name" 2>&1
	RC=$?
}
# expect NAME WANT_RC REGEX DESCRIPTION
expect() {
	if [ "$RC" -eq "$2" ] && grep -Eq "$3" "$IT_TMP/$1"; then
		ok "$4"
	else
		fail "$4" "exit $RC, output: $(tr '\n' ' ' <"$IT_TMP/$1")"
	fi
}

ike v2ok --ikev2 --proposal aes128-sha1-modp1024
expect v2ok 0 '^aes128-sha1-modp1024: accepted aes128-sha1-prfsha1-modp1024 \[pass\] nat=none' \
	"IKEv2 matching proposal accepted with its transforms, no NAT"
grep -Eq 'from local port [0-9]+ \((bound|ephemeral)' "$IT_TMP/v2ok" &&
	ok "says which local port it sent from" ||
	fail "local port" "$(head -n 1 "$IT_TMP/v2ok")"

ike v2no --ikev2 --proposal 3des-sha1-modp1024
expect v2no 1 '^3des-sha1-modp1024: no_proposal_chosen \[warn\]' \
	"IKEv2 3DES gets no_proposal_chosen (exit 1)"

ike v2ke --ikev2 --proposal aes128-sha1-modp2048-modp1024
expect v2ke 0 'invalid_ke, the responder wants group 2 \(modp1024\); retry: accepted aes128-sha1-prfsha1-modp1024' \
	"IKEv2 modp2048 first: invalid_ke naming group 2, the retry accepted"

ike v1ok --ikev1 --proposal aes128-sha1-modp1024
expect v1ok 0 '^aes128-sha1-modp1024: accepted aes128-sha1-modp1024 \(auth 1, lifetime 28800 s\) \[pass\]' \
	"IKEv1 matching proposal accepted"

ike v1no --ikev1 --proposal 3des-sha1-modp1024
expect v1no 1 '^3des-sha1-modp1024: no_proposal_chosen \[warn\]' "IKEv1 3DES refused"

ike json --ikev2 --json --proposal aes128-sha1-modp1024 --proposal 3des-sha1-modp1024
if [ "$RC" -eq 1 ] && python3 - "$IT_TMP/json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
f = r["findings"]
assert r["tool"] == "vpn-ike" and r["schema_version"] == 1 and r["verdict"] == "warn"
assert [x["check"] for x in f] == ["ike.probe", "ike.probe"]
assert [x["evidence"]["result"] for x in f] == ["accepted", "no_proposal_chosen"]
assert [x["status"] for x in f] == ["pass", "warn"]
PY
then ok "--json: report with two ike.probe findings, verdict warn"
else fail "--json" "exit $RC: $(tr '\n' ' ' <"$IT_TMP/json")"
fi

timeout 30 "$LAB" down >/dev/null 2>&1 || fail "lab down" "lab.sh down failed"

# ---- lab with a NAT router ---------------------------------------------------------------
LAB_DIR="$IT_TMP/natlab"
LABS+=("$LAB_DIR")
if ! timeout 60 "$LAB" up --nat --ike v2 >"$IT_TMP/up2" 2>&1; then
	fail "nat lab up" "$(tail -n 5 "$IT_TMP/up2" | tr '\n' ' ')"
	it_finish
fi
ike nat500 --proposal aes256-sha256-modp2048
expect nat500 0 '^aes256-sha256-modp2048: accepted .*\[pass\] nat=detected' \
	"behind the NAT router: accepted, NAT detected from NAT-D (port 500)"
ike nat4500 --proposal aes256-sha256-modp2048 --port 4500
expect nat4500 0 '^aes256-sha256-modp2048: accepted .*\[pass\] nat=detected' \
	"NAT-T port 4500 with the non-ESP marker: accepted, NAT detected"

# a source the responder does not know: silence, as at AWS
timeout "$IT_T" "$LAB" exec nat ip addr add 198.51.100.20/24 dev out0
timeout "$IT_T" "$LAB" exec nat iptables -t nat -I POSTROUTING 1 -o out0 -j SNAT --to-source 198.51.100.20
t1=$SECONDS
ike silent --proposal aes256-sha256-modp2048
expect silent 1 'no_response after 3 requests \[warn\]' \
	"non-registered source: no_response after 3 requests in $((SECONDS - t1)) s (exit 1)"

note "total $((SECONDS - t0)) s"
it_finish
