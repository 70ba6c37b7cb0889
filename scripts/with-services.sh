#!/usr/bin/env bash
# Run one command against a fresh Elasticsearch and PostgreSQL, then stop them whatever the outcome:
#
#   scripts/with-services.sh .venv/bin/python -m pytest
#
# The command sees ELASTICSEARCH_URL, DATABASE_URL and SHOWCASE_REQUIRE_SERVICES=1 (tests that need a
# service fail instead of skipping). The services' state lives in a private directory, so several runs,
# in one worktree or many, never share a server. Exits with the command's status.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

(($# > 0)) || die "usage: $0 COMMAND [ARGS...]"

SHOWCASE_STATE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/showcase-services.XXXXXX")"
export SHOWCASE_STATE_DIR

cleanup() {
    "$SHOWCASE_ROOT/scripts/services.sh" stop || say "warning: stopping the services failed"
    rm -rf "$SHOWCASE_STATE_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
say "Starting Elasticsearch and PostgreSQL for: $*"
while IFS= read -r line; do
    [[ "$line" == *=* ]] && export "${line%%=*}=${line#*=}"
done < <("$SHOWCASE_ROOT/scripts/services.sh" start)
[[ -n "${ELASTICSEARCH_URL:-}" && -n "${DATABASE_URL:-}" ]] || die "the services did not start"
export SHOWCASE_REQUIRE_SERVICES=1
say "Services ready in $(elapsed_since "$started"); running: $*"

set +e
"$@"
status=$?
set -e
say "Command finished with exit status $status; stopping the services"
exit "$status"
