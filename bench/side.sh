#!/usr/bin/env bash
# The side-by-side run: the floor (raw ASP.NET Core + Npgsql), a plain Critter Stack app (Wolverine.Http +
# Marten), this checkout and, with BASELINE=<rev>, an earlier commit of the project — GET product by id and POST add
# product at 8 and 64 connections, in ONE run of the machines' shared harness (HARNESS, default ../shared/bench: a
# tool these machines provide, run here, not part of the project). This script adds what the project needs on top:
#   - a copy of the harness with two apps more: raw-prepared (raw with the project's Npgsql default, Max Auto
#     Prepare=64, ADR 0014: the floor gets the same settings) and project-base (BASELINE's build, port 5084);
#   - a signing key and a token from the project's own `token` command (every request is authenticated), rate
#     limits off (one token sends the whole load).
# Usage: BASELINE=696f781 REPEATS=2 bench/side.sh      (any run-side.sh knob applies: REPEATS, DURATION, CONNS, SEED...)
# Output: the harness's summary.md (its path is printed last). Takes ~10 min per repeat with four apps.
set -euo pipefail
cd "$(dirname "$0")/.."
harness=${HARNESS:-../shared/bench}
[[ -x $harness/run-side.sh ]] || { echo "no harness at $harness (set HARNESS)" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update >/dev/null; apt-get install -y wrk >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp -r "$harness/." "$work/harness"
sed -i -e 's/project\*) echo 5082 ;;/project-base) echo 5084 ;; project*) echo 5082 ;;/' \
  -e 's|(cd "$SIDE/build/modular" \&\& exec env|(cd "$SIDE/build/$([[ $app == project-base ]] \&\& echo modular-base \|\| echo modular)" \&\& exec env|' \
  -e 's/  project-noreset) echo/  raw-prepared) echo ";Max Auto Prepare=64" ;; project-noreset) echo/' "$work/harness/side/apps.sh"
if [[ -n ${BASELINE:-} ]]; then
  base_src=$work/base-src
  git worktree add --detach "$base_src" "$BASELINE" >/dev/null 2>&1
  trap 'git worktree remove --force "$base_src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  # built into the harness's build folder after its own build phase, seeded from the same template as the project
  (cd "$base_src" && eng/publish.sh "${BENCH_DIR:-/tmp/bench-baseline}/side/build/modular-base" >/dev/null)
fi
grep -q 'project-base) echo 5084' "$work/harness/side/apps.sh" && grep -q 'raw-prepared)' "$work/harness/side/apps.sh" \
  || { echo "the harness changed shape: adapt bench/side.sh" >&2; exit 2; }

eng/publish.sh "$work/app" >/dev/null
key=$(head -c 32 /dev/urandom | base64)
token=$(Modular__Authentication__SigningKey=$key dotnet "$work/app/Modular.Host.dll" token --minutes 600)
apps=${APPS:-"raw-prepared critter project${BASELINE:+ project-base}"}
export BENCH_TOKEN=$token PROJECT_SRC=$PWD
export PROJECT_EXTRA_ENV="Modular__Authentication__SigningKey=$key Modular__RateLimits__PermitsPerSecond=0 ${PROJECT_EXTRA_ENV:-}"
# seed once per template (raw-prepared and project-base reuse raw's and the project's), then measure every app
APPS="raw critter project" PHASES="build seed" "$work/harness/run-side.sh"
APPS=$apps PHASES=measure "$work/harness/run-side.sh"
