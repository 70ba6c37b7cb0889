#!/usr/bin/env bash
# Bring a backup of scripts/backup.sh back into a POC Showcase: what `make restore BACKUP=...` runs.
#
#   scripts/restore.sh --env-file /etc/poc-showcase/showcase.env /var/backups/poc-showcase/poc-showcase-<time>
#
# Checks every checksum before touching anything, then replaces the database's content with the
# dump, the media with the archive, applies the migrations of this release (a backup from an older
# one), rebuilds the Elasticsearch index from the restored POCs and checks it. Stop the task
# worker first (systemctl stop poc-showcase-worker) so no task runs against a half-restored
# database; gunicorn may keep serving, it shows the old content until the dump is in.
# The environment file must hold the SECRET_KEY of the backed-up site, or sessions end and the
# makers' status links change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ENV_FILE="" BACKUP=""
while (($#)); do
    case "$1" in
        --env-file) ENV_FILE="$2"; shift 2 ;;
        -*) die "usage: $0 --env-file FILE BACKUP_DIR" ;;
        *) BACKUP="$1"; shift ;;
    esac
done
[[ -n "$ENV_FILE" && -n "$BACKUP" ]] || die "usage: $0 --env-file FILE BACKUP_DIR"
[[ -r "$ENV_FILE" ]] || die "cannot read the environment file $ENV_FILE"
[[ -d "$BACKUP" ]] || die "no backup directory $BACKUP"
for file in SHA256SUMS database.dump media.tar manifest.json; do
    [[ -f "$BACKUP/$file" ]] || die "$BACKUP is incomplete: $file is missing; nothing was changed"
done

set -a
# shellcheck disable=SC1090
source "$ENV_FILE"
set +a
[[ "${DATABASE_URL:-}" == postgres* ]] || die "DATABASE_URL in $ENV_FILE is not PostgreSQL"
[[ -n "${MEDIA_ROOT:-}" ]] || die "MEDIA_ROOT is not set in $ENV_FILE"

pg_program() {
    local bin="${SHOWCASE_PG_BIN:-}"
    [[ -z "$bin" ]] && bin="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -name "$1" -path '*/bin/*' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname)"
    [[ -x "$bin/$1" ]] || die "$1 not found: apt-get install postgresql-client (or set SHOWCASE_PG_BIN)"
    echo "$bin/$1"
}
manage() { SHOWCASE_ENV_FILE="$ENV_FILE" "$SHOWCASE_ROOT/deploy/bin/manage" "$@"; }

started=$SECONDS
say "Checking the backup's checksums..."
(cd "$BACKUP" && sha256sum --check --quiet --strict SHA256SUMS) >&2 ||
    die "$BACKUP is damaged: a checksum does not match (see above); nothing was changed"
"$(pg_program pg_restore)" --list "$BACKUP/database.dump" >/dev/null ||
    die "$BACKUP/database.dump is not a dump pg_restore can read; nothing was changed"

say "Restoring the database..."
"$(pg_program pg_restore)" --clean --if-exists --no-owner --no-privileges --single-transaction \
    --exit-on-error --dbname="$DATABASE_URL" "$BACKUP/database.dump"

say "Restoring the media files into $MEDIA_ROOT..."
mkdir -p "$MEDIA_ROOT"
incoming="$(mktemp -d "$(dirname "$MEDIA_ROOT")/.media-restore.XXXXXX")"
tar --extract --file="$BACKUP/media.tar" --directory="$incoming" --no-same-owner
chmod -R a+rX "$incoming"
find "$MEDIA_ROOT" -mindepth 1 -delete
(cd "$incoming" && tar --create --file=- .) | tar --extract --file=- --directory="$MEDIA_ROOT"
rm -rf "$incoming"

say "Applying this release's migrations..."
manage migrate --no-input -v 0
say "Rebuilding the search index from the restored POCs..."
manage catalogue_index rebuild
manage catalogue_index check
say "Restored $BACKUP in $(elapsed_since "$started")"
