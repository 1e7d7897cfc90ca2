#!/usr/bin/env bash
# Release build of the Host with pre-generated Wolverine code (run it with Modular__CodeGeneration=Static):
#   eng/publish.sh <output-dir> [source-dir]
# source-dir defaults to a throwaway copy of this checkout, so the generated code never lands in the tree.
# Wolverine's generated registries list every module's handlers and endpoints and would make a deployment
# load modules it does not host; they are deleted, so discovery (which follows Modular:Modules and the
# topology) decides, and the generated handler code is only used for what was discovered.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:?output dir}")
src=${2:-}
if [[ -z $src ]]; then
  src=$(mktemp -d); trap 'rm -rf "$src"' EXIT
  git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$src"
fi
cd "$src"
# codegen builds the host without starting it: no database is contacted, no token validated (a throwaway key
# satisfies the configuration check; nothing of it ends up in the output).
ConnectionStrings__Postgres="Host=localhost" Modular__Authentication__SigningKey="$(head -c 32 /dev/urandom | base64)" \
  dotnet run --project src/Host -c Release -- codegen write >/dev/null
rm -f src/Host/Internal/Generated/WolverineHandlers/GeneratedHandlerRegistry.cs \
      src/Host/Internal/Generated/WolverineHandlers/GeneratedHttpEndpointRegistry.cs
# READY_TO_RUN=true: assemblies compiled ahead of time for this machine's platform (crossgen2), not JIT-compiled at start.
r2r=()
[[ ${READY_TO_RUN:-false} == true ]] && r2r=(-r "linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')" --self-contained false -p:PublishReadyToRun=true)
# BENCH_SWITCHES=true: bench/budget.sh's build, with the switches of src/BuildingBlocks/Modular.Platform/BenchSwitches.cs compiled in.
[[ ${BENCH_SWITCHES:-false} == true ]] && r2r+=(-p:BenchSwitches=true)
dotnet publish src/Host -c Release -o "$out" -nologo -v q -p:UseAppHost=false "${r2r[@]}" >/dev/null
echo "$out"
