#!/usr/bin/env bash
# Builds mediasoup-worker offline from the mediasoup npm package's C++ sources against Debian
# bookworm's libraries, and caches the binary outside the repository.
#
#   scripts/mediasoup-worker/build.sh               build unless cached; print the binary's path last
#   scripts/mediasoup-worker/build.sh --print-path  only print where the binary is (or would be) cached
#   ... --baseline [--print-path]                   the same, for the baseline worker: mediasoup's
#                                                   sources without our patches (patches/), linked
#                                                   to Debian's own libsrtp2 (NSS); only the
#                                                   benchmark runs it, as "bare mediasoup with
#                                                   Debian's libraries". All are built in one go,
#                                                   with <path>-unpatched beside them: those same
#                                                   objects on our libsrtp (the bench's before/after).
#
# Why: mediasoup's postinstall downloads a prebuilt worker from GitHub, else builds with meson
# subprojects fetched from the internet; neither is reachable here. Every meson wrap of the worker
# is replaced by a "shim" subproject (shims/<name>/) over the Debian library, and meson runs with
# --wrap-mode=nodownload so nothing is fetched. One real mediasoup bug is patched (see below).
#
# Cache: ${TELECLASS_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/teleclass}/mediasoup-worker-<version>-<hash>
# where <version> is the mediasoup version pinned in server/package.json and <hash> the first 12
# hex digits of a sha256 over this folder's files (the recipe). server/src/media/workerBinary.ts
# computes the same path; a test checks that the two agree.
#
# The data path: Debian's libsrtp2 is built on NSS, whose AES (no AES-NI path for AES-CM in
# libsrtp's NSS kernel) took about a third of the worker's CPU under fan-out. The worker links
# instead libsrtp 2.5 from Debian's own source package (`apt-get source libsrtp2`, which needs a
# deb-src entry: added below when missing), configured --enable-openssl so that AES-CM, AES-GCM
# and HMAC-SHA1 go through OpenSSL's EVP (AES-NI, PCLMULQDQ, SHA extensions where the CPU has
# them), statically (libsrtp2.a), after libsrtp's own `make runtest` passed. The worker compiles
# against Debian's libsrtp2-dev headers, checked identical to the source package's, so the two
# binaries differ only in what they link. libsrtp's `test/srtp_driver -t` on this machine kind
# (1 KB packets): AES-CM-128 + HMAC-SHA1 2.4 -> 10 Gbit/s, AES-GCM 11.8 -> 20 Gbit/s; -O3 instead
# of autoconf's -O2 measured no difference (the AES is OpenSSL's assembly), so libsrtp keeps -O2.
#
# Patches (patches/*.patch, applied with `patch -p1` in the worker folder, to our worker only):
#   inactive-consumer-drops.patch  a consumer that is paused or whose transport has not connected
#     no longer records each packet it does not send in its sequence manager (a std::set node
#     allocated and one freed per packet, up to 32,768 kept, ~1.5 MB per consumer): the sync on
#     resume and on connect clears those records anyway. Tested by
#     server/test/integration/worker-paused-consumers.test.ts.
# The baseline worker is built from the sources before the patches (only the DTLS fix below,
# without which it cannot serve a browser): bare mediasoup.
#
# Needs (scripts/setup.sh installs them): build-essential pkg-config libssl-dev libuv1-dev
# libsrtp2-dev libusrsctp-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler liburing-dev
# ninja-build dpkg-dev patch, and meson >= 1.1 (bookworm-backports).
set -euo pipefail

print_only=0
baseline=0
for arg in "$@"; do
  case "$arg" in
    --print-path) print_only=1 ;;
    --baseline) baseline=1 ;;
    *) echo "usage: $0 [--baseline] [--print-path]" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

version=$(node -p "require('$root/server/package.json').dependencies.mediasoup")
hash=$(cd "$root" && find scripts/mediasoup-worker -type f -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum | sha256sum | cut -c1-12)
cache=${TELECLASS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/teleclass}
bin="$cache/mediasoup-worker-$version-$hash"
base_bin="$bin-debian-srtp"
wanted=$bin
[ "$baseline" = 1 ] && wanted=$base_bin

if [ "$print_only" = 1 ]; then
  echo "$wanted"
  exit 0
fi
if [ -x "$wanted" ]; then
  echo "$wanted"
  exit 0
fi

say() { printf '[mediasoup-worker] %s\n' "$*" >&2; }
jobs=${JOBS:-$(nproc)}
mkdir -p "$cache"
work=$(mktemp -d "$cache/build-$version-XXXXXX")
trap 'rm -rf "$work"' EXIT

say "building mediasoup-worker $version offline (recipe $hash, $jobs jobs; about 5 minutes on 2 cores)"
say "work folder: $work"

# 1. Sources: the npm package carries the worker's C++ sources (the npm registry is reachable).
(cd "$work" && npm pack "mediasoup@$version" --silent >/dev/null && tar xzf "mediasoup-$version.tgz")
w="$work/package/worker"

# 2. The one-character fix of a real mediasoup bug. onSslBioOut() in DtlsTransport.cpp compares
#    `operationType == BIO_CB_RETURN`, but OpenSSL passes `BIO_CB_CTRL | BIO_CB_RETURN`, so every
#    BIO_ctrl() answers 1. With a kTLS-enabled OpenSSL (Debian's libssl3) BIO_get_ktls_send() then
#    reads as true, OpenSSL never allocates its DTLS write buffer, and the worker segfaults in
#    SSL_read() on the first DTLS handshake of a WebRtcTransport.
dtls="$w/src/RTC/DtlsTransport.cpp"
if grep -q '(operationType == BIO_CB_RETURN)' "$dtls"; then
  sed -i 's/(operationType == BIO_CB_RETURN)/(operationType \& BIO_CB_RETURN)/' "$dtls"
  say "patched onSslBioOut() in worker/src/RTC/DtlsTransport.cpp"
elif ! grep -q '(operationType & BIO_CB_RETURN)' "$dtls"; then
  say "cannot find the onSslBioOut() return check in $dtls; review the patch for mediasoup $version"
  exit 1
fi

# 3. Each wrap's `directory =` gets the shim folder; meson treats it as already downloaded.
for wrap in "$w"/subprojects/*.wrap; do
  name=$(basename "$wrap" .wrap)
  [ "$name" = wingetopt ] && continue # Windows only
  if [ ! -d "$here/shims/$name" ]; then
    say "mediasoup $version needs subproject '$name', which has no shim in $here/shims"
    exit 1
  fi
  dir=$(sed -n 's/^directory *= *//p' "$wrap")
  rm -rf "$w/subprojects/$dir"
  cp -r "$here/shims/$name" "$w/subprojects/$dir"
done

start=$(date +%s)

# 4. libsrtp 2.5 on OpenSSL, from Debian's source package.
has_deb_src() { grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; }
src_entry=(Types: deb-src URIs: http://deb.debian.org/debian Suites: "$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  Components: main Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg)
src_file=/etc/apt/sources.list.d/teleclass-src.sources
if ! has_deb_src; then
  if [ "$(id -u)" != 0 ]; then
    say "apt has no deb-src entry (needed by \`apt-get source libsrtp2\`); as root, write $src_file:"
    printf '  %s %s\n' "${src_entry[@]}" >&2
    say "then run \`apt-get update\` and this script again"
    exit 1
  fi
  printf '%s %s\n' "${src_entry[@]}" >"$src_file"
  say "added a deb-src entry: $src_file"
fi
mkdir -p "$work/srtp"
if ! (cd "$work/srtp" && apt-get source -qq libsrtp2 >"$work/apt-source.log" 2>&1); then
  # A deb-src entry whose index was never fetched: update once, then try again.
  [ "$(id -u)" = 0 ] && apt-get update -qq -o DPkg::Lock::Timeout=300 >&2
  (cd "$work/srtp" && apt-get source -qq libsrtp2 >"$work/apt-source.log" 2>&1) \
    || { cat "$work/apt-source.log" >&2; exit 1; }
fi
srtp_dir=$(find "$work/srtp" -mindepth 1 -maxdepth 1 -type d -name 'libsrtp2-*' | head -n1)
srtp_version=${srtp_dir##*/libsrtp2-}
case "$srtp_version" in
  2.5.*) ;;
  *) say "Debian's libsrtp2 source is $srtp_version; this recipe was written for 2.5"; exit 1 ;;
esac
say "libsrtp $srtp_version from Debian's source package (with Debian's patches), on OpenSSL"
prefix="$work/srtp/prefix"
(cd "$srtp_dir" \
  && ./configure -q --enable-openssl --prefix "$prefix" CFLAGS="-O2 -fPIC -D_REENTRANT" >"$work/srtp-configure.log" 2>&1 \
  && make -s -j "$jobs" libsrtp2.a test >"$work/srtp-make.log" 2>&1 \
  && make -s runtest >"$work/srtp-runtest.log" 2>&1 \
  && make -s install >/dev/null 2>&1) \
  || { tail -n 40 "$work"/srtp-*.log >&2; say "libsrtp build or self-test failed"; exit 1; }
grep -q 'AES-128 counter mode using openssl' "$prefix/lib/libsrtp2.a" \
  || { say "libsrtp2.a has no OpenSSL crypto kernel"; exit 1; }
# The worker compiles against Debian's headers (both binaries share every object file).
diff -r "$prefix/include/srtp2" /usr/include/srtp2 >&2 \
  || { say "Debian's libsrtp2-dev headers differ from its source package $srtp_version: apt-get install libsrtp2-dev"; exit 1; }
say "libsrtp $srtp_version passed its self-tests (make runtest)"

# 5. The baseline first: configured and built as mediasoup's worker/tasks.py does for a Release
#    build, offline, on Debian's libsrtp2.so, from the sources as published (+ the DTLS fix).
cd "$w"
build="$w/out/Release/build"
meson setup --wrap-mode=nodownload --prefix "$w/out/Release" --bindir "" --libdir "" \
  --buildtype release -Db_ndebug=true "-Dlibsrtp3:teleclass_srtp_prefix=" "$build" \
  >"$work/meson-setup.log" 2>&1 || { cat "$work/meson-setup.log" >&2; exit 1; }
# The flatbuffers headers first: libwebrtc's sources include FBS/*.h without depending on them.
meson compile -C "$build" flatbuffers-generator >&2
# ninja prints "[n/N] Compiling ..." a line each: the progress.
meson compile -C "$build" -j "$jobs" mediasoup-worker >&2
strip -o "$work/worker-debian-srtp" "$build/mediasoup-worker"
# The same objects on libsrtp on OpenSSL, before the patches (only relinked): the benchmark's
# before/after of the patches (arm bare-unpatched).
meson configure "$build" "-Dlibsrtp3:teleclass_srtp_prefix=$prefix" >/dev/null
meson compile -C "$build" -j "$jobs" mediasoup-worker >&2
strip -o "$work/worker-openssl-unpatched" "$build/mediasoup-worker"

# 6. Our worker: the patches, then libsrtp on OpenSSL (ninja recompiles the patched files only).
for patch_file in "$here"/patches/*.patch; do
  patch -p1 -s -N -d "$w" <"$patch_file" || { say "$(basename "$patch_file") does not apply to mediasoup $version"; exit 1; }
  say "applied $(basename "$patch_file")"
done
meson compile -C "$build" -j "$jobs" mediasoup-worker >&2
strip -o "$work/worker-openssl-srtp" "$build/mediasoup-worker"

# 7. Each binary links the libsrtp it was meant to (the tests check the cached ones the same way).
if ldd "$work/worker-openssl-srtp" | grep -q 'libsrtp2\|libnss3' \
  || ! grep -q 'AES-128 counter mode using openssl' "$work/worker-openssl-srtp"; then
  say "the worker does not use the OpenSSL libsrtp it was built with"; exit 1
fi
ldd "$work/worker-debian-srtp" | grep -q 'libsrtp2' || { say "the baseline worker does not link Debian's libsrtp2"; exit 1; }

install -m 0755 "$work/worker-debian-srtp" "$base_bin.tmp"
mv -f "$base_bin.tmp" "$base_bin"
install -m 0755 "$work/worker-openssl-unpatched" "$bin-unpatched.tmp"
mv -f "$bin-unpatched.tmp" "$bin-unpatched"
install -m 0755 "$work/worker-openssl-srtp" "$bin.tmp"
mv -f "$bin.tmp" "$bin"
say "built in $(( $(date +%s) - start )) s: $bin (and $base_bin)"
echo "$wanted"
