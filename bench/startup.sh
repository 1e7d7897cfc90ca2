#!/usr/bin/env bash
# Start-up and footprint of the monolith (Release build, local throwaway PostgreSQL), in both code modes:
#   dynamic  Wolverine compiles its handlers with Roslyn at run time (the baseline)
#   static   handlers generated ahead of time by eng/publish.sh (what the container runs)
#   r2r      static, and every assembly compiled ahead of time (eng/publish.sh with READY_TO_RUN=true)
#   lean     r2r, and the schema left to a release step (Modular:Database:ApplyChangesOnStartup=false; the
#            earlier modes' starts brought the database up to date, as `resources setup` would)
#   - cold start: process start -> first 200 of /health/ready, and -> first 200 of an API call;
#   - idle memory: resident set size after the first calls and 10 s of idling.
# Usage: bench/startup.sh [runs]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=$(mktemp -d)
pgdir=$(mktemp -d /tmp/modular-bench-pg.XXXXXX)
trap 'eng/postgres.sh remove "$pgdir" >/dev/null 2>&1; rm -rf "$out"' EXIT

eng/publish.sh "$out/app" >/dev/null
READY_TO_RUN=true eng/publish.sh "$out/app-r2r" >/dev/null
# Every API call needs a token: the embedded issuer with a key for this run, the token from the host's own command.
export Modular__Authentication__SigningKey=${Modular__Authentication__SigningKey:-$(head -c 32 /dev/urandom | base64)}
export Modular__RateLimits__PermitsPerSecond=0 # one token sends the whole load: measure the product, not its limit
export MODULAR_TOKEN=$(dotnet "$out/app/Modular.Host.dll" token)
cs=$(eng/postgres.sh start "$pgdir" 2>/dev/null)
port=18123
now_ms() { date +%s%3N; }
wait_200() { until curl -sf -o /dev/null -H "Authorization: Bearer $MODULAR_TOKEN" "$1"; do sleep 0.01; done; }

echo "mode run ready_ms first_api_ms idle_rss_mb"
for mode in Dynamic Static R2R Lean; do
for run in $(seq 1 "$runs"); do
  start=$(now_ms)
  app=$out/app; generation=$mode
  [[ $mode == R2R || $mode == Lean ]] && { app=$out/app-r2r; generation=Static; }
  Modular__Database__ApplyChangesOnStartup=$([[ $mode == Lean ]] && echo false || echo true) Modular__CodeGeneration=$generation ConnectionStrings__Postgres="$cs" dotnet "$app/Modular.Host.dll" --urls "http://127.0.0.1:$port" >"$out/host.log" 2>&1 &
  pid=$!
  wait_200 "http://127.0.0.1:$port/health/ready"; ready=$(( $(now_ms) - start ))
  wait_200 "http://127.0.0.1:$port/api/catalog/products"; api=$(( $(now_ms) - start ))
  sleep 10
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status)
  echo "$mode $run $ready $api $rss"
  kill $pid; wait $pid 2>/dev/null || true
done
done
