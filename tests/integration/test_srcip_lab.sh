#!/bin/bash
# vpn-srcip in the IKE lab (tests/lab/lab.sh), run in the customer gateway namespace with
# all four kinds of evidence: the route, a local HTTP echo service the test runs in the
# "AWS" namespace (203.0.113.1:8080, answering with the client's address), a live capture
# on the gateway's eth0, and an IKE probe of the lab's responder (which, like AWS, drops
# IKE from any source but the registered 198.51.100.10).
#   no NAT                      -> match, no NAT
#   NAT to the registered IP    -> match through a NAT (UDP 4500 required)
#   NAT to 198.51.100.20        -> mismatch naming .20, the capture shows the probe's
#                                  retransmissions going unanswered
# Then the same NAT-to-another setup as an unprivileged user: evidence 1, 2 and 4 are
# there, the capture is a "skip" that says why, and the exit status is the same.
# The captures are saved; with SRCIP_RECORD=DIR they are copied there (how
# testdata/srcip/*.pcap were made).
# Skips cleanly without root, namespaces or strongSwan.

. "$(dirname "$0")/lib.sh"

AWS_IP=203.0.113.1
VS=${VPN_SRCIP:-$IT_ROOT/bin/vpn-srcip}

if ! why=$(lab_unsupported); then
	skip "test_srcip_lab" "$why"
	it_finish
fi
[ -x "$VS" ] || { skip "test_srcip_lab" "$VS not built (make)"; it_finish; }
it_init
trap lab_cleanup EXIT



# srcip NAME [USER]: vpn-srcip from cgw, JSON in $IT_TMP/NAME.json, status in $RC
srcip() {
	local name=$1 user=${2:-}
	local run=("$VS" --cgw-ip 198.51.100.10 --peer "$AWS_IP" --echo-url "http://$AWS_IP:8080/"
		--capture eth0 --seconds 3 --save-pcap "$IT_TMP/$name.pcap" --probe-wait 300 --json)
	if [ -n "$user" ]; then
		run=(setpriv --reuid="$user" --regid="$user" --clear-groups --inh-caps=-all "${run[@]}")
		chmod 777 "$IT_TMP"
	fi
	timeout 60 "$LAB" exec cgw "${run[@]}" >"$IT_TMP/$name.json" 2>"$IT_TMP/$name.err"
	RC=$?
	[ -n "${SRCIP_RECORD:-}" ] && [ -s "$IT_TMP/$name.pcap" ] && cp "$IT_TMP/$name.pcap" "$SRCIP_RECORD/"
}

# check NAME WANT_RC PYTHON-ASSERTIONS DESCRIPTION: f(check) lists the findings of a check
check() {
	local name=$1 want=$2 code=$3 desc=$4 out
	if out=$(python3 - "$IT_TMP/$name.json" 2>&1 <<PY
import json, sys
r = json.load(open(sys.argv[1]))
def f(c): return [x for x in r["findings"] if x["check"] == c]
def ev(c): return f(c)[0]["evidence"]
$code
PY
	) && [ "$RC" -eq "$want" ]; then
		ok "$desc"
	else
		fail "$desc" "exit $RC (want $want): $out $(head -c 300 "$IT_TMP/$name.err") $(head -c 1500 "$IT_TMP/$name.json")"
	fi
}

if lab_start direct && lab_echo_server; then
	srcip direct
	check direct 0 '
m = f("srcip.match")[0]
assert m["status"] == "pass", m
assert "with no NAT" in m["summary"], m["summary"]
assert ev("srcip.route")["source"] == "198.51.100.10" and not ev("srcip.route")["private"]
assert ev("srcip.public")["address"] == "198.51.100.10"
assert ev("srcip.responder")["nat"] == "none"
assert ev("srcip.nat")["udp_4500_required"] is False
c = f("srcip.capture")[0]
assert c["evidence"]["ike_out"] >= 1 and c["evidence"]["ike_in"] >= 1, c' \
		"no NAT: match without NAT, from all four kinds of evidence"
fi

if lab_start nat --nat && lab_echo_server; then
	srcip nat
	check nat 0 '
m = f("srcip.match")[0]
assert m["status"] == "pass" and "through a NAT" in m["summary"], m
assert ev("srcip.route")["source"] == "100.64.0.10" and ev("srcip.route")["private"]
assert ev("srcip.public")["address"] == "198.51.100.10"
assert ev("srcip.responder")["nat"] == "detected"
assert ev("srcip.nat")["udp_4500_required"] is True' \
		"NAT to the registered address: match through a NAT, UDP 4500 required"

	# the NAT now translates to an address AWS does not know (fresh conntrack: new source)
	"$LAB" exec nat ip addr add 198.51.100.20/24 dev out0
	"$LAB" exec nat iptables -t nat -I POSTROUTING 1 -o out0 -j SNAT --to-source 198.51.100.20
	"$LAB" exec nat sh -c 'command -v conntrack >/dev/null && conntrack -F' >/dev/null 2>&1
	srcip natother
	check natother 2 '
m = f("srcip.match")[0]
assert m["status"] == "fail", m
assert m["evidence"]["seen"] == "198.51.100.20" and m["evidence"]["registered"] == "198.51.100.10", m
assert "register 198.51.100.20" in m["fix"], m["fix"]
assert not ev("srcip.responder")["result"] != "no_response"
c = f("srcip.capture")[0]["evidence"]
assert c["ike_out"] >= 2 and c["ike_in"] == 0 and c["retransmits"] >= 1, c' \
		"NAT to another address: mismatch naming it, unanswered retransmissions in the capture"

	srcip natother-nobody 65534
	check natother-nobody 2 '
cap = f("srcip.capture")[0]
assert cap["status"] == "skip" and "CAP_NET_RAW" in cap["summary"], cap
assert f("srcip.route")[0]["status"] == "pass"
assert f("srcip.public")[0]["status"] == "pass"
assert ev("srcip.responder")["result"] == "no_response"
assert f("srcip.match")[0]["status"] == "fail"' \
		"unprivileged: route, echo and probe evidence, the capture says why it is missing, same exit"
fi

it_finish
