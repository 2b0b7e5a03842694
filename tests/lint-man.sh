#!/usr/bin/env bash
# Usage: tests/lint-man.sh PAGE...
# A page passes when `mandoc -T lint -W warning` has nothing to say about it.
# Last line: "man: N passed, N failed".
set -u

passed=0
failed=0
have_mandoc=true
command -v mandoc >/dev/null 2>&1 || have_mandoc=false

for page in "$@"; do
	if ! $have_mandoc; then
		echo "man: $page: FAIL (mandoc is not installed: scripts/deps.sh test)"
		failed=$((failed + 1))
		continue
	fi
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		passed=$((passed + 1))
	else
		echo "man: $page: FAIL"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

echo "man: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
