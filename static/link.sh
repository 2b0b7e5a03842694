#!/usr/bin/env bash
# Usage: static/link.sh CC ARGS...
# Runs the static link and passes on everything the linker says except glibc's
# link-time notes "Using 'NAME' in statically linked applications requires at runtime
# the shared libraries from the glibc version used for linking" (and the "in function"
# line naming where each call is). They concern NSS and dlopen:
#   getaddrinfo, gethostbyname*, getservbyname, getpwnam/getpwuid and friends: since
#   glibc 2.34 the "files" and "dns" services are built into libc.a, so these read
#   /etc/hosts, /etc/resolv.conf, /etc/services and /etc/passwd with no shared library
#   (tests/static/run.sh resolves a name through /etc/hosts in a chroot holding none);
#   only other services listed in /etc/nsswitch.conf would be loaded, and skipped when
#   absent.
#   dlopen (OpenSSL's DSO loader for engines and providers, libpcap): this binary loads no
#   OpenSSL engine or provider module; the built-in default provider does the work.
# Anything else, and any failure, is shown as the linker printed it.
set -uo pipefail

log=$(mktemp "${TMPDIR:-/tmp}/vpn-doctor-link.XXXXXX")
trap 'rm -f "$log"' EXIT
"$@" 2>"$log"
rc=$?
awk '
	/: in function `/ { held = $0; next }
	/warning: Using .* in statically linked applications requires at runtime the shared libraries from the glibc version used for linking/ { held = ""; next }
	{ if (held != "") print held; held = ""; print }
	END { if (held != "") print held }
' "$log" >&2
exit "$rc"
