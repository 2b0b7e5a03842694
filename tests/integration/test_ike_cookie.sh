#!/bin/bash
# vpn-ike probe against strongSwan's own DoS protection, with its default thresholds (the
# one lab run that keeps them: `lab.sh up --default-thresholds`). strongSwan 5.9's receiver
# counts, per source IP, the responder IKE_SAs that are half-open (answered IKE_SA_INIT or
# Main Mode 1, no AUTH yet; deleted after half_open_timeout, 30 s):
#   cookie_threshold_ip 3: an IKEv2 IKE_SA_INIT from an IP with >= 3 half-open gets COOKIE
#                          (no state kept); echoed, it is processed normally. IKEv1 has no
#                          cookies.
#   block_threshold 5:     a request from an IP with >= 5 half-open is dropped in silence,
#                          after the cookie check (so IKEv2 first gets COOKIE, then silence).
# Shown here, all from the customer gateway namespace (one source IP), the responder
# accepting four AWS combinations:
#   --enumerate (--half-open 3) finds exactly those four with no COOKIE and no block, one
#   pause for the half-open limit
#   probes 1-3 accepted without COOKIE, leaving 1, 2, 3 half-open SAs at the responder
#   with 3 half-open, even a proposal the responder refuses costs a COOKIE round trip first
#   probe 4: COOKIE, honoured (the resend echoes it, charon parses N(COOKIE) first), accepted
#   probe 5: the same (5 half-open); probe 6: COOKIE honoured, then no_response
#   after half_open_timeout all five are deleted and a probe is accepted without COOKIE
#   IKEv1 (no cookies): accepted up to 5 half-open per IP (IKEv1 and IKEv2 SAs together),
#   then no_response
# The responder's charon.log must show every COOKIE it sent and every request it ignored.
# Skips cleanly without root, namespaces or strongSwan.

. "$(dirname "$0")/lib.sh"

LAB="$IT_ROOT/tests/lab/lab.sh"
AWS_IP=203.0.113.1
CGW_IP=198.51.100.10
VPN_IKE=${VPN_IKE:-$IT_ROOT/bin/vpn-ike}
GOOD=aes256-sha256-modp2048
BAD=3des-sha1-modp1024
# four AWS combinations: --enumerate needs one pause for the half-open limit to find them
RESPONDER=aes256-sha256-modp2048-modp3072-ecp256,aes128-sha1-modp1024

if ! why=$(it_unsupported); then
	skip "test_ike_cookie" "$why"
	it_finish
fi
CHARON=${CHARON:-/usr/lib/ipsec/charon}
export CHARON
for t in "$CHARON" swanctl python3; do
	if ! command -v "$t" >/dev/null; then
		skip "test_ike_cookie" "$t missing (scripts/deps.sh test)"
		it_finish
	fi
done
if [ ! -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] ||
	[ ! -e /usr/lib/ipsec/plugins/libstrongswan-openssl.so ]; then
	skip "test_ike_cookie" "strongSwan plugins missing (libcharon-extra-plugins, libstrongswan-standard-plugins)"
	it_finish
fi
[ -c /dev/net/tun ] || { skip "test_ike_cookie" "no /dev/net/tun for kernel-libipsec"; it_finish; }
[ -x "$VPN_IKE" ] || { skip "test_ike_cookie" "$VPN_IKE not built (make)"; it_finish; }

it_init
LAB_DIR="$IT_TMP/lab"
export LAB_DIR
lab_cleanup() {
	[ -f "$LAB_DIR/id" ] && "$LAB" down >/dev/null 2>&1
	it_cleanup
}
trap lab_cleanup EXIT

t0=$SECONDS
if ! timeout 60 "$LAB" up --default-thresholds --responder-proposals "$RESPONDER" >"$IT_TMP/up" 2>&1; then
	fail "lab up --default-thresholds" "$(tail -n 5 "$IT_TMP/up" | tr '\n' ' ')"
	it_finish
fi
LOG="$LAB_DIR/aws/charon.log"
if grep -Eq 'cookie_threshold|block_threshold|init_limit' "$LAB_DIR/aws/strongswan.conf"; then
	fail "default thresholds" "aws/strongswan.conf sets a threshold"
	it_finish
fi
ok "lab up with strongSwan's default half-open and cookie thresholds ($((SECONDS - t0)) s)"

# probe NAME ARGS...: vpn-ike probe --json from cgw; output in $IT_TMP/NAME, exit in $RC,
# evidence in $RES (result), $CK (cookie_honoured), $SENT, $RECV.
probe() {
	local name=$1; shift
	timeout "$IT_T" "$LAB" exec cgw "$VPN_IKE" probe "$AWS_IP" --json "$@" \
		>"$IT_TMP/$name" 2>"$IT_TMP/$name.err"
	RC=$?
	read -r RES CK SENT RECV < <(python3 - "$IT_TMP/$name" <<'PY' 2>/dev/null
import json, sys
try:
    f = json.load(open(sys.argv[1]))["findings"][0]
    assert f["check"] == "ike.probe"
    e = f["evidence"]
    print(e["result"], str(e["cookie_honoured"]).lower(), e["sent"], e["received"])
except Exception:
    print("unparsable - - -")
PY
	)
}
# half_open: the responder's half-open IKE_SA count (swanctl --stats)
half_open() {
	timeout 10 "$LAB" exec aws swanctl --stats 2>/dev/null |
		sed -n 's/^IKE_SAs: [0-9]* total, \([0-9]*\) half-open.*/\1/p'
}
log_count() { grep -c "$1" "$LOG"; }
# expect DESC WANT_RC WANT_RESULT WANT_COOKIE WANT_HALF_OPEN
expect() {
	local h
	h=$(half_open)
	if [ "$RC" -eq "$2" ] && [ "$RES" = "$3" ] && [ "$CK" = "$4" ] && [ "$h" = "$5" ]; then
		ok "$1 (sent $SENT, received $RECV; half-open $h)"
	else
		fail "$1" "exit $RC result $RES cookie_honoured $CK half-open $h (want $2 $3 $4 $5): $(tr '\n' ' ' <"$IT_TMP/$NAME.err")"
	fi
}

COOKIE_LINE="sending COOKIE notify to $CGW_IP"
BLOCK_LINE="ignoring IKE_SA setup from $CGW_IP, per-IP half-open IKE_SA limit of 5 reached"

# ---- --enumerate keeps below the thresholds --------------------------------------------
# --half-open 3 (the default): at most 3 accepted answers in any 31 s, so every request
# meets at most 2 of our half-open SAs: no COOKIE, never the block.
t1=$SECONDS
timeout 300 "$LAB" exec cgw "$VPN_IKE" probe "$AWS_IP" --enumerate --json \
	>"$IT_TMP/enum" 2>"$IT_TMP/enum.err"
RC=$?
if summary=$(python3 - "$IT_TMP/enum" 2>&1 <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["findings"][0]
e = f["evidence"]
want = {"aes256-sha256-modp2048", "aes256-sha256-modp3072", "aes256-sha256-ecp256",
        "aes128-sha1-modp1024"}
assert f["check"] == "ike.enumerate", f["check"]
assert e["complete"] is True, e
assert set(e["accepted"]) == want, e["accepted"]
assert e["cookies"] == 0 and e["paced"] >= 1, e
print("%d requests, %d datagrams, %d pause(s) taking %.1f s, %.1f s in all"
      % (e["requests"], e["datagrams"], e["paced"], e["paced_s"], e["elapsed_s"]))
PY
) && [ "$RC" -eq 0 ]; then
	ok "--enumerate under the default thresholds: the 4 combinations, no COOKIE ($summary)"
else
	fail "--enumerate under the default thresholds" "exit $RC: $summary $(tr '\n' ' ' <"$IT_TMP/enum") $(tr '\n' ' ' <"$IT_TMP/enum.err")"
fi
if [ "$(log_count "$COOKIE_LINE")" = 0 ] && [ "$(log_count "$BLOCK_LINE")" = 0 ]; then
	ok "charon.log: no COOKIE sent and no request ignored during --enumerate"
else
	fail "charon.log during --enumerate" "$(log_count "$COOKIE_LINE") COOKIEs, $(log_count "$BLOCK_LINE") ignored"
fi
# its last half-open SAs must go before the cookie cases start from zero
end=$((SECONDS + 40))
while [ "$(half_open)" != 0 ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.5; done
note "--enumerate and the wait for its half-open SAs: $((SECONDS - t1)) s"
del0=$(log_count "deleting half open IKE_SA with $CGW_IP after timeout")

# ---- single probes: COOKIE, then the block ---------------------------------------------
[ "$(half_open)" = 0 ] || fail "half-open count" "not 0 before the first probe: '$(half_open)'"
t_first=$SECONDS
for i in 1 2 3; do
	NAME=v2_$i
	probe "$NAME" --proposal "$GOOD"
	expect "IKEv2 probe $i: accepted without COOKIE, $i half-open" 0 accepted false "$i"
done
if [ "$(log_count "$COOKIE_LINE")" = 0 ]; then
	ok "no COOKIE sent below cookie_threshold_ip"
else
	fail "no COOKIE below the threshold" "$(log_count "$COOKIE_LINE") in charon.log"
fi

NAME=v2_refused
probe "$NAME" --proposal "$BAD"
expect "with 3 half-open a refused proposal gets COOKIE first, then no_proposal_chosen" \
	1 no_proposal_chosen true 3

c0=$(log_count "$COOKIE_LINE")
p0=$(log_count 'parsed IKE_SA_INIT request 0 \[ N(COOKIE) SA KE No')
NAME=v2_4
probe "$NAME" --proposal "$GOOD"
expect "IKEv2 probe 4: COOKIE, honoured, then accepted" 0 accepted true 4
if [ "$(log_count "$COOKIE_LINE")" = $((c0 + 1)) ] &&
	[ "$(log_count 'parsed IKE_SA_INIT request 0 \[ N(COOKIE) SA KE No')" = $((p0 + 1)) ]; then
	ok "charon.log: the responder sent one COOKIE and parsed the resend with N(COOKIE) first"
else
	fail "charon.log COOKIE" "COOKIE lines $c0 -> $(log_count "$COOKIE_LINE"), N(COOKIE) requests $p0 -> $(log_count 'parsed IKE_SA_INIT request 0 \[ N(COOKIE)')"
fi

NAME=v2_5
probe "$NAME" --proposal "$GOOD"
expect "IKEv2 probe 5: COOKIE, honoured, accepted (5 half-open: block_threshold)" 0 accepted true 5

b0=$(log_count "$BLOCK_LINE")
t1=$SECONDS
NAME=v2_6
probe "$NAME" --proposal "$GOOD"
expect "IKEv2 probe 6: COOKIE honoured, then silence: no_response in $((SECONDS - t1)) s" \
	1 no_response true 5
# the cookie'd request and its two retransmissions are each ignored
if [ "$(log_count "$BLOCK_LINE")" = $((b0 + 3)) ]; then
	ok "charon.log: 3 requests ignored, per-IP half-open IKE_SA limit of 5 reached"
else
	fail "charon.log block" "'limit of 5 reached' lines $b0 -> $(log_count "$BLOCK_LINE")"
fi

# half_open_timeout: every half-open SA goes 30 s after its IKE_SA_INIT
end=$((t_first + 45))
while [ "$(half_open)" != 0 ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.5; done
if [ "$(half_open)" = 0 ] &&
	[ "$(log_count "deleting half open IKE_SA with $CGW_IP after timeout")" = $((del0 + 5)) ]; then
	ok "all 5 half-open SAs deleted after half_open_timeout ($((SECONDS - t_first)) s after the first probe)"
else
	fail "half_open_timeout" "half-open $(half_open) after $((SECONDS - t_first)) s"
fi

NAME=v2_again
probe "$NAME" --proposal "$GOOD"
expect "after the timeout: accepted without COOKIE again" 0 accepted false 1

# IKEv1: no cookies; the per-IP count is shared with the IKEv2 SA above
for i in 2 3 4 5; do
	NAME=v1_$i
	probe "$NAME" --ikev1 --proposal "$GOOD"
	expect "IKEv1 probe: accepted, no COOKIE in IKEv1, $i half-open" 0 accepted false "$i"
done
b0=$(log_count "$BLOCK_LINE")
t1=$SECONDS
NAME=v1_6
probe "$NAME" --ikev1 --proposal "$GOOD"
expect "IKEv1 with 5 half-open: no_response in $((SECONDS - t1)) s" 1 no_response false 5
if [ "$(log_count "$BLOCK_LINE")" = $((b0 + 3)) ]; then
	ok "charon.log: the IKEv1 request and its retransmissions ignored at the limit of 5"
else
	fail "charon.log IKEv1 block" "'limit of 5 reached' lines $b0 -> $(log_count "$BLOCK_LINE")"
fi

timeout 30 "$LAB" down >/dev/null 2>&1 || fail "lab down" "lab.sh down failed"
note "total $((SECONDS - t0)) s"
it_finish
