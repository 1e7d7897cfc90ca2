#!/usr/bin/env bash
# make token [SUBJECT=alice] [ROLES=customer,staff] [CLIENT=my-app]: prints a token of make run's embedded issuer, and only it, on
# stdout. Without variables: the developer, with every role (customer, staff, admin). The key is .local/dev-signing-key
# (created on first use; make run validates with the same file).
set -euo pipefail
cd "$(dirname "$0")/.."
export Modular__Authentication__SigningKeyFile=${Modular__Authentication__SigningKeyFile:-$PWD/.local/dev-signing-key}
dotnet build src/Host -nologo -v q -clp:NoSummary -warnaserror >&2
args=(token)
[[ -n ${SUBJECT:-} ]] && args+=(--subject "$SUBJECT")
[[ -n ${ROLES:-} ]] && args+=(--roles "$ROLES")
[[ -n ${CLIENT:-} ]] && args+=(--client "$CLIENT")
exec dotnet src/Host/bin/Debug/net10.0/Modular.Host.dll "${args[@]}"
