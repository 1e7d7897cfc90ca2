#!/usr/bin/env bash
# Time to steady state: how long after start the app serves reads at its steady rate, per build and JIT setting.
# Each variant starts the app with the image's settings (pre-generated handler code, workstation GC, metrics, JSON
# logs; a rate limit too high to refuse anything), then wrk sends GET product by id at 64 connections in back-to-back
# windows from the first second on; each window gives req/s and the app's CPU µs per request (/proc/<pid>/stat).
#   steady          median req/s (and CPU µs/GET) of the last 5 windows
#   time to steady  start of the first window where it and the next two (median) reach 90 % of the steady req/s
# A variant is a build, then what it changes, joined by '+' (e.g. image+no-pgo):
#   jit             Release build, every method JIT-compiled at run time
#   image           ReadyToRun build (eng/publish.sh READY_TO_RUN=true), as the Dockerfile builds it
#   +no-pgo         DOTNET_TieredPGO=0: no instrumented tier (a hot method is recompiled once, not twice)
#   +no-delay       DOTNET_TC_CallCountingDelayMs=0: hot methods queued for full optimization at once, not after the
#                   start-up activity has been quiet for 100 ms
# Usage: bench/warmup.sh   (knobs: VARIANTS, SECONDS_AFTER_START=60, WINDOW=2, ROUNDS=2, CONNS=64, OUT)
set -euo pipefail
cd "$(dirname "$0")/.."
VARIANTS=${VARIANTS:-"jit image image+no-pgo image+no-delay image+no-pgo+no-delay"}; ROUNDS=${ROUNDS:-2}
TOTAL=${SECONDS_AFTER_START:-60}; WINDOW=${WINDOW:-2}; CONNS=${CONNS:-64}
OUT=${OUT:-$(mktemp -d /tmp/modular-warmup.XXXXXX)}; mkdir -p "$OUT"
port=18126; pgdir=$(mktemp -d /tmp/modular-warmup-pg.XXXXXX); pid=
command -v wrk >/dev/null || { apt-get update >/dev/null; apt-get install -y wrk >/dev/null; }
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; eng/postgres.sh remove "$pgdir" >/dev/null 2>&1 || true; }
trap cleanup EXIT

[[ -d $OUT/jit ]] || eng/publish.sh "$OUT/jit" >/dev/null
[[ -d $OUT/image ]] || READY_TO_RUN=true eng/publish.sh "$OUT/image" >/dev/null
export Modular__Authentication__SigningKey=$(head -c 32 /dev/urandom | base64)
BUDGET_TOKEN=$(dotnet "$OUT/jit/Modular.Host.dll" token --minutes 600); export BUDGET_TOKEN
cs=$(eng/postgres.sh start "$pgdir" 2>/dev/null)
ticks=$(getconf CLK_TCK)
now_ms() { date +%s%3N; }

start_app() { # start_app <variant>: returns once /health/ready answers 200; sets pid and ready_ms
  local build=${1%%+*} started setting; local -a env=()
  for setting in $(tr '+' ' ' <<<"${1#"$build"}"); do
    case $setting in
      no-pgo) env+=(DOTNET_TieredPGO=0) ;;
      no-delay) env+=(DOTNET_TC_CallCountingDelayMs=0) ;;
      *) echo "unknown setting $setting in $1" >&2; exit 2 ;;
    esac
  done
  started=$(now_ms)
  (cd "$OUT/$build" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 Modular__CodeGeneration=Static \
    ConnectionStrings__Postgres="$cs" Modular__Metrics__Enabled=true Modular__Logging__Format=json \
    Modular__RateLimits__PermitsPerSecond=1000000 Modular__RateLimits__Burst=1000000 "${env[@]}" \
    dotnet Modular.Host.dll --urls "http://127.0.0.1:$port") >>"$OUT/host-$1.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "$1 did not start: $OUT/host-$1.log" >&2; exit 1; }
    sleep 0.01
  done
  ready_ms=$(( $(now_ms) - started ))
}
stop_app() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# products to read: a short POST window, ids read back from the module's table
start_app jit
BUDGET_RUN=seed wrk -t1 -c16 -d3s -s bench/budget/post.lua "http://127.0.0.1:$port" >/dev/null
stop_app
export BUDGET_IDS=$OUT/ids.txt
psql "host=127.0.0.1 port=$(cat "$pgdir/port") user=postgres dbname=postgres" -Atc \
  "select id from catalog.mt_doc_product order by random() limit 5000" >"$BUDGET_IDS"
echo "variant,round,ready_ms,window_start_s,req_per_s,cpu_us_per_req" >"$OUT/windows.csv"

for round in $(seq "$ROUNDS"); do
  for variant in $VARIANTS; do
    start_app "$variant"
    for start in $(seq 0 "$WINDOW" $(( TOTAL - WINDOW ))); do
      before=$(cpu_of "$pid")
      result=$(wrk -t1 -c"$CONNS" -d"${WINDOW}s" --timeout 5s -s bench/budget/get.lua "http://127.0.0.1:$port" 2>&1)
      after=$(cpu_of "$pid")
      requests=$(awk '/requests in/ {print $1}' <<<"$result")
      echo "$variant,$round,$ready_ms,$start,$(awk '/Requests\/sec/ {print $2}' <<<"$result"),$(( (after - before) * 1000000 / ticks / (requests > 0 ? requests : 1) ))" >>"$OUT/windows.csv"
    done
    stop_app
    echo "round $round: $variant done" >&2
  done
done

python3 - "$OUT/windows.csv" "$WINDOW" <<'PY'
import csv, statistics, sys
rows, window = list(csv.DictReader(open(sys.argv[1]))), int(sys.argv[2])
print("| variant | start → ready | req/s, first window | req/s at 10 s | req/s at 30 s | steady req/s | steady CPU µs/GET | time to steady |")
print("|---|---|---|---|---|---|---|---|")
for v in dict.fromkeys(r["variant"] for r in rows):
    per_round = []
    for rnd in dict.fromkeys(r["round"] for r in rows if r["variant"] == v):
        ws = [r for r in rows if r["variant"] == v and r["round"] == rnd]
        rps = [float(r["req_per_s"]) for r in ws]
        steady = statistics.median(rps[-5:])
        # steady from the first window where it and the next two have a median >= 90 % of steady (one dip
        # on a shared machine does not reset it); never reached = the whole run
        first = next((i for i in range(len(rps)) if statistics.median(rps[i:i + 3]) >= 0.9 * steady), len(rps))
        at = lambda s: rps[min(s // window, len(rps) - 1)]
        per_round.append((int(ws[0]["ready_ms"]), rps[0], at(10), at(30), steady,
                          statistics.median(float(r["cpu_us_per_req"]) for r in ws[-5:]), first * window))
    m = [statistics.median(c) for c in zip(*per_round)]
    print(f"| {v} | {m[0] / 1000:.2f} s | {m[1]:,.0f} | {m[2]:,.0f} | {m[3]:,.0f} | {m[4]:,.0f} | {m[5]:.0f} | {m[6]:.0f} s |")
PY
echo "windows: $OUT/windows.csv" >&2
