#!/bin/bash
# vpn-routes on real describe-* outputs: ../shared/samples/batfish/representation/aws/
# test-vpn-gateway (Batfish's test data). The golden report was checked by hand against the
# JSON: one VPC 10.0.0.0/16, its main table rtb-0d20fcae075afe460 has no propagation and a
# static 0.0.0.0/0 to vgw-0c09bd7fadac961bf (routes.default), both tunnels DOWN with
# "IPSEC IS DOWN" (tunnel.status x2, tunnel.redundancy fail), no static VPN routes and BGP
# (so no remote network is known: routes.coverage skip).
# A variant made at test time (samples are never copied into the project): propagation
# "removed" (PropagatingVgws emptied) and a shadowing static route 192.168.0.0/16 -> a
# peering connection added, judged for --remote-cidr 192.168.0.0/16: routes.propagation
# fail and routes.shadowed (the static /16 beats the default route to the gateway).
# Skips with a message when ../shared/samples is absent.

. "$(dirname "$0")/lib.sh"

S=$IT_ROOT/../shared/samples/batfish/representation/aws/test-vpn-gateway/aws_configs
VR=${VPN_ROUTES:-$IT_ROOT/bin/vpn-routes}
G=$IT_ROOT/testdata/golden/routes

if [ ! -d "$S" ]; then
	skip "test_routes_samples" "../shared/samples/batfish is absent"
	it_finish
fi
[ -x "$VR" ] || { skip "test_routes_samples" "$VR not built (make)"; it_finish; }
it_init
trap it_cleanup EXIT

args=()
for f in VpnConnections VpnGateways CustomerGateways RouteTables Subnets Vpcs; do
	args+=(--aws-file "$S/$f.json")
done

# golden NAME CMD...: stdout + exit status against testdata/golden/routes/NAME.out
golden() {
	local name=$1; shift
	{ "$@"; echo "# exit $?"; } >"$IT_TMP/$name.out" 2>&1
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$IT_TMP/$name.out" "$G/$name.out"
		ok "$name (golden rewritten)"
	elif diff -u "$G/$name.out" "$IT_TMP/$name.out" >"$IT_TMP/$name.diff"; then
		ok "$name matches its golden"
	else
		fail "$name" "$(head -n 20 "$IT_TMP/$name.diff")"
	fi
}

golden batfish-sample "$VR" "${args[@]}"

mkdir -p "$IT_TMP/variant"
python3 - "$S" "$IT_TMP/variant" <<'PY'
import json, sys, shutil, os
src, dst = sys.argv[1], sys.argv[2]
for f in ["VpnConnections", "VpnGateways", "CustomerGateways", "Subnets", "Vpcs"]:
    shutil.copy(os.path.join(src, f + ".json"), os.path.join(dst, f + ".json"))
rt = json.load(open(os.path.join(src, "RouteTables.json")))
for t in rt["RouteTables"]:
    t["PropagatingVgws"] = []
    t["Routes"].append({"DestinationCidrBlock": "192.168.0.0/16",
                        "VpcPeeringConnectionId": "pcx-0aaaabbbbcccc0001",
                        "Origin": "CreateRoute", "State": "active"})
json.dump(rt, open(os.path.join(dst, "RouteTables.json"), "w"), indent=1)
PY
golden batfish-variant "$VR" --aws-dir "$IT_TMP/variant" --remote-cidr 192.168.0.0/16
if grep -q '^\[FAIL\] routes.propagation  rtb-0d20fcae075afe460' "$IT_TMP/batfish-variant.out" &&
	grep -q '^\[FAIL\] routes.shadowed  rtb-0d20fcae075afe460 192.168.0.0/16: .*pcx-0aaaabbbbcccc0001' "$IT_TMP/batfish-variant.out"; then
	ok "variant: propagation off and the shadowing static route are both named"
else
	fail "variant diagnosis" "$(grep -E 'FAIL|WARN' "$IT_TMP/batfish-variant.out" | head)"
fi
it_finish
