#!/usr/bin/env bash
# Takes the documentation screenshots (empty, valid, invalid, error, findings and signing states, the teaching views,
# the Settings and About dialogs) under Xvfb and
# saves them in docs/screenshots/. The app renders each state itself through options that only runGui knows
# (they are not part of the command line or its --help). Usage: scripts/screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/default}
app="$build/app/jwt-inspector"
if [ ! -x "$app" ]; then
  echo "no $app: build first (cmake --build $build --target jwt-inspector)" >&2
  exit 2
fi
out=docs/screenshots
mkdir -p "$out"
# A private, throwaway settings home, so no geometry of the user's own window is read or written.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
for state in empty valid invalid error findings signing trace base64 walkthrough-rs256 walkthrough-failed tour \
  settings about; do
  for theme in light dark; do
    name="$state"
    case "$state" in
      trace | base64 | tour) name="teach-$state" ;;
      walkthrough-rs256) name=teach-walkthrough ;;
      walkthrough-failed) name=teach-walkthrough-failed ;;
    esac
    [ "$theme" = dark ] && name="$name-dark"
    # Dark versions only for the two states that show most colours.
    if [ "$theme" = dark ] && [ "$state" != valid ] && [ "$state" != error ]; then
      continue
    fi
    HOME="$home" XDG_CONFIG_HOME="$home/config" QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1 \
      xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24 -dpi 96" \
      "$app" --screenshot-state "$state" --screenshot-theme "$theme" --screenshot-out "$out/$name.png"
    echo "$out/$name.png"
  done
done
