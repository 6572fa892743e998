#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages JWT Inspector needs to build, run and test.
# Idempotent: installs only what is missing, so a second run costs a dpkg query.
# Usage: packaging/install-deps.sh [build|test|all]   (default: all)
set -euo pipefail

what=${1:-all}

build_pkgs=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  qtkeychain-qt6-dev libsecret-1-0
  libssl-dev
  # zlib: JWE "zip": "DEF" (RFC 7516 §4.1.3) is inflated and deflated with the system zlib.
  zlib1g-dev
  # Qt's SVG image plugin: without it the window and About dialog have no icon (loaded at run time).
  libqt6svg6
  # Packaging: PNG icons rendered from the SVG; CPack's .deb reads ELF files with file(1) for dpkg-shlibdeps.
  librsvg2-bin file
)
# Everything the tests use: a private Secret Service, an X server for screenshots,
# other JOSE implementations for interop, clang for the sanitizer and fuzzing presets.
test_pkgs=(
  gnome-keyring dbus libsecret-tools
  xvfb xauth imagemagick
  python3 python3-jwt python3-jwcrypto
  clang libclang-rt-14-dev
  # .ci/run checks formatting against .clang-format.
  clang-format
  # packaging/test-deb.sh and the packaging tests: desktop-file-validate, appstreamcli.
  desktop-file-utils appstream
)
# dbus-x11 makes a headless gnome-keyring start hang: never install it.

case "$what" in
  build) pkgs=("${build_pkgs[@]}") ;;
  test | all) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# node jose for the JWE interop tests (tests/interop/TestJweInterop.cpp), pinned by its package-lock.json, with the
# machine's Node.js and npm.
if [ "$what" != build ]; then
  interop_node="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/interop/node"
  if [ ! -f "$interop_node/node_modules/jose/package.json" ]; then
    command -v npm >/dev/null || { echo "npm is needed for the JWE interop tests (node jose)" >&2; exit 1; }
    npm ci --prefix "$interop_node" --no-audit --no-fund
  fi
fi
