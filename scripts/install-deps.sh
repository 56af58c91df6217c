#!/usr/bin/env bash
# Installs what VExAA needs from Debian's packages, only when it is missing. Safe to run again.
#   scripts/install-deps.sh           what running VExAA needs: ffmpeg, and bubblewrap (ffmpeg runs in its sandbox)
#   scripts/install-deps.sh --tests   also what the tests need: Chromium and chromedriver (the web page is tested in a
#                                     real browser), MariaDB and Redis (started privately by the tests), kubectl (the
#                                     deploy tests render deploy/k8s; no cluster), Node.js and npm (the pinned packages
#                                     in tests/js: tus-js-client and s3rver; and the page's vendored tus-js-client)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
tests=false
[ "${1:-}" = "--tests" ] && tests=true

need=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
# Isolates each ffmpeg run (no network, only the job's files); VExAA falls back to resource limits where it cannot run.
[ -x /usr/bin/bwrap ] || need+=(bubblewrap)
if $tests; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  command -v node >/dev/null 2>&1 || need+=(nodejs)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  # The suite starts a private MariaDB of its own; the package's system service is not used.
  [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  # Debian's kubectl is 1.20, whose kustomize 2.0 cannot render the manifests (they use `patches`: kubectl 1.21+);
  # CI machines come with kubectl 1.32; elsewhere install a current kubectl (or set VEXAA_KUBECTL) for the deploy tests.
  command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
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

# npm keeps a copy of the lock file in node_modules; an older (or no) copy means the packages are missing or stale.
js="$root/tests/js"
if $tests && [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
  echo "Installing the npm packages in tests/js" >&2
  npm ci --prefix "$js" --no-audit --no-fund --loglevel=error >&2
fi

if $tests; then
  # The pinned tus-js-client, which a test compares with the page's committed copy.
  bash "$here/vendor-web.sh" --install
fi
