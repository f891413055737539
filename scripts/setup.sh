#!/usr/bin/env bash
# One set-up step for `npm start` and `npm test`; safe to run again, quick when all is done.
#   1. Debian packages that are missing are installed with apt-get (as root; otherwise the exact
#      command is printed and set-up stops);
#   2. `npm ci` when node_modules is missing or older than package-lock.json;
#   3. mediasoup-worker is built offline when its cache is missing (scripts/mediasoup-worker/);
#   4. the client is built when its sources changed since the last build.
# Written to run before node_modules exists: bash, coreutils and node only.
#   --test   also what the tests need (Debian chromium for the browser tests, nftables for the
#            network-namespace tests, redis-server for the cluster tests, postgresql for the
#            store's tests: each starts its own server in a temp folder)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
for_tests=0
[ "${1:-}" = --test ] && for_tests=1

say() { printf '[setup] %s\n' "$*" >&2; }
started=$(date +%s)

worker_bin=$(bash scripts/mediasoup-worker/build.sh --print-path)

# ---------------------------------------------------------------- 1. Debian packages
runtime_pkgs=(ca-certificates openssl ffmpeg iproute2 libssl3 libuv1 libsrtp2-1 libusrsctp2 libabsl20220623 liburing2)
build_pkgs=(build-essential pkg-config python3 libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev
  libabsl-dev libflatbuffers-dev flatbuffers-compiler liburing-dev ninja-build patch)
# nftables: the weak-link browser test drops packets at random on its own link and the silent-cut test cuts one (e2e/netns.ts, e2e/constrainedLink.ts; tc is iproute2's).
# redis-server: the cluster tests start their own.
# postgresql: the store's tests start their own (server/test/fixtures/postgres.ts).
test_pkgs=(chromium fonts-dejavu-core nftables redis-server postgresql)

wanted=("${runtime_pkgs[@]}")
need_worker=0
[ -x "$worker_bin" ] || need_worker=1
[ "$need_worker" = 1 ] && wanted+=("${build_pkgs[@]}")
[ "$for_tests" = 1 ] && wanted+=("${test_pkgs[@]}")

meson_ok() {
  command -v meson >/dev/null &&
    [ "$(printf '%s\n1.1.0\n' "$(meson --version)" | sort -V | head -n1)" = 1.1.0 ]
}

as_root() {
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive "$@"
  else
    say "missing system packages; run this as root (or with sudo), then run the command again:"
    printf '  sudo %s\n' "$*" >&2
    exit 1
  fi
}

if command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  need_meson=0
  { [ "$need_worker" = 1 ] && ! meson_ok; } && need_meson=1
  if [ ${#missing[@]} -gt 0 ] || [ "$need_meson" = 1 ]; then
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    backports=0
    if [ "$need_meson" = 1 ] && [ "$codename" = bookworm ]; then
      # mediasoup's meson.build needs meson >= 1.1; bookworm has 1.0.1, bookworm-backports 1.7.
      backports=1
      if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        as_root sh -c 'printf "%s\n" "Types: deb" "URIs: http://deb.debian.org/debian" \
          "Suites: bookworm-backports" "Components: main" \
          "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" \
          > /etc/apt/sources.list.d/teleclass-backports.sources'
      fi
    fi
    say "installing Debian packages: ${missing[*]} $([ "$need_meson" = 1 ] && echo meson)"
    as_root apt-get update -qq
    [ ${#missing[@]} -gt 0 ] && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
    if [ "$need_meson" = 1 ]; then
      if [ "$backports" = 1 ]; then
        as_root apt-get install -y -qq --no-install-recommends -t bookworm-backports meson
      else
        as_root apt-get install -y -qq --no-install-recommends meson
      fi
    fi
  fi
else
  say "not a Debian system: make sure these are installed: ${wanted[*]} meson>=1.1"
fi

# ---------------------------------------------------------------- 2. npm dependencies
# mediasoup's postinstall would download a worker from GitHub or build one with meson wraps from
# the internet. package.json's allowScripts denies it (npm >= 11.19); for older npm, a set
# MEDIASOUP_WORKER_BIN makes the postinstall skip itself.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  MEDIASOUP_WORKER_BIN="$worker_bin" npm ci --no-audit --no-fund --loglevel=error
fi

# ---------------------------------------------------------------- 3. mediasoup-worker
if [ "$need_worker" = 1 ]; then
  bash scripts/mediasoup-worker/build.sh >/dev/null
fi

# ---------------------------------------------------------------- 4. client build
stamp=client/dist/.sources-sha256
client_sources=(client/index.html client/vite.config.ts client/package.json client/src shared/src package-lock.json)
sources_hash=$(find "${client_sources[@]}" -type f -print0 2>/dev/null | LC_ALL=C sort -z \
  | xargs -0 sha256sum | sha256sum | cut -c1-64)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sources_hash" ]; then
  say "building the client"
  npx --no-install vite build client --logLevel warn
  echo "$sources_hash" >"$stamp"
fi

say "ready in $(( $(date +%s) - started )) s"
