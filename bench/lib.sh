# Shared by the benches that time the service (service.sh, submit.sh, uploads.sh); sourced, not run.

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# start_server LOG URL [SERVE ARGS...]: starts `./vexaa serve` on URL (built first, so no build is timed), waits until
# it has printed its API key and answers /healthz, and sets $server (its pid) and $key (that key). Settings for the
# server go in the environment, as for the service itself (Vexaa__Limits__...=... start_server ...).
start_server() {
  local log="$1" url="$2"
  shift 2
  ./vexaa --help > /dev/null
  ./vexaa serve --urls "$url" "$@" > "$log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    grep -q "API key:" "$log" 2>/dev/null && curl -fsS "$url/healthz" > /dev/null 2>&1 && break
    sleep 0.2
  done
  key=$(grep "API key:" "$log" | head -1 | cut -d: -f2- | tr -d ' ')
  if [[ -z "$key" ]]; then
    echo "the server did not start: $(tail -5 "$log")" >&2
    exit 1
  fi
}
