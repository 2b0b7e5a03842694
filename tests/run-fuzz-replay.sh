#!/usr/bin/env bash
# Usage: tests/run-fuzz-replay.sh BIN...
# Replays fuzz/corpus/NAME/ through each build/fuzz/replay_NAME (no libFuzzer needed).
# A binary passes when it exits 0; a crash, a non-zero exit, a timeout or a target without
# a corpus fails it. The last line is "fuzz-replay: N passed, N failed".
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
timeout_s=${FUZZ_REPLAY_TIMEOUT:-300}
passed=0
failed=0

# Names the inputs that make bin fail, so a red CI log says which file to look at.
blame() {
	local bin=$1 dir=$2 f
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		if ! timeout "$timeout_s" "$bin" "$f" >/dev/null 2>&1; then
			echo "fuzz-replay:   fails on $f"
		fi
	done
}

for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#replay_}
	corpus=$root/fuzz/corpus/$name
	if [ ! -x "$bin" ]; then
		echo "fuzz-replay: $name: FAIL ($bin is not an executable)"
		failed=$((failed + 1))
		continue
	fi
	if [ ! -d "$corpus" ]; then
		echo "fuzz-replay: $name: FAIL (no corpus at fuzz/corpus/$name/)"
		failed=$((failed + 1))
		continue
	fi
	out=$(timeout "$timeout_s" "$bin" "$corpus" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "fuzz-replay: $name: ok (${out##*: })"
		passed=$((passed + 1))
	else
		[ "$rc" -eq 124 ] && why="timed out after ${timeout_s}s" || why="exit status $rc"
		echo "fuzz-replay: $name: FAIL ($why)"
		[ -n "$out" ] && printf '%s\n' "$out" | tail -n 30 | sed 's/^/    /'
		blame "$bin" "$corpus"
		failed=$((failed + 1))
	fi
done

echo "fuzz-replay: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
