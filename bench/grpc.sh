#!/usr/bin/env bash
# gRPC against REST on the same monolith, in one run (Release with pre-generated code, local PostgreSQL, fsync on):
#   get a product by id  — REST: GET /api/catalog/products/{id} (wrk, HTTP/1.1)
#                          gRPC: modular.catalog.v1.Products/GetProduct (h2load, HTTP/2, one stream per connection)
#   at 8 and 64 concurrent requests, 10 s per cell after a warm-up; req/s and mean latency, each call checked once.
#   place and get orders — REST against gRPC from one .NET client (Modular.Bench grpc): ORDERS per round, 32 in
#                          flight, two rounds alternating; accepted/s and call latency.
# Usage: bench/grpc.sh [repeats] (default 2); ORDERS=1000. Installs wrk and h2load (Debian's nghttp2-client) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-2}
for tool in wrk h2load; do
  command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "$([[ $tool == h2load ]] && echo nghttp2-client || echo wrk)" >/dev/null
done
out=$(mktemp -d)
pgdir=$(mktemp -d /tmp/modular-bench-pg.XXXXXX)
pid=; trap '[[ -n $pid ]] && kill $pid 2>/dev/null; eng/postgres.sh remove "$pgdir" >/dev/null 2>&1; rm -rf "$out"' EXIT

eng/publish.sh "$out/app" >/dev/null
dotnet build bench/Modular.Bench -c Release -o "$out/bench" -nologo -v q >/dev/null
export Modular__Authentication__SigningKey=$(head -c 32 /dev/urandom | base64)
export Modular__RateLimits__PermitsPerSecond=0 # one token sends the whole load: measure the product, not its limit
token=$(dotnet "$out/app/Modular.Host.dll" token)
cs=$(eng/postgres.sh start "$pgdir" 2>/dev/null)
http=18124 grpc=18125
Modular__CodeGeneration=Static Logging__LogLevel__Default=Warning ConnectionStrings__Postgres="$cs" Modular__GrpcUrl="http://127.0.0.1:$grpc" \
  dotnet "$out/app/Modular.Host.dll" --urls "http://127.0.0.1:$http" >"$out/host.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$http/health/ready"; do sleep 0.2; done

id=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "http://127.0.0.1:$http/api/catalog/products" \
  -d '{"sku":"BENCH-1","name":"Bench","price":{"amount":12.5,"currency":"EUR"}}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
# A gRPC request body: the 5-byte frame header (not compressed, length) and GetProductRequest { id = 1: string }.
python3 - "$id" "$out/get.bin" <<'PY'
import struct, sys
message = b"\x0a" + bytes([len(sys.argv[1])]) + sys.argv[1].encode()
open(sys.argv[2], "wb").write(b"\x00" + struct.pack(">I", len(message)) + message)
PY
grpc_url="http://127.0.0.1:$grpc/modular.catalog.v1.Products/GetProduct"
grpc_headers=(-H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $token")
# Each path answers the product before it is measured (gRPC: status 0 in the trailers).
curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$http/api/catalog/products/$id"
curl -s --http2-prior-knowledge "${grpc_headers[@]}" --data-binary @"$out/get.bin" -o /dev/null -v "$grpc_url" 2>&1 | grep -q 'grpc-status: 0' \
  || { echo "gRPC GetProduct did not answer OK" >&2; exit 1; }

rest() { wrk -t2 -c"$1" -d"$2" -H "Authorization: Bearer $token" "http://127.0.0.1:$http/api/catalog/products/$id"; }
grpc_load() { h2load -c"$1" -m1 -t2 -D"$2" "${grpc_headers[@]}" -d "$out/get.bin" "$grpc_url"; }
rest 64 10s >/dev/null; grpc_load 64 10 >/dev/null # warm-up

echo "path conns run req_s mean_ms"
for run in $(seq 1 "$repeats"); do
  for conns in 8 64; do
    rest "$conns" 10s >"$out/rest.txt"
    echo "REST $conns $run $(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out/rest.txt") $(awk '/Latency/ {print $2; exit}' "$out/rest.txt")"
    grpc_load "$conns" 10 >"$out/grpc.txt"
    grep -q ' 0 failed, 0 errored' "$out/grpc.txt" || { cat "$out/grpc.txt" >&2; exit 1; }
    echo "gRPC $conns $run $(awk '/^finished in/ {printf "%.0f", $4}' "$out/grpc.txt") $(awk '/^time for request/ {print $6; exit}' "$out/grpc.txt")"
  done
done

echo
MODULAR_TOKEN=$token dotnet "$out/bench/Modular.Bench.dll" grpc "http://127.0.0.1:$http" "http://127.0.0.1:$grpc" "${ORDERS:-1000}" 32
