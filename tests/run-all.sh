#!/usr/bin/env bash
# What `make check` runs after building: every suite in turn, each closing with its own
# "SUITE: N passed, N failed[, N skipped]" line, then one total line alone at the end:
# "N passed, N failed[, N skipped]". Exits non-zero when anything failed.
#   CI_FUZZ_SECONDS   seconds of libFuzzer per target (default 5; needs clang)
#   SUITE_TIMEOUT     seconds before a hung suite is stopped (default 900)
set -u
shopt -s nullglob

cd "$(dirname "$0")/.." || exit 1
suite_timeout=${SUITE_TIMEOUT:-900}
total_passed=0
total_failed=0
total_skipped=0
out=$(mktemp "${TMPDIR:-/tmp}/vpn-doctor-check.XXXXXX")
trap 'rm -f "$out"' EXIT

# run SUITE CMD...: runs a suite, shows its output, and adds its summary line to the totals.
# A suite that prints no summary, or exits non-zero while reporting no failure, counts one
# failure so that nothing fails silently.
run() {
	local suite=$1 line p f s rc
	shift
	echo "== $suite"
	timeout --kill-after=10 "$suite_timeout" "$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		[ "$rc" -eq 124 ] && echo "run-all: $suite: timed out after ${suite_timeout}s" ||
			echo "run-all: $suite: no summary line (exit status $rc)"
		total_failed=$((total_failed + 1))
		return
	fi
	[[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]
	p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[4]:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "run-all: $suite: exit status $rc although no test failed"
		f=1
	fi
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + s))
}

# skip SUITE WHY: a suite that cannot run here counts one skip, with the reason.
skip() {
	echo "== $1"
	echo "$1: skipped ($2)"
	total_skipped=$((total_skipped + 1))
}

# Scripts run through bash so that a missing execute bit cannot hide a suite.
if [ -f tests/run-unit.sh ]; then
	run unit bash tests/run-unit.sh build/tests/test_*
else
	echo "== unit"
	echo "run-all: unit: tests/run-unit.sh is missing"
	total_failed=$((total_failed + 1))
fi

run fuzz-replay bash tests/run-fuzz-replay.sh build/fuzz/replay_*

[ -f tests/golden/run.sh ] && run golden bash tests/golden/run.sh

pages=(man/*.1)
[ ${#pages[@]} -gt 0 ] && run man bash tests/lint-man.sh "${pages[@]}"
# every tool's --help and man page list the same options; make install works from DESTDIR
run help-vs-man bash tests/help-vs-man.sh
run install bash tests/static/install.sh

if [ -f tests/integration/run.sh ]; then
	if [ "$(id -u)" -eq 0 ]; then
		run integration bash tests/integration/run.sh
	else
		skip integration "needs root to create network namespaces"
	fi
fi

# the static executable, built and run as nobody in a busybox chroot (needs root)
if [ "$(id -u)" -eq 0 ]; then
	run static env VPN_DOCTOR_STATIC_TEST=1 bash tests/static/run.sh
else
	skip static "needs root for the chroot and the namespace"
fi

# Hardening (issue 11): the sanitizer build's tests and the allocation-failure runs (about
# 2 minutes with the build), valgrind over a few golden cases, one per tool (make
# check-valgrind runs them all: about 4 minutes), privilege drop, secrets audit.
run asan bash tests/hardening/check-asan.sh --build
run valgrind bash tests/hardening/valgrind-golden.sh aws-dir-json aws-cgw-xml-warning \
	ike-decode-pcap-lab-direct-json ike-read-ss-v2-accepted routes-ok-json \
	ike-check-generic-aws ike-check-xml-mistakes srcip-pcap-nat policy-all-lab-two-pairs \
	policy-devconf-panos-running-config doctor-demo-json targets-file json-open
[ -f tests/hardening/privdrop.sh ] && run privdrop bash tests/hardening/privdrop.sh
[ -f tests/hardening/secrets.sh ] && run secrets bash tests/hardening/secrets.sh

if command -v clang >/dev/null 2>&1; then
	# the instrumented library and targets build in parallel; each target then runs
	# CI_FUZZ_SECONDS (the corpora are replayed in full above)
	run fuzz make --no-print-directory -j"$(nproc)" fuzz FUZZ_SECONDS="${CI_FUZZ_SECONDS:-5}"
else
	skip fuzz "clang is not installed"
fi

echo
summary="$total_passed passed, $total_failed failed"
[ "$total_skipped" -gt 0 ] && summary="$summary, $total_skipped skipped"
echo "$summary"
[ "$total_failed" -eq 0 ]
