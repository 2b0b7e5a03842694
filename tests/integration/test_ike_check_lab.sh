#!/bin/bash
# vpn-ike check against reality: every case of ike_check_cases.txt (a customer gateway
# proposal set) becomes a swanctl.conf for the lab's customer gateway (tests/lab/lab.sh);
# real strongSwan initiates it against the lab's AWS-like responder, and the outcome seen
# (IKE_SA established? CHILD_SA installed? for an installed CHILD_SA: does it survive a
# rekey?) must equal what `vpn-ike check --config THAT_FILE --aws-file FIXTURE --json`
# predicts for the peer, and the hand-written expectation of the table. Where the table
# names the proposal AWS must choose, the negotiated one and the predicted one must be it.
#
# Outcomes: established (IKE_SA, CHILD_SA, and the CHILD_SA rekeys), phase1_fails (no
# IKE_SA), phase2_fails (IKE_SA without CHILD_SA), phase2_fails_at_rekey (the first CHILD_SA
# came up, its rekey was refused: IKEv2's first CHILD_SA rides in IKE_AUTH without a DH
# exchange, so a PFS group AWS refuses - or none - shows only at the rekey).
#
# The file the check reads is the device's configuration as it would run: children start
# at once (start_action = start). The copy loaded into the lab's charon differs in that line
# only (start_action = none): the test starts it with `swanctl --initiate`, so that it knows
# when the attempt ended.
#
# One lab per responder kind (default, IKEv1 only, IKEv2 only, restricted phase 1), reused
# across its cases; each case loads its own connection (replacing the previous ones) and
# terminates its SAs afterwards. Skips cleanly without root, namespaces or strongSwan.

. "$(dirname "$0")/lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
LAB="$IT_ROOT/tests/lab/lab.sh"
CASES=${IKE_CHECK_CASES:-$HERE/ike_check_cases.txt}
HELPER="$HERE/ike_check_lab.py"
FIXTURES="$IT_ROOT/testdata/ike-check-lab"
VPN_IKE=${VPN_IKE:-$IT_ROOT/bin/vpn-ike}
AWS_IP=203.0.113.1
CGW_IP=198.51.100.10
CGW_LAN=10.99.0.0/24
VPC_NET=10.0.0.0/16
# the restricted responder's phase 1 (aws-restricted.json says the same in TunnelOptions)
RESTRICTED="aes256-sha256-sha384-modp2048-ecp384,aes256gcm16-prfsha256-prfsha384-modp2048-ecp384"

T=test_ike_check_lab
if ! why=$(it_unsupported); then
	skip "$T" "$why"
	it_finish
fi
CHARON=${CHARON:-/usr/lib/ipsec/charon}
export CHARON
for t in "$CHARON" swanctl python3; do
	if ! command -v "$t" >/dev/null; then
		skip "$T" "$t missing (scripts/deps.sh test)"
		it_finish
	fi
done
[ -c /dev/net/tun ] || { skip "$T" "no /dev/net/tun for kernel-libipsec"; it_finish; }
[ -x "$VPN_IKE" ] || { skip "$T" "$VPN_IKE not built (make)"; it_finish; }

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
CASEDIR="$IT_TMP/cases"
mkdir -m 700 "$CASEDIR"

# lab KIND: a fresh lab for that responder kind (the previous one is taken down); sets
# FIXTURE. Returns 1 (after a fail line) when it does not come up.
CUR_LAB=""
lab() {
	local kind=$1 args=()
	[ "$kind" = "$CUR_LAB" ] && return 0
	[ -n "${LAB_DIR:-}" ] && [ -f "$LAB_DIR/id" ] && "$LAB" down >/dev/null 2>&1
	CUR_LAB=$kind
	case "$kind" in
	default)    FIXTURE="$FIXTURES/aws-default.json" ;;
	v1only)     FIXTURE="$FIXTURES/aws-ikev1.json"; args=(--ike v1) ;;
	v2only)     FIXTURE="$FIXTURES/aws-ikev2.json"; args=(--ike v2) ;;
	restricted) FIXTURE="$FIXTURES/aws-restricted.json"; args=(--responder-proposals "$RESTRICTED") ;;
	*) fail "lab $kind" "unknown lab kind in $CASES"; return 1 ;;
	esac
	LAB_DIR="$IT_TMP/lab-$kind"
	LABS+=("$LAB_DIR")
	export LAB_DIR
	if ! timeout 60 "$LAB" up "${args[@]}" >"$IT_TMP/up-$kind" 2>&1; then
		fail "lab $kind up" "$(tail -n 5 "$IT_TMP/up-$kind" | tr '\n' ' ')"
		return 1
	fi
	# the lab's own pre-shared key, from its customer gateway configuration (never printed)
	PSK=$(sed -n 's/^[[:space:]]*secret = "\(.*\)"$/\1/p' "$LAB_DIR/cgw/swanctl.conf" | head -n 1)
	[ -n "$PSK" ] || { fail "lab $kind" "no secret in the lab's cgw swanctl.conf"; return 1; }
}

swan() { timeout 20 "$LAB" exec cgw swanctl "$@" 2> >(grep -v "failed: No such file or directory$" >&2); }

# conf NAME VERSION IKE ESP OPTS START: the device's swanctl.conf on stdout
conf() {
	local opt=""
	[ "$5" = aggressive ] && opt="aggressive = yes"
	cat <<EOF
# ike-check-lab case $1: the customer gateway, one tunnel to AWS ($AWS_IP)
connections {
	$1 {
		version = $2
		local_addrs = $CGW_IP
		remote_addrs = $AWS_IP
		proposals = $3
		encap = yes
		mobike = no
		rekey_time = 28800s
		dpd_delay = 10s
		${opt}
		local {
			auth = psk
			id = $CGW_IP
		}
		remote {
			auth = psk
			id = $AWS_IP
		}
		children {
			$1 {
				local_ts = $CGW_LAN
				remote_ts = $VPC_NET
				esp_proposals = $4
				rekey_time = 3240s
				dpd_action = restart
				start_action = $6
			}
		}
	}
}
secrets {
	ike-$1 {
		id-aws = $AWS_IP
		id-cgw = $CGW_IP
		secret = "$PSK"
	}
}
EOF
}

# sas: "IKE_STATE CHILD_STATE SPI IKE_CHOSEN ESP_CHOSEN" of the cgw's SAs
sas() { swan --list-sas --raw 2>/dev/null | python3 "$HELPER" sas; }

# terminate NAME: no SA left on either side
terminate() {
	swan --terminate --ike "$1" --timeout 5 >/dev/null 2>&1
	local _ left
	for _ in $(seq 1 30); do
		left=$(swan --list-sas --raw 2>/dev/null | grep -c 'list-sa event')
		[ "$left" -eq 0 ] && break
		swan --terminate --ike "$1" --force --timeout 2 >/dev/null 2>&1
		sleep 0.1
	done
	# the responder must have forgotten it too (a DELETE arrived, or nothing was made)
	for _ in $(seq 1 30); do
		left=$(timeout 10 "$LAB" exec aws swanctl --list-sas --raw 2>/dev/null | grep -c 'list-sa event')
		[ "$left" -eq 0 ] && return 0
		sleep 0.1
	done
	timeout 10 "$LAB" exec aws swanctl --terminate --ike cgw --force --timeout 2 >/dev/null 2>&1
}

# observe NAME: runs the case's connection; sets OBS, OBS_IKE, OBS_ESP, OBS_WHY
observe() {
	local name=$1 out st ike child spi _ log n0 newspi
	OBS="" OBS_IKE="-" OBS_ESP="-" OBS_WHY=""
	out="$IT_TMP/$name.initiate"
	swan --initiate --child "$name" --timeout 10 >"$out" 2>&1
	read -r ike child spi OBS_IKE OBS_ESP <<<"$(sas)"
	if [ "$ike" != ESTABLISHED ]; then
		OBS=phase1_fails
		OBS_WHY=$(grep -E -m1 'received [A-Z_]+ (error )?notify|NO_PROPOSAL|INVALID|failed' "$out")
		return
	fi
	if [ "$child" != INSTALLED ]; then
		OBS=phase2_fails
		OBS_WHY=$(grep -E -m1 'received [A-Z_]+ (error )?notify|NO_PROPOSAL|TS_UNACCEPTABLE|failed' "$out")
		return
	fi
	# the rekey: a new CHILD_SA with new SPIs, or the responder's refusal
	log="$LAB_DIR/cgw/charon.log"
	n0=$(wc -l <"$log")
	swan --rekey --child "$name" >/dev/null 2>&1
	for _ in $(seq 1 50); do
		if tail -n +"$((n0 + 1))" "$log" | grep -q -E 'CHILD_SA rekeying failed|failed to establish CHILD_SA'; then
			OBS=phase2_fails_at_rekey
			OBS_WHY=$(tail -n +"$((n0 + 1))" "$log" | grep -E -m1 'received [A-Z_]+ (error )?notify' | sed 's/^.*\[IKE\] //')
			return
		fi
		read -r st _ newspi _ _ <<<"$(sas)"
		if [ "$st" = ESTABLISHED ] && [ "$newspi" != "-" ] && [ "$newspi" != "$spi" ]; then
			OBS=established
			return
		fi
		sleep 0.1
	done
	OBS=established_rekey_unknown
	OBS_WHY="the rekey neither completed nor failed within 5 s"
}

# ---- the cases -----------------------------------------------------------------------------
ncases=0 nagree=0 LEAKS=0 t0=$SECONDS
declare -A SEEN_SET=()
DISAGREE=()
while read -r kind name v ike esp expect cike cesp opts rest <&3; do
	case "$kind" in ''|'#'*) continue ;; esac
	if [ -z "$opts" ] || [ -n "$rest" ]; then
		fail "$CASES" "malformed line for case '$name' (9 columns)"
		continue
	fi
	lab "$kind" || continue
	ncases=$((ncases + 1))
	SEEN_SET["$v $ike $esp $opts"]=1
	case_conf="$CASEDIR/$name.conf"
	load_conf="$CASEDIR/$name.load.conf"
	(umask 077; conf "$name" "$v" "$ike" "$esp" "$opts" start >"$case_conf"
	 conf "$name" "$v" "$ike" "$esp" "$opts" none >"$load_conf")

	# the prediction
	"$VPN_IKE" check --config "$case_conf" --aws-file "$FIXTURE" --json \
		>"$IT_TMP/$name.json" 2>"$IT_TMP/$name.err"
	crc=$?
	pred_lines=$(python3 "$HELPER" predict "$IT_TMP/$name.json" "$name")
	read -r pred pike pesp <<<"$(head -n 1 <<<"$pred_lines")"
	[ -s "$IT_TMP/$name.json" ] || pred="none(exit $crc: $(head -c 120 "$IT_TMP/$name.err" | tr '\n' ' '))"
	# the check read a file holding the key: its output must not
	if grep -q -F -- "$PSK" "$IT_TMP/$name.json" "$IT_TMP/$name.err"; then
		fail "$name" "vpn-ike check printed the pre-shared key"
		LEAKS=$((LEAKS + 1))
	fi

	# reality
	if ! swan --load-all --clear --file "$load_conf" >"$IT_TMP/$name.load" 2>&1; then
		fail "$name" "swanctl --load-all failed: $(grep -v '^opening directory' "$IT_TMP/$name.load" | tail -n 3 | tr '\n' ' ')"
		continue
	fi
	observe "$name"
	terminate "$name"

	printf '      %-20s v%s %-46s esp %-40s seen %-22s %s / %s\n' "$name" "$v" "$ike" "$esp" "$OBS" "$OBS_IKE" "$OBS_ESP"
	printf '      %-20s    predicted %-22s %s / %s%s\n' "" "$pred" "$pike" "$pesp" "${OBS_WHY:+   (lab: $OBS_WHY)}"

	bad=()
	[ "$OBS" = "$expect" ] || bad+=("lab saw $OBS, the table expects $expect")
	[ "$pred" = "$OBS" ] || bad+=("predicted $pred, lab saw $OBS")
	if [ "$cike" != "-" ]; then
		[ "$OBS_IKE" = "$cike" ] || bad+=("lab chose phase 1 $OBS_IKE, the table says $cike")
		[ "$pike" = "$cike" ] || bad+=("predicted phase 1 choice $pike, AWS chooses $cike")
	fi
	if [ "$cesp" != "-" ]; then
		[ "$OBS_ESP" = "$cesp" ] || bad+=("lab chose phase 2 $OBS_ESP, the table says $cesp")
		[ "$pesp" = "$cesp" ] ||
			bad+=("predicted phase 2 choice $pesp, AWS chooses $cesp")
	fi
	if [ ${#bad[@]} -eq 0 ]; then
		nagree=$((nagree + 1))
		ok "$name: $OBS"
	else
		why=$(printf '%s; ' "${bad[@]}")
		fail "$name" "${why%; }"
		DISAGREE+=("$name: ${why%; }")
		tail -n +2 <<<"$pred_lines"
	fi
done 3<"$CASES"
[ -n "${LAB_DIR:-}" ] && [ -f "$LAB_DIR/id" ] && "$LAB" down >/dev/null 2>&1

# ---- the whole ------------------------------------------------------------------------------
nsets=${#SEEN_SET[@]}
note "$ncases cases ($nsets distinct proposal sets), $nagree agree, ${#DISAGREE[@]} disagree, $((SECONDS - t0)) s"
for d in "${DISAGREE[@]}"; do note "disagree: $d"; done
[ "$LEAKS" -eq 0 ] && ok "no output of vpn-ike check holds the pre-shared key ($ncases runs)"
if [ "$nsets" -ge 40 ]; then
	ok "at least 40 distinct proposal sets ($nsets)"
else
	fail "case count" "only $nsets distinct proposal sets (40 wanted)"
fi
for want in 1 2; do
	if grep -v '^#' "$CASES" | awk -v v="$want" 'NF == 9 && $3 == v' | grep -q .; then
		ok "IKEv$want cases present"
	else
		fail "IKEv$want cases" "none in $CASES"
	fi
done

it_finish
