#!/usr/bin/env bash
# Elasticsearch and PostgreSQL together, for `make services` and the test run.
#
#   scripts/services.sh start   start both and print ELASTICSEARCH_URL=... and DATABASE_URL=...
#   scripts/services.sh stop    stop both
#   scripts/services.sh env     print `export ...` lines for the running pair: eval "$(scripts/services.sh env)"
#
# The state (URLs, pids, temporary directories) is kept in $SHOWCASE_STATE_DIR, by default .cache/services/
# in this worktree, so each clone has its own pair.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SCRIPTS="$SHOWCASE_ROOT/scripts"
STATE_FILE="$SHOWCASE_STATE_DIR/services.env"

start() {
    local pg_line es_line
    pg_line="$("$SCRIPTS/postgres.sh" start)"
    if ! es_line="$("$SCRIPTS/elasticsearch.sh" start)"; then
        "$SCRIPTS/postgres.sh" stop || true
        die "Elasticsearch did not start; PostgreSQL stopped again"
    fi
    write_state "$STATE_FILE" "$es_line" "$pg_line"
    say "Services running; use them with the lines below (scripts/services.sh env prints them as exports,"
    say "scripts/services.sh stop or make services-stop stops them):"
    echo "$es_line"
    echo "$pg_line"
}

stop() {
    local status=0
    "$SCRIPTS/elasticsearch.sh" stop || status=1
    "$SCRIPTS/postgres.sh" stop || status=1
    rm -f "$STATE_FILE"
    return "$status"
}

print_env() {
    [[ -f "$STATE_FILE" ]] || die "no services running for this worktree (start them with: make services)"
    sed 's/^/export /' "$STATE_FILE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) print_env ;;
    *) die "usage: $0 {start|stop|env}" ;;
esac
