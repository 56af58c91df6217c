#!/usr/bin/env bash
# Times what a resumable (tus) upload costs on the server, against doing the same with plain tools on the same file:
# the upload in 32 MiB chunks (the web page's size) against `cp`, the probe of the finished upload against plain
# ffprobe, and making the job against `cp` again. Local storage, one `vexaa serve` on loopback, BENCH_RUNS rounds (3);
# writes docs/BENCHMARKS-UPLOADS.md. Usage: bash bench/uploads.sh [file]   (default: bench/run.sh's 10-min 1080p input)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

file="${1:-bench/media/a-1080p25-h264-aac48k-600s.mp4}"
if [[ ! -f "$file" ]]; then
  echo "No $file: run bench/run.sh once to generate it, or name a video file." >&2
  exit 2
fi

chunk=$((32 * 1024 * 1024))
size=$(stat -c %s "$file")
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh

start_server "$work/server.log" "http://127.0.0.1:$port" --data "$work/data" --workers 0
api=(-fsS -H "Authorization: Bearer $key" -H "Tus-Resumable: 1.0.0")

# Warm the page cache so neither side pays for the first read.
cat "$file" > /dev/null

# One round: prints "cp upload ffprobe probe job" in seconds.
round() {
  local t0 t1 cp_time upload_time ffprobe_time probe_time job_time location offset n id
  t0=$(now); cp "$file" "$work/copy.mp4"; sync "$work/copy.mp4"; t1=$(now)
  cp_time=$(elapsed "$t0" "$t1"); rm "$work/copy.mp4"

  location=$(curl "${api[@]}" -X POST "http://127.0.0.1:$port/api/v1/uploads/" -H "Upload-Length: $size" \
    -H "Upload-Metadata: filename $(printf %s "$(basename "$file")" | base64 -w0)" -D - -o /dev/null | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
  t0=$(now)
  offset=0
  while (( offset < size )); do
    n=$(( size - offset < chunk ? size - offset : chunk ))
    dd if="$file" bs="$chunk" skip=$((offset / chunk)) count=1 iflag=fullblock status=none | curl "${api[@]}" -X PATCH \
      -H "Upload-Offset: $offset" -H "Content-Type: application/offset+octet-stream" -H "Content-Length: $n" \
      --data-binary @- -o /dev/null "http://127.0.0.1:$port$location"
    offset=$((offset + n))
  done
  t1=$(now)
  upload_time=$(elapsed "$t0" "$t1")
  id="${location##*/}"

  t0=$(now); ffprobe -v error -show_format -show_streams -of json "$file" > /dev/null; t1=$(now)
  ffprobe_time=$(elapsed "$t0" "$t1")
  t0=$(now); curl "${api[@]}" "http://127.0.0.1:$port/api/v1/uploads/$id/probe" -o /dev/null; t1=$(now)
  probe_time=$(elapsed "$t0" "$t1")

  t0=$(now)
  curl "${api[@]}" -X POST "http://127.0.0.1:$port/api/v1/jobs" -H "Content-Type: application/json" \
    -d "{\"uploadId\":\"$id\",\"format\":\"mp3\"}" -o /dev/null
  t1=$(now)
  job_time=$(elapsed "$t0" "$t1")
  echo "$cp_time $upload_time $ffprobe_time $probe_time $job_time"
}

runs="${BENCH_RUNS:-3}"
: > "$work/rounds"
for _ in $(seq 1 "$runs"); do round >> "$work/rounds"; done
median() { cut -d' ' -f"$1" "$work/rounds" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
cp_time=$(median 1); upload_time=$(median 2); ffprobe_time=$(median 3); probe_time=$(median 4); job_time=$(median 5)

chunks=$(( (size + chunk - 1) / chunk ))
table=$(
  printf '| step | VExAA | s | plain tool | s | ratio |\n|---|---|--:|---|--:|--:|\n'
  printf '| upload | tus, 32 MiB PATCHes over loopback | %.2f | `cp` on the same disk, synced | %.2f | %s |\n' "$upload_time" "$cp_time" "$(ratio "$upload_time" "$cp_time")"
  printf '| probe | `GET /api/v1/uploads/{id}/probe` | %.2f | `ffprobe` | %.2f | %s |\n' "$probe_time" "$ffprobe_time" "$(ratio "$probe_time" "$ffprobe_time")"
  printf '| make the job | `POST /api/v1/jobs {uploadId}` | %.2f | `cp` on the same disk, synced | %.2f | %s |\n' "$job_time" "$cp_time" "$(ratio "$job_time" "$cp_time")"
)
echo "$table"

doc="${BENCH_DOC:-docs/BENCHMARKS-UPLOADS.md}"
{
  echo "# Benchmarks: resumable uploads on the server"
  echo
  echo "What a resumable (tus) upload costs the server, against plain tools on the same file: \`bash bench/uploads.sh\`"
  echo "starts \`vexaa serve\` on local storage, uploads the file in 32 MiB PATCHes with curl (the web page's chunk"
  echo "size), probes the finished upload through the API and makes a job of it; median of $runs rounds."
  echo "Each PATCH is stored as its own object; the request bringing the last one joins them into one object and hashes"
  echo "it (SHA-256), so the upload's time includes one more write of the file, and then the probe reads that object in"
  echo "place and making the job moves it (a rename here, a copy inside the bucket on S3) instead of reading it again."
  echo
  echo "## Latest run ($(date -u +%Y-%m-%d), $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"))"
  echo
  echo "Input: \`$file\` ($size bytes, $chunks chunks)."
  echo
  echo "$table"
  echo
  echo "Raw rounds (cp, upload, ffprobe, probe, job; seconds):"
  echo
  echo '```'
  cat "$work/rounds"
  echo '```'
} > "$doc"
echo "wrote $doc"

# The same table in docs/BENCHMARKS.md, between markers that bench/run.sh keeps when it rewrites that file.
main_doc=docs/BENCHMARKS.md
if [[ -f "$main_doc" ]]; then
  block=$(
    echo "<!-- uploads:begin -->"
    echo "## Resumable uploads (\`bench/uploads.sh\`, $(date -u +%Y-%m-%d))"
    echo
    echo "A tus upload of \`$file\` ($size bytes) in 32 MiB PATCHes through \`vexaa serve\` on local storage, median of"
    echo "$runs rounds, against plain tools on the same file; details and raw rounds in \`$doc\`."
    echo
    echo "$table"
    echo "<!-- uploads:end -->"
  )
  awk '/<!-- uploads:begin -->/ { skip = 1 } !skip { print } /<!-- uploads:end -->/ { skip = 0 }' "$main_doc" > "$work/main.md"
  sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$work/main.md"
  { cat "$work/main.md"; echo; echo "$block"; } > "$main_doc"
  echo "updated $main_doc"
fi
