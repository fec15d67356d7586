#!/usr/bin/env bash
# Renders the generated documentation in a real headless browser and checks that it is not blank.
#
#   scripts/screenshot.sh [OUT_DIR]         (default: target/docs-screenshots)
#
# Generates the docs of every example (`rubric docs examples/*.rubric -o OUT_DIR/site`), then, for
# every HTML page, takes a desktop (1200x2000) and a phone-width (390x2000) screenshot with
# Chromium and checks each PNG with a small Python decoder (standard library only): the page must
# have drawn several distinct colours, not a blank or single-colour page.
#
# It installs nothing unless RUBRIC_INSTALL_CHROMIUM=1 (then `apt-get install -y chromium`, as CI
# does). Without Chromium it prints why it skipped and exits 0; set RUBRIC_REQUIRE_CHROMIUM=1 to
# make that an error.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/docs-screenshots}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

find_chromium() {
  for c in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}

chromium="$(find_chromium || true)"
if [ -z "$chromium" ] && [ "${RUBRIC_INSTALL_CHROMIUM:-0}" = 1 ]; then
  echo "== installing chromium (apt-get)"
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1; then
    chromium="$(find_chromium || true)"
  fi
fi
if [ -z "$chromium" ]; then
  msg="screenshot check skipped: no Chromium found (install it with \`apt-get install -y chromium\`, or set CHROMIUM=/path/to/chrome)"
  if [ "${RUBRIC_REQUIRE_CHROMIUM:-0}" = 1 ]; then echo "error: $msg" >&2; exit 1; fi
  echo "$msg"
  exit 0
fi
if ! command -v python3 >/dev/null; then
  msg="screenshot check skipped: python3 is needed to inspect the PNGs"
  if [ "${RUBRIC_REQUIRE_CHROMIUM:-0}" = 1 ]; then echo "error: $msg" >&2; exit 1; fi
  echo "$msg"
  exit 0
fi

echo "== generating the docs of every example"
cargo run --quiet -- docs examples/*.rubric -o "$out/site" --format both

shoot() { # page width name
  local profile
  profile="$(mktemp -d)"
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --screenshot="$out/$3.png" \
    --window-size="$2,2000" "file://$1" >/dev/null 2>&1 || true
  rm -rf "$profile"
}

status=0
for page in "$out"/site/*.html; do
  name="$(basename "$page" .html)"
  shoot "$page" 1200 "$name-desktop"
  shoot "$page" 390 "$name-phone"
  for shot in "$out/$name-desktop.png" "$out/$name-phone.png"; do
    if python3 scripts/png_check.py "$shot"; then :; else status=1; fi
  done
done
[ "$status" = 0 ] && echo "== every page rendered (screenshots in $out)"
exit "$status"
