#!/usr/bin/env bash
# A consistent backup of a running POC Showcase: what `make backup` and the nightly cron line run.
#
#   scripts/backup.sh --env-file /etc/poc-showcase/showcase.env --output /var/backups/poc-showcase [--keep 30]
#
# Writes OUTPUT/poc-showcase-<UTC time>/ with:
#   database.dump   pg_dump's custom format: one snapshot of the content, revisions, submissions,
#                   users and the task queue
#   media.tar       MEDIA_ROOT (original images, renditions, documents, makers' logos)
#   manifest.json   when, which release, the migrations applied per app, the database, what it
#                   holds (counts of POCs, revisions, images, documents, submissions; files, sizes)
#   SHA256SUMS      checked by scripts/restore.sh before it touches anything
#
# The dump is taken first, then the media, and that is consistent enough without stopping the
# site: files are only ever added under new names (Wagtail's storage picks a free name for every
# original, rendition and document; a replaced image or document gets a new file and the old one
# is deleted, never rewritten), so every file the dump refers to is already on disk when the tar
# reads it, and a file uploaded meanwhile is only an unreferenced extra. The one gap is a file
# deleted in those few seconds (an image or document deleted, or its file replaced): its row is
# in the dump, its file is not, as if the deletion had half happened.
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

started=$SECONDS
mkdir -p "$OUTPUT"
name="poc-showcase-$(date -u +%Y%m%dT%H%M%SZ)"
work="$(mktemp -d "$OUTPUT/.$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"

say "Dumping the database..."
"$(pg_client pg_dump)" --format=custom --no-owner --no-privileges --file="$work/database.dump" \
    --dbname="$DATABASE_URL"
say "Archiving the media files of $MEDIA_ROOT..."
# tar exits 1 when a file changed or went while it read it (an upload or a deletion meanwhile,
# see above): expected on a running site, so only 2 (a fatal error) fails the backup.
tar_status=0
tar --create --file="$work/media.tar" --directory="$MEDIA_ROOT" . || tar_status=$?
((tar_status <= 1)) || die "tar could not archive $MEDIA_ROOT"

say "Writing the manifest..."
# The counts are read a few seconds after the dump's snapshot: a summary for the operator, not a proof.
BACKUP_WORK="$work" SHOWCASE_ENV_FILE="$ENV_FILE" "$SHOWCASE_ROOT/deploy/bin/manage" shell --no-imports -c "
import json, os, subprocess, tarfile
from collections import defaultdict
from importlib.metadata import version
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Revision
from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission
work = os.environ['BACKUP_WORK']
commit = subprocess.run(['git', '-C', '$SHOWCASE_ROOT', 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip()
applied = defaultdict(list)
for app, name in MigrationRecorder.Migration.objects.values_list('app', 'name'):
    applied[app].append(name)
with tarfile.open(os.path.join(work, 'media.tar')) as archive:
    files = [{'name': member.name, 'size': member.size} for member in archive.getmembers() if member.isfile()]
manifest = {
    'created_at': timezone.now().isoformat(),
    'release': {'version': version('poc-showcase'), 'commit': commit or 'unknown'},
    'database': {'name': connection.settings_dict['NAME'], 'server_version': connection.pg_version},
    'migrations': {app: {'applied': len(names), 'latest': max(names)} for app, names in sorted(applied.items())},
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
with open(os.path.join(work, 'manifest.json'), 'w') as out:
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
