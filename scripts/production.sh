#!/usr/bin/env bash
# The production topology on this one machine, loopback only: what `make production` runs.
#
#   scripts/production.sh start    nginx → gunicorn (showcase.settings.production) + the task worker,
#                                  PostgreSQL, a three-node Elasticsearch cluster (one replica), the
#                                  demo catalogue loaded and indexed; prints SITE_URL=..., the admin
#                                  login and ELASTICSEARCH_URL=... (every node). Idempotent: on a
#                                  running stack it starts what is missing and prints the same.
#   scripts/production.sh stop     stop all of it and delete its data (idempotent)
#   scripts/production.sh status   what runs (exit 3 when the stack is not fully up)
#   scripts/production.sh env      `export` lines of the stack's environment, for manage.py by hand:
#                                  eval "$(scripts/production.sh env)"
#   scripts/production.sh code     the admin's current two-factor code
#
# Every process uses the files of deploy/ an operator installs: the nginx site and its snippets,
# deploy/gunicorn.conf.py, the worker's command, an environment file like
# deploy/showcase.env.example (kept, mode 600, in the state directory). The differences from a
# real deployment are loopback addresses, plain HTTP (no certificate to fake: SECURE_COOKIES and
# SECURE_SSL_REDIRECT are off), and emails written to files instead of sent.
#
# State: $SHOWCASE_PRODUCTION_DIR (default .cache/production in the clone) holds the environment
# file, secrets, pids and logs; the files nginx serves (static, media) live in a world-readable
# directory outside the clone, so nginx's unprivileged workers can read them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PRODUCTION_DIR="${SHOWCASE_PRODUCTION_DIR:-$SHOWCASE_ROOT/.cache/production}"
STATE_FILE="$PRODUCTION_DIR/production.state"
ENV_FILE="$PRODUCTION_DIR/showcase.env"
DEMO_COUNT="${PRODUCTION_DEMO_COUNT:-600}"
ES_NODE_COUNT_WANTED="${PRODUCTION_ES_NODES:-3}"
PYTHON="$SHOWCASE_ROOT/.venv/bin/python"
GUNICORN="$SHOWCASE_ROOT/.venv/bin/gunicorn"
MANAGE="$SHOWCASE_ROOT/deploy/bin/manage"

# The services' own scripts keep their state beside ours, never in `make services`' directory.
export SHOWCASE_STATE_DIR="$PRODUCTION_DIR/services"
export SHOWCASE_PG_DURABLE=1
export SHOWCASE_ES_NODES="$ES_NODE_COUNT_WANTED"
# Each node's heap: three of them share the machine with everything else.
export SHOWCASE_ES_JAVA_OPTS="${SHOWCASE_ES_JAVA_OPTS:--Xms512m -Xmx512m}"

load_state() {
    SITE_PORT="" APP_PORT="" DATA_DIR=""
    [[ -f "$STATE_FILE" ]] || return 1
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    [[ -n "$DATA_DIR" && -d "$DATA_DIR" ]]
}

pid_of() { cat "$PRODUCTION_DIR/run/$1.pid" 2>/dev/null || true; }

nginx_pid() { cat "$DATA_DIR/nginx/nginx.pid" 2>/dev/null || true; }

site_answers() { curl -fsS -m 10 -o /dev/null "http://127.0.0.1:$SITE_PORT/healthz/" 2>/dev/null; }

# Run manage.py exactly as cron and operators do in production.
manage() { SHOWCASE_ENV_FILE="$ENV_FILE" "$MANAGE" "$@"; }

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# Kept across restarts: a new key would log everyone out and re-issue the makers' status links.
secret() {
    local file="$PRODUCTION_DIR/$1"
    [[ -s "$file" ]] || (umask 077 && random_hex "$2" >"$file")
    cat "$file"
}

# One KEY=value per line, double-quoted where needed: readable by sh, bash and systemd alike.
write_env_file() {
    local es_url="$1" database_url="$2"
    (
        umask 077
        cat >"$ENV_FILE.tmp" <<ENV
# Written by scripts/production.sh for the loopback rehearsal; see deploy/showcase.env.example.
DJANGO_SETTINGS_MODULE=showcase.settings.production
SECRET_KEY=$(secret secret-key 50)
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$SITE_PORT
WAGTAILADMIN_BASE_URL=http://127.0.0.1:$SITE_PORT
TRUSTED_PROXY_COUNT=1
TRUSTED_PROXIES=127.0.0.1/32
DOCUMENTS_ACCEL_REDIRECT_URL=/protected-media/
DATABASE_URL=$database_url
ELASTICSEARCH_URL=$es_url
ELASTICSEARCH_INDEX_PREFIX=showcase
ELASTICSEARCH_REPLICAS=1
MEDIA_ROOT=$DATA_DIR/media
STATIC_ROOT=$DATA_DIR/static
SUBMISSION_KEPT_IMAGES_DIR=$PRODUCTION_DIR/kept-images
EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
EMAIL_FILE_PATH=$PRODUCTION_DIR/mail
DEFAULT_FROM_EMAIL="POC Showcase <noreply@localhost>"
TWO_FACTOR_REQUIRED=true
SECURE_SSL_REDIRECT=false
SECURE_COOKIES=false
GUNICORN_BIND=127.0.0.1:$APP_PORT
GUNICORN_PIDFILE=$PRODUCTION_DIR/run/gunicorn.pid
GUNICORN_ACCESS_LOG=$PRODUCTION_DIR/logs/gunicorn.access.log
GUNICORN_ERROR_LOG=$PRODUCTION_DIR/logs/gunicorn.error.log
ENV
        mv "$ENV_FILE.tmp" "$ENV_FILE"
    )
}

# The main nginx.conf a Debian host already has, reduced to what the rehearsal needs; the site
# itself is deploy/nginx/poc-showcase.conf with its placeholders filled in.
write_nginx_config() {
    local dir="$DATA_DIR/nginx"
    mkdir -p "$dir/snippets" "$dir/logs" "$dir/temp"
    cp "$SHOWCASE_ROOT"/deploy/nginx/security-headers.conf "$SHOWCASE_ROOT"/deploy/nginx/proxy.conf "$dir/snippets/"
    sed -e "s|@LISTEN@|127.0.0.1:$SITE_PORT|" \
        -e "s|@SERVER_NAME@|127.0.0.1 localhost|" \
        -e "s|@APP_SERVERS@|server 127.0.0.1:$APP_PORT max_fails=0;|" \
        -e "s|@STATIC_ROOT@|$DATA_DIR/static|g" \
        -e "s|@MEDIA_ROOT@|$DATA_DIR/media|g" \
        -e "s|@SNIPPETS@|$dir/snippets|g" \
        -e "s|/var/log/nginx/poc-showcase.access.log|$dir/logs/access.log|" \
        "$SHOWCASE_ROOT/deploy/nginx/poc-showcase.conf" >"$dir/poc-showcase.conf"
    {
        [[ $EUID -eq 0 ]] && echo "user www-data;"
        cat <<NGINX
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    client_body_temp_path $dir/temp/client_body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    include $dir/poc-showcase.conf;
}
NGINX
    } >"$dir/nginx.conf"
}

start_nginx() {
    local dir="$DATA_DIR/nginx"
    if pid_alive "$(nginx_pid)"; then
        nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" -s reload
        return 0
    fi
    nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" ||
        die "nginx refused its configuration ($dir/nginx.conf)"
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log"
}

start_gunicorn() {
    pid_alive "$(pid_of gunicorn)" && return 0
    (
        set -a
        # shellcheck disable=SC1090
        source "$ENV_FILE"
        set +a
        cd "$SHOWCASE_ROOT"
        "$GUNICORN" -c deploy/gunicorn.conf.py --daemon showcase.wsgi
    )
}

# Run a command again whenever it exits, as systemd's Restart=always with RestartSec=5 does for
# deploy/systemd/poc-showcase-worker.service: db_worker exits on a database error it cannot
# handle (a restore replacing the tables under a running task), and nothing may stay unindexed.
# TERM stops the command, then the loop.
supervise() {
    local child status
    trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT
    while :; do
        "$@" &
        child=$!
        wait "$child" && status=0 || status=$?
        echo "$(date -Iseconds) $1 exited with status $status; starting it again in 5 s"
        sleep 5 &
        child=$!
        wait "$child" || true
    done
}

start_worker() {
    pid_alive "$(pid_of worker)" && return 0
    (
        cd /
        SHOWCASE_ENV_FILE="$ENV_FILE" setsid bash -c "$(declare -f supervise); supervise \"\$@\"" \
            supervise "$MANAGE" db_worker --no-startup-delay \
            >>"$PRODUCTION_DIR/logs/worker.log" 2>&1 </dev/null &
        echo $! >"$PRODUCTION_DIR/run/worker.pid"
    )
}

wait_for_site() {
    local deadline=$((SECONDS + 60))
    until site_answers; do
        ((SECONDS < deadline)) || {
            tail -n 30 "$PRODUCTION_DIR/logs/gunicorn.error.log" >&2 || true
            die "the site did not answer on http://127.0.0.1:$SITE_PORT/healthz/ within 60 s"
        }
        sleep 0.5
    done
}

# The catalogue index with its replica allocated: green health, so any one node can go.
wait_for_green() {
    local url="${1%%,*}"
    curl -fsS -m 130 "$url/_cluster/health?wait_for_status=green&timeout=120s" >/dev/null ||
        die "the Elasticsearch cluster did not turn green (replicas unassigned?)"
}

print_login() {
    echo "SITE_URL=http://127.0.0.1:$SITE_PORT"
    echo "ADMIN_URL=http://127.0.0.1:$SITE_PORT/admin/"
    echo "ADMIN_USERNAME=admin"
    echo "ADMIN_PASSWORD=$(cat "$PRODUCTION_DIR/admin-password")"
    echo "ADMIN_TOTP_KEY_FILE=$PRODUCTION_DIR/admin-totp.key"
    echo "ELASTICSEARCH_URL=$(sed -n 's/^ELASTICSEARCH_URL=//p' "$ENV_FILE")"
    echo "SHOWCASE_ENV_FILE=$ENV_FILE"
    say "The admin's second factor: scripts/production.sh code prints the current code (or add the"
    say "otpauth:// address of $PRODUCTION_DIR/admin-totp.uri to an authenticator app)."
}

start() {
    require_commands nginx:nginx curl:curl
    [[ -x "$GUNICORN" ]] || die "no virtual environment: run make install first"
    local started=$SECONDS fresh=false
    mkdir -p "$PRODUCTION_DIR"/{run,logs,mail,kept-images}
    chmod 700 "$PRODUCTION_DIR"
    if ! load_state; then
        fresh=true
        DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/showcase-production.XXXXXX")"
        chmod 755 "$DATA_DIR"
        mkdir -p "$DATA_DIR/static" "$DATA_DIR/media"
        SITE_PORT="$(free_port)"
        APP_PORT="$(free_port)"
        write_state "$STATE_FILE" SITE_PORT="$SITE_PORT" APP_PORT="$APP_PORT" DATA_DIR="$DATA_DIR"
    fi
    if pid_alive "$(nginx_pid)" && pid_alive "$(pid_of gunicorn)" && pid_alive "$(pid_of worker)" &&
        site_answers && "$SHOWCASE_ROOT/scripts/elasticsearch.sh" status >/dev/null 2>&1; then
        say "The production stack already runs (state in $PRODUCTION_DIR)"
        print_login
        return 0
    fi

    say "Starting PostgreSQL and a $ES_NODE_COUNT_WANTED-node Elasticsearch cluster..."
    local pg_line es_line
    pg_line="$("$SHOWCASE_ROOT/scripts/postgres.sh" start)"
    es_line="$("$SHOWCASE_ROOT/scripts/elasticsearch.sh" start)"
    write_env_file "${es_line#ELASTICSEARCH_URL=}" "${pg_line#DATABASE_URL=}"

    say "Migrating and collecting static files..."
    manage migrate --no-input -v 0
    manage collectstatic --no-input -v 0
    # The media directory belongs to the app; nginx's workers only read it.
    chmod -R a+rX "$DATA_DIR"

    if $fresh || [[ ! -s "$PRODUCTION_DIR/admin-password" ]]; then
        say "Creating the admin account and loading $DEMO_COUNT demo POCs..."
        DJANGO_SUPERUSER_PASSWORD="$(secret admin-password 12)" \
            manage bootstrap_site --demo-count "$DEMO_COUNT" >>"$PRODUCTION_DIR/logs/bootstrap.log"
        manage two_factor enrol admin --key-file "$PRODUCTION_DIR/admin-totp.key" \
            >"$PRODUCTION_DIR/admin-totp.uri"
        chmod 600 "$PRODUCTION_DIR/admin-totp.uri"
        chmod -R a+rX "$DATA_DIR/media"
        say "Indexing the catalogue (one replica per shard)..."
        manage catalogue_index rebuild >&2
    fi
    wait_for_green "${es_line#ELASTICSEARCH_URL=}"

    say "Starting gunicorn, the task worker and nginx..."
    start_gunicorn
    start_worker
    write_nginx_config
    start_nginx
    wait_for_site
    say "The production stack is up ($(elapsed_since "$started")); scripts/production.sh stop (make production-stop) removes it."
    print_login
}

stop() {
    if ! load_state; then
        say "No production stack in $PRODUCTION_DIR"
    else
        say "Stopping nginx, gunicorn and the task worker..."
        if pid_alive "$(nginx_pid)"; then
            nginx -p "$DATA_DIR/nginx" -c "$DATA_DIR/nginx/nginx.conf" -e "$DATA_DIR/nginx/logs/error.log" -s quit ||
                true
            stop_pid "$(nginx_pid)" 15
        fi
    fi
    stop_pid "$(pid_of gunicorn)" 30
    stop_pid "$(pid_of worker)" 60
    if [[ -d "$SHOWCASE_STATE_DIR" ]]; then
        "$SHOWCASE_ROOT/scripts/elasticsearch.sh" stop || true
        "$SHOWCASE_ROOT/scripts/postgres.sh" stop || true
    fi
    [[ -n "${DATA_DIR:-}" && "$DATA_DIR" == "${TMPDIR:-/tmp}"/showcase-production.* ]] && rm -rf "$DATA_DIR"
    rm -rf "$PRODUCTION_DIR"
    say "The production stack is stopped and its data removed"
}

status() {
    local up=0
    if ! load_state; then
        say "No production stack (make production starts one)"
        return 3
    fi
    local name pid
    pid_alive "$(nginx_pid)" && say "nginx      running (pid $(nginx_pid)) on 127.0.0.1:$SITE_PORT" ||
        { say "nginx      stopped"; up=3; }
    for name in gunicorn worker; do
        pid="$(pid_of "$name")"
        pid_alive "$pid" && say "$(printf '%-10s' "$name") running (pid $pid)" ||
            { say "$(printf '%-10s' "$name") stopped"; up=3; }
    done
    "$SHOWCASE_ROOT/scripts/postgres.sh" status >/dev/null 2>&1 && say "postgresql running" ||
        { say "postgresql stopped"; up=3; }
    "$SHOWCASE_ROOT/scripts/elasticsearch.sh" status >/dev/null 2>&1 &&
        say "elasticsearch running ($ES_NODE_COUNT_WANTED nodes)" || { say "elasticsearch not fully running"; up=3; }
    site_answers && say "site       answers at http://127.0.0.1:$SITE_PORT/" || { say "site       does not answer"; up=3; }
    return "$up"
}

print_env() {
    [[ -f "$ENV_FILE" ]] || die "no production stack running (make production starts one)"
    grep -E '^[A-Z_]+=' "$ENV_FILE" | sed 's/^/export /'
    load_state && echo "export SITE_URL=http://127.0.0.1:$SITE_PORT"
}

code() {
    [[ -f "$ENV_FILE" ]] || die "no production stack running (make production starts one)"
    manage two_factor code --key-file "$PRODUCTION_DIR/admin-totp.key"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) print_env ;;
    code) code ;;
    *) die "usage: $0 {start|stop|status|env|code}" ;;
esac
