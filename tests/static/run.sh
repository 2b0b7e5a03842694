#!/usr/bin/env bash
# Usage: tests/static/run.sh        (make check-static; root)
# The static binary where it is meant to run: `make static`, then file/readelf show that
# nothing is dynamically linked, then the binary runs in a chroot holding only Debian's
# busybox-static, the binary, /etc/resolv.conf, /etc/hosts and a CA bundle, inside a
# network namespace made here (loopback only), as uid/gid 65534:
#   vpn-probe -zvv against a listener in the namespace (a name from /etc/hosts), a name
#   through /etc/resolv.conf (tests/static/dns_stub.py in the namespace), --install-links
#   and argv[0] dispatch, vpn-doctor --version, HTTPS with libcurl to a local TLS server
#   (tests/static/tls_stub.py: the EC2 stand-in of tests/aws-stub) by a name from
#   /etc/hosts with --cacert, with the system bundle, and the error without any bundle.
#
# Opt-in, since the first `make static` fetches and builds libcurl (about a minute):
# runs when VPN_DOCTOR_STATIC_TEST=1 or when bin/static/vpn-doctor already exists;
# otherwise it skips with the reason. Last line: "static: N passed, N failed[, N skipped]".
set -u
shopt -s nullglob

cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
passed=0
failed=0
skipped=0
ok() { echo "static: $1: ok"; passed=$((passed + 1)); }
bad() {
	echo "static: $1: FAIL${2:+ ($2)}"
	failed=$((failed + 1))
}
skip() { echo "static: $1: skipped ($2)"; skipped=$((skipped + 1)); }
finish() {
	local s="static: $passed passed, $failed failed"
	[ "$skipped" -gt 0 ] && s="$s, $skipped skipped"
	echo "$s"
	[ "$failed" -eq 0 ]
	exit
}

if [ "${VPN_DOCTOR_STATIC_TEST:-0}" != 1 ] && [ ! -x bin/static/vpn-doctor ]; then
	skip "all" "opt-in: VPN_DOCTOR_STATIC_TEST=1 or a built bin/static/vpn-doctor (make static)"
	finish
fi
if [ "$(id -u)" -ne 0 ]; then
	skip "all" "needs root for chroot and a network namespace"
	finish
fi
missing=""
for c in file readelf ip chroot python3 openssl; do
	command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
python3 -c 'import botocore' >/dev/null 2>&1 || missing="$missing python3-botocore"
if [ -n "$missing" ]; then
	bad "tools" "missing:$missing (scripts/deps.sh static)"
	finish
fi

# 1. make static, and nothing dynamic in what it made.
start=$(date +%s)
if ! make --no-print-directory static >/tmp/vpn-doctor-static-build.$$ 2>&1; then
	tail -n 30 /tmp/vpn-doctor-static-build.$$
	rm -f /tmp/vpn-doctor-static-build.$$
	bad "make static"
	finish
fi
rm -f /tmp/vpn-doctor-static-build.$$
bin=$top/bin/static/vpn-doctor
ok "make static ($(($(date +%s) - start)) s, $(stat -c %s "$bin") bytes)"
f=$(file -b "$bin")
case $f in
*"statically linked"*stripped*) ok "file: $f" ;;
*) bad "file" "$f" ;;
esac
if readelf -lW "$bin" | grep -q 'INTERP\|Requesting program interpreter'; then
	bad "readelf -l" "has a program interpreter"
elif readelf -dW "$bin" 2>&1 | grep -q 'NEEDED'; then
	bad "readelf -d" "$(readelf -dW "$bin" | grep NEEDED | tr '\n' ' ')"
elif ! readelf -dW "$bin" 2>&1 | grep -q 'no dynamic section'; then
	bad "readelf -d" "has a dynamic section"
else
	ok "readelf: no interpreter, no dynamic section"
fi

# busybox-static's busybox, not the dynamic one of the busybox package.
busybox=""
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] && file -b "$b" | grep -q 'statically linked' && busybox=$b && break
done
if [ -z "$busybox" ]; then
	bad "busybox-static" "no statically linked busybox: apt-get install busybox-static (scripts/deps.sh static)"
	finish
fi

# 2. The chroot, the namespace, the servers in it.
ns=vdstatic$$
root=$(mktemp -d "${TMPDIR:-/tmp}/vpn-doctor-static.XXXXXX")
stub_dir=$(mktemp -d "${TMPDIR:-/tmp}/vpn-doctor-static-stub.XXXXXX")
stub_pid=""
dns_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null
	[ -n "$dns_pid" ] && kill "$dns_pid" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$root" "$stub_dir"
}
trap cleanup EXIT

mkdir -p "$root/bin" "$root/etc/ssl/certs" "$root/tmp"
chmod 0755 "$root" "$root/bin" "$root/etc" "$root/etc/ssl" "$root/etc/ssl/certs"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$bin" "$root/bin/vpn-doctor"
hosts_name=ec2.vpn-doctor.test
dns_name=dns-only.vpn-doctor.test
printf '127.0.0.1\tlocalhost\n127.0.0.1\t%s listener.vpn-doctor.test\n' "$hosts_name" \
	>"$root/etc/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$root/etc/resolv.conf"

ip netns add "$ns" || {
	bad "netns" "ip netns add failed"
	finish
}
ip netns exec "$ns" ip link set lo up

akid=AKIDSTATICTEST0000001
secret=static-test-secret-not-real
printf '{"region": "us-east-1", "keys": {"%s": {"secret": "%s"}}}\n' "$akid" "$secret" \
	>"$stub_dir/config.json"
# wait_line FILE PATTERN SECS: waits for a line matching PATTERN in FILE; prints it.
wait_line() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -m 1 -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
ip netns exec "$ns" python3 tests/static/tls_stub.py "$hosts_name" --dir "$stub_dir" \
	--config "$stub_dir/config.json" --root . --lifetime 120 \
	>"$stub_dir/stub.out" 2>"$stub_dir/stub.log" </dev/null &
stub_pid=$!
line=$(wait_line "$stub_dir/stub.out" '^https=' 20)
https_port=$(printf '%s\n' "$line" | sed -n 's/^https=\([0-9]*\) .*/\1/p')
if [ -z "$https_port" ]; then
	bad "TLS stub" "did not start: $(tail -n 3 "$stub_dir/stub.log" 2>/dev/null)"
	finish
fi
cp "$stub_dir/cert.pem" "$root/etc/ssl/certs/ca-certificates.crt"
cp "$stub_dir/cert.pem" "$root/etc/ssl/certs/test-ca.pem"

ip netns exec "$ns" python3 tests/static/dns_stub.py 127.0.0.1 53 "$dns_name=127.0.0.1" \
	>"$stub_dir/dns.out" 2>"$stub_dir/dns.log" </dev/null &
dns_pid=$!
wait_line "$stub_dir/dns.out" '^ready' 10 >/dev/null || bad "DNS stub" "did not start"

# inroot CMD...: CMD in the chroot, in the namespace, as 65534:65534, with a bare
# environment; stdout and stderr both to $out, exit status in $rc.
out=$stub_dir/out
inroot() {
	ip netns exec "$ns" chroot --userspec=65534:65534 "$root" /bin/busybox env -i \
		PATH=/tmp/bin:/bin HOME=/tmp "$@" >"$out" 2>&1
	rc=$?
}
has() { grep -q -- "$1" "$out"; }
show() { sed 's/^/    /' "$out"; }

echo "static: chroot holds: $(cd "$root" && find . -type f | sort | tr '\n' ' ')"

inroot /bin/busybox id
if has 'uid=65534' && has 'gid=65534'; then ok "runs as $(head -n 1 "$out")"; else bad "id" "$(cat "$out")"; fi

inroot /bin/vpn-doctor --version
if [ "$rc" -eq 0 ] && has '(static)' && has libcurl && has OpenSSL && has libpcap &&
	has cJSON && has expat && has glibc && has libdbus; then
	ok "vpn-doctor --version lists the libraries"
	show
else
	bad "vpn-doctor --version" "exit $rc"
	show
fi

inroot /bin/vpn-doctor --install-links /tmp/bin
if [ "$rc" -eq 0 ] && [ -L "$root/tmp/bin/vpn-probe" ] && [ -L "$root/tmp/bin/vpn-aws" ]; then
	ok "--install-links /tmp/bin ($(grep -c -- '->' "$out") links)"
else
	bad "--install-links" "exit $rc: $(cat "$out")"
fi

# 3. vpn-probe, started by its own name through the link, against the stub's port.
inroot vpn-probe -zvv listener.vpn-doctor.test "$https_port"
if [ "$rc" -eq 0 ] && has "listener.vpn-doctor.test (127.0.0.1:$https_port) open"; then
	ok "vpn-probe -zvv, a name from /etc/hosts, a listener in the namespace"
	show
	if grep -q 'listener.vpn-doctor.test' "$stub_dir/dns.log"; then
		bad "lookup order" "DNS was asked for a name /etc/hosts has"
	else
		ok "no nsswitch.conf: /etc/hosts answered, DNS was not asked"
	fi
else
	bad "vpn-probe -zvv listener" "exit $rc"
	show
fi

inroot vpn-probe -zvv 127.0.0.1 1
if [ "$rc" -eq 1 ] && has 'refused'; then ok "vpn-probe: a closed port is refused (exit 1)"; else
	bad "vpn-probe closed port" "exit $rc: $(cat "$out")"
fi

# ICMP echo goes through a ping socket: no CAP_NET_RAW, but the group must be in the
# namespace's net.ipv4.ping_group_range (off, "1 0", in a new namespace).
ip netns exec "$ns" sysctl -q -w net.ipv4.ping_group_range="1 0"
inroot vpn-probe --icmp -v 127.0.0.1
if [ "$rc" -eq 77 ] && has 'ping_group_range'; then
	ok "vpn-probe --icmp outside ping_group_range: exit 77 naming the sysctl"
else
	bad "vpn-probe --icmp, no ping group" "exit $rc: $(cat "$out")"
fi
ip netns exec "$ns" sysctl -q -w net.ipv4.ping_group_range="65534 65534"
inroot vpn-probe --icmp -v 127.0.0.1
if [ "$rc" -eq 0 ]; then
	ok "vpn-probe --icmp as gid 65534 once ping_group_range holds it"
	show
else
	bad "vpn-probe --icmp" "exit $rc: $(cat "$out")"
fi

inroot /bin/vpn-doctor probe -zv "$dns_name" "$https_port"
if [ "$rc" -eq 0 ] && has "$dns_name (127.0.0.1:$https_port) open" &&
	grep -q "$dns_name type 1" "$stub_dir/dns.log"; then
	ok "vpn-doctor probe: a name through /etc/resolv.conf (DNS in the namespace)"
else
	bad "DNS lookup" "exit $rc: $(cat "$out")"
fi

inroot vpn-probe -zv no-such-name.vpn-doctor.test 1
if [ "$rc" -ne 0 ] && has 'no-such-name.vpn-doctor.test'; then
	ok "an unknown name fails with a message naming it (exit $rc)"
else
	bad "unknown name" "exit $rc: $(cat "$out")"
fi

inroot /bin/vpn-doctor --demo
if ! has 'unknown tool'; then
	if [ "$rc" -le 2 ]; then ok "vpn-doctor --demo (exit $rc)"; else bad "vpn-doctor --demo" "exit $rc"; fi
else
	skip "vpn-doctor --demo" "vpn-doctor has no --demo yet (its front end is not built); vpn-doctor probe is tested above"
fi

# 4. HTTPS through libcurl: SigV4-signed EC2 calls to the stub by a name from /etc/hosts.
live() {
	inroot /bin/busybox env AWS_ACCESS_KEY_ID="$akid" AWS_SECRET_ACCESS_KEY="$secret" \
		AWS_EC2_METADATA_DISABLED=true vpn-aws --live --region us-east-1 \
		--endpoint-url "https://$hosts_name:$https_port" "$@"
}
live --cacert /etc/ssl/certs/test-ca.pem
if [ "$rc" -eq 0 ] && has '2 VPN connections' && has "https://$hosts_name:$https_port/"; then
	ok "vpn-aws --live --cacert over HTTPS to $hosts_name (from /etc/hosts)"
else
	bad "HTTPS with --cacert" "exit $rc"
	show
fi
if grep -q "$secret" "$out"; then bad "secret in output"; fi

live
if [ "$rc" -eq 0 ] && has '2 VPN connections'; then
	ok "vpn-aws --live with the system bundle /etc/ssl/certs/ca-certificates.crt"
else
	bad "HTTPS with the system bundle" "exit $rc"
	show
fi

rm -f "$root/etc/ssl/certs/ca-certificates.crt"
live
if [ "$rc" -eq 66 ] && has 'no CA certificate bundle' && has -- '--cacert'; then
	ok "no CA bundle: exit 66 and a clear error"
	show
else
	bad "no CA bundle" "exit $rc"
	show
fi

inroot /bin/busybox env AWS_CA_BUNDLE=/etc/ssl/certs/test-ca.pem AWS_ACCESS_KEY_ID="$akid" \
	AWS_SECRET_ACCESS_KEY="$secret" AWS_EC2_METADATA_DISABLED=true vpn-aws --live \
	--region us-east-1 --endpoint-url "https://$hosts_name:$https_port"
if [ "$rc" -eq 0 ] && has '2 VPN connections'; then ok "AWS_CA_BUNDLE without a system bundle"; else
	bad "AWS_CA_BUNDLE" "exit $rc: $(cat "$out")"
fi

# A bundle that does not hold the server's CA: verification fails, nothing is read.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=other -keyout /dev/null \
	-out "$root/etc/ssl/certs/other-ca.pem" >/dev/null 2>&1
live --cacert /etc/ssl/certs/other-ca.pem
if [ "$rc" -ne 0 ] && ! has 'VPN connections' && has 'certificate'; then
	ok "a bundle without the server's CA is refused (exit $rc)"
else
	bad "wrong CA" "exit $rc: $(cat "$out")"
fi

finish
