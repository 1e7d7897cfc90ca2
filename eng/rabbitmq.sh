#!/usr/bin/env bash
# A throwaway local RabbitMQ node for the tests (no container needed).
#
#   eng/rabbitmq.sh start <dir>   start a node on free loopback ports; print its amqp:// URI on stdout
#   eng/rabbitmq.sh stop <dir>    stop it (and the epmd it started) and delete <dir>
#   eng/rabbitmq.sh kill <dir>    kill -9 the node (a crash); `start <dir>` brings it back on the same ports
#                                 with the queues and persistent messages it had
#
# Installs the distribution's rabbitmq-server when missing (as root, unless MODULAR_NO_INSTALL=1).
# The node runs as the `rabbitmq` user when invoked as root.
set -euo pipefail
log() { echo "rabbitmq: $*" >&2; }
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { local p; for p in $(shuf -i "$1" -n 50); do port_is_free "$p" && { echo "$p"; return; }; done; log "no free port"; exit 1; }

ensure_installed() {
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] && return 0
  if [[ $(id -u) -ne 0 || ${MODULAR_NO_INSTALL:-0} == 1 ]]; then log "rabbitmq-server is not installed"; exit 1; fi
  log "installing rabbitmq-server (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >&2
  # The package may start a system node and the default epmd (port 4369); ours use their own ports.
  systemctl stop rabbitmq-server >/dev/null 2>&1 || service rabbitmq-server stop >/dev/null 2>&1 || true
  local epmd
  epmd=$(ss -ltnpH "sport = :4369" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [[ -n $epmd ]] && kill "$epmd" 2>/dev/null || true
}

env_for() { # the environment every rabbitmq command of this node needs
  local dir=$1
  # With MODULAR_RABBITMQ_LISTEN the AMQP listeners come from rabbitmq.conf (these two variables would override it).
  [[ -n ${MODULAR_RABBITMQ_LISTEN:-} ]] || echo "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$(cat "$dir/port")"
  echo "HOME=$dir/home RABBITMQ_NODENAME=modular@localhost" \
       "RABBITMQ_DIST_PORT=$(cat "$dir/dist_port") ERL_EPMD_PORT=$(cat "$dir/epmd_port")" \
       "ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_MNESIA_BASE=$dir/mnesia RABBITMQ_LOG_BASE=$dir/log RABBITMQ_PID_FILE=$dir/pid" \
       "RABBITMQ_CONFIG_FILE=$dir/rabbitmq RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins"
}

as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u rabbitmq -- "$@"; else "$@"; fi; }

start() {
  local dir=$1
  ensure_installed
  mkdir -p "$dir"/{home,mnesia,log}
  dir=$(cd "$dir" && pwd)
  # A restart (after `kill`) keeps the node's ports; a first start picks free ones, and picks again if the node
  # does not come up (a port picked free may have been taken before the node bound it).
  local fresh=0 attempt
  [[ -f $dir/port ]] || fresh=1
  for attempt in 1 2; do
    if [[ ! -f $dir/port ]]; then
      pick_port 20000-29999 >"$dir/port"; pick_port 30000-34999 >"$dir/dist_port"; pick_port 35000-39999 >"$dir/epmd_port"
    fi
    if launch "$dir"; then
      log "running on 127.0.0.1:$(cat "$dir/port") (logs in $dir/log)"
      echo "amqp://guest:guest@127.0.0.1:$(cat "$dir/port")/"
      return 0
    fi
    log "the node did not start (attempt $attempt):"
    tail -n 20 "$dir/wait.log" "$dir/start.log" >&2 2>/dev/null || true
    stop_node "$dir"
    (( fresh )) && rm -f "$dir/port" "$dir/dist_port" "$dir/epmd_port"
  done
  exit 1
}

launch() { # starts the node in $1 and waits until it answers
  local dir=$1
  echo "[]." >"$dir/enabled_plugins"
  : >"$dir/rabbitmq.conf"
  # MODULAR_RABBITMQ_LISTEN: an address AMQP listens on besides loopback (a fault test's network namespace reaches
  # the node there), where guest may log in too (it is loopback-only by default).
  if [[ -n ${MODULAR_RABBITMQ_LISTEN:-} ]]; then
    printf 'listeners.tcp.1 = 127.0.0.1:%s\nlisteners.tcp.2 = %s:%s\nloopback_users.guest = false\n' \
      "$(cat "$dir/port")" "$MODULAR_RABBITMQ_LISTEN" "$(cat "$dir/port")" >"$dir/rabbitmq.conf"
  fi
  [[ $(id -u) -eq 0 ]] && chown -R rabbitmq:rabbitmq "$dir"
  # shellcheck disable=SC2046
  as_owner env $(env_for "$dir") RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    /usr/lib/rabbitmq/bin/rabbitmq-server -detached >"$dir/start.log" 2>&1 || return 1
  # shellcheck disable=SC2046
  as_owner env $(env_for "$dir") timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl wait --timeout 60 "$dir/pid" >"$dir/wait.log" 2>&1
}

stop_node() { # stops the node in $1 and the epmd it started; keeps the directory
  local dir=$1
  # shellcheck disable=SC2046
  as_owner env $(env_for "$dir") timeout 30 /usr/lib/rabbitmq/bin/rabbitmqctl stop "$dir/pid" >/dev/null 2>&1 || true
  # rabbitmqctl stop leaves epmd running on our port: stop it by its process.
  local epmd
  epmd=$(ss -ltnpH "sport = :$(cat "$dir/epmd_port")" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [[ -n $epmd ]] && kill "$epmd" 2>/dev/null || true
}

kill_node() {
  local dir=$1
  [[ -f $dir/pid ]] || { log "no node in $dir"; exit 1; }
  kill -9 "$(cat "$dir/pid")"
  while kill -0 "$(cat "$dir/pid")" 2>/dev/null; do sleep 0.1; done
}

stop() {
  local dir=$1
  [[ -f $dir/port ]] || { rm -rf "$dir"; return 0; }
  stop_node "$dir"
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?dir}" ;;
  stop) stop "${2:?dir}" ;;
  kill) kill_node "${2:?dir}" ;;
  *) echo "usage: $0 start|stop|kill <dir>" >&2; exit 2 ;;
esac
