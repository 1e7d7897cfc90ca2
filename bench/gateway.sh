#!/usr/bin/env bash
# What the API gateway adds to a call, one run, same machine, same build: Catalog extracted into its own
# process ("catalog"), the gateway in "core" (Ordering + Payments) forwarding /api/catalog/... to it. The same
# requests go straight to catalog (the baseline) and through core, interleaved; then each under load.
# Release build, pre-generated code, local PostgreSQL (messages over PostgreSQL queues: no broker needed).
# Usage: bench/gateway.sh [calls=2000] [concurrency=16]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-2000}; concurrency=${2:-16}
out=$(mktemp -d); pgdir=$(mktemp -d /tmp/modular-bench-pg.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
            eng/postgres.sh remove "$pgdir" >/dev/null 2>&1; rm -rf "$out"; }
trap cleanup EXIT

eng/publish.sh "$out/app" >/dev/null
# Every API call needs a token: the embedded issuer with a key for this run, the token from the host's own command.
export Modular__Authentication__SigningKey=${Modular__Authentication__SigningKey:-$(head -c 32 /dev/urandom | base64)}
export Modular__RateLimits__PermitsPerSecond=0 # one token sends the whole load: measure the product, not its limit
export MODULAR_TOKEN=$(dotnet "$out/app/Modular.Host.dll" token)
dotnet build bench/Modular.Bench -c Release -o "$out/bench" -nologo -v q >/dev/null
server=$(eng/postgres.sh start "$pgdir" 2>/dev/null)

map=(--Modular:Topology:Transport=PostgreSQL --Modular:Topology:Gateway=core
     --Modular:Topology:Deployments:core:Modules=Ordering,Payments --Modular:Topology:Deployments:catalog:Modules=Catalog
     --Services:catalog:http:0=http://127.0.0.1:18302)
start_host() { # deployment port
  ConnectionStrings__Postgres="$server" Modular__CodeGeneration=Static Logging__LogLevel__Default=Warning \
    dotnet "$out/app/Modular.Host.dll" --urls "http://127.0.0.1:$2" "${map[@]}" --Modular:Deployment="$1" >"$out/$1.log" 2>&1 &
  pids+=($!)
}
start_host core 18301
start_host catalog 18302
for port in 18301 18302; do until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.1; done; done

echo "machine: $(nproc) cores; calls: $calls, concurrency: $concurrency"
dotnet "$out/bench/Modular.Bench.dll" gateway http://127.0.0.1:18302/ http://127.0.0.1:18301/ "$calls" "$concurrency"
