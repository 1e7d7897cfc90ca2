#!/usr/bin/env bash
# What each fault does to the order flow, measured from outside by the fault suite (tests/…/EndToEnd/Faults):
# per fault × topology, orders placed through the gateway by a client that resends 502/503/504 and connection
# errors with the same idempotency key; accepted / finished (Confirmed, captured once) / stuck / duplicated /
# HTTP 500s seen / requests resent / seconds from the fault until every accepted order finished.
# The hosts are Release builds with pre-generated code, as the image ships; servers are the suite's own
# (PostgreSQL with fsync on, RabbitMQ persisting to disk). Network faults need root (network namespaces).
#
# Usage: bench/faults.sh [baseline-commit]
#   With a commit, the same suite runs first against the host built from that commit (the "before"), then
#   against this checkout's: the before/after of docs/reliability.md, measured in one run.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
baseline=${1:-}
out=$(mktemp -d /tmp/modular-bench-faults.XXXXXX)
cleanup() { [[ -d $out/baseline-src ]] && git worktree remove --force "$out/baseline-src" >/dev/null 2>&1; rm -rf "$out"; }
trap cleanup EXIT

dotnet build tests/Modular.Tests.EndToEnd -nologo -v q >/dev/null || { echo "test build failed"; exit 1; }
eng/publish.sh "$out/current" >/dev/null || { echo "publish failed"; exit 1; }
builds=(current)
if [[ -n $baseline ]]; then
  git worktree add --detach "$out/baseline-src" "$baseline" >/dev/null 2>&1 || { echo "no such commit: $baseline"; exit 1; }
  "$out/baseline-src/eng/publish.sh" "$out/baseline" "$out/baseline-src" >/dev/null || { echo "baseline publish failed"; exit 1; }
  builds=(baseline current)
fi

for build in "${builds[@]}"; do
  echo "== $build: fault suite" >&2
  MODULAR_TEST_HOST="$out/$build/Modular.Host.dll" MODULAR_FAULT_REPORT="$out/$build.report" Modular__CodeGeneration=Static \
    dotnet test tests/Modular.Tests.EndToEnd --no-build -nologo --filter "FullyQualifiedName~.Faults." \
    --results-directory "$out/$build-results" --logger "trx" >"$out/$build.log" 2>&1
  grep -E "^\s+(Passed|Failed) " "$out/$build.log" | sed 's/^ */  /' >&2
done

echo "machine: $(nproc) cores, $(date -u +%F)"
printf '%-9s %-32s %-38s %6s %8s %8s %5s %10s %5s %6s %12s\n' build fault topology orders accepted finished stuck duplicated 500s resent recovered_s
for build in "${builds[@]}"; do
  [[ -f $out/$build.report ]] || { echo "$build: no report (see the suite's output above)"; continue; }
  while read -r line; do
    declare -A f=()
    for pair in $line; do f[${pair%%=*}]=${pair#*=}; done
    printf '%-9s %-32s %-38s %6s %8s %8s %5s %10s %5s %6s %12s\n' "$build" "${f[fault]}" "${f[topology]}" "${f[orders]}" \
      "${f[accepted]}" "${f[finished]}" "${f[stuck]}" "${f[duplicated]}" "${f[http500]}" "${f[resent]}" "${f[recovered_in_s]}"
  done <"$out/$build.report"
done
