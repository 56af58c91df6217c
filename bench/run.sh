#!/usr/bin/env bash
# Benchmarks `vexaa extract` against the equivalent plain ffmpeg command and writes docs/BENCHMARKS.md.
# Usage: bash bench/run.sh [--help]. Settings come from environment variables; see usage() below or bench/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

usage() {
  cat <<'EOF'
Usage: bash bench/run.sh

Times `./vexaa extract` against the equivalent plain ffmpeg command, for three generated inputs and seven cases
(copy, mp3, m4a, opus, ogg, flac, wav), and writes the results to docs/BENCHMARKS.md.

Environment:
  BENCH_SCALE=1           multiplies every input duration (0.02 = quick smoke run)
  BENCH_DURATION_A=600    seconds, input a (1080p25 H.264 + AAC 48 kHz, MP4), before scaling
  BENCH_DURATION_B=300    seconds, input b (720p25 H.264 + Opus 48 kHz, MKV), before scaling
  BENCH_DURATION_C=3600   seconds, input c (160x120 5 fps H.264 + AAC 44.1 kHz, MP4), before scaling
  BENCH_RUNS=3            timed repetitions of each command (the median is reported)
  BENCH_INPUTS="a b c"    which inputs to run
  BENCH_CASES="copy mp3 mp3-parallel m4a opus ogg flac flac-parallel wav"
                          which cases to run (ratios to copy need "copy"); mp3-parallel is vexaa's default MP3 (segments
                          encoded at once on every core) against the same one-pass ffmpeg command, checked to decode to
                          the same number of samples instead of to run the same command; flac-parallel likewise for
                          FLAC, checked to be the very bytes the one-pass ffmpeg command writes
  BENCH_CHECK=1           before timing each case, run vexaa once (untimed) through an argv-logging ffmpeg shim and
                          check that it ran exactly the baseline command; 0 skips the check (and that warm-up run)
  BENCH_ALLOW_MISMATCH=0  1 = report a command mismatch as a warning instead of stopping
  BENCH_VEXAA=./vexaa     the command timed for VExAA (e.g. "dotnet .build/cli/Vexaa.Cli.dll" to skip the
                          wrapper's rebuild check)
  BENCH_DOC=docs/BENCHMARKS.md
                          where the report goes

Generated inputs are cached in bench/media/ (named by duration), outputs go to bench/out/; both are git-ignored.
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) echo "run.sh: unknown argument '$1' (settings are environment variables; see --help)" >&2; exit 2 ;;
esac

scale="${BENCH_SCALE:-1}"
runs="${BENCH_RUNS:-3}"
inputs_wanted="${BENCH_INPUTS:-a b c}"
cases_wanted="${BENCH_CASES:-copy mp3 mp3-parallel m4a opus ogg flac flac-parallel wav}"
check="${BENCH_CHECK:-1}"
allow_mismatch="${BENCH_ALLOW_MISMATCH:-0}"
doc="${BENCH_DOC:-docs/BENCHMARKS.md}"
read -r -a vexaa_cmd <<<"${BENCH_VEXAA:-./vexaa}"

media_dir="bench/media"
out_dir="bench/out"
shim="$root/bench/ffmpeg-argv-shim.sh"
mkdir -p "$media_dir" "$out_dir"
# An interrupted run leaves no half-generated input or shim log behind.
trap 'rm -f "$media_dir"/*.tmp.$$.* "$out_dir/argv.$$.txt"' EXIT

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a whole number >= 1, not '$runs'"
awk -v s="$scale" 'BEGIN { exit !(s + 0 > 0) }' || die "BENCH_SCALE must be a number > 0, not '$scale'"
for tool in ffmpeg ffprobe dotnet awk sort; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is needed"
done
real_ffmpeg="$(command -v ffmpeg)"

# Keep in step with src/Vexaa/Media/ContainerAllowList.cs; the BENCH_CHECK step catches any drift.
format_whitelist="mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,asf,mpegts,mpeg,mxf,dv,nut,rm,ogg,mp3,aac,ac3,eac3,dts,truehd,mlp,flac,wav,w64,aiff,caf,amr,wv,ape,tta,au,mpc,mpc8,loas,wtv,dtshd,dsf,tak"
# ExtractionLimits.MaxOutputBytes (16 GiB) + 1, as vexaa passes it to -fs.
max_output_bytes_plus_one=$((16 * 1024 * 1024 * 1024 + 1))

# --- inputs ----------------------------------------------------------------------------------------------------------

scaled() { awk -v d="$1" -v s="$scale" 'BEGIN { v = d * s; if (v < 1) v = 1; printf "%g", v }'; }

dur_a="$(scaled "${BENCH_DURATION_A:-600}")"
dur_b="$(scaled "${BENCH_DURATION_B:-300}")"
dur_c="$(scaled "${BENCH_DURATION_C:-3600}")"

# Test tones with a little noise, so encoders do not see pure digital silence-like content.
tone() { # $1 = sample rate, $2 = duration
  echo "aevalsrc=exprs='0.30*sin(2*PI*440*t)+0.20*sin(2*PI*(220+110*sin(2*PI*0.1*t))*t)+0.02*(random(0)-0.5)|0.30*sin(2*PI*554*t)+0.15*sin(2*PI*3*t)*sin(2*PI*880*t)+0.02*(random(1)-0.5)':s=$1:d=$2"
}

input_path() {
  case "$1" in
    a) echo "$media_dir/a-1080p25-h264-aac48k-${dur_a}s.mp4" ;;
    b) echo "$media_dir/b-720p25-h264-opus48k-${dur_b}s.mkv" ;;
    c) echo "$media_dir/c-160x120p5-h264-aac44k-${dur_c}s.mp4" ;;
    *) die "unknown input '$1' (use a, b or c)" ;;
  esac
}

input_label() {
  case "$1" in
    a) echo "a: MP4, 1080p25 H.264 + AAC 48 kHz stereo 192k, $(clock "$dur_a")" ;;
    b) echo "b: MKV, 720p25 H.264 + Opus 48 kHz stereo 128k, $(clock "$dur_b")" ;;
    c) echo "c: MP4, 160x120 5 fps H.264 + AAC 44.1 kHz stereo 128k, $(clock "$dur_c")" ;;
  esac
}

clock() { awk -v d="$1" 'BEGIN { s = int(d + 0.5); if (s >= 3600) printf "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60; else printf "%d:%02d", s / 60, s % 60 }'; }

generate() { # $1 = input name; writes the file once, atomically
  local name="$1" path tmp
  path="$(input_path "$name")"
  [ -s "$path" ] && return 0
  tmp="$path.tmp.$$.${path##*.}"
  log "generating $path (cached for later runs)"
  local common=(-hide_banner -nostdin -nostats -v error -y)
  case "$name" in
    a) ffmpeg "${common[@]}" -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$dur_a" -f lavfi -i "$(tone 48000 "$dur_a")" \
         -map 0:v -map 1:a -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 192k -ar 48000 -ac 2 \
         -metadata title="VExAA benchmark input a" -movflags +faststart -f mp4 "$tmp" ;;
    b) ffmpeg "${common[@]}" -f lavfi -i "testsrc2=size=1280x720:rate=25:duration=$dur_b" -f lavfi -i "$(tone 48000 "$dur_b")" \
         -map 0:v -map 1:a -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a libopus -b:a 128k -ar 48000 -ac 2 \
         -metadata title="VExAA benchmark input b" -metadata:s:a:0 language=eng -f matroska "$tmp" ;;
    c) ffmpeg "${common[@]}" -f lavfi -i "testsrc2=size=160x120:rate=5:duration=$dur_c" -f lavfi -i "$(tone 44100 "$dur_c")" \
         -map 0:v -map 1:a -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 128k -ar 44100 -ac 2 \
         -metadata title="VExAA benchmark input c" -movflags +faststart -f mp4 "$tmp" ;;
  esac
  [ -s "$tmp" ] || die "generating $path produced nothing"
  mv "$tmp" "$path"
}

# The first audio stream: "index,codec,sample_rate[,language]".
probe_audio() {
  ffprobe -v error -select_streams a:0 -show_entries stream=index,codec_name,sample_rate:stream_tags=language -of csv=p=0 "$1" | head -1
}

# --- cases: the vexaa options and the ffmpeg command vexaa should run -------------------------------------------------

# Nearest rate from a list, the higher one on a tie (AudioFormat.NearestSampleRate).
nearest_rate() { # $1 = rate, rest = allowed rates
  local want="$1" best="" bestd="" r d; shift
  for r in "$@"; do
    d=$((r > want ? r - want : want - r))
    if [ -z "$best" ] || [ "$d" -lt "$bestd" ] || { [ "$d" -eq "$bestd" ] && [ "$r" -gt "$best" ]; }; then best=$r bestd=$d; fi
  done
  echo "$best"
}

# Sets: ext, vexaa_opts (array), codec_args (array), mux_args (array), muxer.
# Explicit --bitrate/--quality (equal to the defaults) make sure m4a from AAC and opus from Opus are re-encoded:
# without them vexaa would see nothing to change and copy the stream.
setup_case() { # $1 = case, $2 = source codec, $3 = source sample rate
  local case="$1" codec="$2" rate="$3"
  mux_args=()
  case "$case" in
    copy)
      vexaa_opts=(--format original); codec_args=(-c:a copy)
      case "$codec" in
        aac) ext=m4a muxer=ipod; mux_args=(-movflags +faststart) ;;
        opus) ext=opus muxer=opus ;;
        mp3) ext=mp3 muxer=mp3; mux_args=(-id3v2_version 3) ;;
        *) die "no copy container mapped for source codec '$codec'" ;;
      esac ;;
    mp3)
      case "$rate" in 8000|11025|12000|16000|22050|24000|32000|44100|48000) ;; *) rate="$(nearest_rate "$rate" 8000 11025 12000 16000 22050 24000 32000 44100 48000)" ;; esac
      # One pass, so the command is the baseline's; mp3-parallel below is the default, segments on every core.
      vexaa_opts=(--format mp3 --bitrate 192k --parallel 1); codec_args=(-c:a libmp3lame -b:a 192k -ar "$rate")
      ext=mp3 muxer=mp3; mux_args=(-id3v2_version 3) ;;
    mp3-parallel)
      case "$rate" in 32000|44100|48000) ;; *) rate="$(nearest_rate "$rate" 8000 11025 12000 16000 22050 24000 32000 44100 48000)" ;; esac
      vexaa_opts=(--format mp3 --bitrate 192k); codec_args=(-c:a libmp3lame -b:a 192k -ar "$rate")
      ext=mp3 muxer=mp3; mux_args=(-id3v2_version 3) ;;
    m4a)
      vexaa_opts=(--format m4a --bitrate 192k); codec_args=(-c:a aac -b:a 192k -ar "$rate")
      ext=m4a muxer=ipod; mux_args=(-movflags +faststart) ;;
    opus)
      rate="$(nearest_rate "$rate" 8000 12000 16000 24000 48000)"
      vexaa_opts=(--format opus --bitrate 128k); codec_args=(-c:a libopus -b:a 128k -ar "$rate")
      ext=opus muxer=opus ;;
    ogg)
      vexaa_opts=(--format ogg --quality 5); codec_args=(-c:a libvorbis -q:a 5 -ar "$rate")
      ext=ogg muxer=ogg ;;
    flac)
      # One pass, so the command is the baseline's; flac-parallel below is the default, segments on every core.
      vexaa_opts=(--format flac --parallel 1); codec_args=(-c:a flac -ar "$rate")
      ext=flac muxer=flac ;;
    flac-parallel)
      vexaa_opts=(--format flac); codec_args=(-c:a flac -ar "$rate")
      ext=flac muxer=flac ;;
    wav)
      vexaa_opts=(--format wav); codec_args=(-c:a pcm_s16le -ar "$rate")
      ext=wav muxer=wav ;;
    *) die "unknown case '$case' (use copy mp3 mp3-parallel m4a opus ogg flac flac-parallel wav)" ;;
  esac
}

# The argument list VExAA builds (FfmpegArguments.Extract) for one input, one track, tags kept, no range/normalisation.
ffmpeg_args() { # $1 = input path, $2 = stream index, $3 = output path, $4 = track language; uses the setup_case variables
  local lang_args=()
  # The track's language is kept as a file tag when it is a plain ISO code ("und" counts as none).
  if [[ "${4:-}" =~ ^[a-z]{2,3}$ && "$4" != und ]]; then lang_args=(-metadata "language=$4"); fi
  ffargs=(-hide_banner -nostdin -nostats -y -v level+warning -progress pipe:1
    -protocol_whitelist file -format_whitelist "$format_whitelist"
    -i "file:$1" -map "0:$2" "${codec_args[@]}"
    -map_metadata 0 -metadata major_brand= -metadata minor_version= -metadata compatible_brands= "${lang_args[@]}"
    "${mux_args[@]}" -fs "$max_output_bytes_plus_one" -f "$muxer" "file:$3")
}

# Shell-quoted, for the report.
quote_cmd() {
  local out="" a
  for a in "$@"; do
    if [[ "$a" =~ ^[A-Za-z0-9_./:+=,-]+$ ]]; then out+=" $a"; else out+=" '${a//\'/\'\\\'\'}'"; fi
  done
  echo "${out# }"
}

# --- timing ----------------------------------------------------------------------------------------------------------

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else printf "–" }'; }
diffs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f", a - b }'; }

dll="$root/.build/cli/Vexaa.Cli.dll"
dll_stamp() { stat -c '%y %s' "$dll" 2>/dev/null || echo none; }

check_output() { # $1 = path, $2 = log
  if [ ! -s "$1" ]; then
    cat "$2" >&2 || true
    die "no output (or an empty one) at $1; log above"
  fi
}

time_ffmpeg() { # prints seconds
  local logf="$out_dir/last-ffmpeg.log" t0 t1
  rm -f "$ff_out"
  t0="$(now)"
  ffmpeg "${ffargs[@]}" >/dev/null 2>"$logf" || { cat "$logf" >&2; die "ffmpeg failed: $(quote_cmd ffmpeg "${ffargs[@]}")"; }
  t1="$(now)"
  check_output "$ff_out" "$logf"
  rm -f "$ff_out"
  elapsed "$t0" "$t1"
}

time_vexaa() { # prints seconds; a run during which the CLI was rebuilt (sources edited meanwhile) is repeated
  local logf="$out_dir/last-vexaa.log" t0 t1 before attempt
  for attempt in 1 2 3; do
    rm -f "$vx_out"
    before="$(dll_stamp)"
    t0="$(now)"
    "${vexaa_cmd[@]}" extract "$input" -o "$vx_out" "${vexaa_opts[@]}" -y >"$logf" 2>&1 \
      || { cat "$logf" >&2; die "vexaa failed: $(quote_cmd "${vexaa_cmd[@]}" extract "$input" -o "$vx_out" "${vexaa_opts[@]}" -y)"; }
    t1="$(now)"
    check_output "$vx_out" "$logf"
    rm -f "$vx_out"
    if [ "$(dll_stamp)" = "$before" ]; then
      elapsed "$t0" "$t1"
      return 0
    fi
    log "  the CLI was rebuilt during this run (sources changed); timing it again"
  done
  die "the CLI kept being rebuilt during timing; set BENCH_VEXAA to a fixed build"
}

# Runs vexaa once through the argv-logging shim and compares what it ran with ffargs (output path aside).
check_command() {
  local argv_log="$out_dir/argv.$$.txt" logf="$out_dir/last-check.log" expected actual
  rm -f "$vx_out" "$argv_log"
  BENCH_ARGV_LOG="$argv_log" BENCH_REAL_FFMPEG="$real_ffmpeg" VEXAA_FFMPEG="$shim" \
    "${vexaa_cmd[@]}" extract "$input" -o "$vx_out" "${vexaa_opts[@]}" -y >"$logf" 2>&1 \
    || { cat "$logf" >&2; die "vexaa failed in the command check"; }
  check_output "$vx_out" "$logf"
  rm -f "$vx_out"
  [ -s "$argv_log" ] || die "the ffmpeg shim logged nothing (is VEXAA_FFMPEG still honoured?)"
  # vexaa reads the input by its full path and writes a hidden temporary beside the output; normalise both.
  actual="$(sed -e "s#^file:$root/#file:#" -e '$s#^file:.*$#file:OUTPUT#' "$argv_log")"
  expected="$(printf '%s\n' "${ffargs[@]}" | sed '$s#^file:.*$#file:OUTPUT#')"
  rm -f "$argv_log"
  if [ "$actual" != "$expected" ]; then
    echo "--- expected (bench/run.sh) vs +++ actual (vexaa) ffmpeg arguments, one per line:" >&2
    diff <(echo "$expected") <(echo "$actual") >&2 || true
    if [ "$allow_mismatch" = 1 ]; then
      log "  WARNING: vexaa's ffmpeg command differs from the baseline for $name/$case (BENCH_ALLOW_MISMATCH=1)"
      mismatches+=("$name/$case")
    else
      die "vexaa's ffmpeg command for $name/$case differs from the baseline; update bench/run.sh (or BENCH_ALLOW_MISMATCH=1)"
    fi
  fi
}

# Segment-parallel MP3 runs other commands by design; what must match is the audio: the same decoded sample count.
check_samples() {
  local logf="$out_dir/last-check.log" ff_samples vx_samples
  rm -f "$vx_out" "$ff_out"
  "${vexaa_cmd[@]}" extract "$input" -o "$vx_out" "${vexaa_opts[@]}" -y --json >"$logf" 2>&1 || { cat "$logf" >&2; die "vexaa failed in the sample check"; }
  grep -q '"segments":[2-9]' "$logf" || log "  note: $name/$case was encoded in one pass (too short, or one core)"
  ffmpeg "${ffargs[@]}" >/dev/null 2>&1 || die "the baseline ffmpeg failed for $name/$case"
  ff_samples="$(ffmpeg -v error -i "$ff_out" -f s16le - | wc -c)"
  vx_samples="$(ffmpeg -v error -i "$vx_out" -f s16le - | wc -c)"
  [ "$ff_samples" = "$vx_samples" ] || die "$name/$case: vexaa's MP3 decodes to $vx_samples bytes, the single pass's to $ff_samples"
  rm -f "$vx_out" "$ff_out"
}

# Segment-parallel FLAC runs other commands by design too, but joins into the single pass's bytes: compare the files.
check_bytes() {
  local logf="$out_dir/last-check.log"
  rm -f "$vx_out" "$ff_out"
  "${vexaa_cmd[@]}" extract "$input" -o "$vx_out" "${vexaa_opts[@]}" -y --json >"$logf" 2>&1 || { cat "$logf" >&2; die "vexaa failed in the byte check"; }
  grep -q '"segments":[2-9]' "$logf" || log "  note: $name/$case was encoded in one pass (too short, one core, or a 16-bit source)"
  ffmpeg "${ffargs[@]}" >/dev/null 2>&1 || die "the baseline ffmpeg failed for $name/$case"
  cmp -s "$ff_out" "$vx_out" || die "$name/$case: vexaa's FLAC is not byte for byte the single pass's"
  rm -f "$vx_out" "$ff_out"
}

# Median wall time of a quiet command run max(BENCH_RUNS, 5) times.
time_fixed() {
  local t0 t1 times=() i
  for ((i = 1; i <= (runs > 5 ? runs : 5); i++)); do
    t0="$(now)"
    "$@" >/dev/null 2>&1 || die "failed: $(quote_cmd "$@")"
    t1="$(now)"
    times+=("$(elapsed "$t0" "$t1")")
  done
  median "${times[@]}"
}

# --- run -------------------------------------------------------------------------------------------------------------

wl_ref='"$WL"'   # how the long -format_whitelist value is shown in the report
fixed_rows=()    # Markdown rows for the fixed costs
rows=()          # Markdown table rows
commands=()      # report lines with the exact commands
mismatches=()
declare -A copy_ff=() copy_vx=()

log "building/warming up the CLI: ${vexaa_cmd[*]} --help"
"${vexaa_cmd[@]}" --help >/dev/null || die "'${vexaa_cmd[*]} --help' failed"

# What the vexaa figure adds before ffmpeg starts: the wrapper's check and .NET start-up, then ffprobe (per input, below).
log "timing fixed costs"
fixed_rows+=("| \`$(quote_cmd "${vexaa_cmd[@]}" --help)\` (start-up, as timed) | $(time_fixed "${vexaa_cmd[@]}" --help) |")
if [ "${vexaa_cmd[*]}" = ./vexaa ] && [ -f "$dll" ]; then
  fixed_rows+=("| \`dotnet .build/cli/Vexaa.Cli.dll --help\` (.NET start-up without the wrapper's rebuild check) | $(time_fixed dotnet "$dll" --help) |")
fi


for name in $inputs_wanted; do
  generate "$name"
  input="$(input_path "$name")"
  IFS=, read -r stream codec rate lang <<<"$(probe_audio "$input")"
  [ -n "${rate:-}" ] || die "no audio stream found in $input"
  log "input $name: $input (audio stream $stream, $codec, $rate Hz, language ${lang:-none})"
  # The probe vexaa runs (MediaProber) before its ffmpeg.
  probe_cmd=(ffprobe -hide_banner -v error -protocol_whitelist file -format_whitelist "$format_whitelist"
    -print_format json -show_format -show_streams -show_chapters "file:$root/$input")
  fixed_rows+=("| ffprobe of input $name, as vexaa runs it | $(time_fixed "${probe_cmd[@]}") |")
  commands+=("" "#### $(input_label "$name")" "" '```sh')

  for case in $cases_wanted; do
    setup_case "$case" "$codec" "$rate"
    ff_out="$out_dir/$name-$case.ffmpeg.$ext"
    vx_out="$out_dir/$name-$case.vexaa.$ext"
    ffmpeg_args "$input" "$stream" "$ff_out" "${lang:-}"
    ff_shown="$(quote_cmd ffmpeg "${ffargs[@]}")"
    commands+=("# $case" "${ff_shown//"$format_whitelist"/$wl_ref} >/dev/null" \
      "$(quote_cmd "${vexaa_cmd[@]}" extract "$input" -o "$vx_out" "${vexaa_opts[@]}" -y)")

    if [ "$case" = mp3-parallel ]; then
      [ "$check" = 1 ] && check_samples
    elif [ "$case" = flac-parallel ]; then
      [ "$check" = 1 ] && check_bytes
    elif [ "$check" = 1 ]; then
      check_command
    fi

    ff_times=() vx_times=()
    for ((i = 1; i <= runs; i++)); do
      # Alternate which goes first, so neither always runs on a cache or CPU warmed by the other.
      if ((i % 2)); then
        ff_times+=("$(time_ffmpeg)"); vx_times+=("$(time_vexaa)")
      else
        vx_times+=("$(time_vexaa)"); ff_times+=("$(time_ffmpeg)")
      fi
    done
    ff_med="$(median "${ff_times[@]}")"
    vx_med="$(median "${vx_times[@]}")"
    log "  $case: ffmpeg ${ff_times[*]} -> $ff_med s; vexaa ${vx_times[*]} -> $vx_med s"

    if [ "$case" = copy ]; then copy_ff[$name]="$ff_med" copy_vx[$name]="$vx_med"; fi
    rows+=("| $name | $case | $ff_med | $vx_med | $(ratio "$vx_med" "$ff_med") | $(diffs "$vx_med" "$ff_med") | $(ratio "$ff_med" "${copy_ff[$name]:-0}") | $(ratio "$vx_med" "${copy_vx[$name]:-0}") |")
  done
  commands+=('```')
done

# --- report ----------------------------------------------------------------------------------------------------------

table_header="| Input | Case | ffmpeg median (s) | vexaa median (s) | vexaa ÷ ffmpeg | vexaa − ffmpeg (s) | ffmpeg ÷ ffmpeg copy | vexaa ÷ vexaa copy |
|---|---|--:|--:|--:|--:|--:|--:|"

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src 2>/dev/null)" ]; then commit+=" (src/ has uncommitted changes)"; fi
cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"

mkdir -p "$(dirname "$doc")"
{
  echo "# Benchmarks: vexaa extract vs plain ffmpeg"
  echo
  echo "This measures what VExAA adds on top of FFmpeg when extracting audio from a video. For each input and case,"
  echo "\`bench/run.sh\` times \`./vexaa extract\` and the plain \`ffmpeg\` command that VExAA runs for that job (same"
  echo "encoder, bitrate, sample rate, stream map, metadata and muxer options, checked against what VExAA really runs),"
  echo "alternating the two, and reports the median wall-clock time of each. The vexaa figure is the whole command:"
  echo "the \`./vexaa\` wrapper's up-to-date check, .NET start-up (about 0.1 s; see the fixed costs below), one ffprobe"
  echo "run, then the same single ffmpeg process, writing to a temporary file that is renamed into place. \"copy\" is"
  echo "\`--format original\` (\`-c:a copy\`); the ÷ copy columns show how much longer each transcode takes than copying"
  echo "the audio out of the same input. What resumable uploads cost the server (\`bench/uploads.sh\`) is in"
  echo "\`docs/BENCHMARKS-UPLOADS.md\`."
  echo
  if [ "$scale" != 1 ]; then
    echo "> **Smoke run at BENCH_SCALE=$scale**: every input is scaled down to ${scale}× its normal length, so fixed"
    echo "> costs dominate and these numbers are not representative. Run \`bash bench/run.sh\` for the real figures."
    echo
  fi
  echo "## Run"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) CPU cores (\`nproc\`)${cpu:+, $cpu}, $(uname -sr)"
  echo "- FFmpeg: \`$(ffmpeg -version | head -1)\`"
  echo "- .NET SDK: \`$(dotnet --version)\`"
  echo "- VExAA: commit $commit, timed as \`${vexaa_cmd[*]}\`"
  echo "- Settings: BENCH_SCALE=$scale, BENCH_RUNS=$runs (median of $runs timed run(s) per command; timing with \`date +%s.%N\`)"
  if [ "$check" = 1 ]; then
    if [ ${#mismatches[@]} -eq 0 ]; then
      echo "- Command check: for every case, vexaa's actual ffmpeg arguments (logged through \`VEXAA_FFMPEG\`) matched the baseline command$(case " $cases_wanted " in *" mp3-parallel "*) echo "; mp3-parallel (segments encoded at once, other commands by design) was checked instead to decode to exactly the baseline's number of samples" ;; esac)$(case " $cases_wanted " in *" flac-parallel "*) echo "; flac-parallel was checked instead to be byte for byte the baseline's file" ;; esac)"
    else
      echo "- Command check: **vexaa's ffmpeg arguments differed from the baseline for: ${mismatches[*]}** (those rows do not compare like with like)"
    fi
  else
    echo "- Command check: skipped (BENCH_CHECK=0)"
  fi
  echo
  echo "Inputs (generated with ffmpeg's lavfi \`testsrc2\` and \`aevalsrc\`, libx264 \`-preset ultrafast\`):"
  echo
  for name in $inputs_wanted; do echo "- $(input_label "$name")"; done
  echo
  echo "## Results"
  echo
  echo "$table_header"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Fixed costs inside the vexaa figure, measured on their own (median of $((runs > 5 ? runs : 5)) runs):"
  echo
  echo "| Step | Median (s) |"
  echo "|---|--:|"
  printf '%s\n' "${fixed_rows[@]}"
  echo
  echo "## Commands compared"
  echo
  echo "Run from the repository root. Each baseline ffmpeg command is followed by the vexaa command timed against it;"
  echo "vexaa's ffmpeg writes to a hidden \`.NAME.GUID.part\` file beside its output instead of \`file:bench/out/...\`."
  echo
  echo '```sh'
  echo "WL=$format_whitelist  # -format_whitelist (src/Vexaa/Media/ContainerAllowList.cs)"
  echo '```'
  printf '%s\n' "${commands[@]}"
} >"$doc.new"
# bench/uploads.sh keeps its own section in this file; carry it over.
if [ -f "$doc" ] && grep -q '<!-- uploads:begin -->' "$doc"; then
  { echo; sed -n '/<!-- uploads:begin -->/,/<!-- uploads:end -->/p' "$doc"; } >>"$doc.new"
fi
mv "$doc.new" "$doc"

echo
echo "$table_header"
printf '%s\n' "${rows[@]}"
echo
log "wrote $doc"
