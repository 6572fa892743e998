#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test headless: unit, command line, conformance vectors,
# interop, GUI (offscreen) and keychain (a private Secret Service). Benchmarks are separate: scripts/bench.sh.
# Extra arguments go to ctest (e.g. -L unit, -R core.jws).
# JWTI_PRESET picks the CMake preset (default: ci under CI, otherwise default).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh test

preset=${JWTI_PRESET:-}
if [ -z "$preset" ]; then
  if [ "${CI:-}" = "true" ]; then preset=ci; else preset=default; fi
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

# The keychain tests talk to a real Secret Service, never the user's own: a private session bus, a private
# HOME and XDG dirs, and a keyring unlocked with a throwaway password.
private=$(mktemp -d)
trap 'rm -rf "$private"' EXIT
mkdir -p "$private/config" "$private/data" "$private/cache"
export HOME="$private" XDG_RUNTIME_DIR="$private" XDG_CONFIG_HOME="$private/config" \
  XDG_DATA_HOME="$private/data" XDG_CACHE_HOME="$private/cache"
chmod 700 "$private"
exec dbus-run-session -- sh -c '
  printf %s test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec ctest --preset "$0" "$@"' "$preset" "$@"
