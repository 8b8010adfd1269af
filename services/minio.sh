#!/usr/bin/env bash
# MinIO (S3-compatible object storage) and its client mc for Sluice's integration tests and benchmarks, on 127.0.0.1.
#   services/minio.sh start    install (built from the Go module proxy into .services/bin once; a few minutes), start, wait,
#                              create the bucket `sluice` (versioned, so delete markers would show)
#   services/minio.sh stop     stop the server started here
#   services/minio.sh status   exit 0 when the server answers
#   services/minio.sh mc ...   run mc against it (alias `local`), e.g. `services/minio.sh mc admin trace local`
# Settings: MINIO_PORT (19000). Credentials for tests: sluice-admin / sluice-secret-key. Data: .services/minio/.
set -euo pipefail
cd "$(dirname "$0")/.."
. services/lib.sh
home=${MINIO_HOME:-$PWD/.services/minio}   # data, logs, pid; a second instance (tests that restart MinIO) sets its own
bin=$PWD/.services/bin
port=${MINIO_PORT:-19000}
export MINIO_ROOT_USER=sluice-admin MINIO_ROOT_PASSWORD=sluice-secret-key

install() {
  if [ -x "$bin/minio" ] && [ -x "$bin/mc" ]; then return 0; fi
  echo "minio: building minio and mc from the Go module proxy (first time only)" >&2
  mkdir -p "$bin"
  export GOPATH=$PWD/.services/go GOCACHE=$PWD/.services/go/cache GOBIN=$bin GOFLAGS=-modcacherw
  [ -x "$bin/minio" ] || go install github.com/minio/minio@latest
  [ -x "$bin/mc" ] || go install github.com/minio/mc@latest
}

status() { curl -sf -o /dev/null "http://127.0.0.1:$port/minio/health/ready"; }

mc() { "$bin/mc" --config-dir "$home/mc" "$@"; }

start() {
  if status; then return 0; fi
  install
  mkdir -p "$home/data"
  # Prometheus metrics without a token, on loopback: benchmarks read MinIO's own request counts.
  MINIO_PROMETHEUS_AUTH_TYPE=public MINIO_BROWSER=off start_and_wait minio "$home/pid" "$home/server.log" 60 status \
    "$bin/minio" server "$home/data" --address "127.0.0.1:$port" --quiet
  # A fresh data folder answers ready before its credentials are initialised: retry until mc is let in.
  local tries=0
  until mc alias set local "http://127.0.0.1:$port" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then mc alias set local "http://127.0.0.1:$port" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null; return 1; fi
    sleep 0.5
  done
  mc mb --ignore-existing local/sluice >/dev/null
  mc version enable local/sluice >/dev/null
  echo "minio: listening on 127.0.0.1:$port (bucket sluice, versioned)" >&2
}

stop() { stop_pidfile "$home/pid"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  mc) shift; mc "$@" ;;
  *) echo "usage: services/minio.sh start|stop|status|mc ..." >&2; exit 2 ;;
esac
