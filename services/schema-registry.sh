#!/usr/bin/env bash
# A Confluent-API-compatible schema registry for Sluice's tests and demo, on 127.0.0.1: Conduit's registry
# (github.com/conduitio/conduit-schema-registry, from the Go module proxy) behind the small launcher in
# services/schema-registry/, its schemas kept in a Badger database so ids survive a restart.
#   services/schema-registry.sh start    build once into .services/bin (seconds), start, wait
#   services/schema-registry.sh stop     stop the server started here
#   services/schema-registry.sh status   exit 0 when the server answers
# Settings: SCHEMA_REGISTRY_PORT (18081). Data and log: .services/schema-registry/.
set -euo pipefail
cd "$(dirname "$0")/.."
. services/lib.sh
home=$PWD/.services/schema-registry
bin=$PWD/.services/bin/schema-registry
port=${SCHEMA_REGISTRY_PORT:-18081}

install() {
  # Rebuild when the launcher or its module pins change.
  local want; want=$(cat services/schema-registry/go.mod services/schema-registry/go.sum services/schema-registry/main.go | sha1sum | cut -c1-40)
  if [ -x "$bin" ] && [ "$(cat "$bin.stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  echo "schema-registry: building from the Go module proxy (first time only)" >&2
  mkdir -p "$(dirname "$bin")"
  # Conduit's modules are served by the proxy but not listed in the checksum database; go.sum pins them.
  (cd services/schema-registry && GOPATH=$PWD/../../.services/go GOCACHE=$PWD/../../.services/go/cache GOFLAGS="-modcacherw -buildvcs=false" \
    GONOSUMDB=github.com/conduitio go build -o "$bin" .)
  echo "$want" > "$bin.stamp"
}

# Any HTTP answer means it is up (this registry answers 404 for an unknown subject).
status() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/subjects/sluice-probe/versions")" != 000 ]; }

start() {
  if status; then return 0; fi
  install
  mkdir -p "$home"
  start_and_wait schema-registry "$home/pid" "$home/server.log" 30 status "$bin" -addr "127.0.0.1:$port" -data "$home/data"
  echo "schema-registry: listening on 127.0.0.1:$port" >&2
}

stop() { stop_pidfile "$home/pid"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: services/schema-registry.sh start|stop|status" >&2; exit 2 ;;
esac
