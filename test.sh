#!/usr/bin/env bash
# Runs the whole VExAA test suite (real ffmpeg on generated media, the web page in headless Chromium) and ends with an
# 'N passed, N failed, N skipped' line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
bash scripts/install-deps.sh --tests

log=$(mktemp)
status=0
dotnet test Vexaa.slnx -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test project; add them up into one plain line.
awk '
  /(Passed|Failed)! +- Failed:/ {
    gsub(",", ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
