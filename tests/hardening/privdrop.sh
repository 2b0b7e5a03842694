#!/usr/bin/env bash
# vpn-doctor started as root drops to --user (default nobody) before it reads any input,
# keeping only CAP_NET_RAW, CAP_NET_ADMIN and CAP_NET_BIND_SERVICE when the run sends or
# captures packets; --deadline bounds the whole run. VPN_DOCTOR_DEBUG_PRIVS=exit makes it
# print its ids and capabilities (from /proc/self/status) after the drop and stop.
# Last line: "privdrop: N passed, N failed[, N skipped]". Needs root (else: skipped).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
VD=${VD:-$root/bin/vpn-doctor}
passed=0 failed=0
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
# CAP_NET_BIND_SERVICE 10, CAP_NET_ADMIN 12, CAP_NET_RAW 13
if [ "$uid" = "$nobody $nobody $nobody $nobody" ] && [ "$caps" = 0000000000003400 ]; then
	ok "capture run: uid $nobody with only CAP_NET_BIND_SERVICE, CAP_NET_ADMIN, CAP_NET_RAW"
else
	fail "capture run" "$(tr '\n' ' ' <<<"$out")"
fi

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

echo "privdrop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
