#!/bin/sh
# Runs cmocka unit-test binaries and sums their results.
#
#   tests/run-unit.sh BIN...
#
# Each binary runs from the project root (golden tests find testdata/ there) with a time
# limit. Its counts come from cmocka's summary lines ("[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)"). A binary that crashes, hangs, is missing, or exits non-zero
# without a failure count counts as one failed test, so a broken binary can never look
# like a clean run. The output of a failing binary is shown in full; a passing one gets
# one line. The last line is "unit: N passed, N failed"; the exit status is 1 when
# anything failed.
#
# UNIT_TIMEOUT  seconds allowed per binary (default 300)

set -u

root=$(cd "$(dirname "$0")/.." && pwd) || exit 70
limit=${UNIT_TIMEOUT:-300}
out=$(mktemp "${TMPDIR:-/tmp}/run-unit.XXXXXX") || exit 70
trap 'rm -f "$out"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0

# Sums the N of every line "[  WORD  ] N test(s)" in the output.
count() {
	sed -n "s/^\[  $1 *\] \([0-9][0-9]*\) test(s).*/\1/p" "$out" |
		awk '{ n += $1 } END { print n + 0 }'
}

for bin in "$@"; do
	name=$(basename "$bin")
	case $bin in
	/*) path=$bin ;;
	*) path=$PWD/$bin ;;
	esac
	if [ ! -f "$path" ] || [ ! -x "$path" ]; then
		echo "FAIL $name: not found or not executable ($bin)"
		failed=$((failed + 1))
		continue
	fi

	# cmocka can be told (by the environment) to print TAP or XML; we parse its default.
	# The outer 2>/dev/null hides the shell's own "Aborted" / "Segmentation fault"
	# notice; the verdict below says it instead.
	{
		if command -v timeout >/dev/null 2>&1; then
			(cd "$root" && CMOCKA_MESSAGE_OUTPUT=STDOUT exec timeout "$limit" "$path")
		else
			(cd "$root" && CMOCKA_MESSAGE_OUTPUT=STDOUT exec "$path")
		fi >"$out" 2>&1 </dev/null
	} 2>/dev/null
	rc=$?

	p=$(count PASSED)
	f=$(count FAILED)
	s=$(count SKIPPED)
	why=
	if [ "$rc" -eq 124 ]; then
		why="timed out after ${limit}s"
	elif [ "$rc" -gt 128 ]; then
		why="killed by signal $((rc - 128))"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		why="exit status $rc without a failure count"
	elif ! grep -q '^\[  PASSED  \] [0-9]* test(s)' "$out"; then
		why="no cmocka summary (exit status $rc)"
	fi
	# A crash after some tests passed still costs at least one failure.
	if [ -n "$why" ] && [ "$f" -eq 0 ]; then
		f=1
	fi

	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		extra=
		[ "$s" -gt 0 ] && extra=", $s skipped"
		echo "ok   $name: $p passed$extra"
	else
		echo "FAIL $name: $p passed, $f failed${why:+ ($why)}"
		sed 's/^/    /' "$out"
	fi
done

echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
