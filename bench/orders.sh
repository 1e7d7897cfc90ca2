#!/usr/bin/env bash
# Order throughput and POST→Confirmed latency of the monolith (Release build, local PostgreSQL with
# fsync on), with the simplest write (add product) measured in the same run as the baseline.
# Usage: bench/orders.sh [orders=1000] [concurrency=32]
#   CONNECTION_SETTINGS=";Max Auto Prepare=0" bench/orders.sh   appends Npgsql settings (a same-session baseline)
#   APP_ENV="DOTNET_TieredPGO=0" bench/orders.sh   runs the app (only) with these environment settings
#   READY_TO_RUN=true bench/orders.sh   the app compiled ahead of time, as the image ships it
#   STATEMENTS=true bench/orders.sh   also counts, from PostgreSQL's pg_stat_statements, the transactions and statements
#     per order over the loaded phase (from the first POST to the last confirmation; the bench's status polls and the
#     background agents included, and listed)
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-1000}; concurrency=${2:-32}
out=$(mktemp -d); pgdir=$(mktemp -d /tmp/modular-bench-pg.XXXXXX); port=18124
cleanup() { [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null; eng/postgres.sh remove "$pgdir" >/dev/null 2>&1; rm -rf "$out"; }
trap cleanup EXIT

eng/publish.sh "$out/app" >/dev/null
# Every API call needs a token: the embedded issuer with a key for this run, the token from the host's own command.
export Modular__Authentication__SigningKey=${Modular__Authentication__SigningKey:-$(head -c 32 /dev/urandom | base64)}
export Modular__RateLimits__PermitsPerSecond=0 # one token sends the whole load: measure the product, not its limit
export MODULAR_TOKEN=$(dotnet "$out/app/Modular.Host.dll" token)
dotnet build bench/Modular.Bench -c Release -o "$out/bench" -nologo -v q >/dev/null
[[ ${STATEMENTS:-} == true ]] && export MODULAR_POSTGRES_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top -c pg_stat_statements.max=5000"
cs=$(eng/postgres.sh start "$pgdir" 2>/dev/null)
if [[ ${STATEMENTS:-} == true ]]; then
  export PSQL_URL="host=127.0.0.1 port=$(cat "$pgdir/port") user=postgres dbname=postgres" STATS_OUT=$out
  psql -X -q "$PSQL_URL" -c "create extension pg_stat_statements"
  # CPU ticks (1/100 s) of a set of processes, from /proc: the app's, and every PostgreSQL process's.
  ticks() { cat "${@/%//stat}" 2>/dev/null | awk '{ t += $14 + $15 } END { print t + 0 }'; }
  statements_hook() {
    local pg; pg=$(pgrep -d ' ' -u postgres | sed 's|[0-9]*|/proc/&|g')
    echo "$1 $(ticks "/proc/$APP_PID") $(ticks $pg) $(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)" >>"$STATS_OUT/cpu"
    case $1 in
      start) psql -X -q "$PSQL_URL" -c 'select pg_stat_statements_reset()' >/dev/null ;;
      end) psql -X -At -F $'\t' "$PSQL_URL" -c "select calls, left(regexp_replace(query, '\s+', ' ', 'g'), 150)
             from pg_stat_statements order by calls desc" >"$STATS_OUT/statements.tsv" ;;
    esac
  }
  export -f ticks statements_hook
  export BENCH_HOOK='statements_hook "$1"'
fi

env ${APP_ENV:-} ConnectionStrings__Postgres="$cs${CONNECTION_SETTINGS:-}" Modular__CodeGeneration=Static Logging__LogLevel__Default=Warning \
  dotnet "$out/app/Modular.Host.dll" --urls "http://127.0.0.1:$port" >"$out/host.log" 2>&1 &
pid=$!; export APP_PID=$pid
until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.1; done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); orders: $orders, concurrency: $concurrency"
dotnet "$out/bench/Modular.Bench.dll" "http://127.0.0.1:$port" "$orders" "$concurrency"

if [[ ${STATEMENTS:-} == true ]]; then
  # Statements per order over the loaded phase: COMMIT counts the transactions that wrote (reads run outside one).
  awk -F'\t' -v n="$orders" '
    toupper($2) ~ /^COMMIT/ { commits += $1 }
    toupper($2) !~ /^(BEGIN|COMMIT)/ { statements += $1 }
    NR <= 25 { top = top sprintf("  %7.2f  %s\n", $1 / n, $2) }
    END {
      printf "per order (loaded phase, %d orders): %.2f transactions (COMMIT), %.2f statements besides BEGIN/COMMIT\n", n, commits / n, statements / n
      printf "the most frequent, per order:\n%s", top
    }' "$out/statements.tsv"
  # CPU over the same phase, per order: the app, PostgreSQL (all its processes), and the machine (load generator included).
  awk -v n="$orders" -v cores="$(nproc)" '{ app[NR] = $2; pg[NR] = $3; all[NR] = $4 }
    END { printf "CPU per order: app %.2f ms, PostgreSQL %.2f ms, machine %.2f ms (%d cores: %.0f orders/s if CPU were the only limit)\n",
      (app[2] - app[1]) * 10 / n, (pg[2] - pg[1]) * 10 / n, (all[2] - all[1]) * 10 / n, cores, cores * 1000 / ((all[2] - all[1]) * 10 / n) }' "$out/cpu"
fi
