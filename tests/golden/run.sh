#!/bin/bash
# Table-driven golden tests (tcpdump tests/TESTLIST style). Each line of tests/golden/TESTLIST:
#     NAME  EXPECTED-FILE  COMMAND...
# EXPECTED-FILE is relative to testdata/golden/; COMMAND is run by sh from the top of the
# tree, with bin/ first in PATH, TZ=UTC, LC_ALL=C, inside a network namespace this script
# makes (lo only: a TCP listener on 8080 for 127.0.0.1 and ::1, nothing on 8081, iptables
# DROP on 8082). stdout, stderr and the exit status are compared with the expected file
# after the values that vary from run to run are replaced (rtt, elapsed time, rate,
# version, concurrency).
#
#   tests/golden/run.sh [NAME...]       run all cases, or the named ones
#   UPDATE_GOLDEN=1 tests/golden/run.sh rewrite the expected files from this build
#
# Last line: "golden: N passed, N failed". Needs root and ip netns (else: skipped).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# GOLDEN_BIN: the directory of executables put first in PATH (default bin/); the
# sanitizer and valgrind runs (tests/hardening/) point it at wrappers.
BIN=${GOLDEN_BIN:-$ROOT/bin}
LIST=$ROOT/tests/golden/TESTLIST
DATA=$ROOT/testdata/golden
NS="vdt-it-$$-golden"
T=${GOLDEN_TIMEOUT:-20}
pass=0 failed=0 updated=0

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
	echo "golden: skipped: needs root and ip netns"
	echo "golden: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
if [ ! -x "$BIN/vpn-probe" ]; then
	echo "golden: $BIN/vpn-probe missing (run make)"
	echo "golden: 0 passed, 1 failed"
	exit 1
fi

tmp=$(mktemp -d /tmp/vdt-golden.XXXXXX)
lpid=""
cleanup() {
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! ip netns add "$NS" 2>/dev/null; then
	echo "golden: skipped: ip netns unavailable"
	echo "golden: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
setup() {
	ip -n "$NS" link set lo up || return 1
	ip netns exec "$NS" iptables -A INPUT -p tcp --dport 8082 -j DROP || return 1
	ip netns exec "$NS" ip6tables -A INPUT -p tcp --dport 8082 -j DROP || return 1
	# ncat without an address listens on 0.0.0.0 and ::
	ip netns exec "$NS" timeout 600 ncat -l -k 8080 </dev/null >/dev/null 2>&1 &
	lpid=$!
	local _
	for _ in $(seq 50); do
		[ "$(ip netns exec "$NS" ss -Hltn 'sport = :8080' | grep -c .)" -ge 2 ] && return 0
		sleep 0.1
	done
	return 1
}
if ! setup; then
	echo "golden: could not set up namespace $NS"
	echo "golden: 0 passed, 1 failed"
	exit 1
fi

# Values that differ between runs or machines.
normalise() {
	sed -E \
		-e 's/"rtt_ms":[0-9.eE+-]+/"rtt_ms":RTT/g' \
		-e 's/"elapsed_s":[0-9.eE+-]+/"elapsed_s":ELAPSED/g' \
		-e 's/"rate_per_s":[0-9.eE+-]+/"rate_per_s":RATE/g' \
		-e 's/"concurrency":[0-9]+/"concurrency":CONCURRENCY/g' \
		-e 's/"version":"[^"]*"/"version":"VERSION"/g' \
		-e 's/^([0-9]+ probes in )[0-9.]+ s \([0-9]+\/s\)/\1T s (R\/s)/'
}

# run_case NAME CMD -> the actual output document on stdout
run_case() {
	local o=$tmp/$1
	(cd "$ROOT" && ip netns exec "$NS" env -i PATH="$BIN:/usr/sbin:/usr/bin:/sbin:/bin" \
		TZ=UTC LC_ALL=C timeout "$T" sh -c "$2" >"$o.out" 2>"$o.err" </dev/null)
	local rc=$?
	echo "# stdout"
	normalise <"$o.out"
	echo "# stderr"
	normalise <"$o.err"
	echo "# exit $rc"
}

while read -r name expected cmd; do
	case $name in ''|'#'*) continue ;; esac
	if [ $# -gt 0 ]; then
		want=no
		for n in "$@"; do [ "$n" = "$name" ] && want=yes; done
		[ "$want" = no ] && continue
	fi
	got=$(run_case "$name" "$cmd")
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		mkdir -p "$(dirname "$DATA/$expected")"
		printf '%s\n' "$got" >"$DATA/$expected"
		updated=$((updated + 1))
	fi
	if [ -f "$DATA/$expected" ] && [ "$got" = "$(cat "$DATA/$expected")" ]; then
		pass=$((pass + 1))
		printf 'ok    %s\n' "$name"
	else
		failed=$((failed + 1))
		printf 'FAIL  %s: %s\n' "$name" "$cmd"
		if [ -f "$DATA/$expected" ]; then
			diff -u --label "expected $expected" --label "got" "$DATA/$expected" - <<<"$got" | sed 's/^/      /'
		else
			echo "      no expected file $expected (UPDATE_GOLDEN=1 writes it)"
		fi
	fi
done <"$LIST"

[ "$updated" -gt 0 ] && echo "golden: rewrote $updated expected files; review them with git diff"
echo "golden: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
