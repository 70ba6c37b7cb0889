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

manage() { SHOWCASE_ENV_FILE="$ENV_FILE" "$SHOWCASE_ROOT/deploy/bin/manage" "$@"; }

started=$SECONDS
say "Checking the backup's checksums..."
(cd "$BACKUP" && sha256sum --check --quiet --strict SHA256SUMS) >&2 ||
    die "$BACKUP is damaged: a checksum does not match (see above); nothing was changed"
"$(pg_client pg_restore)" --list "$BACKUP/database.dump" >/dev/null ||
    die "$BACKUP/database.dump is not a dump pg_restore can read; nothing was changed"
say "The task worker should be stopped meanwhile (systemctl stop poc-showcase-worker); pages keep being served."

# The media are unpacked beside MEDIA_ROOT before anything changes (a full disk stops the restore
# here), and moved in once the database holds the backup's rows.
mkdir -p "$MEDIA_ROOT"
incoming="$(mktemp -d "$(dirname "$MEDIA_ROOT")/.media-restore.XXXXXX")"
script=""
trap 'rm -rf "$incoming"; rm -f "$script"' EXIT
say "Unpacking the media files..."
tar --extract --file="$BACKUP/media.tar" --directory="$incoming" --no-same-owner ||
    die "the media of $BACKUP could not be unpacked beside $MEDIA_ROOT; nothing was changed"
chmod -R a+rX "$incoming"

# Every table and sequence of the schema goes first, not only those in the dump: a database
# already migrated by a newer release (a fresh stack, or a failed upgrade) has tables the
# backup never knew, and `migrate` would then stop at "relation already exists". One
# transaction for all of it: a restore that fails leaves the database as it was. The script is
# written out whole before psql starts, so a pg_restore that stops halfway cannot commit half.
say "Restoring the database..."
script="$(umask 077 && mktemp "${TMPDIR:-/tmp}/poc-showcase-restore.XXXXXX.sql")"
{
    cat <<'SQL'
DO $$
DECLARE
    object record;
BEGIN
    FOR object IN
        SELECT 'TABLE' AS kind, tablename AS name FROM pg_tables WHERE schemaname = current_schema()
        UNION ALL
        SELECT 'VIEW', viewname FROM pg_views WHERE schemaname = current_schema()
    LOOP
        EXECUTE format('DROP %s IF EXISTS %I CASCADE', object.kind, object.name);
    END LOOP;
    FOR object IN SELECT sequencename AS name FROM pg_sequences WHERE schemaname = current_schema()
    LOOP
        EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', object.name);
    END LOOP;
END
$$;
SQL
    "$(pg_client pg_restore)" --clean --if-exists --no-owner --no-privileges --file=- "$BACKUP/database.dump"
} >"$script"
"$(pg_client psql)" --quiet --no-psqlrc --set=ON_ERROR_STOP=1 --single-transaction \
    --output=/dev/null --file="$script" --dbname="$DATABASE_URL" ||
    die "the database could not be restored (see above); it was left as it was"
rm -f "$script"

say "Replacing the media files of $MEDIA_ROOT..."
find "$MEDIA_ROOT" -mindepth 1 -delete
find "$incoming" -mindepth 1 -maxdepth 1 -exec mv -t "$MEDIA_ROOT" {} +

say "Applying this release's migrations..."
manage migrate --no-input -v 0
say "Rebuilding the search index from the restored POCs..."
manage catalogue_index rebuild
manage catalogue_index check
say "Restored $BACKUP in $(elapsed_since "$started")"
