#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and development, from the OS packages.
#
#   scripts/postgres.sh start    start one (or reuse the running one) and print DATABASE_URL=...
#   scripts/postgres.sh stop     stop it and delete its data
#   scripts/postgres.sh status   say whether it runs (exit 3 when it does not)
#
# The cluster lives in a temporary directory, listens on 127.0.0.1 on a free port with its socket inside
# that directory, and trades durability for speed (fsync off): it holds nothing worth keeping.
# SHOWCASE_PG_DURABLE=1 (the production rehearsal) keeps PostgreSQL's durable defaults, and a
# start after a crash or reboot resumes the cluster on its data instead of making a new one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_OS_USER="${SHOWCASE_PG_OS_USER:-postgres}"
PG_ROLE="showcase"
PG_DATABASE="showcase"
PG_SPEED_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[[ "${SHOWCASE_PG_DURABLE:-0}" == 1 ]] && PG_SPEED_OPTIONS=""
STATE_FILE="$SHOWCASE_STATE_DIR/postgres.env"

find_pg_bin() {
    if [[ -n "${SHOWCASE_PG_BIN:-}" ]]; then
        echo "$SHOWCASE_PG_BIN"
        return 0
    fi
    local newest
    newest="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -name initdb -path '*/bin/initdb' 2>/dev/null |
        sort -V | tail -n 1)"
    [[ -n "$newest" ]] && dirname "$newest"
}

install_postgres() {
    find_pg_bin >/dev/null && return 0
    say "Installing PostgreSQL from the OS packages..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || {
        apt-get update -q >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    }
}

ensure_postgres() {
    if ! PG_BIN="$(find_pg_bin)"; then
        [[ $EUID -eq 0 ]] || die "PostgreSQL is not installed: run this as root once, or apt-get install postgresql (or set SHOWCASE_PG_BIN)"
        with_cache_lock apt install_postgres
        PG_BIN="$(find_pg_bin)" || die "PostgreSQL is still missing after apt-get install postgresql"
    fi
    if [[ $EUID -eq 0 ]]; then
        id "$PG_OS_USER" >/dev/null 2>&1 || die "the $PG_OS_USER OS user is missing (it comes with the postgresql package)"
    fi
}

run_as_pg_user() {
    if [[ $EUID -eq 0 ]]; then
        # From /, as the current directory may be one the postgres user cannot enter.
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

running_url() {
    [[ -f "$STATE_FILE" ]] || return 1
    local DATABASE_URL="" PG_BIN="" PG_INSTANCE_DIR=""
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    run_as_pg_user "$PG_BIN/pg_ctl" -D "$PG_INSTANCE_DIR/data" status >/dev/null 2>&1 || return 1
    echo "$DATABASE_URL"
}

start() {
    local url
    if url="$(running_url)"; then
        say "PostgreSQL already running (state in $STATE_FILE)"
        echo "DATABASE_URL=$url"
        return 0
    fi
    if [[ -f "$STATE_FILE" && "${SHOWCASE_PG_DURABLE:-0}" == 1 ]] && resume; then
        return 0
    fi
    [[ -f "$STATE_FILE" ]] && stop >/dev/null 2>&1
    local started=$SECONDS
    require_commands python3:python3 flock:util-linux
    ensure_postgres

    local instance password
    instance="$(mktemp -d "${TMPDIR:-/tmp}/showcase-pg.XXXXXX")"
    mkdir -p "$instance/socket"
    password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    printf '%s\n' "$password" >"$instance/superuser-password"
    [[ $EUID -eq 0 ]] && chown -R "$PG_OS_USER:" "$instance"
    chmod 700 "$instance"

    say "Creating a PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') cluster in $instance..."
    run_as_pg_user "$PG_BIN/initdb" -D "$instance/data" -U postgres --auth=scram-sha-256 \
        --pwfile="$instance/superuser-password" --encoding=UTF8 --locale=C.UTF-8 >"$instance/initdb.log" 2>&1 || {
        tail -n 20 "$instance/initdb.log" >&2
        rm -rf "$instance"
        die "initdb failed (see above)"
    }

    local port attempt
    for attempt in 1 2 3; do
        port="$(free_port)"
        if run_as_pg_user "$PG_BIN/pg_ctl" -D "$instance/data" -l "$instance/postgres.log" -w -t 60 \
            -o "-p $port -k $instance/socket -c listen_addresses=127.0.0.1 $PG_SPEED_OPTIONS" \
            start >/dev/null 2>&1; then
            break
        fi
        say "  PostgreSQL did not start on port $port (attempt $attempt)"
        port=""
    done
    if [[ -z "$port" ]]; then
        say "----- last lines of $instance/postgres.log -----"
        tail -n 30 "$instance/postgres.log" >&2 || true
        rm -rf "$instance"
        die "PostgreSQL did not start"
    fi

    local role_password
    role_password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    run_as_pg_user env PGPASSWORD="$password" "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$instance/socket" \
        -p "$port" -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$role_password';
CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE;
SQL
    url="postgres://$PG_ROLE:$role_password@127.0.0.1:$port/$PG_DATABASE"
    write_state "$STATE_FILE" DATABASE_URL="$url" PG_BIN="$PG_BIN" PG_INSTANCE_DIR="$instance" PG_PORT="$port"
    say "PostgreSQL is up at 127.0.0.1:$port, database $PG_DATABASE ($(elapsed_since "$started"))"
    echo "DATABASE_URL=$url"
}

# Start a stopped cluster again on its data and port (durable mode only).
resume() {
    local DATABASE_URL="" PG_BIN="" PG_INSTANCE_DIR="" PG_PORT=""
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    [[ -d "$PG_INSTANCE_DIR/data" ]] || return 1
    say "Resuming PostgreSQL on its data in $PG_INSTANCE_DIR..."
    run_as_pg_user "$PG_BIN/pg_ctl" -D "$PG_INSTANCE_DIR/data" -l "$PG_INSTANCE_DIR/postgres.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_INSTANCE_DIR/socket -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 || return 1
    echo "DATABASE_URL=$DATABASE_URL"
}

stop() {
    if [[ ! -f "$STATE_FILE" ]]; then
        say "PostgreSQL is not running (no $STATE_FILE)"
        return 0
    fi
    local PG_BIN="" PG_INSTANCE_DIR="" PG_PORT=""
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    say "Stopping PostgreSQL on port $PG_PORT..."
    if [[ -d "$PG_INSTANCE_DIR/data" ]]; then
        run_as_pg_user "$PG_BIN/pg_ctl" -D "$PG_INSTANCE_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || {
            local pid
            pid="$(head -n 1 "$PG_INSTANCE_DIR/data/postmaster.pid" 2>/dev/null || true)"
            stop_pid "$pid" 10
        }
    fi
    [[ "$PG_INSTANCE_DIR" == "${TMPDIR:-/tmp}"/showcase-pg.* ]] && rm -rf "$PG_INSTANCE_DIR"
    rm -f "$STATE_FILE"
    say "PostgreSQL stopped"
}

status() {
    local url
    if url="$(running_url)"; then
        say "PostgreSQL is running"
        echo "DATABASE_URL=$url"
    else
        say "PostgreSQL is not running"
        return 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: $0 {start|stop|status}" ;;
esac
