#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test headless: unit, command line, conformance vectors,
# interop, GUI (offscreen) and keychain (a private Secret Service). Benchmarks are separate: scripts/bench.sh.
# Extra arguments go to ctest (e.g. -L unit, -R core.jws).
# JWTI_PRESET picks the CMake preset (default: ci under CI, otherwise default). JWTI_BUILD_TESTED_ONLY=1 builds only
# the executables of the tests that run (CI's sanitizer build).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh test

preset=${JWTI_PRESET:-}
if [ -z "$preset" ]; then
  if [ "${CI:-}" = "true" ]; then preset=ci; else preset=default; fi
fi

cmake --preset "$preset" >/dev/null
if [ -n "${JWTI_BUILD_TESTED_ONLY:-}" ]; then
  # Only the executables of the tests this preset and these arguments select: ctest names a suite folder.class, built
  # as test_folder_class, and a libFuzzer target fuzz.name, built as fuzz_name.
  mapfile -t targets < <(ctest --preset "$preset" -N "$@" |
    sed -n -e 's/^ *Test *#[0-9]*: fuzz\.\([a-z0-9_]*\)$/fuzz_\1/p' \
      -e 's/^ *Test *#[0-9]*: \([a-z0-9_]*\)\.\([a-z0-9_]*\)$/test_\1_\2/p' | sort -u)
  [ ${#targets[@]} -gt 0 ] || { echo "test.sh: no tests selected" >&2; exit 1; }
  cmake --build --preset "$preset" --target "${targets[@]}"
else
  cmake --build --preset "$preset"
fi

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
