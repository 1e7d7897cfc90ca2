#!/usr/bin/env bash
# make run: the whole monolith in one process.
#   ConnectionStrings__Postgres set  -> use that server
#   otherwise                        -> a local cluster in .local/postgres (created once, kept between runs)
#   MODULAR_URL (default http://127.0.0.1:5000) -> where the API listens
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z ${ConnectionStrings__Postgres:-} ]]; then
  ConnectionStrings__Postgres=$(eng/postgres.sh start .local/postgres)
  export ConnectionStrings__Postgres
  echo "Using the local PostgreSQL in .local/postgres (stop: make db-stop, delete: make db-remove)."
fi

url=${MODULAR_URL:-http://127.0.0.1:5000}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
dotnet build src/Host -nologo -v q -warnaserror
echo
echo "  API:        $url/api/<module>/..."
echo "  Swagger UI: $url/swagger"
echo "  Health:     $url/health/ready"
echo
exec dotnet run --no-build --project src/Host -- --urls "$url"
