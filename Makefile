# The two quick-start commands. Everything else is in eng/.
.PHONY: run test token db-stop db-remove module-map contracts module extract bring-back move-stop

## Run the monolith on http://127.0.0.1:5000 (Swagger UI at /swagger), on a local PostgreSQL unless
## ConnectionStrings__Postgres is set.
run:
	@eng/run.sh

## Build with warnings as errors, start the servers the tests need, run every test, stop the servers.
test:
	@eng/test.sh

## Print a token for make run's API (every role); `make token SUBJECT=alice ROLES=customer` a narrower one.
token:
	@eng/token.sh

## Stop / delete the local database that `make run` provisions in .local/postgres.
db-stop:
	@eng/postgres.sh stop .local/postgres

db-remove:
	@eng/postgres.sh remove .local/postgres

## Regenerate docs/module-map.md (a test fails when it is stale).
module-map:
	@dotnet run --project src/Host -- modules doc $(CURDIR)/docs/module-map.md

## Write each module's contract schema (and a payload fixture for each new message); a test fails when they are stale.
contracts:
	@dotnet run --project src/Host -- contracts $(CURDIR)

## A new module from templates/modular-module, wired into the solution and the Host:
## make module NAME=Invoicing ITEM=Invoice [ITEMS=invoices]
module:
	@eng/new-module.sh "$(NAME)" "$(ITEM)" "$(ITEMS)"

## Move a module out of the monolith while it serves, behind HAProxy on make run's address, and back:
## make extract MODULE=Ordering [TRANSPORT=PostgreSQL|RabbitMQ]; make bring-back MODULE=Ordering; make move-stop
extract:
	@eng/move.sh extract "$(MODULE)" "$(or $(TRANSPORT),PostgreSQL)"

bring-back:
	@eng/move.sh bring-back "$(MODULE)" "$(or $(TRANSPORT),PostgreSQL)"

move-stop:
	@eng/move.sh stop
