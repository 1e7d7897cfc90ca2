#!/usr/bin/env bash
# A throwaway or long-lived local PostgreSQL cluster, no container needed.
#
#   eng/postgres.sh start <data-dir> [--fast] [--scram]
#                                               initdb if needed, start on a free loopback port,
#                                               print the connection string on stdout. --fast: no fsync.
#                                               --scram (a new cluster): TCP logins need a password (scram-sha-256,
#                                               as in production; the superuser's is random, in <data-dir>/password
#                                               and the connection string); without it loopback logins are trusted
#   eng/postgres.sh stop  <data-dir>            stop the cluster (keeps the data)
#   eng/postgres.sh crash <data-dir>            stop it as a crash would (immediate: no checkpoint, clients cut
#                                               off); `start` then recovers it on the same port
#   eng/postgres.sh remove <data-dir>           stop and delete the data
#
# MODULAR_POSTGRES_OPTIONS adds server settings to `start` (e.g. "-c shared_preload_libraries=pg_stat_statements").
#
# As root the server runs as the `postgres` user (PostgreSQL refuses root). Missing binaries are
# installed from the distribution (apt) when running as root, unless MODULAR_NO_INSTALL=1.
set -euo pipefail

log() { echo "postgres: $*" >&2; }

find_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

ensure_binaries() {
  if BINDIR=$(find_bindir); then return 0; fi
  if [[ $(id -u) -ne 0 || ${MODULAR_NO_INSTALL:-0} == 1 ]]; then
    log "no PostgreSQL binaries found; install PostgreSQL or set ConnectionStrings__Postgres"; exit 1
  fi
  log "installing PostgreSQL from the distribution (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  BINDIR=$(find_bindir)
}

# Run a PostgreSQL tool as the cluster owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local port
  for port in $(seq 54320 54399) $(shuf -i 20000-60000 -n 50); do
    port_is_free "$port" && { echo "$port"; return 0; }
  done
  log "no free port found"; exit 1
}

conn_string() { # $1 port, $2 data dir
  local password=
  [[ -f $2/password ]] && password=";Password=$(cat "$2/password")"
  echo "Host=127.0.0.1;Port=$1;Username=postgres${password};Database=postgres"
}

running_port() { # prints the port of a running cluster in $1, if any
  local pidfile="$1/data/postmaster.pid"
  [[ -f $pidfile ]] || return 1
  as_owner "$BINDIR/pg_ctl" -D "$1/data" status >/dev/null 2>&1 || return 1
  sed -n '4p' "$pidfile"
}

start() {
  local dir=$1 fast= scram= flag
  shift
  for flag in "$@"; do
    case $flag in
      --fast) fast=--fast ;;
      --scram) scram=--scram ;;
      *) log "unknown option $flag"; exit 2 ;;
    esac
  done
  ensure_binaries
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      log "user postgres cannot reach $dir (a parent folder is closed to it); choose another folder"; exit 1
    fi
  fi

  local port
  if port=$(running_port "$dir"); then
    log "already running on port $port"; conn_string "$port" "$dir"; return 0
  fi

  if [[ ! -f $dir/data/PG_VERSION ]]; then
    local auth=(--auth=trust)
    if [[ $scram == --scram ]]; then
      # Local socket logins (pg_ctl, the cluster's owner) stay trusted; every TCP login proves its password.
      (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/password")
      [[ $(id -u) -eq 0 ]] && chown postgres "$dir/password"
      auth=(--auth-local=trust --auth-host=scram-sha-256 --pwfile="$dir/password")
    fi
    as_owner "$BINDIR/initdb" -D "$dir/data" "${auth[@]}" --username=postgres --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  mkdir -p "$dir/socket"
  # Clients on the extra address's link (a fault test's network namespace) may connect too.
  local method=trust
  [[ -f $dir/password ]] && method=scram-sha-256
  if [[ -n ${MODULAR_POSTGRES_LISTEN:-} ]] && ! grep -q '^host all all samenet' "$dir/data/pg_hba.conf"; then
    echo "host all all samenet $method" | as_owner tee -a "$dir/data/pg_hba.conf" >/dev/null
  fi
  [[ $(id -u) -eq 0 ]] && chown postgres "$dir/socket"

  # A cluster started before comes back on its port (clients keep their connection strings).
  if [[ -f $dir/port ]] && port_is_free "$(cat "$dir/port")"; then port=$(cat "$dir/port"); else port=$(pick_port); fi
  echo "$port" >"$dir/port"
  # MODULAR_POSTGRES_LISTEN adds addresses to loopback (the fault tests' network namespaces reach it there).
  # wal_level=logical: a module's data can move to another database while it serves (move-data, ADR 0029).
  local options="-c listen_addresses=127.0.0.1${MODULAR_POSTGRES_LISTEN:+,$MODULAR_POSTGRES_LISTEN} -p $port -k $dir/socket -c max_connections=300 -c wal_level=logical"
  [[ $fast == --fast ]] && options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [[ -n ${MODULAR_POSTGRES_OPTIONS:-} ]] && options+=" $MODULAR_POSTGRES_OPTIONS"
  as_owner "$BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 30 start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; exit 1; }
  log "running on 127.0.0.1:$port (data in $dir/data, log in $dir/server.log)"
  conn_string "$port" "$dir"
}

stop() {
  local dir=$1
  [[ -d $dir/data ]] || return 0
  ensure_binaries
  as_owner "$BINDIR/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

crash() {
  local dir=$1
  ensure_binaries
  as_owner "$BINDIR/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
}

remove() { stop "$1"; rm -rf "$1"; log "removed $1"; }

case "${1:-}" in
  start) shift; start "${1:?data dir}" "${@:2}" ;;
  stop) stop "${2:?data dir}" ;;
  crash) crash "${2:?data dir}" ;;
  remove) remove "${2:?data dir}" ;;
  *) echo "usage: $0 start|stop|crash|remove <data-dir> [--fast] [--scram]" >&2; exit 2 ;;
esac
