#!/usr/bin/env bash
# Through the service against plain ffmpeg on the same files, in one run (issue 14's rows 3 and 4):
#   upload: one ~590 MB 10-minute 1080p MP4 over loopback -> job -> download the MP3, against ffmpeg on the file;
#   tiny:   100 five-second clips, one curl each (two at a time), against 100 plain ffmpeg runs two at a time.
# Each request is one `curl -L -H 'Prefer: wait=60' -F file=@... /api/v1/jobs -o out.mp3` (the 303 leads to the result).
# Writes the section "Through the service" of docs/BENCHMARKS.md.
# Usage: bash bench/service.sh   (BENCH_RUNS=3, BENCH_CASES="upload tiny", BENCH_CLIPS=100)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs="${BENCH_RUNS:-3}"
cases="${BENCH_CASES:-upload tiny}"
clips="${BENCH_CLIPS:-100}"
media="bench/media"
video="$media/service-600s-1080p25-h264-aac48k.mp4"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
die() { echo "service.sh: $*" >&2; exit 1; }
samples() { ffmpeg -nostdin -v error -i "$1" -map 0:a:0 -f s16le - | wc -c; }
ms() { date -d "$1" +%s.%N; } # an ISO time from the API, as seconds

mkdir -p "$media/clips"
if [[ " $cases " == *" upload "* && ! -f "$video" ]]; then
  # 20 s of noisy 1080p25 H.264 at ~7.5 Mbit/s with AAC 192k stereo, looped (stream copy) to 10 minutes, index in front.
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25,noise=alls=8:allf=t" -f lavfi -i "sine=frequency=330:sample_rate=48000,aeval=val(0)*0.5+random(0)*0.05" \
    -t 20 -ac 2 -c:v libx264 -preset ultrafast -b:v 7500k -maxrate 7500k -bufsize 15M -c:a aac -b:a 192k "$work/segment.mp4"
  ffmpeg -nostdin -v error -y -stream_loop 29 -i "$work/segment.mp4" -c copy -movflags +faststart "$video.tmp.mp4"
  mv "$video.tmp.mp4" "$video"
fi
if [[ " $cases " == *" tiny "* ]]; then
  for i in $(seq -w 1 "$clips"); do
    clip="$media/clips/clip-$i.mp4"
    # Each clip its own tone, so no job can reuse another's results.
    [[ -f "$clip" ]] || ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=640x360:rate=25" -f lavfi -i "sine=frequency=$((200 + 10#$i * 7)):sample_rate=48000" \
      -t 5 -ac 2 -c:v libx264 -preset ultrafast -c:a aac -b:a 128k -shortest "$clip"
  done
fi

Vexaa__Limits__QuotaBytesPerUser=$((64 << 30)) Vexaa__Limits__RequestsPerMinute=100000 start_server "$work/server.log" "$base" --data "$work/data"
auth=(-H "Authorization: Bearer $key")
workers=$(grep -o '[0-9]* worker(s) started' "$work/server.log" | head -1 | cut -d' ' -f1)

# One job through the service: the whole request, upload to the last byte of the result.
job() { # $1 = input, $2 = output
  curl -fsS -L -H "Authorization: Bearer $key" -H "Prefer: wait=60" -F "file=@$1" -F format=mp3 -F bitrate=192k "$base/api/v1/jobs" -o "$2"
}
plain() { ffmpeg -nostdin -v error -y -i "$1" -vn -c:a libmp3lame -b:a 192k "$2"; }
# Finished jobs are deleted between rounds: otherwise a repeated input and options would reuse the earlier results.
forget_jobs() {
  curl -fsS "${auth[@]}" "$base/api/v1/jobs?limit=100" | grep -o '"id":"[a-z0-9]*"' | cut -d'"' -f4 | sort -u |
    while read -r id; do curl -fsS -X DELETE "${auth[@]}" "$base/api/v1/jobs/$id" -o /dev/null; done
}
# Where the newest job's time went, from its own timestamps against the client's start and end ($1, $2):
# "upload queue run answer" in seconds (upload = until the job existed; answer = from finishing to the last byte received).
hops_of_last_job() {
  local j created started finished
  j=$(curl -fsS "${auth[@]}" "$base/api/v1/jobs?limit=1")
  created=$(ms "$(sed 's/.*"createdAt":"\([^"]*\)".*/\1/' <<<"$j")")
  started=$(ms "$(sed 's/.*"startedAt":"\([^"]*\)".*/\1/' <<<"$j")")
  finished=$(ms "$(sed 's/.*"finishedAt":"\([^"]*\)".*/\1/' <<<"$j")")
  echo "$(elapsed "$1" "$created") $(elapsed "$created" "$started") $(elapsed "$started" "$finished") $(elapsed "$finished" "$2")"
}
medians_of() { for i in 1 2 3 4; do median $(printf '%s\n' "$@" | awk -v c="$i" '{print $c}'); printf ' '; done; echo; }
export -f job plain
export base key

rows=() notes=()
if [[ " $cases " == *" upload "* ]]; then
  cat "$video" > /dev/null
  ff=() vx=() hops=()
  for r in $(seq 1 "$runs"); do
    for who in $( ((r % 2)) && echo "ffmpeg vexaa" || echo "vexaa ffmpeg"); do
      rm -f "$work/up.mp3"
      t0=$(now)
      if [[ $who == ffmpeg ]]; then plain "$video" "$work/up.mp3"; else job "$video" "$work/up.mp3"; fi
      t1=$(now)
      [[ -s "$work/up.mp3" ]] || die "$who made no MP3 of $video"
      if [[ $who == ffmpeg ]]; then ff+=("$(elapsed "$t0" "$t1")"); ref=$(samples "$work/up.mp3"); continue; fi
      vx+=("$(elapsed "$t0" "$t1")")
      [[ "$(samples "$work/up.mp3")" == "${ref:-$(samples "$video")}" ]] || die "the service's MP3 does not decode to the same samples as plain ffmpeg's"
      hops+=("$(hops_of_last_job "$t0" "$t1")")
      forget_jobs
    done
  done
  ffm=$(median "${ff[@]}") vxm=$(median "${vx[@]}")
  read -r h_up h_queue h_run h_down < <(medians_of "${hops[@]}")
  probe=$(median $(for _ in 1 2 3; do t0=$(now); ffprobe -v error -show_format -show_streams -show_chapters -of json "$video" > /dev/null; elapsed "$t0" "$(now)"; echo; done))
  segments=$(grep -o 'in [0-9]* segments at once' "$work/server.log" | tail -1 | awk '{print $2}')
  rows+=("| upload $(numfmt --to=si "$(stat -c %s "$video")")B 10-min 1080p MP4 → MP3 | ${ff[*]} → **$ffm** | ${vx[*]} → **$vxm** | **$(ratio "$vxm" "$ffm")×** | ≤ 1.15× |")
  notes+=("- upload, where the service's time goes (medians): receiving and storing the upload $h_up s; queued → claimed $h_queue s;
  probe, extraction and storing the result $h_run s (the worker encoded in ${segments:-1} segment(s) at once; ffprobe of this file alone
  takes $probe s); the answer and downloading the MP3 $h_down s. Each VExAA MP3 decodes to exactly plain ffmpeg's number of samples.")
fi

if [[ " $cases " == *" tiny "* ]]; then
  ls "$media"/clips/clip-*.mp4 | head -n "$clips" > "$work/clips.txt"
  ff=() vx=()
  for r in $(seq 1 "$runs"); do
    for who in $( ((r % 2)) && echo "ffmpeg vexaa" || echo "vexaa ffmpeg"); do
      rm -rf "$work/tiny" && mkdir -p "$work/tiny"
      t0=$(now)
      if [[ $who == ffmpeg ]]; then
        xargs -P 2 -I{} bash -c 'plain "$1" "$2/$(basename "$1" .mp4).mp3"' _ {} "$work/tiny" < "$work/clips.txt"
      else
        xargs -P 2 -I{} bash -c 'job "$1" "$2/$(basename "$1" .mp4).mp3"' _ {} "$work/tiny" < "$work/clips.txt"
      fi
      t1=$(now)
      made=$(find "$work/tiny" -name '*.mp3' -size +10k | wc -l)
      [[ "$made" == "$clips" ]] || die "$who made $made of $clips MP3s"
      if [[ $who == ffmpeg ]]; then ff+=("$(elapsed "$t0" "$t1")"); else vx+=("$(elapsed "$t0" "$t1")"); forget_jobs; fi
    done
  done
  ffm=$(median "${ff[@]}") vxm=$(median "${vx[@]}")
  per_ff=$(awk -v t="$ffm" -v n="$clips" 'BEGIN { printf "%.0f", 2000 * t / n }')
  per_vx=$(awk -v t="$vxm" -v n="$clips" 'BEGIN { printf "%.0f", 2000 * t / n }')
  probe=$(median $(for _ in 1 2 3 4 5; do t0=$(now); ffprobe -v error -show_format -show_streams -show_chapters -of json "$(head -1 "$work/clips.txt")" > /dev/null; elapsed "$t0" "$(now)"; echo; done))
  start=$(median $(for _ in 1 2 3 4 5; do t0=$(now); ffmpeg -v error -version > /dev/null; elapsed "$t0" "$(now)"; echo; done))
  # One at a time, ten clips: where a tiny job's time goes, against one plain ffmpeg run of the same clip.
  hops=() single=()
  for clip in $(head -10 "$work/clips.txt"); do
    t0=$(now); plain "$clip" "$work/one.mp3"; single+=("$(elapsed "$t0" "$(now)")")
    t0=$(now); job "$clip" "$work/one.mp3"; t1=$(now)
    hops+=("$(hops_of_last_job "$t0" "$t1")")
  done
  forget_jobs
  read -r h_up h_queue h_run h_down < <(medians_of "${hops[@]}")
  one=$(median "${single[@]}")
  rows+=("| tiny: $clips five-second clips, one request each, two at a time | ${ff[*]} → **$ffm** | ${vx[*]} → **$vxm** | **$(ratio "$vxm" "$ffm")×** | ≤ 1.3× |")
  notes+=("- tiny: a clip costs plain ffmpeg ${per_ff} ms of a core, and the service ${per_vx} ms. Of that, ffprobe takes $probe s (starting
  ffmpeg or ffprobe at all, \`ffmpeg -version\`, takes $start s: loading its 215 shared libraries), run once per job before ffmpeg.
  One job at a time (medians of 10): receiving the upload until the job exists $h_up s, queued → claimed $h_queue s, probe + ffmpeg +
  storing the result $h_run s, the answer and the download $h_down s; plain ffmpeg on the same clip takes $one s.")
fi

section=$(cat <<MD
## Through the service (\`bench/service.sh\`, $(date -u '+%Y-%m-%d %H:%M UTC'))

\`vexaa serve\` on loopback (SQLite, local storage, ${workers} workers, no Redis) on $(nproc) CPU cores; each job is one request,
\`curl -L -H 'Prefer: wait=60' -F file=@IN -F format=mp3 -F bitrate=192k /api/v1/jobs -o OUT.mp3\` (the answer is a 303 to the
result once the job has finished), timed from the first byte sent to the last byte of the MP3 received. Plain ffmpeg:
\`ffmpeg -i IN -vn -c:a libmp3lame -b:a 192k OUT.mp3\`. Runs alternate which goes first; medians of ${runs}. VExAA commit $(git rev-parse --short HEAD).

| case | plain ffmpeg (s) | VExAA (s) | VExAA ÷ ffmpeg | target |
|---|--:|--:|--:|--:|
$(printf '%s\n' "${rows[@]}")

$(printf '%s\n' "${notes[@]}")
<!-- service:end -->
MD
)
doc="${BENCH_DOC:-docs/BENCHMARKS.md}"
if grep -q '<!-- service:end -->' "$doc"; then
  awk -v s="$section" '/^## Through the service/ {skip=1} !skip {print} /<!-- service:end -->/ {if (skip) {print s}; skip=0}' "$doc" > "$work/doc" && mv "$work/doc" "$doc"
else
  printf '\n%s\n' "$section" >> "$doc"
fi
echo "$section"
