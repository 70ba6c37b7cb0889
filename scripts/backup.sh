#!/usr/bin/env bash
# A consistent backup of a running POC Showcase: what `make backup` and the nightly cron line run.
#
#   scripts/backup.sh --env-file /etc/poc-showcase/showcase.env --output /var/backups/poc-showcase [--keep 30]
#
# Writes OUTPUT/poc-showcase-<UTC time>/ with:
#   database.dump   pg_dump's custom format: one snapshot of the content, revisions, submissions,
#                   users and the task queue
#   media.tar       MEDIA_ROOT (original images, renditions, documents, makers' logos)
#   manifest.json   when, which release, what it holds (counts, files, sizes)
#   SHA256SUMS      checked by scripts/restore.sh before it touches anything
#
# The dump is taken first, then the media: uploads only ever add files under new names (Wagtail
# never rewrites an original, a rendition or a document in place), so every file the dump
# refers to is in the tar; a file uploaded meanwhile is only an unreferenced extra.
# Not in it: the environment file (SECRET_KEY: keep it in your secrets store), the
# Elasticsearch index (restore rebuilds it), the kept images of refused attempts (a day's cache).
# The backup is written under a temporary name and renamed when complete: an interrupted run
# never looks like a backup.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ENV_FILE="" OUTPUT="" KEEP=0
while (($#)); do
    case "$1" in
        --env-file) ENV_FILE="$2"; shift 2 ;;
        --output) OUTPUT="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        *) die "usage: $0 --env-file FILE --output DIR [--keep N]" ;;
    esac
done
[[ -n "$ENV_FILE" && -n "$OUTPUT" ]] || die "usage: $0 --env-file FILE --output DIR [--keep N]"
[[ -r "$ENV_FILE" ]] || die "cannot read the environment file $ENV_FILE"
[[ "$KEEP" =~ ^[0-9]+$ ]] || die "--keep takes a number of backups"

set -a
# shellcheck disable=SC1090
source "$ENV_FILE"
set +a
[[ "${DATABASE_URL:-}" == postgres* ]] || die "DATABASE_URL in $ENV_FILE is not PostgreSQL: back up its SQLite file by hand"
[[ -d "${MEDIA_ROOT:-}" ]] || die "MEDIA_ROOT ($MEDIA_ROOT) is not a directory"

pg_program() {
    local bin="${SHOWCASE_PG_BIN:-}"
    [[ -z "$bin" ]] && bin="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -name "$1" -path '*/bin/*' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname)"
    [[ -x "$bin/$1" ]] || die "$1 not found: apt-get install postgresql-client (or set SHOWCASE_PG_BIN)"
    echo "$bin/$1"
}

started=$SECONDS
mkdir -p "$OUTPUT"
name="poc-showcase-$(date -u +%Y%m%dT%H%M%SZ)"
work="$(mktemp -d "$OUTPUT/.$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"

say "Dumping the database..."
"$(pg_program pg_dump)" --format=custom --no-owner --no-privileges --file="$work/database.dump" \
    --dbname="$DATABASE_URL"
say "Archiving the media files of $MEDIA_ROOT..."
tar --create --file="$work/media.tar" --directory="$MEDIA_ROOT" .

say "Writing the manifest..."
SHOWCASE_ENV_FILE="$ENV_FILE" "$SHOWCASE_ROOT/deploy/bin/manage" shell --no-imports -c "
import json, subprocess, tarfile
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Revision
from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission
commit = subprocess.run(['git', '-C', '$SHOWCASE_ROOT', 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip()
with tarfile.open('$work/media.tar') as archive:
    files = [{'name': member.name, 'size': member.size} for member in archive.getmembers() if member.isfile()]
manifest = {
    'created_at': timezone.now().isoformat(),
    'release': commit or 'unknown',
    'migrations': MigrationRecorder.Migration.objects.count(),
    'counts': {
        'poc_pages': POCPage.objects.count(),
        'published_poc_pages': POCPage.objects.live().count(),
        'revisions': Revision.objects.count(),
        'images': Image.objects.count(),
        'documents': Document.objects.count(),
        'submissions': Submission.objects.count(),
    },
    'media_files': len(files),
    'media_bytes': sum(file['size'] for file in files),
    'files': files,
}
with open('$work/manifest.json', 'w') as out:
    json.dump(manifest, out, indent=2)
print(json.dumps(manifest['counts']))
" >"$work/counts.json"
(cd "$work" && sha256sum database.dump media.tar manifest.json >SHA256SUMS)
counts="$(tail -n 1 "$work/counts.json")"
rm -f "$work/counts.json"
chmod 600 "$work"/*
mv "$work" "$OUTPUT/$name"
trap - EXIT

if ((KEEP > 0)); then
    find "$OUTPUT" -mindepth 1 -maxdepth 1 -type d -name 'poc-showcase-*' | sort | head -n "-$KEEP" |
        while read -r old; do
            say "Removing the old backup $old"
            rm -rf "$old"
        done
fi
size="$(du -sh "$OUTPUT/$name" | cut -f1)"
say "Backup written to $OUTPUT/$name ($size, $(elapsed_since "$started")): $counts"
echo "BACKUP=$OUTPUT/$name"
