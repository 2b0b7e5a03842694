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
#   - errors: an OUT that cannot be created exits 73 with one line and leaves no file;
#   - privilege separation (root only, else skipped): started as root, the run drops to
#     nobody and a parent that kept root publishes the bundle into a directory only root
#     may write (0700): the bundle appears, 0600, a valid tar.gz, while the checks ran as
#     uid 65534; in a namespace made here, env/xfrm.txt lists the XFRM policy added to it
#     (fetched before the drop, decoded after); a run stopped by --deadline, and one whose
#     processes get SIGTERM, leave neither OUT nor a temporary file; a failed run leaves
#     an existing OUT as it was.

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

# ---- privilege separation: root opens and publishes, nobody runs --------------------------
# only_out DIR NAME: the files of DIR named NAME or NAME.XXXXXX (a temporary file), one a line
only_out() { find "$1" -mindepth 1 -maxdepth 1 -name "$2*" -printf '%f\n' | sort; }
priv_uid() { awk '$2 == "privileges:" && $3 == "Uid:" { print $4, $5, $6, $7 }' "$1"; }

bsep() {
	local pd=$IT_TMP/root-only nobody rc uid out ns fifo writer pid kid bad miss
	nobody=$(id -u nobody 2>/dev/null || echo 65534)
	mkdir -m 0700 "$pd" && chown 0:0 "$pd" || { fail "bundle as root" "cannot make $pd"; return; }

	# 1. the bundle appears in a root-only directory; the checks ran as nobody
	out=$pd/p1.tar.gz
	(cd "$IT_TMP" && VPN_DOCTOR_DEBUG_PRIVS=1 timeout "$IT_T" "$VD" --demo --bundle "$out" \
		>"$IT_TMP/p1.out" 2>"$IT_TMP/p1.err")
	rc=$?
	uid=$(priv_uid "$IT_TMP/p1.err")
	if [ "$rc" -ne 2 ] || grep -v ' privileges: ' "$IT_TMP/p1.err" | grep -q .; then
		fail "bundle as root, checks as nobody" "exit $rc: $(grep -v ' privileges: ' "$IT_TMP/p1.err" | head -n 2)"
	elif [ "$uid" != "$nobody $nobody $nobody $nobody" ]; then
		fail "bundle as root, checks as nobody" "the checks ran as uid '$uid'"
	elif [ ! -f "$out" ] || [ "$(stat -c '%a %u' "$out")" != "600 0" ]; then
		fail "bundle as root, checks as nobody" "OUT: $(stat -c '%a %u' "$out" 2>&1)"
	elif ! gzip -t "$out" 2>/dev/null || ! tar -tzf "$out" >/dev/null 2>&1; then
		fail "bundle as root, checks as nobody" "OUT is not a valid tar.gz"
	elif bad=$(bad_members "$out"); miss=$(has_members "$out" report.txt report.json \
		env/xfrm.txt env/routes.txt inputs/config/swanctl.conf versions.txt)
		[ -n "$bad$miss" ]; then
		fail "bundle as root, checks as nobody" "missing:$miss; not 0600: $bad"
	elif ! tar -xzOf "$out" report.txt | cmp -s - "$IT_TMP/p1.out"; then
		fail "bundle as root, checks as nobody" "report.txt is not the report printed"
	elif [ "$(only_out "$pd" p1.tar.gz)" != p1.tar.gz ]; then
		fail "bundle as root, checks as nobody" "left beside it: $(only_out "$pd" p1.tar.gz | tr '\n' ' ')"
	else
		ok "bundle as root into a 0700 root directory: 0600, valid tar.gz, checks ran as uid $nobody"
	fi

	# 2. the kernel's XFRM policies of a namespace, although the run dropped to nobody
	ns=vdt-bsep-$$
	if ! ip netns add "$ns" 2>/dev/null; then
		skip "bundle env/xfrm.txt as nobody" "ip netns unavailable"
	else
		IT_NETNS+=("$ns")
		out=$pd/p2.tar.gz
		if ! ip -n "$ns" xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out \
			tmpl src 192.0.2.1 dst 203.0.113.1 proto esp mode tunnel 2>"$IT_TMP/p2.ip"; then
			skip "bundle env/xfrm.txt as nobody" "ip xfrm: $(head -n 1 "$IT_TMP/p2.ip")"
		else
			(cd "$IT_TMP" && VPN_DOCTOR_DEBUG_PRIVS=1 timeout "$IT_T" ip netns exec "$ns" \
				"$VD" --demo --bundle "$out" >/dev/null 2>"$IT_TMP/p2.err")
			rc=$?
			uid=$(priv_uid "$IT_TMP/p2.err")
			tar -xzOf "$out" env/xfrm.txt >"$IT_TMP/p2.xfrm" 2>/dev/null
			if [ "$rc" -ne 2 ] || [ "$uid" != "$nobody $nobody $nobody $nobody" ]; then
				fail "bundle env/xfrm.txt as nobody" "exit $rc, uid '$uid': $(grep -v ' privileges: ' "$IT_TMP/p2.err" | head -n 2)"
			elif ! grep -q '^policy #1 src 10\.1\.0\.0/16 dst 10\.2\.0\.0/16 dir out ' "$IT_TMP/p2.xfrm" ||
				! grep -q 'tmpl src 192\.0\.2\.1 dst 203\.0\.113\.1 proto 50 .* mode tunnel' "$IT_TMP/p2.xfrm" ||
				! grep -q ' policies 1 ' "$IT_TMP/p2.xfrm"; then
				fail "bundle env/xfrm.txt as nobody" "$(head -n 3 "$IT_TMP/p2.xfrm" | tr '\n' '|')"
			else
				ok "bundle env/xfrm.txt lists the namespace's XFRM policy although the checks ran as uid $nobody"
			fi
		fi
	fi

	# 3. a run stopped by --deadline (a tunnel log FIFO whose writer never writes): exit 69,
	#    neither OUT nor a temporary file
	fifo=$IT_TMP/log.fifo
	mkfifo -m 0666 "$fifo"
	sleep 30 >"$fifo" &
	writer=$!
	it_bg "$writer"
	out=$pd/p3.tar.gz
	(cd "$IT_TMP" && timeout "$IT_T" "$VD" --vpn-logs "$fifo" --only aws.tunnel_logs \
		--check-timeout 20 --deadline 1 --bundle "$out" >/dev/null 2>"$IT_TMP/p3.err")
	rc=$?
	if [ "$rc" -eq 69 ] && [ -z "$(only_out "$pd" p3.tar.gz)" ] && [ "$(cat "$IT_TMP/p3.err")" = \
		"vpn-doctor: --deadline: the run took longer than 1 s; stopped" ]; then
		ok "--deadline 1 stops a --bundle run: exit 69, neither OUT nor a temporary file"
	else
		fail "--deadline with --bundle" "exit $rc, left: $(only_out "$pd" p3.tar.gz | tr '\n' ' '), $(head -n 1 "$IT_TMP/p3.err")"
	fi

	#    SIGTERM to both processes, as a terminal's ^C or kill of the process group would:
	#    the parent outlives the child, removes the temporary file, exits 128 + 15
	out=$pd/p3b.tar.gz
	(cd "$IT_TMP" && exec "$VD" --vpn-logs "$fifo" --only aws.tunnel_logs --check-timeout 20 \
		--deadline 15 --bundle "$out" >/dev/null 2>"$IT_TMP/p3b.err") &
	pid=$!
	it_bg "$pid"
	kid=""
	for _ in $(seq 100); do
		kid=$(pgrep -P "$pid" | head -n 1)
		[ -n "$kid" ] && [ -n "$(only_out "$pd" p3b.tar.gz)" ] && break
		sleep 0.1
	done
	sleep 0.3
	kill -TERM "$pid" $kid 2>/dev/null
	wait "$pid"
	rc=$?
	if [ -n "$kid" ] && [ "$rc" -eq 143 ] && [ -z "$(only_out "$pd" p3b.tar.gz)" ]; then
		ok "SIGTERM to a --bundle run: exit 143, neither OUT nor a temporary file"
	else
		fail "SIGTERM to a --bundle run" "child '$kid', exit $rc, left: $(only_out "$pd" p3b.tar.gz | tr '\n' ' ')"
	fi
	kill "$writer" 2>/dev/null

	# 4. a failed run leaves an existing OUT as it was
	out=$pd/p4.tar.gz
	printf 'an older bundle\n' >"$out"
	chmod 0644 "$out"
	cp -p "$out" "$IT_TMP/p4.before"
	(cd "$IT_TMP" && timeout "$IT_T" "$VD" --config "$IT_TMP/no-such.conf" --bundle "$out" \
		>/dev/null 2>"$IT_TMP/p4.err")
	rc=$?
	if [ "$rc" -eq 66 ] && cmp -s "$out" "$IT_TMP/p4.before" &&
		[ "$(stat -c %a "$out")" = 644 ] && [ "$(only_out "$pd" p4.tar.gz)" = p4.tar.gz ]; then
		ok "a failed --bundle run (exit 66) leaves the existing OUT untouched"
	else
		fail "a failed run and an existing OUT" "exit $rc, mode $(stat -c %a "$out"), left: $(only_out "$pd" p4.tar.gz | tr '\n' ' ')"
	fi
}

if [ "$(id -u)" != 0 ]; then
	skip "bundle with privilege separation" "not root (run as root to drop to nobody)"
else
	bsep
fi

it_finish
