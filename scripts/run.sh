#!/usr/bin/env bash
# Installs what is missing, builds, and starts JWT Inspector. Arguments go to the app
# (a token or a file opens in the window; a sub-command runs the command line).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh build
cmake --preset default >/dev/null
cmake --build --preset default
exec build/default/app/jwt-inspector "$@"
