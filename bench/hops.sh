#!/usr/bin/env bash
# The cost of a network hop: the order flow in three topologies, one run, same machine, same build:
#   monolith            every module in one process, in-process durable queues (the baseline)
#   rabbitmq            every module in its own process, cross-module messages over RabbitMQ
#   postgresql-queues   Ordering extracted, messages over Wolverine's PostgreSQL queues
# For each: accepted/confirmed orders/s with 32 in flight, POST→Confirmed and per-event-hop latency
# (p50/p99), loaded and one order at a time. Release build, local PostgreSQL (fsync on) and RabbitMQ.
# Usage: bench/hops.sh [orders=500] [concurrency=32]
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-500}; concurrency=${2:-32}
out=$(mktemp -d); pgdir=$(mktemp -d /tmp/modular-bench-pg.XXXXXX); rabbitdir=$(mktemp -d /tmp/modular-bench-rabbitmq.XXXXXX)
pids=()
stop_hosts() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
cleanup() { stop_hosts; eng/rabbitmq.sh stop "$rabbitdir" >/dev/null 2>&1; eng/postgres.sh remove "$pgdir" >/dev/null 2>&1; rm -rf "$out"; }
trap cleanup EXIT

eng/publish.sh "$out/app" >/dev/null
# Every API call needs a token: the embedded issuer with a key for this run, the token from the host's own command.
export Modular__Authentication__SigningKey=${Modular__Authentication__SigningKey:-$(head -c 32 /dev/urandom | base64)}
export Modular__RateLimits__PermitsPerSecond=0 # one token sends the whole load: measure the product, not its limit
export MODULAR_TOKEN=$(dotnet "$out/app/Modular.Host.dll" token)
dotnet build bench/Modular.Bench -c Release -o "$out/bench" -nologo -v q >/dev/null
server=$(eng/postgres.sh start "$pgdir" 2>/dev/null)
rabbit=$(eng/rabbitmq.sh start "$rabbitdir" 2>/dev/null)

start_host() { # name port database settings...
  local name=$1 port=$2 db=$3; shift 3
  ConnectionStrings__Postgres="${server/Database=postgres/Database=$db}" ConnectionStrings__RabbitMQ="$rabbit" \
    Modular__CodeGeneration=Static Logging__LogLevel__Default=Warning dotnet "$out/app/Modular.Host.dll" --urls "http://127.0.0.1:$port" "$@" >"$out/$name.log" 2>&1 &
  pids+=($!)
}
wait_ready() { for port in "$@"; do until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.1; done; done; }
map() { # transport deployment=Module,Module ...
  local transport=$1; shift
  echo "--Modular:Topology:Transport=$transport"
  for d in "$@"; do
    local name=${d%%=*} i=0
    IFS=, read -ra mods <<<"${d#*=}"
    for m in "${mods[@]}"; do echo "--Modular:Topology:Deployments:$name:Modules:$i=$m"; i=$((i + 1)); done
  done
}
bench() { # catalog-url ordering-url payments-url
  dotnet "$out/bench/Modular.Bench.dll" "$1" "$orders" "$concurrency" "$2" "$3" 2>&1 | grep -v "^baseline" | sed 's/^/  /'
}
fresh_db() { psql "host=127.0.0.1 port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$server") user=postgres" -qc "create database $1" >/dev/null; }

echo "machine: $(nproc) cores; orders: $orders, concurrency: $concurrency"

u() { echo "http://127.0.0.1:$1/"; }

echo "== monolith (baseline): one process, durable local queues"
fresh_db bench_monolith
start_host monolith 18201 bench_monolith; wait_ready 18201
bench "$(u 18201)" "$(u 18201)" "$(u 18201)"
stop_hosts

echo "== rabbitmq: catalog | ordering | payments, each in its own process"
fresh_db bench_rabbitmq
mapfile -t settings < <(map RabbitMQ catalog=Catalog ordering=Ordering payments=Payments)
start_host catalog 18211 bench_rabbitmq "${settings[@]}" --Modular:Deployment=catalog
start_host ordering 18212 bench_rabbitmq "${settings[@]}" --Modular:Deployment=ordering
start_host payments 18213 bench_rabbitmq "${settings[@]}" --Modular:Deployment=payments
wait_ready 18211 18212 18213
bench "$(u 18211)" "$(u 18212)" "$(u 18213)"
stop_hosts

echo "== postgresql-queues: catalog+payments | ordering"
fresh_db bench_pgqueues
mapfile -t settings < <(map PostgreSQL core=Catalog,Payments ordering=Ordering)
start_host core 18221 bench_pgqueues "${settings[@]}" --Modular:Deployment=core
start_host ordering 18222 bench_pgqueues "${settings[@]}" --Modular:Deployment=ordering
wait_ready 18221 18222
bench "$(u 18221)" "$(u 18222)" "$(u 18221)"
stop_hosts
