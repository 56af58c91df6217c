#!/usr/bin/env bash
# Installs what is missing (ffmpeg), builds VExAA and starts it: open the address it prints in a browser and sign in.
# The first start creates the user 'admin' and prints its password (once). Data lives in ./data; stop with Ctrl+C.
# Options go to 'vexaa serve', e.g. ./run.sh --urls http://0.0.0.0:8080 to be reachable from other machines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
bash scripts/install-deps.sh
exec ./vexaa serve "$@"
