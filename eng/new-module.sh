#!/usr/bin/env bash
# make module NAME=Invoicing ITEM=Invoice [ITEMS=invoices] — a new module, ready to build, test and deploy:
#  1. `dotnet new modular-module` (templates/modular-module, installed from this checkout) writes the two projects,
#     the module class and store, one use case with its integration test, every name taken from NAME and ITEM
#     (the first thing the module keeps: Invoice, RegisterInvoice, /api/invoicing/invoices, InvoiceRegisteredEvent);
#  2. the projects join Modular.sln, the Host references the module and lists it in HostedModules;
#  3. the README's module table gets its row; docs/module-map.md and the contract schema are regenerated.
# The topology maps need no edit: a module no deployment names runs in the gateway's deployment.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-}
item=${2:-Item}
lower=${name,,}
items=${3:-${item,,}s}
if [[ ! $name =~ ^[A-Z][A-Za-z0-9]*$ || ! $item =~ ^[A-Z][A-Za-z0-9]*$ || ! $items =~ ^[a-z][a-z0-9-]*$ || $item == "$name" ]]; then
  echo "usage: make module NAME=<Name> ITEM=<Item> [ITEMS=<items>]   (e.g. NAME=Invoicing ITEM=Invoice ITEMS=invoices:" >&2
  echo "       PascalCase module and item, the item unlike the module; the plural in lower case, default ITEM's + s)" >&2
  exit 2
fi
if [[ -e src/Modules/$name ]]; then echo "src/Modules/$name already exists" >&2; exit 2; fi

dotnet new install ./templates/modular-module --force >/dev/null
dotnet new modular-module -n "$name" --item "$item" --items "$items" -o . >/dev/null

internals=src/Modules/$name/Modular.Modules.$name/Modular.Modules.$name.csproj
contracts=src/Modules/$name/Modular.Modules.$name.Contracts/Modular.Modules.$name.Contracts.csproj
dotnet sln Modular.sln add "$internals" "$contracts" >/dev/null
dotnet add src/Host/Modular.Host.csproj reference "$internals" >/dev/null

# HostedModules.cs: its using (kept sorted) and the list entry (last).
hosted=src/Host/HostedModules.cs
{ grep '^using ' "$hosted"; echo "using Modular.Modules.$name;"; } | sort -u > "$hosted.usings"
{ cat "$hosted.usings"; sed -n '/^using /!p' "$hosted" | sed "s/^    \];$/        new ${name}Module(),\n    ];/"; } > "$hosted.new"
mv "$hosted.new" "$hosted"; rm "$hosted.usings"

# README: the module's row, after the last one of "## The modules" (a test holds the table to the code).
row="| $name | $items (\`$lower\`) | \`/api/$lower/$items…\` | \`${item}RegisteredEvent\` | — |"
awk -v row="$row" '
  /^## / { in_table = ($0 == "## The modules") }
  in_table && /^\| / { last = NR }
  { lines[NR] = $0 }
  END { for (i = 1; i <= NR; i++) { print lines[i]; if (i == last) print row } }' README.md > README.md.new && mv README.md.new README.md

# The lock files record project references too: the new projects get theirs, the projects that now reference them are
# brought up to date (commit them with the module; CI restores in locked mode).
dotnet restore Modular.sln --force-evaluate -p:RestoreLockedMode=false -v q >/dev/null

make -s module-map contracts >/dev/null
echo "Module $name: src/Modules/$name (use case Register$item.cs), tests/Modular.Tests.Integration/$name."
echo "It runs in the monolith, and in the gateway's deployment of any topology map that does not name it."
echo "Its contract (${item}RegisteredEvent) is a draft until the module's first release: rename or remove it, delete its"
echo "fixture (src/Modules/$name/Modular.Modules.$name.Contracts/fixtures/${item}RegisteredEvent.json) and run make contracts."
