"""Import POCs from a spreadsheet: `manage.py import_catalogue FILE [--images ZIP] [--dry-run]
[--publish]`.

Prints what happened to every row (created, updated, unchanged, refused with the row, the
column and why), and exits with status 1 when any row is refused, so a script can tell.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from poc_catalogue.progress import progress_bar
from poc_catalogue.transfer.archive import ImageArchive, UnreadableArchive
from poc_catalogue.transfer.importer import Action, ImportReport, import_catalogue
from poc_catalogue.transfer.reading import UnreadableFile


class Command(BaseCommand):
    help = (
        "Import POCs from a CSV or XLSX file (the columns the README lists), with their images "
        "from a ZIP. Rows are matched to POCs by their reference: importing the same file again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--images", help="A ZIP of the images the rows name.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report every row; write nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the POCs (drafts otherwise)."
        )

    def handle(self, *args, file: str, images: str | None, dry_run: bool, publish: bool, **options):
        translation.activate(settings.LANGUAGE_CODE)  # the report speaks the staff's French
        try:
            content = Path(file).read_bytes()
            archive = ImageArchive(images)
            with progress_bar("lignes") as progress:
                report = import_catalogue(
                    content,
                    name=file,
                    images=archive,
                    dry_run=dry_run,
                    publish=publish,
                    progress=progress,
                )
        except OSError as error:
            raise CommandError(str(error)) from error
        except (UnreadableFile, UnreadableArchive) as error:
            raise CommandError(str(error)) from error
        self.print_report(report)
        if report.refused:
            raise CommandError(report.summary(), returncode=1)
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def print_report(self, report: ImportReport) -> None:
        for row in report.rows:
            refused = row.action == Action.REFUSED
            line = f"{_('row')} {row.number}\t{row.action_label}\t{row.reference}\t{row.title}"
            self.stdout.write(self.style.ERROR(line) if refused else line)
            for problem in row.problems:
                self.stdout.write(
                    self.style.ERROR(
                        f"  {_('row')} {problem.row}, {problem.column}: {problem.message}"
                    )
                )
