#!/usr/bin/env bash
# Allocation-failure runs (curl's torture tests): build-asan/hardening/allocfail makes
# allocation 1, 2, ... fail in turn while each parser reads each fixture (see
# tests/hardening/allocfail.c) and checks that every run returns without a crash, a
# sanitizer report or a leak. One suite line per kind; the last line sums them:
# "allocfail: N passed, N failed" (one pass per fixture).
#   AF_MAX=N   at most N failing runs per fixture (default: all of them)
set -u
shopt -s nullglob
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
bin=build-asan/hardening/allocfail
if [ ! -x "$bin" ]; then
	echo "allocfail: $bin missing (make asan-build)"
	echo "allocfail: 0 passed, 1 failed"
	exit 1
fi
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
passed=0 failed=0 runs=0
out=$(mktemp /tmp/allocfail.XXXXXX)
trap 'rm -f "$out"' EXIT

# kind FILE...: one driver process per kind
kind() {
	local k=$1 rc p f line
	shift
	[ $# -gt 0 ] || return
	timeout 600 "$bin" "$k" "$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	line=$(grep -E "^allocfail $k: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
	if [ -z "$line" ] || [ "$rc" -ne 0 ]; then
		[[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]] &&
			p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} || p=0 f=0
		[ "$f" -eq 0 ] && f=1
		echo "allocfail $k: FAIL (exit status $rc)"
	else
		[[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	runs=$((runs + $(sed -n 's/.* \([0-9]*\) failing runs.*/\1/p' "$out" | awk '{n += $1} END {print n + 0}')))
}

kind devconf testdata/devconf/*/*.cfg testdata/devconf/*/*.conf testdata/devconf/aws/*.txt \
	testdata/devconf/aws/*.xml testdata/devconf/panos/*.xml testdata/policy/*.cfg \
	testdata/policy/*.conf
kind awsjson testdata/aws/basic/*.json testdata/aws/bad/*.json testdata/devconf/aws/*.json \
	testdata/doctor/*.json
kind xml testdata/devconf/aws/*.xml testdata/aws-xml/*.xml
kind cgw testdata/devconf/aws/cgw-*.xml
kind ike testdata/ike/strongswan/v[12]-[!n]*.bin testdata/ike/strongswan/v2-no-proposal.bin
kind ike-natt testdata/ike/strongswan/*4500*.bin
kind pcap testdata/ike/strongswan/*.pcap testdata/ike/pcap/*.pcap testdata/policy/*.pcap
kind vpnlog testdata/vpnlogs/*.log testdata/vpnlogs/*.json testdata/policy/*.log
kind xfrm testdata/xfrm/*.xfrm
kind ini fuzz/corpus/fuzz_aws_ini/*
echo "allocfail: $runs runs with one allocation failing"
echo "allocfail: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
