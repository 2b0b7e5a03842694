#!/usr/bin/env bash
# valgrind memcheck over the golden tests: every tool a golden case starts (bin/) runs
# under valgrind (tests/hardening/wrap.sh valgrind: definite leaks count as errors), and
# every process must end with an empty valgrind log. The golden comparison itself runs
# too, but only as information: valgrind makes tools slower, and a few outputs hold
# timings ("after 0 ms"). Last line: "valgrind: N passed, N failed" (one per process).
#   tests/hardening/valgrind-golden.sh [NAME...]    all golden cases, or the named ones
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
if ! command -v valgrind >/dev/null; then
	echo "valgrind: skipped: valgrind is not installed (scripts/deps.sh test)"
	echo "valgrind: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
tmp=$(mktemp -d /tmp/vdt-valgrind.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sh tests/hardening/wrap.sh "$tmp/bin" valgrind "$tmp/logs" || exit 1
GOLDEN_BIN="$tmp/bin" GOLDEN_TIMEOUT=120 bash tests/golden/run.sh "$@" >"$tmp/golden" 2>&1
if grep -q 'golden: skipped' "$tmp/golden"; then
	grep 'golden: skipped' "$tmp/golden" | sed 's/golden/valgrind/'
	echo "valgrind: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
grep '^FAIL' "$tmp/golden" | sed 's/^FAIL /valgrind: output differs (information only):/'
grep -E '^golden: [0-9]+ passed' "$tmp/golden" | sed 's/^golden:/valgrind: golden comparison:/'
total=$(find "$tmp/logs" -type f | wc -l)
bad=$(find "$tmp/logs" -type f -size +0 | wc -l)
find "$tmp/logs" -type f -size +0 -exec sed 's/^/    /' {} +
if [ "$total" -eq 0 ]; then
	echo "valgrind: no process ran under valgrind"
	bad=1
fi
echo "valgrind: $((total - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
