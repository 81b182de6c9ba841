#!/usr/bin/env bash
# The kadmesh image's entrypoint (also installed as `kadmesh` on the image's PATH).
#
#   entrypoint.sh [node]         runs `kadmesh node`; every flag comes from KADMESH_<FLAG> variables
#   entrypoint.sh health         `kadmesh health` against this container's node (the HEALTHCHECK)
#   entrypoint.sh COMMAND ARGS   any other kadmesh subcommand (info, resolve, put, ...)
#
# For `node`, the container defaults below apply to variables left unset (an empty one counts as
# unset, as in the CLI): listen on every interface, keep data in /data, and advertise this
# container's own address, which `hostname -i` gives, with the peer port. Flags given after `node`
# still win over every variable.
#
# Other variables: KADMESH_HOME (where kadmesh.jar is; default /opt/kadmesh), JAVA (default java),
# KADMESH_JAVA_OPTS (JVM options; default for a node: heap up to half the container's memory: RocksDB and Netty need the rest).
set -euo pipefail

home="${KADMESH_HOME:-/opt/kadmesh}"
java="${JAVA:-java}"

# The port of HOST:PORT ([v6]:PORT too).
port_of() {
  printf '%s\n' "${1##*:}"
}

# This container's first IPv4 address (else its first address at all) as `hostname -i` lists them.
container_ip() {
  local all first="" a
  all="$(hostname -i 2>/dev/null || true)"
  for a in $all; do
    [ -z "$first" ] && first="$a"
    if [[ "$a" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] && [[ "$a" != 127.* ]]; then
      printf '%s\n' "$a"
      return 0
    fi
  done
  if [ -z "$first" ]; then
    echo "kadmesh: cannot tell this container's address (hostname -i printed nothing): set KADMESH_ADVERTISE_ADDRESS" >&2
    return 1
  fi
  if [[ "$first" == *:* ]]; then first="[$first]"; fi
  printf '%s\n' "$first"
}

# Sets variable $1 to $2 unless it is set and not empty.
default() {
  if [ -z "${!1:-}" ]; then
    export "$1=$2"
  fi
}

node_defaults() {
  default KADMESH_PEER_ADDRESS "0.0.0.0:7701"
  # Other containers (an application beside it, a Kubernetes probe) reach the API over the
  # container network; a sidecar that only its own pod may call sets 127.0.0.1:7700.
  default KADMESH_API_ADDRESS "0.0.0.0:7700"
  default KADMESH_ADMIN_ADDRESS "0.0.0.0:7702"
  default KADMESH_DATA_DIR "/data"
  # The image's libc is glibc: said here, RocksDB does not start a shell (ldd) at every start to find out.
  default ROCKSDB_MUSL_LIBC "false"
  if [ -z "${KADMESH_ADVERTISE_ADDRESS:-}" ]; then
    local ip
    ip="$(container_ip)"
    export KADMESH_ADVERTISE_ADDRESS="$ip:$(port_of "$KADMESH_PEER_ADDRESS")"
  fi
  # The sidecar options bin/kadmesh uses (docs/performance.md, "Sidecar footprint"): serial GC, a
  # small starting heap, the C1 compiler only.
  default KADMESH_JAVA_OPTS "-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xms16m -Xss512k -XX:ReservedCodeCacheSize=64m -XX:TieredStopAtLevel=1"
}

# A command that calls the node's API port: by default this container's node, at the port its
# KADMESH_API_ADDRESS binds (a wildcard host is dialled on loopback).
client_defaults() {
  if [ -z "${KADMESH_TARGET:-}" ]; then
    local api="${KADMESH_API_ADDRESS:-127.0.0.1:7700}" host
    host="${api%:*}"
    case "$host" in
      0.0.0.0) host="127.0.0.1" ;;
      "[::]"|"[0:0:0:0:0:0:0:0]") host="[::1]" ;;
    esac
    export KADMESH_TARGET="$host:$(port_of "$api")"
  fi
  # The node's --tls-* files are its peer port's; a client of the API port must not take them
  # for its own (pass --tls-ca … explicitly for an API port that serves TLS).
  unset KADMESH_TLS_CERT KADMESH_TLS_KEY KADMESH_TLS_CA
  # A command lives a second: the JIT's first tier and a small serial heap start it fastest.
  default KADMESH_JAVA_OPTS "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m"
}

# No command, or flags first (`docker run IMAGE --k 30`): they are the node's.
if [ "$#" -eq 0 ] || { [[ "$1" == -* ]] && [[ ! "$1" =~ ^(-h|--help|-V|--version)$ ]]; }; then
  set -- node "$@"
fi
command="$1"
shift
case "$command" in
  node) node_defaults ;;
  ping|keygen|bench|simulate|help|--help|-h|--version|-V) ;;
  *) client_defaults ;;
esac

# shellcheck disable=SC2086  # KADMESH_JAVA_OPTS is a list of options
exec "$java" ${KADMESH_JAVA_OPTS:-} -jar "$home/kadmesh.jar" "$command" "$@"
