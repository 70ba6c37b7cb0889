"""Export the catalogue's POCs: `manage.py export_catalogue --format csv|xlsx --output FILE
[--images ZIP]`, in the columns `import_catalogue` reads."""

from pathlib import Path

from django.core.management.base import BaseCommand

from poc_catalogue.transfer.exporter import export_catalogue, export_images, exported_pages
from poc_catalogue.transfer.reading import FORMATS


class Command(BaseCommand):
    help = "Export every POC (French pages) as CSV or XLSX, and their images as a ZIP if asked."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--images", help="Also write the POCs' images into this ZIP.")

    def handle(self, *args, format: str, output: str, images: str | None, **options):
        Path(output).write_bytes(export_catalogue(format))
        if images:
            Path(images).write_bytes(export_images())
        count = exported_pages().count()
        self.stdout.write(self.style.SUCCESS(f"{count} POCs exported to {output}."))
