#!/usr/bin/env bash
# Builds the .deb from an existing build directory, installs it with apt-get as a user would, uses the installed
# program (command line and window), validates the installed desktop files, then purges the package and checks that
# none of its files is left. Installs and removes a system package: meant for CI machines and throw-away systems.
# Usage: packaging/test-deb.sh [BUILD_DIR]   (default: build/ci, which the CI test command has just built)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/ci}
start=$(date +%s)

SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
step() { echo "test-deb: $*"; }

[ -f "$build/CMakeCache.txt" ] || fail "$build is not a configured build directory"
if [[ $(dpkg-query -W -f='${Status}' jwt-inspector 2>/dev/null) == "install ok installed" ]]; then
  fail "jwt-inspector is already installed here; remove it first (this script must not replace a user's copy)"
fi

step "packaging from $build"
rm -f "$build"/jwt-inspector_*.deb
cmake --build "$build" --target package >/dev/null
debs=("$build"/jwt-inspector_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one jwt-inspector_*.deb in $build"
work=$(mktemp -d)
# apt reads the file as its unprivileged _apt user: give it a copy it can read.
chmod 755 "$work"
cp "${debs[0]}" "$work/"
deb="$work/$(basename "${debs[0]}")"
chmod 644 "$deb"
installed=false
cleanup() {
  if $installed; then $SUDO apt-get purge -y -qq jwt-inspector >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dpkg-deb --info "$deb"
echo "size: $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes)"
version=$(dpkg-deb --field "$deb" Version)
# Every regular file and symlink the package ships (directories are shared with other packages).
dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' >"$work/files"
step "$(wc -l <"$work/files") files: $(tr '\n' ' ' <"$work/files")"

step "installing with apt-get (dependencies from Debian; Recommends left out: the minimum must work)"
apt_install() { $SUDO apt-get install -y -qq --no-install-recommends "$deb" >"$work/apt.log" 2>&1; }
# A dependency missing from stale package lists: refresh them once and try again.
apt_install || { $SUDO apt-get update -qq && apt_install; } || { cat "$work/apt.log"; fail "apt-get install"; }
installed=true

app_id=io.github.jwt_inspector.JwtInspector
[ "$(command -v jwt-inspector)" = /usr/bin/jwt-inspector ] || fail "jwt-inspector is not /usr/bin/jwt-inspector on PATH"
libraries=$(ldd /usr/bin/jwt-inspector)
if grep 'not found' <<<"$libraries"; then
  fail "the installed binary misses libraries its package does not depend on"
fi
for f in /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml \
  /usr/share/icons/hicolor/scalable/apps/$app_id.svg /usr/share/man/man1/jwt-inspector.1.gz \
  /usr/share/doc/jwt-inspector/copyright; do
  [ -s "$f" ] || fail "$f is not installed"
done
for size in 16 22 24 32 48 64 128 256 512; do
  png=/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
  [[ $(file "$png") == *"PNG image data, $size x $size,"* ]] || fail "$png is not a ${size}×${size} PNG"
done
desktop-file-validate /usr/share/applications/$app_id.desktop
appstreamcli validate --no-net /usr/share/metainfo/$app_id.metainfo.xml >/dev/null \
  || fail "appstreamcli validate --no-net on the installed metainfo"
gzip -t /usr/share/man/man1/jwt-inspector.1.gz
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
  /usr/share/doc/jwt-inspector/copyright || fail "copyright is not in DEP-5 form"
grep -q 'Wallarm' /usr/share/doc/jwt-inspector/copyright || fail "copyright lacks the weak-secret list's licence"

step "the installed command line"
home="$work/home"
mkdir -p "$home/config" "$home/data" "$home/cache" "$home/runtime"
chmod 700 "$home/runtime"
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" \
  XDG_RUNTIME_DIR="$home/runtime"
[ "$(jwt-inspector --version)" = "jwt-inspector ${version%%-*}" ] || fail "--version says $(jwt-inspector --version)"
# An HMAC secret as long as SHA-256's output (RFC 7518 §3.2), and an ES256 key pair made by the program itself.
printf %s 'a-32-byte-secret-for-test-deb-sh' >"$work/secret"
token=$(jwt-inspector sign --secret-file "$work/secret" --alg HS256 '{"sub":"test-deb","n":12345678901234567890}')
# Outputs are captured before grep: grep -q stopping early would make the pipeline fail on SIGPIPE.
decoded=$(jwt-inspector decode "$token")
grep -q 12345678901234567890 <<<"$decoded" || fail "decode does not show the payload's number as written"
decoded_json=$(jwt-inspector decode --json "$token")
grep -q '"sub"' <<<"$decoded_json" || fail "decode --json"
[ "$(jwt-inspector verify --secret-file "$work/secret" "$token" | tail -n1)" = valid ] || fail "verify HS256"
set +e
jwt-inspector verify --secret 'another-32-byte-secret-of-length' "$token" >/dev/null
code=$?
set -e
[ $code -eq 1 ] || fail "verify with the wrong secret exited $code, not 1"
jwt-inspector keygen --alg ES256 --out "$work/es256.pem" --public-out "$work/es256.pub.pem" >/dev/null
es_token=$(jwt-inspector sign --key "$work/es256.pem" --alg ES256 --iat '{"sub":"test-deb"}')
[ "$(jwt-inspector verify --key "$work/es256.pub.pem" "$es_token" | tail -n1)" = valid ] || fail "verify ES256"

# The window has no screenshot options (tools/screenshots is not installed): it is started and must still be running
# a few seconds later (timeout's 124), not aborted by a missing platform plugin or library.
step "the installed window, offscreen"
set +e
QT_QPA_PLATFORM=offscreen timeout 5 jwt-inspector
code=$?
set -e
[ $code -eq 124 ] || fail "the window did not keep running offscreen (exit $code)"
# The real X11 platform plugin too, when an X server can be had: proves the package's dependencies bring it.
if command -v xvfb-run >/dev/null; then
  step "the installed window on X11 (Xvfb)"
  set +e
  QT_QPA_PLATFORM=xcb xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24" timeout 5 jwt-inspector
  code=$?
  set -e
  [ $code -eq 124 ] || fail "the window did not keep running on X11 (exit $code)"
fi

step "purging"
$SUDO apt-get purge -y -qq jwt-inspector >/dev/null
installed=false
if [[ $(dpkg-query -W -f='${Status}' jwt-inspector 2>/dev/null) == "install ok installed" ]]; then fail "still installed"; fi
left=0
while read -r f; do
  if [ -e "$f" ] || [ -L "$f" ]; then
    echo "left behind: $f" >&2
    left=1
  fi
done <"$work/files"
[ $left -eq 0 ] || fail "files of the package are left after purge"
[ ! -e /usr/share/doc/jwt-inspector ] || fail "/usr/share/doc/jwt-inspector is left after purge"

echo "test-deb: OK in $(($(date +%s) - start)) s"
