#!/bin/bash
# vpn-doctor --bundle (no network needed): the support bundle holds no secret and only
# private files.
#   - vpn-doctor --demo --bundle OUT: the three reports, the inputs, env/ and versions.txt,
#     the demo's pre-shared key nowhere, OUT and every member 0600 (also under umask 000,
#     and when OUT existed as a 0644 file; a relative OUT lands where the run started);
#   - one run per device configuration vendor in testdata/bundle (swanctl.conf, ipsec.conf
#     with ipsec.secrets lines, Cisco IOS crypto map and IKEv2 keyring, ASA, Junos set,
#     PAN-OS XML, FortiOS), each with the AWS JSON (PreSharedKey, and the customer gateway
#     configuration XML with <pre_shared_key> inside it), a tunnel log, a capture, and
#     AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ACCESS_KEY_ID and a proxy password in
#     the environment: every @NAME@ in the fixtures becomes a fresh random canary, the log
#     also echoes the configuration's key and the secret access key with no keyword before
#     them (only the learned secrets can catch those). No canary, nor its middle part, may
#     appear in any extracted file or in the decompressed tar stream;
#   - errors: an OUT that cannot be created exits 73 with one line and leaves no file.

. "$(dirname "$0")/lib.sh"

VD=${VPN_DOCTOR:-$IT_ROOT/bin/vpn-doctor}
FIX=$IT_ROOT/testdata/bundle
[ -x "$VD" ] || { skip "test_bundle" "$VD not built (make)"; it_finish; }
it_init

# A random canary: letters and digits, so no redaction rule can stop at a punctuation mark.
canary() {
	printf 'Cn%s%sZq' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F')" \
		"$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')"
}

CANARIES=()
ECHO_CFG="" ECHO_ENV=""

# Copies FILE to DST with each @NAME@ replaced by a new canary (remembered in CANARIES);
# @LOGECHO@ and @ENVECHO@ become $ECHO_CFG and $ECHO_ENV.
plant() { # FILE DST
	local content name c
	content=$(cat "$1")
	content=${content//@LOGECHO@/$ECHO_CFG}
	content=${content//@ENVECHO@/$ECHO_ENV}
	while [[ $content =~ @([A-Z0-9]+)@ ]]; do
		name=${BASH_REMATCH[1]}
		c=$(canary)
		CANARIES+=("$c")
		content=${content//@$name@/$c}
	done
	printf '%s\n' "$content" >"$2"
}

mode_of() { stat -c %a "$1"; }

# Every member 0600 and a regular file; prints the bad lines.
bad_members() { # OUT
	tar -tvzf "$1" | grep -v '^-rw------- '
}

# No canary (whole, or its middle 12 characters) in any extracted file or the tar stream.
leaks() { # OUT DIR
	local c mid hit=""
	for c in "${CANARIES[@]}"; do
		mid=${c:5:12}
		if grep -rlF -e "$c" -e "$mid" "$2" >/dev/null 2>&1 ||
			zcat "$1" | grep -aqF -e "$c" -e "$mid"; then
			hit="$hit $c:$(grep -rlF -e "$c" -e "$mid" "$2" | sed "s|$2/||" | tr '\n' ,)"
		fi
	done
	printf '%s' "$hit"
}

has_members() { # OUT MEMBER...
	local out=$1 list m missing=""
	shift
	list=$(tar -tzf "$out")
	for m in "$@"; do
		grep -qxF "$m" <<<"$list" || missing="$missing $m"
	done
	printf '%s' "$missing"
}

# ---- the demo -------------------------------------------------------------------------
(
	cd "$IT_TMP" || exit 1
	umask 000
	: >demo.tar.gz
	chmod 644 demo.tar.gz
	"$VD" --demo --bundle demo.tar.gz >demo.out 2>demo.err
	echo $? >demo.rc
)
rc=$(cat "$IT_TMP/demo.rc")
OUT=$IT_TMP/demo.tar.gz
if [ "$rc" -ne 2 ] || [ -s "$IT_TMP/demo.err" ]; then
	fail "demo bundle" "exit $rc: $(head -n 2 "$IT_TMP/demo.err")"
elif [ "$(mode_of "$OUT")" != 600 ]; then
	fail "demo bundle" "OUT is mode $(mode_of "$OUT") (umask 000, was 0644)"
elif bad=$(bad_members "$OUT") && [ -n "$bad" ]; then
	fail "demo bundle" "members not 0600: $bad"
elif miss=$(has_members "$OUT" report.txt report.json report.md inputs/config/swanctl.conf \
	inputs/aws/aws.json inputs/capture/capture.pcap env/uname.txt env/interfaces.txt \
	env/proc_net_route env/routes.txt env/rules.txt env/xfrm.txt env/resolv.conf \
	env/sysctl.txt env/environment.txt versions.txt) && [ -n "$miss" ]; then
	fail "demo bundle" "missing:$miss"
elif zcat "$OUT" | grep -aqF 'demo.not.a.real.key_0123'; then
	fail "demo bundle" "the demo's pre-shared key is in the bundle"
else
	mkdir -p "$IT_TMP/demo" && tar -xzf "$OUT" -C "$IT_TMP/demo"
	if ! cmp -s "$IT_TMP/demo/report.txt" "$IT_TMP/demo.out"; then
		fail "demo bundle" "report.txt is not the report printed"
	elif ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
		"$IT_TMP/demo/report.json" 2>/dev/null; then
		fail "demo bundle" "report.json does not parse"
	elif ! grep -q 'rp_filter' "$IT_TMP/demo/env/sysctl.txt"; then
		fail "demo bundle" "env/sysctl.txt has no rp_filter"
	elif ! grep -q '^inet.* table 25[45] ' "$IT_TMP/demo/env/routes.txt" ||
		! grep -q 'lookup 254' "$IT_TMP/demo/env/rules.txt"; then
		fail "demo bundle" "env/routes.txt or env/rules.txt misses the main table"
	elif ! grep -qF 'secret = "<redacted>"' "$IT_TMP/demo/inputs/config/swanctl.conf"; then
		fail "demo bundle" "the configuration's secret is not marked <redacted>"
	else
		ok "demo bundle: $(tar -tzf "$OUT" | wc -l) members, 0600, no pre-shared key"
	fi
fi

# ---- canaries in every input kind, one run per configuration vendor -----------------------
run_vendor() { # CONFIG
	local cfg=$1 dir=$IT_TMP/run-${1%%.*} out rc miss bad hit
	mkdir -p "$dir/in" "$dir/x"
	CANARIES=()
	plant "$FIX/$cfg" "$dir/in/$cfg"
	ECHO_CFG=${CANARIES[0]}
	local AKID="AKIA$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F')"
	local SAK SES PROXYPW
	SAK=$(canary)$(canary)
	SES="IQoJb3JpZ2luX2VjE$(canary)$(canary)$(canary)$(canary)$(canary)"
	PROXYPW=$(canary)
	CANARIES+=("$AKID" "$SAK" "$SES" "$PROXYPW")
	ECHO_ENV=$SAK
	plant "$FIX/aws.json" "$dir/in/aws.json"
	plant "$FIX/tunnel.log" "$dir/in/tunnel.log"
	cp "$IT_ROOT/testdata/demo/capture.pcap" "$dir/in/capture.pcap"
	out=$dir/bundle.tar.gz
	AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SAK AWS_SESSION_TOKEN=$SES \
		HTTPS_PROXY="http://support:$PROXYPW@proxy.example:3128" \
		KUBERNETES_SERVICE_HOST=10.96.0.1 POD_NAME=vpn-doctor-abc \
		timeout "$IT_T" "$VD" --aws-file "$dir/in/aws.json" --config "$dir/in/$cfg" \
		--vpn-logs "$dir/in/tunnel.log" --pcap "$dir/in/capture.pcap" --no-echo --no-ike \
		--bundle "$out" >"$dir/stdout" 2>"$dir/stderr"
	rc=$?
	if [ "$rc" -gt 2 ] || [ ! -f "$out" ]; then
		fail "bundle $cfg" "exit $rc: $(head -n 2 "$dir/stderr")"
		return
	fi
	tar -xzf "$out" -C "$dir/x"
	if [ "$(mode_of "$out")" != 600 ]; then
		fail "bundle $cfg" "OUT is mode $(mode_of "$out")"
	elif bad=$(bad_members "$out") && [ -n "$bad" ]; then
		fail "bundle $cfg" "members not 0600: $bad"
	elif miss=$(has_members "$out" report.txt report.json report.md "inputs/config/$cfg" \
		inputs/aws/aws.json inputs/logs/tunnel.log inputs/capture/capture.pcap \
		env/environment.txt env/kubernetes.txt env/sysctl.txt versions.txt) &&
		[ -n "$miss" ]; then
		fail "bundle $cfg" "missing:$miss"
	elif hit=$(leaks "$out" "$dir/x") && [ -n "$hit" ]; then
		fail "bundle $cfg" "canaries found:$hit"
	elif ! cmp -s "$dir/in/capture.pcap" "$dir/x/inputs/capture/capture.pcap"; then
		fail "bundle $cfg" "the capture was not copied as it is"
	elif ! grep -qF '<redacted>' "$dir/x/inputs/config/$cfg" ||
		! grep -qF '<redacted>' "$dir/x/inputs/aws/aws.json" ||
		! grep -qF '<redacted>' "$dir/x/inputs/logs/tunnel.log"; then
		fail "bundle $cfg" "an input holds no <redacted> mark"
	elif ! grep -qx 'AWS_SECRET_ACCESS_KEY=<redacted>' "$dir/x/env/environment.txt" ||
		! grep -qx 'POD_NAME=vpn-doctor-abc' "$dir/x/env/kubernetes.txt"; then
		fail "bundle $cfg" "env/environment.txt or env/kubernetes.txt is not as expected"
	elif ! python3 -c 'import json,sys; json.load(open(sys.argv[1])); json.load(open(sys.argv[2]))' \
		"$dir/x/report.json" "$dir/x/inputs/aws/aws.json" 2>/dev/null; then
		fail "bundle $cfg" "report.json or the redacted aws.json is no longer JSON"
	elif [ "$(wc -l <"$dir/x/inputs/config/$cfg")" -ne "$(wc -l <"$dir/in/$cfg")" ]; then
		fail "bundle $cfg" "the redacted configuration lost or gained lines"
	else
		ok "bundle $cfg: ${#CANARIES[@]} canaries, none in $(tar -tzf "$out" | wc -l) members"
	fi
}

for cfg in swanctl.conf ipsec.conf ios-cryptomap.cfg ios-ikev2.cfg asa.cfg junos.conf \
	panos.xml fortios.conf; do
	run_vendor "$cfg"
done

# ---- errors ---------------------------------------------------------------------------
"$VD" --demo --bundle "$IT_TMP/no/such/dir/b.tar.gz" >/dev/null 2>"$IT_TMP/e73"
rc=$?
if [ "$rc" -eq 73 ] && [ "$(wc -l <"$IT_TMP/e73")" -eq 1 ] &&
	[ -z "$(ls "$IT_TMP/no" 2>/dev/null)" ]; then
	ok "an OUT that cannot be created: exit 73, one line"
else
	fail "an OUT that cannot be created" "exit $rc: $(cat "$IT_TMP/e73")"
fi

it_finish
