#!/usr/bin/env bash
# Secrets audit: plants canaries in every input kind (the pre-shared key of every device
# configuration dialect under testdata/devconf/, the AWS JSON PreSharedKey and the
# CustomerGatewayConfiguration XML inside it, a tunnel log event, AWS_SECRET_ACCESS_KEY
# and AWS_SESSION_TOKEN in the environment), runs every tool over them with every output
# (text on stdout, --json, --markdown, --dump, stderr, the --bundle archive's members),
# and looks for the canaries, whole or in part, in everything written.
# Last line: "secrets: N passed, N failed" (one per run; a run fails when a canary is in
# its output).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
BIN=${SECRETS_BIN:-$root/bin}
if [ ! -x "$BIN/vpn-doctor" ]; then
	echo "secrets: $BIN/vpn-doctor missing (run make)"
	echo "secrets: 0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d /tmp/vdt-secrets.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # vpn-doctor started as root reads its inputs as nobody
in=$tmp/in out=$tmp/out
mkdir -p "$in/devconf" "$in/aws" "$out"

# Every canary holds MARK (so a truncated echo is found too) and is a valid AWS
# pre-shared key (letters, digits, '.', '_'; 8 to 64; not starting with 0).
MARK=Zq7Kx
python3 - "$in" "$MARK" <<'PY' || exit 1
import glob, json, os, re, sys
dst, mark = sys.argv[1], sys.argv[2]
n = [0]
def canary():
    n[0] += 1
    return "Vdt%02dCanary.%s" % (n[0], mark)
# the key values of the fixtures, longest first where one holds another
keys = ["Fixture.Key_number1_for_tests", "Fixture.Key_number3_for_tests", "0short-key",
        "0bad key!", "Aws.Secret_Key1", "-AQ==bm90IGEgcmVhbCBrZXk=", "Good.Key_12345",
        "Good.Key_1234", "0weak key", "ENC Zm9vYmFyYmF6cXV4cXV1eA==", "Plain.Text_key1",
        "Strong_Key.For.Tunnel1", "0x30313233343536373839", "$9$Cu1dtBEhSe87-ws4oGD",
        "Tunnel1_Secret_Key", "0starts.with.zero", "AwsKey_For_Tunnel_A",
        "FJLSDJFLSDJFLSDJF", "Branch_Key.0123456789abcdef", "Aws_Tunnel_Key_1",
        "Aws_Tunnel_Key_2"]
context = [(r"(secret = )(0short|whatever)\b", None), (r'(ascii-text ")(short)(")', None),
           (r"(pre-shared-key )(short)$", None), (r"(<key>)(0short)(</key>)", None)]
planted = 0
dialects = set()
for f in sorted(glob.glob("testdata/devconf/*/*")):
    if f.endswith(".json"):
        continue
    s = open(f, encoding="utf-8", errors="surrogateescape").read()
    for k in keys:
        while k in s:
            s = s.replace(k, canary(), 1)
    for pat, _ in context:
        s = re.sub(pat, lambda m: m.group(1) + canary() + (m.group(3) if m.lastindex >= 3 else ""),
                   s, flags=re.M)
    # ipsec.conf and libreswan keep keys in ipsec.secrets: plant one in a comment there
    if "/ipsec/" in f or "/libreswan/" in f:
        s += "\n# %%any : PSK \"%s\"\n" % canary()
    dialect = f.split("/")[2]
    if mark not in s:
        continue  # a fixture without a key (a bad lifetime, no tunnel): nothing to plant
    dialects.add(dialect)
    planted += s.count(mark)
    d = os.path.join(dst, "devconf", f.split("/")[2] + "-" + os.path.basename(f))
    open(d, "w", encoding="utf-8", errors="surrogateescape").write(s)
missing = set(os.path.basename(d) for d in glob.glob("testdata/devconf/*")) - dialects
if missing:
    sys.exit("secrets: no canary planted for " + " ".join(sorted(missing)))
# AWS JSON: every PreSharedKey and the keys inside CustomerGatewayConfiguration
for f in glob.glob("testdata/aws/basic/*.json"):
    s = re.sub(r"Fixture\.Key_[A-Za-z0-9_]+", lambda m: canary(), open(f).read())
    planted += s.count(mark)
    open(os.path.join(dst, "aws", os.path.basename(f)), "w").write(s)
# a tunnel log event whose detail names a key (AWS's never do; a careless device might)
log = open("testdata/vpnlogs/mixed.log").read()
ev = {"VpnLogCreationTimestamp": "2024-05-14 11:00:09Z", "VpnConnectionId": "vpn-0f9e8d7c6b5a43210",
      "TunnelOutsideIPAddress": "192.0.2.10",
      "VpnLogDetail": "AWS tunnel received AUTHENTICATION_FAILED (pre-shared key: %s)" % canary()}
open(os.path.join(dst, "tunnel.log"), "w").write(log + json.dumps(ev) + "\n")
planted += 1
print("secrets: %d canaries planted" % planted)
PY

export_env() {
	env -i PATH="$BIN:/usr/sbin:/usr/bin:/sbin:/bin" HOME="$tmp/home" TZ=UTC LC_ALL=C \
		AWS_ACCESS_KEY_ID=AKIAVDTCANARY0000001 \
		AWS_SECRET_ACCESS_KEY="Vdt98Canary.${MARK}/SecretAccessKey+abc" \
		AWS_SESSION_TOKEN="Vdt99Canary.${MARK}SessionToken//xyz==" \
		AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true "$@"
}
mkdir -p "$tmp/home"
passed=0 failed=0 runs=0 reports=0

# audit NAME CMD...: runs CMD (60 s at most) and looks for the mark in stdout and stderr
audit() {
	local name=$1 o=$out/$runs
	shift
	runs=$((runs + 1))
	(cd "$tmp" && export_env timeout 60 "$@" >"$o.out" 2>"$o.err" </dev/null)
	local rc=$?
	# a run that did not get as far as reading its inputs would prove nothing
	if [ "$rc" -eq 64 ] || [ "$rc" -eq 77 ] || [ "$rc" -ge 124 ] ||
		{ [ ! -s "$o.out" ] && [ ! -s "$o.err" ]; }; then
		failed=$((failed + 1))
		echo "FAIL  $name: exit $rc, no report ($(head -c 200 "$o.err"))"
		return
	fi
	[ -s "$o.out" ] && reports=$((reports + 1))
	check "$name" "$o.out" "$o.err"
}
check() {
	local name=$1 hits
	shift
	hits=$(grep -l -a -e "$MARK" -e 'Vdt[0-9][0-9]Canary' "$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		failed=$((failed + 1))
		echo "FAIL  $name: canary in $(for h in $hits; do basename "$h"; done | tr '\n' ' ')"
		grep -a -h -e "$MARK" -e 'Vdt[0-9][0-9]Canary' "$@" | cut -c1-200 | head -n 3 | sed 's/^/      /'
	else
		passed=$((passed + 1))
	fi
}

AWS=$in/aws LOG=$in/tunnel.log
for cfg in "$in"/devconf/*; do
	c=$(basename "$cfg")
	for fmt in "" --json --markdown; do
		audit "vpn-doctor $c ${fmt:-text}" vpn-doctor $fmt --config "$cfg" --aws-dir "$AWS" \
			--vpn-logs "$LOG" --skip srcip
		audit "vpn-ike check $c ${fmt:-text}" vpn-ike check $fmt --config "$cfg" \
			--aws-file "$AWS/VpnConnections.json"
		audit "vpn-policy $c ${fmt:-text}" vpn-policy $fmt --config "$cfg" --vpn-logs "$LOG"
	done
	audit "vpn-ike check $c --dump" vpn-ike check --dump --config "$cfg"
	audit "vpn-doctor $c --user root" vpn-doctor --user root --config "$cfg"
done
for fmt in "" --json; do
	audit "vpn-aws --aws-dir ${fmt:-text}" vpn-aws $fmt --aws-dir "$AWS"
	audit "vpn-aws --aws-file ${fmt:-text}" vpn-aws $fmt --aws-file "$AWS/VpnConnections.json"
done
for fmt in "" --json --markdown; do
	audit "vpn-routes ${fmt:-text}" vpn-routes $fmt --aws-dir "$AWS"
	audit "vpn-logs ${fmt:-text}" vpn-logs $fmt --vpn-logs "$LOG"
	audit "vpn-srcip ${fmt:-text}" vpn-srcip $fmt --aws-dir "$AWS" --pcap testdata/srcip/direct.pcap \
		--no-echo --no-ike
	audit "vpn-doctor aws+logs ${fmt:-text}" vpn-doctor $fmt --aws-dir "$AWS" --vpn-logs "$LOG" \
		--skip srcip
done
# the secrets in the environment: live reads against an endpoint that refuses (no AWS)
audit "vpn-aws --live (env credentials)" vpn-aws --live --region us-east-1 \
	--endpoint-url http://127.0.0.1:9/
audit "vpn-aws --live --json (env credentials)" vpn-aws --json --live --region us-east-1 \
	--endpoint-url http://127.0.0.1:9/
audit "vpn-doctor --live (env credentials)" vpn-doctor --user root --live --region us-east-1 \
	--endpoint-url http://127.0.0.1:9/ --skip srcip
audit "vpn-routes --live (env credentials)" vpn-routes --live --region us-east-1 \
	--endpoint-url http://127.0.0.1:9/
audit "vpn-doctor no inputs (environment discovery)" vpn-doctor --skip srcip
# the support bundle: every member
for cfg in "$in"/devconf/swanctl-aws.conf "$in"/devconf/ios-cryptomap.cfg \
	"$in"/devconf/aws-cgw-two-tunnels.xml; do
	c=$(basename "$cfg")
	audit "vpn-doctor --bundle $c" vpn-doctor --config "$cfg" --aws-dir "$AWS" --vpn-logs "$LOG" \
		--skip srcip --bundle "$tmp/b.tar.gz"
	rm -rf "$tmp/b" && mkdir -p "$tmp/b"
	if tar -xzf "$tmp/b.tar.gz" -C "$tmp/b" 2>/dev/null; then
		runs=$((runs + 1))
		check "bundle members of $c" $(find "$tmp/b" -type f)
	else
		failed=$((failed + 1))
		echo "FAIL  bundle of $c: no archive ($(head -c 200 "$out/$((runs - 1)).err"))"
	fi
done

bytes=$(cat "$out"/* | wc -c)
echo "secrets: $runs runs ($reports with a report on stdout), $bytes bytes of output searched"
echo "secrets: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
