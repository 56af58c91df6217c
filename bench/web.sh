#!/usr/bin/env bash
# The web page in Chromium, from drop to a downloadable MP3, with the page's upload throttled by DevTools to 100 Mbit/s:
# sending only the audio (the page copies the track out in the browser) against sending the whole video, for a ~1 GB
# 1080p MP4 with AAC and the same streams in a ~1 GB MKV. Prints a Markdown table for docs/BENCHMARKS.md.
# Usage: bash bench/web.sh      (BENCH_MBIT=100, BENCH_BYTES=1000000000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mbit="${BENCH_MBIT:-100}"
target_bytes="${BENCH_BYTES:-1000000000}"
media="bench/media"
mp4="$media/web-1080p25-h264-aac.mp4"
mkv="$media/web-1080p25-h264-aac.mkv"
mkdir -p "$media"
if [[ ! -f "$mp4" ]] || (( $(stat -c %s "$mp4") < target_bytes )); then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # 20 s of noisy 1080p H.264 at 8 Mbit/s (the noise holds the encoder at its bitrate) with AAC 128k stereo, looped
  # without re-encoding to the size asked for; the MKV holds the very same streams.
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25,noise=alls=10:allf=t" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t 20 -ac 2 -c:v libx264 -preset ultrafast -b:v 8M -maxrate 8M -bufsize 16M -c:a aac -b:a 128k "$work/segment.mp4"
  seg=$(stat -c %s "$work/segment.mp4")
  loops=$(( (target_bytes + seg - 1) / seg - 1 ))
  ffmpeg -nostdin -v error -y -stream_loop "$loops" -i "$work/segment.mp4" -c copy -movflags +faststart "$mp4"
fi
[[ -f "$mkv" ]] || ffmpeg -nostdin -v error -y -i "$mp4" -c copy "$mkv"
for project in src/Vexaa.Cli bench/WebBench; do dotnet build "$project" -c Release -v q --nologo > /dev/null; done
dotnet bench/WebBench/bin/Release/net10.0/WebBench.dll "$PWD/src/Vexaa.Cli/bin/Release/net10.0/Vexaa.Cli.dll" "$mbit" "$PWD/$mp4" "$PWD/$mkv"
