#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, for the tests and `run.sh --servers N`: Debian's
# `postgresql` package (installed if missing), a cluster created once in $WORKSHOP_PG_DIR, started
# if stopped. PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres`
# system user the package creates. Prints the database URL on stdout.
#   bash scripts/pg.sh start   # create/start, print postgresql://workshop:…@127.0.0.1:PORT/workshop
#   bash scripts/pg.sh url     # print the URL of a cluster already created
#   bash scripts/pg.sh stop
set -euo pipefail
cmd="${1:-start}"
DIR="${WORKSHOP_PG_DIR:-/tmp/workshop-pg-$(id -u)}"
PORT="${WORKSHOP_PG_PORT:-55432}"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
bin="$(find_bin)"
if [ -z "$bin" ] && [ "$cmd" = "start" ]; then
  bash "$(dirname "$0")/apt-install.sh" postgresql
  bin="$(find_bin)"
fi
[ -n "$bin" ] || { echo "PostgreSQL is not installed (run: bash scripts/pg.sh start)" >&2; exit 1; }

# Run a server program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgresql://workshop:$(cat "$DIR/password")@127.0.0.1:${PORT}/workshop"; }

case "$cmd" in
  url) url; exit 0 ;;
  stop)
    [ -d "$DIR/data" ] && as_owner "$bin/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|url|stop" >&2; exit 2 ;;
esac

if [ ! -f "$DIR/data/PG_VERSION" ]; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$DIR/password"
  [ "$(id -u)" = "0" ] && chown -R postgres "$DIR"
  as_owner "$bin/initdb" -D "$DIR/data" -U workshop --pwfile="$DIR/password" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = ${PORT}
unix_socket_directories = '${DIR}'
max_connections = 400
EOF
fi
if ! as_owner "$bin/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null
fi
for _ in $(seq 60); do
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
# The app's database (tests make their own beside it).
PGPASSWORD="$(cat "$DIR/password")" "$bin/psql" -q -h 127.0.0.1 -p "$PORT" -U workshop -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'workshop'" | grep -q 1 \
  || PGPASSWORD="$(cat "$DIR/password")" "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U workshop workshop
url
