#!/bin/bash
# vpn-probe against real peers in namespaces: each case checks vpn-probe's verdict against
# the ground truth the lab was built with, and against nmap on the same target.
#
# Lab (lib.sh "router"): client 192.0.2.2 -> router 192.0.2.1|198.51.100.1 -> server
# 198.51.100.10 (and 2001:db8:c::2 -> 2001:db8:c::1|2001:db8:5::1 -> 2001:db8:5::10).
#
# Server side, TCP on 198.51.100.10 / 2001:db8:5::10:
#   80  listener (v4 and v6)                       -> open
#   81  nothing                                    -> refused
#   82  iptables DROP in the server                -> filtered
#   83  REJECT in the router's FORWARD chain       -> unreachable, ICMP from the router:
#       v4 icmp-host-unreachable (from 192.0.2.1), v6 icmp6-no-route (from 2001:db8:c::1)
#   84  REJECT in the server's INPUT chain         -> unreachable, ICMP from the server:
#       v4 icmp-admin-prohibited, v6 icmp6-adm-prohibited
#   85  listener behind a DROP removed mid-run     -> --keepalive down, then up
#   9000-9099  listeners on the even ports          -> TIME_WAIT and RTT checks
# UDP on 198.51.100.10: 53 echo (answers), 54 nothing (port unreachable), 500 bound but
#   silent, 501 DROP, 9999 echo (for --udp-payload)
# Sweep 198.51.100.16/28 port 8443 (.17-.30 on the server): .17-.19 listen, .20-.21 DROP,
#   .22 REJECT host-unreachable in the router, .23-.30 refuse.
# ICMP echo: .10 answers, .40 DROP in the server, .41 REJECT host-unreachable in the router.
#
# chk takes its condition as a string evaluated later, hence single quotes throughout:
# shellcheck disable=SC2016,SC2034

. "$(dirname "$0")/lib.sh"

W=1                         # vpn-probe -w for every case (seconds)
NMAP_T=60                   # bound on one nmap run

if ! why=$(it_unsupported); then
	skip "test_probe" "$why"
	it_finish
fi
if [ ! -x "$VPN_PROBE" ]; then
	fail "test_probe" "$VPN_PROBE missing (run make)"
	it_finish
fi
for t in ncat nmap iptables ip6tables jq busybox ss; do
	if ! command -v "$t" >/dev/null; then
		skip "test_probe" "$t not installed"
		it_finish
	fi
done

it_init
lab_up router || { fail "lab" "could not build the namespace lab"; it_finish; }

# ---- server side ------------------------------------------------------------------------
setup_server() {
	listen_tcp "$NS_S" "$SRV4" 80 &&
	listen_tcp "$NS_S" "$SRV6" 80 &&
	in_s iptables -A INPUT -p tcp --dport 82 -j DROP &&
	in_s ip6tables -A INPUT -p tcp --dport 82 -j DROP &&
	in_r iptables -A FORWARD -p tcp -d "$SRV4" --dport 83 -j REJECT --reject-with icmp-host-unreachable &&
	in_r ip6tables -A FORWARD -p tcp -d "$SRV6" --dport 83 -j REJECT --reject-with icmp6-no-route &&
	in_s iptables -A INPUT -p tcp --dport 84 -j REJECT --reject-with icmp-admin-prohibited &&
	in_s ip6tables -A INPUT -p tcp --dport 84 -j REJECT --reject-with icmp6-adm-prohibited &&
	listen_udp_echo "$NS_S" 53 &&
	listen_udp_silent "$NS_S" 500 &&
	in_s iptables -A INPUT -p udp --dport 501 -j DROP &&
	listen_udp_echo "$NS_S" 9999 || return 1
	# the /28 sweep
	local i
	for i in $(seq 17 30); do ip -n "$NS_S" addr add "198.51.100.$i/32" dev s0 || return 1; done
	for i in 17 18 19; do listen_tcp "$NS_S" "198.51.100.$i" 8443 || return 1; done
	in_s iptables -A INPUT -p tcp -d 198.51.100.20 --dport 8443 -j DROP &&
	in_s iptables -A INPUT -p tcp -d 198.51.100.21 --dport 8443 -j DROP &&
	in_r iptables -A FORWARD -p tcp -d 198.51.100.22 --dport 8443 -j REJECT --reject-with icmp-host-unreachable || return 1
	# ICMP echo targets
	ip -n "$NS_S" addr add 198.51.100.40/32 dev s0 &&
	ip -n "$NS_S" addr add 198.51.100.41/32 dev s0 &&
	in_s iptables -A INPUT -p icmp -d 198.51.100.40 -j DROP &&
	in_r iptables -A FORWARD -p icmp -d 198.51.100.41 -j REJECT --reject-with icmp-host-unreachable || return 1
	# listener-rich range: even ports of 9000-9099
	local p
	for p in $(seq 9000 2 9098); do listen_tcp "$NS_S" "$SRV4" "$p" || return 1; done
	return 0
}
setup_server || { fail "lab" "could not start the server side"; it_finish; }

# ---- helpers ----------------------------------------------------------------------------
E=()
chk()  { if ! eval "$1"; then E+=("$2"); fi; }
# verdict NAME: ok when no check failed since the last verdict
verdict() {
	if [ "${#E[@]}" -eq 0 ]; then ok "$1"; else
		local IFS=';'; fail "$1" "${E[*]}"
	fi
	E=()
}

# vp TAG ARGS...: vpn-probe in the client namespace -> $IT_TMP/TAG.{out,err,rc}
vp() {
	local o=$IT_TMP/$1; shift
	printf '%s\n' "vpn-probe $*" >"$o.cmd"
	in_c timeout "$IT_T" "$VPN_PROBE" "$@" >"$o.out" 2>"$o.err"
	echo $? >"$o.rc"
}
rc_of() { cat "$IT_TMP/$1.rc"; }

# nm TAG NMAP-ARGS...: nmap in the client namespace -> $IT_TMP/TAG.xml
nm() {
	local o=$IT_TMP/$1; shift
	in_c timeout "$NMAP_T" nmap -n -Pn --reason -oX "$o.xml" "$@" >/dev/null 2>"$o.nmaperr" ||
		E+=("nmap $* failed: $(head -c 200 "$o.nmaperr")")
}

hostport() { case $1 in *:*) echo "[$1]:$2" ;; *) echo "$1:$2" ;; esac; }

# What nmap -sT / -sU says for each vpn-probe state (state and reason).
nmap_expect() {
	case $1/$2 in
	tcp/open) echo "open syn-ack" ;;
	tcp/refused) echo "closed conn-refused" ;;
	tcp/filtered) echo "filtered no-response" ;;
	tcp/unreachable) echo "filtered" ;;          # -sT only sees errno; -sS gives the kind
	udp/open) echo "open udp-response" ;;
	udp/closed) echo "closed port-unreach" ;;
	udp/open\|filtered) echo "open|filtered no-response" ;;
	udp/unreachable) echo "filtered" ;;
	*) echo "?" ;;
	esac
}
# nmap's --reason names for ICMP unreachables (nmap -sS), by vpn-probe's icmp name
nmap_icmp_reason() {
	case $1 in
	host-unreachable) echo host-unreach ;;
	net-unreachable) echo net-unreach ;;
	admin-prohibited) echo admin-prohibited ;;
	host-prohibited) echo host-prohibited ;;
	net-prohibited) echo net-prohibited ;;
	no-route) echo no-route ;;
	*) echo "$1" ;;
	esac
}

# The nc line (stderr, -vv) vpn-probe must print for one probe.
nc_line_ok() {	# ERRFILE HOST ADDR PORT STATE [ICMPNAME FROM]
	local f=$1 h=$2 hp; hp=$(hostport "$3" "$4")
	case $5 in
	open) grep -Fxq "$h ($hp) open" "$f" ;;
	open\|filtered) grep -Fxq "$h ($hp) open|filtered" "$f" ;;
	refused|closed) grep -Fxq "vpn-probe: $h ($hp): Connection refused" "$f" ;;
	filtered) grep -Fxq "vpn-probe: $h ($hp): Connection timed out" "$f" ;;
	unreachable)
		grep -F "vpn-probe: $h ($hp): " "$f" | grep -Fq " (ICMP $6 from $7)" ;;
	*) return 1 ;;
	esac
}

# single TAG PROTO FAMILY ADDR PORT STATE [ICMPNAME ICMPTYPE ICMPCODE FROM] [-- extra vpn-probe args]
# One probe, checked against the ground truth (STATE...) and nmap.
single() {
	local tag=$1 proto=$2 fam=$3 addr=$4 port=$5 want=$6; shift 6
	local iname="" itype="" icode="" ifrom=""
	if [ "$want" = unreachable ]; then iname=$1 itype=$2 icode=$3 ifrom=$4; shift 4; fi
	[ "${1:-}" = -- ] && shift
	local pflag=""; [ "$proto" = udp ] && pflag=-u
	# --json replaces the nc lines, so the nc lines come from a second run at -vv
	vp "$tag" $pflag -"$fam" -n --json -w "$W" "$@" "$addr" "$port"
	vp "$tag-vv" $pflag -"$fam" -n -vv -w "$W" "$@" "$addr" "$port"
	local out=$IT_TMP/$tag.out err=$IT_TMP/$tag-vv.err rc; rc=$(rc_of "$tag")
	local wantrc=1; [ "$want" = open ] && wantrc=0
	chk '[ "$rc" = "$wantrc" ]' "exit $rc, want $wantrc"
	chk '[ "$(rc_of "$tag-vv")" = "$wantrc" ]' "-vv: exit $(rc_of "$tag-vv"), want $wantrc"
	chk '[ ! -s "$IT_TMP/$tag-vv.out" ]' "-vv wrote to stdout: $(head -c 200 "$IT_TMP/$tag-vv.out")"
	local lines; lines=$(json_probe_lines "$out")
	chk '[ "$(printf "%s\n" "$lines" | grep -c .)" = 1 ]' "want 1 probe object, got: $(head -c 300 "$out")"
	local l; l=$(printf '%s\n' "$lines" | head -n 1)
	local state; state=$(json_get "$l" state)
	chk '[ "$state" = "$want" ]' "state '$state', want '$want'"
	chk '[ "$(json_get "$l" addr)" = "$addr" ] && [ "$(json_get "$l" port)" = "$port" ] && [ "$(json_get "$l" proto)" = "$proto" ] && [ "$(json_get "$l" host)" = "$addr" ]' \
		"host/addr/port/proto wrong: $l"
	chk '[ "$(printf "%s\n" "$l" | jq -c "keys_unsorted[0:5]")" = "[\"host\",\"addr\",\"port\",\"proto\",\"state\"]" ]' \
		"key order: $l"
	case $want in open|refused|closed)
		chk 'printf "%s\n" "$l" | jq -e ".rtt_ms | numbers | . >= 0" >/dev/null' "no rtt_ms: $l" ;;
	esac
	if [ "$want" = unreachable ]; then
		chk '[ "$(json_icmp "$l" name)" = "$iname" ]' "icmp.name '$(json_icmp "$l" name)', want '$iname'"
		chk '[ "$(json_icmp "$l" type)/$(json_icmp "$l" code)" = "$itype/$icode" ]' \
			"icmp type/code $(json_icmp "$l" type)/$(json_icmp "$l" code), want $itype/$icode"
		chk '[ "$(json_icmp "$l" from)" = "$ifrom" ]' "icmp.from '$(json_icmp "$l" from)', want '$ifrom'"
		chk '[ -n "$(json_get "$l" error)" ]' "no \"error\" text: $l"
	fi
	chk 'nc_line_ok "$err" "$addr" "$addr" "$port" "$want" "$iname" "$ifrom"' \
		"nc line missing for $want; stderr: $(tr '\n' '|' <"$err" | head -c 300)"
	if [ "$proto" = tcp ]; then
		chk '[ "$(tail -n 1 "$err")" = "sent 0, rcvd 0" ]' "last -vv line '$(tail -n 1 "$err")', want 'sent 0, rcvd 0'"
	else
		chk 'tail -n 1 "$err" | grep -Eqx "sent [0-9]+, rcvd [0-9]+"' "last -vv line '$(tail -n 1 "$err")'"
	fi
	# nmap on the same target
	local nflag=-sT; [ "$proto" = udp ] && nflag=-sU
	local nextra=(); [ "$fam" = 6 ] && nextra=(-6)
	[ -n "${NMAP_DATA:-}" ] && nextra+=(--data-string "$NMAP_DATA")
	nm "$tag-nmap" "$nflag" "${nextra[@]}" -p "$port" "$addr"
	local got exp; got=$(nmap_port "$IT_TMP/$tag-nmap.xml" "$port" "$proto")
	exp=$(nmap_expect "$proto" "$want")
	chk '[ "${got% *}" = "$exp" ] || [ "$got" = "$exp" ] || { [ "$exp" = filtered ] && [ "${got%% *}" = filtered ]; }' \
		"nmap $nflag says '$got', vpn-probe '$state' maps to '$exp'"
	if [ "$want" = unreachable ] && [ "$proto" = tcp ]; then
		# nmap -sT only sees errno (EHOSTUNREACH for every ICMP kind); -sS reads the ICMP
		nm "$tag-nmap-sS" -sS "${nextra[@]}" -p "$port" "$addr"
		got=$(nmap_port "$IT_TMP/$tag-nmap-sS.xml" "$port" tcp)
		local rs=${got#* }; rs=${rs%% *}
		local rip=${got#* * }; [ "$rip" = "$got" ] && rip=$addr
		chk '[ "${got%% *}" = filtered ] && [ "$rs" = "$(nmap_icmp_reason "$iname")" ] && [ "$rip" = "$ifrom" ]' \
			"nmap -sS says '$got', vpn-probe says $iname from $ifrom"
	fi
	verdict "$tag: $proto $(hostport "$addr" "$port") $want${iname:+ ($iname from $ifrom)}"
}

# ---- TCP, IPv4 ------------------------------------------------------------------------
single tcp4-open        tcp 4 "$SRV4" 80 open
single tcp4-refused     tcp 4 "$SRV4" 81 refused
single tcp4-filtered    tcp 4 "$SRV4" 82 filtered
single tcp4-host-unreach tcp 4 "$SRV4" 83 unreachable host-unreachable 3 1 "$RTR4"
single tcp4-admin-prohib tcp 4 "$SRV4" 84 unreachable admin-prohibited 3 13 "$SRV4"

# ---- TCP, IPv6 ------------------------------------------------------------------------
single tcp6-open        tcp 6 "$SRV6" 80 open
single tcp6-refused     tcp 6 "$SRV6" 81 refused
single tcp6-no-route    tcp 6 "$SRV6" 83 unreachable no-route 1 0 "$RTR6"
single tcp6-admin-prohib tcp 6 "$SRV6" 84 unreachable admin-prohibited 1 1 "$SRV6"

# ---- UDP ------------------------------------------------------------------------------
single udp4-open-dns    udp 4 "$SRV4" 53 open
single udp4-closed      udp 4 "$SRV4" 54 closed
single udp4-silent      udp 4 "$SRV4" 500 'open|filtered'
single udp4-drop        udp 4 "$SRV4" 501 'open|filtered'
NMAP_DATA=hello single udp4-open-payload udp 4 "$SRV4" 9999 open -- --udp-payload 68656c6c6f
chk 'grep -Fxq "sent 5, rcvd 5" "$IT_TMP/udp4-open-payload-vv.err"' \
	"--udp-payload 68656c6c6f: want 'sent 5, rcvd 5', got '$(tail -n 1 "$IT_TMP/udp4-open-payload-vv.err")'"
verdict "udp4-payload-bytes: -vv counts the 5 payload bytes each way"

# ---- a /28 sweep with a known mix -----------------------------------------------------
sweep_case() {
	vp sweep -4 -n --json -w "$W" 198.51.100.16/28 8443
	local out=$IT_TMP/sweep.out rc; rc=$(rc_of sweep)
	chk '[ "$rc" = 0 ]' "exit $rc, want 0"
	local got want a s st
	got=$(json_probe_lines "$out" | jq -r '"\(.addr) \(.state)"' | sort -t. -k4,4n)
	want=$(for a in $(seq 17 30); do
		case $a in 17|18|19) s=open ;; 20|21) s=filtered ;; 22) s=unreachable ;; *) s=refused ;; esac
		echo "198.51.100.$a $s"; done)
	chk '[ "$got" = "$want" ]' "per-address states differ: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	local rep; rep=$(json_report_line "$out")
	chk '[ -n "$rep" ]' "no final report object"
	local c
	for st in probes:14 open:3 refused:8 closed:0 filtered:2 'open|filtered:0' unreachable:1 error:0; do
		c=$(json_count "$rep" "${st%:*}")
		chk '[ "$c" = "${st##*:}" ]' "report ${st%:*}=$c, want ${st##*:}"
	done
	vp sweep-summary -4 -n --summary -w "$W" 198.51.100.16/28 8443
	local line; line=$(grep -v '^$' "$IT_TMP/sweep-summary.out" | tail -n 1)
	chk 'printf "%s\n" "$line" | grep -Eqx "14 probes in [0-9]+\.[0-9]+ s \([0-9]+/s\): 3 open, 8 refused, 0 closed, 2 filtered, 0 open\|filtered, 1 unreachable, 0 error"' \
		"--summary: '$line'"
	chk '[ "$(grep -c . "$IT_TMP/sweep-summary.out")" = 1 ]' "--summary printed more than one line on stdout"
	# nmap on the same 14 addresses (nmap does not skip .16/.31 by itself)
	nm sweep-nmap -sT -p 8443 198.51.100.17-30
	local ng; ng=$(awk 'BEGIN{RS="</host>"} /<address addr="/ {
			match($0, /<address addr="[^"]*"/); a=substr($0, RSTART+15, RLENGTH-16);
			match($0, /<state state="[^"]*"/); s=substr($0, RSTART+14, RLENGTH-15);
			print a, s }' "$IT_TMP/sweep-nmap.xml" | sort -t. -k4,4n)
	want=$(printf '%s\n' "$got" | sed 's/ refused$/ closed/; s/ unreachable$/ filtered/')
	chk '[ "$ng" = "$want" ]' "nmap -sT per-address states differ: $(diff <(echo "$want") <(echo "$ng") | grep '^[<>]' | tr '\n' ' ')"
	verdict "sweep-28: 198.51.100.16/28:8443 = 3 open, 8 refused, 2 filtered, 1 unreachable; .16/.31 skipped; --json and --summary counts exact"
}
sweep_case

# ---- --keepalive: filtered for round 1, then up ----------------------------------------
keepalive_case() {
	listen_tcp "$NS_S" "$SRV4" 85 || { E+=("listener on 85"); verdict keepalive; return; }
	in_s iptables -I INPUT -p tcp --dport 85 -j DROP
	nm ka-nmap-before -sT -p 85 "$SRV4"
	local before; before=$(nmap_port "$IT_TMP/ka-nmap-before.xml" 85 tcp)
	chk '[ "${before%% *}" = filtered ]' "nmap before: '$before', want filtered"
	local o=$IT_TMP/ka
	in_c timeout "$IT_T" "$VPN_PROBE" -4 -n --keepalive 2 --count 3 -w "$W" "$SRV4" 85 >"$o.out" 2>"$o.err" &
	local pid=$!
	# remove the DROP once round 1 reported (or after 1.5 s if the line is not flushed yet):
	# round 2 starts at 2 s, so it must see the port open
	local seen=no
	wait_for 2 grep -qsi down "$o.out" && seen=yes
	[ "$seen" = no ] && note "keepalive: no 'down' line on stdout within 2 s (not flushed per line?)"
	in_s iptables -D INPUT -p tcp --dport 85 -j DROP
	wait "$pid"; local rc=$?
	chk '[ "$rc" = 0 ]' "exit $rc, want 0"
	local ts='([0-9]{4}-[0-9]{2}-[0-9]{2}[T ])?[0-9]{2}:[0-9]{2}:[0-9]{2}'
	local dn up
	dn=$(grep -nE "$ts" "$o.out" | grep -F "$SRV4" | grep -wi down | head -n 1 | cut -d: -f1)
	up=$(grep -nE "$ts" "$o.out" | grep -F "$SRV4" | grep -wi up | head -n 1 | cut -d: -f1)
	chk '[ -n "$dn" ]' "no time-stamped 'down' line for $SRV4 in: $(tr '\n' '|' <"$o.out" | head -c 400)"
	chk '[ -n "$up" ] && [ -n "$dn" ] && [ "$up" -gt "$dn" ]' "no time-stamped 'up' line after the 'down' line in: $(tr '\n' '|' <"$o.out" | head -c 400)"
	chk '[ "$(grep -F "$SRV4" "$o.out" | grep -wic up)" = 1 ]' "want exactly one 'up' transition: $(tr '\n' '|' <"$o.out" | head -c 400)"
	nm ka-nmap-after -sT -p 85 "$SRV4"
	local after; after=$(nmap_port "$IT_TMP/ka-nmap-after.xml" 85 tcp)
	chk '[ "${after%% *}" = open ]' "nmap after: '$after', want open"
	verdict "keepalive: --keepalive 2 --count 3 -w 1 on $SRV4:85, DROP lifted after round 1 -> down then up (live line: $seen)"
}
keepalive_case

# ---- ICMP echo ------------------------------------------------------------------------
icmp_case() {	# TAG ADDR STATE [ICMPNAME FROM]
	local tag=$1 addr=$2 want=$3 iname=${4:-} ifrom=${5:-}
	vp "$tag" -4 -n --icmp --json -v -w "$W" "$addr"
	local rc; rc=$(rc_of "$tag")
	local wantrc=1; [ "$want" = open ] && wantrc=0
	chk '[ "$rc" = "$wantrc" ]' "exit $rc, want $wantrc; stderr: $(head -c 200 "$IT_TMP/$tag.err")"
	local l; l=$(json_probe_lines "$IT_TMP/$tag.out" | head -n 1)
	chk '[ "$(json_get "$l" state)" = "$want" ] && [ "$(json_get "$l" proto)" = icmp ] && [ "$(json_get "$l" addr)" = "$addr" ]' \
		"want $want icmp $addr, got: $l"
	[ "$want" = open ] && chk 'printf "%s\n" "$l" | jq -e ".rtt_ms | numbers" >/dev/null' "no rtt_ms: $l"
	if [ -n "$iname" ]; then
		chk '[ "$(json_icmp "$l" name)" = "$iname" ] && [ "$(json_icmp "$l" from)" = "$ifrom" ]' \
			"icmp $(json_icmp "$l" name) from $(json_icmp "$l" from), want $iname from $ifrom"
	fi
	# nmap ping scan with echo requests only
	in_c timeout "$NMAP_T" nmap -sn -PE -n --reason -oX "$IT_TMP/$tag-nmap.xml" "$addr" >/dev/null 2>&1
	local ns nr
	ns=$(sed -n 's/.*<status state="\([^"]*\)".*/\1/p' "$IT_TMP/$tag-nmap.xml" | head -n 1)
	nr=$(sed -n 's/.*<status state="[^"]*" reason="\([^"]*\)".*/\1/p' "$IT_TMP/$tag-nmap.xml" | head -n 1)
	[ -z "$ns" ] && grep -q '<runstats>' "$IT_TMP/$tag-nmap.xml" && ns=down	# nmap omits down hosts
	case $want in
	open) chk '[ "$ns" = up ] && [ "$nr" = echo-reply ]' "nmap -sn -PE: '$ns $nr', want 'up echo-reply'" ;;
	*) chk '[ "$ns" = down ]' "nmap -sn -PE: '$ns $nr', want down" ;;
	esac
	verdict "$tag: icmp echo $addr $want${iname:+ ($iname from $ifrom)}"
}
in_c sysctl -qw net.ipv4.ping_group_range="0 2147483647"
icmp_case icmp-echo-open "$SRV4" open
icmp_case icmp-echo-filtered 198.51.100.40 filtered
icmp_case icmp-echo-unreach 198.51.100.41 unreachable host-unreachable "$RTR4"
# ping sockets not permitted (the default "1 0" group range in the server namespace)
in_s timeout "$IT_T" "$VPN_PROBE" -n --icmp -w "$W" 127.0.0.1 >"$IT_TMP/icmp-noperm.out" 2>"$IT_TMP/icmp-noperm.err"
rc=$?
chk '[ "$rc" = 77 ]' "exit $rc, want 77 (stderr: $(head -c 200 "$IT_TMP/icmp-noperm.err"))"
chk '[ "$(grep -c . "$IT_TMP/icmp-noperm.err")" = 1 ] && grep -q "^vpn-probe: " "$IT_TMP/icmp-noperm.err"' \
	"want one 'vpn-probe: ...' line, got: $(tr '\n' '|' <"$IT_TMP/icmp-noperm.err")"
verdict "icmp-noperm: --icmp with net.ipv4.ping_group_range='1 0' -> exit 77, one message"

# ---- 100-port sweep: no TIME_WAIT left, RTT on every open probe ------------------------
range_case() {
	local tw0; tw0=$(in_c ss -Htan state time-wait | grep -c .)
	vp range -4 -n --json -w "$W" "$SRV4" 9000-9099
	local rc; rc=$(rc_of range)
	local out=$IT_TMP/range.out
	chk '[ "$rc" = 0 ]' "exit $rc, want 0"
	local tw; tw=$(in_c ss -Htan state time-wait | grep -c .)
	local tws; tws=$(in_s ss -Htan state time-wait | grep -c .)
	chk '[ "$tw" = 0 ]' "client namespace has $tw TIME_WAIT sockets after the sweep (before: $tw0)"
	[ "$tws" != 0 ] && note "server namespace has $tws TIME_WAIT sockets (not checked)"
	local opens refs
	opens=$(json_probe_lines "$out" | jq -r 'select(.state == "open") | .port' | sort -n | tr '\n' ' ')
	refs=$(json_probe_lines "$out" | jq -r 'select(.state == "refused") | .port' | grep -c .)
	chk '[ "$opens" = "$(seq 9000 2 9098 | tr "\n" " ")" ] && [ "$refs" = 50 ]' \
		"open ports: $opens; refused: $refs (want the 50 even ports open, 50 refused)"
	nm range-nmap -sT -p 9000-9099 "$SRV4"
	local nopen; nopen=$(grep -o '<port protocol="tcp" portid="[0-9]*"><state state="open"' "$IT_TMP/range-nmap.xml" |
		sed 's/.*portid="\([0-9]*\)".*/\1/' | sort -n | tr '\n' ' ')
	chk '[ "$nopen" = "$opens" ]' "nmap open ports differ: nmap '$nopen'"
	verdict "timewait: 100-port sweep of $SRV4:9000-9099 (50 listeners) leaves 0 TIME_WAIT in the client; open set = nmap's"

	local bad; bad=$(json_probe_lines "$out" | jq -c 'select(.state == "open" and ((.rtt_ms | type) != "number" or .rtt_ms < 0))' | head -n 3)
	local n; n=$(json_probe_lines "$out" | jq -r 'select(.state == "open") | .rtt_ms' | grep -c '^[0-9.e+-]*$')
	chk '[ -z "$bad" ] && [ "$n" = 50 ]' "open probes without a numeric rtt_ms: $bad (numeric: $n of 50)"
	verdict "rtt: every open probe of the 100-port sweep carries a numeric rtt_ms"
}
range_case

# ---- -s and -p: the probe leaves from the given source address and port -----------------
# The server counts SYNs from 192.0.2.3:40123 with an accounting rule; vpn-probe must be
# seen there, and a -s address the client does not have is refused before any probe.
source_case() {
	in_c ip addr add 192.0.2.3/24 dev c0 2>/dev/null
	in_s iptables -I INPUT -p tcp -s 192.0.2.3 --sport 40123 --dport 80 --syn -j ACCEPT
	vp src -zv -n -w "$W" -s 192.0.2.3 -p 40123 "$SRV4" 80
	local rc; rc=$(rc_of src)
	local hits; hits=$(in_s iptables -nvxL INPUT | awk '/spt:40123/ {print $1; exit}')
	chk '[ "$rc" = 0 ]' "exit $rc, want 0 (open)"
	chk '[ "${hits:-0}" -ge 1 ]' "server saw ${hits:-0} SYNs from 192.0.2.3:40123, want >= 1"
	vp src-bad -zv -n -s 203.0.113.99 "$SRV4" 80
	rc=$(rc_of src-bad)
	chk '[ "$rc" = 64 ] && grep -q "^vpn-probe: -s 203.0.113.99: " "$IT_TMP/src-bad.err"' \
		"a foreign -s gave exit $rc: $(head -c 200 "$IT_TMP/src-bad.err")"
	verdict "source: -s 192.0.2.3 -p 40123 reaches the server from that address and port; a foreign -s is exit 64"
}
source_case

# ---- --rate: 40 probes at 40/s are spread over about a second --------------------------
rate_case() {
	local t0 t1 ms
	t0=$(date +%s%N)
	vp rate -n --summary -w "$W" --rate 40 "$SRV4" 81-120
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	chk 'grep -q "^40 probes" "$IT_TMP/rate.out"' "summary: $(cat "$IT_TMP/rate.out")"
	chk '[ "$ms" -ge 900 ]' "40 probes at --rate 40 took $ms ms, want >= 900"
	verdict "rate: --rate 40 spreads 40 probes over $ms ms (>= 900)"
}
rate_case

it_finish
