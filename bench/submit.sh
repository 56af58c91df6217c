#!/usr/bin/env bash
# `vexaa submit` of a ~1 GB video over a link held to 100 Mbit/s (a throttling TCP proxy in front of `vexaa serve` on
# loopback), sending only the audio (the default) against sending the whole file (--upload-whole), same options.
# Writes the figures into docs/BENCHMARKS.md (section "vexaa submit over 100 Mbit/s").
# Usage: bash bench/submit.sh     (BENCH_MBIT=100, BENCH_BYTES=1000000000, BENCH_FORMAT=mp3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mbit="${BENCH_MBIT:-100}"
target_bytes="${BENCH_BYTES:-1000000000}"
format="${BENCH_FORMAT:-mp3}"
media="bench/media"
video="$media/submit-720p25-mpeg4-aac48k.mp4"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
proxy_port=$((port + 1))
trap 'kill "$server" "$proxy" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh
# Seconds to two places here: the transfers take tens of seconds.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

mkdir -p "$media"
if [[ ! -f "$video" ]] || (( $(stat -c %s "$video") < target_bytes )); then
  # 20 s of slightly noisy 720p at 5 Mbit/s MPEG-4 (a common size for a video's picture; the noise keeps the encoder
  # at its bitrate), looped without re-encoding to the size asked for; the sound, AAC 128k stereo, loops with it.
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=25,noise=alls=12:allf=t" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -t 20 -ac 2 -c:v mpeg4 -b:v 5M -maxrate 5M -bufsize 10M -c:a aac -b:a 128k "$work/segment.mp4"
  seg=$(stat -c %s "$work/segment.mp4")
  loops=$(( (target_bytes + seg - 1) / seg - 1 ))
  ffmpeg -nostdin -v error -y -stream_loop "$loops" -i "$work/segment.mp4" -c copy -movflags +faststart "$video"
fi
size=$(stat -c %s "$video")
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$video")

Vexaa__Limits__QuotaBytesPerUser=$((64 << 30)) start_server "$work/server.log" "http://127.0.0.1:$port" --data "$work/data" --workers 1
export VEXAA_API_KEY="$key"
export XDG_STATE_HOME="$work/state"
python3 bench/throttle-proxy.py "$proxy_port" 127.0.0.1 "$port" $((mbit * 1000000 / 8)) &
proxy=$!
sleep 0.5
export VEXAA_SERVER="http://127.0.0.1:$proxy_port"
cat "$video" > /dev/null

# One run: prints "seconds uploaded_bytes prepare upload convert download" (phases from the time each JSON line arrived).
run() {
  local out="$work/out-$1" t0 t1
  shift
  mkdir -p "$out"
  t0=$(now)
  ./vexaa submit "$video" -f "$format" -o "$out/" --json "$@" | perl -MTime::HiRes=time -ne 'printf "%.3f %s", time, $_' > "$work/run.json"
  t1=$(now)
  local stamp='BEGIN{p=""} {ev=$0; sub(/.*"event":"/,"",ev); sub(/".*/,"",ev); ph=$0; if (ev=="progress") {sub(/.*"phase":"/,"",ph); sub(/".*/,"",ph)} else ph=ev}'
  printf '%s %s %s\n' "$(elapsed "$t0" "$t1")" "$(grep '"event":"upload"' "$work/run.json" | sed 's/.*"bytes":\([0-9]*\).*/\1/')" \
    "$(awk -v t0="$t0" -v t1="$t1" "$stamp"' {if (!(ph in first)) first[ph]=$1}
      END {u=first["upload"]; c=("queued" in first)?first["queued"]:first["converting"]; d=first["downloading"]; r=first["result"];
           printf "%.2f %.2f %.2f %.2f", u-t0, c-u, d-c, t1-d}' "$work/run.json")"
}

read -r audio_s audio_bytes audio_prep audio_up audio_conv audio_down < <(run audio)
read -r whole_s whole_bytes whole_prep whole_up whole_conv whole_down < <(run whole --upload-whole)
a_samples=$(ffprobe -v error -count_packets -select_streams a:0 -show_entries stream=nb_read_packets -of csv=p=0 "$work"/out-audio/*."$format")
w_samples=$(ffprobe -v error -count_packets -select_streams a:0 -show_entries stream=nb_read_packets -of csv=p=0 "$work"/out-whole/*."$format")
ratio=$(awk -v a="$whole_s" -v b="$audio_s" 'BEGIN { printf "%.1f", a / b }')
up_ratio=$(awk -v a="$whole_up" -v b="$audio_up" 'BEGIN { printf "%.0f", a / b }')
bytes_pct=$(awk -v a="$audio_bytes" -v b="$whole_bytes" 'BEGIN { printf "%.2f", 100 * a / b }')

section=$(cat <<MD
## vexaa submit over ${mbit} Mbit/s (\`bench/submit.sh\`, $(date -u '+%Y-%m-%d %H:%M UTC'))

\`vexaa submit\` of one ${size}-byte video ($(printf '%.0f' "$duration") s of 720p25 MPEG-4 at 5 Mbit/s + AAC 128k stereo) to
\`--format ${format}\`, through a throttling TCP proxy (\`bench/throttle-proxy.py\`, ${mbit} Mbit/s each way) in front of
\`vexaa serve\` on loopback (local storage, one worker), on $(nproc) CPU cores. Times are the whole command: local probe
and audio copy (audio only), upload, conversion, polling, download. One run each (VExAA commit $(git rev-parse --short HEAD)).

| upload | bytes sent | start + probe + copy (s) | upload (s) | queue + conversion (s) | download (s) | wall time (s) |
|---|--:|--:|--:|--:|--:|--:|
| only the audio (default) | ${audio_bytes} (${bytes_pct} %) | ${audio_prep} | ${audio_up} | ${audio_conv} | ${audio_down} | ${audio_s} |
| whole file (\`--upload-whole\`) | ${whole_bytes} | ${whole_prep} | ${whole_up} | ${whole_conv} | ${whole_down} | ${whole_s} |

Sending only the audio is **${ratio}×** faster for the whole command, and its transfer **${up_ratio}×** shorter
(${audio_up} s against ${whole_up} s: the upload phase includes the server joining the stored chunks into the job's
input). The conversion is the same work either way (the server decodes only the audio); the time it takes varies
with what else runs on this shared machine. Both results hold the same number of ${format} packets
(${a_samples} and ${w_samples}).
<!-- submit:end -->
MD
)
doc="${BENCH_DOC:-docs/BENCHMARKS.md}"
if grep -q '<!-- submit:end -->' "$doc"; then
  awk -v s="$section" '/^## vexaa submit over/ {skip=1} !skip {print} /<!-- submit:end -->/ {if (skip) {print s}; skip=0}' "$doc" > "$work/doc" && mv "$work/doc" "$doc"
else
  printf '\n%s\n' "$section" >> "$doc"
fi
echo "$section"
