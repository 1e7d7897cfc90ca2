#!/usr/bin/env bash
# Builds and runs the project's Dockerfile with rootful podman, on machines without Docker or
# any reachable image registry.
#
#   eng/container.sh build     build the image, print its name (stand-in base images built first)
#   eng/container.sh env       print the podman settings as `export` lines (eval them)
#   eng/container.sh cleanup   remove containers the tests started (label modular.test)
#
# MODULAR_SDK_IMAGE and MODULAR_RUNTIME_IMAGE (both, e.g. mcr.microsoft.com/dotnet/sdk:10.0 and .../aspnet:10.0, as
# the CI workflow sets them) build on those images, pulled when missing. Without them (a machine with no registry),
# the official images are replaced by stand-ins: a Debian minbase root filesystem (debootstrap from the machine's own
# apt mirror) plus this machine's .NET install.
# Podman's storage and settings live in $MODULAR_CONTAINER_STATE (kept between runs as a cache).
set -euo pipefail
cd "$(dirname "$0")/.."

state=${MODULAR_CONTAINER_STATE:-/var/tmp/modular-containers}
image=localhost/modular:test
base=localhost/modular-base:bookworm
sdk=localhost/dotnet-sdk-standin:10.0
runtime=localhost/dotnet-aspnet-standin:10.0
log() { echo "container: $*" >&2; }

settings() {
  mkdir -p "$state"
  local nofile; nofile=$(ulimit -Hn); [[ $nofile == unlimited || $nofile -gt 65536 ]] && nofile=65536
  cat >"$state/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
  cat >"$state/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$state/storage"
runroot = "$state/run"
CONF
  export CONTAINERS_CONF=$state/containers.conf CONTAINERS_STORAGE_CONF=$state/storage.conf
}

ensure_tools() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || { log "missing ${missing[*]}; install them or run as root"; exit 1; }
  log "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The first Debian mirror apt is configured with (deb822 or one-line format).
apt_mirror() {
  { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
    grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}'
  } | grep -v -- '-security' | head -1
}

build_base() {
  podman image exists "$base" && return 0
  local rootfs="$state/rootfs"
  rm -rf "$rootfs"
  log "debootstrap bookworm minbase (about a minute)"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$(apt_mirror)" >"$state/debootstrap.log" 2>&1 \
    || { tail -20 "$state/debootstrap.log" >&2; exit 1; }
  tar -C "$rootfs" -c . | podman import - "$base" >/dev/null
  rm -rf "$rootfs"
}

# Stand-ins for mcr.microsoft.com/dotnet/{sdk,aspnet}:10.0 made from this machine's .NET install.
build_dotnet_standins() {
  podman image exists "$sdk" && podman image exists "$runtime" && return 0
  local dotnet_root ctx
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  ctx=$(mktemp -d)
  mkdir -p "$ctx/runtime/shared"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$ctx/runtime/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$ctx/runtime/shared/"
  cat >"$ctx/Containerfile.runtime" <<'CONF'
ARG BASE
FROM ${BASE}
COPY runtime/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && useradd --uid 1654 --user-group --no-create-home app
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true
CONF
  podman build --pull=never -q --build-arg BASE="$base" -t "$runtime" -f "$ctx/Containerfile.runtime" "$ctx" >/dev/null
  rm -rf "$ctx/runtime"

  mkdir -p "$ctx/sdk"
  cp -a "$dotnet_root/." "$ctx/sdk/"
  # The SDK stand-in restores packages: it trusts what this machine trusts (its proxy's root included).
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
  cat >"$ctx/Containerfile.sdk" <<'CONF'
ARG BASE
FROM ${BASE}
COPY sdk/ /usr/share/dotnet/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt DOTNET_RUNNING_IN_CONTAINER=true DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 NUGET_CERT_REVOCATION_MODE=offline
CONF
  podman build --pull=never -q --build-arg BASE="$base" -t "$sdk" -f "$ctx/Containerfile.sdk" "$ctx" >/dev/null
  rm -rf "$ctx"
}

build() {
  ensure_tools
  settings
  local sdk_image=${MODULAR_SDK_IMAGE:-} runtime_image=${MODULAR_RUNTIME_IMAGE:-} pull=never
  if [[ -z $sdk_image || -z $runtime_image ]]; then
    build_base
    build_dotnet_standins
    sdk_image=$sdk runtime_image=$runtime
  else
    pull=missing
  fi
  log "building $image from Dockerfile on $sdk_image and $runtime_image"
  podman build --pull=$pull --network host \
    --build-arg SDK_IMAGE="$sdk_image" --build-arg RUNTIME_IMAGE="$runtime_image" \
    -t "$image" -f Dockerfile . >"$state/build.log" 2>&1 || { tail -30 "$state/build.log" >&2; exit 1; }
  podman image prune --force >/dev/null 2>&1 || true
  echo "$image"
}

case "${1:-}" in
  build) build ;;
  env) settings; echo "export CONTAINERS_CONF=$CONTAINERS_CONF CONTAINERS_STORAGE_CONF=$CONTAINERS_STORAGE_CONF" ;;
  cleanup)
    settings
    command -v podman >/dev/null || exit 0
    ids=$(podman ps -aq --filter label=modular.test)
    [[ -n $ids ]] && podman rm -f $ids >/dev/null
    exit 0 ;;
  *) echo "usage: $0 build|env|cleanup" >&2; exit 2 ;;
esac
