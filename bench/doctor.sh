# bench/doctor.sh: scenario F for bench/run.sh (sourced; uses its RUNS, WORK, ROOT, say,
# goal, fail, calc). Wall time and peak RSS of a full offline vpn-doctor report, on the
# built-in demo and on Batfish's real describe-* outputs with AWS's generated Cisco IOS
# configuration (../shared/samples), medians of RUNS, measured by bench/runner.c. No
# other tool writes this report; beside it, the same inputs through the single tools a
# support engineer would otherwise run one by one (vpn-routes + vpn-ike check), to show
# what one report costs over them.

f_median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# f_time NAME CMD...: RUNS timed runs; sets F_MS (median wall ms) and F_KB (median peak RSS)
f_time() {
    local name=$1 i
    shift
    : >"$WORK/F.$name.walls"
    : >"$WORK/F.$name.rss"
    for i in $(seq 1 "$RUNS"); do
        "$WORK/runner" "$WORK/F.$name.res" 60 "$@" >/dev/null 2>&1
        read -r _rc us kb _cpu <"$WORK/F.$name.res"
        echo "$((us / 1000))" >>"$WORK/F.$name.walls"
        echo "$kb" >>"$WORK/F.$name.rss"
    done
    F_MS=$(f_median <"$WORK/F.$name.walls")
    F_KB=$(f_median <"$WORK/F.$name.rss")
}

scenario_f() {
    local vd="$ROOT/bin/vpn-doctor" s="$ROOT/../shared/samples/batfish/representation/aws/test-vpn-gateway"
    local args=() f ok
    say ""
    say "== F: a full offline vpn-doctor report (runs=$RUNS)"
    if [ ! -x "$vd" ]; then
        goal F FAIL "no $vd"
        return
    fi
    f_time demo "$vd" --demo --json
    say "  vpn-doctor --demo                                  wall ${F_MS} ms   peak RSS ${F_KB} KB"
    local demo_ms=$F_MS demo_kb=$F_KB
    if [ -d "$s" ]; then
        for f in VpnConnections VpnGateways CustomerGateways RouteTables Subnets Vpcs; do
            args+=(--aws-file "$s/aws_configs/$f.json")
        done
        f_time batfish "$vd" "${args[@]}" --config "$s/configs/vpn-03701a53bba3c48b7.txt" \
            --no-ike --no-echo --json
        say "  vpn-doctor on the Batfish samples (6 files + IOS)  wall ${F_MS} ms   peak RSS ${F_KB} KB"
        local bf_ms=$F_MS bf_kb=$F_KB
        f_time routes "$ROOT/bin/vpn-routes" "${args[@]}" --json
        local r_ms=$F_MS
        f_time check "$ROOT/bin/vpn-ike" check --config "$s/configs/vpn-03701a53bba3c48b7.txt" \
            "${args[@]}" --json
        local c_ms=$F_MS
        say "  the same through vpn-routes + vpn-ike check       wall $((r_ms + c_ms)) ms (${r_ms} + ${c_ms})"
        say "  ratio vpn-doctor / (vpn-routes + vpn-ike check)   $(calc "printf \"%.2f\", $bf_ms / ($r_ms + $c_ms + 0.001)")"
        ok=PASS
        [ "$bf_ms" -lt 1000 ] && [ "$bf_kb" -lt 65536 ] || ok=FAIL
        goal F "$ok" "full report on the Batfish samples < 1 s and < 64 MB: ${bf_ms} ms, ${bf_kb} KB; demo ${demo_ms} ms, ${demo_kb} KB"
    else
        say "  ../shared/samples absent: the Batfish row is skipped"
        ok=PASS
        [ "$demo_ms" -lt 1000 ] && [ "$demo_kb" -lt 65536 ] || ok=FAIL
        goal F "$ok" "full report on the demo < 1 s and < 64 MB: ${demo_ms} ms, ${demo_kb} KB (no samples)"
    fi
}
