#!/bin/bash
# vpn-ike probe --enumerate against the lab's strongSwan responder (tests/lab/lab.sh), from
# the customer gateway namespace: for three responder configurations, in both IKE
# versions, the accepted set must be exactly the configured one (the configuration's
# combinations inside AWS's phase 1 space; written out below by hand or by loops over the
# space, independently of the tool), with the request counts the narrowing promises.
#   config A  aes256-sha256-modp2048 + aes128-aes256-sha1-sha256-ecp256-modp3072  (9 / 9)
#   config B  aes256gcm16-prfsha384-ecp384 + aes128-sha1-modp1024-modp2048s256     (3 / 2)
#   config C  the lab's AWS list: every AWS phase 1 combination                   (192 / 96)
# Skips cleanly without root, namespaces or strongSwan.

. "$(dirname "$0")/lib.sh"

AWS_IP=203.0.113.1
VPN_IKE=${VPN_IKE:-$IT_ROOT/bin/vpn-ike}

if ! why=$(lab_unsupported); then
	skip "test_ike_enumerate" "$why"
	it_finish
fi
[ -x "$VPN_IKE" ] || { skip "test_ike_enumerate" "$VPN_IKE not built (make)"; it_finish; }
it_init
trap lab_cleanup EXIT


# enumerate NAME VERSION [ARGS...]: JSON report in $IT_TMP/NAME.json, status in $RC
enumerate() {
	local name=$1 v=$2; shift 2
	timeout 600 "$LAB" exec cgw "$VPN_IKE" probe "$AWS_IP" "--ikev$v" --enumerate --json "$@" \
		>"$IT_TMP/$name.json" 2>"$IT_TMP/$name.err"
	RC=$?
}

# check NAME WANT_REQUESTS_MAX EXPECTED...: exit 0, complete, accepted == expected (as
# sets, order-free), requests <= the bound the narrowing promises
check() {
	local name=$1 maxreq=$2; shift 2
	local out
	if out=$(python3 - "$IT_TMP/$name.json" "$maxreq" "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
maxreq = int(sys.argv[2]); want = set(sys.argv[3:])
f = [x for x in r["findings"] if x["check"] == "ike.enumerate"]
assert len(f) == 1, "one ike.enumerate finding"
ev = f[0]["evidence"]
got = set(ev["accepted"])
assert ev["complete"], "incomplete: " + ev.get("reason", "")
assert got == want, "missing %s, extra %s" % (sorted(want - got), sorted(got - want))
assert ev["requests"] <= maxreq, "%d requests, more than %d" % (ev["requests"], maxreq)
assert f[0]["status"] == "pass"
print("%d accepted of %d, %d requests, %d datagrams, %d INVALID_KE, %.2f s" % (
    len(got), ev["space"], ev["requests"], ev["datagrams"], ev["invalid_ke"], ev["elapsed_s"]))
PY
	); then
		[ "$RC" -eq 0 ] && ok "$name: exact set; $out" || fail "$name" "exit $RC with $out"
	else
		fail "$name" "exit $RC: $out $(head -c 400 "$IT_TMP/$name.err")"
	fi
}

# The AWS space, written out: encryption x integrity x group names (strongSwan syntax).
GROUPS_ALL="modp1024 modp2048 modp3072 modp4096 modp6144 modp8192 ecp256 ecp384 ecp521 modp1024s160 modp2048s224 modp2048s256"
product() { # product "ENCS" "INTEGS" "GROUPS"
	local e i g
	for e in $1; do for i in $2; do for g in $3; do echo "$e-$i-$g"; done; done; done
}

# ---- config A: two proposals, products that overlap in aes256-sha256 ------------------
A="aes256-sha256-modp2048,aes128-aes256-sha1-sha256-ecp256-modp3072"
SET_A="aes256-sha256-modp2048 $(product "aes128 aes256" "sha1 sha256" "ecp256 modp3072")"
if lab_start A --responder-proposals "$A"; then
	# 9 accepted + at most 3 closing requests each, + INVALID_KE retries (one per group)
	enumerate A-v2 2 --half-open 100000
	check A-v2 40 $SET_A
	enumerate A-v1 1 --half-open 100000
	check A-v1 $((9 + 4)) $SET_A
fi

# ---- config B: AEAD with its own PRF, and groups 2 and 24 ------------------------------
B="aes256gcm16-prfsha384-ecp384,aes128-sha1-modp1024-modp2048s256"
if lab_start B --responder-proposals "$B"; then
	enumerate B-v2 2 --half-open 100000
	check B-v2 16 aes256gcm16-prfsha384-ecp384 aes128-sha1-modp1024 aes128-sha1-modp2048s256
	# IKEv1 has no GCM: strongSwan offers only the CBC proposal there
	enumerate B-v1 1 --half-open 100000
	check B-v1 6 aes128-sha1-modp1024 aes128-sha1-modp2048s256
fi

# ---- config C: the lab's default, AWS's whole phase 1 list -----------------------------
if lab_start C; then
	SET_C="$(product "aes128 aes256" "sha1 sha256 sha384 sha512" "$GROUPS_ALL")
$(product "aes128gcm16 aes256gcm16" "prfsha1 prfsha256 prfsha384 prfsha512" "$GROUPS_ALL")"
	enumerate C-v2 2 --half-open 100000
	# each answer names one combination: 192 requests + one INVALID_KE retry per group
	check C-v2 $((192 + 12)) $SET_C
	enumerate C-v1 1 --half-open 100000
	check C-v1 96 $(product "aes128 aes256" "sha1 sha256 sha384 sha512" "$GROUPS_ALL")
fi

# strongSwan's default thresholds with the default pacing are exercised once, by
# tests/integration/test_ike_cookie.sh (one 31 s pause; not repeated here).

# ---- usage ------------------------------------------------------------------------------
"$VPN_IKE" probe 127.0.0.1 --enumerate --proposal aes128-sha1-modp2048 >/dev/null 2>"$IT_TMP/u1"
rc=$?
[ "$rc" -eq 64 ] && grep -q -- '--enumerate' "$IT_TMP/u1" &&
	ok "--enumerate with --proposal is a usage error (64)" ||
	fail "--enumerate --proposal" "exit $rc: $(cat "$IT_TMP/u1")"
"$VPN_IKE" probe 127.0.0.1 --half-open 2 >/dev/null 2>"$IT_TMP/u2"
rc=$?
[ "$rc" -eq 64 ] && ok "--half-open without --enumerate is a usage error (64)" ||
	fail "--half-open alone" "exit $rc: $(cat "$IT_TMP/u2")"

it_finish
