#!/usr/bin/env bash
# What `make check-asan` runs once build-asan/ and bin-asan/ are built (make asan-build):
# the unit tests, the fuzz-corpus replay and the golden tests on the
# -fsanitize=address,undefined build, then the allocation-failure runs. A sanitizer
# report fails the case it came from (exit status 99 for the golden tests, whose wrappers
# log to a directory that must stay empty). Each part prints its own summary line; the
# last line is "asan: N passed, N failed[, N skipped]".
#   ASAN_PARTS   which parts (default "unit replay golden allocfail")
#   --build      first build them (make asan-build; what tests/run-all.sh uses)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
parts=${ASAN_PARTS:-unit replay golden allocfail}
export ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
tmp=$(mktemp -d /tmp/vdt-asan.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if [ "${1:-}" = --build ]; then
	if ! make --no-print-directory -j"$(nproc)" asan-build >"$tmp/build" 2>&1; then
		tail -n 40 "$tmp/build"
		echo "asan: make asan-build failed"
		echo "asan: 0 passed, 1 failed"
		exit 1
	fi
fi
passed=0 failed=0 skipped=0

# part NAME CMD...: runs one part and adds its last "N passed, N failed" line to the sums
part() {
	local name=$1 rc line
	shift
	echo "-- asan $name"
	"$@" 2>&1 | tee "$tmp/out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$tmp/out" | tail -n 1)
	if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
		passed=$((passed + BASH_REMATCH[1]))
		failed=$((failed + BASH_REMATCH[2]))
		skipped=$((skipped + ${BASH_REMATCH[4]:-0}))
		[ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ] && failed=$((failed + 1))
	else
		echo "asan $name: no summary line (exit status $rc)"
		failed=$((failed + 1))
	fi
}

for p in $parts; do
	case $p in
	unit) part unit bash tests/run-unit.sh build-asan/tests/test_* ;;
	replay) part replay bash tests/run-fuzz-replay.sh build-asan/fuzz/replay_* ;;
	golden)
		sh tests/hardening/wrap.sh "$tmp/bin" asan "$tmp/logs" || exit 1
		part golden env GOLDEN_BIN="$tmp/bin" GOLDEN_TIMEOUT=60 bash tests/golden/run.sh
		reports=$(find "$tmp/logs" -type f -size +0 | wc -l)
		if [ "$reports" -gt 0 ]; then
			echo "asan golden: $reports sanitizer reports:"
			find "$tmp/logs" -type f -size +0 -exec sed 's/^/    /' {} +
			failed=$((failed + 1))
		else
			echo "asan golden: no sanitizer report"
		fi
		;;
	allocfail) part allocfail bash tests/hardening/allocfail.sh ;;
	*) echo "asan: $p: unknown part"; failed=$((failed + 1)) ;;
	esac
done
summary="asan: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
