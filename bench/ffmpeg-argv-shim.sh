#!/usr/bin/env bash
# Used by bench/run.sh as VEXAA_FFMPEG: writes ffmpeg's arguments, one per line, to $BENCH_ARGV_LOG, then runs the
# real ffmpeg ($BENCH_REAL_FFMPEG) with them, so the benchmark can check which command VExAA really runs.
set -euo pipefail
printf '%s\n' "$@" >"${BENCH_ARGV_LOG:?}"
exec "${BENCH_REAL_FFMPEG:-ffmpeg}" "$@"
