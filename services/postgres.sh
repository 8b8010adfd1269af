#!/usr/bin/env bash
# PostgreSQL for Sluice's integration tests, on 127.0.0.1 (Debian's server package; installed with apt-get if absent).
#   services/postgres.sh start    init a cluster under .services/pg once (role and database `sluice`), start, wait
#   services/postgres.sh stop     stop the cluster started here
#   services/postgres.sh status   exit 0 when it accepts connections
# Settings: PG_PORT (15432). The test role is sluice / password sluice, database sluice.
set -euo pipefail
cd "$(dirname "$0")/.."
home=$PWD/.services/pg
port=${PG_PORT:-15432}

bindir() {
  local d; d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$d" ] || [ ! -x "$d/postgres" ]; then
    echo "postgres: installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$d"
}

# The server refuses to run as root: run it as the postgres user then.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

status() { "$(bindir)/pg_isready" -q -h 127.0.0.1 -p "$port"; }

start() {
  if status; then return 0; fi
  local bin; bin=$(bindir)
  mkdir -p "$home/run"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$home"; fi
  if [ ! -f "$home/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$home/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  fi
  as_owner "$bin/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $home/run -c fsync=off" start >/dev/null
  as_owner "$bin/psql" -q -h "$home/run" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sluice') THEN CREATE ROLE sluice LOGIN PASSWORD 'sluice'; END IF;
END \$\$;
SELECT 'CREATE DATABASE sluice OWNER sluice' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'sluice')\gexec
SQL
  echo "postgres: listening on 127.0.0.1:$port" >&2
}

stop() {
  if [ -f "$home/data/postmaster.pid" ]; then as_owner "$(bindir)/pg_ctl" -D "$home/data" -m fast -w stop >/dev/null || true; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: services/postgres.sh start|stop|status" >&2; exit 2 ;;
esac
