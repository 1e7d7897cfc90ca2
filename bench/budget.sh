#!/usr/bin/env bash
# The per-request budget: what each framework component costs the app, in CPU µs and latency per request, for
# GET product by id and POST add product, each component switched off in turn against the shipped configuration
# ("all on": the container image's settings — metrics, JSON logs — plus a rate limit too high to refuse anything).
# Same build (Release, pre-generated code, compiled with the bench-only switches of BenchSwitches.cs), same
# PostgreSQL (fsync on), variants interleaved round by round. CPU per request = the app process's CPU time
# (/proc/<pid>/stat) over the requests wrk counted in the measured window.
#   bench/budget.sh                           3 rounds, 10 s windows after a 10 s warm-up, 64 connections
#   ROUNDS=1 DURATION=5 WARMUP=5 bench/budget.sh
#   VARIANTS="all-on auth bare" bench/budget.sh
# Prints a markdown table (median over rounds) and leaves runs.csv in $OUT (default a temp folder, printed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-10}; CONNS=${CONNS:-64}
VARIANTS=${VARIANTS:-"all-on auth token-cache rate-limit caller-stripping input-guard write-requests problems metrics handler-tags fences json-logs tracing connection-reset keepalive bare"}
OUT=${OUT:-$(mktemp -d /tmp/modular-budget.XXXXXX)}; mkdir -p "$OUT"
port=18125; pgdir=$(mktemp -d /tmp/modular-budget-pg.XXXXXX); app=${APP:-$OUT/app}; pid=
command -v wrk >/dev/null || { apt-get update >/dev/null; apt-get install -y wrk >/dev/null; }
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; eng/postgres.sh remove "$pgdir" >/dev/null 2>&1 || true; }
trap cleanup EXIT

[[ -n ${APP:-} ]] || BENCH_SWITCHES=true eng/publish.sh "$app" >/dev/null  # APP=<an earlier run's app folder> reuses its build
export Modular__Authentication__SigningKey=$(head -c 32 /dev/urandom | base64)
BUDGET_TOKEN=$(dotnet "$app/Modular.Host.dll" token --minutes 600); export BUDGET_TOKEN
cs=$(eng/postgres.sh start "$pgdir" 2>/dev/null)
ticks=$(getconf CLK_TCK)

# variant -> the environment it changes against all-on (a real setting where one exists, else a bench switch);
# settings separated by spaces, %20 for a space inside one
env_of() {
  case $1 in
    all-on) ;;
    auth) echo MODULAR_BENCH_OFF=auth ;;
    rate-limit) echo Modular__RateLimits__PermitsPerSecond=0 ;;
    caller-stripping | input-guard | write-requests | problems | handler-tags | fences | token-cache) echo "MODULAR_BENCH_OFF=$1" ;;
    metrics) echo Modular__Metrics__Enabled=false ;;
    json-logs) echo Modular__Logging__Format=simple ;;
    tracing) echo Modular__Telemetry__Enabled=true ;;  # the one component off in all-on: this row is its cost when ON
    connection-reset) echo "CS_EXTRA=;No%20Reset%20On%20Close=true" ;;  # the reset Npgsql sends on every checkout, off
    keepalive) echo "CS_EXTRA=;Keepalive=1" ;;                    # ADR 0015's keepalive, ON (what main had until ADR 0023)
    bare) echo "MODULAR_BENCH_OFF=auth,caller-stripping,input-guard,write-requests,problems,handler-tags,fences Modular__RateLimits__PermitsPerSecond=0 Modular__Metrics__Enabled=false Modular__Logging__Format=simple" ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
}

start_app() { # start_app <variant>
  local -a env=(); local extra=""
  while read -r kv; do [[ $kv == CS_EXTRA=* ]] && extra=${kv#CS_EXTRA=} || env+=("$kv"); done < <(env_of "$1" | tr ' ' '\n' | sed 's/%20/ /g')
  # from the app's folder, as the image runs it (WORKDIR /app): its appsettings.json (log levels) applies
  (cd "$app" && exec env ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 Modular__CodeGeneration=Static \
    ConnectionStrings__Postgres="$cs$extra" Modular__Metrics__Enabled=true Modular__Logging__Format=json \
    Modular__RateLimits__PermitsPerSecond=1000000 Modular__RateLimits__Burst=1000000 "${env[@]}" \
    dotnet Modular.Host.dll --urls "http://127.0.0.1:$port") >>"$OUT/host-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready" && return 0; sleep 0.1; done
  echo "$1 did not start: $OUT/host-$1.log" >&2; exit 1
}
stop_app() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure <variant> <endpoint> <round>: one wrk window, CPU of the app over it -> runs.csv
measure() {
  local before after result
  before=$(cpu_of "$pid")
  result=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" --timeout 5s --latency -s "bench/budget/$2.lua" "http://127.0.0.1:$port" 2>&1)
  after=$(cpu_of "$pid")
  local requests rps p50 errors
  requests=$(awk '/requests in/ {print $1}' <<<"$result")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$result")
  errors=$(awk '/Non-2xx|Socket errors/ {n += $NF} END {print n + 0}' <<<"$result")
  echo "$1,$2,$3,$rps,$p50,$(( (after - before) * 1000000 / ticks / (requests > 0 ? requests : 1) )),$errors" >>"$OUT/runs.csv"
}

# seed: products for the GETs (a POST window), their ids read back from the module's table
start_app all-on
BUDGET_RUN=seed wrk -t1 -c16 -d3s -s bench/budget/post.lua "http://127.0.0.1:$port" >/dev/null
stop_app
export BUDGET_IDS=$OUT/ids.txt
psql "host=127.0.0.1 port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$cs") user=postgres dbname=$(sed 's/.*Database=\([^;]*\).*/\1/' <<<"$cs")" -Atc "select id from catalog.mt_doc_product order by random() limit 5000" >"$BUDGET_IDS"
echo "variant,endpoint,round,req_per_s,p50,cpu_us_per_req,errors" >"$OUT/runs.csv"

for round in $(seq "$ROUNDS"); do
  for variant in $VARIANTS; do
    start_app "$variant"
    BUDGET_RUN="w$round$variant" wrk -t1 -c"$CONNS" -d"${WARMUP}s" -s bench/budget/get.lua "http://127.0.0.1:$port" >/dev/null
    measure "$variant" get "$round"
    BUDGET_RUN="r$round${variant//-/}" measure "$variant" post "$round"
    stop_app
    echo "round $round: $variant done" >&2
  done
done

python3 - "$OUT/runs.csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def med(v, ep, key):
    xs = [float(r[key]) for r in rows if r["variant"] == v and r["endpoint"] == ep]
    return statistics.median(xs) if xs else float("nan")
variants = list(dict.fromkeys(r["variant"] for r in rows))
base = {ep: med("all-on", ep, "cpu_us_per_req") for ep in ("get", "post")}
print("| variant (changed against all-on) | GET req/s | GET p50 | GET CPU µs/req | Δ vs all-on | POST req/s | POST p50 | POST CPU µs/req | Δ vs all-on | errors |")
print("|---|---|---|---|---|---|---|---|---|---|")
for v in variants:
    cells = []
    for ep in ("get", "post"):
        p50s = [r["p50"] for r in rows if r["variant"] == v and r["endpoint"] == ep]
        cpu = med(v, ep, "cpu_us_per_req")
        cells += [f"{med(v, ep, 'req_per_s'):,.0f}", sorted(p50s)[len(p50s) // 2], f"{cpu:.0f}", "" if v == "all-on" else f"{cpu - base[ep]:+.0f}"]
    errs = sum(int(r["errors"]) for r in rows if r["variant"] == v)
    print(f"| {v} | " + " | ".join(cells) + f" | {errs} |")
PY
echo "runs: $OUT/runs.csv" >&2
