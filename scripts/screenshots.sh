#!/usr/bin/env bash
# Takes the documentation screenshots (empty, valid, invalid, error, findings and signing states, the teaching views,
# the Settings and About dialogs) under Xvfb and
# saves them in docs/screenshots/. Each state is rendered by tools/screenshots (jwti-screenshots), a program of its own
# built beside jwt-inspector from the same widgets and never installed. Usage: scripts/screenshots.sh [BUILD_DIR]
# The verify panel's verdict states (verdict-*.png) are taken differently, as a user sees them: the real app in a
# private desktop, driven by xdotool (see verdict_shots below):
#   desktop-session.sh --wm -- scripts/screenshots.sh --verdict-in-session [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
# --- verdict mode ---------------------------------------------------------------------------------------------
# scripts/screenshots.sh --verdict-in-session [BUILD_DIR] runs inside a private desktop (desktop-session.sh --wm,
# which gives DISPLAY, a keyring and a window manager). It stores two unrelated keys in that keyring, then opens the
# real app on each verdict state at 1366x768, types the key as a user would (xdotool), switches the theme through
# the View menu, and saves the whole screen (import -window root) as docs/screenshots/verdict-STATE[-dark].png.
verdict_shots() {
  local app=$1 out=$2 work
  work=$(mktemp -d)
  # Unrelated keys in the keychain: they must never decide a verdict (issue 12).
  "$app" keys generate --alg RS256 --bits 4096 --name "partner signer" --set partner >/dev/null
  "$app" keys generate --alg HS256 --name "internal secret" --set internal --kid internal-1 >/dev/null
  local now; now=$(date +%s)
  local claims="{\"sub\":\"1234567890\",\"name\":\"Jane Doe\",\"iss\":\"https://issuer.example\",\"iat\":$((now - 60)),\"exp\":$((now + 3600))}"
  local expired="{\"sub\":\"1234567890\",\"name\":\"Jane Doe\",\"iat\":$((now - 3 * 86400)),\"exp\":$((now - 2 * 3600))}"
  local secret=a-secret-of-exactly-32-bytes-ok!
  # Signed with the bytes of a base64url text; the user types that text as text: "Why it failed" says so.
  local b64secret=c2VjcmV0LWJ5dGVzLXRoYXQtYXJlLTMyLWxvbmctb2sh
  "$app" sign --secret-b64 "$b64secret" --alg HS256 "$claims" >"$work/invalid.jwt"
  "$app" sign --secret "$secret" --alg HS256 "$expired" >"$work/expired.jwt"
  "$app" keygen --alg RS256 --bits 2048 --out "$work/other.pem" >/dev/null
  "$app" sign --key "$work/other.pem" --alg RS256 "$claims" >"$work/not-verified.jwt"
  printf '%s.%s.' "$(printf '{"alg":"none","typ":"JWT"}' | base64 -w0 | tr '+/' '-_' | tr -d '=')" \
    "$(printf '%s' "$claims" | base64 -w0 | tr '+/' '-_' | tr -d '=')" >"$work/unsecured.jwt"
  printf '%s' 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2ln=bad!' >"$work/malformed.jwt"

  for theme in light dark; do
    for state in valid invalid expired not-verified unsecured malformed; do
      local name="verdict-$state"; [ "$theme" = dark ] && name="$name-dark"
      if [ "$state" = valid ]; then "$app" & else "$app" "$work/$state.jwt" & fi
      local pid=$! window
      window=$(xdotool search --sync --onlyvisible --name "JWT Inspector" | head -1)
      xdotool windowactivate --sync "$window" 2>/dev/null || true
      xdotool windowmove "$window" 0 0 windowsize "$window" 1366 768
      sleep 1.5
      if [ "$theme" = dark ]; then
        # View ▸ Theme ▸ Dark, by mouse and the menus' own mnemonics.
        xdotool mousemove 97 8 click 1; sleep 0.5; xdotool key t; sleep 0.3; xdotool key d; sleep 0.8
      fi
      case $state in
        valid) # File ▸ Sample tokens ▸ HS256: what the empty page's "Try a sample (HS256)" does
          xdotool mousemove 20 8 click 1; sleep 0.5; xdotool key s; sleep 0.5; xdotool key Return ;;
        invalid | expired) # the secret field, then the Claims tab, whose Status column shows the same verdict
          xdotool mousemove 985 141 click 1; sleep 0.3
          if [ "$state" = invalid ]; then xdotool type --delay 5 "$b64secret"; else xdotool type --delay 5 "$secret"; fi
          sleep 0.5; xdotool mousemove 254 211 click 1 ;;
      esac
      xdotool mousemove 1365 767
      sleep 2
      import -window root "$out/$name.png"
      # 128 colours, undithered: the same pixels to the eye, a third of the bytes.
      convert "$out/$name.png" -dither None -colors 128 "PNG8:$out/$name.png"
      kill "$pid"; wait "$pid" 2>/dev/null || true
      echo "$out/$name.png"
    done
  done
  rm -rf "$work"
}

# --- every state at a laptop's and a large screen's size ------------------------------------------------------
# desktop-session.sh -- scripts/screenshots.sh --sizes-in-session OUT_DIR [BUILD_DIR]: each state of the window,
# the key manager (an RSA-4096 key and an HMAC secret in the session's keyring), each key wizard page and a JWE
# (closed, decrypted, its inner token, a wrong key, "How it's decrypted"), at
# 1366x768 and 1024x640, light and dark, as OUT_DIR/SIZE/STATE-THEME.png, reduced to 128 colours.
if [ "${1:-}" = --sizes-in-session ]; then
  out=$2
  shooter=$(realpath "${3:-build/default}/tools/screenshots/jwti-screenshots")
  if [ -z "${DISPLAY:-}" ] || [ -z "${ATSPI_SESSION_LOG:-}" ]; then
    echo "--sizes-in-session runs only inside desktop-session.sh (it writes keys to the keyring)" >&2
    exit 2
  fi
  for size in 1366x768 1024x640; do
    mkdir -p "$out/$size"
    for theme in light dark; do
      for state in empty valid invalid error not-a-token not-a-token-base64 not-a-token-walkthrough \
        not-a-token-lessons claims findings signing trace base64 walkthrough-rs256 lessons tour keys wizard-1 \
        wizard-2 wizard-3 wizard-4 wizard-5 wizard-6 wizard-7 jwe jwe-decrypted jwe-nested jwe-failed \
        jwe-walkthrough; do
        file="$out/$size/$state-$theme.png"
        QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1 "$shooter" --state "$state" --theme "$theme" \
          --size "$size" --out "$file" || echo "failed: $file" >&2
        [ -f "$file" ] && convert "$file" -dither None -colors 128 "PNG8:$file"
        echo "$file"
      done
    done
  done
  exit 0
fi

if [ "${1:-}" = --verdict-in-session ]; then
  shift
  app="${1:-build/default}/app/jwt-inspector"
  # It stores keys in the session's keyring: never run it against the user's own (desktop-session.sh sets
  # ATSPI_SESSION_LOG in its private HOME).
  if [ -z "${DISPLAY:-}" ] || [ -z "${ATSPI_SESSION_LOG:-}" ]; then
    echo "--verdict-in-session runs only inside desktop-session.sh --wm (it writes keys to the keyring)" >&2
    exit 2
  fi
  mkdir -p docs/screenshots
  verdict_shots "$(realpath "$app")" docs/screenshots
  exit 0
fi
build=${1:-build/default}
shooter="$build/tools/screenshots/jwti-screenshots"
if [ ! -x "$shooter" ]; then
  echo "no $shooter: build first (cmake --build $build --target jwti-screenshots)" >&2
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
      "$shooter" --state "$state" --theme "$theme" --out "$out/$name.png"
    echo "$out/$name.png"
  done
done
