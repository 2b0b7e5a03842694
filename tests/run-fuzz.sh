#!/usr/bin/env bash
# Usage: tests/run-fuzz.sh SECONDS BIN...
# Runs each libFuzzer binary build/fuzz/lf_NAME for SECONDS on a scratch copy of
# fuzz/corpus/NAME/ (the saved corpus is never written), with fuzz/NAME.dict if there is
# one. A crash, leak, timeout or sanitizer report fails the target; its input is kept in
# build/fuzz/crashes/NAME/ to be saved as fuzz/corpus/NAME/regress-WHAT once fixed.
# FUZZ_JOBS targets run at once (default: the number of CPUs), each on one CPU, so
# SECONDS is what every target gets and the whole run takes about
# targets x SECONDS / FUZZ_JOBS.
# Last line: "fuzz: N passed, N failed".
set -u

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -eq 0 ]; then
	echo "usage: tests/run-fuzz.sh SECONDS BIN..." >&2
	exit 64
fi
seconds=$1
shift
jobs=${FUZZ_JOBS:-$(nproc)}
if ! [[ $jobs =~ ^[0-9]+$ ]] || [ "$jobs" -eq 0 ]; then
	echo "tests/run-fuzz.sh: FUZZ_JOBS must be a positive number, not '$jobs'" >&2
	exit 64
fi

root=$(cd "$(dirname "$0")/.." && pwd)
keep=$root/build/fuzz/crashes
work=$(mktemp -d "${TMPDIR:-/tmp}/vpn-doctor-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# fuzz_one BIN: runs one target; prints its lines and leaves $work/NAME/passed or
# $work/NAME/failed behind for the count.
fuzz_one() {
	local bin=$1 name log rc runs speed inputs artifacts f
	name=$(basename "$bin")
	name=${name#lf_}
	mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
	if [ ! -x "$bin" ]; then
		echo "fuzz: $name: FAIL ($bin is not an executable)"
		: >"$work/$name/failed"
		return
	fi
	if [ -d "$root/fuzz/corpus/$name" ]; then
		cp -r "$root/fuzz/corpus/$name/." "$work/$name/corpus/"
	fi
	log=$work/$name/log
	local dict=()
	[ -f "$root/fuzz/$name.dict" ] && dict=(-dict="$root/fuzz/$name.dict")
	# The outer timeout only guards against a hung fuzzer; libFuzzer stops itself.
	timeout --kill-after=10 $((seconds + 120)) "$bin" -max_total_time="$seconds" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$work/$name/artifacts/" "$work/$name/corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	inputs=$(find "$work/$name/corpus" -type f | wc -l)
	artifacts=$(find "$work/$name/artifacts" -type f | wc -l)
	if [ "$rc" -eq 0 ] && [ "$artifacts" -eq 0 ]; then
		echo "fuzz: $name: ok (${runs:-?} runs, ${speed:-?} exec/s, corpus $inputs inputs)"
		: >"$work/$name/passed"
		return
	fi
	# One block per failure, written at once, so parallel lanes do not interleave it.
	{
		echo "fuzz: $name: FAIL (exit status $rc, $artifacts crashing inputs)"
		{
			grep -E -m 1 -A 10 'ERROR: |runtime error:|deadly signal|ALARM:' "$log"
			grep -E -m 1 '^SUMMARY:' "$log"
		} | sed 's/^/    /'
		if [ "$artifacts" -gt 0 ]; then
			mkdir -p "$keep/$name"
			cp "$work/$name/artifacts/"* "$keep/$name/"
			for f in "$work/$name/artifacts/"*; do
				echo "fuzz:   kept $keep/$name/$(basename "$f")"
			done
		fi
	} >"$work/$name/report"
	cat "$work/$name/report"
	: >"$work/$name/failed"
}

running=0
for bin in "$@"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	fuzz_one "$bin" &
	running=$((running + 1))
done
wait

passed=$(find "$work" -mindepth 2 -maxdepth 2 -name passed | wc -l)
failed=$(find "$work" -mindepth 2 -maxdepth 2 -name failed | wc -l)
missing=$(($# - passed - failed))
if [ "$missing" -gt 0 ]; then
	echo "fuzz: $missing targets gave no result"
	failed=$((failed + missing))
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
