#!/usr/bin/env bash
# Installs what VExAA needs from Debian's packages, only when it is missing. Safe to run again.
#   scripts/install-deps.sh           what running VExAA needs: ffmpeg
#   scripts/install-deps.sh --tests   also what the tests need: Chromium and chromedriver (the web page is tested in a
#                                     real browser), Node.js and npm (to install the pinned front-end packages with npm ci)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tests=false
[ "${1:-}" = "--tests" ] && tests=true

need=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
if $tests; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  command -v node >/dev/null 2>&1 || need+=(nodejs)
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is not installed; see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

if $tests; then
  # The pinned tus-js-client, which a test compares with the page's committed copy.
  bash "$here/vendor-web.sh" --install
fi
