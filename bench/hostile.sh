#!/usr/bin/env bash
# Hostile probes from outside, on this checkout and, with BASELINE=<rev>, on an earlier commit, in one run: each
# build as `make run` serves it (Development, default rate limits and body limit, a gRPC listener, one customer-less
# token with every role, local PostgreSQL), then Modular.Bench hostile (bench/Modular.Bench/HostileProbe.cs):
#   400 REST reads in a burst, 1,500 gRPC reads at 240/s, four 20 MB orders of invalid lines, the process's RSS.
# Usage: BASELINE=00d56af bench/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
pid= pgdir= base_src=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null
  [[ -n $pgdir ]] && eng/postgres.sh remove "$pgdir" >/dev/null 2>&1
  [[ -n $base_src ]] && git worktree remove --force "$base_src" >/dev/null 2>&1
  rm -rf "$out"
}
trap cleanup EXIT

dotnet build bench/Modular.Bench -c Release -o "$out/bench" -nologo -v q >/dev/null
builds=("HEAD:$PWD")
if [[ -n ${BASELINE:-} ]]; then
  base_src=$out/base-src
  git worktree add --detach "$base_src" "$BASELINE" >/dev/null 2>&1
  builds=("$BASELINE:$base_src" "${builds[@]}")
fi

export ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning
export Modular__Authentication__SigningKey=$(head -c 32 /dev/urandom | base64)
export Modular__Database__RoleSecret=$(head -c 32 /dev/urandom | base64)
http=18134 grpc=18135
for build in "${builds[@]}"; do
  name=${build%%:*} src=${build#*:}
  (cd "$src" && dotnet build src/Host -c Release -nologo -v q -o "$out/host-$name" >/dev/null)
  pgdir=$(mktemp -d /tmp/modular-bench-pg.XXXXXX)
  cs=$(eng/postgres.sh start "$pgdir" 2>/dev/null)
  host=$out/host-$name/Modular.Host.dll
  ConnectionStrings__Postgres=$cs dotnet "$host" database-roles >/dev/null
  token=$(dotnet "$host" token --minutes 60)
  ConnectionStrings__Postgres=$cs Modular__GrpcUrl="http://127.0.0.1:$grpc" dotnet "$host" --urls "http://127.0.0.1:$http" >"$out/host.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$http/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$out/host.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "== $name ($(cd "$src" && git rev-parse --short HEAD))"
  MODULAR_TOKEN=$token dotnet "$out/bench/Modular.Bench.dll" hostile "http://127.0.0.1:$http" "http://127.0.0.1:$grpc" "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  eng/postgres.sh remove "$pgdir" >/dev/null 2>&1; pgdir=
done
