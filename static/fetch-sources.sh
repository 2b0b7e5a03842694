#!/usr/bin/env bash
# Usage: static/fetch-sources.sh DIR
# Fetches Debian's curl and cjson source packages into DIR (once), for the static build:
# Debian ships no usable libcurl.a (it wants GSSAPI, which has no static library) and no
# libcjson.a. When apt knows no source package for them, adds a deb-src entry for
# Debian 12's suites and runs apt-get update (needs root; as anyone else it prints what
# to add and exits 1).
set -euo pipefail

dir=${1:?usage: static/fetch-sources.sh DIR}
mkdir -p "$dir"
cd "$dir"
have() { compgen -G "$1" >/dev/null; }
if have 'curl-*/configure' && have 'cjson-*/cJSON.c'; then
	exit 0
fi

src_list=/etc/apt/sources.list.d/vpn-doctor-src.sources
# known_src PKG: apt knows where to get PKG's source package.
known_src() { apt-cache showsrc "$1" 2>/dev/null | grep -q "^Package: $1\$"; }
if ! known_src curl || ! known_src cjson; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "static: apt knows no source package for curl or cjson; as root add $src_list:" >&2
		echo "  Types: deb-src / URIs: http://deb.debian.org/debian / Suites: bookworm bookworm-updates / Components: main" >&2
		echo "  and run apt-get update (or run make static as root once)" >&2
		exit 1
	fi
	if [ ! -f "$src_list" ]; then
		echo "static: adding $src_list (deb-src for curl and cjson)" >&2
		cat >"$src_list" <<'SRC'
# Added by vpn-doctor's static/fetch-sources.sh: `make static` builds libcurl and cJSON
# from Debian's source packages.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	fi
	apt-get update -q >&2
fi
have 'curl-*/configure' || apt-get source -q curl >&2
have 'cjson-*/cJSON.c' || apt-get source -q cjson >&2
have 'curl-*/configure' && have 'cjson-*/cJSON.c'
