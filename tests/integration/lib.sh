# Helpers for the namespace integration tests. Source it from a test_*.sh script (bash).
#
# Every lab lives in network namespaces named vdt-it-$$-*, never joined to the host's
# network: the only veth pairs run between namespaces this script made. Addresses are the
# documentation ranges (RFC 5737, RFC 3849). Every wait is bounded; the EXIT trap kills the
# background processes this script started (by pid) and deletes its namespaces.
#
#   lab_up            client <-> server on one veth pair
#                       client 192.0.2.2/24   2001:db8::2/64
#                       server 192.0.2.10/24  2001:db8::10/64
#   lab_up router     client <-> router <-> server, so an ICMP error can come from a third
#                     address (the router):
#                       client 192.0.2.2/24    2001:db8:c::2/64      gw .1 / ::1
#                       router 192.0.2.1/24    2001:db8:c::1/64   (client side)
#                              198.51.100.1/24 2001:db8:5::1/64   (server side)
#                       server 198.51.100.10/24 2001:db8:5::10/64    gw .1 / ::1
#   then: $NS_C $NS_S [$NS_R], $CLI4 $SRV4 $RTR4 $RTR4_S $CLI6 $SRV6 $RTR6
#
#   in_c/in_s/in_r CMD...     run CMD inside a namespace (ip netns exec form)
#   listen_tcp NS ADDR PORT   ncat -l -k, waits until it listens
#   listen_udp_echo NS PORT   ncat -u -l -k --exec /bin/cat (answers every datagram)
#   listen_udp_silent NS PORT a UDP socket that never answers
#   ok NAME / fail NAME WHY / skip NAME WHY, then it_finish (last line "counts: P F S")

set -u

IT_PASS=0
IT_FAIL=0
IT_SKIP=0
IT_PIDS=()
IT_NETNS=()
IT_TMP=""
IT_PFX="vdt-it-$$-"

IT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VPN_PROBE=${VPN_PROBE:-$IT_ROOT/bin/vpn-probe}
IT_T=${IT_T:-20}	# bound on any single command (seconds)

ok()   { IT_PASS=$((IT_PASS + 1)); printf 'ok    %s\n' "$1"; }
fail() { IT_FAIL=$((IT_FAIL + 1)); printf 'FAIL  %s: %s\n' "$1" "$2"; }
skip() { IT_SKIP=$((IT_SKIP + 1)); printf 'skip  %s: %s\n' "$1" "$2"; }
note() { printf '      %s\n' "$*"; }

# Prints the counts line run.sh reads, and exits non-zero if anything failed.
it_finish() {
	printf 'counts: %d %d %d\n' "$IT_PASS" "$IT_FAIL" "$IT_SKIP"
	[ "$IT_FAIL" -eq 0 ]
	exit
}

# Why this machine cannot run namespace tests, or nothing (status 0) when it can.
it_unsupported() {
	if [ "$(id -u)" != 0 ]; then echo "not root"; return 1; fi
	if ! command -v ip >/dev/null; then echo "no ip(8)"; return 1; fi
	local probe="${IT_PFX}probe"
	if ! ip netns add "$probe" 2>/dev/null; then echo "ip netns unavailable"; return 1; fi
	ip netns del "$probe" 2>/dev/null
	return 0
}

it_cleanup() {
	local p ns
	for p in "${IT_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${IT_PIDS[@]}"; do
		# bounded: a listener that ignores TERM gets KILL after a second
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
	done
	for ns in "${IT_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	[ -n "$IT_TMP" ] && rm -rf "$IT_TMP"
}

it_init() {
	trap it_cleanup EXIT
	trap 'exit 130' INT TERM
	IT_TMP=$(mktemp -d /tmp/vdt-it.XXXXXX)
	# readable by everyone: vpn-doctor started as root reads its inputs as nobody
	chmod 755 "$IT_TMP"
}

# Tracks a background pid for the EXIT trap.
it_bg() { IT_PIDS+=("$1"); }

ns_add() {
	ip netns add "$1" || return 1
	IT_NETNS+=("$1")
	ip -n "$1" link set lo up
	# ICMP errors must not be rate-limited, or a sweep's unreachables turn into timeouts.
	ip netns exec "$1" sysctl -qw net.ipv4.icmp_ratelimit=0 >/dev/null
	ip netns exec "$1" sysctl -qw net.ipv6.icmp.ratelimit=0 >/dev/null
	# per namespace on recent kernels, global on older ones: best effort either way
	ip netns exec "$1" sysctl -qw net.ipv4.icmp_msgs_per_sec=100000 >/dev/null 2>&1
	ip netns exec "$1" sysctl -qw net.ipv4.icmp_msgs_burst=100000 >/dev/null 2>&1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 >/dev/null 2>&1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.accept_dad=0 >/dev/null 2>&1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_ra=0 >/dev/null 2>&1
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.accept_ra=0 >/dev/null 2>&1
	return 0
}

in_c() { ip netns exec "$NS_C" "$@"; }
in_s() { ip netns exec "$NS_S" "$@"; }
in_r() { ip netns exec "$NS_R" "$@"; }

# veth between two namespaces: link NS_A IF_A NS_B IF_B
ns_link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

lab_up() {
	NS_C="${IT_PFX}c"
	NS_S="${IT_PFX}s"
	NS_R=""
	ns_add "$NS_C" && ns_add "$NS_S" || return 1
	if [ "${1:-}" = router ]; then
		NS_R="${IT_PFX}r"
		ns_add "$NS_R" || return 1
		ns_link "$NS_C" c0 "$NS_R" r0 && ns_link "$NS_R" r1 "$NS_S" s0 || return 1
		CLI4=192.0.2.2 RTR4=192.0.2.1 RTR4_S=198.51.100.1 SRV4=198.51.100.10
		CLI6=2001:db8:c::2 RTR6=2001:db8:c::1 RTR6_S=2001:db8:5::1 SRV6=2001:db8:5::10
		ip -n "$NS_C" addr add "$CLI4/24" dev c0
		ip -n "$NS_C" addr add "$CLI6/64" dev c0 nodad
		ip -n "$NS_R" addr add "$RTR4/24" dev r0
		ip -n "$NS_R" addr add "$RTR6/64" dev r0 nodad
		ip -n "$NS_R" addr add "$RTR4_S/24" dev r1
		ip -n "$NS_R" addr add "$RTR6_S/64" dev r1 nodad
		ip -n "$NS_S" addr add "$SRV4/24" dev s0
		ip -n "$NS_S" addr add "$SRV6/64" dev s0 nodad
		ip -n "$NS_C" route add default via "$RTR4"
		ip -n "$NS_C" -6 route add default via "$RTR6"
		ip -n "$NS_S" route add default via "$RTR4_S"
		ip -n "$NS_S" -6 route add default via "$RTR6_S"
		in_r sysctl -qw net.ipv4.ip_forward=1 >/dev/null
		in_r sysctl -qw net.ipv6.conf.all.forwarding=1 >/dev/null
	else
		ns_link "$NS_C" c0 "$NS_S" s0 || return 1
		CLI4=192.0.2.2 SRV4=192.0.2.10 RTR4="" RTR4_S=""
		CLI6=2001:db8::2 SRV6=2001:db8::10 RTR6="" RTR6_S=""
		ip -n "$NS_C" addr add "$CLI4/24" dev c0
		ip -n "$NS_C" addr add "$CLI6/64" dev c0 nodad
		ip -n "$NS_S" addr add "$SRV4/24" dev s0
		ip -n "$NS_S" addr add "$SRV6/64" dev s0 nodad
	fi
	# bounded wait until the client reaches the server both ways
	wait_for 5 in_c busybox ping -c1 -W1 -q "$SRV4" >/dev/null || { echo "lab: no IPv4 path" >&2; return 1; }
	wait_for 5 in_c busybox ping6 -c1 -W1 -q "$SRV6" >/dev/null || { echo "lab: no IPv6 path" >&2; return 1; }
}

# wait_for SECS CMD...: retries CMD every 0.1 s until it succeeds or SECS pass.
wait_for() {
	local end=$((SECONDS + $1)); shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# ss filter helpers for waits
tcp_listening() { ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .; }
udp_bound()     { ip netns exec "$1" ss -Hlun "sport = :$2" | grep -q .; }

# listen_tcp NS ADDR PORT: a TCP listener accepting any number of connections.
# ADDR may be "any". Returns when the socket listens (or fails after 5 s).
listen_tcp() {
	local ns=$1 addr=$2 port=$3
	if [ "$addr" = any ]; then
		ip netns exec "$ns" timeout 900 ncat -l -k "$port" </dev/null >/dev/null 2>&1 &
	else
		ip netns exec "$ns" timeout 900 ncat -l -k "$addr" "$port" </dev/null >/dev/null 2>&1 &
	fi
	it_bg $!
	wait_for 5 tcp_listening "$ns" "$port"
}

# listen_udp_echo NS PORT: every datagram is answered with itself.
listen_udp_echo() {
	ip netns exec "$1" timeout 900 ncat -u -l -k --exec /bin/cat "$2" </dev/null >/dev/null 2>&1 &
	it_bg $!
	wait_for 5 udp_bound "$1" "$2"
}

# listen_udp_silent NS PORT: bound, reads every datagram, never answers. (busybox nc -u -l
# connects to its first peer, so a second peer would get port-unreachable; ncat -k needs
# an --exec in UDP mode, hence the sink.)
listen_udp_silent() {
	ip netns exec "$1" timeout 900 ncat -u -l -k --sh-exec 'cat >/dev/null' "$2" </dev/null >/dev/null 2>&1 &
	it_bg $!
	wait_for 5 udp_bound "$1" "$2"
}

# ---- output helpers --------------------------------------------------------------------

# json_get LINE KEY: the value of a top-level scalar key of one JSON object line (jq when
# available, sed otherwise). Strings come back unquoted.
json_get() {
	if command -v jq >/dev/null; then
		printf '%s\n' "$1" | jq -r --arg k "$2" 'if has($k) then .[$k] | tostring else empty end' 2>/dev/null
	else
		printf '%s\n' "$1" | sed -n "s/.*\"$2\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p"
	fi
}

# json_icmp LINE FIELD: a field of the "icmp" object.
json_icmp() {
	printf '%s\n' "$1" | jq -r --arg k "$2" '.icmp[$k] // empty | tostring' 2>/dev/null
}

# json_probe_lines FILE: the per-probe objects (everything but the final report object).
json_probe_lines() { grep '^{"host"' "$1"; }
json_report_line() { grep '"tool":"vpn-probe"' "$1" | tail -n 1; }

# json_count REPORTLINE STATE: the count for a state in the probe.reachability evidence.
json_count() {
	printf '%s\n' "$1" | jq -r --arg s "$2" \
		'[.findings[] | select(.check == "probe.reachability") | .evidence[$s]][0] // "missing" | tostring' 2>/dev/null
}

# nmap_port XMLFILE PORT PROTO: prints "state reason [reason_ip]" for one port of nmap -oX.
nmap_port() {
	local line
	line=$(tr -d '\n' <"$1" | grep -o "<port protocol=\"$3\" portid=\"$2\">[^/]*/>" | head -n 1)
	if [ -z "$line" ]; then
		# ports nmap folds into <extraports>: state and reason of the fold
		line=$(tr -d '\n' <"$1" | grep -o '<extraports state="[^"]*"[^>]*>[^<]*<extrareasons reason="[^"]*"' | head -n 1)
		[ -z "$line" ] && { echo "none"; return; }
		printf '%s %s\n' "$(printf '%s' "$line" | sed 's/.*<extraports state="\([^"]*\)".*/\1/')" \
			"$(printf '%s' "$line" | sed 's/.*reason="\([^"]*\)"$/\1/')"
		return
	fi
	local st rs ip
	st=$(printf '%s' "$line" | sed -n 's/.*<state state="\([^"]*\)".*/\1/p')
	rs=$(printf '%s' "$line" | sed -n 's/.*<state [^>]*reason="\([^"]*\)".*/\1/p')
	ip=$(printf '%s' "$line" | sed -n 's/.*reason_ip="\([^"]*\)".*/\1/p')
	printf '%s %s%s\n' "$st" "$rs" "${ip:+ $ip}"
}

# ---- the IKE lab (tests/lab/lab.sh), shared by the tests that use it ---------------------
LAB="$IT_ROOT/tests/lab/lab.sh"
LABS=()
LAB_ECHO_PIDS=()

# lab_unsupported: why the lab cannot run here (root, namespaces, strongSwan, TUN), or
# nothing (status 0) when it can.
lab_unsupported() {
	local t
	it_unsupported || return 1
	CHARON=${CHARON:-/usr/lib/ipsec/charon}
	export CHARON
	for t in "$CHARON" swanctl python3; do
		command -v "$t" >/dev/null || { echo "$t missing (scripts/deps.sh test)"; return 1; }
	done
	[ -c /dev/net/tun ] || { echo "no /dev/net/tun for kernel-libipsec"; return 1; }
	return 0
}

# lab_cleanup: stops echo services and every lab a test started; then it_cleanup.
lab_cleanup() {
	local d p
	for p in "${LAB_ECHO_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for d in "${LABS[@]}"; do
		[ -f "$d/id" ] && LAB_DIR=$d "$LAB" down >/dev/null 2>&1
	done
	it_cleanup
}

# lab_start NAME [lab.sh up ARGS...]: a fresh lab in $IT_TMP/lab-NAME (the previous one,
# and its echo service, are taken down first); LAB_DIR is exported.
lab_start() {
	local name=$1 p
	shift
	for p in "${LAB_ECHO_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	LAB_ECHO_PIDS=()
	[ -n "${LAB_DIR:-}" ] && [ -f "$LAB_DIR/id" ] && "$LAB" down >/dev/null 2>&1
	LAB_DIR="$IT_TMP/lab-$name"
	LABS+=("$LAB_DIR")
	export LAB_DIR
	if ! timeout 60 "$LAB" up "$@" >"$IT_TMP/up-$name" 2>&1; then
		fail "lab $name up" "$(tail -n 5 "$IT_TMP/up-$name" | tr '\n' ' ')"
		return 1
	fi
}

# lab_echo_server: an HTTP echo service on 203.0.113.1:8080 in the "AWS" namespace that
# answers with the client's address and a newline, as checkip.amazonaws.com does.
lab_echo_server() {
	"$LAB" exec aws python3 -c '
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        b = (self.client_address[0] + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("203.0.113.1", 8080), H).serve_forever()
' >/dev/null 2>&1 &
	LAB_ECHO_PIDS+=($!)
	local i
	for i in $(seq 1 50); do
		"$LAB" exec cgw python3 -c 'import socket; socket.create_connection(("203.0.113.1", 8080), 1)' \
			2>/dev/null && return 0
		sleep 0.1
	done
	fail "lab echo service" "did not start"
	return 1
}
