#!/usr/bin/env bash
# Builds deploy/Dockerfile with Debian's podman and smoke-tests the image, on a fresh Debian machine with no image
# registry (called by .ci/run after ./test.sh). Prints PASS/FAIL per check and the time of each step; exits 1 if a
# check failed. Everything it starts (containers, volumes, MariaDB, s3rver) listens on loopback only and is removed by
# name or PID at the end. Base images are made locally (deploy/image-test/bases.sh); the debootstrapped Debian is
# cached in /var/cache/vexaa-ci and the built images stay in podman's store, so a second run is much faster.
#   deploy/test-image.sh             VEXAA_CI_KEEP=1 keeps the containers and the work folder for a look afterwards
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Rootful podman (the engine's storage, host networking, the MariaDB user switch): as root, or through sudo.
[ "$(id -u)" -eq 0 ] || exec sudo -E bash "$0" "$@"
work=$(mktemp -d /tmp/vexaa-image-test.XXXXXX)
chmod 0711 "$work"   # MariaDB runs as the mysql user, in a folder of its own in here
tag=${VEXAA_CI_IMAGE:-localhost/vexaa:ci}
run_id=$$
names=() volumes=()
passed=0 failed=0 started=$(date +%s.%N)
source deploy/image-test/bases.sh
source deploy/image-test/services.sh

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+ — $2}"; failed=$((failed + 1)); }
expect() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$3', got '$2'"; fi; }
step_start=0
step() { step_start=$(date +%s.%N); echo "== $1"; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
took() { printf 'TIME %-34s %6s s\n' "$1" "$(since "$step_start")"; }

cleanup() {
  local status=$?
  if [ "${VEXAA_CI_KEEP:-0}" != 1 ]; then
    for n in "${names[@]}"; do podman rm -f -t 0 "$n" >/dev/null 2>&1 || true; done
    for v in "${volumes[@]}"; do podman volume rm -f "$v" >/dev/null 2>&1 || true; done
  fi
  mariadb_stop
  s3rver_stop
  [ "${VEXAA_CI_KEEP:-0}" = 1 ] && echo "kept: $work ${names[*]}" || rm -rf "$work"
  exit $status
}
trap cleanup EXIT
# A step that fails outright (not a check) says where, before the clean-up.
set -E
trap 'echo "FAIL line $LINENO: $BASH_COMMAND" >&2' ERR

# A container on the image, named for this run (in $last); its /data is a fresh named volume. Not called in $(...):
# the names must reach the clean-up's lists.
container() { # container ROLE PODMAN-RUN-ARGS... -- IMAGE-ARGS...
  local name="vexaa-ci-$1-$run_id" vol="vexaa-ci-$1-data-$run_id"; shift
  names+=("$name") volumes+=("$vol")
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift
  podman volume create "$vol" >/dev/null
  # Without systemd, podman logs that it cannot schedule the HEALTHCHECK timer; the check is run by hand below.
  # --read-only-tmpfs=false: podman would add tmpfs on /var/tmp and /run, which Docker and Kubernetes do not.
  podman run -d --name "$name" --read-only --read-only-tmpfs=false --tmpfs /tmp -v "$vol:/data" "${opts[@]}" "$tag" "$@" >/dev/null 2>>"$work/podman.log"
  last=$name
}

ready() { curl -fsS -m 2 "$1/readyz" >/dev/null; }
api() { curl -sS -m 60 -H "Authorization: Bearer $key" "$@"; }
job_field() { api "$base/api/v1/jobs/$1" | jq -r "$2" 2>/dev/null || echo "(no answer)"; }
job_is() { [ "$(job_field "$1" .status)" = "$2" ]; }
job_done() { [[ "$(job_field "$1" .status)" =~ ^(succeeded|failed|cancelled|expired)$ ]]; }
submit() { api -F "file=@$1" -F "format=$2" "$base/api/v1/jobs" | jq -r .id 2>/dev/null || echo none; }

# The image's promises, checked in a running container: its user, where it can write, its HEALTHCHECK.
image_promises() { # image_promises CONTAINER ROLE
  expect "$2: runs as uid 10001" "$(podman exec "$1" id -u):$(podman exec "$1" id -g)" "10001:10001"
  local writable
  writable=$(podman exec "$1" find / \( -path /proc -o -path /sys -o -path /dev -o -path /data -o -path /tmp \) -prune \
    -o -writable -print 2>/dev/null | head -5 || true)
  expect "$2: nothing writable outside /data and /tmp (read-only root)" "$writable" ""
  if podman exec "$1" sh -c 'touch /data/.w /tmp/.w && rm /data/.w /tmp/.w' && ! podman exec "$1" sh -c 'touch /app/.w' 2>/dev/null; then
    pass "$2: writes to /data and /tmp, not to /app"
  else
    fail "$2: writes to /data and /tmp, not to /app"
  fi
  if podman healthcheck run "$1" >/dev/null 2>&1; then pass "$2: HEALTHCHECK healthy"; else fail "$2: HEALTHCHECK healthy" "$(podman logs --tail 5 "$1" 2>&1)"; fi
}

step "Container engine (Debian's podman) and test dependencies"
bash scripts/install-deps.sh --tests >/dev/null
engine_install
podman --version
took "engine"

step "Base images: debian:12-slim (debootstrap, cached in $cache), .NET stand-ins"
debian_slim
took "debian:12-slim"
step_start=$(date +%s.%N)
dotnet_standins
took ".NET stand-ins"

step "Build deploy/Dockerfile"
podman build -q --format docker -f deploy/Dockerfile -t "$tag" . >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
took "image build"
size_mb=$(( $(podman image inspect --format '{{.Size}}' "$tag") / 1000000 ))
echo "SIZE $tag: $size_mb MB"
expect "the image keeps its HEALTHCHECK (built --format docker)" \
  "$(podman image inspect --format '{{if .Config.Healthcheck}}yes{{end}}' "$tag")" "yes"
expect "the image has no debug symbols" "$(podman run --rm --entrypoint find "$tag" /app -name '*.pdb' | head -1)" ""
expect "the image has one platform's native SQLite" \
  "$(podman run --rm --entrypoint sh "$tag" -c 'find /app -name "libe_sqlite3.so" | wc -l')" "1"

ffmpeg -v error -y -f lavfi -i testsrc=size=320x240:rate=25:duration=4 -f lavfi -i sine=frequency=440:duration=4 \
  -c:v libx264 -preset ultrafast -c:a aac -shortest "$work/short.mp4"
step "serve: read-only root, tmpfs /tmp, /data volume, the image's own CMD (bridge network, port on 127.0.0.1)"
container serve -p 127.0.0.1::8080 --
serve=$last
base="http://127.0.0.1:$(podman port "$serve" 8080/tcp | head -1 | cut -d: -f2)"
if wait_for 60 ready "$base"; then pass "serve: ready ($base/readyz)"; else fail "serve: ready" "$(podman logs "$serve" 2>&1 | tail -5)"; fi
took "serve: container start to ready"
logs=$(podman logs "$serve" 2>&1)
file=/data/first-start-credentials.txt
if grep -q "First start.*$file" <<<"$logs" && ! grep -qE 'vx_|password:' <<<"$logs"; then
  pass "serve: first start logs where the credentials are, not the credentials"
else
  fail "serve: first start logs where the credentials are, not the credentials" "$(head -5 <<<"$logs")"
fi
expect "serve: the credentials file is the service user's only" "$(podman exec "$serve" stat -c '%a %u' "$file" 2>&1)" "600 10001"
credentials=$(podman exec "$serve" cat "$file" 2>/dev/null || true)
key=$(awk '/API key:/ {print $3}' <<<"$credentials")
password=$(awk '/password:/ {print $2}' <<<"$credentials")
expect "serve: the first-start API key works" "$(api -o /dev/null -w '%{http_code}' "$base/api/v1/me")" "200"
expect "serve: the first-start password signs in" "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-Requested-With: vexaa' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$base/api/v1/session")" "200"
step_start=$(date +%s.%N)
id=$(submit "$work/short.mp4" mp3)
wait_for 120 job_done "$id" || true
expect "serve: a generated video converts through the API" "$(job_field "$id" .status)" "succeeded"
api -o "$work/short.mp3" "$base/api/v1/jobs/$id/result"
codecs=$(ffprobe -v error -show_entries stream=codec_type,codec_name -of csv=p=0 "$work/short.mp3" 2>&1 | tr '\n' ' ' || true)
seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/short.mp3" 2>/dev/null || echo 0)
if [[ "$codecs" =~ ^mp3,audio\ $ ]] && awk -v d="$seconds" 'BEGIN { exit !(d > 3.5 && d < 4.5) }'; then
  pass "serve: the result is 4 s of MP3 audio (ffprobe: $codecs$seconds s)"
else
  fail "serve: the result is 4 s of MP3 audio" "ffprobe: $codecs$seconds s"
fi
took "serve: convert"
image_promises "$serve" serve

step "work + serve --workers 0 on MariaDB and s3rver (host network, loopback)"
mariadb_start
s3rver_start
shared_env > "$work/shared.env"
api_port=$(free_port) work_port=$(free_port)
step_start=$(date +%s.%N)
container api --network host --env-file "$work/shared.env" -e VEXAA_HEALTH_PORT="$api_port" -- \
  serve --urls "http://127.0.0.1:$api_port" --workers 0
apic=$last
container work --network host --env-file "$work/shared.env" -e VEXAA_HEALTH_PORT="$work_port" -- \
  work --health-urls "http://127.0.0.1:$work_port"
workc=$last
base="http://127.0.0.1:$api_port"
if wait_for 90 ready "$base" && wait_for 90 ready "http://127.0.0.1:$work_port"; then pass "api and work: ready"
else fail "api and work: ready" "$(podman logs "$apic" 2>&1 | tail -3; podman logs "$workc" 2>&1 | tail -3)"; fi
took "api + work: start to ready"
# `vexaa` is on the image's PATH: the admin commands work in a container as the docs show them.
key=$(podman exec "$apic" vexaa keys create --user ci --admin 2>"$work/keys.err" | tail -1 || true)
expect "api: docker exec … vexaa keys create makes a working key" "$(api -o /dev/null -w '%{http_code}' "$base/api/v1/me")" "200"
grep -q "0 worker(s)" <(podman logs "$apic" 2>&1) && pass "api: runs no workers" || fail "api: runs no workers"
step_start=$(date +%s.%N)
id=$(submit "$work/short.mp4" opus)
wait_for 120 job_done "$id" || true
expect "work: a job submitted to the API is done by the worker container" "$(job_field "$id" .status)" "succeeded"
took "work: convert"
image_promises "$apic" api
image_promises "$workc" work

# Two hours of sound: even encoded in two segments at once on a fast day, the job is still running when the container stops.
ffmpeg -v error -y -f lavfi -i color=size=16x16:rate=1:duration=7200 -f lavfi -i sine=frequency=440:sample_rate=44100:duration=7200 \
  -c:v libx264 -preset ultrafast -c:a flac -shortest "$work/long.mkv"
step "stop: \`podman stop\` (default 10 s) while a job runs loses no attempt"
id=$(submit "$work/long.mkv" mp3)
wait_for 60 job_is "$id" running || true
sleep 1
step_start=$(date +%s.%N)
podman stop "$workc" >/dev/null 2>>"$work/podman.log"
took "work: podman stop"
code=$(podman inspect --format '{{.State.ExitCode}}' "$workc")
expect "work: stopped by its own shutdown, not the engine's SIGKILL (exit code $code)" "$([ "$code" != 137 ] && echo graceful)" "graceful"
expect "work: the running job was handed back (state, attempts)" "$(job_field "$id" '"\(.status) \(.attempts)"')" "queued 0"
podman start "$workc" >/dev/null 2>>"$work/podman.log"
wait_for 300 job_done "$id" || true
expect "work: after a restart the job succeeds on its first attempt" "$(job_field "$id" '"\(.status) \(.attempts)"')" "succeeded 1"

printf 'TIME %-34s %6s s\n' "total" "$(since "$started")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
