#!/usr/bin/env bash
# bench/run.sh: vpn-probe speed and memory, side by side with nmap -sT and OpenBSD nc
# (scenarios A-D); vpn-ike probe --enumerate side by side with ike-scan (E, bench/ike.sh).
# Run from the project root after building (`make bench` does both). Needs root (network
# namespaces), nmap, nc.openbsd, iptables, cc (builds bench/listen.c, bench/runner.c); E also
# the lab's packages (tests/lab/README.md), ike-scan and jq. See bench/README.md.
#
#   BENCH_RUNS=N          timed runs per tool and scenario (default 5; the median is reported)
#   BENCH_SCENARIOS       subset to run, e.g. "A C" (default "A B C D E F")
#   BENCH_NMAP_C_CAP=S    nmap's single run in C is stopped after S seconds (default 60)
#   BENCH_TIMEOUT=S       any other single run is stopped after S seconds (default 120)
#   BENCH_C_CONCURRENCY=N pass -c N to vpn-probe in C (default: its own choice, read back
#                         from its --json report)
#   VPN_PROBE=PATH        binary under test (default bin/vpn-probe)
#   VPN_IKE=PATH          E: binary under test (default bin/vpn-ike)
#   BENCH_E_SPARSE=LIST   E: the sparse responder's proposals (see bench/ike.sh)
#
# Exit status: 0 when every goal and every count check passes, 1 otherwise.
# SC2317: functions run via trap or by name; SC2046: word splitting wanted (address lists)
# shellcheck disable=SC2004,SC2317,SC2059,SC2046,SC2054,SC2016,SC2015
set -u
export LC_ALL=C

cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
VP=${VPN_PROBE:-$ROOT/bin/vpn-probe}
RUNS=${BENCH_RUNS:-5}
SCEN=" ${BENCH_SCENARIOS:-A B C D E F} "
CAP_DEFAULT=${BENCH_TIMEOUT:-120}
NC=nc.openbsd
TAG=vdt-bench-$$
NSA=$TAG-a      # A: loopback only
NSS=$TAG-srv    # B/C/D server: AnyIP 198.18.0.0/16 on lo, listeners, iptables
NSC=$TAG-cli    # B/C/D client: every prober runs here
WORK=$(mktemp -d "/tmp/$TAG.XXXXXX")
PIDS=()
FAILS=0
GOALS=()

cleanup() {
    local p
    declare -F e_lab_down >/dev/null && e_lab_down     # E's labs (bench/ike.sh)
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    ip netns del "$NSA" 2>/dev/null
    ip netns del "$NSC" 2>/dev/null
    ip netns del "$NSS" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say()  { printf '%s\n' "$*"; }
die()  { say "bench: $*" >&2; exit 1; }
fail() { FAILS=$((FAILS + 1)); }
calc() { awk "BEGIN{ $1 }"; }      # calc 'printf "%.2f", 1/3'
has()  { [[ $SCEN == *" $1 "* ]]; }

# ---- preflight -------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
for t in ip iptables nmap "$NC" cc; do
    command -v "$t" >/dev/null || die "missing $t"
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null
HAVE_VP=1
[ -x "$VP" ] || { HAVE_VP=0; say "bench: $VP not found: vpn-probe rows are skipped and its goals FAIL"; }
cc -O2 -o "$WORK/listen" bench/listen.c || die "cannot build bench/listen.c"
cc -O2 -o "$WORK/runner" bench/runner.c || die "cannot build bench/runner.c"

# start_listeners NS ADDR:PORT...   (returns once all are bound)
start_listeners() {
    local ns=$1 f=$WORK/ready.$1 i; shift
    ip netns exec "$ns" "$WORK/listen" "$@" >"$f" &
    PIDS+=($!)
    for i in $(seq 100); do
        grep -q ready "$f" 2>/dev/null && return 0
        sleep 0.05
    done
    die "listeners in $ns did not come up"
}

# median, min and max of the integers on stdin
stats() { sort -n | awk '{a[NR]=$1} END{ if(!NR){print "0 0 0"; exit}
    m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; print m, a[1], a[NR] }'; }

# ---- counting: each prints "open refused filtered other" -------------------------------
count_vp() {    # the --summary line, or the --json final report
    local f=$1.out line k v o=0 r=0 fl=0 x=0
    line=$(grep -E '^[0-9]+ probes in ' "$f" | tail -n 1)
    if [ -n "$line" ]; then
        awk -v s="$line" 'BEGIN{ n=split(s,w,/[ ,():]+/); o=r=fl=x=0
            for(i=2;i<=n;i++){ if(w[i-1] !~ /^[0-9]+$/) continue
                if(w[i]=="open") o=w[i-1]; else if(w[i]=="refused") r=w[i-1];
                else if(w[i]=="filtered") fl=w[i-1];
                else if(w[i]=="closed"||w[i]=="open|filtered"||w[i]=="unreachable"||w[i]=="error") x+=w[i-1] }
            print o, r, fl, x }'
        return
    fi
    line=$(grep '"tool"' "$f" | tail -n 1)
    [ -n "$line" ] || { echo "? ? ? ?"; return; }
    for k in open refused filtered closed 'open|filtered' unreachable error; do
        v=$(grep -oE "\"${k//|/\\|}\": *[0-9]+" <<<"$line" | head -n 1 | grep -oE '[0-9]+$')
        v=${v:-0}
        case $k in open) o=$v;; refused) r=$v;; filtered) fl=$v;; *) x=$((x + v));; esac
    done
    echo "$o $r $fl $x"
}
count_nmap() {  # -oG - : listed ports plus "Ignored State: S (N)"; closed = refused
    awk '/Ports:/{ o+=gsub(/\/open\//,""); c+=gsub(/\/closed\//,""); f+=gsub(/\/filtered\//,"")
            if (match($0,/Ignored State: [a-z|]+ \([0-9]+\)/)) { s=substr($0,RSTART+15,RLENGTH-15)
                split(s,w,/[ ()]+/); if(w[1]=="closed") c+=w[2]; else if(w[1]=="filtered") f+=w[2]; else x+=w[2] } }
         END{ print o+0, c+0, f+0, x+0 }' "$1.out"
}
count_nc() {    # -v lines on stderr
    local f=$1.err
    echo "$(grep -c 'succeeded' "$f") $(grep -c 'Connection refused' "$f") $(grep -c 'timed out' "$f")" \
         "$(grep -c -v -e succeeded -e 'Connection refused' -e 'timed out' "$f")"
}

# ---- tool table ------------------------------------------------------------------------
# [N=runs] [CAP=secs] [SHOW=text] [NOTE=text] add_tool NAME KIND PROBES "TRUTH" CMD...
#   KIND: vp | nmap | nc (how to count);  TRUTH: "open refused filtered"
reset_tools() { T_NAME=(); T_KIND=(); T_PROBES=(); T_TRUTH=(); T_RUNS=(); T_CAP=(); T_NOTE=(); T_CMD=(); T_SHOW=(); }
add_tool() {
    local k=${#T_NAME[@]}
    T_NAME[$k]=$1; T_KIND[$k]=$2; T_PROBES[$k]=$3; T_TRUTH[$k]=$4; shift 4
    T_RUNS[$k]=${N:-$RUNS}; T_CAP[$k]=${CAP:-$CAP_DEFAULT}; T_NOTE[$k]=${NOTE:-}
    T_CMD[$k]=$(printf '%q ' "$@")
    T_SHOW[$k]=${SHOW:-$*}
}
tool_index() { local i; for ((i = 0; i < ${#T_NAME[@]}; i++)); do [ "${T_NAME[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }

# run_scenario ID NS: every tool, RUNS times, interleaved (run 1 of each tool, run 2, ...).
# Results: R_US (wall µs per run), R_RSS (max KB), R_OK/R_BAD/R_DNF (runs), R_CNT (last counts)
run_scenario() {
    local id=$1 ns=$2 n=${#T_NAME[@]} i r p rc us rss cpu o rf fl x
    SC_ID=$id
    for ((i = 0; i < n; i++)); do R_US[$i]=""; R_CPU[$i]=""; R_RSS[$i]=0; R_OK[$i]=0; R_BAD[$i]=0; R_DNF[$i]=0; R_CNT[$i]=""; R_RC[$i]=""; done
    for ((r = 1; r <= RUNS; r++)); do
        for ((i = 0; i < n; i++)); do
            [ "${T_RUNS[$i]}" -ge "$r" ] || continue
            p=$WORK/$id.$i.$r
            # timed by bench/runner.c: fork+exec of the tool to its exit, nothing else
            eval "ip netns exec \"\$ns\" \"\$WORK/runner\" \"\$p.time\" \"\${T_CAP[\$i]}\" ${T_CMD[$i]}" \
                </dev/null >"$p.out" 2>"$p.err"
            read -r rc us rss cpu <"$p.time" || { rc=2 us=0 rss=0 cpu=0; }
            R_US[$i]+="$us "
            R_CPU[$i]+="$cpu "
            R_RC[$i]+="$rc "
            [ "$rss" -gt "${R_RSS[$i]}" ] && R_RSS[$i]=$rss
            read -r o rf fl x < <("count_${T_KIND[$i]}" "$p")
            R_CNT[$i]="$o/$rf/$fl"; [ "$x" != 0 ] && R_CNT[$i]+=" +$x other"
            if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
                R_DNF[$i]=$((R_DNF[$i] + 1)); R_CNT[$i]+=" (partial)"
            elif [ "$o $rf $fl" = "${T_TRUTH[$i]}" ] && [ "$x" = 0 ] &&
                 { [ "${T_KIND[$i]}" != vp ] || [ "$rc" = 0 ]; }; then    # vpn-probe: exit 0 when any open
                R_OK[$i]=$((R_OK[$i] + 1))
            else
                R_BAD[$i]=$((R_BAD[$i] + 1)); cp "$p.out" "$WORK/$id.$i.bad.out"; cp "$p.err" "$WORK/$id.$i.bad.err"
            fi
        done
    done
}

# print_table: one row per tool; sets SC_MED (s), SC_RATE (targets/s), SC_LOW (1: rate is an
# upper bound because a run was stopped) for the goals
print_table() {
    local n=${#T_NAME[@]} i nm med mn mx nr ratio chk tmed rate fmt
    nm=$(tool_index nmap)
    for ((i = 0; i < n; i++)); do
        read -r med mn mx < <(tr ' ' '\n' <<<"${R_US[$i]}" | grep . | stats)
        SC_MED[$i]=$(calc "printf \"%.3f\", $med/1e6")
        SC_RATE[$i]=$(calc "printf \"%.0f\", ($med > 0) ? ${T_PROBES[$i]}/($med/1e6) : 0")
        SC_MIN[$i]=$(calc "printf \"%.3f\", $mn/1e6"); SC_MAX[$i]=$(calc "printf \"%.3f\", $mx/1e6")
        SC_DNF[$i]=0; [ "${R_DNF[$i]}" -gt 0 ] && SC_DNF[$i]=1
        read -r med mn mx < <(tr ' ' '\n' <<<"${R_CPU[$i]}" | grep . | stats)
        SC_CPU[$i]=$(calc "printf \"%.3f\", $med/1e6")
    done
    fmt='  %-10s %6s %4s %9s %8s %8s %8s %10s %8s %10s  %-22s %s\n'
    printf "$fmt" tool probes runs median_s min_s max_s cpu_s targets/s x_nmap peakRSS_KB open/refused/filtered "count check"
    for ((i = 0; i < n; i++)); do
        nr=$(wc -w <<<"${R_US[$i]}")
        ratio=-
        if [ "$nm" -ge 0 ] && [ "$i" != "$nm" ]; then
            ratio=$(calc "r = (${SC_RATE[$nm]} > 0) ? ${SC_RATE[$i]}/${SC_RATE[$nm]} : 0; printf (r >= 0.1 || r == 0) ? \"%.2f\" : \"%.1g\", r")
            [ "${SC_DNF[$nm]}" = 1 ] && ratio=">$ratio"
            [ "${SC_DNF[$i]}" = 1 ] && ratio="<$ratio"
        fi
        tmed=${SC_MED[$i]} rate=${SC_RATE[$i]}
        [ "${SC_DNF[$i]}" = 1 ] && { tmed=">$tmed"; rate="<$rate"; }
        if [ "${R_BAD[$i]}" != 0 ]; then
            chk="FAIL: ${R_BAD[$i]} of $nr runs wrong (truth ${T_TRUTH[$i]// //})"; fail
        elif [ "${R_OK[$i]}" = 0 ]; then
            chk="n/a: stopped after ${T_CAP[$i]} s, did not finish"
        else
            chk="ok (${R_OK[$i]}/$nr runs)"
            [ "${R_DNF[$i]}" != 0 ] && chk+=", ${R_DNF[$i]} stopped at ${T_CAP[$i]} s"
        fi
        printf "$fmt" "${T_NAME[$i]}" "${T_PROBES[$i]}" "$nr" "$tmed" "${SC_MIN[$i]}" "${SC_MAX[$i]}" "${SC_CPU[$i]}" \
            "$rate" "$ratio" "${R_RSS[$i]}" "${R_CNT[$i]}" "$chk"
    done
    for ((i = 0; i < n; i++)); do
        say "    ${T_NAME[$i]}: ${T_SHOW[$i]}"
        [ -n "${T_NOTE[$i]}" ] && say "      ${T_NOTE[$i]}"
        rc=$(tr ' ' '\n' <<<"${R_RC[$i]}" | grep -vxE '0|1|124' | grep . | sort -u | tr '\n' ' ')
        [ -n "$rc" ] && say "      unexpected exit status: $rc"
        if [ "${R_BAD[$i]}" != 0 ]; then
            say "      a wrong run's output ends with:"
            tail -n 2 "$WORK/$SC_ID.$i.bad.out" | cut -c1-200 | sed 's/^/        | /'
            tail -n 2 "$WORK/$SC_ID.$i.bad.err" | cut -c1-200 | sed 's/^/        ! /'
        fi
    done
}

goal() {    # goal ID PASS|FAIL text
    GOALS+=("$(printf '%-2s %s  %s' "$1" "$2" "$3")")
    [ "$2" = PASS ] || fail
}

speed_goal() {  # vpn-probe >= 1.8x nmap targets/s, with its counts right
    local v nm ratio ok cnt="counts ok"
    v=$(tool_index vpn-probe); nm=$(tool_index nmap)
    if [ "$v" -lt 0 ]; then goal "$1" FAIL "vpn-probe >= 1.8x nmap targets/s: no vpn-probe"; return; fi
    ratio=$(calc "printf \"%.2f\", (${SC_RATE[$nm]} > 0) ? ${SC_RATE[$v]}/${SC_RATE[$nm]} : 0")
    ok=$(calc "print ($ratio >= 1.8) ? \"PASS\" : \"FAIL\"")
    [ "${R_BAD[$v]}" = 0 ] && [ "${R_DNF[$v]}" = 0 ] || { ok=FAIL; cnt="vpn-probe counts WRONG or run stopped"; }
    goal "$1" "$ok" "vpn-probe >= 1.8x nmap targets/s: ${SC_RATE[$v]} vs ${SC_RATE[$nm]} = ${ratio}x; $cnt"
}

say "vpn-doctor bench $(date -u '+%Y-%m-%d %H:%M:%SZ'), kernel $(uname -r), $(nproc) cpu, runs=$RUNS, ulimit -n $(ulimit -n)"
say "  vpn-probe: $VP$([ $HAVE_VP = 1 ] && "$VP" --version 2>/dev/null | head -n 1 | sed 's/^/ /')"
say "  $(nmap --version | head -n 1 | sed 's/ ( .*//'); nc: $NC $(dpkg-query -W -f '${Version}' netcat-openbsd 2>/dev/null)"
say "  median_s: median wall time, fork to exit, of the runs (tools interleaved run by run);"
say "  peakRSS_KB: max over runs of wait4() ru_maxrss (= GNU time %M); targets/s: address x port"
say "  probes / median_s; x_nmap: targets/s / nmap's targets/s; cpu_s: median user+sys CPU"
T_START=$EPOCHREALTIME

# ---- A: 127.0.0.1 ports 1-65535 --------------------------------------------------------
if has A; then
    ip netns add "$NSA" || die "ip netns add $NSA"
    ip -n "$NSA" link set lo up
    # Source 127.0.0.2 for loopback connects. With source = destination = 127.0.0.1, the
    # probe of a free ephemeral port can be given that same port as its source and connect
    # to itself (TCP simultaneous open): a spurious "open" in about every other full sweep,
    # for every tool (seen here with nc and nmap).
    ip -n "$NSA" route replace table local local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.2
    ip -n "$NSA" route replace table local local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.2
    A_PORTS="1 22 80 443 3306 8080 20000 40000 50000 65535"
    start_listeners "$NSA" $(for p in $A_PORTS; do printf '127.0.0.1:%s ' "$p"; done)
    reset_tools
    T="10 65525 0"
    [ $HAVE_VP = 1 ] && add_tool vpn-probe vp 65535 "$T" "$VP" -n -z --summary 127.0.0.1 1-65535
    add_tool nmap nmap 65535 "$T" nmap -sT -n -Pn -T5 --max-retries 0 -p 1-65535 -oG - 127.0.0.1
    NOTE="one process, sequential" add_tool nc nc 65535 "$T" "$NC" -z -v -n -w 1 127.0.0.1 1-65535
    say ""
    say "== A: 127.0.0.1 ports 1-65535 in a private netns; listeners on ${A_PORTS// /,}"
    say "   ground truth: 65535 probes, 10 open, 65525 refused"
    run_scenario A "$NSA"
    print_table
    speed_goal A
    ip netns del "$NSA"
fi

# ---- B/C/D network: server netns (AnyIP) <-veth-> client netns -------------------------
if has B || has C || has D; then
    ip netns add "$NSS" || die "ip netns add $NSS"
    ip netns add "$NSC" || die "ip netns add $NSC"
    ip -n "$NSS" link set lo up
    ip -n "$NSC" link set lo up
    # the veth is created inside the server namespace with its peer put straight into the
    # client namespace: neither end ever exists in the host's network namespace
    ip -n "$NSS" link add vdt-s type veth peer name vdt-c netns "$NSC" || die "veth"
    ip -n "$NSS" addr add 198.19.255.1/30 dev vdt-s
    ip -n "$NSC" addr add 198.19.255.2/30 dev vdt-c
    ip -n "$NSS" link set vdt-s up
    ip -n "$NSC" link set vdt-c up
    ip -n "$NSS" route add local 198.18.0.0/22 dev lo      # AnyIP: answers for all of B's /22
    ip -n "$NSS" route add local 198.18.0.0/16 dev lo      # ... and of D's /16
    ip -n "$NSC" route add 198.18.0.0/16 via 198.19.255.1
    # B/C: 443 open on every address (a quarter of the probes); D: 8080 on 198.18.{0..15}.1 only
    start_listeners "$NSS" 0.0.0.0:443 $(for i in $(seq 0 15); do printf '198.18.%s.1:8080 ' "$i"; done)
    ip netns exec "$NSC" "$NC" -z -n -w 1 198.18.3.254 443 || die "client cannot reach 198.18.3.254:443"
fi

# B and C targets: every tool gets exactly the 1022 hosts 198.18.0.1-198.18.3.254 (vpn-probe
# as that range, nmap as the /22 minus its network and broadcast address): 4088 probes each.
B_PORTS=22,80,443,3306
VP_B=(198.18.0.1-198.18.3.254 "$B_PORTS")
NM_B=(198.18.0.0/22 --exclude 198.18.0.0,198.18.3.255 -p "$B_PORTS")
NC_LOOP='for h in "$@"; do '"$NC"' -z -v -n -w 1 "$h" 22 80 443 3306; done'

# ---- B ---------------------------------------------------------------------------------
if has B; then
    reset_tools
    T="1022 3066 0"
    [ $HAVE_VP = 1 ] && add_tool vpn-probe vp 4088 "$T" "$VP" -n -z --summary "${VP_B[@]}"
    add_tool nmap nmap 4088 "$T" nmap -sT -n -Pn -T5 --max-retries 0 -oG - "${NM_B[@]}"
    SHOW="for h in 198.18.0.{1..64}; do $NC -z -v -n -w 1 \$h 22 80 443 3306; done" \
    NOTE="SAMPLE: first 64 hosts x 4 ports = 256 probes, one nc per host, sequential (truth 64 open, 192 refused); targets/s is per probe" \
        add_tool nc nc 256 "64 192 0" bash -c "$NC_LOOP" nc-loop 198.18.0.{1..64}
    say ""
    say "== B: 198.18.0.1-198.18.3.254 (1022 hosts; AnyIP server netns behind a veth) x ports $B_PORTS"
    say "   ground truth: 4088 probes, 1022 open (443), 3066 refused"
    run_scenario B "$NSC"
    print_table
    speed_goal B
fi

# ---- D (run before C, whose DROP rule would be in the way; printed after it) -------------
if has D; then
    reset_tools
    T="16 65518 0"
    [ $HAVE_VP = 1 ] && add_tool vpn-probe vp 65534 "$T" "$VP" -n -z --summary --max-targets 70000 198.18.0.0/16 8080
    add_tool nmap nmap 65534 "$T" nmap -sT -n -Pn -T5 --max-retries 0 -oG - -p 8080 198.18.0.0/16 --exclude 198.18.0.0,198.18.255.255
    {
        say ""
        say "== D: 198.18.0.0/16 (65534 hosts, AnyIP) port 8080; open only on 198.18.{0..15}.1"
        say "   ground truth: 65534 probes, 16 open, 65518 refused"
        run_scenario D "$NSC"
        print_table
    } >"$WORK/D.report"
    v=$(tool_index vpn-probe); nm=$(tool_index nmap)
    if [ "$v" -ge 0 ]; then
        ok=$([ "${R_RSS[$v]}" -gt 0 ] && [ "${R_RSS[$v]}" -lt 4096 ] && echo PASS || echo FAIL)
        cnt="counts ok"; [ "${R_BAD[$v]}" = 0 ] && [ "${R_DNF[$v]}" = 0 ] || { ok=FAIL; cnt="vpn-probe counts WRONG or run stopped"; }
        goal D "$ok" "vpn-probe peak RSS < 4096 KB sweeping a /16: ${R_RSS[$v]} KB (nmap ${R_RSS[$nm]} KB); $cnt"
    else
        goal D FAIL "vpn-probe peak RSS < 4096 KB sweeping a /16: no vpn-probe"
    fi
fi

# ---- C ---------------------------------------------------------------------------------
if has C; then
    ip netns exec "$NSS" iptables -I INPUT -d 198.18.2.0/23 -j DROP || die "iptables"
    C_FILT=2044
    C_CFLAG=()
    [ -n "${BENCH_C_CONCURRENCY:-}" ] && C_CFLAG=(-c "$BENCH_C_CONCURRENCY")
    C_CAP=${BENCH_NMAP_C_CAP:-60}
    reset_tools
    T="511 1533 2044"
    [ $HAVE_VP = 1 ] && add_tool vpn-probe vp 4088 "$T" "$VP" -n -z -w 1 "${C_CFLAG[@]}" --json "${VP_B[@]}"
    N=1 CAP=$C_CAP \
    NOTE="ONE run, stopped after $C_CAP s (BENCH_NMAP_C_CAP): its adaptive timing crawls through the all-DROPped hostgroups 198.18.2.0/24 and 198.18.3.0/24 (~10 probes/s there; a whole run took ~205 s on a 2-cpu dev box)" \
        add_tool nmap nmap 4088 "$T" nmap -sT -n -Pn -T5 --max-rtt-timeout 1000ms --initial-rtt-timeout 1000ms --max-retries 0 -oG - "${NM_B[@]}"
    SHOW="for h in 198.18.0.1 198.18.2.1; do $NC -z -v -n -w 1 \$h 22 80 443 3306; done" \
    NOTE="SAMPLE: 198.18.0.1 and 198.18.2.1 (DROPped) x 4 ports = 8 probes, half filtered like the sweep, sequential (truth 1 open, 3 refused, 4 filtered); targets/s is per probe" \
        add_tool nc nc 8 "1 3 4" bash -c "$NC_LOOP" nc-loop 198.18.0.1 198.18.2.1
    say ""
    say "== C: B with iptables DROP for 198.18.2.0/23 (server INPUT), 1 s timeout for every tool"
    say "   ground truth: 4088 probes, 511 open, 1533 refused, 2044 filtered (no answer)"
    run_scenario C "$NSC"
    print_table
    v=$(tool_index vpn-probe)
    if [ "$v" -ge 0 ]; then
        C_CONC=$(cat "$WORK"/C."$v".*.out | grep '"tool"' | grep -oE '"concurrency": *[0-9]+' | grep -oE '[0-9]+$' | sort -n | tail -n 1)
        src="as its --json report states"
        [ ${#C_CFLAG[@]} = 0 ] || src="-c $BENCH_C_CONCURRENCY"
        if [ -z "$C_CONC" ]; then
            C_CONC=${BENCH_C_CONCURRENCY:-8192}; src="NOT in its report; assumed"
        fi
        C_BOUND=$(calc "n = int($C_FILT/$C_CONC); if (n*$C_CONC < $C_FILT) n++; printf \"%.1f\", n*1.0")
        lim=$(calc "printf \"%.3f\", $C_BOUND*1.3")
        ok=$(calc "print (${SC_MED[$v]} <= $lim) ? \"PASS\" : \"FAIL\"")
        cnt="counts ok"; [ "${R_BAD[$v]}" = 0 ] && [ "${R_DNF[$v]}" = 0 ] || { ok=FAIL; cnt="vpn-probe counts WRONG or run stopped"; }
        goal C "$ok" "vpn-probe within 1.3x of ceil($C_FILT filtered / concurrency $C_CONC ($src)) x 1 s = $C_BOUND s: median ${SC_MED[$v]} s, limit $lim s; $cnt"
    else
        goal C FAIL "vpn-probe within 1.3x of the timeout bound: no vpn-probe"
    fi
    ip netns exec "$NSS" iptables -D INPUT -d 198.18.2.0/23 -j DROP
fi

[ -f "$WORK/D.report" ] && cat "$WORK/D.report"

# ---- E: vpn-ike --enumerate vs ike-scan against the lab responder (bench/ike.sh) ----------
if has E; then
    # shellcheck source=bench/ike.sh
    . "$ROOT/bench/ike.sh"
    scenario_e
fi

# ---- F: a full offline vpn-doctor report (bench/doctor.sh) -------------------------------
if has F; then
    # shellcheck source=bench/doctor.sh
    . "$ROOT/bench/doctor.sh"
    scenario_f
fi

say ""
say "== goals ($(calc "printf \"%.0f\", $EPOCHREALTIME - $T_START") s)"
has A || GOALS+=("A  skipped (BENCH_SCENARIOS)")
has B || GOALS+=("B  skipped (BENCH_SCENARIOS)")
has C || GOALS+=("C  skipped (BENCH_SCENARIOS)")
has D || GOALS+=("D  skipped (BENCH_SCENARIOS)")
has E || GOALS+=("E  skipped (BENCH_SCENARIOS)")
has F || GOALS+=("F  skipped (BENCH_SCENARIOS)")
printf '  %s\n' "${GOALS[@]}" | sort
if [ "$FAILS" = 0 ]; then
    say "bench: PASS"
    exit 0
fi
say "bench: FAIL ($FAILS failed check(s))"
exit 1
