# Shared by the service scripts (sourced, not run). Messages go to stderr so that stdout carries only
# the KEY=value lines a caller may eval.

SHOWCASE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Where each worktree keeps the state of the services it started (URLs, pids, temporary directories).
# with-services.sh points this at a private directory so concurrent runs never share it.
SHOWCASE_STATE_DIR="${SHOWCASE_STATE_DIR:-$SHOWCASE_ROOT/.cache/services}"

# Downloads and unpacked servers, reused from run to run. Outside the clone on purpose: a clone in a
# private (mode 700) directory cannot be read by the unprivileged user that runs Elasticsearch.
if [[ -z "${SHOWCASE_CACHE_DIR:-}" ]]; then
    if [[ $EUID -eq 0 ]]; then
        SHOWCASE_CACHE_DIR=/var/cache/poc-showcase
    else
        SHOWCASE_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/poc-showcase"
    fi
fi

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# A TCP port nobody listens on right now, chosen by the kernel.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Run "$@" with an exclusive lock on a file in the cache, so concurrent copies do not unpack or build
# the same thing at once.
with_cache_lock() {
    local name="$1"
    shift
    mkdir -p "$SHOWCASE_CACHE_DIR"
    (
        flock -w 900 9 || die "timed out waiting for the lock $SHOWCASE_CACHE_DIR/.$name.lock"
        "$@"
    ) 9>"$SHOWCASE_CACHE_DIR/.$name.lock"
}

# Write KEY=value lines (shell-quoted) atomically to a state file.
write_state() {
    local file="$1"
    shift
    mkdir -p "$(dirname "$file")"
    local tmp="$file.tmp.$$"
    : >"$tmp"
    local pair
    for pair in "$@"; do
        printf '%s=%q\n' "${pair%%=*}" "${pair#*=}" >>"$tmp"
    done
    mv "$tmp" "$file"
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Stop a process: TERM, wait up to $2 seconds, then KILL.
stop_pid() {
    local pid="$1" grace="${2:-30}" waited=0
    pid_alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    while pid_alive "$pid" && ((waited < grace * 10)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    if pid_alive "$pid"; then
        say "  process $pid still running after ${grace}s, killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

# Fail early, naming the Debian package, when a tool the scripts use is missing.
require_commands() {
    local command missing=()
    for command in "$@"; do
        command -v "${command%%:*}" >/dev/null || missing+=("${command#*:}")
    done
    ((${#missing[@]} == 0)) || die "missing tools; install them with: apt-get install ${missing[*]}"
}

elapsed_since() { echo "$((SECONDS - $1))s"; }

# A PostgreSQL client program (pg_dump, pg_restore, psql) of the newest installed major version:
# pg_dump refuses a server newer than itself, and a newer client reads every older server.
pg_client() {
    local bin="${SHOWCASE_PG_BIN:-}"
    if [[ -z "$bin" ]]; then
        bin="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -name "$1" -path '*/bin/*' 2>/dev/null |
            sort -V | tail -n 1 | xargs -r dirname)"
    fi
    [[ -x "$bin/$1" ]] || die "$1 not found: apt-get install postgresql-client (or set SHOWCASE_PG_BIN)"
    echo "$bin/$1"
}
