#!/bin/bash
# Runs every tests/integration/test_*.sh (each builds its own namespaces and cleans them up)
# and adds up their "counts: PASSED FAILED SKIPPED" lines.
# Last line: "integration: N passed, N failed, N skipped". Exit 1 if anything failed.
# Needs root and ip netns; otherwise every case is skipped with the reason.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/lib.sh"

pass=0 failed=0 skipped=0 rc=0
if ! why=$(it_unsupported); then
	echo "integration: skipped: $why"
	echo "integration: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
for t in "$dir"/test_*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t")
	echo "== $name"
	start=$SECONDS
	# a whole script is bounded too: its cases bound themselves, this is the backstop
	out=$(timeout --kill-after=10 600 bash "$t" 2>&1)
	trc=$?
	printf '%s\n' "$out" | grep -v '^counts: '
	counts=$(printf '%s\n' "$out" | grep '^counts: ' | tail -n 1)
	if [ -z "$counts" ]; then
		echo "FAIL  $name: ended without a counts line (exit $trc)"
		failed=$((failed + 1)); rc=1
		continue
	fi
	set -- $counts
	pass=$((pass + $2)) failed=$((failed + $3)) skipped=$((skipped + $4))
	[ "$3" -ne 0 ] || [ "$trc" -ne 0 ] && rc=1
	echo "-- $name: $2 passed, $3 failed, $4 skipped in $((SECONDS - start)) s"
done
echo "integration: $pass passed, $failed failed, $skipped skipped"
exit "$rc"
