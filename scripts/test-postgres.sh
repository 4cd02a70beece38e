#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 for the test suite.
#   scripts/test-postgres.sh start DIR   -> prints the DATABASE_URL to use
#   scripts/test-postgres.sh stop DIR
# PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` user, in a folder that user owns (DIR must be reachable by it,
# e.g. under /tmp). It listens only on a Unix socket inside DIR.
set -euo pipefail

action=$1
dir=$2
bin=/usr/lib/postgresql/15/bin

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    # From / because the postgres user may not enter the checkout's folder.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=300 -c shared_buffers=128MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$dir&user=postgres"
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
