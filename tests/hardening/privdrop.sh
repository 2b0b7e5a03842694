#!/usr/bin/env bash
# vpn-doctor started as root opens what needs privilege first (the live capture, raw ICMP
# sockets, UDP port 500, root's ~/.aws) and then drops to --user (default nobody) with no capability before it reads any
# input; --deadline bounds the whole run. VPN_DOCTOR_DEBUG_PRIVS=exit makes it print its
# ids and capabilities (from /proc/self/status) after the drop and stop; =1 prints them and
# goes on. Traffic goes to 127.0.0.1 only.
# Last line: "privdrop: N passed, N failed[, N skipped]". Needs root (else: skipped).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
VD=${VD:-$root/bin/vpn-doctor}
passed=0 failed=0 skipped=0
skip() { skipped=$((skipped + 1)); echo "skip  $1"; }
ok() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1${2:+: $2}"; }

if [ "$(id -u)" != 0 ]; then
	echo "privdrop: skipped: needs root"
	echo "privdrop: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
if [ ! -x "$VD" ]; then
	echo "privdrop: $VD missing (run make)"
	echo "privdrop: 0 passed, 1 failed"
	exit 1
fi
nobody=$(id -u nobody) nogroup=$(id -g nobody)
tmp=$(mktemp -d /tmp/vdt-privdrop.XXXXXX)
writer=""
trap '[ -n "$writer" ] && kill "$writer" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

# privs ARGS...: the "privileges:" lines of a run that stops right after the drop
privs() { VPN_DOCTOR_DEBUG_PRIVS=exit "$VD" "$@" 2>&1 >/dev/null; }
field() { awk -v f="$1:" '$2 == "privileges:" && $3 == f { $1 = $2 = $3 = ""; print }' | xargs; }

out=$(privs --demo)
uid=$(field Uid <<<"$out") gid=$(field Gid <<<"$out") caps=$(field CapEff <<<"$out")
nnp=$(field NoNewPrivs <<<"$out") groups=$(field Groups <<<"$out")
if [ "$uid" = "$nobody $nobody $nobody $nobody" ] && [ "$gid" = "$nogroup $nogroup $nogroup $nogroup" ] &&
	[ "$groups" = "$nogroup" ] && [ "$caps" = 0000000000000000 ] && [ "$nnp" = 1 ]; then
	ok "file-only run: real, effective, saved and fs uid $nobody, one group, no capability, no_new_privs"
else
	fail "file-only run" "$(tr '\n' ' ' <<<"$out")"
fi

out=$(privs --capture lo --cgw-ip 198.51.100.10 --peer 203.0.113.1)
uid=$(field Uid <<<"$out") caps=$(field CapEff <<<"$out")
if [ "$uid" = "$nobody $nobody $nobody $nobody" ] && [ "$caps" = 0000000000000000 ]; then
	ok "capture run: uid $nobody with no capability left"
else
	fail "capture run" "$(tr '\n' ' ' <<<"$out")"
fi

# json_ev FILE CHECK FIELD: one evidence value of the first finding of CHECK that has it
json_ev() {
	/usr/bin/python3 -c '
import json, sys
r = json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][0])
for f in r["findings"]:
    if f["check"] == sys.argv[2] and sys.argv[3] in (f.get("evidence") or {}):
        print(f["status"], json.dumps(f["evidence"][sys.argv[3]])); break
' "$@" 2>/dev/null
}

# The capture was opened before the drop: as nobody without a capability it still sees
# the IKE requests sent to 127.0.0.1; started as nobody, the same run can only skip.
srcip=(--capture lo --cgw-ip 127.0.0.1 --peer 127.0.0.1 --public-ip 127.0.0.1 --only srcip --json)
VPN_DOCTOR_DEBUG_PRIVS=1 timeout 60 "$VD" "${srcip[@]}" >"$tmp/cap.json" 2>"$tmp/cap.err"
caps=$(field CapEff <"$tmp/cap.err") got=$(json_ev "$tmp/cap.json" srcip.capture ike_out)
if [ "$caps" = 0000000000000000 ] && [[ $got =~ ^(pass|warn)\ [1-9] ]]; then
	ok "capture opened before the drop: CapEff 0, srcip.capture saw IKE out ($got)"
else
	fail "capture after the drop" "CapEff $caps, srcip.capture ike_out: ${got:-none}"
fi
# The IKE port was bound before the drop too: the probe sends from 500, as a gateway does
got=$(json_ev "$tmp/cap.json" srcip.responder local_port)
if [[ $got =~ ^[a-z]+\ 500$ ]]; then
	ok "IKE port bound before the drop: the probe sent from UDP 500 with no capability"
else
	fail "IKE port after the drop" "srcip.responder local_port: ${got:-none}"
fi
setpriv --reuid="$nobody" --regid="$nogroup" --clear-groups timeout 60 "$VD" "${srcip[@]}" \
	>"$tmp/cap2.json" 2>/dev/null
if grep -q '"check":"srcip.capture","status":"skip"[^}]*CAP_NET_RAW' "$tmp/cap2.json"; then
	ok "started as nobody: srcip.capture is a skip naming CAP_NET_RAW"
else
	fail "started as nobody: capture" "$(grep -o '"check":"srcip.capture"[^}]*' "$tmp/cap2.json")"
fi
got=$(json_ev "$tmp/cap2.json" srcip.responder local_port)
if [ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null)" -le 500 ] 2>/dev/null; then
	skip "started as nobody: IKE source port not compared (ip_unprivileged_port_start <= 500)"
elif [[ $got =~ ^[a-z]+\ [0-9]+$ ]] && [ "${got#* }" != 500 ]; then
	ok "started as nobody: the IKE probe falls back to an ephemeral port (${got#* })"
else
	fail "started as nobody: IKE source port" "srcip.responder local_port: ${got:-none}"
fi

# The raw ICMP socket was opened before the drop: the path-MTU probe uses it as nobody
# (this machine's ping_group_range leaves nobody no ping socket); started as nobody, it
# falls back to UDP.
mtu=(--mtu-target 127.0.0.1 --only tunnel.mtu --json)
timeout 60 "$VD" "${mtu[@]}" >"$tmp/mtu.json" 2>/dev/null
got=$(json_ev "$tmp/mtu.json" tunnel.mtu raw_socket) method=$(json_ev "$tmp/mtu.json" tunnel.mtu method)
if [ "$got" = "pass true" ] && [ "$method" = 'pass "icmp"' ]; then
	ok "raw ICMP socket opened before the drop: the MTU probe used it ($method, raw_socket true)"
else
	fail "raw ICMP after the drop" "raw_socket ${got:-none}, method ${method:-none}"
fi
setpriv --reuid="$nobody" --regid="$nogroup" --clear-groups timeout 60 "$VD" "${mtu[@]}" \
	>"$tmp/mtu2.json" 2>/dev/null
ping_range=$(cat /proc/sys/net/ipv4/ping_group_range 2>/dev/null | xargs)
method=$(json_ev "$tmp/mtu2.json" tunnel.mtu method)
if [ "$ping_range" != "1 0" ]; then
	skip "started as nobody: MTU fallback not compared (ping_group_range is '$ping_range', nobody may ping)"
elif [ "$method" = 'pass "udp"' ]; then
	ok "started as nobody: no raw socket, the MTU probe falls back to UDP"
else
	fail "started as nobody: MTU" "method ${method:-none}"
fi

# live_as_root LABEL PROFILE MESSAGE SECRET [NAME=VALUE...]: --live --profile PROFILE as root
# with HOME=$tmp/roothome and the environment given; passes when the run drops to nobody,
# reaches the closed loopback port (exit 69, stderr line "vpn-doctor: MESSAGE...") and
# prints nothing of SECRET.
live=(--region us-east-1 --endpoint-url http://127.0.0.1:9/ --only routes)
live_as_root() {
	local label=$1 profile=$2 message=$3 secret=$4 err rc uid
	shift 4
	err=$(env -i PATH=/usr/bin:/bin HOME="$tmp/roothome" AWS_EC2_METADATA_DISABLED=true "$@" \
		VPN_DOCTOR_DEBUG_PRIVS=1 timeout 60 "$VD" --live --profile "$profile" "${live[@]}" \
		2>&1 >/dev/null)
	rc=$?
	uid=$(field Uid <<<"$err")
	if [ "$rc" = 69 ] && [ "$uid" = "$nobody $nobody $nobody $nobody" ] &&
		grep -q "^vpn-doctor: $message" <<<"$err" && ! grep -qF "$secret" <<<"$err"; then
		ok "$label, request sent as uid $nobody"
	else
		fail "$label" "exit $rc: $(grep -v privileges: <<<"$err" | head -2 | tr '\n' ' ')"
	fi
}

# --live as root: root's ~/.aws (mode 0700) is opened before the drop, so the credentials
# are found and the request is signed and sent (to a closed loopback port: exit 69);
# started as nobody, the same run cannot even look into the directory.
mkdir -p "$tmp/roothome/.aws"
chmod 0700 "$tmp/roothome" "$tmp/roothome/.aws"
printf '[vdt]\naws_access_key_id = AKIAVDTPRIVDROP00001\naws_secret_access_key = VdtPrivdrop/Secret+abc\n' \
	>"$tmp/roothome/.aws/credentials"
chmod 0600 "$tmp/roothome/.aws/credentials"
live_as_root "--live as root: root-only ~/.aws/credentials opened before the drop" vdt \
	'ec2:DescribeVpnConnections: 127.0.0.1: Failed to connect' VdtPrivdrop
err=$(setpriv --reuid="$nobody" --regid="$nogroup" --clear-groups env -i PATH=/usr/bin:/bin \
	HOME="$tmp/roothome" AWS_EC2_METADATA_DISABLED=true timeout 60 "$VD" --live --profile vdt "${live[@]}" \
	2>&1 >/dev/null)
rc=$?
[ "$rc" = 66 ] && [ "$err" = "vpn-doctor: ~/.aws/config: Permission denied" ] &&
	ok "--live started as nobody: ~/.aws cannot be read (exit 66)" ||
	fail "--live started as nobody" "exit $rc: $err"

# A web identity token file named only by the profile in root's ~/.aws/config: the shared
# files are read before the drop to find it, so it is opened too, and the token is sent to
# STS (a closed loopback port: exit 69) by uid nobody. Before, it was "Permission denied".
printf '[profile vdtweb]\nrole_arn = arn:aws:iam::123456789012:role/vdt\nweb_identity_token_file = ~/.aws/token\n' \
	>"$tmp/roothome/.aws/config"
printf 'eyJVdtPrivdropWebToken.payload.signature\n' >"$tmp/roothome/.aws/token"
chmod 0600 "$tmp/roothome/.aws/config" "$tmp/roothome/.aws/token"
live_as_root "--live as root: token file named by the profile opened before the drop" vdtweb \
	'web identity (profile vdtweb): STS AssumeRoleWithWebIdentity: Failed to connect' \
	VdtPrivdropWebToken AWS_ENDPOINT_URL_STS=http://127.0.0.1:9/

uid=$(privs --user root --demo | field Uid)
[ "$uid" = "0 0 0 0" ] && ok "--user root keeps root" || fail "--user root" "Uid $uid"

uid=$(privs --user daemon --demo | field Uid)
d=$(id -u daemon)
[ "$uid" = "$d $d $d $d" ] && ok "--user daemon: uid $d" || fail "--user daemon" "Uid $uid"

uid=$(privs --user 12345 --demo | field Uid) gid=$(privs --user 12345 --demo | field Gid)
[ "$uid" = "12345 12345 12345 12345" ] && [ "$gid" = "12345 12345 12345 12345" ] &&
	ok "--user 12345 (no passwd entry): uid and gid 12345" || fail "--user 12345" "Uid $uid Gid $gid"

err=$("$VD" --user no-such-user-vdt --demo 2>&1 >/dev/null)
rc=$?
[ "$rc" = 77 ] && [ "$err" = "vpn-doctor: --user no-such-user-vdt: no such user" ] &&
	ok "--user no-such-user: exit 77, one line" || fail "--user no-such-user" "exit $rc: $err"

# a configuration only root may read cannot be read after the drop
install -m 0600 testdata/devconf/swanctl/aws.conf "$tmp/root-only.conf"
err=$("$VD" --config "$tmp/root-only.conf" --only ike.config 2>&1 >/dev/null)
rc=$?
if [ "$rc" = 66 ] && [ "$err" = "vpn-doctor: $tmp/root-only.conf: Permission denied" ]; then
	ok "root-only configuration: exit 66, Permission denied (read after the drop)"
else
	fail "root-only configuration" "exit $rc: $err"
fi
"$VD" --user root --config "$tmp/root-only.conf" --only ike.config >/dev/null 2>&1
rc=$?
[ "$rc" -le 2 ] && ok "root-only configuration with --user root: read (exit $rc)" ||
	fail "root-only configuration with --user root" "exit $rc"

# started as root in a directory only root may enter, the demo (now nobody) still runs
mkdir -m 0700 "$tmp/private"
err=$(cd "$tmp/private" && "$VD" --demo 2>&1 >/dev/null)
rc=$?
[ "$rc" = 2 ] && [ -z "$err" ] && ok "--demo started in a root-only directory: runs (exit 2)" ||
	fail "--demo in a root-only directory" "exit $rc: $err"

# the report is the same with and without the drop
a=$("$VD" --demo --json 2>&1) b=$("$VD" --user root --demo --json 2>&1)
[ "$a" = "$b" ] && ok "--demo report identical as nobody and as root" ||
	fail "--demo as nobody differs from root"

# not root: nothing to drop, the run goes on
out=$(setpriv --reuid="$nobody" --regid="$nogroup" --clear-groups env VPN_DOCTOR_DEBUG_PRIVS=exit \
	"$VD" --user daemon --demo 2>&1 >/dev/null)
rc=$?
uid=$(field Uid <<<"$out")
[ "$rc" = 0 ] && [ "$uid" = "$nobody $nobody $nobody $nobody" ] &&
	ok "started unprivileged: --user ignored, runs" || fail "started unprivileged" "exit $rc: $out"

# --deadline: a tunnel log that never ends (a FIFO whose writer never writes) stops at 1 s
mkfifo -m 0666 "$tmp/log.fifo"
sleep 30 >"$tmp/log.fifo" &
writer=$!
start=$(date +%s%N)
err=$("$VD" --vpn-logs "$tmp/log.fifo" --only aws.tunnel_logs --check-timeout 20 --deadline 1 2>&1 >/dev/null)
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
kill "$writer" 2>/dev/null
writer=""
if [ "$rc" = 69 ] && [ "$ms" -lt 5000 ] &&
	[ "$err" = "vpn-doctor: --deadline: the run took longer than 1 s; stopped" ]; then
	ok "--deadline 1 stops a hung run after ${ms} ms, exit 69"
else
	fail "--deadline 1" "exit $rc after ${ms} ms: $err"
fi
err=$("$VD" --demo --deadline 0 2>&1 >/dev/null)
rc=$?
[ "$rc" = 64 ] && ok "--deadline 0: usage error" || fail "--deadline 0" "exit $rc: $err"
"$VD" --demo --deadline 30 >/dev/null 2>&1
rc=$?
[ "$rc" -le 2 ] && ok "--deadline 30: the demo finishes (exit $rc)" || fail "--deadline 30" "exit $rc"

if [ "$skipped" -gt 0 ]; then
	echo "privdrop: $passed passed, $failed failed, $skipped skipped"
else
	echo "privdrop: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
