#!/usr/bin/env bash
# Regenerates the web page's third-party browser code (src/Vexaa.Server/wwwroot/vendor/) from the npm packages pinned in
# scripts/web-vendor/package-lock.json. The copies are committed, so building and running VExAA needs no Node.js;
# a test (VendoredScriptTests) checks that they are byte for byte what the pinned packages hold.
#   scripts/vendor-web.sh           install the pinned packages (npm ci) and copy them into wwwroot/vendor/
#   scripts/vendor-web.sh --install only install the pinned packages (for that test), when missing or older than the lock
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/scripts/web-vendor"
dest="$root/src/Vexaa.Server/wwwroot/vendor"

if [ ! -d "$src/node_modules/tus-js-client" ] || [ ! -d "$src/node_modules/mediabunny" ] || [ "$src/package-lock.json" -nt "$src/node_modules/.package-lock.json" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "vendor-web: npm is needed (apt-get install nodejs npm)" >&2
    exit 1
  fi
  (cd "$src" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

if [ "${1:-}" != "--install" ]; then
  mkdir -p "$dest"
  cp "$src/node_modules/tus-js-client/dist/tus.min.js" "$dest/tus.min.js"
  cp "$src/node_modules/tus-js-client/LICENSE" "$dest/tus-js-client.LICENSE.txt"
  # mediabunny reads containers in the browser (only the bytes it needs) and copies audio out of them without re-encoding.
  cp "$src/node_modules/mediabunny/dist/bundles/mediabunny.min.mjs" "$dest/mediabunny.min.js"
  cp "$src/node_modules/mediabunny/LICENSE" "$dest/mediabunny.LICENSE.txt"
  echo "vendor-web: copied mediabunny $(node -p "require('$src/node_modules/mediabunny/package.json').version") into $dest" >&2
  echo "vendor-web: copied tus-js-client $(node -p "require('$src/node_modules/tus-js-client/package.json').version") into $dest" >&2
fi
