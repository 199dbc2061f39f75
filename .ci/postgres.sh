#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `.ci/postgres.sh start` prints the export line,
# `.ci/postgres.sh stop` stops it and removes its files. Installs nothing (CI installs the Debian
# `postgresql` package first). initdb refuses root, so as root the server runs as the `postgres` user.
#
#   eval "$(.ci/postgres.sh start)"   # sets TRIVIA_TEST_POSTGRES_URL
#
# TRIVIA_POSTGRES_PORT picks the loopback port (default 54329, CI's); each port has its own directory.
set -euo pipefail
PORT="${TRIVIA_POSTGRES_PORT:-54329}"
STATE="${TMPDIR:-/tmp}/trivia-night-postgres-$PORT"  # holds the path of the server's directory
USER_NAME=trivia
PASSWORD=trivia-test
DATABASE=trivia

bin_dir() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$initdb" ]; then
        initdb=$(command -v initdb || true)
    fi
    if [ -z "$initdb" ]; then
        echo "postgres.sh: no initdb; install PostgreSQL (apt-get install -y postgresql)" >&2
        exit 1
    fi
    dirname "$initdb"
}

as_owner() {  # run a server command as the user who owns the data directory
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    stop  # a server left on this port by a run that was killed
    local bin dir
    bin=$(bin_dir)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/trivia-night-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
    fi
    echo "$dir" >"$STATE"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >"$dir/initdb.log"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $dir -c fsync=off -c autovacuum=off -c max_connections=200" start >/dev/null
    as_owner "$bin/psql" -q -h "$dir" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE $USER_NAME LOGIN CREATEDB PASSWORD '$PASSWORD'" \
        -c "CREATE DATABASE $DATABASE OWNER $USER_NAME" >/dev/null
    echo "export TRIVIA_TEST_POSTGRES_URL=postgresql://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
}

stop() {
    if [ ! -f "$STATE" ]; then
        return 0
    fi
    local dir
    dir=$(cat "$STATE")
    if [ -d "$dir/data" ]; then
        as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir" "$STATE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
