#!/usr/bin/env bash
# make run: the whole monolith in one process.
#   ConnectionStrings__Postgres set  -> use that server
#   otherwise                        -> a local cluster in .local/postgres (created once, kept between runs)
#   MODULAR_URL (default http://127.0.0.1:5000) -> where the API listens (refused with one line when taken); loopback
#                                    only, since Development's key and secrets sit in .local: MODULAR_ALLOW_REMOTE=1 to open it
set -euo pipefail
cd "$(dirname "$0")/.."

url=${MODULAR_URL:-http://127.0.0.1:5000}
hostport=${url#*://}; hostport=${hostport%%/*}
host=${hostport%:*}; port=${hostport##*:}
if [[ ! $host =~ ^(127\.[0-9.]+|localhost|\[::1\])$ && ${MODULAR_ALLOW_REMOTE:-} != 1 ]]; then
  echo "make run: $host is not a loopback address; make run is for this machine (its key is in .local). Mean it? MODULAR_ALLOW_REMOTE=1 make run" >&2
  exit 1
fi
if [[ -z ${ConnectionStrings__Postgres:-} ]]; then
  ConnectionStrings__Postgres=$(eng/postgres.sh start .local/postgres)
  export ConnectionStrings__Postgres
  echo "Using the local PostgreSQL in .local/postgres (stop: make db-stop, delete: make db-remove)."
fi

if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  echo "make run: $host:$port is taken (another make run?); choose another address: MODULAR_URL=http://127.0.0.1:5001 make run" >&2
  exit 1
fi
# gRPC needs a listener of its own (HTTP/2 without TLS): the HTTP port + 1000 unless MODULAR_GRPC_URL says otherwise.
export Modular__GrpcUrl=${MODULAR_GRPC_URL:-http://$host:$((port + 1000))}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
# What the image shows: Prometheus metrics per module (docs/observability.md).
export Modular__Metrics__Enabled=${Modular__Metrics__Enabled:-true}
# The embedded issuer's key: created on first use, shared with make token.
export Modular__Authentication__SigningKeyFile=${Modular__Authentication__SigningKeyFile:-$PWD/.local/dev-signing-key}
# Each module's store logs in as its own PostgreSQL role; their passwords derive from this secret (made once).
[[ -f .local/dev-role-secret ]] || { mkdir -p .local; (umask 077; head -c 32 /dev/urandom | base64 > .local/dev-role-secret); }
export Modular__Database__RoleSecret=${Modular__Database__RoleSecret:-$(cat .local/dev-role-secret)}
echo "Building (the first build restores packages and takes a minute or two)..."
dotnet build src/Host -nologo -v minimal -clp:NoSummary -warnaserror
dotnet src/Host/bin/Debug/net10.0/Modular.Host.dll database-roles
echo
echo "  API:        $url/api/<module>/..."
echo "  Swagger UI: $url/swagger"
echo "  Health:     $url/health/ready"
echo "  Operations: $url/ops   (module map, backlog, dead letters)"
echo "  Metrics:    $url/metrics   (Prometheus; docs/observability.md)"
echo "  gRPC:       $Modular__GrpcUrl   (src/Modules/*/*/Protos/*.proto)"
echo "  Token:      make token   (paste it into Swagger UI's Authorize, or send Authorization: Bearer <token>)"
echo
exec dotnet run --no-build --project src/Host -- --urls "$url"
