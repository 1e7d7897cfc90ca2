#!/usr/bin/env bash
# make test: every test of the repository against real servers.
#  1. build the solution, warnings as errors;
#  2. start a throwaway PostgreSQL and RabbitMQ, build the container image the end-to-end tests run
#     (the fault tests start, crash and restart servers of their own, and need root for network namespaces);
#  3. run each test project, collecting TRX results;
#  4. stop everything and print one line: "N passed, N failed, N skipped".
# Exits non-zero when a test failed, a test project left no results, or no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
results=$root/.local/test-results
rm -rf "$results"; mkdir -p "$results"

pgdir=$(mktemp -d /tmp/modular-test-pg.XXXXXX)
rabbitdir=$(mktemp -d /tmp/modular-test-rabbitmq.XXXXXX)
cleanup() {
  eng/postgres.sh remove "$pgdir" >/dev/null 2>&1 || true
  eng/rabbitmq.sh stop "$rabbitdir" >/dev/null 2>&1 || true
  [[ -x eng/container.sh ]] && eng/container.sh cleanup >/dev/null 2>&1 || true
}
trap cleanup EXIT

start=$(date +%s)
echo "== build"
dotnet build Modular.sln -nologo -v q -warnaserror || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

echo "== servers"
# The network fault tests put a deployment in a network namespace of its own (iproute2, as root); the browser tests
# drive Debian's Chromium (Playwright's own browser download is not used); the observability tests scrape the
# deployments with a real Prometheus server (promtool checks the shipped alert rules); the move tests put HAProxy in front of the gateways.
missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
[[ -x ${MODULAR_CHROMIUM:-/usr/bin/chromium} ]] || missing+=(chromium)
[[ -x ${MODULAR_PROMETHEUS:-/usr/bin/prometheus} && -x $(dirname "${MODULAR_PROMETHEUS:-/usr/bin/prometheus}")/promtool ]] || missing+=(prometheus)
[[ -x ${MODULAR_HAPROXY:-/usr/sbin/haproxy} ]] || missing+=(haproxy)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if (( ${#missing[@]} )) && [[ $(id -u) -eq 0 ]]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The workflow test validates .github/workflows offline with action-validator, installed once from npm.
validator=.local/tools/action-validator/node_modules/.bin/action-validator
if [[ ! -x $validator ]]; then
  npm install --silent --no-audit --no-fund --prefix .local/tools/action-validator \
    @action-validator/cli@0.6.0 @action-validator/core@0.6.0 >/dev/null 2>&1 \
    || echo "action-validator could not be installed from npm; the workflow test will fail" >&2
fi
export MODULAR_ACTION_VALIDATOR=$root/$validator
# Passwords are checked (scram-sha-256), as in production: a role given the wrong one is refused.
MODULAR_TEST_POSTGRES=$(eng/postgres.sh start "$pgdir" --fast --scram) || { echo "0 passed, 1 failed"; exit 1; }
export MODULAR_TEST_POSTGRES
MODULAR_TEST_RABBITMQ=$(eng/rabbitmq.sh start "$rabbitdir") || { echo "0 passed, 1 failed"; exit 1; }
export MODULAR_TEST_RABBITMQ

if [[ -x eng/container.sh ]]; then
  echo "== container image"
  eval "$(eng/container.sh env)"
  if image=$(eng/container.sh build); then
    export MODULAR_TEST_IMAGE=$image
  else
    echo "container image build failed; the container tests will fail" >&2
  fi
fi

crashed=0
for project in tests/Modular.Tests.*/*.csproj; do
  name=$(basename "$project" .csproj)
  grep -q 'Microsoft.NET.Test.Sdk' "$project" || continue
  echo "== $name"
  dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results"
  # A project that left no results counts as a failure, whatever dotnet test's exit code said.
  [[ -f $results/$name.trx ]] || { echo "$name left no results" >&2; crashed=$((crashed + 1)); }
done

passed=0; failed=$crashed; total=0
for trx in "$results"/*.trx; do
  [[ -f $trx ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
done
skipped=$((total - passed - failed + crashed))
(( skipped < 0 )) && skipped=0

echo "== done in $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed, $skipped skipped"
if (( failed > 0 || passed == 0 )); then exit 1; fi
