#!/usr/bin/env bash
# Usage: static/build-curl.sh SRCDIR PREFIX
# Builds a minimal static libcurl (HTTP and HTTPS over OpenSSL, nothing else) from
# Debian's curl source package (static/fetch-sources.sh unpacked it in SRCDIR, with
# Debian's patches applied) and installs lib/libcurl.a and include/curl/ under PREFIX.
# Debian's own libcurl.a cannot be linked statically: it wants GSSAPI, LDAP, libssh2,
# nghttp2, libidn2, libpsl, brotli and zstd, and Kerberos has no static library.
set -euo pipefail

src=$(cd "${1:?usage: static/build-curl.sh SRCDIR PREFIX}" && pwd)
prefix=${2:?usage: static/build-curl.sh SRCDIR PREFIX}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

cd "$src"
# Debian's last two patches rename the library for its GnuTLS and NSS flavours (its
# debian/rules pops them for the OpenSSL one): take them off the same way.
for p in 99_nss.patch 90_gnutls.patch; do
	if patch -p1 -R --dry-run -s -f <"debian/patches/$p" >/dev/null 2>&1; then
		patch -p1 -R -s -f <"debian/patches/$p"
	fi
done
# The patches touched configure.ac and Makefile.am files of parts this build leaves out
# (LDAP, GSSAPI, tests, zsh completion); keep the shipped configure and Makefile.in
# current so that make never wants autoconf or automake.
now=$(date +%s)
find . \( -name configure -o -name aclocal.m4 -o -name Makefile.in -o -name 'curl_config.h.in' \) \
	-exec touch -d "@$now" {} +

build="$prefix/build"
rm -rf "$build"
mkdir -p "$build"
cd "$build"
jobs=$(nproc 2>/dev/null || echo 2)
echo "static: configuring libcurl (HTTP/HTTPS over OpenSSL only)" >&2
"$src/configure" -q --prefix="$prefix" --disable-shared --enable-static --with-pic=no \
	--disable-maintainer-mode --disable-dependency-tracking --disable-silent-rules \
	--with-openssl --without-zlib --without-brotli --without-zstd --without-libidn2 \
	--without-libpsl --without-nghttp2 --without-ngtcp2 --without-nghttp3 --without-quiche \
	--without-msh3 --without-libssh2 --without-libssh --without-wolfssh --without-librtmp \
	--without-hyper --without-libgsasl --without-gssapi --without-ca-bundle --without-ca-path \
	--without-ca-fallback --disable-ldap --disable-ldaps --disable-rtsp --disable-dict \
	--disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smtp \
	--disable-gopher --disable-mqtt --disable-smb --disable-ftp --disable-file \
	--disable-manual --disable-ntlm --disable-ntlm-wb --disable-tls-srp --disable-alt-svc \
	--disable-hsts --disable-websockets --disable-netrc --disable-cookies \
	--disable-unix-sockets --disable-doh --disable-mime --disable-libcurl-option \
	--enable-threaded-resolver --enable-ipv6 --enable-proxy --enable-http-auth \
	--without-zsh-functions-dir --without-fish-functions-dir \
	CFLAGS="-O2" >"$build/configure.log" 2>&1 || {
	tail -n 30 "$build/configure.log" >&2
	echo "static: libcurl configure failed (log: $build/configure.log)" >&2
	exit 1
}
echo "static: building libcurl ($jobs jobs)" >&2
make -s -j"$jobs" -C lib >"$build/make.log" 2>&1 || {
	tail -n 30 "$build/make.log" >&2
	echo "static: libcurl build failed (log: $build/make.log)" >&2
	exit 1
}
make -s -C lib install >>"$build/make.log" 2>&1
make -s -C include install >>"$build/make.log" 2>&1
echo "static: libcurl $(sed -n 's/^#define LIBCURL_VERSION "\(.*\)"/\1/p' \
	"$prefix/include/curl/curlver.h") built: $prefix/lib/libcurl.a" >&2
