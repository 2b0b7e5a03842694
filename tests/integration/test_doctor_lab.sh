#!/bin/bash
# vpn-doctor end to end in the IKE lab (tests/lab/lab.sh): one scenario per cause of AWS's
# troubleshooting guide. vpn-doctor runs in the customer gateway's namespace against the
# lab's AWS-like responder (203.0.113.1, which answers only 198.51.100.10, as AWS does),
# with an HTTP echo service in the "AWS" namespace, the gateway's configuration written by
# the scenario, and AWS evidence from testdata/routes/ (the describe-* state the scenario
# stands for: there is no AWS in a lab). For each scenario the first root cause must be
# the right one and the exit status 2 (1 for the second tunnel down); the healthy lab 0.
# Skips cleanly without root, namespaces or strongSwan.

. "$(dirname "$0")/lib.sh"

AWS_IP=203.0.113.1
VD=${VPN_DOCTOR:-$IT_ROOT/bin/vpn-doctor}
ROUTES=$IT_ROOT/testdata/routes

if ! why=$(lab_unsupported); then
	skip "test_doctor_lab" "$why"
	it_finish
fi
[ -x "$VD" ] || { skip "test_doctor_lab" "$VD not built (make)"; it_finish; }
it_init
trap lab_cleanup EXIT



# config NAME [KEY=VALUE...]: the gateway's swanctl.conf with the scenario's changes:
# proposals, esp, start (start_action), children ("one" or "two" subnet pairs)
config() {
	local name=$1; shift
	local proposals=aes256-sha256-modp2048 esp=aes256-sha256-modp2048 start=start children=one
	local kv
	for kv in "$@"; do
		case $kv in
		proposals=*) proposals=${kv#*=} ;;
		esp=*) esp=${kv#*=} ;;
		start=*) start=${kv#*=} ;;
		children=*) children=${kv#*=} ;;
		esac
	done
	{
		cat <<EOF
connections {
	aws-1 {
		version = 2
		remote_addrs = $AWS_IP
		proposals = $proposals
		rekey_time = 28800s
		dpd_delay = 10s
		local {
			auth = psk
			id = 198.51.100.10
		}
		remote {
			auth = psk
			id = $AWS_IP
		}
		children {
EOF
		if [ "$children" = one ]; then
			cat <<EOF
			vpc {
				local_ts = 0.0.0.0/0
				remote_ts = 0.0.0.0/0
				esp_proposals = $esp
				rekey_time = 3600s
				start_action = $start
				dpd_action = restart
			}
EOF
		else
			cat <<EOF
			lan1 {
				local_ts = 192.168.1.0/24
				remote_ts = 10.0.0.0/16
				esp_proposals = $esp
				rekey_time = 3600s
				start_action = $start
			}
			lan2 {
				local_ts = 192.168.2.0/24
				remote_ts = 10.0.0.0/16
				esp_proposals = $esp
				rekey_time = 3600s
				start_action = $start
			}
EOF
		fi
		cat <<EOF
		}
	}
}
secrets {
	ike-aws {
		id = $AWS_IP
		secret = "lab.scenario.key_42"
	}
}
EOF
	} >"$IT_TMP/$name.conf"
}

# doctor NAME AWS-FIXTURE [ARGS...]: vpn-doctor from cgw; JSON in $IT_TMP/NAME.json, $RC
doctor() {
	local name=$1 fixture=$2; shift 2
	timeout 120 "$LAB" exec cgw "$VD" --aws-dir "$ROUTES/$fixture" --config "$IT_TMP/$name.conf" \
		--peer "$AWS_IP" --echo-url "http://$AWS_IP:8080/" --json "$@" \
		>"$IT_TMP/$name.json" 2>"$IT_TMP/$name.err"
	RC=$?
}

# expect NAME WANT_RC WANT_FIRST_CAUSE DESCRIPTION
expect() {
	local name=$1 want=$2 cause=$3 desc=$4 got
	got=$(python3 - "$IT_TMP/$name.json" <<'PY' 2>&1
import json, sys
r = json.load(open(sys.argv[1]))
c = r.get("root_causes", [])
print(c[0]["id"] if c else "none")
PY
	)
	if [ "$RC" -eq "$want" ] && [ "$got" = "$cause" ]; then
		ok "$desc: first cause $got, exit $RC"
	else
		fail "$desc" "exit $RC (want $want), first cause '$got' (want '$cause'): $(head -c 300 "$IT_TMP/$name.err") $(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))
print([(f["check"],f["status"],f["summary"][:90]) for f in r["findings"] if f["status"] in ("fail","warn","error")])' "$IT_TMP/$name.json" 2>/dev/null | head -c 1500)"
	fi
}

if lab_start direct && lab_echo_server; then
	config healthy
	doctor healthy ok
	expect healthy 0 none "healthy lab"

	config noinit start=none
	doctor noinit ok
	expect noinit 2 not_initiating "device only responds"

	config phase1 proposals=3des-sha1-modp1536
	doctor phase1 ok
	expect phase1 2 phase1 "phase 1 outside AWS's list (3DES, DH 5)"

	config phase2 esp=3des-md5-modp1024
	doctor phase2 ok
	expect phase2 2 phase2 "phase 2 outside AWS's list (3DES/MD5 ESP)"

	config propagation
	doctor propagation propagation-off
	expect propagation 2 propagation "propagation disabled on the private route table"

	config shadowed
	doctor shadowed shadowed-static
	expect shadowed 2 shadowed_route "a static route shadows the propagated one"

	config policy children=two
	doctor policy ok
	expect policy 2 policy "policy-based with two subnet pairs"

	config second
	doctor second one-tunnel-down
	expect second 1 second_tunnel "second tunnel down"

	# a firewall on the way drops IKE from the (registered) gateway
	"$LAB" exec aws iptables -I INPUT 1 -p udp -m multiport --dports 500,4500 -j DROP
	config firewall
	doctor firewall both-tunnels-down --check-timeout 60
	expect firewall 2 firewall "UDP 500/4500 dropped by a firewall"
	"$LAB" exec aws iptables -D INPUT 1

	# MSS/MTU black hole: the tunnel is up and carries pings, but the AWS side drops
	# every packet over 1300 bytes toward the VPC without a word (no ICMP)
	if timeout 30 "$LAB" exec cgw swanctl --initiate --child vpc >"$IT_TMP/init" 2>&1 &&
		timeout 10 "$LAB" exec cgw busybox ping -c 1 -W 2 -I 10.99.0.1 10.0.0.10 >/dev/null 2>&1; then
		"$LAB" exec aws iptables -I FORWARD 1 -o vpc0 -m length --length 1301:65535 -j DROP
		config mtu
		doctor mtu ok --mtu-target 10.0.0.10
		expect mtu 2 mtu "MSS/MTU black hole (big packets dropped silently across the tunnel)"
		"$LAB" exec aws iptables -D FORWARD 1
	else
		fail "MSS/MTU black hole" "the lab tunnel did not come up: $(tail -n 3 "$IT_TMP/init" | tr '\n' ' ')"
	fi
fi

if lab_start nat --nat && lab_echo_server; then
	"$LAB" exec nat ip addr add 198.51.100.20/24 dev out0
	"$LAB" exec nat iptables -t nat -I POSTROUTING 1 -o out0 -j SNAT --to-source 198.51.100.20
	config natwrong
	doctor natwrong both-tunnels-down
	expect natwrong 2 source_address "NAT translates the gateway to an unregistered address"
fi

it_finish
