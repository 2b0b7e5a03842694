#!/usr/bin/env bash
# Usage: tests/static/install.sh
# `make install DESTDIR=...` installs a tree that works when run from there: every tool
# runs from the installed bin/ (--version, --help, and vpn-probe against a listener on
# loopback), the man pages are there and mandoc-clean, the bash completion loads and
# completes, and the zsh one parses (when zsh is installed). With bin/static/vpn-doctor
# built (make static), `make install-static` is checked the same way, and its tree still
# works after being moved (the tool links are relative).
# Quick (no build beyond `make all`); no root needed.
# Last line: "install: N passed, N failed[, N skipped]".
set -u

cd "$(dirname "$0")/../.." || exit 1
passed=0
failed=0
skipped=0
ok() { echo "install: $1: ok"; passed=$((passed + 1)); }
bad() {
	echo "install: $1: FAIL${2:+ ($2)}"
	failed=$((failed + 1))
}
skip() { echo "install: $1: skipped ($2)"; skipped=$((skipped + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpn-doctor-install.XXXXXX")
listener=""
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# A TCP listener on loopback for vpn-probe; prints its port.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
s.settimeout(60)
end = time.time() + 60
while time.time() < end:
    try:
        c, _ = s.accept(); c.close()
    except OSError:
        break
' >"$tmp/port" &
listener=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")

tools=$(bin/vpn-doctor --help | awk '/^  [a-z]+ +vpn-[a-z]+ / { print $2 }')

# check_tree DESTDIR PREFIX WHAT: the installed tree under DESTDIR/PREFIX works.
check_tree() {
	local root=$1$2 what=$3 t out n page
	n=0
	for t in vpn-doctor $tools; do
		if [ ! -x "$root/bin/$t" ]; then
			bad "$what: bin/$t" "not installed"
			continue
		fi
		if [ "$t" = vpn-doctor ]; then
			out=$("$root/bin/$t" --version 2>&1)
		else
			out=$("$root/bin/$t" --help 2>&1)
		fi || {
			bad "$what: bin/$t" "exit $?: $out"
			continue
		}
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] && ok "$what: $n programs run from $root/bin"
	if out=$("$root/bin/vpn-probe" -zv 127.0.0.1 "$port" 2>&1) && [[ $out == *open* ]]; then
		ok "$what: bin/vpn-probe -zv 127.0.0.1 $port: open"
	else
		bad "$what: vpn-probe" "$out"
	fi
	n=0
	for page in man/*.1; do
		if [ ! -f "$root/share/man/man1/${page#man/}" ]; then
			bad "$what: ${page#man/}" "not installed"
		elif command -v mandoc >/dev/null 2>&1 &&
			[ -n "$(mandoc -T lint -W warning "$root/share/man/man1/${page#man/}" 2>&1)" ]; then
			bad "$what: ${page#man/}" "mandoc -T lint complains"
		else
			n=$((n + 1))
		fi
	done
	[ "$n" -gt 0 ] && ok "$what: $n man pages in share/man/man1"
	out=$(bash -c '
		for f in "$1"/share/bash-completion/completions/*; do source "$f"; done
		complete -p vpn-probe >/dev/null || exit 1
		COMP_WORDS=(vpn-probe --conc); COMP_CWORD=1; _vpn_doctor; echo "${COMPREPLY[*]}"
		COMP_WORDS=(vpn-doctor ik); COMP_CWORD=1; _vpn_doctor; echo "${COMPREPLY[*]}"
		COMP_WORDS=(vpn-ike ""); COMP_CWORD=1; _vpn_doctor; echo "${COMPREPLY[*]}"
	' _ "$root" 2>&1)
	if [[ $out == *--concurrency*ike*probe\ decode* ]]; then
		ok "$what: bash completion (vpn-probe --conc, vpn-doctor ik, vpn-ike subcommands)"
	else
		bad "$what: bash completion" "$out"
	fi
	if [ ! -f "$root/share/zsh/site-functions/_vpn-doctor" ]; then
		bad "$what: zsh completion" "not installed"
	elif command -v zsh >/dev/null 2>&1; then
		# zsh's _arguments and compadd replaced by stand-ins that print what they were
		# asked: the dispatch by command name and by vpn-doctor's first argument.
		out=$(zsh -f -c '
			_arguments() { print -r -- "ARGS $*" }
			compadd() { print -r -- "ADD $*" }
			_files() { print -r -- "FILES $*" }
			eval "$(sed "\$d" "$1")"
			service=vpn-probe; words=(vpn-probe --c); CURRENT=2; _vpn_doctor
			service=vpn-doctor; words=(vpn-doctor ""); CURRENT=2; _vpn_doctor
			service=vpn-doctor; words=(vpn-doctor ike ""); CURRENT=3; _vpn_doctor
		' _ "$root/share/zsh/site-functions/_vpn-doctor" 2>&1)
		if zsh -n "$root/share/zsh/site-functions/_vpn-doctor" &&
			[[ $out == *"ARGS -s -4["*--concurrency\[*"ADD -- probe"*"--ikev1["*"1: :(probe decode check)"* ]]; then
			ok "$what: zsh completion (vpn-probe options, vpn-doctor tools, vpn-ike subcommands)"
		else
			bad "$what: zsh completion" "$(printf '%s\n' "$out" | cut -c1-160)"
		fi
	else
		skip "$what: zsh completion syntax" "zsh is not installed"
	fi
}

if out=$(make --no-print-directory install DESTDIR="$tmp/dyn" PREFIX=/usr/local 2>&1); then
	ok "make install DESTDIR=$tmp/dyn"
	check_tree "$tmp/dyn" /usr/local "make install"
else
	bad "make install" "$(printf '%s\n' "$out" | tail -n 5)"
fi

if [ -x bin/static/vpn-doctor ]; then
	if out=$(make --no-print-directory install-static DESTDIR="$tmp/st" PREFIX=/opt/vpn 2>&1); then
		ok "make install-static DESTDIR=$tmp/st"
		check_tree "$tmp/st" /opt/vpn "install-static"
		if file -b "$tmp/st/opt/vpn/bin/vpn-doctor" | grep -q 'statically linked' &&
			[ "$(readlink "$tmp/st/opt/vpn/bin/vpn-probe")" = vpn-doctor ]; then
			ok "install-static: one static executable, relative tool links"
		else
			bad "install-static" "not one static executable with relative links"
		fi
		mv "$tmp/st/opt/vpn" "$tmp/moved"
		if "$tmp/moved/bin/vpn-ike" --help >/dev/null 2>&1; then
			ok "install-static: the tree still works after mv"
		else
			bad "install-static: moved tree"
		fi
	else
		bad "make install-static" "$(printf '%s\n' "$out" | tail -n 5)"
	fi
else
	skip "make install-static" "no bin/static/vpn-doctor (make static)"
fi

summary="install: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
