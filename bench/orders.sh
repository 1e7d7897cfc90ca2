#!/usr/bin/env bash
# Order throughput and POST→Confirmed latency of the monolith (Release build, local PostgreSQL with
# fsync on), with the simplest write (add product) measured in the same run as the baseline.
# Usage: bench/orders.sh [orders=1000] [concurrency=32]
#   CONNECTION_SETTINGS=";Max Auto Prepare=0" bench/orders.sh   appends Npgsql settings (a same-session baseline)
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
cs=$(eng/postgres.sh start "$pgdir" 2>/dev/null)

ConnectionStrings__Postgres="$cs${CONNECTION_SETTINGS:-}" Modular__CodeGeneration=Static Logging__LogLevel__Default=Warning \
  dotnet "$out/app/Modular.Host.dll" --urls "http://127.0.0.1:$port" >"$out/host.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.1; done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); orders: $orders, concurrency: $concurrency"
dotnet "$out/bench/Modular.Bench.dll" "http://127.0.0.1:$port" "$orders" "$concurrency"
