#!/usr/bin/env bash
# make extract / make bring-back / make move-stop: move a module out of the monolith and back while it serves, on this
# machine, behind HAProxy (docs/moving-a-module-while-it-serves.md is the same, step by step).
#   make extract MODULE=Ordering [TRANSPORT=PostgreSQL|RabbitMQ]
#       starts the front on MODULAR_URL (default http://127.0.0.1:5000) and the monolith behind it, if not running;
#       prints the map before and after; starts "core" (every other module; the gateway) and the module's deployment
#       beside the monolith; waits until the front sends to core; stops the monolith (SIGTERM: it drains); waits until
#       the new map holds everything the monolith left (heldElsewhere 0); says what it did.
#   make bring-back MODULE=Ordering     the reverse: the monolith again (reading the transport's queues), core and the
#                                       module's deployment stopped.
#   make move-stop                      stops the front and whatever runs behind it.
# Processes run in the background; their logs and pids are in .local/move. The database is make run's (.local/postgres)
# unless ConnectionStrings__Postgres is set.
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:?usage: eng/move.sh extract|bring-back|stop [MODULE] [TRANSPORT]}
module=${2:-}
transport=${3:-PostgreSQL}
state=.local/move
url=${MODULAR_URL:-http://127.0.0.1:5000}
hostport=${url#*://}; hostport=${hostport%%/*}
host=${hostport%:*}; port=${hostport##*:}
monolith_port=$((port + 10)) core_port=$((port + 11)) module_port=$((port + 12)) stats_port=$((port + 99))
HOST=(dotnet src/Host/bin/Debug/net10.0/Modular.Host.dll)
mkdir -p "$state"

say() { echo "make $command: $*"; }
alive() { [[ -f $state/$1.pid ]] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }
patience=${MOVE_PATIENCE:-180} # seconds any one wait may take
wait_for() { # what, then a command that says when
  local what=$1 deadline=$((SECONDS + patience)); shift
  until "$@"; do
    (( SECONDS < deadline )) || { say "gave up after ${patience} s waiting for $what (logs: $state/*.log)"; exit 1; }
    sleep 0.5
  done
}
ready() { alive "$2" || { say "$2 exited: see $state/$2.log"; exit 1; }; curl -sf -o /dev/null "http://$host:$1/health/ready"; }
wait_ready() { wait_for "$2 to be ready" ready "$1" "$2"; }
front_sends_to() { curl -s "http://$host:$stats_port/stats;csv" | grep "^gateways,$1," | grep -q ',UP,'; }
held_elsewhere() { curl -sf -H "Authorization: Bearer $token" "http://$host:$1/api/admin/messages" | grep -q '"heldElsewhere":0'; }
start() { # name port settings...: a process of the map, in the background
  local name=$1 at=$2; shift 2
  "${HOST[@]}" --urls "http://$host:$at" "$@" >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}
stop() { # SIGTERM, then wait for the exit (the process drains first)
  alive "$1" || return 0
  local pid; pid=$(cat "$state/$1.pid")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
  rm -f "$state/$1.pid"
}

if [[ $command == stop ]]; then
  for name in core module monolith front; do stop "$name"; done
  say "stopped the front and everything behind it"
  exit 0
fi
[[ -n $module ]] || { say "name the module: make $command MODULE=Ordering"; exit 1; }
[[ $transport =~ ^(PostgreSQL|RabbitMQ)$ ]] || { say "TRANSPORT is PostgreSQL or RabbitMQ, not '$transport'"; exit 1; }
command -v haproxy >/dev/null || PATH=$PATH:/usr/sbin
if ! command -v haproxy >/dev/null; then
  [[ $(id -u) -eq 0 ]] || { say "HAProxy is not installed (apt-get install haproxy)"; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
fi

# What make run sets up: the database, the signing key, the roles' secret; processes drain 5 s on SIGTERM, the front
# taking them out within 3 s.
if [[ -z ${ConnectionStrings__Postgres:-} ]]; then
  ConnectionStrings__Postgres=$(eng/postgres.sh start .local/postgres)
  export ConnectionStrings__Postgres
fi
export Modular__Authentication__SigningKeyFile=${Modular__Authentication__SigningKeyFile:-$PWD/.local/dev-signing-key}
[[ -f .local/dev-role-secret ]] || (umask 077; head -c 32 /dev/urandom | base64 > .local/dev-role-secret)
export Modular__Database__RoleSecret=${Modular__Database__RoleSecret:-$(cat .local/dev-role-secret)}
export Modular__Shutdown__Drain=${Modular__Shutdown__Drain:-00:00:05} ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
if [[ $transport == RabbitMQ && -z ${ConnectionStrings__RabbitMQ:-} ]]; then
  ConnectionStrings__RabbitMQ=$(eng/rabbitmq.sh start .local/rabbitmq)
  export ConnectionStrings__RabbitMQ
fi
dotnet build src/Host -nologo -v q -clp:NoSummary -warnaserror >/dev/null
token=$("${HOST[@]}" token)

slug=$(tr '[:upper:]' '[:lower:]' <<<"$module")
modules=$("${HOST[@]}" modules | sed -n 's/.* runs //p' | head -1)
others=$(tr ',' '\n' <<<"$modules" | tr -d ' ' | grep -vix "$module" | paste -sd, -)
grep -qiw "$module" <<<"$modules" || { say "no module '$module'; the modules: $modules"; exit 1; }
MAP=(--Modular:Topology:Transport="$transport" --Modular:Topology:Gateway=core
     --Modular:Topology:Deployments:core:Modules="$others" --Modular:Topology:Deployments:"$slug":Modules="$module")

if ! alive front; then
  if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    say "$host:$port is taken (make run?); stop it: the monolith runs behind the front here"; exit 1
  fi
  FRONT=$host:$port MONOLITH=$host:$monolith_port CORE=$host:$core_port STATS=$host:$stats_port \
    haproxy -db -f deploy/haproxy/haproxy.cfg >"$state/front.log" 2>&1 &
  echo $! >"$state/front.pid"
  "${HOST[@]}" database-roles >/dev/null
  start monolith "$monolith_port"
  wait_ready "$monolith_port" monolith
  wait_for "the front to send to the monolith" front_sends_to monolith
  say "the front on $url sends to the monolith on :$monolith_port"
fi

case $command in
  extract)
    alive monolith || { say "no monolith runs behind the front (make bring-back first?)"; exit 1; }
    echo "== before"; "${HOST[@]}" modules
    echo "== after"; "${HOST[@]}" modules "${MAP[@]}" --Modular:Deployment=core
    "${HOST[@]}" database-roles "${MAP[@]}" --Modular:Deployment=core >/dev/null
    start module "$module_port" "${MAP[@]}" --Modular:Deployment="$slug"
    start core "$core_port" "${MAP[@]}" --Modular:Deployment=core --Services:"$slug":http:0="http://$host:$module_port"
    wait_ready "$module_port" module
    wait_ready "$core_port" core
    wait_for "the front to send to core" front_sends_to core
    say "core (:$core_port) and $slug (:$module_port) serve beside the monolith; stopping the monolith (it drains)"
    stop monolith
    wait_for "core to hold what the monolith left" held_elsewhere "$core_port"
    wait_for "$slug to hold what the monolith left" held_elsewhere "$module_port"
    say "extracted $module over $transport: clients still call $url; nothing waits in the monolith's store" \
        "(logs: $state/*.log; back: make bring-back MODULE=$module)"
    ;;
  bring-back)
    alive core || { say "no extracted map runs behind the front (make extract first?)"; exit 1; }
    "${HOST[@]}" database-roles >/dev/null
    start monolith "$monolith_port" --Modular:Topology:Transport="$transport"
    wait_ready "$monolith_port" monolith
    wait_for "the front to send to the monolith" front_sends_to monolith
    say "the monolith (:$monolith_port) serves beside core and $slug; stopping them (they drain)"
    stop core & core_stopped=$!
    stop module & module_stopped=$!
    wait "$core_stopped" "$module_stopped"   # not a bare wait: the monolith started above is a child too
    wait_for "the monolith to hold what core and $slug left" held_elsewhere "$monolith_port"
    say "brought $module back: one process again behind $url; it reads the $transport queues until they are empty" \
        "(make move-stop stops everything)"
    ;;
  *) say "unknown command (extract, bring-back, stop)"; exit 1 ;;
esac
