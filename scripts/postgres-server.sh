#!/usr/bin/env bash
# A throwaway PostgreSQL server for the postgres target (make test-postgres, .ci/run):
#   scripts/postgres-server.sh start   initdb a cluster in a temporary folder and start it on
#                                      127.0.0.1:$CHARGEBACK_PG_PORT (default 55439); reuses a
#                                      server that already answers there
#   scripts/postgres-server.sh stop    stop it and remove its folder
#   scripts/postgres-server.sh install only make sure the PostgreSQL binaries are there
# The cluster trusts local connections (loopback only, a test server: no password). When no
# PostgreSQL binaries are found, they are installed from the system's packages (Debian:
# apt-get install postgresql). Run as root, the server runs as the user postgres.
set -euo pipefail

PORT="${CHARGEBACK_PG_PORT:-55439}"
USER_NAME="${CHARGEBACK_PG_USER:-chargeback}"
DATABASE="${CHARGEBACK_PG_DATABASE:-chargeback}"
STATE="${TMPDIR:-/tmp}/chargeback-postgres-${PORT}"

find_bin() {
    local dir
    for dir in $(command -v pg_ctl >/dev/null 2>&1 && dirname "$(readlink -f "$(command -v pg_ctl)")") \
        /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && [ -x "$dir/psql" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

install_postgres() {
    echo "postgres-server: no PostgreSQL binaries found; installing the system's package" >&2
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "postgres-server: install PostgreSQL (initdb, pg_ctl, psql) and retry" >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

installed_bin() {
    local bin
    bin="$(find_bin || true)"
    if [ -z "$bin" ]; then
        install_postgres
        bin="$(find_bin)"
    fi
    echo "$bin"
}

start() {
    local bin
    bin="$(installed_bin)"
    [ -n "$bin" ] || exit 1
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        echo "postgres-server: a server already answers on 127.0.0.1:$PORT"
        return 0
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    fi
    rm -rf "$STATE"
    mkdir -p "$STATE"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$STATE"; fi
    as_owner "$bin/initdb" --pgdata="$STATE/data" --username="$USER_NAME" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 \
        || { cat "$STATE/initdb.log" >&2; exit 1; }
    # A test server: no durability needed (fsync off), loopback only, its socket in its folder;
    # no JIT compilation, which cost seconds a query on the stacked views (docs/engines.md).
    as_owner "$bin/pg_ctl" --pgdata="$STATE/data" --log="$STATE/server.log" --wait \
        --options="-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$STATE \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c jit=off -c timezone=UTC \
-c shared_buffers=256MB -c work_mem=64MB -c max_connections=20" start >/dev/null \
        || { cat "$STATE/server.log" >&2; exit 1; }
    "$bin/psql" -q -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" -d postgres \
        -c "create database $DATABASE" >/dev/null
    echo "postgres-server: started on 127.0.0.1:$PORT (database $DATABASE, user $USER_NAME, folder $STATE)"
}

stop() {
    local bin
    bin="$(find_bin || true)"
    if [ -n "$bin" ] && [ -d "$STATE/data" ]; then
        as_owner "$bin/pg_ctl" --pgdata="$STATE/data" --mode=fast --wait stop >/dev/null || true
    fi
    rm -rf "$STATE"
    echo "postgres-server: stopped"
}

case "${1:-}" in
    install) installed_bin >/dev/null ;;
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
