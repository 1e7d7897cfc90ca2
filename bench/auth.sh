#!/usr/bin/env bash
# What the security of ADR 0013 costs, side by side in one run: bench/orders.sh's measurements (Release, pre-generated code,
# local PostgreSQL with fsync on, one server per variant) for
#   baseline  the last build without authentication (BASELINE, default: the parent of the commit that added it)
#   tokens    this checkout: every request's JWT validated, permissions checked, the caller relayed with every message,
#             rate limiter off (one token sends the whole load)
#   roles     the same, each module's store logged in as its own PostgreSQL role (what make run does)
# Usage: bench/auth.sh [orders=1000] [concurrency=32]
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-1000}; concurrency=${2:-32}; baseline=${BASELINE:-92b2fdc^}
out=$(mktemp -d); pgroot=$(mktemp -d /tmp/modular-bench-pg.XXXXXX); port=18126
chmod 755 "$pgroot" # as root, the server runs as the postgres user: it must reach its folder
cleanup() {
  [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null
  for d in "$pgroot"/*; do [[ -d $d ]] && eng/postgres.sh remove "$d" >/dev/null 2>&1; done
  rm -rf "$pgroot"
  git worktree remove --force "$out/baseline-src" >/dev/null 2>&1 || true
  rm -rf "$out"
}
trap cleanup EXIT

git worktree add --detach "$out/baseline-src" "$baseline" >/dev/null 2>&1
(cd "$out/baseline-src" && eng/publish.sh "$out/baseline" >/dev/null)
eng/publish.sh "$out/current" >/dev/null
dotnet build bench/Modular.Bench -c Release -o "$out/bench" -nologo -v q >/dev/null
export Modular__Authentication__SigningKey=${Modular__Authentication__SigningKey:-$(head -c 32 /dev/urandom | base64)}
export Modular__RateLimits__PermitsPerSecond=0
export MODULAR_TOKEN=$(dotnet "$out/current/Modular.Host.dll" token)

measure() { # name app [extra environment...]
  local name=$1 app=$2; shift 2
  local cs; cs=$(eng/postgres.sh start "$pgroot/$name" 2>/dev/null)
  if [[ $name == roles ]]; then
    env "$@" ConnectionStrings__Postgres="$cs" dotnet "$app/Modular.Host.dll" database-roles >/dev/null
  fi
  env "$@" ConnectionStrings__Postgres="$cs" Modular__CodeGeneration=Static Logging__LogLevel__Default=Warning \
    dotnet "$app/Modular.Host.dll" --urls "http://127.0.0.1:$port" >"$out/$name.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do sleep 0.1; done
  echo "== $name"
  dotnet "$out/bench/Modular.Bench.dll" "http://127.0.0.1:$port" "$orders" "$concurrency"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  eng/postgres.sh remove "$pgroot/$name" >/dev/null 2>&1
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); orders: $orders, concurrency: $concurrency; baseline: $(git rev-parse --short "$baseline")"
measure baseline "$out/baseline"
measure tokens "$out/current"
measure roles "$out/current" Modular__Database__RoleSecret="$(head -c 32 /dev/urandom | base64)"
