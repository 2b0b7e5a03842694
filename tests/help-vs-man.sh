#!/usr/bin/env bash
# Usage: tests/help-vs-man.sh [BIN]
# vpn-doctor and every tool it lists (BIN, default bin/vpn-doctor) must have a man/TOOL.1,
# and the options `TOOL --help` lists (and `TOOL SUBCOMMAND --help`: all generated from
# the option tables in cmd/*.c by cli_usage) must be the options the page lists on its
# `.It Fl ...` lines. Prints what is missing on which side. Last line: "help-vs-man: N passed, N failed".
set -u

cd "$(dirname "$0")/.." || exit 1
bin=${1:-bin/vpn-doctor}
passed=0
failed=0
skipped=0

# tool_help TOOL [SUBCOMMAND]: its --help (vpn-doctor's own is `vpn-doctor --help`).
tool_help() {
	if [ "$1" = vpn-doctor ]; then
		"$bin" --help 2>/dev/null
	else
		"$bin" "$@" --help 2>/dev/null
	fi
}

# subcommands TOOL: the second word of each usage line when it is a plain word
# ("vpn-ike probe HOST ...", "vpn-ike decode ...").
subcommands() {
	tool_help "$1" | awk -v t="$1" '
		($1 == "usage:" && $2 == t && $3 ~ /^[a-z]+$/) { print $3 }
		($1 == t && $2 ~ /^[a-z]+$/) { print $2 }'
}

# help_opts TOOL: one option a line ("-c", "--concurrency"), from the left column of the
# --help of the tool and of each of its subcommands.
help_opts() {
	{
		tool_help "$1"
		for sub in $(subcommands "$1"); do tool_help "$1" "$sub"; done
	} | awk '
		/^  +-/ {
			sub(/^ +/, "")
			n = split($0, w, / +/)
			first = w[1]; sub(/,$/, "", first); print first
			if (w[1] ~ /,$/ && w[2] ~ /^--/) print w[2]
		}' | sort -u
}

# man_opts PAGE: every flag named on an .It line (mdoc: "Fl c" is -c, "Fl \-json" is --json).
man_opts() {
	awk '
		/^\.It / && / Fl / {
			n = split($0, w, / +/)
			for (i = 1; i < n; i++)
				if (w[i] == "Fl") {
					f = w[i + 1]; gsub(/\\-/, "-", f); gsub(/[,|]$/, "", f)
					if (f != "") print "-" f
				}
		}' "$1" | sort -u
}

[ -x "$bin" ] || { echo "help-vs-man: $bin is missing (make)"; echo "help-vs-man: 0 passed, 1 failed"; exit 1; }
for page in man/vpn-*.1; do
	tool=$(basename "$page" .1)
	if ! tool_help "$tool" >/dev/null; then
		echo "help-vs-man: $tool: SKIP (not a tool of $bin)"
		skipped=$((skipped + 1))
		continue
	fi
	h=$(help_opts "$tool")
	m=$(man_opts "$page")
	only_help=$(comm -23 <(printf '%s\n' "$h") <(printf '%s\n' "$m") | tr '\n' ' ')
	only_man=$(comm -13 <(printf '%s\n' "$h") <(printf '%s\n' "$m") | tr '\n' ' ')
	if [ -z "$h" ]; then
		echo "help-vs-man: $tool: FAIL (--help lists no options)"
		failed=$((failed + 1))
	elif [ -z "$only_help$only_man" ]; then
		echo "help-vs-man: $tool: ok ($(printf '%s\n' "$h" | wc -l) options)"
		passed=$((passed + 1))
	else
		echo "help-vs-man: $tool: FAIL"
		[ -n "$only_help" ] && echo "    in --help only: $only_help"
		[ -n "$only_man" ] && echo "    in $page only: $only_man"
		failed=$((failed + 1))
	fi
done
# A tool the binary lists with no page at all fails too.
for tool in vpn-doctor $("$bin" --help | awk '/^  [a-z]+ +vpn-[a-z]+ / { print $2 }'); do
	if [ ! -f "man/$tool.1" ]; then
		echo "help-vs-man: $tool: FAIL (no man/$tool.1)"
		failed=$((failed + 1))
	fi
done
summary="help-vs-man: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
