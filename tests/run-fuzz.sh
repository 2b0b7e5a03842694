#!/usr/bin/env bash
# Usage: tests/run-fuzz.sh SECONDS BIN...
# Runs each libFuzzer binary build/fuzz/lf_NAME for SECONDS on a scratch copy of
# fuzz/corpus/NAME/ (the saved corpus is never written), with fuzz/NAME.dict if there is
# one. A crash, leak, timeout or sanitizer report fails the target; its input is kept in
# build/fuzz/crashes/NAME/ to be saved as fuzz/corpus/NAME/regress-WHAT once fixed.
# Last line: "fuzz: N passed, N failed".
set -u

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]] || [ "$1" -eq 0 ]; then
	echo "usage: tests/run-fuzz.sh SECONDS BIN..." >&2
	exit 64
fi
seconds=$1
shift

root=$(cd "$(dirname "$0")/.." && pwd)
keep=$root/build/fuzz/crashes
work=$(mktemp -d "${TMPDIR:-/tmp}/vpn-doctor-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#lf_}
	if [ ! -x "$bin" ]; then
		echo "fuzz: $name: FAIL ($bin is not an executable)"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
	if [ -d "$root/fuzz/corpus/$name" ]; then
		cp -r "$root/fuzz/corpus/$name/." "$work/$name/corpus/"
	fi
	log=$work/$name/log
	dict=()
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
		passed=$((passed + 1))
		continue
	fi
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
	failed=$((failed + 1))
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
