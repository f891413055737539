#!/usr/bin/env bash
# Builds mediasoup-worker offline from the mediasoup npm package's C++ sources against Debian
# bookworm's libraries, and caches the binary outside the repository.
#
#   scripts/mediasoup-worker/build.sh               build unless cached; print the binary's path last
#   scripts/mediasoup-worker/build.sh --print-path  only print where the binary is (or would be) cached
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
# Needs (scripts/setup.sh installs them): build-essential pkg-config libssl-dev libuv1-dev
# libsrtp2-dev libusrsctp-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler liburing-dev
# ninja-build, and meson >= 1.1 (bookworm-backports).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

version=$(node -p "require('$root/server/package.json').dependencies.mediasoup")
hash=$(cd "$root" && find scripts/mediasoup-worker -type f -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum | sha256sum | cut -c1-12)
cache=${TELECLASS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/teleclass}
bin="$cache/mediasoup-worker-$version-$hash"

if [ "${1:-}" = --print-path ]; then
  echo "$bin"
  exit 0
fi
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

say() { printf '[mediasoup-worker] %s\n' "$*" >&2; }
jobs=${JOBS:-$(nproc)}
mkdir -p "$cache"
work=$(mktemp -d "$cache/build-$version-XXXXXX")
trap 'rm -rf "$work"' EXIT

say "building mediasoup-worker $version offline (recipe $hash, $jobs jobs; about 4 minutes on 2 cores)"
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

# 4. Configure and build as mediasoup's worker/tasks.py does for a Release build, offline.
cd "$w"
start=$(date +%s)
build="$w/out/Release/build"
meson setup --wrap-mode=nodownload --prefix "$w/out/Release" --bindir "" --libdir "" \
  --buildtype release -Db_ndebug=true "$build" >"$work/meson-setup.log" 2>&1 \
  || { cat "$work/meson-setup.log" >&2; exit 1; }
# The flatbuffers headers first: libwebrtc's sources include FBS/*.h without depending on them.
meson compile -C "$build" flatbuffers-generator >&2
# ninja prints "[n/N] Compiling ..." a line each: the progress.
meson compile -C "$build" -j "$jobs" mediasoup-worker >&2
meson install -C "$build" --no-rebuild --tags mediasoup-worker >/dev/null
strip "$w/out/Release/mediasoup-worker"

install -m 0755 "$w/out/Release/mediasoup-worker" "$bin.tmp"
mv -f "$bin.tmp" "$bin"
say "built in $(( $(date +%s) - start )) s: $bin"
echo "$bin"
